"""The README's dashboard timings are the ones `python bench/dashboard.py` wrote."""

import json
import re

from conftest import ROOT

RESULTS = ROOT / "bench" / "results" / "dashboard.json"


def start_section() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = re.search(r"^## Start\n(.*?)^## ", readme, re.S | re.M).group(1)
    return re.sub(r"<!--.*?-->", "", section)  # the markers that tie figures to their files


def test_readme_quotes_the_dashboard_results_and_names_the_command():
    results = json.loads(RESULTS.read_text(encoding="utf-8"))
    text = " ".join(start_section().split())
    assert "python bench/dashboard.py" in text and "bench/results/dashboard.json" in text
    ratios = results["ratios"]
    quoted = [f"{results['first_start_s']:.1f} s", f"{results['later_start_s']:.1f} s",
              f"{results['filter_change_s']:.2f} s",
              f"{ratios['later_start / clusters_page']:.2f} ×",
              f"{ratios['later_start / shell']:.2f} ×"]
    missing = [figure for figure in quoted if figure not in text]
    assert not missing, f"README's Start section does not quote {missing} from {RESULTS.name}"
    # Every timing in the sentence comes from the file: no other seconds figure is quoted.
    figures = set(re.findall(r"(\d+(?:\.\d+)?) s\b", text))
    assert figures <= {q.split()[0] for q in quoted}, figures
