"""The fetcher against a server on 127.0.0.1 that the test starts: nothing leaves the machine."""

import socket

import pytest
import requests
import urllib3
from loopback import LOCAL, Answer, serve

from framing_atlas.errors import AtlasError
from framing_atlas.inputs.fetch import Fetcher, FetchResult, address_problem, is_http_url

PAGE = "<html><body><p>A fictional page about the harbour.</p></body></html>"


def fetcher(tmp_path, **options) -> Fetcher:
    defaults = {"per_host_interval": 0.0, "timeout": 2.0, "retries": 2, "backoff": 0.01,
                "obey_robots": False, **LOCAL}
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


def test_requests_to_one_host_are_spaced(tmp_path, monkeypatch):
    """Politeness is checked on a fake clock: the waits asked for, not wall time under load."""
    import framing_atlas.inputs.fetch as fetch_module

    clock = {"now": 1000.0}
    waits: list[float] = []

    def sleep(seconds: float) -> None:
        waits.append(seconds)
        clock["now"] += seconds

    monkeypatch.setattr(fetch_module.time, "monotonic", lambda: clock["now"])
    monkeypatch.setattr(fetch_module.time, "sleep", sleep)
    interval = 0.3
    with serve({f"/p{i}": Answer(body=PAGE) for i in range(3)}) as site:
        polite = fetcher(tmp_path, per_host_interval=interval)
        for i in range(3):
            assert polite.get(site.url(f"/p{i}")).ok
    # The first request goes at once; each later one waits the whole interval.
    assert waits == [pytest.approx(interval)] * 2 and site.count("/p2") == 1


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
        result = fetcher(tmp_path, timeout=0.3, retries=0).get(site.url("/slow"))
    # The answer comes after 2 s; a result that says "timed out" gave up before it.
    assert not result.ok and result.status == 0 and "timed out" in result.error


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


# Private, loopback and link-local addresses ------------------------------------------------

@pytest.mark.parametrize("address, kind", [
    ("127.0.0.1", "loopback"), ("127.8.9.10", "loopback"), ("::1", "loopback"),
    ("10.1.2.3", "private"), ("172.16.0.1", "private"), ("192.168.1.20", "private"),
    ("fd12:3456::1", "private"), ("169.254.169.254", "link-local"), ("fe80::1", "link-local"),
    ("0.0.0.0", "unspecified"), ("::", "unspecified"), ("224.0.0.1", "multicast"),
    ("ff02::1", "multicast"), ("240.0.0.1", "reserved"), ("255.255.255.255", "reserved"),
    ("100.64.0.1", "non-public"), ("::ffff:127.0.0.1", "loopback"),
    ("::ffff:169.254.169.254", "link-local"), ("::ffff:10.0.0.1", "private"),
    ("fe80::1%eth0", "link-local"),
])
def test_non_public_addresses_are_named(address, kind):
    assert address_problem(address) == f"a {kind} address"


@pytest.mark.parametrize("address", ["93.184.216.34", "8.8.8.8", "2606:4700:4700::1111",
                                     "::ffff:93.184.216.34"])
def test_public_addresses_pass(address):
    assert address_problem(address) is None


def no_network(monkeypatch) -> list:
    """Fail the test if anything is sent: every request and every socket connect is recorded."""
    sent = []
    monkeypatch.setattr(requests.Session, "send", lambda self, request, **kw: sent.append(
        request.url) or pytest.fail(f"a request was sent to {request.url}"))
    monkeypatch.setattr(socket.socket, "connect", lambda self, address: sent.append(
        address) or pytest.fail(f"a connection was opened to {address}"))
    return sent


def test_loopback_is_refused_without_the_setting(tmp_path):
    with serve({"/story": Answer(body=PAGE), "/robots.txt": Answer(body="")}) as site:
        refusing = Fetcher(tmp_path / "cache", per_host_interval=0, retries=2)
        result = refusing.get(site.url("/story"))
    assert not result.ok and result.status == 0
    assert result.error == (f"refused {site.url('/story')}: 127.0.0.1 is a loopback address; "
                            "set allow_private_addresses to fetch from your own network")
    assert site.hits == [] and refusing.requests_made == 0  # not even robots.txt, no retries


@pytest.mark.parametrize("url, named", [
    ("http://[::1]:8080/x", "::1 is a loopback address"),
    ("http://2130706433/x", "2130706433 resolves to 127.0.0.1, a loopback address"),
    ("http://0x7f.1/x", "0x7f.1 resolves to 127.0.0.1, a loopback address"),
    ("http://localhost/x", "localhost resolves to"),
    ("http://[::ffff:169.254.169.254]/x", "::ffff:169.254.169.254 is a link-local address"),
    ("https://10.0.0.1:8443/x", "10.0.0.1 is a private address"),
])
def test_disguised_local_addresses_are_refused(tmp_path, monkeypatch, url, named):
    sent = no_network(monkeypatch)
    result = Fetcher(tmp_path / "cache").get(url)
    assert result.refused and named in result.error and sent == []


