"""The one module the dashboard reads data through: which store, first-start demo build, cached tables."""

from __future__ import annotations

import ctypes
import functools
import hashlib
import mmap
import os
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import streamlit as st

from framing_atlas.errors import AtlasError
from framing_atlas.analysis.cluster_names import CLUSTER_NAMES_FILE, apply_names, read_names
from framing_atlas.settings import Settings, config_file, load_settings
from framing_atlas.store import LANGUAGE, NEIGHBOURS, TEXT, TEXT_HASH, THEME, TITLE, URL, Store
from framing_atlas.views import hosting
from framing_atlas.views.filters import contains_text

def _libc():
    """glibc, where the server runs on it (Linux); None elsewhere."""
    try:
        libc = ctypes.CDLL("libc.so.6")
        libc.malloc_trim, libc.mallopt  # noqa: B018 (both exist: glibc)
        return libc
    except (OSError, AttributeError):
        return None


_LIBC = _libc()
if _LIBC is not None:
    # Each script run is a new thread, and glibc gives threads their own heaps (up to 8 per
    # core), where memory freed by one run is not reused by the next: two are enough here.
    _LIBC.mallopt(-8, 2)  # M_ARENA_MAX
    # Arrays of 1 MB or more get their own mapping, returned to the system when freed. glibc's
    # default threshold rises to 32 MB after the first large free, and from then on a page's
    # column copies land in the heaps, where what one run frees is held into the next: at a
    # million paragraphs the pages' peaks fell by 50 to 250 MB (each page run alone).
    _LIBC.mallopt(-3, 1 << 20)  # M_MMAP_THRESHOLD


# Arrow (pandas' text columns) allocates from its own pool, by default mimalloc, which keeps
# what each short-lived script thread freed: measured at a million paragraphs, the server's
# peak went from 1.75 to 1.53 GB with the system allocator, whose freed pages release_memory
# hands back.
pa.set_memory_pool(pa.system_memory_pool())


def release_memory() -> None:
    """Hand the heap pages earlier runs freed back to the system: glibc keeps them otherwise,
    so the server's resident memory would carry each page's largest moment into the next."""
    if _LIBC is not None:
        _LIBC.malloc_trim(0)


# The dashboard's settings file and relative paths are read against its own folder, so starting
# streamlit from another folder opens the same store.
APP_DIR = Path(__file__).resolve().parent


def settings() -> Settings:
    # Not cached: reading the TOML file is cheap, and a changed setting applies on the next run.
    return load_settings(base=APP_DIR)


def active_store() -> tuple[Store, bool]:
    """The configured store when it holds articles (or was set explicitly), else the demo store."""
    config = settings()
    store = Store(config.store)
    explicit = "FRAMING_ATLAS_STORE" in os.environ or config_file(APP_DIR).is_file()
    if explicit or store.articles_path.exists():
        return store, False
    return Store(config.demo_store), True


def progress_to(bar):
    """A build progress callback (done, total, what) that moves a st.progress bar."""
    return lambda done, total, what: bar.progress(min(done / max(total, 1), 1.0), text=what)


def require_writable() -> None:
    """Stop before a write when the dashboard is read-only, or when this session has not entered
    the admin password. The pages hide their write widgets there too; this also stops a click
    sent from a page drawn before the switch (or before the password changed)."""
    if settings().read_only:
        st.error("This dashboard is read-only: nothing was changed.")
        st.stop()
    if not may_edit():
        st.error("Uploads, rebuilds and edits need the admin password: enter it in the sidebar. "
                 "Nothing was changed.")
        st.stop()


# Session key: hosting.unlock_token of the admin password this session entered.
UNLOCKED = "admin_unlocked"


