"""The int8 ONNX encoder (settings: encoder = "onnx-int8") against the fp32 model: speed and
fidelity, measured in the same run.

    python bench/encoder.py [--corpus ukraine_war_media_2022] [--paragraphs 2000]

The paragraphs are the sample bench/scale.py takes (sample_articles: articles in the order of a
hash of their id until they give --paragraphs paragraphs).

speed(): plain SentenceTransformer.encode (the bundled all-MiniLM-L6-v2, loaded and warmed up
first, batch 64, normalised), the int8 encoder's encode (exported or loaded from the model
cache and warmed up first, same batch), and pipeline.embed with the int8 encoder on an empty
vector cache. Each is timed twice; the faster of the two counts (the machine is shared).

fidelity(): the int8 vectors against the fp32 ones:
- cosine per paragraph (mean, min);
- 10-NN overlap: the share of each paragraph's 10 cosine nearest neighbours (among the
  paragraphs) that both vector sets agree on, averaged;
- on the map, laid out and clustered with the project's own stages (project_paragraphs and
  cluster_paragraphs, with the Settings defaults) for SEEDS seeds s: fp32 seed s, fp32 seed s+1
  and int8 seed s. For fp32 s against int8 s, and for the noise floor fp32 s against fp32 s+1:
  the 10-NN overlap in the 2-D map and the adjusted Rand index of the clusters, each averaged
  over the seeds. Issue 12 makes the int8 encoder the default only if int8 is at least as close
  to fp32 as the noise floor;
- themes: the share of paragraphs whose theme decisions (every has_<theme> and the `theme`)
  are the same with either vector set, the detectors made as build.py makes them (themes_of,
  train_detectors with the shipped classifiers of the model, assign_themes).

Writes bench/results/encoder.json and prints a table.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
for path in (ROOT / "src", ROOT / "bench"):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

from framing_atlas.inputs.ingest import ingest  # noqa: E402
from framing_atlas.pipeline.build import (CLUSTER_OPTIONS, PROJECT_OPTIONS,  # noqa: E402
                                          LazyEncoder, map_inputs, themes_of)
from framing_atlas.pipeline.cluster import cluster_paragraphs  # noqa: E402
from framing_atlas.pipeline.embed import embed, load_encoder, vectors_key  # noqa: E402
from framing_atlas.pipeline.project import project_paragraphs  # noqa: E402
from framing_atlas.pipeline.theme_model import shipped_path  # noqa: E402
from framing_atlas.pipeline.themes import assign_themes, train_detectors  # noqa: E402
from framing_atlas.settings import load_settings  # noqa: E402
from framing_atlas.store import CLUSTER, THEME, X, Y, Store, VectorCache  # noqa: E402

RESULTS = ROOT / "bench" / "results" / "encoder.json"
NEIGHBOURS = 10
REPEATS = 2
SEEDS = 4  # seed pairs the map comparison averages


def fastest(function, *args, **kwargs) -> tuple[object, float]:
    """The result of the last of REPEATS calls, and the shortest time among them."""
    best = float("inf")
    for _ in range(REPEATS):
        started = time.perf_counter()
        result = function(*args, **kwargs)
        best = min(best, time.perf_counter() - started)
    return result, best


def speed(texts: list[str], settings, vectors: dict | None = None) -> dict:
    """Seconds and speed ratios of plain encode, the int8 encoder and the embedding stage with it.

    With `vectors` (a dict), the fp32 vectors of plain encode and the int8 vectors of the
    embedding stage are put in it ("fp32", "int8"), for fidelity() without encoding again.
    """
    batch = settings.batch_size
    fp32_encoder = load_encoder(settings.model)
    fp32_encoder.encode(texts[:64], batch_size=batch)  # warm-up
    started = time.perf_counter()
    int8_encoder = load_encoder(settings.model, encoder="onnx-int8",
                                model_cache=settings.model_cache)
    load_s = time.perf_counter() - started
    int8_encoder.encode(texts[:64], batch_size=batch)  # warm-up

    fp32, plain_s = fastest(fp32_encoder.encode, texts, batch_size=batch,
                            normalize_embeddings=True, show_progress_bar=False)
    _, int8_s = fastest(int8_encoder.encode, texts, batch_size=batch, normalize_embeddings=True,
                        show_progress_bar=False)
    with tempfile.TemporaryDirectory(prefix="fa-encoder-") as work:
        caches = iter(range(REPEATS))
        (int8, _), stage_s = fastest(
            lambda: embed(texts, encoder=int8_encoder, batch_size=batch,
                          cache=VectorCache(Path(work) / f"cache-{next(caches)}")))
    if vectors is not None:
        vectors.update(fp32=np.asarray(fp32, dtype=np.float32), int8=int8)
    return {"paragraphs": len(texts), "batch_size": batch, "repeats": REPEATS,
            "threads": int8_encoder.session.get_session_options().intra_op_num_threads,
            "seconds": {"plain_encode": round(plain_s, 1), "int8_encode": round(int8_s, 1),
                        "int8_embedding_stage": round(stage_s, 1),
                        "int8_export_or_load": round(load_s, 1)},
            "ratios": {"int8_encode_speed_vs_plain": round(plain_s / int8_s, 2),
                       "int8_embedding_stage_speed_vs_plain": round(plain_s / stage_s, 2)}}


def neighbour_overlap(a: np.ndarray, b: np.ndarray, *, k: int = NEIGHBOURS,
                      metric: str = "cosine") -> float:
    """The mean share of each row's k nearest other rows that `a` and `b` agree on."""
    return float(np.mean([len(set(x) & set(y)) / k
                          for x, y in zip(nearest_rows(a, k, metric), nearest_rows(b, k, metric))]))


