"""Every dashboard page through Streamlit's AppTest, on the demo store (plus one hostile article)."""

import ast
import io
import json
import shutil
import tomllib

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from conftest import (HOSTILE_LABELS, HOSTILE_OUTLETS, ROOT, FakeEncoder, make_articles,
                      republish, wait_for_job)
from framing_atlas.store import Store
from markup import live_markup, markdown_shown, plotly_markup

PAGES = ["map", "compare", "timeline", "framing", "clusters", "themes", "data"]
EAST = "Eastern Meridian TV (fictional)"
WEST = "Westbridge Public Radio (fictional)"


@pytest.fixture
def env(atlas_store, monkeypatch):
    monkeypatch.setenv("FRAMING_ATLAS_STORE", str(atlas_store))
    monkeypatch.chdir(ROOT)
    return atlas_store


def open_page(page: str, **params) -> AppTest:
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    for name, value in params.items():
        app.query_params[name] = value
    app.switch_page(f"pages/{page}.py")
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def texts(app: AppTest) -> str:
    parts = [e.value for e in app.text] + [e.value for e in app.markdown]
    parts += [e.value for e in app.caption] + [e.value for e in app.subheader]
    return "\n".join(map(str, parts))


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders(env, page):
    app = open_page(page)
    assert app.title and not app.error


def test_filters_change_what_the_map_shows(env):
    everything = open_page("map")
    one = open_page("map", outlet=EAST)
    count = lambda app: int(app.subheader[0].value.split()[0])  # noqa: E731
    paragraphs = Store(env).read_table("paragraphs")
    assert count(everything) == len(paragraphs)
    assert count(one) == int((paragraphs["outlet"] == EAST).sum())


def test_query_parameters_round_trip(env):
    app = open_page("compare", outlet=[EAST, WEST], theme="escalation", since="2026-01-10",
                    color="cluster")
    assert app.multiselect(key="f_outlets").value == [EAST, WEST]
    assert app.multiselect(key="f_themes").value == ["escalation"]
    assert str(app.date_input(key="f_since").value) == "2026-01-10"
    assert listed(app.query_params["outlet"]) == [EAST, WEST]
    assert listed(app.query_params["color"]) == ["cluster"]
    app.multiselect(key="f_outlets").set_value([WEST]).run()
    assert listed(app.query_params["outlet"]) == [WEST]
    app.switch_page("pages/timeline.py").run()  # the view travels with the user
    assert listed(app.query_params["outlet"]) == [WEST]
    assert listed(app.query_params["color"]) == ["cluster"]
    assert app.multiselect(key="f_outlets").value == [WEST]


def listed(value) -> list:
    return value if isinstance(value, list) else [value]


def test_bad_parameters_are_noted_not_fatal(env):
    app = open_page("map", outlet="Nobody", since="2026-99-01", cluster="x", color="rainbow",
                    junk="1")
    notes = " ".join(markdown_shown(c.value) for c in app.sidebar.caption)
    assert "ignored outlet='Nobody'" in notes and "ignored unknown parameter 'junk'" in notes
    assert "since='2026-99-01'" in notes and not app.error


@pytest.fixture
def downloads(monkeypatch):
    """The bytes behind every download button, by the file id in its URL."""
    from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage

    files: dict[str, bytes] = {}
    original = MemoryMediaFileStorage.load_and_get_id

    def keep(self, path_or_data, mimetype, kind, filename=None):
        file_id = original(self, path_or_data, mimetype, kind, filename)
        files[file_id] = path_or_data
        return file_id

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", keep)

    from streamlit.runtime.media_file_manager import MediaFileManager

    add_deferred = MediaFileManager.add_deferred

    def later(self, data_callable, *args, **kwargs):
        # A deferred download (built on click): its callable, under "deferred:<id>".
        file_id = add_deferred(self, data_callable, *args, **kwargs)
        files[f"deferred:{file_id}"] = data_callable
        return file_id

    monkeypatch.setattr(MediaFileManager, "add_deferred", later)
    return files


def clicked(button, files: dict[str, bytes]) -> bytes:
    """The bytes a click on this download button gives: a deferred button (built only when
    clicked) runs its callable here, as the server does on a click."""
    if button.proto.deferred_file_id:
        return files[f"deferred:{button.proto.deferred_file_id}"]()
    return next(data for file_id, data in files.items() if file_id in button.proto.url)


def download(app: AppTest, files: dict[str, bytes], label: str) -> bytes:
    return clicked([b for b in app.download_button if b.label.startswith(label)][0], files)


def download_by_key(app: AppTest, files: dict[str, bytes], key: str) -> bytes:
    return clicked(next(b for b in app.download_button if b.key == key), files)


def test_every_page_bootstrap_uses_the_one_resample_count(env, monkeypatch):
    """Compare, Timeline and Framing (shares raw and corrected, terms, axes, over time) all
    resample stats.N_BOOT times."""
    import inspect

    import streamlit as st

    from framing_atlas.analysis import axes, quantify, stats

    seen = []

    def spy(module, name):
        original = getattr(module, name)

        def call(*args, **kwargs):
            bound = inspect.signature(original).bind(*args, **kwargs)
            bound.apply_defaults()
            seen.append((name, bound.arguments["n_boot"]))
            return original(*args, **kwargs)

        monkeypatch.setattr(module, name, call)

    spy(stats, "bootstrap_shares")
    spy(stats, "log_odds")
    spy(axes, "axis_summary")
    spy(quantify, "corrected_shares")
    st.cache_data.clear()  # else a table cached by an earlier test is not recomputed
    try:
        for page in ("compare", "timeline"):
            open_page(page)
        app = open_page("framing")
        axis = [m for m in app.selectbox(key="fr_measure").options if m.startswith("axis")][0]
        app.selectbox(key="fr_measure").set_value(axis).run()
    finally:
        st.cache_data.clear()
    assert {name for name, _ in seen} == {"bootstrap_shares", "log_odds", "axis_summary",
                                          "corrected_shares"}
    assert {n_boot for _, n_boot in seen} == {stats.N_BOOT}


def test_download_equals_export_for_same_filters(env, downloads, tmp_path):
    from typer.testing import CliRunner

    from framing_atlas.cli import app as cli

    app = open_page("map", outlet=EAST, theme=["escalation", "none"], since="2026-01-15",
                    q="the")
    got = download(app, downloads, "Download all filtered")
    out = tmp_path / "export.csv"
    result = CliRunner().invoke(cli, ["export", "--out", str(out), "--store", str(env),
                                      "--outlet", EAST, "--theme", "escalation", "--theme",
                                      "none", "--since", "2026-01-15", "--search", "the"])
    assert result.exit_code == 0, result.output
    assert got == out.read_bytes()
    table = pd.read_csv(io.BytesIO(got), encoding="utf-8-sig")
    assert len(table) == int(app.subheader[0].value.split()[0]) > 0
    assert set(table["outlet"]) == {EAST}


def test_chart_tables_download(env, downloads):
    app = open_page("compare")
    shares = pd.read_csv(io.BytesIO(download_by_key(app, downloads, "dl_theme_shares")),
                         encoding="utf-8-sig")
    assert BOTH_ESTIMATES <= set(shares.columns) and "outlet" in shares.columns
    assert_both_estimates_with_intervals(shares)
    clusters = pd.read_csv(io.BytesIO(download_by_key(app, downloads, "dl_cluster_shares")),
                           encoding="utf-8-sig")
    assert {"outlet", "category", "paragraphs", "share", "low", "high"} <= set(clusters.columns)
    assert clusters.groupby("outlet")["share"].sum().round(6).eq(1).all()
    assert_intervals_only_where_enough_articles(clusters)


# The share tables' downloads: raw and corrected side by side, each with its bounds.
BOTH_ESTIMATES = {"theme", "paragraphs", "total", "articles", "raw_share", "raw_low", "raw_high",
                  "corrected_share", "corrected_low", "corrected_high", "tpr", "fpr",
                  "labelled_positives", "labelled_negatives", "thin", "note"}


