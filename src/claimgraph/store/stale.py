"""Store methods for articles an older model made (``claimgraph reprocess``, ``articles --stale``).

A mixin of the shared ``SQLStore`` (see ``store/base.py``): portable SQL through the backend's
primitives, so it runs on SQLite and PostgreSQL. Each article's ``method`` (the versioned steps that
made its claims, ``claimgraph.versions``) says whether it is stale; which methods count as stale is
decided by the caller (``claimgraph.reprocess``). Migration 0006 indexes ``articles.method``.
"""
from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from ..records import Article
from .primitives import StorePrimitives, in_chunks

__all__ = ["StaleStoreMixin"]

class StaleStoreMixin(StorePrimitives):
    """Mixed into ``SQLStore``; uses its primitives and ``_replace_claims``."""

    def article_methods(self) -> dict[str, int]:
        """How many stored articles each method made, by method."""
        return {row["method"]: int(row["n"]) for row in self._query(
            "SELECT method, count(*) AS n FROM articles GROUP BY method ORDER BY method")}

    def articles_by_method(self, methods: Sequence[str], *, limit: int | None = 100,
                           offset: int = 0) -> list[dict[str, Any]]:
        """The stored articles one of ``methods`` made, in order of arrival: id, title, outlet,
        published, method and claims (their number)."""
        if not methods:
            return []
        sql = ("SELECT a.id, a.title, a.outlet, a.published, a.method,"
               " (SELECT count(*) FROM claims c WHERE c.article_id = a.id) AS claims FROM articles a"
               f" WHERE a.method IN ({', '.join('?' * len(methods))}) ORDER BY {self.ARTICLE_ORDER}")
        params: list[Any] = list(methods)
        if limit is not None:
            sql += " LIMIT ? OFFSET ?"
            params += [limit, offset]
        return [row | {"claims": int(row["claims"])} for row in self._query(sql, params)]

    def article_ids_by_method(self, methods: Sequence[str]) -> list[str]:
        """The ids of the stored articles one of ``methods`` made, in order of arrival."""
        if not methods:
            return []
        return [row["id"] for row in self._query(
            f"SELECT a.id FROM articles a WHERE a.method IN ({', '.join('?' * len(methods))})"
            f" ORDER BY {self.ARTICLE_ORDER}", list(methods))]

    def stored_articles(self, ids: Sequence[str]) -> list[Article]:
        """The stored articles of ``ids`` (those still there, in the order of ``ids``), text and
        metadata only: no claims."""
        found: dict[str, Article] = {}
        for part in in_chunks(list(ids)):
            for row in self._query(
                    "SELECT id, title, outlet, published, url, language, text, source, meta FROM articles"
                    f" WHERE id IN ({', '.join('?' * len(part))})", list(part)):
                found[row["id"]] = Article(id=row["id"], text=row["text"], title=row["title"],
                                           outlet=row["outlet"], published=row["published"], url=row["url"],
                                           language=row["language"], source=row["source"],
                                           meta=json.loads(row["meta"]))
        return [found[article_id] for article_id in ids if article_id in found]

    def save_reprocessed(self, articles: Sequence[Article], *, run_id: int, method: str,
                         seen: Sequence[str]) -> list[str]:
        """Replace the claims of stored articles extracted again by ``method`` and mark ``seen`` ids
        for the run (resume), all in one transaction.

        Returns each article's outcome: "stored", "rejected" (the old claims kept) or "changed" (its
        text was replaced meanwhile; left alone).
        """
        def write() -> list[str]:
            with self._transaction(lock="batch-chunk"):
                outcomes = [self._replace_claims(article, run_id=run_id, method=method) for article in articles]
                for article_id in seen:
                    self._execute("INSERT INTO batch_seen (run_id, article_id) VALUES (?, ?) "
                                  "ON CONFLICT (run_id, article_id) DO NOTHING", (run_id, article_id))
                return outcomes
        result: list[str] = self._retry(write)
        return result
