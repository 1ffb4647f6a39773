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
    notes: int = 0  # rows kept with a remark (a feed entry kept as its teaser)

    @property
    def kept(self) -> int:
        return self.added + self.updated

    def summary(self) -> str:
        lines = [f"rows read: {self.rows_read}", f"kept: {self.kept} "
                 f"({self.added} new, {self.updated} updated, {self.undated} undated)"]
        skipped = sum(self.skipped.values())
        reasons = ", ".join(f"{n} {reason}" for reason, n in sorted(self.skipped.items()))
        lines.append(f"skipped: {skipped}" + (f" ({reasons})" if skipped else ""))
        if self.notes:
            lines.append(f"kept with a remark: {self.notes} (listed above)")
        return "\n".join(lines)


def _suffix(path: Path) -> str:
    name = path.name.lower()
    for suffix in sorted(SUFFIXES, key=len, reverse=True):
        if name.endswith(suffix):
            return suffix
    return path.suffix.lower()


KINDS = ("auto", "table", "html", "feed", "urls")
PAGE_SUFFIXES = (".html", ".htm", ".zip")
FEED_SUFFIXES = (".xml", ".rss", ".atom")
LIST_SUFFIXES = (".txt",)


@dataclass(frozen=True)
class Source:
    """One input: a file, a folder of pages, or a feed address, and how to read it."""

    location: str
    kind: str

    @property
    def name(self) -> str:
        return self.location if self.kind == "feed" and "://" in self.location else str(
            Path(self.location).name)


def _kind_of_file(path: Path, text_col: str = TEXT) -> str | None:
    suffix = _suffix(path)
    if suffix in SUFFIXES:
        if suffix.startswith((".csv", ".tsv")) and _is_url_list_table(path, text_col):
            return "urls"
        return "table"
    if suffix in PAGE_SUFFIXES:
        return "html"
    if suffix in FEED_SUFFIXES:
        return "feed"
    if suffix in LIST_SUFFIXES:
        return "urls"
    return None


def _is_url_list_table(path: Path, text_col: str) -> bool:
    """A CSV with a url column and no text column is a list of links to fetch."""
    try:
        header = pd.read_csv(path, nrows=0, sep="\t" if ".tsv" in path.name.lower() else ",")
    except (ValueError, OSError, pd.errors.ParserError, UnicodeError):
        return False
    names = {str(c).strip().lower() for c in header.columns}
    return URL in names and text_col.strip().lower() not in names


def find_inputs(paths: list, *, kind: str = "auto", text_col: str = TEXT) -> list[Source]:
    """What each given path or address is and how to read it; complain about anything unreadable.

    Folders hold article tables, or saved web pages (read together); http(s) addresses are feeds.
    """
    if kind not in KINDS:
        raise AtlasError(f"unknown input kind '{kind}': use one of {', '.join(KINDS)}")
    found: list[Source] = []
    for given in paths:
        text = str(given)
        if text.lower().startswith(("http://", "https://")):
            found.append(Source(text, "feed" if kind == "auto" else kind))
            continue
        path = Path(given)
        if path.is_dir():
            files = sorted(p for p in path.rglob("*") if p.is_file())
            tables = [p for p in files if _suffix(p) in SUFFIXES]
            pages = [p for p in files if _suffix(p) in PAGE_SUFFIXES]
            if kind == "html" or (kind == "auto" and pages and not tables):
                found.append(Source(str(path), "html"))
            elif tables:
                found.extend(Source(str(p), kind if kind != "auto" else "table") for p in tables)
            else:
                raise AtlasError(f"no article files in this folder (tables: "
                                 f"{', '.join(SUFFIXES)}; pages: {', '.join(PAGE_SUFFIXES)})",
                                 file=path)
        elif path.is_file():
            detected = _kind_of_file(path, text_col) if kind == "auto" else kind
            if detected is None:
                raise AtlasError("unsupported file type; use a table (" + ", ".join(SUFFIXES)
                                 + "), saved pages (.html, .htm, .zip), a feed (.xml, .rss, "
                                 ".atom) or a list of links (.txt)", file=path)
            found.append(Source(str(path), detected))
        else:
            raise AtlasError("file not found", file=path)
    return found


@dataclass(frozen=True)
class WebOptions:
    """How pages are fetched and outlets named, for feeds, link lists and saved pages."""

    outlet_map: dict = field(default_factory=dict)
    cache_dir: Path = Path("data/cache/pages")
    per_host_interval: float = 1.0
    allow_private_addresses: bool = False  # fetch from loopback/private/link-local addresses


def read_source(source: Source, *, columns: ColumnMap, web: WebOptions,
                progress=None) -> tuple[pd.DataFrame, list[RowProblem], int]:
    """Rows of one source as articles, the problems of the rows skipped, and the rows read."""
    if source.kind == "table":
        raw, first_row = read_table(Path(source.location))
        articles, problems = normalize_articles(raw, source=source.location, columns=columns,
                                                first_row=first_row)
        return articles, problems, len(raw)
    from .fetch import Fetcher

    fetcher = Fetcher(web.cache_dir, per_host_interval=web.per_host_interval,
                      allow_private_addresses=web.allow_private_addresses)
    if source.kind == "html":
        from .webpages import read_pages

        raw, problems = read_pages([Path(source.location)], outlet_map=web.outlet_map,
                                   progress=progress)
    elif source.kind == "feed":
        from .feeds import read_feed

        location = source.location if "://" in source.location else Path(source.location)
        raw, problems = read_feed(location, fetcher=fetcher, outlet_map=web.outlet_map,
                                  progress=progress)
    else:
        from .urllist import read_url_list

        raw, problems = read_url_list(Path(source.location), fetcher=fetcher,
                                      outlet_map=web.outlet_map, progress=progress)
    # The readers return the rows they could use; those they could not are problems already.
    unread = [p for p in problems if not p.reason.startswith("kept")]
    articles, invalid = normalize_articles(raw, source=source.location, first_row=1)
    return articles, problems + invalid, len(raw) + len(unread)


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


def ingest(paths: list, existing: pd.DataFrame, *, columns: ColumnMap = ColumnMap(),
           kind: str = "auto", web: WebOptions = WebOptions(),
           progress=None) -> tuple[pd.DataFrame, IngestReport]:
    """Read every source, keep valid rows, merge them into `existing`; the caller writes the result.

    Sources are article tables, saved web pages, feeds (files or addresses) and lists of links.
    """
    report = IngestReport()
    sources = find_inputs(paths, kind=kind, text_col=columns.text)
    batches = []
    for done, source in enumerate(sources):
        if progress:
            progress(done, len(sources), f"reading {source.name}")
        articles, problems, rows = read_source(source, columns=columns, web=web)
        report.files.append(source.location)
        report.rows_read += rows
        report.problems.extend(problems)
        report.skipped.update(p.reason for p in problems if not p.reason.startswith("kept"))
        report.notes += sum(p.reason.startswith("kept") for p in problems)
        batches.append(articles)
    if progress:
        progress(len(sources), len(sources), "merging")
    incoming = pd.concat(batches, ignore_index=True) if batches else existing.iloc[0:0]
    within = len(incoming) - incoming[ARTICLE_ID].nunique()
    merged, added, updated = merge_articles(existing, incoming)
    report.added, report.updated = added, updated + within
    report.undated = int(incoming.drop_duplicates(ARTICLE_ID, keep="last")[PUBLISHED].isna().sum())
    log.info("ingested %s", report.summary().replace("\n", "; "))
    return merged, report
