"""URL lists whose pages are served from 127.0.0.1 by the test."""

import pandas as pd
import pytest
from loopback import LOCAL, Answer, serve
from test_webpages import CORRIDOR, EMPTY, SANCTIONS, TALKS

from framing_atlas.errors import AtlasError
from framing_atlas.inputs.fetch import Fetcher
from framing_atlas.inputs.urllist import read_url_list

ROUTES = {"/talks": Answer(body=TALKS), "/corridor": Answer(body=CORRIDOR),
          "/sanctions": Answer(body=SANCTIONS), "/empty": Answer(body=EMPTY)}


def fetcher(tmp_path) -> Fetcher:
    return Fetcher(tmp_path / "cache", per_host_interval=0, retries=0, obey_robots=False,
                   **LOCAL)


def test_text_list(tmp_path):
    with serve(ROUTES) as site:
        path = tmp_path / "urls.txt"
        path.write_text("\n".join([
            "# fictional stories to compare",
            site.url("/talks"),
            "",
            f"{site.url('/corridor')}   # the corridor story",
            "ftp://files.example/story.txt",
            site.url("/dead-link"),
            site.url("/talks/"),
            site.url("/empty"),
        ]) + "\n", encoding="utf-8")
        steps = []
        articles, problems = read_url_list(path, fetcher=fetcher(tmp_path),
                                           outlet_map={"harbor.example": "Harbor Gazette"},
                                           progress=lambda d, t, what: steps.append((d, t)))
    assert articles["url"].tolist() == [site.url("/talks"), site.url("/corridor")]
    # The list's URL is kept; the page's canonical link decides nothing here.
    assert articles["title"].tolist() == ["Talks resume in the lakeside hotel",
                                          "Grain corridor reopens after inspection"]
    # The page's canonical address is on a mapped domain; the other page names only its host.
    assert articles["outlet"].tolist() == ["Harbor Gazette", "bbc.co.uk"]
    assert [(p.row, p.column) for p in problems] == [(5, "url"), (6, "url"), (7, "url"),
                                                     (8, "text")]
    reasons = [p.reason for p in problems]
    assert reasons[0] == "not an http(s) URL"
    assert reasons[1] == "could not fetch: HTTP 404"
    assert reasons[2] == "same URL as line 2"
    assert reasons[3] == "no article text found on the page"
    assert steps[-1] == (6, 6)


def test_csv_list_keeps_its_columns_and_values(tmp_path):
    with serve(ROUTES) as site:
        path = tmp_path / "urls.csv"
        pd.DataFrame([
            {"url": site.url("/sanctions"), "outlet": "Ridge Tribune", "note": "council"},
            {"url": "mailto:desk@ridge.example", "outlet": "", "note": "bad"},
            {"url": site.url("/dead"), "outlet": "", "note": "dead"},
            {"url": site.url("/talks"), "outlet": "", "note": ""},
        ]).to_csv(path, index=False)
        articles, problems = read_url_list(path, fetcher=fetcher(tmp_path), outlet_map={})
    assert articles["outlet"].tolist() == ["Ridge Tribune", "Harbor Gazette Online"]
    assert articles.loc[0, "title"] == "Sanctions debate splits the council"
    assert articles["note"].tolist() == ["council", ""]
    assert articles.loc[1, "published"] == "2026-03-01"
    # Line numbers count the header as line 1, as a spreadsheet shows them.
    assert [(p.row, p.reason) for p in problems] == [(3, "not an http(s) URL"),
                                                     (4, "could not fetch: HTTP 404")]


def test_csv_without_url_column(tmp_path):
    path = tmp_path / "urls.csv"
    path.write_text("link\nhttps://ridge.example/x\n", encoding="utf-8")
    with pytest.raises(AtlasError, match="no 'url' column"):
        read_url_list(path, fetcher=fetcher(tmp_path), outlet_map={})


def test_missing_list(tmp_path):
    with pytest.raises(AtlasError, match="not found"):
        read_url_list(tmp_path / "urls.txt", fetcher=fetcher(tmp_path), outlet_map={})


def test_problems_found_after_fetching_name_the_list_line(tmp_path):
    """A bad date on line 4, after a dead link on line 3, is reported as line 4, not row 1."""
    from framing_atlas.inputs.ingest import WebOptions, ingest
    from framing_atlas.store import Store

    with serve(ROUTES) as site:
        path = tmp_path / "urls.csv"
        pd.DataFrame([
            {"url": site.url("/talks"), "published": "2026-03-01"},
            {"url": site.url("/dead"), "published": ""},
            {"url": site.url("/corridor"), "published": "31/31/2024"},
        ]).to_csv(path, index=False)
        merged, report = ingest([path], Store(tmp_path / "none").read_articles(),
                                web=WebOptions(cache_dir=tmp_path / "cache", per_host_interval=0,
                                               **LOCAL))
    assert merged["url"].tolist() == [site.url("/talks")]
    assert [str(p).split(": ", 1)[1] for p in report.problems] == [
        f"line 3: column 'url': could not fetch: HTTP 404: '{site.url('/dead')}'",
        "line 4: column 'published': not a date: '31/31/2024'"]
