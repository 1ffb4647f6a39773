"""Every measured figure in README.md comes from a file in bench/results/ and agrees with it.

How to quote a bench figure in the README (details in bench/readme.py):

  1. Make the bench write it into bench/results/<name>.json and commit that file
     (bench/results/*.json is tracked; only cache/ and *-quick.json are ignored).
  2. Put a marker right after the figure, with no space, naming the file and a JSON Pointer:

         precision 0.93<!-- syndication.json#/real_sample/precision -->
         0.4<!-- dashboard.json#/filter_to_map_s --> s from a filter change

     The README shows the value with as many decimals as it writes; "%" means the JSON holds a
     fraction; a leading "+"/"−" means a sign is always shown; thousands get commas.
  3. Or, for a table whose rows depend on the results, let bench/<name>.py define
     readme_block(results) -> str and wrap the table in
     "<!-- begin <name>.json -->" ... "<!-- end <name>.json -->".
  4. `python bench/run.py [NAME]` reruns benches and rewrites every marked figure and block;
     `python bench/run.py --readme` only rewrites; `python bench/run.py --check` lists drift.

test_readme_figures_agree_with_bench_results fails when a marked figure or block drifts from
its file; test_every_measured_figure_is_tied fails when a decimal, a percentage or a time in
seconds appears in the README without a marker, unless NOT_MEASURED below says why it is not a
measurement (a version, a default setting). Entries there must still occur in the README.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

import readme  # noqa: E402

README = ROOT / "README.md"
RESULTS = ROOT / "bench" / "results"

# README text holding a number that is not a measurement → why. The number must lie inside
# one occurrence of the text.
NOT_MEASURED = {
    "Python 3.11": "the supported version",
    "tested on 3.11": "the tested version",
    "`python:3.11-slim`": "the image's base (a version)",
    "95%": "the interval's confidence level",
    "127.0.0.1": "an address",
    "every 2 s": "how often the pages read a background build's job file (a setting of ui.job_progress)",
    "a 15 s timeout": "a fetch setting",
    "at least 80% of the words": "the ingest rule for a near copy (a setting, not a figure)",
    "above 1.96": "the normal distribution's 97.5% quantile",
    '"40% [40%–40%]"': "the zero-width interval the issue describes, an example",
    "under 5% at 0.05": "what Holm's adjustment guarantees at that level",
    "| 15, 0.1 |": "UMAP defaults in the settings table",
    "| 0.25 |": "max_cluster_share's default",
    "| 0.3 |": "theme_threshold's default",
    "falls short of 0.7": "the issue's target F1, not a measurement",
    "more than 20% is placed": "the build's re-layout advice (a setting)",
    "(up to 600 s)": "the lock timeout's default, in an example message",
    "1% more articles": "the size of the bench's incremental build, not a measurement",
    "(cosine above 0.3,": "the old rule's threshold, a setting",
    "`data/cache/pages`, 1.0": "fetch_interval's default",
    "within 60 s counts as an error": "bench/load.py's action limit (a setting)",
    "arriving over 20 s with the build starting 10 s in, and 5 to 15 s between actions":
        "bench/load.py's earlier fixed arrival, build start and pauses (settings)",
    "the same with 1 to 3 s between actions": "bench/load.py's first pauses (a setting)",
    "(5 sessions\nfor 30 s on the demo corpus, 1 to 3 s between actions,":
        "the suite's load test settings",
}
# Figures that other items of issue 9 move into bench/results (the dashboard timings into
# bench/dashboard.py, the syndication scores into syndication.json). Remove each entry when
# its figure carries a marker; the stale-entry check below says when.
AWAITING_MARKERS: dict[str, str] = {}

# A decimal, a percentage or seconds; not part of a longer dotted number (127.0.0.1).
FIGURE = re.compile(r"(?<![\w.,])[+\-−]?\d[\d,]*(?:\.\d+)?(?:%| s\b)(?![.\d])"
                    r"|(?<![\w.,])[+\-−]?\d[\d,]*\.\d+(?![.\d])")


def prose(text: str) -> str:
    """The README with code blocks and generated blocks blanked (same length, same lines)."""
    def blank(match: re.Match) -> str:
        return re.sub(r"[^\n]", " ", match.group(0))

    text = re.sub(r"```.*?```", blank, text, flags=re.S)
    return readme.BLOCK.sub(blank, text)


def untied_figures(text: str, allowed: dict[str, str]) -> list[str]:
    tied = [(t.start, t.end) for t in readme.ties(text) if t.kind == "figure"]
    excused = [(m.start(), m.end()) for key in allowed
               for m in re.finditer(re.escape(key), text)]
    found = []
    for match in FIGURE.finditer(prose(text)):
        span = (match.start(), match.end())
        if any(a <= span[0] and span[1] <= b for a, b in tied + excused):
            continue
        found.append(f"line {readme.line_of(text, match.start())}: {match.group(0)!r}")
    return found


def test_readme_figures_agree_with_bench_results():
    text = README.read_text(encoding="utf-8")
    ties = readme.ties(text)
    assert any(t.kind == "block" and t.file == "validation.json" for t in ties), \
        "the validation table is not generated from bench/results/validation.json"
    assert readme.disagreements(text) == []


def test_every_measured_figure_is_tied():
    text = README.read_text(encoding="utf-8")
    allowed = {**NOT_MEASURED, **AWAITING_MARKERS}
    assert untied_figures(text, allowed) == [], \
        "add a marker (see the top of tests/test_readme.py) or a NOT_MEASURED entry"
    stale = [key for key in allowed if key not in text]
    assert stale == [], "allowlist entries no longer in the README: remove them"


def test_readme_names_the_bench_command():
    text = README.read_text(encoding="utf-8")
    assert "python bench/run.py" in text
    assert (ROOT / "bench" / "run.py").is_file()


def test_quoted_results_files_are_tracked():
    """The results the README quotes are committed, so a fresh clone can check them."""
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    files = sorted({t.file for t in readme.ties(README.read_text(encoding="utf-8"))})
    assert files
    paths = [f"bench/results/{f}" for f in files]
    ignored = subprocess.run(["git", "check-ignore", *paths], cwd=ROOT, capture_output=True,
                             text=True).stdout.split()
    assert ignored == []
    tracked = subprocess.run(["git", "ls-files", "--", *paths], cwd=ROOT, capture_output=True,
                             text=True).stdout.split()
    assert sorted(tracked) == sorted(paths), "git add the results files the README quotes"


# The mechanism itself, on a fictional README and results folder ------------------------------

FICTIONAL = """# Harbor Gazette atlas (fictional)

