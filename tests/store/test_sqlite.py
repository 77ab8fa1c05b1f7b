"""What only the SQLite backend has: its file checks, FTS5 query quoting and Datasette."""
from __future__ import annotations

import sqlite3

import pytest

from claimgraph import StoreError, open_store
from claimgraph.store import SQLiteStore
from claimgraph.store.sqlite import fts_query

from .test_store import claim_for


def test_sqlite_tables_and_fts(tmp_path):
    with open_store(f"sqlite:///{tmp_path / 'x.db'}") as store:
        assert isinstance(store, SQLiteStore)
        tables = {row[0] for row in store.connection.execute("SELECT name FROM sqlite_master")}
    assert {"articles", "claims", "actors", "claim_targets", "reporting_chain", "failures", "runs",
            "claims_fts", "articles_fts", "schema_migrations", "claim_events", "narratives",
            "claim_narratives", "narrative_edits", "narrative_state", "article_narratives", "batch_seen",
            "article_signatures", "article_bands"} <= tables


def test_sqlite_newer_schema_is_refused(tmp_path):
    path = tmp_path / "x.db"
    open_store(path).close()
    with sqlite3.connect(path) as db:
        db.execute("INSERT INTO schema_migrations VALUES (99, 'future', 'now')")
    with pytest.raises(StoreError, match="CG302"):
        open_store(path)


def test_sqlite_not_a_database(tmp_path):
    path = tmp_path / "x.db"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError, match="CG301"):
        open_store(path)


def test_fts_query_quotes_every_word():
    assert fts_query('peace "talks" OR NEAR(') == '"peace" "talks" "OR" "NEAR"'


def test_sqlite_database_opens_in_datasette(tmp_path, make_article):
    import asyncio

    from datasette.app import Datasette

    article = make_article("Lavrov said that the talks had stalled because of Kyiv, TASS reported.", outlet="Daily")
    article.claims = [claim_for(article)]
    path = tmp_path / "cg.db"
    with open_store(path) as disk:
        disk.save(article, method="m1")

    async def fetch():
        datasette = Datasette([str(path)])
        claims = await datasette.client.get("/cg/claims.json?_shape=array")
        search = await datasette.client.get("/cg/claims.json?_search=stalled&_shape=array")
        return claims, search

    claims, search = asyncio.run(fetch())
    assert claims.status_code == 200 and claims.json()[0]["speaker_name"] == "Sergei Lavrov"
    assert search.status_code == 200 and len(search.json()) == 1
