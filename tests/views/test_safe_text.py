"""Untrusted labels stay literal in markdown and in Plotly (framing_atlas.views.safe_text)."""

import pytest

from framing_atlas.views.safe_text import markdown_literal, plotly_literal
from markup import live_markup, markdown_shown, plotly_markup

# Fictional hostile outlet and cluster names: markdown link and image, raw HTML, script, the
# tags Plotly interprets, a spreadsheet formula, autolink literals, Streamlit colour and math.
HOSTILE = [
    "[Evil News](https://evil.example) <img src=https://evil.example/x.png>",
    "![x](https://tracker.example/p.png)",
    "<script>alert('outlet')</script> Script Daily",
    '<a href="https://evil.example/plotly">Plotly Link</a> <b>Bold</b> <br> <i>it</i>',
    '=HYPERLINK("https://evil.example/f") Formula Check',
    "visit https://autolink.example/x or www.autolink.example or evil@mail.example",
    "Ledger & Pipeline :red[colour] $x^2$ **bold** _it_ `code` # heading",
    "&lt;b&gt;already escaped&lt;/b&gt; &amp; &#60;a&#62;",
    "<https://angle.example> [ref]: https://ref.example",
]


@pytest.mark.parametrize("name", HOSTILE)
def test_markdown_literal_renders_no_link_image_or_html(name):
    body = markdown_literal(name)
    live = live_markup(f"**{body}** · 2026-01-01")
    assert live == {"links": [], "images": [], "html": [], "autolinks": []}, body
    assert markdown_shown(body) == name  # shown exactly as written


def test_markdown_literal_puts_everything_on_one_line():
    body = markdown_literal("# Heading\n\n- item\n> quote\n| a | b |\n|---|---|")
    assert "\n" not in body
    assert markdown_shown(body) == "# Heading - item > quote | a | b | |---|---|"


@pytest.mark.parametrize("name", HOSTILE)
def test_plotly_literal_leaves_no_tag_and_shows_the_text(name):
    tags, shown = plotly_markup(plotly_literal(name))
    assert tags == [] and shown == name


def test_unescaped_names_would_be_markup():
    """The checks above can fail: the raw names are live markup in both renderers."""
    assert live_markup(HOSTILE[0])["links"] == ["https://evil.example"]
    assert live_markup(HOSTILE[1])["images"] == ["https://tracker.example/p.png"]
    assert live_markup(HOSTILE[5])["autolinks"]
    assert any(tag.startswith("<a ") for tag in plotly_markup(HOSTILE[3])[0])


def test_plotly_literal_cuts_before_escaping():
    assert plotly_literal("a & b", limit=3) == "a &amp;"
    assert plotly_literal("<b>x", limit=2) == "&lt;b"
    assert plotly_literal("plain", limit=40) == "plain"


def test_quotes_stay_quotes_in_plotly():
    # html.escape would write &quot; and &#x27;, and Plotly shows &quot; as those six characters.
    assert plotly_literal('Say "no" to the \'deal\'') == 'Say "no" to the \'deal\''


def test_escapes_alone_leave_bare_addresses_linked():
    """Streamlit autolinks the parsed text, where escapes are gone: the joiner is what helps."""
    escaped_only = r"Courier https\://autolink\.example/c www\.autolink\.example a\@b\.example"
    assert len(live_markup(escaped_only)["autolinks"]) == 3
    assert live_markup(markdown_literal("Courier https://autolink.example/c www.autolink.example "
                                        "a@b.example"))["autolinks"] == []
