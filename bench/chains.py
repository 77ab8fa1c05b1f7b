#!/usr/bin/env python3
"""Score speakers, reporting chains and the anonymous flag on one-sentence reports (issue 17).

    OMP_NUM_THREADS=1 python bench/chains.py bench/data/chains-suite.jsonl [--verbose] [--show-errors]
    OMP_NUM_THREADS=1 python bench/chains.py bench/data/chains-suite.jsonl --model accurate

The input has one JSON object per line: ``{"id", "construction", "text", "expected": [{"speaker",
"reported_by", "anonymous"}]}``. Each text runs through the real pipeline (``load_pipeline()``; ``--model``
names the extraction mode, fast by default) as an article of its own, with no publisher outlet. A
sentence counts as right when its extracted claims match ``expected`` exactly: as many claims as
expected, and each expected claim paired with a different extracted one such that

- the speaker matches: the extracted speaker's mention, or the name it was resolved to, equals the
  expected string case-insensitively once a leading determiner ("the", "a", "an") is stripped from
  both sides (a claim without a speaker matches nothing);
- ``reported_by`` matches: the names of the extracted chain, the publisher left out (there is none
  here), equal the expected names in order, case-insensitively, a leading "the" stripped from both
  ("The Times" and "the Times" are one name);
- ``anonymous`` is equal.

An empty ``expected`` list means nothing may be extracted. The script prints one line, the share of
sentences right; ``--verbose`` adds a line per construction, ``--show-errors`` every wrong sentence
with what was extracted.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import sys
from collections import defaultdict
from typing import Any

os.environ.setdefault("OMP_NUM_THREADS", "1")

_DETERMINER = re.compile(r"^(the|a|an)\s+", re.IGNORECASE)


def normalise(name: str) -> str:
    return _DETERMINER.sub("", " ".join(name.split())).casefold()


def extracted(claim: Any) -> dict[str, Any]:
    speaker = claim.speaker
    return {
        "mention": speaker.text if speaker is not None else None,
        "name": speaker.actor.name if speaker is not None and speaker.actor is not None else None,
        "reported_by": [r.name for r in claim.reported_by if r.role != "publisher"],
        "anonymous": bool(getattr(speaker, "anonymous", False)),  # getattr: versions before the field score too
    }


def claim_matches(got: dict[str, Any], want: dict[str, Any]) -> bool:
    names = {normalise(n) for n in (got["mention"], got["name"]) if n}
    return (normalise(want["speaker"]) in names
            and [normalise(n) for n in got["reported_by"]] == [normalise(n) for n in want["reported_by"]]
            and got["anonymous"] == bool(want["anonymous"]))


def sentence_right(claims: list[dict[str, Any]], expected: list[dict[str, Any]]) -> bool:
    if len(claims) != len(expected):
        return False
    free = list(range(len(claims)))
    for want in expected:
        hit = next((i for i in free if claim_matches(claims[i], want)), None)
        if hit is None:
            return False
        free.remove(hit)
    return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("path", help="JSON lines: id, construction, text, expected")
    parser.add_argument("--verbose", action="store_true", help="add the share per construction")
    parser.add_argument("--show-errors", action="store_true", help="print each wrong sentence")
    parser.add_argument("--model", choices=("fast", "accurate"), default="fast", help="the extraction mode")
    args = parser.parse_args(argv)

    from claimgraph import article_from_text, load_pipeline

    pipeline = load_pipeline(model=args.model)
    with open(args.path, encoding="utf-8") as lines:
        rows = [json.loads(line) for line in lines if line.strip()]
    right: dict[str, list[bool]] = defaultdict(list)
    for row in rows:
        article = pipeline(article_from_text(row["text"], id=row["id"]))
        claims = [extracted(c) for c in article.claims]
        ok = sentence_right(claims, row["expected"])
        right[row["construction"]].append(ok)
        if not ok and args.show_errors:
            print(json.dumps({"id": row["id"], "text": row["text"], "expected": row["expected"], "got": claims},
                             ensure_ascii=False), file=sys.stderr)
    total = [ok for oks in right.values() for ok in oks]
    print(f"chains: {sum(total) / len(total):.3f} of {len(total)} sentences right ({sum(total)}) in {args.path}"
          f" ({args.model} mode)")
    if args.verbose:
        for construction in sorted(right, key=lambda c: (not c.isdigit(), c)):
            oks = right[construction]
            print(f"  {construction:>10}: {sum(oks) / len(oks):.3f} ({sum(oks)}/{len(oks)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
