"""Themes: score every paragraph against editable theme descriptions and assign the best match."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd

from framing_atlas.errors import AtlasError
from framing_atlas.pipeline.embed import Encoder, embed
from framing_atlas.pipeline.query import parse_query, query_hits
from framing_atlas.pipeline.theme_model import (CHANGED, Detector, Examples, choose, detect,
                                                read_shipped, shipped_detector, train_detector,
                                                user_examples)
from framing_atlas.tomlfiles import named_blocks, read_blocks
from framing_atlas.store import NO_THEME, SCORE_PREFIX, TEXT, THEME, VectorCache


@dataclass(frozen=True)
class Theme:
    name: str
    label: str
    description: tuple[str, ...]
    query: str | None = None  # a Media Cloud-style keyword query (pipeline.query), optional


def read_themes(path: Path) -> tuple[list[Theme], float | None]:
    """Themes and the optional threshold from a TOML file; says exactly what is wrong where."""
    path = Path(path)
    data, entries = read_blocks(path, "themes", needs="name and description")
    themes = []
    for where, name, entry in named_blocks(entries, kind="theme", path=path,
                                           example="escalation"):
        description = entry.get("description")
        if isinstance(description, str):
            description = [description]
        if (not isinstance(description, list) or not description
                or not all(isinstance(s, str) and s.strip() for s in description)):
            raise AtlasError(f"{where} ('{name}'): description must be a list of sentences",
                             file=path)
        query = entry.get("query")
        if query is not None:
            if not isinstance(query, str) or not query.strip():
                raise AtlasError(f"{where} ('{name}'): query must be a text such as "
                                 "'(NATO OR alliance) AND enlarg*'", file=path)
            try:
                parse_query(query)
            except AtlasError as err:
                raise AtlasError(f"{where} ('{name}'): {err.args[0]}", file=path) from None
        themes.append(Theme(name, str(entry.get("label") or name.replace("_", " ")),
                            tuple(s.strip() for s in description),
                            query.strip() if query else None))
    threshold = data.get("threshold")
    if threshold is not None and (not isinstance(threshold, (int, float))
                                  or not -1 <= threshold <= 1):
        raise AtlasError(f"threshold must be a number between -1 and 1, got {threshold!r}",
                         file=path)
    return themes, None if threshold is None else float(threshold)


def assign_themes(paragraphs: pd.DataFrame, vectors: np.ndarray,
                  detectors: list[Detector]) -> pd.DataFrame:
    """Needs paragraph vectors (row i of `vectors` is row i of `paragraphs`); adds per theme
    score_<name> and has_<name> (see theme_model.detect), and `theme` (the theme a paragraph
    clears by the widest margin, or "none")."""
    return pd.concat([paragraphs.reset_index(drop=True),
                      detect(vectors, detectors, paragraphs[TEXT].tolist())], axis=1)


def train_detectors(themes: list[Theme], *, threshold: float, encoder: Encoder,
                    cache: VectorCache | None = None, batch_size: int = 64,
                    shipped: Path | None = None, labels: pd.DataFrame | None = None
                    ) -> list[Detector]:
    """One detector per theme, from its description, the shipped models (`shipped`, a
    theme_models file for the build's model, if it exists; see theme_model) and the people's
    `labels` (store.LABEL_COLUMNS). A theme with neither a shipped model it still matches nor
    enough labels keeps its description and `threshold`."""
    sentence_vectors = embed_sentences(themes, encoder=encoder, cache=cache,
                                       batch_size=batch_size)
    centroids = theme_centroids(sentence_vectors)
    names = [t.name for t in themes]
    dim = centroids.shape[1]
    queries = {t.name: t.query for t in themes}
    models = read_shipped(shipped, dim) if shipped is not None else {}
    given = (user_examples(labels, names, encoder=encoder, cache=cache, dim=dim,
                           batch_size=batch_size, queries=queries, shipped=models)
             if labels is not None and len(labels) else {})
    detectors = []
    for theme, centroid, sentences in zip(themes, centroids, sentence_vectors):
        people = given.get(theme.name, Examples.empty(dim))
        base = models.get(theme.name)
        as_is = (shipped_detector(base, centroid, people)
                 if base is not None and base.matches(theme.description, theme.query) else None)
        trained = train_detector(
            theme.name, centroid, people, description=sentences,
            description_hits=query_hits(theme.description, theme.query) if theme.query else None,
            query=theme.query, base=base,
            description_logit=(base.logit(sentences, theme.description)
                               if base is not None else None),
            default_threshold=threshold)
        detector = choose(as_is, trained, people)
        if base is not None and as_is is None and detector.method != "classifier":
            detector = replace(detector, note=CHANGED)
        detectors.append(detector)
    return detectors


def embed_sentences(themes: list[Theme], *, encoder: Encoder, cache: VectorCache | None = None,
                    batch_size: int = 64) -> list[np.ndarray]:
    """Each theme's description sentences embedded (cached): one array per theme."""
    sentences = [s for t in themes for s in t.description]
    vectors, _ = embed(sentences, encoder=encoder, cache=cache, batch_size=batch_size)
    bounds = np.cumsum([0] + [len(t.description) for t in themes])
    return [vectors[a:b] for a, b in zip(bounds[:-1], bounds[1:])]


def embed_themes(themes: list[Theme], *, encoder: Encoder, cache: VectorCache | None = None,
                 batch_size: int = 64) -> np.ndarray:
    """One unit vector per theme: its description's sentences embedded (cached) and averaged."""
    return theme_centroids(embed_sentences(themes, encoder=encoder, cache=cache,
                                           batch_size=batch_size))


def score_column(name: str) -> str:
    return f"{SCORE_PREFIX}{name}"


def theme_centroids(sentence_vectors: list[np.ndarray]) -> np.ndarray:
    """One unit vector per theme: the normalised mean of its sentences' vectors."""
    centres = np.stack([v.mean(axis=0) for v in sentence_vectors])
    return centres / np.linalg.norm(centres, axis=1, keepdims=True)


def score_themes(vectors: np.ndarray, centroids: np.ndarray, names: list[str], *,
                 threshold: float) -> pd.DataFrame:
    """Needs unit paragraph vectors; returns score_<name> per theme (cosine) and `theme`."""
    scores = vectors @ centroids.T if len(vectors) else np.zeros((0, len(names)))
    best = scores.argmax(axis=1) if len(names) else np.zeros(len(vectors), dtype=int)
    assigned = np.where(scores[np.arange(len(vectors)), best] >= threshold,
                        np.asarray(names, dtype=object)[best], NO_THEME)
    table = pd.DataFrame({score_column(n): scores[:, i].astype(np.float32)
                          for i, n in enumerate(names)})
    table[THEME] = assigned.astype(str)
    return table
