"""pipeline.place: new paragraphs on an earlier map, the earlier ones left exactly as they were."""

import numpy as np
import pandas as pd
import pytest

from framing_atlas.pipeline.place import nearest, place_paragraphs, placed_summary, weights_of


def unit(rows):
    rows = np.asarray(rows, dtype=np.float32)
    return rows / np.linalg.norm(rows, axis=1, keepdims=True)


def two_groups(rng):
    """Kept paragraphs in two groups of vectors, each group a cluster in its own corner."""
    a = unit(np.array([1, 0, 0]) + 0.05 * rng.standard_normal((20, 3)))
    b = unit(np.array([0, 1, 0]) + 0.05 * rng.standard_normal((20, 3)))
    earlier = pd.DataFrame({"x": np.r_[rng.uniform(0, 1, 20), rng.uniform(9, 10, 20)],
                            "y": np.r_[rng.uniform(0, 1, 20), rng.uniform(9, 10, 20)],
                            "cluster": [3] * 20 + [7] * 20, "outlier": [False] * 40})
    return np.vstack([a, b]), earlier


def test_kept_paragraphs_stay_exactly_and_new_ones_join_their_neighbours():
    rng = np.random.default_rng(0)
    kept_vectors, earlier = two_groups(rng)
    new = unit([[1, 0.02, 0], [0.03, 1, 0]])
    vectors = np.vstack([kept_vectors[:10], new[:1], kept_vectors[10:], new[1:]])
    kept = np.r_[[True] * 10, False, [True] * 30, False]
    frame = pd.DataFrame({"paragraph_id": [f"p{i}" for i in range(len(vectors))]})
    placed = place_paragraphs(frame, vectors, kept, earlier)
    np.testing.assert_array_equal(placed.loc[kept, "x"].to_numpy(),
                                  earlier["x"].to_numpy(dtype=np.float32))
    assert placed.loc[kept, "cluster"].tolist() == earlier["cluster"].tolist()
    assert not placed.loc[kept, "placed"].any() and placed.loc[~kept, "placed"].all()
    first, second = placed[~kept].itertuples()
    assert first.cluster == 3 and 0 <= first.x <= 1 and 0 <= first.y <= 1
    assert second.cluster == 7 and 9 <= second.x <= 10 and 9 <= second.y <= 10
    # Same input, same placement.
    pd.testing.assert_frame_equal(place_paragraphs(frame, vectors, kept, earlier), placed)


def test_a_paragraph_placed_before_stays_marked_placed():
    rng = np.random.default_rng(1)
    kept_vectors, earlier = two_groups(rng)
    earlier["placed"] = [True] + [False] * 39
    frame = pd.DataFrame({"paragraph_id": range(40)})
    placed = place_paragraphs(frame, kept_vectors, np.ones(40, bool), earlier)
    assert placed["placed"].tolist() == [True] + [False] * 39
    assert placed_summary(placed) == {"laid_out": 39, "placed": 1, "placed_share": 0.025,
                                      "relayout_advised": False}
    assert placed_summary(placed, relayout_advice=0.01)["relayout_advised"]


def test_nearest_orders_by_distance_and_breaks_ties_by_row():
    kept = unit([[1, 0], [0, 1], [1, 0], [-1, 0]])
    rows, distances = nearest(unit([[1, 0.1]]), kept, k=3)
    assert rows.tolist() == [[0, 2, 1]]
    assert distances[0, 0] == pytest.approx(distances[0, 1])
    assert distances[0, 1] < distances[0, 2]
    assert weights_of(distances)[0, 0] == 1.0
    # Fewer kept paragraphs than k: all of them.
    assert nearest(unit([[1, 0]]), kept[:2], k=15)[0].tolist() == [[0, 1]]


def test_placing_needs_an_earlier_map():
    with pytest.raises(ValueError, match="at least one paragraph"):
        place_paragraphs(pd.DataFrame({"a": [1]}), unit([[1, 0]]), np.zeros(1, bool),
                         pd.DataFrame({"x": [], "y": [], "cluster": [], "outlier": []}))


def test_a_tied_vote_goes_to_the_nearest_neighbour_s_cluster():
    # Two kept paragraphs at the same distance in two clusters: the lower row counts as nearer.
    earlier = pd.DataFrame({"x": [0.0, 10.0], "y": [0.0, 10.0], "cluster": [7, 3],
                            "outlier": [False, False]})
    vectors = unit([[1, 0], [0, 1], [1, 1]])
    placed = place_paragraphs(pd.DataFrame({"paragraph_id": ["a", "b", "c"]}), vectors,
                              np.array([True, True, False]), earlier, k=2)
    assert placed["cluster"].tolist() == [7, 3, 7]
    assert placed["x"].iloc[2] == pytest.approx(5.0)
