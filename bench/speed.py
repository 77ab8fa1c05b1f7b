#!/usr/bin/env python3
"""Throughput of the full extract pipeline against the bare spaCy parse, measured in one run.

    OMP_NUM_THREADS=1 python bench/speed.py --corpus ../shared/eval/attribution/polnear-train.jsonl --docs 300
    OMP_NUM_THREADS=1 python bench/speed.py --model accurate   # the fine-tuned encoder tagger (issue 18)

Runs, on the same texts, --repeat rounds (default 2) of: the bare parse with n_process=1, the bare
parse with n_process=2, claimgraph's own spaCy pipeline parsing alone (the stock one with its
attribute ruler compiled, ``claimgraph.attributes``, and its line-break rule), and claimgraph's
pipeline (read JSON lines -> parse -> extract) with the process count given by --processes
(default 2) and the extraction mode given by --model (fast, the default, or accurate). Model
loading is outside the timed part for all: the extraction's models (tagger, selector, encoder,
check-worthiness, actor tables) are loaded in this process before the rounds, and the pipeline's
workers, forked from it, start with them (until 2026-12-05 each round's workers loaded them inside
the timed part, about 1.1 s per worker and round; ``--load-in-workers`` does that again).
Reports each contender's best round in words/second and the ratio pipeline / fastest bare parse
(best rounds), the same ratio within each round (the machine's speed drifts: a round's contenders
run back to back), plus the peak RSS of the main process and of the largest worker. The machines
are noisy: compare ratios from one run, not absolute numbers across runs.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time

os.environ.setdefault("OMP_NUM_THREADS", "1")


_MEMORY_PROBE = """
import json, resource, sys, tempfile
from claimgraph import load_pipeline, read_articles
lines = open(sys.argv[1], encoding="utf-8").readlines()
with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False, encoding="utf-8") as part:
    part.writelines(lines[: int(sys.argv[3])])
for article in load_pipeline(model=sys.argv[4], n_process=int(sys.argv[2])).pipe(read_articles([part.name])):
    pass
# VmHWM, not ru_maxrss: on Linux ru_maxrss survives exec and would report the parent's peak
own = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM:")) / 1024
print(own, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, int("torch" in sys.modules))
"""


def _pipeline_memory(corpus: str, processes: int, documents: int, mode: str = "fast") -> tuple[float, float, bool]:
    """Peak RSS (MB) of a fresh process streaming ``documents`` articles, of its largest worker, and whether
    PyTorch was loaded: spaCy's thinc imports it whenever it is installed (a training environment), about
    180 MB more in every worker than an install by the README's commands, which has no PyTorch."""
    import subprocess

    out = subprocess.run([sys.executable, "-c", _MEMORY_PROBE, corpus, str(processes), str(documents), mode],
                         capture_output=True, text=True, check=True).stdout.split()
    return float(out[0]), float(out[1]), out[2] == "1"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default="../shared/eval/attribution/polnear-train.jsonl")
    parser.add_argument("--docs", type=int, default=300)
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=2, help="rounds; each contender's best round counts")
    parser.add_argument("--model", choices=("fast", "accurate"), default="fast", help="the extraction mode")
    parser.add_argument("--load-in-workers", action="store_true",
                        help="leave the extraction's models to each round's workers (inside the timed part)")
    args = parser.parse_args(argv)

    import spacy

    from claimgraph import load_pipeline, read_articles
    from claimgraph.parse import DEFAULT_MODEL

    records = []
    with open(args.corpus, encoding="utf-8") as handle:
        for line in handle:
            if len(records) >= args.docs:
                break
            record = json.loads(line)
            records.append({"id": record["id"], "text": record["text"]})
    texts = [r["text"] for r in records]
    words = sum(len(t.split()) for t in texts)
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False, encoding="utf-8") as corpus:
        for record in records:
            corpus.write(json.dumps(record) + "\n")

    nlp = spacy.load(DEFAULT_MODEL)
    pipeline = load_pipeline(model=args.model, n_process=args.processes)
    from claimgraph.parse import load_nlp

    own_parse = load_nlp(pipeline.model)  # load outside the timing, as for the bare parse
    if not args.load_in_workers:  # the extraction's models too: forked workers start with them
        from claimgraph import article_from_text

        for _ in load_pipeline(model=args.model).pipe([article_from_text("Officials said the talks would resume.")]):
            pass
    runs: dict[str, list[float]] = {}
    claims = 0
    # alternate the contenders, best of --repeat rounds each: the machine's speed drifts over a run
    for _ in range(args.repeat):
        for n_process in (1, 2):
            started = time.perf_counter()
            for _ in nlp.pipe(texts, batch_size=32, n_process=n_process):
                pass
            runs.setdefault(f"bare parse n_process={n_process}", []).append(words / (time.perf_counter() - started))
        # claimgraph's own spaCy pipeline (its compiled attribute ruler, line breaks) parsing alone: so
        # that a faster parse and a cheaper extraction can be told apart in the ratio
        started = time.perf_counter()
        for _ in own_parse.pipe(texts, batch_size=32, n_process=args.processes):
            pass
        runs.setdefault(f"claimgraph's parse n_process={args.processes}", []).append(
            words / (time.perf_counter() - started))
        started = time.perf_counter()
        claims = 0
        for article in pipeline.pipe(read_articles([corpus.name])):
            claims += len(article.claims)
        runs.setdefault(f"claimgraph pipeline n_process={args.processes}", []).append(
            words / (time.perf_counter() - started))
    results = {name: max(rates) for name, rates in runs.items()}

    memory = {n: _pipeline_memory(corpus.name, args.processes, n, args.model)
              for n in (len(records) // 2, len(records))}
    fastest = max(v for k, v in results.items() if k.startswith("bare"))
    print(f"corpus: {len(texts)} documents, {words:,} words ({args.corpus}); mode {args.model}")
    for name, rate in results.items():
        each = ", ".join(f"{r:,.0f}" for r in runs[name])
        print(f"{name:34s} {rate:8,.0f} words/s (best of {each})")
    ratio = results[f"claimgraph pipeline n_process={args.processes}"] / fastest
    # the machine's speed drifts between rounds: each round's own ratio, pipeline against that
    # round's fastest bare parse, is the paired measure; the headline compares best rounds
    paired = [pipe / max(one, two) for pipe, one, two in zip(runs[f"claimgraph pipeline n_process={args.processes}"],
                                                             runs["bare parse n_process=1"],
                                                             runs["bare parse n_process=2"], strict=True)]
    print(f"claims extracted: {claims:,}")
    for n, (own, workers, torch) in memory.items():
        print(f"peak RSS streaming {n} documents in a fresh process: main {own:,.0f} MB, "
              f"largest worker {workers:,.0f} MB" + (" (PyTorch loaded: not a README install)" if torch else ""))
    os.unlink(corpus.name)
    print(f"ratio in each round: {', '.join(f'{r:.2f}' for r in paired)} (median {statistics.median(paired):.2f})")
    print(f"ratio pipeline / fastest bare parse: {ratio:.2f}")
    own_parse_rate = results[f"claimgraph's parse n_process={args.processes}"]
    print(f"claimgraph's parse / fastest bare parse: {own_parse_rate / fastest:.2f}; "
          f"pipeline / claimgraph's parse (the cost of extraction alone): "
          f"{results[f'claimgraph pipeline n_process={args.processes}'] / own_parse_rate:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
