"""Named narratives, learned: a two-level classifier trained on labelled articles, with evidence.

The article's sentences are embedded once, with all-MiniLM-L6-v2's static word-piece vectors
(``embed.StaticEmbedder``: no transformer, so classifying costs a few milliseconds an article; on the
labelled articles these scored as well as the model's contextual vectors, docs/evaluation.md). Three
linear heads, trained by
``scripts/train_narratives.py`` on the SemEval-2025 Task 10 English articles (see docs/narratives.md),
read features of those sentence vectors:

1. **Other**: one logistic head per narrative on [mean, max over sentences | the prototype features:
   per narrative, the best sentence cosine to its prototypes (the taxonomy's descriptions and seed
   statements) and the mean of the best three], trained on all articles, the Other ones as
   negatives. The probability of Other is 1 - the best of these; the article is "Other" when it is
   at least ``other_threshold`` (chosen by cross-validation, not a fallback for low scores).
2. **Narratives**: one logistic head per narrative on the same features, trained on the articles that
   have a narrative; the article gets those within ``relative`` of the best one (at most ``max_labels``).
3. **Sub-narratives**: one head per sub-narrative on [mean, max | per named sub-narrative, the best
   and best-three sentence cosine to its own texts]; each chosen narrative gets its best
   sub-narrative when that reaches ``sub_threshold``, else "<narrative>: Other".

A second view, **words** (``words.py``: TF-IDF over the article's words and word pairs), adds two
linear heads: a gate (Other and off-topic articles against those with a narrative) and one head per
narrative, trained also on 426 more articles (English translations of the task's Portuguese,
Bulgarian, Russian and Hindi ones). The probability of Other is the geometric mean of the two views'
Other probabilities; a narrative's is the mean of its two heads'. The views err on different
articles: together they lift narrative micro-F1 and sample F1 (docs/evaluation.md).

Every head is linear in features that are sums over sentences (a mean, a per-dimension maximum, a
best or best-three cosine), so its score splits exactly into one share per sentence (plus a
constant). The sentences with the largest positive shares are the label's **evidence**, with their
character offsets; claims whose spans overlap them are named too (a claim inherits the label).

Weights: ``data/narratives/classifier-minilm.npz`` (with the word view's vocabulary); the word-piece
vectors are read from the ``embeddings`` extra's int8 ONNX file (numpy, onnx and tokenizers at run
time: no PyTorch, no model run).
"""
from __future__ import annotations

import io
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Any

import numpy as np

from ..errors import ConfigError, Messages
from ..records import Article
from .embed import Embedder, StaticEmbedder, static_available
from .taxonomy import OTHER, Taxonomy
from .words import WordVocabulary

__all__ = ["METHOD", "Evidence", "LearnedModel", "Sentence", "article_sentences", "sentence_features", "MODEL_FILE",
           "load_learned_model", "learned_available", "prototype_groups",
           "subnarrative_groups"]

METHOD = "claimgraph.narratives.learned.v2"
MODEL_FILE = "classifier-minilm.npz"
MAX_SENTENCES = 80  # the first sentences of a long article (cost; the lead carries the narrative)
MIN_WORDS = 4
EVIDENCE_PER_LABEL = 3

_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"'”’)]*\s+(?=[\"'“‘(]?[A-Z0-9])|\n+")


@dataclass(slots=True, frozen=True)
class Sentence:
    start: int
    end: int
    text: str


@dataclass(slots=True, frozen=True)
class Evidence:
    """A sentence that weighs for a label: its offsets in ``Article.text``, its share of the score
    (in logits), and the claims whose spans overlap it."""

    start: int
    end: int
    text: str
    weight: float
    claim_ids: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text, "weight": round(self.weight, 4),
                "claim_ids": list(self.claim_ids)}


def article_sentences(text: str, *, max_sentences: int = MAX_SENTENCES) -> list[Sentence]:
    """The sentences of ``text`` with at least ``MIN_WORDS`` words, with offsets (the whole text,
    clipped, when none qualifies)."""
    found, start = [], 0
    for match in [*_SENTENCE_END.finditer(text), None]:
        end = match.start() if match else len(text)
        piece = text[start:end]
        stripped = piece.strip()
        if len(stripped.split()) >= MIN_WORDS:
            offset = start + (len(piece) - len(piece.lstrip()))
            found.append(Sentence(offset, offset + len(stripped), stripped))
        if match:
            start = match.end()
        if len(found) >= max_sentences:
            break
    if not found and text.strip():
        clipped = text[:1000].strip()
        offset = text.index(clipped)
        found.append(Sentence(offset, offset + len(clipped), clipped))
    return found


