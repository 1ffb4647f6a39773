import numpy as np
import pandas as pd
import pytest

from framing_atlas.analysis.quantify import (adjust_share, corrected_shares,
                                             corrected_shares_by_period)
from framing_atlas.analysis.stats import TOO_FEW
from framing_atlas.analysis.theme_shares import (chart_rows, detector_lines, has_correction,
                                                 missing_detections, over_time,
                                                 overall_by_period, shown_estimate,
                                                 theme_notes, timeline_cells)
from framing_atlas.errors import AtlasError
from test_quantify import dated, good_rates, small_frame


def shares(**options) -> pd.DataFrame:
    """Theme x with error rates, theme y without: its raw share only."""
    return corrected_shares(small_frame(), {"x": good_rates()["x"]}, group_col="outlet",
                            n_boot=50, **options)


def by_week() -> pd.DataFrame:
    return corrected_shares_by_period(dated(small_frame()), {"x": good_rates()["x"]},
                                      side_col="outlet", freq="week", n_boot=50, min_articles=3)


def test_chart_rows_set_raw_beside_corrected_with_their_intervals():
    table = shares()
    rows = chart_rows(table)
    assert len(rows) == 2 * len(table)
    gazette_x = rows[(rows["group"] == "Gazette") & (rows["theme"] == "x")]
    raw, corrected = gazette_x.itertuples()
    source = table[(table["group"] == "Gazette") & (table["theme"] == "x")].iloc[0]
    assert (raw.estimate, corrected.estimate) == ("raw", "corrected for error")
    assert raw.share == source.share and corrected.share == source.corrected
    assert corrected.plus == pytest.approx(source.corrected_high - source.corrected)
    assert corrected.minus == pytest.approx(source.corrected - source.corrected_low)
    assert corrected.interval == (f"{source.corrected:.1%} [{source.corrected_low:.1%}–"
                                  f"{source.corrected_high:.1%}]")
    # Both estimates in every hover, whichever bar it is.
    assert raw.corrected_text == corrected.interval and corrected.raw == raw.interval
    assert raw.mark == corrected.mark == ""


def test_a_theme_without_rates_is_marked_and_its_note_kept():
    rows = chart_rows(shares())
    y = rows[rows["theme"] == "y"]
    assert y.loc[y["estimate"] == "raw", "share"].notna().all()
    missing = y[y["estimate"] == "corrected for error"]
    assert missing["share"].isna().all() and (missing["mark"] == "no correction").all()
    assert (missing["interval"] == "no correction").all()
    assert (missing[["plus", "minus"]] == 0).all().all()
    notes = theme_notes(shares())
    assert list(notes) == ["y"] and notes["y"].startswith("no correction: no error rates")
    assert has_correction(shares(), "x") and not has_correction(shares(), "y")
    assert shown_estimate(shares(), "x", "corrected") == "corrected"
    assert shown_estimate(shares(), "y", "corrected") == "raw"
    assert shown_estimate(shares(), "x", "raw") == "raw"
    with pytest.raises(AtlasError, match="estimate must be one of"):
        shown_estimate(shares(), "x", "adjusted")


def test_thin_groups_are_marked_on_both_bars():
    rows = chart_rows(shares(min_articles=13))  # 12 articles each: both thin
    assert (rows["mark"].where(rows["share"].notna(), TOO_FEW) == TOO_FEW).all()
    assert rows.loc[rows["share"].notna(), "interval"].str.endswith(f"({TOO_FEW})").all()


def test_clipping_notes_stay_with_their_group_not_the_theme():
    table = shares()
    clipped = table.assign(note=np.where(table["theme"] == "x",
                                         "clipped to 0: the raw share 1.0% is below the "
                                         "false-positive rate 9.0%", table["note"]))
    assert list(theme_notes(clipped)) == ["y"]
    collapsed = table.assign(note=np.where(
        table["theme"] == "x", "in 2.0% of the resamples of the labelled set TPR − FPR fell "
        "below 0.10; the interval counts them as anywhere in [0, 1]; clipped to 1: the raw "
        "share 80.0% is above the true-positive rate 70.0%", table["note"]))
    assert theme_notes(collapsed)["x"] == ("in 2.0% of the resamples of the labelled set TPR − "
                                           "FPR fell below 0.10; the interval counts them as "
                                           "anywhere in [0, 1]")


