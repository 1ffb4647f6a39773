"""Frame axes: where each paragraph sits between two opposite framings (SemAxis-style).

An axis has two poles, each described by a few sentences ("NATO is a defensive alliance" against
"NATO expansion encircles Russia"). A paragraph's position on the axis is the cosine between its
embedding and the direction from pole a's centre to pole b's centre (An, Kwak & Ahn 2018,
"SemAxis"): positive leans toward pole b, negative toward pole a, 0 is neither (or off-topic).
Positions compare paragraphs and groups with each other; they are not probabilities, and a
value near 0 says nothing about whether a paragraph is on the story at all.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping, Sequence

import numpy as np
import pandas as pd

from framing_atlas.embed import Encoder, embed
from framing_atlas.errors import AtlasError, require_columns
from framing_atlas.tomlfiles import block_name, read_blocks
from framing_atlas.analysis.stats import MIN_ARTICLES, N_BOOT, percentile_interval, resample_weights
from framing_atlas.store import ARTICLE_ID, VectorCache
from framing_atlas.themes import theme_centroids

log = logging.getLogger(__name__)

AXIS_PREFIX = "axis_"
SUMMARY_COLUMNS = ["group", "paragraphs", "articles", "mean", "low", "high", "thin"]


@dataclass(frozen=True)
class Pole:
    label: str
    sentences: tuple[str, ...]


@dataclass(frozen=True)
class Axis:
    name: str
    label: str
    a: Pole
    b: Pole


@dataclass(frozen=True)
class EffectSize:
    """Cohen's d of a against b, with a bootstrap interval [low, high]."""

    d: float
    low: float
    high: float
    n_a: int
    n_b: int


def axis_column(name: str) -> str:
    return f"{AXIS_PREFIX}{name}"


def read_axes(path: Path) -> list[Axis]:
    """Axes from a TOML file of [[axes]] blocks, each with name, label, [axes.a] and [axes.b]
    (label and sentences); says exactly what is wrong where."""
    path = Path(path)
    data, entries = read_blocks(path, "axes", needs="name, [axes.a] and [axes.b]")
    axes, seen = [], set()
    for number, entry in enumerate(entries, start=1):
        where = f"axis {number}"
        name = block_name(entry, where=where, seen=seen, path=path, example="nato")
        poles = [_read_pole(entry.get(side), f"{where} ('{name}'): pole '{side}'", path)
                 for side in ("a", "b")]
        axes.append(Axis(name, str(entry.get("label") or name.replace("_", " ")), *poles))
    return axes


def _read_pole(entry: object, where: str, path: Path) -> Pole:
    if not isinstance(entry, dict):
        raise AtlasError(f"{where} is missing: add a table with label and sentences", file=path)
    sentences = entry.get("sentences")
    if isinstance(sentences, str):
        sentences = [sentences]
    if (not isinstance(sentences, list) or not sentences
            or not all(isinstance(s, str) and s.strip() for s in sentences)):
        raise AtlasError(f"{where}: sentences must be a list of sentences", file=path)
    label = entry.get("label")
    if label is not None and (not isinstance(label, str) or not label.strip()):
        raise AtlasError(f"{where}: label must be text, got {label!r}", file=path)
    sentences = tuple(s.strip() for s in sentences)
    return Pole(label.strip() if label else sentences[0], sentences)


