"""Theme shares corrected for the classifier's measured error (quantification).

A theme detector that misses some paragraphs on the theme and flags some that are not makes a
raw share (paragraphs detected / paragraphs) that is biased, and biased differently for each
outlet: with true-positive rate TPR and false-positive rate FPR, a group whose true prevalence
is p shows on average

    raw = FPR + p (TPR − FPR)

so a low prevalence is inflated by the false positives and a high one deflated by the misses.
Adjusted classify-and-count (Forman 2008, "Quantifying counts and costs via classification";
Vaz, Izbicki & Stern 2019, "Quantification under prior probability shift: the ratio estimator
and its extensions") solves this for p:

    corrected = (raw − FPR) / (TPR − FPR), clipped to [0, 1]

with TPR and FPR measured on labelled paragraphs from the classifier's cross-validated
out-of-fold scores (`ErrorRates`). It assumes what the quantification literature calls prior
probability shift: the detector errs on the theme's paragraphs (and on the others) at the same
rates in every outlet and period; only how many paragraphs are on the theme differs.

- `ErrorRates`: TPR and FPR from out-of-fold scores, truths, sampling weights and the threshold,
  and resampled pairs of them (the labelled set bootstrapped).
- `adjust_share`: the formula above; NaN (never a division by ~0) when TPR − FPR < MIN_GAP.
- `corrected_shares`: per group and theme, the raw share and the corrected one, each with a
  percentile bootstrap interval. Every replicate resamples the group's articles (as
  stats.bootstrap_shares does) and, independently, the labelled set, so the corrected interval
  carries the error rates' own uncertainty. `corrected_shares_by_period`: the same per side ×
  period, for the Timeline.
- `pick_estimate`, `side_by_side`, `as_timeline`: the table in the shapes the pages draw.
- `export_shares`: raw and corrected side by side, with their bounds, for the CSV downloads.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from typing import Mapping, Sequence

import numpy as np
import pandas as pd

from framing_atlas.analysis.periods import _cells, _with_cells
from framing_atlas.analysis.stats import (CELLS, MIN_ARTICLES, N_BOOT, article_groups,
                                          percentile_interval, resample_weights,
                                          resampled_sums)
from framing_atlas.errors import AtlasError, require_columns
from framing_atlas.store import ARTICLE_ID, DETECTED_PREFIX, OUTLET, THEME

# in_<theme>: whether the theme's detector marks the paragraph (a paragraph may carry several
# themes or none). Belongs in store.py beside SCORE_PREFIX once the build writes the column.
IN_PREFIX = DETECTED_PREFIX  # has_<theme>: the detector says the paragraph is about it
# Below this TPR − FPR the detector barely tells the theme's paragraphs from the others: the
# correction divides by it, so a gap of 0.05 turns one point of raw share into twenty points
# of corrected share, and any error in the rates is blown up as much. No number is then more
# honest than a corrected share of [0%–100%].
MIN_GAP = 0.1
QUANTIFY_COLUMNS = ["group", "theme", "total", "paragraphs", "articles", "share", "low", "high",
                    "corrected", "corrected_low", "corrected_high", "tpr", "fpr", "thin", "note"]
ESTIMATES = ("raw", "corrected")
# The CSV of shares: raw and corrected side by side, each with its interval.
EXPORT_COLUMNS = ["group", "theme", "total", "paragraphs", "articles",
                  "raw_share", "raw_low", "raw_high",
                  "corrected_share", "corrected_low", "corrected_high",
                  "tpr", "fpr", "labelled_positives", "labelled_negatives", "thin", "note"]


def in_column(theme: str) -> str:
    """The boolean column that says whether a paragraph carries `theme`."""
    return f"{IN_PREFIX}{theme}"


# Error rates -----------------------------------------------------------------------------------

@dataclass(frozen=True, eq=False)
class ErrorRates:
    """How often one theme's detector is right, from its labelled paragraphs.

    `scores` are the detector's cross-validated out-of-fold scores (each from a model that did
    not see that paragraph's label), `truth` the human labels (1 = on the theme), `weights` the
    sampling weights of the labelled paragraphs (1.0 for labels users gave), `threshold` the
    score from which the detector marks a paragraph. A paragraph is detected when its score is
    ≥ threshold, so

        TPR = Σ w·[score ≥ threshold] over positives / Σ w over positives
        FPR = Σ w·[score ≥ threshold] over negatives / Σ w over negatives

    A theme with no labelled positive (or negative) has no TPR (FPR): NaN, and `problem` says so.
    Build with `from_oof` or `from_record`, which check the arrays.
    """

    scores: np.ndarray
    truth: np.ndarray
    weights: np.ndarray
    threshold: float

    @classmethod
    def from_oof(cls, oof_score: Sequence[float] | np.ndarray,
                 truth: Sequence[int] | np.ndarray,
                 weight: Sequence[float] | np.ndarray | None = None, *, threshold: float,
                 theme: str = "") -> "ErrorRates":
        """Checked rates; `weight` None gives every example weight 1. AtlasError names the
        theme, the array and the first bad example."""
        where = f"theme '{theme}': " if theme else ""
        scores = np.asarray(oof_score, dtype=np.float64).ravel()
        labels = np.asarray(truth, dtype=np.float64).ravel()
        weights = (np.ones(len(scores)) if weight is None
                   else np.asarray(weight, dtype=np.float64).ravel())
        if not (len(scores) == len(labels) == len(weights)):
            raise AtlasError(f"{where}error rates need as many truths and weights as scores; "
                             f"got {len(scores)} scores, {len(labels)} truths, "
                             f"{len(weights)} weights")
        if not np.isfinite(float(threshold)):
            raise AtlasError(f"{where}the threshold must be a number, got {threshold!r}")
        for name, values, bad in (
                ("oof_score", scores, ~np.isfinite(scores)),
                ("truth", labels, ~np.isin(labels, (0.0, 1.0))),
                ("weight", weights, ~(np.isfinite(weights) & (weights > 0)))):
            if bad.any():
                first = int(np.flatnonzero(bad)[0])
                need = {"oof_score": "a number", "truth": "0 or 1",
                        "weight": "a number above 0"}[name]
                raise AtlasError(f"{where}labelled example {first}: '{name}' must be {need}, "
                                 f"got {values[first]!r}")
        return cls(scores=scores, truth=labels.astype(bool), weights=weights,
                   threshold=float(threshold))

    @classmethod
    def from_record(cls, record: Mapping[str, object], *, theme: str = "") -> "ErrorRates":
        """From a stored record with keys oof_score, truth, weight (optional) and threshold, as
        the build keeps them per theme."""
        missing = [k for k in ("oof_score", "truth", "threshold") if k not in record]
        if missing:
            where = f"theme '{theme}': " if theme else ""
            raise AtlasError(f"{where}the error-rate record lacks {', '.join(missing)}")
        return cls.from_oof(record["oof_score"], record["truth"], record.get("weight"),
                            threshold=record["threshold"], theme=theme)

    @property
    def detected(self) -> np.ndarray:
        return self.scores >= self.threshold

    @property
    def positives(self) -> int:
        """Labelled paragraphs on the theme."""
        return int(self.truth.sum())

    @property
    def negatives(self) -> int:
        """Labelled paragraphs not on the theme."""
        return int((~self.truth).sum())

    @property
    def tpr(self) -> float:
        return _weighted_rate(self.detected, self.weights, self.truth)

    @property
    def fpr(self) -> float:
        return _weighted_rate(self.detected, self.weights, ~self.truth)

    def problem(self, *, min_gap: float = MIN_GAP) -> str | None:
        """Why these rates cannot correct a share, or None when they can."""
        if self.positives == 0 or self.negatives == 0:
            side = "on" if self.positives == 0 else "off"
            return (f"no correction: no labelled paragraph {side} the theme, so the detector's "
                    f"{'TPR' if side == 'on' else 'FPR'} is unknown")
        gap = self.tpr - self.fpr
        if gap < min_gap:
            return (f"no correction: TPR {self.tpr:.2f} − FPR {self.fpr:.2f} = {gap:.2f} is "
                    f"below {min_gap:.2f}; the detector barely tells the theme apart")
        return None

    def resample(self, n_boot: int, *, rng: np.random.Generator
                 ) -> tuple[np.ndarray, np.ndarray]:
        """`n_boot` (tpr, fpr) pairs, each from a bootstrap of the labelled set.

        The positives and the negatives are resampled separately (stratified by truth), each
        example keeping its weight. TPR is a mean over the positives and FPR over the negatives:
        keeping their numbers fixed gives each rate's sampling error given the examples it rests
        on, and never a resample without positives (and so without a TPR), which an
        unstratified draw from a set with few positives would give. The labelled set is not a
        random sample of paragraphs anyway (it is drawn by outlet and score band, and users add
        the paragraphs they choose), so its split into positives and negatives is not a
        quantity an unstratified bootstrap should vary. The threshold is held fixed.
        """
        hits = self.detected * self.weights
        rates = []
        for members in (self.truth, ~self.truth):
            count = int(members.sum())
            if count == 0:
                rates.append(np.full(n_boot, np.nan))
                continue
            draws = resample_weights(count, n_boot=n_boot, rng=rng)
            rates.append((draws @ hits[members]) / (draws @ self.weights[members]))
        return rates[0], rates[1]


def _weighted_rate(detected: np.ndarray, weights: np.ndarray, members: np.ndarray) -> float:
    total = weights[members].sum()
    return float((weights[members] * detected[members]).sum() / total) if total > 0 else np.nan


def build_error_rates(themes_document: Mapping[str, object]) -> dict[str, ErrorRates]:
    """ErrorRates per theme from a build's themes.json: each detector's out-of-fold scores on
    its labelled paragraphs, their truth and weights, and its threshold. A theme without
    labelled paragraphs has none (no corrected share for it)."""
    records = {}
    for theme in themes_document.get("themes", []):
        detector = theme.get("detector") or {}
        oof = detector.get("oof") or {}
        if len(oof.get("score", [])):
            records[theme["name"]] = {"oof_score": oof["score"], "truth": oof["truth"],
                                      "weight": oof.get("weight"),
                                      "threshold": detector["threshold"]}
    return error_rates(records)


def error_rates(records: Mapping[str, Mapping[str, object]]) -> dict[str, ErrorRates]:
    """ErrorRates per theme from the build's stored records (theme → record, see from_record)."""
    return {theme: ErrorRates.from_record(record, theme=theme) for theme, record in records.items()}


