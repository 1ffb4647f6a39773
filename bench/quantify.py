"""Corrected theme shares on synthetic corpora with a known prevalence, and their cost at 1M
paragraphs.

    python bench/quantify.py [--runs 200] [--quick]     (or: python bench/run.py quantify)

A simulated detector with known error rates (TPR 0.7, FPR 0.1: scores N(0, 1) off the theme
and N(mu, 1) on it, marked from a threshold) marks the paragraphs of fictional outlets whose
true prevalence is known (0.05, 0.25, 0.50, 0.80); articles differ in how much they dwell on
the theme (each article's own rate ~ Beta around its outlet's), so paragraphs of one article
are alike. The detector's TPR and FPR are measured on a labelled set of 50, 150 or 500
positives and as many negatives, as the build measures them from out-of-fold scores. For each
labelled-set size and prevalence, over `runs` corpora, the bench reports how often the 95%
interval of the raw share and of the corrected share (analysis/quantify.py) holds the true
prevalence, their mean absolute error and mean interval width.

Then the time corrected_shares takes on 1M paragraphs (200,000 articles, 40 outlets, three
themes, 1000 resamples) by outlet and by outlet × week.

Writes bench/results/quantify.json (quantify-quick.json with --quick). No real corpus is read.
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.stats import norm

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from framing_atlas.analysis.quantify import (ErrorRates, corrected_shares,  # noqa: E402
                                             corrected_shares_by_period)

RESULTS = ROOT / "bench" / "results"
TPR, FPR = 0.7, 0.1
THRESHOLD = float(norm.ppf(1 - FPR))
MU = THRESHOLD - float(norm.ppf(1 - TPR))
PREVALENCES = {"Outlet 05": 0.05, "Outlet 25": 0.25, "Outlet 50": 0.50, "Outlet 80": 0.80}
LABELLED = (50, 150, 500)
ARTICLES = 300


def detector(truth: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    return rng.normal(np.where(truth, MU, 0.0), 1.0)


def corpus(rng: np.random.Generator, *, articles: int) -> pd.DataFrame:
    frames = []
    for outlet, prevalence in PREVALENCES.items():
        own = rng.beta(4 * prevalence, 4 * (1 - prevalence), size=articles)
        article = np.repeat(np.arange(articles), rng.integers(1, 9, size=articles))
        truth = rng.random(len(article)) < own[article]
        frames.append(pd.DataFrame({"outlet": outlet,
                                    "article_id": [f"{outlet}-{a}" for a in article],
                                    "has_x": detector(truth, rng) >= THRESHOLD}))
    return pd.concat(frames, ignore_index=True)


def labelled(size: int, rng: np.random.Generator) -> ErrorRates:
    truth = np.r_[np.ones(size, dtype=int), np.zeros(size, dtype=int)]
    return ErrorRates.from_oof(detector(truth.astype(bool), rng), truth, threshold=THRESHOLD)


def recovery(*, runs: int, n_boot: int) -> dict:
    """Coverage, error and width of raw and corrected 95% intervals per labelled-set size and
    prevalence, over `runs` synthetic corpora each."""
    out: dict = {}
    for size in LABELLED:
        rows = []
        for run in range(runs):
            rng = np.random.default_rng([size, run])
            table = corrected_shares(corpus(rng, articles=ARTICLES), {"x": labelled(size, rng)},
                                     group_col="outlet", n_boot=n_boot, seed=run)
            rows.append(table.assign(truth=table["group"].map(PREVALENCES)))
        both = pd.concat(rows, ignore_index=True)
        out[str(size)] = {}
        for outlet, part in both.groupby("group"):
            p = PREVALENCES[outlet]
            out[str(size)][f"{p:.2f}"] = {
                "raw_coverage": float(((part["low"] <= p) & (p <= part["high"])).mean()),
                "corrected_coverage": float(((part["corrected_low"] <= p)
                                             & (p <= part["corrected_high"])).mean()),
                "raw_error": float((part["share"] - p).abs().mean()),
                "corrected_error": float((part["corrected"] - p).abs().mean()),
                "raw_width": float((part["high"] - part["low"]).mean()),
                "corrected_width": float((part["corrected_high"]
                                          - part["corrected_low"]).mean()),
                "uncorrected": int(part["corrected"].isna().sum())}
    return out


def timing(*, paragraphs_target: int) -> dict:
    rng = np.random.default_rng(0)
    n_articles = paragraphs_target // 5
    article = np.repeat(np.arange(n_articles), rng.integers(1, 10, size=n_articles))
    outlets = np.array([f"Outlet {i:02d}" for i in range(40)])
    days = pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 700, n_articles),
                                                         unit="D")
    frame = pd.DataFrame({"article_id": np.char.add("a", article.astype(str)),
                          "outlet": outlets[rng.integers(0, 40, n_articles)][article],
                          "published": days[article]})
    themes = ("expansion", "escalation", "information_warfare")
    for theme in themes:
        frame[f"has_{theme}"] = rng.random(len(frame)) < 0.2
    rates = {t: labelled(300, rng) for t in themes}
    result = {"paragraphs": len(frame), "articles": n_articles, "outlets": 40,
              "themes": len(themes), "n_boot": 1000}
    start = time.perf_counter()
    corrected_shares(frame, rates, group_col="outlet")
    result["by_outlet_seconds"] = round(time.perf_counter() - start, 2)
    start = time.perf_counter()
    weekly = corrected_shares_by_period(frame, rates, side_col="outlet", freq="week")
    result["by_outlet_week_seconds"] = round(time.perf_counter() - start, 2)
    result["outlet_weeks"] = int(weekly["group"].nunique())
    return result


def readme_block(results: dict) -> str:
    """A Markdown table: per labelled-set size and prevalence, how often each 95% interval
    holds the true prevalence and the mean absolute error."""
    lines = ["| labelled (each side) | true share | raw: interval holds it | corrected: "
             "interval holds it | raw error | corrected error |",
             "|---|---|---|---|---|---|"]
    for size, by_prevalence in results["recovery"].items():
        for p, row in by_prevalence.items():
            lines.append(f"| {size} | {float(p):.0%} | {row['raw_coverage']:.0%} | "
                         f"{row['corrected_coverage']:.0%} | {row['raw_error']:.3f} | "
                         f"{row['corrected_error']:.3f} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--quick", action="store_true", help="20 runs, 200 resamples, 100k "
                        "paragraphs for the timing")
    args = parser.parse_args()
    runs, n_boot, size = (20, 200, 100_000) if args.quick else (args.runs, 1000, 1_000_000)
    started = time.perf_counter()
    results = {"detector": {"tpr": TPR, "fpr": FPR}, "runs": runs, "n_boot": n_boot,
               "articles_per_outlet": ARTICLES, "recovery": recovery(runs=runs, n_boot=n_boot),
               "timing": timing(paragraphs_target=size),
               "machine": f"{platform.processor() or platform.machine()}, "
                          f"python {platform.python_version()}"}
    results["seconds"] = round(time.perf_counter() - started, 1)
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / ("quantify-quick.json" if args.quick else "quantify.json")
    out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(readme_block(results))
    print(json.dumps(results["timing"], indent=2))
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
