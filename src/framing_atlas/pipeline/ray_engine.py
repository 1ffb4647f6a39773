"""Embed with Ray Data: embed.embed()'s contract, the model run by a pool of Ray actors.

The distinct texts the vector cache lacks are written as Parquet (text_hash, text) to a work
folder, read with ray.data.read_parquet, embedded by map_batches with a pool of actors (each
loads the model once), and written back as Parquet (text_hash, vector) with write_parquet.
This process then reads those files, adds them to the cache and returns the vectors in input
order. Only the work folder has to be reachable from every Ray node: the store itself (cache,
articles, builds) is read and written here. On a cluster the work folder is shared storage
mounted at the same path on every node, or s3://bucket/prefix (pyarrow's S3 filesystem).

Ray is imported inside the functions that need it, so the local engine never does.
"""

from __future__ import annotations

import logging
import math
import socket
import threading
import uuid
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, Sequence

import numpy as np
import pyarrow as pa
import pyarrow.fs as pafs
import pyarrow.parquet as pq

import framing_atlas
from framing_atlas.errors import AtlasError
from framing_atlas.pipeline.embed import _encode, embed_missing, load_encoder
from framing_atlas.store import TEXT, TEXT_HASH, VECTOR, Progress, VectorCache

log = logging.getLogger(__name__)

RAY_VERSION = "2.60.0"  # the tested version (requirements.txt)
# Ray Data lists, reads and writes files in tasks that each ask for one CPU. A pool whose
# actors hold every CPU leaves none for them and waits forever (seen with a local Ray of
# num_cpus=workers), so a local Ray gets this many CPUs beyond the workers'.
FILE_CPUS = 1
CONNECT_TIMEOUT = 5.0  # seconds to reach a cluster's address before saying it cannot be reached
POLL_SECONDS = 0.5  # how often the finished count is asked for while Ray works


def embed_with_ray(texts: Sequence[str], *, model: str, cache: VectorCache | None = None,
                   batch_size: int = 64, workers: int = 2, address: str | None = None,
                   work_dir: str | Path | None = None, cpus_per_worker: int = 1,
                   chunk: int = 512, progress: Progress | None = None
                   ) -> tuple[np.ndarray, int]:
    """Unit vectors for `texts` and how many had to be computed, as embed.embed() returns them.

    `workers` actors of `cpus_per_worker` CPUs each (torch uses as many threads) embed with
    `model`. `address` names a running cluster ("auto", "host:6379", "ray://host:10001");
    without it a local Ray is started for this call and shut down after it. A Ray this process
    already started is used as it is and left running. `work_dir` holds the Parquet files Ray
    reads and writes (a folder of its own per call, removed afterwards); without it, the
    system's temporary folder, which only a local Ray can reach. Nothing is started when every
    vector is cached.
    """
    def blocks(pairs: list[tuple[str, str]]) -> Iterator[tuple[list[str], np.ndarray]]:
        with ray_session(address, cpus=workers * cpus_per_worker + FILE_CPUS) as ray:
            yield from _embed_on_ray(ray, pairs, model=model, batch_size=batch_size,
                                     workers=workers, cpus_per_worker=cpus_per_worker,
                                     work_dir=work_dir, chunk=chunk, progress=progress)

    return embed_missing(texts, cache=cache, blocks=blocks, progress=progress,
                         how=f" with Ray, {workers} worker{'s' if workers != 1 else ''}")


# Connecting -----------------------------------------------------------------------------------
def import_ray():
    """The ray module with Ray Data, or an AtlasError saying how to install it."""
    try:
        import ray
        import ray.data  # noqa: F401  (Ray Data is an extra: ray alone lacks it)
    except ImportError:
        raise AtlasError(f"the Ray engine needs Ray Data: pip install 'ray[data]=={RAY_VERSION}' "
                         "(on every node of a cluster), or build with --engine local") from None
    return ray


