#!/usr/bin/env python3
"""The user's real job against the bare spaCy parse, end to end, measured in one run.

    OMP_NUM_THREADS=1 python bench/end_to_end.py --corpus ../shared/eval/attribution/polnear-train.jsonl --docs 336

Builds a corpus of ``--docs`` articles from the corpus's texts (fresh ids, so nothing is found
stored), then runs ``--repeat`` rounds, each back to back:

- **bare**: a fresh ``python`` that imports spaCy, loads the model and runs
  ``nlp.pipe(texts, batch_size=64, n_process=2)`` over the texts (reading the JSON lines included);
- **batch**: ``claimgraph batch CORPUS --db NEW.db`` with its default options;
- **ingest**: ``claimgraph ingest CORPUS --db NEW.db`` with its default options.

Every contender is a whole process, timed from start to exit: start-up, model loading, reading,
parsing, extraction (actors and events included), near-duplicate links and the store all count.
Prints each contender's median wall time, the ratios bare / contender (throughput relative to the
bare parse: 1.00 is as fast as the parse), each round's own ratios (the machines are noisy:
compare ratios of one round, not numbers across runs), the peak RSS of every process of each
contender (sampled every 50 ms over the process tree) and the time split by stage that the run
stored in its database (``runs.timings``).
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

BARE = """
import json, sys
import spacy
texts = [json.loads(line)["text"] for line in open(sys.argv[1], encoding="utf-8") if line.strip()]
nlp = spacy.load(sys.argv[2])
for doc in nlp.pipe(texts, batch_size=64, n_process=2):
    pass