def assert_both_estimates_with_intervals(shares: pd.DataFrame) -> None:
    for estimate in ("raw", "corrected"):
        assert_intervals_only_where_enough_articles(shares.rename(columns={
            f"{estimate}_share": "share", f"{estimate}_low": "low", f"{estimate}_high": "high"}))
    # The demo's themes all have labelled paragraphs: every share is corrected, and the
    # correction moves it.
    assert shares["corrected_share"].notna().all() and (shares["labelled_positives"] > 0).all()
    assert (shares["corrected_share"] - shares["raw_share"]).abs().max() > 0.01


def assert_intervals_only_where_enough_articles(shares: pd.DataFrame) -> None:
    from framing_atlas.analysis.stats import MIN_ARTICLES

    few = shares["articles"] < MIN_ARTICLES
    assert few.any() and (~few).any()  # the one-article hostile outlets, the demo's others
    assert (shares["thin"] == few).all()
    assert shares.loc[few, ["low", "high"]].isna().all().all()
    assert shares.loc[few, "share"].notna().all()
    ok = shares[~few]
    assert ((ok["low"] <= ok["share"] + 1e-9) & (ok["share"] <= ok["high"] + 1e-9)).all()


def charts(app: AppTest) -> str:
    return "\n".join(chart.proto.spec for chart in app.get("plotly_chart"))


def test_outlets_with_too_few_articles_get_no_interval(env):
    from framing_atlas.analysis.stats import MIN_ARTICLES

    app = open_page("compare")
    warning = app.warning[0].value
    assert f"Fewer than {MIN_ARTICLES} articles" in warning and "Injection Test Wire" in warning
    assert "too few articles" in charts(app)  # on the bars
    specs = [json.loads(c.proto.spec) for c in app.get("plotly_chart")]
    heat = next(s["data"][0] for s in specs if s["data"][0]["type"] == "heatmap")
    for outlet, cells in zip(heat["y"], heat["text"]):
        if "Injection" in outlet:  # one article: the share, marked, and no [low–high]
            assert all(cell.endswith("(too few articles)") and "[" not in cell for cell in cells)
        else:
            assert all("[" in cell for cell in cells)


def test_empty_filter_is_explained(env):
    app = open_page("map", q="no paragraph says this 12345")
    assert "No paragraph matches these filters" in app.info[0].value


def test_hostile_text_is_literal(env):
    app = open_page("map", q="alert(1)")
    shown = texts(app)
    assert "<script>alert(1)</script>" in shown and "[x](javascript:alert(1))" in shown
    links = [m.value for m in app.markdown if "javascript" in m.value]
    assert all("](javascript" not in m for m in links)  # the title is escaped, no live link


@pytest.mark.parametrize("name", ["timeline", "compare", "framing", "clusters"])
def test_a_text_search_in_the_link_narrows_every_page(env, name):
    """The shared table has no text: each page searches through app_data.text_matches."""
    store = Store(env)
    paragraphs = store.read_table("paragraphs")
    app = open_page(name, q="missile")
    assert not app.exception
    wanted = int(paragraphs["text"].str.contains("missile", case=False).sum())
    assert 0 < wanted < len(paragraphs)
    if name == "clusters":
        shown = app.dataframe[0].value
        assert int(shown["in view"].sum()) == wanted


def test_timeline_marks_thin_cells_and_counts(env, downloads):
    from framing_atlas.analysis.stats import MIN_ARTICLES

    app = open_page("timeline", outlet=EAST, theme="escalation")
    app.selectbox(key="tl_freq").set_value("month").run()
    assert any("too few articles" in c.value for c in app.caption)
    table = pd.read_csv(io.BytesIO(download(app, downloads, "Download this table")),
                        encoding="utf-8-sig")
    assert BOTH_ESTIMATES | {"outlet", "period"} <= set(table.columns)
    # Thin counts articles, not paragraphs, and a thin cell has a share but no interval.
    assert (table["thin"] == (table["articles"] < MIN_ARTICLES)).all()
    assert table["thin"].any() and (~table["thin"]).any()
    for estimate in ("raw", "corrected"):
        share, low, high = (f"{estimate}_{c}" for c in ("share", "low", "high"))
        assert table.loc[table["thin"], [low, high]].isna().all().all()
        ok = table[~table["thin"]]
        assert ok[low].notna().all() and table[share].notna().all()
        assert ((ok[low] <= ok[share] + 1e-9) & (ok[share] <= ok[high] + 1e-9)).all()
    assert "too few articles" in charts(app)
    app.selectbox(key="tl_freq").set_value("week").run()
    weeks = pd.read_csv(io.BytesIO(download(app, downloads, "Download this table")),
                        encoding="utf-8-sig")
    # Weeks of many paragraphs but few articles are thin all the same.
    assert (weeks["thin"] & (weeks["total"] >= MIN_ARTICLES)).any()


def test_rename_cluster_is_kept(env):
    names = env / "cluster_names.json"
    try:
        app = open_page("clusters")
        app.selectbox(key="cluster_pick").set_value(1).run()
        app.text_input(key="rename_text").set_value("My frame")
        [b for b in app.button if b.label == "Save name"][0].click().run()
        assert names.exists()
        again = open_page("clusters")
        labels = again.selectbox(key="cluster_pick").options
        assert any(option.endswith("My frame") for option in labels)
    finally:
        names.unlink(missing_ok=True)


def snapshot(*folders) -> dict[str, tuple[int, int]]:
    """Every file and folder below `folders`: name → (size, mtime in ns)."""
    found = {}
    for folder in folders:
        for path in [folder, *sorted(folder.rglob("*"))] if folder.exists() else []:
            info = path.stat()
            found[str(path)] = (info.st_size, info.st_mtime_ns)
    return found


@pytest.fixture
def own_copy(atlas_store, tmp_path, monkeypatch):
    """A copy of the built store and of every file the pages may write, in tmp_path."""
    shutil.copytree(atlas_store, tmp_path / "store")
    for name in ("themes", "axes", "groups", "outlets"):
        shutil.copy(ROOT / "data" / f"{name}.toml", tmp_path / f"{name}.toml")
        monkeypatch.setenv(f"FRAMING_ATLAS_{name.upper()}_FILE", str(tmp_path / f"{name}.toml"))
    monkeypatch.setenv("FRAMING_ATLAS_STORE", str(tmp_path / "store"))
    monkeypatch.setenv("FRAMING_ATLAS_PAGE_CACHE", str(tmp_path / "cache"))
    monkeypatch.chdir(ROOT)
    return tmp_path


def assert_no_write_widgets(app: AppTest) -> None:
    assert not app.get("file_uploader") and not app.text_area
    assert not app.button, [b.label for b in app.button]  # ingest, rebuild, save, rename
    assert not [t for t in app.text_input if t.key == "rename_text"]


def test_read_only_pages_write_nothing(own_copy, monkeypatch):
    monkeypatch.setenv("FRAMING_ATLAS_READ_ONLY", "true")
    before = snapshot(own_copy, ROOT / "data")
    for page in PAGES:
        app = open_page(page)
        assert app.title and not app.error, page
        assert_no_write_widgets(app)
        if page == "data":
            assert any("read-only" in c.value for c in app.caption)
            assert [c.language for c in app.code] == ["toml"] * 3  # themes, axes, groups shown
        if page == "clusters":
            assert any("Renaming is off" in c.value for c in app.caption)
    assert snapshot(own_copy, ROOT / "data") == before


def test_read_only_ignores_clicks_from_a_page_drawn_before(own_copy, monkeypatch):
    # A visitor whose page was drawn before the owner switched the dashboard to read-only
    # still holds the widgets: whatever they send, nothing is written.
    data = open_page("data")
    clusters = open_page("clusters")
    before = snapshot(own_copy, ROOT / "data")
    monkeypatch.setenv("FRAMING_ATLAS_READ_ONLY", "true")
    themes, save = data.text_area(key="themes_text"), data.button(key="save_themes")
    rebuild, upload = data.button(key="rebuild"), data.file_uploader(key="upload")
    themes.set_value("[[themes]]\nname = 'x'\ndescription = ['y']\n")
    upload.set_value(("mine.csv", b"outlet,text\nA,B\n", "text/csv"))
    save.click()
    rebuild.click()
    data.run()
    clusters.text_input(key="rename_text").set_value("My frame")
    [b for b in clusters.button if b.label == "Save name"][0].click().run()
    for app in (data, clusters):
        assert not app.exception and not app.success
        assert_no_write_widgets(app)
    assert snapshot(own_copy, ROOT / "data") == before


