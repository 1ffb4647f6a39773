import math

import numpy as np
import pandas as pd
import pytest

from conftest import ROOT

from framing_atlas.pipeline.axes import axis_positions, embed_poles, place_on_axes, read_axes
from framing_atlas.errors import AtlasError


def test_project_axes_file_is_valid():
    axes = read_axes(ROOT / "data" / "axes.toml")
    assert [a.name for a in axes] == ["nato", "weapons", "information"]
    assert all(3 <= len(pole.sentences) <= 4 for a in axes for pole in (a.a, a.b))
    assert axes[0].a.label.startswith("NATO is a defensive alliance")
    assert axes[0].b.label == "NATO expansion is a threat that encircles Russia"


GOOD_POLES = "[axes.a]\nsentences = ['x']\n[axes.b]\nsentences = ['y']\n"


@pytest.mark.parametrize("content, message", [
    ("[[axes]]\nname = 'Bad Name'\n" + GOOD_POLES, "axis 1: name must be lower-case"),
    ("[[axes]]\nname = 'a'\n" + GOOD_POLES + "[[axes]]\nname = 'a'\n" + GOOD_POLES,
     "axis 2: the name 'a' is used twice"),
    ("[[axes]]\nname = 'a'\n[axes.a]\nsentences = ['x']\n",
     "axis 1 \\('a'\\): pole 'b' is missing"),
    ("[[axes]]\nname = 'a'\n[axes.a]\nsentences = []\n[axes.b]\nsentences = ['y']\n",
     "axis 1 \\('a'\\): pole 'a': sentences must be a list"),
    ("[[axes]]\nname = 'a'\n[axes.a]\nlabel = 3\nsentences = ['x']\n[axes.b]\nsentences = ['y']\n",
     "pole 'a': label must be text"),
    ("title = 'no axes'", "no axes"),
    ("[[axes]\n", "not valid TOML"),
])
def test_bad_axes_files_say_what_is_wrong(tmp_path, content, message):
    path = tmp_path / "axes.toml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(AtlasError, match=message) as err:
        read_axes(path)
    assert str(path) in str(err.value)


def test_missing_axes_file(tmp_path):
    with pytest.raises(AtlasError, match="axes file not found"):
        read_axes(tmp_path / "nope.toml")


def test_positions_by_hand_in_2d():
    # Pole a = (1,0), pole b = (0,1): direction b − a = (−1, 1)/√2.
    # (0,1) → 1/√2 = 0.7071 (toward b); (1,0) → −0.7071 (toward a); (1,1)/√2 → 0 (neither).
    poles = {"nato": (np.array([[1.0, 0.0]]), np.array([[0.0, 1.0]]))}
    vectors = np.array([[0, 1], [1, 0], [math.sqrt(.5), math.sqrt(.5)]])
    table = axis_positions(vectors, poles)
    assert table.columns.tolist() == ["axis_nato"]
    assert table["axis_nato"].tolist() == pytest.approx([math.sqrt(.5), -math.sqrt(.5), 0],
                                                        abs=1e-6)


def test_positions_by_hand_in_3d_use_each_poles_unit_mean():
    # Pole a: (1,0,0) and (0,0,1) → mean (½,0,½) → unit (0.7071, 0, 0.7071); pole b: (0,1,0).
    # Direction (−0.7071, 1, −0.7071), norm √2. Paragraph (0,0,1): −0.7071/√2 = −0.5;
    # paragraph (0,1,0): 1/√2 = 0.7071.
    poles = {"w": (np.array([[1.0, 0, 0], [0, 0, 1.0]]), np.array([[0, 1.0, 0]]))}
    table = axis_positions(np.array([[0, 0, 1.0], [0, 1.0, 0]]), poles)
    assert table["axis_w"].tolist() == pytest.approx([-0.5, math.sqrt(.5)], abs=1e-6)


def test_identical_poles_are_an_error():
    with pytest.raises(AtlasError, match="same centre"):
        axis_positions(np.eye(2), {"x": (np.array([[1.0, 0]]), np.array([[2.0, 0]]))})


def test_embed_poles_with_fake_encoder(fake_encoder):
    axes = read_axes(ROOT / "data" / "axes.toml")
    poles = embed_poles(axes, encoder=fake_encoder)
    assert list(poles) == ["nato", "weapons", "information"]
    a, b = poles["weapons"]
    assert a.shape == (4, fake_encoder.dims) and b.shape == (4, fake_encoder.dims)
    text = ["Weapons for Ukraine escalate the war and prolong the bloodshed."]
    position = axis_positions(fake_encoder.encode(text), poles)["axis_weapons"].iloc[0]
    assert position > 0  # the first sentence of pole b leans toward b


def test_place_on_axes_adds_a_column_per_axis_and_nothing_without_axes(fake_encoder):
    axes = read_axes(ROOT / "data" / "axes.toml")
    texts = ["Weapons for Ukraine escalate the war.", "NATO is a defensive alliance."]
    paragraphs = pd.DataFrame({"paragraph_id": ["a", "b"], "text": texts})
    vectors = fake_encoder.encode(texts)
    placed = place_on_axes(paragraphs, vectors, axes, encoder=fake_encoder)
    expected = axis_positions(vectors, embed_poles(axes, encoder=fake_encoder))
    assert placed.columns.tolist() == ["paragraph_id", "text", "axis_nato", "axis_weapons",
                                       "axis_information"]
    pd.testing.assert_frame_equal(placed[expected.columns], expected)
    pd.testing.assert_frame_equal(place_on_axes(paragraphs, vectors, [], encoder=fake_encoder),
                                  paragraphs)
