"""bench/load.py, small: five readers for 30 s on the demo corpus while a build runs beside them.

The demo corpus ships its vectors, so its store builds in seconds and the build during the load
embeds nothing new; the full bench (20 readers for 3 minutes on ukraine_war_media_2022) is
`python bench/run.py load`. Timings are the bench's, never asserted here.
"""

from __future__ import annotations

import json

import pytest

from bench import load
from bench.dashboard import CHROMIUM
from conftest import ROOT

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium "
                                 "(apt-get install chromium); .ci/run installs it")]

DEMO = ROOT / "data" / "demo" / "articles.csv"


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    folder = tmp_path_factory.mktemp("load")
    out = folder / "load.json"
    # Readers quicker than the full bench's (1-3 s between actions), so 30 s holds every action.
    returned = load.main(["--sessions", "5", "--seconds", "30", "--corpus", str(DEMO),
                          "--think", "1,3", "--articles", "158", "--cache", str(folder / "cache"),
                          "--rounds", "1", "--build-after", "3", "--out", str(out)])
    assert json.loads(out.read_text(encoding="utf-8")) == json.loads(json.dumps(returned))
    return returned


def test_five_readers_meet_no_error_and_do_every_action(report):
    assert report["errors"] == 0, report["first_errors"]
    assert report["sessions"] == 5 and report["server_alive_at_end"]
    for kind in load.KINDS:  # every page opened, and the map's filter, selection and download
        assert report["actions"][kind]["alone_n"] >= 1, kind  # alone, for the baseline
        assert report["actions"][kind]["n"] >= 1, kind  # and under load
        assert report["actions"][kind]["p95_over_alone_p50"] is not None, kind
    assert report["server_memory"]["load"]["peak_mb"] > 0


def test_the_build_beside_finishes_and_the_pages_show_it(report):
    build = report["build_beside"]
    assert build["state"] == "done", build
    assert build["build_after"] != build["build_before"]
    assert build["paragraphs_after"] > report["store"]["paragraphs"]  # the aside articles
    switch = report["switch"]
    assert switch["switched"], switch
    assert switch["check_link_shows_new"] and switch["counts_matching_neither_build"] == 0
    assert switch["errors_while_building"] == 0
    assert switch["actions_during_the_build"] > 0  # the pages served during the build


def test_table_gives_ratios_to_the_baseline(report):
    lines = load.table(report).splitlines()
    assert lines[1].startswith("| action | alone p50 s |")
    assert len([line for line in lines if line.startswith("| open_map |")]) == 1
    assert f"errors: 0 of {report['total_actions']} actions" in lines