def test_read_only_without_a_build_says_so_and_builds_nothing(tmp_path, monkeypatch):
    # First visit of a public link on a fresh machine: the demo store is empty.
    assert not (ROOT / "data" / "store" / "articles.parquet").exists()
    assert not (ROOT / "framing-atlas.toml").exists()
    monkeypatch.delenv("FRAMING_ATLAS_STORE", raising=False)
    monkeypatch.setenv("FRAMING_ATLAS_DEMO_STORE", str(tmp_path / "demo"))
    monkeypatch.setenv("FRAMING_ATLAS_READ_ONLY", "true")
    monkeypatch.chdir(ROOT)
    before = snapshot(tmp_path, ROOT / "data")
    for page in PAGES:
        app = open_page(page)
        shown = " ".join(i.value for i in app.info)
        assert "This public link has no atlas yet" in shown, (page, shown)
        assert "framing-atlas build" in shown and not app.get("progress")
        assert_no_write_widgets(app)
    assert not (tmp_path / "demo").exists()
    assert snapshot(tmp_path, ROOT / "data") == before


ADMIN = {"framing_atlas": {"admin_password": "harbor-lantern-7 (fictional)"}}


def open_with_secrets(page: str, secrets: dict) -> AppTest:
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    app.secrets.update(json.loads(json.dumps(secrets)))  # a copy: a test may change it
    app.switch_page(f"pages/{page}.py")
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def enter_password(app: AppTest, password: str) -> AppTest:
    app.text_input(key="admin_password_entry").input(password).run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def admin_field(app: AppTest) -> list:
    return [t for t in app.sidebar.text_input if t.key == "admin_password_entry"]


def test_an_admin_password_hides_every_write_control_until_entered(own_copy):
    before = snapshot(own_copy, ROOT / "data")
    for page in PAGES:
        app = open_with_secrets(page, ADMIN)
        assert app.title and not app.error, page
        assert_no_write_widgets(app)
        assert admin_field(app) and admin_field(app)[0].proto.type == 1, page  # PASSWORD
        if page == "data":
            assert any("need the admin password" in c.value for c in app.caption)
            assert [c.language for c in app.code] == ["toml"] * 3
        if page == "clusters":
            assert any("Renaming needs the admin password" in c.value for c in app.caption)
    assert snapshot(own_copy, ROOT / "data") == before


def test_a_wrong_admin_password_is_refused_and_the_right_one_unlocks(own_copy):
    app = open_with_secrets("data", ADMIN)
    enter_password(app, "harbor-lantern")
    assert any("Wrong password" in e.value for e in app.sidebar.error)
    assert_no_write_widgets(app)
    enter_password(app, ADMIN["framing_atlas"]["admin_password"])
    assert not app.error and not admin_field(app)
    assert app.file_uploader(key="upload") and app.button(key="rebuild")
    assert app.text_area(key="themes_text")
    assert app.session_state["admin_password_entry"] == ""  # the password is not kept
    app.switch_page("pages/themes.py").run()  # unlocked for the rest of the session
    assert app.button(key="retrain") and app.get("file_uploader")
    app.switch_page("pages/clusters.py").run()
    assert app.text_input(key="rename_text")
    other = open_with_secrets("data", ADMIN)  # another visitor is still locked out
    assert_no_write_widgets(other)
    app.switch_page("pages/data.py").run()
    app.button(key="admin_lock").click().run()
    assert_no_write_widgets(app)
    assert admin_field(app)


def test_a_changed_admin_password_locks_sessions_unlocked_with_the_old_one(own_copy):
    app = enter_password(open_with_secrets("data", ADMIN), ADMIN["framing_atlas"]["admin_password"])
    before = snapshot(own_copy, ROOT / "data")
    rebuild = app.button(key="rebuild")
    app.secrets["framing_atlas"]["admin_password"] = "ridge-tribune-9 (fictional)"
    rebuild.click().run()
    assert not app.exception and not app.success
    assert_no_write_widgets(app)
    assert snapshot(own_copy, ROOT / "data") == before


def test_a_malformed_admin_password_keeps_the_pages_locked(own_copy):
    app = open_with_secrets("data", {"framing_atlas": {"admin_password": ""}})
    assert any("secrets.toml" in e.value and "non-empty" in e.value for e in app.sidebar.error)
    assert_no_write_widgets(app)


def test_without_an_admin_password_nothing_is_gated(own_copy):
    app = open_with_secrets("data", {"other_service": {"token": "x"}})
    assert not admin_field(app) and not app.error
    assert app.file_uploader(key="upload") and app.button(key="rebuild")
    assert not any("admin password" in c.value for c in app.caption)


def test_the_upload_limit_is_stated_and_a_larger_file_refused(own_copy, monkeypatch):
    app = open_page("data")
    assert any("Up to 50 MB per file" in c.value and "framing-atlas ingest FILE" in c.value
               for c in app.caption)
    monkeypatch.setenv("FRAMING_ATLAS_MAX_UPLOAD_MB", "1")
    app = open_page("data")
    app.file_uploader(key="upload").set_value(
        ("harbor *big* corpus.csv", b"outlet,text\n" + b"x" * 1_200_000, "text/csv")).run()
    shown = [markdown_shown(e.value) for e in app.error]
    assert any(s.startswith("harbor *big* corpus.csv: 1.2 MB is over this dashboard's upload "
                            "limit of 1 MB") for s in shown), shown
    assert not [b for b in app.button if b.key == "ingest"]
    themes = open_page("themes")
    assert any("Up to 1 MB per file" in c.value for c in themes.caption)


def test_rebuild_button_starts_a_background_build_shown_on_every_page(own_copy, monkeypatch):
    # issue 13: a build run inside the page's script ended with the next click.
    store = Store(own_copy / "store")
    first = store.manifest()["build_id"]
    app = open_page("data")
    app.button(key="rebuild").click().run()
    assert not app.exception and any("Build started in the background" in s.value
                                     for s in app.success)
    other = open_page("map")  # another session, another page: the build's progress
    bars = [p for p in other.get("progress") if "A build runs in the background" in p.proto.text]
    assert bars
    app.run()
    assert app.button(key="rebuild").disabled  # and no second start while it runs
    job = wait_for_job(store.root)
    assert job.state == "done" and store.manifest()["build_id"] == job.build_id != first
    app.run()  # the session that saw it run is told once, and shows the new build
    assert any(job.build_id in s.value for s in app.success)
    assert not app.button(key="rebuild").disabled
    app.run()
    assert not any(job.build_id in s.value for s in app.success)


def test_a_died_background_build_is_reported_with_a_button_to_start_it_again(own_copy):
    store = Store(own_copy / "store")  # a job whose process is gone (a number no process has)
    (store.root / "job.json").write_text(json.dumps(
        {"state": "running", "pid": 2 ** 22 + 1, "started": "2026-11-30T10:00:00+00:00",
         "updated": "2026-11-30T10:05:00+00:00", "message": "embed: embedding <b>x</b>"}))
    app = open_page("timeline")
    warning = " ".join(w.value for w in app.warning)
    assert ("stopped before it finished (its process ended during “embed: embedding <b>x</b>”)"
            in markdown_shown(warning)) and not live_markup(warning)["html"]
    assert app.button(key="job_restart")


def test_invalid_themes_edit_is_refused_and_file_kept(env, monkeypatch, tmp_path):
    themes = tmp_path / "themes.toml"
    original = (ROOT / "data" / "themes.toml").read_text(encoding="utf-8")
    themes.write_text(original, encoding="utf-8")
    monkeypatch.setenv("FRAMING_ATLAS_THEMES_FILE", str(themes))
    app = open_page("data")
    app.text_area(key="themes_text").set_value("[[themes]]\nname = 'Bad Name'\n")
    app.button(key="save_themes").click().run()
    assert "name must be lower-case" in app.error[0].value
    assert themes.read_text(encoding="utf-8") == original


