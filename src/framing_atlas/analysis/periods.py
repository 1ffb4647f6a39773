"""Periods: themes over time per outlet, and any side's shares or axis positions per day, week
or month with intervals. The period codes live here, once."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from framing_atlas.analysis.axes import axis_summary
from framing_atlas.analysis.stats import MIN_ARTICLES, N_BOOT, bootstrap_shares
from framing_atlas.errors import AtlasError, require_columns
from framing_atlas.store import ARTICLE_ID, OUTLET, PUBLISHED, THEME

FREQUENCIES = {"day": "D", "week": "W-SUN", "month": "M"}
# Between a side and its period in the label of a side × period cell ("Alpha | 2024-03-04"):
# the period, a date, is always last, so the label names one side and one period.
PERIOD_SEPARATOR = " | "


def period_start(published: pd.Series, freq: str) -> pd.Series:
    """The first day of the day, week (Monday to Sunday) or month each date falls in."""
    if freq not in FREQUENCIES:
        raise ValueError(f"freq must be one of {', '.join(FREQUENCIES)}")
    return published.dt.to_period(FREQUENCIES[freq]).dt.start_time


def count_undated(paragraphs: pd.DataFrame) -> int:
    """How many paragraphs have no date (a timeline leaves them out and says so)."""
    return int(paragraphs[PUBLISHED].isna().sum())


def theme_timeline(paragraphs: pd.DataFrame, *, freq: str = "week",
                   min_articles: int = MIN_ARTICLES) -> pd.DataFrame:
    """Needs article_id, outlet, published, theme; one row per outlet × period × theme.

    `share` is the theme's part of that outlet's paragraphs in that period; `total` is the
    outlet's paragraphs in the period and `articles` its articles. `thin` marks periods with
    fewer than `min_articles` articles (not paragraphs: one long article is still one
    article), which get no interval (stats.bootstrap_shares). Undated paragraphs are left out.
    """
    if freq not in FREQUENCIES:
        raise ValueError(f"freq must be one of {', '.join(FREQUENCIES)}")
    dated = paragraphs.dropna(subset=[PUBLISHED])
    require_columns(paragraphs, [ARTICLE_ID, OUTLET, PUBLISHED, THEME], stage="theme_timeline")
    columns = [OUTLET, "period", THEME, "count", "total", "articles", "share", "thin"]
    if dated.empty:
        return pd.DataFrame(columns=columns)
    dated = dated.assign(period=period_start(dated[PUBLISHED], freq))
    counts = dated.groupby([OUTLET, "period", THEME]).size().rename("count")
    articles = dated.groupby([OUTLET, "period"])[ARTICLE_ID].nunique().rename("articles")
    # Every theme in every period an outlet published in, so a zero is a zero and not a gap.
    themes = sorted(dated[THEME].unique())
    frames = []
    for (outlet, when), total in counts.groupby(level=[0, 1]).sum().items():
        frames.append(pd.DataFrame({OUTLET: outlet, "period": when, THEME: themes, "total": total}))
    table = (pd.concat(frames, ignore_index=True).join(counts, on=[OUTLET, "period", THEME])
             .join(articles, on=[OUTLET, "period"]))
    table["count"] = table["count"].fillna(0).astype(int)
    table["share"] = table["count"] / table["total"]
    table["thin"] = table["articles"] < min_articles
    return table[columns].sort_values([OUTLET, "period", THEME]).reset_index(drop=True)


def _cells(paragraphs: pd.DataFrame, *, side_col: str, freq: str) -> tuple[pd.DataFrame,
                                                                            pd.DataFrame]:
    """The dated paragraphs with a `cell` column labelling their side × period, and the
    cells' side and period (indexed by label: the label is never split back, so a side
    whose name holds the separator is still read right)."""
    require_columns(paragraphs, [side_col, PUBLISHED], stage="periods")
    dated = paragraphs[paragraphs[PUBLISHED].notna()]
    pairs = pd.DataFrame({"side": dated[side_col].astype(str).to_numpy(),
                          "period": period_start(dated[PUBLISHED], freq).to_numpy()})
    # Each distinct side × period labelled once (a million rows hold a few thousand cells).
    codes = pairs.groupby(["side", "period"], sort=False).ngroup().to_numpy()
    keys = pairs.drop_duplicates().reset_index(drop=True)  # in order of first appearance
    labels = (keys["side"] + PERIOD_SEPARATOR + keys["period"].dt.strftime("%Y-%m-%d")).to_numpy()
    return dated.assign(cell=labels[codes]), keys.set_axis(labels)


def _with_cells(table: pd.DataFrame, keys: pd.DataFrame) -> pd.DataFrame:
    """`table` (one row per cell label in `group`) with the cells' side and period added."""
    found = keys.reindex(table["group"].to_numpy())
    return table.assign(side=found["side"].to_numpy(), period=found["period"].to_numpy())


