"""Whole-job functions the CLI wraps: extract claims from inputs, or ingest them into a store."""
from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from .ingest import DEFAULT_MAX_CHARS, read_articles
from .pipeline import Pipeline, load_pipeline
from .records import Article
from .store import SQLStore

__all__ = ["extract", "ingest", "code_article_events"]

Report = Callable[[Article], None]


def _with_defaults(articles: Iterable[Article], outlet: str | None) -> Iterator[Article]:
    for article in articles:
        if outlet and not article.outlet and not article.rejected:
            article.outlet = outlet
        yield article


def extract(inputs: Iterable[str | Path], *, pipeline: Pipeline | None = None,
            max_chars: int = DEFAULT_MAX_CHARS, outlet: str | None = None) -> Iterator[Article]:
    """Read and process every input record; yield each ``Article`` (rejected ones too), in order."""
    pipeline = pipeline or load_pipeline()
    yield from pipeline.pipe(_with_defaults(read_articles(inputs, max_chars=max_chars), outlet))


def ingest(inputs: Iterable[str | Path], *, store: SQLStore, pipeline: Pipeline | None = None,
           max_chars: int = DEFAULT_MAX_CHARS, outlet: str | None = None,
           report: Report | None = None, command: str = "ingest") -> Counter[str]:
    """Process the inputs and store the results; return counts read / stored / unchanged / rejected.

    ``report`` is called with every article after it is stored (for progress and error lines).
    """
    pipeline = pipeline or load_pipeline()
    counts: Counter[str] = Counter()
    run_id = store.start_run(command, pipeline.config | {"max_chars": max_chars, "outlet": outlet})
    try:
        for article in extract(inputs, pipeline=pipeline, max_chars=max_chars, outlet=outlet):
            counts["read"] += 1
            counts[store.save(article, run_id=run_id, method=",".join(pipeline.steps))] += 1
            counts["claims"] += len(article.claims) if not article.rejected else 0
            if report is not None:
                report(article)
    finally:
        store.finish_run(run_id, counts)
    return counts


def code_article_events(inputs: Iterable[str | Path], *, max_chars: int = DEFAULT_MAX_CHARS,
                        n_process: int = 1) -> Iterator[tuple[Article, list]]:
    """(article, PLOVER events) for every input record, in order; rejected records get no events."""
    from .events import code_events

    found: dict[int, list] = {}

    def step(article: Article, spacy_doc) -> None:
        found[id(article)] = code_events(spacy_doc, date=article.published)

    pipeline = Pipeline(n_process=n_process, steps={"claimgraph.events.lexicon.v1": step})
    for article in pipeline.pipe(read_articles(inputs, max_chars=max_chars)):
        yield article, found.pop(id(article), [])
