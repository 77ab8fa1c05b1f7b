"""Named narratives: label an article with the narratives and sub-narratives of a taxonomy.

Zero-shot, by similarity: the article's title, sentences and claim contents ("units") are
embedded and compared with each label's description and seed statements ("prototypes"). A label's
score is the mean of its best ``top_k`` unit similarities. The article is put in the domain (URW,
CC) whose score is highest; it gets the narratives of that domain that score at least ``threshold``
and within ``margin`` of the best one, and "Other" when none does. Two more guards give "Other":
an article that matches no domain (``domain_threshold``), and one that reads no more like any
narrative than like plain news of its domain (``lift``: best narrative score minus domain score).
Each chosen narrative gets its best named sub-narrative when that clears ``sub_threshold``, else
"<narrative>: Other". Thresholds are per backend (scores of TF-IDF and MiniLM differ in scale).

With MiniLM and the default taxonomy, ``NarrativeClassifier`` uses the learned classifier instead
(``learned.py``: heads trained on labelled articles, a calibrated Other, evidence per label); the
zero-shot rule above stays for TF-IDF, other taxonomies, and ``learned=False``.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..errors import ConfigError, Messages
from ..records import Article
from ..versions import versioned
from .embed import Embedder, load_embedder
from .learned import METHOD as LEARNED_METHOD
from .learned import Evidence, LearnedModel, learned_available, load_learned_model
from .taxonomy import OTHER, Label, Taxonomy, load_taxonomy

__all__ = ["NarrativeClassifier", "NarrativeLabels", "Thresholds", "classify_narratives", "article_units",
           "METHOD", "classify_method"]

METHOD = "claimgraph.narratives.classify.v1"


def classify_method(backend: str | None = None, *, learned: bool = False) -> str:
    """The method stored with an article's narrative labels: ``METHOD`` (or the learned model's) with
    the narratives stage's version (``claimgraph.versions``), and ``:backend`` (the embeddings backend
    asked for) if given."""
    method = versioned(LEARNED_METHOD if learned else METHOD, "narratives")
    return f"{method}:{backend}" if backend else method


_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"'”’)]*\s+(?=[\"'“‘(]?[A-Z0-9])|\n+")


@dataclass(slots=True, frozen=True)
class Thresholds:
    threshold: float  # a narrative's score must reach this
    margin: float  # ... and be within this of the best narrative's
    lift: float  # the best narrative must beat the domain score by this much
    domain_threshold: float  # below this the article is off-topic: Other
    sub_threshold: float
    top_k: int = 3
    max_labels: int = 3


# Chosen on the development data described in docs/narratives.md: pro-Kremlin quotes mapped to
# this taxonomy, EUvsDisinfo claim titles, and neutral and off-topic texts written for claimgraph.
DEFAULT_THRESHOLDS = {
    "claimgraph.narratives.minilm-int8.v1": Thresholds(threshold=0.43, margin=0.04, lift=0.03,
                                                       domain_threshold=0.30, sub_threshold=0.40),
    "claimgraph.narratives.tfidf-hashing.v1": Thresholds(threshold=0.10, margin=0.02, lift=0.04,
                                                         domain_threshold=0.02, sub_threshold=0.08),
}


@dataclass(slots=True)
class NarrativeLabels:
    """The narratives of one article, with the scores behind them."""

    id: str
    narratives: list[str]
    subnarratives: list[str]
    domain: str | None = None
    scores: dict[str, float] = field(default_factory=dict)
    evidence: dict[str, list[Evidence]] = field(default_factory=dict)  # label -> sentences that weigh most
    method: str = METHOD

    def evidence_dicts(self) -> dict[str, list[dict[str, Any]]]:
        return {label: [e.to_dict() for e in found] for label, found in self.evidence.items()}

    def to_dict(self, *, with_scores: bool = False) -> dict[str, Any]:
        data: dict[str, Any] = {"id": self.id, "narratives": self.narratives, "subnarratives": self.subnarratives}
        if self.evidence:
            data["evidence"] = self.evidence_dicts()
        if with_scores:
            data["domain"] = self.domain
            data["scores"] = {label: round(score, 4) for label, score in self.scores.items()}
        return data


def split_sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_END.split(text) if s and s.strip()]


def article_units(article: Article, *, max_units: int = 80) -> list[str]:
    """Title, sentences (at least four words) and claim contents: what is compared with the labels."""
    units = [article.title] if article.title else []
    units += [s for s in split_sentences(article.text) if len(s.split()) >= 4]
    units += [claim.content_text for claim in article.claims if len(claim.content_text.split()) >= 4]
    return units[:max_units] or [article.text[:1000]]


class NarrativeClassifier:
    """Embeds a taxonomy's prototypes once; ``classify(article)`` labels one article.

    Not a dataclass: ``__init__`` embeds the prototypes.
    """

    def __init__(self, taxonomy: Taxonomy | None = None, embedder: Embedder | None = None, *,
                 thresholds: Thresholds | None = None, learned: bool = True):
        self.taxonomy = taxonomy or load_taxonomy()
        self.embedder = embedder or load_embedder("auto")
        self.learned: LearnedModel | None = None
        if learned and thresholds is None and learned_available(self.taxonomy, self.embedder):
            self.learned = load_learned_model(self.taxonomy)
        self.thresholds = thresholds or DEFAULT_THRESHOLDS.get(self.embedder.name) or next(
            iter(DEFAULT_THRESHOLDS.values()))
        # every prototype text belongs to one group: a domain, a narrative (its own texts and its
        # sub-narratives'), and a sub-narrative
        self.groups: list[Label] = list(self.taxonomy.domains.values()) + list(self.taxonomy.narratives)
        self.groups += [sub for n in self.taxonomy.narratives for sub in self.taxonomy.subnarratives[n.label]]
        texts: list[str] = []
        members: list[list[int]] = [[] for _ in self.groups]
        index = {label.label: i for i, label in enumerate(self.groups)}
        for label in self.groups:
            for text in label.texts:
                members[index[label.label]].append(len(texts))
                if label.parent is not None:  # a sub-narrative's texts speak for its narrative too
                    members[index[label.parent]].append(len(texts))
                texts.append(text)
        self.embedder.observe(texts)
        self.texts = texts
        self._prototypes: np.ndarray | None = None
        if self.learned is None:  # the learned model has its own: embedded here only when used
            self._prototypes = self.embedder.embed(texts)
        self.members = [np.asarray(m, dtype=np.int64) for m in members]

    @property
    def prototypes(self) -> np.ndarray:
        """The embedded prototype texts (zero-shot scores), embedded on first use."""
        if self._prototypes is None:
            self._prototypes = self.embedder.embed(self.texts)
        return self._prototypes

    def scores(self, units: Sequence[str]) -> dict[str, float]:
        """Each domain's, narrative's and sub-narrative's score for these units."""
        similarity = self.embedder.embed(list(units)) @ self.prototypes.T  # units x prototypes
        if hasattr(similarity, "toarray"):  # exact sparse TF-IDF
            similarity = similarity.toarray()
        k = min(self.thresholds.top_k, len(units))
        result = {}
        for label, members in zip(self.groups, self.members, strict=True):
            best_per_unit = similarity[:, members].max(axis=1)
            result[label.label] = float(np.sort(best_per_unit)[-k:].mean())
        return result

    @property
    def method(self) -> str:
        return classify_method(learned=self.learned is not None)

    def classify(self, article: Article) -> NarrativeLabels:
        if self.learned is not None:
            narratives, subnarratives, scores, evidence = self.learned.classify(article)
            domain = narratives[0].split(":", 1)[0] if narratives != [OTHER] else None
            return NarrativeLabels(id=article.id, narratives=narratives, subnarratives=subnarratives, domain=domain,
                                   scores=scores, evidence=evidence, method=self.method)
        return self.decide(article.id, self.scores(article_units(article)))

    def decide(self, article_id: str, scores: dict[str, float]) -> NarrativeLabels:
        """Labels from the scores of ``scores()`` under ``self.thresholds``."""
        t, taxonomy = self.thresholds, self.taxonomy
        other = NarrativeLabels(id=article_id, narratives=[OTHER], subnarratives=[OTHER], scores=scores)
        domains = {name: scores[name] for name in taxonomy.domains}
        domain = max(domains, key=domains.__getitem__) if domains else None
        other.domain = domain
        candidates = [n for n in taxonomy.narratives if domain is None or n.domain == domain]
        if not candidates or (domain is not None and domains[domain] < t.domain_threshold):
            return other
        ranked = sorted(candidates, key=lambda n: scores[n.label], reverse=True)
        best = scores[ranked[0].label]
        if best < t.threshold or (domain is not None and best - domains[domain] < t.lift):
            return other
        chosen = [n for n in ranked if scores[n.label] >= max(t.threshold, best - t.margin)][:t.max_labels]
        subnarratives = []
        for narrative in chosen:
            subs = taxonomy.subnarratives[narrative.label]
            named = sorted((s for s in subs if not s.is_fallback), key=lambda s: scores[s.label], reverse=True)
            fallback = next((s for s in subs if s.is_fallback), None)
            if named and (scores[named[0].label] >= t.sub_threshold or fallback is None):
                subnarratives.append(named[0].label)
            elif fallback is not None:
                subnarratives.append(fallback.label)
        return NarrativeLabels(id=article_id, narratives=[n.label for n in chosen], subnarratives=subnarratives,
                               domain=domain, scores=scores)


def classify_narratives(articles: Iterable[Article], *, taxonomy: str | Taxonomy | None = None,
                        backend: str = "auto", thresholds: Thresholds | None = None,
                        method: str = "auto") -> Iterable[NarrativeLabels]:
    """Label each article with narratives of ``taxonomy`` (a name, a path or a loaded one).

    ``method``: "learned" (the trained classifier; CG160 when it does not fit the taxonomy and
    backend), "zero-shot", or "auto" (learned when it fits)."""
    if not isinstance(taxonomy, Taxonomy):
        taxonomy = load_taxonomy(taxonomy)
    embedder = load_embedder(backend, dense=False)
    if method == "learned" and not learned_available(taxonomy, embedder):
        raise ConfigError(Messages.CG160.format(found=f"{load_taxonomy().name} taxonomy, MiniLM",
                                                wanted=f"{taxonomy.name} taxonomy, {embedder.name}"))
    classifier = NarrativeClassifier(taxonomy, embedder, thresholds=thresholds, learned=method != "zero-shot")
    for article in articles:
        yield classifier.classify(article)
