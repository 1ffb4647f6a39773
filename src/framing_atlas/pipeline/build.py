"""build_atlas(): the stages in order, from ingested articles to a published build."""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib.metadata
import json
import logging
import platform
import time
from pathlib import Path
from typing import Callable

import numpy as np
import pandas as pd

from framing_atlas.pipeline.cluster import auto_min_cluster_size, cluster
from framing_atlas.pipeline.axes import axis_positions, embed_poles, read_axes
from framing_atlas.pipeline.embed import Encoder, embed, load_encoder
from framing_atlas.errors import AtlasError
from framing_atlas.pipeline.label import label_clusters
from framing_atlas.pipeline.neighbours import NEIGHBOURS, cross_outlet_neighbours, outlet_centroids
from framing_atlas.pipeline.language import detect_languages
from framing_atlas.pipeline.project import project
from framing_atlas.pipeline.segment import Segmentation, no_paragraph_note, segment_articles
from framing_atlas.pipeline.syndication import find_syndicated
from framing_atlas.settings import Settings
from framing_atlas.store import (ARTICLE_ID, CLUSTER, LANGUAGE, OUTLET, OUTLIER, PARAGRAPH_ID,
                                 PUBLISHED, REASON, SYNDICATED, SYNDICATION_GROUP, TEXT, TEXT_HASH,
                                 TITLE, URL, X, Y, Store, text_hash)
from framing_atlas.pipeline.themes import read_themes, score_themes, theme_centroids

log = logging.getLogger(__name__)

Progress = Callable[[int, int, str], None]

LIBRARIES = ["framing-atlas", "sentence-transformers", "torch", "transformers", "umap-learn",
             "scikit-learn", "numpy", "pandas", "pyarrow"]


class LazyEncoder:
    """Loads the model on first use, so a rebuild that finds every vector cached never loads it."""

    def __init__(self, model: str, device: str) -> None:
        self.model, self.device, self._encoder = model, device, None

    def encode(self, sentences: list[str], **kwargs) -> np.ndarray:
        if self._encoder is None:
            self._encoder = load_encoder(self.model, device=self.device)
        return self._encoder.encode(sentences, **kwargs)


