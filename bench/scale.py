"""Builds at scale: the embedding stage, the int8 encoder, the full build, an incremental build
and the vector cache, every row a ratio against a baseline measured in the same run.

    python bench/scale.py [--corpus ukraine_war_media_2022] [--paragraphs 2000]
                          [--lookups 1000000]
    python bench/scale.py --attach   # measure nothing: take in the layout's and Ray's results

1. Articles of ../shared/data/<corpus>, ingested as `framing-atlas ingest` does and taken in
   the order of a hash of their id (the same sample every run) until they give --paragraphs
   paragraphs; 1% more articles, the next in that order, for the incremental build.
2. plain encode: SentenceTransformer.encode (the bundled all-MiniLM-L6-v2, loaded and warmed
   up first) of those paragraphs, batch 64, normalised, the faster of two timings
   (bench/encoder.speed): the baseline of every build row.
3. the int8 encoder (encoder = "onnx-int8"): its embedding stage on an empty cache, and its
   fidelity to the fp32 vectors (bench/encoder.fidelity: cosine, 10-NN overlap, and on the map
   the 10-NN overlap and cluster adjusted Rand beside two fp32 maps whose seeds differ, means
   of 4 seeds; the share of identical theme decisions).
4. embedding stage: pipeline.embed of the same paragraphs on an empty vector cache (each
   distinct text once, longest first across the whole input, every chunk cached). Ablation:
   the stage as it was before (distinct texts in chunks of 512 in arrival order).
5. full build: build_atlas of the articles on a fresh store and an empty cache (the encoder
   already loaded, as in row 2), with the torch encoder and with the int8 one.
6. +1% articles: the 1% more ingested and built again, against the full build; every earlier
   paragraph's x, y and cluster compared with the full build's (moved must be 0). Ablation:
   the same store built with --relayout (a whole new layout, every vector cached).
7. vector cache: --lookups synthetic hashes with vectors of the model's size in 10 part files,
   all looked up; against reading those part files whole (pq.read_table), the floor any lookup
   pays. Ablation: the lookup as it was (a Python loop over every cached row).
8. from their own benches (run before this one by `python bench/run.py layout ray_engine
   scale`), their latest results: the layout and clustering at 100k and 1M against BERTopic's
   UMAP + HDBSCAN at 100k (bench/layout.py), and the Ray engine with 2 workers against 1
   (bench/ray_engine.py).

Writes bench/results/scale.json and prints the table.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT / "src") not in sys.path:
    sys.path.insert(0, str(ROOT / "src"))

from framing_atlas.inputs.ingest import ingest  # noqa: E402
from framing_atlas.pipeline.build import build_atlas, paragraphs_of  # noqa: E402
from framing_atlas.pipeline.embed import _encode, embed, load_encoder  # noqa: E402
from framing_atlas.settings import load_settings  # noqa: E402
from framing_atlas.store import TEXT_HASH, Store, VectorCache  # noqa: E402

import encoder as encoder_bench  # noqa: E402  (bench/encoder.py: int8 speed and fidelity)

SHARED = ROOT.parent / "shared" / "data"
RESULTS = ROOT / "bench" / "results" / "scale.json"
PARTS = 10
OTHER_RESULTS = {"layout": ROOT / "bench" / "results" / "layout.json",
                 "ray": ROOT / "bench" / "results" / "ray_engine.json"}


def timed(function, *args, **kwargs):
    started = time.perf_counter()
    result = function(*args, **kwargs)
    return result, time.perf_counter() - started


def sample_articles(articles: pd.DataFrame, settings, *, paragraphs: int
                    ) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The first articles in hash order giving at least `paragraphs` paragraphs, the next 1%,
    and the paragraphs of the first."""
    order = articles["article_id"].map(lambda a: hashlib.sha1(a.encode()).hexdigest())
    ranked = articles.assign(_rank=order).sort_values("_rank").drop(columns="_rank")
    counts = paragraphs_of(ranked, settings).groupby("article_id").size()
    running = ranked["article_id"].map(counts).fillna(0).cumsum().to_numpy()
    n = int(np.searchsorted(running, paragraphs)) + 1
    extra = max(1, math.ceil(0.01 * n))
    base = ranked.iloc[:n]
    return base, ranked.iloc[n:n + extra], paragraphs_of(base, settings)


def arrival_order_stage(texts: list[str], encoder, batch_size: int, chunk: int = 512) -> None:
    """The embedding stage before issue 12: distinct texts in chunks of 512 in arrival order."""
    distinct = list(dict.fromkeys(texts))
    for start in range(0, len(distinct), chunk):
        _encode(encoder, distinct[start:start + chunk], batch_size)


