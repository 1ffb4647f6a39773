"""bench/load.py, small: five readers for 30 s on the demo corpus while a build runs beside them.

The demo corpus ships its vectors, so its store builds in seconds and the build during the load
embeds nothing new; the full bench (20 readers for 3 minutes on ukraine_war_media_2022) is
`python bench/run.py load`. Timings are the bench's, never asserted here.
"""

from __future__ import annotations

import json

import pandas as pd
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


def test_arrivals_are_paced_by_a_first_visit_alone(report):
    first = report["first_visit_alone"]
    assert first["visits"] == load.FIRST_VISITS and first["browser_cpu_s"] > 0
    assert first["wall_p50_s"] > 0
    cores = report["pacing"]["cores_for_browsers"]
    assert 0 < cores <= report["cpu_cores_used"]["load"]["cores"]
    assert report["ramp_s"] == load.paced_ramp(5, first["browser_cpu_s"], cores) > 0
    assert report["ramp_rule"].startswith("paced: 5 sessions x ")
    assert " --ramp" not in report["command"] and "--build-after 3" in report["command"]
    # The pauses were given (--think 1,3); the pacing they would have had is still measured.
    assert report["think_s"] == [1.0, 3.0] and report["think_rule"] == "given (--think)"
    assert all(v > 0 for v in report["pacing"]["browser_cpu_s_by_action"].values())


def test_paced_think_puts_the_readers_at_the_browsers_knee():
    cpu = {"open": 2.0, "filter": 1.0, "select": 2.0, "download": 0.0}  # mean 1.4 CPU-s
    alone = {"open": 1.0, "filter": 0.5, "select": 0.5, "download": 0.0}  # mean 0.55 s
    paced = load.paced_think(20, cpu, alone, 2.0)
    assert paced["action_cpu_s"] == 1.4 and paced["action_alone_s"] == 0.55
    assert paced["think_mean_s"] == 13.4  # 20 x 1.4 / 2 - 0.55: N* = (Z + R) / (D / C) = 20
    assert paced["think_s"] == [6.7, 20.1]
    assert load.paced_think(20, cpu, alone, 8.0)["think_mean_s"] == round(20 * 1.4 / 8 - 0.55, 1)
    assert load.paced_think(1, cpu, alone, 8.0)["think_mean_s"] == 1.0  # never below 1 s


def test_paced_ramp_fits_the_first_pages_in_the_cores():
    assert load.paced_ramp(20, 4.4, 2) == 44.0
    assert load.paced_ramp(20, 4.41, 2) == 45.0  # whole seconds, never shorter
    assert load.paced_ramp(5, 3.0, 4) == 4.0


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


def test_only_the_loads_clock_is_compared_with_the_publish():
    """Records before the load (alone, first visits) count their start from another moment:
    one that showed the old build is not an action after the publish that missed the new one."""
    builds = {"old": pd.DataFrame({"x": range(3)}), "new": pd.DataFrame({"x": range(4)})}
    builder = {"state": "done", "ingest": {"started_s": 3.0},
               "build": {"started_s": 5.0, "finished_s": 9.0}}
    records = [load.Record(0, "alone", "open_map", 20.0, 1.0, shown=3),
               load.Record(-1, "first", "open_map", 24.0, 1.0, shown=3),
               load.Record(1, "load", "open_map", 1.0, 1.0, shown=3),
               load.Record(1, "load", "open_map", 12.0, 1.0, shown=4),
               load.Record(2, "check", "open_map", 40.0, 1.0, shown=4)]
    switch = load.summarise(records, builds, builder, 60.0)["switch"]
    assert switch["shown_after_publish"] == 2 and switch["showing_new_build"] == 2
    assert switch["shown_before_build"] == 1 and switch["showing_old_build"] == 1
    assert switch["switched"] and switch["not_new_after_publish_by_action"] == {}
    records.append(load.Record(3, "load", "open_map", 30.0, 1.0, shown=3))  # missed it
    switch = load.summarise(records, builds, builder, 60.0)["switch"]
    assert not switch["switched"] and switch["not_new_after_publish_by_action"] == {"open_map": 1}