def _digest(*parts: object) -> str:
    return hashlib.sha1(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()


def library_versions() -> dict[str, str]:
    versions = {"python": platform.python_version()}
    for name in LIBRARIES:
        try:
            versions[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def paragraphs_of(articles: pd.DataFrame, settings: Settings) -> pd.DataFrame:
    """Segment the articles and carry each article's outlet, date, title and url to its paragraphs."""
    return segmented(articles, settings).paragraphs


def segmented(articles: pd.DataFrame, settings: Settings) -> Segmentation:
    """paragraphs_of, plus the articles that gave no paragraph with their outlet, title and url."""
    paragraphs, unsegmented = segment_articles(
        articles[[ARTICLE_ID, TEXT]], min_chars=settings.min_chars,
        target_words=settings.target_words, max_words=settings.max_words)
    meta = articles.set_index(ARTICLE_ID)[[OUTLET, PUBLISHED, TITLE, URL]]
    paragraphs = paragraphs.join(meta, on=ARTICLE_ID)
    paragraphs[TEXT_HASH] = [text_hash(t) for t in paragraphs[TEXT]]
    unsegmented = unsegmented.join(meta[[OUTLET, TITLE, URL]], on=ARTICLE_ID)
    return Segmentation(paragraphs, unsegmented[[ARTICLE_ID, OUTLET, TITLE, URL, REASON]])


def no_paragraph_record(unsegmented: pd.DataFrame) -> dict:
    """The manifest's account of the articles that gave no paragraph: count, reasons, which."""
    rows = unsegmented.astype(object).where(unsegmented.notna(), None)
    return {"count": int(len(unsegmented)),
            "reasons": {str(k): int(v) for k, v in unsegmented[REASON].value_counts().items()},
            "articles": rows.to_dict("records")}


def mark_copies(paragraphs: pd.DataFrame) -> pd.DataFrame:
    """Needs paragraph_id, outlet, text; adds language, syndication_group and syndicated."""
    found = find_syndicated(paragraphs[[PARAGRAPH_ID, OUTLET, TEXT]]).set_index(PARAGRAPH_ID)
    return paragraphs.assign(
        **{LANGUAGE: detect_languages(paragraphs[TEXT].tolist()),
           SYNDICATION_GROUP: paragraphs[PARAGRAPH_ID].map(found[SYNDICATION_GROUP]).to_numpy(),
           SYNDICATED: paragraphs[PARAGRAPH_ID].map(found[SYNDICATED]).to_numpy()})


def _previous_map(store: Store, map_key: str) -> pd.DataFrame | None:
    """Coordinates and clusters of the current build when it was made from the same map inputs."""
    manifest = store.manifest()
    if not manifest or manifest.get("map_key") != map_key:
        return None
    return store.read_table("paragraphs")[[PARAGRAPH_ID, X, Y, CLUSTER, OUTLIER]]


def build_atlas(settings: Settings, *, encoder: Encoder | None = None,
                progress: Progress | None = None) -> dict:
    """Segment, embed, project, cluster, label and theme the store's articles; publish the build.

    Returns the build manifest. Nothing readers see changes until the new build is complete.
    """
    def report(done: int, total: int, what: str) -> None:
        if progress:
            progress(done, total, what)

    timings: dict[str, float] = {}
    started = clock = time.perf_counter()

    def lap(stage: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        timings[stage] = round(now - clock, 2)
        clock = now

    store = Store(settings.store)
    themes, file_threshold = read_themes(settings.themes_file)
    threshold = file_threshold if file_threshold is not None else settings.theme_threshold
    articles = store.read_articles()
    if articles.empty:
        raise AtlasError("no articles in this store yet: run `framing-atlas ingest FILE` first",
                         file=settings.store)

    report(0, 1, "segment: splitting articles into paragraphs")
    paragraphs, unsegmented = segmented(articles, settings)
    no_paragraph = no_paragraph_record(unsegmented)
    if paragraphs.empty:
        raise AtlasError("nothing to build: " + no_paragraph_note(no_paragraph["reasons"]),
                         file=settings.store)
    report(1, 1, f"segment: {len(paragraphs)} paragraphs from {len(articles)} articles")
    if no_paragraph["count"]:
        log.info("segment: %s", no_paragraph_note(no_paragraph["reasons"]))
    lap("segment")

    report(0, 1, "copies: languages and syndicated paragraphs")
    paragraphs = mark_copies(paragraphs)
    report(1, 1, f"copies: {int(paragraphs[SYNDICATED].sum())} syndicated paragraphs")
    lap("copies")

    encoder = encoder or LazyEncoder(settings.model, settings.device)
    cache = store.vector_cache(settings.model)
    vectors, embedded = embed(paragraphs[TEXT].tolist(), encoder=encoder, cache=cache,
                              batch_size=settings.batch_size,
                              progress=lambda d, t, w: report(d, t, f"embed: {w}"))
    lap("embed")

    input_hash = _digest(paragraphs[PARAGRAPH_ID].tolist(), paragraphs[TEXT_HASH].tolist())
    min_cluster_size = settings.min_cluster_size or auto_min_cluster_size(len(paragraphs))
    map_params = {"model": settings.model, "n_neighbors": settings.n_neighbors,
                  "min_dist": settings.min_dist, "seed": settings.seed,
                  "cluster_dims": settings.cluster_dims, "min_cluster_size": min_cluster_size,
                  "min_samples": settings.min_samples,
                  "max_cluster_share": settings.max_cluster_share, "noise": settings.noise}
    map_key = _digest(input_hash, map_params)
    previous = _previous_map(store, map_key)
    if previous is not None and previous[PARAGRAPH_ID].tolist() == paragraphs[PARAGRAPH_ID].tolist():
        report(1, 1, "project: same paragraphs and parameters as the last build, map reused")
        for name in (X, Y, CLUSTER, OUTLIER):
            paragraphs[name] = previous[name].to_numpy()
        lap("project")
        lap("cluster")
    else:
        report(0, 1, f"project: UMAP of {len(paragraphs)} paragraphs to 2-D and "
                     f"{settings.cluster_dims}-D")
        coords, space = project(vectors, dimensions=(2, settings.cluster_dims),
                                n_neighbors=settings.n_neighbors, min_dist=settings.min_dist,
                                seed=settings.seed)
        paragraphs[X], paragraphs[Y] = coords[:, 0], coords[:, 1]
        report(1, 1, "project: done")
        lap("project")
        report(0, 1, f"cluster: HDBSCAN, min_cluster_size={min_cluster_size}")
        labels, outliers = cluster(space, min_cluster_size=min_cluster_size,
                                   min_samples=settings.min_samples,
                                   max_cluster_share=settings.max_cluster_share,
                                   noise=settings.noise)
        paragraphs[CLUSTER], paragraphs[OUTLIER] = labels, outliers
        report(1, 1, f"cluster: {len(set(labels) - {-1})} clusters")
        lap("cluster")

    clusters = label_clusters(paragraphs, vectors, n_terms=settings.label_terms,
                              n_representatives=settings.representatives)
    lap("label")

    report(0, 1, f"themes: scoring against {', '.join(t.name for t in themes)}")
    sentences = [s for t in themes for s in t.description]
    sentence_vectors, _ = embed(sentences, encoder=encoder, cache=cache,
                                batch_size=settings.batch_size)
    bounds = np.cumsum([0] + [len(t.description) for t in themes])
    centroids = theme_centroids([sentence_vectors[a:b] for a, b in zip(bounds[:-1], bounds[1:])])
    scores = score_themes(vectors, centroids, [t.name for t in themes], threshold=threshold)
    paragraphs = pd.concat([paragraphs.reset_index(drop=True), scores], axis=1)
    report(1, 1, "themes: done")
    lap("themes")

    axes = read_axes(settings.axes_file) if Path(settings.axes_file).is_file() else []
    if axes:
        report(0, 1, f"axes: positions on {', '.join(a.name for a in axes)}")
        positions = axis_positions(vectors, embed_poles(axes, encoder=encoder, cache=cache))
        paragraphs = pd.concat([paragraphs, positions], axis=1)
        report(1, 1, "axes: done")
    lap("axes")

    axes_doc = {"axes": [{"name": a.name, "label": a.label,
                          "a": {"label": a.a.label, "sentences": list(a.a.sentences)},
                          "b": {"label": a.b.label, "sentences": list(a.b.sentences)}}
                         for a in axes]}
    report(0, 1, "neighbours: closest paragraphs of other outlets")
    paragraphs[NEIGHBOURS] = cross_outlet_neighbours(paragraphs, vectors).to_numpy()
    centroids = outlet_centroids(paragraphs, vectors)
    report(1, 1, "neighbours: done")
    lap("neighbours")

    theme_doc = {"threshold": threshold,
                 "themes": [{"name": t.name, "label": t.label, "description": list(t.description)}
                            for t in themes]}
    version = _digest(map_key, theme_doc, axes_doc, settings.label_terms, settings.representatives,
                      settings.min_chars, settings.target_words, settings.max_words)[:12]
    created = dt.datetime.now(dt.timezone.utc)
    build_id = f"{created:%Y%m%dT%H%M%S%fZ}-{version}"
    manifest = {
        "build_id": build_id, "version": version, "created": created.isoformat(),
        "model": settings.model, "parameters": {**map_params, "theme_threshold": threshold,
                                                "min_chars": settings.min_chars,
                                                "target_words": settings.target_words,
                                                "max_words": settings.max_words},
        "input_hash": input_hash, "map_key": map_key, "map_reused": previous is not None,
        "counts": {"articles": int(len(articles)), "paragraphs": int(len(paragraphs)),
                   "embedded": int(embedded), "clusters": int((clusters[CLUSTER] >= 0).sum()),
                   "outliers": int(paragraphs[OUTLIER].sum()),
                   "syndicated": int(paragraphs[SYNDICATED].sum()),
                   "outlets": int(paragraphs[OUTLET].nunique())},
        "no_paragraph": no_paragraph,
        "libraries": library_versions(),
    }
    report(0, 1, "write: publishing the build")
    timings["total"] = round(time.perf_counter() - started, 2)
    manifest["timings"] = timings
    store.publish_build(build_id, {"paragraphs": paragraphs, "clusters": clusters,
                                   "centroids": centroids},
                        {"themes": theme_doc, "axes": axes_doc, "manifest": manifest})
    report(1, 1, f"write: build {build_id}")
    log.info("build %s: %s", build_id, manifest["counts"])
    return manifest
