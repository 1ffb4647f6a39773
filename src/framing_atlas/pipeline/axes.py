"""Frame axes: where each paragraph sits between two opposite framings (SemAxis-style).

An axis has two poles, each described by a few sentences ("NATO is a defensive alliance" against
"NATO expansion encircles Russia"). A paragraph's position on the axis is the cosine between its
embedding and the direction from pole a's centre to pole b's centre (An, Kwak & Ahn 2018,
"SemAxis"): positive leans toward pole b, negative toward pole a, 0 is neither (or off-topic).
Positions compare paragraphs and groups with each other; they are not probabilities, and a
value near 0 says nothing about whether a paragraph is on the story at all.

This is the stage (reading the axes, embedding their poles, placing paragraphs); the statistics
on positions (group means with intervals, effect sizes) are in analysis/axes.py.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping, Sequence

import numpy as np
import pandas as pd

from framing_atlas.pipeline.embed import Encoder, embed
from framing_atlas.errors import AtlasError
from framing_atlas.tomlfiles import named_blocks, read_blocks
from framing_atlas.store import AXIS_PREFIX, VectorCache
from framing_atlas.pipeline.themes import theme_centroids

log = logging.getLogger(__name__)


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


def axis_column(name: str) -> str:
    return f"{AXIS_PREFIX}{name}"


def read_axes(path: Path) -> list[Axis]:
    """Axes from a TOML file of [[axes]] blocks, each with name, label, [axes.a] and [axes.b]
    (label and sentences); says exactly what is wrong where."""
    path = Path(path)
    data, entries = read_blocks(path, "axes", needs="name, [axes.a] and [axes.b]")
    axes = []
    for where, name, entry in named_blocks(entries, kind="axis", path=path, example="nato"):
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


def place_on_axes(paragraphs: pd.DataFrame, vectors: np.ndarray, axes: Sequence[Axis], *,
                  encoder: Encoder, cache: VectorCache | None = None) -> pd.DataFrame:
    """Needs paragraph vectors (row i of `vectors` is row i of `paragraphs`); adds axis_<name>
    per axis (none without axes). The poles' sentences are embedded through `cache`."""
    if not axes:
        return paragraphs
    positions = axis_positions(vectors, embed_poles(axes, encoder=encoder, cache=cache))
    return pd.concat([paragraphs.reset_index(drop=True), positions], axis=1)


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