def prototype_groups(taxonomy: Taxonomy) -> tuple[list[str], list[str], list[list[int]]]:
    """(group labels, prototype texts, per group the indices of its texts): per narrative, its
    description and seeds and those of its sub-narratives; then per domain (URW, CC) its own
    description and seeds (plain news of the topic: a narrative's lift over its domain tells)."""
    labels: list[str] = []
    texts: list[str] = []
    members: list[list[int]] = []
    groups = [(n.label, list(n.texts) + [t for sub in taxonomy.subnarratives[n.label] for t in sub.texts])
              for n in taxonomy.narratives]
    groups += [(name, list(domain.texts)) for name, domain in taxonomy.domains.items()]
    for label, own in groups:
        labels.append(label)
        members.append(list(range(len(texts), len(texts) + len(own))))
        texts += own
    return labels, texts, members


def subnarrative_groups(taxonomy: Taxonomy) -> tuple[list[str], list[str], list[list[int]]]:
    """(labels, texts, per label the indices of its texts) of the named sub-narratives: the
    sub-narrative head's prototype features."""
    labels: list[str] = []
    texts: list[str] = []
    members: list[list[int]] = []
    for narrative in taxonomy.narratives:
        for sub in taxonomy.subnarratives[narrative.label]:
            if not sub.is_fallback:
                labels.append(sub.label)
                members.append(list(range(len(texts), len(texts) + len(sub.texts))))
                texts += list(sub.texts)
    return labels, texts, members


