"""Is this claim worth checking? A score in [0, 1] and a yes / no at a threshold chosen on dev.

The model (``data/factcheck/checkworthy.json``, made by ``scripts/train_checkworthy.py`` on CLEF
CheckThat! 2024 Task 1 English train) stacks, by a logistic regression fitted on out-of-fold
predictions (5-fold cross-validation on train):

- a TF-IDF (words and word pairs) logistic regression: the wording;
- a logistic regression on frozen MiniLM vectors (when the model was trained with them): the meaning;
- the claim's structure, beyond its wording: numbers and quantities, percentages and money, capitalised
  names, past-tense and comparative forms, hedges and opinions, first person, questions, length.

Cheap on purpose: one sparse dot product, and (for the MiniLM part) one int8 forward pass per claim.
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
           "PIPELINE_VARIANT"]

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

    The model file holds two variants chosen on dev: ``minilm`` (with the MiniLM network) and
    ``words`` (without it, for installs without the ``embeddings`` extra).

    Not a dataclass: ``__init__`` rebuilds the TF-IDF vectorizer from its vocabulary."""

    def __init__(self, model: dict[str, Any], *, variant: str = "minilm", embedder: Any = None):
        from sklearn.feature_extraction.text import TfidfVectorizer

        chosen = model["variants"][variant]
        self.version = f"{model['version']}:{variant}"
        self.variant = variant
        self.threshold = float(chosen["threshold"])
        tfidf = chosen["tfidf"]
        self.vectorizer = TfidfVectorizer(vocabulary=tfidf["vocabulary"], ngram_range=tuple(tfidf["ngram_range"]),
                                          sublinear_tf=True, lowercase=True)
        self.vectorizer.idf_ = np.asarray(tfidf["idf"], dtype=np.float64)
        self.tfidf_coef = np.asarray(tfidf["coef"], dtype=np.float64)
        self.tfidf_intercept = float(tfidf["intercept"])
        self.network = ({key: np.asarray(value, dtype=np.float64) for key, value in chosen["minilm"].items()}
                        if chosen.get("minilm") else None)
        stack = chosen["stack"]
        self.stack_inputs = list(stack["inputs"])
        self.stack_mean = np.asarray(stack["mean"], dtype=np.float64)
        self.stack_scale = np.asarray(stack["scale"], dtype=np.float64)
        self.stack_coef = np.asarray(stack["coef"], dtype=np.float64)
        self.stack_intercept = float(stack["intercept"])
        self._embedder = embedder

    @property
    def uses_vectors(self) -> bool:
        return self.network is not None

    def _network(self, vectors: np.ndarray, structure: np.ndarray) -> np.ndarray:
        """The MiniLM network's log-odds: one hidden layer (ReLU) over the vectors and the structure."""
        net = self.network
        if net is None:
            raise ValueError("this check-worthiness variant has no MiniLM network: this is a bug in claimgraph")
        x = (np.hstack([np.asarray(vectors, dtype=np.float64), structure]) - net["mean"]) / net["scale"]
        hidden = np.maximum(x @ net["hidden"] + net["hidden_bias"], 0.0)
        logits: np.ndarray = hidden @ net["out"] + net["out_bias"]
        return logits

    def inputs(self, texts: Sequence[str], vectors: np.ndarray | None = None) -> np.ndarray:
        """The stacker's inputs, in ``stack_inputs`` order: base models' log-odds, then ``STRUCTURE``."""
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
            columns["minilm"] = self._network(vectors, structure)
        stacked: np.ndarray = np.column_stack([columns[name] for name in self.stack_inputs])
        return stacked

    def score(self, texts: Sequence[str], *, vectors: np.ndarray | None = None) -> np.ndarray:
        """The probability that each text is worth checking, in [0, 1]."""
        if not texts:
            return np.zeros(0, dtype=np.float64)
        x = (self.inputs(texts, vectors) - self.stack_mean) / self.stack_scale
        probability: np.ndarray = 1.0 / (1.0 + np.exp(-(x @ self.stack_coef + self.stack_intercept)))
        return probability


@functools.lru_cache(maxsize=2)
def load_checkworthy(variant: str | None = None) -> CheckworthyModel:
    """The packaged model (``data/factcheck/checkworthy.json``), loaded once per process: the
    ``minilm`` variant when the ``embeddings`` extra is installed, else ``words``."""
    if variant is None:
        from ..narratives.embed import minilm_available

        variant = "minilm" if minilm_available() else "words"
    raw = resources.files("claimgraph.data").joinpath("factcheck", "checkworthy.json").read_text("utf-8")
    return CheckworthyModel(json.loads(raw), variant=variant)


PIPELINE_VARIANT = "words"  # the pipeline step's: 2 ms per claim, no extra needed (MiniLM: ~15-40 ms)


def checkworthy_method() -> str:
    """The pipeline step's versioned name (``NAME@CODE+DIGEST``, see ``claimgraph.versions``), with its
    variant after ``:``."""
    from ..versions import versioned

    return versioned(f"claimgraph.factcheck.checkworthy.v1:{PIPELINE_VARIANT}", "checkworthy")
