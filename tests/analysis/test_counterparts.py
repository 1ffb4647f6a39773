import pandas as pd

from framing_atlas.analysis.counterparts import closest_counterparts, shared_clusters, side_by_side


def paragraphs():
    return pd.DataFrame({
        "paragraph_id": [f"p{i}" for i in range(6)],
        "outlet": ["A", "A", "A", "B", "B", "B"],
        "published": pd.to_datetime(["2026-01-03", "2026-01-01", "2026-01-02", "2026-01-01",
                                     "2026-01-01", "2026-01-02"]),
        "cluster": [0, 0, 1, 1, 1, 0], "theme": ["e", "e", "x", "e", "x", "x"],
        "text": ["a", "b", "c", "d", "e", "f"]})


def test_side_by_side_in_date_order():
    left, right = side_by_side(paragraphs(), cluster=0, left="A", right="B")
    assert left["text"].tolist() == ["b", "a"] and right["text"].tolist() == ["f"]


def test_shared_clusters_are_those_both_outlets_write_in():
    rows = pd.concat([paragraphs(), paragraphs().assign(outlet="C", cluster=5)])
    assert shared_clusters(rows, left="A", right="B") == [0, 1]
    assert shared_clusters(rows, left="A", right="C") == []


def test_closest_counterpart_is_the_first_neighbour_of_the_other_outlet():
    rows = paragraphs().assign(neighbours=[["p4", "p3", "p5"], ["p1"], [], [], [], []])
    pairs = closest_counterparts(rows[rows["outlet"] == "A"], rows, outlet="B", limit=2)
    assert len(pairs) == 2
    (first, match), (second, none) = pairs
    # p4 (B) is p0's closest neighbour of another outlet; p1 is A's own, so p1 has none.
    assert first["paragraph_id"].tolist() == ["p0"] and match["paragraph_id"].tolist() == ["p4"]
    assert second["paragraph_id"].tolist() == ["p1"] and none is None
    without = closest_counterparts(paragraphs(), paragraphs(), outlet="B")
    assert len(without) == 5 and all(match is None for _, match in without)
