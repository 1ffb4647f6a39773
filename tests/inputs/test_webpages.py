"""Saved pages written here, with the navigation, cookie banners and footers real pages carry."""

import zipfile
from pathlib import Path

import pytest

from framing_atlas.errors import AtlasError
from framing_atlas.inputs.ingest import normalize_articles
from framing_atlas.inputs.webpages import extract_page, html_to_text, read_pages

OUTLETS = {"bbc.co.uk": "BBC News", "harbor.example": "Harbor Gazette"}

BOILERPLATE_HEAD = """<header><nav><ul><li><a href="/">Home</a></li><li><a href="/world">World
</a></li><li><a href="/sport">Sport</a></li><li><a href="/weather">Weather</a></li></ul></nav>
</header><div class="cookie-consent" id="cookie-banner"><p>We use cookies to improve your
experience on our site and to show you relevant advertising. By continuing you agree to our
cookie policy.</p><button>Accept all cookies</button></div>"""
BOILERPLATE_FOOT = """<aside class="most-read"><h3>Most read</h3><ul><li><a href="/a">Celebrity
chef opens harbour restaurant</a></li><li><a href="/b">Storm warning for the coast</a></li>
</ul></aside><footer><p>© 2026 The publisher. All rights reserved.</p><a href="/privacy">Privacy
policy</a> <a href="/terms">Terms of use</a><p>Subscribe to our newsletter for the latest
updates.</p></footer>"""


def page(*, title: str, paragraphs: list[str], head: str = "", date: str = "") -> str:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    byline = f'<p class="byline">By a fictional correspondent, {date}</p>' if date else ""
    return (f"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{title}"
            f"</title>{head}</head><body>{BOILERPLATE_HEAD}<main><article><h1>{title}</h1>"
            f"{byline}{body}</article></main>{BOILERPLATE_FOOT}</body></html>")


TALKS = page(
    title="Talks resume in the lakeside hotel",
    head=('<meta property="og:site_name" content="Harbor Gazette Online">'
          '<link rel="canonical" href="https://www.harbor.example/world/talks-resume">'
          '<meta property="article:published_time" content="2026-03-01T10:00:00+02:00">'),
    paragraphs=[
        "Negotiators from both fictional delegations met again on Tuesday in a lakeside hotel, "
        "the first face-to-face session since the winter break, officials said.",
        "The agenda covered prisoner exchanges, grain corridors and the future of the "
        "monitoring mission, according to a draft seen by this fictional newspaper.",
        "A second round is planned for late March if both sides agree on the wording of a "
        "joint statement, a spokesperson for the hosts said on Tuesday evening."])
CORRIDOR = page(
    title="Grain corridor reopens after inspection",
    head='<meta property="og:url" content="https://www.bbc.co.uk/news/world-corridor-1">',
    date="2 March 2026",
    paragraphs=[
        "The fictional grain corridor across the inland sea reopened on Wednesday after a "
        "two-day inspection of the approach channel by divers and port engineers.",
        "Shipping agents said the first convoy of eleven bulk carriers would leave the harbour "
        "at dawn, escorted by two patrol boats of the coastal authority."])
SANCTIONS = page(
    title="Sanctions debate splits the council",
    paragraphs=[
        "Members of the fictional regional council argued for four hours on Thursday about "
        "whether new sanctions would hurt ordinary families more than the government.",
        "No vote was taken, and the chair said the debate would continue next week once the "
        "finance committee had published its estimate of the costs for households."])
EMPTY = ("<html><head><title>Page not found</title></head><body>" + BOILERPLATE_HEAD +
         "<p>Sorry.</p>" + BOILERPLATE_FOOT + "</body></html>")


@pytest.fixture
def pages(tmp_path) -> Path:
    folder = tmp_path / "pages"
    (folder / "Ridge Tribune").mkdir(parents=True)
    (folder / "talks.html").write_text(TALKS, encoding="utf-8")
    (folder / "corridor.htm").write_text(CORRIDOR, encoding="utf-8")
    (folder / "Ridge Tribune" / "sanctions.html").write_text(SANCTIONS, encoding="utf-8")
    (folder / "missing.html").write_text(EMPTY, encoding="utf-8")
    (folder / "notes.txt").write_text("not a page", encoding="utf-8")
    return folder