# Adjusted classify-and-count -------------------------------------------------------------------

def adjust_share(raw: float | np.ndarray, tpr: float | np.ndarray, fpr: float | np.ndarray, *,
                 min_gap: float = MIN_GAP) -> np.ndarray:
    """(raw − fpr) / (tpr − fpr) clipped to [0, 1]; arrays broadcast.

    NaN where tpr − fpr < `min_gap` (or a rate is NaN): the detector then tells the theme apart
    too little for its share to be corrected (ErrorRates.problem says why), and dividing by a
    gap near 0 would turn noise into any share at all. A raw share below the false-positive
    rate gives 0 and one above the true-positive rate gives 1 (see `clip_note`).
    """
    raw, tpr, fpr = (np.asarray(v, dtype=np.float64) for v in (raw, tpr, fpr))
    gap = tpr - fpr
    usable = gap >= min_gap  # False for NaN too
    with np.errstate(divide="ignore", invalid="ignore"):
        corrected = (raw - fpr) / np.where(usable, gap, 1.0)
    return np.where(usable, np.clip(corrected, 0.0, 1.0), np.nan)


def clip_note(raw: float, tpr: float, fpr: float) -> str | None:
    """What clipping did to a corrected share, or None when it did nothing."""
    if raw < fpr:
        return (f"clipped to 0: the raw share {raw:.1%} is below the false-positive rate "
                f"{fpr:.1%}")
    if raw > tpr:
        return (f"clipped to 1: the raw share {raw:.1%} is above the true-positive rate "
                f"{tpr:.1%}")
    return None


