"""Label: name each cluster by its distinctive terms (class-based TF-IDF) and representative paragraphs."""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, CountVectorizer

from framing_atlas.errors import require_columns
from framing_atlas.store import (CLUSTER, KEYWORDS, LABEL, OUTLIER, PARAGRAPH_ID, REPRESENTATIVES,
                                 SIZE, TEXT)

# Words every news paragraph uses; they name no cluster.
NEWS_STOP_WORDS = sorted(ENGLISH_STOP_WORDS | {
    "said", "says", "say", "told", "also", "would", "could", "like", "just", "new", "year", "years",
    "mr", "ms", "mrs", "week", "day", "time", "including", "according", "added", "people", "going",
    "want", "think", "know", "don", "didn", "doesn", "ve", "ll", "isn", "way", "make", "did",
})
# Words of two or more letters (inner digits, hyphens and apostrophes allowed); analysis/stats
# counts terms with the same pattern.
TOKEN_PATTERN = r"(?u)\b[^\W\d_][\w'-]*[^\W\d_]\b"


def distinctive_terms(texts_by_group: pd.Series, *, top: int = 10) -> dict[object, list[str]]:
    """The `top` terms of each group by class-based TF-IDF (BERTopic's c-TF-IDF).

    Each group's texts are joined into one document; a term scores high when it is frequent in
    that group and rare across groups.
    """
    docs = texts_by_group.groupby(level=0).agg(" ".join)
    if docs.empty:
        return {}
    vectorizer = CountVectorizer(stop_words=NEWS_STOP_WORDS, ngram_range=(1, 2),
                                 token_pattern=TOKEN_PATTERN,
                                 min_df=1, max_features=50_000)
    try:
        counts = vectorizer.fit_transform(docs.values)
    except ValueError:  # only stop words
        return {group: [] for group in docs.index}
    terms = vectorizer.get_feature_names_out()
    counts = counts.toarray().astype(np.float64)  # groups × ≤50k terms: small enough to be dense
    tf = counts / np.maximum(counts.sum(axis=1, keepdims=True), 1)
    average_words = counts.sum() / len(docs)
    idf = np.log(1 + average_words / np.maximum(counts.sum(axis=0), 1))
    scores = tf * idf
    result = {}
    for row, group in enumerate(docs.index):
        order = np.lexsort((terms, -scores[row]))  # ties broken alphabetically: stable labels
        picked: list[str] = []
        for j in order:
            if scores[row, j] <= 0 or len(picked) >= top:
                break
            term = terms[j]
            # A bigram whose words are already listed adds nothing; a word inside a listed bigram neither.
            if any(term in p.split() or p in term.split() for p in picked) or any(
                    set(term.split()) <= set(p.split()) for p in picked):
                continue
            picked.append(term)
        result[group] = picked
    return result


def label_clusters(paragraphs: pd.DataFrame, vectors: np.ndarray, *, n_terms: int = 4,
                   n_representatives: int = 3) -> pd.DataFrame:
    """Needs cluster, text, paragraph_id (+ optional outlier) and paragraph vectors; returns one
    row per cluster: cluster, label, keywords, size, representatives (paragraph ids nearest the
    cluster's centre)."""
    require_columns(paragraphs, [CLUSTER, TEXT, PARAGRAPH_ID], stage="label")
    groups = paragraphs.set_index(CLUSTER)[TEXT]
    keywords = distinctive_terms(groups, top=max(10, n_terms))
    core = ~paragraphs[OUTLIER].to_numpy() if OUTLIER in paragraphs else np.ones(len(paragraphs), bool)
    rows = []
    for cluster_id, members in paragraphs.groupby(CLUSTER, sort=True).indices.items():
        members = np.asarray(members)
        central = members[core[members]] if core[members].any() else members
        centre = vectors[central].mean(axis=0)
        closeness = vectors[central] @ centre
        best = central[np.argsort(-closeness, kind="stable")[:n_representatives]]
        words = keywords.get(cluster_id, [])
        name = " · ".join(words[:n_terms]) if words else f"cluster {cluster_id}"
        if cluster_id < 0:
            name = "unclustered"
        rows.append({CLUSTER: int(cluster_id), LABEL: name, KEYWORDS: list(words),
                     SIZE: int(len(members)),
                     REPRESENTATIVES: paragraphs[PARAGRAPH_ID].to_numpy()[best].tolist()})
    return pd.DataFrame(rows, columns=[CLUSTER, LABEL, KEYWORDS, SIZE, REPRESENTATIVES])
