"""The project's shared sentence encoder: all-MiniLM-L6-v2 fine-tuned on PLOVER-coded news sentences
(``scripts/train_events.py``), exported to int8 ONNX with one scale per output channel, run by
onnxruntime on one thread. No PyTorch at run time.

``load_encoder()`` (cached once per process) returns an :class:`Encoder` whose ``encode(texts)`` gives
mean-pooled sentence vectors, (n, 384) float32, and ``encode_tokens(texts)`` the per-token vectors with
each token's character offsets, for token heads. Results are kept in a small in-process LRU cache keyed
by the text, so two task heads reading the same claim content cost one forward pass. Task heads are
small ``.npz`` files in ``data/encoder/heads/`` (``load_head(name)``); a head may hold transformer
layers of its own over the shared encoder's token vectors (``layer_stack``), run here in numpy.

Model: all-MiniLM-L6-v2 (sentence-transformers, Apache-2.0); the tokenizer ships next to it.
"""
from __future__ import annotations

import functools
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Any

import numpy as np

from .errors import ConfigError, Messages

__all__ = ["Encoder", "TokenVectors", "load_encoder", "load_head", "layer_stack", "ENCODER_NAME", "MAX_LENGTH", "DIM"]

ENCODER_NAME = "claimgraph.encoder.minilm-plover-int8"
MAX_LENGTH = 96  # word pieces; news sentences and claim contents rarely need more
DIM = 384
_CACHE_SIZE = 2048
HEADS = 12  # MiniLM's attention heads (32 dimensions each)


@dataclass(frozen=True, slots=True)
class TokenVectors:
    """One text's encoder output: per-token vectors (special tokens included), their character offsets
    (``(0, 0)`` for [CLS] / [SEP]), and the mean-pooled sentence vector."""

    tokens: np.ndarray  # (n_tokens, DIM) float32
    offsets: tuple[tuple[int, int], ...]
    special: tuple[bool, ...]
    sentence: np.ndarray  # (DIM,) float32


class Encoder:
    """The int8 ONNX encoder and its tokenizer (see the module docstring).

    Not a dataclass: ``__init__`` opens the ONNX session.
    """

    def __init__(self, model_path: str, tokenizer_path: str, *, name: str, threads: int = 1) -> None:
        import onnxruntime
        from tokenizers import Tokenizer

        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        options.enable_cpu_mem_arena = False  # RSS +47 MB with the session instead of +69 MB
        self.session = onnxruntime.InferenceSession(model_path, options, providers=["CPUExecutionProvider"])
        self.tokenizer = Tokenizer.from_file(tokenizer_path)
        self.tokenizer.no_padding()
        self.tokenizer.enable_truncation(MAX_LENGTH)
        self.name = name
        self.dim = DIM
        self._cache: OrderedDict[str, TokenVectors] = OrderedDict()

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """(len(texts), 384) float32 mean-pooled sentence vectors (not normalised)."""
        if not texts:
            return np.zeros((0, DIM), np.float32)
        return np.stack([item.sentence for item in self.encode_tokens(texts)])

    def encode_tokens(self, texts: Sequence[str]) -> list[TokenVectors]:
        """Per-token vectors and offsets of each text (truncated at ``MAX_LENGTH`` word pieces)."""
        unique = dict.fromkeys(texts)
        # the cached ones first: remembering the fresh ones below may evict them
        found = {text: self._recall(text) for text in unique if text in self._cache}
        missing = [text for text in unique if text not in found]
        fresh: dict[str, TokenVectors] = {}
        # one text per run: the int8 model quantises activations per run, so padding beside a longer
        # text would shift a vector slightly; unpadded, a text's vectors do not depend on its company
        for text, encoding in zip(missing, self.tokenizer.encode_batch(missing), strict=True):
            ids = np.asarray([encoding.ids], np.int64)
            hidden = self.session.run(None, {"input_ids": ids, "attention_mask": np.ones_like(ids),
                                             "token_type_ids": np.zeros_like(ids)})[0]
            tokens = hidden[0].astype(np.float32)
            fresh[text] = TokenVectors(tokens=tokens, offsets=tuple(encoding.offsets),
                                       special=tuple(bool(s) for s in encoding.special_tokens_mask),
                                       sentence=tokens.mean(0))
        for text, item in fresh.items():
            self._remember(text, item)
        found.update(fresh)
        return [found[text] for text in texts]

    def _remember(self, text: str, item: TokenVectors) -> None:
        self._cache[text] = item
        while len(self._cache) > _CACHE_SIZE:
            self._cache.popitem(last=False)

    def _recall(self, text: str) -> TokenVectors:
        item = self._cache[text]
        self._cache.move_to_end(text)
        return item


