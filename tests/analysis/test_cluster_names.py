import pandas as pd

from framing_atlas.analysis.cluster_names import apply_names, read_names, save_name


def paragraphs(assignment):
    return pd.DataFrame({"paragraph_id": [f"p{i}" for i in range(len(assignment))],
                         "cluster": assignment})


def clusters(ids):
    return pd.DataFrame({"cluster": ids, "label": [f"auto {i}" for i in ids]})


def test_name_survives_a_rebuild_that_renumbers(tmp_path):
    before = paragraphs([0, 0, 0, 0, 1, 1, 1, 1])
    save_name(tmp_path, before, 1, "  Encirclement   frame ")
    after = paragraphs([1, 1, 1, 0, 0, 0, 0, 1])  # cluster 1 is now 0, one paragraph moved
    named = apply_names(clusters([0, 1]), after, read_names(tmp_path)).set_index("cluster")
    assert named.loc[0, "label"] == "Encirclement frame" and named.loc[0, "named"]
    assert named.loc[1, "label"] == "auto 1" and not named.loc[1, "named"]


def test_name_is_dropped_when_the_cluster_is_gone(tmp_path):
    save_name(tmp_path, paragraphs([0, 0, 1, 1]), 0, "Gas")
    split = paragraphs([0, 1, 2, 2])  # shares at most a third with the named set
    assert not apply_names(clusters([0, 1, 2]), split, read_names(tmp_path))["named"].any()


def test_renaming_again_replaces_and_empty_name_removes(tmp_path):
    p = paragraphs([0, 0, 1, 1])
    save_name(tmp_path, p, 0, "First")
    save_name(tmp_path, p, 0, "Second")
    assert [n["name"] for n in read_names(tmp_path)] == ["Second"]
    save_name(tmp_path, p, 0, "")
    assert read_names(tmp_path) == []