def store_with(root: Path, frames: list[pd.DataFrame]) -> Store:
    store = Store(root)
    for frame in frames:
        path = root.parent / f"{root.name}-{len(list(root.parent.glob('*.csv')))}.csv"
        frame.to_csv(path, index=False)
        merged, _ = ingest([path], store.read_articles())
        store.write_articles(merged)
    return store


def map_of(store: Store) -> pd.DataFrame:
    return store.read_table("paragraphs").set_index("paragraph_id")[["x", "y", "cluster"]]


def loop_lookup(cache: VectorCache, hashes: list[str]) -> tuple[np.ndarray | None, np.ndarray]:
    """The cache lookup before issue 12, whole: every cached row visited in Python, then the
    vectors put in the order asked."""
    found = np.zeros(len(hashes), dtype=bool)
    vectors = None
    wanted, rows = set(hashes), {}
    for part in cache._parts():
        table = pq.read_table(part)
        keys = table.column(TEXT_HASH).to_pylist()
        flat = table.column("vector").combine_chunks()
        block = flat.values.to_numpy(zero_copy_only=False).reshape(len(keys), flat.type.list_size)
        for row, key in enumerate(keys):
            if key in wanted and key not in rows:
                rows[key] = block[row]
    if rows:
        vectors = np.zeros((len(hashes), len(next(iter(rows.values())))), dtype=np.float32)
        for i, key in enumerate(hashes):
            if key in rows:
                vectors[i] = rows[key]
                found[i] = True
    return vectors, found