def admin_password() -> str | None:
    """The admin password of Streamlit's secrets (`[framing_atlas] admin_password`), or None
    when there is none. A secrets file that exists but cannot be read raises AtlasError: the
    pages that change data then stay locked rather than open."""
    try:
        return hosting.admin_password(st.secrets)
    except FileNotFoundError:  # Streamlit's "no secrets", also raised for a file it cannot parse
        present = [Path(p) for p in st.get_option("secrets.files") if Path(p).exists()]
        if present:
            raise AtlasError("cannot be read, so uploads, rebuilds and edits stay locked",
                             file=present[0]) from None
        return None


def may_edit() -> bool:
    """Whether this session may upload, ingest, rebuild or edit (hosting.may_edit): not on a
    read-only dashboard, and with an admin password set only once this session entered it."""
    if settings().read_only:
        return False
    try:
        password = admin_password()
    except AtlasError:
        return False
    return hosting.may_edit(read_only=False, password=password,
                            token=st.session_state.get(UNLOCKED))


def upload_limit_mb() -> int:
    """The per-file upload limit in MB: the max_upload_mb setting, or Streamlit's
    server.maxUploadSize where that is lower."""
    return hosting.upload_limit_mb(settings().max_upload_mb,
                                   st.get_option("server.maxUploadSize"))


def no_atlas_read_only(store: Store) -> str:
    """What a read-only dashboard says when its store has no build: it never builds one itself."""
    return (f"This public link has no atlas yet, and a read-only dashboard never writes, so it "
            f"does not build one. The owner builds it where the store `{store.root}` lives: "
            f"`framing-atlas ingest FILE --store {store.root}` then "
            f"`framing-atlas build --store {store.root}` (or opens the dashboard once without "
            f"`read_only` to build the demo); then it appears here.")


def start_build(root: Path):
    """Start a background build of the store at `root` (jobs.start_build) and return its job;
    stops the page with the reason when it cannot start (one already runs there)."""
    from framing_atlas import jobs

    require_writable()
    try:
        job = jobs.start_build(settings().model_copy(update={"store": Path(root)}))
    except AtlasError as err:
        st.error(str(err))
        st.stop()
    st.session_state[JOB_SEEN] = job.started
    return job


# The job this session saw running: when it is done, its pages say so once.
JOB_SEEN = "job_seen"


def build_job(root: Path):
    """The store's background build (jobs.read_job), or None; a damaged job file is shown as
    an error and treated as none."""
    from framing_atlas import jobs

    try:
        return jobs.read_job(Path(root))
    except AtlasError as err:
        st.error(str(err))
        return None


def ensure_demo(store: Store) -> None:
    """Ingest and build the bundled fictional demo corpus on first start, with a progress bar.

    Never in read-only mode: there nothing is written, the first visit included.
    """
    if store.current_build() is not None or settings().read_only:
        return
    # Imported here: a start that finds a finished build never loads the pipeline's libraries.
    from framing_atlas.pipeline.build import build_atlas
    from framing_atlas.pipeline.demo import seed_vector_cache
    from framing_atlas.inputs.ingest import ingest

    config = settings()
    bar = st.progress(0.0, text="First start: building the demo atlas…")
    # Two first visitors at once: the second waits for the first's build and uses it.
    with store.writing("the demo's first build",
                       waiting=lambda message: bar.progress(0.0, text=message)):
        if store.current_build() is None:
            merged, _ = ingest([config.demo_corpus], store.read_articles())
            store.write_articles(merged)
            # The demo's vectors ship with it, so the first start only maps and clusters.
            seed_vector_cache(store, config.demo_corpus.parent / "vectors.parquet",
                              config.model)
            demo = config.model_copy(update={"store": store.root})
            build_atlas(demo, progress=progress_to(bar))
    bar.empty()


def active_build_id(store: Store) -> str | None:
    """The id of the build current.json names, or None before the first build; cached readers
    take it as their key and read that build."""
    manifest = store.manifest()
    return None if manifest is None else manifest["build_id"]


