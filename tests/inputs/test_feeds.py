"""RSS and Atom feeds written here; linked full articles served from 127.0.0.1."""

import pytest
from loopback import LOCAL, Answer, serve
from test_webpages import CORRIDOR, TALKS

from framing_atlas.errors import AtlasError
from framing_atlas.inputs.feeds import is_teaser, read_feed
from framing_atlas.inputs.fetch import Fetcher

OUTLETS = {"harbor.example": "Harbor Gazette"}

LONG = ("Negotiators from both fictional delegations met again on Tuesday in a lakeside hotel, "
        "the first face-to-face session since the winter break, officials said. " * 6)

RSS = f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>Ridge Tribune - World</title><link>https://ridge.example/</link>
<item><title>Talks resume</title><link>https://ridge.example/world/talks</link>
  <pubDate>Tue, 03 Mar 2026 10:00:00 +0200</pubDate>
  <description>Short teaser about the talks…</description>
  <content:encoded><![CDATA[<p>{LONG}</p><p>A second paragraph of the fictional report.</p>]]>
  </content:encoded></item>
<item><title>Harbor reprint</title><link>https://www.harbor.example/world/reprint</link>
  <pubDate>Wed, 04 Mar 2026 08:30:00 GMT</pubDate>
  <content:encoded><![CDATA[<p>{LONG}</p>]]></content:encoded></item>
</channel></rss>"""

ATOM = f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Lantern Post</title>
<link href="https://lantern.example/"/><id>urn:lantern</id><updated>2026-03-05T00:00:00Z</updated>
<entry><title>Grain corridor reopens</title><link href="https://lantern.example/corridor"/>
  <id>urn:lantern:1</id><updated>2026-03-05T09:15:00+01:00</updated>
  <content type="html">&lt;p&gt;{LONG}&lt;/p&gt;&lt;p&gt;Second paragraph here.&lt;/p&gt;</content>
</entry></feed>"""


def summary_feed(site) -> str:
    items = [("Talks resume", "/talks", "Negotiators met again in a lakeside hotel…"),
             ("Corridor reopens", "/corridor", "The fictional corridor reopened. Read more"),
             ("Gone story", "/gone", "A story whose page has since been removed…")]
    entries = "".join(
        f"<item><title>{title}</title><link>{site.url(path)}</link>"
        f"<pubDate>Mon, 02 Mar 2026 12:00:00 GMT</pubDate><description>{summary}</description>"
        f"</item>" for title, path, summary in items)
    return (f'<?xml version="1.0"?><rss version="2.0"><channel><title>Harbor Gazette</title>'
            f"<link>{site.url('/')}</link>{entries}</channel></rss>")


def test_rss_file_with_full_content(tmp_path):
    path = tmp_path / "ridge.xml"
    path.write_text(RSS, encoding="utf-8")
    articles, problems = read_feed(path, fetcher=None, outlet_map=OUTLETS)
    assert problems == []
    assert articles["title"].tolist() == ["Talks resume", "Harbor reprint"]
    assert articles["published"].tolist() == ["2026-03-03T08:00:00Z", "2026-03-04T08:30:00Z"]
    # The feed's own title names unmapped entries; a mapped domain keeps its one name.
    assert articles["outlet"].tolist() == ["Ridge Tribune - World", "Harbor Gazette"]
    assert articles.loc[0, "text"].endswith("\n\nA second paragraph of the fictional report.")
    assert articles["source"].unique().tolist() == [str(path)]


def test_atom_file(tmp_path):
    path = tmp_path / "lantern.atom"
    path.write_text(ATOM, encoding="utf-8")
    articles, problems = read_feed(path, fetcher=None, outlet_map={})
    assert problems == [] and len(articles) == 1
    row = articles.iloc[0]
    assert (row["outlet"], row["url"], row["published"]) == (
        "Lantern Post", "https://lantern.example/corridor", "2026-03-05T08:15:00Z")
    assert row["text"].count("\n\n") == 1