def test_framing_shows_intervals_and_downloads_each_table(env, downloads):
    app = open_page("framing")
    assert not app.error and not app.info
    labels = [b.label for b in app.download_button]
    assert labels.count("Download this table (CSV)") >= 5  # shares ×2, divergence, terms, axes
    shares = pd.read_csv(io.BytesIO(download_by_key(app, downloads, "dl_fr_themes")),
                         encoding="utf-8-sig")
    assert BOTH_ESTIMATES | {"group"} <= set(shares.columns)
    assert_both_estimates_with_intervals(shares.rename(columns={"group": "outlet"}))
    clusters = pd.read_csv(io.BytesIO(download_by_key(app, downloads, "dl_fr_clusters")),
                           encoding="utf-8-sig")
    assert {"group", "category", "share", "low", "high"} <= set(clusters.columns)
    assert_intervals_only_where_enough_articles(clusters.rename(columns={"group": "outlet"}))
    divergence = pd.read_csv(io.BytesIO(download_by_key(app, downloads, "dl_fr_divergence")),
                             encoding="utf-8-sig")
    assert {"p_value", "p_holm"} <= set(divergence.columns)  # raw and adjusted, both shown
    assert (divergence["p_holm"] >= divergence["p_value"]).all()
    assert any("Holm" in c.value and "pairs" in c.value for c in app.caption)
    terms = pd.read_csv(io.BytesIO(download_by_key(app, downloads, "dl_fr_terms")),
                        encoding="utf-8-sig")
    assert {"z", "z_words", "articles_target", "few_articles"} <= set(terms.columns)
    assert (terms["z"].abs() <= terms["z_words"].abs() + 1e-9).all()
    assert not any("unlikely by chance" in c.value for c in app.caption)
    assert any("arise by chance" in c.value for c in app.caption)
    app.selectbox(key="fr_target").set_value("Injection Test Wire (fictional)").run()
    assert not app.exception and any("too few articles" in w.value for w in app.warning)
    app.segmented_control(key="fr_by").set_value("groups").run()
    assert not app.exception and not app.error
    assert any("Groups from" in c.value for c in app.caption)
    axis = [m for m in app.selectbox(key="fr_measure").options if m.startswith("axis")][0]
    app.selectbox(key="fr_measure").set_value(axis).run()
    assert not app.exception and not app.error


def test_groups_are_editable_and_checked(env, monkeypatch, tmp_path):
    groups = tmp_path / "groups.toml"
    groups.write_text((ROOT / "data" / "groups.toml").read_text(encoding="utf-8"),
                      encoding="utf-8")
    monkeypatch.setenv("FRAMING_ATLAS_GROUPS_FILE", str(groups))
    app = open_page("data")
    app.text_area(key="groups_text").set_value("[[groups]]\nname = 'one'\noutlets = []\n")
    app.button(key="save_groups").click().run()
    assert app.error and "groups.toml" in app.error[0].value
    mine = f"[[groups]]\nname = 'east and west'\noutlets = ['{EAST}', '{WEST}']\n"
    app.text_area(key="groups_text").set_value(mine).run()
    app.button(key="save_groups").click().run()
    assert groups.read_text(encoding="utf-8") == mine and not app.error
    framing = open_page("framing")
    framing.segmented_control(key="fr_by").set_value("groups").run()
    assert "east and west" in framing.selectbox(key="fr_target").options


def test_upload_ingests_reports_and_builds(env, monkeypatch, tmp_path):
    store = tmp_path / "mine"
    monkeypatch.setenv("FRAMING_ATLAS_STORE", str(store))
    body = ("The alliance summit ended with a statement on the eastern flank and on air defence "
            "for the partners who asked for it.")
    csv = ("outlet,published,title,url,text\n"
           f"Harbor Gazette (fictional),2026-02-01,Summit,https://harbor.example/1,\"{body}\"\n"
           f"Harbor Gazette (fictional),31/31/2024,Bad date,https://harbor.example/2,\"{body}\"\n"
           f",2026-02-02,No outlet,https://harbor.example/3,\"{body}\"\n")
    app = open_page("data")
    assert "No articles yet" in app.info[0].value
    app.file_uploader(key="upload").set_value(("mine.csv", csv.encode(), "text/csv")).run()
    app.button(key="ingest").click().run()
    assert not app.exception and not app.error, [e.value for e in app.error]
    shown = "\n".join(t.value for t in app.text)
    assert "row 3: column 'published': not a date: '31/31/2024'" in shown
    assert "row 4: column 'outlet': no outlet" in shown
    assert any("Build started in the background" in s.value for s in app.success)
    assert wait_for_job(store).state == "done"
    assert len(Store(store).read_table("paragraphs")) >= 1
    app.run()  # the report stays on the page after the build's end reran it
    assert "row 3: column 'published': not a date: '31/31/2024'" in "\n".join(
        t.value for t in app.text)


HOSTILE_TITLE = "[Verify your login](https://phish.example/login) **now** <img src=x>"


@pytest.fixture
def store_with_gaps(tmp_path, settings_for, monkeypatch):
    """Fictional articles, one empty and one boilerplate-only, built with the FakeEncoder."""
    from framing_atlas.pipeline.build import build_atlas
    from framing_atlas.inputs.ingest import ingest

    gazette = "Harbor Gazette (fictional)"
    gaps = pd.DataFrame([
        {"outlet": gazette, "title": "Blank page", "text": "\u200b\u200b"},
        {"outlet": gazette, "title": HOSTILE_TITLE, "text": "Read more: Harbour fees rise again"},
        {"outlet": gazette, "title": "Claim", "text": "NATO will place missiles in Port Averly."},
    ]).assign(published="2026-01-05", url=[f"https://harbor.example/gap{i}" for i in range(3)])
    source = tmp_path / "gaps.csv"
    pd.concat([make_articles(4), gaps]).to_csv(source, index=False)
    store = Store(tmp_path / "store")
    merged, _ = ingest([source], store.read_articles())
    store.write_articles(merged)
    build_atlas(settings_for(store.root), encoder=FakeEncoder())
    monkeypatch.setenv("FRAMING_ATLAS_STORE", str(store.root))
    monkeypatch.chdir(ROOT)
    return store.root


def test_data_page_says_which_articles_gave_no_paragraph(store_with_gaps):
    app = open_page("data")
    note = "2 articles gave no paragraph: 1 empty after cleaning, 1 only boilerplate"
    assert any(note in element.value for element in app.info)
    [expander] = [e for e in app.expander if "without a paragraph" in e.label]
    [table] = expander.dataframe
    gone = table.value
    assert sorted(gone["title"]) == sorted(["Blank page", HOSTILE_TITLE])
    assert set(gone["reason"]) == {"empty after cleaning", "only boilerplate"}
    # The title is shown only as table data, never as markdown.
    rendered = [m.value for m in app.markdown] + [c.value for c in app.caption]
    rendered += [i.value for i in app.info] + [e.label for e in app.expander]
    assert not any("phish.example" in text for text in rendered)


# Crafted share link (issue 9, item 16): unknown values echoed into the sidebar note.
PHISH = "[Verify your login](https://phish.example/login)"
TRACKER = "![x](https://tracker.example/p.png)"


def markdown_bodies(app: AppTest) -> list[str]:
    """Every string the page renders as markdown: text, captions, headings and alerts."""
    kinds = ("markdown", "caption", "title", "header", "subheader", "warning", "info", "error",
             "success")
    return [str(e.value) for kind in kinds for e in app.get(kind)]


def foreign_markup(app: AppTest, allowed_links: set[str]) -> list[tuple[str, dict]]:
    """Markdown bodies that would render a link (other than to an article), image or HTML."""
    bad = []
    for body in markdown_bodies(app):
        live = live_markup(body)
        live["links"] = [link for link in live["links"] if link not in allowed_links]
        if any(live.values()):
            bad.append((body, live))
    return bad


@pytest.mark.parametrize("page", ["map", "compare", "clusters"])
def test_crafted_link_parameters_are_shown_literally(env, page, monkeypatch):
    monkeypatch.setenv("FRAMING_ATLAS_READ_ONLY", "true")  # a public link: read-only as well
    app = open_page(page, outlet=PHISH, theme=TRACKER, **{"<img src=x>": "1"})
    notes = [c.value for c in app.sidebar.caption if "link" in c.value]
    assert len(notes) == 3, notes
    assert foreign_markup(app, set(Store(env).read_articles()["url"])) == []
    shown = " ".join(markdown_shown(note) for note in notes)
    assert PHISH in shown and TRACKER in shown and "<img src=x>" in shown


