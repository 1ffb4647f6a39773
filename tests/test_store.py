from pathlib import Path

import pandas as pd
import pytest

from framing_atlas.errors import AtlasError
from framing_atlas.store import Store


def test_publish_switches_builds_and_keeps_two(tmp_path):
    store = Store(tmp_path)
    assert store.current_build() is None
    for i in range(4):
        store.publish_build(f"b{i}", {"paragraphs": pd.DataFrame({"n": [i]})},
                            {"manifest": {"build_id": f"b{i}"}})
        assert store.read_table("paragraphs")["n"].tolist() == [i]
    assert sorted(p.name for p in store.builds_dir.iterdir()) == ["b2", "b3"]


def test_interrupted_publish_leaves_previous_build(tmp_path):
    store = Store(tmp_path)
    store.publish_build("good", {"paragraphs": pd.DataFrame({"n": [1]})}, {"manifest": {}})

    class Exploding(pd.DataFrame):
        def to_parquet(self, *args, **kwargs):
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        store.publish_build("bad", {"paragraphs": Exploding({"n": [2]})}, {"manifest": {}})
    assert store.read_table("paragraphs")["n"].tolist() == [1]
    assert [p.name for p in store.builds_dir.iterdir()] == ["good"]


def test_reading_before_any_build_says_what_to_do(tmp_path):
    with pytest.raises(AtlasError, match="nothing built yet: run `framing-atlas build`"):
        Store(tmp_path).read_table("paragraphs")


def test_damaged_pointer_is_a_clear_error(tmp_path):
    (tmp_path / "current.json").write_text("{oops", encoding="utf-8")
    with pytest.raises(AtlasError, match="current.json is damaged"):
        Store(tmp_path).current_build()


def test_articles_round_trip(tmp_path):
    store = Store(tmp_path)
    assert store.read_articles().empty
    frame = pd.DataFrame({"article_id": ["a"], "outlet": ["O"],
                          "published": pd.to_datetime(["2026-01-01"]), "title": ["t"],
                          "url": [""], "text": ["x"]})
    store.write_articles(frame)
    pd.testing.assert_frame_equal(store.read_articles(), frame)
    assert not list(tmp_path.glob(".*tmp"))


def test_an_older_build_is_read_when_asked_for_after_a_newer_one_is_published(tmp_path):
    # issue 10: readers keyed by a build id read that build, not whatever current.json names.
    store = Store(tmp_path)
    for name in ("older", "newer"):
        store.publish_build(name, {"paragraphs": pd.DataFrame({"build": [name]})},
                            {"manifest": {"build_id": name}, "themes": {"build": name}})
    assert store.read_table("paragraphs")["build"].tolist() == ["newer"]
    assert store.read_table("paragraphs", build="older")["build"].tolist() == ["older"]
    assert store.read_document("themes", build="older") == {"build": "older"}
    with pytest.raises(AtlasError, match="build 'gone' is not in the store"):
        store.read_table("paragraphs", build="gone")


def test_the_vector_cache_finds_each_hash_once_in_the_order_asked(tmp_path):
    import numpy as np

    cache = Store(tmp_path).vector_cache("fake")
    cache.add(["a", "b"], np.array([[1, 0], [0, 1]], dtype=np.float32))
    cache.add(["c", "a"], np.array([[2, 2], [9, 9]], dtype=np.float32))  # "a" again: ignored
    vectors, found = cache.lookup(["c", "x", "a", "a", "b"])
    assert found.tolist() == [True, False, True, True, True]
    assert vectors.tolist() == [[2, 2], [0, 0], [1, 0], [1, 0], [0, 1]]
    empty, empty_found = cache.lookup([])
    assert empty is None and len(empty_found) == 0
    nothing, none_found = cache.lookup(["x"])
    assert nothing is None and not none_found.any()


# Writers take turns (issue 13) ---------------------------------------------------------------
HOLDER = """
import sys, time
from framing_atlas.store import Store
with Store(sys.argv[1]).writing("a build"):
    print("held", flush=True)
    time.sleep(float(sys.argv[2]))
"""


