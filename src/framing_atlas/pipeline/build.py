"""build_atlas(): the stages in order, from ingested articles to a published build.

Every stage is a function of a stage module: a frame in, a new frame out with named columns
added (its docstring's first line says which). Stages that need the embeddings take them as a
second argument, row i of `vectors` being row i of the frame. Stages.run times and reports each
one; the functions below build_atlas decide what it cannot see at a glance: whether the last
build's map can be reused, and what the manifest records.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib.metadata
import json
import logging
import platform
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, TypeVar

import numpy as np
import pandas as pd

from framing_atlas.errors import AtlasError
from framing_atlas.pipeline.axes import Axis, place_on_axes, read_axes
from framing_atlas.pipeline.cluster import auto_min_cluster_size, cluster_paragraphs
from framing_atlas.pipeline.embed import Encoder, embed, load_encoder, vectors_key
from framing_atlas.pipeline.label import label_clusters
from framing_atlas.pipeline.language import add_language
from framing_atlas.pipeline.neighbours import add_neighbours, outlet_centroids
from framing_atlas.pipeline.place import place_paragraphs, placed_summary
from framing_atlas.pipeline.project import project_paragraphs
from framing_atlas.pipeline.ray_engine import embed_with_ray
from framing_atlas.pipeline.segment import Segmentation, no_paragraph_note, segment_articles
from framing_atlas.pipeline.syndication import find_syndicated
from framing_atlas.pipeline.theme_model import Detector, detection_columns, shipped_path
from framing_atlas.pipeline.themes import Theme, assign_themes, read_themes, train_detectors
from framing_atlas.settings import Settings
from framing_atlas.store import (ARTICLE_ID, CLUSTER, LANGUAGE, OUTLET, OUTLIER, PARAGRAPH_ID, PUBLISHED,
                                 PLACED, REASON, SPACE_PREFIX, SYNDICATED, TEXT, TEXT_HASH, TITLE,
                                 URL, X, Y, Progress, Store, VectorCache, text_hash)

log = logging.getLogger(__name__)

T = TypeVar("T")

LIBRARIES = ["framing-atlas", "sentence-transformers", "torch", "transformers", "umap-learn",
             "scikit-learn", "numpy", "pandas", "pyarrow"]
# The map's parameters each stage takes (the others, model, decide the vectors).
PROJECT_OPTIONS = ("cluster_dims", "n_neighbors", "min_dist", "seed")
CLUSTER_OPTIONS = ("min_cluster_size", "min_samples", "max_cluster_share", "noise")


def build_atlas(settings: Settings, *, encoder: Encoder | None = None,
                progress: Progress | None = None, relayout: bool = False) -> dict:
    """Segment, embed, project, cluster, label and theme the store's articles; publish the build.

    When the current build's map was made with the same parameters, its paragraphs keep their
    place and cluster and new ones are placed among them (pipeline.place); `relayout` lays the
    whole map out afresh instead. Returns the build manifest. Nothing readers see changes until
    the new build is complete.
    """
    store, stages = Store(settings.store), Stages(progress)
    # One writer at a time: a second build (or an ingest) waits, saying who holds the store.
    with store.writing("a build", waiting=lambda message: stages.report(0, 1, message)):
        return _build(settings, store, stages, encoder=encoder, relayout=relayout)


def _build(settings: Settings, store: Store, stages: Stages, *, encoder: Encoder | None,
           relayout: bool) -> dict:
    """build_atlas's stages in order, with the store's write lock held."""
    themes, threshold = themes_of(settings)
    axes = read_axes(settings.axes_file) if Path(settings.axes_file).is_file() else []
    articles = articles_to_build(store)
    encoder = encoder or LazyEncoder(settings.model, settings.device, kind=settings.encoder,
                                     model_cache=settings.model_cache)
    # int8 vectors are close to the fp32 ones but not equal: each encoder has its own cache.
    cache = store.vector_cache(vectors_key(settings.model, settings.encoder))

    segmentation = stages.run("segment", segmented, articles, min_chars=settings.min_chars,
                              target_words=settings.target_words, max_words=settings.max_words)
    paragraphs, no_paragraph = segmentation.paragraphs, no_paragraph_record(segmentation, store)
    # A paragraph's language depends on its text alone: the current build's answer is kept.
    paragraphs = stages.run("language", reusing, add_language, paragraphs,
                            earlier_results(store, [LANGUAGE]))
    paragraphs = stages.run("copies", find_syndicated, paragraphs)
    vectors, embedded = stages.run("embed", embed_paragraphs, paragraphs[TEXT].tolist(),
                                   settings=settings, store=store, encoder=encoder, cache=cache,
                                   progress=stages.within("embed"))
    inputs = map_inputs(paragraphs, settings)
    previous = None if relayout else previous_map(store, inputs, paragraphs)
    earlier = None if relayout or previous is not None else earlier_map(store, inputs, paragraphs)
    paragraphs = map_paragraphs(paragraphs, vectors, inputs, previous=previous, earlier=earlier,
                                stages=stages)
    clusters = stages.run("label", label_clusters, paragraphs, vectors,
                          n_terms=settings.label_terms, n_representatives=settings.representatives)
    # The shipped classifiers were trained on the fp32 model's vectors; the int8 encoder's are
    # that model's within a cosine of about 0.99, so it uses the same file (keyed by model).
    detectors = stages.run("teach", train_detectors, themes, threshold=threshold,
                           encoder=encoder, cache=cache, batch_size=settings.batch_size,
                           shipped=shipped_path(settings.theme_models, settings.model),
                           labels=store.read_labels())
    themes_built = themes_document(themes, threshold, detectors)
    paragraphs = stages.run("themes", reusing, assign_themes, paragraphs,
                            earlier_themes(store, themes_built, detectors, settings),
                            detectors, vectors=vectors)
    paragraphs = stages.run("axes", place_on_axes, paragraphs, vectors, axes, encoder=encoder,
                            cache=cache)
    paragraphs = stages.run("neighbours", add_neighbours, paragraphs, vectors)
    centroids = stages.run("centroids", outlet_centroids, paragraphs, vectors)

    documents = {"themes": themes_built,
                 "axes": axes_document(axes)}
    manifest = manifest_of(settings, documents, inputs, map_reused=previous is not None,
                           placement=placed_summary(paragraphs),
                           counts=counts_of(articles, paragraphs, clusters, embedded),
                           no_paragraph=no_paragraph, timings=stages.total())
    stages.run("write", publish, store, manifest, documents, paragraphs=paragraphs,
               clusters=clusters, centroids=centroids)
    log.info("build %s: %s", manifest["build_id"], manifest["counts"])
    return manifest


# What each stage's progress messages say when it starts, and when it is done.
DOING = {"segment": "splitting articles into paragraphs", "language": "detecting languages",
         "copies": "finding syndicated paragraphs", "embed": "paragraph vectors",
         "project": "UMAP to 2-D and to the space clusters are found in", "cluster": "HDBSCAN",
         "label": "naming clusters by their distinctive terms",
         "teach": "training each theme's detector on its labelled paragraphs",
         "themes": "scoring paragraphs against the themes", "axes": "positions on the frame axes",
         "neighbours": "closest paragraphs of other outlets",
         "centroids": "each outlet's sum of vectors", "write": "publishing the build"}
DONE: dict[str, Callable[[Any], str]] = {
    "segment": lambda segmentation: f"{len(segmentation.paragraphs)} paragraphs",
    "copies": lambda paragraphs: f"{int(paragraphs[SYNDICATED].sum())} syndicated paragraphs",
    "embed": lambda result: f"{result[1]} new vectors, the others cached",
    "project": lambda paragraphs: (
        f"{len(paragraphs)} paragraphs laid out" if PLACED not in paragraphs else
        f"{int(paragraphs[PLACED].sum())} of {len(paragraphs)} paragraphs placed on the earlier "
        "map" + ("; a fresh layout is advised (framing-atlas build --relayout)"
                 if placed_summary(paragraphs)["relayout_advised"] else "")),
    "cluster": lambda paragraphs: f"{len(set(paragraphs[CLUSTER]) - {-1})} clusters",
    "label": lambda clusters: f"{int((clusters[CLUSTER] >= 0).sum())} clusters named",
    "teach": lambda detectors: "; ".join(
        f"{d.name}: {d.method} ({d.n_labels} labels)" for d in detectors),
    "write": lambda folder: f"build {folder.name}",
}


class Stages:
    """Runs a build's stages one after another: reports each through `progress` as it starts
    and ends (messages from DOING and DONE), and keeps its duration for the manifest."""

    def __init__(self, progress: Progress | None = None) -> None:
        self.progress = progress
        self.timings: dict[str, float] = {}
        self.started = time.perf_counter()

    def report(self, done: int, total: int, what: str) -> None:
        if self.progress:
            self.progress(done, total, what)

    def within(self, name: str) -> Progress:
        """The callback for a stage that reports its own steps: each named after the stage."""
        return lambda done, total, what: self.report(done, total, f"{name}: {what}")

    def run(self, name: str, stage: Callable[..., T], *args: Any, doing: str | None = None,
            **options: Any) -> T:
        """stage(*args, **options), timed, and reported as "name: doing" then "name: done"."""
        self.report(0, 1, f"{name}: {doing or DOING.get(name, 'running')}")
        started = time.perf_counter()
        result = stage(*args, **options)
        self.timings[name] = round(time.perf_counter() - started, 2)
        self.report(1, 1, f"{name}: {DONE[name](result) if name in DONE else 'done'}")
        return result

    def total(self) -> dict[str, float]:
        """Each stage's seconds so far, and the whole build's as `total`."""
        return {**self.timings, "total": round(time.perf_counter() - self.started, 2)}


class LazyEncoder:
    """Loads the model on first use, so a rebuild that finds every vector cached never loads it
    (nor exports the int8 graph)."""

    def __init__(self, model: str, device: str, *, kind: str = "torch",
                 model_cache: Path = Path("data/cache/models")) -> None:
        self.model, self.device, self._encoder = model, device, None
        self.kind, self.model_cache = kind, model_cache

    def encode(self, sentences: list[str], **kwargs) -> np.ndarray:
        if self._encoder is None:
            self._encoder = load_encoder(self.model, device=self.device, encoder=self.kind,
                                         model_cache=self.model_cache)
        return self._encoder.encode(sentences, **kwargs)


# What goes in --------------------------------------------------------------------------------
def themes_of(settings: Settings) -> tuple[list[Theme], float]:
    """The themes and their threshold: the themes file's if it sets one, else the settings'."""
    themes, threshold = read_themes(settings.themes_file)
    return themes, threshold if threshold is not None else settings.theme_threshold


def articles_to_build(store: Store) -> pd.DataFrame:
    articles = store.read_articles()
    if articles.empty:
        raise AtlasError("no articles in this store yet: run `framing-atlas ingest FILE` first",
                         file=store.root)
    return articles


def paragraphs_of(articles: pd.DataFrame, settings: Settings) -> pd.DataFrame:
    """Segment the articles and carry each article's outlet, date, title and url to its paragraphs."""
    return segmented(articles, min_chars=settings.min_chars, target_words=settings.target_words,
                     max_words=settings.max_words).paragraphs


