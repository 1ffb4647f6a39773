"""What a markdown body or a Plotly string would turn into, for tests of literal display.

`live_markup` parses markdown as CommonMark (markdown-it-py) and lists links, images and raw
HTML; it also finds GFM autolink literals (bare `https://…`, `www.…`, `name@host.tld`) that
Streamlit's markdown turns into links. `plotly_markup` splits a string the way plotly.js does
(`convertToTspans` in src/lib/svg_text_utils.js) into the tags it would interpret and the text
it would show.
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt

MARKDOWN = MarkdownIt("commonmark").enable(["table", "strikethrough"])
# A link destination of a deliberate link: what is left outside them must hold no autolink.
DESTINATION = re.compile(r"\]\([^)\s]*\)")
AUTOLINK = re.compile(r"(?<!\\)://|\bwww\.\w|\w@[\w-]+\.\w", re.IGNORECASE)

PLOTLY_TAGS = {"sup", "sub", "s", "u", "b", "i", "a", "span", "em", "br"}
PLOTLY_SPLIT = re.compile(r"(<[^<>]*>)")
PLOTLY_TAG = re.compile(r"<(/?)([^ >]*)(\s+(.*))?>", re.IGNORECASE)
PLOTLY_NAMED = {"mu": "μ", "amp": "&", "lt": "<", "gt": ">", "nbsp": "\xa0", "times": "×",
                "plusmn": "±", "deg": "°"}
PLOTLY_ENTITY = re.compile(r"&(#\d+|#x[\da-fA-F]+|[a-z]+);")


def live_markup(body: str) -> dict[str, list[str]]:
    """Links (their targets), images, raw HTML and autolink literals that `body` would render."""
    found: dict[str, list[str]] = {"links": [], "images": [], "html": [], "autolinks": []}

    def walk(tokens) -> None:
        for token in tokens:
            if token.type == "link_open":
                found["links"].append(token.attrGet("href"))
            elif token.type == "image":
                found["images"].append(token.attrGet("src"))
            elif token.type in ("html_inline", "html_block"):
                found["html"].append(token.content)
            walk(token.children or [])

    walk(MARKDOWN.parse(body))
    found["autolinks"] = AUTOLINK.findall(DESTINATION.sub("", body))
    return found


def plotly_markup(text: str) -> tuple[list[str], str]:
    """The tags plotly.js would interpret in `text`, and the text it would show."""
    tags, shown = [], []
    for part in PLOTLY_SPLIT.split(text):
        match = PLOTLY_TAG.match(part) if part.startswith("<") else None
        name = match.group(2).lower() if match else None
        if name in PLOTLY_TAGS:
            tags.append(part)
        else:
            shown.append(PLOTLY_ENTITY.sub(lambda m: _entity(m), part))
    return tags, "".join(shown)


def _entity(match: re.Match) -> str:
    code = match.group(1)
    if code.startswith("#x"):
        return chr(int(code[2:], 16))
    if code.startswith("#"):
        return chr(int(code[1:]))
    return PLOTLY_NAMED.get(code, match.group(0))


def markdown_shown(body: str) -> str:
    """The plain text a markdown body shows (inline text only, entities decoded)."""
    out = []

    def walk(tokens) -> None:
        for token in tokens:
            if token.type in ("text", "code_inline"):
                out.append(token.content)
            elif token.type in ("softbreak", "hardbreak"):
                out.append(" ")
            walk(token.children or [])

    walk(MARKDOWN.parse(body))
    return "".join(out)
