"""bench/dashboard_scale.py's synthetic stores: a build the dashboard reads like any other.

The source here is a small build of the fictional test corpus (fake embedder); the bench itself
recycles a real sample. No browser: the timings are the bench's, never asserted here.
"""

from __future__ import annotations

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

import app_data
from bench import dashboard_scale
from conftest import ROOT, make_articles
from framing_atlas.inputs.ingest import ingest
from framing_atlas.pipeline.build import build_atlas
from framing_atlas.store import Store
from framing_atlas.views.filters import Filters, filter_paragraphs

N = 2_000


@pytest.fixture(scope="module")
def source(tmp_path_factory) -> Store:
    """A real build (every stage) of fictional articles, with a fake embedder."""
    from conftest import FakeEncoder
    from framing_atlas.settings import load_settings

    folder = tmp_path_factory.mktemp("source")
    store = Store(folder / "store")
    corpus = folder / "articles.csv"
    articles = make_articles(n_per_outlet=20)
    # Articles of one to eight paragraphs, as in a real corpus.
    parts = articles["text"].str.split("\n\n")
    articles["text"] = ["\n\n".join(p[: 1 + i % 4] + (parts.iat[i - 1] if i % 3 == 0 else []))
                        for i, p in enumerate(parts)]
    articles.to_csv(corpus, index=False)
    merged, _ = ingest([corpus], store.read_articles())
    store.write_articles(merged)
    build_atlas(load_settings(store=store.root, themes_file=ROOT / "data" / "themes.toml",
                              n_neighbors=8), encoder=FakeEncoder())
    return store


@pytest.fixture(scope="module")
def synthetic(source, tmp_path_factory) -> Store:
    return dashboard_scale.synthetic_store(N, tmp_path_factory.mktemp("cache"), source=source,
                                           log=lambda message: None)


def test_paragraphs_have_the_source_builds_columns_and_n_rows(source, synthetic):
    real = source.read_table("paragraphs")
    paragraphs = synthetic.read_table("paragraphs")
    assert len(paragraphs) == N
    assert list(paragraphs.columns) == list(real.columns)
    assert dict(paragraphs.dtypes.astype(str)) == dict(real.dtypes.astype(str))
    assert paragraphs["paragraph_id"].is_unique
    assert set(paragraphs["text_hash"]) <= set(real["text_hash"])  # real text, recycled
    assert paragraphs[["x", "y", "outlet", "published", "text", "theme"]].notna().all().all()


def test_outlets_articles_dates_and_clusters_are_plausible(source, synthetic):
    paragraphs = synthetic.read_table("paragraphs")
    per_article = paragraphs.groupby("article_id").size()
    assert per_article.nunique() > 2  # the source's articles, of different lengths
    assert 30 <= paragraphs["outlet"].nunique() <= dashboard_scale.N_OUTLETS
    assert N / 30 < len(per_article) < N / 1.5  # several paragraphs per article
    assert paragraphs.groupby("article_id")["outlet"].nunique().eq(1).all()
    assert paragraphs.groupby("article_id")["published"].nunique().eq(1).all()
    # Each article's paragraphs keep their order, from position 0.
    assert paragraphs.groupby("article_id")["position"].min().eq(0).all()
    shares = paragraphs["outlet"].value_counts(normalize=True)
    assert shares.iloc[0] > 3 * shares.iloc[-1]  # a few large outlets, many small ones
    days = (paragraphs["published"].max() - paragraphs["published"].min()).days
    assert 600 <= days < dashboard_scale.DAYS
    assert paragraphs["published"].dt.day_of_week.value_counts().get(6, 0) < \
        paragraphs["published"].dt.day_of_week.value_counts()[2]  # quieter Sundays
    clusters = synthetic.read_table("clusters")
    real_clusters = int((source.read_table("clusters")["cluster"] >= 0).sum())
    assert paragraphs["cluster"].nunique() > real_clusters  # the map is tiled: more clusters
    assert 20 <= int((clusters["cluster"] >= 0).sum()) <= 2 * dashboard_scale.TARGET_CLUSTERS
    assert set(paragraphs["cluster"]) == set(clusters["cluster"])
    assert clusters["label"].is_unique
    sizes = paragraphs["cluster"].value_counts()
    assert clusters.set_index("cluster")["size"].to_dict() == sizes.to_dict()
    members = paragraphs.set_index("paragraph_id")["cluster"]
    for row in clusters.itertuples():
        assert len(row.representatives) and all(members[r] == row.cluster
                                                 for r in row.representatives)
    centroids = synthetic.read_table("centroids")
    assert centroids.set_index("outlet")["paragraphs"].to_dict() == \
        paragraphs["outlet"].value_counts().to_dict()
    ids = set(paragraphs["paragraph_id"])
    assert all(set(n) <= ids for n in paragraphs["neighbours"])


