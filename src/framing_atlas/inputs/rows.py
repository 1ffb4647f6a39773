"""Rows: what every reader shares. A table's rows as strings with their source row numbers, the
row problems readers report (file, row, column, value, reason), and url normalisation.

The readers (ingest's tables, webpages, feeds, link lists) import this module; it imports none
of them, so the readers and ingest never import each other in a circle.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import logging
import zlib
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pandas as pd

from framing_atlas.errors import AtlasError

log = logging.getLogger(__name__)

# What each kind of input file is called; every reader and ingest's detection use these.
DELIMITED_SUFFIXES = (".csv", ".csv.gz", ".tsv", ".tsv.gz")  # tables, and CSV link lists
SUFFIXES = DELIMITED_SUFFIXES + (".jsonl", ".jsonl.gz", ".ndjson", ".json", ".parquet")
PAGE_SUFFIXES = (".html", ".htm", ".xhtml")  # saved web pages
ZIP_SUFFIX = ".zip"  # an archive of saved pages
SAVED_PAGE_SUFFIXES = PAGE_SUFFIXES + (ZIP_SUFFIX,)
FEED_SUFFIXES = (".xml", ".rss", ".atom")
LIST_SUFFIXES = (".txt",)  # a list of links, one a line
# One article a file, or a news-database export of many (a .txt is either, or a list of links:
# its content decides).
TEXT_SUFFIXES = (".txt", ".md", ".markdown")
DOCX_SUFFIX = ".docx"
DOCUMENT_SUFFIXES = TEXT_SUFFIXES + (DOCX_SUFFIX,)

# Where a row came from (its row, line or entry number); readers add it, normalize_articles
# reads it and drops it. The name cannot collide with a real column.
SOURCE_ROW = "\x1fsource_row"
MALFORMED = "malformed line"
UNREADABLE = "unreadable file"


@dataclass(frozen=True)
class RowProblem:
    """A row skipped (or kept with a remark, when `reason` starts with "kept"), and where it is.

    `row` counts in `unit`s: a table's row (the line where its record starts; a CSV's header is
    line 1), a link list's line, a feed's entry; None when the whole file is meant. `reason` is
    what the report counts; `detail` says more about this one row. `total` is how many `unit`s
    the file holds, where that helps find the row ("document 7 of 10").
    """

    file: str
    row: int | None
    column: str
    value: str
    reason: str
    unit: str = "row"
    detail: str = ""
    total: int | None = None

    def __str__(self) -> str:
        value = self.value if len(self.value) <= 60 else self.value[:57] + "..."
        of = f" of {self.total}" if self.total is not None else ""
        where = [self.file, f"{self.unit} {self.row}{of}" if self.row is not None else "",
                 f"column '{self.column}'" if self.column else ""]
        reason = self.reason + (f" ({self.detail})" if self.detail else "")
        shown = f": {value!r}" if self.value else ""
        return ": ".join([w for w in where if w] + [reason]) + shown


def suffix_of(path: Path) -> str:
    name = path.name.lower()
    for suffix in sorted(SUFFIXES, key=len, reverse=True):
        if name.endswith(suffix):
            return suffix
    return path.suffix.lower()


def read_records(path: Path) -> tuple[pd.DataFrame, list[RowProblem]]:
    """All columns as strings plus the source row number, and the malformed lines left out.

    CSV and JSON Lines are read record by record: a record that cannot be parsed (an unbalanced
    quote, more fields than the header) is reported by the line where it starts and skipped,
    and reading goes on at the next line. A row's number is the line where its record starts
    (a quoted text may span lines). Other formats are read whole: their rows count from 1.
    """
    path = Path(path)
    suffix = suffix_of(path)
    try:
        if suffix.startswith((".csv", ".tsv")):
            return _read_csv(path, sep="\t" if suffix.startswith(".tsv") else ",")
        if suffix in (".jsonl", ".jsonl.gz", ".ndjson"):
            return _read_jsonl(path)
        if suffix == ".json":
            data = json.loads(_read_text(path))
            frame = pd.DataFrame(data if isinstance(data, list) else data.get("articles", data))
        else:
            frame = pd.read_parquet(path)
    except AtlasError:
        raise
    except (ValueError, OSError, EOFError, zlib.error, pd.errors.ParserError, UnicodeError,
            AttributeError, TypeError) as err:
        raise AtlasError(f"cannot read this file as {suffix.lstrip('.')}: {err}".splitlines()[0],
                         file=path) from None
    frame = frame.astype(object).where(frame.notna(), "")
    frame = frame.map(lambda v: v if isinstance(v, str) else str(v))
    frame[SOURCE_ROW] = range(1, len(frame) + 1)
    return frame, []


def _read_text(path: Path) -> str:
    opener = gzip.open if path.name.lower().endswith(".gz") else open
    with opener(path, "rb") as handle:
        return handle.read().decode("utf-8-sig", errors="replace")


def _malformed(path: Path, line: int, why: str, text: str) -> RowProblem:
    return RowProblem(str(path), line, "", text.rstrip("\r\n"), MALFORMED, unit="line",
                      detail=why)


def _column_names(header: list[str]) -> list[str]:
    """Header cells as column names, blank ones named and repeats numbered as pandas does."""
    names: list[str] = []
    for i, name in enumerate(header):
        name = name if name.strip() else f"Unnamed: {i}"
        base, n = name, 0
        while name in names:
            n += 1
            name = f"{base}.{n}"
        names.append(name)
    return names


def _read_csv(path: Path, *, sep: str) -> tuple[pd.DataFrame, list[RowProblem]]:
    # Article texts are long; the csv module's default cap is 128 KB a field.
    csv.field_size_limit(max(csv.field_size_limit(), 2**31 - 1))
    lines = io.StringIO(_read_text(path), newline="").readlines()
    header: list[str] | None = None
    records: list[list[str]] = []
    rows: list[int] = []
    problems: list[RowProblem] = []
    start = 0  # index of the line this pass of the reader starts at
    while start < len(lines):
        # strict: a quote in the wrong place is an error, not glue that swallows later lines.
        reader = csv.reader((lines[i] for i in range(start, len(lines))), delimiter=sep,
                            strict=True)
        consumed, restart = 0, None
        try:
            for record in reader:
                first = start + consumed + 1  # the line (from 1) where this record starts
                spanned, consumed = reader.line_num - consumed, reader.line_num
                if not record:
                    continue
                if header is None:
                    header = _column_names(record)
                    continue
                if len(record) > len(header):
                    problems.append(_malformed(path, first, f"{len(record)} fields where the "
                                               f"header has {len(header)}", lines[first - 1]))
                    if spanned > 1:  # an opened quote took in later lines: read them again
                        restart = first
                        break
                    continue
                records.append(record + [""] * (len(header) - len(record)))
                rows.append(first)
        except csv.Error as err:
            first = start + consumed + 1
            if header is None:
                raise AtlasError(f"cannot read the header line: {err}", file=path) from None
            why = ("a quote is never closed" if "unexpected end of data" in str(err)
                   else f"a stray quote ({err})" if "expected after" in str(err) else str(err))
            problems.append(_malformed(path, first, why, lines[first - 1]))
            restart = first
        if restart is None:
            break
        start = restart
    if header is None:
        raise AtlasError("the file is empty (no header line)", file=path)
    frame = pd.DataFrame(records, columns=header, dtype=object)
    frame[SOURCE_ROW] = rows
    return frame, problems


def _cell(value: object) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _read_jsonl(path: Path) -> tuple[pd.DataFrame, list[RowProblem]]:
    records: list[dict] = []
    rows: list[int] = []
    problems: list[RowProblem] = []
    for number, line in enumerate(_read_text(path).split("\n"), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as err:
            problems.append(_malformed(path, number, f"not JSON: {err.msg}", line))
            continue
        if not isinstance(record, dict):
            problems.append(_malformed(path, number, "not a JSON object", line))
            continue
        records.append(record)
        rows.append(number)
    names = list(dict.fromkeys(str(k) for record in records for k in record))
    frame = pd.DataFrame({name: [_cell(record.get(name)) for record in records]
                          for name in names}, dtype=object)
    frame[SOURCE_ROW] = rows
    return frame, problems


def normalize_url(url: str) -> str:
    parts = urlsplit(url.strip())
    if not parts.scheme:
        return url.strip()
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path.rstrip("/"),
                       parts.query, ""))
