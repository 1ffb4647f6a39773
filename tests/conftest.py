"""Shared fixtures: fictional corpora made here, and a deterministic fake embedder."""

from __future__ import annotations

import hashlib
import random
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

SHARED = Path(__file__).resolve().parents[2] / "shared"
needs_real_data = pytest.mark.skipif(not (SHARED / "data").is_dir(),
                                     reason="../shared/data not present")


class FakeEncoder:
    """Bag-of-words hashed into 64 dimensions: texts sharing words land close. Counts its work."""

    dims = 64

    def __init__(self) -> None:
        self.encoded = 0

    def encode(self, sentences, **kwargs) -> np.ndarray:
        self.encoded += len(sentences)
        out = np.zeros((len(sentences), self.dims), dtype=np.float32)
        for i, text in enumerate(sentences):
            for word in re.findall(r"[a-z]+", text.lower()):
                if len(word) < 4:
                    continue
                h = int(hashlib.md5(word.encode()).hexdigest(), 16)
                out[i, h % self.dims] += 1.0
                out[i, (h >> 8) % self.dims] += 0.5
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.where(norms == 0, 1, norms)


TOPICS = {
    "expansion": "nato expansion alliance membership finland sweden enlargement border bases "
                 "accession eastward summit sovereign choice encirclement".split(),
    "escalation": "missiles tanks weapons deliveries escalation nuclear threat retaliation "
                  "offensive artillery strikes drones frontline".split(),
    "information": "propaganda disinformation censorship bots trolls fact checking deepfake "
                   "media banned narrative influence campaign".split(),
    "energy": "pipeline sanctions prices markets exports embargo refinery tanker barrels "
              "inflation energy winter".split(),
}
OUTLET_MIX = {"Harbor Gazette (fictional)": ["expansion", "energy"],
              "Ridge Tribune (fictional)": ["escalation", "information"],
              "Lantern Post (fictional)": ["information", "expansion", "energy"]}


def make_articles(n_per_outlet: int = 8, seed: int = 0) -> pd.DataFrame:
    """Fictional articles whose paragraphs are built from topic word pools."""
    rng = random.Random(seed)
    rows = []
    for outlet, topics in OUTLET_MIX.items():
        for k in range(n_per_outlet):
            paragraphs = []
            for p in range(4):
                words = TOPICS[topics[(k + p) % len(topics)]]
                body = " ".join(rng.choice(words) for _ in range(40))
                paragraphs.append(f"Officials discussed {body} on day {k}. Reporters noted "
                                  f"{' '.join(rng.sample(words, 5))} again.")
            slug = outlet.split()[0].lower()
            rows.append({"outlet": outlet, "published": f"2026-01-{1 + (k * 3) % 28:02d}",
                         "title": f"{outlet} story {k}", "url": f"https://{slug}.example/{k}",
                         "text": "\n\n".join(paragraphs)})
    return pd.DataFrame(rows)


@pytest.fixture
def articles() -> pd.DataFrame:
    return make_articles()


@pytest.fixture
def fake_encoder() -> FakeEncoder:
    return FakeEncoder()


@pytest.fixture
def themes_file(tmp_path: Path) -> Path:
    path = tmp_path / "themes.toml"
    path.write_text(
        'threshold = 0.2\n'
        '[[themes]]\nname = "expansion"\ndescription = ["nato expansion alliance membership '
        'enlargement accession"]\n'
        '[[themes]]\nname = "escalation"\ndescription = ["missiles tanks weapons escalation '
        'nuclear strikes"]\n'
        '[[themes]]\nname = "information_warfare"\ndescription = ["propaganda disinformation '
        'censorship bots deepfake"]\n', encoding="utf-8")
    return path


@pytest.fixture
def settings_for(themes_file):
    """Settings pointing at a temporary store and the test themes, with small-corpus parameters."""
    from framing_atlas.settings import load_settings

    def make(store: Path, **overrides):
        return load_settings(**{"store": store, "themes_file": themes_file, "n_neighbors": 8,
                              **overrides})

    return make


ROOT = Path(__file__).resolve().parents[1]

# A fictional article whose text tries markdown, HTML and script injection and a spreadsheet
# formula: the dashboard must show all of it as literal text.
HOSTILE = {
    "outlet": "Injection Test Wire (fictional)", "published": "2026-02-02",
    "title": "<b>Bold</b> [click](javascript:alert(2)) title",
    "url": "javascript:alert(3)",
    "text": "=HYPERLINK(\"http://evil.example\") Officials said on Monday that "
            "<script>alert(1)</script> appeared in a leaked memo about NATO expansion, next to a "
            "link written as [x](javascript:alert(1)) that readers were told never to open.\n\n"
            "A second paragraph of the same fictional wire story explains that the memo was a "
            "forgery and that the alliance's enlargement debate continues in several capitals.",
}

HOSTILE_TWIN = {**HOSTILE, "outlet": "Injection Mirror (fictional)",
                "url": "https://mirror.example/hostile"}


