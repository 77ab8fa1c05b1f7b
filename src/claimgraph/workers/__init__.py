"""Workers: where chunks of articles are parsed and extracted, and the executors that send them there.

Only the pipeline (``Pipeline.pipe`` with ``n_process`` > 1) and the batch driver feed them. The
worker side (``tasks``) runs the same function in this process, in local worker processes
(``local``) or on a Dask cluster (``dask``, the only module that imports dask), so the results
do not depend on where an article ran. The driver merges each result back into its ``Article``.
"""
from __future__ import annotations

import multiprocessing
import os
import threading
import time
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future
from typing import Any, Protocol

from ..errors import ConfigError, Messages
from ..records import Article, Claim, Failure
from ..steps import Timings, add_time, timed
from .local import LocalExecutor
from .tasks import PARSE_BATCH, process_records

__all__ = ["Executor", "LocalExecutor", "available_cores", "make_executor", "chunk_results", "merge_result",
           "pipe_in_workers", "process_records", "PARSE_BATCH", "WORKER_CHUNK"]

WORKER_CHUNK = 8  # articles per task when the pipeline's workers parse and extract (small: output streams)
Result = dict[str, Any]


def available_cores() -> int:
    """The cores this process may run on (its CPU affinity where the system has one, else every
    core): the default number of workers of `claimgraph batch` and `claimgraph ingest`; at least 1."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


class Executor(Protocol):
    """Runs ``tasks.process_records`` on chunks; ``slots`` chunks may be in flight at once."""

    @property
    def slots(self) -> int: ...

    def submit(self, records: list[dict[str, Any]], batch_size: int = PARSE_BATCH) -> Future[list[Result]]: ...

    def close(self) -> None: ...


def make_executor(workers: int, *, dask: bool = False, dask_scheduler: str | None = None,
                  dask_processes: bool = True, start_method: str = "spawn", mode: str = "fast") -> Executor:
    """A local executor of ``workers`` processes, or a Dask one (a local cluster, or ``dask_scheduler``'s);
    ``mode``: the extraction mode (``steps.MODES``; the accurate one on local workers only)."""
    if dask or dask_scheduler:
        if mode != "fast":
            raise ConfigError(Messages.CG437)
        from .dask import DaskExecutor

        return DaskExecutor(workers=workers, address=dask_scheduler, processes=dask_processes)
    if workers < 1:
        raise ConfigError(Messages.CG405.format(option="--workers", value=workers))
    return LocalExecutor(workers, start_method=start_method, mode=mode)


def merge_result(article: Article, result: Result, timings: Timings | None = None) -> Article:
    """``article`` with a worker's result (claims, failures, meta) in place; the worker's stage
    times, where the result carries them, are added to ``timings``."""
    if timings is not None:
        for stage, seconds in (result.get("seconds") or {}).items():
            add_time(timings, stage, seconds)
    article.claims = [Claim.from_dict(claim) for claim in result["claims"]]
    article.failures = [Failure.from_dict(failure) for failure in result["errors"]]
    article.meta = result["meta"]
    return article


def chunk_results(future: Future[list[Result]] | None, articles: list[Article], executor: Executor,
                  batch_size: int) -> list[Result]:
    """The results of ``articles``, submitted together as ``future``; if the chunk failed as a
    whole (a parser crash), the articles one by one, an article that fails alone getting a CG402
    error: one bad record never stops the run."""
    if future is None:
        return []
    try:
        return future.result()
    except Exception:  # noqa: BLE001 - retried below, article by article
        pass
    results = []
    for article in articles:
        try:
            [result] = executor.submit([article.to_dict()], batch_size).result()
        except Exception as e:  # noqa: BLE001 - recorded on the article
            failure = Failure(step="parse", code="CG402", source=article.source,
                              message=Messages.CG402.format(step="parse", detail=repr(e)))
            result = {"claims": [], "meta": article.meta,
                      "errors": [f.to_dict() for f in article.failures] + [failure.to_dict()]}
        results.append(result)
    return results


def pipe_in_workers(articles: Iterable[Article], *, workers: int, batch_size: int,
                    timings: Timings | None = None, mode: str = "fast") -> Iterator[Article]:
    """Every article in input order, parsed and extracted with the default steps of ``mode`` in ``workers``
    local processes (rejected ones pass through as they are). ``timings`` is added the workers'
    stage times (summed over the workers), the time spent reading the input and waiting on workers."""
    clock = timings if timings is not None else {}
    # fork when this process runs no other thread (forking one that does can copy a held lock):
    # the workers then start with the model this process has loaded; otherwise spawn
    start = "fork" if "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1 \
        else "spawn"
    executor = LocalExecutor(workers, start_method=start, mode=mode)
    in_flight: deque[tuple[list[Article], list[Article], Future[list[Result]] | None]] = deque()

    def submit(chunk: list[Article]) -> None:
        sent = [article for article in chunk if not article.rejected]
        future = executor.submit([article.to_dict() for article in sent], batch_size) if sent else None
        in_flight.append((chunk, sent, future))

    def finish() -> Iterator[Article]:
        chunk, sent, future = in_flight.popleft()
        started = time.perf_counter()
        results = chunk_results(future, sent, executor, batch_size)
        add_time(clock, "wait", time.perf_counter() - started)
        for article, result in zip(sent, results, strict=True):
            merge_result(article, result, clock)
        yield from chunk

    try:
        chunk: list[Article] = []
        for article in timed(articles, clock, "read"):
            chunk.append(article)
            if len(chunk) < WORKER_CHUNK:
                continue
            submit(chunk)
            chunk = []
            while len(in_flight) >= executor.slots:
                yield from finish()
        if chunk:
            submit(chunk)
        while in_flight:
            yield from finish()
    finally:
        executor.close()
