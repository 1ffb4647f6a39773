"""Statistics for comparing outlets (or groups of outlets) that a researcher can trust.

Paragraphs of one article are not independent: they share an author, a topic and a slant. Every
interval and test here therefore resamples or permutes whole articles, never single paragraphs.

- `log_odds`: the words that set one group apart, as weighted log-odds ratios with an
  informative Dirichlet prior (Monroe, Colaresi & Quinn 2008, "Fightin' Words"), their z from
  a bootstrap over articles so one article repeating a word does not make it distinctive.
- `bootstrap_shares`: each group's share of each category (cluster, theme) with a percentile
  bootstrap interval over the group's articles.
- `js_divergence_matrix`: how differently two groups spread over the categories
  (Jensen–Shannon divergence), with a permutation test that swaps whole articles, its p-values
  adjusted for testing every pair (`adjust_p_values`, Holm).
- `centroid_distances`: cosine distance between the groups' mean embeddings;
  `centroid_distance_matrix` the same from the per-outlet sums a build stores.
"""

from __future__ import annotations

import logging
import math
from itertools import combinations
from typing import Sequence

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.feature_extraction.text import CountVectorizer

from framing_atlas.errors import AtlasError, require_columns
from framing_atlas.pipeline.label import NEWS_STOP_WORDS, TOKEN_PATTERN
from framing_atlas.store import ARTICLE_ID, CENTROID_PREFIX, CLUSTER, OUTLET, TEXT

log = logging.getLogger(__name__)

# Below this many articles a group (an outlet, a group of outlets, an outlet in one week) gets
# its share but no interval: resampling one article gives [40%–40%], a certainty it does not
# have, and a handful barely more. Every page marks such a share TOO_FEW.
MIN_ARTICLES = 10
TOO_FEW = "too few articles"
# Resamples of every bootstrap the dashboard draws (shares, axis positions, terms): one number,
# so two pages never disagree on an interval only because one resampled less.
N_BOOT = 1000
LOG_ODDS_COLUMNS = ["term", "count_target", "count_rest", "articles_target", "articles_rest",
                    "log_odds", "z_words", "se", "z", "few_articles"]
MIN_TERM_ARTICLES = 3  # a distinctive term used by fewer articles of its side is flagged
SHARE_COLUMNS = ["group", "category", "paragraphs", "articles", "share", "low", "high", "thin"]
JSD_COLUMNS = ["group_a", "group_b", "jsd", "p_value", "p_holm", "articles_a", "articles_b"]
P_ADJUSTMENTS = ("holm", "bh")
N_PERMUTATIONS = 999  # the fewest permutations a divergence test gets


# Distinctive terms -----------------------------------------------------------------------------

