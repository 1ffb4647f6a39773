import numpy as np
import pandas as pd
import pytest
from scipy.stats import norm

from framing_atlas.analysis.quantify import (EXPORT_COLUMNS, MIN_GAP, QUANTIFY_COLUMNS,
                                             ErrorRates, adjust_share, corrected_shares,
                                             corrected_shares_by_period, error_rates,
                                             export_shares, label_draws)
from framing_atlas.analysis.stats import MIN_ARTICLES
from framing_atlas.errors import AtlasError

# A simulated detector with known error rates: scores ~ N(0, 1) off the theme and N(MU, 1) on
# it, marked from THRESHOLD, so FPR = P(N(0,1) ≥ T) = 0.1 and TPR = P(N(MU,1) ≥ T) = 0.7.
TPR, FPR = 0.7, 0.1
THRESHOLD = float(norm.ppf(1 - FPR))
MU = THRESHOLD - float(norm.ppf(1 - TPR))


def detector_scores(truth: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    return rng.normal(np.where(truth, MU, 0.0), 1.0)


def labelled_set(positives: int, negatives: int, rng: np.random.Generator) -> ErrorRates:
    """A labelled set with its out-of-fold scores, as the build stores it."""
    truth = np.r_[np.ones(positives, dtype=int), np.zeros(negatives, dtype=int)]
    return ErrorRates.from_oof(detector_scores(truth.astype(bool), rng), truth,
                               np.ones(len(truth)), threshold=THRESHOLD)


def synthetic_corpus(prevalences: dict[str, float], *, articles: int,
                     rng: np.random.Generator) -> pd.DataFrame:
    """Fictional outlets whose paragraphs are on theme `x` with a known prevalence. Articles
    differ in how much they dwell on it (each article's own rate ~ Beta with the outlet's mean),
    so paragraphs of one article are alike, as in real news."""
    frames = []
    for outlet, prevalence in prevalences.items():
        own = rng.beta(4 * prevalence, 4 * (1 - prevalence), size=articles)
        sizes = rng.integers(1, 9, size=articles)
        article = np.repeat(np.arange(articles), sizes)
        truth = rng.random(len(article)) < own[article]
        frames.append(pd.DataFrame({
            "outlet": outlet, "article_id": [f"{outlet}-{a}" for a in article],
            "truth": truth, "has_x": detector_scores(truth, rng) >= THRESHOLD}))
    return pd.concat(frames, ignore_index=True)


def small_frame() -> pd.DataFrame:
    """Two fictional outlets, 12 articles each, every article 2 paragraphs."""
    rows = []
    for outlet, hits in (("Gazette", [1, 1, 0, 0, 0, 0]), ("Courier", [1, 0, 0])):
        for a in range(12):
            for p in range(2):
                rows.append({"outlet": outlet, "article_id": f"{outlet}{a}",
                             "has_x": bool(hits[(2 * a + p) % len(hits)]),
                             "has_y": (a + p) % 4 == 0})
    return pd.DataFrame(rows)


def good_rates() -> dict[str, ErrorRates]:
    return {"x": labelled_set(200, 200, np.random.default_rng(3)),
            "y": labelled_set(200, 200, np.random.default_rng(4))}


# The synthetic-prevalence test ------------------------------------------------------------------

def test_corrected_share_recovers_a_known_prevalence_where_the_raw_share_does_not():
    # Raw share on average = FPR + p (TPR − FPR) = 0.1 + 0.6 p: 0.13, 0.40, 0.58 for the
    # prevalences below; the raw share is only right near p = 0.25, so these stay clear of it.
    truth = {"Lowland Herald": 0.05, "Midtown Post": 0.50, "Upland Ledger": 0.80}
    rng = np.random.default_rng(11)
    paragraphs = synthetic_corpus(truth, articles=400, rng=rng)
    rates = {"x": labelled_set(300, 300, rng)}
    table = corrected_shares(paragraphs, rates, group_col="outlet", n_boot=500, seed=5)
    assert table["group"].tolist() == sorted(truth)
    for row in table.itertuples():
        p = truth[row.group]
        # The corrected share: its 95% interval holds the truth, and it is closer than raw.
        assert row.corrected_low <= p <= row.corrected_high, row
        assert abs(row.corrected - p) < abs(row.share - p), row
        # The raw share misses by more than the tolerance, with an interval that excludes it.
        assert abs(row.share - p) > 0.05, row
        assert not row.low <= p <= row.high, row
        assert not row.thin and row.note == ""
    # Over the three outlets the corrected share is off by less than 0.05 on average (about
    # 0.03 typically at these sizes), the raw one by more than 0.1.
    errors = table.set_index("group")[["corrected", "share"]].sub(pd.Series(truth), axis=0)
    assert errors["corrected"].abs().mean() < 0.05
    assert errors["share"].abs().mean() > 0.1
    # (Run over 40 seeds of corpus and labels, the 95% intervals held all three truths in 34:
    # they are intervals, not guarantees; the other claims held in all but one.)


def test_corrected_intervals_cover_the_truth_as_often_as_they_claim():
    # Over many synthetic corpora, each with its own small labelled set, the 90% corrected
    # interval holds the true prevalence in about 90% of them; the raw one hardly ever.
    covered = raw_covered = 0
    runs = 60
    for run in range(runs):
        rng = np.random.default_rng(1000 + run)
        paragraphs = synthetic_corpus({"Gazette": 0.6}, articles=150, rng=rng)
        rates = {"x": labelled_set(60, 60, rng)}
        row = corrected_shares(paragraphs, rates, group_col="outlet", n_boot=300, seed=run,
                               level=0.9).iloc[0]
        covered += row.corrected_low <= 0.6 <= row.corrected_high
        raw_covered += row.low <= 0.6 <= row.high
    assert covered / runs >= 0.8
    assert raw_covered / runs <= 0.1


def test_the_corrected_interval_carries_the_labelled_sets_uncertainty():
    paragraphs = synthetic_corpus({"Gazette": 0.4}, articles=300, rng=np.random.default_rng(2))
    width = {}
    raw = {}
    for size in (30, 3000):
        rates = {"x": labelled_set(size, size, np.random.default_rng(9))}
        row = corrected_shares(paragraphs, rates, group_col="outlet", n_boot=400, seed=1).iloc[0]
        width[size] = row.corrected_high - row.corrected_low
        raw[size] = (row.low, row.high)
    assert width[30] > 1.5 * width[3000]
    assert raw[30] == raw[3000]  # the articles' resamples do not depend on the labelled set


# Adjusted classify-and-count --------------------------------------------------------------------

def test_adjust_share_by_hand_and_clipped():
    # (0.4 − 0.1) / (0.7 − 0.1) = 0.5
    assert adjust_share(0.4, 0.7, 0.1) == pytest.approx(0.5)
    assert adjust_share(0.05, 0.7, 0.1) == 0.0  # below the false-positive rate
    assert adjust_share(0.9, 0.7, 0.1) == 1.0  # above the true-positive rate
    values = adjust_share(np.array([0.1, 0.4, 0.7]), 0.7, 0.1)
    assert values.tolist() == pytest.approx([0.0, 0.5, 1.0])


def test_adjust_share_gives_nan_when_tpr_and_fpr_are_too_close():
    assert np.isnan(adjust_share(0.4, 0.35, 0.3))  # gap 0.05 < MIN_GAP
    assert np.isnan(adjust_share(0.4, 0.3, 0.35))  # negative gap
    assert np.isnan(adjust_share(0.4, np.nan, 0.1))
    assert not np.isnan(adjust_share(0.4, 0.1 + MIN_GAP, 0.1))
    assert np.isnan(adjust_share(0.4, 0.5, 0.1, min_gap=0.5))


def test_a_detector_that_cannot_tell_the_theme_apart_gives_no_corrected_share_and_says_why():
    rng = np.random.default_rng(0)
    truth = np.r_[np.ones(200, dtype=int), np.zeros(200, dtype=int)]
    blind = ErrorRates.from_oof(rng.normal(size=400), truth, threshold=0.5)  # tpr ≈ fpr
    assert abs(blind.tpr - blind.fpr) < MIN_GAP
    assert "TPR" in blind.problem() and "no correction" in blind.problem()
    table = corrected_shares(small_frame(), {"x": blind}, group_col="outlet", themes=["x"],
                             n_boot=50)
    assert table["corrected"].isna().all()
    assert table[["corrected_low", "corrected_high"]].isna().all().all()
    assert table["note"].str.contains("TPR").all() and table["note"].str.contains("below").all()
    assert table[["share", "low", "high"]].notna().all().all()  # the raw share is still there


def test_clipping_is_said_in_the_note():
    frame = small_frame().assign(has_x=False)  # no detection at all: below any FPR
    table = corrected_shares(frame, good_rates(), group_col="outlet", themes=["x"], n_boot=50)
    assert (table["share"] == 0).all() and (table["corrected"] == 0).all()
    assert table["note"].str.startswith("clipped to 0").all()


def test_a_theme_without_rates_has_only_its_raw_share():
    table = corrected_shares(small_frame(), {"x": good_rates()["x"]}, group_col="outlet",
                             n_boot=50).set_index(["group", "theme"])
    assert table.loc[("Gazette", "y"), "corrected"] != table.loc[("Gazette", "y"), "corrected"]
    assert "no error rates" in table.loc[("Gazette", "y"), "note"]
    assert np.isfinite(table.loc[("Gazette", "x"), "corrected"])


def test_resamples_where_the_rates_collapse_widen_the_interval_and_are_counted():
    # Few labelled paragraphs and a gap just above MIN_GAP: some resamples fall below it.
    rng = np.random.default_rng(6)
    truth = np.r_[np.ones(15, dtype=int), np.zeros(15, dtype=int)]
    detected_pos = np.r_[np.ones(4), np.zeros(11)]  # tpr = 4/15 ≈ 0.27
    detected_neg = np.r_[np.ones(2), np.zeros(13)]  # fpr = 2/15 ≈ 0.13
    rates = ErrorRates.from_oof(np.r_[detected_pos, detected_neg], truth, threshold=0.5)
    assert rates.problem() is None
    paragraphs = synthetic_corpus({"Gazette": 0.3}, articles=200, rng=rng)
    row = corrected_shares(paragraphs, {"x": rates}, group_col="outlet", n_boot=400).iloc[0]
    assert "of the resamples of the labelled set" in row.note
    assert row.corrected_low <= row.corrected <= row.corrected_high


# Groups, thin groups, seeds ---------------------------------------------------------------------

def test_table_by_hand_multi_label_and_columns():
    table = corrected_shares(small_frame(), good_rates(), group_col="outlet", n_boot=50)
    assert table.columns.tolist() == QUANTIFY_COLUMNS
    assert table["theme"].tolist() == ["x", "y", "x", "y"]  # the in_ columns, in order
    rows = table.set_index(["group", "theme"])
    # Courier: hits repeat 1, 0, 0 over its 24 paragraphs: 8 detected. Gazette: 1, 1, 0, 0, 0, 0.
    assert rows.loc[("Courier", "x"), ["total", "paragraphs", "articles"]].tolist() == [24, 8, 12]
    assert rows.loc[("Courier", "x"), "share"] == pytest.approx(1 / 3)
    assert rows.loc[("Gazette", "x"), "share"] == pytest.approx(1 / 3)
    rates = good_rates()["x"]
    assert rows.loc[("Courier", "x"), "corrected"] == pytest.approx(
        (1 / 3 - rates.fpr) / (rates.tpr - rates.fpr))
    # A paragraph may carry both themes: the shares need not add up to 1.
    assert rows.loc[("Gazette", "y"), "paragraphs"] == 6
    assert (rows["low"] <= rows["share"]).all() and (rows["share"] <= rows["high"]).all()


def test_thin_groups_keep_their_shares_without_intervals():
    frame = small_frame()
    few = frame[frame["article_id"].isin([f"Courier{a}" for a in range(MIN_ARTICLES - 1)])
                | (frame["outlet"] == "Gazette")]
    table = corrected_shares(few, good_rates(), group_col="outlet", n_boot=50).set_index("group")
    assert table.loc["Courier", "thin"].all() and not table.loc["Gazette", "thin"].any()
    interval = ["low", "high", "corrected_low", "corrected_high"]
    assert table.loc["Courier", interval].isna().all().all()
    assert table.loc["Courier", ["share", "corrected"]].notna().all().all()
    assert table.loc["Gazette", interval].notna().all().all()


def test_seeds_make_the_table_reproducible():
    paragraphs = synthetic_corpus({"A": 0.2, "B": 0.6}, articles=60,
                                  rng=np.random.default_rng(8))
    rates = {"x": labelled_set(50, 50, np.random.default_rng(1))}
    first = corrected_shares(paragraphs, rates, group_col="outlet", n_boot=200, seed=4)
    again = corrected_shares(paragraphs, rates, group_col="outlet", n_boot=200, seed=4)
    other = corrected_shares(paragraphs, rates, group_col="outlet", n_boot=200, seed=5)
    pd.testing.assert_frame_equal(first, again)
    assert first["corrected"].tolist() == other["corrected"].tolist()
    assert first["corrected_low"].tolist() != other["corrected_low"].tolist()


def test_large_groups_are_resampled_in_chunks_without_changing_the_draws():
    from framing_atlas.analysis.quantify import _resampled_shares

    total = np.array([2.0, 1.0, 3.0, 4.0])
    detected = np.array([[1.0], [0.0], [3.0], [0.0]])
    whole = _resampled_shares(total, detected, n_boot=40, rng=np.random.default_rng(0))
    chunked = _resampled_shares(total, detected, n_boot=40, rng=np.random.default_rng(0),
                                cells=8)  # two resamples at a time
    assert chunked.shape == (40, 1) and (whole == chunked).all()
    assert len(set(whole.ravel())) > 5  # resamples, not one share repeated


# Error rates ------------------------------------------------------------------------------------

def test_error_rates_are_weighted_by_hand():
    # Positives: scores 0.9 (hit, weight 1) and 0.2 (miss, weight 3): TPR = 1/4.
    # Negatives: 0.8 (hit, weight 1) and 0.1 (miss, weight 1): FPR = 1/2.
    rates = ErrorRates.from_oof([0.9, 0.2, 0.8, 0.1], [1, 1, 0, 0], [1, 3, 1, 1],
                                threshold=0.5)
    assert (rates.tpr, rates.fpr, rates.positives, rates.negatives) == (0.25, 0.5, 2, 2)
    at_threshold = ErrorRates.from_oof([0.5, 0.4], [1, 0], threshold=0.5)
    assert (at_threshold.tpr, at_threshold.fpr) == (1.0, 0.0)  # score ≥ threshold is marked


def test_resampling_the_labelled_set_is_stratified_and_seeded():
    rates = ErrorRates.from_oof([0.9, 0.2, 0.8, 0.1, 0.3, 0.7], [1, 1, 0, 0, 0, 0],
                                threshold=0.5)
    tpr, fpr = rates.resample(500, rng=np.random.default_rng(0))
    assert not np.isnan(tpr).any()  # two positives, yet every resample has some
    assert set(np.round(tpr, 6)) <= {0.0, 0.5, 1.0}
    assert set(np.round(fpr, 6)) <= {0.0, 0.25, 0.5, 0.75, 1.0}
    assert tpr.mean() == pytest.approx(0.5, abs=0.06) and fpr.mean() == pytest.approx(0.5,
                                                                                      abs=0.06)
    again = rates.resample(500, rng=np.random.default_rng(0))
    assert (again[0] == tpr).all() and (again[1] == fpr).all()


def test_rates_without_positives_say_so():
    rates = ErrorRates.from_oof([0.9, 0.1], [0, 0], threshold=0.5)
    assert np.isnan(rates.tpr) and "no labelled paragraph on the theme" in rates.problem()
    table = corrected_shares(small_frame(), {"x": rates}, group_col="outlet", themes=["x"],
                             n_boot=20)
    assert table["corrected"].isna().all() and table["note"].str.contains("unknown").all()


@pytest.mark.parametrize("args, message", [
    (([0.1, 0.2], [1], None), "2 scores, 1 truths"),
    (([0.1, 0.2], [1, 2], None), "labelled example 1: 'truth' must be 0 or 1"),
    (([0.1, np.nan], [1, 0], None), "labelled example 1: 'oof_score' must be a number"),
    (([0.1, 0.2], [1, 0], [1.0, -1.0]), "'weight' must be a number above 0"),
])
def test_bad_error_rate_arrays_are_named(args, message):
    with pytest.raises(AtlasError, match="theme 'escalation'") as err:
        ErrorRates.from_oof(*args, threshold=0.5, theme="escalation")
    assert message in str(err.value)


def test_error_rates_from_stored_records():
    records = {"x": {"oof_score": [0.9, 0.2, 0.8, 0.1], "truth": [1, 1, 0, 0],
                     "weight": [1, 3, 1, 1], "threshold": 0.5},
               "y": {"oof_score": [0.9, 0.1], "truth": [1, 0], "threshold": 0.5}}
    rates = error_rates(records)
    assert (rates["x"].tpr, rates["y"].tpr, rates["y"].fpr) == (0.25, 1.0, 0.0)
    with pytest.raises(AtlasError, match="theme 'z': the error-rate record lacks threshold"):
        error_rates({"z": {"oof_score": [0.1], "truth": [1]}})


# Bad paragraphs ---------------------------------------------------------------------------------

def test_a_missing_in_column_is_named():
    with pytest.raises(AtlasError, match="has_z"):
        corrected_shares(small_frame(), good_rates(), group_col="outlet", themes=["z"])


def test_a_detection_that_is_not_true_or_false_is_named_with_its_row():
    frame = small_frame().astype({"has_x": object})
    frame.loc[5, "has_x"] = None
    with pytest.raises(AtlasError,
                       match=r"row 5: column 'has_x': corrected_shares: not true or false: None"):
        corrected_shares(frame, good_rates(), group_col="outlet")


def test_an_article_in_two_groups_is_refused():
    frame = small_frame()
    frame.loc[0, "outlet"] = "Courier"  # Gazette0's first paragraph
    with pytest.raises(AtlasError, match="Gazette0"):
        corrected_shares(frame, good_rates(), group_col="outlet")


def test_no_paragraphs_give_an_empty_table():
    table = corrected_shares(small_frame().iloc[:0], good_rates(), group_col="outlet")
    assert table.empty and table.columns.tolist() == QUANTIFY_COLUMNS


# Periods and export -----------------------------------------------------------------------------

def dated(frame: pd.DataFrame) -> pd.DataFrame:
    # First six articles of each outlet in the week of 5 January 2026, the rest the next week.
    number = frame["article_id"].str.extract(r"(\d+)$")[0].astype(int)
    return frame.assign(published=pd.to_datetime("2026-01-05")
                        + pd.to_timedelta(np.where(number < 6, 1, 8), unit="D"))


def test_by_period_one_row_per_side_period_theme():
    frame = dated(small_frame())
    frame.loc[frame["article_id"] == "Gazette11", "published"] = pd.NaT  # left out
    table = corrected_shares_by_period(frame, good_rates(), side_col="outlet", freq="week",
                                       n_boot=50, min_articles=3)
    assert table.columns.tolist() == QUANTIFY_COLUMNS + ["side", "period"]
    assert len(table) == 2 * 2 * 2
    weeks = table.set_index(["side", "period", "theme"])
    second = pd.Timestamp("2026-01-12")
    assert weeks.loc[("Gazette", second, "x"), ["total", "articles"]].tolist() == [10, 5]
    assert weeks.loc[("Courier", pd.Timestamp("2026-01-05"), "x"), "group"] == \
        "Courier | 2026-01-05"
    assert weeks[["low", "corrected_low"]].notna().all().all()


def test_one_period_gives_the_same_numbers_as_the_whole():
    frame = small_frame().assign(published=pd.Timestamp("2026-01-06"))
    # A group's articles are drawn from a stream named by the group: here the cell's label.
    as_cells = frame.assign(outlet=frame["outlet"] + " | 2026-01-05")
    whole = corrected_shares(as_cells, good_rates(), group_col="outlet", n_boot=80, seed=3)
    weekly = corrected_shares_by_period(frame, good_rates(), side_col="outlet", freq="week",
                                        n_boot=80, seed=3)
    pd.testing.assert_frame_equal(whole, weekly[QUANTIFY_COLUMNS])
    assert weekly["side"].tolist() == [o for o in ("Courier", "Gazette") for _ in ("x", "y")]


def test_a_group_s_intervals_do_not_move_when_other_groups_are_filtered_out():
    frame = dated(small_frame())
    rates = good_rates()
    whole = corrected_shares(frame, rates, group_col="outlet", n_boot=60, seed=2)
    one = corrected_shares(frame[frame["outlet"] == "Gazette"], rates, group_col="outlet",
                           n_boot=60, seed=2)
    pd.testing.assert_frame_equal(one, whole[whole["group"] == "Gazette"].reset_index(drop=True))
    # The dashboard's way: one call per side, the labelled set drawn once for all of them.
    draws = label_draws(rates, ["x", "y"], n_boot=60, seed=2)
    by_week = corrected_shares_by_period(frame, rates, side_col="outlet", freq="week",
                                         n_boot=60, seed=2)
    per_side = pd.concat([corrected_shares_by_period(part, rates, side_col="outlet",
                                                     freq="week", n_boot=60, seed=2,
                                                     draws=draws)
                          for _, part in frame.groupby("outlet")], ignore_index=True)
    pd.testing.assert_frame_equal(per_side, by_week)
    with pytest.raises(AtlasError, match="label draws were made for other themes"):
        corrected_shares(frame, rates, group_col="outlet", n_boot=50, draws=draws)


def test_export_puts_raw_and_corrected_side_by_side():
    rates = good_rates()
    table = corrected_shares(small_frame(), rates, group_col="outlet", n_boot=50)
    exported = export_shares(table, rates)
    assert exported.columns.tolist() == EXPORT_COLUMNS
    assert exported["raw_share"].tolist() == table["share"].tolist()
    assert exported["corrected_high"].tolist() == table["corrected_high"].tolist()
    assert exported["labelled_positives"].tolist() == [200] * 4
    assert export_shares(table)["labelled_negatives"].isna().all()
    by_week = corrected_shares_by_period(dated(small_frame()), rates, side_col="outlet",
                                         freq="week", n_boot=20)
    weekly = export_shares(by_week, rates)
    assert weekly.columns.tolist() == ["side", "period"] + EXPORT_COLUMNS[1:]
    assert set(weekly["period"]) == {"2026-01-05", "2026-01-12"}


@pytest.mark.parametrize("options, message", [
    ({"min_gap": 0}, "min_gap must be above 0"),
    ({"level": 1.5}, "level must be between 0 and 1"),
    ({"n_boot": 0}, "n_boot must be ≥ 1"),
])
def test_bad_options_are_named(options, message):
    with pytest.raises(AtlasError, match=message):
        corrected_shares(small_frame(), good_rates(), group_col="outlet", **options)


def test_estimates_in_the_shapes_the_pages_draw():
    from framing_atlas.analysis.periods import timeline_grid
    from framing_atlas.analysis.quantify import as_timeline, pick_estimate, side_by_side

    table = corrected_shares(small_frame(), good_rates(), group_col="outlet", n_boot=50)
    corrected = pick_estimate(table, "corrected")
    assert corrected["share"].tolist() == table["corrected"].tolist()
    assert corrected["high"].tolist() == table["corrected_high"].tolist()
    assert pick_estimate(table, "raw")["low"].tolist() == table["low"].tolist()
    with pytest.raises(AtlasError, match="estimate must be one of raw, corrected"):
        pick_estimate(table, "adjusted")
    both = side_by_side(table)
    assert len(both) == 2 * len(table)
    assert both[["group", "theme", "estimate"]].head(2).values.tolist() == [
        ["Courier", "x", "raw"], ["Courier", "x", "corrected"]]
    assert both["share"].iloc[1] == table["corrected"].iloc[0]

    by_week = corrected_shares_by_period(dated(small_frame()), good_rates(), side_col="outlet",
                                         freq="week", n_boot=50, min_articles=3)
    timeline = as_timeline(by_week, estimate="corrected")
    assert timeline.columns.tolist() == ["outlet", "period", "theme", "count", "total",
                                         "articles", "share", "thin", "low", "high"]
    grid = timeline_grid(timeline, theme="x", measure="share")
    row = by_week[(by_week["side"] == "Gazette") & (by_week["theme"] == "x")].iloc[0]
    assert grid.value.loc["Gazette", row.period] == row.corrected
    assert grid.count.loc["Gazette", row.period] == pytest.approx(row.corrected * row.total)
    raw = timeline_grid(as_timeline(by_week, estimate="raw"), theme="x", measure="count")
    assert raw.value.loc["Gazette", row.period] == row.paragraphs
