"""How well each way of detecting a theme agrees with careful reading (issue 15).

    python bench/themes.py            # every method on the test set -> bench/results/themes.json
    python bench/themes.py --bundle   # data/theme_models/<model>.json: the default trained on the development labels

Labels: bench/labels (THEMES.md; codebook data/codebook.md), paragraphs of five real corpora
in ../shared/data, each read for each theme, in two parts:
- development (1,260): the score-band stage and two topic supplements, split into tuning and a
  first held-out quarter. The method was chosen while looking at that quarter (a classifier on
  the vectors first; the query feature was tried after the quarter showed information warfare
  weakest), so its figures are secondary.
- test (360): drawn and read after the method below was frozen, never used for any choice.
Every method is trained on the development labels and measured on the test set; and again
trained on tuning alone and measured on the first held-out quarter.

Methods, each per theme:
- current: the build before issue 15: cosine to the description's centroid, the single
  threshold 0.3, one theme per paragraph (the nearest).
- centroid, calibrated: the same cosine, with a threshold per theme chosen by F1 on the
  training labels (its only parameter).
- keyword query: each theme's `query` in data/themes.toml, a boolean query as a Media Cloud
  user would write it (written from the codebook's definitions before any figure was
  computed; never tuned).
- classifier (the default): pipeline.theme_model.train_detector exactly as the build runs it:
  logistic regression on the paragraph vectors, and on whether the paragraph matches the
  theme's query when cross-validation on the training labels says that helps; the
  description's sentences among the positive examples; C and the threshold by the same
  cross-validated F1.
Ablations: vectors only, the query always, without the description sentences, and trained on
the score-band stage only (no topic supplements). Figures are also given for the paragraphs
with none of the topic words (cases a keyword query cannot find).

Intervals: 95% percentile bootstrap over the evaluated paragraphs (2,000 resamples, seeded).
Agreement: Cohen's kappa per theme between the main labels and the blind second reading of 150
paragraphs (bench/labels/themes_labels_second.csv), with a bootstrap interval.
"""

from __future__ import annotations

import argparse
import json
import sys
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
for extra in (ROOT / "src", ROOT / "bench"):
    if str(extra) not in sys.path:
        sys.path.insert(0, str(extra))

from sklearn.metrics import cohen_kappa_score  # noqa: E402
from sklearn.model_selection import StratifiedKFold  # noqa: E402

from framing_atlas.pipeline.embed import embed, load_encoder  # noqa: E402
from framing_atlas.pipeline.theme_model import (LABELLED, Examples, best_threshold,  # noqa: E402
                                                read_shipped, shipped_path, train_detector,
                                                write_shipped)
from framing_atlas.pipeline.query import query_hits  # noqa: E402
from framing_atlas.pipeline.themes import embed_sentences, read_themes, theme_centroids  # noqa: E402
from framing_atlas.store import VectorCache  # noqa: E402
from themes_sample import (CACHE, LABELS_DIR, MODEL, THEME_NAMES, THEMES_FILE, find_texts,  # noqa: E402
                           read_labels)

RESULTS = ROOT / "bench" / "results" / "themes.json"
MODELS_DIR = ROOT / "data" / "theme_models"
SECOND = LABELS_DIR / "themes_labels_second.csv"
N_BOOT = 2000
SEED = 15
CURRENT_THRESHOLD = 0.3

# Measures -------------------------------------------------------------------------------------
def prf(said: np.ndarray, truth: np.ndarray) -> tuple[float, float, float]:
    tp = float((said & truth).sum())
    fp = float((said & ~truth).sum())
    fn = float((~said & truth).sum())
    precision = tp / (tp + fp) if tp + fp else float("nan")
    recall = tp / (tp + fn) if tp + fn else float("nan")
    f1 = 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else float("nan")
    return precision, recall, f1


