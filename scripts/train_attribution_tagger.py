#!/usr/bin/env python3
"""Train the attribution tagger (src/claimgraph/data/attribution_tagger.crfsuite) on PolNeAR train.

    python scripts/train_attribution_tagger.py --train ../shared/eval/attribution/polnear-train.jsonl

Each gold attribution's cue, source and content character spans become BIO labels on the spaCy
tokens they cover (a token takes a label when most of its characters lie inside the span); the
tokens of each paragraph form one sequence. A linear-chain CRF (python-crfsuite, L-BFGS with L1 and
L2 penalties) learns the labels from extract.tagger.token_features. Dev is never read unless
``--dev`` is given, and then only to report a score. Deterministic for a given train file, spaCy
model and claimgraph version (L-BFGS has no random state).

The selector (scripts/train_attribution.py) reads the tagger's output as features. So that it
learns from output like the tagger's on unseen text, ``--folds K --tags-out FILE`` also trains K
models, each on all but one K-th of the articles (every K-th article, as the selector's folds),
and saves each model's tags for the articles it did not see.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")

import pickle  # noqa: E402
from multiprocessing import get_context  # noqa: E402

import pycrfsuite  # noqa: E402

from claimgraph.extract import quoted_tokens  # noqa: E402
from claimgraph.extract.lexicon import load_lexicon  # noqa: E402
from claimgraph.extract.quotes import find_quotes  # noqa: E402
from claimgraph.extract.reported import find_candidates  # noqa: E402
from claimgraph.extract.tagger import load_tagger, paragraphs, tag_doc, token_features  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from train_attribution import parsed_docs  # noqa: E402

OUT = Path(__file__).resolve().parent.parent / "src" / "claimgraph" / "data" / "attribution_tagger.crfsuite"


def gold_labels(record: dict, doc) -> list[str]:
    """BIO labels of the tokens of ``doc`` from the record's gold attributions."""
    owner = [None] * len(record["text"])  # character -> (attribution number, role)
    for number, attribution in enumerate(record["attributions"]):
        for role, key in (("CUE", "cue"), ("SRC", "source"), ("CON", "content")):
            for start, end in attribution.get(key) or []:
                for c in range(start, end):
                    owner[c] = (number, role)
    labels = []
    previous = None
    for token in doc:
        if token.is_space:
            labels.append("O")
            previous = None
            continue
        chars = [owner[c] for c in range(token.idx, token.idx + len(token.text))]
        marks = {}
        for value in chars:
            marks[value] = marks.get(value, 0) + 1
        value, count = max(marks.items(), key=lambda kv: kv[1])
        if value is None or count * 2 < len(chars):
            labels.append("O")
            previous = None
            continue
        labels.append(("I-" if previous == value else "B-") + value[1])
        previous = value
    return labels


def tagger_inputs(record: dict, doc, lexicon) -> tuple[set[int], list]:
    """What the tagger reads besides the parse, as extraction gives it: the quoted tokens and the
    parse rules' candidates."""
    quoted = quoted_tokens(doc, find_quotes(record["text"]).quotes)
    return quoted, find_candidates(doc, lexicon, quoted=quoted)


def sequences(records, docs, *, with_labels: bool):
    lexicon = load_lexicon()
    for record, doc in zip(records, docs):
        quoted, candidates = tagger_inputs(record, doc, lexicon)
        rows = token_features(doc, quoted, lexicon, candidates=candidates)
        labels = gold_labels(record, doc) if with_labels else None
        for start, end in paragraphs(doc):
            yield rows[start:end], (labels[start:end] if labels else None)


def train(records, docs, out: str, params: dict) -> None:
    trainer = pycrfsuite.Trainer(verbose=False)
    for rows, labels in sequences(records, docs, with_labels=True):
        trainer.append(rows, labels)
    trainer.set_params(params)
    trainer.train(out)


def _job(job) -> dict:
    """Train on all articles (``k`` None) or on all folds but the k-th; then the tags of the
    held-out fold's articles, by article id."""
    train_file, cache, limit, folds, k, params, out = job
    records = [json.loads(line) for line in open(train_file, encoding="utf-8") if line.strip()]
    docs = parsed_docs(records, Path(cache))
    if limit:
        records, docs = records[:limit], docs[:limit]
    keep = [i for i in range(len(records)) if k is None or i % folds != k]
    train([records[i] for i in keep], [docs[i] for i in keep], out, params)
    if k is None:
        return {}
    tagger = load_tagger(out)
    lexicon = load_lexicon()
    tags = {}
    for i in range(k, len(records), folds):
        quoted, candidates = tagger_inputs(records[i], docs[i], lexicon)
        tags[records[i]["id"]] = tag_doc(tagger, docs[i], quoted, lexicon, candidates=candidates)
    return tags


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--train", required=True)
    parser.add_argument("--cache", default="/tmp/claimgraph-polnear-train.spacy")
    parser.add_argument("--out", default=str(OUT))
    parser.add_argument("--c1", type=float, default=0.1)
    parser.add_argument("--c2", type=float, default=0.05)
    parser.add_argument("--iterations", type=int, default=200)
    parser.add_argument("--minfreq", type=float, default=2)
    parser.add_argument("--limit", type=int, default=0, help="train on the first N articles only")
    parser.add_argument("--folds", type=int, default=0, help="also save held-out tags from this many folds")
    parser.add_argument("--tags-out", default="/tmp/claimgraph-tagger-heldout.pkl")
    parser.add_argument("--processes", type=int, default=2)
    args = parser.parse_args(argv)
    parsed_docs([json.loads(line) for line in open(args.train, encoding="utf-8") if line.strip()], Path(args.cache))
    params = {"c1": args.c1, "c2": args.c2, "max_iterations": args.iterations,
              "feature.minfreq": args.minfreq, "feature.possible_transitions": True}
    started = time.time()
    jobs = [(args.train, args.cache, args.limit, args.folds, k, params, f"{args.out}.fold{k}")
            for k in range(args.folds)]
    everything = (args.train, args.cache, args.limit, 0, None, params, args.out)
    with get_context("spawn").Pool(max(1, min(args.processes, len(jobs) + 1))) as pool:
        held = pool.map(_job, [everything] + jobs, chunksize=1)[1:]
    if jobs:
        tags = {key: value for part in held for key, value in part.items()}
        with open(args.tags_out, "wb") as fh:
            pickle.dump(tags, fh)
        for job in jobs:
            Path(job[-1]).unlink()
        print(f"held-out tags for {len(tags)} articles in {args.tags_out}", file=sys.stderr)
    print(f"trained in {time.time() - started:.0f}s; wrote {args.out} ({Path(args.out).stat().st_size / 1e6:.1f} MB)",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
