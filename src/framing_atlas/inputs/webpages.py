"""Saved web pages (.html/.htm/.xhtml, folders of them, .zip archives of them) as article rows.

trafilatura finds the article in the page and leaves out navigation, cookie banners, related
links and footers; it also reads the title, date, canonical url and site name. The rows come out
as the same string table `rows.read_records` gives, so `ingest.normalize_articles` checks them
like any other file.
"""

from __future__ import annotations

import logging
import re
import zipfile
from collections.abc import Callable, Mapping
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import lxml.html
import pandas as pd
import trafilatura
from lxml.etree import LxmlError

from framing_atlas.errors import AtlasError
from framing_atlas.inputs.fetch import is_http_url
from framing_atlas.inputs.rows import (PAGE_SUFFIXES, SAVED_PAGE_SUFFIXES, ZIP_SUFFIX,
                                       RowProblem)
from framing_atlas.inputs.outlets import pick_outlet
from framing_atlas.store import OUTLET, PUBLISHED, TEXT, TITLE, URL, Progress

log = logging.getLogger(__name__)

SOURCE = "source"  # extra column: the file (or archive member) a row came from
PAGE_COLUMNS = [OUTLET, PUBLISHED, TITLE, URL, TEXT, SOURCE]
# Fewer words than this is a page that was all navigation, a paywall or an error page.
MIN_WORDS = 20

# Browsers and SingleFile note where a saved page came from.
_SAVED_FROM = re.compile(rb"<!--\s*(?:saved from url=\(\d+\)|Page saved with SingleFile\s+url:)"
                         rb"\s*(https?://[^\s>]+)", re.IGNORECASE)
# trafilatura drops navigation and footers by itself; cookie and consent banners it can take
# for text when the article is short.
_PRUNE = ("//*[contains(@id,'cookie') or contains(@class,'cookie') or contains(@id,'consent') "
          "or contains(@class,'consent') or contains(@id,'gdpr') or contains(@class,'gdpr')]")
# Only dates the page states as such: a wider search reads "© 2026" in a footer as a date.
_DATE_SEARCH = {"extensive_search": False, "original_date": True}
_BLOCKS = ("p", "div", "li", "ul", "ol", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6",
           "section", "article", "figure", "figcaption", "table", "tr", "pre", "dd", "dt")


@dataclass(frozen=True)
class Page:
    """What trafilatura found on one page; empty strings where it found nothing."""

    text: str
    title: str = ""
    published: str = ""
    url: str = ""
    sitename: str = ""


def extract_page(html: bytes | str, *, url: str = "") -> Page:
    """The main text of a page, paragraphs separated by blank lines, with its metadata.

    `url` is where the page was fetched from; the page's own canonical link or og:url is
    preferred when it has one.
    """
    if isinstance(html, bytes):
        saved = _SAVED_FROM.search(html[:4096]) or _SAVED_FROM.search(html)
        url = url or (saved.group(1).decode("ascii", "replace") if saved else "")
    try:
        document = trafilatura.bare_extraction(
            html, url=url or None, with_metadata=True, include_comments=False,
            include_tables=False, include_images=False, deduplicate=False,
            date_extraction_params=_DATE_SEARCH, prune_xpath=_PRUNE)
    except (ValueError, TypeError, LxmlError) as err:  # markup trafilatura cannot parse
        log.debug("trafilatura failed on %s: %s", url or "a page", err)
        document = None
    if document is None:
        return Page(text="", url=url)
    data = document.as_dict() if hasattr(document, "as_dict") else dict(document)
    title = " ".join((data.get("title") or "").split())
    # trafilatura writes one block per line; the atlas reads paragraphs at blank lines.
    lines = [" ".join(line.split()) for line in (data.get("text") or "").splitlines()]
    lines = [line for line in lines if line]
    if lines and title and lines[0] == title:
        lines = lines[1:]
    page_url = data.get("url") or ""
    return Page(text="\n\n".join(lines), title=title, published=data.get("date") or "",
                url=page_url if is_http_url(page_url) else url,
                sitename=" ".join((data.get("sitename") or "").split()))


def html_to_text(fragment: str) -> str:
    """Plain text of an HTML fragment (a feed's content or summary), blocks as paragraphs."""
    if "<" not in fragment:
        return "\n\n".join(" ".join(p.split()) for p in re.split(r"\n\s*\n", fragment)
                           if p.strip())
    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except (LxmlError, ValueError):
        return " ".join(re.sub(r"<[^>]+>", " ", fragment).split())
    for bad in root.xpath(".//script|.//style|.//noscript"):
        bad.drop_tree()
    for element in root.iter(*_BLOCKS, "br"):
        element.tail = ("\n\n" if element.tag != "br" else "\n") + (element.tail or "")
        if element.tag != "br":
            element.text = "\n\n" + (element.text or "")
    paragraphs = re.split(r"\n\s*\n", root.text_content())
    return "\n\n".join(" ".join(p.split()) for p in paragraphs if p.strip())


