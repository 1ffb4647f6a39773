"""Counterparts: the clusters two outlets share, their paragraphs there side by side, and each
paragraph's closest paragraph in the other outlet."""

from __future__ import annotations

import numpy as np
import pandas as pd

from framing_atlas.store import CLUSTER, NEIGHBOURS, OUTLET, PARAGRAPH_ID, PUBLISHED


def shared_clusters(paragraphs: pd.DataFrame, *, left: str, right: str) -> list[int]:
    """The clusters both outlets have paragraphs in, in cluster order."""
    both = paragraphs[paragraphs[OUTLET].isin([left, right])].groupby(CLUSTER)[OUTLET].nunique()
    return [int(c) for c in both[both == 2].index]


def side_by_side(paragraphs: pd.DataFrame, *, cluster: int, left: str, right: str,
                 limit: int = 10) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Two outlets' paragraphs in one cluster, oldest first (undated last)."""
    members = paragraphs[paragraphs[CLUSTER] == cluster]
    pick = lambda outlet: members[members[OUTLET] == outlet].sort_values(  # noqa: E731
        [PUBLISHED, PARAGRAPH_ID], na_position="last").head(limit)
    return pick(left), pick(right)


def closest_counterparts(chosen: pd.DataFrame, paragraphs: pd.DataFrame, *, outlet: str,
                         limit: int = 5) -> list[tuple[pd.DataFrame, pd.DataFrame | None]]:
    """For each of the first `limit` `chosen` paragraphs, that paragraph (a one-row frame) and
    the closest paragraph `outlet` wrote among its build-time neighbours (a one-row frame with
    paragraph_id as a column), or None when none of its neighbours is `outlet`'s.

    Neighbours are in order of closeness (pipeline.neighbours), so the first of `outlet`'s is
    the closest; a build without neighbours gives None everywhere."""
    chosen = chosen.head(limit)
    lists = ([list(n) if n is not None else [] for n in chosen[NEIGHBOURS]]
             if NEIGHBOURS in chosen else [[] for _ in range(len(chosen))])
    # Only the neighbours' rows are looked up (one pass over the ids, no index of a million of
    # them); a counterpart keeps its row's index (the dashboard reads its text by it).
    wanted = {n for neighbours in lists for n in neighbours}
    found = np.flatnonzero(paragraphs[PARAGRAPH_ID].isin(wanted).to_numpy()) if wanted else []
    position = {pid: p for pid, p, by in zip(paragraphs[PARAGRAPH_ID].iloc[found], found,
                                             paragraphs[OUTLET].iloc[found]) if by == outlet}
    pairs = []
    for index, neighbours in zip(chosen.index, lists):
        match = next((position[n] for n in neighbours if n in position), None)
        pairs.append((chosen.loc[[index]],
                      paragraphs.iloc[[match]] if match is not None else None))
    return pairs
