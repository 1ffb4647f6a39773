"""Place: new paragraphs on an existing map, the map's own paragraphs left exactly where they are.

A build that adds a few articles to a corpus should not move every dot and renumber every
cluster: the person exploring loses their bearings and their cluster names. So when the last
build's map was made with the same parameters, the paragraphs it already had keep their x, y,
cluster and outlier flag, and each new paragraph is placed among its nearest neighbours on that
map, by cosine distance between the vectors:

- x, y: the weighted mean of its k nearest kept paragraphs' positions, each weighted by
  exp(-(d - d_nearest) / mean(d - d_nearest)), the membership strength UMAP gives a point's
  neighbours; UMAP's own `transform` starts new points from this same weighted mean
  (umap.umap_.init_graph_transform) before a few epochs of optimisation, which would move them
  by a fraction of a neighbourhood;
- cluster: the cluster with the largest total weight among those neighbours (HDBSCAN has no
  cluster for a point it never saw; its `approximate_predict` needs the condensed tree of the
  clustering space, which a build does not keep);
- outlier: whether most of the weight sits on neighbours that were outliers.

`placed` marks such paragraphs, so the build can say how much of the map was placed rather than
laid out, and advise a fresh layout (`framing-atlas build --relayout`) past RELAYOUT_ADVICE.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from framing_atlas.store import CLUSTER, OUTLIER, PLACED, X, Y

# Past this share of placed paragraphs the map is mostly an old layout with guests on it: the
# build advises a fresh one.
RELAYOUT_ADVICE = 0.2
NEIGHBOURS = 15
ROWS_AT_ONCE = 2048  # new paragraphs compared with every kept one at a time (memory: rows × kept)


def nearest(new: np.ndarray, kept: np.ndarray, *, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Each new unit vector's k nearest kept ones: their rows and cosine distances, nearest first
    (ties to the lower row, so the result never depends on the machine)."""
    k = min(k, len(kept))
    rows = np.empty((len(new), k), dtype=np.int64)
    distances = np.empty((len(new), k), dtype=np.float32)
    for start in range(0, len(new), ROWS_AT_ONCE):
        d = 1.0 - new[start:start + ROWS_AT_ONCE] @ kept.T
        part = np.argpartition(d, k - 1, axis=1)[:, :k]
        part_d = np.take_along_axis(d, part, axis=1)
        order = np.lexsort((part, part_d), axis=1)
        rows[start:start + len(d)] = np.take_along_axis(part, order, axis=1)
        distances[start:start + len(d)] = np.maximum(np.take_along_axis(part_d, order, axis=1), 0)
    return rows, distances


def weights_of(distances: np.ndarray) -> np.ndarray:
    """UMAP-style membership strengths of each row's neighbours (the nearest gets 1)."""
    gaps = distances - distances[:, :1]
    scale = gaps.mean(axis=1, keepdims=True)
    return np.exp(-gaps / np.where(scale > 0, scale, 1.0))


def place_paragraphs(paragraphs: pd.DataFrame, vectors: np.ndarray, kept: np.ndarray,
                     earlier: pd.DataFrame, *, k: int = NEIGHBOURS) -> pd.DataFrame:
    """Needs paragraph vectors, `kept` (True for the paragraphs the earlier map has) and
    `earlier`: x, y, cluster, outlier (and placed, when the earlier build had it) of the kept
    paragraphs, in their order in `paragraphs`. Adds x, y, cluster, outlier and placed: the kept
    paragraphs' as they were, the others placed among their nearest kept neighbours."""
    kept = np.asarray(kept, dtype=bool)
    if not kept.any():
        raise ValueError("place_paragraphs needs at least one paragraph of the earlier map")
    x = np.empty(len(paragraphs), dtype=np.float32)
    y = np.empty(len(paragraphs), dtype=np.float32)
    cluster = np.empty(len(paragraphs), dtype=np.int64)
    outlier = np.empty(len(paragraphs), dtype=bool)
    placed = np.ones(len(paragraphs), dtype=bool)
    x[kept], y[kept] = earlier[X].to_numpy(), earlier[Y].to_numpy()
    cluster[kept], outlier[kept] = earlier[CLUSTER].to_numpy(), earlier[OUTLIER].to_numpy()
    placed[kept] = (earlier[PLACED].fillna(False).to_numpy(dtype=bool) if PLACED in earlier
                    else False)
    new = np.flatnonzero(~kept)
    if len(new):
        rows, distances = nearest(vectors[new], vectors[kept], k=k)
        weights = weights_of(distances)
        share = weights / weights.sum(axis=1, keepdims=True)
        x[new] = (share * x[kept][rows]).sum(axis=1)
        y[new] = (share * y[kept][rows]).sum(axis=1)
        outlier[new] = (share * outlier[kept][rows]).sum(axis=1) > 0.5
        neighbour_clusters = cluster[kept][rows]
        for i, (ids, w) in enumerate(zip(neighbour_clusters, weights)):
            totals: dict[int, float] = {}
            for c, weight in zip(ids.tolist(), w.tolist()):
                totals[c] = totals.get(c, 0.0) + weight
            # The heaviest cluster; a tie goes to the nearer neighbour's: `totals` holds the
            # clusters nearest first, and max keeps the first of equals.
            cluster[new[i]] = max(totals, key=totals.get)
    return paragraphs.assign(**{X: x, Y: y, CLUSTER: cluster, OUTLIER: outlier, PLACED: placed})


def placed_summary(paragraphs: pd.DataFrame, *, relayout_advice: float = RELAYOUT_ADVICE
                   ) -> dict:
    """How much of the map was placed rather than laid out, for the manifest."""
    n = len(paragraphs)
    placed = int(paragraphs[PLACED].sum()) if PLACED in paragraphs else 0
    share = placed / n if n else 0.0
    return {"laid_out": n - placed, "placed": placed, "placed_share": round(share, 4),
            "relayout_advised": share > relayout_advice}