@pytest.fixture
def hostile_env(hostile_names_store, monkeypatch):
    monkeypatch.setenv("FRAMING_ATLAS_STORE", str(hostile_names_store))
    monkeypatch.chdir(ROOT)
    return hostile_names_store


def figure_strings(app: AppTest) -> list[str]:
    """Every string in every Plotly figure of the page (data and layout)."""
    found: list[str] = []

    def walk(value) -> None:
        if isinstance(value, str):
            found.append(value)
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    for chart in app.get("plotly_chart"):
        walk(json.loads(chart.proto.spec))
    return found


HOSTILE_PAGES = {"map": {"color": "cluster"}, "compare": {}, "timeline": {}, "framing": {},
                 "clusters": {}, "themes": {}, "data": {}}


@pytest.mark.parametrize("page", list(HOSTILE_PAGES))
def test_hostile_outlet_and_cluster_names_stay_literal(hostile_env, page):
    articles = Store(hostile_env).read_articles()
    app = open_page(page, **HOSTILE_PAGES[page])
    if page == "clusters":  # show a cluster with a hostile name
        picker = app.selectbox(key="cluster_pick")
        named = [o for o in picker.options if any(o.endswith(n[:20]) or n[:20] in o
                                                  for n in HOSTILE_LABELS)]
        picker.set_value(int(named[1].split(":")[0])).run()
    assert not app.exception and not app.error, [e.value for e in app.error]
    assert foreign_markup(app, set(articles["url"])) == []
    shown_markdown = "\n".join(markdown_shown(body) for body in markdown_bodies(app))
    strings = figure_strings(app)
    tags = {tag.lower() for s in strings for tag in plotly_markup(s)[0]}
    assert tags <= {"<br>", "<i>", "</i>"}, tags  # only the pages' own line breaks and italics
    shown_plotly = "\n".join(plotly_markup(s)[1] for s in strings)
    assert "&quot;" not in shown_plotly and "&#x27;" not in shown_plotly
    if page in ("compare", "timeline", "framing"):  # outlets on axes, legends and hovers
        for name in HOSTILE_OUTLETS.values():
            assert name in shown_plotly, name
    if page in ("map", "compare"):  # cluster names in legends, annotations and ticks
        for label in HOSTILE_LABELS:
            assert label[:30] in shown_plotly, label
    if page == "clusters":
        assert named[1] and HOSTILE_LABELS[1] in shown_markdown  # the heading, literally
    if page == "compare":
        assert any(name in shown_markdown for name in HOSTILE_OUTLETS.values())


def test_streamlit_own_table_export_is_off():
    # The toolbar download of st.dataframe (and of chart table views) writes its own CSV and
    # skips to_csv's formula defusing: the app turns it off, and offers to_csv's file instead.
    import streamlit.config

    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["client"]["disableDataExport"] is True


def test_table_export_is_off_without_the_config_file_too(env):
    # Started from another folder, .streamlit/config.toml is not read: the pages switch the
    # option on themselves (checked in Chromium: no "Download as CSV" in the table toolbar).
    import streamlit.config

    streamlit.config.set_option("client.disableDataExport", False)
    app = open_page("data")
    assert streamlit.config.get_option("client.disableDataExport") is True and app.dataframe


def dataframe_calls() -> list[tuple[str, str]]:
    """(file, enclosing function) of every st.dataframe / st.data_editor call of the dashboard."""
    found = []
    for path in [ROOT / "app.py", ROOT / "ui.py", *sorted((ROOT / "pages").glob("*.py"))]:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        owner = {}
        for function in (n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)):
            for inner in ast.walk(function):
                owner.setdefault(id(inner), function.name)
        for node in ast.walk(tree):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and node.func.attr in ("dataframe", "data_editor")):
                found.append((path.name, owner.get(id(node), "<module>")))
    return found


def test_every_table_goes_through_the_one_wrapper():
    calls = dataframe_calls()
    assert calls and set(calls) == {("ui.py", "table")}, calls


def test_tables_download_through_to_csv(env, downloads):
    from framing_atlas.views.filters import to_csv

    app = open_page("data")
    assert app.dataframe and streamlit_option("client.disableDataExport") is True
    got = download(app, downloads, "Download this table")
    shown = app.dataframe[0].value
    assert got == to_csv(shown) and set(shown["outlet"]) >= {EAST, WEST}
    downloads.clear()
    clusters = open_page("clusters")
    overview = clusters.dataframe[0].value  # the overview; the second is in an expander
    assert download(clusters, downloads, "Download this table") == to_csv(overview)
    members = [b.label for b in clusters.download_button if b.key == "dl_cluster_rows"]
    assert len(clusters.dataframe) == 2 and members == ["Download these paragraphs (CSV)"]


def streamlit_option(name: str):
    import streamlit

    return streamlit.get_option(name)


def test_require_writable_stops_before_the_write(tmp_path, monkeypatch):
    # The pages hide their write widgets when read-only; every write path also passes this
    # guard, so a write added later without its own check still writes nothing.
    def script(target: str) -> None:
        from pathlib import Path

        import app_data

        app_data.require_writable()
        Path(target).write_text("written", encoding="utf-8")

    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("FRAMING_ATLAS_READ_ONLY", "true")
    guarded = AppTest.from_function(script, args=(str(tmp_path / "a.txt"),)).run()
    assert "read-only" in guarded.error[0].value and not (tmp_path / "a.txt").exists()
    monkeypatch.setenv("FRAMING_ATLAS_READ_ONLY", "false")
    AppTest.from_function(script, args=(str(tmp_path / "b.txt"),)).run()
    assert (tmp_path / "b.txt").read_text(encoding="utf-8") == "written"


# Theme shares corrected for the detectors' measured error (issue 15, part 4) -----------------

RAW, CORRECTED = "raw", "corrected for error"


def plotly_values(value) -> list:
    """A Plotly data array as a list (NaN as None): plain JSON, or the base64 "bdata" form
    plotly.py writes numpy arrays in."""
    import base64

    import numpy as np

    if isinstance(value, dict) and "bdata" in value:
        array = np.frombuffer(base64.b64decode(value["bdata"]), dtype=np.dtype(value["dtype"]))
        if "shape" in value:
            shape = value["shape"]
            array = array.reshape([int(n) for n in str(shape).split(",")]
                                  if not isinstance(shape, list) else shape)
        value = array.tolist()
    if isinstance(value, list):
        return [plotly_values(v) if isinstance(v, (list, dict)) else
                (None if isinstance(v, float) and v != v else v) for v in value]
    return value


def specs(app: AppTest) -> list[dict]:
    return [json.loads(chart.proto.spec) for chart in app.get("plotly_chart")]


def facet_bars(spec: dict) -> dict[tuple[str, str], dict[str, float | None]]:
    """(estimate, facet title) → {outlet as shown: bar length} of a faceted bar chart."""
    layout = spec["layout"]
    centres = {}
    for name, axis in layout.items():
        if name.startswith("xaxis") and "domain" in axis:
            centres["x" + name[len("xaxis"):]] = sum(axis["domain"]) / 2
    titles = {a["x"]: a["text"] for a in layout.get("annotations", [])}
    bars = {}
    for trace in spec["data"]:
        centre = centres[trace.get("xaxis", "x")]
        title = titles[min(titles, key=lambda x: abs(x - centre))]
        bars[(trace["name"], title)] = dict(zip(trace["y"], plotly_values(trace["x"])))
    return bars


def close(a, b) -> bool:
    return (a is None and pd.isna(b)) or (a is not None and abs(a - b) < 1e-9)


def shown(name: str) -> str:
    from framing_atlas.views.safe_text import plotly_literal

    return plotly_literal(name)


