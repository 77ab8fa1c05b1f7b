"""What only the PostgreSQL backend has: placeholders, connection errors, its schema and text search,
and migrations raced by several processes. Tests that need the server use ``postgres_url``."""
from __future__ import annotations

import pytest

from claimgraph import ConfigError, StoreError, open_store
from claimgraph.store import PostgresStore, describe_target
from claimgraph.store import postgres as backend
from claimgraph.store.postgres import describe, translate

from ..conftest import LATEST_SCHEMA
from .test_store import claim_for


@pytest.mark.parametrize("sql,expected", [
    ("SELECT * FROM t WHERE a = ? AND b LIKE ?", "SELECT * FROM t WHERE a = %s AND b LIKE %s"),
    ("SELECT '?', \"col?\" FROM t WHERE a = ?", "SELECT '?', \"col?\" FROM t WHERE a = %s"),
    ("SELECT 'it''s ?' WHERE x = ?", "SELECT 'it''s ?' WHERE x = %s"),
    ("SELECT 5 % 2, '%' -- why?\nWHERE a = ?", "SELECT 5 %% 2, '%%' -- why?\nWHERE a = %s"),
])
def test_postgres_placeholders_translated(sql, expected):
    assert translate(sql) == expected


def test_postgres_password_never_shown():
    url = "postgresql://team:s3cret@db.example:5433/claims?sslmode=require"
    assert describe(url) == "postgresql://team:***@db.example:5433/claims?sslmode=require"
    assert describe_target(url) == describe(url)
    assert describe("postgres://team@db/claims") == "postgres://team@db/claims"
    assert describe_target("claims.db") == "claims.db"


def test_postgres_driver_missing_says_how_to_install(monkeypatch):
    monkeypatch.setattr(backend, "psycopg", None)
    with pytest.raises(ConfigError, match=r"CG304.*pip install 'claimgraph\[postgres\]'"):
        open_store("postgresql://someone@localhost/claims")


def test_postgres_unreachable_server_is_a_coded_error():
    with pytest.raises(StoreError, match=r"CG305.*postgresql://me:\*\*\*@127\.0\.0\.1:1/claims") as caught:
        open_store("postgresql://me:secret@127.0.0.1:1/claims?connect_timeout=2")
    assert "secret" not in str(caught.value)


def test_postgres_bad_url_is_a_coded_error():
    with pytest.raises(ConfigError, match="CG306"):
        open_store("postgresql://me@localhost/claims?no_such_option=1")


def test_postgres_chosen_by_url_and_by_setting(postgres_url, monkeypatch):
    with open_store(postgres_url) as store:
        assert isinstance(store, PostgresStore) and store.backend == "postgresql"
    monkeypatch.setenv("CLAIMGRAPH_DB", postgres_url.replace("postgresql://", "postgres://", 1))
    with open_store() as store:
        assert isinstance(store, PostgresStore) and store.schema_version == LATEST_SCHEMA


def test_postgres_schema_has_search_index(postgres_url):
    with open_store(postgres_url) as store:
        indexes = {row["indexname"]: row["indexdef"] for row in store._query(
            "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema()")}
        tables = {row["table_name"] for row in store._query(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()")}
    assert "USING gin (search)" in indexes["claims_search"]
    assert {"articles", "claims", "actors", "claim_targets", "reporting_chain", "failures", "runs",
            "claim_events", "schema_migrations"} <= tables


def test_postgres_web_search_syntax(postgres_url, make_article):
    """Beyond SQLite's every-word-required: "phrases", ``or`` and ``-word``."""
    with open_store(postgres_url) as store:
        for text, content in (("Lavrov said that the talks had stalled.", "the talks had stalled"),
                              ("Lavrov said that the sanctions had failed.", "the sanctions had failed")):
            article = make_article(text)
            article.claims = [claim_for(article, content=content)]
            store.save(article)

        def found(query):
            return sorted(c["content"][0]["text"] for c in store.claims(search=query))

        assert found("talks") == ["the talks had stalled"]
        assert found("talks or sanctions") == ["the sanctions had failed", "the talks had stalled"]
        assert found("lavrov -sanctions") == ["the talks had stalled"]
        assert found('"had stalled"') == ["the talks had stalled"]
        assert found('"stalled had"') == []
        assert found("?!") == []  # no words: nothing, as on SQLite
