import pandas as pd

from framing_atlas.analysis.compare import side_by_side


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
