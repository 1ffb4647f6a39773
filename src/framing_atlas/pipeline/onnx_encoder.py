"""A faster encoder: a sentence-transformers model run as a dynamically quantized int8 ONNX graph.

The graph is exported once from the local model folder (torch.onnx, then onnxruntime's
quantize_dynamic) and kept in a cache folder under a name that changes with the model's files,
the export settings and the library versions. encode() does what SentenceTransformer.encode
does: texts sorted by length, tokenized by the model's own tokenizer at the model's
max_seq_length, padded per batch, mean-pooled over the attention mask, L2-normalised, and
returned in the order given.

Why these settings: measured on a 2-core Zen 3 CPU (shared/notes/embedding-speed.md), signed
int8 weights, per channel, with reduce_range ran fastest of the variants whose vectors keep a
mean cosine ≥ 0.99 to the fp32 model's; bench/encoder.py measures it again. Only the MatMul
weights are quantized: adding the embedding tables (Gather, in onnxruntime's default list)
lowered the worst paragraph's cosine (0.978 against 0.984 on 400 real paragraphs) and was no
faster.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import tempfile
import time
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import numpy as np

from framing_atlas.errors import AtlasError

log = logging.getLogger(__name__)

# What the exported graph is made with; part of its file name, so a change exports afresh.
EXPORT = {"exporter": "torch.onnx legacy (dynamo=False)", "opset": 17,
          "quantization": "dynamic", "weight_type": "QInt8", "per_channel": True,
          "reduce_range": True, "op_types": ["MatMul"], "graph": "transformer, hidden states out"}
LIBRARIES = ("torch", "transformers", "onnx", "onnxruntime")
# Leftover export folders (a killed export) older than this are removed by the next export.
STALE_SECONDS = 3600
TRY_TORCH = 'use encoder = "torch" (the default) instead'


class OnnxEncoder:
    """encode() with SentenceTransformer.encode's arguments, on an int8 ONNX graph (CPU only)."""

    def __init__(self, graph: Path, folder: Path, *, threads: int | None = None,
                 session=None) -> None:
        from transformers import AutoTokenizer

        self.graph, self.folder = Path(graph), Path(folder)
        layout = model_layout(self.folder)
        self.max_seq_length = layout["max_seq_length"]
        self.lowercase = layout["do_lower_case"]
        self.pooling = layout["pooling"]
        self.normalize = layout["normalize"]
        self.tokenizer = AutoTokenizer.from_pretrained(str(layout["transformer"]),
                                                       local_files_only=True)
        self.session = session or open_session(self.graph, threads=threads)
        self.dimension = int(self.session.get_outputs()[0].shape[-1])

    def encode(self, sentences: list[str] | str, *, batch_size: int = 32,
               normalize_embeddings: bool = False, show_progress_bar: bool | None = None,
               convert_to_numpy: bool = True, **_: object) -> np.ndarray:
        """(n, d) float32 vectors of `sentences`, in their order (one text: a (d,) vector)."""
        single = isinstance(sentences, str)
        texts = [sentences] if single else list(sentences)
        # Longest first, as SentenceTransformer.encode sorts: a batch holds texts of about one
        # length, so little of it is padding.
        order = np.argsort([-len(t) for t in texts], kind="stable")
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for start in range(0, len(texts), batch_size):
            rows = order[start:start + batch_size]
            out[rows] = self._encode_batch([texts[i] for i in rows])
        if normalize_embeddings or self.normalize:
            norms = np.linalg.norm(out, axis=1, keepdims=True)
            out = out / np.where(norms == 0, 1, norms)
        return out[0] if single else out

    def _encode_batch(self, texts: list[str]) -> np.ndarray:
        if self.lowercase:
            texts = [t.lower() for t in texts]
        tokens = self.tokenizer(texts, padding=True, truncation="longest_first",
                                max_length=self.max_seq_length, return_tensors="np")
        mask = tokens["attention_mask"].astype(np.int64)
        hidden = self.session.run(None, {"input_ids": tokens["input_ids"].astype(np.int64),
                                         "attention_mask": mask})[0]
        if self.pooling == "cls":
            return hidden[:, 0].astype(np.float32)
        weights = mask[:, :, None].astype(np.float32)
        summed = (hidden * weights).sum(axis=1)
        return (summed / np.clip(weights.sum(axis=1), 1e-9, None)).astype(np.float32)


