import pandas as pd
import pytest

from framing_atlas.analysis.overview import (article_count, cluster_centres, cluster_overview,
                                             paragraphs_per_outlet, share_grid, side_count,
                                             thin_sides)


def paragraphs():
    return pd.DataFrame({
        "article_id": ["a1", "a1", "a2", "b1", "b2", "b2"],
        "outlet": ["A", "A", "A", "B", "B", "B"],
        "published": pd.to_datetime(["2026-01-03", "2026-01-03", "2026-01-01", "2026-01-02",
                                     None, None]),
        "cluster": [0, 1, 0, 0, 1, 1], "text": list("abcdef"),
        "x": [0.0, 5.0, 2.0, 4.0, 6.0, 7.0], "y": [1.0, 0.0, 1.0, 3.0, 0.0, 2.0]})


def clusters():
    return pd.DataFrame({"cluster": [0, 1, 2], "label": ["zero", "one", "two"],
                         "size": [30, 20, 10]})


def test_cluster_overview_by_hand():
    overview = cluster_overview(paragraphs(), clusters())
    assert overview.columns.tolist() == ["cluster", "label", "in view", "in whole atlas",
                                         "outlets", "first", "last"]
    assert overview.to_dict("records") == [
        {"cluster": 0, "label": "zero", "in view": 3, "in whole atlas": 30, "outlets": 2,
         "first": "2026-01-01", "last": "2026-01-03"},
        {"cluster": 1, "label": "one", "in view": 3, "in whole atlas": 20, "outlets": 2,
         "first": "2026-01-03", "last": "2026-01-03"}]


def test_counts():
    rows = paragraphs()
    assert paragraphs_per_outlet(rows).to_dict() == {"A": 3, "B": 3}
    assert side_count(rows) == 2 and side_count(rows.head(2)) == 1
    assert article_count(rows, side_col="outlet", side="B") == 2
    assert thin_sides(rows, min_articles=2) == [] and thin_sides(rows, min_articles=3) == ["A", "B"]
    assert thin_sides(rows.iloc[:4], min_articles=2) == ["B"]


def test_cluster_centres_are_medians():
    centres = cluster_centres(paragraphs())
    assert centres.loc[0].tolist() == pytest.approx([2.0, 1.0])
    assert centres.loc[1].tolist() == pytest.approx([6.0, 0.0])


def test_share_grid():
    shares = pd.DataFrame({"outlet": ["A", "A", "B", "B"], "category": [0, 1, 0, 1],
                           "share": [0.25, 0.75, 1.0, 0.0]})
    grid = share_grid(shares, "share")
    assert grid.loc["A", 1] == 0.75 and list(grid.index) == ["A", "B"]
