"""The team store: the same tables and API on a PostgreSQL server (psycopg 3).

Chosen by a ``postgresql://`` (or ``postgres://``) URL as ``--db`` or ``CLAIMGRAPH_DB``. Several
processes (two ``claimgraph ingest`` runs, an API server) may write to one database at once:

- every write runs in one transaction, and a transaction that saves an article first takes an
  advisory lock on the article's id, so two writers of the same article store it once;
- actors are upserted in one fixed order (``ON CONFLICT ... DO UPDATE``), so writers sharing actors
  do not deadlock; a transaction the server aborts anyway (deadlock, serialisation) is retried;
- migrations hold an advisory lock, so processes opening a new database at once apply each once.

Full-text search uses PostgreSQL's own: a generated ``tsvector`` column on claims with a GIN index,
queried with ``websearch_to_tsquery`` over the ``simple`` configuration (lower-cased words, no
stemming and no stop words: the same words match as in SQLite's FTS5; "quoted phrases", ``or``
and ``-word`` work too).
"""
from __future__ import annotations

import hashlib
import re
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import lru_cache
from typing import Any, TypeVar

from ..errors import ConfigError, Messages, StoreError
from .base import SQLStore
from .primitives import Params

try:  # the optional extra: pip install 'claimgraph[postgres]'
    import psycopg
    from psycopg.rows import dict_row
except ImportError:  # pragma: no cover - exercised by monkeypatching in the tests
    psycopg = None  # type: ignore[assignment]

__all__ = ["PostgresStore", "describe", "translate"]

TS_CONFIG = "simple"
RETRIES = 5
T = TypeVar("T")

# a '...' literal, a "..." identifier, a -- comment, or one of the characters to rewrite
_TOKENS = re.compile(r"'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"|--[^\n]*|[?%]")


@lru_cache(maxsize=512)
def translate(sql: str) -> str:
    """Rewrite ``?`` placeholders as psycopg's ``%s`` and double literal ``%`` signs.

    A ``?`` inside a quoted literal, identifier or comment is left alone; a ``%`` is doubled
    everywhere, since psycopg reads the whole text for placeholders.
    """
    def replace(match: re.Match[str]) -> str:
        token = match.group(0)
        if token == "?":
            return "%s"
        return token.replace("%", "%%")

    return _TOKENS.sub(replace, sql)


def describe(dsn: str) -> str:
    """The URL without its password, for messages and logs."""
    return re.sub(r"^(\w+://[^:/@]*):[^@/]*@", r"\1:***@", dsn)


def _lock_key(name: str) -> int:
    """A signed 64-bit advisory-lock key for ``name``."""
    return int.from_bytes(hashlib.blake2b(name.encode("utf-8"), digest_size=8).digest(), "big", signed=True)


class PostgresStore(SQLStore):
    """Articles, claims, actors and failures in a PostgreSQL database (or one schema of it:
    ``?options=-csearch_path%3Dname`` in the URL).

    Not a dataclass: ``__init__`` connects and migrates the schema.
    """

    backend = "postgresql"
    ARTICLE_ORDER = "a.seq"
    LIKE = "ILIKE"

    def __init__(self, dsn: str, *, migrate: bool = True):
        self.dsn = dsn
        self.path = describe(dsn)
        self._depth = 0
        if psycopg is None:
            raise ConfigError(Messages.CG304)
        try:
            options = psycopg.conninfo.conninfo_to_dict(dsn)
        except psycopg.ProgrammingError as e:
            raise ConfigError(Messages.CG306.format(path=self.path, detail=e)) from e
        extra: dict[str, Any] = {"application_name": "claimgraph"}
        if "connect_timeout" not in options:
            extra["connect_timeout"] = 10
        try:
            self.connection = psycopg.connect(dsn, autocommit=True, row_factory=dict_row, **extra)
        except psycopg.OperationalError as e:
            raise StoreError(Messages.CG305.format(path=self.path, detail=_first_line(e))) from e
        try:
            self.schema = self._scalar("SELECT current_schema() AS schema")
            if self.schema is None:
                raise StoreError(Messages.CG301.format(
                    path=self.path, detail="no schema of the search_path exists; create it first"))
            if migrate:
                self.migrate()
        except psycopg.Error as e:
            self.connection.close()
            raise StoreError(Messages.CG301.format(path=self.path, detail=_first_line(e))) from e
        except BaseException:
            self.connection.close()
            raise

    def close(self) -> None:
        self.connection.close()

    # -- the backend's primitives ------------------------------------------------------------
    def _execute(self, sql: str, params: Params = ()) -> Any:
        return self.connection.execute(translate(sql), params)

    def _query(self, sql: str, params: Params = ()) -> list[dict[str, Any]]:
        return self.connection.execute(translate(sql), params).fetchall()

    @contextmanager
    def _transaction(self, lock: str | None = None) -> Iterator[None]:
        """One transaction (READ COMMITTED); with ``lock``, first an advisory lock on that name in
        this database schema, held to the end of the transaction. A nested block joins the outer one."""
        if self._depth:
            self._depth += 1
            try:
                if lock is not None:
                    self._take_lock(lock)
                yield
            finally:
                self._depth -= 1
            return
        self._depth = 1
        try:
            with self.connection.transaction():
                if lock is not None:
                    self._take_lock(lock)
                yield
        finally:
            self._depth = 0

    def _take_lock(self, name: str) -> None:
        self.connection.execute("SELECT pg_advisory_xact_lock(%s)", (_lock_key(f"claimgraph:{self.schema}:{name}"),))

    def _retry(self, work: Callable[[], T]) -> T:
        if self._depth:  # inside a transaction: the outer one retries as a whole
            return work()
        for attempt in range(RETRIES):
            try:
                return work()
            except (psycopg.errors.DeadlockDetected, psycopg.errors.SerializationFailure):
                if attempt == RETRIES - 1:
                    raise
                time.sleep(0.05 * 2 ** attempt)
        raise AssertionError("unreachable")  # pragma: no cover

    def _run_script(self, sql: str) -> None:
        self.connection.execute(sql)  # no parameters: sent as is, several statements allowed

    def _schema_table(self) -> None:
        with self._transaction(lock="migrate"):
            self.connection.execute("CREATE TABLE IF NOT EXISTS schema_migrations "
                                    "(version integer PRIMARY KEY, name text NOT NULL, applied_at text NOT NULL)")

    def _search_clause(self, text: str) -> tuple[str, list[Any]]:
        return f"c.search @@ websearch_to_tsquery('{TS_CONFIG}', ?)", [text]


def _first_line(error: Exception) -> str:
    return (str(error).strip().splitlines() or [type(error).__name__])[0]
