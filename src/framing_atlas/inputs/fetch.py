"""A polite HTTP fetcher: on-disk cache, one request per host per interval, retries with backoff.

Built on `requests` (already installed with streamlit): it reuses connections per host, follows
redirects, undoes gzip, and lets a download be streamed and cut off at a size limit, none of
which urllib does without extra code. Every URL is fetched at most once while it stays in the
cache: the cache key is a hash of the URL, and an answered page (2xx) is never requested again.
Errors are returned in the result, never raised, so one bad link never stops a batch.

A link in an uploaded file must not reach the machine's own network (127.0.0.1, 10.x, the cloud
metadata address 169.254.169.254, ...): unless `allow_private_addresses` is set, the host of
every request, robots.txt and each redirect hop included, is resolved and refused before
anything is sent when any of its addresses is not public. Redirects are followed here, hop by
hop, for that reason. A name that answers differently when requests resolves it again (DNS
rebinding) is caught after the TCP connect: the socket's peer address is checked before the
request is written. Through a proxy (HTTP(S)_PROXY) the proxy connects: a name resolved
locally is still checked, one that only the proxy can resolve is passed to it.
"""

from __future__ import annotations

import hashlib
import ipaddress
import json
import logging
import socket
import threading
import time
import urllib.robotparser
from collections.abc import Callable
from dataclasses import dataclass
from email.message import Message
from pathlib import Path
from urllib.parse import urljoin, urlsplit, urlunsplit

import requests
import urllib3
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

from framing_atlas.errors import AtlasError
from framing_atlas.store import write_bytes

log = logging.getLogger(__name__)

DEFAULT_USER_AGENT = ("framing-atlas/0.1 (media research; fetches each page once and "
                      "caches it; +https://pypi.org/project/framing-atlas/)")
# 429 is a 4xx, but it asks us to come back later, which a retry with backoff does.
_RETRY_STATUS = frozenset({429, 500, 502, 503, 504})
_MAX_RETRY_AFTER = 60.0
MAX_REDIRECTS = 10
_ALLOW_HINT = "set allow_private_addresses to fetch from your own network"

Resolver = Callable[[str, int], list[str]]  # host, port → its IP addresses


@dataclass(frozen=True)
class FetchResult:
    """What one GET gave: the body on success, else `error` says why (status 0: no answer)."""

    url: str
    status: int
    content: bytes = b""
    content_type: str = ""
    final_url: str = ""
    error: str = ""
    from_cache: bool = False
    refused: bool = False  # the address is not public: never sent, never retried

    @property
    def ok(self) -> bool:
        return not self.error and 200 <= self.status < 300

    @property
    def text(self) -> str:
        """The body decoded with the charset the server named, else UTF-8 (bad bytes replaced)."""
        header = Message()
        header["content-type"] = self.content_type or "application/octet-stream"
        charset = header.get_param("charset") or "utf-8"
        try:
            return self.content.decode(str(charset), errors="replace")
        except LookupError:
            return self.content.decode("utf-8", errors="replace")


