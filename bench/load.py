"""Load: many people on one dashboard at once, while a build runs behind it, in Chromium.

    python bench/load.py [--sessions 20] [--seconds 180] [--articles 2000] [--out FILE]
    python bench/run.py load

1. The store: the first --articles articles of ../shared/data/ukraine_war_media_2022 in a
   seeded shuffled order (SAMPLE_SEED), ingested and built with the bundled model once, into
   bench/results/cache/ (ignored by git). Later runs reuse it while the sample and the code
   (src/framing_atlas, data/*.toml, data/theme_models) are unchanged; otherwise it is rebuilt
   with --relayout from its cached vectors. The next 1% of articles in the same order are kept
   aside for the build that runs during the load.
2. The server: `streamlit run app.py` on a fresh copy of the app, on a loopback port, with
   FRAMING_ATLAS_STORE set to a copy of that store and read-only off (a build runs beside it).
3. Alone: one session performs each action BASELINE_ROUNDS times before the load starts: its
   medians are the baseline the load's timings are divided by (the same server, the same run),
   and the CPU time each action cost the browser is measured.
4. First visits: FIRST_VISITS times alone, a share link of the map in a fresh browser
   context (nothing cached, as for a stranger given the link), timed, with the CPU time the
   browser spent on it: fetching and compiling Streamlit's and Plotly's scripts (~8 MB) costs
   a fresh context several CPU-seconds, several times what the same page costs a context that
   has them.
5. Load: --sessions Playwright contexts in one Chromium (the async API: one event loop, no
   thread per session), arriving one after another over --ramp seconds, then all of them
   together for --seconds. By default the arrivals are paced by step 4: sessions x the
   browser's CPU-seconds of a first visit / the cores the server left free while one session
   worked alone (the machine's, less the server's use in step 3), so that the first pages of
   visitors who on a real link each bring their own machine do not queue for these few cores
   (--ramp 20 gives the earlier fixed arrival: on 2 cores its first pages measure the
   browsers). The browsers run at CPU priority --browser-nice (19): they stand for visitors'
   own machines, so here they get the cores the server and the build leave.
   Each session first does every action once (its first page chosen so the sessions open
   every page between them), finishing that round even past --seconds; then it loops over
   actions chosen by its own seeded RNG (weights MIX). A pause separates actions, as a
   reader's would: --think MIN,MAX seconds, or by default paced like the arrivals (paced_think:
   the pause that puts --sessions readers at the knee of the browsers' capacity, from each
   action's CPU time in step 3), so that the browsers, which here share the server's cores,
   do not queue each other's drawing. The actions:
   - open_<page>: a share link (view_url) with outlets of the store, a date range and a theme,
     timed until the page's first chart is drawn (bench.dashboard_scale.FIRST_CHART);
   - filter: one outlet chip removed in the sidebar, timed until the map is redrawn with a
     different number of points;
   - select: a box or lasso drawn around the map's most crowded spot, timed until the
     "N selected paragraphs" heading shows (N > 0);
   - download: the map's "Download all filtered paragraphs (CSV)", timed until the file is
     saved; it must parse with the export's header and hold the paragraphs in view.
   An error is an exception, an exception box on the page (stException, "Traceback"), a
   wrong file, or an action whose awaited result is not drawn within --limit seconds.
6. Meanwhile: --build-after seconds into the load (by default when the last session has
   arrived, so that every session reads while it builds), the next 1% of articles are
   ingested with `framing-atlas ingest` and built with `framing-atlas build --store S` in
   another process (it takes the store's lock; readers never wait). Every map and download
   records the paragraph count it showed; afterwards each is matched against both builds'
   counts for its filters, so the report says which build each page showed and whether those
   opened after the build was published showed the new one. A last share link checks that
   too.
7. Every second: the resident memory (VmRSS from /proc) of the server process and its
   children (peak and median, alone and under load), and the CPU time each party used (the
   server, the build beside it, the bench's Chromium, everything else on the machine), so a
   slow run says whether the server or its neighbours had the cores; and how long the
   server's health check (/_stcore/health) takes to answer. The server's log is searched for
   tracebacks (server-side errors).

Writes bench/results/load.json and prints a table of p50/p95 per action with the ratio of the
p95 under load to the p50 alone. Timings on a shared 2-core machine are noisy: the ratios are
what compare. The browser runs on the same cores as the server, so under load it competes for
them (its WebGL is drawn in software).
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import datetime as dt
import hashlib
import json
import math
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script: `bench.dashboard` is importable from the root
    sys.path.insert(0, str(ROOT))
if str(ROOT / "src") not in sys.path:
    sys.path.insert(0, str(ROOT / "src"))

from bench.dashboard import CHROMIUM, FLAGS, VIEWPORT, Server, app_copy, view_url  # noqa: E402
from bench.dashboard_scale import FIRST_CHART, RUNNING  # noqa: E402
from framing_atlas.store import OUTLET, PUBLISHED, THEME, URL, Store  # noqa: E402
from framing_atlas.views.filters import Filters, filter_mask  # noqa: E402

RESULTS = ROOT / "bench" / "results" / "load.json"
CACHE = ROOT / "bench" / "results" / "cache"  # in .gitignore
SHARED_CORPUS = ROOT.parent / "shared" / "data" / "ukraine_war_media_2022" / "articles.csv.gz"
ARTICLES = 2000  # of 3,302: ~11,500 paragraphs
SAMPLE_SEED = 0
BASELINE_ROUNDS = 3
ACTION_LIMIT_S = 60.0  # a reader who waits longer than this for a chart has given up: an error
# The seconds a reader spends on what was drawn before the next click are --think, or by
# default paced by the browser's CPU time measured alone (paced_think). Fixed pauses were the
# first settings: 1-3 s, then 5-15 s; bench/results/load-think1-3.json and load-fixed.json
# keep runs with them (and the 20-s arrival they had).
FIRST_VISITS = 2  # first visits alone in a fresh browser context, to pace the arrivals
# How often a session on the map picks each action next (Bench.choose); also the mix the
# paced pause assumes.
MIX = {"open": 3, "filter": 2, "select": 3, "download": 2}
BROWSER_NICE = 19  # the browsers' CPU priority below the server's: see niced_chromium
PAGES = ("map", "compare", "timeline", "framing", "clusters")
KINDS = tuple(f"open_{page}" for page in PAGES) + ("filter", "select", "download")
DOWNLOAD = "Download all filtered paragraphs (CSV)"
IN_VIEW = re.compile(r"^([\d,]+) paragraphs in view$")
SELECTED = re.compile(r"^([\d,]+) selected paragraphs$")
REBUILT = "If you had drawn a box or lasso on the earlier map, draw it again."


# The store ---------------------------------------------------------------------------------
def sample_order(corpus: Path) -> pd.DataFrame:
    """The corpus's articles in a seeded shuffled order: the store takes the first ones, the
    build during the load the next ones."""
    articles = pd.read_csv(corpus)
    return articles.sample(frac=1.0, random_state=SAMPLE_SEED).reset_index(drop=True)


def extra_count(n: int) -> int:
    """1% more articles (at least one)."""
    return max(1, round(n / 100))


def code_version() -> str:
    """A hash of what a build depends on besides its articles."""
    digest = hashlib.sha1()
    files = sorted([*(ROOT / "src" / "framing_atlas").rglob("*.py"),
                    *(ROOT / "data").glob("*.toml"), *(ROOT / "data" / "theme_models").rglob("*")])
    for path in files:
        if path.is_file():
            digest.update(str(path.relative_to(ROOT)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def prepare_store(corpus: Path, n: int, cache: Path, *, log=print) -> dict:
    """The load's store (built once under `cache`, reused while its sample and the code are the
    same), the articles kept aside for the build during the load, and how the store was made."""
    from framing_atlas.inputs.ingest import ingest
    from framing_atlas.pipeline.build import build_atlas
    from framing_atlas.pipeline.demo import seed_vector_cache
    from framing_atlas.settings import load_settings

    ordered = sample_order(corpus)
    extra = extra_count(n)
    if n < 20 or n + extra > len(ordered):
        raise SystemExit(f"--articles must be between 20 and {len(ordered) - extra_count(len(ordered))} "
                         f"for {corpus} ({len(ordered)} articles)")
    sample, aside = ordered.iloc[:n], ordered.iloc[n:n + extra]
    name = corpus.parent.name  # the corpus's folder: ukraine_war_media_2022, demo
    folder = cache / f"load-store-{name}-{n}"
    store = Store(folder / "store")
    key = {"corpus": str(corpus.name), "articles": n, "seed": SAMPLE_SEED,
           "sample": hashlib.sha1(pd.util.hash_pandas_object(sample, index=False).values
                                  .tobytes()).hexdigest()[:12],
           "code": code_version()}
    key_file = folder / "key.json"
    made = json.loads(key_file.read_text(encoding="utf-8")) if key_file.is_file() else {}
    folder.mkdir(parents=True, exist_ok=True)
    aside_file = folder / "aside.csv"  # under the cache folder, never in the repository
    aside.to_csv(aside_file, index=False)
    info = {"corpus": name, "articles": n, "aside": extra, "folder": str(folder)}
    if made.get("key") == key and store.current_build() is not None:
        log(f"store: reusing {store.root} (first build took {made['build_s']:.0f} s)")
        return {**info, "store": store, "aside_file": aside_file, "reused": True,
                "build_s": made["build_s"], "first_build_s": made.get("first_build_s")}
    settings = load_settings(base=ROOT).model_copy(update={"store": store.root})
    first = store.current_build() is None
    sample_file = folder / "sample.csv"
    sample.to_csv(sample_file, index=False)
    if (corpus.parent / "vectors.parquet").is_file():  # the demo corpus ships its vectors
        seed_vector_cache(store, corpus.parent / "vectors.parquet", settings.model)
    log(f"store: building {n} articles of {name} into {store.root} "
        + ("(first build: every paragraph is embedded)" if first
           else "(rebuild: sample or code changed; vectors come from the cache)"))
    started = time.perf_counter()
    merged, _ = ingest([sample_file], store.read_articles().iloc[0:0])
    store.write_articles(merged)
    build_atlas(settings, relayout=not first,
                progress=lambda done, total, what: log(f"  {what}") if done in (0, total) else None)
    seconds = round(time.perf_counter() - started, 1)
    first_s = seconds if first else made.get("first_build_s")
    key_file.write_text(json.dumps({"key": key, "build_s": seconds, "first_build_s": first_s},
                                   indent=2), encoding="utf-8")
    log(f"store: built in {seconds:.0f} s")
    return {**info, "store": store, "aside_file": aside_file, "reused": False,
            "build_s": seconds, "first_build_s": first_s}


# Share links -------------------------------------------------------------------------------
@dataclass(frozen=True)
class ViewParams:
    outlets: tuple[str, ...]
    since: str
    until: str
    theme: str

    def query(self) -> dict:
        return {"outlet": list(self.outlets), "since": self.since, "until": self.until,
                "theme": self.theme}

    def filters(self) -> Filters:
        return Filters(outlets=self.outlets, since=dt.date.fromisoformat(self.since),
                       until=dt.date.fromisoformat(self.until), themes=(self.theme,))


def share_views(paragraphs: pd.DataFrame, *, count: int = 24, seed: int = SAMPLE_SEED,
                min_rows: int = 30) -> list[ViewParams]:
    """Share links a reader could be sent: three of the larger outlets, a date range and a
    theme, each keeping at least `min_rows` paragraphs with every outlet among them."""
    rng = random.Random(seed)
    outlets = paragraphs[OUTLET].value_counts().index[:8].tolist()
    themes = [t for t, n in paragraphs[THEME].value_counts().items() if n >= min_rows]
    dated = paragraphs[PUBLISHED].dropna().sort_values()
    views: list[ViewParams] = []
    for _ in range(count * 50):
        if len(views) == count:
            break
        since = dated.iloc[int(rng.uniform(0.0, 0.4) * (len(dated) - 1))].date()
        until = dated.iloc[int(rng.uniform(0.6, 1.0) * (len(dated) - 1))].date()
        view = ViewParams(tuple(sorted(rng.sample(outlets, min(3, len(outlets))))),
                          since.isoformat(), until.isoformat(), rng.choice(themes))
        kept = paragraphs[filter_mask(paragraphs, view.filters())]
        per_outlet = kept[OUTLET].value_counts()
        if len(kept) >= min_rows and all(per_outlet.get(o, 0) >= 3 for o in view.outlets) \
                and view not in views:
            views.append(view)
    if not views:
        raise SystemExit("no share link keeps enough paragraphs in this store")
    return views


def expected_header(store: Store) -> str:
    """The first line of the CSV the map downloads (the export's columns) for this store."""
    from framing_atlas.views.filters import export_table, to_csv

    rows = store.read_table("paragraphs").head(1)
    csv = to_csv(export_table(rows, store.read_table("clusters")))
    return csv.decode("utf-8-sig").splitlines()[0]


# The browser -------------------------------------------------------------------------------
# Page coordinates of the map's most crowded cell (cells of `half` px, away from the edges), and
# how many drawn points it holds; null while there is no drawn map with points.
CROWD = """(half) => {
    const gd = [...document.querySelectorAll('[data-testid=stMain] .js-plotly-plot')]
        .find(g => g._fullData && g._fullLayout);
    if (!gd) return null;
    const L = gd._fullLayout, xa = L.xaxis, ya = L.yaxis, rect = gd.getBoundingClientRect();
    const ox = rect.left + L._size.l, oy = rect.top + L._size.t;
    // Not under Plotly's toolbar (top right, shown while the pointer is on the chart): a drag
    // that starts on it draws nothing, as a reader would see and start again elsewhere.
    const bar = gd.querySelector('.modebar'), mb = bar ? bar.getBoundingClientRect() : null;
    const clear = (x, y) => !mb || mb.width === 0 || x + 2 * half < mb.left
        || x - 2 * half > mb.right || y + 2 * half < mb.top || y - 2 * half > mb.bottom;
    const cells = new Map(); let best = null, most = 0;
    for (const t of gd._fullData) {
        if (!t.x || !t.y || t.visible !== true || !String(t.type).startsWith('scatter')) continue;
        if (t.marker && t.marker.opacity === 0) continue;  // the invisible cluster centres
        for (let i = 0; i < t.x.length; i++) {
            if (t.x[i] === null || t.y[i] === null) continue;
            const px = xa.c2p(t.x[i]), py = ya.c2p(t.y[i]);
            if (!(px > half && py > half && px < L._size.w - half && py < L._size.h - half)) continue;
            const cx = Math.floor(px / half), cy = Math.floor(py / half), key = cx + ',' + cy;
            const n = (cells.get(key) || 0) + 1;
            cells.set(key, n);
            const bx = (cx + 0.5) * half, by = (cy + 0.5) * half;
            if (n > most && clear(ox + bx, oy + by)) { most = n; best = [bx, by]; }
        }
    }
    if (!best) return null;
    return {x: ox + best[0], y: oy + best[1], inside: most};
}"""
POINTS = """() => { const gd = [...document.querySelectorAll('[data-testid=stMain] .js-plotly-plot')]
    .find(g => g._fullData && g.querySelector('canvas'));
    return gd ? gd._fullData.reduce((sum, t) => sum + (t._length || 0), 0) : -1; }"""
ERRORS = """() => {
    const boxes = [...document.querySelectorAll('[data-testid=stException]')]
        .map(e => e.innerText.trim());
    const body = document.body ? document.body.innerText : '';
    if (!boxes.length && body.includes('Traceback')) boxes.push('Traceback shown on the page');
    return boxes.map(t => t.replace(/\\s+/g, ' ').slice(0, 400));
}"""


class ActionError(Exception):
    """What went wrong in an action, as the report lists it."""


@dataclass
class Record:
    session: int
    phase: str  # "alone", "first" (a fresh browser context, alone), "load" or "check"
    kind: str
    started: float  # seconds since the load started (negative: before it)
    seconds: float | None = None
    error: str | None = None
    view: dict | None = None  # the filters in force, for the counts of both builds
    shown: int | None = None  # "N paragraphs in view" (map) or the downloaded rows
    new_urls: int | None = None  # rows of the articles the build during the load added
    redrawn: bool | None = None  # a selection drawn again: the page said a rebuild cleared it
    cpu_s: float | None = None  # alone and first visits: the browser's CPU time for it


@dataclass
class Session:
    """One reader: a browser context, what the page shows now, and a seeded RNG."""

    number: int
    page: object
    rng: random.Random
    on_map: bool = False
    view: ViewParams | None = None
    outlets: list[str] = field(default_factory=list)
    selected: bool = False


class Bench:
    def __init__(self, server: Server, views: list[ViewParams], header: str, aside_urls: set[str],
                 *, limit_s: float, t0: float) -> None:
        self.server, self.views, self.header, self.aside_urls = server, views, header, aside_urls
        self.limit_s, self.t0 = limit_s, t0
        self.think: tuple[float, float] = (0.0, 0.0)  # the readers' pause: drive() sets it
        self.records: list[Record] = []
        self.downloads = Path(tempfile.mkdtemp(prefix="framing-atlas-load-dl-"))

    # Waiting -------------------------------------------------------------------------------
    async def finished(self, page) -> None:
        """Streamlit's run is over (its "running" indicator gone), within the limit."""
        await page.wait_for_timeout(300)
        await page.locator(RUNNING).first.wait_for(state="hidden", timeout=self.limit_s * 1000)

    async def chart(self, page, started: float) -> None:
        left = self.limit_s - (time.perf_counter() - started)
        handle = await page.wait_for_function(
            f"() => {{ const c = ({FIRST_CHART})(); return c.error ? c : (c.drawn ? c : false); }}",
            polling=100, timeout=max(left, 0.1) * 1000)
        chart = await handle.json_value()
        if chart.get("error"):
            raise ActionError(f"exception shown: {chart['error'][:300]}")

    async def in_view(self, page) -> int | None:
        heading = page.get_by_text(IN_VIEW)
        if await heading.count() != 1:
            return None
        return int(IN_VIEW.match((await heading.inner_text()).strip()).group(1).replace(",", ""))

    async def check_page(self, page) -> None:
        shown = await page.evaluate(ERRORS)
        if shown:
            raise ActionError(f"exception shown: {shown[0]}")

    # Actions -------------------------------------------------------------------------------
    async def open(self, s: Session, name: str, view: ViewParams | None, record: Record) -> None:
        url = view_url(self.server, name, **(view.query() if view else {}))
        started = time.perf_counter()
        await s.page.goto(url, timeout=self.limit_s * 1000)
        await self.chart(s.page, started)
        record.seconds = time.perf_counter() - started
        await self.finished(s.page)
        s.on_map, s.view, s.selected = name == "map", view, False
        s.outlets = list(view.outlets) if view else []
        if name == "map":
            record.shown = await self.in_view(s.page)

    async def filter(self, s: Session, record: Record) -> None:
        before = await s.page.evaluate(POINTS)
        outlet = s.rng.choice(s.outlets)
        started = time.perf_counter()
        await s.page.get_by_role("button", name=f"Remove {outlet}").click(
            timeout=self.limit_s * 1000)
        left = self.limit_s - (time.perf_counter() - started)
        await s.page.wait_for_function(
            f"(old) => {{ const n = ({POINTS})(); return n > 0 && n !== old; }}", arg=before,
            polling="raf", timeout=max(left, 0.1) * 1000)
        record.seconds = time.perf_counter() - started
        await self.finished(s.page)
        s.outlets.remove(outlet)
        record.view = {**record.view, "outlet": list(s.outlets)}
        record.shown = await self.in_view(s.page)

    async def select(self, s: Session, record: Record) -> None:
        """A box or lasso around the crowd; if the page says a rebuild replaced the map it was
        drawn on (pages/map.py: Streamlit drops it with the old figure), drawn again, as the
        note asks: the time then covers both."""
        tool = s.rng.choice(["select", "lasso"])  # Plotly's box select or lasso
        heading, note = s.page.get_by_text(SELECTED), s.page.get_by_text(REBUILT)
        # A note still shown by an earlier run (a filter's run after the build was published)
        # is not about this box: marked, and only a note without the mark counts below.
        await note.evaluate_all("els => els.forEach(e => e.setAttribute('data-load-seen', '1'))")
        note = note.and_(s.page.locator(":not([data-load-seen])"))
        started = await self.draw(s, tool)
        await heading.or_(note).first.wait_for(timeout=self.limit_s * 1000)
        if not await heading.count():
            record.redrawn = True
            await self.finished(s.page)
            await self.draw(s, tool)
            left = self.limit_s - (time.perf_counter() - started)
            await heading.wait_for(timeout=max(left, 0.1) * 1000)
        record.seconds = time.perf_counter() - started
        picked = int(SELECTED.match((await heading.inner_text()).strip()).group(1)
                     .replace(",", ""))
        if picked == 0:
            raise ActionError(f"select: 0 paragraphs selected around the crowd ({tool})")
        s.selected = True
        await self.finished(s.page)

    async def draw(self, s: Session, tool: str) -> float:
        """Draw a box or lasso around the map's most crowded spot; the time the mouse let go."""
        graph = s.page.locator("[data-testid=stMain] .js-plotly-plot").first
        await graph.hover(timeout=self.limit_s * 1000)
        await graph.locator(f'.modebar-btn[data-val="{tool}"]').click(timeout=self.limit_s * 1000)
        crowd = await s.page.evaluate(CROWD, 30)
        if not crowd:
            raise ActionError("select: no drawn points on the map")
        x, y, r = crowd["x"], crowd["y"], 30
        if tool == "select":
            path = [(x - r, y - r), (x + r, y + r)]
        else:  # an octagon around the crowd
            path = [(x + r * math.cos(a * math.pi / 4), y + r * math.sin(a * math.pi / 4))
                    for a in range(9)]
        await s.page.mouse.move(*path[0])
        await s.page.mouse.down()
        for point in path[1:]:
            await s.page.mouse.move(*point, steps=6)
        started = time.perf_counter()
        await s.page.mouse.up()
        return started

    async def download(self, s: Session, record: Record) -> None:
        shown = await self.in_view(s.page)  # None while a selection is shown
        button = s.page.get_by_role("button", name=DOWNLOAD)
        # The file's fetch from Streamlit's /media route, to tell a file the server no longer
        # had (404) from a download the browser gave up.
        fetched: list[str] = []

        def media(response) -> None:
            if "/media/" in response.url:
                fetched.append(f"{response.status} {response.url.rsplit('/', 1)[-1][:24]}")

        s.page.on("response", media)
        started = time.perf_counter()
        try:
            async with s.page.expect_download(timeout=self.limit_s * 1000) as info:
                await button.click(timeout=self.limit_s * 1000)
            download = await info.value
            path = self.downloads / f"{s.number}-{len(self.records)}.csv"
            await download.save_as(path)  # waits until the file is complete
        except Exception as err:  # noqa: BLE001 (re-raised with what the server answered)
            failure = await download.failure() if "download" in locals() else None
            raise ActionError(f"download: {describe(err, self.limit_s)}; browser: {failure}; "
                              f"/media answers: {fetched or 'none'}") from None
        finally:
            s.page.remove_listener("response", media)
        record.seconds = time.perf_counter() - started
        with open(path, encoding="utf-8-sig", newline="") as file:
            header = file.readline().rstrip("\r\n")
        if header != self.header:
            raise ActionError(f"download: header {header[:120]!r} is not the export's "
                              f"{self.header[:120]!r}")
        rows = pd.read_csv(path, dtype=str, keep_default_na=False)
        path.unlink()
        if rows.empty:
            raise ActionError("download: no rows")
        if shown is not None and len(rows) != shown:
            raise ActionError(f"download: {len(rows)} rows, the page says {shown} in view")
        record.shown = len(rows)
        record.new_urls = int(rows[URL].str.lstrip("'").isin(self.aside_urls).sum())
        await self.finished(s.page)

    # Sessions ------------------------------------------------------------------------------
    def choose(self, s: Session) -> str:
        if not s.on_map:
            return "open"
        kinds = ["open"] + (["filter"] if len(s.outlets) >= 2 else []) + (
            ["select"] if not s.selected else []) + ["download"]
        return s.rng.choices(kinds, [MIX[kind] for kind in kinds])[0]

    async def act(self, s: Session, kind: str, phase: str, *, page_name: str | None = None,
                  view: ViewParams | None = None) -> Record:
        if kind == "open":
            page_name = page_name or s.rng.choice(["map", "map", "map", *PAGES[1:]])
            # The last check opens the whole map (no filter): its count is each build's size.
            view = view if view is not None or phase == "check" else s.rng.choice(self.views)
        record = Record(s.number, phase, f"open_{page_name}" if kind == "open" else kind,
                        round(time.perf_counter() - self.t0, 3))
        current = view if kind == "open" else s.view
        record.view = ({**current.query(), "outlet": list(view.outlets if kind == "open"
                                                           else s.outlets)}
                       if current else None)
        self.records.append(record)
        try:
            if kind == "open":
                await self.open(s, page_name, view, record)
            else:
                await getattr(self, kind)(s, record)
            await self.check_page(s.page)
        except Exception as err:  # noqa: BLE001 (every failure is counted, with its message)
            record.error = describe(err, self.limit_s)
            record.seconds = None if "timeout" in record.error else record.seconds
            s.on_map = False  # the next action opens a fresh link
        return record

    async def costed(self, s: Session, kind: str, phase: str, cpu, *, settle_ms: int,
                     **page) -> Record:
        """One action with the CPU time it cost the browser (`cpu`: the browser's CPU-seconds
        so far), what it still drew in the `settle_ms` after its result included."""
        before = cpu()
        record = await self.act(s, kind, phase, **page)
        await s.page.wait_for_timeout(settle_ms)
        record.cpu_s = round(cpu() - before, 3)
        return record

    async def pause(self, s: Session) -> None:
        """A reader's pause between actions, drawn from self.think by the session's RNG."""
        await asyncio.sleep(s.rng.uniform(*self.think))

    async def baseline(self, s: Session, rounds: int, cpu) -> None:
        """Each action `rounds` times by one session alone, before the load, with the CPU time
        each cost the browser (costed), what it drew after the result included (half a second
        more)."""
        async def alone(kind: str, **page) -> None:
            await self.costed(s, kind, "alone", cpu, settle_ms=500, **page)

        for round_ in range(rounds):
            view = self.views[round_ % len(self.views)]
            await alone("open", page_name="map", view=view)
            for kind in ("filter", "select", "download"):
                if s.on_map:
                    await alone(kind)
            for name in PAGES[1:]:
                await alone("open", page_name=name, view=view)

    async def reader(self, s: Session, until: float, *, delay: float = 0.0) -> None:
        """First a round that does every action once: a link to page number `s.number` (so
        the sessions open every page between them), the map, then its filter, selection and
        download in an order of the session's own; it is finished even past `until`, so each
        action is measured under load however slow the machine. Then actions drawn at random
        until `until`."""
        await asyncio.sleep(delay)  # readers arrive one after another, not in the same instant
        first = PAGES[(s.number - 1) % len(PAGES)]
        await self.act(s, "open", "load", page_name=first)
        await self.pause(s)
        if first != "map":
            await self.act(s, "open", "load", page_name="map")
            await self.pause(s)
        for kind in s.rng.sample(["filter", "select", "download"], 3):
            if not s.on_map:  # an error took the session off the map: back to a link
                await self.act(s, "open", "load", page_name="map")
                await self.pause(s)
            if s.on_map and (kind != "filter" or len(s.outlets) >= 2):
                await self.act(s, kind, "load")
                await self.pause(s)
        while time.perf_counter() < until:
            await self.act(s, self.choose(s), "load")
            await self.pause(s)


def describe(err: Exception, limit_s: float) -> str:
    text = " ".join(str(err).split())
    if "Timeout" in type(err).__name__ or "Timeout" in text[:40]:
        return f"timeout: not drawn within {limit_s:.0f} s ({text[:200]})"
    return f"{type(err).__name__}: {text[:300]}"


# Beside the sessions: the build, the memory -------------------------------------------------
class BuildBeside(threading.Thread):
    """`framing-atlas ingest` of the aside articles, then `framing-atlas build --store S`, in
    processes of their own, `delay` seconds after t0 (None: drive() sets it before start)."""

    def __init__(self, app: Path, store: Path, aside: Path, *, delay: float | None, t0: float,
                 timeout: float) -> None:
        super().__init__(daemon=True)
        self.app, self.store, self.aside = app, store, aside
        self.delay, self.t0, self.timeout = delay, t0, timeout
        self.result: dict = {"state": "not started"}
        self.process: subprocess.Popen | None = None
        self.stopping = threading.Event()

    def cli(self, *args: str) -> dict:
        started = time.perf_counter()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "framing_atlas.cli", *args, "--store", str(self.store)],
            cwd=self.app, env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            start_new_session=True)
        try:
            out, _ = self.process.communicate(timeout=self.timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            out, _ = self.process.communicate()
        return {"exit": self.process.returncode,
                "started_s": round(started - self.t0, 1),
                "finished_s": round(time.perf_counter() - self.t0, 1),
                "seconds": round(time.perf_counter() - started, 1),
                "output": [line for line in (out or "").splitlines()
                           if line.strip() and "%|" not in line][-4:]}  # no progress bars

    def run(self) -> None:
        if self.stopping.wait(max(self.delay - (time.perf_counter() - self.t0), 0)):
            return
        before = Store(self.store).manifest()["build_id"]
        self.result = {"state": "running", "build_before": before}
        self.result["ingest"] = self.cli("ingest", str(self.aside))
        if self.result["ingest"]["exit"] != 0 or self.stopping.is_set():
            self.result["state"] = "ingest failed"
            return
        self.result["build"] = self.cli("build")
        manifest = Store(self.store).manifest()
        self.result["build_after"] = manifest["build_id"]
        self.result["counts"] = manifest["counts"]
        self.result["placed"] = manifest.get("map", {}).get("placed")
        ok = self.result["build"]["exit"] == 0 and manifest["build_id"] != before
        self.result["state"] = "done" if ok else "failed"

    def stop(self) -> None:
        self.stopping.set()
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=20)


