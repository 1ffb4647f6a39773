"""Every real corpus through the command line: ingest, build, export, with counts.

    python bench/corpora.py [--sample 1000] [--only NAME]

Larger corpora are sampled (random_state 0). Checks that the export holds no boilerplate and
prints one line per corpus; JSON goes to bench/results/corpora.json.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"
# Feed boilerplate; "read more" as words, so "spread more" in a sentence is no leak.
BOILERPLATE = [r"\bread more\b", r"© getty images", r"read full article"]


def run(*args: str) -> str:
    done = subprocess.run(["framing-atlas", *args], capture_output=True, text=True, cwd=ROOT)
    if done.returncode != 0 or "Traceback" in done.stderr:
        sys.exit(f"framing-atlas {' '.join(args)} failed:\n{done.stderr[-2000:]}")
    return done.stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sample", type=int, default=1000)
    parser.add_argument("--only", default=None)
    args = parser.parse_args()
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    saved = out / "corpora.json"
    # A run of one corpus (--only) updates its entry and keeps the others.
    results = json.loads(saved.read_text()) if saved.exists() and args.only else {}
    for folder in sorted(p for p in SHARED.iterdir() if p.is_dir()):
        if args.only and folder.name != args.only:
            continue
        work = Path(tempfile.mkdtemp(prefix=f"fa-{folder.name}-"))
        corpus = pd.read_csv(folder / "articles.csv.gz", dtype=str, keep_default_na=False)
        source = work / "articles.csv.gz"
        corpus.sample(min(args.sample, len(corpus)), random_state=0).to_csv(source, index=False)
        store = str(work / "store")
        started = time.perf_counter()
        ingested = run("ingest", str(source), "--store", store, "--show", "0")
        built = run("build", "--store", store)
        out = work / "export.csv"
        run("export", "--out", str(out), "--store", store)
        seconds = time.perf_counter() - started
        table = pd.read_csv(out, encoding="utf-8-sig", keep_default_na=False)
        text = table["paragraph"].str.lower()
        leaks = {b: int(text.str.contains(b, regex=True).sum()) for b in BOILERPLATE}
        results[folder.name] = {
            "articles_sampled": int(min(args.sample, len(corpus))),
            "ingest": ingested.strip().splitlines()[:3], "build": built.strip().splitlines()[-1],
            "exported_paragraphs": len(table), "clusters": int(table["cluster"].nunique()),
            "outlets": int(table["outlet"].nunique()), "boilerplate_leaks": leaks,
            "themes": table["theme"].value_counts(normalize=True).round(3).to_dict(),
            "seconds": round(seconds, 1)}
        print(f"{folder.name}: {len(table)} paragraphs, {table['cluster'].nunique()} clusters, "
              f"leaks {sum(leaks.values())}, {seconds:.0f} s", flush=True)
    saved.write_text(json.dumps(results, indent=2))
    if any(sum(r["boilerplate_leaks"].values()) for r in results.values()):
        sys.exit("boilerplate found in an export")


if __name__ == "__main__":
    main()
