import pandas as pd
import pytest

from framing_atlas.analysis.stats import MIN_ARTICLES
from framing_atlas.analysis.periods import (axis_by_period, count_undated, overall_timeline,
                                            period_start, shares_by_period, theme_timeline,
                                            timeline_grid, with_intervals)
from framing_atlas.errors import AtlasError


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


# Shares and axis positions per side and period --------------------------------------------------

def sides_by_week(n_articles: int = MIN_ARTICLES):
    """Two sides, one whose name holds the label separator, over two weeks; one undated row."""
    rows = []
    for side in ("Left | Right", "Left"):
        for week, day in enumerate(["2026-01-05", "2026-01-14"]):
            for i in range(n_articles):
                rows.append({"group": side, "article_id": f"{side}-{week}-{i}",
                             "published": pd.Timestamp(day), "theme": "x" if i % 2 else "y",
                             "axis_tone": float(i % 3) - 1})
    rows.append({"group": "Left", "article_id": "undated", "published": pd.NaT, "theme": "x",
                 "axis_tone": 0.0})
    return pd.DataFrame(rows)


def test_period_codes_week_starts_monday_month_on_the_first():
    dates = pd.Series(pd.to_datetime(["2026-01-07", "2026-01-11", "2026-01-12"]))
    assert period_start(dates, "week").dt.strftime("%Y-%m-%d").tolist() == [
        "2026-01-05", "2026-01-05", "2026-01-12"]
    assert period_start(dates, "month").dt.day.tolist() == [1, 1, 1]
    with pytest.raises(ValueError):
        period_start(dates, "fortnight")


def test_shares_by_period_reads_sides_back_whatever_their_name():
    table = shares_by_period(sides_by_week(), side_col="group", category_col="theme",
                             freq="week", n_boot=50)
    assert set(zip(table["side"], table["period"].dt.strftime("%Y-%m-%d"))) == {
        ("Left | Right", "2026-01-05"), ("Left | Right", "2026-01-12"),
        ("Left", "2026-01-05"), ("Left", "2026-01-12")}
    labels = table["side"] + " | " + table["period"].dt.strftime("%Y-%m-%d")
    assert (table["group"] == labels).all()
    # The undated article counts nowhere; each cell has its own MIN_ARTICLES articles.
    assert (table["articles"] == MIN_ARTICLES).all() and not table["thin"].any()
    cell = table[(table["side"] == "Left") & (table["category"] == "x")].iloc[0]
    assert cell["share"] == pytest.approx(0.5) and cell["low"] <= 0.5 <= cell["high"]


def test_a_cell_with_few_articles_is_thin():
    table = shares_by_period(sides_by_week(n_articles=3), side_col="group", category_col="theme",
                             freq="month", n_boot=50)
    assert table["thin"].all() and table["low"].isna().all()
    assert (table["articles"] == 6).all()  # both weeks fall in one month


def test_axis_by_period_has_each_cells_mean():
    table = axis_by_period(sides_by_week(), side_col="group", axis="tone", freq="week",
                           n_boot=50)
    assert len(table) == 4 and set(table["side"]) == {"Left | Right", "Left"}
    expected = sides_by_week().query("article_id != 'undated'")["axis_tone"][:MIN_ARTICLES].mean()
    assert table["mean"].to_numpy() == pytest.approx([expected] * 4)


def test_with_intervals_joins_each_outlet_period_and_theme():
    rows = sides_by_week().rename(columns={"group": "outlet"})
    timeline = theme_timeline(rows, freq="week")
    shares = shares_by_period(rows, side_col="outlet", category_col="theme", freq="week",
                              n_boot=50)
    joined = with_intervals(timeline, shares)
    assert len(joined) == len(timeline) and joined[["low", "high"]].notna().all().all()
    one = joined.iloc[0]
    match = shares[(shares["side"] == one["outlet"]) & (shares["period"] == one["period"])
                   & (shares["category"] == one["theme"])]
    assert one["low"] == match["low"].iloc[0]


def test_timeline_grid_and_overall_by_hand():
    timeline = with_intervals(theme_timeline(paragraphs(), freq="week", min_articles=2),
                              shares_by_period(paragraphs(), side_col="outlet",
                                               category_col="theme", freq="week", n_boot=20,
                                               min_articles=2))
    grid = timeline_grid(timeline, theme="x", measure="share")
    assert list(grid.value.index) == ["A", "B"] and grid.value.shape == grid.thin.shape
    # A, week of 5 Jan: a1, a2 on x of a1, a2, a3 → 2/3; B did not publish in week 12 Jan.
    first, second = grid.value.columns
    assert grid.value.loc["A", first] == pytest.approx(2 / 3)
    assert grid.count.loc["A", first] == 2 and grid.total.loc["A", first] == 3
    assert pd.isna(grid.value.loc["B", second]) and bool(grid.thin.loc["B", second])
    overall = overall_timeline(timeline)
    week = overall[overall["period"] == first].set_index("theme")
    # Week of 5 Jan (to Sunday 11 Jan), both outlets: x in a1, a2, b1, b2; y in a3.
    assert week.loc["x", "count"] == 4 and week.loc["x", "share"] == pytest.approx(0.8)
    with pytest.raises(AtlasError):
        timeline_grid(timeline, theme="x", measure="mean")


def test_count_undated():
    assert count_undated(paragraphs()) == 1