def log_odds(paragraphs: pd.DataFrame, *, group_col: str = OUTLET, target: object,
             text_col: str = TEXT, article_col: str = ARTICLE_ID, top: int | None = 20,
             min_count: int = 5, prior_size: float | None = None, n_boot: int = N_BOOT,
             seed: int = 0) -> pd.DataFrame:
    """Needs `group_col`, `text_col`, `article_col`; returns term, count_target, count_rest,
    articles_target, articles_rest, log_odds, z_words, se, z, few_articles.

    Weighted log-odds ratio of each term, `target` group against all other groups together,
    with an informative Dirichlet prior (Monroe, Colaresi & Quinn 2008, eq. 16–22):

        delta_w = log((y_t + a_w) / (n_t + a0 - y_t - a_w))
                - log((y_r + a_w) / (n_r + a0 - y_r - a_w))
        z_words = delta_w / sqrt(1 / (y_t + a_w) + 1 / (y_r + a_w))

    y are a term's counts in the target and the rest, n the groups' total counts. The prior
    is the whole corpus: a_w = a0 * (corpus count of w / corpus total). `prior_size` is a0;
    None (the default) takes a0 = the corpus total, so a_w is simply the corpus count of w, as
    in the widely used implementation of the paper. The prior then scales with the corpus and a
    rare term cannot top the list on a handful of uses.

    `z_words` treats every word as drawn independently, so one article repeating a word 20
    times looks like 20 pieces of evidence. `z` does not: the articles of the target and of the
    rest are resampled (`n_boot` times, each side keeping its number of articles, each article
    all its words) and delta recomputed; `se` is the larger of that bootstrap standard error and
    the word-level one, and z = delta / se, so |z| ≤ |z_words| always. A word only one article
    uses swings with that article's draws and gets a small z. `few_articles` marks terms that
    fewer than MIN_TERM_ARTICLES articles of the side they lean to use. The table ranks terms;
    with thousands of terms, some |z| above 1.96 arise by chance.

    Terms used fewer than `min_count` times in the whole corpus are left out of the table (they
    still count in the totals). The table is sorted by z, highest first; with `top` it keeps the
    `top` most and the `top` least distinctive terms (the target's words, then the rest's).
    """
    require_columns(paragraphs, [group_col, text_col, article_col], stage="log_odds")
    groups = paragraphs[group_col]
    if not (groups == target).any():
        raise AtlasError(f"log_odds: no paragraphs of '{target}' in column '{group_col}'")
    if (groups == target).all():
        raise AtlasError(f"log_odds: every paragraph belongs to '{target}'; there is nothing "
                         "to compare it with")
    if prior_size is not None and prior_size <= 0:
        raise AtlasError(f"prior_size must be > 0 (or None for the corpus total), got {prior_size}")
    if n_boot < 2:
        raise AtlasError(f"n_boot must be ≥ 2, got {n_boot}")
    articles, is_target = article_owners(paragraphs, group_col=group_col, target=target,
                                         article_col=article_col, stage="log_odds")
    vectorizer = CountVectorizer(stop_words=NEWS_STOP_WORDS, token_pattern=TOKEN_PATTERN)
    try:
        counts = vectorizer.fit_transform(paragraphs[text_col].fillna("").astype(str))
    except ValueError:  # no words left after stop words
        return pd.DataFrame(columns=LOG_ODDS_COLUMNS)
    # Paragraph counts summed into article counts: (articles × terms), sparse.
    to_article = sparse.csr_matrix((np.ones(len(articles)), (articles, np.arange(len(articles)))),
                                   shape=(len(is_target), len(articles)))
    by_article = (to_article @ counts).tocsr()
    terms = vectorizer.get_feature_names_out()
    target_rows, rest_rows = by_article[is_target], by_article[~is_target]
    y_t = np.asarray(target_rows.sum(axis=0), dtype=np.float64).ravel()
    y_r = np.asarray(rest_rows.sum(axis=0), dtype=np.float64).ravel()
    corpus = y_t + y_r
    a0 = corpus.sum() if prior_size is None else float(prior_size)
    alpha = a0 * corpus / corpus.sum()
    n_t, n_r = y_t.sum(), y_r.sum()
    delta = _delta(y_t, y_r, n_t, n_r, alpha, a0)
    se_words = np.sqrt(1 / (y_t + alpha) + 1 / (y_r + alpha))
    kept = corpus >= min_count
    se_boot = _bootstrap_se(target_rows[:, kept], rest_rows[:, kept],
                            np.asarray(target_rows.sum(axis=1)).ravel(),
                            np.asarray(rest_rows.sum(axis=1)).ravel(),
                            alpha[kept], a0, delta[kept], n_boot=n_boot,
                            rng=np.random.default_rng(seed))
    se = np.maximum(se_boot, se_words[kept])
    used_t = np.asarray((target_rows[:, kept] > 0).sum(axis=0)).ravel()
    used_r = np.asarray((rest_rows[:, kept] > 0).sum(axis=0)).ravel()
    leaning = np.where(delta[kept] >= 0, used_t, used_r)
    table = pd.DataFrame({"term": terms[kept], "count_target": y_t[kept].astype(np.int64),
                          "count_rest": y_r[kept].astype(np.int64),
                          "articles_target": used_t.astype(np.int64),
                          "articles_rest": used_r.astype(np.int64), "log_odds": delta[kept],
                          "z_words": delta[kept] / se_words[kept], "se": se,
                          "z": delta[kept] / se, "few_articles": leaning < MIN_TERM_ARTICLES})
    # Ties broken alphabetically, so the same corpus always gives the same list.
    table = table.sort_values(["z", "term"], ascending=[False, True], kind="stable")
    if top is not None and len(table) > 2 * top:
        table = pd.concat([table.head(top), table.tail(top)])
    return table.reset_index(drop=True)[LOG_ODDS_COLUMNS]