def cache_rows(work: Path, *, lookups: int, dim: int) -> dict:
    cache = VectorCache(work / "cache")
    rng = np.random.default_rng(0)
    hashes = [f"{i:040x}" for i in rng.permutation(lookups * 16)[:lookups]]
    per = math.ceil(lookups / PARTS)
    for start in range(0, lookups, per):
        cache.add(hashes[start:start + per],
                  rng.standard_normal((len(hashes[start:start + per]), dim)).astype(np.float32))
    asked = list(rng.permutation(hashes))
    _, read_s = timed(lambda: [pq.read_table(p) for p in cache._parts()])
    (vectors, found), lookup_s = timed(cache.lookup, asked)
    assert found.all()
    (by_loop, found_by_loop), loop_s = timed(loop_lookup, cache, asked)
    assert found_by_loop.all() and np.array_equal(by_loop, vectors)
    return {"lookups": lookups, "dimension": dim, "parts": PARTS,
            "seconds": {"read_parts": round(read_s, 2), "lookup": round(lookup_s, 2),
                        "loop_lookup": round(loop_s, 2)},
            "lookup_vs_read": round(lookup_s / read_s, 2),
            "loop_vs_lookup": round(loop_s / lookup_s, 2)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default="ukraine_war_media_2022")
    parser.add_argument("--paragraphs", type=int, default=2000)
    parser.add_argument("--lookups", type=int, default=1_000_000)
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument("--attach", action="store_true",
                        help="measure nothing: put the layout's and the Ray engine's latest "
                             "results into --out and print the table")
    args = parser.parse_args()
    if args.attach:
        result = attach(json.loads(args.out.read_text(encoding="utf-8")))
        args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
        print(table(result))
        return
    source = SHARED / args.corpus / "articles.csv.gz"
    if not source.exists():
        sys.exit(f"{source} not found: this benchmark needs ../shared/data")

    started_load = [round(x, 2) for x in os.getloadavg()]
    work = Path(tempfile.mkdtemp(prefix="fa-scale-"))
    themes = work / "themes.toml"
    themes.write_text((ROOT / "data" / "themes.toml").read_text(encoding="utf-8"),
                      encoding="utf-8")
    probe = Store(work / "probe")
    merged, _ = ingest([source], probe.read_articles())
    settings = load_settings(store=work / "probe", themes_file=themes)
    base, extra, paragraphs = sample_articles(merged, settings, paragraphs=args.paragraphs)
    texts = paragraphs["text"].tolist()
    print(f"{len(base)} articles, {len(texts)} paragraphs ({len(set(texts))} distinct); "
          f"+{len(extra)} articles for the incremental build", flush=True)

    # Plain encode (the baseline of every row below), the int8 encoder and the embedding stage
    # with it: bench/encoder.py, the faster of two timings each.
    settings = settings.model_copy(update={"model_cache": ROOT / "data" / "cache" / "models",
                                           "theme_models": ROOT / "data" / "theme_models"})
    vectors: dict = {}
    fast = encoder_bench.speed(texts, settings, vectors)
    plain_s = fast["seconds"]["plain_encode"]
    print(f"plain encode {plain_s:.1f} s; int8: {fast}", flush=True)
    close = encoder_bench.fidelity(texts, vectors["fp32"], vectors["int8"], settings, paragraphs)
    print(f"int8 fidelity: {close}", flush=True)
    encoder = load_encoder(settings.model)
    encoder.encode(texts[:64], batch_size=settings.batch_size)  # warm-up
    _, stage_s = timed(embed, texts, encoder=encoder, cache=VectorCache(work / "stage-cache"),
                       batch_size=settings.batch_size)
    _, arrival_s = timed(arrival_order_stage, texts, encoder, settings.batch_size)
    print(f"embedding stage {stage_s:.1f} s, in arrival order {arrival_s:.1f} s", flush=True)

    store = store_with(work / "store", [base])
    build_settings = load_settings(store=store.root, themes_file=themes)
    int8_store = store_with(work / "int8-store", [base])
    int8_settings = load_settings(store=int8_store.root, themes_file=themes, encoder="onnx-int8",
                                  model_cache=settings.model_cache)
    int8_encoder = load_encoder(settings.model, encoder="onnx-int8",
                                model_cache=settings.model_cache)
    int8_full, int8_build_s = timed(build_atlas, int8_settings, encoder=int8_encoder)
    full, build_s = timed(build_atlas, build_settings, encoder=encoder)
    before = map_of(store)
    print(f"full build {build_s:.1f} s (int8 {int8_build_s:.1f} s)", flush=True)
    store_with(store.root, [extra])
    more, more_s = timed(build_atlas, build_settings, encoder=encoder)
    after = map_of(store)
    kept = after.loc[before.index]
    moved = int(((kept["x"] != before["x"]) | (kept["y"] != before["y"])).sum())
    reclustered = int((kept["cluster"] != before["cluster"]).sum())
    relaid, relayout_s = timed(build_atlas, build_settings, encoder=encoder, relayout=True)
    print(f"+1% articles {more_s:.1f} s (relayout {relayout_s:.1f} s)", flush=True)

    dim = int(np.asarray(encoder.encode(["x"])).shape[1])
    cache = cache_rows(work, lookups=args.lookups, dim=dim)
    print(f"vector cache: {cache}", flush=True)

    result = {
        "what": "issue 12: ratios measured in the same run on this machine (bench/scale.py "
                "docstring)",
        "command": f"python bench/scale.py --corpus {args.corpus} --paragraphs "
                   f"{args.paragraphs} --lookups {args.lookups}",
        "corpus": args.corpus, "articles": len(base), "paragraphs": len(texts),
        # The machine's 1, 5 and 15 min load averages at the start and the end: timings are
        # ratios within the run, but a busy machine makes them noisier.
        "load_average": {"start": started_load, "end": [round(x, 2) for x in os.getloadavg()]},
        "distinct_paragraphs": len(set(texts)), "added_articles": len(extra),
        "added_paragraphs": int(more["counts"]["paragraphs"] - full["counts"]["paragraphs"]),
        "seconds": {"plain_encode": round(plain_s, 1), "embedding_stage": round(stage_s, 1),
                    "embedding_stage_arrival_order": round(arrival_s, 1),
                    "int8_embedding_stage": fast["seconds"]["int8_embedding_stage"],
                    "full_build": round(build_s, 1), "int8_full_build": round(int8_build_s, 1),
                    "plus_1pct": round(more_s, 1),
                    "plus_1pct_relayout": round(relayout_s, 1)},
        "full_build_stages": full["timings"],
        "int8_full_build_stages": int8_full["timings"],
        "int8": {"speed": fast, "fidelity": close},
        "plus_1pct_stages": more["timings"],
        "ratios": {"embedding_stage_speed_vs_plain": round(plain_s / stage_s, 2),
                   "arrival_order_speed_vs_plain": round(plain_s / arrival_s, 2),
                   "int8_embedding_stage_speed_vs_plain":
                       fast["ratios"]["int8_embedding_stage_speed_vs_plain"],
                   "full_build_time_vs_plain": round(build_s / plain_s, 2),
                   "int8_full_build_time_vs_plain": round(int8_build_s / plain_s, 2),
                   "plus_1pct_time_vs_full_build": round(more_s / build_s, 3),
                   "relayout_time_vs_full_build": round(relayout_s / build_s, 3)},
        "plus_1pct_map": {**more["map"], "earlier_paragraphs": len(before),
                          "moved": moved, "changed_cluster": reclustered},
        "relayout_map": relaid["map"],
        "vector_cache": cache,
    }
    # The layout at 100k and 1M and the Ray engine have benches of their own (each measures its
    # ratios against a baseline of its own run); `python bench/run.py layout ray_engine scale`
    # runs them first, and their last results go into this table.
    result = attach(result)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(table(result))
    print(f"written to {args.out}")


def attach(result: dict) -> dict:
    """`result` with the latest results of bench/layout.py and bench/ray_engine.py, if any."""
    return {**result, **{name: json.loads(path.read_text(encoding="utf-8"))
                         for name, path in OTHER_RESULTS.items() if path.exists()}}