def test_cloud_metadata_address_is_never_contacted(tmp_path, monkeypatch):
    sent = no_network(monkeypatch)
    result = Fetcher(tmp_path / "cache").get("http://169.254.169.254/latest/meta-data/")
    assert "169.254.169.254 is a link-local address" in result.error and not result.ok
    assert sent == []


def test_a_name_is_refused_when_any_of_its_addresses_is_private(tmp_path, monkeypatch):
    sent = no_network(monkeypatch)
    looked_up = []

    def resolver(host: str, port: int) -> list[str]:
        looked_up.append((host, port))
        return ["93.184.216.34", "10.0.0.7"]

    result = Fetcher(tmp_path / "cache", resolver=resolver).get("https://intranet.example/a")
    assert looked_up == [("intranet.example", 443)] and sent == []
    assert "intranet.example resolves to 10.0.0.7, a private address" in result.error


def test_an_unresolvable_name_is_an_error_in_the_result(tmp_path, monkeypatch):
    no_network(monkeypatch)

    def resolver(host: str, port: int) -> list[str]:
        raise socket.gaierror(-2, "Name or service not known")

    result = Fetcher(tmp_path / "cache", resolver=resolver, retries=0).get("https://nowhere.example/")
    assert not result.ok and "cannot resolve nowhere.example" in result.error


def test_behind_a_proxy_a_name_only_the_proxy_knows_is_fetched_through_it(tmp_path,
                                                                          monkeypatch):
    sent = []
    monkeypatch.setattr(requests.Session, "send", lambda self, request, **kw: sent.append(
        (request.url, kw.get("proxies"))) or pytest.fail("stop here"))
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.example:3128")
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)

    def resolver(host: str, port: int) -> list[str]:
        raise socket.gaierror(-2, "Name or service not known")

    proxied = Fetcher(tmp_path / "cache", resolver=resolver, retries=0, obey_robots=False)
    with pytest.raises(pytest.fail.Exception):
        proxied.get("https://news.example/a")
    assert sent and sent[0][0] == "https://news.example/a"
    assert Fetcher(tmp_path / "c2", resolver=resolver, retries=0).get(
        "http://news.example/a").error.startswith("connection failed: cannot resolve")


class FakeSite(requests.adapters.BaseAdapter):
    """A transport answering from a dict url → (status, headers, body), logging what was sent."""

    def __init__(self, answers: dict) -> None:
        super().__init__()
        self.answers, self.sent = answers, []

    def send(self, request, **kwargs):
        self.sent.append(request.url)
        status, headers, body = self.answers[request.url]
        response = requests.Response()
        response.status_code, response.url, response.request = status, request.url, request
        response.headers.update(headers)
        response.raw = __import__("io").BytesIO(body)
        return response

    def close(self) -> None:
        pass


def public_resolver(host: str, port: int) -> list[str]:
    return {"news.example": ["93.184.216.34"], "short.example": ["93.184.216.35"]}.get(
        host, ["169.254.169.254"] if host == "metadata.example" else [host])


def test_every_redirect_hop_is_checked(tmp_path):
    site = FakeSite({
        "https://short.example/x": (301, {"Location": "https://news.example/story"}, b""),
        "https://news.example/story": (302, {"Location": "http://metadata.example/latest/"}, b""),
        "http://metadata.example/latest/": (200, {}, b"secret"),
        "https://short.example/y": (302, {"Location": "/local"}, b""),
        "https://short.example/local": (307, {"Location": "http://10.0.0.1/admin"}, b""),
    })
    refusing = Fetcher(tmp_path / "cache", obey_robots=False, retries=2,
                       resolver=public_resolver)
    refusing._session.mount("http://", site)
    refusing._session.mount("https://", site)
    result = refusing.get("https://short.example/x")
    assert not result.ok and "secret" not in result.text
    assert result.error == ("refused the redirect to http://metadata.example/latest/: "
                            "metadata.example resolves to 169.254.169.254, a link-local "
                            "address; set allow_private_addresses to fetch from your own "
                            "network")
    assert site.sent == ["https://short.example/x", "https://news.example/story"]
    second = refusing.get("https://short.example/y")
    assert "refused the redirect to http://10.0.0.1/admin: 10.0.0.1 is a private" in second.error
    assert site.sent[2:] == ["https://short.example/y", "https://short.example/local"]


class CertificateRefused(Exception):
    reason = "CERTIFICATE_VERIFY_FAILED"  # as ssl's errors carry a text `reason`