"""


def build_corpus(source: Path, documents: int, out: Path) -> int:
    """``documents`` articles from ``source`` (cycled if it has fewer) with fresh ids; returns words."""
    texts = [json.loads(line)["text"] for line in source.open(encoding="utf-8") if line.strip()]
    words = 0
    with out.open("w", encoding="utf-8") as handle:
        for number in range(documents):
            text = texts[number % len(texts)]
            if number >= len(texts):  # a repeated text gets a small edit: not a duplicate of its first copy
                text = f"{text}\n(Repeated copy {number // len(texts)}.)"
            words += len(text.split())
            handle.write(json.dumps({"id": f"e2e-{number:05d}", "text": text}, ensure_ascii=False) + "\n")
    return words


def run_watched(command: list[str], env: dict[str, str], every: float,
                on_sample: Callable[[float, dict[int, float]], None]) -> tuple[float, int, str]:
    """Run ``command``, calling ``on_sample(seconds since start, {pid: RSS MB})`` every ``every``
    seconds for its process tree (its own pid first); return its wall time, exit code and stderr."""
    import psutil

    started = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    done = threading.Event()

    def sample() -> None:
        try:
            root = psutil.Process(process.pid)
        except psutil.NoSuchProcess:
            return
        while not done.is_set():
            try:
                tree = [root, *root.children(recursive=True)]
            except psutil.NoSuchProcess:
                return
            rss: dict[int, float] = {}
            for member in tree:
                try:
                    rss[member.pid] = member.memory_info().rss / 2**20
                except psutil.NoSuchProcess:
                    continue
            on_sample(time.perf_counter() - started, rss)
            done.wait(every)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, stderr = process.communicate()
    elapsed = time.perf_counter() - started
    done.set()
    sampler.join()
    return elapsed, process.returncode, stderr


def run_measured(command: list[str], env: dict[str, str]) -> tuple[float, dict[str, float], int]:
    """Run ``command``; return its wall time, the peak RSS (MB) of each process of its tree, and its exit code."""
    peaks: dict[str, float] = {}
    main_pid: list[int] = []

    def record(_: float, rss: dict[int, float]) -> None:
        main_pid[:] = main_pid or [next(iter(rss))]
        for pid, mb in rss.items():
            name = "main" if pid == main_pid[0] else f"child {pid}"
            peaks[name] = max(peaks.get(name, 0.0), mb)

    elapsed, code, stderr = run_watched(command, env, 0.05, record)
    if code not in (0, 1):
        sys.stderr.write(stderr)
    return elapsed, peaks, code


def stored_timings(db: Path) -> dict[str, float]:
    """The stage times the run stored (``runs.timings``), or nothing if this version stores none."""
    with sqlite3.connect(db) as connection:
        try:
            row = connection.execute("SELECT timings FROM runs ORDER BY id DESC LIMIT 1").fetchone()
        except sqlite3.OperationalError:
            return {}
    return json.loads(row[0]) if row and row[0] else {}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default="../shared/eval/attribution/polnear-train.jsonl", type=Path)
    parser.add_argument("--docs", type=int, default=336)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--only", nargs="*", default=["bare", "batch", "ingest"])
    args = parser.parse_args(argv)

    from claimgraph.parse import DEFAULT_MODEL

    claimgraph = shutil.which("claimgraph", path=str(Path(sys.executable).parent)) or "claimgraph"
    env = os.environ | {"OMP_NUM_THREADS": "1"}
    work = Path(tempfile.mkdtemp(prefix="claimgraph-e2e-"))
    corpus = work / "corpus.jsonl"
    words = build_corpus(args.corpus, args.docs, corpus)
    print(f"corpus: {args.docs} articles, {words:,} words ({corpus.stat().st_size / 2**20:.1f} MB); "
          f"cores available: {len(os.sched_getaffinity(0))}")
    commands = {
        "bare": [sys.executable, "-c", BARE, str(corpus), DEFAULT_MODEL],
        "batch": [claimgraph, "batch", str(corpus), "--db", "{db}"],
        "ingest": [claimgraph, "ingest", str(corpus), "--db", "{db}"],
    }
    times: dict[str, list[float]] = {name: [] for name in args.only}
    peaks: dict[str, dict[str, float]] = {}
    stages: dict[str, dict[str, float]] = {}
    rounds: list[dict[str, float]] = []
    for round_number in range(args.repeat):
        this_round: dict[str, float] = {}
        for name in args.only:
            db = work / f"{name}-{round_number}.db"
            command = [part.replace("{db}", str(db)) for part in commands[name]]
            elapsed, peak, code = run_measured(command, env)
            if code not in (0, 1):
                print(f"{name} failed with exit code {code}", file=sys.stderr)
                return 1
            times[name].append(elapsed)
            this_round[name] = elapsed
            peaks[name] = {k: max(v, peaks.get(name, {}).get(k, 0.0)) for k, v in peak.items()}
            if name != "bare":
                stages[name] = stored_timings(db)
            print(f"round {round_number + 1}: {name} {elapsed:.1f} s", flush=True)
        rounds.append(this_round)

    print()
    print(f"{'':8} {'median s':>9} {'words/s':>8} {'ratio':>6}  per round")
    bare = statistics.median(times["bare"]) if "bare" in times else None
    for name, values in times.items():
        median = statistics.median(values)
        ratio = f"{bare / median:6.2f}" if bare else "     -"
        per_round = ", ".join(f"{r['bare'] / r[name]:.2f}" for r in rounds if "bare" in r)
        print(f"{name:8} {median:9.1f} {words / median:8.0f} {ratio}  {per_round}")
    print()
    print("peak RSS (MB) per process:")
    for name, peak in peaks.items():
        children = sorted((v for k, v in peak.items() if k != "main"), reverse=True)
        shown = ", ".join(f"{v:.0f}" for v in children[:8])
        print(f"  {name:8} main {peak.get('main', 0):.0f}; {len(children)} children: {shown or '-'}")
    for name, split in stages.items():
        if split:
            total = sum(split.values())
            parts = ", ".join(f"{stage} {seconds:.1f} s ({seconds / total:.0%})" for stage, seconds in split.items())
            print(f"time by stage, {name} (summed over processes): {parts}")
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
