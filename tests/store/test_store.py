"""The store's API on both backends (SQLite and PostgreSQL): schema, idempotent saves, queries,
full-text search, ordering. Every test here runs once per backend (the ``fresh_store`` fixture)."""
from __future__ import annotations

import pytest

from claimgraph import Actor, Claim, Failure, Mention, NotFound, Reporter, StoreError, TextSpan, open_store

from ..conftest import LATEST_SCHEMA


def claim_for(article, content="the talks had stalled", speaker="Lavrov", about="Kyiv", **actor):
    start = article.text.index(content)
    target_at = article.text.find(about)
    return Claim(
        id=f"{article.id}-{start}", article_id=article.id,
        speaker=Mention(text=speaker, start=0, end=len(speaker),
                        actor=Actor(name="Sergei Lavrov", kind="PERSON", **actor)),
        cue=TextSpan(text="said", start=7, end=11),
        content=(TextSpan(text=content, start=start, end=start + len(content)),),
        kind="indirect",
        reported_by=(Reporter(name="TASS", role="relay", start=60, end=64),
                     Reporter(name="Daily", role="publisher")),
        targets=(Mention(text=about, start=target_at, end=target_at + len(about),
                         actor=Actor(name=about, kind="GPE"), stance="negative"),) if target_at >= 0 else (),
        events=({"role": "speech_act", "event": "ACCUSE", "factuality": "asserted",
                 "actor": [{"code": "RUS"}], "recipient": [{"code": "UKR"}], "trigger": "said",
                 "start": 7, "end": 11, "cameo": "11", "confidence": 0.5, "method": "test"},),
        confidence=0.9, method="test.v1")


@pytest.fixture
def stored(fresh_store, make_article):
    article = make_article("Lavrov said that the talks had stalled because of Kyiv, TASS reported.", outlet="Daily")
    article.claims = [claim_for(article)]
    assert fresh_store.save(article, method="m1") == "stored"
    return fresh_store, article


def test_store_migrations_recorded(fresh_store):
    assert fresh_store.schema_version == LATEST_SCHEMA
    assert fresh_store.migrate() == []  # nothing left to apply
    rows = fresh_store._query("SELECT version, name FROM schema_migrations ORDER BY version")
    assert [(r["version"], r["name"]) for r in rows][:4] == [
        (1, "initial"), (2, "claim_events"), (3, "target_stance"), (4, "narratives")]
    assert [r["version"] for r in rows] == list(range(1, LATEST_SCHEMA + 1))


def test_store_same_article_twice_changes_nothing(stored):
    store, article = stored
    before = store.counts()
    assert store.save(article, method="m1") == "unchanged"
    assert store.counts() == before


def test_store_changed_article_replaces_claims(stored, make_article):
    store, article = stored
    article.text = article.text.replace("stalled", "collapsed")
    article.claims = [claim_for(article, content="the talks had collapsed")]
    assert store.save(article, method="m1") == "stored"
    assert store.counts()["articles"] == 1 and store.counts()["claims"] == 1
    assert store.claims(search="collapsed") and not store.claims(search="stalled")
    assert store.save(article, method="m2") == "stored"  # a new extractor version replaces it too
    assert store.counts()["claims"] == 1


def test_store_round_trip_claim(stored):
    store, article = stored
    loaded = store.article(article.id)
    assert loaded.text == article.text and loaded.outlet == "Daily"
    [claim] = loaded.claims
    original = article.claims[0]
    assert claim.content == original.content
    assert claim.speaker.actor.name == "Sergei Lavrov"
    assert [r.name for r in claim.reported_by] == ["TASS", "Daily"]
    assert [(t.actor.name, t.stance) for t in claim.targets] == [("Kyiv", "negative")]
    assert claim.events == original.events and claim.confidence == 0.9


@pytest.mark.parametrize("filters,expected", [
    ({"speaker": "lavrov"}, 1), ({"speaker": "LAVROV"}, 1), ({"speaker": "Biden"}, 0),
    ({"about": "kyiv"}, 1), ({"about": "Moscow"}, 0),
    ({"about": "Kyiv", "stance": "negative"}, 1), ({"about": "Kyiv", "stance": "positive"}, 0),
    ({"stance": "negative"}, 1),
    ({"outlet": "tass"}, 1), ({"outlet": "daily"}, 1), ({"outlet": "Reuters"}, 0),
    ({"search": "talks stalled"}, 1), ({"search": "Talks"}, 1), ({"search": "sanctions"}, 0),
    ({"search": "lavrov stalled"}, 1),  # the speaker is searched too
    ({"search": 'stalled"'}, 1), ({"search": 'talks AND NOT('}, 0), ({"search": '?!'}, 0),  # not run as SQL
    ({"speaker": "%"}, 0), ({"speaker": "_"}, 0),  # LIKE wildcards in a value are plain characters
    ({"speaker": "lav' OR '1'='1"}, 0),
])
def test_store_claim_filters(stored, filters, expected):
    store, _ = stored
    assert len(store.claims(**filters)) == expected


