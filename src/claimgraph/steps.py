"""The per-article steps, and how articles run through them in one process.

A step is a function ``(article, spacy_doc) -> None`` that fills the article in place. The
pipeline (``claimgraph.pipeline``) and its worker processes (``claimgraph.workers``) both run
articles through ``process_articles``, so an article gets the same result wherever it ran.
"""
from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING

from .errors import Messages
from .extract import extract_claims, extract_method
from .parse import load_nlp, parse_texts
from .records import Article, Failure

if TYPE_CHECKING:
    from spacy.tokens import Doc

__all__ = ["Step", "extract_step", "default_steps", "is_default", "run_steps", "process_articles"]

Step = Callable[[Article, "Doc"], None]


def extract_step(article: Article, spacy_doc: Doc) -> None:
    """The default step: attributed claims, with speakers, chains, actors and events."""
    article.claims = extract_claims(article, spacy_doc)


def default_steps() -> dict[str, Step]:
    """The default steps by versioned name (``NAME@CODE+DIGEST``, see ``claimgraph.versions``): the
    names, joined, are stored as each article's ``method``, so a store can tell which are stale."""
    return {extract_method(): extract_step}


def is_default(steps: dict[str, Step]) -> bool:
    """Whether ``steps`` are exactly the default ones (which worker processes can rebuild)."""
    name = extract_method()
    return list(steps) == [name] and steps[name] is extract_step


def run_steps(article: Article, spacy_doc: Doc, steps: dict[str, Step]) -> None:
    """Run ``steps`` in order on one parsed article; the first that fails records a CG402 failure."""
    for name, step in steps.items():
        try:
            step(article, spacy_doc)
        except Exception as e:  # noqa: BLE001 - one article must never stop the batch
            article.failures.append(Failure(step=name, code="CG402", source=article.source,
                                            message=Messages.CG402.format(step=name, detail=repr(e))))
            return
    article.meta.setdefault("steps", list(steps))


def process_articles(articles: Iterable[Article], *, model: str, steps: dict[str, Step], batch_size: int,
                     n_process: int = 1) -> Iterator[Article]:
    """Parse the articles with spaCy and run ``steps`` on each; yield every article in input order
    (rejected ones pass through as they are)."""
    pending: deque[Article] = deque()

    def texts() -> Iterator[str]:
        for article in articles:
            pending.append(article)
            if not article.rejected:
                yield article.text

    nlp = load_nlp(model)
    for spacy_doc in parse_texts(texts(), nlp=nlp, batch_size=batch_size, n_process=n_process):
        while pending[0].rejected:
            yield pending.popleft()
        article = pending.popleft()
        run_steps(article, spacy_doc, steps)
        yield article
    while pending:
        yield pending.popleft()