def stop_server(server: Server) -> None:
    try:
        server.stop()
    except subprocess.TimeoutExpired:  # it did not end on SIGTERM within 20 s
        server.process.kill()
        server.process.wait(timeout=20)
        server.log.close()


TICKS = os.sysconf("SC_CLK_TCK")


def processes() -> dict[int, tuple[int, int]]:
    """Every process: pid → (parent pid, CPU ticks used so far: user + system), from /proc."""
    found = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        found[int(stat.parent.name)] = (int(fields[1]), int(fields[11]) + int(fields[12]))
    return found


def tree(pid: int, table: dict[int, tuple[int, int]]) -> set[int]:
    """`pid` and all its descendants."""
    children: dict[int, list[int]] = {}
    for child, (parent, _) in table.items():
        children.setdefault(parent, []).append(child)
    out, todo = set(), [pid]
    while todo:
        current = todo.pop()
        if current in table and current not in out:
            out.add(current)
            todo.extend(children.get(current, []))
    return out


def parties(table: dict[int, tuple[int, int]], server_pid: int,
            builder: "BuildBeside") -> dict[str, set[int]]:
    """The processes of each party: the server, the build beside it (none before it starts),
    the bench itself, and its browser (every other process this bench started: Playwright's
    driver, Chromium)."""
    server = tree(server_pid, table)
    build = tree(builder.process.pid, table) if builder.process is not None else set()
    bench = {os.getpid()}
    return {"server": server, "build": build, "bench": bench,
            "browser": tree(os.getpid(), table) - server - build - bench}


