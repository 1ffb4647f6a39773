"""Theme detectors: each theme's description, taught by labelled paragraphs.

A theme starts from its description alone: a paragraph's score is its cosine similarity to the
mean of the description's sentence vectors, and it has the theme when the score reaches the
themes file's threshold. Once the theme has MIN_POSITIVE labelled paragraphs in it and as many
out of it (the bundled examples in data/theme_examples, read against data/codebook.md, and the
labels people give in the dashboard, kept in the store), a logistic regression on the paragraph
vectors takes over; the description's sentences join its positive examples. Its threshold is
the one that maximises F1 on out-of-fold scores from K-fold cross-validation, and those
out-of-fold scores are kept: they give the detector's precision and recall, and the error rates
the corrected shares of analysis.quantify use.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold

from framing_atlas.errors import AtlasError
from framing_atlas.pipeline.embed import Encoder, embed
from framing_atlas.pipeline.query import query_hits
from framing_atlas.store import (DETECTED_PREFIX, IN_THEME, NO_THEME, SCORE_PREFIX, TEXT,
                                 TEXT_HASH, THEME, VectorCache)

MIN_POSITIVE = 5  # labelled paragraphs in (and out of) a theme before a classifier is trained
FOLDS = 5
# Inverse regularisation strengths tried; each theme's classifier takes the one whose
# cross-validated F1 is highest on its own labels (ties: the stronger regularisation).
C_GRID = (0.3, 1.0, 3.0, 10.0, 30.0)
SEED = 15
# Bundled examples: data/theme_examples/<model slug>.parquet with text_hash, weight, vector and
# one 0/1 column per theme (only themes it has a column for use it).
WEIGHT = "weight"
VECTOR = "vector"
QUERY_PREFIX = "query_"  # query_<theme>: 1 if the example matches the theme's query
SOURCE = "source"
BUNDLED, USER, DESCRIPTION = "bundled", "user", "description"


@dataclass(frozen=True)
class Examples:
    """Labelled paragraphs of one theme: unit vectors, truth (1 in, 0 out), sampling weight (for
    error rates: bundled examples carry their design weight, people's labels 1) and source."""

    vectors: np.ndarray
    truth: np.ndarray
    weight: np.ndarray
    source: np.ndarray
    hits: np.ndarray | None = None  # whether each matches the theme's query (None: not known)

    @classmethod
    def empty(cls, dim: int) -> "Examples":
        return cls(np.zeros((0, dim), np.float32), np.zeros(0, np.int8), np.zeros(0),
                   np.zeros(0, dtype=object), np.zeros(0, bool))

    def __len__(self) -> int:
        return len(self.truth)

    def subset(self, rows: np.ndarray) -> "Examples":
        return Examples(self.vectors[rows], self.truth[rows], self.weight[rows],
                        self.source[rows], None if self.hits is None else self.hits[rows])

    def plus(self, other: "Examples") -> "Examples":
        hits = (None if self.hits is None or other.hits is None
                else np.concatenate([self.hits, other.hits]))
        return Examples(np.vstack([self.vectors, other.vectors]),
                        np.concatenate([self.truth, other.truth]),
                        np.concatenate([self.weight, other.weight]),
                        np.concatenate([self.source, other.source]), hits)


@dataclass(frozen=True)
class Detector:
    """How one theme is detected, and how well (out-of-fold results on its labels)."""

    name: str
    method: str  # "classifier" or "description"
    threshold: float
    centroid: np.ndarray
    coef: np.ndarray | None = None
    intercept: float = 0.0
    n_labels: int = 0
    n_positive: int = 0
    n_user: int = 0
    oof_score: np.ndarray = field(default_factory=lambda: np.zeros(0))
    oof_truth: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int8))
    oof_weight: np.ndarray = field(default_factory=lambda: np.zeros(0))
    query: str | None = None  # set when the classifier uses the query's match as a feature
    c: float | None = None  # the classifier's regularisation, chosen by cross-validation

    def score(self, vectors: np.ndarray, texts: Sequence[str] | None = None) -> np.ndarray:
        """Probability of the theme (classifier) or cosine to the description (description).
        A classifier that uses its theme's query needs the texts."""
        if len(vectors) == 0:
            return np.zeros(0, np.float32)
        if self.coef is None:
            return (vectors @ self.centroid).astype(np.float32)
        if self.query is None:
            return _sigmoid(vectors @ self.coef + self.intercept).astype(np.float32)
        if texts is None:
            raise ValueError(f"theme '{self.name}': its detector needs the paragraphs' texts")
        hits = query_hits(texts, self.query)
        return _sigmoid(features(vectors, hits) @ self.coef + self.intercept).astype(np.float32)

    def quality(self) -> dict:
        """Cross-validated precision, recall, F1, and the weighted true- and false-positive rates
        (None where the labels cannot tell)."""
        return rates(self.oof_score, self.oof_truth, self.oof_weight, self.threshold)

    def document(self) -> dict:
        """What the build's themes.json keeps of the detector (no vectors, no text)."""
        return {"method": self.method, "threshold": round(float(self.threshold), 6),
                "uses_query": self.query is not None, "C": self.c,
                "n_labels": self.n_labels, "n_positive": self.n_positive, "n_user": self.n_user,
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
    if hits is None:
        return vectors
    return np.hstack([vectors, np.asarray(hits, dtype=vectors.dtype).reshape(-1, 1)])


def train_detector(name: str, centroid: np.ndarray, examples: Examples, *,
                   description: np.ndarray | None = None,
                   description_hits: np.ndarray | None = None, query: str | None = None,
                   default_threshold: float, min_positive: int = MIN_POSITIVE,
                   folds: int = FOLDS, c: float | None = None, use_query: bool | None = None,
                   seed: int = SEED) -> Detector:
    """A classifier when `examples` has at least `min_positive` paragraphs in and out of the
    theme, else the description's centroid with `default_threshold` (its error rates then come
    from whatever labels there are). With a `query` whose matches are known for every example
    (and description sentence), a classifier that also weighs whether a paragraph matches it
    is tried too, and kept if its cross-validated F1 is higher (`use_query` True or False
    forces the choice). `c` None: chosen from C_GRID by cross-validated F1."""
    truth = examples.truth.astype(np.int8)
    counts = {"n_labels": len(examples), "n_positive": int(truth.sum()),
              "n_user": int((examples.source == USER).sum())}
    if min(int(truth.sum()), int((truth == 0).sum())) < max(min_positive, folds):
        scores = examples.vectors @ centroid if len(examples) else np.zeros(0)
        return Detector(name, DESCRIPTION, default_threshold, centroid, oof_score=scores,
                        oof_truth=truth, oof_weight=examples.weight, **counts)
    if description is None:
        description = np.zeros((0, examples.vectors.shape[1]), np.float32)
        description_hits = np.zeros(0, bool)
    usable = query is not None and examples.hits is not None and description_hits is not None
    splits = list(StratifiedKFold(folds, shuffle=True, random_state=seed).split(
        examples.vectors, truth))
    best: tuple[float, bool, float, np.ndarray] | None = None
    # Vectors alone, and (if the theme has a query whose matches are known for every example)
    # vectors and the query's match; each at every C: the best cross-validated F1 wins, ties
    # going to the simpler model (no query, stronger regularisation).
    for with_query in ((False, True) if usable and use_query is not False else (False,)):
        if use_query and not with_query and usable:
            continue
        x = features(examples.vectors, examples.hits if with_query else None)
        extra = features(description, description_hits if with_query else None)
        for strength in (C_GRID if c is None else (c,)):
            oof = np.zeros(len(examples))
            for train, test in splits:
                oof[test] = _fit(x[train], truth[train], extra,
                                 strength).predict_proba(x[test])[:, 1]
            f1 = rates(oof, truth, np.ones(len(truth)), best_threshold(oof, truth))["f1"] or 0.0
            if best is None or f1 > best[0] + 1e-9:
                best = (f1, with_query, strength, oof)
    _, with_query, c, oof = best
    x = features(examples.vectors, examples.hits if with_query else None)
    extra = features(description, description_hits if with_query else None)
    threshold = best_threshold(oof, truth)
    model = _fit(x, truth, extra, c)
    return Detector(name, "classifier", threshold, centroid, coef=model.coef_[0].astype(np.float64),
                    intercept=float(model.intercept_[0]), oof_score=oof, oof_truth=truth,
                    oof_weight=examples.weight, query=query if with_query else None, c=c,
                    **counts)


def _fit(x: np.ndarray, truth: np.ndarray, description: np.ndarray,
         c: float) -> LogisticRegression:
    x = np.vstack([x, description])
    y = np.concatenate([truth, np.ones(len(description), np.int8)])
    # liblinear: the same L2 logistic regression, several times faster than lbfgs at this size.
    return LogisticRegression(C=c, class_weight="balanced", solver="liblinear",
                              max_iter=3000).fit(x, y)


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-z))


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


