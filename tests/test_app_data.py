"""app_data: the dashboard's cached readers read the build their key names, and the store it
opens does not depend on the folder streamlit was started from."""

import io

import numpy as np
import pandas as pd

import app_data
from conftest import ROOT
from framing_atlas.store import Store


def test_cached_readers_return_the_build_they_are_asked_for(tmp_path):
    # issue 10: paragraphs(root, build_id) read current.json's build, so a rebuild between the
    # key and the read cached the newer build's rows under the older id.
    store = Store(tmp_path)
    for name in ("older", "newer"):
        store.publish_build(name, {"paragraphs": pd.DataFrame({"build": [name]}),
                                   "centroids": pd.DataFrame({"build": [name]})},
                            {"manifest": {"build_id": name}, "axes": {"build": name}})
    root = str(tmp_path)
    assert app_data.active_build_id(store) == "newer"
    assert app_data.paragraphs(root, "older")["build"].tolist() == ["older"]
    assert app_data.table(root, "older", "centroids")["build"].tolist() == ["older"]
    assert app_data.table(root, "older", "missing") is None
    assert app_data.build_document(root, "older", "axes") == {"build": "older"}
    assert app_data.paragraphs(root, "newer")["build"].tolist() == ["newer"]


def test_the_dashboard_opens_the_same_store_from_any_working_folder(tmp_path, monkeypatch):
    # issue 10: active_store looked for framing-atlas.toml and data/ in the working folder.
    monkeypatch.delenv("FRAMING_ATLAS_STORE", raising=False)
    monkeypatch.delenv("FRAMING_ATLAS_DEMO_STORE", raising=False)
    monkeypatch.chdir(ROOT)
    from_app, demo_from_app = app_data.active_store()
    monkeypatch.chdir(tmp_path)
    from_elsewhere, demo_from_elsewhere = app_data.active_store()
    assert from_elsewhere.root == from_app.root.resolve()
    assert from_elsewhere.root.is_relative_to(ROOT)
    assert demo_from_elsewhere == demo_from_app
    assert app_data.settings().demo_corpus == ROOT / "data" / "demo" / "articles.csv"