def rss_mb(pids: set[int]) -> float:
    """Resident memory of these processes (VmRSS from /proc), in MB."""
    total = 0.0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) / 1024
        except OSError:
            continue
    return round(total, 1)


def busy_ticks() -> int:
    """CPU ticks the whole machine spent busy (all cores, not idle or waiting for I/O)."""
    fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    return sum(fields) - fields[3] - fields[4]


class Sampler(threading.Thread):
    """Every second: the server's memory (its process and children), and the CPU each party
    used since the last sample: the server, the build beside it, the bench's browser (every
    other process this bench started: Playwright's driver, Chromium) and everything else on
    the machine (other users of the same cores)."""

    def __init__(self, server: Server, builder: "BuildBeside") -> None:
        super().__init__(daemon=True)
        self.server_pid, self.url, self.builder = server.process.pid, server.url, builder
        self.health: dict[str, list[float]] = {}
        self.phase = "alone"
        self.memory: dict[str, list[float]] = {}
        self.cpu: dict[str, dict[str, float]] = {}
        self.stopping = threading.Event()
        self.seen: dict[int, int] = {pid: ticks for pid, (_, ticks) in processes().items()}
        self.busy, self.clock = busy_ticks(), time.perf_counter()

    def sample(self) -> None:
        table = processes()
        groups = parties(table, self.server_pid, self.builder)
        used = {party: 0 for party in groups}
        for pid, (_, ticks) in table.items():
            # A process seen before counts from then; a new one from its start.
            spent, self.seen[pid] = ticks - self.seen.get(pid, 0), ticks
            party = next((party for party, pids in groups.items() if pid in pids), None)
            if party:
                used[party] += spent
        busy, clock = busy_ticks(), time.perf_counter()
        phase = self.cpu.setdefault(self.phase, {"wall_s": 0.0, "server": 0.0, "build": 0.0,
                                                 "browser": 0.0, "bench": 0.0, "busy": 0.0})
        phase["wall_s"] += clock - self.clock
        for party, ticks in used.items():
            phase[party] += ticks / TICKS
        phase["busy"] += (busy - self.busy) / TICKS
        self.busy, self.clock = busy, clock
        self.memory.setdefault(self.phase, []).append(rss_mb(groups["server"]))

    def run(self) -> None:
        while not self.stopping.wait(1.0):
            self.sample()
            self.probe()

    def probe(self) -> None:
        """How long the server takes to answer its health check: a server whose event loop
        is starved answers late, one waiting for its browsers answers at once."""
        import urllib.request

        started = time.perf_counter()
        try:
            with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=10) as answer:
                answer.read()
            seconds = time.perf_counter() - started
        except OSError:
            seconds = 10.0
        self.health.setdefault(self.phase, []).append(seconds)

    def health_summary(self) -> dict:
        return {phase: {"p50_s": percentile(values, 50), "p95_s": percentile(values, 95),
                        "max_s": round(max(values), 3), "probes": len(values)}
                for phase, values in self.health.items() if values}

    def memory_summary(self) -> dict:
        return {phase: {"peak_mb": max(values), "median_mb": round(statistics.median(values), 1),
                        "samples": len(values)}
                for phase, values in self.memory.items() if values}

    def cpu_summary(self) -> dict:
        """Cores each party kept busy on average in each phase (CPU seconds / wall seconds);
        `others`: the machine's busy time no process of this bench accounts for."""
        out = {}
        for phase, used in self.cpu.items():
            wall = max(used["wall_s"], 1e-9)
            ours = used["server"] + used["build"] + used["browser"] + used["bench"]
            out[phase] = {"wall_s": round(wall, 1),
                          **{party: round(used[party] / wall, 2)
                             for party in ("server", "build", "browser", "bench")},
                          "others": round(max(used["busy"] - ours, 0.0) / wall, 2),
                          "machine_busy": round(used["busy"] / wall, 2),
                          "cores": os.cpu_count()}
        return out


