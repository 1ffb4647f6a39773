"""How well each way of detecting a theme agrees with careful reading (issue 15).

    python bench/themes.py            # all methods on the held-out quarter -> bench/results/themes.json
    python bench/themes.py --bundle   # write data/theme_examples/<model>.parquet from the tuning labels

Labels: bench/labels (THEMES.md; codebook data/codebook.md), 1,020 paragraphs of five real
corpora in ../shared/data, each read for each theme. A quarter is held out: every choice below
(thresholds, the classifier's C, the keyword queries, which method is the default) is made on
the tuning three quarters or written before looking at the data; the held-out quarter is used
for the reported figures only.

Methods, each per theme:
- current: the build before issue 15: cosine to the description's centroid, the single
  threshold 0.3, one theme per paragraph (the nearest).
- centroid, calibrated: the same cosine, with a threshold per theme chosen by F1 on the tuning
  labels (the only parameter, so every tuning paragraph serves to choose it).
- keyword query: a boolean query per theme as a Media Cloud user would write it (KEYWORD_QUERIES,
  written from the codebook's definitions, not tuned).
- classifier (the default): pipeline.theme_model.train_detector, logistic regression on the
  paragraph vectors plus the description's sentences, threshold by cross-validated F1; C by
  cross-validation on the tuning labels.
Ablations: the classifier without the description sentences, and trained on the score-band
stage only (no topic supplement). Figures are also given separately for the held-out paragraphs
of each sampling stage, and for those containing none of the topic words (the cases the keyword
approach is expected to miss).

Intervals: 95% percentile bootstrap over the held-out paragraphs (2,000 resamples, seeded).
Agreement: Cohen's kappa per theme between the main labels and the blind second reading of 150
paragraphs (bench/labels/themes_labels_second.csv), with a bootstrap interval.
"""

from __future__ import annotations

import argparse
import json
import re
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
from framing_atlas.pipeline.theme_model import (BUNDLED, Examples, best_threshold,  # noqa: E402
                                                bundled_path, train_detector, write_bundled)
from framing_atlas.pipeline.themes import embed_sentences, read_themes, theme_centroids  # noqa: E402
from framing_atlas.store import VectorCache  # noqa: E402
from themes_sample import (CACHE, LABELS_DIR, MODEL, THEME_NAMES, THEMES_FILE, find_texts,  # noqa: E402
                           read_labels)

RESULTS = ROOT / "bench" / "results" / "themes.json"
EXAMPLES_DIR = ROOT / "data" / "theme_examples"
SECOND = LABELS_DIR / "themes_labels_second.csv"
N_BOOT = 2000
SEED = 15
C_GRID = (0.3, 1.0, 3.0, 10.0, 30.0)
CURRENT_THRESHOLD = 0.3

# Written from the codebook's definitions in Media Cloud's query syntax (Lucene: AND, OR,
# quotes for phrases, * for any ending), before any figure was computed; never tuned.
KEYWORD_QUERIES = {
    "expansion": '(NATO OR "North Atlantic" OR alliance) AND (expansion OR expand* OR enlarg* '
                 'OR membership OR member* OR accession OR join* OR "open door" OR eastward '
                 'OR Finland OR Sweden OR neutral*)',
    "escalation": '(escalat* OR offensive OR missile* OR airstrike* OR "air strike*" OR '
                  'shelling OR mobili* OR "red line*" OR retaliat* OR nuclear OR tanks OR '
                  '"fighter jets" OR "long-range" OR "air defence" OR "air defense" OR '
                  '"weapons deliver*" OR "arms supplies")',
    "information_warfare": '(propaganda OR disinformation OR misinformation OR "fake news" OR '
                           '"information war*" OR "influence operation*" OR troll* OR bots OR '
                           'censor* OR "fact-check*" OR debunk* OR deepfake* OR '
                           '"state media" OR "media outlet*" OR ((ban* OR block*) AND '
                           '(RT OR Sputnik OR media OR channel* OR broadcaster*)))',
}