def is_http_url(url: str) -> bool:
    """True for an absolute http(s) URL with a host."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.hostname)


def resolve(host: str, port: int) -> list[str]:
    """Every IP address `host` resolves to (a literal address gives itself)."""
    return sorted({info[4][0] for info in socket.getaddrinfo(host, port,
                                                             type=socket.SOCK_STREAM)})


def address_problem(address: str) -> str | None:
    """Why an IP address is off limits ("a loopback address", ...), or None when it is public.

    IPv4-mapped IPv6 addresses (::ffff:127.0.0.1) are judged as the IPv4 address they carry.
    """
    ip = ipaddress.ip_address(address.split("%", 1)[0])  # an IPv6 zone (fe80::1%eth0) aside
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    for kind, matches in (("unspecified", ip.is_unspecified), ("loopback", ip.is_loopback),
                          ("link-local", ip.is_link_local), ("multicast", ip.is_multicast),
                          ("reserved", ip.is_reserved), ("private", ip.is_private),
                          ("non-public", not ip.is_global)):
        if matches:
            return f"a {kind} address"
    return None


class _RefusedPeer(urllib3.exceptions.NewConnectionError):
    """The connection reached an address that is not public although the name looked public."""

    def __init__(self, connection: HTTPConnection, why: str) -> None:
        super().__init__(connection, why)
        self.why = why


def _check_peer(connection: HTTPConnection, sock: socket.socket) -> socket.socket:
    peer = sock.getpeername()[0]
    problem = address_problem(peer)
    if problem:
        sock.close()
        raise _RefusedPeer(connection, f"connected to {peer}, {problem}")
    return sock


class _PublicHTTPConnection(HTTPConnection):
    def _new_conn(self) -> socket.socket:
        return _check_peer(self, super()._new_conn())


class _PublicHTTPSConnection(HTTPSConnection):
    def _new_conn(self) -> socket.socket:  # before the TLS handshake sends anything
        return _check_peer(self, super()._new_conn())


class _PublicHTTPPool(HTTPConnectionPool):
    ConnectionCls = _PublicHTTPConnection


class _PublicHTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _PublicHTTPSConnection


class _PublicOnlyAdapter(HTTPAdapter):
    """requests' adapter whose direct connections refuse a peer that is not public."""

    def init_poolmanager(self, *args, **kwargs) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {"http": _PublicHTTPPool,
                                                   "https": _PublicHTTPSPool}


