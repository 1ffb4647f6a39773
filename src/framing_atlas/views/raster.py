"""The map as an image: every paragraph's x/y drawn server-side (datashader), coloured by a
category, with the exact count behind each colour; and the paragraphs a box or lasso encloses.

Sending a million points to the browser fails (Plotly's message passes Streamlit's limit), and a
few hundred thousand already take seconds a filter. An image of a fixed size costs the same at
any N, so the dashboard draws one above a size where single dots stop helping, places it under
Plotly axes in the same data coordinates, and answers a box or lasso drawn on it here.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Callable, Sequence

import numpy as np
import pandas as pd

from framing_atlas.errors import require_columns
from framing_atlas.store import X, Y

# Tableau 10: distinct on white and for most colour-blind readers; the tail is grey.
PALETTE = ("#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f",
           "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#17becf")
OTHER = "other"
GREY = "#a0a0a0"

Extent = tuple[float, float, float, float]  # x0, x1, y0, y1


@dataclass(frozen=True)
class Raster:
    """A PNG of `width` × `height` pixels covering `extent` (x0, x1, y0, y1) in data
    coordinates: pixel row 0 is y1, the top. `legend` is (category, colour, paragraphs) for the
    coloured categories, most paragraphs first, then OTHER in grey for the rest."""

    png: bytes
    width: int
    height: int
    extent: Extent
    legend: tuple[tuple[str, str, int], ...]
    total: int


def data_extent(rows: pd.DataFrame, *, margin: float = 0.02) -> Extent:
    """The rows' x/y range with a small margin, so no dot sits on the image's edge; a single
    point (or none) gets a unit square around it."""
    x = rows[X].to_numpy(dtype="float64")
    y = rows[Y].to_numpy(dtype="float64")
    x, y = x[np.isfinite(x) & np.isfinite(y)], y[np.isfinite(x) & np.isfinite(y)]
    if not len(x):
        return (0.0, 1.0, 0.0, 1.0)
    bounds = []
    for low, high in ((x.min(), x.max()), (y.min(), y.max())):
        pad = (high - low) * margin if high > low else 0.5
        bounds += [float(low - pad), float(high + pad)]
    return tuple(bounds)  # type: ignore[return-value]


def categories(values: pd.Series, *, top: int = len(PALETTE),
               name: Callable[[object], str] = str) -> tuple[np.ndarray, list[tuple[str, str, int]]]:
    """Each value's entry in the legend (its row number there), and the legend with exact
    counts: the `top` most frequent names (ties by name) in colour, the rest as one grey OTHER
    entry. `name` names a value (missing values are named ""); it is called once per distinct
    value, never per row, so a million rows cost one factorize."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    counts = np.bincount(codes[codes >= 0], minlength=len(uniques))
    names = [name(u) for u in uniques]
    totals: dict[str, int] = {}
    for value_name, count in zip(names, counts.tolist()):
        totals[value_name] = totals.get(value_name, 0) + count
    missing = int((codes < 0).sum())
    if missing:
        totals[""] = totals.get("", 0) + missing
    order = sorted(totals.items(), key=lambda item: (-item[1], item[0]))
    kept = [n for n, _ in order[:top]]
    legend = [(n, PALETTE[i % len(PALETTE)], totals[n]) for i, n in enumerate(kept)]
    rest = sum(totals.values()) - sum(n for _, _, n in legend)
    if rest:
        legend.append((OTHER if OTHER not in kept else f"{OTHER} (the rest)", GREY, rest))
    slot = {n: i for i, n in enumerate(kept)}
    other = len(legend) - 1
    # One more entry at the end for missing values (code -1).
    entry = np.array([slot.get(n, other) for n in names] + [slot.get("", other)], dtype=np.int64)
    return entry[codes], legend


def render(rows: pd.DataFrame, category: str, *, width: int = 900, height: int = 640,
           extent: Extent | None = None, top: int = len(PALETTE),
           name: Callable[[object], str] = str) -> Raster:
    """Needs x, y and `category`; draws every row as a pixel-sized dot (a few pixels where they
    are sparse), coloured by its category as `name` names it: the `top` most frequent get
    PALETTE colours, the rest grey. Pixels holding several categories mix their colours by
    count; density shows as opacity (histogram-equalised, so sparse regions stay visible).
    Deterministic."""
    import datashader as ds
    import datashader.transfer_functions as tf

    require_columns(rows, [X, Y, category], stage="raster")
    window = extent or data_extent(rows)
    x0, x1, y0, y1 = window
    entries, legend = categories(rows[category], top=top, name=name)
    if not len(rows) or not legend:
        image = np.zeros((height, width, 4), dtype=np.uint8)
        return Raster(_png(image), width, height, window, (), 0)
    # The categories are slots "0" … "top" whatever the legend says: datashader compiles its
    # aggregation for the category names it is given, which took a third of a second on every
    # filter change while the names were the outlets' own.
    slots = [str(i) for i in range(top + 1)]
    frame = pd.DataFrame({
        "x": rows[X].to_numpy(dtype="float64"), "y": rows[Y].to_numpy(dtype="float64"),
        "c": pd.Categorical.from_codes(entries, categories=slots)})
    canvas = ds.Canvas(plot_width=width, plot_height=height, x_range=(x0, x1), y_range=(y0, y1))
    counts = canvas.points(frame, "x", "y", agg=ds.count_cat("c"))
    colours = [c for _, c, _ in legend] + [GREY] * (len(slots) - len(legend))
    shaded = tf.shade(counts, color_key=dict(zip(slots, colours)), how="eq_hist", min_alpha=90)
    # Lone dots would be a single pixel: spreading up to 2 pixels keeps sparse areas visible.
    shaded = tf.dynspread(shaded, threshold=0.5, max_px=2)
    pixels = shaded.to_numpy() if hasattr(shaded, "to_numpy") else shaded.data
    # datashader packs RGBA into uint32 (little-endian) with row 0 at y0: flip so row 0 is y1.
    image = np.ascontiguousarray(pixels[::-1]).view(np.uint8).reshape(height, width, 4)
    return Raster(_png(image), width, height, window, tuple(legend), int(len(rows)))


