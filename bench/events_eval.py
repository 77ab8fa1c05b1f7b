#!/usr/bin/env python3
"""PLOVER main-event accuracy and country F1 on plover-gsr-dev: the learned coder against the rules,
on a seeded-hash split of dev into a "choose" half (looked at while working) and a "holdout" half
(not looked at), and on the whole, scored with the shared scorer.

    OMP_NUM_THREADS=1 python bench/events_eval.py [--holdout]
    OMP_NUM_THREADS=1 python bench/events_eval.py --rule-weights 0 1 2 2.5 3 4

The holdout half and the whole are printed only with --holdout, so that working runs do not show
them. Predictions go to --out (JSON lines, the format ``claimgraph events`` writes), one file per
coder and part.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
SHARED = Path(__file__).resolve().parent.parent.parent / "shared" / "eval"
GOLD = SHARED / "events" / "plover-gsr-dev.jsonl"
SEED = "claimgraph-events-20"


def part(record_id: str) -> str:
    """'choose' or 'holdout', from a seeded hash of the record's id."""
    return "holdout" if hashlib.sha256(f"{SEED}:{record_id}".encode()).digest()[0] % 2 else "choose"


def parse(records: list[dict]) -> list:
    from claimgraph.parse import load_nlp

    return list(load_nlp().pipe([r["text"] for r in records], batch_size=32))


def predict(records: list[dict], spacy_docs: list, *, learned: bool) -> dict[str, list[dict]]:
    from claimgraph.events import code_events

    return {record["id"]: [e.to_dict() for e in code_events(spacy_doc, date=record.get("date"), learned=learned)]
            for record, spacy_doc in zip(records, spacy_docs, strict=True)}


def score(gold_records: list[dict], predicted: dict[str, list[dict]], out: Path, name: str) -> str:
    gold_path, pred_path = out / f"{name}.gold.jsonl", out / f"{name}.pred.jsonl"
    gold_path.write_text("".join(json.dumps(r) + "\n" for r in gold_records), "utf-8")
    pred_path.write_text("".join(json.dumps({"id": r["id"], "events": predicted[r["id"]]}) + "\n"
                                 for r in gold_records), "utf-8")
    result = subprocess.run([sys.executable, str(SHARED / "score_events.py"), "events", "--gold", str(gold_path),
                             "--pred", str(pred_path)], capture_output=True, text=True, check=True)
    return result.stdout.strip().splitlines()[-1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--holdout", action="store_true", help="also score the held-out half")
    parser.add_argument("--out", default="/tmp/claimgraph-events-eval")
    parser.add_argument("--rule-weights", type=float, nargs="*", help="score the choose half with these weights")
    parser.add_argument("--coders", nargs="+", default=["rules", "learned"], choices=("rules", "learned"))
    args = parser.parse_args(argv)
    if not GOLD.exists():
        print(f"{GOLD} is absent: nothing to score", file=sys.stderr)
        return 1
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    records = [json.loads(line) for line in GOLD.read_text("utf-8").splitlines() if line.strip()]
    parts = {"choose": [r for r in records if part(r["id"]) == "choose"]}
    if args.holdout:
        parts |= {"holdout": [r for r in records if part(r["id"]) == "holdout"], "whole": records}
    spacy_docs = parse(records)
    if args.rule_weights:  # the sweep that chose RULE_WEIGHT: the choose half only
        from claimgraph.events import learned

        for weight in args.rule_weights:
            learned.RULE_WEIGHT = weight
            scored = score(parts["choose"], predict(records, spacy_docs, learned=True), out, f"weight-{weight}")
            print(f"RULE_WEIGHT {weight:4.1f} choose   {scored}")
        return 0
    for coder in args.coders:
        predicted = predict(records, spacy_docs, learned=coder == "learned")
        for name, gold_records in parts.items():
            scored = score(gold_records, predicted, out, f"{coder}-{name}")
            print(f"{coder:8s} {name:8s} n={len(gold_records):3d}  {scored}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
