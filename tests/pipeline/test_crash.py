"""A build killed with SIGKILL mid-way (issue 13): during embedding, projection and publishing.

The previous build stays current and readable, nothing half-written is taken as current, and a
rerun finishes from the cached vectors with the same tables as a build never interrupted."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from conftest import FakeEncoder, make_articles
from framing_atlas.inputs.ingest import ingest
from framing_atlas.pipeline.build import build_atlas
from framing_atlas.store import Store

pytestmark = pytest.mark.skipif(os.name != "posix", reason="SIGKILL is POSIX")

TESTS = Path(__file__).resolve().parents[1]
# A build in its own process, slowed where the test kills it: each embedding batch takes a
# moment (so a kill lands after some chunks are cached), and so does every file a build
# publishes. It prints each stage as the build reports it.
BUILDER = f"""
import sys, time
sys.path.insert(0, {str(TESTS)!r})
import pandas as pd
from conftest import FakeEncoder
import framing_atlas.pipeline.build as build
from framing_atlas.settings import load_settings

class Slow(FakeEncoder):
    def encode(self, sentences, **kwargs):
        time.sleep(0.3)
        return super().encode(sentences, **kwargs)

write = pd.DataFrame.to_parquet
def slow_write(frame, path, *args, **kwargs):
    if "/builds/" in str(path):
        time.sleep(1.0)
    return write(frame, path, *args, **kwargs)
pd.DataFrame.to_parquet = slow_write

settings = load_settings(store=sys.argv[1], themes_file=sys.argv[2], n_neighbors=8)
build.build_atlas(settings, encoder=Slow(),
                  progress=lambda done, total, what: print(what, flush=True))
print("finished", flush=True)
"""


def add_articles(store: Store, frame: pd.DataFrame, folder: Path) -> None:
    path = folder / f"in-{len(list(folder.glob('in-*.csv')))}.csv"
    frame.to_csv(path, index=False)
    merged, _ = ingest([path], store.read_articles())
    store.write_articles(merged)


def kill_when(root: Path, themes: Path, marker: str, *, nth: int = 1,
              wait: float = 0.4) -> list[str]:
    """Start a build and SIGKILL it `wait` seconds after it reports the `nth` line starting
    with `marker`."""
    process = subprocess.Popen([sys.executable, "-c", BUILDER, str(root), str(themes)],
                               stdout=subprocess.PIPE, text=True)
    seen = []
    for line in process.stdout:
        seen.append(line.strip())
        if sum(s.startswith(marker) for s in seen) == nth:
            time.sleep(wait)
            process.send_signal(signal.SIGKILL)
            break
    process.wait()
    assert process.returncode == -signal.SIGKILL, seen
    return seen


def published(store: Store) -> pd.DataFrame:
    table = store.read_table("paragraphs")
    return table.sort_values("paragraph_id").reset_index(drop=True)


# Where the kill lands: right after the first chunk of vectors is cached (the second "embed:
# embedding" report), inside the layout, and while the build's first file is being written.
@pytest.mark.parametrize("marker, nth, wait", [("embed: embedding", 2, 0.0),
                                              ("project:", 1, 0.4), ("write:", 1, 0.4)])
def test_a_killed_build_leaves_the_last_one_current_and_a_rerun_matches_an_unbroken_one(
        tmp_path, themes_file, settings_for, marker, nth, wait):
    root = tmp_path / "store"
    store = Store(root)
    add_articles(store, make_articles(6, seed=1), tmp_path)
    first = build_atlas(settings_for(root), encoder=FakeEncoder())
    before = published(store)
    cache = store.vector_cache(first["model"])
    cached_first = cache.size()
    # Enough new paragraphs for two chunks of vectors (512 each), and a map laid out afresh.
    add_articles(store, make_articles(50, seed=2).assign(url=lambda f: f.url + "-new"),
                 tmp_path)

    seen = kill_when(root, themes_file, marker, nth=nth, wait=wait)

    assert store.manifest()["build_id"] == first["build_id"], seen
    pd.testing.assert_frame_equal(published(store), before)  # the dashboard's table, intact
    assert [p.name for p in store.builds_dir.iterdir() if not p.name.startswith(".")] == \
        [first["build_id"]]  # a half-written build folder is never a build
    with store.writing("the rerun", timeout=1):  # the killed build holds no lock
        pass
    kept = cache.size() - cached_first  # vectors the killed build cached

    encoder = FakeEncoder()
    rerun = build_atlas(settings_for(root), encoder=encoder)
    new = rerun["counts"]["paragraphs"] - first["counts"]["paragraphs"]
    if marker.startswith("embed"):
        assert 0 < kept < new, seen  # a chunk was kept, not all of them
    else:
        assert kept == new, seen  # every vector was cached before the kill
    assert rerun["counts"]["embedded"] == new - kept

    # An unbroken build of the same articles, in another store, gives the same tables.
    other = Store(tmp_path / "other")
    for path in sorted(tmp_path.glob("in-*.csv")):
        merged, _ = ingest([path], other.read_articles())
        other.write_articles(merged)
    build_atlas(settings_for(other.root), encoder=FakeEncoder())
    pd.testing.assert_frame_equal(published(store), published(other))
