"""Each theme's detector in figures (Themes page, `framing-atlas labels`), and the export."""

import pandas as pd

from framing_atlas.store import IN_THEME, LABELLED_AT, TEXT, TEXT_HASH, THEME, text_hash
from framing_atlas.views.labels import (DESCRIPTION_ONLY, changed_since_build, judgements,
                                        labels_note, other_themes, quality_long, summary_lines,
                                        theme_summary)


def labels(*rows) -> pd.DataFrame:
    return pd.DataFrame({TEXT_HASH: [text_hash(r[2]) for r in rows], THEME: [r[0] for r in rows],
                         IN_THEME: pd.Series([r[1] for r in rows], dtype="int8"),
                         TEXT: [r[2] for r in rows], LABELLED_AT: "2026-03-01T10:00:00+00:00"})


DOCUMENT = {"threshold": 0.3, "themes": [
    {"name": "expansion", "detector": {"method": "classifier", "threshold": 0.61, "n_labels": 40,
                                       "n_positive": 12, "n_user": 10, "n_shipped": 1260,
                                       "source": "shipped model", "precision": 0.8,
                                       "recall": 0.75, "f1": 0.774}},
    {"name": "escalation", "detector": {"method": "description", "threshold": 0.3,
                                        "n_labels": 3, "n_positive": 1, "n_user": 3,
                                        "precision": None, "recall": 0.0, "f1": 0.0}},
    {"name": "old_theme"},  # a build made before detectors were recorded
]}


def test_summary_counts_labels_and_says_which_theme_rests_on_its_description():
    people = labels(("expansion", 1, "a"), ("expansion", 0, "b"), ("expansion", 1, "c"),
                    ("escalation", 0, "a"), ("sanctions", 1, "d"))
    summary = theme_summary(DOCUMENT, people).set_index("theme")
    assert summary.loc["expansion", ["labels", "labels_in", "labels_out", "shipped",
                                     "people_in_build"]].tolist() == [40, 12, 28, 1260, 10]
    assert summary.loc["expansion", "source"] == "shipped model"
    assert summary.loc["escalation", ["source", "shipped"]].tolist() == ["description", 0]
    assert summary.loc["expansion", ["people_in", "people_out"]].tolist() == [2, 1]
    assert summary.loc["expansion", "note"] == ""
    assert summary.loc["escalation", "note"] == DESCRIPTION_ONLY
    assert summary.loc["old_theme", ["method", "threshold", "labels"]].tolist() == [
        "description", 0.3, 0]
    assert "sanctions" not in summary.index
    # Labels the builds were not trained on: expansion (3 now, 10 then), escalation, old_theme.
    assert changed_since_build(summary.reset_index()) == ["expansion", "escalation"]


def test_quality_in_long_form_leaves_out_what_cannot_be_told():
    long = quality_long(theme_summary(DOCUMENT, labels()))
    assert list(zip(long["theme"], long["measure"])) == [
        ("expansion", "precision"), ("expansion", "recall"), ("escalation", "recall"),
        ("expansion", "f1"), ("escalation", "f1")]


def test_lines_for_the_terminal():
    lines = summary_lines(theme_summary(DOCUMENT, labels(("escalation", 1, "x"))))
    assert lines[0].startswith("expansion: classifier, learnt from the shipped model "
                               "(threshold 0.610); people's labels 0 in")
    assert "the shipped model rests on 1260" in lines[0]
    assert lines[1].startswith("escalation: description (threshold 0.300)")
    assert "precision 0.80, recall 0.75, F1 0.77" in lines[0]
    assert "precision –, recall 0.00" in lines[1] and DESCRIPTION_ONLY in lines[1]


def test_judgements_and_note():
    given = labels(("expansion", 1, "a"), ("escalation", 0, "a"), ("expansion", 0, "b"))
    assert judgements(given)[text_hash("a")] == [("escalation", False), ("expansion", True)]
    assert labels_note(given) == "3 labels given by people (1 in, 2 out) for 2 themes"


def test_labels_of_themes_no_longer_defined_are_named():
    given = labels(("expansion", 1, "a"), ("sanctions", 0, "b"), ("sanctions", 1, "c"))
    assert other_themes(given, ["expansion", "escalation"]) == {"sanctions": 2}
