"""Theme detectors: each theme's description, taught by labelled paragraphs.

A theme starts from its description alone: a paragraph's score is its cosine similarity to the
mean of the description's sentence vectors, and it has the theme when the score reaches the
themes file's threshold. Once a theme has MIN_POSITIVE labelled paragraphs in it and as many
out of it, a logistic regression on the paragraph vectors takes over; the description's
sentences join its positive examples. Its threshold is the one that maximises F1 on
out-of-fold scores from K-fold cross-validation, and those out-of-fold scores are kept: they
give the detector's precision and recall, and the error rates the corrected shares of
analysis.quantify use.

The three themes of data/themes.toml come with such a classifier already trained: the shipped
model (data/theme_models/<model>.json, written by bench/themes.py --bundle from the labelled
paragraphs in bench/labels, read against data/codebook.md). It holds weights and out-of-fold
results, no vectors and no text. A theme whose description and query are as shipped uses it as
it is; the labels people give measure it on their own corpus (they join its out-of-fold
results), and once there are MIN_POSITIVE in and out, a classifier trained on them, with the
shipped model's logit as one more feature (stacking), replaces it where its cross-validated F1
on those labels is higher.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

import numpy as np
import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold

from framing_atlas.errors import AtlasError
from framing_atlas.pipeline.embed import Encoder, embed
from framing_atlas.pipeline.query import query_hits
from framing_atlas.store import (DETECTED_PREFIX, IN_THEME, NO_THEME, SCORE_PREFIX, TEXT,
                                 TEXT_HASH, THEME, VectorCache)

log = logging.getLogger(__name__)

MIN_POSITIVE = 5  # labelled paragraphs in (and out of) a theme before a classifier is trained
FOLDS = 5
# Inverse regularisation strengths tried; each theme's classifier takes the one whose
# cross-validated F1 is highest on its own labels (ties: the stronger regularisation).
C_GRID = (0.3, 1.0, 3.0, 10.0, 30.0)
SEED = 15
LABELLED, USER, DESCRIPTION = "labelled", "user", "description"  # Examples.source
# Where a detector's knowledge comes from (Detector.source).
FROM_DESCRIPTION, FROM_LABELS, FROM_SHIPPED, FROM_PEOPLE, FROM_BOTH = (
    "description", "labelled paragraphs", "shipped model", "people's labels",
    "people's labels and the shipped model")
CHANGED = ("its description or query differs from the shipped model's, so that model is only "
           f"one feature of a classifier trained on people's labels ({MIN_POSITIVE} in and "
           f"{MIN_POSITIVE} out needed)")


@dataclass(frozen=True)
class Examples:
    """Labelled paragraphs of one theme: unit vectors, truth (1 in, 0 out), sampling weight (for
    error rates; people's labels weigh 1) and source; optionally whether each matches the
    theme's query and the shipped model's logit for each."""

    vectors: np.ndarray
    truth: np.ndarray
    weight: np.ndarray
    source: np.ndarray
    hits: np.ndarray | None = None  # whether each matches the theme's query (None: not known)
    logit: np.ndarray | None = None  # the shipped model's logit (None: no shipped model)

    @classmethod
    def empty(cls, dim: int) -> "Examples":
        return cls(np.zeros((0, dim), np.float32), np.zeros(0, np.int8), np.zeros(0),
                   np.zeros(0, dtype=object), np.zeros(0, bool))

    def __len__(self) -> int:
        return len(self.truth)


@dataclass(frozen=True)
class Shipped:
    """A theme's classifier as shipped in data/theme_models: trained on the labelled paragraphs
    of bench/labels with this description and query; its weights (vectors, then the query's
    match if it uses it) and its out-of-fold results on those labels."""

    name: str
    description: tuple[str, ...]
    query: str | None
    uses_query: bool
    coef: np.ndarray
    intercept: float
    threshold: float
    c: float | None
    n_labels: int
    n_positive: int
    oof_score: np.ndarray
    oof_truth: np.ndarray
    oof_weight: np.ndarray

    @property
    def dimensions(self) -> int:
        return len(self.coef) - int(self.uses_query)

    @classmethod
    def from_document(cls, name: str, entry: dict) -> "Shipped":
        oof = entry["oof"]
        return cls(name, tuple(entry["description"]), entry.get("query"),
                   bool(entry["uses_query"]), np.asarray(entry["coef"], np.float64),
                   float(entry["intercept"]), float(entry["threshold"]), entry.get("C"),
                   int(entry["n_labels"]), int(entry["n_positive"]),
                   np.asarray(oof["score"], float), np.asarray(oof["truth"], np.int8),
                   np.asarray(oof["weight"], float))

    def matches(self, description: Sequence[str], query: str | None) -> bool:
        """Whether a theme with this description and query is the one the model was taught."""
        return tuple(description) == self.description and query == self.query

    def logit(self, vectors: np.ndarray, texts: Sequence[str] | None) -> np.ndarray:
        hits = None
        if self.uses_query:
            if texts is None:
                raise ValueError(f"theme '{self.name}': the shipped model needs the texts")
            hits = query_hits(texts, self.query)
        return features(vectors, hits) @ self.coef + self.intercept


@dataclass(frozen=True)
class Detector:
    """How one theme is detected, and how well (out-of-fold results on its labels)."""

    name: str
    method: str  # "classifier" or "description"
    threshold: float
    centroid: np.ndarray
    coef: np.ndarray | None = None
    intercept: float = 0.0
    n_labels: int = 0  # the labels its out-of-fold results rest on
    n_positive: int = 0
    n_user: int = 0  # of them, people's
    oof_score: np.ndarray = field(default_factory=lambda: np.zeros(0))
    oof_truth: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int8))
    oof_weight: np.ndarray = field(default_factory=lambda: np.zeros(0))
    query: str | None = None  # set when the classifier uses the query's match as a feature
    c: float | None = None  # the classifier's regularisation, chosen by cross-validation
    uses_vectors: bool = True  # False: the classifier only recalibrates the shipped logit
    base: Shipped | None = None  # set when the shipped model's logit is a feature
    n_shipped: int = 0  # the labels of the shipped model it is or builds on
    source: str = FROM_DESCRIPTION
    note: str = ""

    def score(self, vectors: np.ndarray, texts: Sequence[str] | None = None) -> np.ndarray:
        """Probability of the theme (classifier) or cosine to the description (description).
        A classifier that uses a query needs the texts."""
        if len(vectors) == 0:
            return np.zeros(0, np.float32)
        if self.coef is None:
            return (vectors @ self.centroid).astype(np.float32)
        if (self.query is not None or (self.base is not None and self.base.uses_query)) \
                and texts is None:
            raise ValueError(f"theme '{self.name}': its detector needs the paragraphs' texts")
        hits = query_hits(texts, self.query) if self.query is not None else None
        logit = self.base.logit(vectors, texts) if self.base is not None else None
        x = design(vectors if self.uses_vectors else None, hits, logit, len(vectors))
        return _sigmoid(x @ self.coef + self.intercept).astype(np.float32)

    def quality(self) -> dict:
        """Cross-validated precision, recall, F1, and the weighted true- and false-positive rates
        (None where the labels cannot tell)."""
        return rates(self.oof_score, self.oof_truth, self.oof_weight, self.threshold)

    def document(self) -> dict:
        """What the build's themes.json keeps of the detector (no vectors, no text)."""
        return {"method": self.method, "source": self.source,
                "threshold": round(float(self.threshold), 6),
                "uses_query": self.query is not None, "uses_vectors": self.uses_vectors,
                "uses_shipped_logit": self.base is not None, "C": self.c,
                "n_labels": self.n_labels, "n_positive": self.n_positive, "n_user": self.n_user,
                "n_shipped": self.n_shipped, "note": self.note,
                **self.quality(),
                "oof": {"score": [round(float(s), 5) for s in self.oof_score],
                        "truth": [int(t) for t in self.oof_truth],
                        "weight": [round(float(w), 5) for w in self.oof_weight]}}


def rates(score: np.ndarray, truth: np.ndarray, weight: np.ndarray, threshold: float) -> dict:
    """Precision, recall and F1 of `score >= threshold` (unweighted, per labelled paragraph),
    and the true- and false-positive rates weighted by `weight`."""
    out: dict[str, float | None] = {"precision": None, "recall": None, "f1": None, "tpr": None,
                                    "fpr": None}
    if len(truth) == 0:
        return out
    said = np.asarray(score) >= threshold
    truth = np.asarray(truth).astype(bool)
    weight = np.asarray(weight, dtype=float)
    tp, fp, fn = int((said & truth).sum()), int((said & ~truth).sum()), int((~said & truth).sum())
    if tp + fp:
        out["precision"] = tp / (tp + fp)
    if tp + fn:
        out["recall"] = tp / (tp + fn)
    if out["precision"] is not None and out["recall"] is not None and tp:
        out["f1"] = 2 * tp / (2 * tp + fp + fn)
    elif tp + fp + fn:
        out["f1"] = 0.0
    if weight[truth].sum() > 0:
        out["tpr"] = float(weight[truth & said].sum() / weight[truth].sum())
    if weight[~truth].sum() > 0:
        out["fpr"] = float(weight[~truth & said].sum() / weight[~truth].sum())
    return {k: None if v is None else round(float(v), 6) for k, v in out.items()}


def best_threshold(score: np.ndarray, truth: np.ndarray) -> float:
    """The threshold on `score` that maximises F1 (the midpoint between two scores; ties go to
    the higher threshold, which says less)."""
    order = np.argsort(-score, kind="stable")
    s, t = score[order], truth[order].astype(bool)
    tp = np.cumsum(t)
    fp = np.cumsum(~t)
    f1 = 2 * tp / (tp + fp + t.sum())
    # Only cut between distinct scores.
    cut = np.r_[s[1:] < s[:-1], True]
    f1 = np.where(cut, f1, -1)
    i = int(np.flatnonzero(f1 == f1.max())[0])
    return float((s[i] + s[i + 1]) / 2) if i + 1 < len(s) else float(s[i] - 1e-6)


def features(vectors: np.ndarray, hits: np.ndarray | None) -> np.ndarray:
    """The classifier's input: the vectors, and the query's match (0/1) when it is used."""
    return design(vectors, hits, None, len(vectors))


def design(vectors: np.ndarray | None, hits: np.ndarray | None, logit: np.ndarray | None,
           n: int) -> np.ndarray:
    """A classifier's input columns, each block when given: the vectors, the query's match
    (0/1) and the shipped model's logit."""
    blocks = [] if vectors is None else [np.asarray(vectors)]
    dtype = blocks[0].dtype if blocks else np.float64
    for column in (hits, logit):
        if column is not None:
            blocks.append(np.asarray(column, dtype=dtype).reshape(-1, 1))
    return np.hstack(blocks) if blocks else np.zeros((n, 0))


def train_detector(name: str, centroid: np.ndarray, examples: Examples, *,
                   description: np.ndarray | None = None,
                   description_hits: np.ndarray | None = None, query: str | None = None,
                   base: Shipped | None = None, description_logit: np.ndarray | None = None,
                   default_threshold: float, min_positive: int = MIN_POSITIVE,
                   folds: int = FOLDS, c: float | None = None, use_query: bool | None = None,
                   seed: int = SEED) -> Detector:
    """A classifier when `examples` has at least `min_positive` paragraphs in and out of the
    theme, else the description's centroid with `default_threshold` (its error rates then come
    from whatever labels there are). With a `query` whose matches are known for every example
    (and description sentence), a classifier that also weighs whether a paragraph matches it
    is tried too (`use_query` True or False forces the choice). With a shipped model `base`
    (examples.logit and `description_logit` then hold its logits), classifiers that take its
    logit as one more feature are tried too, and one on the logit alone (a recalibration).
    The candidate with the highest cross-validated F1 is kept, ties going to the simpler one;
    `c` None: chosen from C_GRID the same way."""
    truth = examples.truth.astype(np.int8)
    n_user = int((examples.source == USER).sum())
    counts = {"n_labels": len(examples), "n_positive": int(truth.sum()), "n_user": n_user}
    if min(int(truth.sum()), int((truth == 0).sum())) < max(min_positive, folds):
        scores = examples.vectors @ centroid if len(examples) else np.zeros(0)
        return Detector(name, DESCRIPTION, default_threshold, centroid, oof_score=scores,
                        oof_truth=truth, oof_weight=examples.weight, **counts)
    if description is None:
        description = np.zeros((0, examples.vectors.shape[1]), np.float32)
        description_hits = np.zeros(0, bool)
        description_logit = None if base is None else np.zeros(0)
    usable = query is not None and examples.hits is not None and description_hits is not None
    queries = (False, True) if usable and use_query is not False else (False,)
    if use_query and usable:
        queries = (True,)
    # (vectors, query's match, shipped logit), simplest first.
    shapes = [(True, q, False) for q in queries]
    if base is not None:
        shapes = [(False, False, True)] + shapes + [(True, q, True) for q in queries]
    splits = list(StratifiedKFold(folds, shuffle=True, random_state=seed).split(
        examples.vectors, truth))

    def inputs(shape, vectors, hits, logit):
        with_vectors, with_query, with_base = shape
        return design(vectors if with_vectors else None, hits if with_query else None,
                      logit if with_base else None, len(vectors))

    best: tuple[float, tuple, float, np.ndarray] | None = None
    for shape in shapes:
        x = inputs(shape, examples.vectors, examples.hits, examples.logit)
        extra = inputs(shape, description, description_hits, description_logit)
        for strength in (C_GRID if c is None else (c,)):
            oof = np.zeros(len(examples))
            for train, test in splits:
                oof[test] = _fit(x[train], truth[train], extra,
                                 strength).predict_proba(x[test])[:, 1]
            f1 = rates(oof, truth, np.ones(len(truth)), best_threshold(oof, truth))["f1"] or 0.0
            if best is None or f1 > best[0] + 1e-9:
                best = (f1, shape, strength, oof)
    _, shape, c, oof = best
    with_vectors, with_query, with_base = shape
    model = _fit(inputs(shape, examples.vectors, examples.hits, examples.logit), truth,
                 inputs(shape, description, description_hits, description_logit), c)
    return Detector(name, "classifier", best_threshold(oof, truth), centroid,
                    coef=model.coef_[0].astype(np.float64), intercept=float(model.intercept_[0]),
                    oof_score=oof, oof_truth=truth, oof_weight=examples.weight,
                    query=query if with_query else None, c=c, uses_vectors=with_vectors,
                    base=base if with_base else None,
                    n_shipped=base.n_labels if with_base else 0,
                    source=FROM_BOTH if with_base else FROM_PEOPLE if n_user else FROM_LABELS,
                    **counts)


def shipped_detector(base: Shipped, centroid: np.ndarray, people: Examples) -> Detector:
    """The shipped model as it is. People's labels (`people`, with their logits) measure it on
    their corpus: they join its out-of-fold results, which set the threshold (the shipped one
    when there are none)."""
    score = np.concatenate([base.oof_score, _sigmoid(people.logit) if len(people) else []])
    truth = np.concatenate([base.oof_truth, people.truth]).astype(np.int8)
    weight = np.concatenate([base.oof_weight, people.weight])
    threshold = best_threshold(score, truth) if len(people) else base.threshold
    return Detector(base.name, "classifier", threshold, centroid, coef=base.coef,
                    intercept=base.intercept, n_labels=len(truth), n_positive=int(truth.sum()),
                    n_user=len(people), oof_score=score, oof_truth=truth, oof_weight=weight,
                    query=base.query if base.uses_query else None, c=base.c,
                    n_shipped=base.n_labels, source=FROM_SHIPPED)


def choose(shipped: Detector | None, trained: Detector | None, people: Examples) -> Detector:
    """The shipped model as it is, unless the classifier trained on people's labels has the
    higher F1 on them (its cross-validated one against the shipped model's, each at its best
    threshold on those labels: the shipped model never saw them)."""
    if shipped is None or trained is None or trained.method != "classifier":
        return shipped or trained
    own = _sigmoid(people.logit)
    theirs = rates(own, people.truth, people.weight, best_threshold(own, people.truth))["f1"]
    return trained if (trained.quality()["f1"] or 0.0) > (theirs or 0.0) + 1e-9 else shipped


def _fit(x: np.ndarray, truth: np.ndarray, description: np.ndarray,
         c: float) -> LogisticRegression:
    x = np.vstack([x, description])
    y = np.concatenate([truth, np.ones(len(description), np.int8)])
    # liblinear: the same L2 logistic regression, several times faster than lbfgs at this size.
    return LogisticRegression(C=c, class_weight="balanced", solver="liblinear",
                              max_iter=3000).fit(x, y)


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-z))