Precision 0.93<!-- demo.json#/scores/precision --> and recall 88%<!-- demo.json#/scores/recall -->,
d +0.40<!-- demo.json#/effects/0 --> over 1,500<!-- demo.json#/tests --> tests.
"""


def write_demo(folder: Path, **scores) -> Path:
    document = {"scores": {"precision": 0.931, "recall": 0.876, **scores}, "effects": [0.4],
                "tests": 1500}
    (folder / "demo.json").write_text(json.dumps(document), encoding="utf-8")
    return folder


def test_matching_figures_pass(tmp_path):
    assert readme.disagreements(FICTIONAL, write_demo(tmp_path)) == []
    assert len(readme.ties(FICTIONAL)) == 4


def test_a_drifted_figure_fails(tmp_path):
    problems = readme.disagreements(FICTIONAL, write_demo(tmp_path, precision=0.912))
    assert problems == ["README line 3: demo.json#/scores/precision: README says 0.93, the file "
                        "gives 0.91"]


def test_a_missing_file_or_path_fails(tmp_path):
    assert "does not exist" in readme.disagreements(FICTIONAL, tmp_path)[0]
    broken = FICTIONAL.replace("#/tests", "#/test")
    assert "no 'test'" in readme.disagreements(broken, write_demo(tmp_path))[-1]


def test_refresh_rewrites_in_the_readme_style(tmp_path):
    results = write_demo(tmp_path, precision=0.912, recall=0.5)
    (results / "demo.json").write_text(json.dumps({"scores": {"precision": 0.912, "recall": 0.5},
                                                   "effects": [-0.123], "tests": 2000}))
    new, changes = readme.refresh(FICTIONAL, results)
    assert "Precision 0.91<!--" in new and "recall 50%<!--" in new
    assert "d −0.12<!--" in new and "over 2,000<!--" in new
    assert len(changes) == 4
    assert readme.disagreements(new, results) == []


def test_a_drifted_generated_table_fails(tmp_path):
    """The validation table, regenerated from a results file with one figure changed."""
    text = README.read_text(encoding="utf-8")
    document = json.loads((RESULTS / "validation.json").read_text(encoding="utf-8"))
    document["narratives"]["tuned"]["ami"] += 0.1
    (tmp_path / "validation.json").write_text(json.dumps(document), encoding="utf-8")
    problems = [p for p in readme.disagreements(text, tmp_path) if "validation.json" in p]
    assert len(problems) == 1 and "generated block differs" in problems[0]


def test_an_untied_measurement_is_caught():
    text = "Clusters agree with the labels at AMI 0.43; 96% in one cluster; 0.4 s to redraw."
    assert untied_figures(text, {}) == ["line 1: '0.43'", "line 1: '96%'", "line 1: '0.4 s'"]
    assert untied_figures(text.replace("0.43", "0.43<!-- v.json#/a -->"), {}) == [
        "line 1: '96%'", "line 1: '0.4 s'"]
    assert untied_figures("Python 3.11, 127.0.0.1", {"Python 3.11": "", "127.0.0.1": ""}) == []