def test_overall_corrects_the_pooled_share():
    table = by_week()
    raw = overall_by_period(table, estimate="raw")
    corrected = overall_by_period(table, estimate="corrected")
    week = table[(table["theme"] == "x") & (table["period"] == table["period"].min())]
    pooled = week["paragraphs"].sum() / week["total"].sum()
    first = lambda t: t[(t["theme"] == "x")].iloc[0]  # noqa: E731
    assert first(raw)["share"] == pytest.approx(pooled)
    assert first(raw)["count"] == week["paragraphs"].sum()
    rates = good_rates()["x"]
    assert first(corrected)["share"] == pytest.approx(float(adjust_share(pooled, rates.tpr,
                                                                         rates.fpr)))
    assert first(corrected)["count"] == pytest.approx(first(corrected)["share"]
                                                      * week["total"].sum())
    assert corrected.loc[corrected["theme"] == "y", "share"].isna().all()
    with pytest.raises(AtlasError):
        overall_by_period(table, estimate="best")


def test_timeline_cells_say_both_estimates():
    table = by_week()
    cells = timeline_cells(table, theme="x", estimate="corrected", measure="share")
    row = table[(table["side"] == "Gazette") & (table["theme"] == "x")].iloc[0]
    assert cells.grid.value.loc["Gazette", row.period] == row.corrected
    text = cells.text.loc["Gazette", row.period]
    assert text.startswith(f"{row.paragraphs}/{row.total}<br>corr. {row.corrected:.0%}")
    hover = cells.hover.loc["Gazette", row.period]
    assert f"raw: {row.share:.0%} [{row.low:.0%}–{row.high:.0%}]" in hover
    assert (f"corrected: {row.corrected:.0%} [{row.corrected_low:.0%}–"
            f"{row.corrected_high:.0%}]") in hover
    assert f"articles: {row.articles}" in hover
    raw = timeline_cells(table, theme="x", estimate="raw", measure="share")
    assert raw.grid.value.loc["Gazette", row.period] == row.share
    assert raw.text.loc["Gazette", row.period] == text  # the cell says both either way
    without = timeline_cells(table, theme="y", estimate="raw", measure="count")
    y_row = table[(table["side"] == "Gazette") & (table["theme"] == "y")].iloc[0]
    assert without.text.loc["Gazette", y_row.period] == f"{y_row.paragraphs}/{y_row.total}"
    assert "corrected: no correction" in without.hover.loc["Gazette", y_row.period]
    assert cells.text.shape == cells.grid.value.shape == cells.hover.shape


def test_over_time_picks_the_estimate_and_keeps_both_for_the_hover():
    table = by_week()
    rows = over_time(table, theme="x", estimate="corrected")
    part = table[table["theme"] == "x"].sort_values(["period", "side"])
    assert rows["value"].tolist() == part["corrected"].tolist()
    assert rows["period"].tolist() == part["period"].dt.strftime("%Y-%m-%d").tolist()
    assert {"raw", "corrected_text", "side", "low", "high"} <= set(rows.columns)
    assert over_time(table, theme="x", estimate="raw")["value"].tolist() == \
        part["share"].tolist()


def test_detector_lines_in_plain_words():
    themes = [{"name": "information_warfare",
               "detector": {"method": "classifier", "n_labels": 40, "n_positive": 12,
                            "precision": 0.8, "recall": 0.75, "fpr": 0.05,
                            "oof": {"score": [0.1] * 40, "truth": [0] * 40}}},
              {"name": "brand_new", "detector": {"method": "centroid", "n_labels": 0,
                                                 "oof": {"score": []}}},
              {"name": "older"}]
    lines = detector_lines(themes)
    assert lines[0] == ("information warfare: classifier detector, error rates cross-validated "
                        "on 40 labelled paragraphs (12 on the theme): precision 80%, recall "
                        "75%, it marks 5.0% of the paragraphs off the theme.")
    assert lines[1].startswith("brand new: no labelled paragraphs yet")
    assert lines[2].startswith("older: no labelled paragraphs yet")


def test_missing_detections_are_named():
    frame = small_frame()
    assert missing_detections(frame, ["x", "y"]) == []
    assert missing_detections(frame, ["x", "z"]) == ["z"]