# A small reader of Media Cloud's boolean syntax ---------------------------------------------
def parse_query(query: str):
    """A predicate on text for a query of terms, "phrases", * endings, AND, OR and brackets
    (AND binds tighter than OR); matching is by whole words, case-insensitive, except that a
    term in capitals of two or three letters (RT) matches case-sensitively."""
    tokens = re.findall(r'\(|\)|"[^"]+"|[^\s()]+', query)
    position = 0

    def term_pattern(token: str) -> re.Pattern:
        words = token.strip('"').split()
        parts = [re.escape(w[:-1]) + r"\w*" if w.endswith("*") else re.escape(w) for w in words]
        flags = 0 if re.fullmatch(r"[A-Z]{2,3}", token) else re.IGNORECASE
        return re.compile(r"\b" + r"\s+".join(parts) + r"\b", flags)

    def parse_or():
        nonlocal position
        parts = [parse_and()]
        while position < len(tokens) and tokens[position] == "OR":
            position += 1
            parts.append(parse_and())
        return lambda text: any(p(text) for p in parts)

    def parse_and():
        nonlocal position
        parts = [parse_atom()]
        while position < len(tokens) and tokens[position] == "AND":
            position += 1
            parts.append(parse_atom())
        return lambda text: all(p(text) for p in parts)

    def parse_atom():
        nonlocal position
        token = tokens[position]
        position += 1
        if token == "(":
            inner = parse_or()
            position += 1  # ")"
            return inner
        pattern = term_pattern(token)
        return lambda text: bool(pattern.search(text))

    predicate = parse_or()
    if position != len(tokens):
        raise ValueError(f"query not fully read at token {position}: {query}")
    return predicate


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
def labelled() -> tuple[pd.DataFrame, np.ndarray, list[np.ndarray], np.ndarray]:
    """Labels joined with texts, their unit vectors (cached), each theme's description sentence
    vectors, and the centroids."""
    labels, problems = read_labels(check_texts=False)
    incomplete = labels[list(THEME_NAMES)].isna().any(axis=1)
    if problems or incomplete.any():
        sys.exit(f"labels incomplete: run python bench/themes_sample.py --check "
                 f"({len(problems)} problems)")
    texts = find_texts(labels)
    labels["text"] = labels["sample_id"].map(texts)
    encoder = load_encoder(MODEL)
    cache = VectorCache(CACHE / MODEL)
    vectors, _ = embed(labels["text"].tolist(), encoder=encoder, cache=cache)
    themes, _ = read_themes(THEMES_FILE)
    if tuple(t.name for t in themes) != THEME_NAMES:
        sys.exit(f"{THEMES_FILE}: expected themes {THEME_NAMES}")
    sentences = embed_sentences(themes, encoder=encoder, cache=cache)
    return labels, vectors, sentences, theme_centroids(sentences)


def examples_of(labels: pd.DataFrame, vectors: np.ndarray, theme: str,
                mask: np.ndarray) -> Examples:
    return Examples(vectors[mask], labels.loc[mask, theme].to_numpy().astype(np.int8),
                    np.ones(int(mask.sum())), np.full(int(mask.sum()), BUNDLED, dtype=object))


def choose_c(examples: Examples, centroid: np.ndarray, sentences: np.ndarray) -> tuple[float, dict]:
    """C by F1 on an outer 5-fold split of the tuning labels (each fold's model sets its own
    threshold by its inner cross-validation, as the build does)."""
    scores = {}
    truth = examples.truth
    for c in C_GRID:
        said = np.zeros(len(truth), bool)
        for train, test in StratifiedKFold(5, shuffle=True, random_state=SEED + 1).split(
                examples.vectors, truth):
            part = Examples(examples.vectors[train], truth[train], examples.weight[train],
                            examples.source[train])
            detector = train_detector("t", centroid, part, description=sentences,
                                      default_threshold=CURRENT_THRESHOLD, c=c)
            said[test] = detector.score(examples.vectors[test]) >= detector.threshold
        scores[c] = prf(said, truth.astype(bool))[2]
    best = max(C_GRID, key=lambda c: (scores[c], -c))
    return best, {str(c): round(v, 3) for c, v in scores.items()}