@contextmanager
def ray_session(address: str | None, *, cpus: int) -> Iterator[object]:
    """Ray, connected: to `address` if given, else to a local Ray of `cpus` CPUs started here.
    What is started or connected here is shut down on leaving. A Ray already connected in this
    process is used as it is: its workers must be able to import framing_atlas (a session
    opened here ships it to them; wrap several calls in one to start Ray once)."""
    ray = import_ray()
    if ray.is_initialized():
        _check_cpus(ray, cpus)
        yield ray
        return
    # The workers import this package from the copy this process runs: a cluster's nodes may
    # hold another version, and an editable install's folder may not exist there. (Ray takes a
    # folder to upload only here, for the whole job, not per actor.)
    options = {"runtime_env": {"py_modules": [str(Path(framing_atlas.__file__).parent)]},
               "log_to_driver": False, "logging_level": logging.WARNING}
    if address:
        target = reachable(ray, address)
        try:
            ray.init(address=target, **options)
        except (ConnectionError, ValueError, RuntimeError) as err:
            raise AtlasError(f"cannot connect to the Ray cluster at '{address}': "
                             f"{_why(err)}") from None
    else:
        # "local" starts a Ray of our own even if `ray start` left one running on this machine.
        ray.init(address="local", num_cpus=cpus, include_dashboard=False, **options)
    try:
        _check_cpus(ray, cpus)
        yield ray
    finally:
        ray.shutdown()


def reachable(ray, address: str) -> str:
    """`address` as ray.init takes it, once something answers there; else an AtlasError.

    ray.init itself retries an unreachable address for minutes and then exits the process."""
    if address.startswith("ray://"):
        host, _, port = address[len("ray://"):].rpartition(":")
        target = address
    else:
        from ray._private.services import canonicalize_bootstrap_address

        try:  # "auto" becomes the address `ray start` left on this machine
            target = canonicalize_bootstrap_address(address)
        except (ConnectionError, ValueError) as err:
            raise AtlasError(f"no Ray cluster at '{address}': {_first_line(err)} Start one with "
                             "`ray start --head`, or give its address (host:6379 or "
                             "ray://host:10001), or leave ray_address unset for a local Ray"
                             ) from None
        host, _, port = str(target).rpartition(":")
    try:
        socket.create_connection((host, int(port)), timeout=CONNECT_TIMEOUT).close()
    except (OSError, ValueError) as err:
        raise AtlasError(f"cannot reach the Ray cluster at '{address}' ({err}): check the "
                         "address and that `ray start --head` runs there (its port, 6379 by "
                         "default, or 10001 for ray://), or leave ray_address unset for a "
                         "local Ray") from None
    return target


def _check_cpus(ray, cpus: int) -> None:
    have = int(ray.cluster_resources().get("CPU", 0))
    if have < cpus:
        raise AtlasError(f"the Ray cluster has {have} CPUs; the workers need {cpus - FILE_CPUS} "
                         f"and Ray Data {FILE_CPUS} more to read and write files: use fewer "
                         "workers (ray_workers) or a larger cluster")


def _why(err: BaseException) -> str:
    """What ray.init's error comes down to, said so a user can act on it."""
    causes = [err]
    while causes[-1].__cause__ is not None and len(causes) < 10:
        causes.append(causes[-1].__cause__)
    # The token refusal comes as the text of an inner error, not as its type.
    if any("InvalidAuthToken" in str(cause) for cause in causes):
        return ("the cluster refused this machine's token. Ray clusters check a token by "
                "default: set RAY_AUTH_MODE=token here and give this machine the cluster's "
                "token (the file ~/.ray/auth_token, or RAY_AUTH_TOKEN)")
    return _first_line(err)


def _first_line(err: BaseException) -> str:
    return (str(err).strip().splitlines() or [type(err).__name__])[0]


