"""The dashboard at 1k, 100k and 1M paragraphs: what a user waits for, page by page, in Chromium.

    python bench/dashboard_scale.py [--sizes 1000,100000,1000000] [--pages map,compare]
                                    [--repeat 3] [--timeout 120]
    python bench/dashboard_scale.py --table     # the table of bench/results/dashboard_scale.json

Takes long (the 1M store is made once, then every page is opened at every size); not in CI.

1. A source build: a sample of ../shared/data/ukraine_war_media_2022 (SAMPLE_PER_OUTLET articles
   of each outlet) ingested and built with the bundled model, as `framing-atlas build` does (the
   bundled demo corpus instead when the shared data is absent). Made once, cached.
2. A synthetic store of N paragraphs per size, made from that build (see `synthetic_tables`):
   each synthetic article is a copy of a source article, all its paragraphs in order (text,
   themes, scores, axes, language, copies), given one of ~40 outlets (a few large, many small),
   a date in a two-year window, its own id, title and url; each paragraph's map position is its
   source paragraph's, shifted to one of a few tiles of the map and jittered, and its cluster is
   the source cluster in that tile, so the map has ~40 labelled clusters. The copies keep the
   source's syndication flags: the same text in several outlets is not marked as a copy. Written with
   Store.publish_build, like a real build (paragraphs, clusters, centroids, themes, axes,
   manifest), and cached. Nothing of it is written into the repository: the stores live in
   FRAMING_ATLAS_SCALE_CACHE (default: <tmp>/framing-atlas-scale).
3. For each size, `streamlit run app.py` on a fresh copy of the app with FRAMING_ATLAS_STORE set
   to that store (one server per size, stopped before the next), and for each page:
   - first view: from page.goto (a share link listing every outlet, which keeps every
     paragraph) until the page's first chart in the main area is drawn (a Plotly graph laid out,
     with its WebGL canvas if it has one; an image loaded; a Vega chart drawn);
   - filter change: from removing the largest outlet's chip in the sidebar (in run k of
     --repeat, the k-th largest: a view no cache has seen) until that first
     chart is drawn again with different content (its traces' lengths, the image, the Vega
     marks), or, where the filter leaves its content as it was, drawn again by the new run
     (recorded as changed: false); not until a heading or a status line changes;
   - complete_s: for both, until Streamlit's "running" indicator is gone (the rest of the page);
   - server memory: resident memory (VmRSS) of the streamlit process after each page (pages
     share the server, in the order given, so it accumulates), and its peak (VmHWM), from /proc.
   A page that does not draw within --timeout seconds is recorded as such, or with the error it
   shows (an exception, e.g. Streamlit's MessageSizeError), and the bench moves on.

Writes bench/results/dashboard_scale.json and prints the table, each figure with its ratio to
the smallest size measured in the same run (timings on this shared machine are noisy; ratios
within a run are what compare).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script: `bench.dashboard` is importable from the root
    sys.path.insert(0, str(ROOT))
if str(ROOT / "src") not in sys.path:
    sys.path.insert(0, str(ROOT / "src"))

from framing_atlas.store import (ARTICLE_ID, CENTROID_PREFIX, CLUSTER, CLUSTER_LABEL,  # noqa: E402
                                 KEYWORDS, LABEL, NEIGHBOURS, OUTLET, PARAGRAPH_ID, PARAGRAPHS,
                                 POSITION, PUBLISHED, REPRESENTATIVES, SIZE, TEXT, TEXT_HASH, TITLE,
                                 URL, X, Y, Store)

RESULTS = ROOT / "bench" / "results" / "dashboard_scale.json"
SHARED_CORPUS = ROOT.parent / "shared" / "data" / "ukraine_war_media_2022" / "articles.csv.gz"
CACHE = Path(os.environ.get("FRAMING_ATLAS_SCALE_CACHE",
                            Path(tempfile.gettempdir()) / "framing-atlas-scale"))
SIZES = (1_000, 100_000, 1_000_000)
PAGES = ("map", "compare", "timeline", "framing", "clusters")
SAMPLE_PER_OUTLET = 25  # articles of each outlet in the source build (13 outlets: ~300 articles)
MAX_SOURCE_CHARS = 6000  # shorter articles only: the source build embeds ~45 paragraphs/s
N_OUTLETS = 40
TARGET_CLUSTERS = 40
DAYS = 730
START = dt.date(2022, 1, 1)
GENERATOR = 2  # bump when synthetic_tables changes: cached stores of older generators are remade


# The source build --------------------------------------------------------------------------
def source_store(cache: Path = CACHE, *, log=print) -> Store:
    """A real build to recycle: a sample of ukraine_war_media_2022 (or the demo corpus) ingested
    and built with the bundled model, made once under `cache`."""
    from framing_atlas.inputs.ingest import ingest
    from framing_atlas.pipeline.build import build_atlas
    from framing_atlas.settings import load_settings

    real = SHARED_CORPUS.is_file()
    store = Store(cache / ("source-ukraine" if real else "source-demo"))
    if store.current_build() is not None:
        return store
    settings = load_settings(base=ROOT).model_copy(update={"store": store.root})
    store.root.mkdir(parents=True, exist_ok=True)
    if real:
        articles = pd.read_csv(SHARED_CORPUS)
        short = articles[articles["text"].str.len().between(400, MAX_SOURCE_CHARS)]
        sample = (short.sample(frac=1.0, random_state=0).groupby("outlet")
                  .head(SAMPLE_PER_OUTLET).sort_index())
        corpus = store.root / "sample.csv"  # under the cache folder, never in the repository
        sample.to_csv(corpus, index=False)
        log(f"source build: {len(sample)} articles of {SHARED_CORPUS.parent.name}, "
            f"{sample['outlet'].nunique()} outlets (embedding takes a few minutes)")
    else:
        from framing_atlas.pipeline.demo import seed_vector_cache

        corpus = settings.demo_corpus
        seed_vector_cache(store, corpus.parent / "vectors.parquet", settings.model)
        log("source build: the bundled demo corpus (../shared/data is absent)")
    merged, _ = ingest([corpus], store.read_articles())
    store.write_articles(merged)
    build_atlas(settings, progress=lambda done, total, what: log(f"  {what}"))
    return store


# The synthetic store -----------------------------------------------------------------------
PLACES = ["Harbor", "Northgate", "Riverside", "Eastfield", "Westmoor", "Kingsbridge", "Lakeview",
          "Stonebrook", "Fairhaven", "Millbrook", "Southport", "Highcliff", "Oakridge", "Redwater",
          "Brightwell", "Ashford", "Greystone", "Silverton", "Coldspring", "Marlow"]
KINDS = ["Herald", "Courier", "Daily", "Observer", "Radio", "Wire", "Times", "Post"]


def synthetic_outlets(n: int = N_OUTLETS) -> list[str]:
    """`n` fictional outlet names, marked as such."""
    names = [f"{place} {kind} (synthetic)" for kind in KINDS for place in PLACES]
    return names[::3][:n] if n <= len(names) // 3 else names[:n]


def synthetic_tables(source: Store, n: int, *, seed: int = 0
                     ) -> tuple[dict[str, pd.DataFrame], dict[str, object]]:
    """A build of `n` paragraphs made from the source store's current build: the tables and
    documents Store.publish_build takes (paragraphs, clusters, centroids; themes, axes,
    manifest). Needs the source's vectors in its cache (for the outlets' centroids)."""
    rng = np.random.default_rng(seed)
    manifest = source.manifest()
    paragraphs = (source.read_table("paragraphs").sort_values([ARTICLE_ID, POSITION], kind="stable")
                  .reset_index(drop=True))
    clusters = source.read_table("clusters")
    vectors, found = source.vector_cache(manifest["model"]).lookup(paragraphs[TEXT_HASH].tolist())
    if vectors is None or not found.all():
        raise RuntimeError(f"{source.root}: {int((~found).sum())} paragraph vectors missing from "
                           "the cache; delete the folder to rebuild the source")

    # Articles: each a copy of a random source article, all its paragraphs in order; the last
    # one cut short so there are exactly n paragraphs.
    codes, source_ids = pd.factorize(paragraphs[ARTICLE_ID], sort=False)
    starts = np.searchsorted(codes, np.arange(len(source_ids)))
    lengths = np.bincount(codes, minlength=len(source_ids))
    guess = int(n / lengths.mean() * 1.3) + 16
    picked = rng.integers(len(source_ids), size=guess)
    while lengths[picked].sum() < n:
        picked = np.concatenate([picked, rng.integers(len(source_ids), size=guess)])
    ends = np.cumsum(lengths[picked])
    k = int(np.searchsorted(ends, n) + 1)  # articles needed
    picked, counts = picked[:k], lengths[picked[:k]].copy()
    counts[-1] -= int(ends[k - 1] - n)
    article_of_row = np.repeat(np.arange(k), counts)
    first_row = np.concatenate([[0], np.cumsum(counts)[:-1]])
    offset = np.arange(n) - first_row[article_of_row]
    source_row = starts[picked][article_of_row] + offset

    # Each article: an outlet (a few large, many small), a date (fewer at weekends), a tile.
    outlets = synthetic_outlets()
    weights = 1.0 / np.arange(1, len(outlets) + 1) ** 0.8
    outlet_of_article = rng.choice(len(outlets), size=k, p=weights / weights.sum())
    days = rng.integers(0, DAYS, size=k)
    weekend = (pd.Timestamp(START) + pd.to_timedelta(days, unit="D")).day_of_week >= 5
    days[weekend & (rng.random(k) < 0.5)] -= 2  # half of the weekend's articles move to Thu/Fri
    days = np.clip(days, 0, DAYS - 1)
    cluster_ids = clusters.loc[clusters[CLUSTER] >= 0, CLUSTER].to_numpy()
    stride = int(cluster_ids.max()) + 1 if len(cluster_ids) else 1
    tiles = max(1, -(-TARGET_CLUSTERS // max(len(cluster_ids), 1)))
    tile_of_article = rng.integers(tiles, size=k)

    article_ids = pd.Series([f"syn-{i:07d}" for i in range(k)], dtype="str")
    published = pd.Series(pd.Timestamp(START) + pd.to_timedelta(days, unit="D")).astype(
        paragraphs[PUBLISHED].dtype)
    outlet_names = pd.Series(outlets, dtype="str").iloc[outlet_of_article].reset_index(drop=True)
    slugs = outlet_names.str.lower().str.replace(r"[^a-z]+", "-", regex=True).str.strip("-")
    urls = "https://" + slugs + ".example/" + published.dt.strftime("%Y/%m/%d") + "/" + article_ids

    table = paragraphs.iloc[source_row].reset_index(drop=True)
    table[ARTICLE_ID] = article_ids.iloc[article_of_row].to_numpy()
    table[PARAGRAPH_ID] = table[ARTICLE_ID] + ":" + table[POSITION].astype("str")
    table[OUTLET] = outlet_names.iloc[article_of_row].to_numpy()
    table[PUBLISHED] = published.iloc[article_of_row].to_numpy()
    table[URL] = urls.iloc[article_of_row].to_numpy()
    # The map: the source map tiled side by side, each copy jittered; a cluster per tile.
    tile = tile_of_article[article_of_row]
    x, y = paragraphs[X].to_numpy(), paragraphs[Y].to_numpy()
    width = float(x.max() - x.min()) * 1.15 or 1.0
    jitter = 0.01 * max(float(np.ptp(x)), float(np.ptp(y)), 1e-6)
    table[X] = (x[source_row] + tile * width + rng.normal(0, jitter, n)).astype(
        paragraphs[X].dtype)
    table[Y] = (y[source_row] + rng.normal(0, jitter, n)).astype(paragraphs[Y].dtype)
    source_cluster = paragraphs[CLUSTER].to_numpy()[source_row]
    table[CLUSTER] = np.where(source_cluster >= 0, source_cluster + tile * stride,
                              source_cluster).astype(paragraphs[CLUSTER].dtype)

    new_clusters = synthetic_clusters(clusters, table, source_row, tile, stride=stride,
                                      tiles=tiles, source_ids=paragraphs[PARAGRAPH_ID])
    if CLUSTER_LABEL in table:
        table[CLUSTER_LABEL] = table[CLUSTER].map(
            dict(zip(new_clusters[CLUSTER], new_clusters[LABEL]))).astype(
            paragraphs[CLUSTER_LABEL].dtype)
    if NEIGHBOURS in table:
        table[NEIGHBOURS] = synthetic_neighbours(paragraphs, table, source_row)

    counts_matrix = np.zeros((len(outlets), len(paragraphs)))
    np.add.at(counts_matrix, (outlet_of_article[article_of_row], source_row), 1)
    in_use = counts_matrix.sum(axis=1) > 0
    sums = counts_matrix[in_use] @ vectors.astype(np.float64)
    centroids = pd.DataFrame(sums, columns=[f"{CENTROID_PREFIX}{i}" for i in range(sums.shape[1])])
    centroids.insert(0, PARAGRAPHS, counts_matrix[in_use].sum(axis=1).astype("int64"))
    centroids.insert(0, OUTLET, [o for o, used in zip(outlets, in_use) if used])

    created = dt.datetime.now(dt.timezone.utc)
    version = f"syn{n}-{manifest['version']}"[:40]
    counts = dict(manifest["counts"])
    counts.update({"articles": k, "paragraphs": n, "embedded": 0,
                   "clusters": int((new_clusters[CLUSTER] >= 0).sum()),
                   "outliers": int(table["outlier"].sum()) if "outlier" in table else 0,
                   "syndicated": int(table["syndicated"].sum()) if "syndicated" in table else 0,
                   "outlets": int(table[OUTLET].nunique())})
    documents = {
        "themes": source.read_document("themes"), "axes": source.read_document("axes"),
        "manifest": {**manifest, "build_id": f"{created:%Y%m%dT%H%M%S%fZ}-{version}",
                     "version": version, "created": created.isoformat(), "counts": counts,
                     "input_hash": f"synthetic-{n}-{seed}", "map_key": f"synthetic-{n}-{seed}",
                     "map_reused": False, "timings": {},
                     "no_paragraph": {"count": 0, "reasons": {}, "articles": []},
                     "synthetic": {"paragraphs": n, "articles": k, "seed": seed,
                                   "generator": GENERATOR, "tiles": tiles,
                                   "source_build": manifest["build_id"],
                                   "source_store": str(source.root)}}}
    articles = synthetic_articles(source, source_ids[picked], article_ids, outlet_names,
                                  published, urls, table, first_row)
    return {"paragraphs": table, "clusters": new_clusters, "centroids": centroids,
            "articles": articles}, documents


def synthetic_clusters(clusters: pd.DataFrame, table: pd.DataFrame, source_row: np.ndarray,
                       tile: np.ndarray, *, stride: int, tiles: int,
                       source_ids: pd.Series) -> pd.DataFrame:
    """clusters.parquet for the tiled map: each source cluster once per tile (its label numbered
    by tile), with its size and representatives (copies of the source's, in that tile) there."""
    sizes = table[CLUSTER].value_counts()
    # The first synthetic copy of each source paragraph in each tile.
    first_copy = (pd.DataFrame({"row": source_row, "tile": tile, "id": table[PARAGRAPH_ID]})
                  .drop_duplicates(["row", "tile"]).set_index(["row", "tile"])["id"])
    position_of = {pid: i for i, pid in enumerate(source_ids)}
    rows = []
    for _, cluster in clusters.iterrows():
        for t in range(tiles if cluster[CLUSTER] >= 0 else 1):
            new_id = int(cluster[CLUSTER] + t * stride) if cluster[CLUSTER] >= 0 else int(
                cluster[CLUSTER])
            if new_id not in sizes.index:
                continue
            reps = [first_copy.get((position_of[r], t)) for r in cluster[REPRESENTATIVES]
                    if r in position_of]
            reps = [r for r in reps if r is not None]
            if not reps:  # no copy of the source's representatives landed here: any members
                reps = table.loc[table[CLUSTER] == new_id, PARAGRAPH_ID].head(3).tolist()
            label = cluster[LABEL] if tiles == 1 or cluster[CLUSTER] < 0 else (
                f"{cluster[LABEL]} ({t + 1})")
            rows.append({**cluster.to_dict(), CLUSTER: new_id, LABEL: label,
                         SIZE: int(sizes[new_id]), REPRESENTATIVES: reps})
    return pd.DataFrame(rows, columns=clusters.columns).astype(
        {CLUSTER: clusters[CLUSTER].dtype, SIZE: clusters[SIZE].dtype})


def synthetic_neighbours(paragraphs: pd.DataFrame, table: pd.DataFrame,
                         source_row: np.ndarray) -> pd.Series:
    """Each paragraph's neighbours: the source paragraph's neighbours, each as its first copy."""
    first = pd.Series(np.arange(len(source_row))).groupby(source_row).first()
    copy_id = {paragraphs[PARAGRAPH_ID].iat[row]: table[PARAGRAPH_ID].iat[i]
               for row, i in first.items()}
    mapped = [[copy_id[p] for p in ids if p in copy_id] for ids in paragraphs[NEIGHBOURS]]
    return pd.Series([mapped[row] for row in source_row], index=table.index, name=NEIGHBOURS,
                     dtype=object)


def synthetic_articles(source: Store, source_ids, article_ids: pd.Series, outlet_names: pd.Series,
                       published: pd.Series, urls: pd.Series, table: pd.DataFrame,
                       first_row: np.ndarray) -> pd.DataFrame:
    """articles.parquet: each synthetic article with its source article's title and text."""
    originals = source.read_articles().set_index(ARTICLE_ID)
    return pd.DataFrame({ARTICLE_ID: article_ids.to_numpy(), OUTLET: outlet_names.to_numpy(),
                         PUBLISHED: published.to_numpy(),
                         TITLE: table[TITLE].iloc[first_row].to_numpy(), URL: urls.to_numpy(),
                         TEXT: originals[TEXT].reindex(np.asarray(source_ids)).to_numpy()})


def synthetic_store(n: int, cache: Path = CACHE, *, source: Store | None = None, seed: int = 0,
                    log=print) -> Store:
    """The synthetic store of `n` paragraphs under `cache`, made from `source` (default: the
    source build, see source_store) unless a store of this generator and source is there."""
    source = source or source_store(cache, log=log)
    store = Store(cache / f"synthetic-{n}-seed{seed}")
    made = store.manifest() if store.current_build() is not None else None
    wanted = {"paragraphs": n, "seed": seed, "generator": GENERATOR,
              "source_build": source.manifest()["build_id"]}
    if made and all(made.get("synthetic", {}).get(k) == v for k, v in wanted.items()):
        return store
    started = time.perf_counter()
    tables, documents = synthetic_tables(source, n, seed=seed)
    store.root.mkdir(parents=True, exist_ok=True)
    store.write_articles(tables.pop("articles"))
    store.publish_build(documents["manifest"]["build_id"], tables, documents)
    log(f"synthetic store of {n:,} paragraphs made in {time.perf_counter() - started:.0f} s: "
        f"{store.root}")
    return store


# In the browser ----------------------------------------------------------------------------
# The first chart in the page's main area that the current run drew (Streamlit marks elements
# of the previous run as stale while a run is under way), as {kind, drawn, sig, points}; or
# {error} when the page shows an exception (a MessageSizeError among them). `sig` changes when
# the chart's content does: the Plotly traces' kinds and lengths (and any layout image), an
# image's address (Streamlit names media by content), a Vega canvas's pixels.
FIRST_CHART = """() => {
    const hash = text => { let h = 5381; for (let i = 0; i < text.length; i++)
                               h = (h * 33 + text.charCodeAt(i)) | 0; return text.length + ':' + h; };
    const main = document.querySelector('[data-testid=stMain]') || document.body;
    const error = main.querySelector('[data-testid=stException]');
    if (error) return {error: error.innerText.trim().slice(0, 300)};
    const fresh = [...main.querySelectorAll('[data-testid=stElementContainer]')]
        .filter(c => c.getAttribute('data-stale') !== 'true');
    for (const c of fresh) {
        const gd = c.querySelector('[data-testid=stPlotlyChart] .js-plotly-plot');
        if (gd) {
            const data = gd._fullData, layout = gd._fullLayout;
            const gl = (data || []).some(t => String(t.type).endsWith('gl'));
            const drawn = !!(data && layout && gd.querySelector('.main-svg')
                             && (!gl || gd.querySelector('canvas')));
            if (!drawn) return {kind: 'plotly', drawn: false};
            const traces = data.map(t => [t.type, t._length ?? '',
                (t.z && t.z.length) ?? '', (t.y && t.y.length) ?? ''].join(':'));
            const images = (layout.images || []).map(i => hash(String(i.source || '')));
            return {kind: 'plotly', drawn: true, sig: traces.join(',') + '|' + images.join(','),
                    points: data.reduce((sum, t) => sum + (t._length || 0), 0)};
        }
        const img = c.querySelector('[data-testid=stImage] img');
        if (img) return {kind: 'image', drawn: img.complete && img.naturalWidth > 0,
                         sig: img.currentSrc || img.src};
        const vega = c.querySelector('[data-testid=stVegaLiteChart]');
        if (vega) {
            const canvas = vega.querySelector('canvas');
            if (canvas && canvas.width > 0) {
                return {kind: 'vega', drawn: true, sig: hash(canvas.toDataURL())};
            }
            const svg = vega.querySelector('svg.marks .mark-rect, svg.marks .mark-symbol, svg.marks .mark-line');
            return svg ? {kind: 'vega', drawn: true, sig: hash(vega.querySelector('svg.marks').innerHTML)}
                       : {kind: 'vega', drawn: false};
        }
        const deck = c.querySelector('[data-testid=stDeckGlJsonChart] canvas');
        if (deck) return {kind: 'deck', drawn: deck.width > 0, sig: ''};
    }
    return {kind: null, drawn: false};
}"""
# Drawn with other content, or drawn again by a run that started after WATCH_RERUN (the run
# made every element stale first): a filter that leaves the chart's content as it was still
# counts once the chart is redrawn.
WAIT_FOR_CHART = f"""([old]) => {{
    const chart = ({FIRST_CHART})();
    if (chart.error) return chart;
    if (!chart.drawn) return false;
    if (old === null || chart.sig !== old) return {{...chart, changed: true}};
    return window.__benchRerun ? {{...chart, changed: false}} : false;
}}"""
WATCH_RERUN = """() => {
    window.__benchRerun = false;
    const main = document.querySelector('[data-testid=stMain]') || document.body;
    new MutationObserver((_, observer) => {
        if (main.querySelector('[data-testid=stElementContainer][data-stale=true]')) {
            window.__benchRerun = true;
            observer.disconnect();
        }
    }).observe(main, {attributes: true, subtree: true, attributeFilter: ['data-stale']});
}"""
TWO_FRAMES = "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))"
SHOWN_COUNT = re.compile(r"([\d,]+) paragraphs in view")


class Outcome(dict):
    """What waiting for a chart gave: seconds, kind, sig, points; or status saying why not."""

    @property
    def drawn(self) -> bool:
        return self.get("status") == "drawn"


def wait_for_chart(page, server, *, old: str | None, timeout_s: float, started: float) -> Outcome:
    """Wait (from `started`, a perf_counter) until the page's first chart is drawn with content
    other than `old`, it shows an error, the server exits, or `timeout_s` passes."""
    while True:
        left = timeout_s - (time.perf_counter() - started)
        if left <= 0:
            return Outcome(status=f"did not draw (timeout {timeout_s:.0f} s)")
        if server.process.poll() is not None:
            return Outcome(status=f"server exited (code {server.process.returncode})")
        try:
            handle = page.wait_for_function(WAIT_FOR_CHART, arg=[old], polling=100,
                                            timeout=min(left, 5.0) * 1000)
        except Exception as err:  # playwright's TimeoutError: check the server, wait on
            if "Timeout" in type(err).__name__:
                continue
            return Outcome(status=f"browser error: {str(err).splitlines()[0][:200]}")
        chart = handle.json_value()
        if chart.get("error"):
            return Outcome(status=f"error shown: {' '.join(chart['error'].split())[:200]}",
                           seconds=round(time.perf_counter() - started, 3))
        page.evaluate(TWO_FRAMES)  # painted, not only laid out
        return Outcome(status="drawn", seconds=round(time.perf_counter() - started, 3),
                       kind=chart["kind"], sig=chart.get("sig"), points=chart.get("points"),
                       **({"changed": chart["changed"]} if old is not None else {}))


def shown_count(page) -> int | None:
    """The "N paragraphs in view" a page states, if it states one."""
    try:
        found = SHOWN_COUNT.search(page.inner_text("[data-testid=stMain]", timeout=5000))
    except Exception:  # noqa: BLE001 (playwright's errors: the count is optional)
        return None
    return int(found.group(1).replace(",", "")) if found else None


def memory_mb(pid: int) -> dict[str, float]:
    """The process's resident memory now (VmRSS) and its peak (VmHWM), in MB, from /proc."""
    fields = {}
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            name, _, value = line.partition(":")
            if name in ("VmRSS", "VmHWM", "RssAnon", "RssFile"):
                fields[name] = round(int(value.split()[0]) / 1024, 1)
    except OSError:
        pass
    # RssFile: pages of mapped files (the text copy a reader maps), the kernel's to drop.
    return {"rss_mb": fields.get("VmRSS"), "peak_mb": fields.get("VmHWM"),
            "anon_mb": fields.get("RssAnon"), "file_mb": fields.get("RssFile")}


RUNNING = ('[data-testid="stStatusWidgetRunningIcon"], '
           '[data-testid="stStatusWidgetRunningManIcon"]')


def run_finished(page, *, started: float, timeout_s: float) -> float | None:
    """Seconds from `started` until Streamlit's "running" indicator is gone, or None when the
    run is still going `timeout_s` after `started`."""
    left = timeout_s - (time.perf_counter() - started)
    try:
        page.wait_for_timeout(300)  # a run shows its indicator a moment after it starts
        page.locator(RUNNING).first.wait_for(state="hidden", timeout=max(left, 1) * 1000)
    except Exception as err:  # noqa: BLE001 (playwright's TimeoutError)
        if "Timeout" in type(err).__name__:
            return None
        raise
    return round(time.perf_counter() - started, 3)


def measure_page(browser, server, name: str, *, outlets: list[str], removed: str,
                 timeout_s: float) -> dict:
    """One page opened from a link listing every outlet, then one outlet's chip removed."""
    from bench.dashboard import VIEWPORT, remove_outlet, view_url

    page = browser.new_page(viewport=VIEWPORT)
    record: dict = {}
    try:
        started = time.perf_counter()
        page.goto(view_url(server, name, outlet=outlets), timeout=timeout_s * 1000)
        first = wait_for_chart(page, server, old=None, timeout_s=timeout_s, started=started)
        record["first_view"] = {k: v for k, v in first.items() if k != "sig"}
        record["first_view"]["shown_count"] = shown_count(page) if first.drawn else None
        record["memory_after_first_view"] = memory_mb(server.process.pid)
        if not first.drawn:
            return record
        # The first run should be over before the filter changes, or the two would be timed
        # together; a run still going after the timeout is recorded, and the filter changed
        # anyway, as a user would.
        finished = run_finished(page, started=started, timeout_s=timeout_s)
        record["first_view"]["complete_s" if finished else "still_running_after_s"] = (
            finished or round(time.perf_counter() - started, 1))
        record["memory_after_first_view"] = memory_mb(server.process.pid)
        page.wait_for_timeout(1000)
        page.evaluate(WATCH_RERUN)
        started = time.perf_counter()
        remove_outlet(page, removed)
        change = wait_for_chart(page, server, old=first["sig"], timeout_s=timeout_s,
                                started=started)
        record["filter_change"] = {k: v for k, v in change.items() if k != "sig"}
        if change.drawn:
            finished = run_finished(page, started=started, timeout_s=timeout_s)
            record["filter_change"]["complete_s" if finished else "still_running_after_s"] = (
                finished or round(time.perf_counter() - started, 1))
            record["filter_change"]["shown_count"] = shown_count(page)
        record["memory_after_filter_change"] = memory_mb(server.process.pid)
    except Exception as err:  # noqa: BLE001 (a stuck page is recorded, the bench goes on)
        record.setdefault("first_view", {"status": f"browser error: {str(err).splitlines()[0][:200]}"})
        record.setdefault("filter_change", {"status": f"browser error: {str(err).splitlines()[0][:200]}"})
    finally:
        page.close()
    return record


def measure_size(playwright, store: Store, pages: list[str], *, repeat: int, timeout_s: float,
                 log=print) -> dict:
    """Every page at one store size, on one server (restarted after a page that failed)."""
    from bench.dashboard import Server, app_copy, launch

    outlets = sorted(pd.read_parquet(store.current_build() / "paragraphs.parquet",
                                     columns=[OUTLET])[OUTLET].unique())
    sizes = pd.read_parquet(store.current_build() / "paragraphs.parquet",
                            columns=[OUTLET])[OUTLET].value_counts()
    # The largest outlets, one per run: its removal changes every chart, and each repeat asks
    # for a view no cache has seen (the same removal again would be served from the caches).
    removals = [str(o) for o in sizes.index[:max(repeat, 1)]]
    removed = removals[0]
    manifest = store.manifest()
    result: dict = {"paragraphs": manifest["counts"]["paragraphs"],
                    "articles": manifest["counts"]["articles"],
                    "outlets": len(outlets), "clusters": manifest["counts"]["clusters"],
                    "removed_outlet": removed, "removed_outlets": removals, "pages": {},
                    "server_restarts": 0}
    with tempfile.TemporaryDirectory(prefix="framing-atlas-scale-") as tmp:
        folder = app_copy(Path(tmp))
        env = {"FRAMING_ATLAS_STORE": str(store.root)}
        browser = launch(playwright)
        server = Server(folder, env)
        result["memory_at_start"] = memory_mb(server.process.pid)
        try:
            for name in pages:
                runs = []
                for run in range(repeat):
                    record = measure_page(browser, server, name, outlets=outlets,
                                          removed=removals[run % len(removals)],
                                          timeout_s=timeout_s)
                    runs.append(record)
                    log(f"  {store.manifest()['counts']['paragraphs']:>9,} {name:9s} run {run + 1}: "
                        f"first view {describe(record.get('first_view'))}, "
                        f"filter change {describe(record.get('filter_change'))}, "
                        f"RSS {last_memory(record).get('rss_mb')} MB")
                    if not (record.get("filter_change") or {}).get("status") == "drawn":
                        # A page that failed may leave the server busy: the next starts afresh.
                        result["memory_peak_before_restart"] = max(
                            result.get("memory_peak_before_restart", 0),
                            memory_mb(server.process.pid).get("peak_mb") or 0)
                        server.stop()
                        server = Server(folder, env)
                        result["server_restarts"] += 1
                        break
                result["pages"][name] = summarise(runs)
            result["memory_at_end"] = memory_mb(server.process.pid)
        finally:
            server.stop()
            browser.close()
    return result


def describe(step: dict | None) -> str:
    if not step:
        return "not measured"
    return f"{step['seconds']:.2f} s" if step.get("status") == "drawn" else step["status"]


def last_memory(record: dict) -> dict:
    return record.get("memory_after_filter_change") or record.get("memory_after_first_view") or {}


def summarise(runs: list[dict]) -> dict:
    """A page's runs: the median seconds of the drawn ones, the status of any that were not."""
    def step(name: str) -> dict:
        steps = [r.get(name) for r in runs if r.get(name)]
        drawn = [s["seconds"] for s in steps if s.get("status") == "drawn"]
        failed = [s["status"] for s in steps if s.get("status") != "drawn"]
        summary = {"seconds": round(statistics.median(drawn), 3) if drawn else None,
                   "runs": [s.get("seconds") if s.get("status") == "drawn" else s["status"]
                            for s in steps]}
        if failed:
            summary["status"] = failed[0]
        elif not steps:
            summary["status"] = "not measured"
        for key in ("kind", "points", "shown_count", "changed", "complete_s",
                    "still_running_after_s"):
            if steps and steps[-1].get(key) is not None:
                summary[key] = steps[-1][key]
        return summary

    memories = [last_memory(r) for r in runs]
    return {"first_view": step("first_view"), "filter_change": step("filter_change"),
            "rss_mb": memories[-1].get("rss_mb") if memories else None,
            "peak_mb": max((m.get("peak_mb") or 0) for m in memories) if memories else None,
            "anon_mb": memories[-1].get("anon_mb") if memories else None,
            "file_mb": memories[-1].get("file_mb") if memories else None}


# The report --------------------------------------------------------------------------------
def ratios(results: dict[str, dict]) -> dict:
    """Each page's figures at each size over the same figures at the smallest size of the run."""
    floor_size = min(results, key=int)
    floor = results[floor_size]["pages"]
    out: dict = {"floor": int(floor_size)}
    for size, result in results.items():
        for name, page in result["pages"].items():
            base = floor.get(name)
            if base is None:
                continue
            for key in ("first_view", "filter_change"):
                value, ref = page[key].get("seconds"), base[key].get("seconds")
                if value is not None and ref:
                    out.setdefault(name, {}).setdefault(size, {})[key] = round(value / ref, 2)
            if page.get("rss_mb") and base.get("rss_mb"):
                out.setdefault(name, {}).setdefault(size, {})["rss"] = round(
                    page["rss_mb"] / base["rss_mb"], 2)
    return out


def table(report: dict) -> str:
    """page × size: first view s, filter change s, RSS MB, each with its ratio to the floor."""
    results, rel = report["results"], report["ratios"]

    def cell(size: str, name: str, key: str) -> str:
        page = results[size]["pages"].get(name)
        if page is None:
            return "-"
        if key == "rss":
            value = page.get("rss_mb")
            text = f"{value:.0f}" if value else "-"
        else:
            value = page[key].get("seconds")
            text = f"{value:.2f}" if value is not None else short(page[key].get("status", "-"))
        ratio = rel.get(name, {}).get(size, {}).get(key)
        return f"{text} (×{ratio:.1f})" if ratio is not None and int(size) != rel["floor"] \
            else text

    lines = ["| page | paragraphs | first view s | filter change s | server RSS MB |",
             "|---|---|---|---|---|"]
    for name in report["pages"]:
        for size in sorted(results, key=int):
            lines.append(f"| {name} | {int(size):,} | {cell(size, name, 'first_view')} | "
                         f"{cell(size, name, 'filter_change')} | {cell(size, name, 'rss')} |")
    peaks = ", ".join(f"{int(s):,}: {max([(p.get('peak_mb') or 0) for p in r['pages'].values()] + [r.get('memory_peak_before_restart', 0)]):.0f} MB"
                      for s, r in sorted(results.items(), key=lambda item: int(item[0])))
    lines.append(f"\nserver peak memory (VmHWM): {peaks}; ratios (×) against {rel['floor']:,} "
                 "paragraphs, measured in the same run")
    return "\n".join(lines)


def readme_block(results: dict) -> str:
    """The table, for a "<!-- begin dashboard_scale.json -->" block (bench/readme.py)."""
    return table(results)


def short(status: str) -> str:
    """A status's first sentence, for a table cell (the JSON keeps it whole)."""
    return status.split(". ")[0][:100]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)),
                        help="paragraph counts, comma-separated (default %(default)s); ratios are "
                             "against the smallest")
    parser.add_argument("--pages", default=",".join(PAGES),
                        help="pages to open (default %(default)s)")
    parser.add_argument("--repeat", type=int, default=3,
                        help="runs per page and size (median); the first run of the first page "
                             "on each server includes reading the build")
    parser.add_argument("--timeout", type=float, default=120.0,
                        help="seconds a page may take to draw before it is recorded as not drawn")
    parser.add_argument("--out", type=Path, default=RESULTS, help="results file (JSON)")
    parser.add_argument("--table", action="store_true",
                        help="measure nothing: print the table of the results file (--out)")
    args = parser.parse_args()
    if args.table:
        print(table(json.loads(args.out.read_text(encoding="utf-8"))))
        return
    sizes = sorted({int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()})
    pages = [p.strip() for p in args.pages.split(",") if p.strip()]
    unknown = [p for p in pages if p not in PAGES]
    if unknown:
        sys.exit(f"unknown page: {', '.join(unknown)} (there are: {', '.join(PAGES)})")
    from bench.dashboard import CHROMIUM

    if not CHROMIUM.exists():
        sys.exit("needs Debian's chromium at /usr/bin/chromium (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    stores = {n: synthetic_store(n) for n in sizes}  # all made first: a failure stops early
    report: dict = {
        "what": "seconds from opening a page (a share link listing every outlet) to its first "
                "chart drawn, and from removing the largest outlet's chip in the sidebar (the "
                "k-th largest in run k, so no run is served from another's caches) to that "
                "chart redrawn with other content, the median of the runs; the streamlit "
                "server's resident memory (MB) "
                "after each page (pages share the server, so it accumulates), and its peak; one "
                "server per size, restarted after a page that failed (server_restarts: the next "
                "page's first view then includes reading the build); synthetic stores of real "
                "paragraphs recycled (bench/dashboard_scale.py docstring)",
        "command": "python bench/dashboard_scale.py " + " ".join(
            f"--{k} {v}" for k, v in (("sizes", ",".join(map(str, sizes))),
                                      ("pages", ",".join(pages)), ("repeat", args.repeat),
                                      ("timeout", f"{args.timeout:g}"))),
        "sizes": sizes, "pages": pages, "repeat": args.repeat, "timeout_s": args.timeout,
        "source": {"corpus": SHARED_CORPUS.parent.name if SHARED_CORPUS.is_file() else "demo",
                   "build": source_store().manifest()["build_id"],
                   "paragraphs": source_store().manifest()["counts"]["paragraphs"]},
        "results": {}, "ratios": {},
        "machine": {"cpus": os.cpu_count(), "python": sys.version.split()[0],
                    "date": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%MZ")},
    }
    with sync_playwright() as playwright:
        for n in sizes:
            print(f"== {n:,} paragraphs", flush=True)
            report["results"][str(n)] = measure_size(playwright, stores[n], pages,
                                                     repeat=args.repeat, timeout_s=args.timeout,
                                                     log=lambda m: print(m, flush=True))
            report["ratios"] = ratios(report["results"])
            args.out.parent.mkdir(parents=True, exist_ok=True)  # written after every size
            args.out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(table(report))
    print(f"written to {args.out}")


if __name__ == "__main__":
    main()
