"""The Ray engine: one worker against two (one torch thread each), and the local engine, on the
same real paragraphs in the same run.

    python bench/ray_engine.py [--corpus ukraine_war_media_2022] [--paragraphs 1000]

1. Paragraphs: the articles of ../shared/data/<corpus> in the order of a hash of their id (the
   same sample every run), segmented as a build does (build.paragraphs_of), the first
   --paragraphs of them. No text is written anywhere but a temporary folder.
2. One local Ray of three CPUs (two workers and one for Ray Data's file tasks) is started
   before any timing and kept for every run; a first call on a few paragraphs ships the
   package to it and starts its worker processes (not timed).
3. Each run embeds every paragraph on an empty vector cache. A Ray run's time includes what
   every `build --engine ray` pays after Ray is up: writing the Parquet input, starting the
   actor pool and loading the model in each actor (Ray Data starts a new pool per dataset, so
   actors cannot be warmed across runs), embedding, writing and reading back the vectors and
   adding them to the cache. The cost of that fixed part is measured alone too, as a call on
   two paragraphs. The local engine (pipeline.embed, torch with two threads) is timed with
   its model load included, as each Ray actor's is, and without it.
4. The other per-paragraph stages a build runs, timed locally on the same paragraphs against
   the local embedding: language detection (add_language) and theme scores (assign_themes on
   the vectors, the shipped detectors), to show whether moving them to Ray could pay.

`workers(texts)` returns the results (bench/scale.py calls it); main() writes
bench/results/ray_engine.json and prints the table.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT / "src") not in sys.path:
    sys.path.insert(0, str(ROOT / "src"))

from framing_atlas.inputs.ingest import ingest  # noqa: E402
from framing_atlas.pipeline.build import paragraphs_of  # noqa: E402
from framing_atlas.pipeline.embed import embed, load_encoder  # noqa: E402
from framing_atlas.pipeline.language import add_language  # noqa: E402
from framing_atlas.pipeline.ray_engine import FILE_CPUS, embed_with_ray, ray_session  # noqa: E402
from framing_atlas.pipeline.theme_model import shipped_path  # noqa: E402
from framing_atlas.pipeline.themes import assign_themes, read_themes, train_detectors  # noqa: E402
from framing_atlas.settings import DEFAULT_MODEL, load_settings  # noqa: E402
from framing_atlas.store import TEXT, Store, VectorCache  # noqa: E402

SHARED = ROOT.parent / "shared" / "data"
RESULTS = ROOT / "bench" / "results" / "ray_engine.json"
LOCAL_THREADS = 2


def timed(function, *args, **kwargs):
    started = time.perf_counter()
    result = function(*args, **kwargs)
    return result, time.perf_counter() - started


def real_paragraphs(corpus: str, n: int) -> pd.DataFrame:
    """The first `n` paragraphs of the corpus's articles taken in hash order of their id."""
    source = SHARED / corpus / "articles.csv.gz"
    if not source.exists():
        sys.exit(f"{source} not found: this benchmark needs ../shared/data")
    work = Path(tempfile.mkdtemp(prefix="fa-ray-bench-"))
    merged, _ = ingest([source], Store(work / "probe").read_articles())
    order = merged["article_id"].map(lambda a: hashlib.sha1(a.encode()).hexdigest())
    ranked = merged.assign(_rank=order).sort_values("_rank").drop(columns="_rank")
    paragraphs = paragraphs_of(ranked, load_settings(store=work / "probe"))
    return paragraphs.iloc[:n].reset_index(drop=True)


