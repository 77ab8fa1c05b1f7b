"""``claimgraph batch``: big corpora, streamed, in bounded memory, resumable after a crash.

The driver reads records lazily and cuts them into chunks. For each chunk, before anything is
parsed, one bulk look-up in the store sorts out the records already done: an id this job already
accounted for (a duplicate id in the input, or a record a killed run of the same job stored) and
an id stored with the same content and method ("unchanged"). The rest go to the workers, which
parse and extract; the driver, the single writer, saves each chunk's results in input order in
one transaction, together with their near-duplicate story links and the chunk's resume marks.
Killing the process loses at most the chunks in flight; the same command run again skips what
was committed and does the rest.

Counts add up: read = stored + unchanged + duplicate + rejected. Every record not stored (or
already stored) is listed in the rejects file (JSON lines: source, line, code, reason).

Workers: ``workers=1`` runs in this process; ``workers=N`` uses N local processes, each loading
the pipeline once; ``dask_scheduler`` (or ``dask=True`` for a local cluster) uses Dask
(``claimgraph.workers.dask``). The same function processes a chunk everywhere
(``claimgraph.workers.tasks``), so the results do not depend on where it ran.
"""
from __future__ import annotations

import hashlib
import json
import os
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from .errors import Messages
from .ingest import DEFAULT_MAX_CHARS, read_articles, with_outlet
from .pipeline import load_pipeline
from .progress import progress_bar, show_progress
from .records import Article, Failure
from .reprocess import Warn, warn_if_stale
from .steps import Timings, add_time, timed
from .workers import PARSE_BATCH, Executor, chunk_results, make_executor, merge_result

if TYPE_CHECKING:
    from .dedup import StoryLinker
    from .store import SQLStore

__all__ = ["BatchOptions", "run_batch", "job_key", "input_bytes", "CHUNK", "PARSE_BATCH"]

CHUNK = 64  # articles per worker task and per write transaction


@dataclass
class BatchOptions:
    max_chars: int = DEFAULT_MAX_CHARS
    outlet: str | None = None
    workers: int = 1                      # `claimgraph batch`: the cores available (workers.available_cores)
    chunk: int = CHUNK
    rejects: str | Path | None = None
    dedup: bool = True
    progress: bool = True
    dask: bool = False                    # a local Dask cluster of `workers` workers
    dask_scheduler: str | None = None     # or this scheduler's address
    dask_processes: bool = True           # local cluster: worker processes (False: threads, for tests)
    parse_batch: int = PARSE_BATCH
    extra: dict[str, Any] = field(default_factory=dict)
    mode: str = "fast"  # the extraction mode (steps.MODES): the CRF tagger, or the fine-tuned encoder


# -- the driver ------------------------------------------------------------------------------------
def job_key(inputs: Iterable[str | Path], method: str, options: BatchOptions) -> str:
    """The identity of a batch job: the same inputs, method and reading options."""
    parts = [str(Path(i).resolve()) if not str(i).startswith(("http://", "https://")) else str(i) for i in inputs]
    digest = hashlib.sha1(json.dumps([parts, method, options.max_chars, options.outlet]).encode())
    return digest.hexdigest()[:20]


def input_bytes(inputs: Iterable[str | Path]) -> int:
    """Total size of the input files (folders walked), for progress and ETA."""
    total = 0
    for item in inputs:
        path = Path(item)
        if path.is_dir():
            total += sum(p.stat().st_size for p in path.rglob("*") if p.is_file())
        elif path.is_file():
            total += path.stat().st_size
    return total


class _Rejects:
    """The rejects file: one JSON line per record that was not stored."""

    def __init__(self, path: str | Path | None):
        self.path = str(path) if path else None
        self.handle: IO[str] | None = open(path, "w", encoding="utf-8") if path else None  # noqa: SIM115

    def write(self, article: Article, code: str, reason: str) -> None:
        if self.handle is None:
            return
        source = article.source or ""
        line = None
        head, _, tail = source.rpartition(":")
        if head and tail.isdigit():
            source, line = head, int(tail)
        self.handle.write(json.dumps({"source": source, "line": line, "id": article.id or None, "code": code,
                                      "reason": reason}, ensure_ascii=False) + "\n")

    def flush(self) -> None:
        if self.handle is not None:
            self.handle.flush()
            os.fsync(self.handle.fileno())

    def close(self) -> None:
        if self.handle is not None:
            self.handle.close()


