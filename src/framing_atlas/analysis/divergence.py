"""Divergence between sides, as the square tables a heatmap draws: Jensen–Shannon divergence
with raw and Holm-adjusted p-values (stats.js_divergence_matrix tests the pairs), and cosine
distances between the sides' mean paragraph vectors."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from framing_atlas.analysis.sampling import article_sample
from framing_atlas.analysis.stats import centroid_distance_matrix
from framing_atlas.errors import require_columns
from framing_atlas.store import ARTICLE_ID, OUTLET

# A divergence table tests every pair of sides with thousands of permutations of their
# articles: at most this many sides (those with the most articles in view), each with at most
# this many articles (drawn as analysis.sampling draws them), so it answers in seconds at any
# corpus size. Many more pairs would not read as a heatmap anyway.
MAX_SIDES = 8
TEST_ARTICLES = 200


@dataclass(frozen=True)
class DivergenceMatrix:
    """Sides × sides frames in the order of `names`, symmetric; the diagonal is 0 in `jsd` and
    NaN in the p-values (a side is not tested against itself)."""
    names: list
    jsd: pd.DataFrame
    p_value: pd.DataFrame
    p_holm: pd.DataFrame


def pair_count(sides: int) -> int:
    """How many pairs `sides` sides make: the number of tests a divergence table adjusts for."""
    return sides * (sides - 1) // 2


def divergence_input(paragraphs: pd.DataFrame, *, side_col: str, max_sides: int = MAX_SIDES,
                     per_side: int = TEST_ARTICLES, article_col: str = ARTICLE_ID
                     ) -> tuple[pd.DataFrame, list[str]]:
    """Needs `side_col` and `article_col`. The rows a divergence table tests: those of the
    `max_sides` sides with the most articles (ties by name), at most `per_side` whole articles
    each; and sentences saying what was left out (none when nothing was)."""
    require_columns(paragraphs, [side_col, article_col], stage="divergence_input")
    articles = paragraphs.groupby(side_col, observed=True)[article_col].nunique()
    ranked = sorted(articles.items(), key=lambda item: (-item[1], str(item[0])))
    notes = []
    if len(ranked) > max_sides:
        kept = [side for side, _ in ranked[:max_sides]]
        paragraphs = paragraphs[paragraphs[side_col].isin(kept)]
        notes.append(f"The {max_sides} of the {len(ranked)} sides with the most articles in view "
                     "are tested; choose outlets in the sidebar to test others.")
    rows, sampled = article_sample(paragraphs, side_col=side_col, per_side=per_side,
                                   article_col=article_col)
    cut = sampled[sampled["sampled"] < sampled["articles"]]
    if len(cut):
        notes.append(f"Each side is tested on at most {per_side} of its articles, drawn at random "
                     f"({len(cut)} sides have more): divergence and p-values are those of the "
                     "articles drawn.")
    return rows, notes


def divergence_matrix(pairs: pd.DataFrame) -> DivergenceMatrix:
    """stats.js_divergence_matrix's pairs (group_a, group_b, jsd, p_value, p_holm) as square,
    symmetric frames over every side named in a pair, sorted by name."""
    require_columns(pairs, ["group_a", "group_b", "jsd", "p_value", "p_holm"],
                    stage="divergence_matrix")
    names = sorted(set(pairs["group_a"]) | set(pairs["group_b"]), key=str)

    def square(values: str) -> pd.DataFrame:
        half = pairs.pivot(index="group_a", columns="group_b", values=values).reindex(
            index=names, columns=names)
        return half.combine_first(half.T)

    return DivergenceMatrix(names=names, jsd=square("jsd").fillna(0.0),
                            p_value=square("p_value"), p_holm=square("p_holm"))


def side_centroid_distances(centroids: pd.DataFrame, paragraphs: pd.DataFrame, *,
                            side_col: str) -> pd.DataFrame:
    """Cosine distances between the sides' centroids, from the build's per-outlet centroid
    table and the side each outlet of `paragraphs` belongs to (an outlet is in one side)."""
    require_columns(paragraphs, [OUTLET, side_col], stage="side_centroid_distances")
    sides = paragraphs.drop_duplicates(OUTLET).set_index(OUTLET)[side_col]
    return centroid_distance_matrix(centroids, sides)
