"""The whole dashboard in a real browser: `streamlit run app.py` driven by Playwright in Chromium.

Starts from a fresh copy of the app (so the first start builds the demo), opens every page
through a link with filters and checks what it shows; each page's screenshot goes to a temporary
folder (the README's docs/screenshots are refreshed only by `python bench/dashboard.py
--screenshots`). Timings are measured by `python bench/dashboard.py`, never here. A second
server on a store holding a hostile article checks that its text stays literal in the browser,
and a third, on a corpus with hostile outlet and cluster names opened through a crafted share
link, that no page shows a foreign link, image or script or makes a request off this machine.
"""

from __future__ import annotations

import hashlib
from urllib.parse import unquote, urlencode, urljoin, urlsplit

import pytest

from bench.dashboard import (CHROMIUM, EAST, TITLES, VIEWPORT, VIEWS, WEST, Server, app_copy,
                             launch, map_points, remove_outlet, settle, view_url, wait_for_map)
from conftest import HOSTILE, HOSTILE_LABELS, HOSTILE_OUTLETS, HOSTILE_TWIN, ROOT, republish
from framing_atlas.store import Store

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium "
                                 "(apt-get install chromium); .ci/run installs it")]


TRACKED_SCREENSHOTS = ROOT / "docs" / "screenshots"


@pytest.fixture(scope="module", autouse=True)
def tracked_screenshots():
    """The README's screenshots as they were before this module ran."""
    return shots()


def shots() -> dict[str, tuple[int, str]]:
    return {path.name: (path.stat().st_mtime_ns, hashlib.sha1(path.read_bytes()).hexdigest())
            for path in sorted(TRACKED_SCREENSHOTS.glob("*.png"))}


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = launch(playwright)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """A fresh copy of the app with no store: its first start builds the demo corpus."""
    folder = app_copy(tmp_path_factory.mktemp("fresh-clone"))
    servers = {"folder": folder, "server": Server(folder, {})}
    yield servers
    servers["server"].stop()


def test_first_start_builds_and_shows_the_demo_map(demo, browser):
    page = browser.new_page(viewport=VIEWPORT)
    page.goto(demo["server"].url)
    points = wait_for_map(page, timeout_s=600)
    assert page.get_by_text("fictional outlets").count() > 0  # the demo says what it is
    page.close()
    # A later start reads the finished build instead of building again.
    built = Store(demo["folder"] / "data" / "demo" / "store").current_build()
    demo["server"].stop()
    demo["server"] = Server(demo["folder"], {})
    page = browser.new_page(viewport=VIEWPORT)
    page.goto(demo["server"].url)
    assert wait_for_map(page, timeout_s=120) == points
    assert Store(demo["folder"] / "data" / "demo" / "store").current_build() == built
    page.close()


@pytest.mark.parametrize("name", list(VIEWS))
def test_each_page_from_a_shared_link(demo, browser, name, tmp_path):
    server = demo["server"]
    page = browser.new_page(viewport=VIEWPORT)
    url = view_url(server, name, **VIEWS[name])
    page.goto(url)
    page.get_by_role("heading", name=TITLES[name]).wait_for(timeout=600_000)
    settle(page, 2500)  # charts finish drawing
    assert not page.get_by_text("Traceback").count()
    assert not page.get_by_text("Page not found").count()
    for outlet in VIEWS[name].get("outlet", []):
        chip = page.locator(f'[data-testid=stSidebar] [data-tag][aria-label="{outlet}"]')
        assert chip.count() == 1, outlet  # the filter from the link is applied
    # The link survives: the app keeps the same parameters in the address bar.
    for key, value in VIEWS[name].items():
        values = value if isinstance(value, list) else [value]
        assert all(urlencode({key: v}) in page.url for v in values), page.url
    if name == "map":
        wait_for_map(page, timeout_s=60)
    if name == "timeline":
        page.locator(".js-plotly-plot").first.wait_for(timeout=60_000)
    # Into a temporary folder: the tracked docs/screenshots change only by an explicit command.
    shot = tmp_path / f"{name}.png"
    page.screenshot(path=str(shot), full_page=False)
    assert shot.stat().st_size > 10_000
    page.close()