def embed_poles(axes: Sequence[Axis], *, encoder: Encoder, cache: VectorCache | None = None
                ) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Each axis's pole sentences as unit vectors: {name: (pole a vectors, pole b vectors)}.

    With a cache (the store's, as build.py uses for theme sentences) nothing is re-embedded.
    """
    sentences = [s for axis in axes for pole in (axis.a, axis.b) for s in pole.sentences]
    vectors, _ = embed(sentences, encoder=encoder, cache=cache)
    result, start = {}, 0
    for axis in axes:
        middle = start + len(axis.a.sentences)
        end = middle + len(axis.b.sentences)
        result[axis.name] = (vectors[start:middle], vectors[middle:end])
        start = end
    return result


def axis_direction(a_vectors: np.ndarray, b_vectors: np.ndarray) -> np.ndarray:
    """Unit vector from pole a's centre to pole b's centre (each centre a normalised mean)."""
    a_centre, b_centre = theme_centroids([np.asarray(a_vectors), np.asarray(b_vectors)])
    direction = b_centre - a_centre
    norm = np.linalg.norm(direction)
    if norm < 1e-9:
        raise AtlasError("the two poles of an axis have the same centre: describe them with "
                         "different sentences")
    return direction / norm


def axis_positions(vectors: np.ndarray,
                   pole_vectors: Mapping[str, tuple[np.ndarray, np.ndarray]]) -> pd.DataFrame:
    """Needs paragraph vectors; returns one column axis_<name> per axis, in [-1, 1].

    Position = cosine between the paragraph vector and (centre of pole b − centre of pole a):
    positive leans toward pole b, negative toward pole a. `pole_vectors` maps each axis name to
    its (pole a sentence vectors, pole b sentence vectors), as embed_poles returns them.
    """
    vectors = np.asarray(vectors, dtype=np.float64)
    norms = np.linalg.norm(vectors, axis=1) if len(vectors) else np.zeros(0)
    norms = np.where(norms == 0, 1.0, norms)
    columns = {}
    for name, (a_vectors, b_vectors) in pole_vectors.items():
        direction = axis_direction(a_vectors, b_vectors)
        columns[axis_column(name)] = ((vectors @ direction) / norms if len(vectors)
                                      else np.zeros(0)).astype(np.float32)
    return pd.DataFrame(columns, index=pd.RangeIndex(len(vectors)))


def axis_summary(paragraphs: pd.DataFrame, *, group_col: str, axis: str,
                 article_col: str = ARTICLE_ID, n_boot: int = N_BOOT, seed: int = 0,
                 level: float = 0.95, min_articles: int = MIN_ARTICLES) -> pd.DataFrame:
    """Needs `group_col`, `article_col` and axis_<axis>; one row per group: group, paragraphs,
    articles, mean, low, high, thin.

    `mean` is the mean position of the group's paragraphs; [low, high] a percentile bootstrap
    interval drawing the group's articles with replacement (each with all its paragraphs).
    A group with fewer than `min_articles` articles is `thin`: its mean, no interval (NaN),
    as in stats.bootstrap_shares. `axis` is the axis name (or its column name axis_<name>).
    """
    column = axis if axis.startswith(AXIS_PREFIX) else axis_column(axis)
    require_columns(paragraphs, [group_col, article_col, column], stage="axis_summary")
    rng = np.random.default_rng(seed)
    rows = []
    for group, members in sorted(paragraphs.groupby(group_col, sort=False),
                                 key=lambda item: str(item[0])):
        sums, counts, _ = _article_sums(members[column].to_numpy(np.float64),
                                        members[article_col].to_numpy())
        thin = len(sums) < min_articles
        if thin:
            low = high = np.nan
        else:
            weights = resample_weights(len(sums), n_boot=n_boot, rng=rng)
            low, high = percentile_interval((weights @ sums) / (weights @ counts), level=level)
        rows.append({"group": group, "paragraphs": len(members), "articles": len(sums),
                     "mean": sums.sum() / counts.sum(), "low": low, "high": high, "thin": thin})
    return pd.DataFrame(rows, columns=SUMMARY_COLUMNS)


def _article_sums(values: np.ndarray, articles: np.ndarray | None
                  ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per article: sum of values, number of values, sum of squares (each value its own unit
    when `articles` is None)."""
    if articles is None:
        return values, np.ones_like(values), values ** 2
    codes = pd.factorize(articles, sort=True)[0]
    return (np.bincount(codes, weights=values), np.bincount(codes).astype(np.float64),
            np.bincount(codes, weights=values ** 2))


def _cohens_d(sums_a, counts_a, squares_a, sums_b, counts_b, squares_b):
    """Cohen's d from sufficient statistics; works on scalars and on bootstrap rows alike."""
    mean_a, mean_b = sums_a / counts_a, sums_b / counts_b
    # Sum of squared deviations = Σx² − n·mean², pooled over both groups (n − 1 each).
    deviations = (squares_a - counts_a * mean_a ** 2) + (squares_b - counts_b * mean_b ** 2)
    with np.errstate(invalid="ignore", divide="ignore"):
        pooled = np.sqrt(np.maximum(deviations, 0) / (counts_a + counts_b - 2))
        return (mean_a - mean_b) / pooled


def effect_size(a_values: Sequence[float] | np.ndarray, b_values: Sequence[float] | np.ndarray,
                *, n_boot: int = N_BOOT, seed: int = 0, level: float = 0.95,
                a_articles: Sequence[object] | None = None,
                b_articles: Sequence[object] | None = None) -> EffectSize:
    """Cohen's d = (mean a − mean b) / pooled SD, with a percentile bootstrap interval.

    Positive d: a's values are larger (on an axis: a leans further toward pole b). The pooled
    SD uses n − 1 in each group. Give `a_articles` and `b_articles` (the article of each value)
    to resample whole articles, as paragraphs of one article are not independent; without them
    each value is resampled on its own. |d| ≈ 0.2 is small, 0.5 medium, 0.8 large (Cohen).
    """
    a = np.asarray(a_values, dtype=np.float64)
    b = np.asarray(b_values, dtype=np.float64)
    if len(a) < 2 or len(b) < 2:
        raise AtlasError(f"effect_size needs at least 2 values on each side, got {len(a)} "
                         f"and {len(b)}")
    for values, articles, side in ((a, a_articles, "a"), (b, b_articles, "b")):
        if articles is not None and len(articles) != len(values):
            raise AtlasError(f"effect_size: {len(values)} {side}_values but {len(articles)} "
                             f"{side}_articles")
    stats_a = _article_sums(a, None if a_articles is None else np.asarray(a_articles))
    stats_b = _article_sums(b, None if b_articles is None else np.asarray(b_articles))
    d = float(_cohens_d(*[s.sum() for s in stats_a], *[s.sum() for s in stats_b]))
    rng = np.random.default_rng(seed)
    weights_a = resample_weights(len(stats_a[0]), n_boot=n_boot, rng=rng)
    weights_b = resample_weights(len(stats_b[0]), n_boot=n_boot, rng=rng)
    boot = _cohens_d(*[weights_a @ s for s in stats_a], *[weights_b @ s for s in stats_b])
    boot = boot[np.isfinite(boot)]  # a resample of one repeated value has no spread
    low, high = percentile_interval(boot, level=level) if len(boot) else (np.nan, np.nan)
    return EffectSize(d, float(low), float(high), len(a), len(b))
