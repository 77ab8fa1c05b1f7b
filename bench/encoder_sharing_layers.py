#!/usr/bin/env python3
"""Sharing the lower layers (the follow-up to bench/encoder_sharing.py): can the accurate mode's tagger read
the events encoder's layers 1-4 (frozen) and keep only layers 5-6 and a head of its own? Needs PyTorch.

For each source of the frozen layers 1-4 -- the events encoder (``data/encoder/model.onnx``, int8, its 4th
layer's output read from the ONNX graph) and, as the control, the base all-MiniLM-L6-v2 -- layers 5-6
(initialised from the base model) and a 4-class token head are trained on PolNeAR train: windows of 256
word pieces 256 apart, AdamW lr 5e-5, 10 % warm-up, linear decay, batch 32, dropout 0.1, seed 0, the
frozen layers' outputs computed once. Dev whitespace-word F1 per role after each epoch, as
scripts/train_attribution_encoder.py reports it (dev windows 192 apart). The fully fine-tuned
tagger of the same windows and epochs scored 0.877 / 0.781 / 0.673 (content / source / cue,
docs/evaluation.md).

    OMP_NUM_THREADS=2 python bench/encoder_sharing_layers.py [--epochs 2]   # about 17 minutes on 2 vCPUs
"""
from __future__ import annotations

import argparse
import copy
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
EVENTS_ONNX = ROOT / "src" / "claimgraph" / "data" / "encoder" / "model.onnx"
LAYER_4 = "/encoder/encoder/layer.3/output/LayerNorm/LayerNormalization_output_0"
FROZEN = 4
BATCH = 32

from encoder_sharing import session, tae  # noqa: E402  (this folder: the frozen-vector probes)

from claimgraph.extract.encoded import merge_windows  # noqa: E402


def events_lower() -> Callable[[list[int]], Any]:
    import torch

    run = session(str(EVENTS_ONNX), LAYER_4)

    def lower(ids: list[int]) -> Any:
        row = np.asarray([ids], np.int64)
        inputs = {"input_ids": row, "attention_mask": np.ones_like(row), "token_type_ids": np.zeros_like(row)}
        return torch.from_numpy(run.run([LAYER_4], inputs)[0][0]).half()
    return lower


def base_lower(base: Any) -> Callable[[list[int]], Any]:
    import torch

    def lower(ids: list[int]) -> Any:
        with torch.no_grad():
            return base(input_ids=torch.tensor([ids]), output_hidden_states=True).hidden_states[FROZEN][0].half()
    return lower


def run(name: str, lower: Callable[[list[int]], Any], base: Any, train: list[dict],
        dev: tuple[list[dict], list[dict]], epochs: int) -> None:
    import torch
    from transformers import get_linear_schedule_with_warmup

    torch.manual_seed(0)
    started = time.perf_counter()
    states = [lower(item["ids"]) for item in train]
    labels = [torch.tensor(item["labels"]) for item in train]
    dev_items, dev_articles = dev
    dev_states = [lower(item["ids"]) for item in dev_items]
    print(f"{name}: layers 1-{FROZEN} of {len(train)} + {len(dev_items)} windows in "
          f"{time.perf_counter() - started:.0f} s", flush=True)

    class Top(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.layers = copy.deepcopy(base.encoder.layer[FROZEN:])
            self.dropout = torch.nn.Dropout(0.1)
            self.head = torch.nn.Linear(base.config.hidden_size, len(tae.LABELS))

        def forward(self, h: Any, mask: Any) -> Any:
            additive = (1.0 - mask[:, None, None, :].float()) * -1e4
            for layer in self.layers:
                h = layer(h, attention_mask=additive)
            return self.head(self.dropout(h))

    def padded(rows: list[int], source: list[Any], gold: list[Any] | None = None) -> tuple[Any, Any, Any]:
        width = max(len(source[i]) for i in rows)
        h = torch.zeros(len(rows), width, base.config.hidden_size)
        mask = torch.zeros(len(rows), width, dtype=torch.long)
        y = torch.full((len(rows), width), -100)
        for r, i in enumerate(rows):
            n = len(source[i])
            h[r, :n], mask[r, :n] = source[i].float(), 1
            if gold is not None:
                y[r, :n] = gold[i]
        return h, mask, y

    model = Top()
    optimiser = torch.optim.AdamW(model.parameters(), lr=5e-5)
    steps = (len(train) + BATCH - 1) // BATCH * epochs
    schedule = get_linear_schedule_with_warmup(optimiser, int(0.1 * steps), steps)
    loss_of = torch.nn.CrossEntropyLoss(ignore_index=-100)
    rng = np.random.default_rng(0)
    for epoch in range(epochs):
        model.train()
        order = rng.permutation(len(train)).tolist()
        for k in range(0, len(order), BATCH):
            h, mask, y = padded(order[k:k + BATCH], states, labels)
            loss = loss_of(model(h, mask).reshape(-1, len(tae.LABELS)), y.reshape(-1))
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            schedule.step()
        model.eval()
        logits, k = [], 0
        with torch.no_grad():
            for article in dev_articles:
                windows = []
                for _ in article["spans"]:
                    h, mask, _ = padded([k], dev_states)
                    windows.append(model(h, mask)[0, 1:-1].numpy())
                    k += 1
                logits.append(merge_windows(article["n"], article["spans"], windows) if article["n"]
                              else np.zeros((0, len(tae.LABELS)), np.float32))
        f1 = tae.word_f1(dev_articles, logits)
        print(f"{name}, epoch {epoch + 1}: dev word F1 content {f1['content']:.3f} source {f1['source']:.3f} "
              f"cue {f1['cue']:.3f} ({time.perf_counter() - started:.0f} s)", flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=2)
    args = parser.parse_args(argv)
    if not tae.EVAL.is_dir():
        print(f"needs {tae.EVAL} (the development checkout's shared eval data)", file=sys.stderr)
        return 2
    import torch
    from transformers import AutoModel

    torch.set_num_threads(2)
    base = AutoModel.from_pretrained(str(tae.model_dir()), attn_implementation="eager").eval()
    train, _ = tae.article_windows(tae.load("train"), 256)
    dev = tae.article_windows(tae.load("dev"), 192)
    run("events encoder's layers 1-4", events_lower(), base, train, dev, args.epochs)
    run("base model's layers 1-4 (control)", base_lower(base), base, train, dev, args.epochs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
