import numpy as np
import pandas as pd
import pytest

from framing_atlas.neighbours import (centroid_distance_matrix, cross_outlet_neighbours,
                                      outlet_centroids)


def setup():
    paragraphs = pd.DataFrame({"paragraph_id": ["a", "b", "c", "d"],
                               "outlet": ["X", "X", "Y", "Y"]})
    vectors = np.array([[1, 0], [0, 1], [0.8, 0.6], [0.6, 0.8]], dtype=np.float32)
    return paragraphs, vectors


def test_neighbours_come_from_other_outlets_most_similar_first():
    paragraphs, vectors = setup()
    found = cross_outlet_neighbours(paragraphs, vectors, k=2)
    # a=(1,0): c scores 0.8, d 0.6; b=(0,1): d 0.8, c 0.6; c: a 0.8, b 0.6; d: b 0.8, a 0.6
    assert found.tolist() == [["c", "d"], ["d", "c"], ["a", "b"], ["b", "a"]]


def test_centroid_distances_by_hand():
    paragraphs, vectors = setup()
    centroids = outlet_centroids(paragraphs, vectors)
    assert centroids["paragraphs"].tolist() == [2, 2]
    distances = centroid_distance_matrix(centroids, pd.Series({"X": "X", "Y": "Y"}))
    # X's mean (0.5, 0.5) and Y's (0.7, 0.7) point the same way: distance 0.
    assert distances.loc["X", "Y"] == pytest.approx(0, abs=1e-9)
    one = centroid_distance_matrix(centroids, pd.Series({"X": "all", "Y": "all"}))
    assert one.shape == (1, 1)


def test_orthogonal_outlets_are_one_apart():
    paragraphs = pd.DataFrame({"paragraph_id": ["a", "b"], "outlet": ["X", "Y"]})
    centroids = outlet_centroids(paragraphs, np.array([[1.0, 0.0], [0.0, 1.0]]))
    distances = centroid_distance_matrix(centroids, pd.Series({"X": "X", "Y": "Y"}))
    assert distances.loc["X", "Y"] == pytest.approx(1.0)
