"""Statistics on frame-axis positions: group means with bootstrap intervals, and effect sizes.

The positions themselves (axis_<name> columns, in [-1, 1]) are computed at build time by
pipeline/axes.py; see its docstring for what a position means and does not mean.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np
import pandas as pd

from framing_atlas.analysis.stats import (MIN_ARTICLES, N_BOOT, percentile_interval,
                                          resample_weights, resampled_sums)
from framing_atlas.pipeline.axes import axis_column
from framing_atlas.errors import AtlasError, require_columns
from framing_atlas.store import ARTICLE_ID, AXIS_PREFIX

SUMMARY_COLUMNS = ["group", "paragraphs", "articles", "mean", "low", "high", "thin"]


@dataclass(frozen=True)
class EffectSize:
    """Cohen's d of a against b, with a bootstrap interval [low, high]."""

    d: float
    low: float
    high: float
    n_a: int
    n_b: int


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
            boot = resampled_sums(np.column_stack([sums, counts]), n_boot=n_boot, rng=rng)
            low, high = percentile_interval(boot[:, 0] / boot[:, 1], level=level)
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
