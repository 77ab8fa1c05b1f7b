#!/usr/bin/env python3
"""Where attribution recall is lost: the candidates' coverage of gold attributions on a training set.

    OMP_NUM_THREADS=1 python bench/attribution_coverage.py --gold ../shared/eval/attribution/polnear-train.jsonl \
        [--tags /tmp/claimgraph-tagger-heldout.pkl]

Every candidate extract.find_drafts proposes is compared with each gold attribution as the shared
scorer compares them (content Dice >= 0.5 on trimmed characters, speaker spans overlapping). Each
gold attribution falls in one bucket: hit (some candidate matches), speaker (the content matches
but the speaker does not: gold has none, the candidate has none, or they differ), boundary (best
content Dice 0.2-0.5) or none. Counts are printed overall and by quotation type. Read training
data with it, not dev: it is the error analysis behind model and rule changes.
"""
from __future__ import annotations

import argparse
import collections
import json
import os
import sys
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))

from train_attribution import dice, parsed_docs, trimmed  # noqa: E402

from claimgraph.extract import find_drafts  # noqa: E402
from claimgraph.extract.lexicon import load_lexicon  # noqa: E402
from claimgraph.ingest import article_from_json  # noqa: E402

BUCKETS = ("hit", "speaker:gold_none", "speaker:candidate_none", "speaker:differs", "boundary", "none")


def bucket(gold_content, gold_speaker, candidates) -> str:
    if any(dice(gold_content, c) >= 0.5 and ((not gold_speaker and not s) or bool(gold_speaker & s))
           for c, s in candidates):
        return "hit"
    best, speaker = max(((dice(gold_content, c), s) for c, s in candidates), key=lambda x: x[0],
                        default=(0.0, frozenset()))
    if best >= 0.5:
        return "speaker:gold_none" if not gold_speaker else "speaker:candidate_none" if not speaker \
            else "speaker:differs"
    return "boundary" if best >= 0.2 else "none"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold", required=True, help="attribution JSONL (gold shape)")
    parser.add_argument("--cache", default="/tmp/claimgraph-polnear-train.spacy", help="parsed-docs cache")
    parser.add_argument("--tags", help="the tagger's held-out output on these articles (scripts/"
                        "train_attribution_tagger.py --folds 5 --tags-out FILE): its candidates count too")
    args = parser.parse_args(argv)
    tags = None
    if args.tags:
        import pickle

        with open(args.tags, "rb") as fh:
            tags = pickle.load(fh)
    records = [json.loads(line) for line in open(args.gold, encoding="utf-8") if line.strip()]
    docs = parsed_docs(records, Path(args.cache))
    lexicon = load_lexicon()
    counts: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    n_candidates = 0
    for record, doc in zip(records, docs):
        text = record["text"]
        found = find_drafts(article_from_json(record), doc, lexicon=lexicon,
                            tags=tags[record["id"]] if tags is not None else None)
        n_candidates += len(found.drafts)
        candidates = [(trimmed(text, d.content),
                       trimmed(text, [(d.speaker.start, d.speaker.end)]) if d.speaker else frozenset())
                      for d in found.drafts]
        for gold in record["attributions"]:
            content = trimmed(text, gold["content"])
            if not content:
                continue
            name = bucket(content, trimmed(text, gold.get("source") or []), candidates)
            counts["all"][name] += 1
            counts[gold.get("qtype") or "?"][name] += 1
    print(f"{len(records)} documents, {n_candidates} candidates")
    print("type".ljust(10) + "".join(b.rjust(23) for b in BUCKETS) + "total".rjust(8))
    for kind, counter in sorted(counts.items(), key=lambda kv: -sum(kv[1].values())):
        total = sum(counter.values())
        cells = "".join(f"{counter[b]:>14} ({counter[b] / total:5.1%})" for b in BUCKETS)
        print(kind.ljust(10) + cells + f"{total:>8}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
