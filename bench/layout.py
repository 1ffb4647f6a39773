"""The layout (projection + clustering) at 100k and 1M paragraphs, vectors given, against
BERTopic's own UMAP + HDBSCAN at 100k; each row a ratio to that baseline measured in the same run.

    python bench/layout.py [--sizes 100000,1000000] [--baseline 100000] [--no-ablation]

1. Real vectors: REAL paragraphs of ../shared/data/ukraine_war_media_2022 (ingested as
   `framing-atlas ingest` does, segmented as a build does, taken in the order of a hash of their
   text: the same paragraphs every run), embedded once with the bundled model and cached as a
   bare float32 array in bench/results/cache/ (git-ignored; no text is kept).
2. Synthetic vectors (`synthetic`): n vectors, each a real vector (the i-th takes real vector
   i mod REAL) plus gaussian noise, renormalised. Every real paragraph becomes a family of
   n / REAL near-copies, the way a corpus of a million paragraphs holds many paraphrases of a few
   thousand stories. The noise level is NOISE_ANGLE (see there): a family's members stay closer
   to each other than to any other real paragraph, so neighbours, the map and the clusters have
   real structure to recover, yet no two vectors are equal.
3. `layout(n)`: the project's own stages as a build runs them (project() to 2-D and to the
   clustering space, then cluster() with the settings' defaults and min_cluster_size = √n / 2),
   each size in a fresh child process, so its peak resident memory (ru_maxrss of the child) is
   the layout's own, numba compilation included; wall time of each step; clusters found. At
   100k it is run twice and the two maps compared (identical x, y and clusters expected).
4. `bertopic_baseline(n)`: BERTopic's default UMAP and HDBSCAN, constructed as
   bertopic/_bertopic.py constructs them, run on the same vectors as BERTopic runs them
   (umap_model.fit_transform, then hdbscan_model.fit). BERTopic makes only the 5-D clustering
   space, no 2-D map; the 2-D UMAP its visualize_documents would fit (n_neighbors=10,
   n_components=2, min_dist=0.0, metric="cosine") is timed as a separate, labelled row.
5. `ablation(n)`: at 100k, the layout with the sample (what project() does past FIT_AT_MOST)
   against a full UMAP fit on all n (fit_at_most=n): time, adjusted Rand index of the two
   clusterings, and the overlap of each point's 10 nearest neighbours on the two maps; beside
   them the same two figures for two full fits that differ only in their seed, the noise floor.

Writes bench/results/layout.json and prints the table. Timings are taken on a machine of 2 cores
shared with other jobs: they are pessimistic and noisy; the ratios within one run compare.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT / "src") not in sys.path:
    sys.path.insert(0, str(ROOT / "src"))

SHARED = ROOT.parent / "shared" / "data"
CORPUS = "ukraine_war_media_2022"
CACHE = ROOT / "bench" / "results" / "cache"
RESULTS = ROOT / "bench" / "results" / "layout.json"
REAL = 3000
SEED = 42
# Noise per synthetic vector, as the length of the gaussian vector added to a unit vector (each
# dimension's sd is NOISE / √dim). After renormalising, two members of one family sit at cosine
# distance ≈ NOISE² / (1 + NOISE²) = 0.2, while the nearest other real paragraph of a real one is
# at 0.33 (median; 0.22 at the 10th percentile, measured on these REAL vectors), and its members
# at ≈ (d + NOISE²) / (1 + NOISE²) ≥ 0.3 from this family's: within a family stays closer.
NOISE = 0.5
AT_ONCE = 100_000  # synthetic rows made at a time (the noise is never held for all n at once)


def real_vectors(count: int = REAL) -> np.ndarray:
    """`count` unit vectors of distinct real paragraphs (see the module docstring), cached."""
    cached = CACHE / f"layout-real-{CORPUS}-{count}.npy"
    if cached.exists():
        return np.load(cached)
    from framing_atlas.inputs.ingest import ingest
    from framing_atlas.pipeline.build import paragraphs_of
    from framing_atlas.pipeline.embed import _encode, load_encoder
    from framing_atlas.settings import load_settings
    from framing_atlas.store import Store

    source = SHARED / CORPUS / "articles.csv.gz"
    if not source.exists():
        sys.exit(f"{source} not found: this benchmark needs ../shared/data")
    with tempfile.TemporaryDirectory(prefix="fa-layout-") as work:
        articles, _ = ingest([source], Store(Path(work) / "probe").read_articles())
        settings = load_settings(store=Path(work) / "probe")
    texts = sorted(set(paragraphs_of(articles, settings)["text"]),
                   key=lambda t: hashlib.sha1(t.encode()).hexdigest())[:count]
    if len(texts) < count:
        sys.exit(f"{CORPUS} gives {len(texts)} distinct paragraphs, fewer than {count}")
    started = time.perf_counter()
    vectors = _encode(load_encoder(settings.model), texts, settings.batch_size)
    print(f"embedded {len(texts)} paragraphs in {time.perf_counter() - started:.0f} s",
          flush=True)
    CACHE.mkdir(parents=True, exist_ok=True)
    np.save(cached, vectors)
    return vectors


def synthetic(n: int, *, seed: int = SEED) -> np.ndarray:
    """n unit vectors: real vector i mod REAL plus gaussian noise of length ≈ NOISE, renormalised
    (see NOISE). Seeded: the same n and seed give the same vectors."""
    real = real_vectors()
    rng = np.random.default_rng(seed)
    vectors = np.empty((n, real.shape[1]), dtype=np.float32)
    scale = np.float32(NOISE / np.sqrt(real.shape[1]))
    for start in range(0, n, AT_ONCE):
        rows = np.arange(start, min(n, start + AT_ONCE))
        block = real[rows % len(real)] + scale * rng.standard_normal(
            (len(rows), real.shape[1]), dtype=np.float32)
        vectors[rows] = block / np.linalg.norm(block, axis=1, keepdims=True)
    return vectors


def cpu_s() -> float:
    """CPU seconds this process has used (all its threads): on a shared machine, the part of the
    time that does not depend on how many cores others left us."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def peak_gb() -> float:
    """This process's peak resident memory so far, in GB (ru_maxrss is in KiB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 ** 2


# What runs in a child process (one per measurement, so each peak memory is its own) ----------
def run_layout(n: int, *, fit_at_most: int | None, seed: int | None, out: Path | None) -> dict:
    """project() to 2-D and the clustering space, then cluster(), as a build runs them (the
    settings' defaults; `seed` other than the default's only for the ablation's noise floor)."""
    from framing_atlas.pipeline.cluster import auto_min_cluster_size, cluster
    from framing_atlas.pipeline.project import FIT_AT_MOST, project
    from framing_atlas.settings import Settings

    defaults = {name: field.default for name, field in Settings.model_fields.items()}
    vectors = synthetic(n)
    vectors_gb = peak_gb()
    steps: list[tuple[str, float]] = []
    started, cpu_started = time.perf_counter(), cpu_s()

    def progress(done: int, total: int, what: str) -> None:
        steps.append((what, round(time.perf_counter() - started, 2)))

    fit_at_most = FIT_AT_MOST if fit_at_most is None else fit_at_most
    seed = defaults["seed"] if seed is None else seed
    coords, space = project(vectors, dimensions=(2, defaults["cluster_dims"]),
                            n_neighbors=defaults["n_neighbors"], min_dist=defaults["min_dist"],
                            seed=seed, fit_at_most=fit_at_most, progress=progress)
    project_s = time.perf_counter() - started
    min_cluster_size = auto_min_cluster_size(n)
    labels, outliers = cluster(space, min_cluster_size=min_cluster_size,
                               min_samples=defaults["min_samples"],
                               max_cluster_share=defaults["max_cluster_share"],
                               noise=defaults["noise"])
    total_s = time.perf_counter() - started
    total_cpu_s = cpu_s() - cpu_started
    if out is not None:
        np.savez(out, coords=coords, labels=labels, space=space)
    return {"n": n, "seed": seed, "fit_at_most": fit_at_most, "fitted": min(n, fit_at_most),
            "project_s": round(project_s, 1), "cluster_s": round(total_s - project_s, 1),
            "total_s": round(total_s, 1), "cpu_s": round(total_cpu_s, 1), "steps": steps,
            "min_cluster_size": min_cluster_size, "clusters": int(labels.max() + 1),
            "outliers": int(outliers.sum()), "largest_share": round(float(
                np.bincount(labels[labels >= 0]).max() / n), 3),
            "peak_gb": round(peak_gb(), 2), "vectors_gb": round(vectors_gb, 2)}


def run_bertopic(n: int, *, out: Path | None) -> dict:
    """BERTopic's default UMAP and HDBSCAN (bertopic/_bertopic.py, BERTopic.__init__), run as
    BERTopic._reduce_dimensionality and _cluster_embeddings run them; then, timed apart, the
    2-D UMAP BERTopic's visualize_documents fits (bertopic/plotting/_documents.py)."""
    from hdbscan import HDBSCAN
    from umap import UMAP

    vectors = synthetic(n)
    umap_model = UMAP(n_neighbors=15, n_components=5, min_dist=0.0, metric="cosine",
                      low_memory=False)
    hdbscan_model = HDBSCAN(min_cluster_size=10, metric="euclidean",
                            cluster_selection_method="eom", prediction_data=True)
    started, cpu_started = time.perf_counter(), cpu_s()
    umap_embeddings = umap_model.fit_transform(vectors, y=None)
    umap_s = time.perf_counter() - started
    hdbscan_model.fit(umap_embeddings)
    total_s = time.perf_counter() - started
    total_cpu_s = cpu_s() - cpu_started
    labels = hdbscan_model.labels_
    peak = peak_gb()
    started = time.perf_counter()
    map_2d = UMAP(n_neighbors=10, n_components=2, min_dist=0.0, metric="cosine").fit(vectors)
    map_s = time.perf_counter() - started
    if out is not None:
        np.savez(out, coords=map_2d.embedding_, labels=labels)
    return {"n": n, "umap_s": round(umap_s, 1), "hdbscan_s": round(total_s - umap_s, 1),
            "total_s": round(total_s, 1), "cpu_s": round(total_cpu_s, 1),
            "clusters": int(labels.max() + 1),
            "outliers": int((labels < 0).sum()), "peak_gb": round(peak, 2),
            "map_2d_s": round(map_s, 1), "peak_gb_with_map": round(peak_gb(), 2)}


def in_child(kind: str, n: int, *, fit_at_most: int | None = None, seed: int | None = None,
             out: Path | None = None) -> dict:
    """run_<kind>(n) in a fresh `nice -n 10` python: its result, read from its last line."""
    command = ["nice", "-n", "10", sys.executable, __file__, "--child", kind, "--n", str(n)]
    if fit_at_most is not None:
        command += ["--fit-at-most", str(fit_at_most)]
    if seed is not None:
        command += ["--seed", str(seed)]
    if out is not None:
        command += ["--out", str(out)]
    print(f"{kind} at {n:,}" + (f", fit on at most {fit_at_most:,}" if fit_at_most else "")
          + (f", seed {seed}" if seed is not None else "") + " …", flush=True)
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"{' '.join(command)} failed:\n{done.stderr[-3000:]}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["wall_s"] = round(time.perf_counter() - started, 1)  # process start and vectors too
    print(f"  {result}", flush=True)
    return result


# What main() calls ----------------------------------------------------------------------------
def layout(n: int, *, twice: bool = False, fit_at_most: int | None = None,
           seed: int | None = None, folder: Path | None = None) -> dict:
    """The layout at n in a child process; `twice`: run again and compare x, y and clusters."""
    folder = folder or Path(tempfile.mkdtemp(prefix="fa-layout-"))
    first = folder / f"layout-{n}-{fit_at_most}-{seed}-a.npz"
    result = in_child("layout", n, fit_at_most=fit_at_most, seed=seed, out=first)
    result["out"] = str(first)
    if twice:
        second = folder / f"layout-{n}-{fit_at_most}-{seed}-b.npz"
        again = in_child("layout", n, fit_at_most=fit_at_most, seed=seed, out=second)
        a, b = np.load(first), np.load(second)
        result["deterministic"] = bool(np.array_equal(a["coords"], b["coords"])
                                       and np.array_equal(a["labels"], b["labels"]))
        result["second_total_s"] = again["total_s"]
    return result


def bertopic_baseline(n: int = 100_000, *, folder: Path | None = None) -> dict:
    folder = folder or Path(tempfile.mkdtemp(prefix="fa-layout-"))
    result = in_child("bertopic", n, out=folder / f"bertopic-{n}.npz")
    return result


def compared(a: dict, b: dict) -> dict:
    """Two layouts' agreement: adjusted Rand index of their clusters, overlap of their maps
    (the 10-NN overlap bench/encoder.py reports for the int8 encoder's maps)."""
    from encoder import neighbour_overlap  # bench/encoder.py, beside this file
    from sklearn.metrics import adjusted_rand_score

    first, second = np.load(a["out"]), np.load(b["out"])
    return {"cluster_ari": round(adjusted_rand_score(first["labels"], second["labels"]), 3),
            "map_10nn_overlap": round(neighbour_overlap(first["coords"], second["coords"],
                                                        metric="euclidean"), 3)}


def ablation(n: int = 100_000, *, sampled: dict | None = None,
             folder: Path | None = None) -> dict:
    """The layout as project() makes it at n (fitted on a sample) against a full fit on all n,
    and, as the noise floor, that full fit against another with a different seed (issue 12:
    UMAP and HDBSCAN move with any perturbation)."""
    sampled = sampled or layout(n, folder=folder)
    full = layout(n, fit_at_most=n, folder=folder)
    other = layout(n, fit_at_most=n, seed=full["seed"] + 1, folder=folder)
    return {"n": n, "sampled_total_s": sampled["total_s"], "full_total_s": full["total_s"],
            "full_cpu_s": full["cpu_s"], "full_project_s": full["project_s"],
            "full_clusters": full["clusters"], "sampled_clusters": sampled["clusters"],
            "full_peak_gb": full["peak_gb"], "full_steps": full["steps"],
            **compared(sampled, full),
            "floor": {"seeds": [full["seed"], other["seed"]], **compared(full, other),
                      "other_clusters": other["clusters"]}}


def table(result: dict) -> str:
    """The rows of main(): each a ratio to BERTopic's UMAP + HDBSCAN at 100k in the same run,
    in wall time and in CPU time (the machine is shared: CPU time says what the work costs,
    wall time what the person waited)."""
    base = result["bertopic"]
    base_s, base_cpu = base["total_s"], base["cpu_s"]

    def row(name: str, wall: float, cpu: float, gb: float, clusters: int, notes: str) -> str:
        return (f"| {name} | {wall / base_s:.2f}× | {cpu / base_cpu:.2f}× | {wall / 60:.1f} | "
                f"{cpu / 60:.1f} | {gb:.1f} | {clusters:,} | {notes} |")

    rows = ["| layout | time vs baseline | CPU vs baseline | minutes | CPU minutes | peak GB | "
            "clusters | notes |", "|---|---|---|---|---|---|---|---|",
            row(f"BERTopic's UMAP (5-D) + HDBSCAN at {base['n']:,}", base_s, base_cpu,
                base["peak_gb"], base["clusters"], "the baseline: no 2-D map")]
    for layout in result["layouts"]:
        notes = [f"UMAP fitted on {layout['fitted']:,}"]
        if "deterministic" in layout:
            notes.append("run twice: " + ("identical" if layout["deterministic"] else "DIFFERENT"))
        if layout["n"] >= 1_000_000:
            limits = result["limits"]
            met = layout["total_s"] <= 60 * limits["minutes"] and layout["peak_gb"] <= limits["gb"]
            notes.append(f"limits {limits['minutes']} min, {limits['gb']} GB: "
                         + ("met" if met else "NOT met in wall time"))
        rows.append(row(f"ours at {layout['n']:,}", layout["total_s"], layout["cpu_s"],
                        layout["peak_gb"], layout["clusters"], "; ".join(notes)))
    rows.append(f"| BERTopic + the 2-D map of visualize_documents at {base['n']:,} | "
                f"{(base_s + base['map_2d_s']) / base_s:.2f}× | | "
                f"{(base_s + base['map_2d_s']) / 60:.1f} | | {base['peak_gb_with_map']:.1f} | "
                f"{base['clusters']:,} | like for like with ours (a map and clusters) |")
    if result.get("ablation"):
        ablation = result["ablation"]
        rows.append(row(f"ours fitted on all {ablation['n']:,} (ablation)",
                        ablation["full_total_s"], ablation["full_cpu_s"], ablation["full_peak_gb"],
                        ablation["full_clusters"],
                        f"against ours at {ablation['n']:,}: cluster adjusted Rand "
                        f"{ablation['cluster_ari']:.2f}, map 10-NN overlap "
                        f"{ablation['map_10nn_overlap']:.2f}; two full fits, seeds "
                        f"{ablation['floor']['seeds'][0]} and {ablation['floor']['seeds'][1]}: "
                        f"{ablation['floor']['cluster_ari']:.2f} and "
                        f"{ablation['floor']['map_10nn_overlap']:.2f}"))
    return "\n".join(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100000,1000000")
    parser.add_argument("--baseline", type=int, default=100_000)
    parser.add_argument("--no-ablation", action="store_true")
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    from framing_atlas.pipeline.cluster import FAST_FROM
    from framing_atlas.pipeline.project import FIT_AT_MOST

    real_vectors()  # embedded once before anything is timed
    folder = Path(tempfile.mkdtemp(prefix="fa-layout-"))
    started = time.perf_counter()
    base = bertopic_baseline(args.baseline, folder=folder)
    layouts = [layout(n, twice=n == args.baseline, folder=folder) for n in sizes]
    sampled = next((x for x in layouts if x["n"] == args.baseline), None)
    ablated = None if args.no_ablation else ablation(args.baseline, sampled=sampled,
                                                      folder=folder)
    result = {
        "what": "issue 12: the layout (project + cluster) at 100k and 1M paragraphs against "
                "BERTopic's default UMAP + HDBSCAN at 100k, measured in the same run (bench/"
                "layout.py docstring); 2 shared cores under load from other jobs, so times are "
                "pessimistic",
        "command": f"python bench/layout.py --sizes {args.sizes} --baseline {args.baseline}"
                   + (" --no-ablation" if args.no_ablation else ""),
        "corpus": CORPUS, "real_paragraphs": REAL, "noise": NOISE,
        "fit_at_most": FIT_AT_MOST, "fast_hdbscan_from": FAST_FROM,
        "limits": {"minutes": 20, "gb": 8},
        "bertopic": base, "layouts": [{k: v for k, v in x.items() if k != "out"}
                                      for x in layouts],
        "ablation": ablated, "run_minutes": round((time.perf_counter() - started) / 60, 1),
        "load_average": list(__import__("os").getloadavg()),
    }
    RESULTS.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    print(table(result))
    print(f"wrote {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    if "--child" not in sys.argv:
        main()
        sys.exit()
    parser = argparse.ArgumentParser(description="one measurement, in a child process")
    parser.add_argument("--child", choices=["layout", "bertopic"])
    parser.add_argument("--n", type=int)
    parser.add_argument("--fit-at-most", type=int)
    parser.add_argument("--seed", type=int)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    if args.child == "layout":
        print(json.dumps(run_layout(args.n, fit_at_most=args.fit_at_most, seed=args.seed,
                                    out=args.out)))
    else:
        print(json.dumps(run_bertopic(args.n, out=args.out)))