def sentence_features(vectors: np.ndarray, prototypes: np.ndarray,
                      members: Sequence[Sequence[int]]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(mean+max features, prototype features, responsibilities) of one article's sentence vectors.

    mean+max: 2 x dim; prototype features: per narrative group, the best sentence cosine and the
    mean of the best three. ``responsibilities`` (sentences x all features) splits every feature into
    one share per sentence: the features are the column sums of it."""
    n, dim = vectors.shape
    groups = len(members)
    share = np.zeros((n, 2 * dim + 2 * groups), dtype=np.float64)
    share[:, :dim] = vectors / n
    top = vectors.argmax(axis=0)
    share[top, dim + np.arange(dim)] = vectors[top, np.arange(dim)]
    similarity = vectors @ prototypes.T if len(prototypes) else np.zeros((n, 0))
    for g, member in enumerate(members):
        best = similarity[:, list(member)].max(axis=1) if len(member) else np.zeros(n)
        order = np.argsort(-best, kind="stable")
        share[order[0], 2 * dim + 2 * g] = best[order[0]]
        k = min(3, n)
        share[order[:k], 2 * dim + 2 * g + 1] = best[order[:k]] / k
    features = share.sum(axis=0)
    return features[:2 * dim], features[2 * dim:], share


@dataclass(slots=True)
class _Head:
    """Logistic heads over standardised features: sigmoid(((x - mu) / sigma) @ coef.T + intercept)."""

    coef: np.ndarray  # heads x features
    intercept: np.ndarray
    mu: np.ndarray
    sigma: np.ndarray

    def logits(self, features: np.ndarray) -> np.ndarray:
        result: np.ndarray = ((features - self.mu) / self.sigma) @ self.coef.T + self.intercept
        return result

    def shares(self, responsibilities: np.ndarray) -> np.ndarray:
        """Per sentence and head, its share of the logit (without the constant part)."""
        result: np.ndarray = responsibilities @ (self.coef / self.sigma).T
        return result


def _sigmoid(x: np.ndarray) -> np.ndarray:
    result: np.ndarray = 1.0 / (1.0 + np.exp(-x))
    return result


class LearnedModel:
    """The trained heads and decision settings (from ``MODEL_FILE``); ``classify`` labels an article.

    Not a dataclass: ``__init__`` reads the weights file and embeds the taxonomy's prototypes.
    """

    def __init__(self, arrays: dict[str, np.ndarray], taxonomy: Taxonomy, embedder: Embedder):
        self.meta: dict[str, Any] = json.loads(str(arrays["meta"]))
        if self.meta["embedder"] != embedder.name:
            raise ConfigError(Messages.CG160.format(found=self.meta["embedder"], wanted=embedder.name))
        self.embedder, self.taxonomy = embedder, taxonomy
        group_labels, texts, self.members = prototype_groups(taxonomy)
        self.labels = [str(label) for label in arrays["labels"]]
        if group_labels != [str(label) for label in arrays["group_labels"]]:
            raise ConfigError(Messages.CG160.format(found=f"taxonomy {self.meta['taxonomy']}",
                                                    wanted=f"taxonomy {taxonomy.name}"))
        self.prototypes = embedder.embed(texts)
        _, sub_texts, self.sub_members = subnarrative_groups(taxonomy)
        self.sub_prototypes = embedder.embed(sub_texts)
        self.sub_labels = [str(label) for label in arrays["sub_labels"]]
        self.other = _Head(arrays["other_coef"], arrays["other_intercept"], arrays["other_mu"], arrays["other_sigma"])
        self.narrative = _Head(arrays["nar_coef"], arrays["nar_intercept"], arrays["nar_mu"], arrays["nar_sigma"])
        self.sub = _Head(arrays["sub_coef"], arrays["sub_intercept"], arrays["sub_mu"], arrays["sub_sigma"])
        self.words: WordVocabulary | None = None
        if "word_terms" in arrays:  # the word view (``words.py``)
            self.words = WordVocabulary(str(arrays["word_terms"]).split("\n"), arrays["word_idf"])
            self.word_other = (arrays["word_other_coef"], arrays["word_other_intercept"])
            self.word_narrative = (arrays["word_nar_coef"], arrays["word_nar_intercept"])
        self.other_threshold = float(self.meta["other_threshold"])
        self.relative = float(self.meta["relative"])
        self.sub_threshold = float(self.meta["sub_threshold"])
        self.max_labels = int(self.meta.get("max_labels", 4))

    def predict(self, vectors: np.ndarray, sentences: Sequence[str] = ()) -> dict[str, Any]:
        """Probabilities and per-sentence shares for one article's sentence vectors (and, for the
        word view, its sentences' texts)."""
        meanmax, proto, share = sentence_features(vectors, self.prototypes, self.members)
        _, sub_proto, sub_share = sentence_features(vectors, self.sub_prototypes, self.sub_members)
        dim = vectors.shape[1]
        narrative_features = np.concatenate([meanmax, proto])
        sub_features = np.concatenate([meanmax, sub_proto])
        gate = _sigmoid(self.other.logits(narrative_features[None]))[0]
        best = int(gate.argmax())
        prediction = {
            "other": 1.0 - float(gate[best]),
            "narratives": _sigmoid(self.narrative.logits(narrative_features[None]))[0],
            "subnarratives": _sigmoid(self.sub.logits(sub_features[None]))[0],
            "narrative_shares": self.narrative.shares(share),
            "sub_shares": self.sub.shares(np.hstack([share[:, :2 * dim], sub_share[:, 2 * dim:]])),
            # what weighs for Other: the shares that lower the likeliest narrative's gate logit
            "other_shares": -self.other.shares(share)[:, best:best + 1],
        }
        if self.words is None:
            return prediction
        # the word view: Other by the geometric mean of the two views, narratives by their mean; the
        # evidence adds the two views' logit shares
        vector, word_share = self.words.features(sentences)
        (other_coef, other_intercept), (nar_coef, nar_intercept) = self.word_other, self.word_narrative
        word_other = float(_sigmoid(vector @ other_coef.T + other_intercept)[0, 0])
        word_narratives = _sigmoid(vector @ nar_coef.T + nar_intercept)[0]
        return prediction | {
            "other": float(np.sqrt(prediction["other"] * word_other)),
            "narratives": (prediction["narratives"] + word_narratives) / 2,
            "narrative_shares": prediction["narrative_shares"] + word_share @ nar_coef.T,
            "other_shares": prediction["other_shares"] + word_share @ other_coef.T,
        }

    def decide(self, prediction: dict[str, Any]) -> tuple[list[str], list[str]]:
        """(narratives, sub-narratives) under the model's thresholds."""
        if prediction["other"] >= self.other_threshold:
            return [OTHER], [OTHER]
        probabilities = prediction["narratives"]
        best = float(probabilities.max())
        order = np.argsort(-probabilities, kind="stable")
        chosen = [self.labels[j] for j in order if probabilities[j] >= best * self.relative][:self.max_labels]
        subnarratives = []
        sub_probabilities = prediction["subnarratives"]
        for narrative in chosen:
            candidates = [j for j, label in enumerate(self.sub_labels)
                          if label.startswith(narrative + ": ") and not label.endswith(f": {OTHER}")]
            top = max(candidates, key=lambda j: sub_probabilities[j], default=None)
            if top is not None and sub_probabilities[top] >= self.sub_threshold:
                subnarratives.append(self.sub_labels[top])
            else:
                subnarratives.append(f"{narrative}: {OTHER}")
        return chosen, subnarratives

    def classify(self, article: Article) -> tuple[list[str], list[str], dict[str, float],
                                                  dict[str, list[Evidence]]]:
        """(narratives, sub-narratives, scores, evidence per label) of one article."""
        sentences = article_sentences(article.text)
        if not sentences:
            return [OTHER], [OTHER], {OTHER: 1.0}, {}
        texts = [s.text for s in sentences]
        prediction = self.predict(self.embedder.embed(texts), texts)
        narratives, subnarratives = self.decide(prediction)
        scores = {OTHER: prediction["other"]}
        scores |= {label: float(p) for label, p in zip(self.labels, prediction["narratives"], strict=True)}
        scores |= {label: float(p) for label, p in zip(self.sub_labels, prediction["subnarratives"], strict=True)}
        evidence: dict[str, list[Evidence]] = {}
        index = {label: j for j, label in enumerate(self.labels)}
        sub_index = {label: j for j, label in enumerate(self.sub_labels)}
        for label in narratives + subnarratives:
            if label in index:
                column = prediction["narrative_shares"][:, index[label]]
            elif label in sub_index:
                column = prediction["sub_shares"][:, sub_index[label]]
            elif label == OTHER:  # what weighs against the narratives: the least narrative-like sentences
                column = prediction["other_shares"][:, 0]
            else:  # "<narrative>: Other": the narrative's own evidence
                parent = label.rsplit(": ", 1)[0]
                evidence[label] = evidence.get(parent, [])
                continue
            evidence[label] = _top_evidence(article, sentences, column)
        return narratives, subnarratives, scores, evidence


def _top_evidence(article: Article, sentences: Sequence[Sentence], shares: np.ndarray) -> list[Evidence]:
    found: list[Evidence] = []
    for row in np.argsort(-shares, kind="stable")[:EVIDENCE_PER_LABEL]:
        if shares[row] <= 0 and found:
            break
        sentence = sentences[row]
        claims = tuple(claim.id for claim in article.claims  # its content overlaps the sentence
                       if any(span.start < sentence.end and span.end > sentence.start for span in claim.content))
        found.append(Evidence(sentence.start, sentence.end, sentence.text, float(shares[row]), claims))
    return found


def learned_available(taxonomy: Taxonomy, embedder: Embedder) -> bool:
    """Whether the shipped model fits this taxonomy, and the classifier was asked for MiniLM (``embedder``,
    the zero-shot backend: with TF-IDF the zero-shot rule stays). The model reads its own static
    word-piece vectors (``StaticEmbedder``), whatever ``embedder`` is."""
    path = resources.files("claimgraph.data").joinpath("narratives", MODEL_FILE)
    if not path.is_file() or "minilm" not in embedder.name or not static_available():
        return False
    with np.load(_bytes_io(path.read_bytes())) as arrays:
        meta = json.loads(str(arrays["meta"]))
        group_labels = [str(label) for label in arrays["group_labels"]]
    return bool(meta["embedder"] == StaticEmbedder.name and group_labels == prototype_groups(taxonomy)[0])


def _bytes_io(raw: bytes) -> io.BytesIO:
    return io.BytesIO(raw)


def load_learned_model(taxonomy: Taxonomy, embedder: Embedder | None = None) -> LearnedModel:
    """The shipped model; ``embedder``: the vectors it was trained on (default: ``StaticEmbedder``)."""
    raw = resources.files("claimgraph.data").joinpath("narratives", MODEL_FILE).read_bytes()
    with np.load(_bytes_io(raw)) as arrays:
        return LearnedModel({key: arrays[key] for key in arrays.files}, taxonomy, embedder or StaticEmbedder())