def _delta(y_t, y_r, n_t, n_r, alpha, a0):
    """The log-odds ratio of log_odds; arrays broadcast (terms, or resamples × terms)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return (np.log(y_t + alpha) - np.log(n_t + a0 - y_t - alpha)
                - np.log(y_r + alpha) + np.log(n_r + a0 - y_r - alpha))


def _bootstrap_se(target_rows, rest_rows, target_totals, rest_totals, alpha, a0, delta, *,
                  n_boot: int, rng: np.random.Generator, cells: int = 2_000_000) -> np.ndarray:
    """Standard deviation of delta over `n_boot` resamples of the articles of each side.

    Each resample is a weight per article (resample_weights); a side's term counts are then one
    sparse product, a block of resamples at a time so at most `cells` numbers are held.
    Deviations from the observed delta are summed, which keeps the variance exact in floats.
    """
    terms = target_rows.shape[1]
    chunk = max(1, min(n_boot, cells // max(terms, 1)))
    total = np.zeros(terms)
    squares = np.zeros(terms)
    for start in range(0, n_boot, chunk):
        size = min(chunk, n_boot - start)
        w_t = resample_weights(target_rows.shape[0], n_boot=size, rng=rng)
        w_r = resample_weights(rest_rows.shape[0], n_boot=size, rng=rng)
        y_t = np.asarray((target_rows.T @ w_t.T).T)  # (resamples × terms)
        y_r = np.asarray((rest_rows.T @ w_r.T).T)
        boot = _delta(y_t, y_r, (w_t @ target_totals)[:, None], (w_r @ rest_totals)[:, None],
                      alpha, a0) - delta
        total += boot.sum(axis=0)
        squares += (boot ** 2).sum(axis=0)
    return np.sqrt(np.maximum(squares - total ** 2 / n_boot, 0.0) / (n_boot - 1))


def article_owners(paragraphs: pd.DataFrame, *, group_col: str, target: object,
                   article_col: str, stage: str) -> tuple[np.ndarray, np.ndarray]:
    """The article number of each paragraph, and for each article whether it is `target`'s;
    an article whose paragraphs are in more than one group is an error."""
    codes, _, owner, groups = article_groups(paragraphs[[article_col, group_col]],
                                             article_col=article_col, group_col=group_col,
                                             stage=stage)
    return codes, np.asarray(groups, dtype=object)[owner] == target


def article_groups(frame: pd.DataFrame, *, article_col: str, group_col: str, stage: str
                   ) -> tuple[np.ndarray, np.ndarray, np.ndarray, pd.Index]:
    """Each paragraph's article number (articles sorted), the articles, each article's group
    number and the groups; an AtlasError names the first article (in that order) whose
    paragraphs are in more than one group: resampling articles needs each in one group.
    By codes, not by grouping the ids: a million paragraphs take a fraction of a second. A
    paragraph without an article is an AtlasError too."""
    if frame[article_col].isna().any():
        raise AtlasError(f"{stage}: {int(frame[article_col].isna().sum())} paragraph(s) have no "
                         f"value in '{article_col}'", field=article_col)
    codes, articles = pd.factorize(frame[article_col], sort=True)
    group_codes, groups = pd.factorize(frame[group_col], use_na_sentinel=False)
    owner = np.empty(len(articles), dtype=np.int64)
    owner[codes[::-1]] = group_codes[::-1]  # each article's group, from its first paragraph
    split = np.unique(codes[group_codes != owner[codes]])
    if len(split):
        raise AtlasError(f"{stage}: article '{articles[int(split[0])]}' has paragraphs in more "
                         f"than one '{group_col}'; an article must belong to one group",
                         field=group_col)
    return codes, articles, owner, groups


# Article-level resampling ----------------------------------------------------------------------

def resample_weights(n: int, *, n_boot: int, rng: np.random.Generator) -> np.ndarray:
    """How often each of `n` units is drawn in each of `n_boot` resamples with replacement.

    An (n_boot, n) float matrix whose rows sum to n. A statistic that is a ratio of sums over
    units (paragraphs on a theme / paragraphs) is then one matrix product per resample set.
    """
    draws = rng.integers(0, n, size=(n_boot, n)) + (np.arange(n_boot) * n)[:, None]
    return np.bincount(draws.ravel(), minlength=n_boot * n).reshape(n_boot, n).astype(np.float64)


# A bootstrap holds at most this many resample weights at once (16 MB), however many articles a
# group has: resampled_sums draws a chunk of resamples at a time.
CELLS = 2_000_000
# From this many units, resampled_sums looks for repeated rows to draw them together.
COMPRESS_FROM = 2_000


def resampled_sums(values: np.ndarray, *, n_boot: int, rng: np.random.Generator,
                   cells: int = CELLS) -> np.ndarray:
    """(n_boot × columns) column sums of `values` (units × columns) over `n_boot` resamples of
    its units with replacement: resample_weights(...) @ values, a chunk of resamples at a time
    so at most `cells` weights are held. The draws are those of one resample_weights call,
    except from COMPRESS_FROM units on, where repeated rows are drawn together (same
    distribution, other random numbers)."""
    values = np.asarray(values, dtype=np.float64)
    n = len(values)

    def draw(size: int) -> np.ndarray:
        return resample_weights(n, n_boot=size, rng=rng)

    rows = values
    if n >= COMPRESS_FROM:
        # Articles with the same row are interchangeable: drawing n of them with replacement
        # draws each distinct row a multinomial number of times, with its share of the rows as
        # probability. The same distribution, drawn per distinct row instead of per article,
        # which at a million paragraphs is a few thousand rows instead of 200,000.
        distinct, counts = np.unique(values, axis=0, return_counts=True)
        if len(distinct) * 4 <= n:
            rows = distinct

            def draw(size: int) -> np.ndarray:
                return rng.multinomial(n, counts / n, size=size)

    chunk = max(1, min(n_boot, cells // max(len(rows), 1)))
    return np.concatenate([draw(min(chunk, n_boot - start)) @ rows
                           for start in range(0, n_boot, chunk)])


def interval_labels(values: pd.Series, low: pd.Series, high: pd.Series, *,
                    fmt: str = "{:.0%}", sep: str = " ") -> pd.Series:
    """"40% [31%–49%]" for each value, or "40% (too few articles)" where there is no interval
    (low or high NaN), for hovers and cells; a missing value gives "". `sep` goes between the
    value and its interval ("<br>" in a heatmap cell)."""
    shown = values.map(lambda v: "" if pd.isna(v) else fmt.format(v))
    ranges = sep + "[" + low.map(lambda v: "" if pd.isna(v) else fmt.format(v)) + "–" + \
        high.map(lambda v: "" if pd.isna(v) else fmt.format(v)) + "]"
    has_interval = low.notna() & high.notna()
    return shown.where(values.isna(), shown + ranges.where(has_interval, f"{sep}({TOO_FEW})"))


def percentile_interval(samples: np.ndarray, *, level: float, axis: int = 0
                        ) -> tuple[np.ndarray, np.ndarray]:
    """The central `level` part of bootstrap samples: the (1-level)/2 and (1+level)/2 quantiles."""
    if not 0 < level < 1:
        raise AtlasError(f"level must be between 0 and 1, got {level}")
    low, high = np.quantile(samples, [(1 - level) / 2, (1 + level) / 2], axis=axis)
    return low, high


def article_table(paragraphs: pd.DataFrame, *, group_col: str, category_col: str,
                  article_col: str = ARTICLE_ID, stage: str
                  ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Needs `group_col`, `category_col`, `article_col`; the group of each article, the sorted
    categories, and an (articles × categories) matrix of paragraph counts."""
    require_columns(paragraphs, [group_col, category_col, article_col], stage=stage)
    frame = paragraphs[[article_col, group_col, category_col]]
    if frame.isna().any().any():
        column = frame.columns[frame.isna().any()][0]
        raise AtlasError(f"{stage}: {int(frame[column].isna().sum())} paragraph(s) have no "
                         f"value in '{column}'", field=column)
    codes, articles, owner, groups = article_groups(frame, article_col=article_col,
                                                    group_col=group_col, stage=stage)
    categories, category_codes = np.unique(frame[category_col].to_numpy(), return_inverse=True)
    # Counted straight into floats (weights), not into integers copied to floats: at a million
    # paragraphs that copy alone is 70 MB.
    counts = np.bincount(codes * len(categories) + category_codes,
                         weights=np.ones(len(codes)), minlength=len(articles) * len(categories))
    return (np.asarray(groups, dtype=object)[owner], categories,
            counts.reshape(len(articles), len(categories)))


