"""Plain-text and Markdown articles: one article a file, its header, its name's date, and what a
.txt holds decided by its content (issue 14)."""

from __future__ import annotations

import zipfile

import pandas as pd
import pytest

from conftest import SHARED
from exports import plain_article
from framing_atlas.errors import AtlasError
from framing_atlas.inputs.ingest import ColumnMap, find_inputs, ingest
from framing_atlas.inputs.textfiles import date_in_name, read_article
from framing_atlas.pipeline.segment import segment
from framing_atlas.store import ARTICLE_COLUMNS

SEEDS = SHARED / "seeds"
SEED_FILES = sorted(SEEDS.glob("*.txt")) if SEEDS.is_dir() else []
needs_seed = pytest.mark.skipif(not SEED_FILES, reason="../shared/seeds not present")

BODY = ["The ferry between Lindenfall and Osterwick stopped running on Monday after the "
        "operator ran out of money, leaving commuters to drive the long way round.",
        "The town council said it would look for a new operator before the summer."]


def empty() -> pd.DataFrame:
    return pd.DataFrame(columns=ARTICLE_COLUMNS)


def test_header_lines_give_outlet_date_url_and_title(tmp_path):
    path = plain_article(tmp_path / "ferry.txt", header={
        "Outlet": "Lindenfall Observer (fictional)", "Published": "2022-03-01",
        "URL": "https://lindenfall.example/ferry", "Author": "Jo Quill"},
        title="Ferry stops running", body=BODY)
    merged, report = ingest([path], empty())
    row = merged.iloc[0]
    assert (row["outlet"], row["published"], row["title"], row["url"], row["byline"]) == (
        "Lindenfall Observer (fictional)", pd.Timestamp("2022-03-01"), "Ferry stops running",
        "https://lindenfall.example/ferry", "Jo Quill")
    assert row["text"] == "\n\n".join(BODY)  # the header and the title are not body text
    assert report.problems == []


def test_front_matter_markdown_title_and_other_keys(tmp_path):
    path = plain_article(tmp_path / "ferry.md", header={
        "title": '"Ferry stops running"', "outlet": "Lindenfall Observer (fictional)",
        "date": "2022-03-02", "tags": "ferry, transport"}, title="Ferry stops running",
        body=BODY, front_matter=True)
    merged, _ = ingest([path], empty())
    row = merged.iloc[0]
    assert (row["title"], row["published"], row["tags"]) == (
        "Ferry stops running", pd.Timestamp("2022-03-02"), "ferry, transport")
    assert not row["text"].startswith("#") and "Ferry stops running" not in row["text"]


def test_title_is_the_first_non_empty_line_and_the_date_comes_from_the_file_name(tmp_path):
    path = tmp_path / "2022-03-04-ferry.txt"
    path.write_text("\n\n  Ferry stops running  \n\n" + "\n\n".join(BODY) + "\n")
    merged, report = ingest([path], empty(),
                            columns=ColumnMap(default_outlet="Osterwick Post (fictional)"))
    row = merged.iloc[0]
    assert (row["title"], row["published"], row["outlet"]) == (
        "Ferry stops running", pd.Timestamp("2022-03-04"), "Osterwick Post (fictional)")
    assert date_in_name("notes_2022_13_40.txt") == "" and date_in_name("x.zip:a/2021-12-31 b.md") \
        == "2021-12-31"


def test_default_date_fills_only_articles_without_one(tmp_path):
    (tmp_path / "2022-03-04-dated.txt").write_text("Dated\n\n" + BODY[0])
    (tmp_path / "undated.txt").write_text("Undated\n\n" + BODY[1])
    merged, report = ingest([tmp_path], empty(), columns=ColumnMap(
        default_outlet="Osterwick Post (fictional)", default_published="2022-01-15"))
    dates = dict(zip(merged["title"], merged["published"]))
    assert dates == {"Dated": pd.Timestamp("2022-03-04"), "Undated": pd.Timestamp("2022-01-15")}
    merged, report = ingest([tmp_path / "undated.txt"], empty(),
                            columns=ColumnMap(default_outlet="Osterwick Post (fictional)"))
    assert merged["published"].isna().all() and report.undated == 1


def test_an_article_without_an_outlet_is_named_with_what_to_do(tmp_path):
    (tmp_path / "a.txt").write_text("A title\n\n" + BODY[0])
    (tmp_path / "b.txt").write_text("Outlet: Fenholt Herald (fictional)\n\nB title\n\n" + BODY[1])
    merged, report = ingest([tmp_path], empty())
    assert merged["title"].tolist() == ["B title"]
    assert [str(p) for p in report.problems] == [
        f"{tmp_path / 'a.txt'}: column 'outlet': no outlet (add an 'Outlet:' line at the top "
        "or give --outlet NAME): 'A title'"]


def test_a_bad_date_in_a_header_names_the_file(tmp_path):
    (tmp_path / "a.txt").write_text("Outlet: Fenholt Herald (fictional)\nPublished: soon\n\n"
                                    "A title\n\n" + BODY[0])
    (tmp_path / "b.txt").write_text("Outlet: Fenholt Herald (fictional)\n\nB title\n\n" + BODY[1])
    with zipfile.ZipFile(tmp_path / "both.zip", "w") as archive:
        archive.write(tmp_path / "a.txt", "herald/a.txt")
        archive.write(tmp_path / "b.txt", "herald/b.txt")
    merged, report = ingest([tmp_path / "both.zip"], empty())
    assert merged["title"].tolist() == ["B title"]
    assert len(report.problems) == 1
    assert str(report.problems[0]).startswith(
        f"{tmp_path / 'both.zip'}:herald/a.txt: column 'published': not a date")


