import datetime as dt
import io

import pandas as pd
import pytest

from framing_atlas.views.filters import (Filters, contains_text, export_table, filter_mask,
                                         filter_paragraphs, to_csv)


def paragraphs() -> pd.DataFrame:
    return pd.DataFrame({
        "outlet": ["A", "A", "B", "B"],
        "published": pd.to_datetime(["2026-01-01", "2026-01-15 23:00", "2026-02-01", None], format="ISO8601"),
        "title": ["t1", "t2", "t3", "t4"], "url": ["u1", "u2", "u3", "u4"],
        "text": ["NATO grows", "=HYPERLINK(\"http://evil\")", "tanks roll", "undated text"],
        "cluster": [0, 1, 1, 0], "theme": ["expansion", "none", "escalation", "none"],
        "score_expansion": [0.5, 0.1, 0.2, 0.0], "score_escalation": [0.1, 0.1, 0.6, 0.0],
        "has_expansion": [True, False, False, False], "has_escalation": [True, False, True, False],
        "x": [0.0, 1.0, 2.0, 3.0], "y": [0.0, 1.0, 2.0, 3.0]})


def test_each_filter():
    p = paragraphs()
    assert filter_paragraphs(p, Filters(outlets=("B",)))["title"].tolist() == ["t3", "t4"]
    assert filter_paragraphs(p, Filters(since=dt.date(2026, 1, 2),
                                        until=dt.date(2026, 1, 15)))["title"].tolist() == ["t2"]
    assert filter_paragraphs(p, Filters(themes=("none",)))["title"].tolist() == ["t2", "t4"]
    assert filter_paragraphs(p, Filters(clusters=(0,)))["title"].tolist() == ["t1", "t4"]
    assert filter_paragraphs(p, Filters(text="nato"))["title"].tolist() == ["t1"]
    assert filter_paragraphs(p, Filters(text="(\"http"))["title"].tolist() == ["t2"]
    assert len(filter_paragraphs(p, Filters())) == 4


def test_the_mask_searches_text_kept_elsewhere():
    # The dashboard's table has no text: the search runs over the text column where it lives.
    p = paragraphs()
    asked = []

    def search(text):
        asked.append(text)
        return contains_text(p["text"], text)

    for filters in (Filters(text=" NATO "), Filters(text="t", outlets=("A",)), Filters()):
        mask = filter_mask(p.drop(columns="text"), filters, search)
        assert p[mask]["title"].tolist() == filter_paragraphs(p, filters)["title"].tolist()
    assert asked == ["NATO", "t"]  # only when there is a search, stripped
    texts = pd.Series(["Élan", None, "ÉLAN vital", "a+b"])
    assert contains_text(texts, "élan").tolist() == [True, False, True, False]
    assert contains_text(texts, "a+b").tolist() == [False, False, False, True]


def test_export_columns_and_formula_cells_are_defused():
    clusters = pd.DataFrame({"cluster": [0, 1], "label": ["nato · grows", "tanks · roll"]})
    table = export_table(paragraphs(), clusters)
    assert list(table.columns) == ["outlet", "published", "title", "url", "paragraph", "cluster",
                                   "cluster_label", "theme", "score_expansion",
                                   "score_escalation", "has_expansion", "has_escalation", "x",
                                   "y"]
    assert table["published"].tolist() == ["2026-01-01", "2026-01-15", "2026-02-01", ""]
    # A paragraph may carry several themes: the detections say which, beside the best one.
    assert table["has_escalation"].tolist() == [True, False, True, False]
    csv = to_csv(table).decode("utf-8-sig")
    assert "'=HYPERLINK" in csv and "\n=HYPERLINK" not in csv and ",=HYPERLINK" not in csv
    back = pd.read_csv(__import__("io").StringIO(csv))
    assert back["cluster_label"].tolist() == ["nato · grows", "tanks · roll", "tanks · roll",
                                              "nato · grows"]


def test_languages_and_syndicated_copies():
    p = paragraphs().assign(paragraph_id=["a:0", "b:0", "c:0", "d:0"],
                            language=["en", "de", "en", "en"],
                            syndicated=[True, False, True, False],
                            syndication_group=[7, -1, 7, -1])
    assert filter_paragraphs(p, Filters(languages=("de",)))["title"].tolist() == ["t2"]
    assert filter_paragraphs(p, Filters(syndicated="hide"))["title"].tolist() == ["t2", "t4"]
    # Counted once: the earliest copy (t1, 2026-01-01) stands for the group.
    assert filter_paragraphs(p, Filters(syndicated="once"))["title"].tolist() == ["t1", "t2",
                                                                                "t4"]
    assert filter_paragraphs(p, Filters(outlets=("B",), syndicated="once"))[
        "title"].tolist() == ["t3", "t4"]  # within the filter, B's copy is the one kept
    table = export_table(p, pd.DataFrame({"cluster": [0, 1], "label": ["a", "b"]}))
    assert list(table.columns[-3:]) == ["language", "syndicated", "syndication_group"]


# OWASP's six characters that make a spreadsheet cell a formula (CSV injection).
FORMULA_PREFIXES = ["=", "+", "-", "@", "\t", "\r"]


@pytest.mark.parametrize("prefix", FORMULA_PREFIXES)
def test_every_formula_prefix_is_defused(prefix):
    cell = f"{prefix}1+1|cmd"
    table = pd.DataFrame({"paragraph": [cell, f"  {prefix}2+2", "plain"]})
    back = pd.read_csv(io.StringIO(to_csv(table).decode("utf-8-sig")), keep_default_na=False)
    # A leading apostrophe makes the cell text in Excel, LibreOffice and Google Sheets; spaces
    # before = + - @ do not stop a formula, and tab or CR after spaces are just spaces.
    spaced = f"'  {prefix}2+2" if prefix in "=+-@" else f"  {prefix}2+2"
    assert back["paragraph"].tolist() == ["'" + cell, spaced, "plain"]


@pytest.mark.parametrize("prefix", ["=", "+", "-", "@"])
def test_formula_after_another_separator_is_defused(prefix):
    # A spreadsheet that splits on semicolons or tabs would start a cell after them.
    table = pd.DataFrame({"paragraph": [f"said;{prefix}1+1", f"said; {prefix}1+1",
                                        f"col\t{prefix}1+1"]})
    back = pd.read_csv(io.StringIO(to_csv(table).decode("utf-8-sig")))
    assert back["paragraph"].tolist() == [f"said;'{prefix}1+1", f"said; '{prefix}1+1",
                                          f"col\t'{prefix}1+1"]


def test_every_cell_is_quoted_and_numbers_and_prose_are_kept():
    table = pd.DataFrame({"text": ["said;=1+1", "thanks, @name - see", 'a "quote"'],
                          "x": [1.5, -2.25, 0.0], "n": [1, -2, 3]})
    assert to_csv(table) == ('\ufeff"text","x","n"\n'
                             '"said;\'=1+1","1.5","1"\n'
                             '"thanks, @name - see","-2.25","-2"\n'
                             '"a ""quote""","0.0","3"\n').encode("utf-8")
    back = pd.read_csv(io.BytesIO(to_csv(table)), encoding="utf-8-sig")
    assert back["x"].tolist() == [1.5, -2.25, 0.0] and back["n"].tolist() == [1, -2, 3]


def test_column_names_are_defused_too():
    # Pivoted tables take column names from data (outlet names, cluster labels).
    csv = to_csv(pd.DataFrame({"=cmd|' /C calc'!A0": ["x"]})).decode("utf-8-sig")
    assert csv.splitlines()[0] == "\"'=cmd|' /C calc'!A0\""