# Where the examples come from ----------------------------------------------------------------
def bundled_path(folder: Path, model: str) -> Path:
    slug = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in model)[-80:]
    return Path(folder) / f"{slug}.parquet"


def read_bundled(path: Path, names: list[str],
                 queries: dict[str, str | None] | None = None) -> dict[str, Examples]:
    """The bundled examples for each theme in `names` that the file has a column for; with
    their query matches where the file has them for the same query as `queries` gives."""
    path = Path(path)
    if not path.is_file():
        return {}
    try:
        table = pq.read_table(path)
    except Exception as err:  # a damaged file: say which, do not guess
        raise AtlasError(f"cannot read the bundled theme examples: {err}", file=path) from None
    missing = [c for c in (TEXT_HASH, WEIGHT, VECTOR) if c not in table.column_names]
    if missing:
        raise AtlasError(f"bundled theme examples lack column(s) {', '.join(missing)}", file=path)
    flat = table.column(VECTOR).combine_chunks()
    vectors = flat.values.to_numpy(zero_copy_only=False).reshape(len(table), flat.type.list_size)
    vectors = vectors.astype(np.float32)
    weight = table.column(WEIGHT).to_numpy().astype(float)
    metadata = table.schema.metadata or {}
    shipped_queries = json.loads(metadata.get(b"queries", b"{}"))
    queries = queries or {}
    out = {}
    for name in names:
        if name in table.column_names:
            truth = table.column(name).to_numpy()
            known = ~pd.isna(truth)
            hits = None
            if (queries.get(name) and shipped_queries.get(name) == queries[name]
                    and f"{QUERY_PREFIX}{name}" in table.column_names):
                hits = table.column(f"{QUERY_PREFIX}{name}").to_numpy()[known].astype(bool)
            out[name] = Examples(vectors[known], truth[known].astype(np.int8), weight[known],
                                 np.full(int(known.sum()), BUNDLED, dtype=object), hits)
    return out