def detection_columns(detectors: list[Detector]) -> list[str]:
    """The columns detect adds, in its order."""
    return [f"{prefix}{d.name}" for d in detectors
            for prefix in (SCORE_PREFIX, DETECTED_PREFIX)] + [THEME]


def detect(vectors: np.ndarray, detectors: list[Detector],
           texts: Sequence[str] | None = None) -> pd.DataFrame:
    """Needs unit paragraph vectors; returns per theme score_<name> and has_<name> (score at or
    above the detector's threshold), and `theme`: of the themes a paragraph has, the one it
    clears by the widest margin, else "none"."""
    table, margins = {}, []
    for d in detectors:
        score = d.score(vectors, texts)
        table[f"{SCORE_PREFIX}{d.name}"] = score
        table[f"{DETECTED_PREFIX}{d.name}"] = score >= d.threshold
        margins.append(score - d.threshold)
    frame = pd.DataFrame(table)
    if detectors:
        margin = np.vstack(margins).T
        best = margin.argmax(axis=1)
        names = np.asarray([d.name for d in detectors], dtype=object)
        frame[THEME] = np.where(margin[np.arange(len(margin)), best] >= 0, names[best],
                                NO_THEME).astype(str)
    else:
        frame[THEME] = pd.Series([NO_THEME] * len(vectors), dtype=str)
    return frame


