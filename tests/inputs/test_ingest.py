import json
from pathlib import Path

import pandas as pd
import pytest

from conftest import SHARED, needs_real_data

from framing_atlas.errors import AtlasError
from framing_atlas.inputs.dates import parse_dates
from framing_atlas.inputs.ingest import ColumnMap, ingest
from framing_atlas.inputs.rows import normalize_url
from framing_atlas.store import Store

BROKEN = """outlet,published,title,url,text
Harbor Gazette (fictional),2026-01-03,Good one,https://harbor.example/1,A valid article text.
Harbor Gazette (fictional),31/31/2024,Bad date,https://harbor.example/2,Text with a bad date.
Ridge Tribune (fictional),2026-01-04,No text,https://ridge.example/3,
,2026-01-05,No outlet,https://nowhere.example/4,Text without an outlet.
Ridge Tribune (fictional),,Undated,https://ridge.example/5,An undated but valid article.
Ridge Tribune (fictional),"Jan 6, 2026 10:00 +02:00",Other format,https://ridge.example/6,Valid too.
"""


def empty() -> pd.DataFrame:
    return Store(__import__("pathlib").Path("/nonexistent")).read_articles()


def test_broken_rows_are_reported_by_row_and_skipped(tmp_path):
    path = tmp_path / "broken.csv"
    path.write_text(BROKEN, encoding="utf-8")
    articles, report = ingest([path], empty())
    assert sorted(articles["title"]) == ["Good one", "Other format", "Undated"]
    messages = [str(p) for p in report.problems]
    assert messages == [
        f"{path}: row 3: column 'published': not a date: '31/31/2024'",
        f"{path}: row 4: column 'text': empty text",
        f"{path}: row 5: column 'outlet': no outlet",
    ]
    assert report.rows_read == 6 and report.kept == 3 and report.undated == 1
    assert report.skipped == {"not a date": 1, "empty text": 1, "no outlet": 1}
    assert "skipped: 3 (1 empty text, 1 no outlet, 1 not a date)" in report.summary()


def test_dates_in_common_formats_become_naive_utc():
    parsed = parse_dates(pd.Series(["2022-03-01", "2022-03-01T10:00:00+02:00", "March 3, 2022",
                                    "2022-06-24T17:30:00Z", "", "31/31/2024", "yesterday"]))
    assert [str(v)[:16] if pd.notna(v) else None for v in parsed] == [
        "2022-03-01 00:00", "2022-03-01 08:00", "2022-03-03 00:00", "2022-06-24 17:30",
        None, None, None]


def test_other_column_names_are_mapped(tmp_path):
    path = tmp_path / "renamed.csv"
    pd.DataFrame({"source": ["Lantern Post (fictional)"], "date": ["2026-02-01"],
                  "headline": ["H"], "link": ["https://lantern.example/a"],
                  "content": ["Body text here."], "bias": ["left"]}).to_csv(path, index=False)
    columns = ColumnMap(outlet="source", published="date", title="headline", url="link",
                        text="content")
    articles, report = ingest([path], empty(), columns=columns)
    row = articles.iloc[0]
    assert (row.outlet, row.title, row.url, row.text) == (
        "Lantern Post (fictional)", "H", "https://lantern.example/a", "Body text here.")
    assert row.published == pd.Timestamp("2026-02-01") and row.bias == "left"


