import logging

import pandas as pd
import pytest

from conftest import ROOT

from framing_atlas.errors import AtlasError
from framing_atlas.analysis.groups import Group, assign_groups, read_groups


def test_project_groups_cover_every_demo_outlet_once():
    groups = read_groups(ROOT / "data" / "groups.toml")
    listed = [o for g in groups for o in g.outlets]
    demo = pd.read_csv(ROOT / "data" / "demo" / "articles.csv", usecols=["outlet"])
    assert sorted(listed) == sorted(demo["outlet"].unique())
    assert all(o.endswith("(fictional)") for o in listed)
    assert "state-aligned" in [g.name for g in groups]


@pytest.mark.parametrize("content, message", [
    ("title = 'none'", "no groups"),
    ("[[groups]\n", "not valid TOML"),
    ("[[groups]]\nname = ''\noutlets = ['A']", "group 1: name must be non-empty"),
    ("[[groups]]\nname = 'g'\noutlets = []", "group 1 \\('g'\\): outlets must be a non-empty"),
    ("[[groups]]\nname = 'g'", "group 1 \\('g'\\): outlets must be a non-empty"),
    ("[[groups]]\nname = 'g'\noutlets = ['A', 3]", "outlet names must be non-empty text"),
    ("[[groups]]\nname = 'g'\noutlets = ['A']\ncolour = 'red'", "unknown key\\(s\\) colour"),
    ("[[groups]]\nname = 'g'\noutlets = ['A']\n[[groups]]\nname = 'g'\noutlets = ['B']",
     "group 2: the name 'g' is used twice"),
    ("[[groups]]\nname = 'g'\noutlets = ['A']\n[[groups]]\nname = 'h'\noutlets = ['a ']",
     "group 2 \\('h'\\): outlet 'a' is already in group 'g'; an outlet may be in one group"),
    ("[[groups]]\nname = 'g'\noutlets = ['A', 'A']", "'A' is already listed in this group"),
])
def test_bad_groups_files_say_what_is_wrong(tmp_path, content, message):
    path = tmp_path / "groups.toml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(AtlasError, match=message) as err:
        read_groups(path)
    assert str(path) in str(err.value)


def test_missing_groups_file(tmp_path):
    with pytest.raises(AtlasError, match="groups file not found"):
        read_groups(tmp_path / "nope.toml")


GROUPS = [Group("state", ("Alpha TV",)), Group("public", ("Beta Radio", "Gamma  News"))]


def test_assign_groups_matches_names_loosely_and_keeps_the_rest():
    paragraphs = pd.DataFrame({"outlet": ["alpha tv", "Beta Radio", "GAMMA news", "Delta"]},
                              index=[10, 11, 12, 13])
    groups = assign_groups(paragraphs, GROUPS)
    assert groups.name == "group" and groups.index.tolist() == [10, 11, 12, 13]
    assert groups.tolist() == ["state", "public", "public", "Delta"]
    assert assign_groups(paragraphs, GROUPS, rest="other").tolist()[-1] == "other"


def test_assign_groups_logs_listed_outlets_without_rows(caplog):
    with caplog.at_level(logging.WARNING, logger="framing_atlas.analysis.groups"):
        assign_groups(pd.DataFrame({"outlet": ["Alpha TV"]}), GROUPS)
    assert "group 'public': no rows for outlet(s) Beta Radio, Gamma  News" in caplog.text


def test_an_ungrouped_outlet_named_like_a_group_is_an_error():
    with pytest.raises(AtlasError, match="state are in no group but have a group's name"):
        assign_groups(pd.DataFrame({"outlet": ["Alpha TV", "state"]}), GROUPS)
    # Lumped into `rest`, it no longer clashes.
    assert assign_groups(pd.DataFrame({"outlet": ["state"]}), GROUPS, rest="other").tolist() \
        == ["other"]


def test_assign_groups_on_a_custom_column():
    paragraphs = pd.DataFrame({"source": ["Alpha TV", "Beta Radio"]})
    assert assign_groups(paragraphs, GROUPS, outlet_col="source").tolist() == ["state", "public"]
    with pytest.raises(AtlasError, match="needs column\\(s\\) outlet"):
        assign_groups(paragraphs, GROUPS)
