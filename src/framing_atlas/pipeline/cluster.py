"""Cluster: HDBSCAN on a low-dimensional UMAP space; noise kept or attached to its nearest cluster."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from sklearn.cluster import HDBSCAN
from sklearn.neighbors import NearestNeighbors

from framing_atlas.errors import AtlasError
from framing_atlas.store import CLUSTER, OUTLIER, SPACE_PREFIX

# Past this many points HDBSCAN runs as fast_hdbscan (Borůvka on a KD-tree, in parallel, made
# for millions of low-dimensional points); below it scikit-learn's, as it always has. Measured on
# a 5-D UMAP space under load (bench/layout.py's vectors): at 20k both took about 8 s, at 100k
# scikit-learn took 45 s of CPU, fast_hdbscan 10 s, with the same clusters (adjusted Rand 0.99;
# the two can break ties between equal distances differently). HDBSCAN on a sample with the
# rest joining their nearest sampled point was tried for 1M and rejected: two seeds of it
# agreed at adjusted Rand 0.01 on the 100k space, the full clustering with its points jittered
# by 1e-3 at 0.93.
FAST_FROM = 50_000


def auto_min_cluster_size(n: int) -> int:
    """Smallest cluster worth naming: grows with the corpus (≈ √n / 2), at least 5."""
    return max(5, int(round(math.sqrt(n) / 2)))


def cluster_paragraphs(paragraphs: pd.DataFrame, *, min_cluster_size: int,
                       min_samples: int | None = None, max_cluster_share: float = 1.0,
                       noise: str = "nearest") -> pd.DataFrame:
    """Needs space_0, space_1… (project_paragraphs adds them); adds `cluster` (0 = largest; -1 =
    noise when kept) and `outlier` (what HDBSCAN called noise). Options as for `cluster`."""
    columns = [c for c in paragraphs.columns if str(c).startswith(SPACE_PREFIX)]
    if not columns:
        raise AtlasError(f"stage 'cluster' needs the {SPACE_PREFIX}* columns project_paragraphs "
                         f"adds; got {', '.join(map(str, paragraphs.columns))}")
    labels, outliers = cluster(np.ascontiguousarray(paragraphs[columns].to_numpy()),
                               min_cluster_size=min_cluster_size, min_samples=min_samples,
                               max_cluster_share=max_cluster_share, noise=noise)
    return paragraphs.assign(**{CLUSTER: labels, OUTLIER: outliers})


def cluster(space: np.ndarray, *, min_cluster_size: int, min_samples: int | None = None,
            max_cluster_share: float = 1.0, noise: str = "nearest",
            fast_from: int = FAST_FROM) -> tuple[np.ndarray, np.ndarray]:
    """Cluster ids (0 = largest; -1 = noise when kept) and a mask of the points HDBSCAN called noise.

    With noise="nearest", each noise point joins the cluster of its nearest clustered neighbour,
    so every paragraph counts in comparisons; the mask keeps the distinction visible.
    `max_cluster_share` caps a cluster at that share of the points: HDBSCAN's excess-of-mass
    selection otherwise can return one cluster holding nearly everything (it did on the
    presidential press releases: 2 clusters for 6,598 paragraphs). Past `fast_from` points the
    same HDBSCAN runs as fast_hdbscan (see FAST_FROM), cap included.
    """
    n = len(space)
    if n < max(2 * min_cluster_size, 4):
        return np.zeros(n, dtype=np.int64), np.zeros(n, dtype=bool)
    cap = int(max_cluster_share * n)
    max_cluster_size = cap if min_cluster_size < cap < n else None
    if n > fast_from:
        labels = fast_labels(space, min_cluster_size=min_cluster_size, min_samples=min_samples,
                             max_cluster_size=max_cluster_size)
    else:
        labels = HDBSCAN(min_cluster_size=min_cluster_size, min_samples=min_samples,
                         max_cluster_size=max_cluster_size, copy=True).fit_predict(space)
    outliers = labels < 0
    if outliers.all():
        return np.zeros(n, dtype=np.int64), outliers
    if noise == "nearest" and outliers.any():
        finder = NearestNeighbors(n_neighbors=1).fit(space[~outliers])
        _, nearest = finder.kneighbors(space[outliers])
        labels = labels.copy()
        labels[outliers] = labels[~outliers][nearest[:, 0]]
    return renumber_by_size(labels), outliers


def fast_labels(space: np.ndarray, *, min_cluster_size: int, min_samples: int | None,
                max_cluster_size: int | None) -> np.ndarray:
    """fast_hdbscan's labels, with scikit-learn's meaning of min_samples: scikit-learn counts the
    point itself among its min_samples neighbours, fast_hdbscan does not.

    It runs on one thread: its Borůvka search shares a bound per component between threads, so
    on several, equal distances can be resolved differently from run to run; on one the bound is
    updated in a fixed order and the same space always gives the same clusters. Its
    `reproducible` mode on two threads gave the same clusters at 100k and 1M points, for about
    four times the CPU time at 100k on this machine.
    """
    import numba
    from fast_hdbscan import HDBSCAN as FastHDBSCAN

    neighbours = (min_cluster_size if min_samples is None else min_samples) - 1
    model = FastHDBSCAN(min_cluster_size=min_cluster_size, min_samples=max(neighbours, 1),
                        max_cluster_size=np.inf if max_cluster_size is None else max_cluster_size)
    threads = numba.get_num_threads()
    numba.set_num_threads(1)
    try:
        return model.fit_predict(np.asarray(space, dtype=np.float32)).astype(np.int64)
    finally:
        numba.set_num_threads(threads)


def renumber_by_size(labels: np.ndarray) -> np.ndarray:
    """Cluster 0 is the largest; ties go to the cluster seen first. Noise stays -1."""
    ids, first, counts = np.unique(labels[labels >= 0], return_index=True, return_counts=True)
    order = sorted(range(len(ids)), key=lambda i: (-counts[i], first[i]))
    mapping = {int(ids[i]): rank for rank, i in enumerate(order)}
    return np.array([mapping.get(int(v), -1) for v in labels], dtype=np.int64)
