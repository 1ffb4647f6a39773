"""Validation of the framing statistics on labelled real corpora, each figure beside a baseline.

    python bench/validation.py [--quick]

Reads ../shared/data (never copies its text anywhere) and uses the project's own pipeline:
segment, the bundled all-MiniLM-L6-v2 (vectors cached in bench/results/cache, so a rerun
embeds nothing), UMAP + HDBSCAN. Reports

  (a) outlet group predicted from paragraph embeddings: logistic regression, 5-fold GroupKFold
      by article, balanced accuracy and macro-F1 beside a majority-class baseline;
  (b) our clusters against the 13 narratives of disinfo_narratives (adjusted mutual
      information), beside BERTopic's topics on the same embeddings;
  (c) whether frame-axis positions separate RT from Western outlets and the Kremlin from the
      Ukrainian presidency (Cohen's d with an article-level bootstrap interval);
  (d) calibration: the false-positive rate of the article-level permutation test at alpha 0.05
      with group labels shuffled at article level (must be 0.02–0.08), beside the same test
      permuting single paragraphs.

Writes bench/results/validation.json (validation-quick.json with --quick). About 10 minutes
on 2 cores the first time, mostly embedding; a rerun takes 2–3 minutes.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from framing_atlas.axes import (axis_column, axis_positions, effect_size, embed_poles,  # noqa: E402
                                read_axes)
from framing_atlas.build import LazyEncoder  # noqa: E402
from framing_atlas.cluster import auto_min_cluster_size, cluster  # noqa: E402
from framing_atlas.embed import embed  # noqa: E402
from framing_atlas.project import project  # noqa: E402
from framing_atlas.segment import segment  # noqa: E402
from framing_atlas.settings import Settings  # noqa: E402
from framing_atlas.stats import (centroid_distances, js_divergence_matrix,  # noqa: E402
                                 log_odds)
from framing_atlas.store import VectorCache  # noqa: E402
from framing_atlas.themes import theme_centroids  # noqa: E402

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
RESULTS = ROOT / "bench" / "results"
DEFAULTS = {name: field.default for name, field in Settings.model_fields.items()}
SEED = 0
ALPHA = 0.05
ON_TOPIC = 0.3  # the themes' default threshold

# corpus → (how to label an article, articles per label in a full / quick run)
GROUPED = {
    "ukraine_war_media_2022": (lambda f: np.where(f["outlet"] == "RT", "RT", "Western"), 150, 40),
    "zelenskyy_putin_press_releases": (lambda f: f["group"].to_numpy(), 150, 40),
    "article_bias_nato": (lambda f: f["bias"].to_numpy(), 100, 30),
}
# (a side, b side) for the frame axes: d > 0 means a leans further toward pole b than b does.
AXIS_PAIRS = {"ukraine_war_media_2022": ("RT", "Western"),
              "zelenskyy_putin_press_releases": ("russia_presidency", "ukraine_presidency")}


def say(message: str) -> None:
    print(message, flush=True)


def read_corpus(name: str) -> pd.DataFrame:
    return pd.read_csv(SHARED / name / "articles.csv.gz", dtype=str, keep_default_na=False)


def sample_articles(name: str, per_label: int) -> pd.DataFrame:
    """A label-balanced sample of one corpus's articles, with article_id and `label`."""
    labeller = GROUPED[name][0]
    corpus = read_corpus(name)
    corpus = corpus.assign(label=labeller(corpus), article_id=[f"{name}:{i}" for i in
                                                                range(len(corpus))])
    corpus = corpus[corpus["text"].str.strip() != ""]
    smallest = int(corpus["label"].value_counts().min())
    return (corpus.groupby("label").sample(min(per_label, smallest), random_state=SEED)
            .reset_index(drop=True))


def paragraphs_of(articles: pd.DataFrame) -> pd.DataFrame:
    paragraphs = segment(articles[["article_id", "text"]], min_chars=DEFAULTS["min_chars"],
                         target_words=DEFAULTS["target_words"], max_words=DEFAULTS["max_words"])
    return paragraphs.join(articles.set_index("article_id")[["outlet", "label"]], on="article_id")


def space_of(vectors: np.ndarray) -> np.ndarray:
    """The build's clustering space: UMAP to cluster_dims (cosine, fixed seed)."""
    (space,) = project(vectors, dimensions=(DEFAULTS["cluster_dims"],),
                       n_neighbors=DEFAULTS["n_neighbors"], min_dist=DEFAULTS["min_dist"],
                       seed=DEFAULTS["seed"])
    return space