def write_bundled(path: Path, hashes: list[str], vectors: np.ndarray, weight: np.ndarray,
                  truth: dict[str, np.ndarray],
                  hits: dict[str, tuple[str, np.ndarray]] | None = None) -> None:
    """Write bundled examples (used by bench/themes.py --bundle): no text, only hashes, and per
    theme, if given, the query and which examples match it."""
    import pyarrow as pa

    from framing_atlas.store import _write_atomic

    vectors = np.ascontiguousarray(vectors, dtype=np.float32)
    columns = {TEXT_HASH: pa.array(hashes, pa.string()),
               WEIGHT: pa.array(np.asarray(weight, float)),
               VECTOR: pa.FixedSizeListArray.from_arrays(pa.array(vectors.reshape(-1)),
                                                         vectors.shape[1])}
    columns.update({name: pa.array(np.asarray(v, np.int8)) for name, v in truth.items()})
    hits = hits or {}
    columns.update({f"{QUERY_PREFIX}{name}": pa.array(np.asarray(h, np.int8))
                    for name, (_, h) in hits.items()})
    table = pa.table(columns).replace_schema_metadata(
        {"queries": json.dumps({name: q for name, (q, _) in hits.items()})})
    _write_atomic(Path(path), lambda tmp: pq.write_table(table, tmp))


def user_examples(labels: pd.DataFrame, names: list[str], *, encoder: Encoder,
                  cache: VectorCache | None, dim: int, batch_size: int = 64,
                  queries: dict[str, str | None] | None = None) -> dict[str, Examples]:
    """The store's labels (store.LABEL_COLUMNS) as examples per theme; their vectors come from
    the cache (texts already built) or are embedded from the label's text."""
    labels = labels[labels[THEME].isin(names)]
    out = {name: Examples.empty(dim) for name in names}  # no labels: hits trivially known
    if labels.empty:
        return out
    vectors, _ = embed(labels[TEXT].astype(str).tolist(), encoder=encoder, cache=cache,
                       batch_size=batch_size)
    for name in names:
        mine = (labels[THEME] == name).to_numpy()
        if mine.any():
            query = (queries or {}).get(name)
            hits = (query_hits(labels[TEXT].astype(str).to_numpy()[mine], query)
                    if query else None)
            out[name] = Examples(vectors[mine], labels[IN_THEME].to_numpy()[mine].astype(np.int8),
                                 np.ones(int(mine.sum())),
                                 np.full(int(mine.sum()), USER, dtype=object), hits)
    return out