# The run -----------------------------------------------------------------------------------
def niced_chromium(nice: int, folder: Path) -> Path:
    """Chromium started at CPU priority `nice`: the browsers stand for visitors' machines, so
    on this one they take the cores the server leaves, instead of twenty renderer processes
    outweighing the one server process twenty to one.

    Run as root, Chromium raises its own threads' priority (nice 0, and -8 for its display
    and I/O threads, seen with `ps -L`), above a server started under `nice`: setpriv takes
    that right (CAP_SYS_NICE) from it, so the niceness it is given holds."""
    if nice <= 0:
        return CHROMIUM
    drop = ("setpriv --inh-caps=-sys_nice --bounding-set=-sys_nice "
            if shutil.which("setpriv") and os.geteuid() == 0 else "")
    wrapper = folder / "chromium"
    wrapper.write_text(f'#!/bin/sh\nexec {drop}nice -n {nice} {CHROMIUM} "$@"\n',
                       encoding="utf-8")
    wrapper.chmod(0o755)
    return wrapper


def browser_ticks(server: Server, builder: BuildBeside) -> int:
    """CPU ticks used so far by the bench's browser (parties)."""
    table = processes()
    return sum(table[pid][1] for pid in parties(table, server.process.pid, builder)["browser"])


def paced_ramp(sessions: int, first_cpu_s: float, cores: float) -> float:
    """Seconds over which the sessions arrive so that the work their first pages give the
    browser (measured alone: first_cpu_s CPU-seconds each, with a fresh context that has
    nothing cached) fits the cores the browsers have."""
    return float(math.ceil(sessions * first_cpu_s / cores))


