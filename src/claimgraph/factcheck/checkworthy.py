"""Is this claim worth checking? A score in [0, 1] and a yes / no at a threshold chosen on unseen debates.

The model (``data/factcheck/checkworthy.json``, made by ``scripts/train_checkworthy.py`` on CLEF
CheckThat! 2024 Task 1 English train) stacks, by a logistic regression fitted on out-of-fold
predictions (5-fold cross-validation on train):

- a TF-IDF (words and word pairs) logistic regression: the wording;
- small networks (one hidden layer) on frozen sentence vectors and the structure: the meaning, from
  MiniLM (``minilm``, the ``embeddings`` extra) and from the project's shared encoder (``encoder``,
  ``claimgraph.encoder``: MiniLM fine-tuned on news events; its head is tied to that encoder's file,
  whose SHA-256 the model keeps);
- a tuned head (``tuned``): two BERT layers of its own over the shared encoder's token vectors, started
  from all-MiniLM-L6-v2's layers 5 and 6 and fine-tuned on the training sentences
  (``data/encoder/heads/checkworthy.npz``, run in numpy by ``claimgraph.encoder.layer_stack``);
- the claim's structure, beyond its wording: numbers and quantities, percentages and money, capitalised
  names, past-tense and comparative forms, hedges and opinions, first person, questions, length.

Three variants, each the stack with the best out-of-fold F1 on train's unseen debates among those its
install can run, at the threshold best on those same out-of-fold predictions: ``minilm``
(everything), ``encoder`` (no MiniLM: the core install), ``words`` (no vectors: one sparse dot
product, the pipeline's). Each vector network costs one int8 forward pass per claim.
"""
from __future__ import annotations

import functools
import json
import re
from collections.abc import Sequence
from importlib import resources
from typing import Any

import numpy as np

__all__ = ["CheckworthyModel", "load_checkworthy", "structure_features", "STRUCTURE", "checkworthy_method",
           "PIPELINE_VARIANT", "NETWORKS", "VARIANTS", "encoder_sha256"]

_NUMBER = re.compile(r"\b\d[\d,.]*\b")
_QUANTITY = re.compile(r"%|\bper ?cent\b|\$|£|€|\b(?:million|billion|trillion|thousand|hundred|dollars?|percent)\b",
                       re.IGNORECASE)
_CAPITAL = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-Z][a-z]+")
_PAST = re.compile(r"\b(?:\w+ed|was|were|had|did|went|got|made|took|gave|lost|cut|won|paid|said|voted|passed)\b",
                   re.IGNORECASE)
_COMPARATIVE = re.compile(r"\b(?:\w+est|\w+er than|more|less|fewer|most|least|highest|lowest|record|doubled|tripled|"
                          r"increased?|decreased?|rose|fell|grew|dropped)\b", re.IGNORECASE)
_HEDGE = re.compile(r"\b(?:i think|i believe|i feel|maybe|perhaps|probably|might|could|should|hope|want|going to|"
                    r"will|would|let me|let's|thank|great|wonderful|terrible)\b", re.IGNORECASE)
_FIRST_PERSON = re.compile(r"\b(?:i|i'm|i've|me|my|we|we're|we've|our|us)\b", re.IGNORECASE)
_WORD = re.compile(r"\b\w+\b")

NETWORKS = ("minilm", "encoder")  # the vector networks a stack may read, by the vectors they read
VARIANTS = ("minilm", "encoder", "words")
STRUCTURE = ("numbers", "quantities", "capitals", "past", "comparatives", "hedges", "first_person", "question",
             "words_log", "has_number")


def structure_features(texts: Sequence[str]) -> np.ndarray:
    """(len(texts), len(STRUCTURE)) float32: the claim's structure, counted with regular expressions."""
    rows = np.zeros((len(texts), len(STRUCTURE)), dtype=np.float32)
    for i, text in enumerate(texts):
        words = max(len(_WORD.findall(text)), 1)
        numbers = len(_NUMBER.findall(text))
        rows[i] = (min(numbers, 5), min(len(_QUANTITY.findall(text)), 5), min(len(_CAPITAL.findall(text)), 8) / 4,
                   min(len(_PAST.findall(text)), 6) / 3, min(len(_COMPARATIVE.findall(text)), 4),
                   min(len(_HEDGE.findall(text)), 4), min(len(_FIRST_PERSON.findall(text)), 6) / 3,
                   float(text.rstrip().endswith("?")), np.log1p(words), float(numbers > 0))
    return rows