def test_store_is_read_as_a_normal_build(synthetic, monkeypatch):
    manifest = synthetic.manifest()
    assert manifest["counts"]["paragraphs"] == N
    assert manifest["synthetic"]["paragraphs"] == N
    build_id = app_data.active_build_id(synthetic)
    assert build_id == manifest["build_id"]
    paragraphs = app_data.paragraphs(str(synthetic.root), build_id)
    assert len(filter_paragraphs(paragraphs, Filters())) == N
    assert {t["name"] for t in synthetic.read_document("themes")["themes"]} >= {"expansion"}
    assert len(synthetic.read_articles()) == paragraphs["article_id"].nunique()
    # The dashboard's map page opens it (AppTest: no browser) and counts every paragraph.
    monkeypatch.setenv("FRAMING_ATLAS_STORE", str(synthetic.root))
    monkeypatch.chdir(ROOT)
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    app.switch_page("pages/map.py")
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    assert any(f"{N} paragraphs in view" in h.value for h in app.subheader)


def test_a_cached_store_is_reused_and_a_new_size_made(source, synthetic, tmp_path):
    again = dashboard_scale.synthetic_store(N, synthetic.root.parent, source=source,
                                            log=lambda message: None)
    assert again.current_build() == synthetic.current_build()
    smaller = dashboard_scale.synthetic_store(500, synthetic.root.parent, source=source,
                                              log=lambda message: None)
    assert len(smaller.read_table("paragraphs")) == 500
    assert pd.read_parquet(smaller.current_build() / "paragraphs.parquet",
                           columns=["outlet"])["outlet"].nunique() >= 20


def test_table_gives_ratios_to_the_smallest_size_and_says_why_a_page_did_not_draw():
    def page(first, change, rss, status=None):
        return {"first_view": {"seconds": first, **({"status": status} if status else {})},
                "filter_change": {"seconds": change} if change else {"status": "not measured"},
                "rss_mb": rss, "peak_mb": rss}

    results = {"100000": {"pages": {"map": page(6.0, 1.5, 500.0)}},  # the floor is not first
               "1000": {"pages": {"map": page(2.0, 0.5, 200.0)}},
               "1000000": {"pages": {"map": page(None, None, 4000.0,
                                                 "error shown: MessageSizeError: Data of size "
                                                 "360.4 MB exceeds the limit. Please decrease")}}}
    report = {"results": results, "ratios": dashboard_scale.ratios(results), "pages": ["map"]}
    assert report["ratios"]["floor"] == 1000
    assert report["ratios"]["map"]["100000"] == {"first_view": 3.0, "filter_change": 3.0,
                                                 "rss": 2.5}
    assert "first_view" not in report["ratios"]["map"]["1000000"]
    lines = dashboard_scale.table(report).splitlines()
    assert "| map | 100,000 | 6.00 (×3.0) | 1.50 (×3.0) | 500 (×2.5) |" in lines
    assert "| map | 1,000 | 2.00 | 0.50 | 200 |" in lines
    assert [line.split(" | ")[1] for line in lines[2:5]] == ["1,000", "100,000", "1,000,000"]
    failed = next(line for line in lines if "1,000,000" in line)
    assert "MessageSizeError: Data of size 360.4 MB exceeds the limit |" in failed
    assert "not measured" in failed and "4000 (×20.0)" in failed


def test_the_committed_results_make_a_readme_block():
    """bench/readme.py can generate the README's table from bench/results/dashboard_scale.json."""
    from bench import readme

    block = readme.render_block("dashboard_scale.json")
    assert block.startswith("| page | paragraphs | first view s |")
    assert all(f"| {page} | 1,000 |" in block for page in dashboard_scale.PAGES)
