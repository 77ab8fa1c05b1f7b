"""The accurate mode's attribution tagger: a fine-tuned encoder labels every word piece of an article.

all-MiniLM-L6-v2 fine-tuned on PolNeAR train as a token classifier (``scripts/train_attribution_encoder.py``)
labels each word piece ``O``, ``SOURCE``, ``CUE`` or ``CONTENT``. An article is cut into windows of
``WINDOW`` word pieces (``STRIDE`` apart, the last one ending at the article's end); a piece seen by
several windows takes the mean of their logits. Each window runs alone: on these CPUs one window per
onnxruntime run is the fastest and the leanest (29.7 windows/s on one thread, 14.2 in batches of 16,
which also added 300 MB per worker; bench/speed.py), and no window is ever padded (the int8 model
quantises activations per run, so padding beside a window would shift its logits). Each spaCy token
then takes the mean probabilities of the word pieces that overlap it, and the result is a
:class:`~claimgraph.extract.tagger.Tags`, the same reading the CRF gives: the candidate, selector,
speaker, chain, actor and event stages run on it unchanged.

Run time: onnxruntime on one thread, the int8 model (one scale per output channel; attention and layer
norms fused by onnxruntime's transformer optimizer, 1.17x faster than unfused) and its tokenizer in
``data/attribution_encoder/`` (or in the folder ``$CLAIMGRAPH_ATTRIBUTION_ENCODER`` names: a model
of one's own, exported by the training script's ``--out``). No PyTorch.
"""
from __future__ import annotations

import functools
import os
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from typing import TYPE_CHECKING

import numpy as np

from ..errors import ConfigError, Messages
from .model import Selector, load_model
from .tagger import Tags

if TYPE_CHECKING:
    from spacy.tokens import Doc

__all__ = ["LABELS", "STRIDE", "WINDOW", "AttributionEncoder", "PieceLogits", "encoder_available",
           "load_attribution_encoder", "load_selector", "merge_windows", "token_tags", "windows"]

LABELS = ("O", "SOURCE", "CUE", "CONTENT")
WINDOW = 256  # word pieces per window, [CLS] and [SEP] included
STRIDE = 192  # PolNeAR dev F1 as at 128 (0.712 / 0.711), a quarter less encoder time (docs/evaluation.md)
_DIRECTORY = "attribution_encoder"
SELECTOR_FILE = "selector.json"
ENCODER_ENV = "CLAIMGRAPH_ATTRIBUTION_ENCODER"  # a folder with model.onnx and tokenizer.json instead
_CRF_ROLE = {1: "SRC", 2: "CUE", 3: "CON"}


def windows(n_pieces: int, size: int = WINDOW - 2, stride: int = STRIDE) -> list[tuple[int, int]]:
    """Piece ranges [start, end) covering ``n_pieces``: ``stride`` apart, each at most ``size`` long,
    the last one ending at ``n_pieces`` (so no window is shorter than it must be)."""
    if n_pieces <= size:
        return [(0, n_pieces)]
    starts = list(range(0, n_pieces - size, stride))
    starts.append(n_pieces - size)
    return [(start, start + size) for start in dict.fromkeys(starts)]


@dataclass(frozen=True, slots=True)
class PieceLogits:
    """One text's word pieces: their character offsets and the mean logits of the windows over them."""

    offsets: np.ndarray  # (n_pieces, 2) int64
    logits: np.ndarray  # (n_pieces, len(LABELS)) float32


def merge_windows(n_pieces: int, spans: Sequence[tuple[int, int]], outputs: Sequence[np.ndarray]) -> np.ndarray:
    """Mean of the windows' logits per piece (``outputs[k]``: the logits of window ``spans[k]``'s pieces)."""
    total = np.zeros((n_pieces, len(LABELS)), np.float32)
    count = np.zeros((n_pieces, 1), np.float32)
    for (start, end), logits in zip(spans, outputs, strict=True):
        total[start:end] += logits
        count[start:end] += 1
    return total / np.maximum(count, 1)


