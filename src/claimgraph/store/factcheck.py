"""Store methods for known claims and claims' matches to them (issue 19), as a mixin of ``SQLStore``.

Portable SQL only (see ``store/base.py``). The tables are made by migration 0011_known_claims. A
known claim is keyed by (collection, id): importing a catalogue again updates its rows, never
duplicates them; its MiniLM vectors are kept beside it (float16 bytes, ``vector_method`` naming the
embedder), so matching new claims embeds only the claims.
"""
from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Sequence
from typing import Any

from .primitives import StorePrimitives, in_chunks

__all__ = ["FactcheckStoreMixin", "MATCH_THRESHOLD", "MATCHES_KEPT"]

# a stored match's probability from which its claim counts as matched (`claims --matched`): the
# re-ranker's output is a probability, and 0.5 is where it says "more likely than not"
MATCH_THRESHOLD = 0.5
MATCHES_KEPT = 3  # the best matches stored per claim


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


class FactcheckStoreMixin(StorePrimitives):
    """Mixed into ``SQLStore``: known claims, claim matches."""

    def known_hashes(self, collection: str) -> dict[str, str]:
        """id -> content hash of the known claims of ``collection`` (what an import compares with)."""
        return {row["id"]: row["content_hash"] for row in
                self._query("SELECT id, content_hash FROM known_claims WHERE collection = ?", (collection,))}

    def save_known(self, collection: str, rows: Iterable[dict[str, Any]]) -> None:
        """Insert or update known claims of ``collection``: dicts with id, claim, title, subtitle,
        date, url, verdict, extra (a dict), vectors (bytes or None), vector_method, content_hash."""
        now = _now()
        statements = [(
            "INSERT INTO known_claims (collection, id, claim, title, subtitle, date, url, verdict, extra, vectors,"
            " vector_method, content_hash, imported_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (collection, id) DO UPDATE SET claim = excluded.claim, title = excluded.title,"
            " subtitle = excluded.subtitle, date = excluded.date, url = excluded.url, verdict = excluded.verdict,"
            " extra = excluded.extra, vectors = excluded.vectors, vector_method = excluded.vector_method,"
            " content_hash = excluded.content_hash, updated_at = excluded.updated_at",
            (collection, row["id"], row["claim"], row.get("title"), row.get("subtitle"), row.get("date"),
             row.get("url"), row.get("verdict"), json.dumps(row.get("extra") or {}, ensure_ascii=False),
             row.get("vectors"), row.get("vector_method"), row["content_hash"], now, now)) for row in rows]

        def write() -> None:
            with self._transaction(lock="known_claims"):
                for sql, params in statements:
                    self._execute(sql, params)
        self._retry(write)

    def known_count(self) -> int:
        """How many known claims the store holds (0: ingest matches nothing)."""
        return int(self._scalar("SELECT count(*) AS n FROM known_claims") or 0)

    def known_signature(self) -> tuple[int, str]:
        """(count, latest update) of the known claims: a matcher built from them is stale when it changes."""
        row = self._query_one("SELECT count(*) AS n, max(updated_at) AS latest FROM known_claims") or {}
        return int(row.get("n") or 0), str(row.get("latest") or "")

    def known_claims(self, *, collection: str | None = None, with_vectors: bool = True) -> list[dict[str, Any]]:
        """The known claims (``extra`` decoded; ``vectors`` as bytes when asked), by collection and id."""
        columns = "collection, id, claim, title, subtitle, date, url, verdict, extra, vector_method" + (
            ", vectors" if with_vectors else "")
        sql = f"SELECT {columns} FROM known_claims"
        params: list[Any] = []
        if collection:
            sql += " WHERE collection = ?"
            params.append(collection)
        rows = self._query(sql + " ORDER BY collection, id", params)
        for row in rows:
            row["extra"] = json.loads(row["extra"] or "{}")
            if with_vectors and row["vectors"] is not None:
                row["vectors"] = bytes(row["vectors"])
        return rows

    def claims_for_matching(self, *, claim_ids: Sequence[str] | None = None, limit: int | None = None,
                            offset: int = 0) -> list[dict[str, Any]]:
        """(id, content, published) of stored claims: these ids, or a page of all in storage order."""
        sql = "SELECT c.id, c.content, a.published FROM claims c JOIN articles a ON a.id = c.article_id"
        if claim_ids is not None:
            found: list[dict[str, Any]] = []
            for chunk in in_chunks(list(claim_ids)):
                found += self._query(sql + f" WHERE c.id IN ({', '.join('?' * len(chunk))})", list(chunk))
            return found
        order = f" ORDER BY {self.ARTICLE_ORDER}, c.start_char, c.id"
        if limit is None:
            return self._query(sql + order)
        return self._query(sql + order + " LIMIT ? OFFSET ?", (limit, offset))

    def save_matches(self, matches: dict[str, list[dict[str, Any]]], *, method: str) -> None:
        """Replace the matches of each claim id with these (dicts: collection, known_id, score, later)."""
        now = _now()

        def write() -> None:
            with self._transaction():
                for chunk in in_chunks(list(matches)):
                    self._execute(f"DELETE FROM claim_matches WHERE claim_id IN ({', '.join('?' * len(chunk))})",
                                  list(chunk))
                for claim_id, found in matches.items():
                    for position, match in enumerate(found):
                        self._execute(
                            "INSERT INTO claim_matches (claim_id, position, collection, known_id, score, later,"
                            " method, matched_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                            (claim_id, position, match["collection"], match["known_id"], float(match["score"]),
                             int(bool(match["later"])), method, now))
        self._retry(write)

    def claim_matches(self, claim_ids: list[str]) -> dict[str, list[dict[str, Any]]]:
        """The stored matches of these claims, best first, each with its known claim's wording, title,
        date, verdict and link, by claim id."""
        found: dict[str, list[dict[str, Any]]] = {}
        for chunk in in_chunks(claim_ids):
            for row in self._query(
                    "SELECT m.claim_id, m.collection, m.known_id, m.score, m.later, k.claim, k.title, k.date,"
                    " k.verdict, k.url FROM claim_matches m JOIN known_claims k"
                    " ON k.collection = m.collection AND k.id = m.known_id"
                    f" WHERE m.claim_id IN ({', '.join('?' * len(chunk))}) ORDER BY m.claim_id, m.position",
                    list(chunk)):
                found.setdefault(row.pop("claim_id"), []).append(row | {"later": bool(row["later"]),
                                                                        "score": float(row["score"])})
        return found
