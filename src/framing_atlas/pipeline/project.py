"""Project: paragraph vectors to a 2-D map (and a low-dimensional space to cluster in) with UMAP."""

from __future__ import annotations

import logging
import warnings

import numpy as np
import pandas as pd

from framing_atlas.store import SPACE_PREFIX, X, Y

log = logging.getLogger(__name__)


def _tiny(vectors: np.ndarray, n_components: int) -> np.ndarray:
    # UMAP needs a handful of points; below that a PCA keeps the map meaningful.
    centred = vectors - vectors.mean(axis=0)
    if len(vectors) < 2:
        return np.zeros((len(vectors), n_components), dtype=np.float32)
    u, s, _ = np.linalg.svd(centred, full_matrices=False)
    coords = (u * s)[:, :n_components]
    if coords.shape[1] < n_components:
        coords = np.pad(coords, ((0, 0), (0, n_components - coords.shape[1])))
    return coords.astype(np.float32)


EXACT_UP_TO = 30_000


def knn_graph(vectors: np.ndarray, *, k: int, seed: int) -> tuple:
    """UMAP's k-nearest-neighbour graph: each point's k nearest points by cosine distance, itself
    first, as UMAP expects (indices, distances, no search index).

    Exact (brute force, BLAS) up to EXACT_UP_TO points: deterministic, and it spares the long
    first-use compilation of the approximate search, which dominates a small corpus's build.
    """
    if len(vectors) > EXACT_UP_TO:
        from umap.umap_ import nearest_neighbors

        return nearest_neighbors(vectors, n_neighbors=k, metric="cosine", metric_kwds={},
                                 angular=False, random_state=np.random.RandomState(seed))
    from sklearn.neighbors import NearestNeighbors

    finder = NearestNeighbors(n_neighbors=k, metric="cosine", algorithm="brute").fit(vectors)
    distances, indices = finder.kneighbors(vectors)
    # A duplicate text can come before the point itself; put the point first.
    order = np.argsort(indices != np.arange(len(vectors))[:, None], axis=1, kind="stable")
    indices = np.take_along_axis(indices, order, axis=1)
    distances = np.take_along_axis(distances, order, axis=1)
    indices[:, 0] = np.arange(len(vectors))
    distances[:, 0] = 0.0
    return indices.astype(np.int32), np.maximum(distances, 0).astype(np.float32), None


def space_columns(dims: int) -> list[str]:
    return [f"{SPACE_PREFIX}{i}" for i in range(dims)]


def project_paragraphs(paragraphs: pd.DataFrame, vectors: np.ndarray, *, cluster_dims: int,
                       n_neighbors: int = 15, min_dist: float = 0.1,
                       seed: int = 42) -> pd.DataFrame:
    """Needs paragraph vectors (row i of `vectors` is row i of `paragraphs`); adds x, y and
    space_0 … space_<cluster_dims - 1>, where cluster_paragraphs works (never published)."""
    coords, space = project(vectors, dimensions=(2, cluster_dims), n_neighbors=n_neighbors,
                            min_dist=min_dist, seed=seed)
    return paragraphs.assign(**{X: coords[:, 0], Y: coords[:, 1]},
                             **dict(zip(space_columns(cluster_dims), space.T)))


def project(vectors: np.ndarray, *, dimensions: tuple[int, ...] = (2,), n_neighbors: int = 15,
            min_dist: float = 0.1, seed: int = 42) -> list[np.ndarray]:
    """One UMAP embedding per entry of `dimensions`, sharing one nearest-neighbour graph.

    The random state is fixed (which also makes UMAP single-threaded), so the same vectors in
    the same order always give the same coordinates; build.py orders paragraphs by id first.
    """
    n = len(vectors)
    if n < 10:
        return [_tiny(vectors, d) for d in dimensions]
    import umap

    k = min(n_neighbors, n - 1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # numba/UMAP chatter about n_jobs and the random state
        knn = knn_graph(vectors, k=k, seed=seed)
        results = []
        for d in dimensions:
            reducer = umap.UMAP(n_components=d, n_neighbors=k, metric="cosine",
                                min_dist=min_dist if d == 2 else 0.0, random_state=seed,
                                precomputed_knn=knn, init="spectral" if n > d + 10 else "random")
            results.append(reducer.fit_transform(vectors).astype(np.float32))
    return results
