"""Distinctive terms per outlet by class-based TF-IDF (a ranking; stats.log_odds adds a
bootstrap over articles)."""

from __future__ import annotations

import pandas as pd

from framing_atlas.pipeline.label import distinctive_terms
from framing_atlas.store import OUTLET, TEXT


def outlet_terms(paragraphs: pd.DataFrame, *, top: int = 12) -> dict[str, list[str]]:
    """Each outlet's most distinctive terms against the other outlets (class-based TF-IDF)."""
    return distinctive_terms(paragraphs.set_index(OUTLET)[TEXT], top=top)
