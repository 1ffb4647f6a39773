import numpy as np
import pandas as pd
import pytest

from framing_atlas.errors import AtlasError
from framing_atlas.pipeline.cluster import (auto_min_cluster_size, cluster, cluster_paragraphs,
                                            renumber_by_size)


def space(seed=0):
    rng = np.random.default_rng(seed)
    big = rng.normal(0, 0.3, size=(40, 2))
    small = rng.normal(0, 0.3, size=(25, 2)) + [10, 0]
    stray = np.array([[5.0, 8.0]])
    return np.concatenate([small, big, stray])


def test_blobs_become_clusters_numbered_by_size():
    labels, outliers = cluster(space(), min_cluster_size=10, noise="keep")
    assert set(labels[25:65]) == {0} and set(labels[:25]) == {1}
    assert labels[-1] == -1 and outliers[-1]


def test_noise_joins_its_nearest_cluster_but_stays_marked():
    labels, outliers = cluster(space(), min_cluster_size=10, noise="nearest")
    assert -1 not in labels and outliers[-1]


def test_renumber_by_size_keeps_noise():
    assert renumber_by_size(np.array([5, 5, 2, -1, 2, 2])).tolist() == [1, 1, 0, -1, 0, 0]


def test_too_few_points_is_one_cluster():
    labels, outliers = cluster(np.zeros((5, 2)), min_cluster_size=10)
    assert labels.tolist() == [0] * 5 and not outliers.any()


def test_auto_min_cluster_size_grows_with_corpus():
    assert auto_min_cluster_size(50) == 5
    assert auto_min_cluster_size(20_000) == 71


def test_a_cluster_cannot_swallow_the_corpus():
    rng = np.random.default_rng(1)
    # Two overlapping blobs (one loose cluster of 200) beside a separate one of 100.
    points = np.concatenate([rng.normal(0, 0.2, size=(100, 2)),
                             rng.normal(0, 0.2, size=(100, 2)) + [0.55, 0],
                             rng.normal(0, 0.2, size=(100, 2)) + [3, 0]])
    whole, _ = cluster(points, min_cluster_size=20, noise="keep")
    capped, _ = cluster(points, min_cluster_size=20, max_cluster_share=0.5, noise="keep")
    assert np.bincount(whole[whole >= 0]).tolist() == [200, 100]
    assert np.bincount(capped[capped >= 0]).max() <= 150 and capped.max() >= 2


def test_cluster_paragraphs_clusters_the_space_columns():
    points = space()
    paragraphs = pd.DataFrame({"paragraph_id": range(len(points)),
                               "space_0": points[:, 0], "space_1": points[:, 1]})
    clustered = cluster_paragraphs(paragraphs, min_cluster_size=10, noise="keep")
    labels, outliers = cluster(points, min_cluster_size=10, noise="keep")
    assert clustered["cluster"].tolist() == labels.tolist()
    assert clustered["outlier"].tolist() == outliers.tolist()
    assert "cluster" not in paragraphs


def test_cluster_paragraphs_without_a_space_says_which_stage_adds_it():
    with pytest.raises(AtlasError, match="needs the space_\\* columns project_paragraphs adds"):
        cluster_paragraphs(pd.DataFrame({"x": [0.0], "y": [1.0]}), min_cluster_size=5)