def test_filter_change_redraws_the_map(demo, browser):
    page = browser.new_page(viewport=VIEWPORT)
    page.goto(view_url(demo["server"], "map", outlet=[EAST, WEST]))
    before = wait_for_map(page, timeout_s=120)
    settle(page)
    remove_outlet(page, WEST)
    after = wait_for_map(page, timeout_s=60, other_than=before)  # the plot itself, redrawn
    settle(page)
    assert 0 < after < before and map_points(page) == after
    heading = page.get_by_text("paragraphs in view").inner_text()
    assert int(heading.split()[0]) == after  # the map draws exactly the paragraphs in view
    assert "outlet=" in page.url and urlencode({"outlet": WEST}) not in page.url
    page.close()


def test_switching_page_keeps_the_view(demo, browser):
    server = demo["server"]
    page = browser.new_page(viewport=VIEWPORT)
    page.goto(view_url(server, "map", outlet=[WEST], theme="escalation"))
    page.get_by_role("heading", name="Map of paragraphs").wait_for(timeout=600_000)
    wait_for_map(page, timeout_s=120)
    settle(page)  # let the run finish: Streamlit fades elements while it runs
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
    page = browser.new_page(viewport=VIEWPORT)
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


# A crafted share link (issue 9): its unknown values are echoed into the sidebar's notes.
CRAFTED = {"outlet": "[Verify your login](https://phish.example/login)",
           "theme": "![x](https://tracker.example/p.png)"}
LOOPBACK = {"127.0.0.1", "localhost"}
LINKS = """() => [...document.querySelectorAll('a')].map(a => a.getAttribute('href')
    || a.getAttribute('xlink:href') || a.getAttributeNS('http://www.w3.org/1999/xlink', 'href'))
    .filter(Boolean)"""
IMAGES = """() => [...document.querySelectorAll('img, image, picture source, video, iframe')]
    .map(i => i.getAttribute('src') || i.getAttribute('srcset') || i.getAttribute('href')
         || i.getAttribute('xlink:href') || '')"""
SCRIPTS = "() => [...document.scripts].map(s => [s.getAttribute('src') || '', s.text])"
PLOTLY_TEXT = "() => [...document.querySelectorAll('.js-plotly-plot text')].map(t => t.textContent)"


@pytest.fixture(scope="module")
def hostile_names(hostile_names_store, tmp_path_factory):
    """A public (read-only) dashboard on a corpus with hostile outlet and cluster names."""
    folder = app_copy(tmp_path_factory.mktemp("hostile-names"))
    server = Server(folder, {"FRAMING_ATLAS_STORE": str(hostile_names_store),
                             "FRAMING_ATLAS_READ_ONLY": "true"})
    yield server, hostile_names_store
    server.stop()


def foreign(url: str, base: str) -> bool:
    """An address off this machine (data: and blob: URLs stay in the page)."""
    absolute = urljoin(base, url)
    scheme = urlsplit(absolute).scheme
    return scheme not in ("data", "blob", "about") and urlsplit(absolute).hostname not in LOOPBACK


