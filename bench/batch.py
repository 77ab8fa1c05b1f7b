#!/usr/bin/env python3
"""`claimgraph batch` at scale: throughput against the bare spaCy parse, growth N -> 2N, memory N -> 4N.

    OMP_NUM_THREADS=1 python bench/batch.py --docs 5000 --workers 2

The corpus is the PolNeAR train texts (../shared/eval), repeated until --docs articles (each
repetition gets its own id, so every article is stored; the repeats are exact copies, which the
near-duplicate linker joins into stories as it would wire copies). Everything is measured in one
run, in this order:

1. the bare spaCy parse of all --docs texts, n_process=2 (its fastest setting on 2 cores),
   batch_size 32, model loaded outside the timing;
2. `claimgraph batch` as a fresh process (the CLI: start-up, model loading in the workers,
   reading, parsing, extraction, storing, near-duplicate linking, all timed) on --docs/4,
   --docs/2 and --docs articles, each into a new database, with the peak RSS of its process tree
   (main + workers, sampled every 0.1 s) and of its largest process.

Reported: words/s of each, throughput = batch(--docs) / bare parse, growth = time(--docs) /
time(--docs/2), memory = peak RSS at --docs / at --docs/4. The machine is shared: compare the
ratios of one run, not absolute numbers across runs.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")


def build_corpus(source: str, docs: int, folder: Path) -> tuple[Path, list[str]]:
    records = [json.loads(line) for line in open(source, encoding="utf-8")]
    texts, path = [], folder / f"corpus-{docs}.jsonl"
    with open(path, "w", encoding="utf-8") as handle:
        for n in range(docs):
            record = records[n % len(records)]
            texts.append(record["text"])
            handle.write(json.dumps({"id": f"{record['id']}~{n // len(records)}", "text": record["text"]}) + "\n")
    return path, texts


def words(texts: list[str]) -> int:
    return sum(len(text.split()) for text in texts)


def run_batch_process(corpus: Path, workers: int, folder: Path) -> dict:
    """Run the CLI on ``corpus`` into a fresh db; wall time and peak RSS of the process tree."""
    import psutil

    db = folder / f"{corpus.stem}-{time.monotonic_ns()}.db"
    command = [sys.executable, "-m", "claimgraph", "batch", str(corpus), "--db", str(db), "--workers",
               str(workers), "--quiet"]
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    root = psutil.Process(process.pid)
    peak_tree = peak_one = 0
    cpu: dict[int, float] = {}
    while process.poll() is None:
        try:
            tree = [root, *root.children(recursive=True)]
            rss = [p.memory_info().rss for p in tree]
            peak_tree, peak_one = max(peak_tree, sum(rss)), max(peak_one, max(rss))
            for p in tree:
                times = p.cpu_times()
                cpu[p.pid] = times.user + times.system
        except psutil.Error:
            pass
        time.sleep(0.1)
    elapsed = time.perf_counter() - started
    stderr = process.stderr.read()
    if process.returncode != 0:
        raise SystemExit(f"batch failed: {stderr}")
    summary = stderr.strip().splitlines()[-1]
    size = db.stat().st_size + sum(p.stat().st_size for p in folder.glob(db.name + "-*"))
    main_cpu = cpu.pop(process.pid, 0.0)
    return {"seconds": elapsed, "peak_tree_mb": peak_tree / 2**20, "peak_process_mb": peak_one / 2**20,
            "summary": summary, "db_mb": size / 2**20, "main_cpu_s": main_cpu, "workers_cpu_s": sum(cpu.values())}


def bare_parse(texts: list[str], n_process: int) -> tuple[float, float]:
    """Wall seconds and CPU seconds (this process + its spaCy workers) of the bare parse."""
    import threading

    import psutil
    import spacy

    from claimgraph.parse import DEFAULT_MODEL

    nlp = spacy.load(DEFAULT_MODEL)
    me = psutil.Process()
    children_cpu: dict[int, float] = {}
    stop = threading.Event()

    def sample() -> None:
        while not stop.is_set():
            for child in me.children(recursive=True):
                try:
                    times = child.cpu_times()
                    children_cpu[child.pid] = times.user + times.system
                except psutil.Error:
                    pass
            stop.wait(0.1)

    sampler = threading.Thread(target=sample, daemon=True)
    own = me.cpu_times()
    started = time.perf_counter()
    sampler.start()
    for _ in nlp.pipe(texts, batch_size=32, n_process=n_process):
        pass
    elapsed = time.perf_counter() - started
    stop.set()
    sampler.join()
    end = me.cpu_times()
    return elapsed, (end.user + end.system - own.user - own.system) + sum(children_cpu.values())


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default="../shared/eval/attribution/polnear-train.jsonl")
    parser.add_argument("--docs", type=int, default=5000, help="articles for the throughput run (4N)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--parse-processes", type=int, default=2)
    parser.add_argument("--json", help="also write the figures here")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        sizes = [args.docs // 4, args.docs // 2, args.docs]
        corpora = {n: build_corpus(args.corpus, n, folder) for n in sizes}
        full_texts = corpora[args.docs][1]
        results: dict = {"docs": sizes, "words": {n: words(corpora[n][1]) for n in sizes}}
        print(f"corpus: {args.corpus} repeated; {sizes} articles, {results['words']} words", flush=True)
        seconds, cpu = bare_parse(full_texts, args.parse_processes)
        results["bare_words_per_s"] = results["words"][args.docs] / seconds
        results["bare_words_per_cpu_s"] = results["words"][args.docs] / cpu
        print(f"bare spaCy parse n_process={args.parse_processes}, {args.docs} docs: {seconds:,.1f} s, "
              f"{results['bare_words_per_s']:,.0f} words/s; CPU {cpu:,.0f} s "
              f"({results['bare_words_per_cpu_s']:,.0f} words per CPU-second)", flush=True)
        runs = {}
        for n in sizes:
            runs[n] = run_batch_process(corpora[n][0], args.workers, folder)
            rate = results["words"][n] / runs[n]["seconds"]
            print(f"claimgraph batch --workers {args.workers}, {n} docs: {runs[n]['seconds']:,.1f} s, "
                  f"{rate:,.0f} words/s, peak RSS tree {runs[n]['peak_tree_mb']:,.0f} MB "
                  f"(largest process {runs[n]['peak_process_mb']:,.0f} MB), db {runs[n]['db_mb']:,.0f} MB, CPU main "
                  f"{runs[n]['main_cpu_s']:,.0f} s / workers {runs[n]['workers_cpu_s']:,.0f} s"
                  f"\n    {runs[n]['summary']}", flush=True)
        results["runs"] = runs
    quarter, half, full = sizes
    throughput = results["words"][full] / runs[full]["seconds"] / results["bare_words_per_s"]
    cpu_ratio = (results["words"][full] / (runs[full]["main_cpu_s"] + runs[full]["workers_cpu_s"])
                 / results["bare_words_per_cpu_s"])
    growth = runs[full]["seconds"] / runs[half]["seconds"]
    memory = runs[full]["peak_tree_mb"] / runs[quarter]["peak_tree_mb"]
    results |= {"throughput_ratio": throughput, "cpu_ratio": cpu_ratio, "growth_ratio": growth,
                "memory_ratio": memory}
    print(f"throughput: batch / bare parse = {throughput:.2f}   (target >= 0.80)")
    print(f"  per CPU-second (robust to other load on the machine): batch / bare parse = {cpu_ratio:.2f}")
    print(f"growth: time({full}) / time({half}) = {growth:.2f}   (target <= 2.2)")
    print(f"memory: peak RSS tree at {full} / at {quarter} = {memory:.2f}   (target within 1.2)")
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