def clusters_of(vectors: np.ndarray, *, noise: str = "nearest") -> np.ndarray:
    """The build's clusters: HDBSCAN on space_of, smallest cluster ≈ √n / 2."""
    labels, _ = cluster(space_of(vectors), min_cluster_size=auto_min_cluster_size(len(vectors)),
                        min_samples=DEFAULTS["min_samples"],
                        max_cluster_share=DEFAULTS["max_cluster_share"], noise=noise)
    return labels


# (a) -------------------------------------------------------------------------------------------

def classify(vectors: np.ndarray, paragraphs: pd.DataFrame) -> dict:
    """Group from paragraph vectors, 5-fold GroupKFold by article, against the majority class."""
    from sklearn.dummy import DummyClassifier
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import balanced_accuracy_score, f1_score
    from sklearn.model_selection import GroupKFold

    y = paragraphs["label"].to_numpy()
    articles = paragraphs["article_id"].to_numpy()
    predicted = np.empty_like(y)
    baseline = np.empty_like(y)
    classes = np.unique(y)
    probabilities = np.zeros((len(y), len(classes)))
    for train, test in GroupKFold(n_splits=5, shuffle=True, random_state=SEED).split(
            vectors, y, groups=articles):
        model = LogisticRegression(max_iter=2000, class_weight="balanced")
        model.fit(vectors[train], y[train])
        predicted[test] = model.predict(vectors[test])
        probabilities[test] = model.predict_proba(vectors[test])
        dummy = DummyClassifier(strategy="most_frequent").fit(vectors[train], y[train])
        baseline[test] = dummy.predict(vectors[test])
    # Article level: the mean of its paragraphs' probabilities (held out with the article).
    frame = pd.DataFrame(probabilities, columns=classes).assign(article=articles, label=y)
    per_article = frame.groupby("article").agg({**{c: "mean" for c in classes}, "label": "first"})
    article_pred = classes[per_article[list(classes)].to_numpy().argmax(axis=1)]
    scores = {
        "balanced_accuracy": balanced_accuracy_score(y, predicted),
        "macro_f1": f1_score(y, predicted, average="macro"),
        "baseline_balanced_accuracy": balanced_accuracy_score(y, baseline),
        "baseline_macro_f1": f1_score(y, baseline, average="macro", zero_division=0),
        "article_balanced_accuracy": balanced_accuracy_score(per_article["label"], article_pred),
    }
    scores = {k: round(float(v), 3) for k, v in scores.items()}
    scores["ratio_balanced_accuracy"] = round(scores["balanced_accuracy"]
                                              / scores["baseline_balanced_accuracy"], 2)
    scores["ratio_macro_f1"] = round(scores["macro_f1"] / scores["baseline_macro_f1"], 2)
    return scores


# (c) -------------------------------------------------------------------------------------------

def axis_effects(paragraphs: pd.DataFrame, vectors: np.ndarray, pole_vectors: dict,
                 pair: tuple[str, str], *, n_boot: int) -> dict:
    """Cohen's d of each axis position, a side against b side, over all paragraphs and over the
    paragraphs on the axis's subject only (cosine ≥ ON_TOPIC to either pole's centre): an
    off-topic paragraph still gets a position, which mixes topic with framing."""
    positions = axis_positions(vectors, pole_vectors)
    articles = paragraphs["article_id"].to_numpy()
    effects = {}
    for name, poles in pole_vectors.items():
        column = axis_column(name)
        values = positions[column].to_numpy(np.float64)
        relevance = (vectors @ theme_centroids(list(poles)).T).max(axis=1)
        entry = {}
        for subset, keep in (("all", np.ones(len(values), bool)),
                             ("on_topic", relevance >= ON_TOPIC)):
            side_a = keep & (paragraphs["label"] == pair[0]).to_numpy()
            side_b = keep & (paragraphs["label"] == pair[1]).to_numpy()
            if side_a.sum() < 2 or side_b.sum() < 2:
                entry[subset] = {"paragraphs": [int(side_a.sum()), int(side_b.sum())]}
                continue
            effect = effect_size(values[side_a], values[side_b], n_boot=n_boot, seed=SEED,
                                 a_articles=articles[side_a], b_articles=articles[side_b])
            entry[subset] = {"d": round(effect.d, 3), "low": round(effect.low, 3),
                             "high": round(effect.high, 3),
                             "paragraphs": [int(side_a.sum()), int(side_b.sum())],
                             "articles": [int(len(set(articles[side_a]))),
                                          int(len(set(articles[side_b])))],
                             "means": [round(float(values[side_a].mean()), 4),
                                       round(float(values[side_b].mean()), 4)],
                             "separates": bool(effect.low > 0 or effect.high < 0)}
        effects[column] = entry
    return effects