def paced_think(sessions: int, cpu_s: dict[str, float], alone_s: dict[str, float],
                cores: float) -> dict:
    """The readers' pause that puts `sessions` readers at the knee of the browsers' capacity.

    The browsers are the bottleneck of this bench (they stand for the visitors' machines, and
    share these cores); an action costs them D = cpu_s (CPU-seconds, alone, the MIX's mean)
    and takes R = alone_s seconds alone. By the operational laws of a closed system (Denning
    and Buzen), N readers pausing Z seconds saturate the browsers' `cores` from
    N* = (Z + R) / (D / cores) on; the pause with N* = sessions is Z = sessions * D / cores - R.
    Shorter pauses queue the actions for the browsers' CPU, and the latencies then measure
    this machine rather than the server. Drawn uniformly from [Z/2, 3Z/2] (mean Z)."""
    weight = sum(MIX.values())
    demand = sum(MIX[kind] * cpu_s[kind] for kind in MIX) / weight
    alone = sum(MIX[kind] * alone_s[kind] for kind in MIX) / weight
    mean = round(max(sessions * demand / cores - alone, 1.0), 1)
    return {"think_s": [round(mean / 2, 1), round(mean * 1.5, 1)], "think_mean_s": mean,
            "action_cpu_s": round(demand, 3), "action_alone_s": round(alone, 3),
            "browser_cpu_s_by_action": {kind: round(cpu_s[kind], 3) for kind in MIX},
            "cores_for_browsers": round(cores, 2)}


def alone_medians(records: list[Record], field: str) -> dict[str, float]:
    """The median of `field` (cpu_s or seconds) per kind of the MIX (the open_* pages
    together) over the actions done alone without error."""
    out = {}
    for kind in MIX:
        values = [getattr(r, field) for r in records if r.phase == "alone" and not r.error
                  and getattr(r, field) is not None
                  and (r.kind.startswith("open_") if kind == "open" else r.kind == kind)]
        out[kind] = statistics.median(values) if values else 0.0
    return out


