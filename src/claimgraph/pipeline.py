"""The per-article pipeline: parse -> steps (claims, speakers, chains, actors, events), ``Article`` in,
``Article`` out.

A step that fails on one article records a ``Failure`` on it and the stream goes on.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from .errors import InputError
from .ingest.articles import article_from_text, rejected
from .parse import DEFAULT_MODEL
from .records import Article
from .steps import MODES, Step, Timings, default_steps, is_default, process_articles
from .workers import pipe_in_workers

__all__ = ["Pipeline", "load_pipeline", "Step"]


@dataclass
class Pipeline:
    """Parse each article once with spaCy, then run the named steps in order.

    ``steps`` maps a versioned name to a function ``(article, spacy_doc) -> None`` that fills
    the article in place; swap or add steps by passing your own mapping. ``mode``: how attributions
    are tagged, ``fast`` (the CRF) or ``accurate`` (the fine-tuned encoder); it names the default
    steps (``steps`` left out) and what worker processes run.
    """

    model: str = DEFAULT_MODEL
    batch_size: int = 4  # spaCy holds a whole batch in memory: 4 keeps a process near 400 MB on news
    n_process: int = 1
    steps: dict[str, Step] = field(default_factory=default_steps)
    mode: str = "fast"
    # seconds by stage (read, parse, extract, wait), added up over every pipe() of this pipeline
    timings: Timings = field(default_factory=dict, repr=False, compare=False)

    @property
    def config(self) -> dict[str, Any]:
        return {"model": self.model, "batch_size": self.batch_size, "n_process": self.n_process,
                "steps": list(self.steps), "mode": self.mode}

    @property
    def method(self) -> str:
        """The versioned names of the steps, as stored with every claim this pipeline makes."""
        return ",".join(self.steps)

    def __call__(self, article: Article | str) -> Article:
        """Process one article; a string is read as a plain-text article (``article_from_text``)."""
        return next(self.pipe([article]))

    def pipe(self, articles: Iterable[Article | str]) -> Iterator[Article]:
        """Yield every article in input order, processed; rejected ones pass through as they are.
        A string is read as a plain-text article; one that cannot be (empty, binary) comes back
        rejected, with its reason, as any other unreadable record.

        With ``n_process`` > 1 and the default steps, each worker process parses *and* extracts,
        sending back claims rather than parsed documents (``claimgraph.workers``); custom steps
        run in this process on documents parsed by spaCy's own workers.
        """
        if isinstance(articles, (str, bytes)):
            raise TypeError("pipe() reads a stream of articles or strings; for one text, call the pipeline itself")
        records = (_as_article(item, n) for n, item in enumerate(articles, 1))
        if self.n_process > 1 and self.model == DEFAULT_MODEL and is_default(self.steps, self.mode):
            yield from pipe_in_workers(records, workers=self.n_process, batch_size=self.batch_size,
                                       timings=self.timings, mode=self.mode)
            return
        yield from process_articles(records, model=self.model, steps=self.steps, batch_size=self.batch_size,
                                    n_process=self.n_process, timings=self.timings)


def _as_article(item: Article | str, number: int) -> Article:
    if isinstance(item, Article):
        return item
    if isinstance(item, str):
        source = f"<text {number}>"
        try:
            return article_from_text(item, source=source)
        except InputError as e:
            return rejected(source, e.code, str(e))
    raise TypeError(f"a pipeline reads Article records or strings, not {type(item).__name__} (item {number})")


def load_pipeline(*, model: str = DEFAULT_MODEL, batch_size: int = 4, n_process: int = 1) -> Pipeline:
    """The default pipeline (spaCy parse + claim extraction).

    ``model``: ``"fast"`` or ``"accurate"``, the extraction mode (attributions tagged by the CRF, or by
    the fine-tuned encoder: better on indirect speech, slower; see docs/evaluation.md), with the
    default spaCy model; any other name is a spaCy model, in the fast mode."""
    if model in MODES:
        return Pipeline(batch_size=batch_size, n_process=n_process, steps=default_steps(model), mode=model)
    return Pipeline(model=model, batch_size=batch_size, n_process=n_process)
