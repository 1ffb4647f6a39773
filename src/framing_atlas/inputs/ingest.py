"""Ingest: read article tables (CSV, JSONL, Parquet), check every row, merge into the store's articles.

A row that cannot be used is reported with file, row, column and value, and skipped; every valid
row is kept. A malformed line of a CSV or JSON Lines file is reported by its line number and the
rest of the file read; a file that cannot be read at all is reported and the other files read.

Which rows are the same article (see `article_key` and `merge_articles`):
- A url names a page. Rows of one file that share a url are passages of that page, each kept,
  unless they repeat the text exactly, or share a title and their texts are near copies (a
  corrected copy): then the later row replaces the earlier, and the earlier is reported.
- Ingesting a file again re-reads the pages it names: for each of its urls, its rows replace
  the articles of that url already in the store. The same file twice leaves the store
  unchanged; a corrected copy updates the articles it corrects and adds none.
- Without a url, outlet + title + day name the article (without a title: outlet, text and
  day): within a file, rows sharing them are one article only when the text repeats or is a
  near copy; a later file's single row of that outlet, title and day updates the stored one.
"""

from __future__ import annotations

import difflib
import hashlib
import logging
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from framing_atlas.inputs.dates import DATE_ORDERS, read_dates
from framing_atlas.errors import AtlasError
from framing_atlas.inputs.rows import (DOCUMENT_SUFFIXES, FEED_SUFFIXES, LIST_SUFFIXES,
                                       PAGE_SUFFIXES, SAVED_PAGE_SUFFIXES, SOURCE_ROW, SUFFIXES,
                                       UNREADABLE, ZIP_SUFFIX, RowProblem, normalize_url,
                                       read_records, suffix_of)
from framing_atlas.store import ARTICLE_COLUMNS, ARTICLE_ID, OUTLET, PUBLISHED, TEXT, TITLE, URL

log = logging.getLogger(__name__)

@dataclass(frozen=True)
class ColumnMap:
    """Which input column holds each field (the defaults are the field names themselves).

    `date_order` says how to read numeric dates like 02/03/2022: "auto" (day first when a row of
    the file needs it, as 13/01/2022 does, else month first), "dayfirst" or "monthfirst".
    """

    outlet: str = OUTLET
    published: str = PUBLISHED
    title: str = TITLE
    url: str = URL
    text: str = TEXT
    default_outlet: str | None = None  # used when a file has no outlet column at all
    default_published: str | None = None  # the date of rows that have none
    date_order: str = "auto"


@dataclass
class IngestReport:
    files: list[str] = field(default_factory=list)
    rows_read: int = 0
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0  # passages of a re-ingested url that its new rows no longer hold
    undated: int = 0
    imprecise: int = 0
    skipped: Counter = field(default_factory=Counter)
    problems: list[RowProblem] = field(default_factory=list)
    notes: int = 0  # rows kept with a remark (a feed entry kept as its teaser, a bare year)
    date_notes: list[str] = field(default_factory=list)  # how each file's 02/03/2022 was read

    @property
    def kept(self) -> int:
        return self.added + self.updated + self.unchanged

    def summary(self) -> str:
        lines = [f"rows read: {self.rows_read}", f"kept: {self.kept} "
                 f"({self.added} new, {self.updated} updated, {self.unchanged} unchanged, "
                 f"{self.undated} undated)"]
        if self.removed:
            lines.append(f"removed: {self.removed} passages of re-ingested urls that the new "
                         "rows no longer hold")
        skipped = sum(self.skipped.values())
        reasons = ", ".join(f"{n} {reason}" for reason, n in sorted(self.skipped.items()))
        lines.append(f"skipped: {skipped}" + (f" ({reasons})" if skipped else ""))
        if self.imprecise:
            lines.append(f"imprecise dates: {self.imprecise} (a year or month only, kept as its "
                         "first day; listed above)")
        if self.notes:
            lines.append(f"kept with a remark: {self.notes} (listed above)")
        lines.extend(self.date_notes)
        return "\n".join(lines)


KINDS = ("auto", "table", "html", "feed", "urls", "text", "nexis")
SKIPPED = "skipped"  # a file in a folder that is none of the kinds: reported, never read