def _chunks(articles: Iterable[Article], size: int) -> Iterator[list[Article]]:
    chunk: list[Article] = []
    for article in articles:
        chunk.append(article)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


@dataclass
class _Pending:
    """A chunk on its way: every record of it with its fate, the work sent for the live ones."""

    records: list[tuple[Article, str]]   # (article, "process" | "unchanged" | "duplicate" | "rejected")
    future: Future[list[dict[str, Any]]] | None
    seen: list[str]


def run_batch(inputs: list[str | Path], *, store: SQLStore, options: BatchOptions | None = None,
              report: Callable[[Article, str], None] | None = None, warn: Warn | None = None) -> Counter[str]:
    """Process ``inputs`` into ``store``; return the counts (read = stored + unchanged + duplicate + rejected).

    ``report(article, outcome)`` is called for each record once its fate is committed; ``warn(message)``
    once with the CG203 warning when the store holds claims an older model made (default: the
    ``claimgraph`` logger).
    """
    options = options or BatchOptions()
    pipeline = load_pipeline(model=options.mode, batch_size=options.parse_batch)
    method = pipeline.method
    warn_if_stale(store, current=method, warn=warn)
    job = job_key(inputs, method, options)
    linker = None
    if options.dedup:
        from .dedup import StoryLinker, signature

        signature("probe text for the dependency check")  # fails early (CG403) if datasketch is missing
        linker = StoryLinker(store)
    rejects = _Rejects(options.rejects)
    total = input_bytes(inputs) if options.progress else 0
    bar = progress_bar(desc="batch", total=total or None, unit="B", enabled=options.progress)  # CG403 without tqdm
    executor = make_executor(options.workers, dask=options.dask, dask_scheduler=options.dask_scheduler,
                             dask_processes=options.dask_processes, mode=options.mode)
    config = pipeline.config | {"max_chars": options.max_chars, "outlet": options.outlet,
                                "workers": options.workers, "chunk": options.chunk, "job": job,
                                "executor": type(executor).__name__, "dask_scheduler": options.dask_scheduler,
                                "dedup": options.dedup}
    try:
        run_id, resumed = store.start_batch_run(job, config)
    except BaseException:
        executor.close()
        rejects.close()
        raise
    counts: Counter[str] = Counter()
    timings: Timings = {}  # seconds by stage, stored with the run (runs.timings)
    read_bytes = [0]

    def advance(n: int) -> None:
        read_bytes[0] += n

    in_flight: deque[_Pending] = deque()
    window: set[str] = set()  # ids of records in flight, not yet committed
    finished = False
    try:
        records = with_outlet(read_articles(inputs, max_chars=options.max_chars, progress=advance), options.outlet)
        for chunk in _chunks(timed(records, timings, "read"), options.chunk):
            started = time.perf_counter()
            in_flight.append(_triage(chunk, store, run_id, window, method, executor, options.parse_batch))
            add_time(timings, "triage", time.perf_counter() - started)
            while len(in_flight) >= executor.slots or (in_flight[0].future is None and len(in_flight) > 1):
                _commit(in_flight.popleft(), store, run_id, method, linker, rejects, counts, window, report,
                        executor, options.parse_batch, timings)
                show_progress(bar, counts, done=read_bytes[0])
        while in_flight:
            _commit(in_flight.popleft(), store, run_id, method, linker, rejects, counts, window, report,
                    executor, options.parse_batch, timings)
            show_progress(bar, counts, done=read_bytes[0])
        finished = True
    finally:
        executor.close()
        rejects.close()
        if bar is not None:
            bar.close()
        if linker is not None:
            counts["linked"] = linker.linked
        if finished:
            store.finish_batch_run(run_id, counts, resumed, timings)
    return counts


