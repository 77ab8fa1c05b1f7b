"""Write jobs: POSTed articles processed in the background, in order, while the request answers at once.

A ``JobQueue`` keeps its jobs in memory. Waiting jobs sit in a bounded queue (past the bound,
``submit`` raises ``JobQueueFull``); one worker thread takes them in the order they came and runs
them through the ``process`` function it was given (the API's: one pipeline, one writer to the
store). The jobs waiting when the worker comes for the next one run together, as one stream of
articles, in order: the costs paid once per call (a run in the store, the narratives update) are
paid once for all of them, and each job still gets its own records. Finished jobs are kept up to
a bound, the oldest dropped first. Nothing is persisted: a restart forgets every job, and the
articles of queued ones were never stored.

The worker starts with the first job and stops in ``close`` (the app's lifespan calls it on
shutdown): the running job ends after the article in hand, the queued ones are marked failed.
"""
from __future__ import annotations

import logging
import queue
import secrets
import threading
from collections import Counter, OrderedDict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from ..errors import ClaimgraphError, Messages
from ..records import Article

__all__ = ["Job", "JobQueue", "JobQueueFull", "OnRecord", "Process"]

log = logging.getLogger("claimgraph.api")

GROUP_RECORDS = 16  # waiting jobs run together up to this many records (more: a later "done" for the first)

OnRecord = Callable[[dict[str, Any]], None]
# process(articles, on_record) -> the answer of a synchronous POST: {"items", "counts", "narratives"?}
Process = Callable[[Iterable[Article], OnRecord], dict[str, Any]]


class JobQueueFull(ClaimgraphError):
    """As many jobs as the queue holds are waiting; the client should retry later."""


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


@dataclass(slots=True)
class Job:
    """One POST's articles and what became of them; ``to_dict`` is what ``GET /api/jobs/{id}`` answers."""

    id: str
    total: int
    articles: list[Article] = field(repr=False)  # emptied when the job ends
    status: str = "queued"  # queued -> running -> done | failed
    items: list[dict[str, Any]] = field(default_factory=list)
    summary: dict[str, Any] = field(default_factory=dict)  # counts, narratives: known when done
    failure: dict[str, str] | None = None
    created: str = field(default_factory=_now)
    started: str | None = None
    finished: str | None = None

    @property
    def finished_or_failed(self) -> bool:
        return self.status in ("done", "failed")

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "url": f"/api/jobs/{self.id}", "status": self.status,
                "progress": {"done": len(self.items), "total": self.total},
                "items": list(self.items), "counts": self.summary.get("counts", {}),
                **({"narratives": self.summary["narratives"]} if "narratives" in self.summary else {}),
                "failure": self.failure, "created": self.created, "started": self.started,
                "finished": self.finished}


