"""The per-article pipeline: parse -> extract (later: events, ...), ``Article`` in, ``Article`` out.

A step that fails on one article records a ``Failure`` on it and the stream goes on.
"""
from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .errors import Messages
from .extract import METHOD as EXTRACT_METHOD
from .extract import extract_claims
from .parse import DEFAULT_MODEL, load_nlp, parse_texts
from .records import Article, Failure

if TYPE_CHECKING:
    from spacy.tokens import Doc

__all__ = ["Pipeline", "load_pipeline", "Step"]

WORKER_CHUNK = 8  # articles per task when workers parse and extract (small: output keeps streaming)

Step = Callable[[Article, "Doc"], None]


def _extract_step(article: Article, spacy_doc: Doc) -> None:
    article.claims = extract_claims(article, spacy_doc)


@dataclass
class Pipeline:
    """Parse each article once with spaCy, then run the named steps in order.

    ``steps`` maps a versioned name to a function ``(article, spacy_doc) -> None`` that fills
    the article in place; swap or add steps by passing your own mapping.
    """

    model: str = DEFAULT_MODEL
    batch_size: int = 4  # spaCy holds a whole batch in memory: 4 keeps a process near 400 MB on news
    n_process: int = 1
    steps: dict[str, Step] = field(default_factory=lambda: {EXTRACT_METHOD: _extract_step})

    @property
    def config(self) -> dict[str, Any]:
        return {"model": self.model, "batch_size": self.batch_size, "n_process": self.n_process,
                "steps": list(self.steps)}

    def __call__(self, article: Article) -> Article:
        return next(self.pipe([article]))

    def pipe(self, articles: Iterable[Article]) -> Iterator[Article]:
        """Yield every article in input order, processed; rejected ones pass through as they are.

        With ``n_process`` > 1 and the default steps, each worker process parses *and* extracts,
        sending back claims rather than parsed documents (claimgraph.batch's workers); custom
        steps run in this process on documents parsed by spaCy's own workers.
        """
        if self.n_process > 1 and self.model == DEFAULT_MODEL and list(self.steps) == [EXTRACT_METHOD] \
                and self.steps[EXTRACT_METHOD] is _extract_step:
            yield from self._pipe_in_workers(articles)
            return
        pending: deque[Article] = deque()

        def texts() -> Iterator[str]:
            for article in articles:
                pending.append(article)
                if not article.rejected:
                    yield article.text

        nlp = load_nlp(self.model)
        for spacy_doc in parse_texts(texts(), nlp=nlp, batch_size=self.batch_size, n_process=self.n_process):
            while pending[0].rejected:
                yield pending.popleft()
            article = pending.popleft()
            self._run_steps(article, spacy_doc)
            yield article
        while pending:
            yield pending.popleft()

    def _pipe_in_workers(self, articles: Iterable[Article]) -> Iterator[Article]:
        import multiprocessing
        import threading

        from .batch import LocalExecutor, chunk_results, merge_result

        # fork when this process runs no other thread (forking one that does can copy a held lock):
        # the workers then start with the model this process has loaded; otherwise spawn
        start = "fork" if "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1 \
            else "spawn"
        executor = LocalExecutor(self.n_process, start_method=start)
        in_flight: deque[tuple[list[Article], list[Article], Any]] = deque()

        def finish() -> Iterator[Article]:
            chunk, sent, future = in_flight.popleft()
            for article, result in zip(sent, chunk_results(future, sent, executor, self.batch_size)):
                merge_result(article, result)
            yield from chunk

        try:
            chunk: list[Article] = []
            for article in articles:
                chunk.append(article)
                if len(chunk) < WORKER_CHUNK:
                    continue
                in_flight.append(self._submit(chunk, executor))
                chunk = []
                while len(in_flight) >= executor.slots:
                    yield from finish()
            if chunk:
                in_flight.append(self._submit(chunk, executor))
            while in_flight:
                yield from finish()
        finally:
            executor.close()

    def _submit(self, chunk: list[Article], executor) -> tuple[list[Article], list[Article], Any]:
        sent = [article for article in chunk if not article.rejected]
        future = executor.submit([article.to_dict() for article in sent], self.batch_size) if sent else None
        return chunk, sent, future

    def _run_steps(self, article: Article, spacy_doc: Doc) -> None:
        for name, step in self.steps.items():
            try:
                step(article, spacy_doc)
            except Exception as e:  # one article must never stop the batch
                article.failures.append(Failure(step=name, code="CG402", source=article.source,
                                                message=Messages.CG402.format(step=name, detail=repr(e))))
                return
        article.meta.setdefault("steps", list(self.steps))


def load_pipeline(*, model: str = DEFAULT_MODEL, batch_size: int = 4, n_process: int = 1) -> Pipeline:
    """The default pipeline (spaCy parse + rule-based claim extraction)."""
    return Pipeline(model=model, batch_size=batch_size, n_process=n_process)