def _data_path(name: str) -> str:
    return str(resources.files("claimgraph.data").joinpath("encoder", name))


@functools.cache
def load_encoder() -> Encoder:
    """The shared encoder, loaded once per process (single-threaded onnxruntime session)."""
    from .versions import versioned

    try:
        return Encoder(_data_path("model.onnx"), _data_path("tokenizer.json"),
                       name=versioned(ENCODER_NAME, "encoder"))
    except ImportError as e:
        raise ConfigError(Messages.CG141.format(missing=e.name or "onnxruntime")) from e
    except Exception as e:  # onnxruntime raises its own classes for a missing or broken file
        if "onnxruntime" in type(e).__module__ or isinstance(e, OSError):
            raise ConfigError(Messages.CG142.format(path=_data_path("model.onnx"), error=e)) from e
        raise


@functools.cache
def load_head(name: str) -> dict[str, Any]:
    """A task head's arrays from ``data/encoder/heads/{name}.npz`` (weights, biases, label names)."""
    path = _data_path(f"heads/{name}.npz")
    try:
        with np.load(path, allow_pickle=False) as arrays:
            return {key: arrays[key] for key in arrays.files}
    except OSError as e:
        raise ConfigError(Messages.CG142.format(path=path, error=e)) from e


def layer_stack(tokens: np.ndarray, head: dict[str, Any], prefix: str = "layer") -> np.ndarray:
    """One text's token vectors, (n, 384), through the BERT layers a head holds (``{prefix}{i}.*``
    arrays: query / key / value / attention output / intermediate / output weights and biases, two
    layer norms), as ``transformers``' BertLayer computes them without padding. Returns (n, 384)."""
    from scipy.special import erf

    x = np.asarray(tokens, dtype=np.float32)
    n, dim = x.shape
    width = dim // HEADS
    for index in range(int(head.get(f"{prefix}s", 0))):
        w = {key[len(f"{prefix}{index}."):]: np.asarray(value, dtype=np.float32) for key, value in head.items()
             if key.startswith(f"{prefix}{index}.")}
        qkv = x @ w["qkv_weight"] + w["qkv_bias"]  # (n, 3 * dim): query, key, value side by side
        q, k, v = (qkv[:, i * dim:(i + 1) * dim].reshape(n, HEADS, width).transpose(1, 0, 2) for i in range(3))
        scores = q @ k.transpose(0, 2, 1) / np.float32(np.sqrt(width))
        weights = np.exp(scores - scores.max(-1, keepdims=True))
        weights /= weights.sum(-1, keepdims=True)
        context = (weights @ v).transpose(1, 0, 2).reshape(n, dim)
        x = _layer_norm(x + context @ w["attention_weight"] + w["attention_bias"], w["norm1_weight"], w["norm1_bias"])
        hidden = x @ w["intermediate_weight"] + w["intermediate_bias"]
        hidden = 0.5 * hidden * (1.0 + erf(hidden / np.float32(np.sqrt(2.0))))  # exact GELU, as BERT's
        x = _layer_norm(x + hidden @ w["output_weight"] + w["output_bias"], w["norm2_weight"], w["norm2_bias"])
    return x


def _layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray, eps: float = 1e-12) -> np.ndarray:
    mean = x.mean(-1, keepdims=True)
    variance = ((x - mean) ** 2).mean(-1, keepdims=True)
    normed: np.ndarray = (x - mean) / np.sqrt(variance + eps) * weight + bias
    return normed
