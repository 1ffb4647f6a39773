import re

import pandas as pd
import pytest
from typer.testing import CliRunner

import framing_atlas.pipeline.build
from conftest import SHARED, FakeEncoder
from exports import classic_export, plain_article, stories, uni_paragraphs, write_docx
from framing_atlas.cli import app

runner = CliRunner()


@pytest.fixture
def cli_env(monkeypatch, themes_file):
    monkeypatch.setattr(framing_atlas.pipeline.build, "LazyEncoder",
                        lambda model, device, **_: FakeEncoder())
    monkeypatch.setenv("FRAMING_ATLAS_THEMES_FILE", str(themes_file))
    monkeypatch.setenv("FRAMING_ATLAS_N_NEIGHBORS", "8")


def run(*args):
    result = runner.invoke(app, [str(a) for a in args])
    assert "Traceback" not in result.output
    return result


def test_ingest_build_export_info(tmp_path, articles, cli_env):
    store = tmp_path / "store"
    source = tmp_path / "news.csv"
    articles.rename(columns={"text": "content", "outlet": "source"}).to_csv(source, index=False)
    result = run("ingest", source, "--store", store, "--text-col", "content",
                 "--outlet-col", "source")
    assert result.exit_code == 0, result.output
    assert f"kept: {len(articles)}" in result.output
    result = run("build", "--store", store)
    assert result.exit_code == 0, result.output
    assert "clusters" in result.output
    out = tmp_path / "out.csv"
    outlet = articles["outlet"].iloc[0]
    result = run("export", "--out", out, "--store", store, "--outlet", outlet,
                 "--since", "2026-01-02", "--theme", "expansion", "--theme", "none")
    assert result.exit_code == 0, result.output
    table = pd.read_csv(out, encoding="utf-8-sig")
    assert list(table.columns[:8]) == ["outlet", "published", "title", "url", "paragraph",
                                       "cluster", "cluster_label", "theme"]
    assert set(table["outlet"]) == {outlet} and (table["published"] >= "2026-01-02").all()
    assert set(table["theme"]) <= {"expansion", "none"} and len(table) > 0
    result = run("info", "--store", store)
    assert result.exit_code == 0 and outlet in result.output and "clusters:" in result.output


def test_build_and_info_say_which_articles_gave_no_paragraph(tmp_path, articles, cli_env):
    store = tmp_path / "store"
    source = tmp_path / "news.csv"
    gazette = "Harbor Gazette (fictional)"
    short = pd.DataFrame([
        {"outlet": gazette, "title": "Claim", "text": "NATO will place missiles in Port Averly."},
        {"outlet": gazette, "title": "Blank", "text": "\u200b\u200b"},
        {"outlet": gazette, "title": "Only furniture\x1b[31m",
         "text": "Read more: Harbour fees rise again"},
    ]).assign(published="2026-01-05",
              url=lambda f: [f"https://harbor.example/s{i}" for i in f.index])
    pd.concat([articles, short]).to_csv(source, index=False)
    assert run("ingest", source, "--store", store).exit_code == 0
    result = run("build", "--store", store)
    assert result.exit_code == 0, result.output
    note = "2 articles gave no paragraph: 1 empty after cleaning, 1 only boilerplate"
    assert note in result.output
    result = run("info", "--store", store)
    assert result.exit_code == 0 and note in result.output
    listed = [line for line in result.output.splitlines()
              if "Blank" in line or "Only furniture" in line]
    assert len(listed) == 2
    assert any("empty after cleaning" in line and "Blank" in line for line in listed)
    assert any("only boilerplate" in line and "Only furniture" in line for line in listed)
    assert "\x1b" not in result.output  # a title cannot colour or move the terminal


def test_bad_rows_are_listed_and_good_rows_kept(tmp_path, cli_env):
    source = tmp_path / "bad.csv"
    source.write_text("outlet,published,title,url,text\nA,2026-01-01,t,,fine\n"
                      "A,31/31/2024,t2,,bad date\nA,2026-01-02,t3,,\n,2026-01-03,t4,,no outlet\n",
                      encoding="utf-8")
    result = run("ingest", source, "--store", tmp_path / "s")
    assert result.exit_code == 0
    assert "row 3: column 'published': not a date: '31/31/2024'" in result.output
    assert "row 4: column 'text': empty text" in result.output
    assert "row 5: column 'outlet': no outlet" in result.output
    assert "kept: 1" in result.output