def test_compare_sets_corrected_shares_beside_raw(env, downloads):
    app = open_page("compare")
    table = pd.read_csv(io.BytesIO(download_by_key(app, downloads, "dl_theme_shares")),
                        encoding="utf-8-sig")
    bars = facet_bars(specs(app)[0])
    assert {estimate for estimate, _ in bars} == {RAW, CORRECTED}
    assert {title for _, title in bars} == {"expansion", "escalation", "information warfare"}
    for row in table.itertuples():
        facet = row.theme.replace("_", " ")
        assert close(bars[(RAW, facet)][shown(row.outlet)], row.raw_share)
        assert close(bars[(CORRECTED, facet)][shown(row.outlet)], row.corrected_share)
    assert table["corrected_share"].notna().all()
    words = " ".join(c.value for c in app.caption)
    assert "adjusted classify-and-count" in words and "cross\\-validated on" in words
    assert "precision" in words and "recall" in words and not app.info
    # Frames within a theme: the paragraphs its detector marks, whatever their best theme.
    paragraphs = Store(env).read_table("paragraphs")
    theme = app.selectbox(key="compare_theme").value
    frames = pd.read_csv(io.BytesIO(download_by_key(app, downloads, "dl_theme_frames")),
                         encoding="utf-8-sig")
    marked = paragraphs[paragraphs[f"has_{theme}"]].groupby("outlet").size()
    assert frames.groupby("outlet")["paragraphs"].sum().to_dict() == marked.to_dict()
    assert (paragraphs[f"has_{theme}"] != (paragraphs["theme"] == theme)).any()


def timeline_z(spec: dict) -> dict[tuple[str, str], float | None]:
    """(outlet as shown, period) → the colour value of the timeline's two heatmaps (the grey
    one holds the thin cells)."""
    cells = {}
    for trace in spec["data"]:
        for outlet, values in zip(trace["y"], plotly_values(trace["z"])):
            for period, value in zip(trace["x"], values):
                if value is not None:
                    cells[(outlet, period)] = value
    return cells


def test_timeline_colours_by_the_corrected_share_and_shows_both(env, downloads):
    app = open_page("timeline", theme="escalation")
    assert app.radio(key="tl_estimate").value == "corrected"
    table = pd.read_csv(io.BytesIO(download_by_key(app, downloads, "dl_timeline")),
                        encoding="utf-8-sig")
    mine = table[table["theme"] == "escalation"]
    heat, overall = specs(app)
    z = timeline_z(heat)
    assert len(z) == len(mine)
    for row in mine.itertuples():
        assert close(z[(shown(row.outlet), row.period)], row.corrected_share)
    # Each trace (coloured, grey for too few articles) carries its own cells' hovers.
    hovers = [cell for trace in heat["data"] for line in trace["customdata"] for cell in line
              if cell]
    assert hovers and all("raw: " in h and "corrected: " in h for h in hovers)
    cells = [cell for trace in heat["data"] for line in trace["text"] for cell in line if cell]
    assert len(cells) == len(mine) and all("<br>corr. " in t for t in cells)
    assert not app.info
    app.radio(key="tl_estimate").set_value("raw").run()
    heat, overall = specs(app)
    z = timeline_z(heat)
    for row in mine.itertuples():
        assert close(z[(shown(row.outlet), row.period)], row.raw_share)
    # All themes together: the part of every paragraph of the week each detector marks.
    pooled = table.groupby(["theme", "period"])[["paragraphs", "total"]].sum()
    for trace in overall["data"]:
        theme = trace["name"].replace(" ", "_")
        for period, value in zip(trace["x"], plotly_values(trace["y"])):
            counts = pooled.loc[(theme, period[:10])]
            assert close(value, counts["paragraphs"] / counts["total"])


def test_framing_sets_corrected_shares_beside_raw(env, downloads):
    app = open_page("framing")
    theme = app.selectbox(key="fr_theme").value
    table = pd.read_csv(io.BytesIO(download_by_key(app, downloads, "dl_fr_themes")),
                        encoding="utf-8-sig")
    mine = table[table["theme"] == theme]
    points = {trace["name"]: dict(zip(trace["y"], plotly_values(trace["x"])))
              for trace in specs(app)[0]["data"]}
    assert set(points) == {RAW, CORRECTED}
    for row in mine.itertuples():
        assert close(points[RAW][shown(row.group)], row.raw_share)
        assert close(points[CORRECTED][shown(row.group)], row.corrected_share)
    # Over time: the theme's corrected share by default, the raw one on request.
    assert app.selectbox(key="fr_measure").value == f"theme: {theme}"
    for estimate in ("corrected", "raw"):
        app.radio(key="fr_estimate").set_value(estimate).run()
        over = pd.read_csv(io.BytesIO(download_by_key(app, downloads, "dl_fr_over_time")),
                           encoding="utf-8-sig")
        assert BOTH_ESTIMATES | {"side", "period"} <= set(over.columns)
        lines = specs(app)[-1]["data"]
        assert all("corrected=" in t["hovertemplate"] and "raw=" in t["hovertemplate"]
                   for t in lines)
        for trace in lines:
            side = over[over["side"].map(shown) == trace["name"]].sort_values("period")
            assert plotly_values(trace["y"]) == pytest.approx(
                side[f"{estimate}_share"].tolist())


@pytest.fixture
def unlabelled_theme(own_copy):
    """The built store with information_warfare's labelled paragraphs taken out of its build,
    as for a theme started from its description alone."""
    store = Store(own_copy / "store")
    path = store.build_folder(store.manifest()["build_id"]) / "themes.json"
    document = json.loads(path.read_text(encoding="utf-8"))
    for theme in document["themes"]:
        if theme["name"] == "information_warfare":
            theme["detector"].update(n_labels=0, n_positive=0,
                                     oof={"score": [], "truth": [], "weight": []})
    path.write_text(json.dumps(document), encoding="utf-8")
    return own_copy


def test_a_theme_without_labels_shows_its_raw_share_only_and_says_why(unlabelled_theme,
                                                                       downloads):
    app = open_page("compare")
    notes = [i.value for i in app.info]
    assert len(notes) == 1 and "information warfare" in notes[0] and "no correction" in notes[0]
    assert any("information warfare⁠\\:⁠ no labelled paragraphs yet" in c.value
               for c in app.caption)
    bars = facet_bars(specs(app)[0])
    assert all(v is None for v in bars[(CORRECTED, "information warfare")].values())
    assert all(v is not None for v in bars[(RAW, "information warfare")].values())
    assert all(v is not None for v in bars[(CORRECTED, "escalation")].values())
    table = pd.read_csv(io.BytesIO(download_by_key(app, downloads, "dl_theme_shares")),
                        encoding="utf-8-sig")
    unlabelled = table[table["theme"] == "information_warfare"]
    assert unlabelled["corrected_share"].isna().all() and unlabelled["raw_share"].notna().all()
    assert unlabelled["note"].str.startswith("no correction").all()
    assert table.loc[table["theme"] != "information_warfare", "corrected_share"].notna().all()

    timeline = open_page("timeline", theme="information_warfare")
    assert "no correction" in timeline.info[0].value and "raw share is shown" in \
        timeline.info[0].value
    over = pd.read_csv(io.BytesIO(download_by_key(timeline, downloads, "dl_timeline")),
                       encoding="utf-8-sig")
    z = timeline_z(specs(timeline)[0])
    for row in over[over["theme"] == "information_warfare"].itertuples():
        assert close(z[(shown(row.outlet), row.period)], row.raw_share)

    framing = open_page("framing")
    framing.selectbox(key="fr_theme").set_value("information_warfare").run()
    assert any("no correction" in i.value for i in framing.info)
    points = {t["name"]: plotly_values(t["x"]) for t in specs(framing)[0]["data"]}
    assert all(v is None for v in points[CORRECTED]) and None not in points[RAW]


# Teaching themes (issue 15): labels from a map selection or the reader, a retrain, a rebuild.

def run_with_selection(app: AppTest, index) -> AppTest:
    """Run the page as the browser does while these paragraphs are box-selected on the map
    (each dot's customdata is its paragraph's row index). The browser sends the selection with
    every rerun, a button click's included; so does this."""
    from streamlit.proto.WidgetStates_pb2 import WidgetState

    chart = next(c for c in app.get("plotly_chart") if c.key == "map")
    states = app._tree.get_widget_states()
    selection = {"selection": {"points": [{"customdata": int(i)} for i in index],
                               "point_indices": list(range(len(index))), "box": [], "lasso": []}}
    states.widgets.append(WidgetState(id=chart.proto.id, string_value=json.dumps(selection)))
    app._run(states)
    assert not app.exception, [e.value for e in app.exception]
    return app


def button(app: AppTest, key: str):
    return next(b for b in app.button if b.key == key)


def detector(store: Store, theme: str) -> dict:
    return next(t["detector"] for t in store.read_document("themes")["themes"]
                if t["name"] == theme)