class CheckworthyModel:
    """The stacked check-worthiness model; ``score(texts)`` -> probabilities, ``threshold`` the yes / no cut.

    The model file holds the variants of ``VARIANTS`` (see the module docstring), thresholds chosen on
    train's held-out debates.

    Not a dataclass: ``__init__`` rebuilds the TF-IDF vectorizer from its vocabulary."""

    def __init__(self, model: dict[str, Any], *, variant: str = "minilm", embedder: Any = None,
                 tuned_head: dict[str, np.ndarray] | None = None):
        from sklearn.feature_extraction.text import TfidfVectorizer

        chosen = model["variants"][variant]
        self.version = f"{model['version']}:{variant}"
        self.variant = variant
        self.threshold = float(chosen["threshold"])
        tfidf = chosen.get("tfidf") or model["tfidf"]  # one vocabulary for all the variants
        self.vectorizer = TfidfVectorizer(vocabulary=tfidf["vocabulary"], ngram_range=tuple(tfidf["ngram_range"]),
                                          sublinear_tf=True, lowercase=True)
        self.vectorizer.idf_ = np.asarray(tfidf["idf"], dtype=np.float64)
        self.tfidf_coef = np.asarray(tfidf["coef"], dtype=np.float64)
        self.tfidf_intercept = float(tfidf["intercept"])
        self.networks = {name: _read_network(chosen[name]) for name in NETWORKS if chosen.get(name)}
        self.encoder_sha256 = (model.get("encoder") or {}).get("sha256")
        stack = chosen["stack"]
        self.stack_inputs = list(stack["inputs"])
        self.stack_mean = np.asarray(stack["mean"], dtype=np.float64)
        self.stack_scale = np.asarray(stack["scale"], dtype=np.float64)
        self.stack_coef = np.asarray(stack["coef"], dtype=np.float64)
        self.stack_intercept = float(stack["intercept"])
        self._embedder = embedder
        self._tuned_head = tuned_head  # the tuned head's arrays (None: data/encoder/heads/checkworthy.npz)

    @property
    def uses_vectors(self) -> bool:
        """Whether the variant reads MiniLM vectors (the ``embeddings`` extra)."""
        return "minilm" in self.networks

    @property
    def uses_encoder(self) -> bool:
        """Whether the variant reads the shared encoder's vectors (``claimgraph.encoder``)."""
        return "encoder" in self.networks or "tuned" in self.stack_inputs

    def _check_encoder(self) -> None:
        """Raise ``ConfigError`` (CG381) when the installed encoder is not the one the network was trained on."""
        found = encoder_sha256()
        if self.encoder_sha256 != found:
            from ..errors import ConfigError, Messages

            raise ConfigError(Messages.CG381.format(variant=self.variant, expected=str(self.encoder_sha256)[:12],
                                                    found=found[:12]))

    def _network(self, name: str, vectors: np.ndarray, structure: np.ndarray) -> np.ndarray:
        """A vector network's log-odds: one hidden layer (ReLU) over the vectors and the structure, the
        mean over its members (networks trained alike from different random starts)."""
        net = self.networks.get(name)
        if net is None:
            raise ValueError(f"this check-worthiness variant has no {name} network: this is a bug in claimgraph")
        scale: dict[str, np.ndarray] = net["scaler"]
        x = (np.hstack([np.asarray(vectors, dtype=np.float64), structure]) - scale["mean"]) / scale["scale"]
        logits: np.ndarray = np.mean([np.maximum(x @ member["hidden"] + member["hidden_bias"], 0.0) @ member["out"]
                                      + member["out_bias"] for member in net["members"]], axis=0)
        return logits

    def _tuned(self, texts: Sequence[str]) -> np.ndarray:
        """The tuned head's log-odds: its BERT layers over each text's encoder token vectors, mean
        pooled, then its logistic output."""
        from ..encoder import layer_stack, load_encoder, load_head

        self._check_encoder()
        if self._tuned_head is None:
            self._tuned_head = load_head("checkworthy")
        if any(value.dtype == np.float16 for value in self._tuned_head.values()):  # stored float16: widened once
            self._tuned_head = {key: value.astype(np.float32) if value.dtype == np.float16 else value
                                for key, value in self._tuned_head.items()}
        head = self._tuned_head
        pooled = np.stack([layer_stack(item.tokens, head).mean(0) for item in load_encoder().encode_tokens(texts)])
        weight = head["out_weight"].astype(np.float64)
        logits: np.ndarray = pooled.astype(np.float64) @ weight + float(head["out_bias"][0])
        return logits

    def inputs(self, texts: Sequence[str], vectors: np.ndarray | None = None,
               encoder_vectors: np.ndarray | None = None) -> np.ndarray:
        """The stacker's inputs, in ``stack_inputs`` order: base models' log-odds, then ``STRUCTURE``.
        ``vectors`` (MiniLM) and ``encoder_vectors`` are made here when not given."""
        structure = structure_features(texts).astype(np.float64)
        columns: dict[str, np.ndarray] = {name: structure[:, i] for i, name in enumerate(STRUCTURE)}
        if "tfidf" in self.stack_inputs:
            columns["tfidf"] = (np.asarray(self.vectorizer.transform(list(texts)) @ self.tfidf_coef).ravel()
                                + self.tfidf_intercept)
        if "minilm" in self.stack_inputs:
            if vectors is None:
                if self._embedder is None:
                    from ..narratives.embed import MiniLMEmbedder

                    self._embedder = MiniLMEmbedder()
                vectors = self._embedder.embed(list(texts))
            columns["minilm"] = self._network("minilm", vectors, structure)
        if "encoder" in self.stack_inputs:
            if encoder_vectors is None:
                from ..encoder import load_encoder

                self._check_encoder()
                encoder_vectors = load_encoder().encode(list(texts))
            columns["encoder"] = self._network("encoder", encoder_vectors, structure)
        if "tuned" in self.stack_inputs:
            columns["tuned"] = self._tuned(texts)
        stacked: np.ndarray = np.column_stack([columns[name] for name in self.stack_inputs])
        return stacked

    def score(self, texts: Sequence[str], *, vectors: np.ndarray | None = None,
              encoder_vectors: np.ndarray | None = None) -> np.ndarray:
        """The probability that each text is worth checking, in [0, 1]."""
        if not texts:
            return np.zeros(0, dtype=np.float64)
        x = (self.inputs(texts, vectors, encoder_vectors) - self.stack_mean) / self.stack_scale
        probability: np.ndarray = 1.0 / (1.0 + np.exp(-(x @ self.stack_coef + self.stack_intercept)))
        return probability