def segmented(articles: pd.DataFrame, *, min_chars: int, target_words: int,
              max_words: int) -> Segmentation:
    """Needs article_id, outlet, published, title, url, text; returns the paragraphs (adds
    paragraph_id, position and text_hash) and the articles that gave none, with their reason.

    Each paragraph carries its article's outlet, published, title and url; each article without
    a paragraph its outlet, title and url.
    """
    paragraphs, unsegmented = segment_articles(
        articles[[ARTICLE_ID, TEXT]], min_chars=min_chars, target_words=target_words,
        max_words=max_words)
    meta = articles.set_index(ARTICLE_ID)[[OUTLET, PUBLISHED, TITLE, URL]]
    paragraphs = paragraphs.join(meta, on=ARTICLE_ID)
    paragraphs[TEXT_HASH] = [text_hash(t) for t in paragraphs[TEXT]]
    unsegmented = unsegmented.join(meta[[OUTLET, TITLE, URL]], on=ARTICLE_ID)
    return Segmentation(paragraphs, unsegmented[[ARTICLE_ID, OUTLET, TITLE, URL, REASON]])


def no_paragraph_record(segmentation: Segmentation, store: Store) -> dict:
    """The manifest's account of the articles that gave no paragraph: count, reasons, which.

    Raises AtlasError, saying why, when no article gave a paragraph at all.
    """
    unsegmented = segmentation.unsegmented
    rows = unsegmented.astype(object).where(unsegmented.notna(), None)
    record = {"count": int(len(unsegmented)),
              "reasons": {str(k): int(v) for k, v in unsegmented[REASON].value_counts().items()},
              "articles": rows.to_dict("records")}
    if segmentation.paragraphs.empty:
        raise AtlasError("nothing to build: " + no_paragraph_note(record["reasons"]),
                         file=store.root)
    if record["count"]:
        log.info("segment: %s", no_paragraph_note(record["reasons"]))
    return record