# Corrected shares ------------------------------------------------------------------------------

@dataclass(frozen=True)
class LabelDraws:
    """The labelled set resampled n_boot times, per theme: the resampled TPR and FPR (n_boot ×
    themes, NaN for a theme without rates), the rates themselves, and the notes saying why a
    theme gets no correction or how often its resampled rates were too close to correct with.
    One draw serves every group: the same detector marked them all, so its error moves all
    their corrected shares together."""

    themes: tuple[str, ...]
    tpr_boot: np.ndarray
    fpr_boot: np.ndarray
    tpr: np.ndarray
    fpr: np.ndarray
    notes: tuple[tuple[str, ...], ...]
    min_gap: float


def label_draws(rates: Mapping[str, ErrorRates], themes: Sequence[str], *, n_boot: int = N_BOOT,
                seed: int = 0, min_gap: float = MIN_GAP) -> LabelDraws:
    """The resamples of the labelled set corrected_shares uses with this seed: made once, they
    can be handed to several calls (the dashboard's, one per outlet) that then agree with one
    call over all their groups."""
    if n_boot < 1:
        raise AtlasError(f"n_boot must be ≥ 1, got {n_boot}")
    if not 0 < min_gap <= 1:
        raise AtlasError(f"min_gap must be above 0 and at most 1, got {min_gap}")
    label_rng = np.random.default_rng(seed).spawn(2)[1]
    tpr_boot, fpr_boot, tpr, fpr, notes = _resampled_rates(list(themes), rates, n_boot=n_boot,
                                                           rng=label_rng, min_gap=min_gap)
    return LabelDraws(tuple(themes), tpr_boot, fpr_boot, tpr, fpr,
                      tuple(tuple(n) for n in notes), min_gap)


