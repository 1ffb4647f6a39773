"""Whole articles drawn from each side, for the analyses that must read text (distinctive terms):
the text of a million paragraphs would not fit in a dashboard's memory, and a ranking of terms
does not need all of it.

The draw is by a hash of each article's id, not a random generator: an article is in or out of
the sample whatever the other filters are, so narrowing a view keeps the articles already read.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from framing_atlas.errors import AtlasError, require_columns
from framing_atlas.store import ARTICLE_ID

# Articles of each side (outlet or group) the distinctive terms read at most.
TERM_ARTICLES = 100
SAMPLE_COLUMNS = ["side", "articles", "sampled"]


def article_sample(paragraphs: pd.DataFrame, *, side_col: str, per_side: int = TERM_ARTICLES,
                   article_col: str = ARTICLE_ID) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Needs `side_col` and `article_col`. The rows of at most `per_side` articles of each side
    (each article with all its paragraphs; every article of a side that has no more), and per
    side how many articles it has and how many were kept (SAMPLE_COLUMNS). Which articles: those
    with the smallest hash of their id, so the same articles whatever else is filtered."""
    if per_side < 1:
        raise AtlasError(f"per_side must be ≥ 1, got {per_side}")
    require_columns(paragraphs, [side_col, article_col], stage="article_sample")
    if paragraphs.empty:
        return paragraphs, pd.DataFrame(columns=SAMPLE_COLUMNS)
    codes, articles = pd.factorize(paragraphs[article_col])
    first = np.zeros(len(articles), dtype=np.int64)
    first[codes[::-1]] = np.arange(len(codes))[::-1]  # each article's first row
    sides, side_codes = np.unique(paragraphs[side_col].to_numpy()[first].astype(str),
                                  return_inverse=True)
    key = pd.util.hash_pandas_object(pd.Series(articles).astype(str), index=False).to_numpy()
    order = np.lexsort((key, side_codes))  # by side, then by hash
    starts = np.searchsorted(side_codes[order], np.arange(len(sides)))
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order)) - np.repeat(starts, np.diff(np.r_[starts, len(order)]))
    kept = rank < per_side
    counts = np.bincount(side_codes, minlength=len(sides))
    summary = pd.DataFrame({"side": sides, "articles": counts,
                            "sampled": np.minimum(counts, per_side)}, columns=SAMPLE_COLUMNS)
    rows = paragraphs if kept.all() else paragraphs[kept[codes]]
    return rows, summary


def sample_note(summary: pd.DataFrame, *, per_side: int = TERM_ARTICLES, side: str = "outlet"
                ) -> str:
    """A sentence saying the terms were read from a sample, or "" when every article was read."""
    cut = summary[summary["sampled"] < summary["articles"]]
    if cut.empty:
        return ""
    return (f"Terms read from {int(summary['sampled'].sum()):,} of "
            f"{int(summary['articles'].sum()):,} articles: at most {per_side} per {side} "
            f"({len(cut)} {side}s have more), the same articles whatever else is filtered.")