# What a reader reads (text, title, link) and the neighbour lists are most of a build's bytes:
# they stay out of the shared table and are read only for the rows a page shows (text_of), from
# a memory-mapped copy (text_columns).
# The text's hash joins them: only labels (the paragraphs a person marks or reads) need it, and
# at a million paragraphs it is the largest column of the rest.
READING = (TEXT, TITLE, URL, TEXT_HASH)
ON_DEMAND = (*READING, NEIGHBOURS)
# Few distinct values in many rows: a category stores each once. The pages and the analysis only
# compare, isin, group (observed) and sort these columns, which a category does the same way.
# Not the outlet: value_counts and concatenations of outlet columns (groups, counterparts) would
# list every outlet of the build, with zeros, or fall back to objects.
CATEGORIES = (THEME, LANGUAGE)
SOURCE = "framing_atlas_build"  # attrs key: the (root, build_id) a frame's rows come from


@st.cache_resource(show_spinner="Reading the atlas…", max_entries=4)
def paragraphs(root: str, build_id: str) -> pd.DataFrame:
    """The build's paragraphs without their text, title, url, text hash and neighbour lists
    (ON_DEMAND), read once per build and shared by every session and rerun: the same object each call, never a copy, so no caller
    may change it (pages filter with a mask and assign to new frames). Row i is the
    parquet's row i; text_of(rows) brings the text of the rows a page shows."""
    path = Store(Path(root)).build_folder(build_id) / "paragraphs.parquet"
    names = pq.ParquetFile(path).schema_arrow.names
    table = pd.read_parquet(path, columns=[c for c in names if c not in ON_DEMAND])
    table = table.reset_index(drop=True)  # positions are the keys into the text column
    for name in CATEGORIES:
        if name in table:
            table[name] = table[name].astype("category")
    table.attrs[SOURCE] = (root, build_id)
    return table


# One folder per user, readable by that user alone: in a temp folder shared with other users, a
# folder someone else made first would refuse this server's copies (seen: a server started as
# an unprivileged user after one started as root failed on every page), or hand it copies it
# did not make.
TEXT_CACHE = Path(tempfile.gettempdir()) / f"framing-atlas-text-{os.getuid()}"


def _text_file(root: str, build_id: str) -> Path:
    """An uncompressed Arrow copy of the build's on-demand columns, made once per build (in the
    temp folder: a read-only dashboard never writes to its store) so rows can be taken from a
    memory map without reading the whole column into the server's memory."""
    source = Store(Path(root)).build_folder(build_id) / "paragraphs.parquet"
    stat = source.stat()
    key = hashlib.sha256(f"{source.resolve()}|{stat.st_size}|{stat.st_mtime_ns}|"
                         f"{','.join(ON_DEMAND)}".encode())
    target = TEXT_CACHE / f"{key.hexdigest()[:24]}.arrow"
    if target.exists():
        os.utime(target)  # in use: kept by the clean-up below
        return target
    target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    # Copies of builds nobody opened for a month go (a server still mapping one keeps reading
    # it: an unlinked file lives until it is unmapped).
    for old in TEXT_CACHE.glob("*.*"):
        try:
            if time.time() - old.stat().st_mtime > 30 * 86_400:
                old.unlink()
        except FileNotFoundError:  # another server cleaned it first
            continue
    parquet = pq.ParquetFile(source)
    columns = [c for c in ON_DEMAND if c in parquet.schema_arrow.names]
    schema = pa.schema([parquet.schema_arrow.field(c) for c in columns])
    partial = target.with_suffix(f".{os.getpid()}.part")
    with pa.OSFile(str(partial), "wb") as sink, pa.ipc.new_file(sink, schema) as writer:
        for batch in parquet.iter_batches(batch_size=65_536, columns=columns):
            writer.write_batch(batch)
    partial.replace(target)  # another server making the same file wrote the same bytes
    return target


TAKE_ROWS = 256  # rows read from the memory map between two releases of its pages


