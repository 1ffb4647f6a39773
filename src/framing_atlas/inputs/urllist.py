"""Lists of article URLs (a .txt file, one per line, or a CSV with a `url` column), fetched and extracted.

Every line that cannot become an article (not an http(s) URL, a dead link, a page without
article text, a repeated URL) is reported with its line number and skipped; the rest of the
list goes on.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from framing_atlas.errors import AtlasError
from framing_atlas.inputs.fetch import Fetcher, is_http_url
from framing_atlas.inputs.rows import (DELIMITED_SUFFIXES, SOURCE_ROW, RowProblem, normalize_url,
                                       read_records)
from framing_atlas.inputs.outlets import pick_outlet
from framing_atlas.store import OUTLET, PUBLISHED, TEXT, TITLE, URL, Progress
from framing_atlas.inputs.webpages import MIN_WORDS, SOURCE, extract_page, word_count

log = logging.getLogger(__name__)

LIST_COLUMNS = [OUTLET, PUBLISHED, TITLE, URL, TEXT, SOURCE]


def read_url_list(path: Path, *, fetcher: Fetcher, outlet_map: Mapping[str, str],
                  min_words: int = MIN_WORDS, progress: Progress | None = None,
                  ) -> tuple[pd.DataFrame, list[RowProblem]]:
    """Article rows (outlet, published, title, url, text, source, + CSV extras) from a URL list.

    A .txt list has one URL per line; blank lines and lines starting with # are skipped, and
    " # note" after a URL is a comment. A CSV (or TSV) needs a `url` column; its other columns
    are kept, and its outlet, published and title cells, where filled, win over what the page
    says. Problems name the line number (a CSV's header is line 1), and so does each row's
    SOURCE_ROW, so the problems ingest finds later name the list's line too.
    """
    path = Path(path)
    if not path.is_file():
        raise AtlasError("URL list not found", file=path)
    entries, problems = _read_entries(path)
    rows: list[dict[str, str]] = []
    seen: dict[str, int] = {}
    for done, (line, url, given) in enumerate(entries):
        if progress:
            progress(done, len(entries), f"fetching {url[:60]}")
        if not is_http_url(url):
            problems.append(RowProblem(str(path), line, URL, url, "not an http(s) URL",
                                       "line"))
            continue
        key = normalize_url(url)
        if key in seen:
            problems.append(RowProblem(str(path), line, URL, url,
                                       f"same URL as line {seen[key]}", "line"))
            continue
        seen[key] = line
        answer = fetcher.get(url)
        if not answer.ok:
            problems.append(RowProblem(str(path), line, URL, url,
                                       f"could not fetch: {answer.error}", "line"))
            continue
        page = extract_page(answer.content, url=url)
        if word_count(page.text) < min_words:
            problems.append(RowProblem(str(path), line, TEXT, url,
                                       "no article text found on the page", "line"))
            continue
        # The page's canonical address, else where redirects ended, tells the site best
        # (a list may hold shortened links).
        outlet = given.get(OUTLET) or pick_outlet(url=page.url or answer.final_url or url,
                                                  named=page.sitename, mapping=outlet_map)
        rows.append({**given, OUTLET: outlet, PUBLISHED: given.get(PUBLISHED) or page.published,
                     TITLE: given.get(TITLE) or page.title, URL: url, TEXT: page.text,
                     SOURCE: str(path), SOURCE_ROW: line})
    if progress:
        progress(len(entries), len(entries), f"read {path.name}")
    log.info("%s: %d lines, %d articles, %d problems", path, len(entries), len(rows),
             len(problems))
    extras = list(dict.fromkeys(k for row in rows for k in row
                                if k not in LIST_COLUMNS and k != SOURCE_ROW))
    frame = pd.DataFrame(rows, columns=LIST_COLUMNS + extras + [SOURCE_ROW], dtype=object)
    return frame.fillna(""), sorted(problems, key=lambda p: p.row)


def _read_entries(path: Path) -> tuple[list[tuple[int, str, dict[str, str]]], list[RowProblem]]:
    """(line number, url, other cells of that line) for every line that names something, and
    the malformed lines of a CSV list."""
    if path.name.lower().endswith(DELIMITED_SUFFIXES):
        table, malformed = read_records(path)
        if URL not in table.columns:
            names = [c for c in table.columns if c != SOURCE_ROW]
            raise AtlasError(f"no '{URL}' column (columns are: {', '.join(map(str, names))})",
                             file=path)
        others = [c for c in table.columns if c not in (URL, TEXT, SOURCE_ROW)]
        return [(int(record[SOURCE_ROW]), str(record[URL]).strip(),
                 {c: str(record[c]).strip() for c in others if str(record[c]).strip()})
                for record in table.to_dict("records") if str(record[URL]).strip()], malformed
    try:
        lines = path.read_text(encoding="utf-8-sig", errors="replace").splitlines()
    except OSError as err:
        raise AtlasError(f"cannot read the URL list: {err}", file=path) from None
    entries = []
    for number, line in enumerate(lines, start=1):
        line = line.split(" #", 1)[0].split("\t#", 1)[0].strip()
        if line and not line.startswith("#"):
            entries.append((number, line, {}))
    return entries, []