def _png(image: np.ndarray) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.fromarray(image, mode="RGBA").save(out, format="PNG")
    return out.getvalue()


def in_box(x: np.ndarray, y: np.ndarray, box: Extent) -> np.ndarray:
    """Mask of points inside the box (x0, x1, y0, y1) in either order, edges included."""
    bx0, bx1, by0, by1 = box
    return ((x >= min(bx0, bx1)) & (x <= max(bx0, bx1))
            & (y >= min(by0, by1)) & (y <= max(by0, by1)))


def in_lasso(x: np.ndarray, y: np.ndarray, xs: Sequence[float], ys: Sequence[float]) -> np.ndarray:
    """Mask of points inside the closed polygon through (xs, ys) (even-odd rule, as Plotly's
    lasso); fewer than three vertices enclose nothing. One pass per edge, vectorised over the
    points inside the polygon's bounding box."""
    px, py = np.asarray(xs, dtype="float64"), np.asarray(ys, dtype="float64")
    inside = np.zeros(len(x), dtype=bool)
    if len(px) != len(py) or len(px) < 3:
        return inside
    near = np.flatnonzero(in_box(x, y, (px.min(), px.max(), py.min(), py.max())))
    cx, cy = x[near], y[near]
    hit = np.zeros(len(near), dtype=bool)
    for ax, ay, bx, by in zip(px, py, np.roll(px, -1), np.roll(py, -1)):
        crosses = (ay > cy) != (by > cy)
        if not crosses.any():
            continue
        with np.errstate(divide="ignore", invalid="ignore"):
            at = ax + (cy - ay) * (bx - ax) / (by - ay)
        hit ^= crosses & (cx < at)
    inside[near] = hit
    return inside


def points_in(rows: pd.DataFrame, box: Extent | None = None,
              lasso: tuple[Sequence[float], Sequence[float]] | None = None) -> pd.DataFrame:
    """Needs x, y; the rows inside the box (x0, x1, y0, y1) or the lasso (xs, ys) in data
    coordinates (both given: inside either, as Plotly's shift-added selections)."""
    require_columns(rows, [X, Y], stage="points_in")
    x = rows[X].to_numpy(dtype="float64")
    y = rows[Y].to_numpy(dtype="float64")
    mask = np.zeros(len(rows), dtype=bool)
    if box is not None:
        mask |= in_box(x, y, box)
    if lasso is not None:
        mask |= in_lasso(x, y, *lasso)
    return rows[mask]


def selection_shapes(selection: object
                     ) -> tuple[list[Extent], list[tuple[list[float], list[float]]]]:
    """The boxes and lassos of a Plotly selection as Streamlit reports it ({"box": [{"x": [x0,
    x1], "y": [y0, y1]}], "lasso": [{"x": [...], "y": [...]}]}); malformed shapes are left out."""
    boxes: list[Extent] = []
    lassos: list[tuple[list[float], list[float]]] = []
    if not hasattr(selection, "get"):
        return boxes, lassos
    for shape in selection.get("box") or []:
        xs, ys = _coordinates(shape)
        if len(xs) == 2 and len(ys) == 2:
            boxes.append((xs[0], xs[1], ys[0], ys[1]))
    for shape in selection.get("lasso") or []:
        xs, ys = _coordinates(shape)
        if len(xs) == len(ys) and len(xs) >= 3:
            lassos.append((xs, ys))
    return boxes, lassos


def _coordinates(shape: object) -> tuple[list[float], list[float]]:
    try:
        xs = [float(v) for v in shape.get("x") or []]  # type: ignore[union-attr]
        ys = [float(v) for v in shape.get("y") or []]  # type: ignore[union-attr]
    except (AttributeError, TypeError, ValueError):
        return [], []
    if not all(np.isfinite(xs)) or not all(np.isfinite(ys)):
        return [], []
    return xs, ys


def selected_rows(rows: pd.DataFrame, selection: object) -> pd.DataFrame:
    """Needs x, y; the rows inside any box or lasso of a Streamlit Plotly selection."""
    require_columns(rows, [X, Y], stage="selected_rows")
    boxes, lassos = selection_shapes(selection)
    x = rows[X].to_numpy(dtype="float64")
    y = rows[Y].to_numpy(dtype="float64")
    mask = np.zeros(len(rows), dtype=bool)
    for box in boxes:
        mask |= in_box(x, y, box)
    for xs, ys in lassos:
        mask |= in_lasso(x, y, xs, ys)
    return rows[mask]


def bounds(boxes: Sequence[Extent], lassos: Sequence[tuple[Sequence[float], Sequence[float]]]
           ) -> Extent | None:
    """The smallest window (x0, x1, y0, y1) holding every box and lasso, or None without any."""
    xs = [v for b in boxes for v in b[:2]] + [v for lx, _ in lassos for v in lx]
    ys = [v for b in boxes for v in b[2:]] + [v for _, ly in lassos for v in ly]
    if not xs or min(xs) == max(xs) or min(ys) == max(ys):
        return None
    return (min(xs), max(xs), min(ys), max(ys))
