"""Theme labels people give: read from a CSV they edit, or made from paragraphs they marked.

A label says a paragraph's text is in (1) or out of (0) a theme. It is keyed by the text's hash,
so it outlives the build it was given in (store.LABEL_COLUMNS). A CSV of labels needs the
columns `theme` and `in_theme` and one of `text` or `text_hash`; other columns are ignored, so
the file `framing-atlas labels export` writes reads back as it is. Rows that cannot be used are
skipped and reported with their row and column; labels of themes the themes file does not have
are skipped and their theme named.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping

import pandas as pd

from framing_atlas.errors import AtlasError
from framing_atlas.inputs.rows import SOURCE_ROW, read_records
from framing_atlas.store import (IN_THEME, LABEL_COLUMNS, LABELLED_AT, TEXT, TEXT_HASH, THEME,
                                 text_hash)

# What a person may write for in and out of a theme (case and surrounding spaces ignored).
IN_WORDS = {"1": 1, "yes": 1, "in": 1, "true": 1, "1.0": 1,
            "0": 0, "no": 0, "out": 0, "false": 0, "0.0": 0}
# Why a row gave no label: what LabelImport.summary counts.
EMPTY_THEME = "empty theme"
UNKNOWN_THEME = "unknown theme"
BAD_IN_THEME = "in_theme not 1/0, yes/no or in/out"
NO_TEXT = "no text"
BAD_HASH = "malformed text_hash"
HASH_MISMATCH = "text_hash does not match text"
UNKNOWN_HASH = "text_hash of no paragraph in this store"
REPEATED = "labelled again further down"
MALFORMED = "malformed line"
SHA1 = re.compile(r"[0-9a-f]{40}")


@dataclass(frozen=True)
class LabelProblem:
    """A row of a labels file that gave no label, and why (`kind` is what the summary counts)."""

    file: str
    row: int
    column: str
    kind: str
    message: str
    value: str = ""
    unit: str = "row"

    def __str__(self) -> str:
        where = [self.file, f"{self.unit} {self.row}", f"column '{self.column}'" if self.column
                 else ""]
        return ": ".join([w for w in where if w] + [self.message])


@dataclass(frozen=True)
class LabelImport:
    """The labels read from a file, and every row that gave none (or was overridden)."""

    labels: pd.DataFrame  # store.LABEL_COLUMNS
    rows: int  # data rows read (malformed lines included)
    problems: list[LabelProblem] = field(default_factory=list)

    @property
    def unknown_themes(self) -> dict[str, int]:
        """Theme names the themes file does not have, with how many rows used each."""
        counts: dict[str, int] = {}
        for problem in self.problems:
            if problem.kind == UNKNOWN_THEME:
                counts[problem.value] = counts.get(problem.value, 0) + 1
        return counts

    def summary(self) -> str:
        """One line: rows read, labels kept (in/out), and how many rows each reason skipped."""
        kept = len(self.labels)
        n_in = int(self.labels[IN_THEME].sum()) if kept else 0
        reasons: dict[str, int] = {}
        for problem in self.problems:
            reasons[problem.kind] = reasons.get(problem.kind, 0) + 1
        parts = [f"read {self.rows} rows", f"kept {kept} labels ({n_in} in, {kept - n_in} out)"]
        for reason, count in reasons.items():
            if reason == UNKNOWN_THEME:
                names = ", ".join(repr(n) for n in self.unknown_themes)
                parts.append(f"skipped {count} of unknown theme {names}")
            elif reason == REPEATED:
                parts.append(f"{count} overridden by a later row for the same text and theme")
            else:
                parts.append(f"skipped {count}: {reason}")
        return "; ".join(parts)


def read_label_file(path: Path, themes: list[str], *, texts: Mapping[str, str] | None = None,
                    now: dt.datetime | None = None) -> LabelImport:
    """Labels from a CSV (or any table read_records reads) for the themes named in `themes`.

    A row with only a text_hash takes its text from `texts` (text hash → paragraph text, e.g.
    the current build's paragraphs): a detector learns from the text. Raises AtlasError when
    the file cannot be read or lacks a needed column; a row that cannot be used is skipped and
    reported (LabelImport.problems), never dropped silently.
    """
    path = Path(path)
    records, malformed = read_records(path)
    problems = [LabelProblem(str(path), int(p.row or 0), "", MALFORMED,
                             f"malformed line ({p.detail}): {p.value[:60]!r}", p.value, unit="line")
                for p in malformed]
    columns = {str(c).strip().lower(): c for c in records.columns if c != SOURCE_ROW}
    missing = [c for c in (THEME, IN_THEME) if c not in columns]
    if missing:
        raise AtlasError(f"no column {' or '.join(repr(c) for c in missing)}: a labels file "
                         f"needs theme, in_theme and text (or text_hash)", file=path)
    if TEXT not in columns and TEXT_HASH not in columns:
        raise AtlasError("no column 'text' or 'text_hash': a label needs the paragraph it is "
                         "about", file=path)
    stamp = _stamp(now)
    known = set(themes)
    kept: list[dict] = []
    for record in records.to_dict("records"):
        row = int(record[SOURCE_ROW])
        cell = {name: str(record[original]) for name, original in columns.items()}
        label = _label_of(cell, known, texts or {})
        if isinstance(label, dict):
            kept.append({**label, LABELLED_AT: stamp, SOURCE_ROW: row})
        else:
            column, kind, message, value = label
            problems.append(LabelProblem(str(path), row, column, kind, message, value))
    labels = pd.DataFrame(kept, columns=LABEL_COLUMNS + [SOURCE_ROW])
    repeated = labels.duplicated([TEXT_HASH, THEME], keep="last")
    for row, theme in labels.loc[repeated, [SOURCE_ROW, THEME]].itertuples(index=False):
        problems.append(LabelProblem(str(path), int(row), THEME, REPEATED,
                                     f"the same text is labelled for {theme!r} again further "
                                     "down: the later row is kept", theme))
    labels = labels[~repeated].drop(columns=SOURCE_ROW).reset_index(drop=True)
    labels[IN_THEME] = labels[IN_THEME].astype("int8")
    problems.sort(key=lambda p: p.row)
    return LabelImport(labels, rows=len(records) + len(malformed), problems=problems)


def _label_of(cell: dict[str, str], known: set[str],
              texts: Mapping[str, str]) -> dict | tuple[str, str, str, str]:
    """One row's label, or (column, kind, message, value) of the problem that keeps it out."""
    theme = cell[THEME].strip()
    if not theme:
        return THEME, EMPTY_THEME, "empty theme", ""
    if theme not in known:
        return (THEME, UNKNOWN_THEME, f"no theme named {theme!r} in the themes file "
                f"(themes: {', '.join(sorted(known))})", theme)
    raw = cell[IN_THEME].strip()
    if raw.lower() not in IN_WORDS:
        return IN_THEME, BAD_IN_THEME, f"expected 1/0, yes/no or in/out, got {raw!r}", raw
    text = cell.get(TEXT, "")
    given = cell.get(TEXT_HASH, "").strip().lower()
    if given and not SHA1.fullmatch(given):
        return (TEXT_HASH, BAD_HASH, f"expected 40 hexadecimal characters (or nothing), got "
                f"{given[:60]!r}", given)
    if text.strip():
        text = _undefused(text, given)
        if given and text_hash(text) != given:
            return (TEXT_HASH, HASH_MISMATCH, "is not the hash of this row's text: correct one "
                    "of them, or empty text_hash", given)
    elif given and given in texts:
        text = texts[given]
    elif given:
        return (TEXT_HASH, UNKNOWN_HASH, f"{given} is no paragraph of this store's build: give "
                "the paragraph's text", given)
    else:
        return TEXT, NO_TEXT, "empty text and no text_hash: which paragraph is meant?", ""
    return {TEXT_HASH: text_hash(text), THEME: theme, IN_THEME: IN_WORDS[raw.lower()], TEXT: text}


def _undefused(text: str, given_hash: str) -> str:
    """The text as labelled: the export (views.filters.to_csv) puts an apostrophe before a text a
    spreadsheet would read as a formula; it goes again when the hash says it was added."""
    if text.startswith("'") and given_hash and text_hash(text[1:]) == given_hash:
        return text[1:]
    return text


def _stamp(now: dt.datetime | None) -> str:
    return (now or dt.datetime.now(dt.timezone.utc)).isoformat(timespec="seconds")


def labels_from_paragraphs(paragraphs: pd.DataFrame, theme: str, in_theme: bool, *,
                           now: dt.datetime | None = None) -> pd.DataFrame:
    """Needs text (and text_hash, else it is computed); returns one label per distinct text
    (store.LABEL_COLUMNS) saying it is in or out of `theme`."""
    texts = paragraphs[TEXT].astype(str)
    hashes = (paragraphs[TEXT_HASH].astype(str) if TEXT_HASH in paragraphs
              else texts.map(text_hash))
    labels = pd.DataFrame({TEXT_HASH: hashes.to_numpy(), THEME: theme,
                           IN_THEME: int(bool(in_theme)), TEXT: texts.to_numpy(),
                           LABELLED_AT: _stamp(now)})
    labels = labels[~labels[TEXT_HASH].duplicated()].reset_index(drop=True)
    labels[IN_THEME] = labels[IN_THEME].astype("int8")
    return labels[LABEL_COLUMNS]
