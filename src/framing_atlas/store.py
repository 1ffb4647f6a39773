"""The store on disk, and the column names every stage shares.

Layout of a store folder::

    articles.parquet                 every ingested article, one row each
    vectors/<model>/part-*.parquet   embedding cache keyed by text hash, append-only
    builds/<build_id>/               paragraphs.parquet, clusters.parquet, themes.json, manifest.json
    current.json                     names the build readers use
    labels.parquet                   paragraphs people marked in or out of a theme (kept across builds)

Every file is written to a temporary name and renamed into place, and a build only becomes
visible when current.json is replaced, so a failed or interrupted run leaves the previous
results readable.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import os
import shutil
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from framing_atlas.errors import AtlasError

log = logging.getLogger(__name__)

# The vocabulary every stage shares.
ARTICLE_ID = "article_id"
OUTLET = "outlet"
PUBLISHED = "published"
TITLE = "title"
URL = "url"
TEXT = "text"
PARAGRAPH_ID = "paragraph_id"
POSITION = "position"
TEXT_HASH = "text_hash"
VECTOR = "vector"  # a vector cache part's (and the Ray engine's output's) embedding column
X, Y = "x", "y"
CLUSTER = "cluster"
OUTLIER = "outlier"
PLACED = "placed"  # placed on an earlier map among its neighbours, not laid out (pipeline.place)
CLUSTER_LABEL = "cluster_label"
THEME = "theme"
SCORE_PREFIX = "score_"
NO_THEME = "none"
LANGUAGE = "language"
SYNDICATED = "syndicated"
SYNDICATION_GROUP = "syndication_group"
REASON = "reason"  # why an article gave no paragraph (segment.REASONS)
# has_<theme>: the theme's detector says the paragraph is about it (a paragraph may have several).
DETECTED_PREFIX = "has_"
AXIS_PREFIX = "axis_"  # axis_<name>: a paragraph's position on a frame axis
NEIGHBOURS = "neighbours"  # ids of the closest paragraphs other outlets wrote
# The 2-D map is x, y; clustering runs in a space of a few more dimensions, space_0, space_1...
# These working columns pass from project to cluster and are never published.
SPACE_PREFIX = "space_"
# clusters.parquet: one row per cluster.
LABEL = "label"
KEYWORDS = "keywords"
SIZE = "size"
REPRESENTATIVES = "representatives"
# centroids.parquet: per outlet, the sum of its paragraph vectors (dim_0, dim_1...) and their count.
CENTROID_PREFIX = "dim_"
PARAGRAPHS = "paragraphs"  # a count of paragraphs
# syndication_groups(): one row per group of copies.
OUTLETS = "outlets"
N_OUTLETS = "n_outlets"

ARTICLE_COLUMNS = [ARTICLE_ID, OUTLET, PUBLISHED, TITLE, URL, TEXT]
# labels.parquet: one row per paragraph text and theme a person judged; keyed by text_hash and
# theme (the latest judgement wins), so labels survive rebuilds and re-segmentation of the rest.
IN_THEME = "in_theme"  # 1: the paragraph is about the theme, 0: it is not
LABELLED_AT = "labelled_at"
LABEL_COLUMNS = [TEXT_HASH, THEME, IN_THEME, TEXT, LABELLED_AT]

# What a long stage reports through, if given one: done, total, what (the CLI draws a bar, the
# dashboard st.progress).
Progress = Callable[[int, int, str], None]

KEEP_BUILDS = 2
FILE_MODE = 0o644  # files the store writes: readable by a dashboard running as another user
# How long a writer (ingest, build, labels) waits for another to finish before it stops with a
# message; FRAMING_ATLAS_LOCK_TIMEOUT overrides it (seconds).
LOCK_TIMEOUT = 600.0
LOCK_FILE = ".lock"
HOLDER_FILE = ".lock-holder.json"  # who holds the lock, for the waiting writer's message


def text_hash(text: str) -> str:
    """Stable key of a paragraph's text for the embedding cache."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def fsync_path(path: Path) -> None:
    """Flush a file's (or a folder's entries') bytes to the disk: a rename is only as durable as
    what it renames, and after a power loss an unflushed file can be renamed yet empty."""
    flags = os.O_RDONLY | (os.O_DIRECTORY if path.is_dir() and hasattr(os, "O_DIRECTORY") else 0)
    try:
        fd = os.open(path, flags)
    except OSError:  # a folder cannot be opened on Windows: its entries are flushed with it
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_atomic(path: Path, write) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    try:
        write(Path(tmp))
        os.chmod(tmp, FILE_MODE)  # mkstemp's 0600 would hide the file from a server user
        fsync_path(Path(tmp))
        os.replace(tmp, path)
        fsync_path(path.parent)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_parquet(frame: pd.DataFrame, path: Path) -> None:
    _write_atomic(path, lambda tmp: frame.to_parquet(tmp, index=False))


