import pandas as pd
import pytest

from framing_atlas.timeline import theme_timeline


def paragraphs():
    return pd.DataFrame({
        "outlet": ["A"] * 6 + ["B"] * 2,
        "published": pd.to_datetime(["2026-01-05", "2026-01-06", "2026-01-07", "2026-01-12",
                                     "2026-01-13", None, "2026-01-05", "2026-01-11"]),
        "theme": ["x", "x", "y", "y", "none", "x", "x", "x"]})


def test_shares_are_of_each_outlets_own_output_by_hand():
    table = theme_timeline(paragraphs(), freq="week", min_count=3).set_index(
        ["outlet", "period", "theme"])
    first = pd.Timestamp("2026-01-05")  # weeks start on Monday
    assert table.loc[("A", first, "x"), "count"] == 2
    assert table.loc[("A", first, "x"), "share"] == pytest.approx(2 / 3)
    assert table.loc[("A", first, "y"), "share"] == pytest.approx(1 / 3)
    assert table.loc[("A", first, "none"), "count"] == 0  # a zero, not a gap
    assert not table.loc[("A", first, "x"), "thin"]
    second = pd.Timestamp("2026-01-12")
    assert table.loc[("A", second, "y"), "share"] == 0.5 and table.loc[("A", second, "y"), "thin"]
    assert table.loc[("B", first, "x"), "count"] == 2 and table.loc[("B", first, "x"), "share"] == 1


def test_undated_are_left_out_and_month_periods():
    table = theme_timeline(paragraphs(), freq="month")
    assert table.groupby("outlet")["count"].sum().to_dict() == {"A": 5, "B": 2}
    assert set(table["period"]) == {pd.Timestamp("2026-01-01")}


def test_unknown_frequency():
    with pytest.raises(ValueError, match="freq must be one of day, week, month"):
        theme_timeline(paragraphs(), freq="year")
