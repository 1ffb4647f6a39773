"""Pipeline benchmark: a full build of a real corpus against the bare model in the same run.

    python bench/pipeline.py [--corpus ukraine_war_media_2022] [--sample N]

Prints ratios, never bare speeds as claims: the build's paragraphs per second against the bare
model's encode speed on the same paragraphs (how much the pipeline costs beyond embedding), a
rebuild with nothing new against the full build, and a rebuild after a theme edit.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from framing_atlas.pipeline.build import build_atlas, paragraphs_of  # noqa: E402
from framing_atlas.pipeline.embed import load_encoder  # noqa: E402
from framing_atlas.inputs.ingest import ingest  # noqa: E402
from framing_atlas.settings import load_settings  # noqa: E402
from framing_atlas.store import Store  # noqa: E402

SHARED = ROOT.parent / "shared" / "data"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default="ukraine_war_media_2022")
    parser.add_argument("--sample", type=int, default=0, help="articles to sample (0 = all)")
    parser.add_argument("--baseline", type=int, default=600, help="paragraphs for the baseline")
    args = parser.parse_args()

    source = SHARED / args.corpus / "articles.csv.gz"
    if not source.exists():
        sys.exit(f"{source} not found: this benchmark needs ../shared/data")
    work = Path(tempfile.mkdtemp(prefix="fa-bench-"))
    if args.sample:
        frame = pd.read_csv(source, dtype=str, keep_default_na=False)
        frame.sample(min(args.sample, len(frame)), random_state=0).to_csv(work / "in.csv.gz",
                                                                         index=False)
        source = work / "in.csv.gz"
    store = Store(work / "store")
    themes = work / "themes.toml"
    themes.write_text((ROOT / "data" / "themes.toml").read_text(encoding="utf-8"), encoding="utf-8")
    settings = load_settings(store=store.root, themes_file=themes)

    started = time.perf_counter()
    merged, report = ingest([source], store.read_articles())
    store.write_articles(merged)
    ingest_s = time.perf_counter() - started

    encoder = load_encoder(settings.model)
    texts = paragraphs_of(merged, settings)["text"].sample(frac=1, random_state=1).tolist()
    encoder.encode(texts[:32], batch_size=settings.batch_size)  # warm-up
    started = time.perf_counter()
    encoder.encode(texts[:args.baseline], batch_size=settings.batch_size, normalize_embeddings=True)
    baseline_pps = min(args.baseline, len(texts)) / (time.perf_counter() - started)

    started = time.perf_counter()
    manifest = build_atlas(settings, encoder=encoder)
    build_s = time.perf_counter() - started
    build_pps = manifest["counts"]["paragraphs"] / build_s

    # Every vector is cached now; a new seed forces a new map, so this times all but embedding.
    settings = settings.model_copy(update={"seed": settings.seed + 1})
    started = time.perf_counter()
    build_atlas(settings, encoder=encoder)
    cached_s = time.perf_counter() - started

    themes.write_text(themes.read_text(encoding="utf-8").replace("threshold = 0.3",
                                                                 "threshold = 0.35"))
    started = time.perf_counter()
    retheme = build_atlas(settings, encoder=encoder)
    retheme_s = time.perf_counter() - started

    paragraphs = store.read_table("paragraphs")
    result = {
        "corpus": args.corpus, "articles": len(merged), "skipped": sum(report.skipped.values()),
        "paragraphs": manifest["counts"]["paragraphs"], "clusters": manifest["counts"]["clusters"],
        "outlier_share": round(manifest["counts"]["outliers"] / manifest["counts"]["paragraphs"], 3),
        "timings_s": {"ingest": round(ingest_s, 1), "build": round(build_s, 1),
                      "stages": manifest["timings"], "rebuild_cached_new_seed": round(cached_s, 1),
                      "rebuild_theme_edit": round(retheme_s, 1)},
        "paragraphs_per_s": {"bare_model": round(baseline_pps, 1), "build": round(build_pps, 1)},
        "ratios": {"build_vs_bare_model_speed": round(build_pps / baseline_pps, 2),
                   "cached_rebuild_vs_full_build_time": round(cached_s / build_s, 2),
                   "theme_edit_rebuild_vs_full_build_time": round(retheme_s / build_s, 2)},
        "theme_edit_reused_map": retheme["map_reused"],
        "theme_shares": paragraphs["theme"].value_counts(normalize=True).round(3).to_dict(),
    }
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / f"pipeline-{args.corpus}.json").write_text(json.dumps(result, indent=2))
    print(json.dumps(result, indent=2))
    print(f"store left in {store.root} for inspection")


if __name__ == "__main__":
    main()
