"""Background builds (issue 13): a process of their own, progress in the store's job file,
one at a time, a died job reported and resumable. These start real `framing-atlas build --job`
processes with the bundled model on a few fictional articles."""

import json
import os
import signal
import subprocess
import sys

import pytest

from conftest import make_articles, wait_for_job as wait_for
from framing_atlas import jobs
from framing_atlas.errors import AtlasError
from framing_atlas.inputs.ingest import ingest
from framing_atlas.settings import load_settings
from framing_atlas.store import Store


def store_with_articles(tmp_path, n=2):
    store = Store(tmp_path / "store")
    path = tmp_path / "articles.csv"
    make_articles(n, seed=5).to_csv(path, index=False)
    merged, _ = ingest([path], store.read_articles())
    store.write_articles(merged)
    return store


def test_a_background_build_finishes_on_its_own_and_a_second_start_is_refused(
        tmp_path, themes_file):
    store = store_with_articles(tmp_path)
    settings = load_settings(store=store.root, themes_file=themes_file, n_neighbors=8)
    started = jobs.start_build(settings)
    assert started.state == jobs.RUNNING and started.pid > 0
    with pytest.raises(AtlasError, match="already running"):
        jobs.start_build(settings)
    seen = set()
    job = wait_for(store.root, lambda j: seen.add(j.message.split(":")[0]) or j.state != "running")
    assert job.state == jobs.DONE, job
    assert job.build_id == store.manifest()["build_id"] and job.fraction == 1.0
    assert "embed" in seen and len(seen) >= 4  # the stages were reported as they ran
    # The job's settings were used, not the job process's own defaults.
    assert store.manifest()["parameters"]["n_neighbors"] == 8
    # Finished, so a new start is allowed.
    jobs.start_build(settings)
    assert wait_for(store.root, lambda j: j.state != "running").state == jobs.DONE


def test_a_killed_build_is_reported_as_died_and_a_new_start_finishes_it(tmp_path, themes_file):
    store = store_with_articles(tmp_path)
    settings = load_settings(store=store.root, themes_file=themes_file, n_neighbors=8)
    job = jobs.start_build(settings)
    wait_for(store.root, lambda j: j.message.startswith("embed"))  # loading the model
    os.kill(job.pid, signal.SIGKILL)
    died = wait_for(store.root, lambda j: j.state != "running", timeout=30)
    assert died.state == jobs.DIED and store.current_build() is None
    jobs.start_build(settings)
    assert wait_for(store.root, lambda j: j.state != "running").state == jobs.DONE
    assert store.current_build() is not None


def test_a_build_that_fails_records_its_error(tmp_path, themes_file):
    store = Store(tmp_path / "empty")  # no articles: the build stops with a clear error
    jobs.start_build(load_settings(store=store.root, themes_file=themes_file))
    job = wait_for(store.root, lambda j: j.state != "running")
    assert job.state == jobs.FAILED and "no articles in this store" in job.error


def test_a_job_whose_process_is_another_program_or_never_started_has_died(tmp_path):
    root = tmp_path / "store"
    root.mkdir()
    other = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        now = jobs._now()
        (root / jobs.JOB_FILE).write_text(json.dumps(
            {"state": "running", "pid": other.pid, "started": now, "updated": now}))
        assert jobs.read_job(root).state == jobs.DIED  # that number is not a framing-atlas job
    finally:
        other.kill()
        other.wait()
    (root / jobs.JOB_FILE).write_text(json.dumps(
        {"state": "running", "pid": 0, "started": "2026-01-01T00:00:00+00:00",
         "updated": "2026-01-01T00:00:00+00:00"}))
    assert jobs.read_job(root).state == jobs.DIED
    (root / jobs.JOB_FILE).write_text("{not json")
    with pytest.raises(AtlasError, match="job file is damaged"):
        jobs.read_job(root)


def test_a_damaged_job_file_does_not_stop_the_next_build(tmp_path, themes_file):
    store = store_with_articles(tmp_path)
    (store.root / jobs.JOB_FILE).write_text("{half a file")
    jobs.start_build(load_settings(store=store.root, themes_file=themes_file, n_neighbors=8))
    assert wait_for(store.root).state == jobs.DONE