def test_folder_of_pages(pages):
    seen = []
    articles, problems = read_pages([pages], outlet_map=OUTLETS,
                                    progress=lambda d, t, what: seen.append((d, t)))
    by_title = articles.set_index("title")
    assert sorted(by_title.index) == ["Grain corridor reopens after inspection",
                                      "Sanctions debate splits the council",
                                      "Talks resume in the lakeside hotel"]
    talks = by_title.loc["Talks resume in the lakeside hotel"]
    # The mapped domain wins over the page's own site name, so one site keeps one name.
    assert talks["outlet"] == "Harbor Gazette"
    assert talks["url"] == "https://www.harbor.example/world/talks-resume"
    assert talks["published"] == "2026-03-01"
    assert talks["text"].count("\n\n") == 2 and talks["text"].startswith("Negotiators")
    corridor = by_title.loc["Grain corridor reopens after inspection"]
    assert corridor["outlet"] == "BBC News" and corridor["published"] == "2026-03-02"
    sanctions = by_title.loc["Sanctions debate splits the council"]
    assert sanctions["outlet"] == "Ridge Tribune" and sanctions["url"] == ""
    for text in articles["text"]:
        lowered = text.lower()
        assert not any(junk in lowered for junk in (
            "cookie", "privacy policy", "subscribe", "all rights reserved", "most read",
            "celebrity chef", "weather"))
    assert [(p.row, p.column) for p in problems] == [(3, "text")]
    assert problems[0].file.endswith("missing.html") and "no article text" in str(problems[0])
    assert seen[-1] == (4, 4)


def test_rows_pass_the_ingest_checks(pages):
    articles, _ = read_pages([pages], outlet_map=OUTLETS)
    checked, problems = normalize_articles(articles, source="pages")
    assert problems == [] and len(checked) == 3
    assert checked["published"].notna().sum() == 2 and "source" in checked.columns


def test_zip_of_pages(pages, tmp_path):
    archive = tmp_path / "saved.zip"
    with zipfile.ZipFile(archive, "w") as out:
        for path in sorted(pages.rglob("*")):
            if path.is_file():
                out.write(path, path.relative_to(pages).as_posix())
        out.writestr("__MACOSX/._talks.html", b"\x00\x05junk")
    from_zip, zip_problems = read_pages([archive], outlet_map=OUTLETS)
    from_folder, _ = read_pages([pages], outlet_map=OUTLETS)
    columns = ["outlet", "published", "title", "url", "text"]
    assert (from_zip.sort_values("title")[columns].reset_index(drop=True)
            .equals(from_folder.sort_values("title")[columns].reset_index(drop=True)))
    assert all(source.startswith(f"{archive}:") for source in from_zip["source"])
    assert len(zip_problems) == 1 and zip_problems[0].file == f"{archive}:missing.html"


def test_single_page_and_saved_from_comment(tmp_path):
    path = tmp_path / "story.html"
    path.write_text("<!-- saved from url=(0041)https://www.bbc.co.uk/news/articles/x1 -->\n"
                    + SANCTIONS, encoding="utf-8")
    articles, problems = read_pages([path], outlet_map=OUTLETS)
    assert problems == []
    assert articles.loc[0, "url"] == "https://www.bbc.co.uk/news/articles/x1"
    assert articles.loc[0, "outlet"] == "BBC News"


def test_page_without_text_is_a_problem_not_an_error(tmp_path):
    path = tmp_path / "empty.html"
    path.write_text(EMPTY, encoding="utf-8")
    articles, problems = read_pages([path], outlet_map={})
    assert articles.empty and list(articles.columns)[:5] == ["outlet", "published", "title",
                                                             "url", "text"]
    assert problems[0].row == 1 and problems[0].column == "text"


@pytest.mark.parametrize("name, content, message", [
    ("nowhere", None, "file not found"),
    ("list.txt", "text", "not a saved web page"),
    ("broken.zip", "not a zip", "cannot open this zip"),
])
def test_unusable_inputs_say_what_to_do(tmp_path, name, content, message):
    path = tmp_path / name
    if content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(AtlasError, match=message):
        read_pages([path], outlet_map={})


def test_folder_without_pages(tmp_path):
    (tmp_path / "notes.txt").write_text("x", encoding="utf-8")
    with pytest.raises(AtlasError, match="no .html"):
        read_pages([tmp_path], outlet_map={})


def test_extract_page_from_bytes_in_another_encoding():
    html = TALKS.replace("utf-8", "windows-1252").replace("Negotiators", "Négociateurs")
    page = extract_page(html.encode("cp1252"))
    assert page.text.startswith("Négociateurs")


def test_html_to_text_keeps_paragraphs():
    assert html_to_text("<p>One <b>bold</b> line.</p><p>Two</p><script>x()</script>") == \
        "One bold line.\n\nTwo"
    assert html_to_text("plain text\n\nsecond") == "plain text\n\nsecond"
    assert html_to_text("") == ""
