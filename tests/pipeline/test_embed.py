import numpy as np
import pytest

from framing_atlas.pipeline.embed import embed
from framing_atlas.store import Store


def test_vectors_are_unit_length_and_cached(tmp_path, fake_encoder):
    cache = Store(tmp_path).vector_cache("fake")
    texts = ["nato expansion eastward", "missiles and tanks", "nato expansion eastward"]
    vectors, new = embed(texts, encoder=fake_encoder, cache=cache)
    assert new == 2 and fake_encoder.encoded == 2  # the repeated text is embedded once
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1)
    assert np.allclose(vectors[0], vectors[2])
    again, new_again = embed(texts + ["propaganda bots"], encoder=fake_encoder, cache=cache)
    assert new_again == 1 and fake_encoder.encoded == 3
    assert np.allclose(again[:3], vectors)


def test_cache_is_per_model(tmp_path, fake_encoder):
    store = Store(tmp_path)
    embed(["a text"], encoder=fake_encoder, cache=store.vector_cache("model-a"))
    _, new = embed(["a text"], encoder=fake_encoder, cache=store.vector_cache("model-b"))
    assert new == 1


def test_progress_is_reported_per_chunk(tmp_path, fake_encoder):
    seen = []
    embed([f"text number {i} words" for i in range(10)], encoder=fake_encoder,
          cache=Store(tmp_path).vector_cache("fake"), chunk=4,
          progress=lambda d, t, w: seen.append((d, t)))
    assert seen == [(0, 10), (4, 10), (8, 10), (10, 10)]


def test_interrupted_embedding_keeps_finished_chunks(tmp_path, fake_encoder):
    cache = Store(tmp_path).vector_cache("fake")

    class Breaks:
        def __init__(self):
            self.calls = 0

        def encode(self, sentences, **kw):
            self.calls += 1
            if self.calls == 2:
                raise KeyboardInterrupt
            return fake_encoder.encode(sentences)

    texts = [f"paragraph {i} about things" for i in range(8)]
    # The interrupt must reach the caller (pytest.raises fails if embed swallowed it).
    with pytest.raises(KeyboardInterrupt):
        embed(texts, encoder=Breaks(), cache=cache, chunk=4)
    assert cache.size() == 4
    _, new = embed(texts, encoder=fake_encoder, cache=cache, chunk=4)
    assert new == 4


def test_loading_the_bundled_model_leaves_the_environment_unchanged(monkeypatch):
    # issue 10: load_encoder set HF_HUB_OFFLINE in os.environ, changing every later download
    # in the process; it now tells sentence-transformers to use local files only.
    import os

    import sentence_transformers  # noqa: F401  torch sets its own variables when imported

    from framing_atlas.pipeline.embed import load_encoder

    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    before = dict(os.environ)
    encoder = load_encoder("all-MiniLM-L6-v2")
    assert dict(os.environ) == before
    assert encoder.encode(["a fictional harbour council meets"]).shape == (1, 384)


def test_texts_are_embedded_longest_first_across_the_whole_input(tmp_path):
    # issue 12: chunks in arrival order padded each batch to its longest member; the build
    # embedded slower than one plain encode call, which sorts every text by length.
    class Records:
        def __init__(self):
            self.batches = []

        def encode(self, sentences, **kw):
            self.batches.append(list(sentences))
            return np.ones((len(sentences), 3), dtype=np.float32)

    texts = ["x" * n for n in (3, 40, 7, 25, 1, 12)]
    encoder = Records()
    vectors, new = embed(texts, encoder=encoder, cache=Store(tmp_path).vector_cache("fake"),
                         chunk=2)
    assert [[len(t) for t in batch] for batch in encoder.batches] == [[40, 25], [12, 7], [3, 1]]
    assert new == 6 and vectors.shape == (6, 3)  # still in the order given