@pytest.fixture(scope="session")
def atlas_store(tmp_path_factory) -> Path:
    """The demo corpus plus one hostile article, built once with the real bundled model."""
    from framing_atlas.pipeline.build import build_atlas
    from framing_atlas.pipeline.demo import seed_vector_cache
    from framing_atlas.inputs.ingest import ingest
    from framing_atlas.settings import load_settings
    from framing_atlas.store import Store

    root = tmp_path_factory.mktemp("atlas") / "store"
    store = Store(root)
    hostile = root.parent / "hostile.csv"
    pd.DataFrame([HOSTILE, HOSTILE_TWIN]).to_csv(hostile, index=False)
    merged, _ = ingest([ROOT / "data" / "demo" / "articles.csv", hostile], store.read_articles())
    store.write_articles(merged)
    settings = load_settings(store=root, themes_file=ROOT / "data" / "themes.toml")
    seed_vector_cache(store, ROOT / "data" / "demo" / "vectors.parquet", settings.model)
    build_atlas(settings)  # embeds only the hostile articles' paragraphs
    return root


# Fictional outlet names chosen by hostile sites (feed titles and page metadata pick outlet
# names), and cluster names a user could type (at most 80 characters): every page must show
# them literally.
HOSTILE_OUTLETS = {
    "Eastern Meridian TV (fictional)":
        "[Evil News](https://evil.example/news) <img src=https://evil.example/x.png>",
    "Westbridge Public Radio (fictional)": "![pixel](https://tracker.example/outlet.png) Radio",
    "The Daily Bulwark (fictional)": "<script>alert('outlet')</script> Script Daily",
    "Clearsight Factcheck (fictional)": '=HYPERLINK("https://evil.example/f") Formula Check',
    "Ledger & Pipeline (fictional)":
        '<a href="https://evil.example/plotly">Plotly Link</a> & <b>Bold</b> Ledger',
    "Northwind Courier (fictional)": "Courier https://autolink.example/c www.autolink.example",
}
HOSTILE_LABELS = ["[Click me](https://evil.example/cluster)",
                  '<a href="https://evil.example/c">Go</a> <img src=https://tracker.example/c.png>',
                  "![c](https://tracker.example/c.png) <script>alert(1)</script>",
                  "=1+1 <b>bold</b> mail@evil.example"]


@pytest.fixture(scope="session")
def hostile_names_store(tmp_path_factory) -> Path:
    """The demo corpus under hostile outlet names, with hostile names on its first clusters."""
    from framing_atlas.pipeline.build import build_atlas
    from framing_atlas.pipeline.demo import seed_vector_cache
    from framing_atlas.inputs.ingest import ingest
    from framing_atlas.analysis.cluster_names import save_name
    from framing_atlas.settings import load_settings
    from framing_atlas.store import Store

    root = tmp_path_factory.mktemp("hostile-names") / "store"
    store = Store(root)
    source = root.parent / "articles.csv"
    articles = pd.read_csv(ROOT / "data" / "demo" / "articles.csv")
    articles["outlet"] = articles["outlet"].replace(HOSTILE_OUTLETS)
    articles.to_csv(source, index=False)
    merged, _ = ingest([source], store.read_articles())
    store.write_articles(merged)
    settings = load_settings(store=root, themes_file=ROOT / "data" / "themes.toml")
    seed_vector_cache(store, ROOT / "data" / "demo" / "vectors.parquet", settings.model)
    build_atlas(settings)  # the demo's vectors ship with it: nothing is embedded
    paragraphs = store.read_table("paragraphs")
    clusters = sorted(c for c in paragraphs["cluster"].unique() if c >= 0)
    for cluster, name in zip(clusters, HOSTILE_LABELS):
        save_name(root, paragraphs, int(cluster), name)
    return root


@pytest.fixture(autouse=True)
def no_background_build_outlives_its_test(tmp_path):
    """A page test that starts a background build (jobs.start_build) leaves no process behind:
    each job found under the test's tmp_path is ended when the test is."""
    yield
    import json
    import os
    import signal

    for path in tmp_path.rglob("job.json"):
        try:
            pid = json.loads(path.read_text(encoding="utf-8")).get("pid", 0)
        except ValueError:
            continue
        if pid > 0:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass


def wait_for_job(root, until=lambda job: job.state != "running", timeout=300):
    """The store's background build (jobs.read_job) once `until` holds (by default: ended)."""
    import time

    from framing_atlas import jobs

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = jobs.read_job(Path(root))
        if job is not None and until(job):
            return job
        time.sleep(0.2)
    log = Path(root) / jobs.JOB_LOG
    raise AssertionError(f"job still {jobs.read_job(Path(root))} after {timeout} s; log: "
                         f"{log.read_text(errors='replace')[-2000:] if log.exists() else ''}")


def republish(store, build_id: str, *, move: int | None = None) -> None:
    """Publish `store`'s current build's tables again under another id, as a rebuild would;
    `move` shifts that paragraph (an index label) on the map, so the map's figure changes."""
    import json

    folder = store.current_build()
    tables = {p.stem: pd.read_parquet(p) for p in folder.glob("*.parquet")}
    documents = {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in folder.glob("*.json")}
    documents["manifest"]["build_id"] = build_id
    if move is not None:
        tables["paragraphs"].loc[move, "x"] += 0.01
    store.publish_build(build_id, tables, documents)