class MappedText:
    """The build's text and neighbour lists in a read-only memory map: shared by every session,
    and only the parts of the file that rows are taken from are read."""

    def __init__(self, path: Path) -> None:
        with open(path, "rb") as file:
            self._map = mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ)
        self.table = pa.ipc.open_file(pa.BufferReader(pa.py_buffer(self._map))).read_all()

    def release(self) -> None:
        """Hand the pages a full scan (a search) touched back to the kernel: they are the
        file's, unchanged, and are read again when next needed, so the server does not keep
        the whole text resident after a search."""
        if hasattr(mmap, "MADV_DONTNEED"):
            self._map.madvise(mmap.MADV_DONTNEED)

    def take(self, column: str, positions: np.ndarray) -> list:
        """The column's values at these positions, in that order. Chunk by chunk: a take on
        the whole chunked column would first join its chunks, a copy of all of it.

        TAKE_ROWS rows at a time, the touched pages handed back after each: the kernel maps
        64 KB of file around every page a row is read from, so 4,000 scattered rows would
        otherwise hold ~250 MB of the file in the server's memory at once."""
        chunks = self.table.column(column).chunks
        starts = np.cumsum([0] + [len(c) for c in chunks])
        owner = np.searchsorted(starts, positions, side="right") - 1
        values: list = [None] * len(positions)
        for k in np.unique(owner):
            where = np.flatnonzero(owner == k)
            for first in range(0, len(where), TAKE_ROWS):
                part = where[first:first + TAKE_ROWS]
                got = chunks[k].take(pa.array(positions[part] - starts[k])).to_pylist()
                for i, value in zip(part, got):
                    values[i] = value
                if len(where) > TAKE_ROWS:
                    self.release()
        return values


@st.cache_resource(max_entries=4)
def text_columns(root: str, build_id: str) -> MappedText:
    """The build's on-demand columns (ON_DEMAND), memory-mapped, one map per build."""
    return MappedText(_text_file(root, build_id))


def paragraph_text(root: str, build_id: str, positions, column: str = TEXT) -> list:
    """The text (or another ON_DEMAND column) of the paragraphs at these row positions of the
    build's paragraph table, in the order asked."""
    positions = np.asarray(positions, dtype=np.int64)
    mapped = text_columns(root, build_id)
    if column not in mapped.table.column_names:
        return [[] if column == NEIGHBOURS else None] * len(positions)
    values = mapped.take(column, positions)
    if len(positions) > 10_000:
        mapped.release()
    return values


@st.cache_data(max_entries=64)
def cached_rows(root: str, build_id: str, positions: tuple[int, ...],
                columns: tuple[str, ...] = READING) -> dict[str, list]:
    """paragraph_text of these columns for a few rows (a reader's page), cached: a rerun shows
    the same ones."""
    return {column: paragraph_text(root, build_id, positions, column) for column in columns}


@st.cache_data(max_entries=32, show_spinner="Searching the text…")
def text_matches(root: str, build_id: str, text: str) -> np.ndarray:
    """Which paragraphs contain `text`, case-insensitively (views.filters.contains_text over the
    memory-mapped text column): one boolean per row of paragraphs(root, build_id)."""
    mapped = text_columns(root, build_id)
    found = contains_text(mapped.table.column(TEXT), text)
    mapped.release()
    return found


def text_of(rows: pd.DataFrame, *, limit: int | None = None,
            columns: tuple[str, ...] = READING) -> pd.DataFrame:
    """`rows` (the shared paragraphs table, or a frame cut from it: it keeps the table's index
    and attrs) with their text, title and url (or these ON_DEMAND `columns`), read for these
    rows only (the first `limit` of them when given)."""
    if limit is not None:
        rows = rows.head(limit)
    wanted = [c for c in columns if c not in rows]
    if not wanted:
        return rows
    if SOURCE not in rows.attrs:
        raise KeyError("text_of needs rows cut from app_data.paragraphs (they name their build)")
    root, build_id = rows.attrs[SOURCE]
    positions = rows.index.to_numpy()
    if len(rows) <= 200:  # a reader's page: the same few rows on every rerun
        few = cached_rows(root, build_id, tuple(int(p) for p in positions), tuple(wanted))
        return rows.assign(**few)
    return rows.assign(**{column: paragraph_text(root, build_id, positions, column)
                          for column in wanted})