def test_a_txt_of_links_stays_a_link_list_and_kind_text_forces_an_article(tmp_path):
    links = tmp_path / "links.txt"
    links.write_text("# my reading list\nhttps://a.example/1\nhttps://a.example/2  # later\n"
                     "see also\n")
    article = tmp_path / "article.txt"
    article.write_text("A title\n\nhttps://a.example/1 is quoted here.\n\n" + BODY[0])
    assert [s.kind for s in find_inputs([links, article])] == ["urls", "text"]
    assert [s.kind for s in find_inputs([links], kind="text")] == ["text"]
    merged, _ = ingest([links], empty(), kind="text",
                       columns=ColumnMap(default_outlet="Fenholt Herald (fictional)"))
    assert merged["title"].tolist() == ["my reading list"]
    assert merged["text"].iloc[0].startswith("https://a.example/1\n")


def test_a_folder_and_a_zip_of_text_files(tmp_path):
    folder = tmp_path / "articles"
    (folder / "Harbor").mkdir(parents=True)
    for i, name in enumerate(["one.txt", "two.md", "Harbor/three.markdown"]):
        plain_article(folder / name, header={"Outlet": f"Outlet {i} (fictional)"},
                      title=f"Title {i}", body=[f"Story number {i}. " + BODY[0]])
    (folder / ".hidden.txt").write_text("Outlet: X\n\nNot an article\n\nhidden")
    merged, report = ingest([folder], empty())
    assert sorted(merged["title"]) == ["Title 0", "Title 1", "Title 2"]
    with zipfile.ZipFile(tmp_path / "articles.zip", "w") as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                archive.write(path, path.relative_to(folder).as_posix())
        archive.writestr("__MACOSX/._one.txt", b"\x00\x05")
    assert [s.kind for s in find_inputs([tmp_path / "articles.zip"])] == ["text"]
    zipped, report = ingest([tmp_path / "articles.zip"], empty())
    assert sorted(zipped["title"]) == ["Title 0", "Title 1", "Title 2"]
    assert report.problems == []


def test_a_folder_without_anything_readable_says_what_it_reads(tmp_path):
    (tmp_path / "notes.pdf").write_bytes(b"%PDF-1.4")
    with pytest.raises(AtlasError, match=r"no article files in this folder .*\.txt, \.md"):
        ingest([tmp_path], empty())


def test_an_empty_file_is_named():
    row, why = read_article("\n \n", name="blank.txt")
    assert why == "empty text"


# --- issue 14, item 4: the seed article ingests as it is ------------------------------------

@needs_seed
def test_the_seed_ingests_as_one_article_and_segments_without_its_teaser(tmp_path):
    assert [s.kind for s in find_inputs([SEEDS])] == ["text"] * len(SEED_FILES)
    merged, report = ingest([SEED_FILES[0]], empty(),
                            columns=ColumnMap(default_outlet="RT"))
    assert len(merged) == 1 and report.problems == []
    article = merged.iloc[0]
    assert article["title"] == "Does NATO really pose a threat to Russia?"
    assert article["outlet"] == "RT" and pd.isna(article["published"])
    paragraphs = segment(merged)["text"].tolist()
    assert len(paragraphs) >= 10
    joined = "\n".join(paragraphs)
    assert "Read Full Article at" not in joined and "read more" not in joined.lower()
    # The teaser (the first body line, ending in "Read Full Article at") and the repeated title
    # are furniture, not paragraphs.
    teaser = article["text"].split("\n\n")[0]
    assert teaser.endswith("Read Full Article at")
    assert not any(teaser.removesuffix("Read Full Article at").strip() in p for p in paragraphs)
    assert not any(p.startswith(article["title"]) for p in paragraphs)


def test_a_folder_mixing_a_table_a_saved_page_and_a_zip_of_text_files(tmp_path):
    from framing_atlas.inputs.ingest import WebOptions

    folder = tmp_path / "mixed"
    folder.mkdir()
    pd.DataFrame([{"outlet": "Table Times (fictional)", "title": "From a table",
                   "text": BODY[0]}]).to_csv(folder / "table.csv", index=False)
    body = " ".join(["The alliance debated its eastern flank for a long afternoon."] * 8)
    (folder / "story.html").write_text(
        "<html><head><title>From a page</title><meta property='og:site_name' "
        "content='Harbor Gazette (fictional)'></head><body><article><h1>From a page</h1>"
        f"<p>{body}</p><p>{body}</p></article></body></html>")
    with zipfile.ZipFile(folder / "texts.zip", "w") as archive:
        archive.writestr("a.txt", "Outlet: Fenholt Herald (fictional)\n\nFrom a zip\n\n"
                         + BODY[1])
    assert sorted(s.kind for s in find_inputs([folder])) == ["html", "table", "text"]
    merged, report = ingest([folder], empty(), web=WebOptions(cache_dir=tmp_path / "cache"))
    assert sorted(merged["title"]) == ["From a page", "From a table", "From a zip"]
    assert report.problems == []