def group_rng(seed: int, group: object) -> np.random.Generator:
    """The stream a group's articles are drawn from: fixed by the seed and the group's name
    alone, so a group's interval does not move when other groups are added or filtered out."""
    key = zlib.crc32(str(group).encode("utf-8", "surrogatepass"))
    return np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(0, key)))


def corrected_shares(paragraphs: pd.DataFrame, rates: Mapping[str, ErrorRates], *,
                     group_col: str, themes: Sequence[str] | None = None,
                     article_col: str = ARTICLE_ID, n_boot: int = N_BOOT, seed: int = 0,
                     level: float = 0.95, min_articles: int = MIN_ARTICLES,
                     min_gap: float = MIN_GAP,
                     draws: LabelDraws | None = None) -> pd.DataFrame:
    """Needs `group_col`, `article_col` and in_<theme> per theme; one row per group × theme:
    group, theme, total, paragraphs, articles, share, low, high, corrected, corrected_low,
    corrected_high, tpr, fpr, thin, note.

    `total` is the group's paragraphs, `paragraphs` those the detector marks with the theme and
    `share` their part (the raw share; a paragraph may carry several themes, so shares need not
    sum to 1). `corrected` is adjust_share of it with the theme's rates from `rates` (theme →
    ErrorRates; `themes` None takes every in_ column, in order). Both intervals are percentile
    bootstrap intervals at `level` from the same `n_boot` replicates: each draws the group's
    articles with replacement (each with all its paragraphs, as stats.bootstrap_shares does);
    the corrected one also draws the labelled set (ErrorRates.resample) and corrects each
    replicate's raw share with that replicate's rates. A replicate whose rates are too close
    (TPR − FPR < `min_gap`) has no corrected share; it counts as 0 for the lower bound and as 1
    for the upper one, the widest it could be, and `note` says how often that happened.

    `thin` marks groups with fewer than `min_articles` articles: both shares, no intervals.
    `note` says why a theme has no corrected share (no rates, TPR − FPR too small) or what
    clipping did; it is "" otherwise. Articles must each sit in one group.

    Each group's articles are drawn from their own stream (group_rng), the labelled set from
    another (label_draws, or `draws` made by it with the same themes, n_boot and min_gap): a
    group's intervals depend on its own paragraphs, the seed and the labels only, so one call
    over many groups equals one call per group with the same `draws`.
    """
    percentile_interval(np.zeros(1), level=level)  # the check of `level` every interval makes
    themes = _themes(paragraphs, themes)
    if draws is None:
        draws = label_draws(rates, themes, n_boot=n_boot, seed=seed, min_gap=min_gap)
    elif (list(draws.themes) != themes or len(draws.tpr_boot) != n_boot
          or draws.min_gap != min_gap):
        raise AtlasError("corrected_shares: the label draws were made for other themes, "
                         "another number of resamples or another minimum gap")
    columns = [in_column(t) for t in themes]
    require_columns(paragraphs, [group_col, article_col, *columns], stage="corrected_shares")
    if paragraphs.empty or not themes:
        return pd.DataFrame(columns=QUANTIFY_COLUMNS)
    owner, groups, totals, detections = _per_article(paragraphs, group_col=group_col,
                                                     article_col=article_col, columns=columns)
    # Separate streams, so the raw intervals do not move when the labelled set grows.
    tpr_boot, fpr_boot, tpr, fpr, notes = (draws.tpr_boot, draws.fpr_boot, draws.tpr, draws.fpr,
                                           draws.notes)
    unusable = ~(tpr_boot - fpr_boot >= min_gap)  # (n_boot × themes), True for NaN
    # Articles sorted by group, so each group is one slice.
    order = np.argsort(owner, kind="stable")
    bounds = np.searchsorted(owner[order], np.arange(len(groups) + 1))
    totals, detections = totals[order], detections[order]
    articles = np.diff(bounds)
    group_totals = np.add.reduceat(totals, bounds[:-1])
    group_detections = np.add.reduceat(detections, bounds[:-1], axis=0)  # groups × themes
    raw = group_detections / group_totals[:, None]
    corrected = adjust_share(raw, tpr, fpr, min_gap=min_gap)
    thin = articles < min_articles
    low, high, corrected_low, corrected_high = (np.full(raw.shape, np.nan) for _ in range(4))
    # Groups a block at a time: one percentile call per block, not per group, and at most
    # about CELLS resampled shares held.
    resampled = np.flatnonzero(~thin)
    per_block = max(1, CELLS // (n_boot * len(themes)))
    for start in range(0, len(resampled), per_block):
        block = resampled[start:start + per_block]
        raw_boot = np.stack([_resampled_shares(totals[bounds[g]:bounds[g + 1]],
                                               detections[bounds[g]:bounds[g + 1]],
                                               n_boot=n_boot, rng=group_rng(seed, groups[g]))
                             for g in block], axis=1)  # n_boot × groups × themes
        low[block], high[block] = percentile_interval(raw_boot, level=level)
        replicates = adjust_share(raw_boot, tpr_boot[:, None], fpr_boot[:, None],
                                  min_gap=min_gap)
        undefined = unusable[:, None]
        corrected_low[block] = percentile_interval(np.where(undefined, 0.0, replicates),
                                                   level=level)[0]
        corrected_high[block] = percentile_interval(np.where(undefined, 1.0, replicates),
                                                    level=level)[1]
    corrected_low[np.isnan(corrected)] = np.nan
    corrected_high[np.isnan(corrected)] = np.nan
    clipped = [[clip_note(raw[g, t], tpr[t], fpr[t]) if np.isfinite(corrected[g, t]) else None
                for t in range(len(themes))] for g in range(len(groups))]
    note = ["; ".join([*notes[t], *([clipped[g][t]] if clipped[g][t] else [])])
            for g in range(len(groups)) for t in range(len(themes))]
    n_themes = len(themes)
    return pd.DataFrame({
        "group": np.repeat(np.asarray(groups, dtype=object), n_themes),
        "theme": np.tile(np.asarray(themes, dtype=object), len(groups)),
        "total": np.repeat(group_totals.astype(np.int64), n_themes),
        "paragraphs": group_detections.ravel().astype(np.int64),
        "articles": np.repeat(articles.astype(np.int64), n_themes),
        "share": raw.ravel(), "low": low.ravel(), "high": high.ravel(),
        "corrected": corrected.ravel(), "corrected_low": corrected_low.ravel(),
        "corrected_high": corrected_high.ravel(), "tpr": np.tile(tpr, len(groups)),
        "fpr": np.tile(fpr, len(groups)), "thin": np.repeat(thin, n_themes), "note": note},
        columns=QUANTIFY_COLUMNS)


def corrected_shares_by_period(paragraphs: pd.DataFrame, rates: Mapping[str, ErrorRates], *,
                               side_col: str, freq: str, themes: Sequence[str] | None = None,
                               article_col: str = ARTICLE_ID, n_boot: int = N_BOOT,
                               seed: int = 0, level: float = 0.95,
                               min_articles: int = MIN_ARTICLES,
                               min_gap: float = MIN_GAP,
                               draws: LabelDraws | None = None) -> pd.DataFrame:
    """Needs `side_col`, published, `article_col` and the in_ columns; one row per side ×
    period × theme: corrected_shares's columns (its `group` is the cell's label, "side |
    yyyy-mm-dd", as in periods.shares_by_period) with `side` and `period` (the period's first
    day) added. Each cell resamples its own articles; a cell with fewer than `min_articles`
    articles is `thin`. Undated paragraphs are left out (periods.count_undated counts them).
    """
    dated, keys = _cells(paragraphs, side_col=side_col, freq=freq)
    table = corrected_shares(dated, rates, group_col="cell", themes=themes,
                             article_col=article_col, n_boot=n_boot, seed=seed, level=level,
                             min_articles=min_articles, min_gap=min_gap, draws=draws)
    return _with_cells(table, keys)


def pick_estimate(table: pd.DataFrame, estimate: str) -> pd.DataFrame:
    """corrected_shares's (or the by-period) table with `share`, `low` and `high` holding the
    `estimate`'s values ("raw" or "corrected") and an `estimate` column, so code that draws
    share/low/high (interval_labels, the bar charts, overview.share_grid) draws either."""
    if estimate not in ESTIMATES:
        raise AtlasError(f"estimate must be one of {', '.join(ESTIMATES)}, got '{estimate}'")
    picked = table.copy()
    if estimate == "corrected":
        picked[["share", "low", "high"]] = table[["corrected", "corrected_low",
                                                  "corrected_high"]].to_numpy()
    picked.insert(picked.columns.get_loc("share"), "estimate", estimate)
    return picked


def side_by_side(table: pd.DataFrame) -> pd.DataFrame:
    """Both estimates of corrected_shares's table as rows: group × theme × estimate (raw first),
    each with share, low and high, for a chart that sets them next to each other."""
    both = pd.concat([pick_estimate(table, e) for e in ESTIMATES], ignore_index=True)
    rank = both["estimate"].map({e: i for i, e in enumerate(ESTIMATES)})
    keys = [c for c in ("side", "period") if c in both.columns] or ["group"]
    order = both.assign(_rank=rank).sort_values(keys + ["theme", "_rank"], kind="stable").index
    return both.loc[order].reset_index(drop=True)


def as_timeline(table: pd.DataFrame, *, estimate: str) -> pd.DataFrame:
    """corrected_shares_by_period's table (side = outlet) in the columns of
    periods.with_intervals(theme_timeline(...)), so periods.timeline_grid draws it: outlet,
    period, theme, count, total, articles, share, thin, low, high. For "corrected", `share`,
    `low` and `high` are the corrected ones and `count` is the paragraphs the corrected share
    stands for (corrected × total, NaN where there is no correction)."""
    picked = pick_estimate(table, estimate)
    count = (picked["share"] * picked["total"] if estimate == "corrected"
             else picked["paragraphs"])
    return pd.DataFrame({
        OUTLET: picked["side"], "period": picked["period"], THEME: picked["theme"],
        "count": count, "total": picked["total"], "articles": picked["articles"],
        "share": picked["share"], "thin": picked["thin"], "low": picked["low"],
        "high": picked["high"]}).sort_values([OUTLET, "period", THEME]).reset_index(drop=True)


def export_shares(table: pd.DataFrame, rates: Mapping[str, ErrorRates] | None = None
                  ) -> pd.DataFrame:
    """corrected_shares's (or corrected_shares_by_period's) table as the CSV of shares: the
    EXPORT_COLUMNS, raw and corrected side by side, with how many labelled paragraphs each
    theme's rates rest on (blank without `rates`). A by-period table keeps `side` and `period`
    (yyyy-mm-dd) in front, in place of the cell label."""
    labelled = rates or {}
    out = table.rename(columns={"share": "raw_share", "low": "raw_low", "high": "raw_high",
                                "corrected": "corrected_share"})
    out["labelled_positives"] = out["theme"].map(
        lambda t: labelled[t].positives if t in labelled else pd.NA).astype("Int64")
    out["labelled_negatives"] = out["theme"].map(
        lambda t: labelled[t].negatives if t in labelled else pd.NA).astype("Int64")
    columns = list(EXPORT_COLUMNS)
    if "period" in out.columns:
        out["period"] = pd.to_datetime(out["period"]).dt.strftime("%Y-%m-%d")
        columns = ["side", "period"] + columns[1:]
    return out[columns].reset_index(drop=True)


# Helpers ---------------------------------------------------------------------------------------

def _themes(paragraphs: pd.DataFrame, themes: Sequence[str] | None) -> list[str]:
    if themes is not None:
        return list(themes)
    return [str(c)[len(IN_PREFIX):] for c in paragraphs.columns if str(c).startswith(IN_PREFIX)]


def _per_article(paragraphs: pd.DataFrame, *, group_col: str, article_col: str,
                 columns: list[str]) -> tuple[np.ndarray, list, np.ndarray, np.ndarray]:
    """The group number of each article, the groups (sorted), each article's paragraphs and
    its detections per theme (articles × themes): everything a bootstrap over articles needs,
    so 1M paragraphs become a few hundred thousand rows before any resampling."""
    if paragraphs[group_col].isna().any():
        raise AtlasError(f"corrected_shares: {int(paragraphs[group_col].isna().sum())} "
                         f"paragraph(s) have no value in '{group_col}'", field=group_col)
    for column in columns:
        values = paragraphs[column]
        bad = values.isna() | ~values.isin([True, False])
        if bad.any():
            row = int(np.flatnonzero(bad.to_numpy())[0])
            raise AtlasError(f"corrected_shares: not true or false: {values.iloc[row]!r}",
                             row=row, field=column)
    codes, articles, group_of, groups = article_groups(
        paragraphs[[article_col, group_col]], article_col=article_col, group_col=group_col,
        stage="corrected_shares")
    order = sorted(range(len(groups)), key=lambda i: str(groups[i]))
    rank = np.empty(len(groups), dtype=np.int64)
    rank[order] = np.arange(len(groups))
    n_articles = len(articles)
    owner = rank[group_of]
    totals = np.bincount(codes, minlength=n_articles).astype(np.float64)
    detections = np.column_stack([
        np.bincount(codes, weights=paragraphs[c].to_numpy(dtype=np.float64),
                    minlength=n_articles) for c in columns])
    return owner, [groups[i] for i in order], totals, detections


def _resampled_rates(themes: list[str], rates: Mapping[str, ErrorRates], *, n_boot: int,
                     rng: np.random.Generator, min_gap: float):
    """Per theme: n_boot resampled tpr and fpr (n_boot × themes each, NaN for a theme without
    rates), the rates themselves, and the notes saying why a theme gets no correction or how
    often its resampled rates were too close to correct with."""
    tpr_boot = np.full((n_boot, len(themes)), np.nan)
    fpr_boot = np.full((n_boot, len(themes)), np.nan)
    tpr = np.full(len(themes), np.nan)
    fpr = np.full(len(themes), np.nan)
    notes: list[list[str]] = []
    for t, theme in enumerate(themes):
        found = rates.get(theme)
        if found is None:
            notes.append(["no correction: no error rates measured for this theme (no labelled "
                          "paragraphs)"])
            continue
        tpr[t], fpr[t] = found.tpr, found.fpr
        tpr_boot[:, t], fpr_boot[:, t] = found.resample(n_boot, rng=rng)
        problem = found.problem(min_gap=min_gap)
        collapsed = float(np.mean(~(tpr_boot[:, t] - fpr_boot[:, t] >= min_gap)))
        if problem:
            notes.append([problem])
        elif collapsed > 0:
            notes.append([f"in {collapsed:.1%} of the resamples of the labelled set TPR − FPR "
                          f"fell below {min_gap:.2f}; the interval counts them as anywhere in "
                          "[0, 1]"])
        else:
            notes.append([])
    return tpr_boot, fpr_boot, tpr, fpr, notes


def _resampled_shares(total: np.ndarray, detected: np.ndarray, *, n_boot: int,
                      rng: np.random.Generator, cells: int = CELLS) -> np.ndarray:
    """(n_boot × themes) shares of one group over resamples of its articles (`total`: each
    article's paragraphs, `detected`: its detections per theme), at most `cells` weights held
    however many articles the group has (stats.resampled_sums)."""
    sums = resampled_sums(np.column_stack([total, detected]), n_boot=n_boot, rng=rng,
                          cells=cells)
    return sums[:, 1:] / sums[:, :1]  # every article has ≥ 1 paragraph