def frame_key(frame: pd.DataFrame) -> str:
    """What a cached analysis of `frame` is keyed by: all of the frame. Streamlit's own hash of
    a DataFrame of 50,000 rows or more reads a 10,000-row sample and the shape, so two views of
    the same size could share a result. Rows cut from the shared table (paragraphs) are named
    by their build and positions, which fix the values of its columns (pages add columns under
    new names, never change the table's); any other column is hashed value by value."""
    digest = hashlib.sha256(repr([str(c) for c in frame.columns]).encode())
    source = frame.attrs.get(SOURCE)
    shared: set = set()
    if source is not None:
        digest.update(repr(tuple(source)).encode())
        digest.update(np.ascontiguousarray(frame.index.to_numpy(dtype=np.int64)).tobytes())
        shared = set(paragraphs(*source).columns)
    else:
        digest.update(pd.util.hash_pandas_object(frame.index).to_numpy().tobytes())
    for column in frame.columns:
        if column not in shared:
            digest.update(pd.util.hash_pandas_object(frame[column], index=False)
                          .to_numpy().tobytes())
    return digest.hexdigest()


def cached_by_frame(**options):
    """st.cache_data(**options) for a function whose first argument is a DataFrame, keyed by
    frame_key of it (and the other arguments as st.cache_data hashes them)."""
    def decorate(function):
        def cached(_frame, key, *args, **kwargs):
            return function(_frame, *args, **kwargs)

        # Streamlit tells cached functions apart by module, qualified name and source: the
        # name makes each its own cache.
        cached.__qualname__ = f"{function.__qualname__}__by_frame"
        cached = st.cache_data(**options)(cached)

        @functools.wraps(function)
        def call(frame, *args, **kwargs):
            return cached(frame, frame_key(frame), *args, **kwargs)

        call.clear = cached.clear
        return call

    return decorate


@cached_by_frame(max_entries=32, show_spinner="Bootstrapping intervals…")
def shares_with_intervals(frame: pd.DataFrame, group_col: str, category_col: str
                          ) -> pd.DataFrame:
    """Shares of each group's paragraphs with 95% intervals resampling whole articles, always
    stats.N_BOOT times (cached: the pages ask for the same table on every rerun)."""
    from framing_atlas.analysis import stats  # sklearn: kept off the map's start-up

    return stats.bootstrap_shares(frame, group_col=group_col, category_col=category_col,
                                  n_boot=stats.N_BOOT)


@cached_by_frame(max_entries=16, show_spinner="Ranking terms…")
def distinctive_terms(frame: pd.DataFrame, group_col: str, target: str,
                      top: int = 15) -> pd.DataFrame:
    """`target`'s most and least distinctive terms (stats.log_odds, bootstrapping articles
    stats.N_BOOT times), cached."""
    from framing_atlas.analysis import stats

    return stats.log_odds(frame, group_col=group_col, target=target, top=top,
                          n_boot=stats.N_BOOT)


@cached_by_frame(max_entries=16, show_spinner="Ranking terms…")
def outlet_terms(frame: pd.DataFrame, top: int = 10) -> dict[str, list[str]]:
    """Each outlet's most distinctive terms (analysis.terms.outlet_terms), cached: the same
    view asks for the same ranking on every rerun."""
    from framing_atlas.analysis.terms import outlet_terms as rank

    return rank(frame, top=top)


def names_version(store: Store) -> float:
    """Changes whenever a cluster is renamed, so the cached named clusters are refreshed."""
    path = store.root / CLUSTER_NAMES_FILE
    return path.stat().st_mtime_ns if path.exists() else 0


@st.cache_data(max_entries=8)
def named_clusters(root: str, build_id: str, names_version: float) -> pd.DataFrame:
    """Clusters with the names users gave them (kept across rebuilds)."""
    store = Store(Path(root))
    return apply_names(store.read_table("clusters", build=build_id), paragraphs(root, build_id),
                       read_names(store.root))