def load_onnx_encoder(folder: Path, *, cache: Path, name: str | None = None,
                      threads: int | None = None) -> OnnxEncoder:
    """The int8 encoder of the sentence-transformers model in `folder`, exported into `cache`
    the first time (under a minute for the bundled model) and reused after. A cached graph
    onnxruntime cannot read (a damaged file) is exported again."""
    graph = exported_graph(folder, cache, name=name)
    try:
        session = open_session(graph, threads=threads)
    except AtlasError as err:
        log.warning("%s; exporting it again", err)
        graph.unlink(missing_ok=True)
        graph = exported_graph(folder, cache, name=name)
        session = open_session(graph, threads=threads)
    return OnnxEncoder(graph, folder, threads=threads, session=session)


# The model folder ----------------------------------------------------------------------------
def model_layout(folder: Path) -> dict:
    """Where a sentence-transformers folder keeps its transformer, and how it pools: the
    transformer's folder, max_seq_length, do_lower_case, pooling ("mean" or "cls") and whether
    it ends with a Normalize module (then every vector is unit length, as there)."""
    folder = Path(folder)
    modules_file = folder / "modules.json"
    if not modules_file.is_file():
        raise AtlasError(f"not a sentence-transformers model folder (no modules.json); "
                         f"{TRY_TORCH}", file=folder)
    modules = json.loads(modules_file.read_text(encoding="utf-8"))
    paths = {m["type"].rsplit(".", 1)[-1]: folder / m.get("path", "") for m in modules}
    if "Transformer" not in paths or "Pooling" not in paths:
        raise AtlasError("the int8 encoder needs a Transformer and a Pooling module; this "
                         f"folder has {sorted(paths)}; {TRY_TORCH}", file=modules_file)
    transformer = paths["Transformer"]
    config_file = transformer / "sentence_bert_config.json"
    config = json.loads(config_file.read_text(encoding="utf-8")) if config_file.is_file() else {}
    pooling = json.loads((paths["Pooling"] / "config.json").read_text(encoding="utf-8"))
    if pooling.get("pooling_mode_mean_tokens"):
        mode = "mean"
    elif pooling.get("pooling_mode_cls_token"):
        mode = "cls"
    else:
        raise AtlasError("the int8 encoder pools by mean or by the first token; this model "
                         f"pools otherwise; {TRY_TORCH}", file=paths["Pooling"] / "config.json")
    max_seq_length = config.get("max_seq_length")
    if max_seq_length is None:
        model_config = json.loads((transformer / "config.json").read_text(encoding="utf-8"))
        max_seq_length = model_config.get("max_position_embeddings", 512)
    return {"transformer": transformer, "max_seq_length": int(max_seq_length),
            "do_lower_case": bool(config.get("do_lower_case", False)), "pooling": mode,
            "normalize": "Normalize" in paths}


def graph_path(folder: Path, cache: Path, *, name: str | None = None) -> Path:
    """Where the int8 graph of the model in `folder` is kept: named after the model, with a
    hash of its files (name, size, time), the export settings and the library versions."""
    folder = Path(folder).resolve()
    files = sorted((str(p.relative_to(folder)), p.stat().st_size, p.stat().st_mtime_ns)
                   for p in folder.rglob("*") if p.is_file())
    libraries = {}
    for library in LIBRARIES:
        try:
            libraries[library] = version(library)
        except PackageNotFoundError:
            libraries[library] = "not installed"
    key = hashlib.sha1(json.dumps([str(folder), files, EXPORT, libraries],
                                  sort_keys=True).encode()).hexdigest()[:16]
    stem = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in (name or folder.name))
    return Path(cache) / f"{stem[-60:]}-int8-{key}.onnx"


# Export --------------------------------------------------------------------------------------
def exported_graph(folder: Path, cache: Path, *, name: str | None = None) -> Path:
    """The int8 graph's path, exported first if it is not in `cache` yet.

    The export works in a temporary folder inside `cache` and moves the finished file into
    place (os.replace), so a graph under its final name is always complete: an interrupted
    export leaves only a temporary folder, which is never read and is removed by a later export.
    """
    final = graph_path(folder, cache, name=name)
    if final.is_file():
        return final
    cache = Path(cache)
    cache.mkdir(parents=True, exist_ok=True)
    remove_leftovers(cache)
    started = time.perf_counter()
    log.info("exporting %s to an int8 ONNX graph (once): %s", folder, final)
    with tempfile.TemporaryDirectory(prefix=".export-", dir=cache) as work:
        work = Path(work)
        try:
            export_fp32(Path(folder), work / "model.onnx")
            quantize(work / "model.onnx", work / "model.int8.onnx")
        except (RuntimeError, ValueError, TypeError, AttributeError, KeyError, OSError) as err:
            raise AtlasError(f"could not export the model to ONNX ({type(err).__name__}: "
                             f"{str(err).splitlines()[0] if str(err) else ''}); {TRY_TORCH}",
                             file=folder) from None
        os.replace(work / "model.int8.onnx", final)
    log.info("exported %s in %.0f s", final.name, time.perf_counter() - started)
    return final


