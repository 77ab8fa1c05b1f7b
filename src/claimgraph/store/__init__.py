"""Persistence: ``open_store(target)`` gives a store for a SQLite path (the default) or a
``postgresql://`` URL; both have the same methods and return the same shapes (``SQLStore``)."""
from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .base import SQLStore
from .query import ClaimQuery
from .sqlite import SQLiteStore

if TYPE_CHECKING:
    from .postgres import PostgresStore

__all__ = ["open_store", "ClaimQuery", "SQLStore", "SQLiteStore", "PostgresStore", "DEFAULT_DB", "DB_ENV",
           "describe_target"]

DEFAULT_DB = "claimgraph.db"
DB_ENV = "CLAIMGRAPH_DB"
_POSTGRES = ("postgresql://", "postgres://")


def open_store(target: str | Path | None = None, *, migrate: bool = True) -> SQLStore:
    """Open (creating and migrating as needed) the store at ``target``.

    ``target`` is a file path or ``sqlite:///path`` (``:memory:`` gives a throw-away database), or a
    ``postgresql://user:password@host:port/database`` URL. Without one, the ``CLAIMGRAPH_DB``
    environment variable names it, else ``claimgraph.db``. ``migrate=False`` skips the schema check
    for a database already opened once by this process (a web server's per-request connections).
    """
    target = str(target if target is not None else os.environ.get(DB_ENV) or DEFAULT_DB)
    if target.startswith(_POSTGRES):
        from .postgres import PostgresStore

        return PostgresStore(target, migrate=migrate)
    if target.startswith("sqlite:///"):
        target = target.removeprefix("sqlite:///")
    return SQLiteStore(target, migrate=migrate)


def describe_target(target: str | Path) -> str:
    """``target`` as messages may show it: a URL loses its password."""
    if not str(target).startswith(_POSTGRES):
        return str(target)
    from .postgres import describe

    return describe(str(target))


def __getattr__(name: str) -> Any:
    # the PostgreSQL backend (and its driver, about 0.07 s to import) loads on first use:
    # commands on the SQLite default never pay for it
    if name == "PostgresStore":
        from .postgres import PostgresStore

        return PostgresStore
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
