from pathlib import Path


from conftest import ROOT
from framing_atlas.pipeline.build import build_atlas
from framing_atlas.pipeline.demo import demo_texts, seed_vector_cache, shipped_hashes
from framing_atlas.inputs.ingest import ingest
from framing_atlas.settings import load_settings
from framing_atlas.store import Store, text_hash

DEMO = ROOT / "data" / "demo"


def test_demo_corpus_is_plainly_fictional():
    articles, report = ingest([DEMO / "articles.csv"], Store(Path("/none")).read_articles())
    assert report.kept == len(articles) >= 120 and not report.problems
    assert articles["outlet"].nunique() >= 6
    assert articles["outlet"].str.endswith("(fictional)").all()
    assert articles["url"].str.contains(r"^https://[a-z-]+\.example/").all()
    span = articles["published"].max() - articles["published"].min()
    assert span.days >= 55  # two months
    assert "fictional" in (DEMO / "README.md").read_text(encoding="utf-8").lower()


def test_shipped_vectors_cover_every_demo_text():
    texts = demo_texts(DEMO / "articles.csv", ROOT / "data" / "themes.toml",
                       ROOT / "data" / "axes.toml", load_settings())
    missing = {text_hash(t) for t in texts} - shipped_hashes(DEMO / "vectors.parquet")
    assert not missing, ("data/demo/vectors.parquet is stale: run "
                         "python data/demo/make_vectors.py")


class MustNotEmbed:
    def encode(self, sentences, **kwargs):
        raise AssertionError(f"embedded {len(sentences)} texts despite the shipped vectors")


def test_first_demo_build_embeds_nothing(tmp_path):
    settings = load_settings(store=tmp_path / "store", themes_file=ROOT / "data" / "themes.toml",
                             axes_file=ROOT / "data" / "axes.toml")
    store = Store(settings.store)
    merged, _ = ingest([DEMO / "articles.csv"], store.read_articles())
    store.write_articles(merged)
    assert seed_vector_cache(store, DEMO / "vectors.parquet", settings.model)
    manifest = build_atlas(settings, encoder=MustNotEmbed())
    assert manifest["counts"]["embedded"] == 0 and manifest["counts"]["clusters"] >= 5


def test_other_models_are_not_seeded(tmp_path):
    assert not seed_vector_cache(Store(tmp_path), DEMO / "vectors.parquet", "some/other-model")
