"""The default store: one SQLite file with plain tables, FTS5 search and numbered migrations."""
from __future__ import annotations

import datetime as dt
import json
import re
import sqlite3
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any

from ..errors import Messages, NotFound, StoreError
from ..records import Actor, Article, Claim, Failure
from .batch import BatchStoreMixin

__all__ = ["SQLiteStore", "fts_query"]

_MIGRATION = re.compile(r"^(\d{4})_(\w+)\.sql$")


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


def _migrations() -> list[tuple[int, str, str]]:
    folder = resources.files("claimgraph.store").joinpath("migrations", "sqlite")
    found = []
    for entry in folder.iterdir():
        match = _MIGRATION.match(entry.name)
        if match:
            found.append((int(match.group(1)), match.group(2), entry.read_text("utf-8")))
    return sorted(found)


class SQLiteStore(BatchStoreMixin):
    """Articles, claims, actors and failures in one SQLite database.

    Not a dataclass: ``__init__`` opens the connection and migrates the schema.
    """

    backend = "sqlite"

    def __init__(self, path: str | Path = "claimgraph.db"):
        self.path = str(path)
        try:
            self.connection = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            self.connection.row_factory = sqlite3.Row
            self.connection.execute("PRAGMA foreign_keys = ON")
            if self.path != ":memory:":
                self.connection.execute("PRAGMA journal_mode = WAL")
            self.connection.execute("PRAGMA busy_timeout = 30000")
            self.migrate()
        except sqlite3.DatabaseError as e:
            raise StoreError(Messages.CG301.format(path=self.path, detail=e)) from e

    # -- lifecycle ---------------------------------------------------------------------------
    def __enter__(self) -> SQLiteStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.connection.close()

    @property
    def schema_version(self) -> int:
        row = self.connection.execute("SELECT max(version) FROM schema_migrations").fetchone()
        return row[0] or 0

    def migrate(self) -> list[int]:
        """Apply the migrations this database has not seen; return their numbers."""
        db = self.connection
        db.execute("CREATE TABLE IF NOT EXISTS schema_migrations "
                   "(version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)")
        known = _migrations()
        current = self.schema_version
        newest = known[-1][0] if known else 0
        if current > newest:
            raise StoreError(Messages.CG302.format(path=self.path, found=current, known=newest))
        applied = []
        for version, name, sql in known:
            if version <= current:
                continue
            db.execute("BEGIN IMMEDIATE")
            try:
                if self.schema_version >= version:  # another process got there first
                    db.execute("ROLLBACK")
                    continue
                for statement in _statements(sql):
                    db.execute(statement)
                db.execute("INSERT INTO schema_migrations VALUES (?, ?, ?)", (version, name, _now()))
                db.execute("COMMIT")
            except Exception:
                db.execute("ROLLBACK")
                raise
            applied.append(version)
        return applied

    # -- runs --------------------------------------------------------------------------------
    def start_run(self, command: str, config: dict[str, Any]) -> int:
        from .. import __version__

        cursor = self.connection.execute(
            "INSERT INTO runs (started_at, command, claimgraph_version, config) VALUES (?, ?, ?, ?)",
            (_now(), command, __version__, json.dumps(config, sort_keys=True)))
        return int(cursor.lastrowid)

    def finish_run(self, run_id: int, counts: dict[str, int]) -> None:
        self.connection.execute(
            "UPDATE runs SET finished_at = ?, read = ?, stored = ?, unchanged = ?, rejected = ? WHERE id = ?",
            (_now(), counts.get("read", 0), counts.get("stored", 0), counts.get("unchanged", 0),
             counts.get("rejected", 0), run_id))

    # -- writing -----------------------------------------------------------------------------
    def save(self, article: Article, *, run_id: int | None = None, method: str = "") -> str:
        """Store one processed article; return "stored", "unchanged" or "rejected".

        The same article (id, text and extractor version) stored again changes nothing; a
        changed one replaces its earlier version and claims.
        """
        db = self.connection
        db.execute("BEGIN IMMEDIATE")
        try:
            outcome = self._save_article(article, run_id=run_id, method=method)
            db.execute("COMMIT")
        except Exception:
            db.execute("ROLLBACK")
            raise
        return outcome

    def _save_article(self, article: Article, *, run_id: int | None, method: str) -> str:
        """``save`` inside a transaction the caller holds (batch writes many articles in one)."""
        db = self.connection
        for failure in article.failures:
            self._save_failure(failure, article.id, run_id)
        if article.rejected:
            return "rejected"
        row = db.execute("SELECT content_hash, method FROM articles WHERE id = ?", (article.id,)).fetchone()
        if row is not None and row["content_hash"] == article.content_hash and row["method"] == method:
            return "unchanged"
        if row is not None:
            db.execute("DELETE FROM articles WHERE id = ?", (article.id,))
        db.execute(
            "INSERT INTO articles (id, title, outlet, published, url, language, text, content_hash, source,"
            " meta, method, run_id, ingested_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (article.id, article.title, article.outlet, article.published, article.url, article.language,
             article.text, article.content_hash, article.source, json.dumps(article.meta, default=str),
             method, run_id, _now()))
        for claim in article.claims:
            self._save_claim(claim, run_id)
        return "stored"

    def save_failure(self, failure: Failure, *, article_id: str = "", run_id: int | None = None) -> None:
        self._save_failure(failure, article_id, run_id)

    def _save_failure(self, failure: Failure, article_id: str, run_id: int | None) -> None:
        self.connection.execute(
            "INSERT OR IGNORE INTO failures (article_id, source, step, code, level, message, run_id, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (article_id, failure.source, failure.step, failure.code, failure.level, failure.message, run_id, _now()))

    def _actor_id(self, actor: Actor) -> int:
        db = self.connection
        db.execute(
            "INSERT INTO actors (name, kind, country, sector, wikidata) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT (kind, name) DO UPDATE SET country = coalesce(excluded.country, country), "
            "sector = coalesce(excluded.sector, sector), wikidata = coalesce(excluded.wikidata, wikidata)",
            (actor.name, actor.kind, actor.country, actor.sector, actor.wikidata))
        return int(db.execute("SELECT id FROM actors WHERE kind = ? AND name = ?",
                              (actor.kind, actor.name)).fetchone()[0])

    def _save_claim(self, claim: Claim, run_id: int | None) -> None:
        db = self.connection
        speaker = claim.speaker
        actor_id = self._actor_id(speaker.actor) if speaker is not None and speaker.actor is not None else None
        db.execute(
            "INSERT INTO claims (id, article_id, speaker_text, speaker_start, speaker_end, speaker_actor_id,"
            " speaker_name, cue_text, cue_start, cue_end, content, content_spans, kind, start_char, end_char,"
            " reported_by, confidence, method, run_id, events)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (claim.id, claim.article_id,
             speaker.text if speaker else None, speaker.start if speaker else None,
             speaker.end if speaker else None, actor_id,
             speaker.actor.name if speaker is not None and speaker.actor is not None else None,
             claim.cue.text if claim.cue else None, claim.cue.start if claim.cue else None,
             claim.cue.end if claim.cue else None,
             claim.content_text, json.dumps([s.to_dict() for s in claim.content]), claim.kind,
             claim.start, claim.end, json.dumps([r.to_dict() for r in claim.reported_by]),
             claim.confidence, claim.method, run_id, json.dumps(list(claim.events))))
        for position, event in enumerate(claim.events):
            db.execute("INSERT INTO claim_events VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                       (claim.id, position, event["role"], event["event"], event["factuality"],
                        " ".join(a["code"] for a in event["actor"] if a.get("code")),
                        " ".join(a["code"] for a in event["recipient"] if a.get("code")),
                        event["trigger"], event["start"], event["end"], event.get("cameo"),
                        event["confidence"], event.get("method", "")))
        for target in claim.targets:
            if target.actor is None:
                continue
            db.execute("INSERT OR IGNORE INTO claim_targets (claim_id, actor_id, text, start_char, end_char, stance)"
                       " VALUES (?, ?, ?, ?, ?, ?)",
                       (claim.id, self._actor_id(target.actor), target.text, target.start, target.end, target.stance))
        for position, link in enumerate(claim.reported_by):
            db.execute("INSERT INTO reporting_chain VALUES (?, ?, ?, ?, ?, ?)",
                       (claim.id, position, link.name, link.role, link.start, link.end))

    # -- reading -----------------------------------------------------------------------------
    def _select(self, sql: str, where: list[str], params: list[Any], *, order: str, limit: int | None,
                offset: int = 0) -> list[sqlite3.Row]:
        """Run ``sql`` with the filters in ``where`` (their values in ``params``), ordered and paged."""
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += f" ORDER BY {order}"
        if limit is not None:
            sql += " LIMIT ? OFFSET ?"
            params = [*params, limit, offset]
        return self.connection.execute(sql, params).fetchall()

    def counts(self) -> dict[str, int]:
        return {table: self.connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
                for table in ("articles", "claims", "actors", "failures")}

    def article(self, article_id: str) -> Article:
        """The stored article with its claims; ``NotFound`` if there is none."""
        row = self.connection.execute("SELECT * FROM articles WHERE id = ?", (article_id,)).fetchone()
        if row is None:
            raise NotFound(Messages.CG303.format(article_id=article_id, path=self.path))
        article = Article(id=row["id"], text=row["text"], title=row["title"], outlet=row["outlet"],
                          published=row["published"], url=row["url"], language=row["language"],
                          source=row["source"], meta=json.loads(row["meta"]))
        article.claims = [Claim.from_dict(c) for c in self.claims(article_id=article_id, limit=None)]
        return article

    def articles(self, *, limit: int | None = 100) -> list[dict[str, Any]]:
        sql = ("SELECT a.id, a.title, a.outlet, a.published, count(c.id) AS claims FROM articles a "
               "LEFT JOIN claims c ON c.article_id = a.id")
        rows = self._select(sql + " GROUP BY a.id", [], [], order="a.rowid", limit=limit)
        return [dict(row) for row in rows]

    def claims(self, *, speaker: str | None = None, about: str | None = None, outlet: str | None = None,
               search: str | None = None, article_id: str | None = None, stance: str | None = None,
               limit: int | None = 100, offset: int = 0) -> list[dict[str, Any]]:
        """Claims as dicts (``Claim.to_dict`` shape plus article title/outlet), filtered.

        ``speaker``, ``about`` and ``outlet`` match names case-insensitively by substring;
        ``search`` is a full-text query over content and speaker; ``stance`` (negative / neutral /
        positive) keeps claims whose speaker takes that stance toward a target (the ``about`` one).
        """
        where, params = [], []
        if speaker:
            where.append("(c.speaker_name LIKE ? OR c.speaker_text LIKE ?)")
            params += [f"%{speaker}%"] * 2
        if about or stance:
            # with both, the same target must match: "claims negative toward the United States"
            where.append("c.id IN (SELECT t.claim_id FROM claim_targets t JOIN actors x ON x.id = t.actor_id "
                         "WHERE (? IS NULL OR x.name LIKE ? OR t.text LIKE ?) AND (? IS NULL OR t.stance = ?))")
            pattern = f"%{about}%" if about else None
            params += [pattern, pattern, pattern, stance, stance]
        if outlet:
            where.append("(a.outlet LIKE ? OR c.id IN (SELECT claim_id FROM reporting_chain WHERE name LIKE ?))")
            params += [f"%{outlet}%"] * 2
        if search:
            where.append("c.rowid IN (SELECT rowid FROM claims_fts WHERE claims_fts MATCH ?)")
            params.append(fts_query(search))
        if article_id:
            where.append("c.article_id = ?")
            params.append(article_id)
        sql = ("SELECT c.*, a.title AS article_title, a.outlet AS article_outlet, a.published AS article_published,"
               " x.kind AS actor_kind, x.country AS actor_country, x.sector AS actor_sector,"
               " x.wikidata AS actor_wikidata FROM claims c JOIN articles a ON a.id = c.article_id"
               " LEFT JOIN actors x ON x.id = c.speaker_actor_id")
        rows = self._select(sql, where, params, order="a.rowid, c.start_char", limit=limit, offset=offset)
        return [self._claim_dict(row) for row in rows]

    def _claim_dict(self, row: sqlite3.Row) -> dict[str, Any]:
        db = self.connection
        speaker = None
        if row["speaker_text"] is not None:
            actor = None
            if row["speaker_name"] is not None:
                actor = {"name": row["speaker_name"], "kind": row["actor_kind"], "country": row["actor_country"],
                         "sector": row["actor_sector"], "wikidata": row["actor_wikidata"], "evidence": None}
            speaker = {"text": row["speaker_text"], "start": row["speaker_start"], "end": row["speaker_end"],
                       "actor": actor}
        cue = None
        if row["cue_text"] is not None:
            cue = {"text": row["cue_text"], "start": row["cue_start"], "end": row["cue_end"]}
        targets = [
            {"text": t["text"], "start": t["start_char"], "end": t["end_char"], "stance": t["stance"],
             "actor": {"name": t["name"], "kind": t["kind"], "country": t["country"], "sector": t["sector"],
                       "wikidata": t["wikidata"], "evidence": None}}
            for t in db.execute("SELECT t.*, x.name, x.kind, x.country, x.sector, x.wikidata FROM claim_targets t "
                                "JOIN actors x ON x.id = t.actor_id WHERE t.claim_id = ? ORDER BY t.start_char",
                                (row["id"],))]
        return {
            "id": row["id"], "article_id": row["article_id"], "speaker": speaker, "cue": cue,
            "content": json.loads(row["content_spans"]), "kind": row["kind"],
            "reported_by": json.loads(row["reported_by"]), "targets": targets, "events": json.loads(row["events"]),
            "start": row["start_char"], "end": row["end_char"], "confidence": row["confidence"],
            "method": row["method"], "article_title": row["article_title"], "outlet": row["article_outlet"],
            "published": row["article_published"],
        }

    def events(self, *, event: str | None = None, actor: str | None = None, recipient: str | None = None,
               role: str | None = None, since: str | None = None, until: str | None = None,
               limit: int | None = 100) -> list[dict[str, Any]]:
        """Coded events of stored claims, filtered by PLOVER type, actor / recipient code, role and
        the article's published date (ISO strings compare in order)."""
        where, params = [], []
        for column, value in (("e.event", event), ("e.role", role)):
            if value:
                where.append(f"{column} = ?")
                params.append(value.upper() if column == "e.event" else value)
        for column, value in (("e.actor_codes", actor), ("e.recipient_codes", recipient)):
            if value:
                where.append(f"(' ' || {column} || ' ') LIKE ?")
                params.append(f"% {value.upper()} %")
        if since:
            where.append("a.published >= ?")
            params.append(since)
        if until:
            where.append("a.published <= ?")
            params.append(until)
        sql = ("SELECT e.*, c.article_id, c.speaker_name, c.content, a.published, a.outlet FROM claim_events e"
               " JOIN claims c ON c.id = e.claim_id JOIN articles a ON a.id = c.article_id")
        rows = self._select(sql, where, params, order="a.published, c.start_char, e.position", limit=limit)
        return [dict(row) for row in rows]

    def failures(self, *, limit: int | None = 100) -> Iterator[dict[str, Any]]:
        for row in self._select("SELECT * FROM failures", [], [], order="id", limit=limit):
            yield dict(row)


def fts_query(text: str) -> str:
    """Turn free text into a safe FTS5 query: every word a quoted term, all required."""
    words = re.findall(r"\w+", text)
    return " ".join('"' + word.replace('"', '""') + '"' for word in words) or '""'


def _statements(sql: str) -> list[str]:
    """Split a migration into statements (triggers keep their inner semicolons)."""
    statements, buffer = [], []
    for line in sql.splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith("--"):
            continue
        buffer.append(line)
        joined = "\n".join(buffer)
        if stripped.endswith(";") and sqlite3.complete_statement(joined):
            statements.append(joined)
            buffer = []
    if buffer:
        statements.append("\n".join(buffer))
    return statements
