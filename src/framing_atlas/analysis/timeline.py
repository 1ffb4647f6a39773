"""Themes over time: paragraphs per theme per outlet and period, as shares and counts."""

from __future__ import annotations

import pandas as pd

from framing_atlas.errors import require_columns
from framing_atlas.analysis.stats import MIN_ARTICLES
from framing_atlas.store import ARTICLE_ID, OUTLET, PUBLISHED, THEME

FREQUENCIES = {"day": "D", "week": "W-SUN", "month": "M"}


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
    period = dated[PUBLISHED].dt.to_period(FREQUENCIES[freq]).dt.start_time
    dated = dated.assign(period=period)
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
