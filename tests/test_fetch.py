"""The fetcher against a server on 127.0.0.1 that the test starts: nothing leaves the machine."""

import socket
import time

import pytest
from loopback import Answer, serve

from framing_atlas.errors import AtlasError
from framing_atlas.fetch import Fetcher, FetchResult, is_http_url

PAGE = "<html><body><p>A fictional page about the harbour.</p></body></html>"


def fetcher(tmp_path, **options) -> Fetcher:
    defaults = {"per_host_interval": 0.0, "timeout": 2.0, "retries": 2, "backoff": 0.01,
                "obey_robots": False}
    return Fetcher(tmp_path / "cache", **{**defaults, **options})


def test_cached_page_is_never_fetched_again(tmp_path):
    with serve({"/story": Answer(body=PAGE)}) as site:
        first = fetcher(tmp_path).get(site.url("/story"))
        again = fetcher(tmp_path)  # a new fetcher, as in a later run, reads the same cache
        second = again.get(site.url("/story"))
        third = again.get(site.url("/story") + "#comments")
    assert first.ok and not first.from_cache and first.text == PAGE
    assert second.from_cache and third.from_cache and second.content == first.content
    assert second.content_type.startswith("text/html")
    assert site.count("/story") == 1 and again.requests_made == 0


def test_requests_to_one_host_are_spaced(tmp_path):
    interval = 0.3
    with serve({f"/p{i}": Answer(body=PAGE) for i in range(3)}) as site:
        polite = fetcher(tmp_path, per_host_interval=interval)
        for i in range(3):
            assert polite.get(site.url(f"/p{i}")).ok
    arrivals = site.times()
    gaps = [later - earlier for earlier, later in zip(arrivals, arrivals[1:])]
    assert len(gaps) == 2 and min(gaps) >= 0.8 * interval


def test_retries_after_503_then_succeeds(tmp_path):
    answers = [Answer(503, "busy"), Answer(body=PAGE)]
    with serve({"/flaky": answers}) as site:
        result = fetcher(tmp_path).get(site.url("/flaky"))
    assert result.ok and result.status == 200 and site.count("/flaky") == 2


def test_gives_up_after_the_retries(tmp_path):
    with serve({"/down": Answer(500, "broken")}) as site:
        result = fetcher(tmp_path, retries=2).get(site.url("/down"))
    assert not result.ok and result.error == "HTTP 500" and site.count("/down") == 3


def test_no_retry_on_404_and_nothing_cached(tmp_path):
    with serve({}) as site:
        result = fetcher(tmp_path).get(site.url("/gone"))
    assert result.status == 404 and result.error == "HTTP 404" and result.content == b""
    assert site.count("/gone") == 1
    assert not (tmp_path / "cache").exists() or not any((tmp_path / "cache").rglob("*.json"))


def test_timeout(tmp_path):
    with serve({"/slow": Answer(body=PAGE, delay=2.0)}) as site:
        started = time.monotonic()
        result = fetcher(tmp_path, timeout=0.3, retries=0).get(site.url("/slow"))
        took = time.monotonic() - started
    assert not result.ok and result.status == 0 and "timed out" in result.error
    assert took < 1.5


def test_connection_refused_is_an_error_in_the_result(tmp_path):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # closed again below: nothing listens there
    result = fetcher(tmp_path, retries=1).get(f"http://127.0.0.1:{port}/x")
    assert not result.ok and result.error.startswith("connection failed")


@pytest.mark.parametrize("url", ["ftp://example.org/file", "file:///etc/hostname",
                                 "javascript:alert(1)", "example.org/no-scheme", "", "http://"])
def test_only_http_urls(tmp_path, url):
    polite = fetcher(tmp_path)
    result = polite.get(url)
    assert result == FetchResult(url.strip(), 0, error="not an http(s) URL")
    assert polite.requests_made == 0 and not is_http_url(url)


def test_robots_txt_is_obeyed(tmp_path):
    robots = Answer(body="User-agent: *\nDisallow: /private/\n", content_type="text/plain")
    with serve({"/robots.txt": robots, "/private/a": Answer(body=PAGE),
                "/public/b": Answer(body=PAGE)}) as site:
        polite = fetcher(tmp_path, obey_robots=True)
        blocked = polite.get(site.url("/private/a"))
        allowed = polite.get(site.url("/public/b"))
    assert "robots.txt" in blocked.error and site.count("/private/a") == 0
    assert allowed.ok and site.count("/robots.txt") == 1


def test_size_limit(tmp_path):
    with serve({"/big": Answer(body=b"x" * 5000)}) as site:
        result = fetcher(tmp_path, max_bytes=1000).get(site.url("/big"))
    assert not result.ok and "larger than" in result.error


def test_text_uses_the_declared_charset():
    result = FetchResult("http://x.example/", 200, "Příběh".encode("cp1250"),
                         "text/html; charset=windows-1250")
    assert result.text == "Příběh"


@pytest.mark.parametrize("option, value", [("per_host_interval", -1), ("timeout", 0),
                                           ("retries", -1), ("backoff", -0.5)])
def test_bad_options(tmp_path, option, value):
    with pytest.raises(AtlasError, match=option):
        Fetcher(tmp_path, **{option: value})
