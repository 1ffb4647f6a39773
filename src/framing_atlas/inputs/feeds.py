"""RSS and Atom feeds (files or URLs) as article rows, one per entry.

feedparser reads every common feed format and tolerates the broken ones. Many feeds carry
only a teaser; for such an entry the linked article is fetched (politely, cached) and its text
extracted with trafilatura. When that fails the teaser is kept and the failure is reported.
"""

from __future__ import annotations

import io
import logging
import re
import time
from collections.abc import Mapping
from pathlib import Path

import feedparser
import pandas as pd

from framing_atlas.errors import AtlasError
from framing_atlas.inputs.fetch import Fetcher, is_http_url
from framing_atlas.inputs.rows import SOURCE_ROW, RowProblem
from framing_atlas.inputs.outlets import host_of, pick_outlet, registrable_domain
from framing_atlas.store import OUTLET, PUBLISHED, TEXT, TITLE, URL, Progress
from framing_atlas.inputs.webpages import MIN_WORDS, SOURCE, extract_page, html_to_text, word_count

log = logging.getLogger(__name__)

FEED_COLUMNS = [OUTLET, PUBLISHED, TITLE, URL, TEXT, SOURCE]
# A summary shorter than this, or one that trails off, is a teaser rather than the article.
SUMMARY_WORDS = 80
_TRAILS_OFF = re.compile(r"(?:…|\.\.\.|\[(?:…|\.\.\.)\]|\b(?:read more|continue reading|"
                         r"read the full (?:article|story))\W*)\s*$", re.IGNORECASE)


def is_teaser(text: str, *, summary_words: int = SUMMARY_WORDS) -> bool:
    """True for a feed summary that stands in for an article: short, or trailing off in "…"."""
    return word_count(text) < summary_words or _TRAILS_OFF.search(text) is not None


def read_feed(source: str | Path, *, fetcher: Fetcher | None, outlet_map: Mapping[str, str],
              fetch_full: bool = True, summary_words: int = SUMMARY_WORDS,
              min_words: int = MIN_WORDS, progress: Progress | None = None,
              ) -> tuple[pd.DataFrame, list[RowProblem]]:
    """Article rows (outlet, published, title, url, text, source) from an RSS/Atom file or URL.

    Text comes from the entry's content, else its summary. A summary-only entry (fewer than
    `summary_words` words, or ending in "…") is replaced by the linked article fetched with
    `fetcher` when `fetch_full`; if that fails the summary is kept and a problem says why.
    The outlet is the mapped name of the entry's domain, else the feed's title, else the
    domain. Problems give the entry's number in the feed (from 1), and so does each row's
    SOURCE_ROW, so the problems ingest finds later name the entry too.
    """
    label = str(source)
    data = _read_source(source, fetcher)
    parsed = feedparser.parse(io.BytesIO(data))  # a stream: feedparser itself never fetches
    if not parsed.entries:
        if parsed.get("bozo"):
            raise AtlasError(f"not an RSS or Atom feed ({_short(parsed.get('bozo_exception'))})",
                             file=label)
        log.info("%s: the feed has no entries", label)
    feed_title = " ".join((parsed.feed.get("title") or "").split())
    feed_home = parsed.feed.get("link") or (label if is_http_url(label) else "")
    fallback = registrable_domain(host_of(feed_home)) if feed_home else Path(label).stem

    rows: list[dict[str, str]] = []
    problems: list[RowProblem] = []
    total = len(parsed.entries)
    for number, entry in enumerate(parsed.entries, start=1):
        if progress:
            progress(number - 1, total, f"entry {number} of {label}")
        link = (entry.get("link") or "").strip()
        title = " ".join((entry.get("title") or "").split())
        content, summary = _content(entry), html_to_text(entry.get("summary") or "")
        text = content or summary
        published = _published(entry)
        if not content and fetch_full and is_http_url(link) and is_teaser(
                summary, summary_words=summary_words):
            full, why = _fetch_article(link, fetcher, min_words=min_words)
            if full is not None:
                text = full.text
                title = title or full.title
                published = published or full.published
            elif text:
                problems.append(RowProblem(label, number, TEXT, link,
                                           f"kept the feed summary: {why}", "entry"))
        if not text.strip():
            problems.append(RowProblem(label, number, TEXT, title or link, "entry has no text",
                                       "entry"))
            continue
        rows.append({OUTLET: pick_outlet(url=link, named=feed_title, mapping=outlet_map,
                                         fallback=fallback),
                     PUBLISHED: published, TITLE: title, URL: link, TEXT: text, SOURCE: label,
                     SOURCE_ROW: number})
    if progress:
        progress(total, total, f"read {label}")
    log.info("%s: %d entries, %d kept, %d problems", label, total, len(rows), len(problems))
    return pd.DataFrame(rows, columns=FEED_COLUMNS + [SOURCE_ROW], dtype=object), problems


def _read_source(source: str | Path, fetcher: Fetcher | None) -> bytes:
    if isinstance(source, str) and is_http_url(source):
        if fetcher is None:
            raise AtlasError("a feed URL needs a fetcher (network access)", file=source)
        answer = fetcher.get(source)
        if not answer.ok:
            raise AtlasError(f"cannot fetch the feed: {answer.error}", file=source)
        return answer.content
    path = Path(source)
    if not path.is_file():
        raise AtlasError("feed file not found (give a path or an http(s) URL)", file=source)
    try:
        return path.read_bytes()
    except OSError as err:
        raise AtlasError(f"cannot read the feed: {err}", file=source) from None


def _content(entry: dict) -> str:
    """The longest full-content block of an entry as text ("" when it has none)."""
    texts = [html_to_text(block.get("value") or "") for block in entry.get("content") or []]
    texts = [t for t in texts if t]
    best = max(texts, key=len, default="")
    # Some feeds copy the teaser into <content>: that is not the article either.
    summary = html_to_text(entry.get("summary") or "")
    return "" if best == summary and is_teaser(best) else best


def _published(entry: dict) -> str:
    stamp = entry.get("published_parsed") or entry.get("updated_parsed")
    if stamp:
        return time.strftime("%Y-%m-%dT%H:%M:%SZ", stamp)  # feedparser gives UTC
    return (entry.get("published") or entry.get("updated") or "").strip()


def _fetch_article(link: str, fetcher: Fetcher | None, *, min_words: int):
    if fetcher is None:
        return None, "no fetcher to get the full article"
    answer = fetcher.get(link)
    if not answer.ok:
        return None, f"full article not fetched ({answer.error})"
    page = extract_page(answer.content, url=link)
    if word_count(page.text) < min_words:
        return None, "no article text found on the linked page"
    return page, ""


def _short(value: object) -> str:
    text = str(value or "unreadable").splitlines()[0]
    return text if len(text) <= 120 else text[:117] + "..."
