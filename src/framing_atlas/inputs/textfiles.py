"""Articles as files: plain text and Markdown (one article a file), Word files, news-database
exports (see nexis.py), and folders' .zip archives of them.

A plain-text article has its title on the first non-empty line and its body below. Metadata may
sit in a header at the top, either a `---` front-matter block or lines such as::

    Outlet: The Harbor Gazette
    Published: 2022-03-01
    URL: https://harbor.example/bridge
    Title: The bridge reopens

Without a header the date comes from the file name (2022-03-01-bridge.txt) when it holds one,
and the outlet from the URL's site; what is still missing comes from --outlet and --published.
A file is read for what it holds, not for its name: a .txt of mostly http(s) addresses is a list
of links, a .txt or .docx with "N of M DOCUMENTS" or "End of Document" separators is an export.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from io import BytesIO
from pathlib import Path, PurePosixPath

import pandas as pd

from framing_atlas.errors import AtlasError
from framing_atlas.inputs.nexis import SOURCE, UNIT, is_export, read_export
from framing_atlas.inputs.outlets import pick_outlet
from framing_atlas.inputs.rows import (DOCUMENT_SUFFIXES, DOCX_SUFFIX, PAGE_SUFFIXES,
                                       SOURCE_ROW, ZIP_SUFFIX, RowProblem)
from framing_atlas.store import OUTLET, PUBLISHED, TEXT, TITLE, URL

log = logging.getLogger(__name__)

ARTICLE = "text"  # one article a file
EXPORT = "nexis"  # a LexisNexis / Nexis Uni export
LINKS = "urls"  # a list of links
FILE_COLUMNS = [OUTLET, PUBLISHED, TITLE, URL, TEXT, SOURCE]

# Header lines a plain-text article may start with, and the field each fills.
_HEADER_FIELDS = {"outlet": OUTLET, "source": OUTLET, "publication": OUTLET,
                  "published": PUBLISHED, "date": PUBLISHED, "url": URL, "link": URL,
                  "title": TITLE, "headline": TITLE, "author": "byline", "byline": "byline",
                  "section": "section"}
_HEADER_LINE = re.compile(r"^\s*(" + "|".join(_HEADER_FIELDS) + r")\s*:\s*(.*?)\s*$",
                          re.IGNORECASE)
_FRONT_MATTER_LINE = re.compile(r"^\s*([A-Za-z][\w -]*?)\s*:\s*(.*?)\s*$")
_FRONT_MATTER_END = ("---", "...")
_FILE_DATE = re.compile(r"(?<!\d)(\d{4})[-_.](\d{2})[-_.](\d{2})(?!\d)")
_MARKDOWN_TITLE = re.compile(r"^\s*#{1,6}\s+|\s+#+\s*$")
_UNDERLINE = re.compile(r"^\s*(?:={3,}|-{3,})\s*$")
_HTTP = re.compile(r"^https?://\S+$", re.IGNORECASE)
# Fields the atlas fills itself; a front-matter key of that name is not copied over them.
_RESERVED = {OUTLET, PUBLISHED, TITLE, URL, TEXT, SOURCE, "article_id"}


def decode_text(data: bytes) -> str:
    """Text of a file in UTF-8 (with or without BOM), UTF-16 with BOM, or else Windows-1252,
    which older LexisNexis downloads use."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def docx_text(data: bytes, *, name: str) -> str:
    """The paragraphs of a Word file, separated by blank lines."""
    try:
        import docx
    except ImportError:  # pragma: no cover - requirements.txt installs it
        raise AtlasError("reading Word files needs python-docx: pip install python-docx",
                         file=name) from None
    try:
        document = docx.Document(BytesIO(data))
    except (ValueError, KeyError, zipfile.BadZipFile, OSError) as err:
        raise AtlasError(f"cannot read this Word file: {err}".splitlines()[0],
                         file=name) from None
    return "\n\n".join(paragraph.text for paragraph in document.paragraphs)


def file_text(data: bytes, *, name: str) -> str:
    if name.lower().endswith(DOCX_SUFFIX):
        return docx_text(data, name=name)
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise AtlasError("not a text file (it holds binary data)", file=name)
    return decode_text(data)


def text_kind(text: str, *, name: str) -> str:
    """What a text file holds: an export (EXPORT), a list of links (LINKS) or one article."""
    if is_export(text):
        return EXPORT
    if name.lower().endswith(".txt") and _mostly_links(text):
        return LINKS
    return ARTICLE


