#!/usr/bin/env python3
"""Speaker-resolution audit on PolNeAR dev: attributions whose gold speaker is a pronoun or a
description ("he", "the senator", "a spokesman").

    python bench/speaker_audit.py sample --gold ../shared/eval/attribution/polnear-dev.jsonl \
        --pred pred.jsonl --out /tmp/speaker-audit.jsonl          # cases to judge (contain dev text: do not commit)
    python bench/speaker_audit.py score --cases /tmp/speaker-audit.jsonl --judgments bench/speaker_audit_judgments.json

`sample` keeps the attributions that claimgraph matched (content Dice >= 0.5, speaker overlap), draws
a seeded sample, and writes each with the text before the mention and the canonical name
claimgraph resolved. A reader judges each case from the text alone ("correct": the name is the
person or group the mention refers to; "wrong"; "unresolvable": the text does not say).
`score` reports accuracy from the judgments file: a list of {case, resolved, verdict} (ids, the
resolved names and verdicts only, no article text). A verdict counts only for the name it judged.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from pathlib import Path

SEED = 7
_NAMELESS = re.compile(r"^(he|she|they|it|we|i|you|him|her|them|his|its|their|who|which|that|this|these|those|"
                       r"the|a|an|some|many|most|one|another|two|three|several|both|all|each|officials?|sources?)\b",
                       re.IGNORECASE)


def _trim(text: str, spans) -> set[int]:
    chars: set[int] = set()
    for start, end in spans:
        chars.update(i for i in range(start, end) if not text[i].isspace())
    return chars


def sample(args) -> int:
    gold = {json.loads(line)["id"]: json.loads(line) for line in open(args.gold, encoding="utf-8")}
    pred = {json.loads(line)["id"]: json.loads(line) for line in open(args.pred, encoding="utf-8")}
    cases = []
    for doc_id, record in gold.items():
        text = record["text"]
        for number, attribution in enumerate(record["attributions"]):
            if not attribution.get("source"):
                continue
            source = " ".join(text[s:e] for s, e in attribution["source"])
            if not _NAMELESS.match(source.strip()) or any(w[:1].isupper() for w in source.split()[1:]):
                continue  # a name is in the mention itself: nothing to resolve
            g_content = _trim(text, attribution["content"])
            g_source = _trim(text, attribution["source"])
            for claim in pred.get(doc_id, {}).get("claims", []):
                speaker = claim.get("speaker")
                if not speaker or not (speaker.get("actor") or {}).get("name"):
                    continue
                p_content = _trim(text, [(c["start"], c["end"]) for c in claim["content"]])
                dice = 2 * len(g_content & p_content) / (len(g_content) + len(p_content) or 1)
                if dice >= 0.5 and g_source & _trim(text, [(speaker["start"], speaker["end"])]):
                    start = attribution["source"][0][0]
                    cases.append({"case": f"{doc_id}#{number}", "mention": speaker["text"],
                                  "resolved": speaker["actor"]["name"],
                                  "context": text[max(0, start - 1200):min(len(text), start + 200)],
                                  "mention_at": min(start, 1200)})
                    break
    # a stable order (a seeded hash of the case id): a new version of claimgraph that matches a few
    # attributions more or fewer keeps the rest of the sample, so the same cases are judged again
    cases.sort(key=lambda case: hashlib.sha1(f"{SEED}:{case['case']}".encode()).hexdigest())
    chosen = cases[: args.n]
    with open(args.out, "w", encoding="utf-8") as handle:
        for case in chosen:
            handle.write(json.dumps(case, ensure_ascii=False) + "\n")
    print(f"{len(cases)} matched pronoun/description speakers; wrote {len(chosen)} to {args.out}", file=sys.stderr)
    return 0


def score(args) -> int:
    cases = [json.loads(line) for line in open(args.cases, encoding="utf-8")]
    verdicts = {(item["case"], item["resolved"]): item["verdict"]
                for item in json.loads(Path(args.judgments).read_text("utf-8"))}
    # a verdict holds for the name it judged: a case resolved to another name since is judged again
    judged = [verdicts[(case["case"], case["resolved"])] for case in cases if (case["case"], case["resolved"]) in verdicts]
    counts = {v: judged.count(v) for v in ("correct", "wrong", "unresolvable")}
    decidable = counts["correct"] + counts["wrong"]
    print(f"judged {len(judged)} of {len(cases)}: correct {counts['correct']}, wrong {counts['wrong']}, "
          f"unresolvable {counts['unresolvable']}; accuracy {counts['correct'] / (decidable or 1):.3f} "
          f"on the {decidable} decidable cases")
    if len(judged) < len(cases):
        print(f"{len(cases) - len(judged)} cases have no verdict for the name now resolved: judge them and add them "
              f"to {args.judgments}", file=sys.stderr)
    return 0 if len(judged) == len(cases) else 1


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    one = sub.add_parser("sample")
    one.add_argument("--gold", required=True)
    one.add_argument("--pred", required=True)
    one.add_argument("--out", required=True)
    one.add_argument("-n", type=int, default=120)
    two = sub.add_parser("score")
    two.add_argument("--cases", required=True)
    two.add_argument("--judgments", required=True)
    args = parser.parse_args(argv)
    return sample(args) if args.command == "sample" else score(args)


if __name__ == "__main__":
    sys.exit(main())