def workers(texts: list[str], *, model: str = DEFAULT_MODEL, batch_size: int = 64) -> dict:
    """The Ray engine with one worker and with two (one thread each), and the local engine with
    two torch threads, each on an empty cache: seconds and ratios, measured in one run."""
    import torch

    work = Path(tempfile.mkdtemp(prefix="fa-ray-workers-"))
    load_before = os.getloadavg()

    def ray_run(name: str, n_workers: int, some: list[str], batch: int = batch_size
                ) -> tuple[np.ndarray, float]:
        (vectors, computed), seconds = timed(
            embed_with_ray, some, model=model, cache=VectorCache(work / name),
            batch_size=batch, workers=n_workers, work_dir=work / "ray")
        assert computed == len(set(some))
        print(f"{name}: {seconds:.1f} s", flush=True)
        return vectors, seconds

    with ray_session(None, cpus=2 + FILE_CPUS):
        # Two paragraphs in batches of one: one block per worker, so every actor starts.
        ray_run("warm-up", 2, texts[:2], batch=1)
        _, fixed_1 = ray_run("ray-1-worker-2-paragraphs", 1, texts[:2], batch=1)
        _, fixed_2 = ray_run("ray-2-workers-2-paragraphs", 2, texts[:2], batch=1)
        one, ray_1 = ray_run("ray-1-worker", 1, texts)
        two, ray_2 = ray_run("ray-2-workers", 2, texts)

    threads = torch.get_num_threads()
    torch.set_num_threads(LOCAL_THREADS)
    try:
        encoder, load_s = timed(load_encoder, model)
        (local, _), local_s = timed(embed, texts, encoder=encoder, cache=VectorCache(work / "local"),
                                    batch_size=batch_size)
    finally:
        torch.set_num_threads(threads)
    print(f"local: model load {load_s:.1f} s, embedding {local_s:.1f} s", flush=True)
    cosines = np.sum(two * local, axis=1)
    return {
        "paragraphs": len(texts), "distinct": len(set(texts)), "model": model,
        "batch_size": batch_size, "local_threads": LOCAL_THREADS,
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
        "seconds": {"ray_1_worker": round(ray_1, 1), "ray_2_workers": round(ray_2, 1),
                    "ray_1_worker_on_2_paragraphs": round(fixed_1, 1),
                    "ray_2_workers_on_2_paragraphs": round(fixed_2, 1),
                    "local_with_model_load": round(load_s + local_s, 1),
                    "local_model_load": round(load_s, 1), "local_embedding": round(local_s, 1)},
        "ratios": {"two_workers_vs_one_speed": round(ray_1 / ray_2, 2),
                   # An estimate of the ratio on inputs large enough for the fixed part (pool
                   # start, model loads, files) not to count: each run less its 2-paragraph call.
                   "two_workers_vs_one_speed_less_fixed_part": round(
                       (ray_1 - fixed_1) / max(ray_2 - fixed_2, 1e-9), 2),
                   "two_workers_vs_local_speed": round((load_s + local_s) / ray_2, 2),
                   "two_workers_vs_local_embedding_only_speed": round(local_s / ray_2, 2)},
        "vectors_vs_local": {"max_abs_difference": float(np.abs(two - local).max()),
                             "min_cosine": round(float(cosines.min()), 7),
                             "one_worker_equals_two": bool(np.allclose(one, two, atol=1e-5))},
    }


def other_stages(paragraphs: pd.DataFrame, *, model: str = DEFAULT_MODEL) -> dict:
    """Language detection and theme scores on the paragraphs, locally, against embedding them."""
    encoder = load_encoder(model)
    (vectors, _), embed_s = timed(embed, paragraphs[TEXT].tolist(), encoder=encoder)
    _, language_s = timed(add_language, paragraphs)
    settings = load_settings(themes_file=ROOT / "data" / "themes.toml")
    themes, threshold = read_themes(settings.themes_file)
    detectors = train_detectors(themes, threshold=settings.theme_threshold if threshold is None
                                else threshold, encoder=encoder,
                                shipped=shipped_path(ROOT / "data" / "theme_models", model))
    _, themes_s = timed(assign_themes, paragraphs, vectors, detectors)
    return {"seconds": {"embedding": round(embed_s, 2), "language": round(language_s, 3),
                        "themes": round(themes_s, 3)},
            "share_of_embedding": {"language": round(language_s / embed_s, 4),
                                   "themes": round(themes_s / embed_s, 4)}}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default="ukraine_war_media_2022")
    parser.add_argument("--paragraphs", type=int, default=1000)
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()
    paragraphs = real_paragraphs(args.corpus, args.paragraphs)
    texts = paragraphs[TEXT].tolist()
    print(f"{len(texts)} paragraphs ({len(set(texts))} distinct) of {args.corpus}", flush=True)
    result = {
        "what": "issue 12 part 4: the Ray engine, 1 worker against 2 (one thread each), and the "
                "local engine, measured in the same run (bench/ray_engine.py docstring)",
        "command": f"python bench/ray_engine.py --corpus {args.corpus} --paragraphs "
                   f"{args.paragraphs}",
        "corpus": args.corpus, **workers(texts), "other_stages": other_stages(paragraphs),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(table(result))
    print(f"written to {args.out}")


def table(result: dict) -> str:
    r, s, o = result["ratios"], result["seconds"], result["other_stages"]
    rows = [
        ("Ray engine, 2 workers vs 1 (speed)", f"{r['two_workers_vs_one_speed']:.2f}×",
         f"one torch thread per worker; {s['ray_1_worker']} s against {s['ray_2_workers']} s, "
         f"of which a call on 2 paragraphs takes {s['ray_1_worker_on_2_paragraphs']} s and "
         f"{s['ray_2_workers_on_2_paragraphs']} s (pool start, model loads, files); less "
         f"those: {r['two_workers_vs_one_speed_less_fixed_part']:.2f}×"),
        ("Ray engine, 2 workers vs local engine (speed)",
         f"{r['two_workers_vs_local_speed']:.2f}×",
         f"local: {LOCAL_THREADS} torch threads, model load included as in each actor; "
         f"embedding alone {r['two_workers_vs_local_embedding_only_speed']:.2f}×"),
        ("other stages vs embedding, locally (time)",
         f"{o['share_of_embedding']['language']:.3f}× / {o['share_of_embedding']['themes']:.4f}×",
         "language detection / theme scores: they stay local"),
    ]
    lines = [f"{result['paragraphs']:,} paragraphs ({result['distinct']:,} distinct) of "
             f"{result['corpus']}; load average {result['load_average_before'][0]} at the start "
             "(2 cores shared with other work).", "",
             "| measure | ratio | notes |", "|---|---|---|"]
    lines += [f"| {a} | {b} | {c} |" for a, b, c in rows]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