# The shipped models ---------------------------------------------------------------------------
def shipped_path(folder: Path, model: str) -> Path:
    slug = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in model)[-80:]
    return Path(folder) / f"{slug}.json"


def read_shipped(path: Path, dim: int) -> dict[str, Shipped]:
    """The shipped model of each theme in the file at `path` (none if there is no file, or if
    its models were trained on vectors of another size than `dim`)."""
    path = Path(path)
    if not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        models = {name: Shipped.from_document(name, entry)
                  for name, entry in data["themes"].items()}
    except (ValueError, KeyError, TypeError, AttributeError) as err:
        raise AtlasError(f"cannot read the shipped theme models: {err!r}", file=path) from None
    if any(m.dimensions != dim for m in models.values()):
        log.warning("%s: its models are for %s-dimensional vectors, not %d: not used", path,
                    sorted({m.dimensions for m in models.values()}), dim)
        return {}
    return models


def write_shipped(path: Path, model: str, detectors: list[Detector],
                  themes: dict[str, tuple[tuple[str, ...], str | None]], about: str) -> None:
    """Write trained detectors as the shipped models (bench/themes.py --bundle): per theme the
    description and query it was trained with (`themes`), its weights, threshold and
    out-of-fold results; no vectors, no text, no paragraph hashes."""
    from framing_atlas.store import _write_atomic

    document = {"about": about, "model": model, "themes": {}}
    for d in detectors:
        if d.coef is None:
            raise ValueError(f"theme '{d.name}' has no classifier to ship")
        description, query = themes[d.name]
        document["themes"][d.name] = {
            "description": list(description), "query": query,
            "uses_query": d.query is not None, "C": d.c, "threshold": float(d.threshold),
            "intercept": float(d.intercept), "coef": [float(v) for v in d.coef],
            "n_labels": d.n_labels, "n_positive": d.n_positive,
            "oof": {"score": [round(float(s), 6) for s in d.oof_score],
                    "truth": [int(t) for t in d.oof_truth],
                    "weight": [float(w) for w in d.oof_weight]}}
    text = json.dumps(document, separators=(",", ":")) + "\n"
    _write_atomic(Path(path), lambda tmp: Path(tmp).write_text(text, encoding="utf-8"))


