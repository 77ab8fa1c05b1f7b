"""Whole-job functions the CLI wraps: extract claims from inputs, or ingest them into a store."""
from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .ingest import DEFAULT_MAX_CHARS, read_articles, with_outlet
from .ingest.language import NOT_ENGLISH, with_language
from .pipeline import Pipeline, load_pipeline
from .records import Article
from .reprocess import Warn, warn_if_stale
from .steps import Timings, add_time
from .store import SQLStore

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from .events import EventCode

__all__ = ["code_article_events", "dated_today", "extract", "ingest", "ingest_articles"]

Report = Callable[[Article, str], None]  # (article, "stored" | "unchanged" | "rejected")


def _announced(articles: Iterable[Article], reading: Callable[[Article], None] | None) -> Iterator[Article]:
    """``articles``, each handed to ``reading`` (if given) as it is read, before it is processed."""
    for article in articles:
        if reading is not None:
            reading(article)
        yield article


def extract(inputs: Iterable[str | Path], *, pipeline: Pipeline | None = None,
            max_chars: int = DEFAULT_MAX_CHARS, outlet: str | None = None) -> Iterator[Article]:
    """Read and process every input record; yield each ``Article`` (rejected ones too), in order."""
    pipeline = pipeline or load_pipeline()
    yield from pipeline.pipe(with_language(with_outlet(read_articles(inputs, max_chars=max_chars), outlet)))


def ingest(inputs: Iterable[str | Path], *, store: SQLStore, pipeline: Pipeline | None = None,
           max_chars: int = DEFAULT_MAX_CHARS, outlet: str | None = None,
           report: Report | None = None, command: str = "ingest", warn: Warn | None = None,
           reading: Callable[[Article], None] | None = None, date_from_ingest: bool = False) -> Counter[str]:
    """Process the inputs and store the results; return counts read / stored / unchanged / rejected
    (and ``not_english``: articles with the CG260 warning; ``undated``: stored without a date).

    ``reading(article)`` is called with every record as it is read, before it is processed, and
    ``report(article, status)`` after it is stored (for progress and error lines); ``warn(message)``
    once with the CG203 warning when the store holds claims an older model made (default: the
    ``claimgraph`` logger). An article without a date is stored with none, unless ``date_from_ingest``:
    then it is dated the day it is ingested (UTC).
    """
    articles = _announced(with_outlet(read_articles(inputs, max_chars=max_chars), outlet), reading)
    if date_from_ingest:
        articles = dated_today(articles)
    return ingest_articles(articles, store=store, pipeline=pipeline, report=report, command=command,
                           config={"max_chars": max_chars, "outlet": outlet, "date_from_ingest": date_from_ingest},
                           warn=warn)


def dated_today(articles: Iterable[Article]) -> Iterator[Article]:
    """``articles``, those without a date dated today (UTC), marked ``meta["date_from_ingest"]``."""
    import datetime as dt

    today = dt.datetime.now(dt.UTC).date().isoformat()
    for article in articles:
        if not article.published and not article.rejected:
            article.published = today
            article.meta["date_from_ingest"] = True
        yield article


def ingest_articles(articles: Iterable[Article], *, store: SQLStore, pipeline: Pipeline | None = None,
                    report: Report | None = None, command: str = "ingest",
                    config: dict[str, Any] | None = None, warn: Warn | None = None) -> Counter[str]:
    """Process already-read articles (rejected ones pass through) and store them; return the counts.

    Warns once (CG203, through ``warn`` or the ``claimgraph`` logger) when the store holds articles
    whose stored method is not ``pipeline.method``: `claimgraph reprocess` makes them again."""
    pipeline = pipeline or load_pipeline()
    counts: Counter[str] = Counter()
    warn_if_stale(store, current=pipeline.method, warn=warn)
    run_id = store.start_run(command, pipeline.config | (config or {}))
    timings: Timings = {}
    before = dict(pipeline.timings)
    matching = store.known_count() > 0  # one count per run: nothing more when no catalogue is imported
    try:
        for article in pipeline.pipe(with_language(articles)):
            counts["read"] += 1
            if any(failure.code == NOT_ENGLISH for failure in article.failures):
                counts["not_english"] += 1
            if not article.rejected and not article.published:
                counts["undated"] += 1
            started = time.perf_counter()
            status = store.save(article, run_id=run_id, method=pipeline.method)
            add_time(timings, "store", time.perf_counter() - started)
            if matching and status == "stored" and article.claims:  # known claims: match the new claims
                started = time.perf_counter()
                from .factcheck import match_stored  # numpy: loaded when claims are matched

                match_stored(store, claim_ids=[claim.id for claim in article.claims])
                add_time(timings, "match", time.perf_counter() - started)
            counts[status] += 1
            counts["claims"] += len(article.claims) if not article.rejected else 0
            if report is not None:
                report(article, status)
    finally:
        for stage, seconds in pipeline.timings.items():
            add_time(timings, stage, seconds - before.get(stage, 0.0))
        store.finish_run(run_id, counts, timings)
    return counts


def code_article_events(inputs: Iterable[str | Path], *, max_chars: int = DEFAULT_MAX_CHARS,
                        n_process: int = 1) -> Iterator[tuple[Article, list[EventCode]]]:
    """(article, PLOVER events) for every input record, in order; rejected records get no events."""
    from .events import code_events, events_method

    found: dict[int, list[EventCode]] = {}

    def step(article: Article, spacy_doc: Doc) -> None:
        found[id(article)] = code_events(spacy_doc, date=article.published)

    pipeline = Pipeline(n_process=n_process, steps={events_method(): step})
    for article in pipeline.pipe(read_articles(inputs, max_chars=max_chars)):
        yield article, found.pop(id(article), [])