def _read_network(raw: dict[str, Any]) -> dict[str, Any]:
    """A network from the model file: its input scaler and its members (one, or several whose log-odds
    are averaged), as arrays."""
    def arrays(part: dict[str, Any]) -> dict[str, np.ndarray]:
        return {key: np.asarray(value, dtype=np.float64) for key, value in part.items()}

    members = raw.get("members") or [{key: raw[key] for key in ("hidden", "hidden_bias", "out", "out_bias")}]
    return {"scaler": arrays({"mean": raw["mean"], "scale": raw["scale"]}), "members": [arrays(m) for m in members]}


@functools.cache
def encoder_sha256() -> str:
    """The SHA-256 of the installed shared encoder's file (``data/encoder/model.onnx``), once per process."""
    import hashlib

    data = resources.files("claimgraph.data").joinpath("encoder", "model.onnx").read_bytes()
    return hashlib.sha256(data).hexdigest()


@functools.lru_cache(maxsize=3)
def load_checkworthy(variant: str | None = None) -> CheckworthyModel:
    """The packaged model (``data/factcheck/checkworthy.json``), loaded once per process: the
    ``minilm`` variant when the ``embeddings`` extra is installed, else ``encoder``."""
    if variant is None:
        from ..narratives.embed import minilm_available

        variant = "minilm" if minilm_available() else "encoder"
    raw = resources.files("claimgraph.data").joinpath("factcheck", "checkworthy.json").read_text("utf-8")
    return CheckworthyModel(json.loads(raw), variant=variant)


PIPELINE_VARIANT = "words"  # the pipeline step's: 2 ms per claim, no extra needed (MiniLM: ~15-40 ms)


def checkworthy_method() -> str:
    """The pipeline step's versioned name (``NAME@CODE+DIGEST``, see ``claimgraph.versions``), with its
    variant after ``:``."""
    from ..versions import versioned

    return versioned(f"claimgraph.factcheck.checkworthy.v1:{PIPELINE_VARIANT}", "checkworthy")
