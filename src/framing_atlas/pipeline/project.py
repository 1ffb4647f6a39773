"""Project: paragraph vectors to a 2-D map (and a low-dimensional space to cluster in) with UMAP.

Up to FIT_AT_MOST paragraphs, UMAP is fitted on all of them. Past that (a seeded UMAP runs on
one core, and its time grows with the corpus), UMAP is fitted on a seeded sample of FIT_AT_MOST
paragraphs and every other paragraph is placed by UMAP's own transform from its nearest sample
paragraphs (exact while few, else found with pynndescent, once for both layouts): the map and
the clustering space are each one layout. bench/layout.py measures what the sample costs
against a full fit.
"""

from __future__ import annotations

import logging
import warnings

import numpy as np
import pandas as pd

from framing_atlas.pipeline.place import nearest
from framing_atlas.store import SPACE_PREFIX, Progress, X, Y

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
# UMAP is fitted on at most this many paragraphs; the others are placed (see the docstring).
FIT_AT_MOST = 50_000
PLACE_AT_ONCE = 50_000  # paragraphs placed per neighbour query (memory; fixed, so the
# approximate search, which draws its random restarts across one query, is deterministic)
# Placing compares every other paragraph with every sample paragraph (exact, like knn_graph)
# while that is at most as many pairs as an exact graph of EXACT_UP_TO points; past it
# pynndescent's search is faster than its first-use compilation.
EXACT_PAIRS = EXACT_UP_TO ** 2


def knn_graph(vectors: np.ndarray, *, k: int, seed: int) -> tuple:
    """UMAP's k-nearest-neighbour graph: each point's k nearest points by cosine distance, itself
    first, as UMAP expects (indices, distances, and pynndescent's search index or None).

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
                       n_neighbors: int = 15, min_dist: float = 0.1, seed: int = 42,
                       fit_at_most: int = FIT_AT_MOST,
                       progress: Progress | None = None) -> pd.DataFrame:
    """Needs paragraph vectors (row i of `vectors` is row i of `paragraphs`); adds x, y and
    space_0 … space_<cluster_dims - 1>, where cluster_paragraphs works (never published)."""
    coords, space = project(vectors, dimensions=(2, cluster_dims), n_neighbors=n_neighbors,
                            min_dist=min_dist, seed=seed, fit_at_most=fit_at_most,
                            progress=progress)
    return paragraphs.assign(**{X: coords[:, 0], Y: coords[:, 1]},
                             **dict(zip(space_columns(cluster_dims), space.T)))


def project(vectors: np.ndarray, *, dimensions: tuple[int, ...] = (2,), n_neighbors: int = 15,
            min_dist: float = 0.1, seed: int = 42, fit_at_most: int = FIT_AT_MOST,
            progress: Progress | None = None) -> list[np.ndarray]:
    """One UMAP embedding per entry of `dimensions`, sharing one nearest-neighbour graph; past
    `fit_at_most` vectors, fitted on a sample of that many and the rest placed (module docstring).

    The random state is fixed (which also makes UMAP single-threaded), so the same vectors in
    the same order always give the same coordinates; build.py orders paragraphs by id first.
    `progress` hears of each step: the neighbours, each fit, the placing of the rest.
    """
    n = len(vectors)
    if n < 10:
        return [_tiny(vectors, d) for d in dimensions]
    report = progress or (lambda done, total, what: None)
    fitted = sample_of(n, fit_at_most, seed=seed) if n > fit_at_most else None
    steps = 1 + len(dimensions) + (fitted is not None)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # numba/UMAP chatter about n_jobs and the random state
        sample = vectors if fitted is None else vectors[fitted]
        report(0, steps, f"nearest neighbours of {len(sample):,} paragraphs")
        k = min(n_neighbors, len(sample) - 1)
        knn = knn_graph(sample, k=k, seed=seed)
        reducers = []
        for step, d in enumerate(dimensions, start=1):
            report(step, steps, f"UMAP to {d}-D, fitted on {len(sample):,} paragraphs")
            reducers.append(umap_fit(sample, knn, n_components=d, min_dist=min_dist, seed=seed))
        if fitted is None:
            report(steps, steps, f"{n:,} paragraphs laid out")
            return [reducer.embedding_.astype(np.float32) for reducer in reducers]
        report(steps - 1, steps, f"placing the other {n - len(fitted):,} paragraphs among "
                                 "their nearest sample paragraphs")
        placed = place_by_sample(vectors, fitted, reducers, index=knn[2], k=k, seed=seed)
        report(steps, steps, f"{len(fitted):,} paragraphs laid out, {n - len(fitted):,} placed")
    return placed


def umap_fit(vectors: np.ndarray, knn: tuple, *, n_components: int, min_dist: float,
             seed: int):
    """UMAP fitted to `vectors` from their precomputed neighbour graph (min_dist only for the
    2-D map: the clustering space packs neighbours as tightly as it can)."""
    import umap

    n, k = len(vectors), knn[0].shape[1]
    reducer = umap.UMAP(n_components=n_components, n_neighbors=k, metric="cosine",
                        min_dist=min_dist if n_components == 2 else 0.0, random_state=seed,
                        precomputed_knn=knn, init="spectral" if n > n_components + 10 else "random")
    return reducer.fit(vectors)


def sample_of(n: int, size: int, *, seed: int) -> np.ndarray:
    """`size` distinct rows of `n`, drawn with `seed`, in ascending order."""
    return np.sort(np.random.default_rng(seed).choice(n, size=size, replace=False))


def place_by_sample(vectors: np.ndarray, fitted: np.ndarray, reducers: list, *, index, k: int,
                    seed: int) -> list[np.ndarray]:
    """Each fitted UMAP's embedding (of the rows `fitted`) extended to all of `vectors`: every
    other row placed by UMAP's transform from its k nearest fitted rows (nearest_fitted)."""
    others, neighbours, distances = nearest_fitted(vectors, fitted, index=index, k=k, seed=seed)
    full = []
    for reducer in reducers:
        whole = np.empty((len(vectors), reducer.embedding_.shape[1]), dtype=np.float32)
        whole[fitted] = reducer.embedding_
        whole[others] = transform_from_neighbours(reducer, neighbours, distances)
        full.append(whole)
    return full


