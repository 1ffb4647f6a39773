"""Every benchmark in one command, then the README's figures rewritten from bench/results/.

    python bench/run.py                    # every bench, then the README
    python bench/run.py validation         # some of them (names: see --list)
    python bench/run.py --readme           # no bench: rewrite the README from the results
    python bench/run.py --check            # no bench: list README figures that disagree

Each bench writes its JSON into bench/results/ (committed, so the README's figures can be
checked against them; tests/test_readme.py does). The README ties each figure to its file with
a marker, see bench/readme.py.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))

import readme  # noqa: E402

# name → what it does; each is bench/<name>.py run with its defaults (those the README quotes).
BENCHES = {
    "validation": "framing statistics on labelled corpora (validation.json; 10-20 min)",
    "syndication": "copy detector against constructed and labelled pairs (syndication.json)",
    "dashboard": "dashboard timings in Chromium (dashboard.json)",
    "pipeline": "full build of ukraine_war_media_2022 against the bare model "
                "(pipeline-ukraine_war_media_2022.json)",
    "corpora": "every corpus in ../shared/data through ingest, build, export (corpora.json)",
    "themes": "theme detectors against paragraphs read against the codebook (themes.json; 1 min)",
    "quantify": "corrected theme shares on synthetic corpora of known prevalence, and their "
                "cost at 1M paragraphs (quantify.json; about 1 min)",
    "encoder": "the int8 ONNX encoder against the fp32 model: speed and fidelity (encoder.json; "
               "about 8 min; scale runs it too)",
    "layout": "projection and clustering at 100k and 1M paragraphs against BERTopic's own UMAP + "
              "HDBSCAN at 100k (layout.json; about 1 hour; scale's table shows it)",
    "ray_engine": "the Ray engine with 1 and 2 workers against the local engine (ray_engine.json; "
                  "about 5 min; scale's table shows it)",
    "scale": "builds at scale: the embedding stage (fp32 and int8) and a full build against plain "
             "encode, the int8 encoder's fidelity, +1% articles against a full build, a million "
             "vector-cache lookups; with the layout's and the Ray engine's last results "
             "(scale.json; about 20 min; needs ../shared/data)",
    "dashboard_scale": "every page in Chromium on synthetic stores of 1k, 100k and 1M paragraphs: "
                       "first view, filter change, server memory (dashboard_scale.json; long: "
                       "20-60 min, the 1M store made once in the temp folder; not in CI)",
    "load": "20 browser sessions, paced by their browsers' CPU time measured alone, then all "
            "of them for 3 minutes on one dashboard (share links, filters, lasso, CSV "
            "downloads) while a build runs beside them: errors, p50/p95 per action against "
            "one session alone, server memory (load.json; about 6 min, the store built once "
            "into bench/results/cache; needs ../shared/data and chromium)",
}


def available() -> dict[str, str]:
    return {name: what for name, what in BENCHES.items() if (BENCH / f"{name}.py").is_file()}


def update_readme(*, check: bool) -> int:
    path = ROOT / "README.md"
    text = path.read_text(encoding="utf-8")
    if check:
        problems = readme.disagreements(text)
        for problem in problems:
            print(problem)
        print(f"README: {len(readme.ties(text))} figures and tables tied to bench/results, "
              f"{len(problems)} disagree")
        return 1 if problems else 0
    new, changes = readme.refresh(text)
    for change in changes:
        print(change)
    if new != text:
        path.write_text(new, encoding="utf-8")
    print(f"README: {len(changes)} change(s) from bench/results")
    return 0


def main() -> None:
    benches = available()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter,
                                     epilog="benches: " + ", ".join(benches))
    parser.add_argument("names", nargs="*", metavar="NAME", help="benches to run (default: all)")
    parser.add_argument("--list", action="store_true", help="list the benches and stop")
    parser.add_argument("--readme", action="store_true",
                        help="run no bench; rewrite the README's figures from bench/results")
    parser.add_argument("--check", action="store_true",
                        help="run no bench; list README figures that disagree with bench/results")
    parser.add_argument("--no-readme", action="store_true",
                        help="run the benches but leave the README as it is")
    args = parser.parse_args()
    if args.list:
        for name, what in benches.items():
            print(f"{name:12s} {what}")
        return
    if args.readme or args.check:
        sys.exit(update_readme(check=args.check))
    unknown = [n for n in args.names if n not in benches]
    if unknown:
        sys.exit(f"unknown bench: {', '.join(unknown)} (there are: {', '.join(benches)})")
    failed = []
    for name in args.names or list(benches):
        print(f"== {name}: {benches[name]}", flush=True)
        started = time.perf_counter()
        done = subprocess.run([sys.executable, str(BENCH / f"{name}.py")], cwd=ROOT)
        print(f"== {name}: exit {done.returncode} after {time.perf_counter() - started:.0f} s",
              flush=True)
        if done.returncode != 0:
            failed.append(name)
    if not args.no_readme:
        update_readme(check=False)
    if failed:
        sys.exit(f"failed: {', '.join(failed)}")


if __name__ == "__main__":
    main()
