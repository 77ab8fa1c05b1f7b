"""Persistence: ``open_store(target)`` gives a store for a SQLite path (the default)."""
from __future__ import annotations

from pathlib import Path

from ..errors import ConfigError
from .sqlite import SQLiteStore

__all__ = ["open_store", "SQLiteStore", "DEFAULT_DB"]

DEFAULT_DB = "claimgraph.db"


def open_store(target: str | Path = DEFAULT_DB) -> SQLiteStore:
    """Open (creating and migrating as needed) the store at ``target``.

    ``target`` is a file path or ``sqlite:///path``; ``:memory:`` gives a throw-away database.
    """
    target = str(target)
    if target.startswith(("postgresql://", "postgres://")):
        raise ConfigError("[CG304] The PostgreSQL backend is not part of this version of claimgraph yet; "
                          "use a SQLite path with --db.")
    if target.startswith("sqlite:///"):
        target = target.removeprefix("sqlite:///")
    return SQLiteStore(target)