# Per-paragraph results the current build already has ------------------------------------------
def earlier_results(store: Store, columns: list[str]) -> pd.DataFrame | None:
    """The current build's `columns`, one row per text hash (the index), or None when there is
    no build or it lacks one of them."""
    if store.current_build() is None:
        return None
    earlier = store.read_table("paragraphs", columns=[TEXT_HASH, *columns])
    if any(column not in earlier for column in columns):
        return None
    return earlier.drop_duplicates(TEXT_HASH).set_index(TEXT_HASH)


def earlier_themes(store: Store, themes: dict, detectors: list[Detector],
                   settings: Settings) -> pd.DataFrame | None:
    """The current build's theme columns by text hash, when that build scored paragraphs with
    the same detectors (its themes document is `themes`) on vectors of the same model and
    encoder."""
    manifest = store.manifest()
    if not manifest:
        return None
    made_with = {**UNRECORDED, **manifest.get("parameters", {})}
    if (made_with.get("model"), made_with.get("encoder")) != (settings.model, settings.encoder):
        return None
    if json.loads(json.dumps(themes, default=str)) != store.read_document("themes"):
        return None
    return earlier_results(store, detection_columns(detectors))


def reusing(stage: Callable[..., pd.DataFrame], paragraphs: pd.DataFrame,
            earlier: pd.DataFrame | None, *args: Any, vectors: np.ndarray | None = None,
            **options: Any) -> pd.DataFrame:
    """`stage` (vectors first when given) run only on the paragraphs whose text `earlier` (by
    text hash, see earlier_results) lacks; the others take earlier's columns. Rows keep their
    order; the result is what running the stage on every paragraph gives."""
    def run(rows: pd.DataFrame, row_vectors: np.ndarray | None) -> pd.DataFrame:
        given = () if row_vectors is None else (row_vectors,)
        return stage(rows, *given, *args, **options)

    if earlier is None:
        return run(paragraphs, vectors)
    paragraphs = paragraphs.reset_index(drop=True)
    known = paragraphs[TEXT_HASH].isin(earlier.index).to_numpy()
    taken = earlier.loc[paragraphs.loc[known, TEXT_HASH]].set_axis(np.flatnonzero(known))
    parts = [taken]
    if not known.all():
        new = np.flatnonzero(~known)
        fresh = run(paragraphs.iloc[new].reset_index(drop=True),
                    None if vectors is None else vectors[new])
        parts.append(fresh[list(earlier.columns)].set_axis(new))
    columns = pd.concat(parts).sort_index() if len(parts) > 1 else taken
    return paragraphs.drop(columns=list(earlier.columns), errors="ignore").join(columns)


