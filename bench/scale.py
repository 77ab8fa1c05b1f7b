#!/usr/bin/env python3
"""One long run of the README's batch command: wall time, throughput, memory over time, database size.

    OMP_NUM_THREADS=1 python bench/scale.py --corpus ../shared/eval/attribution/polnear-train.jsonl --docs 10000
    OMP_NUM_THREADS=1 python bench/scale.py --docs 2000 --dask      # then the same on a local Dask cluster

Builds ``--docs`` articles from the corpus's texts (repeated with fresh ids and a small edit, as
bench/end_to_end.py does), runs ``claimgraph batch CORPUS --db NEW.db`` with its default options,
and samples every second the RSS of every process of the run and how many articles the database
holds. Reports the wall time, articles/s, each process's peak RSS, the RSS while the first and
the last 1,000 articles were stored (flat memory: the last within 20 % of the first), throughput
over the first and the last 1,000, and the database size per 1,000 articles. With ``--dask``, runs
the same corpus again with ``--dask`` into a second database and checks that both hold the same claims.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import sqlite3
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from end_to_end import build_corpus, run_watched  # noqa: E402 - bench/ is not a package


def stored(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1) as connection:
            return int(connection.execute("SELECT count(*) FROM articles").fetchone()[0])
    except sqlite3.Error:
        return 0


def run_sampled(command: list[str], db: Path, env: dict[str, str]
                ) -> tuple[float, list[tuple[float, int, dict[int, float]]]]:
    """Run ``command``; return its wall time and samples (seconds, articles stored, {pid: RSS MB})."""
    samples: list[tuple[float, int, dict[int, float]]] = []
    elapsed, code, stderr = run_watched(command, env, 1.0,
                                        lambda seconds, rss: samples.append((seconds, stored(db), rss)))
    if code not in (0, 1):
        sys.stderr.write(stderr)
        raise SystemExit(f"the run failed with exit code {code}")
    sys.stderr.write(stderr.strip().splitlines()[-1] + "\n")
    return elapsed, samples


def window(samples: list[tuple[float, int, dict[int, float]]], low: int, high: int
           ) -> tuple[float, float, dict[int, float]]:
    """(start s, end s, peak RSS per pid) while the store went from ``low`` to ``high`` articles."""
    inside = [s for s in samples if low <= s[1] <= high]
    if not inside:
        return 0.0, 0.0, {}
    peak: dict[int, float] = {}
    for _, _, rss in inside:
        for pid, mb in rss.items():
            peak[pid] = max(peak.get(pid, 0.0), mb)
    return inside[0][0], inside[-1][0], peak


def claims_digest(db: Path) -> tuple[int, str]:
    with sqlite3.connect(db) as connection:
        rows = connection.execute("SELECT article_id, start_char, end_char, speaker_name, kind, method FROM claims "
                                  "ORDER BY article_id, start_char, end_char, id").fetchall()
    return len(rows), hashlib.sha256(json.dumps(rows).encode()).hexdigest()[:16]


def report(name: str, db: Path, docs: int, elapsed: float, samples: list[tuple[float, int, dict[int, float]]]) -> None:
    peaks: dict[int, float] = {}
    for _, _, rss in samples:
        for pid, mb in rss.items():
            peaks[pid] = max(peaks.get(pid, 0.0), mb)
    main_pid = min(peaks) if peaks else 0  # the command's own process started first
    size = sum(p.stat().st_size for p in db.parent.glob(db.name + "*"))
    print(f"\n{name}: {docs} articles in {elapsed:.0f} s ({docs / elapsed:.2f} articles/s); "
          f"database {size / 2**20:.1f} MB ({size / 2**20 / docs * 1000:.1f} MB per 1,000 articles)")
    print("  peak RSS (MB): " + ", ".join(f"{'main' if pid == main_pid else pid} {mb:.0f}"
                                         for pid, mb in sorted(peaks.items())))
    block = min(1000, docs // 2)
    first = window(samples, 0, block)
    last = window(samples, docs - block, docs)
    for label, (start, end, peak) in (("first", first), ("last", last)):
        rate = block / (end - start) if end > start else float("nan")
        print(f"  {label} {block}: {rate:.2f} articles/s; peak RSS " +
              ", ".join(f"{'main' if pid == main_pid else pid} {mb:.0f}" for pid, mb in sorted(peak.items())))
    common = set(first[2]) & set(last[2])
    growth = max((last[2][pid] / first[2][pid] - 1 for pid in common), default=float("nan"))
    print(f"  largest RSS growth of a process from the first to the last {block}: {growth:+.0%}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default="../shared/eval/attribution/polnear-train.jsonl", type=Path)
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--dask", action="store_true", help="also run on a local Dask cluster and compare claims")
    parser.add_argument("--keep", type=Path, help="keep the databases in this folder")
    args = parser.parse_args(argv)
    claimgraph = shutil.which("claimgraph", path=str(Path(sys.executable).parent)) or "claimgraph"
    env = os.environ | {"OMP_NUM_THREADS": "1"}
    work = Path(tempfile.mkdtemp(prefix="claimgraph-scale-"))
    corpus = work / "corpus.jsonl"
    words = build_corpus(args.corpus, args.docs, corpus)
    print(f"corpus: {args.docs} articles, {words:,} words; cores available: {len(os.sched_getaffinity(0))}")
    runs = [("batch", [])] + ([("batch --dask", ["--dask"])] if args.dask else [])
    digests = []
    for name, extra in runs:
        db = work / f"{name.replace(' --', '-')}.db"
        elapsed, samples = run_sampled([claimgraph, "batch", str(corpus), "--db", str(db), *extra], db, env)
        report(name, db, args.docs, elapsed, samples)
        digests.append(claims_digest(db))
        print(f"  claims: {digests[-1][0]:,} (digest {digests[-1][1]})")
    if len(digests) == 2:
        print(f"\nsame claims on Dask as in the local run: {digests[0] == digests[1]}")
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
        for path in work.glob("*.db"):
            shutil.copy(path, args.keep / path.name)
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
