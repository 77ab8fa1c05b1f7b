"""The SQLite store: schema, idempotent saves, queries, full-text search, Datasette."""
from __future__ import annotations

import sqlite3

import pytest

from claimgraph import Actor, Claim, Failure, Mention, NotFound, Reporter, StoreError, TextSpan, open_store
from claimgraph.store.sqlite import fts_query


def claim_for(article, content="the talks had stalled", speaker="Lavrov", about="Kyiv"):
    start = article.text.index(content)
    target_at = article.text.find(about)
    return Claim(
        id=f"c-{start}", article_id=article.id,
        speaker=Mention(text=speaker, start=0, end=len(speaker),
                        actor=Actor(name="Sergei Lavrov", kind="PERSON")),
        cue=TextSpan(text="said", start=7, end=11),
        content=(TextSpan(text=content, start=start, end=start + len(content)),),
        kind="indirect",
        reported_by=(Reporter(name="TASS", role="relay", start=60, end=64),
                     Reporter(name="Daily", role="publisher")),
        targets=(Mention(text=about, start=target_at, end=target_at + len(about),
                         actor=Actor(name=about, kind="GPE")),) if target_at >= 0 else (),
        confidence=0.9, method="test.v1")


@pytest.fixture
def stored(fresh_store, make_article):
    article = make_article("Lavrov said that the talks had stalled because of Kyiv, TASS reported.", outlet="Daily")
    article.claims = [claim_for(article)]
    assert fresh_store.save(article, method="m1") == "stored"
    return fresh_store, article


def test_sqlite_migrations_recorded(fresh_store):
    assert fresh_store.schema_version == 5  # 0004 is another branch's number
    assert fresh_store.migrate() == []  # nothing left to apply
    tables = {row[0] for row in fresh_store.connection.execute("SELECT name FROM sqlite_master")}
    assert {"articles", "claims", "actors", "claim_targets", "reporting_chain", "failures", "runs",
            "claims_fts", "articles_fts", "schema_migrations", "batch_seen", "article_signatures",
            "article_bands"} <= tables


def test_sqlite_same_article_twice_changes_nothing(stored):
    store, article = stored
    before = store.counts()
    assert store.save(article, method="m1") == "unchanged"
    assert store.counts() == before


def test_sqlite_changed_article_replaces_claims(stored, make_article):
    store, article = stored
    article.text = article.text.replace("stalled", "collapsed")
    article.claims = [claim_for(article, content="the talks had collapsed")]
    assert store.save(article, method="m1") == "stored"
    assert store.counts()["articles"] == 1 and store.counts()["claims"] == 1
    assert store.claims(search="collapsed") and not store.claims(search="stalled")


def test_sqlite_round_trip_claim(stored):
    store, article = stored
    loaded = store.article(article.id)
    assert loaded.text == article.text and loaded.outlet == "Daily"
    [claim] = loaded.claims
    original = article.claims[0]
    assert claim.content == original.content
    assert claim.speaker.actor.name == "Sergei Lavrov"
    assert [r.name for r in claim.reported_by] == ["TASS", "Daily"]
    assert [t.actor.name for t in claim.targets] == ["Kyiv"]


@pytest.mark.parametrize("filters,expected", [
    ({"speaker": "lavrov"}, 1), ({"speaker": "Biden"}, 0),
    ({"about": "kyiv"}, 1), ({"about": "Moscow"}, 0),
    ({"outlet": "tass"}, 1), ({"outlet": "daily"}, 1), ({"outlet": "Reuters"}, 0),
    ({"search": "talks stalled"}, 1), ({"search": "sanctions"}, 0),
    ({"search": 'stalled"'}, 1), ({"search": 'talks AND NOT('}, 0),  # FTS syntax is quoted, not run
])
def test_sqlite_claim_filters(stored, filters, expected):
    store, _ = stored
    assert len(store.claims(**filters)) == expected


def test_sqlite_rejected_record_goes_to_failures(fresh_store, make_article):
    article = make_article("x")
    article.id = ""
    article.failures.append(Failure(step="ingest", code="CG104", message="[CG104] bad", source="f.jsonl:3"))
    assert fresh_store.save(article) == "rejected"
    assert fresh_store.save(article) == "rejected"  # recorded once
    [row] = list(fresh_store.failures())
    assert (row["code"], row["source"], row["level"]) == ("CG104", "f.jsonl:3", "error")
    assert fresh_store.counts()["articles"] == 0


def test_sqlite_not_found(fresh_store):
    with pytest.raises(NotFound, match="CG303"):
        fresh_store.article("nope")


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


def test_sqlite_database_opens_in_datasette(tmp_path, stored):
    import asyncio

    from datasette.app import Datasette

    store, article = stored
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
