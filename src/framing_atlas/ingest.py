"""Ingest: read article tables (CSV, JSONL, Parquet), check every row, merge into the store's articles.

A row that cannot be used is reported with file, row, column and value, and skipped; every valid
row is kept. Re-ingesting an article already present updates it instead of duplicating it.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pandas as pd

from .errors import AtlasError
from .store import ARTICLE_COLUMNS, ARTICLE_ID, OUTLET, PUBLISHED, TEXT, TITLE, URL

log = logging.getLogger(__name__)

SUFFIXES = (".csv", ".csv.gz", ".tsv", ".tsv.gz", ".jsonl", ".jsonl.gz", ".ndjson", ".json",
            ".parquet")


@dataclass(frozen=True)
class ColumnMap:
    """Which input column holds each field (the defaults are the field names themselves)."""

    outlet: str = OUTLET
    published: str = PUBLISHED
    title: str = TITLE
    url: str = URL
    text: str = TEXT
    default_outlet: str | None = None  # used when a file has no outlet column at all


@dataclass(frozen=True)
class RowProblem:
    file: str
    row: int
    column: str
    value: str
    reason: str

    def __str__(self) -> str:
        value = self.value if len(self.value) <= 60 else self.value[:57] + "..."
        shown = f": {value!r}" if self.value else ""
        return f"{self.file}: row {self.row}: column '{self.column}': {self.reason}{shown}"


@dataclass
class IngestReport:
    files: list[str] = field(default_factory=list)
    rows_read: int = 0
    added: int = 0
    updated: int = 0
    undated: int = 0
    skipped: Counter = field(default_factory=Counter)
    problems: list[RowProblem] = field(default_factory=list)

    @property
    def kept(self) -> int:
        return self.added + self.updated

    def summary(self) -> str:
        lines = [f"rows read: {self.rows_read}", f"kept: {self.kept} "
                 f"({self.added} new, {self.updated} updated, {self.undated} undated)"]
        skipped = sum(self.skipped.values())
        reasons = ", ".join(f"{n} {reason}" for reason, n in sorted(self.skipped.items()))
        lines.append(f"skipped: {skipped}" + (f" ({reasons})" if skipped else ""))
        return "\n".join(lines)


def _suffix(path: Path) -> str:
    name = path.name.lower()
    for suffix in sorted(SUFFIXES, key=len, reverse=True):
        if name.endswith(suffix):
            return suffix
    return path.suffix.lower()


def find_inputs(paths: list[Path]) -> list[Path]:
    """Expand folders into the article files they hold; complain about anything unreadable."""
    found: list[Path] = []
    for path in paths:
        path = Path(path)
        if path.is_dir():
            inside = sorted(p for p in path.rglob("*") if p.is_file() and _suffix(p) in SUFFIXES)
            if not inside:
                raise AtlasError(f"no {', '.join(SUFFIXES)} files in this folder", file=path)
            found.extend(inside)
        elif path.is_file():
            if _suffix(path) not in SUFFIXES:
                raise AtlasError(f"unsupported file type; use one of {', '.join(SUFFIXES)}",
                                 file=path)
            found.append(path)
        else:
            raise AtlasError("file not found", file=path)
    return found


def read_table(path: Path) -> tuple[pd.DataFrame, int]:
    """All columns as strings, plus the row number of the first record (CSV counts its header)."""
    suffix = _suffix(path)
    try:
        if suffix.startswith((".csv", ".tsv")):
            sep = "\t" if suffix.startswith(".tsv") else ","
            frame = pd.read_csv(path, sep=sep, dtype=str, keep_default_na=False,
                                encoding_errors="replace", on_bad_lines="error")
            return frame, 2
        if suffix in (".jsonl", ".jsonl.gz", ".ndjson"):
            frame = pd.read_json(path, lines=True, dtype=False)
        elif suffix == ".json":
            data = json.loads(Path(path).read_text(encoding="utf-8", errors="replace"))
            frame = pd.DataFrame(data if isinstance(data, list) else data.get("articles", data))
        else:
            frame = pd.read_parquet(path)
    except AtlasError:
        raise
    except (ValueError, OSError, pd.errors.ParserError, UnicodeError) as err:
        raise AtlasError(f"cannot read this file as {suffix.lstrip('.')}: {err}".splitlines()[0],
                         file=path) from None
    frame = frame.astype(object).where(frame.notna(), "")
    return frame.map(lambda v: v if isinstance(v, str) else str(v)), 1


def parse_dates(values: pd.Series) -> pd.Series:
    """Parse ISO and common date formats, with or without time zone, to naive UTC; NaT if not a date."""
    values = values.astype(str).str.strip()
    parsed = pd.to_datetime(values, errors="coerce", utc=True, format="ISO8601")
    retry = parsed.isna() & (values != "")
    if retry.any():
        def one(value: str) -> pd.Timestamp:
            try:
                stamp = pd.Timestamp(pd.to_datetime(value, utc=True))
            except (ValueError, TypeError, OverflowError):
                return pd.NaT
            return stamp
        parsed = parsed.astype(object)
        parsed[retry] = values[retry].map(one)
        parsed = pd.to_datetime(parsed, utc=True)
    return parsed.dt.tz_convert("UTC").dt.tz_localize(None).astype("datetime64[ns]")


def normalize_url(url: str) -> str:
    parts = urlsplit(url.strip())
    if not parts.scheme:
        return url.strip()
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path.rstrip("/"),
                       parts.query, ""))


def article_key(outlet: str, title: str, published: pd.Timestamp, url: str, text: str,
                passage: bool = False) -> str:
    """Same url, or same outlet + title + date when there is no url, means the same article.

    `passage` marks a row whose url other rows of the same file share with different texts
    (corpora of passages do this); its text then tells it apart.
    """
    if url:
        key = "url\x1f" + normalize_url(url)
        if passage:
            key += "\x1ftext:" + hashlib.sha1(text.encode("utf-8")).hexdigest()
    else:
        day = "" if pd.isna(published) else published.strftime("%Y-%m-%d")
        # Without a title the text itself tells two undated articles of one outlet apart.
        name = title.strip().lower() if title.strip() else "text:" + hashlib.sha1(
            text.encode("utf-8")).hexdigest()
        key = "\x1f".join(["oty", outlet.strip().lower(), name, day])
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]


def normalize_articles(raw: pd.DataFrame, *, source: str, columns: ColumnMap = ColumnMap(),
                       first_row: int = 2) -> tuple[pd.DataFrame, list[RowProblem]]:
    """Needs the mapped input columns; returns the article table and the problems of skipped rows."""
    if columns.text not in raw.columns:
        raise AtlasError(f"no text column '{columns.text}' (columns are: "
                         f"{', '.join(map(str, raw.columns))}); name it with --text-col",
                         file=source)
    if columns.outlet not in raw.columns and columns.default_outlet is None:
        raise AtlasError(f"no outlet column '{columns.outlet}' (columns are: "
                         f"{', '.join(map(str, raw.columns))}); name it with --outlet-col, "
                         "or give every row one outlet with --outlet NAME", file=source)

    def column(name: str) -> pd.Series:
        if name in raw.columns:
            return raw[name].astype(str).str.strip()
        return pd.Series([""] * len(raw), index=raw.index, dtype=object)

    text = raw[columns.text].astype(str)
    outlet = column(columns.outlet) if columns.outlet in raw.columns else pd.Series(
        [columns.default_outlet] * len(raw), index=raw.index, dtype=object)
    if columns.default_outlet is not None:
        outlet = outlet.where(outlet != "", columns.default_outlet)
    raw_dates = column(columns.published)
    published = parse_dates(raw_dates)
    rows = pd.Series(range(first_row, first_row + len(raw)), index=raw.index)

    problems: list[RowProblem] = []
    bad = pd.Series(False, index=raw.index)
    checks = [
        (text.str.strip() == "", columns.text, "empty text", text),
        (outlet == "", columns.outlet, "no outlet", outlet),
        ((raw_dates != "") & published.isna(), columns.published, "not a date", raw_dates),
    ]
    for mask, name, reason, values in checks:
        for index in mask[mask & ~bad].index:
            problems.append(RowProblem(source, int(rows[index]), name, str(values[index]), reason))
        bad |= mask
    problems.sort(key=lambda p: p.row)

    mapped = {columns.outlet, columns.published, columns.title, columns.url, columns.text}
    extras = [c for c in raw.columns if c not in mapped and c not in ARTICLE_COLUMNS]
    articles = pd.DataFrame({
        OUTLET: outlet, PUBLISHED: published, TITLE: column(columns.title),
        URL: column(columns.url), TEXT: text,
        **{c: raw[c].astype(str) for c in extras}})[~bad]
    urls = articles[URL].map(normalize_url)
    texts_per_url = articles[TEXT].groupby(urls).transform("nunique")
    passages = (urls != "") & (texts_per_url > 1)
    articles.insert(0, ARTICLE_ID, [
        article_key(o, t, p, u, x, passage) for o, t, p, u, x, passage in zip(
            articles[OUTLET], articles[TITLE], articles[PUBLISHED], articles[URL], articles[TEXT],
            passages)])
    return articles.reset_index(drop=True), problems


def merge_articles(existing: pd.DataFrame, incoming: pd.DataFrame) -> tuple[pd.DataFrame, int, int]:
    """Incoming rows replace existing ones with the same id; returns (merged, added, updated)."""
    incoming = incoming.drop_duplicates(ARTICLE_ID, keep="last")
    known = set(existing[ARTICLE_ID]) if len(existing) else set()
    updated = int(incoming[ARTICLE_ID].isin(known).sum())
    kept = existing[~existing[ARTICLE_ID].isin(set(incoming[ARTICLE_ID]))] if len(existing) else existing
    frames = [f for f in (kept, incoming) if len(f)]
    merged = pd.concat(frames, ignore_index=True) if frames else incoming
    for name in merged.columns:
        if name not in ARTICLE_COLUMNS:
            merged[name] = merged[name].fillna("").astype(str)
    merged = merged.sort_values(ARTICLE_ID, kind="stable").reset_index(drop=True)
    return merged, len(incoming) - updated, updated


def ingest(paths: list[Path], existing: pd.DataFrame, *, columns: ColumnMap = ColumnMap(),
           progress=None) -> tuple[pd.DataFrame, IngestReport]:
    """Read every file, keep valid rows, merge them into `existing`; the caller writes the result."""
    report = IngestReport()
    files = find_inputs(paths)
    batches = []
    for done, path in enumerate(files):
        if progress:
            progress(done, len(files), f"reading {path.name}")
        raw, first_row = read_table(path)
        articles, problems = normalize_articles(raw, source=str(path), columns=columns,
                                                first_row=first_row)
        report.files.append(str(path))
        report.rows_read += len(raw)
        report.problems.extend(problems)
        report.skipped.update(p.reason for p in problems)
        batches.append(articles)
    if progress:
        progress(len(files), len(files), "merging")
    incoming = pd.concat(batches, ignore_index=True) if batches else existing.iloc[0:0]
    within = len(incoming) - incoming[ARTICLE_ID].nunique()
    merged, added, updated = merge_articles(existing, incoming)
    report.added, report.updated = added, updated + within
    report.undated = int(incoming.drop_duplicates(ARTICLE_ID, keep="last")[PUBLISHED].isna().sum())
    log.info("ingested %s", report.summary().replace("\n", "; "))
    return merged, report