# (d) -------------------------------------------------------------------------------------------

def calibration(paragraphs: pd.DataFrame, labels: np.ndarray, *, shuffles: int,
                n_permutations: int) -> dict:
    """False-positive rate at ALPHA when group labels are shuffled over articles."""
    from scipy.stats import binomtest

    articles = paragraphs.groupby("article_id")["label"].first()
    rng = np.random.default_rng(SEED)
    hits = {"article": 0, "paragraph": 0}
    tests = 0
    for i in range(shuffles):
        shuffled = pd.Series(rng.permutation(articles.to_numpy()), index=articles.index)
        frame = paragraphs[["article_id", "paragraph_id"]].assign(
            group=paragraphs["article_id"].map(shuffled).to_numpy(), cluster=labels)
        by_article = js_divergence_matrix(frame, group_col="group", n_permutations=n_permutations,
                                          seed=i)
        # The naive test: each paragraph dealt out on its own, as if paragraphs were independent.
        by_paragraph = js_divergence_matrix(frame, group_col="group", article_col="paragraph_id",
                                            n_permutations=n_permutations, seed=i)
        hits["article"] += int((by_article["p_value"] <= ALPHA).sum())
        hits["paragraph"] += int((by_paragraph["p_value"] <= ALPHA).sum())
        tests += len(by_article)
    result = {"shuffles": shuffles, "tests": tests, "n_permutations": n_permutations}
    for level, k in hits.items():
        interval = binomtest(k, tests).proportion_ci(confidence_level=0.95)
        result[f"false_positive_rate_{level}_permutation"] = round(k / tests, 4)
        result[f"ci95_{level}_permutation"] = [round(interval.low, 4), round(interval.high, 4)]
    rate = result["false_positive_rate_article_permutation"]
    result["calibrated"] = bool(0.02 <= rate <= 0.08)
    return result


# (b) -------------------------------------------------------------------------------------------

def narratives(encoder, cache: VectorCache, *, quick: bool) -> dict:
    from sklearn.cluster import KMeans
    from sklearn.metrics import adjusted_mutual_info_score as ami

    corpus = read_corpus("disinfo_narratives")
    corpus = corpus[corpus["text"].str.strip() != ""].reset_index(drop=True)
    if quick:
        corpus = corpus.sample(250, random_state=SEED).reset_index(drop=True)
    # One paragraph per passage: the passages are already paragraph-sized.
    texts = corpus["text"].str.strip().tolist()
    truth = corpus["narrative"].to_numpy()
    started = time.perf_counter()
    vectors, computed = embed(texts, encoder=encoder, cache=cache)
    say(f"  disinfo_narratives: {len(texts)} passages embedded ({computed} new) in "
        f"{time.perf_counter() - started:.0f}s")
    url_sizes = corpus["url"].replace("", np.nan).dropna().value_counts()
    result = {
        "passages": len(texts), "narratives": int(len(set(truth))),
        "urls": int(len(url_sizes)),
        "passages_sharing_a_url": int(url_sizes[url_sizes > 1].sum()),
        "urls_with_several_narratives": int(
            (corpus[corpus["url"] != ""].groupby("url")["narrative"].nunique() > 1).sum()),
    }
    auto = auto_min_cluster_size(len(texts))
    space = space_of(vectors)
    sweep = {}
    for size in sorted({5, 8, 10, auto}):
        attached, _ = cluster(space, min_cluster_size=size, noise="nearest",
                              max_cluster_share=DEFAULTS["max_cluster_share"])
        kept, _ = cluster(space, min_cluster_size=size, noise="keep",
                          max_cluster_share=DEFAULTS["max_cluster_share"])
        sweep[size] = {"clusters": int(len(set(attached))),
                       "ami": round(float(ami(truth, attached)), 3),
                       "ami_noise_kept_as_own_label": round(float(ami(truth, kept)), 3),
                       "noise_share": round(float((kept < 0).mean()), 3)}
    result["ours"] = {"min_cluster_size": auto, **sweep[auto]}
    result["ours_by_min_cluster_size"] = sweep
    reference = KMeans(n_clusters=13, n_init=10, random_state=SEED).fit_predict(vectors)
    result["kmeans_13_on_embeddings"] = {"ami": round(float(ami(truth, reference)), 3)}
    result["bertopic"] = bertopic_topics(texts, vectors, truth)
    return result