def test_missing_text_column_names_the_option(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("outlet,content\nA,hello\n", encoding="utf-8")
    with pytest.raises(AtlasError, match="no text column 'text'.*--text-col"):
        ingest([path], empty())


def test_default_outlet_fills_a_file_without_outlets(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("text\nhello there\n", encoding="utf-8")
    articles, _ = ingest([path], empty(), columns=ColumnMap(default_outlet="Wire (fictional)"))
    assert articles["outlet"].tolist() == ["Wire (fictional)"]


def test_jsonl_and_parquet_are_read(tmp_path, articles):
    jsonl = tmp_path / "a.jsonl"
    jsonl.write_text("\n".join(json.dumps(r) for r in articles.iloc[:5].to_dict("records")),
                     encoding="utf-8")
    parquet = tmp_path / "b.parquet"
    articles.iloc[5:].to_parquet(parquet)
    merged, report = ingest([jsonl, parquet], empty())
    assert len(merged) == len(articles) and report.added == len(articles)


def test_reingest_updates_instead_of_duplicating(tmp_path, articles):
    first = tmp_path / "a.csv"
    articles.to_csv(first, index=False)
    merged, _ = ingest([first], empty())
    changed = articles.copy()
    changed.loc[0, "text"] = "A corrected text."
    changed.loc[0, "url"] = changed.loc[0, "url"] + "/"  # same article, url spelled differently
    second = tmp_path / "b.csv"
    changed.to_csv(second, index=False)
    again, report = ingest([second], merged)
    assert len(again) == len(articles)
    assert (report.updated, report.added, report.unchanged) == (1, 0, len(articles) - 1)
    assert "A corrected text." in set(again["text"])


def test_without_url_same_outlet_title_and_date_is_one_article(tmp_path):
    story = "The council met on {} to discuss the fictional harbor budget for the year."
    path = tmp_path / "a.csv"
    path.write_text(f"outlet,published,title,text\nA,2026-01-01,T,{story.format('Monday')}\n"
                    f"A,2026-01-01,T,{story.format('Tuesday')}\nA,2026-01-02,T,third\n",
                    encoding="utf-8")
    merged, report = ingest([path], empty())
    assert sorted(merged["text"]) == [story.format("Tuesday"), "third"] and report.added == 2
    # The row the later one corrects is named, not dropped silently.
    assert [str(p).split(": ", 1)[1] for p in report.problems] == [
        "row 2: column 'title': replaced by a later row of the same article (row 3: same "
        "outlet, title and date, text corrected): 'T'"]


def test_without_url_different_texts_under_one_title_are_different_articles(tmp_path):
    """Corpora without urls or outlets (one has 11 articles titled alike) lose none of them."""
    path = tmp_path / "a.csv"
    path.write_text("outlet,title,text\nunknown,Weekly column,first column about ports\n"
                    "unknown,Weekly column,second column about rail\n", encoding="utf-8")
    merged, report = ingest([path], empty())
    assert sorted(merged["text"]) == ["first column about ports", "second column about rail"]
    assert report.problems == []
    again, report = ingest([path], merged)
    pd.testing.assert_frame_equal(merged, again)


def test_unsupported_and_missing_files(tmp_path):
    (tmp_path / "notes.pdf").write_text("x")
    with pytest.raises(AtlasError, match="unsupported file type"):
        ingest([tmp_path / "notes.pdf"], empty())
    (tmp_path / "notes.docx").write_text("x")  # a .docx that is no Word file
    with pytest.raises(AtlasError, match="notes.docx: cannot read this Word file"):
        ingest([tmp_path / "notes.docx"], empty())
    with pytest.raises(AtlasError, match="file not found"):
        ingest([tmp_path / "absent.csv"], empty())


def test_folder_is_expanded(tmp_path, articles):
    articles.iloc[:4].to_csv(tmp_path / "one.csv", index=False)
    articles.iloc[4:].to_csv(tmp_path / "two.csv", index=False)
    merged, report = ingest([tmp_path], empty())
    assert len(merged) == len(articles) and len(report.files) == 2


def test_article_ids_do_not_depend_on_row_order(tmp_path, articles):
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    articles.to_csv(a, index=False)
    articles.sample(frac=1, random_state=1).to_csv(b, index=False)
    left, _ = ingest([a], empty())
    right, _ = ingest([b], empty())
    pd.testing.assert_frame_equal(left, right)


def test_normalize_url():
    assert normalize_url("HTTPS://Example.COM/a/b/#top") == "https://example.com/a/b"


def test_broken_encoding_is_not_fatal(tmp_path):
    path = tmp_path / "latin.csv"
    path.write_bytes("outlet,text\nA,caf\xe9 society\n".encode("latin-1"))
    merged, _ = ingest([path], empty())
    assert merged["text"].iloc[0].startswith("caf")


def test_passages_sharing_a_url_in_one_file_are_kept_apart(tmp_path):
    path = tmp_path / "passages.csv"
    path.write_text("outlet,url,text\nA,https://a.example/1,first passage\n"
                    "A,https://a.example/1,second passage\nA,https://a.example/2,other\n",
                    encoding="utf-8")
    merged, report = ingest([path], empty())
    assert sorted(merged["text"]) == ["first passage", "other", "second passage"]
    again, report = ingest([path], merged)  # the same file again changes nothing
    assert len(again) == 3 and report.unchanged == 3 and report.updated == 0


def test_each_input_kind_is_recognised(tmp_path, articles):
    from framing_atlas.inputs.ingest import find_inputs

    (tmp_path / "pages").mkdir()
    (tmp_path / "pages" / "a.html").write_text("<html></html>")
    articles.to_csv(tmp_path / "table.csv", index=False)
    pd.DataFrame({"url": ["https://a.example/1"]}).to_csv(tmp_path / "links.csv", index=False)
    for name in ("feed.xml", "saved.zip"):
        (tmp_path / name).write_text("x")
    (tmp_path / "links.txt").write_text("https://a.example/1\n")
    kinds = {Path(s.location).name if "://" not in s.location else s.location: s.kind
             for s in find_inputs([tmp_path / "pages", tmp_path / "table.csv",
                                   tmp_path / "links.csv", tmp_path / "feed.xml",
                                   tmp_path / "links.txt", tmp_path / "saved.zip",
                                   "https://news.example/rss"])}
    assert kinds == {"pages": "html", "table.csv": "table", "links.csv": "urls",
                     "feed.xml": "feed", "links.txt": "urls", "saved.zip": "html",
                     "https://news.example/rss": "feed"}


# issue 10: ingest once knew only .html/.htm pages, though the page reader reads .xhtml too.
@pytest.mark.parametrize("suffix", [".html", ".xhtml"])
def test_saved_pages_go_through_the_same_checks(tmp_path, suffix):
    from framing_atlas.inputs.ingest import WebOptions, find_inputs

    body = " ".join(["The alliance debated its eastern flank for a long afternoon."] * 8)
    (tmp_path / "pages").mkdir()
    (tmp_path / "pages" / f"story{suffix}").write_text(
        "<html><head><title>Flank debate</title><meta property='og:site_name' "
        "content='Harbor Gazette (fictional)'><link rel='canonical' "
        "href='https://harbor.example/flank'></head><body><nav>Home | World</nav><article>"
        f"<h1>Flank debate</h1><p>{body}</p><p>{body}</p></article></body></html>")
    (tmp_path / "pages" / f"empty{suffix}").write_text("<html><body><nav>Home</nav></body></html>")
    assert [s.kind for s in find_inputs([tmp_path / "pages", tmp_path / "pages" / f"story{suffix}"])
            ] == ["html", "html"]
    merged, report = ingest([tmp_path / "pages"], empty(),
                            web=WebOptions(cache_dir=tmp_path / "cache"))
    assert merged["outlet"].tolist() == ["Harbor Gazette (fictional)"]
    assert merged["url"].tolist() == ["https://harbor.example/flank"]
    assert "Home | World" not in merged["text"].iloc[0]
    assert report.rows_read == 2 and report.kept == 1
    assert report.skipped == {"no article text found in the page": 1}


# --- issue 9, item 1: dates pandas cannot hold are "not a date", never an exception ----------

def test_out_of_range_dates_and_a_bare_month_are_not_dates(tmp_path):
    path = tmp_path / "far.csv"
    path.write_text("outlet,published,text\nA,3022-01-01,far future\nA,1500-01-01,far past\n"
                    "A,May,a month only\nA,2022-05-01,a good row\n", encoding="utf-8")
    merged, report = ingest([path], empty())
    assert merged["text"].tolist() == ["a good row"]
    assert [(p.row, p.reason) for p in report.problems] == [
        (2, "not a date"), (3, "not a date"), (4, "not a date")]
    assert "'3022-01-01'" in str(report.problems[0]) and "'May'" in str(report.problems[2])


# --- item 2: one malformed line never rejects the file ------------------------------------

def thousand_rows(broken_at: int) -> tuple[str, int]:
    """1,000 rows of a fictional outlet; the row at index `broken_at` has an unbalanced quote.

    Row 10 holds a quoted text over two lines, so physical lines and records differ.
    Returns the CSV text and the physical line where the broken record starts.
    """
    lines, line = ["outlet,published,title,url,text"], 1
    broken_line = None
    for i in range(1000):
        line += 1
        if i == 10:
            lines.append(f'Harbor Gazette (fictional),2026-01-02,T{i},https://harbor.example/{i},'
                         f'"First line of story {i},\nsecond line of it."')
            line += 1
        elif i == broken_at:
            broken_line = line
            lines.append(f'Harbor Gazette (fictional),2026-01-02,"Broken title {i},'
                         f'https://harbor.example/{i},Story {i} whose title quote never closes.')
        else:
            lines.append(f"Harbor Gazette (fictional),2026-01-02,T{i},https://harbor.example/{i},"
                         f"Story number {i} of the fictional harbor.")
    return "\n".join(lines) + "\n", broken_line


# Broken before row 10, the opened quote runs into row 10's quoted text; after it, to the end.
@pytest.mark.parametrize("broken_at", [5, 500, 999])
def test_a_csv_of_1000_rows_with_one_broken_line_keeps_999_and_names_the_line(tmp_path,
                                                                             broken_at):
    text, broken_line = thousand_rows(broken_at=broken_at)
    path = tmp_path / "thousand.csv"
    path.write_text(text, encoding="utf-8")
    merged, report = ingest([path], empty())
    assert len(merged) == 999 and report.kept == 999
    assert "Broken title" not in " ".join(merged["title"])
    assert [(p.row, p.reason) for p in report.problems] == [(broken_line, "malformed line")]
    assert f"{path}: line {broken_line}: malformed line" in str(report.problems[0])
    assert report.rows_read == 1000 and report.skipped == {"malformed line": 1}
    assert "First line of story 10,\nsecond line of it." in set(merged["text"])


def test_extra_fields_and_later_row_numbers_stay_right(tmp_path):
    path = tmp_path / "extra.csv"
    path.write_text('outlet,published,text\nA,2026-01-01,"two\nlines"\nA,2026-01-02,one,extra\n'
                    "A,31/31/2024,bad date\nA,2026-01-03,fine\n", encoding="utf-8")
    merged, report = ingest([path], empty())
    assert sorted(merged["text"]) == ["fine", "two\nlines"]
    # Numbers are the physical line where the record starts: the quoted text spans lines 2-3.
    assert [str(p).split(": ", 1)[1] for p in report.problems] == [
        "line 4: malformed line (4 fields where the header has 3): 'A,2026-01-02,one,extra'",
        "row 5: column 'published': not a date: '31/31/2024'"]


def test_bad_jsonl_line_is_reported_and_the_rest_kept(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text('{"text": "a", "outlet": "b"}\nnot json\n\n[1, 2]\n'
                    '{"text": "c", "outlet": "d", "published": null}\n', encoding="utf-8")
    merged, report = ingest([path], empty())
    assert sorted(merged["text"]) == ["a", "c"]
    assert [(p.row, p.reason) for p in report.problems] == [(2, "malformed line"),
                                                            (4, "malformed line")]
    assert str(report.problems[0]).startswith(f"{path}: line 2: malformed line (not JSON")


def test_an_unreadable_file_is_reported_and_the_others_ingested(tmp_path, articles):
    good = tmp_path / "good.csv"
    articles.iloc[:3].to_csv(good, index=False)
    bad = tmp_path / "bad.parquet"
    bad.write_bytes(b"this is not parquet")
    notext = tmp_path / "notext.csv"
    notext.write_text("outlet,body\nA,hello\n", encoding="utf-8")
    merged, report = ingest([bad, good, notext], empty())
    assert len(merged) == 3 and report.kept == 3
    messages = [str(p) for p in report.problems]
    assert len(messages) == 2 and report.skipped == {"unreadable file": 2}
    assert messages[0].startswith(f"{bad}: unreadable file (cannot read this file as parquet")
    assert messages[1].startswith(f"{notext}: unreadable file (no text column 'text'")


def test_a_single_unreadable_file_is_still_an_error(tmp_path):
    bad = tmp_path / "bad.parquet"
    bad.write_bytes(b"this is not parquet")
    with pytest.raises(AtlasError, match="cannot read this file as parquet"):
        ingest([bad], empty())


@needs_real_data
def test_real_corpus_reads_the_same_rows_as_pandas():
    from framing_atlas.inputs.rows import read_records

    path = SHARED / "data" / "ukraine_war_media_2022" / "articles.csv.gz"
    ours, malformed = read_records(path)
    assert malformed == []
    theirs = pd.read_csv(path, dtype=str, keep_default_na=False)
    ours = ours.drop(columns=[c for c in ours.columns if c not in theirs.columns])
    pd.testing.assert_frame_equal(ours, theirs.astype(object))


# --- item 4: re-ingest leaves the store unchanged; a corrected copy updates --------------

def test_ingesting_the_same_file_twice_leaves_the_store_unchanged(tmp_path, articles):
    path = tmp_path / "a.csv"
    articles.to_csv(path, index=False)
    first, _ = ingest([path], empty())
    second, report = ingest([path], first)
    pd.testing.assert_frame_equal(first, second)
    assert (report.added, report.updated, report.unchanged) == (0, 0, len(articles))


def test_a_corrected_copy_updates_one_article_and_adds_none(tmp_path, articles):
    path = tmp_path / "a.csv"
    articles.to_csv(path, index=False)
    first, _ = ingest([path], empty())
    corrected = articles.copy()
    corrected.loc[3, "text"] = corrected.loc[3, "text"].replace("Officials", "Ministers", 1)
    path2 = tmp_path / "corrected.csv"
    corrected.to_csv(path2, index=False)
    second, report = ingest([path2], first)
    assert len(second) == len(first)
    assert (report.added, report.updated) == (0, 1)
    assert corrected.loc[3, "text"] in set(second["text"])


def test_same_url_and_title_twice_in_one_file_is_one_corrected_article(tmp_path):
    story = "The harbor authority said {} ships were waiting outside the breakwater on Monday."
    path = tmp_path / "twice.csv"
    pd.DataFrame({"outlet": ["Harbor Gazette (fictional)"] * 2, "title": ["Ships wait"] * 2,
                  "url": ["https://harbor.example/ships"] * 2,
                  "text": [story.format(40), story.format(41)]}).to_csv(path, index=False)
    merged, report = ingest([path], empty())
    assert merged["text"].tolist() == [story.format(41)]
    assert [(p.row, p.reason) for p in report.problems] == [
        (2, "replaced by a later row with the same url")]
    again = tmp_path / "again.csv"
    pd.DataFrame({"outlet": ["Harbor Gazette (fictional)"], "title": ["Ships wait"],
                  "url": ["https://harbor.example/ships"],
                  "text": [story.format(42)]}).to_csv(again, index=False)
    merged, report = ingest([again], merged)
    assert merged["text"].tolist() == [story.format(42)]
    assert (report.added, report.updated) == (0, 1)


def test_a_corrected_passage_replaces_the_old_one(tmp_path):
    path = tmp_path / "passages.csv"
    path.write_text("outlet,url,text\nA,https://a.example/1,first passage\n"
                    "A,https://a.example/1,second passage\n", encoding="utf-8")
    merged, _ = ingest([path], empty())
    path.write_text("outlet,url,text\nA,https://a.example/1,first passage\n"
                    'A,https://a.example/1,"second passage, corrected"\n', encoding="utf-8")
    again, report = ingest([path], merged)
    assert sorted(again["text"]) == ["first passage", "second passage, corrected"]
    assert (report.added, report.updated, report.unchanged) == (0, 1, 1)


@needs_real_data
def test_real_passages_corpus_keeps_its_passages_and_reingest_is_idempotent():
    path = SHARED / "data" / "disinfo_narratives" / "articles.csv.gz"
    raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    first, report = ingest([path], empty())
    # Every passage is kept; only rows repeating a url and its text exactly are one article.
    assert len(first) == len(raw.drop_duplicates(["url", "text"]))
    assert report.skipped.get("same url and text as a later row", 0) == (
        len(raw) - len(raw.drop_duplicates(["url", "text"])))
    second, report = ingest([path], first)
    pd.testing.assert_frame_equal(first, second)
    assert report.added == 0 and report.updated == 0


# --- item 5: one order for a file's slash dates; imprecise dates are named ----------------

def dated(tmp_path, *values) -> Path:
    path = tmp_path / "dated.csv"
    pd.DataFrame({"outlet": "A", "published": list(values),
                  "text": [f"story {i}" for i in range(len(values))]}).to_csv(path, index=False)
    return path


def published(merged: pd.DataFrame) -> list[str]:
    return [f"{v:%Y-%m-%d}" if pd.notna(v) else None
            for v in merged.sort_values("text")["published"]]


def test_slash_dates_are_day_first_when_one_row_needs_it(tmp_path):
    merged, report = ingest([dated(tmp_path, "02/03/2022", "13/01/2022", "2022-04-05")], empty())
    assert published(merged) == ["2022-03-02", "2022-01-13", "2022-04-05"]
    assert report.date_notes == [f"{tmp_path / 'dated.csv'}: dates like 02/03/2022 read as "
                                 "day/month (row 3 has 13/01/2022)"]
    assert "read as day/month" in report.summary()


def test_slash_dates_are_month_first_otherwise_or_as_asked(tmp_path):
    path = dated(tmp_path, "02/03/2022", "01/13/2022")
    merged, report = ingest([path], empty())
    assert published(merged) == ["2022-02-03", "2022-01-13"]
    assert "read as month/day (row 3 has 01/13/2022)" in report.date_notes[0]
    path = dated(tmp_path, "02/03/2022", "04/05/2022")
    merged, report = ingest([path], empty(), columns=ColumnMap(date_order="dayfirst"))
    assert published(merged) == ["2022-03-02", "2022-05-04"]
    assert "read as day/month (as asked)" in report.date_notes[0]
    merged, report = ingest([path], empty())
    assert published(merged) == ["2022-02-03", "2022-04-05"]
    assert "read as month/day (no row needs day/month" in report.date_notes[0]


def test_slash_dates_that_contradict_the_files_order_are_named(tmp_path):
    path = dated(tmp_path, "13/01/2022", "02/03/2022", "01/13/2022", "14/02/2022")
    merged, report = ingest([path], empty())
    assert published(merged) == ["2022-01-13", "2022-03-02", "2022-02-14"]
    assert [str(p).split(": ", 1)[1] for p in report.problems] == [
        "row 4: column 'published': not a date (month/day, but this file's dates are read "
        "day/month: row 2 has 13/01/2022): '01/13/2022'"]
    forced = ingest([path], empty(), columns=ColumnMap(date_order="monthfirst"))[1]
    assert [p.row for p in forced.problems] == [2, 5]


def test_a_bare_year_or_month_is_kept_and_reported_as_imprecise(tmp_path):
    merged, report = ingest([dated(tmp_path, "2022", "2022-03", "March 2022", "2022-03-04")],
                            empty())
    assert published(merged) == ["2022-01-01", "2022-03-01", "2022-03-01", "2022-03-04"]
    assert [(p.row, p.reason) for p in report.problems] == [
        (2, "kept as 2022-01-01: imprecise date (a year only)"),
        (3, "kept as 2022-03-01: imprecise date (a month only)"),
        (4, "kept as 2022-03-01: imprecise date (a month only)")]
    assert report.imprecise == 3 and "imprecise dates: 3" in report.summary()


def test_no_date_order_note_when_no_numeric_date_is_real(tmp_path):
    merged, report = ingest([dated(tmp_path, "31/31/2024", "2022-01-02")], empty())
    assert report.date_notes == [] and [p.row for p in report.problems] == [2]


def test_a_later_file_without_urls_never_removes_articles_of_the_same_title(tmp_path):
    first = tmp_path / "a.csv"
    first.write_text("outlet,title,text\nunknown,Weekly column,first column about ports\n"
                     "unknown,Weekly column,second column about rail\n", encoding="utf-8")
    merged, _ = ingest([first], empty())
    second = tmp_path / "b.csv"
    second.write_text("outlet,title,text\nunknown,Weekly column,a third column on bridges\n",
                      encoding="utf-8")
    merged, report = ingest([second], merged)
    assert len(merged) == 3 and report.added == 1 and report.removed == 0


def test_a_folder_names_the_files_no_reader_takes(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.csv").write_text("outlet,published,title,text\nFictional Gazette,2022-03-01,"
                                  "T,Officials met on Monday to discuss the alliance and more.\n")
    (folder / "report.pdf").write_bytes(b"%PDF-1.4 not an article")
    (folder / "chart.png").write_bytes(b"\x89PNG")
    merged, report = ingest([folder], empty())
    assert len(merged) == 1
    assert report.skipped == {"not an article file: skipped": 2}
    named = sorted(str(p) for p in report.problems)
    assert "chart.png" in named[0] and "'.png'" in named[0] and "report.pdf" in named[1]
