"""Ingest, build and export samples of every real corpus in ../shared/data with the bundled model."""

import pandas as pd
import pytest

from conftest import SHARED, needs_real_data
from framing_atlas.pipeline.build import build_atlas
from framing_atlas.pipeline.embed import load_encoder
from framing_atlas.views.filters import Filters, export_table, filter_paragraphs, to_csv
from framing_atlas.inputs.ingest import ColumnMap, ingest
from framing_atlas.settings import load_settings
from framing_atlas.store import Store

pytestmark = [needs_real_data, pytest.mark.slow]

# Feed boilerplate; "read more" as words, so "spread more" in a sentence is no leak.
BOILERPLATE = [r"\bread more\b", r"© getty images", r"read full article"]

# Articles sampled from each corpus: enough for real clusters, small enough for CI.
SAMPLES = {"ukraine_war_media_2022": 120, "zelenskyy_putin_press_releases": 50,
           "disinfo_narratives": 200, "semeval2023_task3": 30, "article_bias_nato": 40,
           "gdelt_five_country_ukraine": 40}


@pytest.fixture(scope="module")
def encoder():
    return load_encoder("all-MiniLM-L6-v2")


def sample_of(name: str, n: int, tmp_path) -> tuple[pd.DataFrame, object]:
    corpus = pd.read_csv(SHARED / "data" / name / "articles.csv.gz", dtype=str,
                         keep_default_na=False)
    sample = corpus.sample(min(n, len(corpus)), random_state=0)
    path = tmp_path / f"{name}.csv.gz"
    sample.to_csv(path, index=False)
    return sample, path


def build_and_export(path, tmp_path, encoder, columns=ColumnMap()):
    store = Store(tmp_path / "store")
    merged, report = ingest([path], store.read_articles(), columns=columns)
    store.write_articles(merged)
    settings = load_settings(store=store.root)
    manifest = build_atlas(settings, encoder=encoder)
    table = export_table(filter_paragraphs(store.read_table("paragraphs"), Filters()),
                         store.read_table("clusters"))
    return report, manifest, table, store


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_corpus_ingests_builds_and_exports(name, tmp_path, encoder):
    sample, path = sample_of(name, SAMPLES[name], tmp_path)
    report, manifest, table, store = build_and_export(path, tmp_path, encoder)
    assert report.rows_read == len(sample)
    assert report.kept + sum(report.skipped.values()) == len(sample)
    assert report.kept >= 0.95 * len(sample)
    assert manifest["counts"]["paragraphs"] == len(table)
    # Every article gives paragraphs, headline-only rows too, except those the manifest
    # names as empty or nothing but boilerplate.
    articles = store.read_articles()
    silent = set(articles["article_id"]) - set(store.read_table("paragraphs")["article_id"])
    gone = manifest["no_paragraph"]
    assert silent == {a["article_id"] for a in gone["articles"]} and len(silent) == gone["count"]
    assert {a["reason"] for a in gone["articles"]} <= {"empty", "boilerplate"}
    assert manifest["counts"]["clusters"] >= 2
    assert set(table["outlet"]) <= set(sample["outlet"].str.strip())
    assert table["cluster_label"].str.len().gt(0).all()
    lowered = table["paragraph"].str.lower()
    for phrase in BOILERPLATE:
        assert not lowered.str.contains(phrase, regex=True).any(), phrase
    csv = to_csv(table)
    assert len(pd.read_csv(__import__("io").BytesIO(csv))) == len(table)


def test_corpus_with_other_column_names(tmp_path, encoder):
    sample, _ = sample_of("gdelt_five_country_ukraine", 30, tmp_path)
    renamed = sample.rename(columns={"outlet": "source", "published": "date", "text": "body"})
    path = tmp_path / "renamed.csv"
    renamed.to_csv(path, index=False)
    report, manifest, table, _ = build_and_export(
        path, tmp_path, encoder, ColumnMap(outlet="source", published="date", text="body"))
    assert report.kept == 30 and set(table["outlet"]) == set(sample["outlet"])
    assert (table["published"] != "").all()