def test_store_claims_in_arrival_order_and_paged(fresh_store, make_article):
    ids = []
    for word in ("zulu", "alpha", "mike"):  # ids sort differently from arrival
        article = make_article(f"Lavrov said that the talks had stalled in {word}.", id=f"{word}-1")
        article.claims = [claim_for(article)]
        fresh_store.save(article)
        ids.append(article.id)
    assert [row["id"] for row in fresh_store.articles()] == ids
    assert [row["claims"] for row in fresh_store.articles()] == [1, 1, 1]
    assert [c["article_id"] for c in fresh_store.claims()] == ids
    assert [c["article_id"] for c in fresh_store.claims(limit=1, offset=1)] == ids[1:2]
    assert [row["id"] for row in fresh_store.articles(limit=2)] == ids[:2]


def test_store_actor_details_fill_in(fresh_store, make_article):
    first = make_article("Lavrov said that the talks had stalled.", id="a1")
    first.claims = [claim_for(first, country="RUS")]
    second = make_article("Lavrov said that the talks had stalled again.", id="a2")
    second.claims = [claim_for(second, sector="GOV")]  # no country this time: the known one stays
    fresh_store.save(first)
    fresh_store.save(second)
    rows = fresh_store._query("SELECT name, country, sector FROM actors")
    assert rows == [{"name": "Sergei Lavrov", "country": "RUS", "sector": "GOV"}]


def test_store_events_filters(stored):
    store, _ = stored
    [row] = store.events(event="accuse", actor="rus")
    assert (row["recipient_codes"], row["speaker_name"], row["trigger"]) == ("UKR", "Sergei Lavrov", "said")
    assert store.events(actor="UK") == []  # whole codes only
    assert store.events(since="2030-01-01") == []


def test_store_runs_recorded(fresh_store):
    run = fresh_store.start_run("ingest", {"model": "m"})
    assert fresh_store.start_run("ingest", {}) == run + 1
    fresh_store.finish_run(run, {"read": 2, "stored": 1, "rejected": 1})
    row = fresh_store._query_one("SELECT * FROM runs WHERE id = ?", (run,))
    assert (row["read"], row["stored"], row["unchanged"], row["rejected"]) == (2, 1, 0, 1)
    assert row["finished_at"] >= row["started_at"]


def test_store_rejected_record_goes_to_failures(fresh_store, make_article):
    article = make_article("x")
    article.id = ""
    article.failures.append(Failure(step="ingest", code="CG104", message="[CG104] bad", source="f.jsonl:3"))
    assert fresh_store.save(article) == "rejected"
    assert fresh_store.save(article) == "rejected"  # recorded once
    [row] = list(fresh_store.failures())
    assert (row["code"], row["source"], row["level"]) == ("CG104", "f.jsonl:3", "error")
    assert fresh_store.counts()["articles"] == 0


def test_store_failed_save_leaves_nothing(fresh_store, make_article):
    article = make_article("Lavrov said that the talks had stalled.")
    claim = claim_for(article)
    article.claims = [claim, claim]  # the same claim id twice: the second insert fails
    with pytest.raises(Exception, match=r"(?i)unique"):  # the driver's integrity error
        fresh_store.save(article)
    assert fresh_store.counts() == {"articles": 0, "claims": 0, "actors": 0, "failures": 0}
    article.claims = [claim]
    assert fresh_store.save(article) == "stored"  # the store is usable after the rollback


def test_store_not_found(fresh_store):
    with pytest.raises(NotFound, match="CG303"):
        fresh_store.article("nope")


def test_store_newer_schema_is_refused(db_target):
    with open_store(db_target) as store:
        store._execute("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                       (99, "future", "now"))
    with pytest.raises(StoreError, match="CG302"):
        open_store(db_target)


def test_store_reopens_without_migrating(db_target, make_article):
    with open_store(db_target) as store:
        article = make_article("Lavrov said that the talks had stalled.")
        article.claims = [claim_for(article)]
        store.save(article)
    with open_store(db_target) as store:
        assert store.migrate() == [] and store.counts()["claims"] == 1


def test_store_opened_without_migrating_reads_a_migrated_database(db_target, make_article):
    with open_store(db_target) as store:
        article = make_article("Lavrov said that the talks had stalled because of Kyiv, TASS reported.")
        article.claims = [claim_for(article)]
        store.save(article, method="m1")
    with open_store(db_target, migrate=False) as store:  # what a web server does per request
        assert store.counts()["claims"] == 1 and store.schema_version == LATEST_SCHEMA
        assert store.migrate() == []