@pytest.mark.parametrize("name", list(TITLES))
def test_hostile_names_and_crafted_link_show_nothing_foreign(hostile_names, browser, name):
    server, store = hostile_names
    articles = {unquote(url) for url in Store(store).read_articles()["url"]}
    context = browser.new_context(viewport=VIEWPORT)
    requests: list[str] = []
    context.on("request", lambda request: requests.append(request.url))
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    params = dict(CRAFTED)
    if name == "map":
        params["color"] = "cluster"  # cluster names in the legend and on the map
    if name == "clusters":
        params["cluster"] = "1"  # the cluster named with a link and an image
    page.goto(view_url(server, name, **params))
    page.get_by_role("heading", name=TITLES[name]).wait_for(timeout=600_000)
    if name == "map":
        wait_for_map(page, timeout_s=120)
    settle(page, 3000)  # charts finish drawing, images would have been requested
    assert not page.get_by_text("Traceback").count()

    links = [href for href in page.evaluate(LINKS)
             if foreign(href, page.url) and unquote(href) not in articles]
    assert links == [], links  # article links are deliberate; nothing else leaves the app
    images = [src for src in page.evaluate(IMAGES) if src and foreign(src, page.url)]
    assert images == [], images
    for src, text in page.evaluate(SCRIPTS):
        assert not src or not foreign(src, page.url), src
        assert "alert(" not in text and ".example" not in text
    assert page.locator("[data-testid=stApp] script").count() == 0
    assert not dialogs
    body = page.inner_text("body").replace("\u2060", "")  # invisible joiners in addresses
    if name not in ("data", "themes"):  # these pages draw no filters, so no notes
        assert all(value in body for value in CRAFTED.values())  # shown, literally
    if name in ("compare", "timeline", "framing"):  # outlet names on Plotly axes, as written
        shown = "\n".join(page.evaluate(PLOTLY_TEXT))
        assert HOSTILE_OUTLETS["Ledger & Pipeline (fictional)"] in shown
    if name == "clusters":
        assert HOSTILE_LABELS[1] in body
    page.close()
    off_machine = [url for url in requests if foreign(url, server.url)]
    context.close()
    assert off_machine == [], off_machine


# Teaching a theme (issue 15): a box drawn on the map, marked in a theme, retrained, reloaded.

def writable_dashboard(atlas_store, folder):
    """A writable dashboard on its own copy of the built store (the vectors are cached): the
    server and the store, for a module fixture to yield; stop the server after."""
    import shutil

    folder = app_copy(folder)
    store = folder / "store"
    shutil.copytree(atlas_store, store)
    return Server(folder, {"FRAMING_ATLAS_STORE": str(store)}), Store(store)


@pytest.fixture(scope="module")
def teachable(atlas_store, tmp_path_factory):
    server, store = writable_dashboard(atlas_store, tmp_path_factory.mktemp("teach"))
    yield server, store
    server.stop()


# A box around the map's most crowded spot: page coordinates of its corners, and how many drawn
# points fall inside (plotly.js places each point at xaxis.c2p(x), yaxis.c2p(y) inside the plot
# area, which starts _size.l and _size.t from the graph's corner).
BOX_AROUND_A_CROWD = """(half) => {
    const gd = [...document.querySelectorAll('.js-plotly-plot')].find(g => g._fullData);
    const L = gd._fullLayout, xa = L.xaxis, ya = L.yaxis, rect = gd.getBoundingClientRect();
    const pts = gd._fullData.flatMap(t => Array.from(t.x, (x, i) => [xa.c2p(x), ya.c2p(t.y[i])]));
    let best = null, most = -1;
    for (const [px, py] of pts) {
        const n = pts.filter(([qx, qy]) => Math.abs(qx - px) < half
                                        && Math.abs(qy - py) < half).length;
        if (n > most && px > half && py > half && px < L._size.w - half && py < L._size.h - half) {
            best = [px, py]; most = n;
        }
    }
    const x0 = rect.left + L._size.l + best[0] - half, y0 = rect.top + L._size.t + best[1] - half;
    return {x0, y0, x1: x0 + 2 * half, y1: y0 + 2 * half, inside: most};
}"""


# The points plotly.js marks as selected once a box is drawn.
SELECTED_POINTS = """() => [...document.querySelectorAll('.js-plotly-plot')].find(g => g._fullData)
    .data.reduce((n, trace) => n + (trace.selectedpoints ? trace.selectedpoints.length : 0), 0)"""


