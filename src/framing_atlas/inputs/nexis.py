"""LexisNexis and Nexis Uni exports (.TXT, .DOCX): many articles in one file, as article rows.

The exports come in two layouts, both read here from the file's text (a Word file's paragraphs
separated by blank lines):

- LexisNexis Academic puts each article under a line "7 of 10 DOCUMENTS": the source, the date
  line, maybe an edition, the title, labelled fields (BYLINE:, SECTION:, LENGTH:), the body,
  then a footer of labelled fields (LOAD-DATE:, LANGUAGE:, PUBLICATION-TYPE:) and the copyright
  notice.
- Nexis Uni ends each article with "End of Document": the title, the source, the date line, a
  copyright line and labelled fields (Section:, Length:, Byline:), then "Body", the body, and
  "Classification" with more fields and Load-Date:.

What comes before the first article (the download's cover page with the search and the list of
titles) is left out, and so are the labelled fields, the copyright lines and the footer: the
body is the article's own text. Byline, section, length and a few other fields become columns.
An article that lost its separator (two articles run together) is found again where the first
one's footer ends and a source and a date line follow; it is kept with a remark. An article
whose source, date line, title or body cannot be found is reported by its position in the file
("document 7 of 10: no date line") and the others are kept.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from dataclasses import dataclass, field

from framing_atlas.inputs.rows import SOURCE_ROW, RowProblem
from framing_atlas.store import OUTLET, PUBLISHED, TEXT, TITLE, URL

log = logging.getLogger(__name__)

UNIT = "document"
SOURCE = "source"  # the extra column naming the file, as the page readers write it
# The labelled fields kept as columns, and the column each becomes.
KEPT_FIELDS = {"byline": "byline", "section": "section", "length": "length",
               "dateline": "dateline", "edition": "edition", "highlight": "highlight",
               "language": "language", "load-date": "load_date",
               "publication-type": "publication_type"}
# Labels an export puts before the body; those after it close the article.
_HEADER_LABELS = ("byline", "section", "length", "dateline", "edition", "highlight", "author",
                  "series", "column", "correction-date", "notes")
_FOOTER_LABELS = ("load-date", "language", "publication-type", "graphic", "subject",
                  "geographic", "person", "organization", "company", "industry", "ticker",
                  "journal-code", "document-type", "type", "url", "distribution", "country",
                  "state", "city")
_LABELS = _HEADER_LABELS + _FOOTER_LABELS
# A label is written in capitals (BYLINE:) or with a capital first letter (Byline:, Load-Date:).
_LABEL = re.compile(r"^\s*([A-Za-z]+(?:-[A-Za-z]+)*)\s*:\s*(.*)$", re.DOTALL)

_SEPARATOR = re.compile(r"^\s*(\d+)\s+(?:of|von|de|sur|di)\s+(\d+)\s+"
                        r"(?:DOCUMENTS?|DOKUMENTE?|DOCUMENTOS?|DOCUMENTI)\s*$")
_END = re.compile(r"^\s*End of Document\s*$")
_COVER_COUNT = re.compile(r"^\s*Documents\s*\((\d+)\)\s*$", re.IGNORECASE)
_COPYRIGHT = re.compile(r"^\s*(?:copyright|©|\(c\))\s*(?:©|\(c\))?\s*\d{4}", re.IGNORECASE)
_RIGHTS = re.compile(r"^\s*all rights reserved\W*$", re.IGNORECASE)
_BODY = re.compile(r"^\s*Body\s*$")
_CLASSIFICATION = re.compile(r"^\s*(?:Classification|Graphic)\s*$")

_WEEKDAY = r"(?:mon|tues|wednes|thurs|fri|satur|sun)day"
_MONTH = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
          r"|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?")
_DATE_LINE = re.compile(
    rf"^\s*(?:{_WEEKDAY},?\s+)?(?:(?P<m1>{_MONTH})\s+(?P<d1>\d{{1,2}}),?\s+(?P<y1>\d{{4}})"
    rf"|(?P<d2>\d{{1,2}})\.?\s+(?P<m2>{_MONTH})\s+(?P<y2>\d{{4}})"
    rf"|(?P<iso>\d{{4}}-\d{{2}}-\d{{2}}))(?P<rest>.*)$", re.IGNORECASE)
# After the date a date line holds only the weekday, the time and its zone: "Monday 5:52 PM GMT".
_DATE_REST = re.compile(rf"^(?:[\s,;]+(?:(?i:{_WEEKDAY})|\d{{1,2}}[:.]\d{{2}}(?::\d{{2}})?"
                        rf"|(?i:[ap]\.?m\.?)|[A-Z]{{2,5}}|[+-]\d{{2}}:?\d{{2}}))*[\s,.]*$")
_MONTHS = "jan feb mar apr may jun jul aug sep oct nov dec".split()
# A run-together article starts this many blocks before its date line (source / title+source).
_LOOKAHEAD = 8


def is_export(text: str) -> bool:
    """True when `text` is a LexisNexis or Nexis Uni export: it has their article separators."""
    return any(_SEPARATOR.match(line) or _END.match(line) for line in text.splitlines())


def date_of_line(line: str) -> str | None:
    """The ISO day of a date line ("January 11, 2010 Monday 5:52 PM GMT"), else None."""
    match = _DATE_LINE.match(" ".join(line.split()))
    if not match or not _DATE_REST.match(match.group("rest")):
        return None
    if match.group("iso"):
        year, month, day = (int(part) for part in match.group("iso").split("-"))
    else:
        name = (match.group("m1") or match.group("m2")).lower()
        month = _MONTHS.index(name[:3]) + 1
        day, year = int(match.group("d1") or match.group("d2")), int(
            match.group("y1") or match.group("y2"))
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


@dataclass
class Document:
    """One article's blocks (runs of non-blank lines) and how it was found."""

    blocks: list[str]
    unseparated: str = ""  # how it was found when its separator is missing


