"""Taxonomy labels for stored articles: classify, then save the labels with their evidence (the
claims inside the evidence inherit the labels). What ``ingest --narratives``, ``POST /api/articles``
and ``narratives classify --db`` share."""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from ..records import Article
from ..store import SQLStore
from .classify import NarrativeClassifier, NarrativeLabels

__all__ = ["save_labels", "label_articles"]


def save_labels(store: SQLStore, classifier: NarrativeClassifier, labels: NarrativeLabels,
                backend: str | None = None) -> None:
    method = f"{labels.method}:{backend}" if backend else labels.method
    store.save_article_narratives(labels.id, taxonomy=classifier.taxonomy.name, narratives=labels.narratives,
                                  subnarratives=labels.subnarratives, scores=labels.scores, method=method,
                                  evidence=labels.evidence_dicts())


def label_articles(store: SQLStore, articles: Iterable[Article], classifier: NarrativeClassifier) -> Counter[str]:
    """Classify and save each article; return how many were labelled and how many got a narrative."""
    counts: Counter[str] = Counter()
    for article in articles:
        labels = classifier.classify(article)
        save_labels(store, classifier, labels)
        counts["labelled"] += 1
        counts["with_narrative"] += labels.narratives != ["Other"]
    return counts