def bertopic_topics(texts: list[str], vectors: np.ndarray, truth: np.ndarray) -> dict:
    try:
        import importlib.metadata

        from bertopic import BERTopic
        from umap import UMAP
    except ImportError as err:
        return {"available": False, "why": f"BERTopic is not installed ({err}); "
                                           "`pip install bertopic` to compare"}
    from sklearn.metrics import adjusted_mutual_info_score as ami

    # BERTopic's own defaults, with UMAP's seed fixed so the figure repeats.
    umap_model = UMAP(n_neighbors=15, n_components=5, min_dist=0.0, metric="cosine",
                      random_state=SEED)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        topics, _ = BERTopic(umap_model=umap_model, calculate_probabilities=False).fit_transform(
            texts, embeddings=vectors)
    topics = np.asarray(topics)
    outliers = topics < 0
    return {"available": True, "version": importlib.metadata.version("bertopic"),
            "topics": int(len(set(topics[~outliers]))),
            "ami": round(float(ami(truth, topics)), 3),
            "outlier_share": round(float(outliers.mean()), 3),
            "ami_without_outliers": round(float(ami(truth[~outliers], topics[~outliers])), 3)}


# -----------------------------------------------------------------------------------------------

def grouped_corpus(name: str, encoder, cache: VectorCache, pole_vectors: dict, *,
                   quick: bool) -> dict:
    per_label = GROUPED[name][2 if quick else 1]
    articles = sample_articles(name, per_label)
    paragraphs = paragraphs_of(articles)
    started = time.perf_counter()
    vectors, computed = embed(paragraphs["text"].tolist(), encoder=encoder, cache=cache)
    say(f"  {name}: {len(articles)} articles, {len(paragraphs)} paragraphs embedded "
        f"({computed} new) in {time.perf_counter() - started:.0f}s")
    result: dict = {"articles": len(articles), "paragraphs": len(paragraphs),
                    "articles_per_label": articles["label"].value_counts().to_dict(),
                    "paragraphs_per_label": paragraphs["label"].value_counts().to_dict()}

    started = time.perf_counter()
    result["classification"] = classify(vectors, paragraphs)
    say(f"  {name}: (a) classification in {time.perf_counter() - started:.0f}s")

    started = time.perf_counter()
    labels = clusters_of(vectors)
    result["clusters"] = int(len(set(labels)))
    groups = sorted(paragraphs["label"].unique())
    real = js_divergence_matrix(paragraphs.assign(cluster=labels), group_col="label",
                                n_permutations=199 if quick else 999, seed=SEED)
    result["cluster_mix_difference"] = real.round(4).to_dict(orient="records")
    distances = centroid_distances(vectors, paragraphs["label"].to_numpy())
    result["centroid_cosine_distance"] = {f"{a} | {b}": round(float(distances.loc[a, b]), 4)
                                          for i, a in enumerate(groups) for b in groups[i + 1:]}
    say(f"  {name}: map + clusters + JSD in {time.perf_counter() - started:.0f}s")

    if name in AXIS_PAIRS:
        result["axes"] = axis_effects(paragraphs, vectors, pole_vectors, AXIS_PAIRS[name],
                                      n_boot=200 if quick else 1000)

    started = time.perf_counter()
    result["calibration"] = calibration(paragraphs, labels, shuffles=200 if quick else 500,
                                        n_permutations=199)
    say(f"  {name}: (d) calibration in {time.perf_counter() - started:.0f}s")

    # Printed for a reader's sanity check only; words from the corpus stay out of the JSON.
    if len(groups) == 2:
        terms = log_odds(paragraphs, group_col="label", target=groups[0], top=8, min_count=10)
        say(f"  {name}: distinctive words, {groups[0]}: {', '.join(terms['term'][:8])}")
        say(f"  {name}: distinctive words, {groups[1]}: "
            f"{', '.join(terms['term'][::-1][:8])}")
    return result