def nearest_rows(points: np.ndarray, k: int, metric: str) -> np.ndarray:
    """Each row's k nearest other rows (cosine for vectors, euclidean for map positions)."""
    from sklearn.neighbors import NearestNeighbors

    found = NearestNeighbors(n_neighbors=k + 1, metric=metric).fit(points).kneighbors(
        points, return_distance=False)
    # Drop each row itself (usually first, but not always when it has exact duplicates).
    return np.array([[j for j in row if j != i][:k] for i, row in enumerate(found)])


def map_of(paragraphs: pd.DataFrame, vectors: np.ndarray, settings, *, seed: int) -> pd.DataFrame:
    """x, y and cluster of the paragraphs, laid out and clustered as a fresh build does."""
    options = {**map_inputs(paragraphs, settings).parameters, "seed": seed}
    laid_out = project_paragraphs(paragraphs, vectors,
                                  **{name: options[name] for name in PROJECT_OPTIONS})
    return cluster_paragraphs(laid_out, **{name: options[name] for name in CLUSTER_OPTIONS})


def theme_decisions(paragraphs: pd.DataFrame, vectors: np.ndarray, settings, kind: str,
                    cache: Path) -> pd.DataFrame:
    """Every has_<theme> and the `theme` of each paragraph, with detectors made as build.py
    makes them for encoder `kind` (the shipped classifiers are the model's, whatever the
    encoder)."""
    themes, threshold = themes_of(settings)
    encoder = LazyEncoder(settings.model, settings.device, kind=kind,
                          model_cache=settings.model_cache)
    detectors = train_detectors(themes, threshold=threshold, encoder=encoder,
                                cache=VectorCache(cache / vectors_key(settings.model, kind)),
                                batch_size=settings.batch_size,
                                shipped=shipped_path(settings.theme_models, settings.model),
                                labels=None)
    assigned = assign_themes(paragraphs, vectors, detectors)
    return assigned[[c for c in assigned.columns if str(c).startswith("has_")] + [THEME]]


def fidelity(texts: list[str], fp32_vectors: np.ndarray, int8_vectors: np.ndarray, settings,
             paragraphs: pd.DataFrame | None = None) -> dict:
    """How close the int8 vectors are to the fp32 ones, and the maps and themes they give,
    beside two fp32 maps that differ only in their seed (the noise floor).

    `paragraphs` (with paragraph_id and text_hash, as build.paragraphs_of gives) are the texts'
    rows; without them, rows are made from the texts.
    """
    from sklearn.metrics import adjusted_rand_score

    fp32 = np.asarray(fp32_vectors, dtype=np.float32)
    int8 = np.asarray(int8_vectors, dtype=np.float32)
    cosine = (fp32 * int8).sum(axis=1) / (np.linalg.norm(fp32, axis=1)
                                          * np.linalg.norm(int8, axis=1))
    if paragraphs is None:
        from framing_atlas.store import PARAGRAPH_ID, TEXT, TEXT_HASH, text_hash

        paragraphs = pd.DataFrame({PARAGRAPH_ID: [f"p{i}" for i in range(len(texts))],
                                   TEXT: texts, TEXT_HASH: [text_hash(t) for t in texts]})
    paragraphs = paragraphs.reset_index(drop=True)
    # One pair of seeds is itself a noisy floor (a 200-paragraph trial gave 0.67 for one pair):
    # SEEDS pairs, each compared the same way, and their means.
    seeds = [settings.seed + i for i in range(SEEDS)]
    fp32_maps = {s: map_of(paragraphs, fp32, settings, seed=s) for s in seeds + [seeds[-1] + 1]}
    int8_maps = {s: map_of(paragraphs, int8, settings, seed=s) for s in seeds}

    def compare(left: pd.DataFrame, right: pd.DataFrame) -> dict:
        return {"map_10nn_overlap": neighbour_overlap(
                    left[[X, Y]].to_numpy(), right[[X, Y]].to_numpy(), metric="euclidean"),
                "cluster_ari": float(adjusted_rand_score(left[CLUSTER], right[CLUSTER]))}

    def mean_of(pairs: list[dict]) -> dict:
        return {**{key: round(float(np.mean([p[key] for p in pairs])), 3) for key in pairs[0]},
                "each_seed": [{key: round(value, 3) for key, value in p.items()} for p in pairs]}

    with tempfile.TemporaryDirectory(prefix="fa-encoder-themes-") as work:
        decided = {kind: theme_decisions(paragraphs, vectors, settings, kind, Path(work))
                   for kind, vectors in (("torch", fp32), ("onnx-int8", int8))}
    same = (decided["torch"] == decided["onnx-int8"]).all(axis=1)
    return {"paragraphs": len(texts),
            "cosine": {"mean": round(float(cosine.mean()), 5), "min": round(float(cosine.min()), 5)},
            "vector_10nn_overlap": round(neighbour_overlap(fp32, int8), 3),
            "map": {"seeds": seeds,
                    "fp32_vs_int8": mean_of([compare(fp32_maps[s], int8_maps[s])
                                             for s in seeds]),
                    "noise_floor_fp32_vs_fp32_next_seed": mean_of(
                        [compare(fp32_maps[s], fp32_maps[s + 1]) for s in seeds]),
                    "clusters": {"fp32": [int(fp32_maps[s][CLUSTER].nunique()) for s in seeds],
                                 "int8": [int(int8_maps[s][CLUSTER].nunique()) for s in seeds]}},
            "themes": {"same_decisions_share": round(float(same.mean()), 4),
                       "paragraphs_in_a_theme": {
                           kind: int((frame[THEME] != "none").sum())
                           for kind, frame in decided.items()}}}


