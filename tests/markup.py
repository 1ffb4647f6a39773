"""What a markdown body or a Plotly string would turn into, for tests of literal display.

`live_markup` parses markdown as CommonMark (markdown-it-py) and lists links, images and raw
HTML; it also finds GFM autolink literals (bare `https://…`, `www.…`, `name@host.tld`) in the
parsed text outside links, where Streamlit's markdown finds them (backslash escapes do not stop
it: seen in Chromium). `plotly_markup` splits a string the way plotly.js does
(`convertToTspans` in src/lib/svg_text_utils.js) into the tags it would interpret and the text
it would show.
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt

MARKDOWN = MarkdownIt("commonmark").enable(["table", "strikethrough"])
AUTOLINK = re.compile(r"(?:https?|ftp)://[-\w]|\bwww\.[-\w]|[-.\w+]+@[-\w]+(?:\.[-\w]+)+",
                      re.IGNORECASE)

PLOTLY_TAGS = {"sup", "sub", "s", "u", "b", "i", "a", "span", "em", "br"}
PLOTLY_SPLIT = re.compile(r"(<[^<>]*>)")
PLOTLY_TAG = re.compile(r"<(/?)([^ >]*)(\s+(.*))?>", re.IGNORECASE)
PLOTLY_NAMED = {"mu": "μ", "amp": "&", "lt": "<", "gt": ">", "nbsp": "\xa0", "times": "×",
                "plusmn": "±", "deg": "°"}
PLOTLY_ENTITY = re.compile(r"&(#\d+|#x[\da-fA-F]+|[a-z]+);")


def live_markup(body: str) -> dict[str, list[str]]:
    """Links (their targets), images, raw HTML and autolink literals that `body` would render."""
    found: dict[str, list[str]] = {"links": [], "images": [], "html": [], "autolinks": []}

    depth = 0  # inside a link: text there is the link's own, never autolinked again

    def walk(tokens) -> None:
        nonlocal depth
        for token in tokens:
            if token.type == "link_open":
                found["links"].append(token.attrGet("href"))
                depth += 1
            elif token.type == "link_close":
                depth -= 1
            elif token.type == "text" and depth == 0:
                found["autolinks"] += AUTOLINK.findall(token.content)
            elif token.type == "image":
                found["images"].append(token.attrGet("src"))
            elif token.type in ("html_inline", "html_block"):
                found["html"].append(token.content)
            walk(token.children or [])

    walk(MARKDOWN.parse(body))
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
    """The text a markdown body shows (inline text only; invisible word joiners dropped)."""
    out = []

    def walk(tokens) -> None:
        for token in tokens:
            if token.type in ("text", "code_inline"):
                out.append(token.content)
            elif token.type in ("softbreak", "hardbreak"):
                out.append(" ")
            walk(token.children or [])

    walk(MARKDOWN.parse(body))
    return "".join(out).replace("\u2060", "")
