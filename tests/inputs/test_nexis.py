"""LexisNexis and Nexis Uni exports: one row per article, body without fields, footer or cover
page, and every article that cannot be read named by its position (issue 14)."""

from __future__ import annotations

import zipfile

import pandas as pd
import pytest

from exports import classic_export, stories, uni_paragraphs, write_docx
from framing_atlas.inputs.ingest import find_inputs, ingest
from framing_atlas.inputs.nexis import date_of_line, is_export, read_export
from framing_atlas.store import ARTICLE_COLUMNS

FURNITURE = ("BYLINE", "SECTION", "LENGTH", "LOAD-DATE", "LANGUAGE", "PUBLICATION-TYPE",
             "Copyright", "All Rights Reserved", "DOCUMENTS", "End of Document", "Classification",
             "Search Terms", "Job Number", "Download Request", "Final Edition", "Body\n")


def empty() -> pd.DataFrame:
    return pd.DataFrame(columns=ARTICLE_COLUMNS)


def export_files(tmp_path, count=5):
    """The same five fictional articles as a classic .TXT, a Nexis Uni .TXT and a .DOCX."""
    items = stories(count)
    classic = tmp_path / "classic.TXT"
    classic.write_text(classic_export(items), encoding="cp1252", newline="")
    uni = tmp_path / "uni.txt"
    uni.write_text("\n\n".join(uni_paragraphs(items)), encoding="utf-8-sig")
    word = write_docx(uni_paragraphs(items), tmp_path / "uni.DOCX")
    return items, [classic, uni, word]


@pytest.mark.parametrize("which", [0, 1, 2], ids=["classic-txt", "uni-txt", "docx"])
def test_each_article_is_one_row_with_outlet_date_title_and_fields(tmp_path, which):
    items, files = export_files(tmp_path)
    assert [s.kind for s in find_inputs([files[which]])] == ["nexis"]
    merged, report = ingest([files[which]], empty())
    assert report.problems == [] and report.kept == 5
    merged = merged.sort_values("published").reset_index(drop=True)
    assert merged["outlet"].tolist() == [s.outlet for s in items]
    assert merged["published"].tolist() == [pd.Timestamp(s.day) for s in items]
    assert merged["title"].tolist() == [s.title for s in items]
    assert merged["byline"].tolist() == [s.byline for s in items]
    assert merged["section"].tolist() == [s.section for s in items]
    assert merged["length"].tolist() == [s.length for s in items]
    for text, story in zip(merged["text"], items):
        assert text == "\n\n".join(story.body)
        assert not any(word in text for word in FURNITURE)


def test_a_malformed_export_keeps_every_readable_article_and_names_the_rest(tmp_path):
    items = stories(6)
    path = tmp_path / "broken.TXT"
    path.write_text(classic_export(items, skip_separator=(3,), skip_date=(5,)))
    merged, report = ingest([path], empty())
    assert sorted(merged["title"]) == sorted(s.title for k, s in enumerate(items, 1) if k != 5)
    assert [str(p) for p in report.problems] == [
        f"{path}: document 3 of 6: kept: its separator is missing (found after the end of "
        f"document 2): '{items[2].title}'",
        f"{path}: document 5 of 6: no date line: '{items[4].outlet}'"]
    assert report.skipped == {"no date line": 1} and report.notes == 1
    # The article that lost its separator is read on its own, not glued to the one before.
    second = merged.set_index("title").loc[items[1].title]
    assert second["text"] == "\n\n".join(items[1].body)


def test_a_nexis_uni_export_missing_an_end_and_a_date_line(tmp_path):
    items = stories(5)
    path = write_docx(uni_paragraphs(items, skip_end=(1, 5), skip_date=(3,)),
                      tmp_path / "uni.docx")
    merged, report = ingest([path], empty())
    assert sorted(merged["title"]) == sorted(s.title for k, s in enumerate(items, 1) if k != 3)
    assert [(p.row, p.total, p.reason) for p in report.problems] == [
        (2, 5, "kept: its separator is missing"), (3, 5, "no date line"),
        (5, 5, "kept: its separator is missing")]
    assert report.problems[1].value == items[2].title


def test_an_article_without_source_title_or_body_is_named():
    items = stories(3)
    paragraphs = uni_paragraphs(items)
    body_of_third = paragraphs.index(items[2].body[0])
    del paragraphs[body_of_third:body_of_third + len(items[2].body)]
    found = read_export("\n\n".join(paragraphs), name="x.docx")
    assert [(p.row, p.reason) for p in found.problems] == [(3, "no body text")]
    assert len(found.rows) == 2


def test_fewer_documents_than_announced_is_said(tmp_path):
    text = classic_export(stories(4)).replace("4 of 4 DOCUMENTS", "4 of 9 DOCUMENTS")
    found = read_export(text, name="short.TXT")
    assert len(found.rows) == 4
    assert [str(p) for p in found.problems] == [
        "short.TXT: fewer documents than the file announces (4 found, 9 announced; a separator "
        "may be missing inside an article)"]


def test_a_zip_of_exports_and_articles(tmp_path):
    items, files = export_files(tmp_path, count=3)
    with zipfile.ZipFile(tmp_path / "download.zip", "w") as archive:
        archive.write(files[0], "batch/classic.TXT")
        archive.write(files[2], "batch/uni.DOCX")
        archive.writestr("batch/2022-03-20-note.txt",
                         "Outlet: Fenholt Herald (fictional)\n\nA note\n\nShort note on bridges.")
    merged, report = ingest([tmp_path / "download.zip"], empty())
    assert len(merged) == 4  # the two exports hold the same three articles, and the note
    archive = tmp_path / "download.zip"
    assert [str(p) for p in report.problems] == [
        f"{archive}:batch/classic.TXT: document {k} of 3: column 'title': replaced by a later "
        f"row of the same article ({archive}:batch/uni.DOCX: document {k} of 3: same outlet, "
        f"title and date, same text): '{story.title}'" for k, story in enumerate(items, 1)]


def test_date_lines():
    assert date_of_line("January 11, 2010 Monday 5:52 PM GMT") == "2010-01-11"
    assert date_of_line("Tuesday, March 1, 2022") == "2022-03-01"
    assert date_of_line("1 March 2022 Tuesday") == "2022-03-01"
    assert date_of_line("Mar. 1, 2022 10:15 AM EST") == "2022-03-01"
    assert date_of_line("March 1, 2022: the day the ferry stopped") is None  # a title
    assert date_of_line("February 30, 2022") is None
    assert date_of_line("Time Of Request: Tuesday, April 5, 2022") is None


def test_only_separators_make_an_export():
    assert is_export("x\n\n  3 of 120 DOCUMENTS  \n\ny")
    assert is_export("a\nEnd of Document\n")
    assert not is_export("The end of documents as we know them.\n1 of 2 documents")


def test_a_file_read_as_an_export_that_holds_none_says_so(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("Just a note about the harbour bridge.\n")
    merged, report = ingest([path], empty(), kind="nexis")
    assert len(merged) == 0
    assert [p.reason for p in report.problems] == ["no article found in this export"]
