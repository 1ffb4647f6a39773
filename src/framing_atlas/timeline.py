"""Themes over time: paragraphs per theme per outlet and period, as shares and counts."""

from __future__ import annotations

import pandas as pd

from .store import OUTLET, PUBLISHED, THEME

FREQUENCIES = {"day": "D", "week": "W-SUN", "month": "M"}


def theme_timeline(paragraphs: pd.DataFrame, *, freq: str = "week",
                   min_count: int = 5) -> pd.DataFrame:
    """Needs outlet, published, theme; one row per outlet × period × theme.

    `share` is the theme's part of that outlet's paragraphs in that period; `total` is the
    outlet's paragraphs in the period, and `thin` marks periods with fewer than `min_count`,
    too few to read a share from. Undated paragraphs are left out.
    """
    if freq not in FREQUENCIES:
        raise ValueError(f"freq must be one of {', '.join(FREQUENCIES)}")
    dated = paragraphs.dropna(subset=[PUBLISHED])
    columns = [OUTLET, "period", THEME, "count", "total", "share", "thin"]
    if dated.empty:
        return pd.DataFrame(columns=columns)
    period = dated[PUBLISHED].dt.to_period(FREQUENCIES[freq]).dt.start_time
    counts = (dated.assign(period=period).groupby([OUTLET, "period", THEME]).size()
              .rename("count"))
    # Every theme in every period an outlet published in, so a zero is a zero and not a gap.
    themes = sorted(dated[THEME].unique())
    frames = []
    for (outlet, when), total in counts.groupby(level=[0, 1]).sum().items():
        frames.append(pd.DataFrame({OUTLET: outlet, "period": when, THEME: themes, "total": total}))
    table = pd.concat(frames, ignore_index=True).join(counts, on=[OUTLET, "period", THEME])
    table["count"] = table["count"].fillna(0).astype(int)
    table["share"] = table["count"] / table["total"]
    table["thin"] = table["total"] < min_count
    return table[columns].sort_values([OUTLET, "period", THEME]).reset_index(drop=True)
