"""A web server on 127.0.0.1 for offline tests of fetching: fixed answers, every request logged."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass(frozen=True)
class Answer:
    status: int = 200
    body: bytes | str = b""
    content_type: str = "text/html; charset=utf-8"
    delay: float = 0.0  # seconds to wait before answering
    location: str = ""  # a Location header, for redirects


# The fetcher refuses 127.0.0.1 unless told otherwise: tests that fetch from this server say so.
LOCAL = {"allow_private_addresses": True}


class Loopback:
    """Routes path → Answer, or a list of Answers given in turn (the last one repeats)."""

    def __init__(self, routes: dict[str, Answer | list[Answer]]) -> None:
        self.routes = dict(routes)
        self.hits: list[tuple[str, float]] = []  # (path, time.monotonic() on arrival)
        self.port = 0
        self._lock = threading.Lock()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def count(self, path: str) -> int:
        return sum(1 for hit, _ in self.hits if hit == path)

    def times(self, path: str | None = None) -> list[float]:
        return [at for hit, at in self.hits if path is None or hit == path]

    def answer(self, path: str) -> Answer:
        with self._lock:
            self.hits.append((path, time.monotonic()))
            route = self.routes.get(path, Answer(404, b"not found", "text/plain"))
            if isinstance(route, list):
                seen = self.count(path)
                return route[min(seen, len(route)) - 1]
            return route


@contextmanager
def serve(routes: dict[str, Answer | list[Answer]]) -> Iterator[Loopback]:
    """Run a loopback server in a thread for the duration of the `with` block."""
    site = Loopback(routes)

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (the name http.server calls)
            answer = site.answer(self.path)
            if answer.delay:
                time.sleep(answer.delay)
            body = answer.body.encode("utf-8") if isinstance(answer.body, str) else answer.body
            try:
                self.send_response(answer.status)
                self.send_header("Content-Type", answer.content_type)
                self.send_header("Content-Length", str(len(body)))
                if answer.location:
                    self.send_header("Location", answer.location)
                self.end_headers()
                self.wfile.write(body)
            except OSError:
                pass  # the client gave up waiting (a timeout test)

        def log_message(self, *args: object) -> None:
            pass

    class Server(ThreadingHTTPServer):
        daemon_threads = True
        block_on_close = False  # a handler still sleeping must not hold up the test

        def handle_error(self, request, client_address) -> None:
            pass

    server = Server(("127.0.0.1", 0), Handler)
    site.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                              daemon=True)
    thread.start()
    try:
        yield site
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