# Shares with intervals ------------------------------------------------------------------------

def bootstrap_shares(paragraphs: pd.DataFrame, *, group_col: str, category_col: str,
                     article_col: str = ARTICLE_ID, n_boot: int = N_BOOT, seed: int = 0,
                     level: float = 0.95, min_articles: int = MIN_ARTICLES) -> pd.DataFrame:
    """Needs `group_col`, `category_col`, `article_col`; one row per group × category:
    group, category, paragraphs, articles, share, low, high, thin.

    `share` is the category's part of the group's paragraphs; `paragraphs` counts them and
    `articles` is the number of articles the group has. [low, high] is a percentile bootstrap
    interval: the group's articles are drawn with replacement (`n_boot` times), each draw
    bringing all its paragraphs, and the share recomputed. Every category seen anywhere gets
    a row for every group, so a zero is a zero and not a gap. `thin` marks groups with fewer
    than `min_articles` articles: they keep their share but get no interval (low and high are
    NaN), since resampling a handful of articles, let alone one, says nothing about another
    sample of the outlet's articles.
    """
    if n_boot < 1:
        raise AtlasError(f"n_boot must be ≥ 1, got {n_boot}")
    owners, categories, counts = article_table(paragraphs, group_col=group_col,
                                               category_col=category_col,
                                               article_col=article_col, stage="bootstrap_shares")
    rng = np.random.default_rng(seed)
    frames = []
    for group in sorted(pd.unique(owners), key=str):
        block = counts[owners == group]
        thin = len(block) < min_articles
        if thin:
            low = high = np.full(len(categories), np.nan)
        else:
            boot = resampled_sums(block, n_boot=n_boot, rng=rng)
            boot /= boot.sum(axis=1, keepdims=True)  # every article has ≥ 1 paragraph
            low, high = percentile_interval(boot, level=level)
        totals = block.sum(axis=0)
        frames.append(pd.DataFrame({
            "group": group, "category": categories, "paragraphs": totals.astype(np.int64),
            "articles": len(block), "share": totals / totals.sum(), "low": low, "high": high,
            "thin": thin}))
    if not frames:
        return pd.DataFrame(columns=SHARE_COLUMNS)
    return pd.concat(frames, ignore_index=True)[SHARE_COLUMNS]