def box_around_a_crowd(page) -> dict:
    """Draw a box with Plotly's "Box Select" around the map's most crowded spot; the box."""
    graph = page.locator(".js-plotly-plot").first
    graph.hover()
    graph.locator('.modebar-btn[data-val="select"]').click()
    box = page.evaluate(BOX_AROUND_A_CROWD, 15)
    page.mouse.move(box["x0"], box["y0"])
    page.mouse.down()
    page.mouse.move(box["x1"], box["y1"], steps=12)
    page.mouse.up()
    return box


def test_box_select_on_the_map_teaches_a_theme_and_survives_a_retrain(teachable, browser):
    from playwright.sync_api import expect

    server, store = teachable
    assert store.read_labels().empty
    page = browser.new_page(viewport=VIEWPORT)
    page.goto(view_url(server, "map"))
    wait_for_map(page, timeout_s=120)
    settle(page)
    box = box_around_a_crowd(page)
    assert box["inside"] >= 2
    heading = page.get_by_text("selected paragraphs")
    heading.wait_for(timeout=60_000)
    selected = int(heading.inner_text().split()[0])
    assert selected == page.evaluate(SELECTED_POINTS) and abs(selected - box["inside"]) <= 2
    mark = page.get_by_role("button", name=f"Mark {selected} paragraphs as in expansion")
    mark.click()
    page.get_by_text(f"Marked {selected} paragraphs as in expansion").wait_for(timeout=60_000)
    # The selection stays, and the reader below says how each paragraph is labelled now.
    expect(page.get_by_text("Labelled: in expansion")).to_have_count(min(selected, 20),
                                                                     timeout=60_000)
    labels = store.read_labels()
    assert len(labels) == selected and set(labels["theme"]) == {"expansion"}
    assert labels["in_theme"].eq(1).all()

    page.locator("[data-testid=stSidebar]").get_by_role("link", name="Themes").click()
    page.get_by_role("heading", name="Themes").wait_for(timeout=60_000)
    page.get_by_text("changed since this build for expansion").wait_for(timeout=60_000)
    first = store.manifest()["build_id"]
    page.get_by_role("button", name="Retrain themes").click()
    page.get_by_text("Retraining in the background").wait_for(timeout=60_000)
    page.get_by_text("The background build finished").wait_for(timeout=300_000)
    assert store.manifest()["build_id"] != first
    trained = next(t["detector"] for t in store.read_document("themes")["themes"]
                   if t["name"] == "expansion")
    assert trained["n_user"] == selected

    page.reload()  # a new session: everything shown comes from the store
    page.get_by_role("heading", name="Themes").wait_for(timeout=60_000)
    settle(page)
    note = f"{selected} labels given by people ({selected} in, 0 out) for 1 theme"
    assert page.get_by_text(note).count() == 1
    assert page.get_by_text("changed since this build").count() == 0
    assert not page.get_by_text("Traceback").count()
    assert store.read_labels().equals(labels)
    page.close()


def test_a_box_drawn_after_the_rebuild_note_selects(teachable, browser):
    """A build published while the map is open: the next run (here a colour change) says so;
    a box drawn after that selects, as any box does (seen lost under load, bench/load.py)."""
    server, store = teachable
    page = browser.new_page(viewport=VIEWPORT)
    page.goto(view_url(server, "map"))
    wait_for_map(page, timeout_s=120)
    settle(page)
    # A rebuild that moves one dot (the figure changes), published as `framing-atlas build` would.
    republish(store, "20990101T000000000000Z-moved",
              move=store.read_table("paragraphs").index[0])
    page.locator("[data-testid=stMain]").get_by_text("cluster", exact=True).first.click()
    page.get_by_text("The atlas was rebuilt since this map was drawn").wait_for(timeout=60_000)
    settle(page)
    box_around_a_crowd(page)
    heading = page.get_by_text("selected paragraphs")
    heading.wait_for(timeout=60_000)
    assert int(heading.inner_text().split()[0]) == page.evaluate(SELECTED_POINTS) > 0
    page.close()


