"""The whole dashboard in a real browser: `streamlit run app.py` driven by Playwright in Chromium.

Starts from a fresh copy of the app (so the first start builds the demo), opens every page
through a link with filters, checks what it shows and saves a screenshot of each page into
docs/screenshots/ (the README shows them). A second server on a store holding a hostile
article checks that its text stays literal in the browser.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

import pytest

from conftest import HOSTILE, HOSTILE_TWIN, ROOT

CHROMIUM = Path("/usr/bin/chromium")
pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium "
                                 "(apt-get install chromium); .ci/run installs it")]
SCREENSHOTS = ROOT / "docs" / "screenshots"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
EAST = "Eastern Meridian TV (fictional)"
WEST = "Westbridge Public Radio (fictional)"


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
    shutil.copy(ROOT / "data" / "themes.toml", folder / "data" / "themes.toml")
    for name in ("articles.csv", "vectors.parquet"):
        shutil.copy(ROOT / "data" / "demo" / name, folder / "data" / "demo" / name)
    return folder


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                              args=FLAGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """A fresh copy of the app with no store: its first start builds the demo corpus."""
    folder = app_copy(tmp_path_factory.mktemp("fresh-clone"))
    servers = {"folder": folder, "server": Server(folder, {})}
    yield servers
    servers["server"].stop()


def wait_for_map(page, timeout_s: float) -> None:
    page.wait_for_selector(".js-plotly-plot canvas", timeout=timeout_s * 1000)
    page.wait_for_function("document.querySelectorAll('.js-plotly-plot .scatterlayer, "
                           ".js-plotly-plot canvas').length > 0")


def view_url(server: Server, page: str, **params) -> str:
    path = "" if page == "map" else page  # the map is the default page: its address is "/"
    return f"{server.url}/{path}?{urlencode(params, doseq=True)}"


def test_first_start_builds_and_shows_the_demo_map(demo, browser):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    started = time.time()
    page.goto(demo["server"].url)
    wait_for_map(page, timeout_s=600)
    first = time.time() - started
    assert page.get_by_text("fictional outlets").count() > 0  # the demo says what it is
    page.close()
    # A later start reads the finished build instead of building again.
    demo["server"].stop()
    demo["server"] = Server(demo["folder"], {})
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    started = time.time()
    page.goto(demo["server"].url)
    wait_for_map(page, timeout_s=120)
    later = time.time() - started
    page.close()
    # Timings are recorded for the notes, never asserted: this machine is too noisy for that.
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "dashboard-start.json").write_text(json.dumps(
        {"first_start_s": round(first, 1), "later_start_s": round(later, 1),
         "later_vs_first": round(later / first, 3)}, indent=2))


PAGES = {
    "map": dict(outlet=[EAST, WEST], color="cluster"),
    "compare": dict(since="2026-01-10", until="2026-02-28"),
    "timeline": dict(theme="expansion"),
    "framing": dict(since="2026-01-05"),
    "clusters": dict(outlet=[EAST, WEST, "Northwind Courier (fictional)"]),
    "data": {},
}
TITLES = {"map": "Map of paragraphs", "compare": "Compare outlets", "timeline": "Themes over time",
          "framing": "Framing, with uncertainty",
          "clusters": "Clusters", "data": "Data"}


@pytest.mark.parametrize("name", list(PAGES))
def test_each_page_from_a_shared_link(demo, browser, name):
    server = demo["server"]
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    url = view_url(server, name, **PAGES[name])
    page.goto(url)
    page.get_by_role("heading", name=TITLES[name]).wait_for(timeout=600_000)
    page.wait_for_timeout(2500)  # charts finish drawing
    assert not page.get_by_text("Traceback").count()
    assert not page.get_by_text("Page not found").count()
    for outlet in PAGES[name].get("outlet", []):
        chip = page.locator(f'[data-testid=stSidebar] [data-tag][aria-label="{outlet}"]')
        assert chip.count() == 1, outlet  # the filter from the link is applied
    # The link survives: the app keeps the same parameters in the address bar.
    for key, value in PAGES[name].items():
        values = value if isinstance(value, list) else [value]
        assert all(urlencode({key: v}) in page.url for v in values), page.url
    if name == "map":
        wait_for_map(page, timeout_s=60)
    if name == "timeline":
        assert page.locator(".js-plotly-plot").count() >= 1
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=False)
    page.close()


def test_filter_change_redraws_the_map(demo, browser):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(view_url(demo["server"], "map", outlet=[EAST, WEST]))
    wait_for_map(page, timeout_s=120)
    page.wait_for_timeout(2000)
    before = page.get_by_text("paragraphs in view").inner_text()
    started = time.time()
    page.get_by_role("button", name=f"Remove {WEST}").click()
    page.wait_for_function(
        "before => [...document.querySelectorAll('h3')].some(h => h.innerText.includes("
        "'paragraphs in view') && h.innerText !== before)", arg=before, timeout=60_000)
    seconds = time.time() - started
    assert "outlet=" in page.url and urlencode({"outlet": WEST}) not in page.url
    # Recorded beside the start-up times for the notes; never asserted.
    out = ROOT / "bench" / "results" / "dashboard-filter.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"filter_change_s": round(seconds, 2)}))
    page.close()


def test_switching_page_keeps_the_view(demo, browser):
    server = demo["server"]
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(view_url(server, "map", outlet=[WEST], theme="escalation"))
    page.get_by_role("heading", name="Map of paragraphs").wait_for(timeout=600_000)
    wait_for_map(page, timeout_s=120)
    page.wait_for_timeout(2000)  # let the run finish: Streamlit fades elements while it runs
    page.locator("[data-testid=stSidebar]").get_by_role("link", name="Timeline").click()
    page.get_by_role("heading", name="Themes over time").wait_for(timeout=60_000)
    page.wait_for_timeout(1500)
    assert "/timeline" in page.url and urlencode({"outlet": WEST}) in page.url
    assert "theme=escalation" in page.url
    page.close()


@pytest.fixture(scope="module")
def hostile(atlas_store, tmp_path_factory):
    folder = app_copy(tmp_path_factory.mktemp("hostile"))
    server = Server(folder, {"FRAMING_ATLAS_STORE": str(atlas_store)})
    yield server
    server.stop()


@pytest.mark.parametrize("name", ["map", "compare", "clusters"])
def test_hostile_text_stays_literal_in_the_browser(hostile, browser, name):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    params = {"q": "alert(1)"}
    if name == "compare":  # two outlets carrying the same hostile text share a cluster
        params = {"outlet": [HOSTILE["outlet"], HOSTILE_TWIN["outlet"]], "q": "alert(1)"}
    if name == "clusters":
        params = {"outlet": HOSTILE["outlet"], "q": "alert(1)"}
    page.goto(view_url(hostile, name, **params))
    page.get_by_role("heading", name=TITLES[name]).wait_for(timeout=600_000)
    page.wait_for_timeout(2500)
    body = page.inner_text("body")
    assert "<script>alert(1)</script>" in body, name
    assert "[x](javascript:alert(1))" in body, name
    assert not dialogs
    assert page.locator("a[href^='javascript']").count() == 0
    assert page.evaluate("[...document.scripts].filter(s => s.text.includes('alert(')).length") == 0
    page.close()