# Divergence between groups ----------------------------------------------------------------------

def js_divergence(p: np.ndarray, q: np.ndarray) -> np.ndarray:
    """Jensen–Shannon divergence in bits (0 = same, 1 = disjoint) along the last axis.

    Rows need not be normalised; a row of zeros has no distribution and gives NaN.
    """
    p = np.asarray(p, dtype=np.float64)
    q = np.asarray(q, dtype=np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = p / p.sum(axis=-1, keepdims=True)
        q = q / q.sum(axis=-1, keepdims=True)
        m = (p + q) / 2
        # 0 · log 0 = 0: a category one side never uses adds nothing to that side's term.
        kl_p = np.where(p > 0, p * np.log2(np.where(p > 0, p, 1) / np.where(m > 0, m, 1)), 0)
        kl_q = np.where(q > 0, q * np.log2(np.where(q > 0, q, 1) / np.where(m > 0, m, 1)), 0)
        value = (kl_p.sum(axis=-1) + kl_q.sum(axis=-1)) / 2
    return np.clip(value, 0.0, 1.0)


def js_divergence_matrix(paragraphs: pd.DataFrame, *, group_col: str,
                         category_col: str = CLUSTER, article_col: str = ARTICLE_ID,
                         n_permutations: int = N_PERMUTATIONS, seed: int = 0) -> pd.DataFrame:
    """Needs `group_col`, `category_col`, `article_col`; one row per pair of groups:
    group_a, group_b, jsd, p_value, articles_a, articles_b.

    `jsd` is the Jensen–Shannon divergence (base 2, between 0 and 1) of the two groups'
    paragraph distributions over the categories. `p_value` tests "both groups draw their
    articles from the same mix": the articles of the two groups are pooled and dealt out
    again at random, keeping each group's number of articles (each article takes all its
    paragraphs along), `n_permutations` times; p = (1 + #{permuted jsd ≥ observed}) /
    (1 + n_permutations), so it is never 0 and is exact in level (Phipson & Smyth 2010).
    Pairs are listed once, group_a < group_b. `p_holm` is `p_value` adjusted for testing all
    the pairs of this table together (Holm 1979, see `adjust_p_values`): read a pair as
    different at level α when p_holm ≤ α. With m pairs the smallest p_holm possible is
    m / (1 + n_permutations), so many pairs need many permutations.
    """
    if n_permutations < 1:
        raise AtlasError(f"n_permutations must be ≥ 1, got {n_permutations}")
    owners, _, counts = article_table(paragraphs, group_col=group_col, category_col=category_col,
                                      article_col=article_col, stage="js_divergence_matrix")
    rng = np.random.default_rng(seed)
    rows = []
    for group_a, group_b in combinations(sorted(pd.unique(owners), key=str), 2):
        in_a, in_b = owners == group_a, owners == group_b
        block = np.concatenate([counts[in_a], counts[in_b]])
        n_a = int(in_a.sum())
        observed = float(js_divergence(block[:n_a].sum(axis=0), block[n_a:].sum(axis=0)))
        p_value = permutation_p_value(block, n_a, observed, n_permutations=n_permutations,
                                      rng=rng)
        rows.append({"group_a": group_a, "group_b": group_b, "jsd": observed,
                     "p_value": p_value, "articles_a": n_a, "articles_b": int(in_b.sum())})
    table = pd.DataFrame(rows, columns=[c for c in JSD_COLUMNS if c != "p_holm"])
    table.insert(JSD_COLUMNS.index("p_holm"), "p_holm",
                 adjust_p_values(table["p_value"].to_numpy(np.float64), method="holm"))
    return table


def permutations_for(pairs: int, *, smallest: float = 0.005, at_most: int = 9999) -> int:
    """How many permutations a table of `pairs` tests needs for its Holm-adjusted p-values to
    reach `smallest`: the smallest p is 1 / (1 + n), the smallest adjusted one pairs / (1 + n).
    At least N_PERMUTATIONS, at most `at_most` (then the smallest reachable is pairs / (1 + n),
    which the page says)."""
    return int(min(at_most, max(N_PERMUTATIONS, math.ceil(max(pairs, 1) / smallest) - 1)))


def adjust_p_values(p_values: Sequence[float] | np.ndarray, *, method: str = "holm"
                    ) -> np.ndarray:
    """p-values adjusted for testing them all at once, in the order given; NaN stays NaN.

    `holm` (Holm 1979) controls the chance of calling even one of the tests significant when
    none is (family-wise error), under any dependence between the tests. That matters here:
    the pairs of outlets share outlets, so their tests are dependent. With p sorted ascending,
    adjusted p_(i) = max over j ≤ i of min(1, (m − j + 1) p_(j)).
    `bh` (Benjamini & Hochberg 1995) controls the expected share of false findings among those
    called significant: adjusted p_(i) = min over j ≥ i of min(1, m p_(j) / j); it is what
    scipy.stats.false_discovery_control computes.
    """
    if method not in P_ADJUSTMENTS:
        raise AtlasError(f"method must be one of {', '.join(P_ADJUSTMENTS)}, got '{method}'")
    p = np.asarray(p_values, dtype=np.float64).ravel()
    adjusted = np.full(p.shape, np.nan)
    tested = ~np.isnan(p)
    m = int(tested.sum())
    if m == 0:
        return adjusted
    order = np.argsort(p[tested], kind="stable")
    ranked = p[tested][order]
    rank = np.arange(1, m + 1)
    if method == "holm":
        ranked = np.maximum.accumulate(np.minimum(1.0, (m - rank + 1) * ranked))
    else:
        ranked = np.minimum.accumulate(np.minimum(1.0, m * ranked / rank)[::-1])[::-1]
    values = np.empty(m)
    values[order] = ranked
    adjusted[tested] = values
    return adjusted


def permutation_p_value(block: np.ndarray, n_a: int, observed: float, *, n_permutations: int,
                        rng: np.random.Generator, chunk: int = 256) -> float:
    """p-value of `observed` JSD when the first `n_a` rows (articles) of `block` are group a.

    Each permutation deals the rows out again; all are done as matrix products, a chunk at a
    time so memory stays small for large groups.
    """
    labels = np.zeros(len(block))
    labels[:n_a] = 1.0
    total = block.sum(axis=0)
    exceed = 0
    for start in range(0, n_permutations, chunk):
        size = min(chunk, n_permutations - start)
        members = rng.permuted(np.broadcast_to(labels, (size, len(labels))), axis=1)
        side_a = members @ block
        # A tolerance, so permutations that tie with the observed value (in exact arithmetic)
        # count as "at least as large" despite rounding.
        exceed += int((js_divergence(side_a, total - side_a) >= observed - 1e-12).sum())
    return (1 + exceed) / (1 + n_permutations)


# Embedding centroids ---------------------------------------------------------------------------

def centroid_distances(vectors: np.ndarray, groups: Sequence[object] | pd.Series) -> pd.DataFrame:
    """Cosine distance (1 − cosine) between group centroids, as a square groups × groups frame.

    `vectors` are unit paragraph vectors, `groups` the group of each row. A centroid is the
    renormalised mean of its group's vectors (as themes.theme_centroids does); a group whose
    vectors cancel out has no direction and gives NaN.
    """
    vectors = np.asarray(vectors, dtype=np.float64)
    labels = np.asarray(groups, dtype=object)
    if len(labels) != len(vectors):
        raise AtlasError(f"centroid_distances: {len(vectors)} vectors but {len(labels)} groups")
    names = sorted(pd.unique(labels), key=str)
    centres = np.stack([vectors[labels == name].mean(axis=0) for name in names]) if names else \
        np.zeros((0, vectors.shape[1] if vectors.ndim == 2 else 0))
    norms = np.linalg.norm(centres, axis=1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        centres = np.where(norms > 1e-12, centres / norms, np.nan)
    distances = np.clip(1 - centres @ centres.T, 0.0, 2.0)
    np.fill_diagonal(distances, np.where(np.isnan(np.diag(distances)), np.nan, 0.0))
    return pd.DataFrame(distances, index=pd.Index(names, name="group"),
                        columns=pd.Index(names, name="group"))


def centroid_distance_matrix(centroids: pd.DataFrame, groups: pd.Series) -> pd.DataFrame:
    """Cosine distance between the centroids of groups of outlets (`groups` maps outlet → group)."""
    dims = [c for c in centroids.columns if c.startswith(CENTROID_PREFIX)]
    grouped = centroids.assign(group=centroids[OUTLET].map(groups)).dropna(subset=["group"])
    sums = grouped.groupby("group")[dims].sum()
    # A sum points where the mean does, so each group's sum is its one "paragraph" here.
    return centroid_distances(sums.to_numpy(), list(sums.index))