def summary(results: dict) -> list[str]:
    lines = ["", "== (a) group from paragraph embeddings (LogReg, GroupKFold by article) =="]
    for name, r in results["grouped"].items():
        c = r["classification"]
        lines.append(f"{name:32s} balanced acc {c['balanced_accuracy']:.3f} vs majority "
                     f"{c['baseline_balanced_accuracy']:.3f} (×{c['ratio_balanced_accuracy']}); "
                     f"macro-F1 {c['macro_f1']:.3f} vs {c['baseline_macro_f1']:.3f} "
                     f"(×{c['ratio_macro_f1']}); per article {c['article_balanced_accuracy']:.3f}")
    n = results["narratives"]
    lines += ["", "== (b) clusters vs the 13 narratives of disinfo_narratives (AMI) ==",
              f"passages {n['passages']}, urls {n['urls']}, passages sharing a url "
              f"{n['passages_sharing_a_url']} ({n['urls_with_several_narratives']} urls carry "
              "several narratives)",
              f"ours (UMAP+HDBSCAN, noise attached): AMI {n['ours']['ami']:.3f} with "
              f"{n['ours']['clusters']} clusters; noise kept as a label: "
              f"{n['ours']['ami_noise_kept_as_own_label']:.3f} "
              f"(noise {n['ours']['noise_share']:.0%}); "
              f"min_cluster_size {n['ours']['min_cluster_size']} (auto)",
              "  by min_cluster_size: " + "; ".join(
                  f"{k}: {v['clusters']} clusters, AMI {v['ami']:.3f} / noise kept "
                  f"{v['ami_noise_kept_as_own_label']:.3f}"
                  for k, v in n["ours_by_min_cluster_size"].items())]
    b = n["bertopic"]
    if b["available"]:
        lines.append(f"BERTopic {b['version']} (same embeddings): AMI {b['ami']:.3f} with "
                     f"{b['topics']} topics, outliers {b['outlier_share']:.0%} "
                     f"(AMI without its outliers {b['ami_without_outliers']:.3f})")
        if b["ami"]:
            lines.append(f"ratio ours / BERTopic: {n['ours']['ami'] / b['ami']:.2f}")
    else:
        lines.append(f"BERTopic: {b['why']}")
    lines.append(f"reference: k-means with k=13 on the embeddings: AMI "
                 f"{n['kmeans_13_on_embeddings']['ami']:.3f}")
    lines += ["", "== (c) frame axes: Cohen's d (a − b), article-level bootstrap 95% CI; "
                  f"on_topic = cosine ≥ {ON_TOPIC} to a pole =="]
    for name, (a, b_side) in AXIS_PAIRS.items():
        lines.append(f"{name}: {a} vs {b_side} (d > 0: {a} leans further toward pole b)")
        for column, entry in results["grouped"][name]["axes"].items():
            for subset, e in entry.items():
                where = f"  {column:17s} {subset:8s} ({e['paragraphs'][0]} vs {e['paragraphs'][1]} "
                if "d" not in e:
                    lines.append(where + "paragraphs): too few")
                    continue
                lines.append(where + f"paragraphs): d {e['d']:+.2f} [{e['low']:+.2f}, "
                             f"{e['high']:+.2f}]{'  separates' if e['separates'] else ''}")
    lines += ["", f"== (d) permutation test under shuffled labels: false positives at "
                  f"alpha {ALPHA} =="]
    for name, r in results["grouped"].items():
        c = r["calibration"]
        lines.append(f"{name:32s} by article {c['false_positive_rate_article_permutation']:.3f} "
                     f"{c['ci95_article_permutation']} over {c['tests']} tests "
                     f"({'ok' if c['calibrated'] else 'OUT OF 0.02–0.08'}); paragraphs permuted "
                     f"one by one: {c['false_positive_rate_paragraph_permutation']:.3f}")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true",
                        help="small samples and fewer shuffles: a smoke test of a few minutes")
    args = parser.parse_args()
    if not SHARED.is_dir():
        sys.exit(f"{SHARED} not found: this validation needs the labelled corpora in "
                 "../shared/data next to the project")
    missing = [n for n in [*GROUPED, "disinfo_narratives"]
               if not (SHARED / n / "articles.csv.gz").is_file()]
    if missing:
        sys.exit(f"missing corpora in {SHARED}: {', '.join(missing)}")
    logging.basicConfig(level=logging.WARNING)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    started = time.perf_counter()

    encoder = LazyEncoder(DEFAULTS["model"], DEFAULTS["device"])  # loaded only if needed
    cache = VectorCache(RESULTS / "cache" / DEFAULTS["model"])
    axes = read_axes(ROOT / "data" / "axes.toml")
    pole_vectors = embed_poles(axes, encoder=encoder, cache=cache)

    results: dict = {"quick": args.quick, "seed": SEED, "model": DEFAULTS["model"],
                     "grouped": {}}
    say("Validation on labelled corpora in ../shared/data")
    for name in GROUPED:
        results["grouped"][name] = grouped_corpus(name, encoder, cache, pole_vectors,
                                                  quick=args.quick)
    results["narratives"] = narratives(encoder, cache, quick=args.quick)
    results["axes"] = {axis_column(a.name): {"a": a.a.label, "b": a.b.label} for a in axes}
    results["seconds"] = round(time.perf_counter() - started, 1)

    for line in summary(results):
        say(line)
    say(f"\ntotal {results['seconds']:.0f}s")
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / ("validation-quick.json" if args.quick else "validation.json")
    out.write_text(json.dumps(results, indent=2, default=str), encoding="utf-8")
    say(f"written to {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