def shares_by_period(paragraphs: pd.DataFrame, *, side_col: str, category_col: str, freq: str,
                     n_boot: int = N_BOOT, seed: int = 0,
                     min_articles: int = MIN_ARTICLES) -> pd.DataFrame:
    """Needs `side_col`, `category_col`, article_id, published; one row per side × period ×
    category: stats.bootstrap_shares's columns (its `group` is the cell's label, "side |
    yyyy-mm-dd") with `side` and `period` (the period's first day) added.

    Each side's shares in each period with 95% intervals resampling that side's articles of
    that period; a cell with fewer than `min_articles` articles is `thin` (no interval).
    Undated paragraphs are left out.
    """
    dated, keys = _cells(paragraphs, side_col=side_col, freq=freq)
    table = bootstrap_shares(dated, group_col="cell", category_col=category_col, n_boot=n_boot,
                             seed=seed, min_articles=min_articles)
    return _with_cells(table, keys)


def axis_by_period(paragraphs: pd.DataFrame, *, side_col: str, axis: str, freq: str,
                   n_boot: int = N_BOOT, seed: int = 0,
                   min_articles: int = MIN_ARTICLES) -> pd.DataFrame:
    """Needs `side_col`, article_id, published and the axis column; one row per side × period:
    axes.axis_summary's columns (`group` = the cell's label) with `side` and `period` added."""
    dated, keys = _cells(paragraphs, side_col=side_col, freq=freq)
    table = axis_summary(dated, group_col="cell", axis=axis, n_boot=n_boot, seed=seed,
                         min_articles=min_articles)
    return _with_cells(table, keys)


def with_intervals(timeline: pd.DataFrame, shares: pd.DataFrame) -> pd.DataFrame:
    """theme_timeline's table with `low` and `high` from shares_by_period (side = outlet,
    category = theme, same frequency) for each outlet × period × theme."""
    intervals = shares.rename(columns={"side": OUTLET, "category": THEME})
    return timeline.merge(intervals[[OUTLET, "period", THEME, "low", "high"]],
                          on=[OUTLET, "period", THEME], how="left")


@dataclass(frozen=True)
class TimelineGrid:
    """One theme's timeline as outlet × period frames (rows: outlets, columns: periods), each
    the same shape; a period an outlet did not publish in is NaN in every frame but `thin`."""
    value: pd.DataFrame
    count: pd.DataFrame
    total: pd.DataFrame
    articles: pd.DataFrame
    low: pd.DataFrame
    high: pd.DataFrame
    thin: pd.DataFrame  # bool; True where the outlet did not publish too


def timeline_grid(timeline: pd.DataFrame, *, theme: str, measure: str) -> TimelineGrid:
    """`theme`'s rows of with_intervals's table as grids; `measure` is "share" or "count"."""
    if measure not in ("share", "count"):
        raise AtlasError(f"measure must be 'share' or 'count', got '{measure}'")
    part = timeline[timeline[THEME] == theme]
    grid = lambda values: part.pivot(index=OUTLET, columns="period", values=values)  # noqa: E731
    return TimelineGrid(value=grid(measure), count=grid("count"), total=grid("total"),
                        articles=grid("articles"), low=grid("low"), high=grid("high"),
                        thin=grid("thin").fillna(True).astype(bool))


def overall_timeline(timeline: pd.DataFrame) -> pd.DataFrame:
    """All outlets together: one row per period × theme with `count` and `share` (the theme's
    part of every paragraph of the period)."""
    overall = timeline.groupby(["period", THEME])[["count"]].sum().reset_index()
    overall["share"] = overall["count"] / overall.groupby("period")["count"].transform("sum")
    return overall