def remove_leftovers(cache: Path) -> None:
    """Remove export folders left by an interrupted export (older than STALE_SECONDS, so a
    concurrent export's folder is left alone)."""
    for leftover in Path(cache).glob(".export-*"):
        try:
            if time.time() - leftover.stat().st_mtime > STALE_SECONDS:
                shutil.rmtree(leftover, ignore_errors=True)
        except OSError:
            continue


def export_fp32(folder: Path, target: Path) -> None:
    """The model's transformer as an fp32 ONNX graph: input_ids and attention_mask in (batch,
    sequence), the last hidden states out (batch, sequence, dimension)."""
    import torch
    from transformers import AutoModel

    transformer = model_layout(folder)["transformer"]
    # Eager attention adds the mask to the scores, which traces; transformers 5 builds its
    # masks with code the legacy exporter cannot trace, so the wrapper builds the additive
    # mask itself and calls the embeddings and the encoder directly.
    model = AutoModel.from_pretrained(str(transformer), attn_implementation="eager",
                                      local_files_only=True).eval()
    if not (hasattr(model, "embeddings") and hasattr(model, "encoder")):
        raise AtlasError(f"the int8 encoder exports BERT-like models (embeddings, encoder); "
                         f"{type(model).__name__} is not one; {TRY_TORCH}", file=folder)

    class Transformer(torch.nn.Module):
        """input_ids, attention_mask → last hidden states, with the additive mask made here."""

        def __init__(self) -> None:
            super().__init__()
            self.model = model

        def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
            embeddings = self.model.embeddings(input_ids=input_ids,
                                               token_type_ids=torch.zeros_like(input_ids))
            keep = attention_mask[:, None, None, :].to(embeddings.dtype)
            additive = (1.0 - keep) * torch.finfo(embeddings.dtype).min
            return self.model.encoder(embeddings, attention_mask=additive).last_hidden_state

    wrapper = Transformer().eval()
    example = torch.ones((2, 8), dtype=torch.long), torch.ones((2, 8), dtype=torch.long)
    with torch.no_grad():
        torch.onnx.export(wrapper, example, str(target), dynamo=False,
                          opset_version=EXPORT["opset"],
                          input_names=["input_ids", "attention_mask"],
                          output_names=["hidden_states"],
                          dynamic_axes={"input_ids": {0: "batch", 1: "sequence"},
                                        "attention_mask": {0: "batch", 1: "sequence"},
                                        "hidden_states": {0: "batch", 1: "sequence"}})


def quantize(source: Path, target: Path) -> None:
    from onnxruntime.quantization import QuantType, quantize_dynamic

    quantize_dynamic(str(source), str(target), op_types_to_quantize=EXPORT["op_types"],
                     per_channel=EXPORT["per_channel"], reduce_range=EXPORT["reduce_range"],
                     weight_type=getattr(QuantType, EXPORT["weight_type"]))


# Running -------------------------------------------------------------------------------------
def cores() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def open_session(graph: Path, *, threads: int | None = None):
    """An onnxruntime CPU session on `graph`, with every graph optimisation and one intra-op
    thread per core; AtlasError if onnxruntime cannot read the file."""
    import onnxruntime as ort
    from onnxruntime.capi.onnxruntime_pybind11_state import (Fail, InvalidArgument, InvalidGraph,
                                                             InvalidProtobuf, NoSuchFile)

    options = ort.SessionOptions()
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    options.intra_op_num_threads = threads or cores()
    options.inter_op_num_threads = 1
    options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    # Idle threads sleep rather than spin: on this 2-core machine shared with other work the
    # int8 encoder was as fast or faster so (min of 5 interleaved runs 8.7 s against 9.4 s), and
    # spinning takes the cores from the rest of the build and the dashboard.
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    try:
        return ort.InferenceSession(str(graph), sess_options=options,
                                    providers=["CPUExecutionProvider"])
    except (Fail, InvalidArgument, InvalidGraph, InvalidProtobuf, NoSuchFile, RuntimeError) as err:
        raise AtlasError(f"onnxruntime cannot read this graph ({str(err).splitlines()[0]})",
                         file=graph) from None
