import numpy as np
import pandas as pd

from framing_atlas.pipeline.project import project, project_paragraphs


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
