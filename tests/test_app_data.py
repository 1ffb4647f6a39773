"""app_data: the dashboard's cached readers read the build their key names, and the store it
opens does not depend on the folder streamlit was started from."""

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