def test_teach_a_theme_from_the_map_then_retrain_and_rebuild(own_copy):
    store = Store(own_copy / "store")
    paragraphs = store.read_table("paragraphs")
    ranked = paragraphs.sort_values("score_expansion").index
    inside, outside = list(ranked[-8:]), list(ranked[:8])
    before = detector(store, "expansion")
    assert before["n_user"] == 0 and store.read_labels().empty

    app = run_with_selection(open_page("map"), inside)
    assert app.subheader[0].value == "8 selected paragraphs"
    app.selectbox(key="teach_map_theme").set_value("expansion")
    run_with_selection(app, inside)
    assert not [c for c in app.caption if "already marked" in c.value]
    mark_in = button(app, "teach_map_in")
    assert mark_in.label == "Mark 8 paragraphs as in expansion"
    mark_in.click()
    run_with_selection(app, inside)
    assert any("Marked 8 paragraphs as in expansion" in s.value for s in app.success)
    run_with_selection(app, inside[-3:] + outside)  # three of them marked just now
    assert any("3 of them already marked for expansion (3 in, 0 out)" in c.value
               for c in app.caption)
    run_with_selection(app, outside)
    button(app, "teach_map_out").click()
    run_with_selection(app, outside)
    labels = store.read_labels()
    assert len(labels) == 16 and set(labels["theme"]) == {"expansion"}
    wanted = {**{h: 1 for h in paragraphs.loc[inside, "text_hash"]},
              **{h: 0 for h in paragraphs.loc[outside, "text_hash"]}}
    assert dict(zip(labels["text_hash"], labels["in_theme"])) == wanted
    assert set(labels["text"]) == set(paragraphs.loc[inside + outside, "text"])

    # One paragraph from the reader, out of another theme; the reader then says so.
    one = outside[:1]
    app = run_with_selection(open_page("map"), one)
    app.selectbox(key="read_%d_theme" % one[0]).set_value("escalation")
    run_with_selection(app, one)
    assert button(app, "read_%d_out" % one[0]).label == "Mark not in escalation"
    button(app, "read_%d_out" % one[0]).click()
    run_with_selection(app, one)
    assert len(store.read_labels()) == 17
    assert any("not in escalation" in c.value and "not in expansion" in c.value
               for c in app.caption)

    themes = open_page("themes")
    assert any("changed since this build" in w.value for w in themes.warning)
    shown = themes.dataframe[0].value.set_index("theme")
    assert shown.loc["expansion", "people's in (now)"] == 8
    assert shown.loc["expansion", "people's, in this build"] == 0
    assert len(themes.dataframe[1].value) == 17  # the people's labels
    first = store.manifest()["build_id"]
    button(themes, "retrain").click().run()
    assert not themes.exception and any("Retraining in the background" in s.value
                                        for s in themes.success)
    assert wait_for_job(store.root).state == "done"
    themes.run()  # what the page shows once the build is done
    assert any("The background build finished" in s.value for s in themes.success)
    assert store.manifest()["build_id"] != first and store.manifest()["map_reused"]
    after = detector(store, "expansion")
    assert after["n_user"] == 16 > before["n_user"] and after["method"] == "classifier"
    assert detector(store, "escalation")["n_user"] == 1
    shown = themes.dataframe[0].value.set_index("theme")
    assert shown.loc["expansion", "people's, in this build"] == 16
    assert shown.loc["expansion", "method"] == "classifier"
    assert 0 <= shown.loc["expansion", "F1 (CV)"] <= 1
    assert themes.get("plotly_chart") and not themes.warning

    # The labels live beside the builds: another rebuild keeps them and trains on them again.
    kept = store.read_labels()
    data = open_page("data")
    data.button(key="rebuild").click().run()
    assert wait_for_job(store.root).state == "done"
    assert store.read_labels().equals(kept)
    assert detector(store, "expansion")["n_user"] == 16


@pytest.fixture
def deferred(monkeypatch):
    """The callable behind every download built only when clicked, by its file id."""
    from streamlit.runtime.media_file_manager import MediaFileManager

    callables: dict = {}
    original = MediaFileManager.add_deferred

    def keep(self, data_callable, *args, **kwargs):
        file_id = original(self, data_callable, *args, **kwargs)
        callables[file_id] = data_callable
        return file_id

    monkeypatch.setattr(MediaFileManager, "add_deferred", keep)
    return callables


def deferred_download(app: AppTest, callables: dict, key: str) -> bytes:
    """The bytes of a download built only when clicked, as a click in the browser builds them."""
    button = next(b for b in app.download_button if b.key == key)
    assert not button.proto.url and button.proto.deferred_file_id  # nothing built before
    return callables[button.proto.deferred_file_id]()


def test_themes_page_removes_exports_and_imports_labels(own_copy, deferred):
    from framing_atlas.inputs.labels import labels_from_paragraphs

    store = Store(own_copy / "store")
    paragraphs = store.read_table("paragraphs")
    store.save_labels(labels_from_paragraphs(paragraphs.head(3), "escalation", True))
    # A theme since removed from the themes file: its label is kept, and named.
    store.save_labels(labels_from_paragraphs(paragraphs.iloc[5:6], "sanctions", False))
    app = open_page("themes")
    assert any("sanctions (1)" in markdown_shown(w.value) for w in app.warning)
    assert any("4 labels given by people (3 in, 1 out) for 2 themes" in c.value
               for c in app.caption)
    exported = deferred_download(app, deferred, "labels_download")
    assert exported.startswith(b'\xef\xbb\xbf"theme","in_theme","text"')
    app.multiselect(key="labels_remove_pick").set_value([0, 1]).run()  # newest first
    button(app, "labels_remove").click().run()
    assert sorted(store.read_labels()["theme"]) == ["escalation", "escalation"]
    assert any("Removed 2 labels" in s.value for s in app.success)
    assert not any("sanctions" in markdown_shown(w.value) for w in app.warning)
    # The export reads back: importing it restores the removed label; bad rows are named.
    upload = exported + b'"sanctions","1","x","",""\n"escalation","maybe","y","",""\n'
    app.get("file_uploader")[0].set_value(("mine.csv", upload, "text/csv"))
    app.run()
    button(app, "labels_import").click().run()
    assert not app.exception and sorted(store.read_labels()["theme"]) == ["escalation"] * 3
    shown = texts(app)
    assert "row 5: column 'theme': no theme named 'sanctions'" in shown
    assert "row 7: column 'in_theme': expected 1/0, yes/no or in/out, got 'maybe'" in shown
    assert any("kept 3 labels" in s.value for s in app.success)
    assert all(str(own_copy) not in line for line in shown.splitlines())  # no temp folder


def test_read_only_shows_no_labelling_controls(own_copy, monkeypatch):
    store = Store(own_copy / "store")
    monkeypatch.setenv("FRAMING_ATLAS_READ_ONLY", "true")
    before = snapshot(own_copy)
    app = run_with_selection(open_page("map"), list(range(5)))
    assert app.subheader[0].value == "5 selected paragraphs"
    assert not app.selectbox and not app.button and not app.get("popover")
    themes = open_page("themes")
    assert themes.dataframe and not themes.button and not themes.get("file_uploader")
    assert not themes.multiselect and store.read_labels().empty
    assert snapshot(own_copy) == before


def test_hostile_label_text_stays_literal_on_the_themes_page(own_copy):
    from conftest import HOSTILE
    from framing_atlas.inputs.labels import labels_from_paragraphs

    store = Store(own_copy / "store")
    hostile = pd.DataFrame({"text": [HOSTILE["text"], "[x](https://evil.example/l) ![i](x.png)"]})
    store.save_labels(labels_from_paragraphs(hostile, "expansion", True))
    app = open_page("themes")
    assert foreign_markup(app, set(store.read_articles()["url"])) == []
    assert set(app.dataframe[1].value["paragraph"]) == set(hostile["text"])
    options = app.multiselect(key="labels_remove_pick").options
    assert any(HOSTILE["text"][:60] in option for option in options)  # plain text