def embed_paragraphs(texts: list[str], *, settings: Settings, store: Store, encoder: Encoder,
                     cache: VectorCache, progress: Progress | None = None
                     ) -> tuple[np.ndarray, int]:
    """The vectors of `texts` and how many were computed, on the engine the settings name:
    this process (embed), or Ray Data (ray_engine; its Parquet files in ray_work_dir, by
    default the store's work folder). Both fill the same cache: their vectors agree to float
    rounding (batches are padded differently)."""
    if settings.engine == "ray":
        return embed_with_ray(texts, model=settings.model, cache=cache,
                              batch_size=settings.batch_size, workers=settings.ray_workers,
                              address=settings.ray_address,
                              work_dir=settings.ray_work_dir or store.root / "work",
                              progress=progress)
    return embed(texts, encoder=encoder, cache=cache, batch_size=settings.batch_size,
                 progress=progress)


# The map: reused when nothing that decides it changed ---------------------------------------
@dataclass(frozen=True)
class MapInputs:
    """What decides the map (x, y, cluster, outlier): the paragraphs and the parameters."""

    parameters: dict  # model and encoder, UMAP and HDBSCAN options
    input_hash: str  # paragraph ids and text hashes, in order
    key: str  # both: equal keys give the same map


def map_inputs(paragraphs: pd.DataFrame, settings: Settings) -> MapInputs:
    min_cluster_size = settings.min_cluster_size or auto_min_cluster_size(len(paragraphs))
    parameters = {"model": settings.model, "encoder": settings.encoder,
                  "n_neighbors": settings.n_neighbors,
                  "min_dist": settings.min_dist, "seed": settings.seed,
                  "cluster_dims": settings.cluster_dims, "min_cluster_size": min_cluster_size,
                  "min_samples": settings.min_samples,
                  "max_cluster_share": settings.max_cluster_share, "noise": settings.noise}
    input_hash = _digest(paragraphs[PARAGRAPH_ID].tolist(), paragraphs[TEXT_HASH].tolist())
    return MapInputs(parameters, input_hash, _digest(input_hash, parameters))


