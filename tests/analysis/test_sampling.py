"""Whole articles drawn from each side for the analyses that read text."""

import numpy as np
import pandas as pd
import pytest

from framing_atlas.analysis.sampling import article_sample, sample_note
from framing_atlas.errors import AtlasError


def corpus(articles_per_outlet: dict[str, int], paragraphs: int = 3) -> pd.DataFrame:
    rows = [(outlet, f"{outlet}-{a}", p) for outlet, n in articles_per_outlet.items()
            for a in range(n) for p in range(paragraphs)]
    return pd.DataFrame(rows, columns=["outlet", "article_id", "position"])


def test_each_side_keeps_at_most_its_quota_of_whole_articles():
    frame = corpus({"Big": 40, "Small": 3})
    rows, summary = article_sample(frame, side_col="outlet", per_side=10)
    kept = rows.groupby("outlet")["article_id"].nunique().to_dict()
    assert kept == {"Big": 10, "Small": 3}
    assert (rows.groupby("article_id").size() == 3).all()  # whole articles, every paragraph
    assert summary.set_index("side").loc["Big", ["articles", "sampled"]].tolist() == [40, 10]
    assert "Terms read from 13 of 43 articles: at most 10 per outlet (1 outlets have more)" \
        in sample_note(summary, per_side=10)


def test_nothing_to_cut_returns_the_same_rows_and_no_note():
    frame = corpus({"A": 5, "B": 5})
    rows, summary = article_sample(frame, side_col="outlet", per_side=10)
    assert rows is frame and sample_note(summary, per_side=10) == ""


def test_the_same_articles_are_drawn_whatever_else_is_filtered():
    frame = corpus({"A": 60})
    everything, _ = article_sample(frame, side_col="outlet", per_side=20)
    fewer = frame[frame["article_id"].str[-1].isin(list("02468"))]  # half the articles
    narrowed, _ = article_sample(fewer, side_col="outlet", per_side=20)
    shared = set(fewer["article_id"]) & set(everything["article_id"])
    # Articles drawn before and still in view are drawn again.
    assert shared <= set(narrowed["article_id"])
    again, _ = article_sample(frame.sample(frac=1, random_state=1), side_col="outlet",
                              per_side=20)
    assert set(again["article_id"]) == set(everything["article_id"])  # order does not matter


def test_bad_quota_and_missing_columns_are_said():
    with pytest.raises(AtlasError, match="per_side must be"):
        article_sample(corpus({"A": 1}), side_col="outlet", per_side=0)
    with pytest.raises(AtlasError, match="group"):
        article_sample(corpus({"A": 1}), side_col="group")
    empty, summary = article_sample(corpus({}), side_col="outlet")
    assert empty.empty and summary.empty