def write_bytes(data: bytes, path: Path) -> None:
    _write_atomic(path, lambda tmp: tmp.write_bytes(data))


def write_text(text: str, path: Path) -> None:
    _write_atomic(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))


def write_json(obj: object, path: Path) -> None:
    _write_atomic(path, lambda tmp: tmp.write_text(json.dumps(obj, indent=2, default=str),
                                                   encoding="utf-8"))


@dataclass(frozen=True)
class Store:
    """A folder holding ingested articles, cached vectors and builds."""

    root: Path

    def __post_init__(self) -> None:
        object.__setattr__(self, "root", Path(self.root))

    @property
    def articles_path(self) -> Path:
        return self.root / "articles.parquet"

    @property
    def builds_dir(self) -> Path:
        return self.root / "builds"

    @property
    def current_path(self) -> Path:
        return self.root / "current.json"

    # Writers take turns --------------------------------------------------------------------
    @contextmanager
    def writing(self, what: str, *, timeout: float | None = None,
                waiting: Callable[[str], None] | None = None) -> Iterator[None]:
        """Hold the store's write lock while `what` (e.g. "ingest", "build") runs: every writer
        takes it, so two ingests cannot each merge the articles and lose the other's, and two
        builds never share the builds folder. Readers (the dashboard) never take it.

        A second writer waits, telling `waiting` who holds the lock, and stops with an
        AtlasError naming the holder after `timeout` seconds (LOCK_TIMEOUT, or the
        FRAMING_ATLAS_LOCK_TIMEOUT setting). Re-entrant within a thread (a build inside an
        ingest); the lock is the operating system's, so a killed writer never leaves it held."""
        from filelock import FileLock, Timeout

        self.root.mkdir(parents=True, exist_ok=True)
        limit = timeout if timeout is not None else float(
            os.environ.get("FRAMING_ATLAS_LOCK_TIMEOUT", LOCK_TIMEOUT))
        lock = FileLock(str((self.root / LOCK_FILE).resolve()), is_singleton=True, mode=FILE_MODE)
        outer = not lock.is_locked
        try:
            lock.acquire(timeout=0)
        except Timeout:
            if waiting is not None:
                waiting(f"waiting for {self.lock_holder()} to finish (up to {limit:g} s)")
            try:
                lock.acquire(timeout=limit)
            except Timeout:
                raise AtlasError(f"the store is busy: {self.lock_holder()} is still running "
                                 f"after {limit:g} s; try again when it has finished",
                                 file=self.root) from None
        try:
            if outer:
                write_json({"what": what, "pid": os.getpid(),
                            "since": dt.datetime.now().isoformat(timespec="seconds")},
                           self.root / HOLDER_FILE)
            yield
        finally:
            if outer:
                (self.root / HOLDER_FILE).unlink(missing_ok=True)
            lock.release()

    def lock_holder(self) -> str:
        """Who holds the write lock, as a message says it: "a build (process 123, since …)"."""
        try:
            holder = json.loads((self.root / HOLDER_FILE).read_text(encoding="utf-8"))
            return (f"{holder['what']} (process {holder['pid']}, since "
                    f"{holder['since'].replace('T', ' ')})")
        except (OSError, ValueError, KeyError):
            return "another writer"

    # Articles -------------------------------------------------------------------------------
    def read_articles(self) -> pd.DataFrame:
        if not self.articles_path.exists():
            return pd.DataFrame({c: pd.Series(dtype="datetime64[ns]" if c == PUBLISHED else "str")
                                 for c in ARTICLE_COLUMNS})
        return pd.read_parquet(self.articles_path)

    def write_articles(self, articles: pd.DataFrame) -> None:
        write_parquet(articles, self.articles_path)

    # Theme labels ---------------------------------------------------------------------------
    @property
    def labels_path(self) -> Path:
        return self.root / "labels.parquet"

    def read_labels(self) -> pd.DataFrame:
        """Every theme label people gave (LABEL_COLUMNS), oldest first."""
        if not self.labels_path.exists():
            return pd.DataFrame({TEXT_HASH: pd.Series(dtype="str"), THEME: pd.Series(dtype="str"),
                                 IN_THEME: pd.Series(dtype="int8"), TEXT: pd.Series(dtype="str"),
                                 LABELLED_AT: pd.Series(dtype="str")})
        return pd.read_parquet(self.labels_path)

    def save_labels(self, labels: pd.DataFrame) -> int:
        """Add labels (LABEL_COLUMNS); a text already judged for a theme takes the new judgement.
        Returns how many labels the store holds afterwards."""
        with self.writing("saving theme labels"):
            merged = pd.concat([self.read_labels(), labels[LABEL_COLUMNS]], ignore_index=True)
            merged = merged.drop_duplicates([TEXT_HASH, THEME], keep="last")
            merged = merged.reset_index(drop=True)
            merged[IN_THEME] = merged[IN_THEME].astype("int8")
            write_parquet(merged, self.labels_path)
        return len(merged)

    def remove_labels(self, hashes: list[str], theme: str) -> int:
        """Forget the labels of these texts for `theme`; returns how many were removed."""
        with self.writing("removing theme labels"):
            labels = self.read_labels()
            gone = labels[THEME].eq(theme) & labels[TEXT_HASH].isin(hashes)
            if gone.any():
                write_parquet(labels[~gone].reset_index(drop=True), self.labels_path)
        return int(gone.sum())

    # Vector cache ---------------------------------------------------------------------------
    def vector_cache(self, model: str) -> "VectorCache":
        slug = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in model)[-80:]
        return VectorCache(self.root / "vectors" / slug)

    # Builds ---------------------------------------------------------------------------------
    def current_build(self) -> Path | None:
        """The folder of the build readers should use, or None before the first build."""
        if not self.current_path.exists():
            return None
        try:
            name = json.loads(self.current_path.read_text(encoding="utf-8"))["build"]
        except (ValueError, KeyError) as err:
            raise AtlasError(f"current.json is damaged ({err}); run framing-atlas build again",
                             file=self.current_path) from None
        folder = self.builds_dir / name
        return folder if folder.is_dir() else None

    def manifest(self) -> dict | None:
        folder = self.current_build()
        if folder is None:
            return None
        return json.loads((folder / "manifest.json").read_text(encoding="utf-8"))

    def publish_build(self, build_id: str, tables: dict[str, pd.DataFrame],
                      documents: dict[str, object]) -> Path:
        """Write a build's files into a new folder, then point current.json at it."""
        self.builds_dir.mkdir(parents=True, exist_ok=True)
        with self.writing("publishing a build"):
            staging = Path(tempfile.mkdtemp(dir=self.builds_dir, prefix=f".{build_id}."))
            try:
                for name, frame in tables.items():
                    frame.to_parquet(staging / f"{name}.parquet", index=False)
                for name, obj in documents.items():
                    (staging / f"{name}.json").write_text(json.dumps(obj, indent=2, default=str),
                                                          encoding="utf-8")
                os.chmod(staging, 0o755)  # mkdtemp's 0700 would hide the build from a server
                for path in [*staging.iterdir(), staging]:  # flushed before it is renamed
                    if path.is_file():
                        os.chmod(path, FILE_MODE)
                    fsync_path(path)
                final = self.builds_dir / build_id
                if final.exists():
                    shutil.rmtree(final)
                os.replace(staging, final)
                fsync_path(self.builds_dir)
            except BaseException:
                shutil.rmtree(staging, ignore_errors=True)
                raise
            write_json({"build": build_id}, self.current_path)
            self._prune(keep=build_id)
        return final

    def _prune(self, keep: str) -> None:
        builds = sorted((p for p in self.builds_dir.iterdir() if p.is_dir()),
                        key=lambda p: p.stat().st_mtime, reverse=True)
        for folder in builds:
            if folder.name.startswith("."):  # a staging folder left by an interrupted build
                shutil.rmtree(folder, ignore_errors=True)
        finished = [p for p in builds if not p.name.startswith(".") and p.name != keep]
        for folder in finished[KEEP_BUILDS - 1:]:
            shutil.rmtree(folder, ignore_errors=True)

    def build_folder(self, build: str | None = None) -> Path:
        """The folder of build `build`, or of the current build when None."""
        if build is None:
            folder = self.current_build()
            if folder is None:
                raise AtlasError("nothing built yet: run `framing-atlas build`", file=self.root)
            return folder
        folder = self.builds_dir / build
        if build.startswith(".") or not folder.is_dir():
            raise AtlasError(f"build '{build}' is not in the store (only the last {KEEP_BUILDS} "
                             f"are kept): read the current one", file=self.builds_dir)
        return folder

    def read_table(self, name: str, *, build: str | None = None,
                   columns: list[str] | None = None) -> pd.DataFrame:
        """Table `name` of build `build` (default: the current build); only `columns` (those
        the table has) when given."""
        path = self.build_folder(build) / f"{name}.parquet"
        if columns is not None:
            present = set(pq.ParquetFile(path).schema_arrow.names)
            columns = [c for c in columns if c in present]
        return pd.read_parquet(path, columns=columns)

    def read_document(self, name: str, *, build: str | None = None) -> object:
        """Document `name` of build `build` (default: the current build)."""
        path = self.build_folder(build) / f"{name}.json"
        return json.loads(path.read_text(encoding="utf-8"))