@pytest.mark.parametrize("args, message", [
    (["ingest", "missing.csv"], "missing.csv: file not found"),
    (["build"], "no articles in this store yet"),
    (["export", "--out", "x.csv"], "nothing built yet"),
    (["export", "--out", "x.csv", "--since", "soon"], "--since must be a date"),
])
def test_user_errors_are_one_line_and_exit_1(tmp_path, cli_env, monkeypatch, args, message):
    monkeypatch.chdir(tmp_path)
    if "--since" in args:  # needs a built store to get as far as the date
        (tmp_path / "a.csv").write_text("outlet,text\nA,Some words about things that are "
                                        "long enough to make one paragraph.\n")
        run("ingest", "a.csv")
        run("build")
    result = run(*args)
    assert result.exit_code == 1 and message in result.output


def test_every_command_has_help_with_an_example():
    for command in ("ingest", "build", "export", "info", "labels", "labels show",
                    "labels export", "labels import"):
        result = run(*command.split(), "--help")
        assert result.exit_code == 0 and "Example: framing-atlas" in result.output


def test_far_dates_and_a_broken_line_give_no_traceback(tmp_path, cli_env):
    source = tmp_path / "odd.csv"
    source.write_text('outlet,published,text\nA,3022-01-01,far\nA,"broken,quote,x\n'
                      "A,May,month\nA,2026-01-01,good\n", encoding="utf-8")
    result = run("ingest", source, "--store", tmp_path / "s")
    assert result.exit_code == 0, result.output
    assert "row 2: column 'published': not a date" in result.output
    assert "line 3: malformed line" in result.output
    assert "row 4: column 'published': not a date" in result.output
    assert "kept: 1" in result.output


def test_date_order_options(tmp_path, cli_env):
    source = tmp_path / "slash.csv"
    source.write_text("outlet,published,text\nA,02/03/2022,one\nA,04/05/2022,two\n",
                      encoding="utf-8")
    result = run("ingest", source, "--store", tmp_path / "s", "--dayfirst")
    assert result.exit_code == 0, result.output
    assert "dates like 02/03/2022 read as day/month (as asked)" in result.output
    result = run("ingest", source, "--store", tmp_path / "t")
    assert "read as month/day" in result.output
    result = run("ingest", source, "--store", tmp_path / "u", "--dayfirst", "--monthfirst")
    assert result.exit_code == 1 and "either --dayfirst or --monthfirst" in result.output


def test_info_names_a_few_articles_without_paragraphs_and_points_to_the_rest(tmp_path):
    from framing_atlas.views.describe import NO_PARAGRAPH_LISTED, no_paragraph_lines

    gone = [{"article_id": f"id{i}", "outlet": "Quay Daily (fictional)", "title": None,
             "url": f"https://quay.example/{i}", "reason": "boilerplate"} for i in range(7)]
    lines = no_paragraph_lines({"no_paragraph": {"count": 7, "reasons": {"boilerplate": 7},
                                                 "articles": gone}}, tmp_path)
    assert lines[0] == "7 articles gave no paragraph: 7 only boilerplate:"
    assert len(lines) == 1 + NO_PARAGRAPH_LISTED + 1
    assert "https://quay.example/0" in lines[1]  # no title: the url names it
    assert "2 more" in lines[-1] and str(tmp_path / "manifest.json") in lines[-1]
    assert no_paragraph_lines({"no_paragraph": {"count": 0, "reasons": {}, "articles": []}},
                              tmp_path) == []


# --- issue 14: articles as researchers hold them: text files and news-database exports ------

SEEDS = SHARED / "seeds"
SEED_FILES = sorted(SEEDS.glob("*.txt")) if SEEDS.is_dir() else []
SEED_TITLE = "Does NATO really pose a threat to Russia?"