async def first_visits(bench: Bench, browser, cpu, rounds: int) -> dict:
    """A visitor's first page, alone: a share link of the map in a fresh browser context
    (nothing cached: Streamlit's and Plotly's scripts are fetched and compiled again), timed as
    under load, with the CPU time the browser spent on it (Bench.costed, `cpu` as there)."""
    cpu_s, seconds = [], []
    for i in range(rounds):
        context = await browser.new_context(viewport=VIEWPORT)
        s = Session(-(i + 1), await context.new_page(), random.Random(SAMPLE_SEED))
        # Settled a second: what the page still draws after its first chart.
        record = await bench.costed(s, "open", "first", cpu, settle_ms=1000, page_name="map",
                                    view=bench.views[i % len(bench.views)])
        await context.close()
        if record.error:
            raise RuntimeError(f"a first visit alone failed: {record.error}")
        cpu_s.append(record.cpu_s)
        seconds.append(record.seconds)
    return {"visits": rounds, "browser_cpu_s": round(statistics.median(cpu_s), 2),
            "wall_p50_s": round(statistics.median(seconds), 3)}


async def drive(bench: Bench, *, sessions: int, seconds: float, ramp: float | None,
                rounds: int, nice: int, think: tuple[float, float] | None,
                builder: BuildBeside, memory: Sampler, log) -> dict:
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        chromium = niced_chromium(nice, bench.downloads)
        browser = await playwright.chromium.launch(executable_path=str(chromium), headless=True,
                                                   args=FLAGS)
        try:
            context = await browser.new_context(viewport=VIEWPORT)
            alone = Session(0, await context.new_page(), random.Random(SAMPLE_SEED))
            # Untimed: the first reader loads the build into the server's caches.
            await alone.page.goto(view_url(bench.server, "map"), timeout=300_000)
            await alone.page.wait_for_function(f"() => ({POINTS})() > 0", timeout=300_000)
            log(f"alone: one session, each action {rounds} times")

            def cpu() -> float:  # the browser's CPU-seconds so far
                return browser_ticks(bench.server, builder) / TICKS

            await bench.baseline(alone, rounds, cpu)
            await context.close()
            first = await first_visits(bench, browser, cpu, FIRST_VISITS)
            # The cores the browsers have: the machine's, less what the server used while one
            # session worked alone.
            alone_cpu = memory.cpu_summary()["alone"]
            cores = alone_cpu["cores"] - alone_cpu["server"]
            pacing = paced_think(sessions, alone_medians(bench.records, "cpu_s"),
                                 alone_medians(bench.records, "seconds"), cores)
            bench.think = tuple(think) if think is not None else tuple(pacing["think_s"])
            paced = ramp is None
            if paced:
                ramp = paced_ramp(sessions, first["browser_cpu_s"], cores)
            if builder.delay is None:  # when the last session has arrived
                builder.delay = ramp
            log(f"first visit alone: {first['wall_p50_s']:.1f} s, {first['browser_cpu_s']:.1f} "
                f"CPU-s of the browser; an action alone: {pacing['action_cpu_s']:.2f} CPU-s; "
                f"load: {sessions} sessions arriving over {ramp:.0f} s"
                f"{' (paced)' if paced else ''}, then all of them for {seconds:.0f} s, pausing "
                f"{bench.think[0]:g}-{bench.think[1]:g} s"
                f"{' (paced)' if think is None else ''}; the build starts "
                f"{builder.delay:.0f} s in")
            contexts = [await browser.new_context(viewport=VIEWPORT) for _ in range(sessions)]
            readers = [Session(i + 1, await c.new_page(), random.Random(SAMPLE_SEED * 1000 + i + 1))
                       for i, c in enumerate(contexts)]
            bench.t0 = time.perf_counter()
            builder.t0 = bench.t0
            memory.phase = "load"
            builder.start()
            until = bench.t0 + ramp + seconds
            try:  # the first rounds and the last actions may outlast `until`; each
                  # action waits at most 2 x limit_s (its result, then the run's end)
                await asyncio.wait_for(
                    asyncio.gather(*(bench.reader(r, until, delay=ramp * i / len(readers))
                                     for i, r in enumerate(readers))),
                    timeout=ramp + seconds + 14 * bench.limit_s + 60)
            except asyncio.TimeoutError:
                for record in bench.records:
                    if record.seconds is None and record.error is None:
                        record.error = "timeout: still running when the load phase's bound passed"
            ended = time.perf_counter() - bench.t0
            memory.phase = "after"
            for c in contexts:
                await c.close()
            # The build may outlast the sessions: wait for it (bounded), then check once more
            # that a share link shows the build it made.
            await asyncio.to_thread(builder.join, builder.timeout * 2 + 30)
            context = await browser.new_context(viewport=VIEWPORT)
            check = Session(sessions + 1, await context.new_page(), random.Random(0))
            await bench.act(check, "open", "check", page_name="map", view=None)
            await context.close()
            return {"load_ended_s": round(ended, 1), "ramp_s": ramp,
                    "ramp_rule": (f"paced: {sessions} sessions x {first['browser_cpu_s']} "
                                  f"CPU-s of a first visit alone / {cores:.2f} cores"
                                  if paced else "given (--ramp)"),
                    "first_visit_alone": first, "build_after_s": builder.delay,
                    "think_s": list(bench.think),
                    "think_rule": "paced (paced_think)" if think is None else "given (--think)",
                    "pacing": pacing}
        finally:
            await browser.close()


def percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    rank = max(math.ceil(q / 100 * len(ordered)) - 1, 0)  # nearest rank
    return round(ordered[rank], 3)


def which_build(records: list[Record], builds: dict[str, pd.DataFrame]) -> dict:
    """Each record's count matched against each build's count for its filters."""
    def count(paragraphs: pd.DataFrame, view: dict | None) -> int:
        if not view:
            return len(paragraphs)
        filters = Filters(outlets=tuple(view["outlet"]),
                          since=dt.date.fromisoformat(view["since"]),
                          until=dt.date.fromisoformat(view["until"]), themes=(view["theme"],))
        return int(filter_mask(paragraphs, filters).sum())

    out = []
    for record in records:
        if record.shown is None or record.error:
            continue
        counts = {name: count(paragraphs, record.view) for name, paragraphs in builds.items()}
        matches = [name for name, n in counts.items() if n == record.shown]
        out.append({"record": record, "counts": counts,
                    "build": matches[0] if len(matches) == 1 else
                    ("either" if matches else "neither")})
    return out