# Running --------------------------------------------------------------------------------------
class Embedder:
    """One actor of the pool: loads the model once, then embeds batch after batch of
    (text_hash, text) rows into (text_hash, vector), counting them on `tally`."""

    def __init__(self, model: str, batch_size: int, threads: int, tally) -> None:
        import torch

        torch.set_num_threads(threads)
        self.encoder = load_encoder(model, device="cpu")
        self.batch_size, self.tally = batch_size, tally

    def __call__(self, batch: pa.Table) -> pa.Table:
        vectors = _encode(self.encoder, batch.column(TEXT).to_pylist(), self.batch_size)
        self.tally.add.remote(len(vectors))
        flat = pa.FixedSizeListArray.from_arrays(pa.array(vectors.reshape(-1)), vectors.shape[1])
        return pa.table({TEXT_HASH: batch.column(TEXT_HASH), VECTOR: flat})


class Tally:
    """How many texts the actors have embedded so far (an actor: they all report to it)."""

    def __init__(self) -> None:
        self.done = 0

    def add(self, n: int) -> None:
        self.done += n

    def count(self) -> int:
        return self.done


def _embed_on_ray(ray, rows: list[tuple[str, str]], *, model: str, batch_size: int,
                  workers: int, cpus_per_worker: int, work_dir: str | Path | None, chunk: int,
                  progress: Progress | None) -> Iterator[tuple[list[str], np.ndarray]]:
    """(hashes, vectors) per file Ray wrote, for `rows` of (text_hash, text) in any order."""
    filesystem, base = _filesystem(work_dir)
    run = f"{base}/ray-{uuid.uuid4().hex[:12]}"
    files = _write_inputs(filesystem, f"{run}/in", rows, per_file=rows_per_file(
        len(rows), workers=workers, batch_size=batch_size, chunk=chunk))
    try:
        tally = ray.remote(num_cpus=0)(Tally).remote()
        # No bars of Ray's own over the caller's (a dataset keeps the context it was made in).
        with _data_context(ray, enable_progress_bars=False):
            # As many blocks as input files: Ray Data reads small files into one block, which
            # one actor would embed while the others wait.
            mapped = ray.data.read_parquet(_uri(work_dir, run, "in")).repartition(files)
        mapped = mapped.map_batches(
            Embedder, fn_constructor_kwargs={"model": model, "batch_size": batch_size,
                                             "threads": cpus_per_worker, "tally": tally},
            batch_size=None, batch_format="pyarrow", num_cpus=cpus_per_worker,
            # No more actors than blocks: an actor without one would load the model for nothing.
            compute=ray.data.ActorPoolStrategy(size=min(workers, files)))
        with _quiet(logging.getLogger("ray.data")):  # its INFO lines would break the bars
            _run_reporting(ray, lambda: mapped.write_parquet(_uri(work_dir, run, "out")),
                           tally, total=len(rows), progress=progress)
        produced = 0
        for path in _parquet_files(filesystem, f"{run}/out"):
            table = pq.read_table(path, filesystem=filesystem)
            flat = table.column(VECTOR).combine_chunks()
            block = flat.values.to_numpy(zero_copy_only=False).reshape(len(table),
                                                                      flat.type.list_size)
            produced += len(table)
            yield table.column(TEXT_HASH).to_pylist(), block.astype(np.float32, copy=False)
        if produced != len(rows):
            raise AtlasError(f"Ray returned {produced} vectors for {len(rows)} texts",
                             file=_uri(work_dir, run, "out"))
    finally:
        try:
            filesystem.delete_dir(run)
        except OSError as err:  # the vectors are in the cache already; say what is left
            log.warning("could not remove the Ray work folder %s: %s", run, err)


@contextmanager
def _quiet(logger: logging.Logger) -> Iterator[None]:
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


@contextmanager
def _data_context(ray, **values: object) -> Iterator[None]:
    """Ray Data's current context with `values` set, restored afterwards."""
    context = ray.data.DataContext.get_current()
    before = {name: getattr(context, name) for name in values}
    for name, value in values.items():
        setattr(context, name, value)
    try:
        yield
    finally:
        for name, value in before.items():
            setattr(context, name, value)


