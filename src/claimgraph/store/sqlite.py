"""The default store: one SQLite file with plain tables, FTS5 search and numbered migrations."""
from __future__ import annotations

import re
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ..errors import Messages, StoreError
from .base import SQLStore
from .primitives import Params

__all__ = ["SQLiteStore", "fts_query"]


class SQLiteStore(SQLStore):
    """Articles, claims, actors and failures in one SQLite database (WAL, FTS5).

    Not a dataclass: ``__init__`` opens the connection and migrates the schema.
    """

    backend = "sqlite"
    ARTICLE_ORDER = "a.rowid"
    LIKE = "LIKE"  # case-insensitive for ASCII in SQLite

    def __init__(self, path: str | Path = "claimgraph.db", *, migrate: bool = True):
        self.path = str(path)
        self._depth = 0
        try:
            # check_same_thread off: a web request may open the store in one worker thread and use it in
            # another (one request at a time, never concurrently)
            self.connection = sqlite3.connect(self.path, timeout=30, isolation_level=None, check_same_thread=False)
            self.connection.row_factory = sqlite3.Row
            self.connection.execute("PRAGMA busy_timeout = 30000")
            self.connection.execute("PRAGMA foreign_keys = ON")
            if self.path != ":memory:":
                self._wal()
            if migrate or self.path == ":memory:":
                self.migrate()
        except sqlite3.DatabaseError as e:
            raise StoreError(Messages.CG301.format(path=self.path, detail=e)) from e

    def close(self) -> None:
        self.connection.close()

    def _wal(self, attempts: int = 300) -> None:
        """Switch to WAL. Changing the journal mode needs the database alone, and SQLite answers
        "locked" at once, without waiting, while another process opens or migrates a new file: retry."""
        for attempt in range(attempts):
            try:
                self.connection.execute("PRAGMA journal_mode = WAL")
                return
            except sqlite3.OperationalError as e:
                if "locked" not in str(e) or attempt == attempts - 1:
                    raise
                time.sleep(0.1)

    # -- the backend's primitives ------------------------------------------------------------
    def _execute(self, sql: str, params: Params = ()) -> sqlite3.Cursor:
        return self.connection.execute(sql, params)

    def _query(self, sql: str, params: Params = ()) -> list[dict[str, Any]]:
        return [dict(row) for row in self.connection.execute(sql, params)]

    @contextmanager
    def _transaction(self, lock: str | None = None) -> Iterator[None]:
        """One write transaction; ``BEGIN IMMEDIATE`` holds the database's write lock, whatever ``lock``
        names. A nested block joins the outer transaction."""
        if self._depth:
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
            return
        self.connection.execute("BEGIN IMMEDIATE")
        self._depth = 1
        try:
            yield
        except BaseException:
            self.connection.execute("ROLLBACK")
            raise
        else:
            self.connection.execute("COMMIT")
        finally:
            self._depth = 0

    def _run_script(self, sql: str) -> None:
        for statement in _statements(sql):
            self.connection.execute(statement)

    def _schema_table(self) -> None:
        self.connection.execute("CREATE TABLE IF NOT EXISTS schema_migrations "
                                "(version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)")

    def _search_clause(self, text: str) -> tuple[str, list[Any]]:
        return "c.rowid IN (SELECT rowid FROM claims_fts WHERE claims_fts MATCH ?)", [fts_query(text)]


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