@dataclass
class Export:
    """What read_export found: article rows (SOURCE_ROW = document number), the problems, and
    how many documents the file holds."""

    rows: list[dict] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    total: int = 0


def read_export(text: str, *, name: str) -> Export:
    """Article rows (outlet, published, title, url, text, source, byline, section, length, ...)
    of one export; `name` is the file (or archive member) named in problems."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    classic = any(_SEPARATOR.match(line) for line in lines)
    chunks, stated = (_classic_chunks(lines) if classic else _uni_chunks(lines))
    documents: list[Document] = []
    for blocks, unseparated in chunks:
        documents += _run_apart(blocks, classic=classic, unseparated=unseparated,
                                first=len(documents) + 1)
    export = Export(total=max(stated, len(documents)))
    if not documents:
        export.problems.append(RowProblem(
            name, None, "", "", "no article found in this export",
            detail="no source and date line under an 'N of M DOCUMENTS' line or before an "
                   "'End of Document' line"))
    parse = _parse_classic if classic else _parse_uni
    for number, document in enumerate(documents, start=1):
        row, why = parse(document.blocks)

        def problem(reason: str, detail: str = "") -> RowProblem:
            shown = row.get(TITLE) or (document.blocks[0] if document.blocks else "")
            return RowProblem(name, number, "", " ".join(shown.split()), reason, UNIT, detail,
                              total=export.total)

        if why:
            export.problems.append(problem(why))
            continue
        if document.unseparated:
            export.problems.append(problem("kept: its separator is missing",
                                           document.unseparated))
        export.rows.append({**row, SOURCE: name, SOURCE_ROW: number})
    if stated > len(documents):
        export.problems.append(RowProblem(
            name, None, "", "", "fewer documents than the file announces",
            detail=f"{len(documents)} found, {stated} announced; a separator may be missing "
                   "inside an article"))
    log.info("%s: %d documents, %d articles", name, len(documents), len(export.rows))
    return export


def _blocks(lines: list[str]) -> list[str]:
    """Runs of non-blank lines, each joined with newlines."""
    blocks, current = [], []
    for line in lines:
        if line.strip():
            current.append(line.strip())
        elif current:
            blocks.append("\n".join(current))
            current = []
    if current:
        blocks.append("\n".join(current))
    return blocks


def _classic_chunks(lines: list[str]) -> tuple[list[tuple[list[str], str]], int]:
    """The blocks under each "N of M DOCUMENTS" line; what comes before the first is the cover
    page, unless an article starts in it."""
    chunks: list[tuple[list[str], str]] = []
    current: list[str] = []
    stated = 0
    for line in lines:
        separator = _SEPARATOR.match(line)
        if separator:
            chunks.append((_blocks(current), ""))
            current = []
            stated = max(stated, int(separator.group(2)))
        else:
            current.append(line)
    chunks.append((_blocks(current), ""))
    cover = chunks[0][0]
    start = next((i for i in range(len(cover)) if _starts_document(cover, i, classic=True)),
                 None)
    chunks[0] = (cover[start:] if start is not None else [], "found before the first separator")
    return [c for c in chunks if c[0]], stated


def _uni_chunks(lines: list[str]) -> tuple[list[tuple[list[str], str]], int]:
    """The blocks before each "End of Document" line; the first holds the cover page too."""
    chunks: list[tuple[list[str], str]] = []
    current: list[str] = []
    stated = 0
    for line in lines:
        if _END.match(line):
            chunks.append((_blocks(current), ""))
            current = []
            continue
        count = _COVER_COUNT.match(line)
        if count and not chunks:
            stated = int(count.group(1))
        current.append(line)
    rest = _blocks(current)
    if any(_starts_document(rest, i, classic=False) for i in range(len(rest))):
        chunks.append((rest, "no 'End of Document' after it"))
    return [c for c in chunks if c[0]], stated


def _run_apart(blocks: list[str], *, classic: bool, unseparated: str,
               first: int) -> list[Document]:
    """One chunk as its documents: a new one starts where a footer is followed by the start of
    an article (a separator went missing)."""
    starts = [0]
    for i in range(1, len(blocks)):
        if _is_footer(blocks[i - 1]) and not _is_footer(blocks[i]) \
                and _starts_document(blocks, i, classic=classic):
            starts.append(i)
    documents = []
    for k, (start, end) in enumerate(zip(starts, starts[1:] + [len(blocks)])):
        documents.append(Document(blocks[start:end], unseparated if not k else
                                  f"found after the end of document {first + k - 1}"))
    return documents


def _starts_document(blocks: list[str], i: int, *, classic: bool) -> bool:
    """True when an article starts at block i: source then date line (classic), or title,
    source, date line (Nexis Uni), and a labelled field or "Body" soon after."""
    at = i + (1 if classic else 2)
    if at >= len(blocks) or date_of_line(blocks[at]) is None:
        return False
    return any(_label(b) in _HEADER_LABELS or _BODY.match(b)
               for b in blocks[at + 1:at + 1 + _LOOKAHEAD])


def _label(block: str) -> str | None:
    match = _LABEL.match(block)
    if not match:
        return None
    name = match.group(1)
    if not name[:1].isupper():  # "BYLINE:" or "Byline:"; a sentence may start "length: ..."
        return None
    name = name.lower()
    return name if name in _LABELS else None


def _is_footer(block: str) -> bool:
    return (_label(block) in _FOOTER_LABELS or bool(_COPYRIGHT.match(block))
            or bool(_RIGHTS.match(block)) or bool(_CLASSIFICATION.match(block)))


def _is_notice(block: str) -> bool:
    """A copyright line (with its "All Rights Reserved"), which is never article text."""
    return bool(_COPYRIGHT.match(block) or _RIGHTS.match(block))


def _field_value(block: str) -> str:
    match = _LABEL.match(block)
    return " ".join(match.group(2).split()) if match else ""


def _fields(blocks: list[str]) -> dict[str, str]:
    kept: dict[str, str] = {}
    for block in blocks:
        label = _label(block)
        if label in KEPT_FIELDS and KEPT_FIELDS[label] not in kept:
            kept[KEPT_FIELDS[label]] = _field_value(block)
        elif label == "url" and URL not in kept:
            kept[URL] = _field_value(block)
    return kept


def _body(blocks: list[str]) -> tuple[str, list[str]]:
    """The body text without the footer at its end, and the footer's blocks."""
    end = len(blocks)
    while end and (_is_footer(blocks[end - 1]) or _END.match(blocks[end - 1])):
        end -= 1
    body = [b for b in blocks[:end] if not _is_notice(b)]
    return "\n\n".join(body).strip(), blocks[end:]