def articles_folder(folder):
    """Three plain-text articles with headers, a LexisNexis .TXT and a Nexis Uni .DOCX of five
    articles each (each with one more document that cannot be read), and an empty text file.
    Returns {title: (outlet, day or None)} of the 13 readable articles."""
    folder.mkdir()
    expected = {}
    plain_article(folder / "2022-03-07-ferry.txt",
                  header={"Outlet": "Lindenfall Observer (fictional)", "Author": "Jo Quill"},
                  title="Ferry stops running", body=["The ferry stopped running on Monday.",
                                                     "Commuters drove the long way round."])
    expected["Ferry stops running"] = ("Lindenfall Observer (fictional)", "2022-03-07")
    plain_article(folder / "tolls.md", header={"title": "Tolls return to Marrow Point",
                                               "outlet": "Marrow Point Echo (fictional)",
                                               "published": "2022-03-09"},
                  title="Tolls return to Marrow Point", body=["Tolls came back at dawn."],
                  front_matter=True)
    expected["Tolls return to Marrow Point"] = ("Marrow Point Echo (fictional)", "2022-03-09")
    plain_article(folder / "rail.txt", header={"Outlet": "Fenholt Herald (fictional)",
                                               "Published": "March 10, 2022",
                                               "URL": "https://fenholt.example/rail"},
                  title="Rail line to Fenholt reopens", body=["The line reopened on Thursday."])
    expected["Rail line to Fenholt reopens"] = ("Fenholt Herald (fictional)", "2022-03-10")
    (folder / "empty.txt").write_text("\n\n")
    classic = stories(6)
    (folder / "harbor.TXT").write_text(classic_export(classic, skip_date=(4,)),
                                       encoding="cp1252")
    uni = stories(6, start=10)
    paragraphs = uni_paragraphs(uni)
    body = paragraphs.index(uni[5].body[0])
    del paragraphs[body:body + len(uni[5].body)]  # the sixth article lost its body
    write_docx(paragraphs, folder / "Nexis Uni download.DOCX")
    for story in [s for k, s in enumerate(classic, 1) if k != 4] + uni[:5]:
        expected[story.title] = (story.outlet, story.day)
    return expected


@pytest.mark.skipif(not SEED_FILES, reason="../shared/seeds not present")
def test_ingest_a_folder_of_text_files_and_exports_with_the_seed(tmp_path, cli_env):
    folder = tmp_path / "corpus"
    expected = articles_folder(folder)
    (folder / SEED_FILES[0].name).write_bytes(SEED_FILES[0].read_bytes())
    expected[SEED_TITLE] = ("RT (given with --outlet)", None)
    store = tmp_path / "store"
    result = run("ingest", folder, "--store", store, "--outlet", "RT (given with --outlet)")
    assert result.exit_code == 0, result.output
    articles = pd.read_parquet(store / "articles.parquet")
    assert len(articles) == 14
    found = {row.title: (row.outlet, None if pd.isna(row.published) else
                         row.published.strftime("%Y-%m-%d")) for row in articles.itertuples()}
    assert found == expected
    named = [line for line in result.output.splitlines() if line.startswith("skipped:")
             and "/" in line]
    assert named == [
        f"skipped: {folder / 'Nexis Uni download.DOCX'}: document 6 of 6: no body text: "
        f"'{stories(6, start=10)[5].title}'",
        f"skipped: {folder / 'empty.txt'}: column 'text': empty text",
        f"skipped: {folder / 'harbor.TXT'}: document 4 of 6: no date line: "
        f"'{stories(6)[3].outlet}'"]
    assert "kept: 14 (14 new, 0 updated, 0 unchanged, 1 undated)" in result.output
    # The labelled fields stay with their articles; the seed's text keeps its body.
    bylines = articles.set_index("title")["byline"]
    assert bylines[stories(6)[0].title] == stories(6)[0].byline
    assert bylines["Ferry stops running"] == "Jo Quill"
    assert articles.set_index("title")["section"][SEED_TITLE] == ""


def test_ingest_a_malformed_export_keeps_every_readable_article(tmp_path, cli_env):
    items = stories(6)
    path = tmp_path / "broken.TXT"
    path.write_text(classic_export(items, skip_separator=(2,), skip_date=(5,)))
    store = tmp_path / "store"
    result = run("ingest", path, "--store", store)
    assert result.exit_code == 0, result.output
    articles = pd.read_parquet(store / "articles.parquet")
    assert sorted(articles["title"]) == sorted(s.title for k, s in enumerate(items, 1) if k != 5)
    assert f"note: {path}: document 2 of 6: kept: its separator is missing (found after the " \
           f"end of document 1): '{items[1].title}'" in result.output
    assert f"skipped: {path}: document 5 of 6: no date line: '{items[4].outlet}'" in result.output
    assert "skipped: 1 (1 no date line)" in result.output


def test_ingest_published_option(tmp_path, cli_env):
    (tmp_path / "a.txt").write_text("Outlet: Fenholt Herald (fictional)\n\nA title\n\nBody text.")
    result = run("ingest", tmp_path / "a.txt", "--store", tmp_path / "s", "--published",
                 "2022-03-01")
    assert result.exit_code == 0, result.output
    articles = pd.read_parquet(tmp_path / "s" / "articles.parquet")
    assert articles["published"].tolist() == [pd.Timestamp("2022-03-01")]
    result = run("ingest", tmp_path / "a.txt", "--store", tmp_path / "s", "--published", "soon")
    assert result.exit_code == 1 and "--published must be a date like 2022-03-01" in result.output