def _mostly_links(text: str) -> bool:
    lines = [line.split(" #", 1)[0].split("\t#", 1)[0].strip() for line in text.splitlines()]
    lines = [line for line in lines if line and not line.startswith("#")]
    return bool(lines) and 2 * sum(bool(_HTTP.match(line)) for line in lines) > len(lines)


def kind_of_file(path: Path) -> str:
    """EXPORT, LINKS or ARTICLE for a .txt, .md or .docx file; ARTICLE when it cannot be read
    (reading it then says why)."""
    try:
        return text_kind(file_text(path.read_bytes(), name=str(path)), name=path.name)
    except (AtlasError, OSError):
        return ARTICLE


def zip_members(path: Path) -> tuple[list[str], list[str]]:
    """(saved pages, text or Word files) in a .zip; raises AtlasError when it is no zip."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = [info.filename for info in archive.infolist() if not info.is_dir()]
    except (zipfile.BadZipFile, OSError) as err:
        raise AtlasError(f"cannot open this zip archive: {err}", file=path) from None
    names = sorted(n for n in names if not n.startswith("__MACOSX/")
                   and not PurePosixPath(n).name.startswith("."))
    return ([n for n in names if n.lower().endswith(PAGE_SUFFIXES)],
            [n for n in names if n.lower().endswith(DOCUMENT_SUFFIXES)])


@dataclass
class Documents:
    """What read_documents found: article rows (SOURCE_ROW numbers them through the source),
    the problems, and where each row number points (file or member, row there, unit, total),
    so later checks can name the file and document too."""

    rows: list[dict] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    places: dict[int, tuple[str, int | None, str, int | None]] = field(default_factory=dict)

    def frame(self) -> pd.DataFrame:
        extras = list(dict.fromkeys(k for row in self.rows for k in row
                                    if k not in FILE_COLUMNS and k != SOURCE_ROW))
        frame = pd.DataFrame(self.rows, columns=FILE_COLUMNS + extras + [SOURCE_ROW],
                             dtype=object)
        return frame.fillna("")

    def place(self, problem: RowProblem) -> RowProblem:
        """A problem found later (by ingest's checks) pointed at its file and document."""
        if problem.row not in self.places:
            return problem
        file, row, unit, total = self.places[problem.row]
        # "replaced by a later row (document 7: ...)" points at another row: name it too.
        later = re.match(rf"{UNIT} (\d+)\b", problem.detail)
        detail = problem.detail
        if later and int(later.group(1)) in self.places:
            other = self.places[int(later.group(1))]
            where = other[0] + (f": {other[2]} {other[1]} of {other[3]}" if other[1] else "")
            detail = where + detail[later.end():]
        return replace(problem, file=file, row=row, unit=unit, total=total, detail=detail)


def read_documents(path: Path, *, kind: str = "auto", outlet_map: Mapping[str, str],
                   default_outlet: str | None = None) -> Documents:
    """Article rows from a text, Markdown or Word file, or a .zip of them.

    `kind` ARTICLE reads each file as one article, EXPORT as a news-database export; "auto"
    decides by what each file holds. A file of a .zip that is a list of links is reported, not
    fetched. A file that cannot be read is reported and the others read; a single file that
    cannot be read is an AtlasError.
    """
    path = Path(path)
    if not path.is_file():
        raise AtlasError("file not found", file=path)
    found = Documents()
    if path.name.lower().endswith(ZIP_SUFFIX):
        _, members = zip_members(path)
        if not members:
            raise AtlasError(f"no {', '.join(DOCUMENT_SUFFIXES)} files in this zip archive",
                             file=path)
        with zipfile.ZipFile(path) as archive:
            for member in members:
                name = f"{path}:{member}"
                try:
                    text = file_text(archive.read(member), name=name)
                except (AtlasError, zipfile.BadZipFile, KeyError, ValueError, OSError) as err:
                    reason = str(err.args[0]) if isinstance(err, AtlasError) else str(err)
                    found.problems.append(RowProblem(name, None, "", "", "unreadable file",
                                                     detail=reason))
                    continue
                _read_one(text, name=name, kind=kind, found=found, outlet_map=outlet_map,
                          default_outlet=default_outlet)
    else:
        try:
            data = path.read_bytes()
        except OSError as err:
            raise AtlasError(f"cannot read the file: {err.strerror}", file=path) from None
        _read_one(file_text(data, name=str(path)), name=str(path), kind=kind, found=found,
                  outlet_map=outlet_map, default_outlet=default_outlet)
    return found


def _read_one(text: str, *, name: str, kind: str, found: Documents,
              outlet_map: Mapping[str, str], default_outlet: str | None) -> None:
    detected = text_kind(text, name=name) if kind == "auto" else kind
    if detected == LINKS:
        found.problems.append(RowProblem(name, None, "", "", "a list of links in a zip archive",
                                         detail="ingest it by itself to fetch its pages"))
        return
    if detected == EXPORT:
        export = read_export(text, name=name)
        for row in export.rows:
            number = len(found.rows) + 1
            found.places[number] = (name, row[SOURCE_ROW], UNIT, export.total)
            found.rows.append({**row, SOURCE_ROW: number})
        found.problems.extend(export.problems)
        return
    row, why = read_article(text, name=name, outlet_map=outlet_map,
                            default_outlet=default_outlet)
    if why:
        found.problems.append(RowProblem(
            name, None, OUTLET if why == "no outlet" else TEXT, row.get(TITLE, ""), why,
            detail="add an 'Outlet:' line at the top or give --outlet NAME"
            if why == "no outlet" else ""))
        return
    number = len(found.rows) + 1
    found.places[number] = (name, None, "file", None)
    found.rows.append({**row, SOURCE_ROW: number})


def read_article(text: str, *, name: str, outlet_map: Mapping[str, str] = {},
                 default_outlet: str | None = None) -> tuple[dict, str]:
    """One plain-text or Markdown article as a row, or why it cannot be one."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    meta, start = _header(lines)
    rest = lines[start:]
    title = meta.get(TITLE, "")
    first = next((i for i, line in enumerate(rest) if line.strip()), None)
    if first is not None:
        heading = _MARKDOWN_TITLE.sub("", rest[first]).strip().strip("*_").strip()
        if not title or heading == title:
            title = title or heading
            skip = first + 1
            if skip < len(rest) and _UNDERLINE.match(rest[skip]):  # a Markdown "Title\n====="
                skip += 1
            rest = rest[skip:]
    body = "\n".join(line.rstrip() for line in rest).strip()
    row = {**{k: v for k, v in meta.items() if k not in (OUTLET, PUBLISHED, TITLE, URL)},
           OUTLET: meta.get(OUTLET, ""), PUBLISHED: meta.get(PUBLISHED, ""), TITLE: title,
           URL: meta.get(URL, ""), TEXT: body or title, SOURCE: name}
    if not row[TEXT].strip():
        return row, "empty text"
    if not row[PUBLISHED]:
        row[PUBLISHED] = date_in_name(name)
    if not row[OUTLET] and row[URL]:
        row[OUTLET] = pick_outlet(url=row[URL], named="", mapping=outlet_map)
    if not row[OUTLET] and not default_outlet:
        return row, "no outlet"
    return row, ""


def _header(lines: list[str]) -> tuple[dict[str, str], int]:
    """The metadata at the top of a file, and the line where the article starts."""
    first = next((i for i, line in enumerate(lines) if line.strip()), len(lines))
    meta: dict[str, str] = {}
    if first < len(lines) and lines[first].strip() == "---":
        end = next((i for i in range(first + 1, len(lines))
                    if lines[i].strip() in _FRONT_MATTER_END), None)
        if end is not None:
            for line in lines[first + 1:end]:
                match = _FRONT_MATTER_LINE.match(line)
                if match and match.group(2):
                    key = match.group(1).strip().lower()
                    name = _HEADER_FIELDS.get(key) or re.sub(r"\W+", "_", key).strip("_")
                    if name and (name in _HEADER_FIELDS.values() or name not in _RESERVED):
                        meta.setdefault(name, match.group(2).strip().strip("'\""))
            return meta, end + 1
    at = first
    while at < len(lines):
        match = _HEADER_LINE.match(lines[at])
        if not match:
            break
        meta.setdefault(_HEADER_FIELDS[match.group(1).lower()], match.group(2))
        at += 1
    return meta, at


def date_in_name(name: str) -> str:
    """The ISO day a file's name starts with or holds (2022-03-01-bridge.txt), else ""."""
    stem = PurePosixPath(name.replace("\\", "/")).name
    for match in _FILE_DATE.finditer(stem):
        try:
            return dt.date(*(int(part) for part in match.groups())).isoformat()
        except ValueError:
            continue
    return ""