def test_summary_only_feed_fetches_full_articles(tmp_path):
    with serve({}) as site:
        site.routes.update({"/feed.xml": Answer(body=summary_feed(site),
                                                content_type="application/rss+xml"),
                            "/talks": Answer(body=TALKS), "/corridor": Answer(body=CORRIDOR)})
        fetcher = Fetcher(tmp_path / "cache", per_host_interval=0, retries=0,
                          obey_robots=False, **LOCAL)
        steps = []
        articles, problems = read_feed(site.url("/feed.xml"), fetcher=fetcher,
                                       outlet_map=OUTLETS,
                                       progress=lambda d, t, what: steps.append((d, t)))
    assert len(articles) == 3 and steps[-1] == (3, 3)
    talks, corridor, gone = articles.to_dict("records")
    assert talks["text"].startswith("Negotiators from both fictional delegations")
    assert talks["text"].count("\n\n") == 2 and talks["url"] == site.url("/talks")
    assert corridor["text"].startswith("The fictional grain corridor")
    assert gone["text"] == "A story whose page has since been removed…"
    assert {a["outlet"] for a in (talks, corridor, gone)} == {"Harbor Gazette"}
    assert len(problems) == 1 and problems[0].row == 3
    assert "kept the feed summary" in problems[0].reason and "HTTP 404" in problems[0].reason


def test_no_fetch_when_told_not_to(tmp_path):
    with serve({}) as site:
        path = tmp_path / "feed.xml"
        path.write_text(summary_feed(site), encoding="utf-8")
        articles, problems = read_feed(path, fetcher=None, outlet_map={}, fetch_full=False)
        assert site.hits == []
    assert articles.loc[0, "text"] == "Negotiators met again in a lakeside hotel…"
    assert problems == []


def test_teasers():
    assert is_teaser("Short text.")
    assert is_teaser(" ".join(["word"] * 100) + " […]")
    assert is_teaser(" ".join(["word"] * 100) + ". Continue reading")
    assert not is_teaser(" ".join(["word"] * 100) + ".")


def test_not_a_feed(tmp_path):
    path = tmp_path / "page.xml"
    path.write_text("<html><body><p>just a page</p>", encoding="utf-8")
    with pytest.raises(AtlasError, match="not an RSS or Atom feed"):
        read_feed(path, fetcher=None, outlet_map={})


def test_missing_feed_file_and_unreachable_feed_url(tmp_path):
    with pytest.raises(AtlasError, match="not found"):
        read_feed(tmp_path / "nope.xml", fetcher=None, outlet_map={})
    with serve({}) as site:
        fetcher = Fetcher(tmp_path / "cache", per_host_interval=0, retries=0,
                          obey_robots=False, **LOCAL)
        with pytest.raises(AtlasError, match="HTTP 404"):
            read_feed(site.url("/missing.xml"), fetcher=fetcher, outlet_map={})


def test_problems_found_after_reading_name_the_feed_entry(tmp_path):
    """A bad date in entry 2, after an entry without text, is reported as entry 2, not row 1."""
    from framing_atlas.inputs.ingest import WebOptions, ingest
    from framing_atlas.store import Store

    path = tmp_path / "feed.xml"
    path.write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Ridge Tribune</title>'
        "<link>https://ridge.example/</link><item><title>Empty</title></item>"
        "<item><title>Dated oddly</title><link>https://ridge.example/odd</link>"
        f"<pubDate>31/31/2024</pubDate><description>{LONG}</description></item>"
        "</channel></rss>", encoding="utf-8")
    merged, report = ingest([path], Store(tmp_path / "none").read_articles(),
                            web=WebOptions(cache_dir=tmp_path / "cache", per_host_interval=0))
    assert len(merged) == 0
    assert [str(p).split(": ", 1)[1] for p in report.problems] == [
        "entry 1: column 'text': entry has no text: 'Empty'",
        "entry 2: column 'published': not a date: '31/31/2024'"]