def test_pages_share_one_paragraph_table_and_never_change_it(env):
    # issue 11: the table is read once per build (st.cache_resource) and shared by every
    # session, so a page that changed it would change every other session's view.
    import numpy as np

    import app_data
    import ui

    store, _ = app_data.active_store()
    root, build_id = str(store.root), app_data.active_build_id(store)
    shared = app_data.paragraphs(root, build_id)
    before = shared.copy(deep=True)
    open_page("map", q="the")
    open_page("compare")
    open_page("clusters", outlet=EAST)
    framing = open_page("framing")
    assert not framing.exception
    assert app_data.paragraphs(root, build_id) is shared
    pd.testing.assert_frame_equal(shared, before)
    # The filtered rows are cut only when a page asks, and not at all when every row is kept.
    everything = ui.Context(store, False, build_id, shared, pd.DataFrame(), [], None,
                            np.ones(len(shared), dtype=bool), True)
    assert everything.rows is shared
    some = np.arange(len(shared)) % 3 == 0
    cut = ui.Context(store, False, build_id, shared, pd.DataFrame(), [], None, some, True).rows
    assert cut.index.tolist() == np.flatnonzero(some).tolist() and "text" not in cut


def test_paragraph_table_reads_the_text_of_the_rows_it_shows(env):
    # issue 11: a cluster of 100,000 paragraphs in "As a table" read every text on every rerun.
    def script():
        import app_data
        import ui

        store, _ = app_data.active_store()
        shared = app_data.paragraphs(str(store.root), app_data.active_build_id(store))
        ui.paragraph_table(shared.iloc[[7, 3, 5, 9]], key="members", limit=3)

    app = AppTest.from_function(script, default_timeout=60).run()
    assert not app.exception
    import app_data

    store, _ = app_data.active_store()
    texts = pd.read_parquet(store.build_folder(app_data.active_build_id(store))
                            / "paragraphs.parquet", columns=["text"])["text"]
    shown = app.dataframe[0].value
    assert shown["paragraph"].tolist() == texts.iloc[[7, 3, 5]].tolist()
    assert "first 3 of 4" in app.caption[0].value


# Downloads under many sessions (issue 13): a click starts no rerun, which could drop the
# deferred CSV before Streamlit built it (bench/load.py saw "Deferred file ... not found").

@pytest.mark.parametrize("page", ["map", "compare", "timeline", "framing", "clusters"])
def test_download_buttons_start_no_rerun(env, page):
    app = open_page(page)
    buttons = list(app.download_button)
    assert buttons, page
    assert [b.label for b in buttons if not b.proto.ignore_rerun] == []


# A build published while the map is open (issue 13): the next run shows it, and says so.

def test_map_says_a_rebuild_replaced_the_map_it_drew(own_copy):
    store = Store(own_copy / "store")
    inside = list(store.read_table("paragraphs").index[:5])

    def rebuilt_notes(app: AppTest) -> list[str]:
        return [i.value for i in app.info if "rebuilt since this map was drawn" in i.value]

    app = run_with_selection(open_page("map"), inside)
    assert app.subheader[0].value == "5 selected paragraphs" and not rebuilt_notes(app)
    # A rebuild that leaves the map's figure as it was keeps the selection: the page says which
    # build it shows now, once.
    republish(store, "20990101T000000000000Z-same")
    app.run()
    assert rebuilt_notes(app) == ["The atlas was rebuilt since this map was drawn: it now shows "
                                  "build 20990101T000000000000Z-same."]
    assert app.subheader[0].value == "5 selected paragraphs"
    app.run()
    assert not rebuilt_notes(app) and app.subheader[0].value == "5 selected paragraphs"
    # One that moves a dot changes the figure: Streamlit drops the box drawn on the earlier one
    # with its chart, and the page says why nothing is selected any more.
    republish(store, "20990102T000000000000Z-moved", move=int(inside[0]))
    app.run()
    assert rebuilt_notes(app) == ["The atlas was rebuilt since this map was drawn: it now shows "
                                  "build 20990102T000000000000Z-moved. If you had drawn a box or "
                                  "lasso on the earlier map, draw it again."]
    assert app.subheader[0].value.endswith("paragraphs in view")
    app.run()
    assert not rebuilt_notes(app)
    assert not rebuilt_notes(open_page("map"))  # a new session drew no earlier map


# The map at scale (issue 11): an image above map.POINTS_LIMIT paragraphs, a box reads them.

@pytest.fixture(scope="module")
def large_store(atlas_store, tmp_path_factory) -> Store:
    """30,000 paragraphs: the demo build's, copied to synthetic articles of fictional
    outlets and jittered (bench/dashboard_scale.py's generator)."""
    from bench.dashboard_scale import synthetic_store

    return synthetic_store(30_000, tmp_path_factory.mktemp("large"), source=Store(atlas_store),
                           log=lambda *_: None)


def run_with_box(app: AppTest, box: dict) -> AppTest:
    """Run the page as the browser does after a box is drawn on the map image: Plotly selects
    no trace point, Streamlit sends the box's corners in data coordinates."""
    from streamlit.proto.WidgetStates_pb2 import WidgetState

    chart = next(c for c in app.get("plotly_chart") if c.key == "map")
    states = app._tree.get_widget_states()
    selection = {"selection": {"points": [], "point_indices": [], "lasso": [],
                               "box": [{"xref": "x", "yref": "y", **box}]}}
    states.widgets.append(WidgetState(id=chart.proto.id, string_value=json.dumps(selection)))
    app._run(states)
    assert not app.exception, [e.value for e in app.exception]
    return app


def test_large_map_is_an_image_and_a_box_reads_the_paragraphs_inside(large_store, monkeypatch):
    monkeypatch.setenv("FRAMING_ATLAS_STORE", str(large_store.root))
    monkeypatch.chdir(ROOT)
    paragraphs = large_store.read_table("paragraphs")
    app = open_page("map")
    spec = json.loads(next(c for c in app.get("plotly_chart") if c.key == "map").proto.spec)
    assert spec["layout"]["images"][0]["source"].startswith("data:image/png;base64,")
    # No dots: one empty trace per legend entry and the cluster centres (hover names them).
    sent = sum(len(plotly_values(t.get("x") or [])) for t in spec["data"])
    assert sent <= paragraphs["cluster"].nunique() + 11 and not [t for t in spec["data"] if t["type"] == "scattergl"]
    # The legend names each colour with its exact count; together they are every paragraph.
    counts = [int(t["name"].rsplit(" · ", 1)[1].replace(",", ""))
              for t in spec["data"] if t.get("showlegend") is not False]
    assert sum(counts) == len(paragraphs) == 30_000
    assert app.subheader[0].value == "30000 paragraphs in view"

    x0, x1 = paragraphs["x"].quantile([0.2, 0.3])
    y0, y1 = paragraphs["y"].quantile([0.1, 0.9])
    inside = paragraphs[paragraphs["x"].between(x0, x1) & paragraphs["y"].between(y0, y1)]
    assert 20 < len(inside) < len(paragraphs)
    run_with_box(app, {"x": [float(x1), float(x0)], "y": [float(y0), float(y1)]})
    assert app.subheader[0].value == f"{len(inside)} selected paragraphs"
    shown = {t.value for t in app.text}
    assert shown and shown <= set(inside["text"])
    assert len(app.dataframe[0].value) == min(len(inside), 1_000)  # the selection's table

    # Zoom to the selection: few enough remain in the window to be dots again.
    next(b for b in app.button if b.key == "map_zoom").click()
    run_with_box(app, {"x": [float(x1), float(x0)], "y": [float(y0), float(y1)]})
    spec = json.loads(next(c for c in app.get("plotly_chart") if c.key == "map").proto.spec)
    dots = [i for t in spec["data"] if t["type"] == "scattergl"
            for i in plotly_values(t["customdata"])]
    assert not spec["layout"].get("images")
    assert sorted(dots) == sorted(inside.index)  # the window is the box: exactly its paragraphs
    assert app.subheader[0].value == f"{len(inside)} paragraphs in view"
    # The link keeps the zoom: opened afresh, it shows the same window.
    link = app.query_params["zoom"]
    again = open_page("map", zoom=link)
    spec = json.loads(next(c for c in again.get("plotly_chart") if c.key == "map").proto.spec)
    dots = [i for t in spec["data"] if t["type"] == "scattergl"
            for i in plotly_values(t["customdata"])]
    assert sorted(dots) == sorted(inside.index) and any("Zoomed" in c.value for c in again.caption)
