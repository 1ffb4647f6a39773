"""Untrusted labels shown literally: outlet names (chosen by the sites' own feeds and pages),
cluster names (typed by users), link parameters and article titles.

Two renderers in the dashboard interpret markup in plain strings:

- Streamlit's markdown (st.markdown, st.caption, st.subheader, st.warning, st.info, ...) turns
  `[text](url)` into a live link, `![x](url)` into a remote image, bare `https://…`, `www.…` and
  `name@host` into links (GFM autolinks), `:red[...]` into colour and `$…$` into math.
  `markdown_literal` backslash-escapes every character that can start such markup (CommonMark
  lets any ASCII punctuation be escaped). Escapes do not stop the autolinks: Streamlit finds
  them in the text after parsing (seen in Chromium: `https\\://x\\.example` and `www\\.x` became
  links), so an invisible WORD JOINER (U+2060) stands on both sides of every `:`, `.` and `@`,
  which no autolink pattern lets inside a scheme, host or address. The text looks exactly as written; a copied label
  carries the invisible joiners.
- Plotly.js (titles, legends, ticks, hover labels, texttemplates, annotations) interprets the tags
  `<a href>`, `<b>`, `<i>`, `<em>`, `<s>`, `<u>`, `<sup>`, `<sub>`, `<span style>` and `<br>` and
  decodes `&amp;`, `&lt;`, `&gt;`, `&nbsp;`, a few other names and numeric references (see
  `convertToTspans` and `convertEntities` in plotly.js src/lib/svg_text_utils.js). `<a href>`
  becomes a live link. `plotly_literal` writes `&`, `<` and `>` as `&amp;`, `&lt;`, `&gt;`,
  which Plotly decodes back to the characters after it has looked for tags, so they show
  literally. Quotes are left alone: Plotly does not decode `&quot;`, and outside a tag they are
  harmless.

Tables (st.dataframe) and widget options show their values as plain text and need neither.
"""

from __future__ import annotations

import re

MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$&:@])")
WORD_JOINER = "\u2060"
# After escaping: the characters that hold autolinks together get an invisible joiner.
AUTOLINK_GLUE = re.compile(r"(\\[:.@])")
PLOTLY_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
PLOTLY_SPECIAL = re.compile("[&<>]")


def markdown_literal(text: object) -> str:
    """Text that markdown shows exactly as written: every markup character is escaped.

    Runs of whitespace (newlines included) become one space, so no line can start a heading,
    list, quote or table; word joiners around each `:`, `.` and `@` keep bare addresses from
    becoming links.
    """
    escaped = MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(str(text).split()))
    return AUTOLINK_GLUE.sub(WORD_JOINER + r"\1" + WORD_JOINER, escaped)


def plotly_literal(text: object, *, limit: int | None = None) -> str:
    """Text that Plotly shows exactly as written (cut to `limit` characters first, so an entity
    is never cut in half)."""
    text = str(text)
    if limit is not None and len(text) > limit:
        text = text[:limit]
    return PLOTLY_SPECIAL.sub(lambda match: PLOTLY_ENTITIES[match.group(0)], text)
