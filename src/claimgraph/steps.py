"""The per-article steps, and how articles run through them in one process.

A step is a function ``(article, spacy_doc) -> None`` that fills the article in place. The
pipeline (``claimgraph.pipeline``) and its worker processes (``claimgraph.workers``) both run
articles through ``process_articles``, so an article gets the same result wherever it ran.
"""
from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, TypeVar

from .errors import Messages
from .extract import extract_claims, extract_method
from .parse import load_nlp, parse_texts
from .records import Article, Failure

if TYPE_CHECKING:
    from spacy.tokens import Doc

__all__ = ["Step", "Timings", "add_time", "timed", "extract_step", "accurate_extract_step", "default_steps",
           "is_default", "run_steps", "process_articles", "MODES", "TAGS_KEY", "is_accurate"]

Step = Callable[[Article, "Doc"], None]
T = TypeVar("T")
Timings = dict[str, float]  # seconds by stage: read, parse, extract, store, dedup ...
MODES = ("fast", "accurate")  # how attributions are tagged: the CRF (fast) or the fine-tuned encoder (accurate)
TAGS_KEY = "claimgraph.attribution_tags"  # Doc.user_data key of the encoder's tags, set by process_articles
ENCODER_GROUP = 8  # articles the accurate mode's encoder tags at a time, ahead of their extraction


def extract_step(article: Article, spacy_doc: Doc) -> None:
    """The default step: attributed claims, with speakers, chains, actors and events."""
    article.claims = extract_claims(article, spacy_doc)


def accurate_extract_step(article: Article, spacy_doc: Doc) -> None:
    """The accurate mode's step: as ``extract_step``, on the fine-tuned encoder's tags in place of the
    CRF's (``extract.encoded``); ``process_articles`` tags a group of documents at once and leaves the
    tags in ``spacy_doc.user_data``, else the document is tagged here alone."""
    from .extract.encoded import load_attribution_encoder, load_selector

    tags = spacy_doc.user_data.pop(TAGS_KEY, None)
    if tags is None:
        tags = load_attribution_encoder().tag([spacy_doc])[0]
    article.claims = extract_claims(article, spacy_doc, tags=tags, model=load_selector())


def default_steps(mode: str = "fast") -> dict[str, Step]:
    """The default steps by versioned name (``NAME@CODE+DIGEST``, see ``claimgraph.versions``): the
    names, joined, are stored as each article's ``method``, so a store can tell which are stale.
    Claims are extracted (with speakers, chains, actors and events), then scored for check-worthiness.
    ``mode``: ``fast`` (the CRF tagger) or ``accurate`` (the fine-tuned encoder tagger)."""
    from .factcheck import checkworthy_method, checkworthy_step  # numpy and scikit-learn: loaded on first use

    if mode not in MODES:
        raise ValueError(f"no extraction mode {mode!r} (modes: {', '.join(MODES)})")
    if mode == "accurate":
        return {extract_method(accurate=True): accurate_extract_step, checkworthy_method(): checkworthy_step}
    return {extract_method(): extract_step, checkworthy_method(): checkworthy_step}


def is_default(steps: dict[str, Step], mode: str = "fast") -> bool:
    """Whether ``steps`` are exactly the default ones of ``mode`` (which worker processes can rebuild)."""
    defaults = default_steps(mode)
    return list(steps) == list(defaults) and all(steps[name] is step for name, step in defaults.items())


def is_accurate(steps: dict[str, Step]) -> bool:
    """Whether ``steps`` hold the accurate mode's extraction (whose documents are tagged in groups)."""
    return any(step is accurate_extract_step for step in steps.values())


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
                     n_process: int = 1, timings: Timings | None = None) -> Iterator[Article]:
    """Parse the articles with spaCy and run ``steps`` on each; yield every article in input order
    (rejected ones pass through as they are).

    ``timings``, if given, is added the seconds spent reading the input (``read``), parsing
    (``parse``) and in the steps (``extract``)."""
    pending: deque[Article] = deque()
    clock = timings if timings is not None else {}
    reading: Timings = {"read": 0.0}  # apart: spaCy reads ahead inside the parse, which must not count it

    def texts() -> Iterator[str]:
        for article in timed(articles, reading, "read"):
            pending.append(article)
            if not article.rejected:
                yield article.text

    nlp = load_nlp(model)
    parsed = parse_texts(texts(), nlp=nlp, batch_size=batch_size, n_process=n_process)
    if is_accurate(steps):
        parsed = _tag_ahead(parsed, clock)
    while True:
        started, read_before = time.perf_counter(), reading["read"]
        spacy_doc = next(parsed, None)
        add_time(clock, "parse", time.perf_counter() - started - (reading["read"] - read_before))
        if spacy_doc is None:
            break
        while pending[0].rejected:
            yield pending.popleft()
        article = pending.popleft()
        started = time.perf_counter()
        run_steps(article, spacy_doc, steps)
        add_time(clock, "extract", time.perf_counter() - started)
        yield article
    add_time(clock, "read", reading["read"])
    while pending:
        yield pending.popleft()


def _tag_ahead(parsed: Iterator[Doc], clock: Timings) -> Iterator[Doc]:
    """The parsed documents, tagged by the accurate mode's encoder ``ENCODER_GROUP`` at a time; the
    encoder's seconds go to ``tag`` in ``clock``, not to the parse."""
    from .extract.encoded import load_attribution_encoder

    encoder = load_attribution_encoder()
    while True:
        group: list[Doc] = []
        for doc in parsed:
            group.append(doc)
            if len(group) >= ENCODER_GROUP:
                break
        if not group:
            return
        started = time.perf_counter()
        for doc, tags in zip(group, encoder.tag(group), strict=True):
            doc.user_data[TAGS_KEY] = tags
        tagging = time.perf_counter() - started
        add_time(clock, "tag", tagging)
        add_time(clock, "parse", -tagging)  # the caller counts the time to the next document as parse
        yield from group


def add_time(timings: Timings, stage: str, seconds: float) -> None:
    """Add ``seconds`` to ``stage`` in ``timings``."""
    timings[stage] = timings.get(stage, 0.0) + seconds


def timed(items: Iterable[T], timings: Timings, stage: str) -> Iterator[T]:
    """``items``, adding the time spent producing each to ``stage`` in ``timings``."""
    iterator = iter(items)
    while True:
        started = time.perf_counter()
        try:
            item = next(iterator)
        except StopIteration:
            add_time(timings, stage, time.perf_counter() - started)
            return
        add_time(timings, stage, time.perf_counter() - started)
        yield item
