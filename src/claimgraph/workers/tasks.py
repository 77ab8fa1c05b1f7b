"""The worker side: the one function that processes a chunk of articles, wherever it runs.

A worker (a local process, a Dask worker, or this process) loads the spaCy model and the default
steps once, then turns chunks of ``Article.to_dict`` records into claims, failures and meta.
"""
from __future__ import annotations

import gc
import os
from typing import Any

from ..parse import DEFAULT_MODEL, SEGMENT_CHARS, load_nlp
from ..records import Article
from ..steps import Timings, default_steps, process_articles

__all__ = ["PARSE_BATCH", "BATCH_CHARS", "load_worker", "process_records", "init_worker_process"]

PARSE_BATCH = 8  # texts per spaCy batch in a worker: speed is flat from 4 to 32, memory is not
BATCH_CHARS = SEGMENT_CHARS  # process_records: a chunk this small is parsed as one batch
WARM_UP_TEXT = "Officials said on Monday that the talks in Istanbul would resume."


def load_worker() -> None:
    """Load the model of this process once (later calls find it loaded)."""
    load_nlp(DEFAULT_MODEL)


def process_records(records: list[dict[str, Any]], batch_size: int = PARSE_BATCH,
                    mode: str = "fast") -> list[dict[str, Any]]:
    """Parse and extract a chunk of articles (``Article.to_dict`` records, text included).

    Returns, per article and in order, its claims, failures and meta (no text: the driver has it);
    the first result also carries ``seconds``, the chunk's time by stage in this worker (parse, extract).
    ``mode``: the extraction mode of the default steps (``fast`` or ``accurate``, ``steps.MODES``).
    """
    # the chunk in one spaCy batch when it is small: fewer, fuller batches parse faster, and a
    # batch of at most BATCH_CHARS characters holds no more memory than batch_size long segments
    small = sum(len(record.get("text") or "") for record in records) <= BATCH_CHARS
    articles = [Article.from_dict(record) for record in records]
    timings: Timings = {}
    processed = process_articles(articles, model=DEFAULT_MODEL, steps=default_steps(mode), timings=timings,
                                 batch_size=max(batch_size, len(records)) if small else batch_size)
    results: list[dict[str, Any]] = [
        {"claims": [claim.to_dict() for claim in article.claims],
         "errors": [failure.to_dict() for failure in article.failures], "meta": article.meta}
        for article in processed]
    if results:
        timings.pop("read", None)  # the records came in memory
        results[0]["seconds"] = timings
    return results


def init_worker_process(mode: str = "fast") -> None:
    """A local worker process's initializer: load, warm up (in extraction ``mode``), then set the
    long-lived objects aside."""
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    load_worker()
    # one short article loads what loads lazily (lexicon, tagger, selector, actor tables); then
    # gc.freeze() sets all of it aside, so the cyclic collector, which runs often while claims are
    # extracted, no longer walks the worker's long-lived objects each time
    process_records([Article(id="warm-up", text=WARM_UP_TEXT).to_dict()], mode=mode)
    gc.freeze()