def rows_per_file(n: int, *, workers: int, batch_size: int, chunk: int) -> int:
    """Rows per input file, each file one block an actor embeds in one go: about four blocks
    per worker so the pool stays busy to the end, a whole number of batches, at most `chunk`."""
    rows = math.ceil(n / (4 * workers))
    rows = batch_size * math.ceil(rows / batch_size)
    return max(1, min(rows, max(chunk, batch_size)))


def _write_inputs(filesystem, folder: str, rows: list[tuple[str, str]], *, per_file: int) -> int:
    filesystem.create_dir(folder, recursive=True)
    count = 0
    for count, start in enumerate(range(0, len(rows), per_file), start=1):
        part = rows[start:start + per_file]
        table = pa.table({TEXT_HASH: pa.array([h for h, _ in part], pa.string()),
                          TEXT: pa.array([t for _, t in part], pa.string())})
        pq.write_table(table, f"{folder}/part-{count:06d}.parquet", filesystem=filesystem)
    return count


def _run_reporting(ray, work, tally, *, total: int, progress: Progress | None) -> None:
    """work() in a thread, reporting the tally here as it grows: the progress callback may
    only be called from this thread (a dashboard's is). Ray's failures become an AtlasError."""
    failure: list[BaseException] = []

    def run() -> None:
        try:
            work()
        except BaseException as err:  # handed to the calling thread, which raises it
            failure.append(err)

    thread = threading.Thread(target=run, name="ray-embed", daemon=True)
    thread.start()
    reported, finished = 0, False
    while not finished:
        thread.join(POLL_SECONDS)
        finished = not thread.is_alive()
        if progress and not failure:
            done = total if finished else min(int(ray.get(tally.count.remote())), total)
            if done != reported:
                reported = done
                progress(done, total, "embedding")
    if failure:
        err = failure[0]
        if isinstance(err, ray.exceptions.RayError):
            raise AtlasError(f"embedding with Ray failed: {_last_line(err)}") from None
        raise err


def _last_line(err: BaseException) -> str:
    lines = [line.strip() for line in str(err).splitlines() if line.strip()]
    return lines[-1] if lines else type(err).__name__


# Where the work files go ----------------------------------------------------------------------
def _filesystem(work_dir: str | Path | None) -> tuple[pafs.FileSystem, str]:
    """The work folder's filesystem and its path within it (a URI's query, such as an S3
    endpoint_override, configures the filesystem)."""
    if work_dir is None:
        import tempfile

        return pafs.LocalFileSystem(), Path(tempfile.gettempdir()).as_posix()
    if "://" in str(work_dir):
        try:
            filesystem, path = pafs.FileSystem.from_uri(str(work_dir))
        except (pa.ArrowInvalid, ValueError, OSError) as err:
            raise AtlasError(f"cannot use the Ray work folder: {_first_line(err)}",
                             file=work_dir) from None
        return filesystem, path.rstrip("/")
    return pafs.LocalFileSystem(), Path(work_dir).resolve().as_posix()


def _uri(work_dir: str | Path | None, run: str, name: str) -> str:
    """The address Ray reads or writes: a URI keeps its scheme and query, a local path is
    absolute (each worker resolves it against its own filesystem)."""
    leaf = f"{run.rsplit('/', 1)[-1]}/{name}"
    if work_dir is not None and "://" in str(work_dir):
        address, _, query = str(work_dir).partition("?")
        return f"{address.rstrip('/')}/{leaf}" + (f"?{query}" if query else "")
    return f"{run}/{name}"


def _parquet_files(filesystem, folder: str) -> list[str]:
    infos = filesystem.get_file_info(pafs.FileSelector(folder, recursive=True))
    return sorted(i.path for i in infos if i.is_file and i.path.endswith(".parquet"))
