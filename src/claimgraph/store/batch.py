"""Store methods for ``claimgraph batch``: resume bookkeeping, bulk writes, near-duplicate stories.

A mixin of the shared ``SQLStore`` (see ``store/base.py``): portable SQL through the backend's
primitives (``_query``, ``_execute``, ``_transaction``), so it runs on SQLite and PostgreSQL; the
schema is migration 0005 (one file per backend). Aggregations (outlet lists) are done in Python.
"""
from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from ..records import Article
from .primitives import StorePrimitives, in_chunks

__all__ = ["BatchStoreMixin"]

class BatchStoreMixin(StorePrimitives):
    """Mixed into ``SQLStore``; uses its primitives, ``_save_article``, ``_claim_dict`` and ``_targets``."""

    # -- batch jobs and resume -----------------------------------------------------------------
    def start_batch_run(self, job: str, config: dict[str, Any], *, command: str = "batch") -> tuple[int, list[int]]:
        """Open a run for batch job ``job``; return its id and the ids of the job's runs it resumes.

        A job's earlier runs that never finished (killed) and came after its last finished run are
        resumed: the records they accounted for count as already seen by this run. ``command`` is
        recorded with the run (``reprocess`` resumes the same way).
        """
        last_done = self._scalar("SELECT max(id) AS last FROM runs WHERE job = ? AND finished_at IS NOT NULL",
                                 (job,)) or 0
        resumed = [row["id"] for row in self._query(
            "SELECT id FROM runs WHERE job = ? AND finished_at IS NULL AND id > ? ORDER BY id", (job, last_done))]
        run_id = self.start_run(command, config)
        with self._transaction():
            self._execute("UPDATE runs SET job = ? WHERE id = ?", (job, run_id))
        return run_id, resumed

    def finish_batch_run(self, run_id: int, counts: dict[str, int], resumed: Sequence[int],
                         timings: Mapping[str, float] | None = None) -> None:
        """Close the run with its counts (and seconds by stage) and drop the resume bookkeeping of the whole job."""
        with self._transaction():
            self.finish_run(run_id, counts, timings)
            self._execute("UPDATE runs SET duplicate = ? WHERE id = ?", (counts.get("duplicate", 0), run_id))
            for ids in in_chunks([run_id, *resumed]):
                self._execute(f"DELETE FROM batch_seen WHERE run_id IN ({','.join('?' * len(ids))})", list(ids))

    def seen_in_job(self, ids: Sequence[str], runs: Sequence[int]) -> set[str]:
        """Those of ``ids`` that one of ``runs`` already accounted for."""
        found: set[str] = set()
        marks = ",".join("?" * len(runs))
        for part in in_chunks(list(ids)):
            found.update(row["article_id"] for row in self._query(
                f"SELECT article_id FROM batch_seen WHERE run_id IN ({marks}) AND article_id IN "
                f"({','.join('?' * len(part))})", [*runs, *part]))
        return found

    def stored_versions(self, ids: Sequence[str]) -> dict[str, tuple[str, str]]:
        """``{id: (content_hash, method)}`` for those of ``ids`` that are stored."""
        found: dict[str, tuple[str, str]] = {}
        for part in in_chunks(list(ids)):
            for row in self._query(
                    f"SELECT id, content_hash, method FROM articles WHERE id IN ({','.join('?' * len(part))})",
                    list(part)):
                found[row["id"]] = (row["content_hash"], row["method"])
        return found

    def save_chunk(self, articles: Sequence[Article], *, run_id: int, method: str, seen: Sequence[str],
                   on_stored: Any = None, not_stored: Sequence[Article] = ()) -> list[str]:
        """Save processed articles, the failures of ``not_stored`` records (rejected or duplicate
        before processing) and mark ``seen`` ids for the run, all in one transaction.

        Returns each article's outcome ("stored", "unchanged", "rejected"). ``on_stored(article)``
        runs inside the transaction after each stored article (near-duplicate linking), so an
        article and its story link are committed together or not at all.
        """
        def write() -> list[str]:
            # one batch writer at a time on a database (PostgreSQL: an advisory lock; SQLite holds the
            # whole database anyway): the story index's sequence numbers stay unique
            with self._transaction(lock="batch-chunk"):
                outcomes = []
                for article in articles:
                    outcome = self._save_article(article, run_id=run_id, method=method)
                    if outcome == "stored" and on_stored is not None:
                        on_stored(article)
                    outcomes.append(outcome)
                for article in not_stored:
                    for failure in article.failures:
                        self._save_failure(failure, article.id, run_id)
                for article_id in seen:
                    self._execute("INSERT INTO batch_seen (run_id, article_id) VALUES (?, ?) "
                                  "ON CONFLICT (run_id, article_id) DO NOTHING", (run_id, article_id))
                return outcomes
        return self._retry(write)

    # -- near-duplicate stories ----------------------------------------------------------------
    def band_candidates(self, bands: Sequence[tuple[int, int]]) -> list[tuple[str, bytes, str]]:
        """(article_id, signature, story_id) of stored articles sharing a band hash with ``bands``,
        in the order they joined the index."""
        found: dict[str, tuple[int, str, bytes, str]] = {}
        for band, value in bands:
            for row in self._query(
                    "SELECT s.seq, s.article_id, s.signature, s.story_id FROM article_bands b "
                    "JOIN article_signatures s ON s.seq = b.seq WHERE b.band = ? AND b.hash = ?", (band, value)):
                found.setdefault(row["article_id"], (row["seq"], row["article_id"], bytes(row["signature"]),
                                                     row["story_id"]))
        return [(article_id, signature, story) for _, article_id, signature, story in sorted(found.values())]

    def save_signature(self, article_id: str, *, num_perm: int, signature: bytes,
                       bands: Sequence[tuple[int, int]], story_id: str, similarity: float) -> None:
        """Store an article's signature, band hashes and story (inside the caller's transaction)."""
        self._execute("DELETE FROM article_signatures WHERE article_id = ?", (article_id,))  # its bands go too
        seq = (self._scalar("SELECT max(seq) AS last FROM article_signatures") or 0) + 1
        self._execute("INSERT INTO article_signatures (article_id, seq, num_perm, signature, story_id, similarity) "
                      "VALUES (?, ?, ?, ?, ?, ?)", (article_id, seq, num_perm, signature, story_id, similarity))
        for band, value in bands:
            self._execute("INSERT INTO article_bands (band, hash, seq) VALUES (?, ?, ?)", (band, value, seq))

    def stories(self, *, limit: int | None = 100, min_articles: int = 1) -> list[dict[str, Any]]:
        """Stories (an original and its near-duplicate copies), largest first.

        Each: story_id, title, articles (count), outlets (distinct, in order stored), copies
        (article ids other than the original) and claims (counted once: the original's).
        """
        sql = ("SELECT s.story_id, count(*) AS n FROM article_signatures s GROUP BY s.story_id "
               "HAVING count(*) >= ? ORDER BY count(*) DESC, s.story_id")
        params: list[Any] = [min_articles]
        if limit is not None:
            sql += " LIMIT ?"
            params.append(limit)
        stories = []
        for story in self._query(sql, params):
            story_id, n = story["story_id"], int(story["n"])
            members = self._query(
                "SELECT a.id, a.outlet, a.title, a.url, s.similarity FROM article_signatures s "
                "JOIN articles a ON a.id = s.article_id WHERE s.story_id = ? ORDER BY s.seq", (story_id,))
            outlets: list[str] = []
            for member in members:
                if member["outlet"] and member["outlet"] not in outlets:
                    outlets.append(member["outlet"])
            original = next((m for m in members if m["id"] == story_id), members[0])
            claims = int(self._scalar("SELECT count(*) AS n FROM claims WHERE article_id = ?", (story_id,)))
            stories.append({
                "story_id": story_id, "title": original["title"], "articles": n, "outlets": outlets,
                "copies": [{"id": m["id"], "outlet": m["outlet"], "similarity": round(m["similarity"], 3)}
                           for m in members if m["id"] != story_id],
                "claims": claims,
            })
        return stories

    def story_claims(self, *, limit: int | None = 100) -> list[dict[str, Any]]:
        """Claims counted once per story: the claims of each story's original article (and of
        articles without a signature), each with ``outlets``, every outlet that carried the story."""
        sql = ("SELECT c.*, a.title AS article_title, a.outlet AS article_outlet, a.published AS article_published,"
               " x.kind AS actor_kind, x.country AS actor_country, x.sector AS actor_sector,"
               " x.wikidata AS actor_wikidata, s.story_id AS story_id FROM claims c"
               " JOIN articles a ON a.id = c.article_id LEFT JOIN actors x ON x.id = c.speaker_actor_id"
               " LEFT JOIN article_signatures s ON s.article_id = c.article_id"
               " WHERE s.story_id IS NULL OR s.story_id = c.article_id"
               " ORDER BY a.ingested_at, a.id, c.start_char")
        params: list[Any] = []
        if limit is not None:
            sql += " LIMIT ?"
            params.append(limit)
        rows = self._query(sql, params)
        outlets: dict[str, list[str]] = {}
        for row in rows:
            story = row["story_id"] or row["article_id"]
            if story not in outlets:
                found: list[str] = []
                for member in self._query(
                        "SELECT a.outlet FROM article_signatures s JOIN articles a ON a.id = s.article_id "
                        "WHERE s.story_id = ? ORDER BY s.seq", (story,)):
                    if member["outlet"] and member["outlet"] not in found:
                        found.append(member["outlet"])
                if not found and row["article_outlet"]:
                    found = [row["article_outlet"]]
                outlets[story] = found
        targets = self._targets([row["id"] for row in rows])
        result = []
        for row in rows:
            claim = self._claim_dict(row, targets.get(row["id"], []))
            story = row["story_id"] or row["article_id"]
            claim["story_id"] = story
            claim["outlets"] = outlets[story]
            result.append(claim)
        return result

    def run_counts(self, run_id: int) -> dict[str, Any]:
        row = self._query_one("SELECT * FROM runs WHERE id = ?", (run_id,))
        assert row is not None, f"no run {run_id}"  # the caller names a run it made
        data = dict(row)
        data["config"] = json.loads(data["config"])
        data["timings"] = json.loads(data["timings"]) if data.get("timings") else {}
        return data

    def last_run_id(self) -> int | None:
        """The id of the newest run (ingest, batch, reprocess ...), or None in an empty store."""
        row = self._query_one("SELECT max(id) AS id FROM runs")
        return int(row["id"]) if row and row["id"] is not None else None
