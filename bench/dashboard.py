"""Dashboard benchmark: what a user waits for in a real browser, against baselines in the same run.

    python bench/dashboard.py [--repeat 3] [--screenshots [DIR]]

Copies the app into a temporary folder (a fresh clone: no store), serves it with
`streamlit run app.py` on a loopback port and drives Debian's Chromium with Playwright:

- first start: from opening the address to the demo map drawn (the demo atlas is built first;
  its vectors ship with it, so only the map and clusters are computed);
- later start: the same after a server restart (a new server process each run), reading the
  finished build;
- filter change: from removing an outlet in the sidebar to the map's Plotly graph redrawn with
  the new number of points (not a heading: the points themselves);
- baselines, measured the same way on a freshly started server: the static shell (Streamlit's
  page frame, before any script output) and the Clusters page (the same tables and sidebar
  filters, a table instead of the map). The Data page is no baseline: it imports the build
  pipeline (torch) to offer rebuilds.

Each timing is the median of --repeat runs (first start: one run). Writes
bench/results/dashboard.json with the timings and their ratios, and prints it. With
--screenshots it also saves a screenshot of every page, opened from a shared link, into
docs/screenshots (or DIR): the README shows them.

The helpers (Server, app_copy, map_points, VIEWS, ...) are shared with tests/test_browser.py.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results" / "dashboard.json"
SCREENSHOTS = ROOT / "docs" / "screenshots"
CHROMIUM = Path("/usr/bin/chromium")
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
VIEWPORT = {"width": 1400, "height": 1000}
EAST = "Eastern Meridian TV (fictional)"
WEST = "Westbridge Public Radio (fictional)"
# Each page opened from a shared link with filters, as a user would receive it.
VIEWS = {
    "map": dict(outlet=[EAST, WEST], color="cluster"),
    "compare": dict(since="2026-01-10", until="2026-02-28"),
    "timeline": dict(theme="expansion"),
    "framing": dict(since="2026-01-05"),
    "clusters": dict(outlet=[EAST, WEST, "Northwind Courier (fictional)"]),
    "themes": {},
    "data": {},
}
TITLES = {"map": "Map of paragraphs", "compare": "Compare outlets", "timeline": "Themes over time",
          "framing": "Framing, with uncertainty", "clusters": "Clusters", "themes": "Themes",
          "data": "Data"}

# Points in the drawn map: the Plotly graph's traces as plotly.js laid them out (its _fullData
# is replaced when the figure is redrawn), counted only once the WebGL canvas exists.
MAP_POINTS = """() => {
    const graphs = [...document.querySelectorAll('.js-plotly-plot')]
        .filter(gd => gd._fullData && gd.querySelector('canvas'));
    if (!graphs.length) return -1;
    return graphs[0]._fullData.reduce((sum, trace) => sum + (trace._length || 0), 0);
}"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """`streamlit run app.py` in `folder`, on a free loopback port."""

    def __init__(self, folder: Path, env: dict[str, str]) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = open(folder / "streamlit.log", "w")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(self.port),
             "--server.address", "127.0.0.1", "--server.headless", "true"],
            cwd=folder, env={**os.environ, "PYTHONPATH": str(ROOT / "src"), **env},
            stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.3)
        raise RuntimeError("streamlit did not start")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=20)
        self.log.close()


def app_copy(folder: Path) -> Path:
    """What a fresh clone holds for the dashboard: the app, pages, settings, demo corpus, themes."""
    for name in ("app.py", "app_data.py", "ui.py"):
        shutil.copy(ROOT / name, folder / name)
    for name in ("pages", ".streamlit"):
        shutil.copytree(ROOT / name, folder / name)
    (folder / "data" / "demo").mkdir(parents=True)
    for path in (ROOT / "data").glob("*.toml"):
        shutil.copy(path, folder / "data" / path.name)
    shutil.copytree(ROOT / "data" / "theme_models", folder / "data" / "theme_models")
    for name in ("articles.csv", "vectors.parquet"):
        shutil.copy(ROOT / "data" / "demo" / name, folder / "data" / "demo" / name)
    return folder


def launch(playwright):
    return playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=FLAGS)


def view_url(server: Server, page: str, **params) -> str:
    path = "" if page == "map" else page  # the map is the default page: its address is "/"
    return f"{server.url}/{path}?{urlencode(params, doseq=True)}"


def map_points(page) -> int:
    """Points in the map as drawn (-1 while there is no drawn map)."""
    return page.evaluate(MAP_POINTS)


def wait_for_map(page, timeout_s: float, *, points: int | None = None,
                 other_than: int | None = None) -> int:
    """Wait until the map is drawn (with `points` points, or a count other than `other_than`)."""
    page.wait_for_function(
        f"([want, old]) => {{ const n = ({MAP_POINTS})(); return n > 0 && "
        "(want === null || n === want) && (old === null || n !== old); }",
        arg=[points, other_than], timeout=timeout_s * 1000, polling="raf")
    return map_points(page)


def remove_outlet(page, outlet: str) -> None:
    page.get_by_role("button", name=f"Remove {outlet}").click()


def settle(page, ms: int = 2000, *, timeout_ms: int = 120_000) -> None:
    """Let a Streamlit run finish: wait until its "running" indicator is gone (however long the
    machine takes), then `ms` for the charts to draw."""
    page.wait_for_timeout(300)  # a run starts a moment after the event that caused it
    page.locator('[data-testid="stStatusWidgetRunningIcon"], '
                 '[data-testid="stStatusWidgetRunningManIcon"]').first.wait_for(
        state="hidden", timeout=timeout_ms)
    page.wait_for_timeout(ms)


def open_map_with_two_outlets(page, server: Server) -> int:
    page.goto(view_url(server, "map", outlet=[EAST, WEST]))
    points = wait_for_map(page, timeout_s=120)
    settle(page)
    return points


def save_screenshots(browser, server: Server, folder: Path) -> list[Path]:
    """A screenshot of every page, opened from its shared link (VIEWS)."""
    folder.mkdir(parents=True, exist_ok=True)
    saved = []
    for name, params in VIEWS.items():
        page = browser.new_page(viewport=VIEWPORT)
        page.goto(view_url(server, name, **params))
        page.get_by_role("heading", name=TITLES[name]).wait_for(timeout=600_000)
        if name == "map":
            wait_for_map(page, timeout_s=60)
        settle(page, 2500)  # charts finish drawing
        page.screenshot(path=str(folder / f"{name}.png"), full_page=False)
        saved.append(folder / f"{name}.png")
        page.close()
    return saved


def timed(action) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def measure(browser, folder: Path, repeat: int) -> dict:
    def start_to_map(server: Server, timeout_s: float) -> float:
        page = browser.new_page(viewport=VIEWPORT)
        seconds = timed(lambda: (page.goto(server.url), wait_for_map(page, timeout_s=timeout_s)))
        page.close()
        return seconds

    def shell(server: Server) -> float:
        page = browser.new_page(viewport=VIEWPORT)
        seconds = timed(lambda: (page.goto(view_url(server, "clusters")),
                                 page.wait_for_selector("[data-testid=stApp]")))
        page.close()
        return seconds

    def clusters_page(server: Server) -> float:
        page = browser.new_page(viewport=VIEWPORT)
        seconds = timed(lambda: (page.goto(view_url(server, "clusters")),
                                 page.locator("[data-testid=stDataFrame]").first.wait_for(
                                     timeout=120_000)))
        page.close()
        return seconds

    def filter_change(server: Server) -> float:
        page = browser.new_page(viewport=VIEWPORT)
        before = open_map_with_two_outlets(page, server)
        seconds = timed(lambda: (remove_outlet(page, WEST),
                                 wait_for_map(page, timeout_s=60, other_than=before)))
        page.close()
        return seconds

    server = Server(folder, {})
    try:
        first = start_to_map(server, 900)
    finally:
        server.stop()
    runs: dict[str, list[float]] = {"later_start_s": [], "shell_s": [], "clusters_page_s": [],
                                    "filter_change_s": []}
    for _ in range(repeat):  # each start on a fresh server process reading the finished build
        server = Server(folder, {})
        try:
            runs["later_start_s"].append(round(start_to_map(server, 120), 3))
        finally:
            server.stop()
        server = Server(folder, {})
        try:
            runs["clusters_page_s"].append(round(clusters_page(server), 3))
            runs["shell_s"].append(round(shell(server), 3))
        finally:
            server.stop()
    server = Server(folder, {})
    try:
        runs["filter_change_s"] = [round(filter_change(server), 3) for _ in range(repeat)]
    finally:
        server.stop()
    timings = {"first_start_s": round(first, 2)} | {
        name: round(statistics.median(values), 2) for name, values in runs.items()}
    return {
        "what": "seconds from opening the address (or removing an outlet filter) to the map's "
                "Plotly graph drawn with its points; baselines: Streamlit's static shell and the "
                "Clusters page (same tables, a table instead of the map), each opened on a "
                "freshly started server",
        "command": "python bench/dashboard.py",
        **timings,
        "runs": runs,
        "ratios": {
            "later_start / first_start": round(timings["later_start_s"] / first, 3),
            "later_start / clusters_page": round(timings["later_start_s"]
                                                 / timings["clusters_page_s"], 2),
            "later_start / shell": round(timings["later_start_s"] / timings["shell_s"], 2),
            "filter_change / shell": round(timings["filter_change_s"] / timings["shell_s"], 2),
        },
        "machine": {"cpus": os.cpu_count(), "python": sys.version.split()[0]},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per timing (median)")
    parser.add_argument("--screenshots", nargs="?", const=str(SCREENSHOTS), default=None,
                        metavar="DIR", help=f"also save page screenshots (default {SCREENSHOTS})")
    args = parser.parse_args()
    if not CHROMIUM.exists():
        sys.exit("needs Debian's chromium at /usr/bin/chromium (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="framing-atlas-bench-") as tmp, \
            sync_playwright() as playwright:
        browser = launch(playwright)
        folder = app_copy(Path(tmp))
        result = measure(browser, folder, args.repeat)
        if args.screenshots:
            server = Server(folder, {})
            try:
                for path in save_screenshots(browser, server, Path(args.screenshots)):
                    print(f"saved {path}")
            finally:
                server.stop()
        browser.close()
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2))
    print(f"written to {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
