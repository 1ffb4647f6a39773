"""The bundled demo: its texts, and seeding a store's vector cache with the shipped vectors."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyarrow.parquet as pq

from framing_atlas.pipeline.axes import read_axes
from framing_atlas.pipeline.build import paragraphs_of
from framing_atlas.pipeline.embed import BUNDLED_NAMES
from framing_atlas.inputs.ingest import ingest
from framing_atlas.settings import Settings
from framing_atlas.store import TEXT, TEXT_HASH, Store
from framing_atlas.pipeline.themes import read_themes


def demo_texts(corpus: Path, themes_file: Path, axes_file: Path, settings: Settings) -> list[str]:
    """Every text a default build of the demo embeds: paragraphs, theme and axis sentences."""
    articles, _ = ingest([corpus], Store(Path("/nonexistent")).read_articles())
    paragraphs = paragraphs_of(articles, settings)[TEXT].tolist()
    themes, _ = read_themes(themes_file)
    poles = [s for axis in read_axes(axes_file) for pole in (axis.a, axis.b)
             for s in pole.sentences]
    return list(dict.fromkeys(paragraphs + [s for t in themes for s in t.description] + poles))


def shipped_hashes(vectors_file: Path) -> set[str]:
    return set(pq.read_table(vectors_file, columns=[TEXT_HASH]).column(TEXT_HASH).to_pylist())


def seed_vector_cache(store: Store, vectors_file: Path, model: str) -> bool:
    """Put the shipped demo vectors into the store's cache (bundled model only); True if done."""
    if model not in BUNDLED_NAMES or not vectors_file.is_file():
        return False
    cache = store.vector_cache(model)
    cache.folder.mkdir(parents=True, exist_ok=True)
    target = cache.folder / "part-000000-demo.parquet"
    if not target.exists():
        shutil.copyfile(vectors_file, target)
    return True
