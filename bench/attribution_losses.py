#!/usr/bin/env python3
"""Where attribution recall is lost, by quotation type: candidates or selection (PolNeAR train only).

    OMP_NUM_THREADS=1 python bench/attribution_losses.py --tags /tmp/h17/tags.fold0.pkl [--model SELECTOR.json]

Every gold attribution of the articles scored goes in one bucket: ``chosen`` (the packaged selector
chose a candidate that hits it, as the shared scorer counts a hit), ``under threshold`` (a hitting
candidate exists but scored under the threshold), ``lost to overlap`` (it exists but an overlapping
candidate was chosen), ``wrong speaker`` (a candidate has the content, Dice >= 0.5, but not the
speaker), ``wrong extent`` (best Dice 0.2-0.5) or ``no candidate``. ``--tags``: pickles of the
tagger's held-out output by article id (``scripts/train_attribution_tagger.py --folds 5 --tags-out``,
or one fold's ``_job``; or the accurate mode's encoder, ``scripts/train_attribution_encoder.py tags
--folds 5 --fold K``); only those articles are scored. Without it the packaged tagger tags every
``--every``-th article, which it was trained on: the candidate buckets then look far too good.
"""
from __future__ import annotations

import argparse
import collections
import json
import os
import pickle
import sys
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))

from train_attribution import dice, parsed_docs, trimmed

from claimgraph.extract import find_drafts, score_drafts, select_drafts
from claimgraph.extract.lexicon import load_lexicon
from claimgraph.extract.model import load_model
from claimgraph.extract.tagger import load_tagger
from claimgraph.ingest import article_from_json

BUCKETS = ("chosen", "under threshold", "lost to overlap", "wrong speaker", "wrong extent", "no candidate")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold", default="../shared/eval/attribution/polnear-train.jsonl")
    parser.add_argument("--cache", default="/tmp/claimgraph-polnear-train.spacy", help="parsed-docs cache")
    parser.add_argument("--tags", nargs="*", default=[], help="held-out tagger output (pickles by article id)")
    parser.add_argument("--every", type=int, default=5, help="without --tags: every N-th article")
    parser.add_argument("--model", help="a selector of one's own (scripts/train_attribution.py --out) "
                                        "in place of the packaged one")
    args = parser.parse_args(argv)
    tags: dict = {}
    for path in args.tags:
        with open(path, "rb") as fh:
            tags.update(pickle.load(fh))
    with open(args.gold, encoding="utf-8") as lines:
        records = [json.loads(line) for line in lines if line.strip()]
    docs = parsed_docs(records, Path(args.cache))
    lexicon, model = load_lexicon(), load_model(args.model)
    tagger = load_tagger() if not tags else None
    counts: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    for number, (record, doc) in enumerate(zip(records, docs, strict=True)):
        if (tags and record["id"] not in tags) or (not tags and number % args.every):
            continue
        text = record["text"]
        found = find_drafts(article_from_json(record), doc, lexicon=lexicon, tagger=tagger,
                            tags=tags.get(record["id"]) if tags else None)
        score_drafts(found, doc, model=model, lexicon=lexicon)
        chosen = {id(d) for d in select_drafts(found.drafts, doc, threshold=model.threshold)}
        candidates = [(d, trimmed(text, d.content),
                       trimmed(text, [(d.speaker.start, d.speaker.end)]) if d.speaker else frozenset())
                      for d in found.drafts]
        for gold in record["attributions"]:
            content, speaker = trimmed(text, gold["content"]), trimmed(text, gold.get("source") or [])
            if not content:
                continue
            hits = [d for d, c, s in candidates
                    if dice(content, c) >= 0.5 and ((not speaker and not s) or bool(speaker & s))]
            if not hits:
                best = max((dice(content, c) for _, c, _ in candidates), default=0.0)
                name = "wrong speaker" if best >= 0.5 else "wrong extent" if best >= 0.2 else "no candidate"
            elif any(id(d) in chosen for d in hits):
                name = "chosen"
            else:
                hit = max(hits, key=lambda d: d.score)
                name = "under threshold" if hit.score < model.threshold else "lost to overlap"
            counts[gold.get("qtype") or "?"][name] += 1
            counts["all"][name] += 1
    print("type".ljust(10) + "n".rjust(6) + "".join(b.rjust(17) for b in BUCKETS))
    for kind, counter in sorted(counts.items(), key=lambda kv: -sum(kv[1].values())):
        total = sum(counter.values())
        print(kind.ljust(10) + f"{total:>6}" + "".join(f"{counter[b] / total:>17.1%}" for b in BUCKETS))
    return 0


if __name__ == "__main__":
    sys.exit(main())
