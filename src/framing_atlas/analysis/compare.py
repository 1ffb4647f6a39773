"""Compare outlets: distinctive terms, paragraphs side by side (shares with intervals: stats.py)."""

from __future__ import annotations

import pandas as pd

from framing_atlas.pipeline.label import distinctive_terms
from framing_atlas.store import CLUSTER, OUTLET, TEXT


def outlet_terms(paragraphs: pd.DataFrame, *, top: int = 12) -> dict[str, list[str]]:
    """Each outlet's most distinctive terms against the other outlets (class-based TF-IDF)."""
    return distinctive_terms(paragraphs.set_index(OUTLET)[TEXT], top=top)


def side_by_side(paragraphs: pd.DataFrame, *, cluster: int, left: str, right: str,
                 limit: int = 10) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Two outlets' paragraphs in one cluster, oldest first (undated last)."""
    members = paragraphs[paragraphs[CLUSTER] == cluster]
    pick = lambda outlet: members[members[OUTLET] == outlet].sort_values(  # noqa: E731
        ["published", "paragraph_id"], na_position="last").head(limit)
    return pick(left), pick(right)
