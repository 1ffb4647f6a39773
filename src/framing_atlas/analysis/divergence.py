"""Divergence between sides, as the square tables a heatmap draws: Jensen–Shannon divergence
with raw and Holm-adjusted p-values (stats.js_divergence_matrix tests the pairs), and cosine
distances between the sides' mean paragraph vectors."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from framing_atlas.analysis.stats import centroid_distance_matrix
from framing_atlas.errors import require_columns
from framing_atlas.store import OUTLET


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
