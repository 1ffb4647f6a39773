import pandas as pd
import pytest

from framing_atlas.compare import share_matrix, shares, side_by_side, theme_frames


def paragraphs():
    return pd.DataFrame({
        "paragraph_id": [f"p{i}" for i in range(6)],
        "outlet": ["A", "A", "A", "B", "B", "B"],
        "published": pd.to_datetime(["2026-01-03", "2026-01-01", "2026-01-02", "2026-01-01",
                                     "2026-01-01", "2026-01-02"]),
        "cluster": [0, 0, 1, 1, 1, 0], "theme": ["e", "e", "x", "e", "x", "x"],
        "text": ["a", "b", "c", "d", "e", "f"]})


def test_shares_by_hand():
    table = shares(paragraphs(), "cluster").set_index(["outlet", "cluster"])
    assert table.loc[("A", 0), "share"] == pytest.approx(2 / 3)
    assert table.loc[("B", 1), "paragraphs"] == 2 and table.loc[("B", 1), "outlet_total"] == 3
    assert table["thin"].all()  # 3 paragraphs each: below the minimum


def test_matrix_fills_missing_with_zero():
    matrix = share_matrix(paragraphs().query("cluster == 0 or outlet == 'B'"), "cluster")
    assert matrix.loc["A", 1] == 0 and matrix.loc["A", 0] == 1


def test_theme_frames_and_side_by_side():
    frames = theme_frames(paragraphs(), "e").set_index(["outlet", "cluster"])
    assert frames.loc[("A", 0), "share"] == 1 and frames.loc[("B", 1), "share"] == 1
    left, right = side_by_side(paragraphs(), cluster=0, left="A", right="B")
    assert left["text"].tolist() == ["b", "a"] and right["text"].tolist() == ["f"]
