import numpy as np
import pandas as pd
import pytest

from framing_atlas.analysis.divergence import (divergence_matrix, pair_count,
                                               side_centroid_distances)
from framing_atlas.pipeline.neighbours import outlet_centroids


def pairs():
    return pd.DataFrame({"group_a": ["A", "A", "B"], "group_b": ["B", "C", "C"],
                         "jsd": [0.1, 0.2, 0.3], "p_value": [0.01, 0.02, 0.5],
                         "p_holm": [0.03, 0.04, 0.5]})


def test_divergence_matrix_is_square_and_symmetric():
    square = divergence_matrix(pairs())
    assert square.names == ["A", "B", "C"]
    for frame in (square.jsd, square.p_value, square.p_holm):
        assert list(frame.index) == list(frame.columns) == ["A", "B", "C"]
    assert square.jsd.loc["C", "B"] == square.jsd.loc["B", "C"] == 0.3
    assert square.p_holm.loc["C", "A"] == 0.04 and square.p_value.loc["B", "A"] == 0.01
    assert np.diag(square.jsd.to_numpy()).tolist() == [0.0, 0.0, 0.0]
    assert square.p_value.loc["A", "A"] != square.p_value.loc["A", "A"]  # NaN: not tested


def test_pair_count():
    assert [pair_count(n) for n in (0, 1, 2, 5)] == [0, 0, 1, 10]


def test_side_centroid_distances_pool_the_outlets_of_a_side():
    paragraphs = pd.DataFrame({"paragraph_id": ["a", "b", "c"], "outlet": ["X", "Y", "Z"],
                               "group": ["left", "left", "right"]})
    centroids = outlet_centroids(paragraphs, np.array([[1.0, 0.0], [1.0, 0.0], [0.0, 1.0]]))
    distances = side_centroid_distances(centroids, paragraphs, side_col="group")
    assert list(distances.index) == ["left", "right"]
    assert distances.loc["left", "right"] == pytest.approx(1.0)


def test_divergence_tests_the_largest_sides_on_a_bounded_sample_and_says_so():
    from framing_atlas.analysis.divergence import divergence_input

    rows = [(f"S{s:02d}", f"S{s:02d}-{a}", a % 3) for s in range(15) for a in range(5 + s)
            for _ in range(2)]
    frame = pd.DataFrame(rows, columns=["group", "article_id", "cluster"])
    tested, notes = divergence_input(frame, side_col="group", max_sides=4, per_side=12)
    # The four sides with the most articles (S14 has 19, S11 has 16), at most 12 articles each.
    assert sorted(tested["group"].unique()) == ["S11", "S12", "S13", "S14"]
    assert tested.groupby("group")["article_id"].nunique().tolist() == [12, 12, 12, 12]
    assert (tested.groupby("article_id").size() == 2).all()  # whole articles
    assert notes[0].startswith("The 4 of the 15 sides with the most articles in view")
    assert "at most 12 of its articles" in notes[1]
    small = frame[frame["group"].isin(["S00", "S01"])]
    same, none = divergence_input(small, side_col="group")
    assert none == [] and len(same) == len(small)