def table(result: dict) -> str:
    r, s = result["ratios"], result["seconds"]
    c = result["vector_cache"]
    m = result["plus_1pct_map"]
    rows = [
        ("embedding stage vs plain encode (speed)", f"{r['embedding_stage_speed_vs_plain']:.2f}×",
         f"ablation, arrival order: {r['arrival_order_speed_vs_plain']:.2f}×"),
    ]
    if "int8" in result:  # measured from the int8 encoder's arrival on
        f = result["int8"]["fidelity"]
        ours, floor = f["map"]["fp32_vs_int8"], f["map"]["noise_floor_fp32_vs_fp32_next_seed"]
        rows += [
            ("embedding stage with the int8 encoder vs plain encode (speed)",
             f"{r['int8_embedding_stage_speed_vs_plain']:.2f}×",
             f"encode alone: {result['int8']['speed']['ratios']['int8_encode_speed_vs_plain']:.2f}×"),
            ("int8 fidelity: cosine to fp32, mean (min)", f"{f['cosine']['mean']:.4f}",
             f"min {f['cosine']['min']:.4f}; 10-NN overlap of the vectors "
             f"{f['vector_10nn_overlap']:.3f}"),
            ("int8 fidelity: 10-NN overlap on the map", f"{ours['map_10nn_overlap']:.3f}",
             f"two fp32 maps, seeds differ: {floor['map_10nn_overlap']:.3f} "
             f"(means of {len(f['map']['seeds'])} seeds)"),
            ("int8 fidelity: cluster adjusted Rand", f"{ours['cluster_ari']:.3f}",
             f"two fp32 maps, seeds differ: {floor['cluster_ari']:.3f}"),
            ("int8 fidelity: same theme decisions", f"{f['themes']['same_decisions_share']:.1%}",
             "every has_<theme> and theme"),
            ("full build with the int8 encoder vs plain encode (time)",
             f"{r['int8_full_build_time_vs_plain']:.2f}×",
             f"stages: " + ", ".join(f"{k} {v:.0f} s"
                                     for k, v in result["int8_full_build_stages"].items()
                                     if k != "total" and v >= 1)),
        ]
    rows += [
        ("full build vs plain encode (time)", f"{r['full_build_time_vs_plain']:.2f}×",
         f"stages: " + ", ".join(f"{k} {v:.0f} s" for k, v in result["full_build_stages"].items()
                                 if k != "total" and v >= 1)),
        (f"+1% articles ({result['added_articles']}) vs full build (time)",
         f"{r['plus_1pct_time_vs_full_build']:.3f}×",
         f"{m['moved']} of {m['earlier_paragraphs']:,} earlier paragraphs moved, "
         f"{m['changed_cluster']} changed cluster; ablation, --relayout: "
         f"{r['relayout_time_vs_full_build']:.2f}×"),
        (f"vector cache: {c['lookups']:,} lookups vs reading the cache files (time)",
         f"{c['lookup_vs_read']:.2f}×",
         f"ablation, the old Python loop: {c['loop_vs_lookup']:.1f}× slower than the lookup"),
    ]
    load = result.get("load_average")
    lines = [f"{result['paragraphs']:,} paragraphs ({result['distinct_paragraphs']:,} distinct) "
             f"of {result['articles']} articles of {result['corpus']}; plain encode "
             f"{s['plain_encode']} s in this run"
             + (f" (load average {load['start'][0]:.1f} at the start, {load['end'][0]:.1f} at "
                "the end, on 2 cores)" if load else "") + ".", "",
             "| measure | ratio | notes |", "|---|---|---|"]
    if "ray" in result:
        ray = result["ray"]["workers"] if "workers" in result["ray"] else result["ray"]
        q = ray["ratios"]
        rows.append((f"Ray engine, 2 workers vs 1, one thread each (speed; bench/ray_engine.py, "
                     f"{ray['paragraphs']:,} paragraphs)", f"{q['two_workers_vs_one_speed']:.2f}×",
                     f"less the fixed part of a call (pool start, model loads): "
                     f"{q['two_workers_vs_one_speed_less_fixed_part']:.2f}×; 2 workers vs the "
                     f"local engine: {q['two_workers_vs_local_speed']:.2f}×; vectors as the "
                     f"local engine's to {ray['vectors_vs_local']['max_abs_difference']:.0e}"))
    lines += [f"| {a} | {b} | {c_} |" for a, b, c_ in rows]
    if "layout" in result:
        import layout as layout_bench  # bench/layout.py

        lines += ["", "Layout and clustering with vectors given (bench/layout.py, each row "
                      "against BERTopic's own UMAP + HDBSCAN in the same run):", "",
                  layout_bench.table(result["layout"])]
    return "\n".join(lines)


def readme_block(result: dict) -> str:
    return table(result)


if __name__ == "__main__":
    main()
