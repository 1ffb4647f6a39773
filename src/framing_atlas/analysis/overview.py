"""Counts a page shows around its charts: the cluster overview, paragraphs per outlet, cluster
centres on the map, how many sides and articles a view holds, and a shares table as a grid."""

from __future__ import annotations

import pandas as pd

from framing_atlas.analysis.stats import MIN_ARTICLES
from framing_atlas.errors import require_columns
from framing_atlas.store import ARTICLE_ID, CLUSTER, OUTLET, PUBLISHED

OVERVIEW_COLUMNS = [CLUSTER, "label", "in view", "in whole atlas", "outlets", "first", "last"]


def cluster_overview(paragraphs: pd.DataFrame, clusters: pd.DataFrame) -> pd.DataFrame:
    """Needs cluster, outlet, published (and the clusters table's cluster, label, size);
    one row per cluster in view: cluster, label, in view (paragraphs), in whole atlas,
    outlets, first and last date (yyyy-mm-dd)."""
    require_columns(paragraphs, [CLUSTER, OUTLET, PUBLISHED], stage="cluster_overview")
    summary = paragraphs.groupby(CLUSTER).agg(paragraphs=(CLUSTER, "size"),
                                              outlets=(OUTLET, "nunique"),
                                              first=(PUBLISHED, "min"), last=(PUBLISHED, "max"))
    overview = summary.join(clusters.set_index(CLUSTER)[["label", "size"]]).reset_index()
    overview["first"] = overview["first"].dt.strftime("%Y-%m-%d")
    overview["last"] = overview["last"].dt.strftime("%Y-%m-%d")
    overview = overview.rename(columns={"size": "in whole atlas", "paragraphs": "in view"})
    return overview[OVERVIEW_COLUMNS]


def paragraphs_per_outlet(paragraphs: pd.DataFrame) -> pd.Series:
    """Paragraphs per outlet, most first."""
    return paragraphs[OUTLET].value_counts()


def cluster_centres(paragraphs: pd.DataFrame) -> pd.DataFrame:
    """Needs cluster, x, y; each cluster's median position (where the map writes its label)."""
    require_columns(paragraphs, [CLUSTER, "x", "y"], stage="cluster_centres")
    return paragraphs.groupby(CLUSTER)[["x", "y"]].median()


def side_count(paragraphs: pd.DataFrame, side_col: str = OUTLET) -> int:
    """How many sides (outlets, or groups of outlets) the paragraphs come from."""
    return int(paragraphs[side_col].nunique())


def article_count(paragraphs: pd.DataFrame, *, side_col: str, side: object) -> int:
    """How many articles `side` has among the paragraphs."""
    return int(paragraphs.loc[paragraphs[side_col] == side, ARTICLE_ID].nunique())


def thin_sides(paragraphs: pd.DataFrame, *, side_col: str = OUTLET,
               min_articles: int = MIN_ARTICLES) -> list:
    """The sides with fewer than `min_articles` articles (their shares get no interval), sorted."""
    articles = paragraphs.groupby(side_col)[ARTICLE_ID].nunique()
    return sorted(articles[articles < min_articles].index)


def share_grid(shares: pd.DataFrame, values: str, *, side_col: str = OUTLET) -> pd.DataFrame:
    """A shares table (stats.bootstrap_shares, its group renamed `side_col`) as a side ×
    category frame of `values` (e.g. share), for a heatmap."""
    require_columns(shares, [side_col, "category", values], stage="share_grid")
    return shares.pivot(index=side_col, columns="category", values=values)
