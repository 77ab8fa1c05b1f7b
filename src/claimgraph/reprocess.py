"""Stale claims: the stored articles an older model made, and ``reprocess``, which extracts them again.

Every stored article carries the method that made its claims, versioned by the code and the data
files (``claimgraph.versions``). An article is *stale* when that method is not the current
pipeline's: after an upgrade of the weights, the lexicons or the code, every article made before.
Ingest and batch store a stale article again when they meet it; ``reprocess`` does it for all of
them, from the text already in the store.

``reprocess`` is resumable like ``claimgraph batch``: the stale articles are extracted in chunks,
and each chunk's new claims are committed together with its resume marks. Killing the process loses
at most the chunk in flight; the same command run again does only the rest (an article stored
again is no longer stale, one that failed is skipped by the rerun of the same job). Once a run
finishes, its marks are dropped: a new run retries the articles that failed.
"""
from __future__ import annotations

import hashlib
import json
import logging
from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any

from .errors import Messages
from .pipeline import Pipeline, load_pipeline
from .records import Article
from .store import SQLStore
from .store.primitives import in_chunks
from .versions import made_since, since_version

__all__ = ["CHUNK", "Warn", "current_method", "stale_methods", "stale_articles", "stale_warning", "warn_if_stale",
           "reprocess"]

CHUNK = 64  # articles per write transaction
MAX_NAMED = 3  # stored methods a warning names
Report = Callable[[Article, str], None]  # (article, "stored" | "rejected" | "changed")
Warn = Callable[[str], None]
log = logging.getLogger("claimgraph")


def current_method() -> str:
    """The method the default pipeline stores with the articles it makes (no model is loaded)."""
    return load_pipeline().method


def stale_methods(store: SQLStore, *, current: str | None = None, since: str | None = None) -> dict[str, int]:
    """The stored methods other than ``current`` (the default pipeline's), each with its number of
    articles. With ``since`` (a code version such as ``0.1.0``; see ``versions.made_since``), only
    the methods made by that code version or newer: methods stored without a version are older."""
    current = current or current_method()
    if since is not None:
        since_version(since)  # a wrong one is an error even when nothing is stale
    return {method: count for method, count in store.article_methods().items()
            if method != current and (since is None or made_since(method, since))}


def stale_articles(store: SQLStore, *, current: str | None = None, since: str | None = None,
                   limit: int | None = 100, offset: int = 0) -> list[dict[str, Any]]:
    """The stale articles in order of arrival: id, title, outlet, published, method (the stored
    one) and claims (their number)."""
    methods = stale_methods(store, current=current, since=since)
    return store.articles_by_method(sorted(methods), limit=limit, offset=offset)


def stale_warning(store: SQLStore, *, current: str | None = None) -> str | None:
    """The CG203 warning when ``store`` holds stale articles, else ``None``."""
    current = current or current_method()
    methods = stale_methods(store, current=current)
    if not methods:
        return None
    named = sorted(methods, key=lambda method: (-methods[method], method))
    shown = ", ".join(method or "no method" for method in named[:MAX_NAMED])
    if len(named) > MAX_NAMED:
        shown += f" and {len(named) - MAX_NAMED} more"
    return Messages.CG203.format(count=sum(methods.values()), path=store.path, methods=shown, current=current)


def warn_if_stale(store: SQLStore, *, current: str, warn: Warn | None = None) -> None:
    """Issue the CG203 warning once, through ``warn`` (default: the ``claimgraph`` logger), when
    ``store`` holds articles ``current`` would make again."""
    message = stale_warning(store, current=current)
    if message is not None:
        (warn or log.warning)(message)


def _job_key(method: str, since: str | None) -> str:
    """The identity of a reprocess job: the same target method and the same ``since``."""
    return "reprocess-" + hashlib.sha1(json.dumps([method, since]).encode()).hexdigest()[:20]


def reprocess(store: SQLStore, *, pipeline: Pipeline | None = None, since: str | None = None,
              chunk: int = CHUNK, report: Report | None = None) -> Counter[str]:
    """Extract again, from their stored text, the stale articles of ``store`` (with ``since``, those
    an older model of that code version or newer made); return the counts.

    Counts: ``stale`` (articles found stale), ``skipped`` (accounted for by a killed run of the same
    job: they failed there), ``read`` = ``stored`` + ``rejected`` + ``changed`` (re-ingested
    meanwhile, left alone), and ``claims`` (of the stored ones). A stored article keeps its place
    and ingestion date; its claims, their events and its narrative labels are replaced (run
    ``claimgraph narratives classify`` / ``update`` again). ``report(article, outcome)`` is called
    for each article once its outcome is committed.
    """
    pipeline = pipeline or load_pipeline()
    method = pipeline.method
    counts: Counter[str] = Counter()
    ids = store.article_ids_by_method(sorted(stale_methods(store, current=method, since=since)))
    counts["stale"] = len(ids)
    if not ids:
        return counts
    job = _job_key(method, since)
    run_id, resumed = store.start_batch_run(job, pipeline.config | {"since": since, "chunk": chunk, "job": job},
                                            command="reprocess")
    done = store.seen_in_job(ids, resumed) if resumed else set()
    todo = [article_id for article_id in ids if article_id not in done]
    counts["skipped"] = len(ids) - len(todo)

    def stored() -> Iterator[Article]:
        for part in in_chunks(todo, chunk):
            for article in store.stored_articles(part):
                article.meta.pop("steps", None)  # the steps that ran: this run's, not the stored ones
                yield article

    def commit(articles: list[Article]) -> None:
        outcomes = store.save_reprocessed(articles, run_id=run_id, method=method, seen=[a.id for a in articles])
        new_claims: list[str] = []
        for article, outcome in zip(articles, outcomes, strict=True):
            counts["read"] += 1
            counts[outcome] += 1
            if outcome == "stored":
                counts["claims"] += len(article.claims)
                new_claims += [claim.id for claim in article.claims]
            if report is not None:
                report(article, outcome)
        if new_claims and store.known_count():  # the replaced claims' matches went with them
            from .factcheck import match_stored  # numpy: loaded when claims are matched

            match_stored(store, claim_ids=new_claims)

    pending: list[Article] = []
    for article in pipeline.pipe(stored()):
        pending.append(article)
        if len(pending) >= chunk:
            commit(pending)
            pending = []
    if pending:
        commit(pending)
    store.finish_batch_run(run_id, counts, resumed)  # not reached when killed: the next run resumes
    return counts