def summarise(records: list[Record], builds: dict[str, pd.DataFrame], builder: dict,
              limit_s: float) -> dict:
    alone = {k: [r.seconds for r in records if r.phase == "alone" and r.kind == k
                 and r.seconds is not None and not r.error] for k in KINDS}
    load = [r for r in records if r.phase == "load"]
    actions = {}
    for kind in KINDS:
        mine = [r for r in load if r.kind == kind]
        times = [r.seconds for r in mine if r.seconds is not None and not r.error]
        base = statistics.median(alone[kind]) if alone[kind] else None
        p95 = percentile(times, 95)
        actions[kind] = {"n": len(mine), "errors": sum(bool(r.error) for r in mine),
                         "alone_n": len(alone[kind]),
                         "alone_p50_s": round(base, 3) if base else None,
                         "p50_s": percentile(times, 50), "p95_s": p95,
                         "max_s": round(max(times), 3) if times else None,
                         "p95_over_alone_p50": round(p95 / base, 2) if p95 and base else None}
    errors = [r for r in records if r.error]
    shown = which_build(records, builds)
    switch: dict = {"state": builder.get("state")}
    published = (builder.get("build") or {}).get("finished_s")
    started = (builder.get("ingest") or {}).get("started_s")
    if "new" in builds and published is not None:
        # The load's records and the last check count their start from the load's start, as
        # the build's times do; those before it (alone, first visits) all showed the old build.
        timed = [s for s in shown if s["record"].phase in ("load", "check")]
        after = [s for s in timed if s["record"].started > published
                 and s["counts"]["old"] != s["counts"]["new"]]
        before = [s for s in timed if s["record"].started + (s["record"].seconds or 0)
                  < (builder.get("build") or {}).get("started_s", 0)
                  and s["counts"]["old"] != s["counts"]["new"]]
        # Actions under way at some moment of the ingest and build (an error counts as under
        # way until the load ended).
        during = [r for r in load if started is not None and r.started <= published
                  and (r.seconds is None or r.started + r.seconds >= started)]
        check = [s for s in shown if s["record"].phase == "check"]
        switch.update({
            "actions_during_the_build": len(during),
            "errors_while_building": sum(bool(r.error) for r in during),
            "shown_after_publish": len(after),
            "showing_new_build": sum(s["build"] == "new" for s in after),
            # What the others were: a download starts no run, so it gives the rows of the
            # page's last run, which may have been before the build was published.
            "not_new_after_publish_by_action": dict(collections.Counter(
                s["record"].kind for s in after if s["build"] != "new")),
            "shown_before_build": len(before),
            "showing_old_build": sum(s["build"] == "old" for s in before),
            "check_link_shows_new": bool(check) and check[0]["build"] == "new",
            "counts_matching_neither_build": sum(s["build"] == "neither" for s in shown),
            "selections_drawn_again_after_the_rebuild_note": sum(
                bool(r.redrawn) for r in records),
            "downloads_with_new_articles_after_publish": sum(
                1 for s in timed if s["record"].kind == "download" and s["record"].new_urls
                and s["record"].started > published),
        })
        # Every action that ran the page after the build was published showed the new build
        # (a download runs nothing: it shows its page's last run).
        switch["switched"] = (set(switch["not_new_after_publish_by_action"]) <= {"download"}
                              and switch["check_link_shows_new"]
                              and switch["counts_matching_neither_build"] == 0)
    return {"records": [{**{k: v for k, v in asdict(r).items() if v is not None and k != "view"},
                         "build": next((s["build"] for s in shown if s["record"] is r), None)}
                        for r in records],
            "actions": actions,
            "total_actions": len(load),
            "errors": len(errors),
            "error_kinds": {k: sum(1 for r in errors if (r.error or "").startswith(k))
                            for k in ("timeout", "exception shown", "download")},
            "first_errors": [f"{r.phase} session {r.session} {r.kind} at {r.started:.0f} s: "
                             f"{r.error}" for r in errors[:8]],
            "switch": switch}


def run(*, sessions: int, seconds: float, articles: int, corpus: Path, cache: Path,
        rounds: int = BASELINE_ROUNDS, limit_s: float = ACTION_LIMIT_S,
        build_after: float | None = None, ramp: float | None = None,
        browser_nice: int = BROWSER_NICE, think: tuple[float, float] | None = None,
        log=print) -> dict:
    """Prepare the store, serve a copy of it, drive the sessions with a build beside; the report."""
    made = prepare_store(corpus, articles, cache, log=log)
    source: Store = made["store"]
    old_build = source.manifest()["build_id"]
    old = source.read_table("paragraphs")
    views = share_views(old)
    header = expected_header(source)
    aside_urls = set(pd.read_csv(made["aside_file"])[URL].astype(str))
    loadavg = os.getloadavg()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="framing-atlas-load-") as tmp:
        (Path(tmp) / "app").mkdir()
        folder = app_copy(Path(tmp) / "app")
        store_root = Path(tmp) / "store"
        shutil.copytree(source.root, store_root)
        server = builder = memory = None
        bench = None
        try:
            server = Server(folder, {"FRAMING_ATLAS_STORE": str(store_root),
                                     "FRAMING_ATLAS_READ_ONLY": "false"})
            builder = BuildBeside(folder, store_root, made["aside_file"], delay=build_after,
                                  t0=time.perf_counter(), timeout=max(600.0, seconds * 3))
            memory = Sampler(server, builder)
            memory.start()
            bench = Bench(server, views, header, aside_urls, limit_s=limit_s,
                          t0=time.perf_counter())
            # Bounded: each action waits at most limit_s, the load phase and the build's wait
            # have their own bounds, and this caps the whole (the browser is closed on the way).
            timing = asyncio.run(asyncio.wait_for(
                drive(bench, sessions=sessions, seconds=seconds, ramp=ramp, rounds=rounds,
                      nice=browser_nice, think=think, builder=builder,
                      memory=memory, log=log),
                timeout=seconds + 2 * builder.timeout + 30 * limit_s + 600))
            store = Store(store_root)
            builds = {"old": old}
            if builder.result.get("state") == "done":
                builds["new"] = store.read_table("paragraphs")
            summary = summarise(bench.records, builds, builder.result, limit_s)
            server_alive = server.process.poll() is None
        finally:
            if builder is not None:
                builder.stop()
            if memory is not None:
                memory.stopping.set()
            if server is not None:
                stop_server(server)
                # Kept beside the store for a closer look (out of git).
                shutil.copy(folder / "streamlit.log", cache / "load-streamlit.log")
            if bench is not None:
                shutil.rmtree(bench.downloads, ignore_errors=True)
    build = builder.result
    server_log = (cache / "load-streamlit.log").read_text(encoding="utf-8", errors="replace")
    return {
        "what": "concurrent readers of one dashboard while a build runs beside it: each "
                "action timed until what the reader waits for is drawn (chart, redrawn map, "
                "selection heading, saved file); the baseline is one reader alone on the same "
                "server in the same run",
        "command": "python bench/load.py" + (f" --sessions {sessions}" if sessions != 20 else "")
                   + (f" --seconds {seconds:g}" if seconds != 180 else "")
                   + (f" --articles {articles}" if articles != ARTICLES else "")
                   + (f" --ramp {ramp:g}" if ramp is not None else "")
                   + (f" --build-after {build_after:g}" if build_after is not None else "")
                   + (f" --think {think[0]:g},{think[1]:g}" if think is not None else ""),
        "store": {"corpus": made["corpus"], "articles": articles,
                  "paragraphs": len(old), "outlets": int(old[OUTLET].nunique()),
                  "build": old_build, "reused": made["reused"],
                  "first_build_s": made["first_build_s"], "last_build_s": made["build_s"]},
        "sessions": sessions, "seconds": seconds, "action_limit_s": limit_s,
        "browser_nice": browser_nice, "baseline_rounds": rounds, "share_links": len(views),
        **summary,
        "server_memory": memory.memory_summary(),
        "cpu_cores_used": memory.cpu_summary(),
        "server_health_check": memory.health_summary(),
        "server_alive_at_end": server_alive,
        # Server-side errors: what Streamlit logged (a page's exception is also shown on it).
        "server_log_tracebacks": server_log.count("Traceback"),
        "server_log_first": [block[:600] for block in server_log.split("Traceback")[1:3]],
        "build_beside": {"state": build.get("state"), "aside_articles": made["aside"],
                         "started_s": (build.get("ingest") or {}).get("started_s"),
                         "ingest_s": (build.get("ingest") or {}).get("seconds"),
                         "build_s": (build.get("build") or {}).get("seconds"),
                         "published_s": (build.get("build") or {}).get("finished_s"),
                         "exit": (build.get("build") or {}).get("exit"),
                         "build_before": build.get("build_before"),
                         "build_after": build.get("build_after"),
                         "paragraphs_after": (build.get("counts") or {}).get("paragraphs"),
                         "embedded": (build.get("counts") or {}).get("embedded"),
                         "placed": build.get("placed"),
                         "output": ((build.get("build") or build.get("ingest") or {})
                                    .get("output", []))},
        **timing,
        "wall_s": round(time.perf_counter() - started, 1),
        "machine": {"cpus": os.cpu_count(), "python": sys.version.split()[0],
                    "load_average_at_start": [round(v, 2) for v in loadavg]},
    }


def cell(value, fmt: str = "{:.2f}") -> str:
    """A table cell: the value formatted, or "-" where there is none."""
    return fmt.format(value) if value is not None else "-"