def word_count(text: str) -> int:
    return len(text.split())


def read_pages(paths: list[Path], *, outlet_map: Mapping[str, str], min_words: int = MIN_WORDS,
               progress: Progress | None = None) -> tuple[pd.DataFrame, list[RowProblem]]:
    """Article rows (outlet, published, title, url, text, source) from saved pages.

    `paths` are .html/.htm/.xhtml files, folders (searched recursively) or .zip archives of pages.
    The outlet is the mapped name of the page's domain, else the site name the page gives,
    else its domain, else the folder the page sits in below the folder or zip given
    (pages/RT/story.html → "RT"). A page without article text is listed as a problem
    (row = its position in the batch, from 1) and skipped.
    """
    with ExitStack() as archives:
        pages = _list_pages(paths, archives)
        rows: list[dict[str, str]] = []
        problems: list[RowProblem] = []
        for number, (name, folder, read) in enumerate(pages, start=1):
            if progress:
                progress(number - 1, len(pages), f"extracting {PurePosixPath(name).name}")
            try:
                page = extract_page(read())
            except OSError as err:
                problems.append(RowProblem(name, number, TEXT, "", f"cannot read the file: {err}"))
                continue
            if word_count(page.text) < min_words:
                # One wording for every such page, so the ingest report counts them together.
                problems.append(RowProblem(name, number, TEXT, page.title,
                                           "no article text found in the page"))
                continue
            rows.append({OUTLET: pick_outlet(url=page.url, named=page.sitename,
                                             mapping=outlet_map, fallback=folder),
                         PUBLISHED: page.published, TITLE: page.title, URL: page.url,
                         TEXT: page.text, SOURCE: name})
    if progress:
        progress(len(pages), len(pages), "pages read")
    log.info("read %d pages: %d articles, %d without text", len(pages), len(rows), len(problems))
    return pd.DataFrame(rows, columns=PAGE_COLUMNS, dtype=object), problems


Reader = Callable[[], bytes]


def _list_pages(paths: list[Path], archives: ExitStack) -> list[tuple[str, str, Reader]]:
    """(name for messages, folder name for a fallback outlet, reader) of every page, in order."""
    pages: list[tuple[str, str, Reader]] = []
    for path in map(Path, paths):
        if path.is_dir():
            inside = sorted(p for p in path.rglob("*") if p.is_file() and _is_page_or_zip(p.name))
            if not inside:
                raise AtlasError(f"no {', '.join(SAVED_PAGE_SUFFIXES)} files in this folder",
                                 file=path)
            for file in inside:
                if _is_zip(file.name):
                    # A folder's archive of text files is read as such (ingest.find_inputs).
                    pages += _zip_pages(file, archives, required=False)
                else:
                    below = file.relative_to(path).parts
                    pages.append((str(file), file.parent.name if len(below) > 1 else "",
                                  file.read_bytes))
        elif path.is_file():
            if _is_zip(path.name):
                pages += _zip_pages(path, archives)
            elif _is_page_or_zip(path.name):
                pages.append((str(path), "", path.read_bytes))
            else:
                raise AtlasError(f"not a saved web page; use {', '.join(PAGE_SUFFIXES)} or a "
                                 f"{ZIP_SUFFIX} of them",
                                 file=path)
        else:
            raise AtlasError("file not found", file=path)
    return pages


def _is_zip(name: str) -> bool:
    return name.lower().endswith(ZIP_SUFFIX)


def _is_page_or_zip(name: str) -> bool:
    return name.lower().endswith(SAVED_PAGE_SUFFIXES) and not name.startswith(".")


def _zip_pages(path: Path, archives: ExitStack, *, required: bool = True,
               ) -> list[tuple[str, str, Reader]]:
    try:
        archive = archives.enter_context(zipfile.ZipFile(path))
    except (zipfile.BadZipFile, OSError) as err:
        raise AtlasError(f"cannot open this zip archive: {err}", file=path) from None
    members = sorted(info.filename for info in archive.infolist()
                     if not info.is_dir() and not info.filename.startswith("__MACOSX/")
                     and _is_page_or_zip(PurePosixPath(info.filename).name)
                     and not _is_zip(info.filename))
    if not members and required:
        raise AtlasError(f"no {', '.join(PAGE_SUFFIXES)} files in this zip archive", file=path)
    return [(f"{path}:{member}", PurePosixPath(member).parent.name,
             _member_reader(archive, member)) for member in members]


def _member_reader(archive: zipfile.ZipFile, member: str) -> Reader:
    def read() -> bytes:
        try:
            return archive.read(member)
        except (zipfile.BadZipFile, KeyError, ValueError) as err:
            raise OSError(str(err)) from None
    return read
