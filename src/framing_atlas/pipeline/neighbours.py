"""Neighbours across outlets: for each paragraph, the most similar paragraphs other outlets wrote.

Computed once per build from the vectors, so the dashboard can set two outlets' paragraphs side by
side with their closest counterparts without ever loading the embedding matrix.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from framing_atlas.errors import require_columns
from framing_atlas.store import CENTROID_PREFIX, NEIGHBOURS, OUTLET, PARAGRAPH_ID, PARAGRAPHS


def add_neighbours(paragraphs: pd.DataFrame, vectors: np.ndarray, *, k: int = 5) -> pd.DataFrame:
    """Needs paragraph_id, outlet and paragraph vectors; adds `neighbours`: the ids of the k
    paragraphs of other outlets closest to each one, most similar first."""
    return paragraphs.assign(**{NEIGHBOURS: cross_outlet_neighbours(paragraphs, vectors, k=k)
                                .to_numpy()})


def cross_outlet_neighbours(paragraphs: pd.DataFrame, vectors: np.ndarray, *, k: int = 5,
                            chunk: int = 2048) -> pd.Series:
    """Needs paragraph_id, outlet and unit vectors; the ids of each paragraph's k most similar
    paragraphs from other outlets, most similar first (cosine)."""
    require_columns(paragraphs, [PARAGRAPH_ID, OUTLET], stage="neighbours")
    ids = paragraphs[PARAGRAPH_ID].to_numpy()
    codes = pd.factorize(paragraphs[OUTLET])[0]
    k = min(k, len(ids))
    result: list[list[str]] = []
    for start in range(0, len(ids), chunk):
        block = vectors[start:start + chunk] @ vectors.T
        block[codes[start:start + chunk, None] == codes[None, :]] = -np.inf
        top = np.argpartition(-block, kth=k - 1, axis=1)[:, :k] if k else np.zeros((len(block), 0), int)
        for row, candidates in enumerate(top):
            scores = block[row, candidates]
            order = candidates[np.lexsort((candidates, -scores))]
            result.append([str(ids[j]) for j in order if np.isfinite(block[row, j])])
    return pd.Series(result, index=paragraphs.index, name=NEIGHBOURS)


def outlet_centroids(paragraphs: pd.DataFrame, vectors: np.ndarray) -> pd.DataFrame:
    """Needs outlet and paragraph vectors; returns one row per outlet: outlet, paragraphs (their
    count) and dim_0, dim_1... (the sum of their vectors), so any group of outlets' centroid is
    the sum of its rows divided by their counts."""
    codes, outlets = pd.factorize(paragraphs[OUTLET])
    sums = np.zeros((len(outlets), vectors.shape[1]), dtype=np.float64)
    np.add.at(sums, codes, vectors)
    table = pd.DataFrame(sums, columns=[f"{CENTROID_PREFIX}{i}" for i in range(vectors.shape[1])])
    table.insert(0, PARAGRAPHS, np.bincount(codes, minlength=len(outlets)))
    table.insert(0, OUTLET, list(outlets))
    return table
