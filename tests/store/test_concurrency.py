"""Concurrent writers on one database, on both backends: nothing lost, nothing stored twice.

Three kinds of race, each started together by a barrier or at once: processes opening (and so
migrating) a new database; processes calling ``store.save`` on overlapping article sets (every
article of the overlap saved by several at the same moment, sharing actors in opposite orders);
and two real ``claimgraph ingest`` commands on overlapping inputs.
"""
from __future__ import annotations

import json
import multiprocessing
import re
import subprocess
import sys
from collections import Counter

import pytest

from claimgraph import Actor, Claim, Mention, TextSpan, article_from_text, open_store

from ..conftest import LATEST_SCHEMA

PEOPLE = ["Sergei Lavrov", "Antony Blinken", "Annalena Baerbock", "Wang Yi", "Dmytro Kuleba", "Penny Wong"]
PLACES = ["Kyiv", "Moscow", "Washington", "Beijing", "Berlin", "Canberra"]


def make_articles(numbers: range) -> list:
    """Articles with two claims each; neighbouring articles share speakers and targets, in
    opposite orders, so concurrent writers upsert the same actors."""
    articles = []
    for n in numbers:
        speakers = [PEOPLE[n % 6], PEOPLE[(n + 1) % 6]][:: 1 if n % 2 else -1]
        place = PLACES[n % 6]
        text = " ".join(f"{name} said that the talks in {place} had stalled on day {n}." for name in speakers)
        article = article_from_text(text, id=f"article-{n:03d}", outlet="Wire")
        claims, offset = [], 0
        for name in speakers:
            sentence = f"{name} said that the talks in {place} had stalled on day {n}."
            start = text.index(sentence, offset)
            content_at = start + len(name) + len(" said that ")
            content = sentence[len(name) + len(" said that "):-1]
            at = text.index(place, start)
            claims.append(Claim(
                id=f"{article.id}-{start}", article_id=article.id,
                speaker=Mention(text=name, start=start, end=start + len(name), actor=Actor(name=name, kind="PERSON")),
                cue=TextSpan(text="said", start=start + len(name) + 1, end=start + len(name) + 5),
                content=(TextSpan(text=content, start=content_at, end=content_at + len(content)),),
                kind="indirect", targets=(Mention(text=place, start=at, end=at + len(place),
                                                  actor=Actor(name=place, kind="GPE", country=place[:3].upper())),),
                confidence=0.8, method="test.v1"))
            offset = start + len(sentence)
        article.claims = claims
        articles.append(article)
    return articles


def _save_all(target: str, numbers: list[int], barrier, results) -> None:
    try:
        articles = make_articles(range(max(numbers) + 1))
        with open_store(target) as store:
            barrier.wait(timeout=120)
            counts = Counter(store.save(articles[n], method="m1") for n in numbers)
        results.put(dict(counts))
    except Exception as e:  # noqa: BLE001 - reported to the test, which fails on it
        results.put(repr(e))


def test_concurrent_saves_lose_and_duplicate_nothing(db_target):
    open_store(db_target).close()  # migrated beforehand: this test races the writes
    # three writers; articles 10-29 are written by two or three of them at once
    plans = [list(range(10, 30)) + list(range(10)), list(range(10, 40)), list(range(29, 9, -1))]
    context = multiprocessing.get_context("spawn")
    barrier, results = context.Barrier(len(plans)), context.Queue()
    workers = [context.Process(target=_save_all, args=(db_target, plan, barrier, results)) for plan in plans]
    for worker in workers:
        worker.start()
    outcomes = [results.get(timeout=300) for _ in workers]
    for worker in workers:
        worker.join(timeout=60)
    assert all(isinstance(o, dict) for o in outcomes), outcomes
    total = sum((Counter(o) for o in outcomes), Counter())
    assert total == {"stored": 40, "unchanged": sum(map(len, plans)) - 40}  # each article stored once
    expected = make_articles(range(40))
    with open_store(db_target) as store:
        assert store.counts() == {"articles": 40, "claims": 80, "actors": 12, "failures": 0}
        for article in expected:
            assert store.article(article.id).claims == article.claims
        rows = store._query("SELECT name, country FROM actors WHERE kind = ? ORDER BY name", ("GPE",))
        assert [(r["name"], r["country"]) for r in rows] == sorted((p, p[:3].upper()) for p in PLACES)
        chains = store._scalar("SELECT count(*) AS n FROM claim_targets")
        assert chains == 80


def _open_and_report(target: str, barrier, results) -> None:
    barrier.wait(timeout=120)
    try:
        with open_store(target) as store:
            results.put(store.schema_version)
    except Exception as e:  # noqa: BLE001 - reported to the test, which fails on it
        results.put(repr(e))


def test_new_database_migrated_once_by_racing_processes(db_target):
    context = multiprocessing.get_context("spawn")
    barrier, results = context.Barrier(4), context.Queue()
    workers = [context.Process(target=_open_and_report, args=(db_target, barrier, results)) for _ in range(4)]
    for worker in workers:
        worker.start()
    outcomes = [results.get(timeout=120) for _ in workers]
    for worker in workers:
        worker.join(timeout=60)
    assert outcomes == [LATEST_SCHEMA] * 4
    with open_store(db_target) as store:
        rows = store._query("SELECT version FROM schema_migrations ORDER BY version")
    assert [row["version"] for row in rows] == list(range(1, LATEST_SCHEMA + 1))


@pytest.mark.slow
@pytest.mark.heavy  # two claimgraph processes, each loading spaCy
def test_two_ingest_commands_at_once(db_target, tmp_path, pipeline):
    """Two `claimgraph ingest` processes on overlapping inputs into one new database."""
    texts = {f"ingest-{n:02d}": f"{PEOPLE[n % 6]} said on day {n} that the talks in {PLACES[(n + 2) % 6]} "
                                f"had stalled, officials told reporters. The envoy added that sanctions "
                                f"would follow within {n + 2} weeks." for n in range(30)}
    ids = sorted(texts)
    halves = {"a.jsonl": ids[:20], "b.jsonl": ids[10:]}  # ten articles in both
    for name, chosen in halves.items():
        (tmp_path / name).write_text("".join(json.dumps({"id": i, "text": texts[i]}) + "\n" for i in chosen),
                                     encoding="utf-8")
    commands = [subprocess.Popen([sys.executable, "-m", "claimgraph", "ingest", str(tmp_path / name),
                                  "--db", db_target], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                for name in halves]
    summaries = []
    for command in commands:
        _, err = command.communicate(timeout=600)
        assert command.returncode == 0, err
        summaries.append(re.search(r"read (\d+), stored (\d+), unchanged (\d+), rejected (\d+)", err).groups())
    read, stored, unchanged, rejected = (sum(int(s[i]) for s in summaries) for i in range(4))
    assert (read, stored, unchanged, rejected) == (40, 30, 10, 0)
    expected = {i: len(pipeline(article_from_text(texts[i], id=i)).claims) for i in ids}
    with open_store(db_target) as store:
        assert store.counts()["articles"] == 30
        per_article = Counter(c["article_id"] for c in store.claims(limit=None))
        assert dict(per_article) == {i: n for i, n in expected.items() if n}
        assert store.counts()["claims"] == sum(expected.values())
        runs = store._query("SELECT read, stored, unchanged FROM runs ORDER BY id")
        assert sorted((r["read"], r["stored"] + r["unchanged"]) for r in runs) == [(20, 20), (20, 20)]