def user_examples(labels: pd.DataFrame, names: list[str], *, encoder: Encoder,
                  cache: VectorCache | None, dim: int, batch_size: int = 64,
                  queries: dict[str, str | None] | None = None,
                  shipped: dict[str, Shipped] | None = None) -> dict[str, Examples]:
    """The store's labels (store.LABEL_COLUMNS) as examples per theme; their vectors come from
    the cache (texts already built) or are embedded from the label's text. Where a theme has a
    `shipped` model, each example carries its logit."""
    labels = labels[labels[THEME].isin(names)]
    out = {name: Examples.empty(dim) for name in names}  # no labels: hits trivially known
    if labels.empty:
        return out
    vectors, _ = embed(labels[TEXT].astype(str).tolist(), encoder=encoder, cache=cache,
                       batch_size=batch_size)
    texts = labels[TEXT].astype(str).to_numpy()
    for name in names:
        mine = (labels[THEME] == name).to_numpy()
        if mine.any():
            query = (queries or {}).get(name)
            hits = query_hits(texts[mine], query) if query else None
            base = (shipped or {}).get(name)
            logit = base.logit(vectors[mine], texts[mine]) if base is not None else None
            out[name] = Examples(vectors[mine], labels[IN_THEME].to_numpy()[mine].astype(np.int8),
                                 np.ones(int(mine.sum())),
                                 np.full(int(mine.sum()), USER, dtype=object), hits, logit)
    return out
