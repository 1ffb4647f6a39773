"""Media Cloud-style keyword queries."""

import numpy as np
import pytest

from framing_atlas.errors import AtlasError
from framing_atlas.pipeline.query import parse_query, query_hits

TEXTS = ["NATO enlargement to the east", "The alliance is joining forces", "RT was banned",
         "art and sport", "A drone strike hit the depot", "nothing here"]


@pytest.mark.parametrize("query, expected", [
    ("NATO", [1, 0, 0, 0, 0, 0]),
    ("enlarg*", [1, 0, 0, 0, 0, 0]),
    ("(NATO OR alliance) AND (enlarg* OR join*)", [1, 1, 0, 0, 0, 0]),
    ("RT AND ban*", [0, 0, 1, 0, 0, 0]),  # capitals: not the 'rt' inside 'art' or 'sport'
    ('"drone strike" OR nothing', [0, 0, 0, 0, 1, 1]),
    ("alliance AND join* OR RT", [0, 1, 1, 0, 0, 0]),  # AND binds tighter than OR
    ('"strike hit"', [0, 0, 0, 0, 1, 0]),
])
def test_queries_match_whole_words_with_and_or_brackets_phrases_and_endings(query, expected):
    assert query_hits(TEXTS, query).astype(int).tolist() == expected


@pytest.mark.parametrize("query, message", [
    ("", "empty"),
    ("NATO AND", "ends after 'AND'"),
    ("(NATO OR alliance", "without its"),
    ("NATO alliance", "two terms need AND or OR"),
    ("OR NATO", "'OR' where a term should be"),
])
def test_malformed_queries_say_what_is_wrong(query, message):
    with pytest.raises(AtlasError, match=message):
        parse_query(query)


def test_a_theme_query_is_checked_when_the_themes_file_is_read(tmp_path):
    from framing_atlas.pipeline.themes import read_themes

    path = tmp_path / "themes.toml"
    path.write_text("[[themes]]\nname = 'a'\ndescription = ['x']\nquery = 'NATO AND'\n")
    with pytest.raises(AtlasError, match=r"theme 1 \('a'\): the query ends after 'AND'"):
        read_themes(path)
    path.write_text("[[themes]]\nname = 'a'\ndescription = ['x']\nquery = 'NATO OR alliance'\n")
    assert read_themes(path)[0][0].query == "NATO OR alliance"


def test_hits_are_one_per_text_for_a_large_column():
    hits = query_hits(np.array(TEXTS * 1000, dtype=object), "NATO OR RT")
    assert hits.shape == (6000,) and hits.sum() == 2000
