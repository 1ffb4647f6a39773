"""The map as a server-drawn image: its size and extent, exact counts per colour, the grey tail,
and the paragraphs a box or lasso holds."""

import io

import numpy as np
import pandas as pd
import pytest
from PIL import Image

from framing_atlas.errors import AtlasError
from framing_atlas.views.raster import (GREY, OTHER, PALETTE, bounds, data_extent, points_in,
                                        render, selected_rows, selection_shapes)


def pixels(raster) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(raster.png)).convert("RGBA"))


def hex_rgb(colour: str) -> tuple[int, int, int]:
    return tuple(int(colour[i:i + 2], 16) for i in (1, 3, 5))


def outlets_frame(counts: dict[str, int], seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    names = np.repeat(list(counts), list(counts.values()))
    return pd.DataFrame({"x": rng.uniform(0, 10, len(names)), "y": rng.uniform(-5, 5, len(names)),
                         "outlet": names})


def test_image_has_the_asked_size_and_covers_every_point():
    rows = outlets_frame({"Harbor Gazette (fictional)": 500, "Mill Town Radio (fictional)": 300})
    raster = render(rows, "outlet", width=300, height=200)
    assert (raster.width, raster.height) == (300, 200)
    assert pixels(raster).shape == (200, 300, 4)
    x0, x1, y0, y1 = raster.extent
    assert x0 < rows["x"].min() and x1 > rows["x"].max()
    assert y0 < rows["y"].min() and y1 > rows["y"].max()
    assert raster.total == 800


def test_legend_counts_are_exact_and_the_tail_is_grey():
    counts = {f"Outlet {i:02d} (fictional)": 40 + i for i in range(14)}
    rows = outlets_frame(counts)
    raster = render(rows, "outlet", width=120, height=80, top=10)
    coloured = raster.legend[:-1]
    assert len(coloured) == 10
    # The ten largest, largest first, with their exact counts and the palette in order.
    largest = sorted(counts.items(), key=lambda kv: -kv[1])[:10]
    assert [(name, n) for name, _, n in coloured] == largest
    assert [colour for _, colour, _ in coloured] == list(PALETTE)
    assert raster.legend[-1] == (OTHER, GREY, sum(counts.values()) - sum(n for _, n in largest))
    assert sum(n for _, _, n in raster.legend) == len(rows)


def test_few_categories_have_no_grey_entry():
    raster = render(outlets_frame({"A (fictional)": 3, "B (fictional)": 5}), "outlet",
                    width=50, height=50)
    assert [(name, n) for name, _, n in raster.legend] == [("B (fictional)", 5),
                                                          ("A (fictional)", 3)]


def test_a_lone_point_is_drawn_in_its_colour_where_it_lies():
    rows = pd.DataFrame({"x": [0.0, 10.0], "y": [0.0, 10.0], "outlet": ["A", "B"]})
    raster = render(rows, "outlet", width=101, height=101, extent=(0.0, 10.0, 0.0, 10.0))
    image = pixels(raster)
    colour = dict((name, c) for name, c, _ in raster.legend)
    # (0, 0) is the bottom-left corner: the last row of pixels; (10, 10) the top-right.
    assert tuple(image[-1, 0, :3]) == hex_rgb(colour["A"]) and image[-1, 0, 3] > 0
    assert tuple(image[0, -1, :3]) == hex_rgb(colour["B"]) and image[0, -1, 3] > 0
    assert image[50, 50, 3] == 0  # nothing in the middle


def test_the_tail_is_drawn_grey():
    names = {f"O{i}": 10 for i in range(3)}
    rows = pd.DataFrame({"x": [1.0, 9.0, 5.0], "y": [1.0, 9.0, 5.0], "outlet": list(names)})
    raster = render(rows, "outlet", width=11, height=11, extent=(0.0, 10.0, 0.0, 10.0), top=2)
    assert raster.legend[-1] == (OTHER, GREY, 1)
    assert tuple(pixels(raster)[5, 5, :3]) == hex_rgb(GREY)  # O2, the tail, at the centre


def test_rendering_is_deterministic():
    rows = outlets_frame({"A": 400, "B": 200, "C": 50})
    assert render(rows, "outlet", width=80, height=60).png == render(
        rows, "outlet", width=80, height=60).png


def test_empty_rows_give_a_transparent_image_and_no_legend():
    raster = render(pd.DataFrame({"x": [], "y": [], "outlet": []}), "outlet", width=40, height=30)
    assert raster.legend == () and raster.total == 0
    assert pixels(raster).shape == (30, 40, 4) and not pixels(raster)[..., 3].any()
    assert data_extent(pd.DataFrame({"x": [], "y": []})) == (0.0, 1.0, 0.0, 1.0)


def test_a_missing_column_is_named():
    with pytest.raises(AtlasError, match="cluster"):
        render(pd.DataFrame({"x": [1.0], "y": [1.0]}), "cluster")


def test_extent_of_a_single_point_is_a_unit_square_around_it():
    assert data_extent(pd.DataFrame({"x": [2.0], "y": [3.0]})) == (1.5, 2.5, 2.5, 3.5)


GRID = pd.DataFrame({"x": np.repeat(np.arange(5.0), 5), "y": np.tile(np.arange(5.0), 5)},
                    index=np.arange(100, 125))


def test_points_in_a_box_include_its_edges_in_either_order():
    inside = points_in(GRID, box=(3.0, 1.0, 1.0, 2.0))
    assert sorted(zip(inside["x"], inside["y"])) == [(x, y) for x in (1.0, 2.0, 3.0)
                                                     for y in (1.0, 2.0)]
    assert list(inside.index) == sorted(inside.index)  # rows keep their index (ids)
    assert points_in(GRID, box=(10, 11, 10, 11)).empty
    assert points_in(GRID).empty


def test_points_in_a_lasso():
    # A triangle with vertices (0,0), (4,0), (0,4) (open: the closing edge is implied); the
    # points strictly inside: x + y < 4, x > 0, y > 0.
    inside = points_in(GRID, lasso=([-0.5, 4.5, -0.5], [-0.5, -0.5, 4.5]))
    expected = {(x, y) for x in range(5) for y in range(5) if x + y <= 3}
    assert set(zip(inside["x"], inside["y"])) == expected
    # A concave (U-shaped) lasso leaves its notch out.
    u = ([-0.5, 4.5, 4.5, 3.5, 3.5, 0.5, 0.5, -0.5], [-0.5, -0.5, 4.5, 4.5, 0.5, 0.5, 4.5, 4.5])
    notch = points_in(GRID, lasso=u)
    assert (2.0, 2.0) not in set(zip(notch["x"], notch["y"]))
    assert {(0.0, 4.0), (4.0, 4.0), (2.0, 0.0)} <= set(zip(notch["x"], notch["y"]))
    assert len(notch) == 5 + 4 + 4  # the bottom row and both arms
    # Two vertices enclose nothing; mismatched lists neither.
    assert points_in(GRID, lasso=([0, 4], [0, 4])).empty
    assert points_in(GRID, lasso=([0, 4, 4], [0, 4])).empty


def test_points_in_an_empty_frame():
    assert points_in(GRID.iloc[:0], box=(0, 1, 0, 1)).empty


def test_selection_as_streamlit_reports_it():
    selection = {"points": [], "point_indices": [],
                 "box": [{"xref": "x", "yref": "y", "x": [0.5, 1.5], "y": [-1, 0.5]}],
                 "lasso": [{"xref": "x", "yref": "y", "x": [3.5, 4.5, 4.5], "y": [3.5, 3.5, 5]},
                           {"x": ["bad"], "y": [1]}, {"x": [1, 2], "y": [1, 2]}]}
    boxes, lassos = selection_shapes(selection)
    assert boxes == [(0.5, 1.5, -1.0, 0.5)] and len(lassos) == 1
    picked = selected_rows(GRID, selection)
    assert set(zip(picked["x"], picked["y"])) == {(1.0, 0.0), (4.0, 4.0)}
    assert bounds(boxes, lassos) == (0.5, 4.5, -1.0, 5.0)
    assert selection_shapes(None) == ([], []) and bounds([], []) is None
    assert selected_rows(GRID, {"box": [], "lasso": []}).empty