@dataclass(frozen=True)
class Source:
    """One input: a file, a folder of pages, or a feed address, and how to read it.

    `sniff`: a .zip of text files whose files each say what they are (an article or an export).
    """

    location: str
    kind: str
    sniff: bool = False

    @property
    def name(self) -> str:
        return self.location if self.kind == "feed" and "://" in self.location else str(
            Path(self.location).name)


def _kinds_of_file(path: Path, text_col: str = TEXT) -> list[Source]:
    """How to read one file, from its content where its suffix allows more than one kind."""
    from framing_atlas.inputs.textfiles import kind_of_file, zip_members

    suffix = suffix_of(path)
    if suffix in SUFFIXES:
        if suffix.startswith((".csv", ".tsv")) and _is_url_list_table(path, text_col):
            return [Source(str(path), "urls")]
        return [Source(str(path), "table")]
    if suffix == ZIP_SUFFIX:
        try:
            pages, documents = zip_members(path)
        except AtlasError:
            return [Source(str(path), "html")]  # reading it says what is wrong
        found = [Source(str(path), "html")] if pages or not documents else []
        return found + ([Source(str(path), "text", sniff=True)] if documents else [])
    if suffix in SAVED_PAGE_SUFFIXES:
        return [Source(str(path), "html")]
    if suffix in FEED_SUFFIXES:
        return [Source(str(path), "feed")]
    if suffix in DOCUMENT_SUFFIXES or suffix in ("", ".text"):
        return [Source(str(path), kind_of_file(path))]
    return []


def _is_url_list_table(path: Path, text_col: str) -> bool:
    """A CSV with a url column and no text column is a list of links to fetch."""
    try:
        header = pd.read_csv(path, nrows=0, sep="\t" if ".tsv" in path.name.lower() else ",")
    except (ValueError, OSError, pd.errors.ParserError, UnicodeError):
        return False
    names = {str(c).strip().lower() for c in header.columns}
    return URL in names and text_col.strip().lower() not in names


def _folder_inputs(path: Path, kind: str, text_col: str) -> list[Source]:
    """The sources of a folder: each table, text or Word file and .zip of them on its own, and
    the saved pages (with .zip archives of pages) read together."""
    files = sorted(p for p in path.rglob("*") if p.is_file()
                   and not any(part.startswith(".") for part in p.relative_to(path).parts))
    tables = [p for p in files if suffix_of(p) in SUFFIXES]
    pages = [p for p in files if suffix_of(p) in PAGE_SUFFIXES]
    zips = [p for p in files if suffix_of(p) == ZIP_SUFFIX]
    documents = [p for p in files if suffix_of(p) in DOCUMENT_SUFFIXES]
    if kind == "html":
        return [Source(str(path), "html")]
    if kind in ("text", "nexis"):
        return [Source(str(p), kind) for p in documents + zips]
    if kind != "auto":
        return [Source(str(p), kind) for p in tables]
    found: list[Source] = []
    for file in tables + documents:
        found += _kinds_of_file(file, text_col)
    # Files the folder holds that no reader takes are named in the report, not passed over.
    known = set(tables + pages + zips + documents)
    found += [Source(str(p), SKIPPED) for p in files if p not in known]
    page_source = bool(pages)
    for archive in zips:
        for source in _kinds_of_file(archive, text_col):
            if source.kind == "html":
                page_source = True  # the page reader reads the folder's archives of pages
            else:
                found.append(source)
    return found + ([Source(str(path), "html")] if page_source else [])