def test_tracked_screenshots_are_left_alone(tracked_screenshots):
    """Runs last: no test above rewrote docs/screenshots (only `bench/dashboard.py
    --screenshots` does)."""
    assert tracked_screenshots and shots() == tracked_screenshots  # not even rewritten


# The map at scale (issue 11): an image the browser selects on; the server reads the box/lasso.

@pytest.fixture(scope="module")
def large(atlas_store, tmp_path_factory):
    """A read-only dashboard on 100,000 synthetic paragraphs (the demo build's, copied to
    fictional outlets and jittered by bench/dashboard_scale.py's generator)."""
    from bench.dashboard_scale import synthetic_store

    store = synthetic_store(100_000, tmp_path_factory.mktemp("large"), source=Store(atlas_store),
                            log=lambda *_: None)
    folder = app_copy(tmp_path_factory.mktemp("large-app"))
    server = Server(folder, {"FRAMING_ATLAS_STORE": str(store.root),
                             "FRAMING_ATLAS_READ_ONLY": "true"})
    yield server, store
    server.stop()


MAP_IMAGE = """() => { const gd = [...document.querySelectorAll('.js-plotly-plot')]
    .find(g => g._fullLayout && (g._fullLayout.images || []).length);
    return !!gd && !!gd.querySelector('.imagelayer image'); }"""
# Page coordinates of a drawn shape's points given as fractions of the plot area.
PLOT_POINTS = """(fractions) => {
    const gd = [...document.querySelectorAll('.js-plotly-plot')].find(g => g._fullLayout);
    const L = gd._fullLayout, rect = gd.getBoundingClientRect();
    return fractions.map(([fx, fy]) => [rect.left + L._size.l + fx * L._size.w,
                                        rect.top + L._size.t + fy * L._size.h]);
}"""
SELECTION = """(type) => {
    const gd = [...document.querySelectorAll('.js-plotly-plot')].find(g => g._fullLayout);
    const drawn = (gd.layout.selections || []).filter(s => s.type === type);
    return drawn.length ? drawn[drawn.length - 1] : null; }"""


def draw(page, tool: str, fractions) -> dict:
    """Draw with Plotly's box or lasso tool through these points; the selection Plotly keeps."""
    graph = page.locator(".js-plotly-plot").first
    graph.hover()
    graph.locator(f'.modebar-btn[data-val="{tool}"]').click()
    points = page.evaluate(PLOT_POINTS, fractions)
    page.mouse.move(*points[0])
    page.mouse.down()
    for point in points[1:]:
        page.mouse.move(*point, steps=8)
    page.mouse.up()
    kind = "rect" if tool == "select" else "path"
    return page.wait_for_function(SELECTION, arg=kind, timeout=30_000).json_value()


def test_large_map_is_an_image_and_a_box_or_lasso_reads_the_paragraphs(large, browser):
    from framing_atlas.views.raster import points_in

    server, store = large
    paragraphs = store.read_table("paragraphs")
    page = browser.new_page(viewport=VIEWPORT)
    page.goto(view_url(server, "map"))
    page.wait_for_function(MAP_IMAGE, timeout=180_000, polling=200)
    settle(page)
    assert page.get_by_text("100000 paragraphs in view").count() == 1

    shape = draw(page, "select", [(0.3, 0.3), (0.45, 0.6)])
    inside = points_in(paragraphs, box=(shape["x0"], shape["x1"], shape["y0"], shape["y1"]))
    assert len(inside) > 0
    page.get_by_text(f"{len(inside)} selected paragraphs").wait_for(timeout=60_000)
    settle(page)

    shape = draw(page, "lasso", [(0.2, 0.3), (0.5, 0.25), (0.55, 0.7), (0.25, 0.6), (0.2, 0.31)])
    xs, ys = zip(*(map(float, p.split(",")) for p in
                   shape["path"].strip("MZ").split("L")))
    inside = points_in(paragraphs, lasso=(xs, ys))
    assert len(inside) > 0
    page.get_by_text(f"{len(inside)} selected paragraphs").wait_for(timeout=60_000)
    settle(page)
    shown = page.locator("[data-testid=stText]").all_inner_texts()
    assert shown and set(shown) <= set(inside["text"])
    page.close()