def _one_line(block: str) -> str:
    return " ".join(block.split())


def _row(outlet: str, published: str, title: str, body: str, fields: dict) -> dict:
    url = fields.pop(URL, "")
    return {OUTLET: _one_line(outlet), PUBLISHED: published, TITLE: _one_line(title),
            URL: url, TEXT: body, **fields}


def _parse_classic(blocks: list[str]) -> tuple[dict, str]:
    """Source, date line, [edition], title, header fields, body, footer."""
    dated = next((i for i, b in enumerate(blocks[:4]) if date_of_line(b)), None)
    if dated is None:
        return {}, "no date line"
    if dated == 0:
        return {}, "no source line"
    labelled = next((i for i in range(dated + 1, len(blocks))
                     if _label(blocks[i]) in _HEADER_LABELS), None)
    between = [b for b in blocks[dated + 1:labelled] if not _is_notice(b)]
    if labelled is None:  # no fields: the first block after the date is the title
        if not between:
            return {}, "no title line"
        title, edition, body_start = between[0], [], blocks.index(between[0], dated + 1) + 1
        header = []
    else:
        if not between:
            return {}, "no title line"
        title, edition = between[-1], between[:-1]
        body_start = labelled
        while body_start < len(blocks) and (_label(blocks[body_start])
                                            or _is_notice(blocks[body_start])):
            body_start += 1
        header = blocks[labelled:body_start]
    body, footer = _body(blocks[body_start:])
    if not body:
        return {}, "no body text"
    fields = _fields(header + footer)
    if edition and "edition" not in fields:
        fields["edition"] = _one_line(" ".join(edition))
    return _row(blocks[dated - 1], date_of_line(blocks[dated]), title, body, fields), ""


def _parse_uni(blocks: list[str]) -> tuple[dict, str]:
    """[cover page], title, source, date line, copyright, header fields, "Body", body, footer."""
    marker = next((i for i, b in enumerate(blocks) if _BODY.match(b)), None)
    header_end = marker if marker is not None else len(blocks)
    dated = next((i for i in range(header_end) if date_of_line(blocks[i])), None)
    if dated is None:
        return {}, "no date line"
    if dated == 0:
        return {}, "no source line"
    if dated == 1:
        return {}, "no title line"
    if marker is not None:
        body_start, header = marker + 1, blocks[dated + 1:marker]
    else:
        body_start = dated + 1
        while body_start < len(blocks) and (_label(blocks[body_start])
                                            or _is_notice(blocks[body_start])):
            body_start += 1
        header = blocks[dated + 1:body_start]
    body, footer = _body(blocks[body_start:])
    if not body:
        return {}, "no body text"
    fields = _fields(header + footer)
    edition = [b for b in header if not _label(b) and not _is_notice(b)]
    if edition and "edition" not in fields:
        fields["edition"] = _one_line(" ".join(edition))
    return _row(blocks[dated - 1], date_of_line(blocks[dated]), blocks[dated - 2], body,
                fields), ""