def with_intervals(said: np.ndarray, truth: np.ndarray, rng: np.random.Generator) -> dict:
    """Precision, recall, F1 and their 95% bootstrap intervals over the paragraphs."""
    said, truth = said.astype(bool), truth.astype(bool)
    point = prf(said, truth)
    draws = rng.integers(0, len(truth), size=(N_BOOT, len(truth)))
    s, t = said[draws], truth[draws]
    tp = (s & t).sum(axis=1).astype(float)
    fp = (s & ~t).sum(axis=1).astype(float)
    fn = (~s & t).sum(axis=1).astype(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        samples = {"precision": tp / (tp + fp), "recall": tp / (tp + fn),
                   "f1": 2 * tp / (2 * tp + fp + fn)}
    out = {"n": int(len(truth)), "positives": int(truth.sum()), "said": int(said.sum())}
    for name, value in zip(("precision", "recall", "f1"), point):
        with warnings.catch_warnings():  # a subset without positives has no recall
            warnings.simplefilter("ignore", RuntimeWarning)
            low, high = np.nanpercentile(samples[name], [2.5, 97.5])
        out[name] = None if np.isnan(value) else round(float(value), 3)
        out[f"{name}_low"] = round(float(low), 3)
        out[f"{name}_high"] = round(float(high), 3)
    return out


def kappa_with_interval(a: np.ndarray, b: np.ndarray, rng: np.random.Generator) -> dict:
    point = cohen_kappa_score(a, b) if len(set(a) | set(b)) > 1 else float("nan")
    values = []
    for _ in range(N_BOOT):
        i = rng.integers(0, len(a), len(a))
        if len(set(a[i]) | set(b[i])) > 1 and len(set(a[i])) > 1:
            values.append(cohen_kappa_score(a[i], b[i]))
    low, high = np.percentile(values, [2.5, 97.5]) if values else (float("nan"),) * 2
    return {"n": int(len(a)), "kappa": round(float(point), 3), "kappa_low": round(float(low), 3),
            "kappa_high": round(float(high), 3), "first_reader_1s": int(a.sum()),
            "second_reader_1s": int(b.sum())}


# Data ---------------------------------------------------------------------------------------
def labelled(with_test: bool = True) -> tuple[pd.DataFrame, np.ndarray, list[np.ndarray], np.ndarray, list]:
    """Labels joined with texts, their unit vectors (cached), each theme's description sentence
    vectors, the centroids and the themes."""
    labels, problems = read_labels(check_texts=False)
    incomplete = labels[list(THEME_NAMES)].isna().any(axis=1)
    if not with_test:
        labels = labels[(labels["split"] != "test").to_numpy()].reset_index(drop=True)
        incomplete = labels[list(THEME_NAMES)].isna().any(axis=1)
    if incomplete.any():
        sys.exit(f"labels incomplete ({int(incomplete.sum())} paragraphs): run "
                 f"python bench/themes_sample.py --check ({len(problems)} problems)")
    texts = find_texts(labels)
    labels["text"] = labels["sample_id"].map(texts)
    encoder = load_encoder(MODEL)
    cache = VectorCache(CACHE / MODEL)
    vectors, _ = embed(labels["text"].tolist(), encoder=encoder, cache=cache)
    themes, _ = read_themes(THEMES_FILE)
    if tuple(t.name for t in themes) != THEME_NAMES:
        sys.exit(f"{THEMES_FILE}: expected themes {THEME_NAMES}")
    sentences = embed_sentences(themes, encoder=encoder, cache=cache)
    for theme in themes:
        if not theme.query:
            sys.exit(f"{THEMES_FILE}: theme '{theme.name}' has no query (the keyword baseline)")
        labels[f"hit_{theme.name}"] = query_hits(labels["text"], theme.query)
    return labels, vectors, sentences, theme_centroids(sentences), themes


def examples_of(labels: pd.DataFrame, vectors: np.ndarray, theme: str,
                mask: np.ndarray) -> Examples:
    return Examples(vectors[mask], labels.loc[mask, theme].to_numpy().astype(np.int8),
                    np.ones(int(mask.sum())), np.full(int(mask.sum()), LABELLED, dtype=object),
                    labels.loc[mask, f"hit_{theme}"].to_numpy().astype(bool))


def run() -> dict:
    """Every method, trained (or calibrated) twice: on the development labels (tuning and the
    first held-out quarter) and tested on the fresh test set; and on the tuning labels alone,
    tested on the first held-out quarter (seen while the method was chosen, so secondary)."""
    labels, vectors, sentences, centroids, themes = labelled()
    split = labels["split"].to_numpy()
    stage = labels["stage"].to_numpy()
    tuning, held, test = split == "tuning", split == "held-out", split == "test"
    if not test.any():
        sys.exit("no test paragraphs in the frame: draw the fresh test set first")
    cosine = vectors @ centroids.T
    nearest = cosine.argmax(axis=1)
    texts = labels["text"].to_numpy(dtype=object)
    other = (labels["topic"] == "other").to_numpy()
    rounds = {
        "test": {"train": tuning | held, "subsets": {"all": test, "no topic words": test & other}},
        "first held-out": {"train": tuning, "subsets": {
            "all": held, "score-band stage": held & (stage == "score bands"),
            "topic supplements": held & (stage != "score bands"),
            "no topic words": held & other}},
    }
    rng = np.random.default_rng(SEED)
    defaults = []  # each theme's default trained on the development labels: the shipped model
    result: dict = {"labels": {
        "paragraphs": int(len(labels)), "development": int((tuning | held).sum()),
        "tuning": int(tuning.sum()), "first_held_out": int(held.sum()), "test": int(test.sum()),
        "positives": {t: int(labels.loc[tuning | held, t].sum()) for t in THEME_NAMES},
        "first_held_out_positives": {t: int(labels.loc[held, t].sum()) for t in THEME_NAMES},
        "test_positives": {t: int(labels.loc[test, t].sum()) for t in THEME_NAMES}},
        "queries": {t.name: t.query for t in themes}, "themes": {}}
    for i, theme in enumerate(THEME_NAMES):
        query = themes[i].query
        sentence_hits = query_hits(themes[i].description, query)
        truth = labels[theme].to_numpy().astype(bool)

        def trained(mask, **options):
            """A detector exactly as the build trains one (C and the query feature chosen by
            its own cross-validation on `mask`), unless options force a variant."""
            settings = {"description": sentences[i], "description_hits": sentence_hits,
                        "query": query, **options}
            return train_detector(theme, centroids[i], examples_of(labels, vectors, theme, mask),
                                  default_threshold=CURRENT_THRESHOLD, **settings)

        def flags(detector):
            return detector.score(vectors, texts) >= detector.threshold

        part: dict = {"rounds": {}}
        for name, spec in rounds.items():
            train = spec["train"]
            default = trained(train)
            if name == "test":
                defaults.append(default)
            calibrated = best_threshold(cosine[train, i], truth[train])
            said = {
                "classifier (default)": flags(default),
                "centroid, calibrated threshold": cosine[:, i] >= calibrated,
                "keyword query": labels[f"hit_{theme}"].to_numpy().astype(bool),
                "current (centroid, 0.3, nearest)": ((nearest == i)
                                                     & (cosine[:, i] >= CURRENT_THRESHOLD)),
                "ablation: classifier on vectors only": flags(trained(train, use_query=False)),
                "ablation: classifier with the query always": flags(trained(train, use_query=True)),
                "ablation: classifier without description": flags(
                    trained(train, description=None, description_hits=None)),
                "ablation: classifier, score-band labels only": flags(
                    trained(train & (stage == "score bands"))),
            }
            evaluated = spec["subsets"]["all"]
            part["rounds"][name] = {
                "methods": {method: {subset: with_intervals(predicted[mask], truth[mask], rng)
                                     for subset, mask in spec["subsets"].items()}
                            for method, predicted in said.items()},
                "classifier": {"C": default.c, "uses_query": default.query is not None,
                               "threshold": round(default.threshold, 4),
                               "cross_validated": default.quality()},
                "centroid_threshold": round(calibrated, 4),
                "confusions": confusions(labels, said["classifier (default)"], theme, evaluated),
            }
        result["themes"][theme] = part
    result["agreement"] = agreement(labels, rng)
    # The build ships these very classifiers (data/theme_models, written by --bundle).
    result["shipped_model_is_the_default"] = shipped_matches(defaults, vectors.shape[1])
    return result


def confusions(labels: pd.DataFrame, said: np.ndarray, theme: str, held: np.ndarray) -> dict:
    """Held-out errors of the default: which other themes the misses and false alarms carry."""
    truth = labels[theme].to_numpy().astype(bool)
    out = {}
    for kind, mask in (("false_positives", said & ~truth & held),
                       ("false_negatives", ~said & truth & held)):
        part = labels[mask]
        out[kind] = {"count": int(mask.sum()),
                     **{f"also_{t}": int(part[t].sum()) for t in THEME_NAMES if t != theme},
                     "by_corpus": {str(k): int(v) for k, v in part["corpus"].value_counts().items()},
                     "ids": part["sample_id"].tolist()}
    return out


def agreement(labels: pd.DataFrame, rng: np.random.Generator) -> dict:
    if not SECOND.exists():
        return {}
    second = pd.read_csv(SECOND, dtype=str, keep_default_na=False)
    both = labels.merge(second, on="sample_id", suffixes=("", "_second"))
    return {t: kappa_with_interval(both[t].astype(int).to_numpy(),
                                   both[f"{t}_second"].astype(int).to_numpy(), rng)
            for t in THEME_NAMES}


def report(result: dict) -> None:
    print(f"labels: {result['labels']}")
    for round_name in ("test", "first held-out"):
        print(f"\n=== {round_name} ===")
        for theme, part in result["themes"].items():
            data = part["rounds"][round_name]
            c = data["classifier"]
            print(f"\n{theme} (classifier C={c['C']}, query feature {c['uses_query']})")
            default = data["methods"]["classifier (default)"]["all"]["f1"]
            for name, m in data["methods"].items():
                h = m["all"]
                ratio = (f"  F1 x{default / h['f1']:.2f} for the default"
                         if h["f1"] and name != "classifier (default)" else "")
                print(f"  {name:46s} P {h['precision']} [{h['precision_low']}, "
                      f"{h['precision_high']}]  R {h['recall']} [{h['recall_low']}, "
                      f"{h['recall_high']}]  F1 {h['f1']} [{h['f1_low']}, {h['f1_high']}]{ratio}")
    if result.get("agreement"):
        print("\nagreement (Cohen's kappa, second reading):")
        for theme, k in result["agreement"].items():
            print(f"  {theme}: {k['kappa']} [{k['kappa_low']}, {k['kappa_high']}] on {k['n']}")
    print("\nthe shipped models (data/theme_models) are the default measured here: "
          + ("yes" if result.get("shipped_model_is_the_default")
             else "NO: run python bench/themes.py --bundle"))


SHOWN = ["classifier (default)", "centroid, calibrated threshold", "keyword query",
         "current (centroid, 0.3, nearest)", "ablation: classifier on vectors only",
         "ablation: classifier with the query always",
         "ablation: classifier without description",
         "ablation: classifier, score-band labels only"]


def readme_block(result: dict) -> str:
    """The README's table: every method on the fresh test set, per theme, with intervals, and
    the default's F1 on the first held-out quarter beside it."""
    def cell(h: dict, name: str) -> str:
        value = h[name]
        return "–" if value is None else f"{value:.2f} [{h[name + '_low']:.2f}, {h[name + '_high']:.2f}]"

    labels = result["labels"]
    lines = ["| theme (test paragraphs in / all) | method | precision [95%] | recall [95%] "
             "| F1 [95%] | F1 on the first held-out quarter |",
             "|---|---|---|---|---|---|"]
    for theme, part in result["themes"].items():
        first = f"{theme} ({labels['test_positives'][theme]} / {labels['test']})"
        for name in SHOWN:
            h = part["rounds"]["test"]["methods"][name]["all"]
            old = part["rounds"]["first held-out"]["methods"][name]["all"]["f1"]
            shown = f"**{name}**" if name == "classifier (default)" else name
            lines.append(f"| {first} | {shown} | {cell(h, 'precision')} | {cell(h, 'recall')} "
                         f"| {cell(h, 'f1')} | {'–' if old is None else f'{old:.2f}'} |")
            first = ""
    agreement = result.get("agreement") or {}
    if agreement:
        lines.append("")
        lines.append("Agreement of two readers on " + f"{next(iter(agreement.values()))['n']}"
                     " paragraphs read blind, Cohen's kappa [95%]: " + "; ".join(
                         f"{t} {k['kappa']:.2f} [{k['kappa_low']:.2f}, {k['kappa_high']:.2f}]"
                         for t, k in agreement.items()) + ".")
    return "\n".join(lines)


def default_detectors(labels: pd.DataFrame, vectors: np.ndarray, sentences: list[np.ndarray],
                      centroids: np.ndarray, themes: list, mask: np.ndarray) -> list:
    """The default classifier of each theme trained on the labels in `mask`, as run() trains
    it and as the build would on those labels."""
    return [train_detector(theme.name, centroids[i], examples_of(labels, vectors, theme.name, mask),
                           description=sentences[i],
                           description_hits=query_hits(theme.description, theme.query),
                           query=theme.query, default_threshold=CURRENT_THRESHOLD)
            for i, theme in enumerate(themes)]


def bundle() -> Path:
    """The default classifier trained on every development label (none of the test set), as the
    build's shipped models: weights and out-of-fold results, no vectors, no text."""
    labels, vectors, sentences, centroids, themes = labelled(with_test=False)
    development = (labels["split"] != "test").to_numpy()
    path = shipped_path(MODELS_DIR, MODEL)
    write_shipped(path, MODEL, default_detectors(labels, vectors, sentences, centroids, themes,
                                                 development),
                  {t.name: (t.description, t.query) for t in themes},
                  about=f"Framing Atlas theme classifiers for {MODEL}, trained by "
                        f"`python bench/themes.py --bundle` on the {int(development.sum())} "
                        "development paragraphs of bench/labels (see THEMES.md and "
                        "data/codebook.md). Weights and out-of-fold results only.")
    return path


def shipped_matches(detectors: list, dim: int) -> bool:
    """Whether data/theme_models holds exactly these detectors (the default the test set
    measures is the model the build ships)."""
    shipped = read_shipped(shipped_path(MODELS_DIR, MODEL), dim)
    return len(shipped) == len(detectors) and all(
        d.name in shipped and np.allclose(shipped[d.name].coef, d.coef, atol=1e-9)
        and abs(shipped[d.name].threshold - d.threshold) < 1e-9 for d in detectors)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bundle", action="store_true",
                        help="write data/theme_models/<model>.json: the default trained on the development labels")
    args = parser.parse_args()
    if args.bundle:
        print(f"wrote {bundle().relative_to(ROOT)}")
        return
    result = run()
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    report(result)
    print(f"\n-> {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
