"""Split the actor cases into a work part and a held-out part by a seeded hash of each case's test
name (every case of one test falls on the same side), so that rules are written on the work part
only and the held-out part measures them. Writes ``work.jsonl`` and ``heldout.jsonl`` under ``--out``:
score each with ``claimgraph actors`` and ``score_events.py actors`` (docs/evaluation.md#actors).

    python bench/actor_split.py ../shared/eval/events/actor-cases-dev.jsonl --out /tmp/actor-split
"""
from __future__ import annotations

import argparse
import hashlib
import json
from pathlib import Path

SEED = "claimgraph-actors-16"
HELD_OUT = 0.3  # share of the test names held out


def held_out(test: str, *, seed: str = SEED, share: float = HELD_OUT) -> bool:
    digest = hashlib.sha256(f"{seed}:{test}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64 < share


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("cases")
    parser.add_argument("--out", required=True)
    parser.add_argument("--seed", default=SEED)
    parser.add_argument("--share", type=float, default=HELD_OUT)
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    counts = {"work": 0, "heldout": 0}
    with (out / "work.jsonl").open("w", encoding="utf-8") as work, \
            (out / "heldout.jsonl").open("w", encoding="utf-8") as held:
        for line in Path(args.cases).read_text("utf-8").splitlines():
            if not line.strip():
                continue
            case = json.loads(line)
            part = "heldout" if held_out(case["test"], seed=args.seed, share=args.share) else "work"
            (held if part == "heldout" else work).write(line + "\n")
            counts[part] += 1
    print(json.dumps(counts))


if __name__ == "__main__":
    main()