def previous_map(store: Store, inputs: MapInputs, paragraphs: pd.DataFrame) -> pd.DataFrame | None:
    """The current build's x, y, cluster and outlier if it was made from the same map inputs
    (the same paragraphs in the same order, the same parameters), else None."""
    manifest = store.manifest()
    if not manifest or manifest.get("map_key") != inputs.key:
        return None
    previous = store.read_table("paragraphs", build=manifest["build_id"],
                                columns=[PARAGRAPH_ID, X, Y, CLUSTER, OUTLIER, PLACED])
    same = previous[PARAGRAPH_ID].tolist() == paragraphs[PARAGRAPH_ID].tolist()
    return previous if same else None


# The map's parameters that must match for new paragraphs to be placed on the earlier map
# (min_cluster_size grows with the corpus; the clusters kept are the earlier build's anyway).
# The encoder is one of them: int8 vectors are never placed on a map laid out from fp32 ones.
PLACEMENT_KEYS = ("model", "encoder", "n_neighbors", "min_dist", "seed", "cluster_dims",
                  "min_samples", "max_cluster_share", "noise")
# What a build made before a parameter was recorded used: builds before the `encoder` setting
# all ran torch's fp32 model, so their maps still take new paragraphs from that encoder.
UNRECORDED = {"encoder": "torch"}
# Below this share of the paragraphs already on the earlier map, the build lays out afresh.
MIN_KEPT = 0.5


def earlier_map(store: Store, inputs: MapInputs, paragraphs: pd.DataFrame
                ) -> tuple[np.ndarray, pd.DataFrame] | None:
    """Which paragraphs the current build's map already has (same id and text), and their x, y,
    cluster, outlier and placed, in the order of `paragraphs`: when that map was made with the
    same parameters (PLACEMENT_KEYS) and holds at least MIN_KEPT of the paragraphs; else None."""
    manifest = store.manifest()
    if not manifest:
        return None
    made_with = manifest.get("parameters", {})
    if any(made_with.get(key, UNRECORDED.get(key)) != inputs.parameters[key]
           for key in PLACEMENT_KEYS):
        return None
    earlier = store.read_table("paragraphs", build=manifest["build_id"],
                               columns=[PARAGRAPH_ID, TEXT_HASH, X, Y, CLUSTER, OUTLIER, PLACED])
    earlier = earlier.drop_duplicates(PARAGRAPH_ID).set_index(PARAGRAPH_ID)
    found = earlier.reindex(paragraphs[PARAGRAPH_ID].to_numpy())
    kept = (found[TEXT_HASH].to_numpy() == paragraphs[TEXT_HASH].to_numpy())
    if kept.sum() < MIN_KEPT * len(paragraphs):
        return None
    return kept, found[kept].drop(columns=[TEXT_HASH]).reset_index(drop=True)


def map_paragraphs(paragraphs: pd.DataFrame, vectors: np.ndarray, inputs: MapInputs, *,
                   previous: pd.DataFrame | None, stages: Stages,
                   earlier: tuple[np.ndarray, pd.DataFrame] | None = None) -> pd.DataFrame:
    """Needs paragraph vectors; adds x, y, cluster and outlier (and placed): the previous build's
    map when nothing that decides it changed (an edit of themes or axes); the earlier map with
    the new paragraphs placed on it (earlier_map); else projected and clustered afresh."""
    if previous is not None:
        return stages.run("project", reuse_map, paragraphs, previous,
                          doing="same paragraphs and parameters as the last build, map reused")
    if earlier is not None:
        kept, positions = earlier
        return stages.run("project", place_paragraphs, paragraphs, vectors, kept, positions,
                          doing=f"{int((~kept).sum())} new paragraphs placed among their "
                                "nearest on the earlier map")
    options = inputs.parameters
    paragraphs = stages.run("project", project_paragraphs, paragraphs, vectors,
                            progress=stages.within("project"),
                            **{name: options[name] for name in PROJECT_OPTIONS})
    return stages.run("cluster", cluster_paragraphs, paragraphs,
                      **{name: options[name] for name in CLUSTER_OPTIONS})


