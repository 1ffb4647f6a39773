import json
from pathlib import Path

import pandas as pd
import pytest

from framing_atlas.errors import AtlasError
from framing_atlas.ingest import ColumnMap, ingest, normalize_url, parse_dates
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


def test_bad_jsonl_line_is_a_clear_error(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text('{"text": "a", "outlet": "b"}\nnot json\n', encoding="utf-8")
    with pytest.raises(AtlasError, match="cannot read this file as jsonl"):
        ingest([path], empty())


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
    assert report.updated == len(articles) and report.added == 0
    assert "A corrected text." in set(again["text"])


def test_without_url_same_outlet_title_and_date_is_one_article(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("outlet,published,title,text\nA,2026-01-01,T,first\nA,2026-01-01,T,second\n"
                    "A,2026-01-02,T,third\n", encoding="utf-8")
    merged, report = ingest([path], empty())
    assert sorted(merged["text"]) == ["second", "third"] and report.updated == 1


def test_unsupported_and_missing_files(tmp_path):
    (tmp_path / "notes.docx").write_text("x")
    with pytest.raises(AtlasError, match="unsupported file type"):
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
    again, report = ingest([path], merged)  # the same file again updates all three
    assert len(again) == 3 and report.updated == 3


def test_each_input_kind_is_recognised(tmp_path, articles):
    from framing_atlas.ingest import find_inputs

    (tmp_path / "pages").mkdir()
    (tmp_path / "pages" / "a.html").write_text("<html></html>")
    articles.to_csv(tmp_path / "table.csv", index=False)
    pd.DataFrame({"url": ["https://a.example/1"]}).to_csv(tmp_path / "links.csv", index=False)
    for name in ("feed.xml", "links.txt", "saved.zip"):
        (tmp_path / name).write_text("x")
    kinds = {Path(s.location).name if "://" not in s.location else s.location: s.kind
             for s in find_inputs([tmp_path / "pages", tmp_path / "table.csv",
                                   tmp_path / "links.csv", tmp_path / "feed.xml",
                                   tmp_path / "links.txt", tmp_path / "saved.zip",
                                   "https://news.example/rss"])}
    assert kinds == {"pages": "html", "table.csv": "table", "links.csv": "urls",
                     "feed.xml": "feed", "links.txt": "urls", "saved.zip": "html",
                     "https://news.example/rss": "feed"}


def test_saved_pages_go_through_the_same_checks(tmp_path):
    from framing_atlas.ingest import WebOptions

    body = " ".join(["The alliance debated its eastern flank for a long afternoon."] * 8)
    (tmp_path / "pages").mkdir()
    (tmp_path / "pages" / "story.html").write_text(
        "<html><head><title>Flank debate</title><meta property='og:site_name' "
        "content='Harbor Gazette (fictional)'><link rel='canonical' "
        "href='https://harbor.example/flank'></head><body><nav>Home | World</nav><article>"
        f"<h1>Flank debate</h1><p>{body}</p><p>{body}</p></article></body></html>")
    (tmp_path / "pages" / "empty.html").write_text("<html><body><nav>Home</nav></body></html>")
    merged, report = ingest([tmp_path / "pages"], empty(),
                            web=WebOptions(cache_dir=tmp_path / "cache"))
    assert merged["outlet"].tolist() == ["Harbor Gazette (fictional)"]
    assert merged["url"].tolist() == ["https://harbor.example/flank"]
    assert "Home | World" not in merged["text"].iloc[0]
    assert report.rows_read == 2 and report.kept == 1
    assert report.skipped == {"no article text found in the page": 1}