def _triage(chunk: list[Article], store: SQLStore, run_id: int, window: set[str], method: str,
            executor: Executor, batch_size: int) -> _Pending:
    """Decide each record's fate before any parsing: rejected, duplicate id, unchanged, or to process.

    A duplicate is an id this run already met (in flight, or committed: ``batch_seen``). A record a
    killed run of the same job stored is met here for the first time, stored as it is: unchanged.
    """
    live = [a for a in chunk if not a.rejected]
    ids = list(dict.fromkeys(a.id for a in live))
    seen_before = store.seen_in_job(ids, [run_id]) if ids else set()
    versions = store.stored_versions(ids) if ids else {}
    records: list[tuple[Article, str]] = []
    todo: list[Article] = []
    seen: list[str] = []
    for article in chunk:
        if article.rejected:
            records.append((article, "rejected"))
            continue
        if article.id in window or article.id in seen_before:
            records.append((article, "duplicate"))
            continue
        window.add(article.id)
        seen.append(article.id)
        if versions.get(article.id) == (article.content_hash, method):
            records.append((article, "unchanged"))
        else:
            records.append((article, "process"))
            todo.append(article)
    future: Future[list[dict[str, Any]]] | None = None
    if todo:
        try:
            future = executor.submit([a.to_dict() for a in todo], batch_size)
        except Exception as e:  # noqa: BLE001 - in-process work failed: _results retries one by one
            future = Future()
            future.set_exception(e)
    return _Pending(records=records, future=future, seen=seen)


def _results(pending: _Pending, executor: Executor, batch_size: int) -> list[dict[str, Any]]:
    """The results of a chunk's articles that went to the workers."""
    return chunk_results(pending.future, [article for article, fate in pending.records if fate == "process"],
                         executor, batch_size)


def _commit(pending: _Pending, store: SQLStore, run_id: int, method: str, linker: StoryLinker | None,
            rejects: _Rejects, counts: Counter[str], window: set[str],
            report: Callable[[Article, str], None] | None, executor: Executor, batch_size: int,
            timings: Timings) -> None:
    started = time.perf_counter()
    results = iter(_results(pending, executor, batch_size))
    add_time(timings, "wait", time.perf_counter() - started)
    processed = [merge_result(article, next(results), timings) for article, fate in pending.records
                 if fate == "process"]
    duplicates: list[Article] = []
    early: list[Article] = []
    for article, fate in pending.records:
        if fate == "duplicate":
            message = Messages.CG202.format(source=article.source, article_id=article.id)
            article.failures.append(Failure(step="batch", code="CG202", level="warning", message=message,
                                            source=article.source))
            duplicates.append(article)
        elif fate == "rejected":
            early.append(article)
    linked = [0.0]

    def link(article: Article) -> None:
        if linker is not None:
            started = time.perf_counter()
            linker(article)
            linked[0] += time.perf_counter() - started

    started = time.perf_counter()
    outcomes = iter(store.save_chunk(processed, run_id=run_id, method=method, seen=pending.seen,
                                     on_stored=link, not_stored=[*early, *duplicates]))
    add_time(timings, "store", time.perf_counter() - started - linked[0])
    add_time(timings, "dedup", linked[0])
    new_claims: list[str] = []
    for article, fate in pending.records:
        outcome = next(outcomes) if fate == "process" else fate
        counts["read"] += 1
        counts[outcome] += 1
        if outcome == "stored":
            counts["claims"] += len(article.claims)
            new_claims += [claim.id for claim in article.claims]
            counts["words"] += len(article.text.split())
        elif outcome in ("rejected", "duplicate"):
            failure = next((f for f in article.failures if f.level == "error" or f.code == "CG202"),
                           article.failures[0] if article.failures else None)
            rejects.write(article, failure.code if failure else "CG402", failure.message if failure else outcome)
        if report is not None:
            report(article, outcome)
    if new_claims and store.known_count():  # known claims imported: match the new claims against them
        started = time.perf_counter()
        from .factcheck import match_stored  # numpy: loaded when claims are matched

        match_stored(store, claim_ids=new_claims)
        add_time(timings, "match", time.perf_counter() - started)
    for article_id in pending.seen:
        window.discard(article_id)
    rejects.flush()
