import pandas as pd
import pytest
from typer.testing import CliRunner

import framing_atlas.build
from conftest import FakeEncoder
from framing_atlas.cli import app

runner = CliRunner()


@pytest.fixture
def cli_env(monkeypatch, themes_file):
    monkeypatch.setattr(framing_atlas.build, "LazyEncoder", lambda model, device: FakeEncoder())
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
    for command in ("ingest", "build", "export", "info"):
        result = run(command, "--help")
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
