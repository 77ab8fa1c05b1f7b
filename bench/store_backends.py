#!/usr/bin/env python3
"""Write and query speed of the two store backends on the same synthetic articles, measured in one run.

    OMP_NUM_THREADS=1 python bench/store_backends.py --articles 2000 \
        --postgres postgresql://claimgraph:claimgraph@localhost/claimgraph_test

For each backend (a new SQLite file; a new schema of the PostgreSQL database, dropped afterwards):
``store.save`` of N articles with three claims each by one process, then of N more by two processes
at once (disjoint halves), then the median time of five queries over the 2N articles (20 runs each).
No spaCy: the articles and claims are generated, so this times the store alone. The machines are
noisy: compare the backends within one run, not absolute numbers across runs.
"""
from __future__ import annotations

import argparse
import multiprocessing
import random
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from claimgraph import Actor, Claim, Mention, TextSpan, article_from_text, open_store  # noqa: E402

PEOPLE = [f"Speaker {n}" for n in range(200)]
PLACES = [f"Place{n}" for n in range(60)]
WORDS = [f"word{n}" for n in range(500)]


def make_article(n: int):
    rng = random.Random(n)
    sentences, specs = [], []
    for _ in range(3):
        name, place = rng.choice(PEOPLE), rng.choice(PLACES)
        content = f"the talks in {place} had stalled over {rng.choice(WORDS)} and {rng.choice(WORDS)}"
        specs.append((name, place, content))
        sentences.append(f"{name} said that {content}.")
    text = " ".join(sentences)
    article = article_from_text(text, id=f"bench-{n:06d}", outlet=rng.choice(["Wire", "TASS", "Daily"]))
    offset = 0
    for name, place, content in specs:
        start = text.index(name, offset)
        at = text.index(content, start)
        where = text.index(place, at)
        article.claims.append(Claim(
            id=f"{article.id}-{start}", article_id=article.id,
            speaker=Mention(text=name, start=start, end=start + len(name), actor=Actor(name=name, kind="PERSON")),
            cue=TextSpan(text="said", start=start + len(name) + 1, end=start + len(name) + 5),
            content=(TextSpan(text=content, start=at, end=at + len(content)),), kind="indirect",
            targets=(Mention(text=place, start=where, end=where + len(place), actor=Actor(name=place, kind="GPE")),),
            confidence=0.8, method="bench"))
        offset = at + len(content)
    return article


def _write(target: str, numbers: range, barrier=None) -> None:
    articles = [make_article(n) for n in numbers]
    with open_store(target) as store:
        if barrier is not None:
            barrier.wait()
        for article in articles:
            store.save(article, method="bench")


def measure(target: str, count: int) -> dict[str, float]:
    open_store(target).close()
    started = time.perf_counter()
    _write(target, range(count))
    serial = count / (time.perf_counter() - started)
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(3)
    half = count // 2
    workers = [context.Process(target=_write, args=(target, part, barrier))
               for part in (range(count, count + half), range(count + half, 2 * count))]
    for worker in workers:
        worker.start()
    barrier.wait()
    started = time.perf_counter()
    for worker in workers:
        worker.join()
    parallel = count / (time.perf_counter() - started)
    result = {"save/s, 1 process": serial, "save/s, 2 processes": parallel}
    queries = {"search 2 words": {"search": "stalled word7"}, "search 1 word": {"search": "word7"},
               "speaker": {"speaker": "speaker 17"}, "about": {"about": "place3"}, "outlet": {"outlet": "tass"}}
    with open_store(target) as store:
        assert store.counts()["articles"] == 2 * count, store.counts()
        for name, filters in queries.items():
            times = []
            for _ in range(20):
                started = time.perf_counter()
                store.claims(**filters, limit=100)
                times.append(time.perf_counter() - started)
            result[f"ms, {name}"] = 1000 * statistics.median(times)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--postgres", help="a PostgreSQL URL (a schema is created in it and dropped)")
    args = parser.parse_args()
    results = {}
    with tempfile.TemporaryDirectory() as folder:
        results["sqlite"] = measure(str(Path(folder) / "bench.db"), args.articles)
    if args.postgres:
        import psycopg

        schema = f"bench_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(args.postgres, autocommit=True) as admin:
            admin.execute(f'CREATE SCHEMA "{schema}"')
        try:
            separator = "&" if "?" in args.postgres else "?"
            results["postgresql"] = measure(f"{args.postgres}{separator}options=-csearch_path%3D{schema}",
                                            args.articles)
        finally:
            with psycopg.connect(args.postgres, autocommit=True) as admin:
                admin.execute(f'DROP SCHEMA "{schema}" CASCADE')
    names = list(next(iter(results.values())))
    print(f"{'':22}" + "".join(f"{backend:>12}" for backend in results))
    for name in names:
        print(f"{name:22}" + "".join(f"{results[backend][name]:12.1f}" for backend in results))


if __name__ == "__main__":
    main()
