"""Fictional news-database exports in the two LexisNexis layouts, and plain-text articles.

Everything here is made up: the outlets, towns, people and text. The layouts follow what
LexisNexis Academic ("N of M DOCUMENTS") and Nexis Uni ("End of Document") downloads look like:
a cover page, then per article its source, date line, title, labelled fields, body, footer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

OUTLETS = ["The Harbor Gazette (fictional)", "Northmoor Ledger (fictional)",
           "Valdoria Evening Post (fictional)"]
TOWNS = ["Port Averly", "Kestrel Bay", "Northmoor", "Lindenfall", "Osterwick", "Valdoria",
         "Marrow Point", "Fenholt"]


@dataclass
class Story:
    outlet: str
    day: str  # ISO
    date_line: str  # as the export writes it
    title: str
    byline: str
    section: str
    body: list[str] = field(default_factory=list)

    @property
    def length(self) -> str:
        return f"{sum(len(p.split()) for p in self.body)} words"


def stories(count: int, *, start: int = 0) -> list[Story]:
    """`count` fictional articles, each different, dated in March 2022."""
    made = []
    for i in range(start, start + count):
        town = TOWNS[i % len(TOWNS)]
        day = 1 + i
        made.append(Story(
            outlet=OUTLETS[i % len(OUTLETS)], day=f"2022-03-{day:02d}",
            date_line=f"March {day}, 2022 {WEEKDAYS[(day + 1) % 7]}",
            title=f"{town} council argues over the harbour bridge, round {i + 1}",
            byline=f"Mira Oakes-{i + 1}", section=f"NEWS; Pg. {i + 2}",
            body=[f"The council of {town} met on a wet evening to argue about the old harbour "
                  f"bridge again (meeting {i + 1} this year), and the gallery was full.",
                  f"Residents of {town} said the crossing was the only direct route to the "
                  "hospital, while the treasurer warned that repairs would eat the budget.",
                  f"A vote is expected next month – the mayor of {town} promised a public "
                  "report on the costs before then."]))
    return made


WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def classic_export(items: list[Story], *, skip_separator: tuple[int, ...] = (),
                   skip_date: tuple[int, ...] = ()) -> str:
    """LexisNexis Academic .TXT: a cover page, then each article under "k of M DOCUMENTS".

    `skip_separator` and `skip_date` name (from 1) articles that lose that line.
    """
    total = len(items)
    parts = ["Download Request: Current Document: 1-%d" % total,
             "Time Of Request: Tuesday, April 5, 2022  10:12:44 EST",
             "Send To: FICTIONAL LIBRARY", "Terms: harbour bridge",
             "Source: All News (fictional test file)", ""]
    for k, story in enumerate(items, start=1):
        if k not in skip_separator:
            parts += ["", f"                              {k} of {total} DOCUMENTS", ""]
        parts += ["", f"                          {story.outlet}", ""]
        if k not in skip_date:
            parts += [f"                       {story.date_line}", ""]
        parts += ["                             Final Edition", "", story.title, "",
                  f"BYLINE: {story.byline}", "", f"SECTION: {story.section}", "",
                  f"LENGTH: {story.length}", "", ""]
        for paragraph in story.body:
            parts += [paragraph, ""]
        parts += ["", f"LOAD-DATE: {story.date_line.rsplit(' ', 1)[0]}", "",
                  "LANGUAGE: ENGLISH", "", "PUBLICATION-TYPE: Newspaper", "", "",
                  f"              Copyright 2022 {story.outlet} Ltd",
                  "                      All Rights Reserved", ""]
    return "\r\n".join(parts) + "\r\n"


def uni_paragraphs(items: list[Story], *, skip_end: tuple[int, ...] = (),
                   skip_date: tuple[int, ...] = ()) -> list[str]:
    """Nexis Uni paragraphs (a .DOCX's, one a paragraph): a cover page, then each article
    ending with "End of Document"."""
    paragraphs = ["User Name: = Fictional Library", "Date and Time: = 2022-04-05",
                  "Job Number: = 4711", f"Documents ({len(items)})"]
    paragraphs += [f"{k}. {story.title}" for k, story in enumerate(items, start=1)]
    paragraphs += ["Client/Matter: -None-", "Search Terms: harbour bridge",
                   "Search Type: Terms and Connectors", "Narrowed by:",
                   "Content Type Narrowed by", "News Timeline: Mar 01, 2022 to Mar 31, 2022"]
    for k, story in enumerate(items, start=1):
        paragraphs += [story.title, story.outlet]
        if k not in skip_date:
            paragraphs.append(story.date_line + " 10:15 AM EST")
        paragraphs += [f"Copyright 2022 {story.outlet} All Rights Reserved",
                       f"Section: {story.section}", f"Length: {story.length}",
                       f"Byline: {story.byline}", "Body"]
        paragraphs += story.body
        paragraphs += ["Classification", "Language: ENGLISH", "Publication-Type: Newspaper",
                       "Subject: BRIDGES (90%); MUNICIPAL FINANCE (72%)",
                       f"Load-Date: {story.date_line.rsplit(' ', 1)[0]}"]
        if k not in skip_end:
            paragraphs.append("End of Document")
    return paragraphs


def write_docx(paragraphs: list[str], path: Path) -> Path:
    import docx

    document = docx.Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    document.save(path)
    return path


def plain_article(path: Path, *, header: dict[str, str], title: str, body: list[str],
                  front_matter: bool = False) -> Path:
    """A plain-text or Markdown article with its header lines (or --- front matter)."""
    lines = []
    if front_matter:
        lines += ["---"] + [f"{k}: {v}" for k, v in header.items()] + ["---", ""]
    else:
        lines += [f"{k}: {v}" for k, v in header.items()] + [""]
    lines += [("# " if path.suffix == ".md" else "") + title, ""]
    for paragraph in body:
        lines += [paragraph, ""]
    path.write_text("\n".join(lines), encoding="utf-8")
    return path
