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


# Past fast_from points: fast_hdbscan, with scikit-learn's meaning of every option.
def tangled(seed=0):
    """Five blobs of different spreads in 5-D, and 150 points strewn between them."""
    rng = np.random.default_rng(seed)
    blobs = [rng.normal(0, spread, size=(size, 5)) + rng.uniform(-6, 6, size=5)
             for spread, size in [(0.3, 300), (0.6, 250), (0.4, 200), (1.0, 300), (0.5, 150)]]
    return np.concatenate(blobs + [rng.uniform(-8, 8, size=(150, 5))])


@pytest.mark.parametrize("seed, min_samples", [(0, None), (3, 3), (0, 5)])
def test_fast_hdbscan_finds_what_scikit_learn_finds(seed, min_samples):
    # scikit-learn counts a point among its own min_samples neighbours, fast_hdbscan does not:
    # passed through unchanged, min_samples=3 moves 17 points here. (Equal distances can still
    # be broken differently by the two: on seed 2 with min_samples=3 they disagree on 600.)
    points = tangled(seed)
    slow = cluster(points, min_cluster_size=25, min_samples=min_samples, noise="keep",
                   fast_from=len(points))
    fast = cluster(points, min_cluster_size=25, min_samples=min_samples, noise="keep",
                   fast_from=len(points) - 1)
    assert slow[0].max() == 4 and slow[1].sum() > 100  # five clusters and some noise to agree on
    np.testing.assert_array_equal(slow[0], fast[0])
    np.testing.assert_array_equal(slow[1], fast[1])


def test_fast_hdbscan_keeps_the_share_cap_and_the_nearest_rule_and_repeats_itself():
    rng = np.random.default_rng(1)
    points = np.concatenate([rng.normal(0, 0.2, size=(100, 2)),
                             rng.normal(0, 0.2, size=(100, 2)) + [0.55, 0],
                             rng.normal(0, 0.2, size=(100, 2)) + [3, 0]])
    whole, _ = cluster(points, min_cluster_size=20, noise="keep", fast_from=0)
    capped, outliers = cluster(points, min_cluster_size=20, max_cluster_share=0.5, fast_from=0)
    assert np.bincount(whole[whole >= 0]).tolist() == [200, 100]
    assert np.bincount(capped[~outliers]).max() <= 150 and capped.max() >= 2
    assert -1 not in capped and outliers.any()  # noise joined its nearest cluster, still marked
    again, _ = cluster(points, min_cluster_size=20, max_cluster_share=0.5, fast_from=0)
    np.testing.assert_array_equal(capped, again)
