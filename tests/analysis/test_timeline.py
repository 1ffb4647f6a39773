import pandas as pd
import pytest

from framing_atlas.analysis.stats import MIN_ARTICLES
from framing_atlas.analysis.timeline import theme_timeline


def paragraphs():
    return pd.DataFrame({
        "article_id": ["a1", "a2", "a3", "a4", "a4", "a5", "b1", "b2"],
        "outlet": ["A"] * 6 + ["B"] * 2,
        "published": pd.to_datetime(["2026-01-05", "2026-01-06", "2026-01-07", "2026-01-12",
                                     "2026-01-13", None, "2026-01-05", "2026-01-11"]),
        "theme": ["x", "x", "y", "y", "none", "x", "x", "x"]})


def test_shares_are_of_each_outlets_own_output_by_hand():
    table = theme_timeline(paragraphs(), freq="week", min_articles=3).set_index(
        ["outlet", "period", "theme"])
    first = pd.Timestamp("2026-01-05")  # weeks start on Monday
    assert table.loc[("A", first, "x"), "count"] == 2
    assert table.loc[("A", first, "x"), "share"] == pytest.approx(2 / 3)
    assert table.loc[("A", first, "y"), "share"] == pytest.approx(1 / 3)
    assert table.loc[("A", first, "none"), "count"] == 0  # a zero, not a gap
    assert not table.loc[("A", first, "x"), "thin"]  # 3 articles
    assert table.loc[("A", first, "x"), ["total", "articles"]].tolist() == [3, 3]
    second = pd.Timestamp("2026-01-12")
    assert table.loc[("A", second, "y"), "share"] == 0.5 and table.loc[("A", second, "y"), "thin"]
    assert table.loc[("A", second, "y"), ["total", "articles"]].tolist() == [2, 1]
    assert table.loc[("B", first, "x"), "count"] == 2 and table.loc[("B", first, "x"), "share"] == 1


def test_undated_are_left_out_and_month_periods():
    table = theme_timeline(paragraphs(), freq="month")
    assert table.groupby("outlet")["count"].sum().to_dict() == {"A": 5, "B": 2}
    assert set(table["period"]) == {pd.Timestamp("2026-01-01")}


def test_thin_cells_count_articles_not_paragraphs():
    # One long article of 25 paragraphs in a week is one article: too few for a share to read,
    # however many paragraphs it has. Ten one-paragraph articles are enough.
    week = pd.Timestamp("2026-01-05")
    long = pd.DataFrame({"article_id": "long", "outlet": "Lone Wire (fictional)",
                         "published": week, "theme": ["x"] * 10 + ["y"] * 15})
    short = pd.DataFrame({"article_id": [f"s{i}" for i in range(10)],
                          "outlet": "Many Post (fictional)", "published": week,
                          "theme": ["x"] * 4 + ["y"] * 6})
    table = theme_timeline(pd.concat([long, short]), freq="week").set_index(["outlet", "theme"])
    assert table.loc[("Lone Wire (fictional)", "x"), ["total", "articles"]].tolist() == [25, 1]
    assert table.loc[("Lone Wire (fictional)", "x"), "thin"]
    assert table.loc[("Many Post (fictional)", "x"), "articles"] == MIN_ARTICLES
    assert not table.loc[("Many Post (fictional)", "x"), "thin"]


def test_unknown_frequency():
    with pytest.raises(ValueError, match="freq must be one of day, week, month"):
        theme_timeline(paragraphs(), freq="year")