class JobQueue:
    # not a dataclass: it owns a thread, a queue and a lock
    def __init__(self, process: Process, *, max_queued: int = 32, max_kept: int = 100) -> None:
        self.process, self.max_queued, self.max_kept = process, max_queued, max_kept
        self._jobs: OrderedDict[str, Job] = OrderedDict()
        self._waiting: queue.Queue[Job | None] = queue.Queue(maxsize=max_queued)
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._worker: threading.Thread | None = None

    def submit(self, articles: list[Article]) -> dict[str, Any]:
        """Queue the articles as one job and return its first report (status ``queued``)."""
        job = Job(id=secrets.token_hex(8), total=len(articles), articles=articles)
        with self._lock:
            try:
                self._waiting.put_nowait(job)
            except queue.Full:
                raise JobQueueFull(Messages.CG507.format(queued=self.max_queued)) from None
            self._jobs[job.id] = job
            if self._worker is None:
                self._stopping.clear()
                self._worker = threading.Thread(target=self._work, name="claimgraph-jobs", daemon=True)
                self._worker.start()
            return job.to_dict()

    def get(self, job_id: str) -> dict[str, Any] | None:
        """The job's report, or None when no job has that id (never had, or dropped)."""
        with self._lock:
            job = self._jobs.get(job_id)
            return job.to_dict() if job is not None else None

    def close(self, timeout: float = 60.0) -> None:
        """Stop the worker: the running job ends after its current article, queued jobs fail (CG509).
        A later ``submit`` starts a new worker."""
        with self._lock:
            worker, self._worker = self._worker, None
            if worker is None:
                return
            self._stopping.set()
            while True:
                try:
                    job = self._waiting.get_nowait()
                except queue.Empty:
                    break
                if job is not None:
                    self._end(job, failure=self._stopped(job))
            self._waiting.put_nowait(None)  # the queue was just emptied: room for the worker's stop sign
        worker.join(timeout)
        if worker.is_alive():
            log.warning("the job worker did not stop within %.0f s; it is left to end with the process", timeout)

    # -- the worker thread -------------------------------------------------------------------
    def _work(self) -> None:
        while (job := self._waiting.get()) is not None:
            group, stop = self._with_waiting(job)
            while group:
                group = self._run(group)
            if stop:
                return

    def _with_waiting(self, job: Job) -> tuple[list[Job], bool]:
        """``job`` and the jobs waiting behind it, up to ``GROUP_RECORDS`` records: they run as one
        stream, so the per-call costs (a run in the store, the narratives update) are paid once.
        True when the stop sign came out of the queue with them."""
        group = [job]
        while sum(queued.total for queued in group) < GROUP_RECORDS:
            try:
                more = self._waiting.get_nowait()
            except queue.Empty:
                return group, False
            if more is None:
                return group, True
            group.append(more)
        return group, False

    def _run(self, group: list[Job]) -> list[Job]:
        """Run the jobs of ``group`` in order as one stream; return those to run again because an
        earlier one failed before they started."""
        incomplete = list(group)  # the job whose records come next is first

        def feed() -> Iterator[Article]:
            for job in group:
                with self._lock:
                    job.status, job.started = "running", _now()
                for article in job.articles:
                    if self._stopping.is_set():
                        return
                    yield article

        def on_record(item: dict[str, Any]) -> None:
            with self._lock:
                while len(incomplete[0].items) >= incomplete[0].total:
                    incomplete.pop(0)
                incomplete[0].items.append(item)

        error = None
        try:
            answer = self.process(feed(), on_record)
        except Exception as e:  # one job's failure must not stop the worker; the log has the trace
            log.exception("job %s failed", ", ".join(job.id for job in group))
            answer, error = {}, f"{type(e).__name__}: {e}"
        again: list[Job] = []
        with self._lock:
            failing = next((n for n, job in enumerate(group) if len(job.items) < job.total), None)
            for number, job in enumerate(group):
                job.summary = {"counts": _counts(job.items)} | (
                    {"narratives": answer["narratives"]} if "narratives" in answer else {})
                if error is None:
                    self._end(job, failure=self._stopped(job) if len(job.items) < job.total else None)
                elif failing is None or number == failing:  # after the last record: every job shared it
                    self._end(job, failure={"code": "CG510", "message": Messages.CG510.format(
                        done=len(job.items), total=job.total, detail=error)})
                elif number < failing:
                    self._end(job, failure=None)
                else:  # never started: its turn comes again
                    job.status, job.started = "queued", None
                    again.append(job)
        return again

    @staticmethod
    def _stopped(job: Job) -> dict[str, str]:
        return {"code": "CG509", "message": Messages.CG509.format(done=len(job.items), total=job.total)}

    def _end(self, job: Job, *, failure: dict[str, str] | None) -> None:
        """Mark ``job`` finished (the lock is held) and drop the oldest finished jobs past ``max_kept``."""
        job.status, job.failure, job.finished, job.articles = ("failed" if failure else "done"), failure, _now(), []
        finished = [key for key, kept in self._jobs.items() if kept.finished_or_failed]
        for key in finished[:max(0, len(finished) - self.max_kept)]:
            del self._jobs[key]


def _counts(items: list[dict[str, Any]]) -> dict[str, int]:
    """A job's counts from its records, as ``ingest_articles`` counts a request's."""
    return {"read": len(items), **Counter(item["status"] for item in items),
            "claims": sum(item["claims"] for item in items if item["status"] != "rejected")}