def run() -> dict:
    labels, vectors, sentences, centroids = labelled()
    tuning = (labels["split"] == "tuning").to_numpy()
    held = ~tuning
    texts = labels["text"].tolist()
    cosine = vectors @ centroids.T
    nearest = cosine.argmax(axis=1)
    queries = {t: parse_query(q) for t, q in KEYWORD_QUERIES.items()}
    subsets = {"all held-out": held,
               "score-band stage": held & (labels["stage"] == "score bands").to_numpy(),
               "topic supplement": held & (labels["stage"] == "topic supplement").to_numpy(),
               "no topic words": held & (labels["topic"] == "other").to_numpy()}
    rng = np.random.default_rng(SEED)
    result: dict = {"labels": {"paragraphs": int(len(labels)), "tuning": int(tuning.sum()),
                               "held_out": int(held.sum()),
                               "positives": {t: int(labels[t].sum()) for t in THEME_NAMES},
                               "held_out_positives": {t: int(labels.loc[held, t].sum())
                                                      for t in THEME_NAMES}},
                    "queries": KEYWORD_QUERIES, "themes": {}}
    for i, theme in enumerate(THEME_NAMES):
        truth = labels[theme].to_numpy().astype(bool)
        tune_examples = examples_of(labels, vectors, theme, tuning)
        c, c_scores = choose_c(tune_examples, centroids[i], sentences[i])
        default = train_detector(theme, centroids[i], tune_examples, description=sentences[i],
                                 default_threshold=CURRENT_THRESHOLD, c=c)
        no_description = train_detector(theme, centroids[i], tune_examples, description=None,
                                        default_threshold=CURRENT_THRESHOLD, c=c)
        bands_only = tuning & (labels["stage"] == "score bands").to_numpy()
        first_stage = train_detector(theme, centroids[i],
                                     examples_of(labels, vectors, theme, bands_only),
                                     description=sentences[i],
                                     default_threshold=CURRENT_THRESHOLD, c=c)
        calibrated = best_threshold(cosine[tuning, i], truth[tuning])
        said = {
            "classifier (default)": default.score(vectors) >= default.threshold,
            "centroid, calibrated threshold": cosine[:, i] >= calibrated,
            "keyword query": np.array([queries[theme](t) for t in texts]),
            "current (centroid, 0.3, nearest)": (nearest == i) & (cosine[:, i] >= CURRENT_THRESHOLD),
            "ablation: classifier without description": (no_description.score(vectors)
                                                         >= no_description.threshold),
            "ablation: classifier, score-band labels only": (first_stage.score(vectors)
                                                             >= first_stage.threshold),
        }
        methods = {}
        for name, predicted in said.items():
            methods[name] = {subset: with_intervals(predicted[mask], truth[mask], rng)
                             for subset, mask in subsets.items()}
        result["themes"][theme] = {
            "methods": methods,
            "classifier": {"C": c, "cv_f1_by_C": c_scores, "threshold": round(default.threshold, 4),
                           "tuning_cv": default.quality()},
            "centroid_threshold": round(calibrated, 4),
            "confusions": confusions(labels, said["classifier (default)"], theme, held),
        }
    result["agreement"] = agreement(labels, rng)
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
    for theme, part in result["themes"].items():
        print(f"\n{theme} (held-out positives {result['labels']['held_out_positives'][theme]};"
              f" classifier C={part['classifier']['C']})")
        base = {name: m["all held-out"]["f1"] for name, m in part["methods"].items()}
        default = base["classifier (default)"]
        for name, m in part["methods"].items():
            h = m["all held-out"]
            ratio = (f"  F1 x{default / h['f1']:.2f} for the default"
                     if h["f1"] and name != "classifier (default)" else "")
            print(f"  {name:46s} P {h['precision']} [{h['precision_low']}, {h['precision_high']}]"
                  f"  R {h['recall']} [{h['recall_low']}, {h['recall_high']}]"
                  f"  F1 {h['f1']} [{h['f1_low']}, {h['f1_high']}]{ratio}")
    if result.get("agreement"):
        print("\nagreement (Cohen's kappa, second reading):")
        for theme, k in result["agreement"].items():
            print(f"  {theme}: {k['kappa']} [{k['kappa_low']}, {k['kappa_high']}] on {k['n']}")


SHOWN = ["classifier (default)", "centroid, calibrated threshold", "keyword query",
         "current (centroid, 0.3, nearest)", "ablation: classifier without description",
         "ablation: classifier, score-band labels only"]


def readme_block(result: dict) -> str:
    """The README's table: every method on the held-out quarter, per theme, with intervals."""
    def cell(h: dict, name: str) -> str:
        value = h[name]
        return "–" if value is None else f"{value:.2f} [{h[name + '_low']:.2f}, {h[name + '_high']:.2f}]"

    lines = ["| theme (held-out in / all) | method | precision [95%] | recall [95%] | F1 [95%] |",
             "|---|---|---|---|---|"]
    labels = result["labels"]
    for theme, part in result["themes"].items():
        first = f"{theme} ({labels['held_out_positives'][theme]} / {labels['held_out']})"
        for name in SHOWN:
            h = part["methods"][name]["all held-out"]
            shown = f"**{name}**" if name == "classifier (default)" else name
            lines.append(f"| {first} | {shown} | {cell(h, 'precision')} | {cell(h, 'recall')} "
                         f"| {cell(h, 'f1')} |")
            first = ""
    agreement = result.get("agreement") or {}
    if agreement:
        lines.append("")
        lines.append("Agreement of two readers on " + f"{next(iter(agreement.values()))['n']}"
                     " paragraphs read blind, Cohen's kappa [95%]: " + "; ".join(
                         f"{t} {k['kappa']:.2f} [{k['kappa_low']:.2f}, {k['kappa_high']:.2f}]"
                         for t, k in agreement.items()) + ".")
    return "\n".join(lines)


def bundle() -> Path:
    """The tuning labels and their vectors (no text) as the build's bundled examples."""
    labels, vectors, _, _ = labelled()
    tuning = (labels["split"] == "tuning").to_numpy()
    path = bundled_path(EXAMPLES_DIR, MODEL)
    write_bundled(path, labels.loc[tuning, "hash"].tolist(), vectors[tuning],
                  np.ones(int(tuning.sum())),
                  {t: labels.loc[tuning, t].to_numpy() for t in THEME_NAMES})
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bundle", action="store_true",
                        help="write data/theme_examples/<model>.parquet from the tuning labels")
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
