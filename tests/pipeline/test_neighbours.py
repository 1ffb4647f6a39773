import numpy as np
import pandas as pd
import pytest

from framing_atlas.pipeline.neighbours import (add_neighbours, cross_outlet_neighbours,
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


def test_add_neighbours_adds_the_column_and_centroids_count_each_outlet():
    paragraphs, vectors = setup()
    added = add_neighbours(paragraphs, vectors, k=2)
    assert added["neighbours"].tolist() == [["c", "d"], ["d", "c"], ["a", "b"], ["b", "a"]]
    assert "neighbours" not in paragraphs
    centroids = outlet_centroids(paragraphs, vectors)
    assert centroids.columns.tolist() == ["outlet", "paragraphs", "dim_0", "dim_1"]
    assert centroids["paragraphs"].tolist() == [2, 2]
    assert centroids["dim_0"].tolist() == pytest.approx([1.0, 1.4])