def sample(corpus: str, paragraphs: int, settings) -> pd.DataFrame:
    """bench/scale.py's sample of the corpus: its paragraphs, as build.paragraphs_of gives."""
    from scale import SHARED, sample_articles

    source = SHARED / corpus / "articles.csv.gz"
    if not source.exists():
        sys.exit(f"{source} not found: this benchmark needs ../shared/data")
    with tempfile.TemporaryDirectory(prefix="fa-encoder-probe-") as work:
        merged, _ = ingest([source], Store(Path(work) / "probe").read_articles())
    return sample_articles(merged, settings, paragraphs=paragraphs)[2]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default="ukraine_war_media_2022")
    parser.add_argument("--paragraphs", type=int, default=2000)
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()
    settings = load_settings(themes_file=ROOT / "data" / "themes.toml",
                             theme_models=ROOT / "data" / "theme_models",
                             model_cache=ROOT / "data" / "cache" / "models")
    paragraphs = sample(args.corpus, args.paragraphs, settings)
    texts = paragraphs["text"].tolist()
    print(f"{len(texts)} paragraphs ({len(set(texts))} distinct) of {args.corpus}", flush=True)
    vectors: dict = {}
    timing = speed(texts, settings, vectors)
    print(f"speed: {timing}", flush=True)
    # The embedding stage embeds each distinct text once: fp32 vectors in the same rows.
    close = fidelity(texts, vectors["fp32"], vectors["int8"], settings, paragraphs)
    print(f"fidelity: {close}", flush=True)
    result = {"what": "the int8 ONNX encoder against the fp32 model, measured in the same run "
                      "(bench/encoder.py docstring)",
              "command": f"python bench/encoder.py --corpus {args.corpus} --paragraphs "
                         f"{args.paragraphs}",
              "corpus": args.corpus, "model": settings.model, "speed": timing,
              "fidelity": close}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(table(result))
    print(f"written to {args.out}")


def table(result: dict) -> str:
    s, f = result["speed"], result["fidelity"]
    ours, floor = f["map"]["fp32_vs_int8"], f["map"]["noise_floor_fp32_vs_fp32_next_seed"]
    rows = [
        ("int8 encode vs plain encode (speed)", f"{s['ratios']['int8_encode_speed_vs_plain']:.2f}×",
         f"plain {s['seconds']['plain_encode']} s, int8 {s['seconds']['int8_encode']} s"),
        ("embedding stage with int8 vs plain encode (speed)",
         f"{s['ratios']['int8_embedding_stage_speed_vs_plain']:.2f}×",
         f"{s['seconds']['int8_embedding_stage']} s on an empty cache"),
        ("cosine int8 to fp32 per paragraph", f"{f['cosine']['mean']:.4f}",
         f"min {f['cosine']['min']:.4f}"),
        ("10-NN overlap of the vectors", f"{f['vector_10nn_overlap']:.3f}", "fp32 against itself: 1"),
        ("10-NN overlap on the map", f"{ours['map_10nn_overlap']:.3f}",
         f"noise floor (fp32, seed +1): {floor['map_10nn_overlap']:.3f}; mean of "
         f"{len(f['map']['seeds'])} seeds"),
        ("cluster adjusted Rand", f"{ours['cluster_ari']:.3f}",
         f"noise floor (fp32, seed +1): {floor['cluster_ari']:.3f}; mean of "
         f"{len(f['map']['seeds'])} seeds"),
        ("same theme decisions", f"{f['themes']['same_decisions_share']:.1%}",
         "has_<theme> and theme, shipped detectors"),
    ]
    lines = [f"{s['paragraphs']:,} paragraphs of {result['corpus']}, {s['threads']} threads, "
             f"the faster of {s['repeats']} timings each.", "",
             "| measure | int8 | notes |", "|---|---|---|"]
    lines += [f"| {a} | {b} | {c} |" for a, b, c in rows]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