def reuse_map(paragraphs: pd.DataFrame, previous: pd.DataFrame) -> pd.DataFrame:
    """Needs paragraph_id, in the order of `previous` (see previous_map); adds x, y, cluster and
    outlier (and placed) from the previous build."""
    return paragraphs.assign(**{name: previous[name].to_numpy()
                                for name in (X, Y, CLUSTER, OUTLIER, PLACED) if name in previous})


# What comes out ------------------------------------------------------------------------------
def themes_document(themes: list[Theme], threshold: float,
                    detectors: list[Detector] | None = None) -> dict:
    """The themes as built: descriptions, and each detector's method, threshold, label counts,
    cross-validated quality and out-of-fold scores (for corrected shares)."""
    detectors = detectors or [None] * len(themes)
    return {"threshold": threshold,
            "themes": [{"name": t.name, "label": t.label, "description": list(t.description),
                        **({"detector": d.document()} if d is not None else {})}
                       for t, d in zip(themes, detectors)]}


def axes_document(axes: list[Axis]) -> dict:
    return {"axes": [{"name": a.name, "label": a.label,
                      "a": {"label": a.a.label, "sentences": list(a.a.sentences)},
                      "b": {"label": a.b.label, "sentences": list(a.b.sentences)}}
                     for a in axes]}


def counts_of(articles: pd.DataFrame, paragraphs: pd.DataFrame, clusters: pd.DataFrame,
              embedded: int) -> dict[str, int]:
    return {"articles": int(len(articles)), "paragraphs": int(len(paragraphs)),
            "embedded": int(embedded), "clusters": int((clusters[CLUSTER] >= 0).sum()),
            "outliers": int(paragraphs[OUTLIER].sum()),
            "syndicated": int(paragraphs[SYNDICATED].sum()),
            "outlets": int(paragraphs[OUTLET].nunique())}


def manifest_of(settings: Settings, documents: dict, inputs: MapInputs, *, map_reused: bool,
                counts: dict, no_paragraph: dict, timings: dict,
                placement: dict | None = None) -> dict:
    """The build's manifest; its version is a hash of everything that decides the build's tables."""
    themes = documents["themes"]
    version = _digest(inputs.key, themes, documents["axes"], settings.label_terms,
                      settings.representatives, settings.min_chars, settings.target_words,
                      settings.max_words)[:12]
    created = dt.datetime.now(dt.timezone.utc)
    return {
        "build_id": f"{created:%Y%m%dT%H%M%S%fZ}-{version}", "version": version,
        "created": created.isoformat(), "model": settings.model, "engine": settings.engine,
        **({"ray": ray_document(settings)} if settings.engine == "ray" else {}),
        "parameters": {**inputs.parameters, "theme_threshold": themes["threshold"],
                       "min_chars": settings.min_chars, "target_words": settings.target_words,
                       "max_words": settings.max_words},
        "input_hash": inputs.input_hash, "map_key": inputs.key, "map_reused": map_reused,
        "map": placement or {},
        "counts": counts, "no_paragraph": no_paragraph, "libraries": library_versions(),
        "timings": timings,
    }


def publish(store: Store, manifest: dict, documents: dict, *, paragraphs: pd.DataFrame,
            clusters: pd.DataFrame, centroids: pd.DataFrame) -> Path:
    """Write the build (without the working space_* columns) and make it the current one."""
    working = [c for c in paragraphs.columns if str(c).startswith(SPACE_PREFIX)]
    return store.publish_build(manifest["build_id"],
                               {"paragraphs": paragraphs.drop(columns=working),
                                "clusters": clusters, "centroids": centroids},
                               {**documents, "manifest": manifest})


def ray_document(settings: Settings) -> dict:
    """Where the Ray engine ran: its workers, the cluster ("local": started for the build), Ray."""
    try:
        version = importlib.metadata.version("ray")
    except importlib.metadata.PackageNotFoundError:
        version = "not installed"
    return {"workers": settings.ray_workers, "address": settings.ray_address or "local",
            "version": version}


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