def find_inputs(paths: list, *, kind: str = "auto", text_col: str = TEXT) -> list[Source]:
    """What each given path or address is and how to read it; complain about anything unreadable.

    Folders hold article tables, text or Word files (articles or news-database exports) and
    saved web pages (read together); http(s) addresses are feeds. A file is read for what it
    holds where its suffix allows more than one kind (a .txt is an article, an export or a
    list of links).
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
            inside = _folder_inputs(path, kind, text_col)
            if all(source.kind == SKIPPED for source in inside):
                raise AtlasError(f"no article files in this folder (tables: "
                                 f"{', '.join(SUFFIXES)}; pages: "
                                 f"{', '.join(SAVED_PAGE_SUFFIXES)}; texts and exports: "
                                 f"{', '.join(DOCUMENT_SUFFIXES)})", file=path)
            found.extend(inside)
        elif path.is_file():
            detected = _kinds_of_file(path, text_col) if kind == "auto" else [
                Source(str(path), kind)]
            if not detected:
                raise AtlasError(f"unsupported file type; use a table ({', '.join(SUFFIXES)}), "
                                 f"saved pages ({', '.join(SAVED_PAGE_SUFFIXES)}), a "
                                 f"feed ({', '.join(FEED_SUFFIXES)}), a list of links "
                                 f"({', '.join(LIST_SUFFIXES)}), or articles and news-database "
                                 f"exports ({', '.join(DOCUMENT_SUFFIXES)})", file=path)
            found.extend(detected)
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


def read_source(source: Source, *, columns: ColumnMap, web: WebOptions, progress=None,
                ) -> tuple[pd.DataFrame, list[RowProblem], int, list[str]]:
    """Rows of one source as articles, the problems of the rows skipped, the rows read, and notes
    on how its dates were read."""
    notes: list[str] = []
    if source.kind == SKIPPED:
        suffix = suffix_of(Path(source.location)) or "(no suffix)"
        problem = RowProblem(source.location, None, "", suffix,
                             "not an article file: skipped", unit="file",
                             detail="no reader takes this kind of file; convert it to text or "
                                    "a table to include it")
        empty, _ = normalize_articles(
            pd.DataFrame({c: pd.Series(dtype=str) for c in ("outlet", "published", "title",
                                                            "url", TEXT)}),
            source=source.location, columns=ColumnMap(), notes=[])
        return empty, [problem], 0, notes
    if source.kind == "table":
        raw, problems = read_records(Path(source.location))
        articles, invalid = normalize_articles(raw, source=source.location, columns=columns,
                                               notes=notes)
        return (articles, sorted(problems + invalid, key=lambda p: p.row or 0),
                len(raw) + len(problems), notes)
    if source.kind in ("text", "nexis"):
        return _read_documents(source, columns=columns, web=web, notes=notes)
    # The readers are imported here: they load trafilatura, lxml, feedparser and requests, which
    # an ingest of tables (and the Data page's start) never needs.
    unit = "row"
    if source.kind == "html":
        from framing_atlas.inputs.webpages import read_pages

        raw, problems = read_pages([Path(source.location)], outlet_map=web.outlet_map,
                                   progress=progress)
    else:
        from framing_atlas.inputs.fetch import Fetcher

        fetcher = Fetcher(web.cache_dir, per_host_interval=web.per_host_interval,
                          allow_private_addresses=web.allow_private_addresses)
        if source.kind == "feed":
            from framing_atlas.inputs.feeds import read_feed

            unit = "entry"
            location = source.location if "://" in source.location else Path(source.location)
            raw, problems = read_feed(location, fetcher=fetcher, outlet_map=web.outlet_map,
                                      progress=progress)
        else:
            from framing_atlas.inputs.urllist import read_url_list

            unit = "line"
            raw, problems = read_url_list(Path(source.location), fetcher=fetcher,
                                          outlet_map=web.outlet_map, progress=progress)
    # The readers return the rows they could use; those they could not are problems already.
    unread = [p for p in problems if not p.reason.startswith("kept")]
    articles, invalid = normalize_articles(raw, source=source.location, first_row=1, unit=unit,
                                           columns=ColumnMap(
                                               date_order=columns.date_order,
                                               default_published=columns.default_published),
                                           notes=notes)
    return (articles, sorted(problems + invalid, key=lambda p: p.row or 0),
            len(raw) + len(unread), notes)


def _read_documents(source: Source, *, columns: ColumnMap, web: WebOptions, notes: list[str],
                    ) -> tuple[pd.DataFrame, list[RowProblem], int, list[str]]:
    """A text, Markdown or Word file, a news-database export, or a .zip of them."""
    from framing_atlas.inputs.textfiles import read_documents

    found = read_documents(Path(source.location), kind="auto" if source.sniff else source.kind,
                           outlet_map=web.outlet_map, default_outlet=columns.default_outlet)
    raw = found.frame()
    articles, invalid = normalize_articles(
        raw, source=source.location, first_row=1, unit="document",
        columns=ColumnMap(default_outlet=columns.default_outlet,
                          default_published=columns.default_published,
                          date_order=columns.date_order), notes=notes)
    unread = [p for p in found.problems if not p.reason.startswith("kept")]
    problems = found.problems + [found.place(p) for p in invalid]
    problems.sort(key=lambda p: (p.file, p.row or 0))
    return articles, problems, len(raw) + len(unread), notes


def page_key(outlet: str, title: str, published: pd.Timestamp, url: str, text: str) -> str:
    """What names one article or page: its url, else its outlet, title and day (or, without a
    title, its outlet, text and day)."""
    if url:
        return "url\x1f" + normalize_url(url)
    day = "" if pd.isna(published) else published.strftime("%Y-%m-%d")
    # Without a title the text itself tells two undated articles of one outlet apart.
    name = title.strip().lower() if title.strip() else "text:" + _text_hash(text)
    return "\x1f".join(["oty", outlet.strip().lower(), name, day])


def article_key(outlet: str, title: str, published: pd.Timestamp, url: str, text: str,
                passage: bool = False) -> str:
    """Same url, or same outlet + title + date when there is no url, means the same article.

    `passage` marks a row whose url (or outlet, title and date) other rows of the same file
    share with different texts (corpora of passages do this); its text then tells it apart.
    """
    key = page_key(outlet, title, published, url, text)
    if passage:
        key += "\x1ftext:" + _text_hash(text)
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]


def _page_keys(articles: pd.DataFrame) -> pd.Series:
    return pd.Series([page_key(o, t, p, u, x) for o, t, p, u, x in zip(
        articles[OUTLET], articles[TITLE], articles[PUBLISHED], articles[URL], articles[TEXT])],
        index=articles.index, dtype=object)


def _text_hash(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


# Two texts whose words are this similar (difflib's ratio, in order) are copies of one text.
NEAR_COPY = 0.8


def near_copies(a: str, b: str) -> bool:
    """True when `b` is `a` corrected: most words the same, in the same order."""
    left, right = a.split(), b.split()
    matcher = difflib.SequenceMatcher(None, left, right, autojunk=False)
    return matcher.real_quick_ratio() >= NEAR_COPY and matcher.quick_ratio() >= NEAR_COPY and \
        matcher.ratio() >= NEAR_COPY


def _repeats(articles: pd.DataFrame, pages: pd.Series) -> dict:
    """Rows of one file that a later row of the same page replaces: {index: (later, reason)}.

    Same page (url, else outlet + title + day) and same text: a repeat. Same page, same title
    and a near copy of the text: a corrected copy. Other rows of one page are passages of it
    (or, without a url, different articles that happen to share a title) and all stay.
    """
    replaced: dict = {}
    shared = pages[pages.duplicated(keep=False)]
    for _, group in shared.groupby(shared, sort=False):
        alive: list = []
        for index in group.index:
            text, title = articles.at[index, TEXT], articles.at[index, TITLE].strip().lower()
            for earlier in list(alive):
                if articles.at[earlier, TEXT] == text:
                    replaced[earlier] = (index, "same text")
                elif title and articles.at[earlier, TITLE].strip().lower() == title and \
                        near_copies(articles.at[earlier, TEXT], text):
                    replaced[earlier] = (index, "corrected")
                else:
                    continue
                alive.remove(earlier)
            alive.append(index)
    return replaced


def normalize_articles(raw: pd.DataFrame, *, source: str, columns: ColumnMap = ColumnMap(),
                       first_row: int = 2, unit: str = "row", notes: list[str] | None = None,
                       ) -> tuple[pd.DataFrame, list[RowProblem]]:
    """Needs the mapped input columns; returns the article table and the problems of skipped rows.

    Rows are numbered by the reader's SOURCE_ROW column when there is one, else from
    `first_row`; `unit` says what the number counts (row, line, entry). How numeric dates were
    read is appended to `notes`.
    """
    if SOURCE_ROW in raw.columns:
        rows = raw[SOURCE_ROW].astype(int)
        raw = raw.drop(columns=[SOURCE_ROW])
    else:
        rows = pd.Series(range(first_row, first_row + len(raw)), index=raw.index)
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
    if columns.default_published:
        raw_dates = raw_dates.where(raw_dates != "", columns.default_published)
    dates = read_dates(raw_dates, order=columns.date_order, rows=rows, unit=unit)
    published = dates.parsed
    if dates.order_note and notes is not None:
        notes.append(f"{source}: {dates.order_note}")

    def problem(index, name: str, values: pd.Series, reason: str, detail: str = "") -> RowProblem:
        return RowProblem(source, int(rows[index]), name, str(values[index]), reason, unit,
                          detail)

    problems: list[RowProblem] = []
    bad = pd.Series(False, index=raw.index)
    checks = [
        (text.str.strip() == "", columns.text, "empty text", text),
        (outlet == "", columns.outlet, "no outlet", outlet),
        ((raw_dates != "") & published.isna(), columns.published, "not a date", raw_dates),
    ]
    for mask, name, reason, values in checks:
        for index in mask[mask & ~bad].index:
            detail = dates.why_not[index] if reason == "not a date" else ""
            problems.append(problem(index, name, values, reason, detail))
        bad |= mask
    for index in dates.imprecise[(dates.imprecise != "") & ~bad].index:
        what = "a year only" if dates.imprecise[index] == "year" else "a month only"
        problems.append(problem(index, columns.published, raw_dates,
                                f"kept as {published[index]:%Y-%m-%d}: imprecise date ({what})"))

    mapped = {columns.outlet, columns.published, columns.title, columns.url, columns.text}
    extras = [c for c in raw.columns if c not in mapped and c not in ARTICLE_COLUMNS]
    articles = pd.DataFrame({
        OUTLET: outlet, PUBLISHED: published, TITLE: column(columns.title),
        URL: column(columns.url), TEXT: text,
        **{c: raw[c].astype(str) for c in extras}})[~bad]
    pages = _page_keys(articles)
    for index, (later, how) in _repeats(articles, pages).items():
        if articles.at[index, URL]:
            reason = ("same url and text as a later row" if how == "same text" else
                      "replaced by a later row with the same url")
            problems.append(problem(index, columns.url, articles[URL], reason,
                                    f"{unit} {rows[later]}"))
        else:
            problems.append(problem(index, columns.title, articles[TITLE],
                                    "replaced by a later row of the same article",
                                    f"{unit} {rows[later]}: same outlet, title and date, "
                                    + ("same text" if how == "same text" else "text corrected")))
        articles, pages = articles.drop(index), pages.drop(index)
    passages = pages.duplicated(keep=False)
    articles.insert(0, ARTICLE_ID, [
        article_key(o, t, p, u, x, passage) for o, t, p, u, x, passage in zip(
            articles[OUTLET], articles[TITLE], articles[PUBLISHED], articles[URL], articles[TEXT],
            passages)])
    problems.sort(key=lambda p: p.row)
    return articles.reset_index(drop=True), problems


@dataclass(frozen=True)
class MergeCounts:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0


def _same_rows(existing: pd.DataFrame, incoming: pd.DataFrame) -> pd.Series:
    """For articles in both tables (indexed by id), True where every field is the same."""
    same = pd.Series(True, index=incoming.index)
    for name in set(existing.columns) | set(incoming.columns):
        new = incoming[name] if name in incoming.columns else pd.Series("", index=incoming.index)
        old = existing[name].reindex(incoming.index) if name in existing.columns else \
            pd.Series("", index=incoming.index)
        if name != PUBLISHED:
            new, old = new.fillna("").astype(str), old.fillna("").astype(str)
        same &= (new == old) | (new.isna() & old.isna())
    return same


def merge_articles(existing: pd.DataFrame, incoming: pd.DataFrame,
                   ) -> tuple[pd.DataFrame, MergeCounts]:
    """Merge incoming articles into the store's; the incoming rows of a url replace its old ones.

    An incoming article with a known id updates it (or leaves it unchanged). For each url the
    incoming rows hold, the store's other articles of that url (passages whose text changed)
    are replaced: each is counted as updated while there are new passages of that url to take
    its place, the rest as removed.
    """
    incoming = incoming.drop_duplicates(ARTICLE_ID, keep="last")
    if not len(existing):
        existing = existing.iloc[0:0]
    known = set(existing[ARTICLE_ID])
    matched = incoming[ARTICLE_ID].isin(known)
    old = existing.set_index(ARTICLE_ID)
    new = incoming[matched].set_index(ARTICLE_ID)
    unchanged = int(_same_rows(old, new).sum()) if len(new) else 0
    incoming_pages = _page_keys(incoming)
    existing_pages = _page_keys(existing)
    # Only a url names a page for sure: without one, another file's article of the same title
    # may be a different article (a generic title, an outlet named "unknown").
    stale = existing_pages.str.startswith("url\x1f") & existing_pages.isin(set(incoming_pages)) \
        & ~existing[ARTICLE_ID].isin(set(incoming[ARTICLE_ID]))
    fresh = incoming_pages[~matched].value_counts()
    gone = existing_pages[stale].value_counts()
    replacing = int(pd.concat([fresh, gone], axis=1).fillna(0).min(axis=1).sum())
    counts = MergeCounts(added=int((~matched).sum()) - replacing,
                         updated=int(matched.sum()) - unchanged + replacing,
                         unchanged=unchanged, removed=int(stale.sum()) - replacing)
    kept = existing[~existing[ARTICLE_ID].isin(set(incoming[ARTICLE_ID])) & ~stale]
    frames = [f for f in (kept, incoming) if len(f)]
    merged = pd.concat(frames, ignore_index=True) if frames else incoming
    for name in merged.columns:
        if name not in ARTICLE_COLUMNS:
            merged[name] = merged[name].fillna("").astype(str)
    merged = merged.sort_values(ARTICLE_ID, kind="stable").reset_index(drop=True)
    return merged, counts


def ingest(paths: list, existing: pd.DataFrame, *, columns: ColumnMap = ColumnMap(),
           kind: str = "auto", web: WebOptions = WebOptions(),
           progress=None) -> tuple[pd.DataFrame, IngestReport]:
    """Read every source, keep valid rows, merge them into `existing`; the caller writes the result.

    Sources are article tables, saved web pages, feeds (files or addresses) and lists of links.
    A source that cannot be read at all is reported and the others are read; when none can be
    read, its error is raised. See the module docstring for how updates are recognised.
    """
    if columns.date_order not in DATE_ORDERS:
        raise AtlasError(f"unknown date order '{columns.date_order}': use one of "
                         f"{', '.join(DATE_ORDERS)}")
    report = IngestReport()
    sources = find_inputs(paths, kind=kind, text_col=columns.text)
    batches, failures = [], []
    for done, source in enumerate(sources):
        if progress:
            progress(done, len(sources), f"reading {source.name}")
        try:
            articles, problems, rows, notes = read_source(source, columns=columns, web=web)
        except AtlasError as err:
            failures.append(err)
            problems, rows, notes = [RowProblem(source.location, None, "", "", UNREADABLE,
                                                detail=str(err.args[0]))], 0, []
            articles = None
        else:
            report.files.append(source.location)
            batches.append(articles.assign(**{SOURCE_ROW: source.location}))
        report.rows_read += rows
        report.problems.extend(problems)
        report.skipped.update(p.reason for p in problems if not p.reason.startswith("kept"))
        report.notes += sum(p.reason.startswith("kept") for p in problems)
        report.imprecise += sum("imprecise date" in p.reason for p in problems)
        report.date_notes.extend(notes)
    if failures and not batches:
        raise failures[0]
    if progress:
        progress(len(sources), len(sources), "merging")
    incoming = pd.concat(batches, ignore_index=True) if batches else existing.iloc[0:0]
    if SOURCE_ROW in incoming.columns:
        # An article in two files of one ingest: the later file's row stands; say so.
        last_row = incoming.groupby(ARTICLE_ID)[SOURCE_ROW].transform("last")
        for index in incoming.index[incoming[ARTICLE_ID].duplicated(keep="last")]:
            later = last_row[index]
            report.problems.append(RowProblem(incoming.at[index, SOURCE_ROW], None, URL,
                                              incoming.at[index, URL] or incoming.at[index, TITLE],
                                              "replaced by a row of a later file", detail=later))
            report.skipped.update(["replaced by a row of a later file"])
        incoming = incoming.drop(columns=[SOURCE_ROW])
    merged, counts = merge_articles(existing, incoming)
    report.added, report.updated = counts.added, counts.updated
    report.unchanged, report.removed = counts.unchanged, counts.removed
    report.undated = int(incoming.drop_duplicates(ARTICLE_ID, keep="last")[PUBLISHED].isna().sum())
    log.info("ingested %s", report.summary().replace("\n", "; "))
    return merged, report