class AttributionEncoder:
    """The int8 ONNX token classifier and its tokenizer. Not a dataclass: ``__init__`` opens the session."""

    def __init__(self, model_path: str, tokenizer_path: str, *, threads: int = 1, stride: int = STRIDE) -> None:
        import onnxruntime
        from tokenizers import Tokenizer

        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        options.enable_cpu_mem_arena = False
        self.session = onnxruntime.InferenceSession(model_path, options, providers=["CPUExecutionProvider"])
        self.tokenizer = Tokenizer.from_file(tokenizer_path)
        self.tokenizer.no_padding()
        self.tokenizer.no_truncation()
        self.stride = stride
        vocab = self.tokenizer.get_vocab()
        self.cls, self.sep = vocab["[CLS]"], vocab["[SEP]"]

    def logits(self, texts: Sequence[str]) -> list[PieceLogits]:
        """Each text's pieces and logits; every window runs alone (never padded)."""
        result = []
        for encoding in self.tokenizer.encode_batch(list(texts), add_special_tokens=False):
            ids = encoding.ids
            cut = windows(len(ids), stride=self.stride) if ids else []
            outputs = []
            for start, end in cut:
                row = np.asarray([[self.cls, *ids[start:end], self.sep]], np.int64)
                logits = self.session.run(None, {"input_ids": row, "attention_mask": np.ones_like(row),
                                                 "token_type_ids": np.zeros_like(row)})[0]
                outputs.append(logits[0, 1:-1].astype(np.float32))
            offsets = np.asarray(encoding.offsets, np.int64).reshape(-1, 2)
            result.append(PieceLogits(offsets=offsets, logits=merge_windows(len(ids), cut, outputs)))
        return result

    def tag(self, docs: Sequence[Doc]) -> list[Tags]:
        """The tags of each spaCy document (its ``text`` is what the encoder reads)."""
        return [token_tags(doc, pieces) for doc, pieces in zip(docs, self.logits([d.text for d in docs]), strict=True)]


def _softmax(logits: np.ndarray) -> np.ndarray:
    shifted: np.ndarray = np.exp(logits - logits.max(axis=1, keepdims=True))
    result: np.ndarray = shifted / shifted.sum(axis=1, keepdims=True)
    return result


def token_tags(doc: Doc, pieces: PieceLogits) -> Tags:
    """The pieces' probabilities mapped to the spaCy tokens (the mean over the pieces that overlap a
    token; a token no piece overlaps, a space, is ``O``), as BIO labels and per-role probabilities.
    Vectorised: the per-token means come from cumulative sums (float64) over the pieces."""
    from spacy.attrs import IDX, IS_SPACE, LENGTH

    n = len(doc)
    tags = Tags(labels=["O"] * n, cue=[0.0] * n, source=[0.0] * n, content=[0.0] * n)
    if not len(pieces.offsets) or not n:
        return tags
    probabilities = _softmax(pieces.logits)
    columns = doc.to_array([IDX, LENGTH, IS_SPACE]).astype(np.int64)
    begin, space = columns[:, 0], columns[:, 2].astype(bool)
    low = np.searchsorted(pieces.offsets[:, 1], begin, side="right")
    high = np.searchsorted(pieces.offsets[:, 0], begin + columns[:, 1], side="left")
    seen = (high > low) & ~space
    total = np.zeros((len(probabilities) + 1, len(LABELS)))
    np.cumsum(probabilities, axis=0, out=total[1:])
    mean = (total[high] - total[low]) / np.maximum(high - low, 1)[:, None]
    mean[~seen] = 0.0
    best = np.where(seen, mean.argmax(axis=1), 0)
    previous = np.concatenate(([0], best[:-1]))
    tags.source, tags.cue, tags.content = mean[:, 1].tolist(), mean[:, 2].tolist(), mean[:, 3].tolist()
    tags.labels = [("I-" if before == role else "B-") + _CRF_ROLE[role] if role else "O"
                   for role, before in zip(best.tolist(), previous.tolist(), strict=True)]
    return tags


def _data_path(name: str) -> str:
    folder = os.environ.get(ENCODER_ENV)
    if folder:
        return os.path.join(folder, name)
    return str(resources.files("claimgraph.data").joinpath(_DIRECTORY, name))


def load_selector() -> Selector | None:
    """The selector the accurate mode scores candidates with: ``attribution_encoder/selector.json``
    (boosted trees trained on the encoder's tags by scripts/train_attribution.py --learner boosted
    --tags) when packaged, else the
    fast mode's (``attribution_model.json``, trained on the CRF's tags)."""
    selector = _data_path(SELECTOR_FILE)
    return load_model(selector) if os.path.isfile(selector) else load_model()


def encoder_available() -> bool:
    """Whether the accurate mode's model is there (packaged, or in ``$CLAIMGRAPH_ATTRIBUTION_ENCODER``)."""
    return os.path.isfile(_data_path("model.onnx"))


_LOCK = threading.Lock()


@functools.cache
def _load() -> AttributionEncoder:
    path = _data_path("model.onnx")
    try:
        return AttributionEncoder(path, _data_path("tokenizer.json"))
    except ImportError as e:
        raise ConfigError(Messages.CG141.format(missing=e.name or "onnxruntime")) from e
    except Exception as e:  # onnxruntime raises its own classes for a missing or broken file
        if "onnxruntime" in type(e).__module__ or isinstance(e, OSError):
            raise ConfigError(Messages.CG436.format(path=path, error=e)) from e
        raise


def load_attribution_encoder() -> AttributionEncoder:
    """The accurate mode's encoder, loaded once per process (an onnxruntime session may run from
    several threads)."""
    with _LOCK:
        return _load()
