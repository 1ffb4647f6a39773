"""Filter paragraphs the way the dashboard and `framing-atlas export` do, and write safe CSV."""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from framing_atlas.store import (CLUSTER, CLUSTER_LABEL, DETECTED_PREFIX, LANGUAGE, OUTLET,
                                 PARAGRAPH_ID, PUBLISHED, SCORE_PREFIX, SYNDICATED,
                                 SYNDICATION_GROUP, TEXT, THEME, TITLE, URL, X, Y)


@dataclass(frozen=True)
class Filters:
    """A view of the corpus. Empty tuples mean 'all'; dates are inclusive."""

    outlets: tuple[str, ...] = ()
    since: dt.date | None = None
    until: dt.date | None = None
    themes: tuple[str, ...] = ()
    clusters: tuple[int, ...] = ()
    text: str = ""
    languages: tuple[str, ...] = ()
    # "show" every paragraph, "once": one paragraph per syndication group, "hide" syndicated ones
    syndicated: str = "show"


SYNDICATED_MODES = ("show", "once", "hide")


def contains_text(texts: pd.Series | pa.Array | pa.ChunkedArray, text: str) -> np.ndarray:
    """Which texts contain `text`, ignoring case (a missing text contains nothing): one
    boolean per text. Arrow's match_substring, the search pandas' own str.contains(case=False)
    runs on Arrow strings, so a column kept in memory and one memory-mapped agree."""
    if isinstance(texts, pd.Series):
        texts = pa.array(texts.astype("str"), type=pa.large_string())
    found = pc.match_substring(texts, text.strip(), ignore_case=True).fill_null(False)
    return np.asarray(found.to_numpy(zero_copy_only=False), dtype=bool)


def filter_mask(paragraphs: pd.DataFrame, filters: Filters,
                text_matches: Callable[[str], np.ndarray] | None = None) -> np.ndarray:
    """Needs outlet, published, theme, cluster, and text unless `text_matches` (the search
    string → one boolean per row) searches it elsewhere; one boolean per row: kept or not.

    A date bound drops undated paragraphs, since nobody can say they fall inside it.
    """
    keep = pd.Series(True, index=paragraphs.index)
    if filters.outlets:
        keep &= paragraphs[OUTLET].isin(filters.outlets)
    if filters.since is not None:
        keep &= paragraphs[PUBLISHED] >= pd.Timestamp(filters.since)
    if filters.until is not None:
        keep &= paragraphs[PUBLISHED] < pd.Timestamp(filters.until) + pd.Timedelta(days=1)
    if filters.themes:
        keep &= paragraphs[THEME].isin(filters.themes)
    if filters.clusters:
        keep &= paragraphs[CLUSTER].isin(filters.clusters)
    if filters.text.strip():
        keep &= (text_matches(filters.text.strip()) if text_matches is not None
                 else contains_text(paragraphs[TEXT], filters.text))
    if filters.languages and LANGUAGE in paragraphs:
        keep &= paragraphs[LANGUAGE].isin(filters.languages)
    if filters.syndicated != "show" and SYNDICATED in paragraphs:
        copies = paragraphs[SYNDICATED].astype(bool)
        if filters.syndicated == "hide":
            keep &= ~copies
        else:  # the earliest copy of each group stands for the group
            first = (paragraphs[copies & keep].sort_values([PUBLISHED, PARAGRAPH_ID])
                     .drop_duplicates(SYNDICATION_GROUP).index)
            keep &= ~copies | paragraphs.index.isin(first)
    return keep.to_numpy(dtype=bool)


def filter_paragraphs(paragraphs: pd.DataFrame, filters: Filters) -> pd.DataFrame:
    """Needs outlet, published, theme, cluster, text; returns the rows the filters keep
    (filter_mask's)."""
    return paragraphs[filter_mask(paragraphs, filters)]


def export_table(paragraphs: pd.DataFrame, clusters: pd.DataFrame) -> pd.DataFrame:
    """The downloadable table: outlet, published, title, url, paragraph, cluster, cluster_label,
    theme, one score column per theme, one has_<theme> column per theme (true where the theme's
    detector marks the paragraph; several or none may be), x, y, then language, syndicated,
    syndication_group."""
    labels = clusters.set_index(CLUSTER)["label"]
    scores = [c for c in paragraphs.columns if c.startswith(SCORE_PREFIX)]
    detected = [c for c in paragraphs.columns if c.startswith(DETECTED_PREFIX)]
    table = pd.DataFrame({
        OUTLET: paragraphs[OUTLET],
        PUBLISHED: paragraphs[PUBLISHED].dt.strftime("%Y-%m-%d").fillna(""),
        TITLE: paragraphs[TITLE],
        URL: paragraphs[URL],
        "paragraph": paragraphs[TEXT],
        CLUSTER: paragraphs[CLUSTER],
        CLUSTER_LABEL: paragraphs[CLUSTER].map(labels).fillna(""),
        THEME: paragraphs[THEME],
        **{c: paragraphs[c].round(4) for c in scores},
        **{c: paragraphs[c] for c in detected},
        X: paragraphs[X].round(4),
        Y: paragraphs[Y].round(4),
        **{c: paragraphs[c] for c in (LANGUAGE, SYNDICATED, SYNDICATION_GROUP) if c in paragraphs},
    })
    return table.reset_index(drop=True)


# OWASP's six CSV-injection characters (= + - @ TAB CR) start a formula in a spreadsheet cell;
# spaces or line breaks before = + - @ do not stop it.
_FORMULA_START = re.compile(r"^(?:[\t\r]|\s*[=+\-@])")
# Spreadsheets set to split on semicolons or tabs (many European locales) would start a new
# cell after one: a formula there is defused in place. Commas are this file's separator and
# always sit inside a quoted cell, so prose like "thanks, @name" is kept exactly.
_FORMULA_AFTER_SEPARATOR = re.compile(r"(?<=[;\t])([ ]*)(?=[=+\-@])")


def _defuse(value: object) -> object:
    """A text cell that no spreadsheet runs as a formula: a leading apostrophe makes it text."""
    if not isinstance(value, str):
        return value
    value = _FORMULA_AFTER_SEPARATOR.sub(r"\1'", value)
    if _FORMULA_START.match(value):
        return "'" + value
    return value


def to_csv(table: pd.DataFrame) -> bytes:
    """UTF-8 CSV (with BOM so spreadsheets read the encoding) in which no text cell is a formula.

    Every cell is quoted, so a separator inside a text never splits it (OWASP's advice), and a
    text cell (or column name) that could start a formula gets a leading apostrophe. Numbers
    stay numbers: a negative score is written as -0.25, quoted.
    """
    safe = table.copy()
    for name in safe.columns:
        if safe[name].dtype == object or pd.api.types.is_string_dtype(safe[name]):
            safe[name] = safe[name].map(_defuse)
    safe.columns = [_defuse(name) for name in safe.columns]
    return safe.to_csv(index=False, quoting=csv.QUOTE_ALL, lineterminator="\n").encode("utf-8-sig")