def labels_version(store: Store) -> int:
    """Changes whenever people add or remove theme labels, so the cached labels are refreshed."""
    path = store.labels_path
    return path.stat().st_mtime_ns if path.exists() else 0


@st.cache_data(max_entries=4)
def labels(root: str, version: int) -> pd.DataFrame:
    """The theme labels people gave (store.LABEL_COLUMNS), kept beside the builds."""
    return Store(Path(root)).read_labels()


def save_labels(store: Store, new: pd.DataFrame) -> int:
    """Add labels to the store (never when read-only); returns how many it holds afterwards."""
    require_writable()
    return store.save_labels(new)


def remove_labels(store: Store, chosen: pd.DataFrame) -> int:
    """Forget the labels in `chosen` (text_hash and theme columns; never when read-only);
    returns how many were removed."""
    require_writable()
    return sum(store.remove_labels(chosen.loc[chosen[THEME] == theme, TEXT_HASH].tolist(), theme)
               for theme in chosen[THEME].unique())


@st.cache_data(max_entries=8)
def table(root: str, build_id: str, name: str) -> pd.DataFrame | None:
    """A build's extra table (e.g. centroids), or None for a build made before it existed."""
    path = Store(Path(root)).build_folder(build_id) / f"{name}.parquet"
    return pd.read_parquet(path) if path.exists() else None


@st.cache_data(max_entries=4)
def build_document(root: str, build_id: str, name: str) -> dict:
    return Store(Path(root)).read_document(name, build=build_id)


def load() -> tuple[Store, bool, str]:
    """The store to show, whether it is the demo, and its build id; stops the page with a clear
    message when there is nothing to show."""
    try:
        store, is_demo = active_store()
        if is_demo:
            ensure_demo(store)
        build_id = active_build_id(store)
    except AtlasError as err:
        st.error(str(err))
        st.stop()
    if build_id is None and settings().read_only:
        st.info(no_atlas_read_only(store))
        st.stop()
    if build_id is None:
        st.info(f"The store {store.root} has no build yet. Ingest articles and build them:\n\n"
                f"`framing-atlas ingest FILE --store {store.root}` then "
                f"`framing-atlas build --store {store.root}`")
        st.stop()
    return store, is_demo, build_id


@cached_by_frame(max_entries=16, show_spinner="Bootstrapping intervals…")
def shares_by_period(frame: pd.DataFrame, side_col: str, category_col: str,
                     freq: str) -> pd.DataFrame:
    """Each side's shares per period with 95% intervals (periods.shares_by_period, always
    stats.N_BOOT resamples), cached like shares_with_intervals."""
    from framing_atlas.analysis import periods, stats

    return periods.shares_by_period(frame, side_col=side_col, category_col=category_col,
                                    freq=freq, n_boot=stats.N_BOOT)


@cached_by_frame(max_entries=16, show_spinner="Bootstrapping intervals…")
def axis_by_period(frame: pd.DataFrame, side_col: str, axis: str, freq: str) -> pd.DataFrame:
    """Each side's mean position on an axis per period with 95% intervals, cached."""
    from framing_atlas.analysis import periods, stats

    return periods.axis_by_period(frame, side_col=side_col, axis=axis, freq=freq,
                                  n_boot=stats.N_BOOT)


@cached_by_frame(max_entries=16, show_spinner="Permuting…")
def divergence(frame: pd.DataFrame, side_col: str, n_permutations: int) -> pd.DataFrame:
    """Each pair of sides' cluster divergence with permutation p-values
    (stats.js_divergence_matrix), cached."""
    from framing_atlas.analysis import stats
    from framing_atlas.store import CLUSTER

    return stats.js_divergence_matrix(frame, group_col=side_col, category_col=CLUSTER,
                                      n_permutations=n_permutations)