def built_store(tmp_path, articles):
    store = tmp_path / "store"
    source = tmp_path / "news.csv"
    articles.to_csv(source, index=False)
    assert run("ingest", source, "--store", store).exit_code == 0
    assert run("build", "--store", store).exit_code == 0
    return store


def test_labels_import_show_export_and_retrain(tmp_path, articles, cli_env):
    from framing_atlas.store import Store

    store = built_store(tmp_path, articles)
    paragraphs = Store(store).read_table("paragraphs")
    result = run("labels", "--store", store)
    assert result.exit_code == 0, result.output
    assert "expansion: description (threshold" in result.output
    assert "description only: label paragraphs to train it" in result.output
    # Six paragraphs in and six out of "expansion", one by its hash only, and rows to skip.
    alliance = paragraphs[paragraphs["text"].str.contains("alliance")]["text"].head(6).tolist()
    others = paragraphs[~paragraphs["text"].str.contains("alliance|nato|membership")][
        "text"].head(6).tolist()
    rows = [{"theme": "expansion", "in_theme": "yes", "text": t} for t in alliance[1:]]
    rows.append({"theme": "expansion", "in_theme": "1", "text_hash":
                 paragraphs.loc[paragraphs["text"] == alliance[0], "text_hash"].iloc[0]})
    rows += [{"theme": "expansion", "in_theme": "out", "text": t} for t in others]
    rows += [{"theme": "sanctions", "in_theme": "1", "text": "x"},
             {"theme": "expansion", "in_theme": "maybe", "text": "y"}]
    source = tmp_path / "mine.csv"
    pd.DataFrame(rows).to_csv(source, index=False)
    result = run("labels", "import", source, "--store", store)
    assert result.exit_code == 0, result.output
    assert "kept 12 labels (6 in, 6 out)" in result.output
    assert "skipped 1 of unknown theme 'sanctions'" in result.output
    assert "row 15: column 'in_theme': expected 1/0, yes/no or in/out, got 'maybe'" in result.output
    result = run("labels", "show", "--store", store)
    assert "people's labels 6 in, 6 out" in result.output
    assert "labels changed since the build for expansion" in result.output
    assert run("build", "--store", store).exit_code == 0  # retrains from the labels
    result = run("labels", "show", "--store", store)
    expansion = next(line for line in result.output.splitlines() if line.startswith("expansion"))
    assert expansion.startswith("expansion: classifier") and "12 people's" in expansion
    assert re.search(r"precision [01]\.\d\d, recall [01]\.\d\d, F1 [01]\.\d\d", expansion)
    assert "labels changed since the build" not in result.output
    out = tmp_path / "export" / "labels.csv"
    result = run("labels", "--store", store, "export", out)  # the store named either side
    assert result.exit_code == 0 and "wrote 12 labels (6 in, 6 out)" in result.output
    exported = pd.read_csv(out, encoding="utf-8-sig")
    assert list(exported.columns) == ["theme", "in_theme", "text", "text_hash", "labelled_at"]
    assert set(exported["text"]) == set(alliance + others)
    # Imported into a fresh store, the export gives the same labels back.
    other = tmp_path / "other"
    result = run("labels", "import", out, "--store", other)
    assert result.exit_code == 0 and "kept 12 labels" in result.output
    assert Store(other).read_labels()["text_hash"].tolist() == exported["text_hash"].tolist()


def test_labels_import_errors_are_one_line(tmp_path, cli_env):
    bad = tmp_path / "bad.csv"
    bad.write_text("theme,text\nexpansion,x\n", encoding="utf-8")
    result = run("labels", "import", bad, "--store", tmp_path / "s")
    assert result.exit_code == 1 and "no column 'in_theme'" in result.output
    useless = tmp_path / "useless.csv"
    useless.write_text("theme,in_theme,text\nsanctions,1,x\n", encoding="utf-8")
    result = run("labels", "import", useless, "--store", tmp_path / "s")
    assert result.exit_code == 1 and "no usable label in this file" in result.output
    assert not (tmp_path / "s" / "labels.parquet").exists()
    result = run("labels", "import", tmp_path / "missing.csv", "--store", tmp_path / "s")
    assert result.exit_code == 1 and "file not found" in result.output
    result = run("labels", "show", "--store", tmp_path / "s")
    assert result.exit_code == 1 and "nothing built yet" in result.output
