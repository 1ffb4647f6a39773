"""app_data: the dashboard's cached readers read the build their key names, and the store it
opens does not depend on the folder streamlit was started from."""

import pandas as pd

import app_data
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
