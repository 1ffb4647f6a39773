
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