def error_rates(root: str, build_id: str) -> dict:
    """Each theme's measured error rates (quantify.ErrorRates) from the build's themes.json; a
    theme without labelled paragraphs has none. Cheap: the document is cached."""
    from framing_atlas.analysis import quantify

    return quantify.build_error_rates(build_document(root, build_id, "themes"))


CORRECTING = "Correcting theme shares for the detectors' error…"


@cached_by_frame(max_entries=1024, show_spinner=CORRECTING)
def _group_shares(frame: pd.DataFrame, group_col: str, root: str, build_id: str,
                  themes: tuple[str, ...]) -> pd.DataFrame:
    from framing_atlas.analysis import quantify, stats

    return quantify.corrected_shares(frame, error_rates(root, build_id), group_col=group_col,
                                     themes=list(themes), n_boot=stats.N_BOOT,
                                     draws=label_draws(root, build_id, themes))


def corrected_shares(frame: pd.DataFrame, group_col: str, root: str, build_id: str,
                     themes: tuple[str, ...]) -> pd.DataFrame:
    """Each group's raw and corrected share of paragraphs on each theme (has_<theme>), both
    with 95% intervals (quantify.corrected_shares, always stats.N_BOOT resamples of the articles
    and of the labelled set), with the error rates of build `build_id`. One cached call per
    group, as corrected_shares_by_period: a filter that removes an outlet computes nothing
    for the others, and the table is the one a single call gives."""
    return by_side(_group_shares, frame, group_col, root, build_id, themes)


@st.cache_data(max_entries=8, show_spinner=False)
def label_draws(root: str, build_id: str, themes: tuple[str, ...]):
    """The labelled set's resamples (quantify.label_draws) for build `build_id`'s error rates:
    drawn once, shared by the calls made one side at a time."""
    from framing_atlas.analysis import quantify, stats

    return quantify.label_draws(error_rates(root, build_id), list(themes), n_boot=stats.N_BOOT)


@cached_by_frame(max_entries=1024, show_spinner=CORRECTING)
def _side_shares_by_period(frame: pd.DataFrame, side_col: str, freq: str, root: str,
                           build_id: str, themes: tuple[str, ...]) -> pd.DataFrame:
    from framing_atlas.analysis import quantify, stats

    return quantify.corrected_shares_by_period(frame, error_rates(root, build_id),
                                               side_col=side_col, freq=freq,
                                               themes=list(themes), n_boot=stats.N_BOOT,
                                               draws=label_draws(root, build_id, themes))


def corrected_shares_by_period(frame: pd.DataFrame, side_col: str, freq: str, root: str,
                               build_id: str, themes: tuple[str, ...]) -> pd.DataFrame:
    """corrected_shares per side × period (quantify.corrected_shares_by_period): one cached
    call per side, so a filter that adds or removes outlets computes only the outlets it
    changes. The same table as one call over every side (each cell draws its articles from its
    own stream, and the labelled set is drawn once)."""
    return by_side(_side_shares_by_period, frame, side_col, freq, root, build_id, themes)


def by_side(cached, frame: pd.DataFrame, side_col: str, *args) -> pd.DataFrame:
    """cached(part, side_col, *args) for each side's rows, put together in the order one call
    over all of them gives (by group label; rows of a group in their order)."""
    parts = [cached(part, side_col, *args)
             for _, part in frame.groupby(side_col, observed=True, sort=False, dropna=False)]
    if not parts:
        return cached(frame, side_col, *args)
    return (pd.concat(parts, ignore_index=True)
            .sort_values("group", kind="stable", ignore_index=True, key=lambda g: g.astype(str)))


def require_detections(paragraphs: pd.DataFrame, themes: list[str]) -> None:
    """Stop the page with what to do when the build predates per-theme detection."""
    from framing_atlas.analysis.theme_shares import missing_detections

    missing = missing_detections(paragraphs, themes)
    if missing:
        st.error(f"This build has no per-theme detections for {', '.join(missing)} (it was "
                 "made by an older version): rebuild it (`framing-atlas build`, or Rebuild on "
                 "the Data page) to see theme shares.")
        st.stop()
