"""Background builds: a build started from the dashboard runs as a process of its own.

A build inside a page's script ends with the script: any click, a reload or leaving the page
stopped it. start_build launches `framing-atlas build --job STORE` instead, detached from the
server, and that process records its progress in the store's job.json as it goes (job_progress).
Every page reads that file (read_job): a job still running, finished, failed with its error, or
died (its process is gone without saying so: killed, or the machine restarted). A second start
is refused while one runs; a died or failed job can simply be started again, and it reuses
every vector the first one cached.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import threading
from dataclasses import asdict, dataclass, replace
from pathlib import Path

from filelock import FileLock

from framing_atlas.errors import AtlasError
from framing_atlas.settings import Settings
from framing_atlas.store import Progress, write_bytes

JOB_FILE = "job.json"
JOB_LOG = "job.log"
RUNNING, DONE, FAILED, DIED = "running", "done", "failed", "died"


@dataclass(frozen=True)
class Job:
    """What the store's job file says, with `state` DIED when its process is gone mid-run."""

    state: str
    pid: int
    started: str  # ISO time, UTC
    updated: str
    done: int = 0
    total: int = 1
    message: str = "starting"
    error: str | None = None
    build_id: str | None = None

    @property
    def fraction(self) -> float:
        return min(max(self.done / max(self.total, 1), 0.0), 1.0)


def job_path(root: Path) -> Path:
    return Path(root) / JOB_FILE


def read_job(root: Path) -> Job | None:
    """The store's last background build, or None if it never had one."""
    path = job_path(root)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        job = Job(**{k: data[k] for k in Job.__dataclass_fields__ if k in data})
    except FileNotFoundError:
        return None
    except (ValueError, TypeError, KeyError) as err:
        raise AtlasError(f"the job file is damaged ({err}); delete it to start a new build",
                         file=path) from None
    if job.state == RUNNING and not _alive(job.pid, job.updated):
        return replace(job, state=DIED)
    return job


def start_build(settings: Settings) -> Job:
    """Launch a build of `settings.store` as a process of its own and return its job.

    Raises AtlasError when a build started this way is still running there. The process takes
    the store's write lock like any build, so it also waits for (never disturbs) a writer from
    the command line, saying so in its progress.
    """
    root = Path(settings.store)
    root.mkdir(parents=True, exist_ok=True)
    # Two visitors pressing "rebuild" at once: one starts it, the other is told it runs.
    with _lock(root):
        try:
            current = read_job(root)
        except AtlasError:  # a damaged job file only held a past job's progress: replaced
            current = None
        if current is not None and current.state == RUNNING:
            raise AtlasError(f"a build is already running here (started {current.started[:19]} "
                             f"UTC, {current.fraction:.0%}: {current.message}); it shows on every "
                             "page, and its result appears when it is done")
        now = _now()
        _write(root, {**asdict(Job(RUNNING, 0, now, now)),
                      "settings": settings.model_dump(mode="json")})
        try:
            with open(root / JOB_LOG, "ab") as log:
                process = subprocess.Popen(
                    [sys.executable, "-m", "framing_atlas.cli", "build", "--job", str(root)],
                    stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                    start_new_session=True)  # not ended with the server's process group
        except OSError as err:
            finish_job(root, error=f"the build process could not start: {err}")
            raise AtlasError(f"the build process could not start: {err}") from None
        # Reap it when it ends, so a finished build leaves no zombie behind in the server.
        threading.Thread(target=process.wait, daemon=True).start()
        job = Job(RUNNING, process.pid, now, now)
        _update(root, pid=process.pid)
    return job


def job_settings(root: Path) -> Settings:
    """The settings start_build gave the job (read by the job's own process)."""
    data = json.loads(job_path(root).read_text(encoding="utf-8"))
    return Settings(**data["settings"])


def job_progress(root: Path) -> Progress:
    """A build progress callback that records each step in the job file."""
    def update(done: int, total: int, what: str) -> None:
        _update(root, done=int(done), total=int(total), message=str(what))

    return update


def finish_job(root: Path, *, build_id: str | None = None, error: str | None = None) -> None:
    """Record the job's end: the build it published, or the error that stopped it."""
    _update(root, state=FAILED if error else DONE, build_id=build_id, error=error,
            done=1 if not error else None, total=1 if not error else None,
            message="finished" if not error else "failed")


def _lock(root: Path) -> FileLock:
    # One instance per path (is_singleton), so start_build's _update takes it again safely.
    return FileLock(str(Path(root) / ".job.lock"), timeout=30, is_singleton=True)


def _update(root: Path, **changes: object) -> None:
    """Change some of the job file's fields (None leaves a field as it is, but for `error`)."""
    with _lock(root):
        data = json.loads(job_path(root).read_text(encoding="utf-8"))
        data.update({k: v for k, v in changes.items() if v is not None or k == "error"})
        data["updated"] = _now()
        _write(root, data)


def _write(root: Path, data: dict) -> None:
    write_bytes(json.dumps(data, indent=1).encode("utf-8"), job_path(root))


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


# A job file without a process number this long after its last word was never started.
START_SECONDS = 60


def _alive(pid: int, updated: str) -> bool:
    """Whether process `pid` still runs a framing-atlas job (not ended, not a zombie, and not
    another program that was given the same number since)."""
    if pid <= 0:  # being started: the number is written right after the launch
        age = dt.datetime.now(dt.timezone.utc) - dt.datetime.fromisoformat(updated)
        return age.total_seconds() < START_SECONDS
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    proc = Path(f"/proc/{pid}")
    if not proc.exists():  # not Linux: the signal test is all there is
        return True
    try:
        state = proc.joinpath("stat").read_text().rsplit(")", 1)[1].split()[0]
        command = proc.joinpath("cmdline").read_bytes()
    except OSError:
        return False
    return state != "Z" and b"framing_atlas" in command