def hold_store(root, seconds):
    """Another process holding the store's write lock for `seconds`; returns once it holds it."""
    import subprocess
    import sys

    process = subprocess.Popen([sys.executable, "-c", HOLDER, str(root), str(seconds)],
                               stdout=subprocess.PIPE, text=True)
    assert process.stdout.readline().strip() == "held"
    return process


def test_a_second_writer_stops_with_who_holds_the_store_and_writes_nothing(tmp_path,
                                                                           monkeypatch):
    from typer.testing import CliRunner

    from conftest import make_articles
    from framing_atlas.cli import app

    source = tmp_path / "in.csv"
    make_articles(2).to_csv(source, index=False)
    root = tmp_path / "store"
    holder = hold_store(root, 60)
    try:
        monkeypatch.setenv("FRAMING_ATLAS_LOCK_TIMEOUT", "0.5")
        result = CliRunner().invoke(app, ["ingest", str(source), "--store", str(root)])
        assert result.exit_code == 1
        assert f"the store is busy: a build (process {holder.pid}, since" in result.output
        assert "still running after 0.5 s; try again when it has finished" in result.output
        assert not Store(root).articles_path.exists()
        with pytest.raises(AtlasError, match="the store is busy"):
            Store(root).save_labels(Store(root).read_labels())
    finally:
        holder.kill()
        holder.wait()
    # The killed holder leaves no lock behind: the next writer goes straight in.
    result = CliRunner().invoke(app, ["ingest", str(source), "--store", str(root)])
    assert result.exit_code == 0, result.output
    assert len(Store(root).read_articles()) == len(make_articles(2))


def test_a_second_writer_waits_for_the_first_and_then_writes(tmp_path):
    root = tmp_path / "store"
    import time

    holder = hold_store(root, 1.5)
    said = []
    started = time.monotonic()
    try:
        with Store(root).writing("an ingest", timeout=60, waiting=said.append):
            waited = time.monotonic() - started  # it ran only once the holder had finished
    finally:
        holder.kill()
        holder.wait()
    assert said == [f"waiting for a build (process {holder.pid}, since "
                    f"{said[0].split('since ')[1]}"]
    assert said[0].endswith("to finish (up to 60 s)") and waited > 1.0
    # Re-entrant in one thread: a build inside an ingest does not wait for itself.
    with Store(root).writing("an ingest", timeout=0.1):
        with Store(root).writing("a build", timeout=0.1):
            pass


def test_every_file_is_flushed_before_it_is_renamed_into_place(tmp_path, monkeypatch):
    from framing_atlas import store as store_module

    events = []
    flush, rename = store_module.fsync_path, store_module.os.replace
    monkeypatch.setattr(store_module, "fsync_path",
                        lambda path: (events.append(("fsync", Path(path))), flush(path)))
    monkeypatch.setattr(store_module.os, "replace",
                        lambda a, b: (events.append(("rename", Path(a), Path(b))), rename(a, b)))
    store = Store(tmp_path)
    store.write_articles(pd.DataFrame({"article_id": ["a"], "text": ["t"]}))
    store.publish_build("b1", {"paragraphs": pd.DataFrame({"x": [1.0]})},
                        {"manifest": {"build_id": "b1"}})
    renames = [e for e in events if e[0] == "rename"]
    assert {e[2].name for e in renames} >= {"articles.parquet", "b1", "current.json"}
    for _, source, target in renames:
        index = events.index(("rename", source, target))
        flushed = {e[1] for e in events[:index] if e[0] == "fsync"}
        assert source in flushed, f"{source} renamed to {target} unflushed"
        if target.is_dir():  # a build: every file in it flushed too
            assert all(source / f.name in flushed for f in target.iterdir())
        # and the folder that holds the new name, once it is there
        assert ("fsync", target.parent) in events[index:]
    mode = (tmp_path / "articles.parquet").stat().st_mode & 0o777
    assert mode == 0o644 and (store.builds_dir / "b1").stat().st_mode & 0o777 == 0o755