class FailingSite(FakeSite):
    def send(self, request, **kwargs):
        self.sent.append(request.url)
        cause = urllib3.exceptions.MaxRetryError(None, request.url, CertificateRefused("bad"))
        raise requests.exceptions.SSLError(cause, request=request)


def test_other_connection_errors_stay_errors_in_the_result(tmp_path):
    failing = Fetcher(tmp_path / "cache", obey_robots=False, retries=0, resolver=public_resolver)
    failing._session.mount("https://", FailingSite({}))
    result = failing.get("https://news.example/story")
    assert result.error.startswith("connection failed") and not result.refused


def test_redirects_are_followed_with_the_setting(tmp_path):
    with serve({"/old": Answer(301, location="/new"), "/new": Answer(body=PAGE)}) as site:
        result = fetcher(tmp_path).get(site.url("/old"))
    assert result.ok and result.text == PAGE and result.final_url == site.url("/new")
    assert site.count("/old") == 1 and site.count("/new") == 1


def test_redirect_loops_end(tmp_path):
    with serve({"/loop": Answer(302, location="/loop")}) as site:
        result = fetcher(tmp_path, retries=0).get(site.url("/loop"))
    assert not result.ok and "redirects" in result.error and site.count("/loop") <= 31


def test_a_name_that_changes_its_answer_is_caught_at_connect(tmp_path):
    # DNS rebinding: the name looked public when checked, the connection reaches 127.0.0.1.
    # The socket's peer is checked before any byte of the request is sent.
    with serve({"/story": Answer(body=PAGE)}) as site:
        fooled = Fetcher(tmp_path / "cache", per_host_interval=0, retries=1, obey_robots=False,
                         resolver=lambda host, port: ["93.184.216.34"])
        result = fooled.get(site.url("/story"))
    assert not result.ok and "connected to 127.0.0.1, a loopback address" in result.error
    assert site.hits == []


def test_refused_lines_of_a_link_list_are_reported_with_their_line(tmp_path):
    from framing_atlas.inputs.ingest import WebOptions, ingest
    from framing_atlas.store import Store

    links = tmp_path / "links.txt"
    with serve({"/a": Answer(body=PAGE * 40)}) as site:
        links.write_text(f"# my links\n\n{site.url('/a')}\n", encoding="utf-8")
        _, report = ingest([links], Store(tmp_path / "s").read_articles(), web=WebOptions(cache_dir=tmp_path / "cache",
                                                         per_host_interval=0))
        refused = [str(p) for p in report.problems]
        _, allowed = ingest([links], Store(tmp_path / "s").read_articles(), web=WebOptions(cache_dir=tmp_path / "cache2",
                                                          per_host_interval=0,
                                                          allow_private_addresses=True))
    assert len(refused) == 1 and "line 3" in refused[0]
    assert "127.0.0.1 is a loopback address; set allow_private_addresses" in refused[0]
    assert site.count("/a") == 1 and not any("loopback" in str(p) for p in allowed.problems)


@pytest.mark.parametrize("allowed", [False, True])
def test_the_cli_passes_the_setting_on(tmp_path, monkeypatch, allowed):
    from typer.testing import CliRunner

    from framing_atlas.cli import app

    monkeypatch.setenv("FRAMING_ATLAS_PAGE_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("FRAMING_ATLAS_FETCH_INTERVAL", "0")
    if allowed:
        monkeypatch.setenv("FRAMING_ATLAS_ALLOW_PRIVATE_ADDRESSES", "true")
    links = tmp_path / "links.txt"
    with serve({"/a": Answer(body=PAGE)}) as site:
        links.write_text(site.url("/a") + "\n", encoding="utf-8")
        result = CliRunner().invoke(app, ["ingest", str(links), "--store", str(tmp_path / "s")])
    assert "Traceback" not in result.output
    assert ("127.0.0.1 is a loopback address" in result.output) is not allowed
    assert site.count("/a") == int(allowed)


def test_the_page_cache_is_written_by_the_stores_one_atomic_write(tmp_path, monkeypatch):
    # issue 10: fetch.py had its own copy of the atomic write; the store's is the one.
    import framing_atlas.store as store

    written = []
    real = store._write_atomic

    def recording(path, write):
        written.append(path.suffix)
        real(path, write)

    monkeypatch.setattr(store, "_write_atomic", recording)
    with serve({"/story": Answer(body=PAGE)}) as site:
        first = fetcher(tmp_path).get(site.url("/story"))
        second = fetcher(tmp_path).get(site.url("/story"))
    assert first.ok and second.from_cache and second.content == first.content
    assert len(written) == 2 and ".json" in written  # the body, then the entry's metadata
    assert not list((tmp_path / "cache").rglob("*.tmp"))