def fictional_build(tmp_path, texts):
    """A published build of fictional paragraphs with these texts (and neighbour lists)."""
    n = len(texts)
    paragraphs = pd.DataFrame({
        "paragraph_id": [f"p{i}" for i in range(n)], "text": texts,
        "title": [f"title {i}" for i in range(n)],
        "url": [f"https://example.org/{i}" for i in range(n)],
        "outlet": ["Cobalt Herald (fictional)", "Tin Lantern (fictional)"] * (n // 2)
                  + ["Cobalt Herald (fictional)"] * (n % 2),
        "theme": ["escalation", "none"] * (n // 2) + ["none"] * (n % 2),
        "cluster": list(range(n)),
        "neighbours": [[f"p{(i + 1) % n}"] for i in range(n)]})
    Store(tmp_path).publish_build("b1", {"paragraphs": paragraphs},
                                  {"manifest": {"build_id": "b1"}})
    return str(tmp_path), paragraphs


TEXTS = ["Red lines were crossed.", "RED LINES again", "no match here", "Élan vital, ÉLAN",
         "a.b(c) [regex] chars", "straße und STRASSE", "", "the red line's end"]


def test_the_shared_table_has_no_text_and_is_the_same_object_each_call(tmp_path):
    root, written = fictional_build(tmp_path, TEXTS)
    first = app_data.paragraphs(root, "b1")
    assert first is app_data.paragraphs(root, "b1")  # shared, not a copy per call
    assert not {"text", "title", "url", "neighbours"} & set(first.columns)
    assert list(first.index) == list(range(len(TEXTS)))  # positions: the keys into the text
    assert first["theme"].dtype == "category"
    assert first["outlet"].tolist() == written["outlet"].tolist()
    assert first.attrs[app_data.SOURCE] == (root, "b1")


def test_text_on_demand_in_the_order_asked(tmp_path):
    root, written = fictional_build(tmp_path, TEXTS)
    assert app_data.paragraph_text(root, "b1", [5, 0, 3]) == [TEXTS[5], TEXTS[0], TEXTS[3]]
    assert app_data.paragraph_text(root, "b1", [2, 2]) == [TEXTS[2]] * 2
    assert app_data.paragraph_text(root, "b1", [1, 7], "neighbours") == [["p2"], ["p0"]]
    assert app_data.cached_rows(root, "b1", (4, 1))["text"] == [TEXTS[4], TEXTS[1]]
    assert app_data.cached_rows(root, "b1", (4, 1))["title"] == ["title 4", "title 1"]
    # A frame cut from the shared table gets its own rows' text, whatever order it is in.
    shared = app_data.paragraphs(root, "b1")
    cut = shared[shared["outlet"] == "Tin Lantern (fictional)"].sort_values("cluster",
                                                                         ascending=False)
    with_text = app_data.text_of(cut, columns=(*app_data.READING, "neighbours"))
    assert with_text["text"].tolist() == [TEXTS[i] for i in cut.index]
    assert with_text["url"].tolist() == [f"https://example.org/{i}" for i in cut.index]
    assert with_text["neighbours"].tolist() == [written.at[i, "neighbours"] for i in cut.index]
    assert app_data.text_of(cut, limit=2)["text"].tolist() == [TEXTS[i] for i in cut.index[:2]]
    assert "text" not in shared  # text_of gave a new frame


def test_many_rows_are_read_a_few_at_a_time_in_the_order_asked(tmp_path, monkeypatch):
    # The map's pages are handed back every TAKE_ROWS rows; the values must not change.
    root, _ = fictional_build(tmp_path, TEXTS)
    monkeypatch.setattr(app_data, "TAKE_ROWS", 3)
    released = []
    mapped = app_data.text_columns(root, "b1")
    monkeypatch.setattr(mapped, "release", lambda: released.append(1))
    order = [7, 0, 5, 5, 2, 6, 1, 3, 4]
    assert mapped.take("text", np.asarray(order)) == [TEXTS[i] for i in order]
    assert len(released) == 3


def test_text_search_matches_the_in_memory_filter(tmp_path):
    import re

    root, written = fictional_build(tmp_path, TEXTS)
    for query in ("red line", "RED", "élan", "a.b(c)", "[regex]", "straße", "STRASSE", "zzz",
                  "'s end"):
        old = written["text"].str.contains(re.escape(query), case=False, regex=True).to_numpy()
        got = app_data.text_matches(root, "b1", query)
        assert got.dtype == bool and got.tolist() == old.tolist(), query


def test_the_text_copy_is_made_once_and_old_copies_go(tmp_path, monkeypatch):
    import os

    monkeypatch.setattr(app_data, "TEXT_CACHE", tmp_path / "text-cache")
    root, _ = fictional_build(tmp_path / "store", TEXTS)
    first = app_data._text_file(root, "b1")
    assert app_data._text_file(root, "b1") == first  # made once per build
    forgotten = first.parent / "0123.arrow"
    forgotten.write_bytes(b"a build nobody opened for two months")
    os.utime(forgotten, (0, 0))
    first.unlink()
    again = app_data._text_file(root, "b1")
    assert again.exists() and not forgotten.exists()


def test_the_text_copies_are_each_users_own(tmp_path, monkeypatch):
    # A server run by another user (the image's, or root before it) has its own folder.
    import os

    assert app_data.TEXT_CACHE.name.endswith(f"-{os.getuid()}")
    monkeypatch.setattr(app_data, "TEXT_CACHE", tmp_path / "text-cache")
    root, _ = fictional_build(tmp_path / "store", TEXTS)
    app_data._text_file(root, "b1")
    assert (tmp_path / "text-cache").stat().st_mode & 0o077 == 0


def test_a_cached_analysis_is_keyed_by_the_whole_frame_not_a_sample():
    import numpy as np
    import streamlit as st
    from streamlit.runtime.caching import hashing

    calls = []

    def total(frame):
        calls.append(1)
        return int(frame["v"].sum())

    ones = pd.DataFrame({"v": np.zeros(60_000, dtype=np.int64)})
    # A row Streamlit's own hash does not read: it hashes 10,000 sampled rows and the shape.
    sampled = set(ones.sample(n=10_000, random_state=hashing._sample_seed()).index)
    row = next(i for i in range(len(ones)) if i not in sampled)
    other = ones.copy()
    other.loc[row, "v"] = 7
    plain = st.cache_data(total)
    assert plain(ones) == 0 and plain(other) == 0  # the defect: the same cached answer
    calls.clear()
    keyed = app_data.cached_by_frame(max_entries=4)(total)
    assert keyed(ones) == 0 and keyed(other) == 7 and keyed(ones) == 0
    assert len(calls) == 2  # and the same frame is still served from the cache


def test_rows_of_the_shared_table_are_keyed_by_their_build_and_positions(tmp_path):
    root, _ = fictional_build(tmp_path, TEXTS)
    table = app_data.paragraphs(root, "b1")
    first, last = table.iloc[:4], table.iloc[4:]
    assert len(first) == len(last) and app_data.frame_key(first) != app_data.frame_key(last)
    assert app_data.frame_key(table.iloc[:4]) == app_data.frame_key(first)
    # A column a page adds is read value by value.
    assert (app_data.frame_key(first.assign(group="a"))
            != app_data.frame_key(first.assign(group="b")))


def test_shares_by_period_one_outlet_at_a_time_equal_one_call_over_all(atlas_store):
    # The Timeline caches each outlet's cells apart, so removing an outlet recomputes nothing;
    # the table must still be the one quantify gives over every outlet at once.
    from framing_atlas.analysis import quantify, stats

    root = str(atlas_store)
    build_id = Store(atlas_store).manifest()["build_id"]
    themes = tuple(t["name"] for t in app_data.build_document(root, build_id, "themes")["themes"])
    rows = app_data.paragraphs(root, build_id)
    rows = rows[["outlet", "published", "article_id",
                 *[c for c in rows.columns if c.startswith("has_")]]]
    whole = quantify.corrected_shares_by_period(rows, app_data.error_rates(root, build_id),
                                                side_col="outlet", freq="month",
                                                themes=list(themes), n_boot=stats.N_BOOT)
    assert rows["outlet"].nunique() > 3 and whole["low"].notna().any()
    cached = app_data.corrected_shares_by_period(rows, "outlet", "month", root, build_id, themes)
    pd.testing.assert_frame_equal(cached, whole)
    whole_groups = quantify.corrected_shares(rows, app_data.error_rates(root, build_id),
                                             group_col="outlet", themes=list(themes),
                                             n_boot=stats.N_BOOT)
    pd.testing.assert_frame_equal(
        app_data.corrected_shares(rows, "outlet", root, build_id, themes), whole_groups)
    # An outlet filtered out leaves the others' cells as they were.
    dropped = rows["outlet"].value_counts().index[0]
    fewer = app_data.corrected_shares_by_period(rows[rows["outlet"] != dropped], "outlet",
                                                "month", root, build_id, themes)
    pd.testing.assert_frame_equal(fewer, whole[whole["side"] != dropped]
                                  .reset_index(drop=True))


def test_a_download_kept_for_the_session_holds_positions_not_the_rows(atlas_store):
    # Streamlit keeps a download button's function as long as the session lives: a copy of a
    # million filtered rows in it was ~150 MB a visitor.
    import ui

    root = str(atlas_store)
    build_id = Store(atlas_store).manifest()["build_id"]
    shared = app_data.paragraphs(root, build_id)
    clusters = app_data.table(root, build_id, "clusters")
    outlet = shared["outlet"].iloc[0]
    rows = shared[shared["outlet"] == outlet]
    make = ui.deferred_export(rows, clusters)
    held = [cell.cell_contents for cell in make.__closure__]
    # The cluster table (a row per cluster) and the rows' positions, never the rows.
    assert all(v is clusters for v in held if isinstance(v, pd.DataFrame))
    assert any(isinstance(v, np.ndarray) and v.dtype == np.int32 for v in held)
    assert make() == ui.export_bytes(rows, clusters)
    exported = pd.read_csv(io.BytesIO(make()))
    assert len(exported) == len(rows) and set(exported["outlet"]) == {outlet}