class Fetcher:
    """GET web pages politely, caching each answered page on disk for good.

    Example::

        fetcher = Fetcher(Path("data/cache/pages"), per_host_interval=2.0)
        page = fetcher.get("https://example.org/story")
        if page.ok:
            html = page.content
    """

    def __init__(self, cache_dir: Path, *, per_host_interval: float = 1.0, timeout: float = 15,
                 retries: int = 2, backoff: float = 1.0, user_agent: str = DEFAULT_USER_AGENT,
                 max_bytes: int = 20_000_000, obey_robots: bool = True,
                 allow_private_addresses: bool = False, resolver: Resolver = resolve) -> None:
        if per_host_interval < 0:
            raise AtlasError(f"per_host_interval must be ≥ 0 seconds, got {per_host_interval}")
        if timeout <= 0:
            raise AtlasError(f"timeout must be > 0 seconds, got {timeout}")
        if retries < 0:
            raise AtlasError(f"retries must be ≥ 0, got {retries}")
        if backoff < 0:
            raise AtlasError(f"backoff must be ≥ 0 seconds, got {backoff}")
        self.cache_dir = Path(cache_dir)
        self.per_host_interval = float(per_host_interval)
        self.timeout = float(timeout)
        self.retries = int(retries)
        self.backoff = float(backoff)
        self.max_bytes = int(max_bytes)
        self.obey_robots = obey_robots
        self.user_agent = user_agent
        self.allow_private_addresses = allow_private_addresses
        self._resolver = resolver
        self.requests_made = 0  # requests sent over the network, robots.txt included
        self._session = requests.Session()
        if not allow_private_addresses:
            self._session.mount("http://", _PublicOnlyAdapter())
            self._session.mount("https://", _PublicOnlyAdapter())
        self._session.headers.update({"User-Agent": user_agent,
                                      "Accept": "text/html,application/xhtml+xml,application/"
                                                "rss+xml,application/atom+xml,application/xml;"
                                                "q=0.9,*/*;q=0.8"})
        self._last_request: dict[str, float] = {}
        self._robots: dict[str, urllib.robotparser.RobotFileParser] = {}
        self._lock = threading.Lock()

    def __enter__(self) -> "Fetcher":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._session.close()

    # The one public verb ------------------------------------------------------------------
    def get(self, url: str) -> FetchResult:
        """The page at `url`, from the cache if it was fetched before; errors are in the result."""
        url = url.strip()
        if not is_http_url(url):
            return FetchResult(url, 0, error="not an http(s) URL")
        url = urlunsplit(urlsplit(url)._replace(fragment=""))
        cached = self._read_cache(url)
        if cached is not None:
            return cached
        refusal = self._refusal(url)
        if refusal is not None:  # before robots.txt: nothing at all is sent there
            log.info("refused %s: %s", url, refusal.error)
            return refusal
        if self.obey_robots and not self._allowed(url):
            return FetchResult(url, 0, error="disallowed by the site's robots.txt")
        result = self._get_with_retries(url)
        if result.ok:
            self._write_cache(result)
        else:
            log.info("could not fetch %s: %s", url, result.error)
        return result

    # Network ------------------------------------------------------------------------------
    def _get_with_retries(self, url: str) -> FetchResult:
        result = FetchResult(url, 0, error="not fetched")
        for attempt in range(self.retries + 1):
            result, retry_after = self._request(url)
            retry = not result.refused and (result.status in _RETRY_STATUS
                                            or (result.status == 0 and result.error))
            if not retry or attempt == self.retries:
                break
            pause = max(self.backoff * 2 ** attempt, min(retry_after, _MAX_RETRY_AFTER))
            log.debug("retrying %s in %.1fs after %s", url, pause, result.error)
            time.sleep(pause)
        return result

    def _refusal(self, url: str, *, redirect: bool = False) -> FetchResult | None:
        """A refused result when `url`'s host is (or resolves to) an address that is not public."""
        if self.allow_private_addresses:
            return None
        parts = urlsplit(url)
        host = parts.hostname or ""
        what = f"the redirect to {url}" if redirect else url
        try:
            port = parts.port or (443 if parts.scheme.lower() == "https" else 80)
            addresses = self._resolver(host, port)
        except ValueError:  # a port out of range
            return FetchResult(url, 0, error=f"refused {what}: not a valid address", refused=True)
        except OSError as err:
            if self._session.trust_env and requests.utils.select_proxy(
                    url, requests.utils.get_environ_proxies(url)):
                return None  # only the proxy can resolve it; the literal addresses were checked
            return FetchResult(url, 0, error=f"connection failed: cannot resolve {host} "
                                             f"({_short(err)})")
        for address in addresses:
            problem = address_problem(address)
            if problem:
                named = (f"{address} is {problem}" if address == host.strip("[]")
                         else f"{host} resolves to {address}, {problem}")
                return FetchResult(url, 0, error=f"refused {what}: {named}; {_ALLOW_HINT}",
                                   refused=True)
        return None

    def _request(self, url: str) -> tuple[FetchResult, float]:
        """One rate-limited GET, streamed so that the time and size limits cover the whole body;
        redirects are followed here, each hop checked like the first address."""
        self._wait_for_host(url)
        started = time.monotonic()
        hop = url
        for hops in range(MAX_REDIRECTS + 1):
            if hops:
                refusal = self._refusal(hop, redirect=True)
                if refusal is not None:
                    return FetchResult(url, 0, error=refusal.error,
                                       refused=refusal.refused), 0.0
            self.requests_made += 1
            try:
                with self._session.get(hop, timeout=self.timeout, stream=True,
                                       allow_redirects=False) as response:
                    target = self._session.get_redirect_target(response)
                    if target is not None:
                        hop = urljoin(hop, target)
                        if not is_http_url(hop):
                            return FetchResult(url, response.status_code, error=(
                                f"redirected to a non-http(s) address: {_short(hop)}")), 0.0
                        continue
                    chunks: list[bytes] = []
                    size = 0
                    for chunk in response.iter_content(chunk_size=65536):
                        chunks.append(chunk)
                        size += len(chunk)
                        if size > self.max_bytes:
                            return FetchResult(url, response.status_code, error=(
                                f"larger than {self.max_bytes} bytes")), 0.0
                        if time.monotonic() - started > self.timeout:
                            raise requests.Timeout(f"took longer than {self.timeout:g}s")
                    status = response.status_code
                    headers = response.headers
                    final_url = response.url
            except requests.Timeout:
                return FetchResult(url, 0, error=f"timed out after {self.timeout:g}s"), 0.0
            except requests.RequestException as err:
                peer = _refused_peer(err)
                if peer is not None:
                    what = f"the redirect to {hop}" if hop != url else url
                    return FetchResult(url, 0, error=f"refused {what}: {peer}; {_ALLOW_HINT}",
                                       refused=True), 0.0
                return FetchResult(url, 0, error=f"connection failed: {_short(err)}"), 0.0
            content_type = headers.get("Content-Type", "")
            error = "" if 200 <= status < 300 else f"HTTP {status}"
            return FetchResult(url, status, b"".join(chunks) if not error else b"",
                               content_type, final_url, error), _retry_after(
                                   headers.get("Retry-After"))
        return FetchResult(url, 0, error=f"more than {MAX_REDIRECTS} redirects"), 0.0

    def _wait_for_host(self, url: str) -> None:
        host = (urlsplit(url).netloc or "").lower()
        with self._lock:
            now = time.monotonic()
            due = self._last_request.get(host, -1e18) + self.per_host_interval
            wait = max(0.0, due - now)
            self._last_request[host] = now + wait
        if wait:
            time.sleep(wait)

    def _allowed(self, url: str) -> bool:
        parts = urlsplit(url)
        root = f"{parts.scheme}://{parts.netloc}"
        rules = self._robots.get(root)
        if rules is None:
            rules = urllib.robotparser.RobotFileParser(root + "/robots.txt")
            answer, _ = self._request(root + "/robots.txt")
            if answer.ok:
                rules.parse(answer.text.splitlines())
            elif answer.status in (401, 403):
                rules.disallow_all = True  # as urllib.robotparser reads a locked robots.txt
            else:
                rules.allow_all = True  # no robots.txt, or none reachable
            self._robots[root] = rules
        return rules.can_fetch(self.user_agent, url)

    # Cache --------------------------------------------------------------------------------
    def _cache_paths(self, url: str) -> tuple[Path, Path]:
        key = hashlib.sha256(url.encode("utf-8")).hexdigest()
        folder = self.cache_dir / key[:2]
        return folder / f"{key}.json", folder / f"{key}.body"

    def _read_cache(self, url: str) -> FetchResult | None:
        meta_path, body_path = self._cache_paths(url)
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
            body = body_path.read_bytes()
        except (OSError, ValueError):
            return None
        if meta.get("url") != url:  # a hash collision, however unlikely, is not a hit
            return None
        return FetchResult(url, int(meta["status"]), body, meta.get("content_type", ""),
                           meta.get("final_url", url), from_cache=True)

    def _write_cache(self, result: FetchResult) -> None:
        meta_path, body_path = self._cache_paths(result.url)
        meta = {"url": result.url, "status": result.status, "content_type": result.content_type,
                "final_url": result.final_url, "fetched": time.strftime("%Y-%m-%dT%H:%M:%SZ",
                                                                        time.gmtime())}
        try:
            # The body first: the metadata file is what marks an entry complete.
            write_bytes(result.content, body_path)
            write_bytes(json.dumps(meta).encode("utf-8"), meta_path)
        except OSError as err:
            raise AtlasError(f"cannot write the page cache: {err}", file=self.cache_dir) from None


def _retry_after(value: str | None) -> float:
    try:
        return max(0.0, float(value)) if value else 0.0
    except ValueError:
        return 0.0  # an HTTP date: the exponential backoff is polite enough


def _refused_peer(err: BaseException) -> str | None:
    """Why the peer was refused, when a _RefusedPeer is inside what requests raised."""
    seen: BaseException | None = err
    for _ in range(8):  # requests wraps urllib3's MaxRetryError, which wraps the cause
        if seen is None:
            return None
        if isinstance(seen, _RefusedPeer):
            return seen.why
        inner = [getattr(seen, "reason", None), seen.__cause__, seen.__context__,
                 *(seen.args[:1] if seen.args else ())]
        seen = next((e for e in inner if isinstance(e, BaseException)), None)
    return None


def _short(err: Exception) -> str:
    text = str(err).splitlines()[0] if str(err) else type(err).__name__
    return text if len(text) <= 160 else text[:157] + "..."
