"""Compare outlets: theme and cluster shares per outlet, distinctive terms, paragraphs side by side."""

from __future__ import annotations

import pandas as pd

from .label import distinctive_terms
from .store import CLUSTER, OUTLET, TEXT, THEME

MIN_PARAGRAPHS = 20  # below this an outlet's shares are too noisy to compare


def shares(paragraphs: pd.DataFrame, column: str) -> pd.DataFrame:
    """Needs outlet and `column`; long table: outlet, <column>, paragraphs, outlet_total, share.

    Shares are of each outlet's own paragraphs, so a prolific outlet does not drown the rest.
    """
    counts = paragraphs.groupby([OUTLET, column]).size().rename("paragraphs").reset_index()
    totals = paragraphs.groupby(OUTLET).size().rename("outlet_total")
    counts = counts.join(totals, on=OUTLET)
    counts["share"] = counts["paragraphs"] / counts["outlet_total"]
    counts["thin"] = counts["outlet_total"] < MIN_PARAGRAPHS
    return counts.sort_values([OUTLET, column]).reset_index(drop=True)


def share_matrix(paragraphs: pd.DataFrame, column: str) -> pd.DataFrame:
    """Outlets × values of `column`, each cell the share of the outlet's paragraphs (0 if none)."""
    table = shares(paragraphs, column).pivot(index=OUTLET, columns=column, values="share")
    return table.fillna(0.0)


def outlet_terms(paragraphs: pd.DataFrame, *, top: int = 12) -> dict[str, list[str]]:
    """Each outlet's most distinctive terms against the other outlets (class-based TF-IDF)."""
    return distinctive_terms(paragraphs.set_index(OUTLET)[TEXT], top=top)


def side_by_side(paragraphs: pd.DataFrame, *, cluster: int, left: str, right: str,
                 limit: int = 10) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Two outlets' paragraphs in one cluster, most typical of the cluster's theme mix first."""
    members = paragraphs[paragraphs[CLUSTER] == cluster]
    pick = lambda outlet: members[members[OUTLET] == outlet].sort_values(  # noqa: E731
        ["published", "paragraph_id"], na_position="last").head(limit)
    return pick(left), pick(right)


def theme_frames(paragraphs: pd.DataFrame, theme: str) -> pd.DataFrame:
    """For one theme: which clusters (frames) each outlet's paragraphs on that theme fall in."""
    return shares(paragraphs[paragraphs[THEME] == theme], CLUSTER)