def nearest_fitted(vectors: np.ndarray, fitted: np.ndarray, *, index, k: int, seed: int
                   ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The rows not `fitted`, and for each its k nearest fitted rows (positions in `fitted`) and
    their cosine distances. Exact up to EXACT_PAIRS comparisons, else found by pynndescent
    (`index`: built on the fitted rows, as knn_graph returns it past EXACT_UP_TO; None builds
    one with `seed`)."""
    others = np.setdiff1d(np.arange(len(vectors)), fitted, assume_unique=True)
    if len(others) * len(fitted) <= EXACT_PAIRS:
        sample = vectors[fitted]
        search = lambda rows: nearest(rows, sample, k=k)  # noqa: E731
    else:
        if index is None:
            from pynndescent import NNDescent

            index = NNDescent(vectors[fitted], metric="cosine", n_neighbors=k,
                              random_state=seed)
        search = lambda rows: index.query(rows, k=k)  # noqa: E731
    neighbours = np.empty((len(others), k), dtype=np.int32)
    distances = np.empty((len(others), k), dtype=np.float32)
    for start in range(0, len(others), PLACE_AT_ONCE):
        found, apart = search(vectors[others[start:start + PLACE_AT_ONCE]])
        neighbours[start:start + len(found)] = found
        distances[start:start + len(found)] = np.maximum(apart, 0)
    return others, neighbours, distances


def transform_from_neighbours(reducer, neighbours: np.ndarray,
                              distances: np.ndarray) -> np.ndarray:
    """UMAP's `transform` (umap-learn 0.5, UMAP.transform after its own neighbour search) of
    points whose nearest fitted points are given: their fuzzy memberships to those neighbours,
    a start at the weighted mean of the neighbours' positions, then UMAP's few epochs of
    optimisation with the fitted points held still; single-threaded, so deterministic.

    Measured at 100k (bench/layout.py's vectors, 50k fitted): against a UMAP fitted on all,
    the clusters found in the space agreed at adjusted Rand 0.17 (two full fits with different
    seeds: 0.26), where the weighted mean alone (the start, without the epochs) gave 0.01.
    """
    import scipy.sparse
    from sklearn.utils import check_random_state
    from umap.umap_ import (INT32_MAX, INT32_MIN, compute_membership_strengths,
                            init_graph_transform, make_epochs_per_sample,
                            optimize_layout_euclidean, smooth_knn_dist)

    distances = np.ascontiguousarray(distances, dtype=np.float32)
    neighbours = np.where(distances >= reducer._disconnection_distance, -1, neighbours)
    sigmas, rhos = smooth_knn_dist(distances, float(reducer._n_neighbors),
                                   local_connectivity=max(0.0, reducer.local_connectivity - 1.0))
    rows, cols, vals, _ = compute_membership_strengths(neighbours, distances, sigmas, rhos,
                                                       bipartite=True)
    graph = scipy.sparse.coo_matrix((vals, (rows, cols)),
                                    shape=(len(neighbours), len(reducer.embedding_)))
    start = graph.tocsr()
    start.eliminate_zeros()
    embedding = init_graph_transform(start, reducer.embedding_)
    n_epochs = 100 if len(neighbours) <= 10_000 else 30
    graph.data[graph.data < graph.data.max() / float(n_epochs)] = 0.0
    graph.eliminate_zeros()
    rng_state = check_random_state(reducer.transform_seed).randint(
        INT32_MIN, INT32_MAX, 3).astype(np.int64)
    return optimize_layout_euclidean(
        embedding, reducer.embedding_.astype(np.float32, copy=True), graph.row, graph.col,
        n_epochs, graph.shape[1], make_epochs_per_sample(graph.data, n_epochs), reducer._a,
        reducer._b, rng_state, reducer.repulsion_strength, reducer._initial_alpha / 4.0,
        reducer.negative_sample_rate, False).astype(np.float32)