class VectorCache:
    """Embeddings keyed by text hash, for one model; new vectors are appended as new part files."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def _parts(self) -> list[Path]:
        return sorted(self.folder.glob("part-*.parquet")) if self.folder.is_dir() else []

    def lookup(self, hashes: list[str]) -> tuple[np.ndarray | None, np.ndarray]:
        """Vectors for `hashes` (rows of missing ones are zero) and a mask of which were found.

        The distinct hashes asked for are hashed once (a pandas Index); each part file's keys
        are probed against it, and only the rows found are copied, so the cache is never held
        in memory whole. The oldest part holding a hash gives its vector."""
        found = np.zeros(len(hashes), dtype=bool)
        if not hashes:
            return None, found
        codes, distinct = pd.factorize(pd.Series(hashes, dtype=object))
        index = pd.Index(distinct)
        rows: np.ndarray | None = None
        have = np.zeros(len(distinct), dtype=bool)
        for part in self._parts():
            table = pq.read_table(part)
            where = index.get_indexer(table.column(TEXT_HASH).to_numpy(zero_copy_only=False))
            new = np.flatnonzero(where >= 0)
            new = new[~have[where[new]]]
            if not len(new):
                continue
            flat = table.column("vector").combine_chunks()
            block = flat.values.to_numpy(zero_copy_only=False).reshape(len(table),
                                                                      flat.type.list_size)
            if rows is None:
                rows = np.zeros((len(distinct), block.shape[1]), dtype=np.float32)
            # A hash twice in one part: the first row, as in an older part.
            targets, first = np.unique(where[new], return_index=True)
            rows[targets] = block[new[first]]
            have[targets] = True
        if rows is None:
            return None, found
        if len(distinct) == len(hashes):  # each asked once: codes are 0, 1, 2… (no copy)
            return rows, have
        return rows[codes], have[codes]

    def add(self, hashes: list[str], vectors: np.ndarray) -> None:
        if not hashes:
            return
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        flat = pa.FixedSizeListArray.from_arrays(pa.array(vectors.reshape(-1)), vectors.shape[1])
        table = pa.table({TEXT_HASH: pa.array(hashes, pa.string()), "vector": flat})
        n = len(self._parts())
        path = self.folder / f"part-{n:06d}-{hashlib.sha1(''.join(hashes).encode()).hexdigest()[:8]}.parquet"
        _write_atomic(path, lambda tmp: pq.write_table(table, tmp))

    def size(self) -> int:
        return sum(pq.ParquetFile(p).metadata.num_rows for p in self._parts())