MAP_IMAGE_HREF = """() => { const gd = [...document.querySelectorAll('.js-plotly-plot')]
    .find(g => g._fullLayout && (g._fullLayout.images || []).length);
    const image = gd && gd.querySelector('.imagelayer image');
    return image ? image.getAttribute('href') : null; }"""


def test_large_map_redraws_with_exact_counts_when_a_filter_changes(large, browser):
    server, store = large
    counts = store.read_table("paragraphs")["outlet"].value_counts()
    kept, removed = counts.index[0], counts.index[1]
    page = browser.new_page(viewport=VIEWPORT)
    page.goto(view_url(server, "map", outlet=[kept, removed]))
    page.wait_for_function(MAP_IMAGE, timeout=180_000, polling=200)
    settle(page)
    both = int(counts[kept] + counts[removed])
    assert both > 20_000  # above the points limit: the map is an image
    page.get_by_text(f"{both} paragraphs in view").wait_for(timeout=60_000)
    before = page.evaluate(MAP_IMAGE_HREF)
    remove_outlet(page, removed)
    page.get_by_text(f"{int(counts[kept])} paragraphs in view").wait_for(timeout=60_000)
    page.wait_for_function(f"() => ({MAP_IMAGE_HREF})() !== {before!r}", timeout=60_000)
    settle(page)
    # The image is redrawn from the remaining outlet's paragraphs, or they are few enough for dots.
    assert page.evaluate(MAP_IMAGE_HREF) != before or map_points(page) == int(counts[kept])
    page.close()


# Background builds (issue 13): an upload's build goes on while the user leaves the page.

@pytest.fixture(scope="module")
def uploadable(atlas_store, tmp_path_factory):
    server, store = writable_dashboard(atlas_store, tmp_path_factory.mktemp("upload"))
    yield server, store
    server.stop()
    from framing_atlas import jobs

    job = jobs.read_job(store.root)
    if job is not None and job.state == jobs.RUNNING:
        import os
        import signal

        os.kill(job.pid, signal.SIGKILL)


def test_an_upload_builds_in_the_background_while_the_user_reads_another_page(
        uploadable, browser, tmp_path):
    from conftest import make_articles

    server, store = uploadable
    first = store.manifest()["build_id"]
    outlet = "Upload Test Courier (fictional)"
    upload = tmp_path / "new.csv"
    make_articles(1, seed=9).assign(outlet=outlet, url=lambda f: f.url + "-upload").to_csv(
        upload, index=False)
    page = browser.new_page(viewport=VIEWPORT)
    page.goto(view_url(server, "data"))
    page.get_by_role("heading", name="Add articles").wait_for(timeout=120_000)
    page.locator("[data-testid=stFileUploader] input[type=file]").set_input_files(str(upload))
    page.get_by_role("button", name="Ingest and rebuild").click()
    page.get_by_text("Build started in the background").wait_for(timeout=120_000)
    # Leave the page at once: the build goes on, and the Map shows its progress, then its end.
    page.locator("[data-testid=stSidebar]").get_by_role("link", name="Map").click()
    # Generous waits: on a busy machine the Map's first draw and the build both take minutes.
    page.get_by_text("A build runs in the background").wait_for(timeout=300_000)
    page.get_by_text("The background build finished").wait_for(timeout=600_000)
    built = store.manifest()["build_id"]
    # Said once by the banner (the Map also names a build published while it is open).
    assert built != first and page.get_by_text(f"build {built} is shown now").count() == 1
    assert outlet in set(store.read_table("paragraphs", columns=["outlet"])["outlet"])
    wait_for_map(page, timeout_s=120)
    page.close()
