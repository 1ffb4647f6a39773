import numpy as np
import pandas as pd
import pytest

from framing_atlas.pipeline.project import (nearest_fitted, project, project_paragraphs, sample_of,
                                            transform_from_neighbours)


def blobs(n=60, seed=0):
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(3, 32)) * 4
    points = np.concatenate([c + rng.normal(size=(n // 3, 32)) for c in centres])
    return (points / np.linalg.norm(points, axis=1, keepdims=True)).astype(np.float32)


def test_same_input_same_map():
    vectors = blobs()
    first = project(vectors, dimensions=(2, 5), n_neighbors=8, seed=7)
    second = project(vectors, dimensions=(2, 5), n_neighbors=8, seed=7)
    assert [a.shape for a in first] == [(60, 2), (60, 5)]
    for a, b in zip(first, second):
        np.testing.assert_array_equal(a, b)


def test_groups_stay_apart_on_the_map():
    coords = project(blobs(), n_neighbors=8)[0]
    centres = [coords[i * 20:(i + 1) * 20].mean(axis=0) for i in range(3)]
    spread = max(coords[i * 20:(i + 1) * 20].std(axis=0).max() for i in range(3))
    gaps = [np.linalg.norm(centres[i] - centres[j]) for i in range(3) for j in range(i + 1, 3)]
    assert min(gaps) > 2 * spread


def test_tiny_inputs_do_not_crash():
    assert project(blobs(6)[:3], dimensions=(2, 5))[1].shape == (3, 5)
    assert project(blobs(6)[:1])[0].shape == (1, 2)


def test_project_paragraphs_adds_the_map_and_the_clustering_space():
    vectors = blobs()
    paragraphs = pd.DataFrame({"paragraph_id": [f"p{i}" for i in range(len(vectors))]})
    placed = project_paragraphs(paragraphs, vectors, cluster_dims=5, n_neighbors=8, seed=7)
    coords, space = project(vectors, dimensions=(2, 5), n_neighbors=8, seed=7)
    assert placed.columns.tolist() == ["paragraph_id", "x", "y"] + [f"space_{i}" for i in range(5)]
    np.testing.assert_array_equal(placed[["x", "y"]].to_numpy(), coords)
    np.testing.assert_array_equal(placed[[f"space_{i}" for i in range(5)]].to_numpy(), space)
    assert "x" not in paragraphs  # a new frame: the input is left as it was


# Past fit_at_most: UMAP fitted on a seeded sample, the rest placed among their sample neighbours.
def families(n=3000, groups=6, seed=0):
    """n unit vectors in `groups` well-separated blobs (blob i: rows i, i + groups, …)."""
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(groups, 32)) * 4
    labels = np.arange(n) % groups
    points = centres[labels] + rng.normal(size=(n, 32))
    return (points / np.linalg.norm(points, axis=1, keepdims=True)).astype(np.float32), labels


def test_a_large_corpus_is_fitted_on_a_sample_the_same_way_every_time():
    vectors, _ = families()
    steps = []
    first = project(vectors, dimensions=(2, 5), fit_at_most=1000, seed=7,
                    progress=lambda done, total, what: steps.append((done, total, what)))
    second = project(vectors, dimensions=(2, 5), fit_at_most=1000, seed=7)
    assert [a.shape for a in first] == [(3000, 2), (3000, 5)]
    for a, b in zip(first, second):
        np.testing.assert_array_equal(a, b)
    assert [what for _, _, what in steps] == [
        "nearest neighbours of 1,000 paragraphs", "UMAP to 2-D, fitted on 1,000 paragraphs",
        "UMAP to 5-D, fitted on 1,000 paragraphs",
        "placing the other 2,000 paragraphs among their nearest sample paragraphs",
        "1,000 paragraphs laid out, 2,000 placed"]
    assert [(done, total) for done, total, _ in steps] == [(0, 4), (1, 4), (2, 4), (3, 4), (4, 4)]


def test_the_fitted_sample_is_seeded_distinct_and_in_order():
    rows = sample_of(3000, 1000, seed=7)
    assert len(set(rows.tolist())) == 1000 and (np.diff(rows) > 0).all()
    np.testing.assert_array_equal(rows, sample_of(3000, 1000, seed=7))
    assert not np.array_equal(rows, sample_of(3000, 1000, seed=8))


def test_placed_paragraphs_land_among_their_family_on_the_sample_map():
    vectors, labels = families()
    coords, space = project(vectors, dimensions=(2, 5), fit_at_most=1000, seed=7)
    fitted = np.zeros(len(vectors), dtype=bool)
    fitted[sample_of(len(vectors), 1000, seed=7)] = True
    for layout in (coords, space):
        # Each placed paragraph's nearest fitted paragraph on the map is of its own family.
        from sklearn.neighbors import NearestNeighbors

        nearest_fitted = NearestNeighbors(n_neighbors=1).fit(layout[fitted]).kneighbors(
            layout[~fitted], return_distance=False)[:, 0]
        assert (labels[fitted][nearest_fitted] == labels[~fitted]).mean() > 0.99
        # and the placed members of a family sit where its fitted members are.
        for family in range(6):
            placed = layout[~fitted & (labels == family)].mean(axis=0)
            sampled = layout[fitted & (labels == family)]
            assert np.linalg.norm(placed - sampled.mean(axis=0)) < sampled.std(axis=0).max()


def test_placing_is_umaps_own_transform_from_the_neighbours_given():
    import umap
    from sklearn.metrics import pairwise_distances
    from umap.umap_ import submatrix

    vectors, _ = families(1500)
    fitted = sample_of(len(vectors), 500, seed=1)
    reducer = umap.UMAP(n_neighbors=10, metric="cosine", random_state=1).fit(vectors[fitted])
    others = np.setdiff1d(np.arange(len(vectors)), fitted)
    # The neighbours UMAP's transform finds itself (exact below 4,096 fitted points).
    apart = pairwise_distances(vectors[others], reducer._raw_data,
                               metric=reducer._input_distance_func)
    rows = np.argsort(apart, axis=1)[:, :10]
    placed = transform_from_neighbours(reducer, rows, np.take_along_axis(apart, rows, axis=1))
    np.testing.assert_array_equal(placed, reducer.transform(vectors[others]))


@pytest.mark.slow  # pynndescent's first-use compilation: about a minute
def test_nearest_fitted_is_exact_while_few_and_pynndescent_past_that(monkeypatch):
    import framing_atlas.pipeline.project as module

    vectors, labels = families(1200)
    fitted = sample_of(len(vectors), 400, seed=1)
    others, exact, _ = nearest_fitted(vectors, fitted, index=None, k=10, seed=1)
    monkeypatch.setattr(module, "EXACT_PAIRS", 0)
    _, approximate, distances = nearest_fitted(vectors, fitted, index=None, k=10, seed=1)
    again = nearest_fitted(vectors, fitted, index=None, k=10, seed=1)
    np.testing.assert_array_equal(approximate, again[1])
    np.testing.assert_array_equal(distances, again[2])
    # Families are far apart: both searches find only members of each paragraph's own family.
    assert (labels[fitted][exact] == labels[others][:, None]).all()
    assert (labels[fitted][approximate] == labels[others][:, None]).all()
    assert (distances[:, 1:] >= distances[:, :-1]).all()


def test_the_families_come_back_as_clusters_from_a_sampled_layout():
    from sklearn.metrics import adjusted_rand_score

    from framing_atlas.pipeline.cluster import cluster

    vectors, labels = families()
    _, space = project(vectors, dimensions=(2, 5), fit_at_most=1000, seed=7)
    found, outliers = cluster(space, min_cluster_size=100, max_cluster_share=0.25, fast_from=1000)
    assert adjusted_rand_score(labels, found) > 0.95
    assert np.bincount(found[~outliers]).max() <= 750  # the share cap, on fast_hdbscan's path