def table(report: dict) -> str:
    first = report["first_visit_alone"]
    lines = [f"{report['sessions']} sessions arriving over {report['ramp_s']:g} s "
             f"({report['ramp_rule']}), then all of them for {report['seconds']:g} s, on "
             f"{report['store']['paragraphs']:,} paragraphs ({report['store']['articles']} "
             f"articles of {report['store']['corpus']}); a build beside: "
             f"{report['build_beside']['state']}; a first visit alone (fresh browser "
             f"context): {first['wall_p50_s']:.2f} s, {first['browser_cpu_s']:.2f} CPU-s of "
             f"the browser; an action alone (the mix's mean): "
             f"{report['pacing']['action_cpu_s']:.2f} CPU-s; pauses {report['think_s'][0]:g}-"
             f"{report['think_s'][1]:g} s ({report['think_rule']})",
             "| action | alone p50 s | n | p50 s | p95 s | p95 / alone p50 | errors |",
             "|---|---|---|---|---|---|---|"]

    for kind, a in report["actions"].items():
        lines.append(f"| {kind} | {cell(a['alone_p50_s'])} | {a['n']} | {cell(a['p50_s'])} | "
                     f"{cell(a['p95_s'])} | {cell(a['p95_over_alone_p50'], '×{:.1f}')} | "
                     f"{a['errors']} |")
    memory = report["server_memory"]
    lines.append(f"errors: {report['errors']} of {report['total_actions']} actions"
                 + "".join(f"\n  {m}" for m in report["first_errors"]))
    lines.append("server memory (MB): " + ", ".join(
        f"{phase} peak {m['peak_mb']:.0f} median {m['median_mb']:.0f}"
        for phase, m in memory.items()))
    lines.append("CPU, cores kept busy on average (of {}): ".format(os.cpu_count()) + "; ".join(
        f"{phase}: " + ", ".join(f"{party} {c[party]:.2f}" for party in
                                 ("server", "browser", "build", "bench", "others"))
        for phase, c in report["cpu_cores_used"].items()))
    lines.append("the server's health check answered in (s): " + "; ".join(
        f"{phase}: p50 {h['p50_s']:.3f}, p95 {h['p95_s']:.3f}, max {h['max_s']:.3f}"
        for phase, h in report["server_health_check"].items()))
    b = report["build_beside"]
    lines.append(f"build beside: {b['state']}, started {b['started_s']} s in, ingest "
                 f"{b['ingest_s']} s, build {b['build_s']} s, published {b['published_s']} s in; "
                 f"switch: {json.dumps(report['switch'])}")
    return "\n".join(lines)


def markdown_error(message: str) -> str:
    """An error line of the report, cut before Playwright's call log, as Markdown code."""
    short = message.split(" Call log:")[0].split(" (Page.")[0].split(" (Locator.")[0]
    return "`" + short.replace("`", "'") + "`"


def readme_block(report: dict) -> str:
    """The README's Deploy figures: sessions, actions, errors, p95 per action against one
    session alone, the server's memory and the build beside (bench/readme.py)."""
    store, build = report["store"], report["build_beside"]
    memory = report["server_memory"]
    first = report["first_visit_alone"]
    lines = [f"{report['sessions']} browser sessions on {store['paragraphs']:,} paragraphs "
             f"({store['articles']:,} articles of {store['corpus']}), arriving one after "
             f"another over {report['ramp_s']:g} s ({report['ramp_rule'].split(':')[0]}), then "
             f"all of them together for {report['seconds']:g} s, each pausing "
             f"{report['think_s'][0]:g} to {report['think_s'][1]:g} s between actions "
             f"({report['think_rule'].split(' ')[0]}), while `framing-atlas ingest` and `build` "
             f"added {build.get('aside_articles', '?')} articles beside them (build "
             f"{build['state']}, started {build.get('started_s', '-')} s and published "
             f"{build.get('published_s', '-')} s in). A first visit alone, in a browser with "
             f"nothing cached, drew the map in {first['wall_p50_s']:.1f} s. "
             f"**Errors: {report['errors']} of "
             f"{report['total_actions']:,} actions.** Server memory: peak "
             f"{memory['alone']['peak_mb']:.0f} MB with one session, "
             f"{memory['load']['peak_mb']:.0f} MB under load. Under load the server kept "
             f"{report['cpu_cores_used']['load']['server']:.2f} cores busy on average and the "
             f"browsers {report['cpu_cores_used']['load']['browser']:.2f} (of "
             f"{report['cpu_cores_used']['load']['cores']}); the server answered its health "
             f"check in {report['server_health_check']['load']['p95_s']:.2f} s at p95.",
             "",
             "| action | times | p50 s | p95 s | p95 against one session's p50 alone | errors |",
             "|---|---|---|---|---|---|"]

    for kind, a in report["actions"].items():
        lines.append(f"| {kind.replace('_', ' ')} | {a['n']} | {cell(a['p50_s'])} | "
                     f"{cell(a['p95_s'])} | {cell(a['p95_over_alone_p50'], '{:.1f}×')} | "
                     f"{a['errors']} |")
    if report["first_errors"]:
        lines += ["", "Errors:"] + [f"- {markdown_error(e)}" for e in report["first_errors"]]
    switch = report["switch"]
    others = switch.get("not_new_after_publish_by_action") or {}
    lines += ["", f"Of the {switch['shown_after_publish']} actions begun after the build was "
                  f"published (on views whose count differs between the builds), "
                  f"{switch['showing_new_build']} showed the new build"
                  + (" and the others the old one: " + ", ".join(
                      f"{n} {kind.replace('_', ' ')}" for kind, n in sorted(others.items()))
                     + " (a download starts no run: it gives the rows of the page's last run)"
                     if others else "")
                  + f". {switch['counts_matching_neither_build']} showed a count matching "
                  "neither build."]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=20, help="concurrent browser sessions")
    parser.add_argument("--seconds", type=float, default=180, help="how long they run")
    parser.add_argument("--articles", type=int, default=ARTICLES,
                        help=f"articles in the store (default {ARTICLES}; 1%% more are added "
                             "by the build during the load)")
    parser.add_argument("--out", type=Path, default=RESULTS, help="where the JSON goes")
    parser.add_argument("--corpus", type=Path, default=SHARED_CORPUS,
                        help="article table to sample (default: ukraine_war_media_2022)")
    parser.add_argument("--cache", type=Path, default=CACHE,
                        help="folder of the built store, reused by later runs")
    parser.add_argument("--rounds", type=int, default=BASELINE_ROUNDS,
                        help="times each action is done alone before the load (baseline)")
    parser.add_argument("--limit", type=float, default=ACTION_LIMIT_S,
                        help="seconds an action may wait before it counts as an error")
    parser.add_argument("--ramp", type=float, default=None,
                        help="seconds over which the sessions arrive (default: paced by the "
                             "browser's CPU time for a first visit alone; see step 5 above)")
    parser.add_argument("--browser-nice", type=int, default=BROWSER_NICE,
                        help="CPU priority of the browsers below the server's (default "
                             f"{BROWSER_NICE}; 0: the same as the server's)")
    parser.add_argument("--think", default=None,
                        help="seconds a reader waits between actions, drawn between MIN,MAX "
                             "(default: paced by the browser's CPU time per action alone; "
                             "see paced_think)")
    parser.add_argument("--build-after", type=float, default=None,
                        help="seconds into the load the build starts (default: when the last "
                             "session has arrived)")
    args = parser.parse_args(argv)
    if not CHROMIUM.exists():
        sys.exit("needs Debian's chromium at /usr/bin/chromium (apt-get install chromium)")
    if not args.corpus.is_file():
        sys.exit(f"corpus not found: {args.corpus} (../shared/data is needed)")
    report = run(sessions=args.sessions, seconds=args.seconds, articles=args.articles,
                 corpus=args.corpus.resolve(), cache=args.cache.resolve(), rounds=args.rounds,
                 limit_s=args.limit,
                 build_after=args.build_after, ramp=args.ramp, browser_nice=args.browser_nice,
                 think=(tuple(float(t) for t in args.think.split(","))
                        if args.think else None))
    # Every action, for a closer look: beside the store, out of git (bench/results/cache).
    records = args.cache / "load-actions.json"
    records.write_text(json.dumps(report.pop("records"), indent=1) + "\n", encoding="utf-8")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(table(report))
    print(f"written to {args.out}")
    return report


if __name__ == "__main__":
    main()
