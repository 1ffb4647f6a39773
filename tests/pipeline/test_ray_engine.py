"""The Ray engine: embed() on Ray Data actors, with a real local Ray and the bundled model."""

import sys

import numpy as np
import pytest
from typer.testing import CliRunner

from conftest import make_articles
from framing_atlas.cli import app
from framing_atlas.errors import AtlasError
from framing_atlas.pipeline.embed import embed, load_encoder
from framing_atlas.pipeline.ray_engine import _uri, embed_with_ray, rows_per_file
from framing_atlas.store import Store, text_hash

MODEL = "all-MiniLM-L6-v2"

# Sentences about fictional places and outlets, joined into 30 distinct paragraphs of one to five
# sentences so the batches hold texts of different lengths (padding differs between engines).
SENTENCES = [
    "The harbour council of Port Averly voted to close the northern pier for repairs.",
    "Fishermen in Lowmarsh said the new quota would halve their winter catch.",
    "The Ridge Tribune (fictional) reported that the ferry to Gullstone will run twice a week.",
    "A spokesperson for the Averly transit board denied that fares would rise in spring.",
    "Residents of Kettle Bay gathered outside the town hall to protest the landfill plan.",
    "The Lantern Post (fictional) described the protest as the largest in a decade.",
    "Engineers warned that the old dam above Millbrook needs strengthening before the thaw.",
    "The mayor of Millbrook promised an independent review of the engineers' findings.",
    "Harbor Gazette (fictional) readers wrote in to complain about the closed library.",
    "Teachers in Gullstone asked for smaller classes and more heating in the schoolhouse.",
    "The regional court in Averly postponed the hearing on the disputed grazing rights.",
    "Farmers on the eastern plateau blamed the drought on a warm and windless autumn.",
]
PARAGRAPHS = [" ".join(SENTENCES[(i + k) % len(SENTENCES)] for k in range(1 + i % 5))
              for i in range(30)]

runner = CliRunner()


@pytest.mark.slow
def test_vectors_match_the_local_engine_in_order_and_duplicates_are_embedded_once(tmp_path):
    import ray

    texts = PARAGRAPHS + PARAGRAPHS[25:]  # five copies of earlier paragraphs
    expected = embed(texts, encoder=load_encoder(MODEL), batch_size=8)[0]
    cache = Store(tmp_path / "store").vector_cache(MODEL)
    cache.add([text_hash(t) for t in PARAGRAPHS[:10]], expected[:10])  # the local engine's
    seen = []
    # The work folder given as a URI, as s3://bucket/prefix would be.
    vectors, computed = embed_with_ray(texts, model=MODEL, cache=cache, batch_size=8,
                                       workers=2, work_dir=f"file://{tmp_path / 'work'}",
                                       progress=lambda d, t, w: seen.append((d, t)))
    assert computed == 20 and cache.size() == 30  # each missing distinct text, once
    assert seen[0] == (0, 20) and seen[-1] == (20, 20)
    # Not bit for bit: the engines batch the texts differently, so padding (and the order of
    # float sums) differs; what differs is float rounding.
    assert np.allclose(vectors, expected, atol=1e-5)
    assert np.array_equal(vectors[30:], vectors[25:30])  # copies get the same row
    assert list((tmp_path / "work").iterdir()) == []  # the call's files are removed
    assert not ray.is_initialized()  # the Ray it started is shut down
    again, none = embed_with_ray(texts, model=MODEL, cache=cache, address="127.0.0.1:1")
    assert none == 0 and np.array_equal(again, vectors)  # all cached: no Ray is asked


@pytest.mark.slow
def test_build_with_the_ray_engine_through_the_cli(tmp_path, themes_file, monkeypatch):
    import ray

    monkeypatch.setenv("FRAMING_ATLAS_THEMES_FILE", str(themes_file))
    monkeypatch.setenv("FRAMING_ATLAS_N_NEIGHBORS", "8")
    store = tmp_path / "store"
    source = tmp_path / "news.csv"
    make_articles(n_per_outlet=4).to_csv(source, index=False)
    assert runner.invoke(app, ["ingest", str(source), "--store", str(store)]).exit_code == 0
    result = runner.invoke(app, ["build", "--store", str(store), "--engine", "ray",
                                 "--ray-workers", "1"])
    assert result.exit_code == 0, result.output
    manifest = Store(store).manifest()
    assert manifest["engine"] == "ray"
    assert manifest["ray"]["workers"] == 1 and manifest["ray"]["address"] == "local"
    paragraphs = Store(store).read_table("paragraphs")
    assert manifest["counts"]["embedded"] == paragraphs["text_hash"].nunique()
    assert not ray.is_initialized()  # the Ray it started for the build is shut down
    assert list((store / "work").iterdir()) == []


@pytest.mark.parametrize("address", ["127.0.0.1:1", "ray://127.0.0.1:1"])
def test_an_unreachable_address_is_a_clear_error(tmp_path, articles, themes_file, address):
    import ray

    assert not ray.is_initialized()  # else the engine would use that Ray, not the address
    with pytest.raises(AtlasError, match=f"cannot reach the Ray cluster at '{address}'"):
        embed_with_ray(PARAGRAPHS[:2], model=MODEL, address=address)
    store = tmp_path / "store"
    source = tmp_path / "news.csv"
    articles.to_csv(source, index=False)
    runner.invoke(app, ["ingest", str(source), "--store", str(store)])
    result = runner.invoke(app, ["build", "--store", str(store), "--engine", "ray",
                                 "--ray-address", address],
                           env={"FRAMING_ATLAS_THEMES_FILE": str(themes_file)})
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert f"error: cannot reach the Ray cluster at '{address}'" in result.output
    assert Store(store).manifest() is None


def test_without_ray_the_error_says_how_to_install_it(monkeypatch):
    monkeypatch.setitem(sys.modules, "ray", None)  # import ray now raises ImportError
    with pytest.raises(AtlasError, match=r"pip install 'ray\[data\]==2.60.0'.*--engine local"):
        embed_with_ray(PARAGRAPHS[:2], model=MODEL)


def test_each_worker_gets_several_blocks_of_whole_batches():
    assert rows_per_file(1000, workers=2, batch_size=64, chunk=512) == 128  # 8 files
    assert rows_per_file(30, workers=2, batch_size=8, chunk=512) == 8
    assert rows_per_file(100_000, workers=2, batch_size=64, chunk=512) == 512
    assert rows_per_file(3, workers=1, batch_size=64, chunk=512) == 64


def test_a_work_folder_uri_keeps_its_scheme_and_options():
    # pyarrow reads an S3-compatible endpoint from the URI's query; the run's folders go in
    # front of it.
    work = "s3://atlas-bucket/work?endpoint_override=minio.example:9000&scheme=http"
    assert _uri(work, "atlas-bucket/work/ray-1", "in") == (
        "s3://atlas-bucket/work/ray-1/in?endpoint_override=minio.example:9000&scheme=http")
    assert _uri("/shared/store/work", "/shared/store/work/ray-1", "out") == (
        "/shared/store/work/ray-1/out")
