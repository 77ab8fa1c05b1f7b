"""Train the check-worthiness model (src/claimgraph/data/factcheck/checkworthy.json).

Data: CLEF CheckThat! 2024 Task 1 English in ../shared/eval/claims (``checkthat2024-{train,dev,dev-test}.tsv``:
sentence, Yes / No). Every model is fitted on train only; the variant and the yes / no threshold are
chosen on dev (F1 of "Yes"); dev-test is scored once per variant, at the end. The stacker is a logistic
regression over the base models' out-of-fold log-odds (5-fold cross-validation on train) and the
claim's structure (``claimgraph.factcheck.checkworthy.structure_features``).

    OMP_NUM_THREADS=1 python scripts/train_checkworthy.py [--cache DIR] [--write]

``--cache DIR`` keeps the MiniLM vectors of the sentences as .npy files; ``--write`` saves the
chosen variant.
"""
from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from claimgraph.factcheck.checkworthy import STRUCTURE, CheckworthyModel, structure_features  # noqa: E402

CLAIMS = ROOT.parent / "shared" / "eval" / "claims"
OUT = ROOT / "src" / "claimgraph" / "data" / "factcheck" / "checkworthy.json"
SEED = 20261204
VERSION = "claimgraph.factcheck.checkworthy.v1"


def read_split(name: str) -> tuple[list[str], np.ndarray]:
    with (CLAIMS / f"checkthat2024-{name}.tsv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
    return [row["Text"] for row in rows], np.array([row["class_label"].strip() == "Yes" for row in rows], dtype=int)


def f1_yes(labels: np.ndarray, predicted: np.ndarray) -> float:
    tp = int(((predicted == 1) & (labels == 1)).sum())
    fp = int(((predicted == 1) & (labels == 0)).sum())
    fn = int(((predicted == 0) & (labels == 1)).sum())
    return 2 * tp / max(2 * tp + fp + fn, 1)


def logit(probability: np.ndarray) -> np.ndarray:
    clipped = np.clip(probability, 1e-6, 1 - 1e-6)
    return np.log(clipped / (1 - clipped))


def best_threshold(labels: np.ndarray, scores: np.ndarray) -> tuple[float, float]:
    best = (0.0, 0.5)
    for threshold in np.arange(0.05, 0.951, 0.01):
        best = max(best, (f1_yes(labels, (scores >= threshold).astype(int)), round(float(threshold), 2)))
    return best[1], best[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path, help="keep MiniLM vectors here")
    parser.add_argument("--write", action="store_true", help=f"write {OUT.relative_to(ROOT)}")
    parser.add_argument("--encoder", action="store_true",
                        help="measure with the shared PLOVER-tuned encoder (claimgraph.encoder) instead of MiniLM "
                             "(report only: the runtime model reads MiniLM vectors)")
    args = parser.parse_args()
    if args.encoder and args.write:
        raise SystemExit("--encoder measures only; the shipped model reads MiniLM vectors")
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold, cross_val_predict
    from sklearn.neural_network import MLPClassifier
    from sklearn.preprocessing import StandardScaler

    started = time.time()
    splits = {name: read_split(name) for name in ("train", "dev", "dev-test")}
    for name, (texts, labels) in splits.items():
        print(f"{name}: {len(texts)} sentences, {labels.mean():.1%} Yes")
    vectors = {}
    embedder = None
    for name, (texts, _) in splits.items():
        prefix = "enc" if args.encoder else "cw"
        path = args.cache / f"{prefix}_{name}.npy" if args.cache else None
        if path is not None and path.exists() and len(np.load(path)) == len(texts):
            vectors[name] = np.load(path)
            continue
        if embedder is None:
            if args.encoder:
                from claimgraph.encoder import load_encoder

                embedder = load_encoder()
            else:
                from claimgraph.narratives.embed import MiniLMEmbedder

                embedder = MiniLMEmbedder()
        vectors[name] = embedder.encode(texts) if args.encoder else embedder.embed(texts)
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            np.save(path, vectors[name])
    print(f"vectors ready, {time.time() - started:.0f} s", flush=True)
    texts, labels = splits["train"]
    folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=SEED)

    tfidf = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True, lowercase=True)
    x_tfidf = tfidf.fit_transform(texts)
    tfidf_lr = LogisticRegression(C=4.0, max_iter=3000, class_weight="balanced")
    oof_tfidf = cross_val_predict(tfidf_lr, x_tfidf, labels, cv=folds, method="decision_function")
    tfidf_lr.fit(x_tfidf, labels)
    # the meaning: a small neural network on the frozen MiniLM vectors and the structure features
    mlp_scaler = StandardScaler().fit(np.hstack([vectors["train"], structure_features(texts)]))

    def mlp_inputs(name: str) -> np.ndarray:
        scaled: np.ndarray = mlp_scaler.transform(np.hstack([vectors[name], structure_features(splits[name][0])]))
        return scaled

    mlp = MLPClassifier(hidden_layer_sizes=(256,), alpha=1e-3, max_iter=60, early_stopping=True, random_state=SEED)
    oof_minilm = logit(cross_val_predict(mlp, mlp_inputs("train"), labels, cv=folds, method="predict_proba")[:, 1])
    mlp.fit(mlp_inputs("train"), labels)
    print(f"base models fitted, {time.time() - started:.0f} s", flush=True)

    def base(name: str) -> dict[str, np.ndarray]:
        split_texts = splits[name][0]
        return {"tfidf": tfidf_lr.decision_function(tfidf.transform(split_texts)),
                "minilm": logit(mlp.predict_proba(mlp_inputs(name))[:, 1]),
                "structure": structure_features(split_texts).astype(np.float64)}

    held = {name: base(name) for name in ("dev", "dev-test")}
    train_base = {"tfidf": oof_tfidf, "minilm": oof_minilm, "structure": structure_features(texts).astype(np.float64)}
    variants = {"tfidf": ("tfidf",), "minilm": ("minilm",), "tfidf+minilm": ("tfidf", "minilm"),
                "tfidf+structure": ("tfidf", "structure"), "minilm+structure": ("minilm", "structure"),
                "tfidf+minilm+structure": ("tfidf", "minilm", "structure")}
    results = {}
    for variant, parts in variants.items():
        def stack(source: dict[str, np.ndarray], parts: tuple[str, ...] = parts) -> np.ndarray:
            return np.column_stack([source[p] for p in parts])
        scaler = StandardScaler().fit(stack(train_base))
        stacker = LogisticRegression(C=1.0, max_iter=2000).fit(scaler.transform(stack(train_base)), labels)
        dev_scores = stacker.predict_proba(scaler.transform(stack(held["dev"])))[:, 1]
        threshold, dev_f1 = best_threshold(splits["dev"][1], dev_scores)
        test_scores = stacker.predict_proba(scaler.transform(stack(held["dev-test"])))[:, 1]
        test_f1 = f1_yes(splits["dev-test"][1], (test_scores >= threshold).astype(int))
        results[variant] = (dev_f1, test_f1, threshold, scaler, stacker, parts)
        print(f"{variant:24s} dev F1(Yes) {dev_f1:.4f} at threshold {threshold:.2f}; dev-test F1(Yes) {test_f1:.4f}",
              flush=True)
    def export(chosen: str) -> dict:
        dev_f1, test_f1, threshold, scaler, stacker, parts = results[chosen]
        inputs = [name for part in parts for name in (STRUCTURE if part == "structure" else (part,))]
        return {
            "variant": chosen, "threshold": threshold,
            "figures": {"dev_f1_yes": round(dev_f1, 4), "dev_test_f1_yes": round(test_f1, 4)},
            "tfidf": tfidf_export,
            "minilm": ({"mean": mlp_scaler.mean_.tolist(), "scale": mlp_scaler.scale_.tolist(),
                        "hidden": [[round(float(v), 5) for v in row] for row in mlp.coefs_[0]],
                        "hidden_bias": mlp.intercepts_[0].tolist(), "out": mlp.coefs_[1].ravel().tolist(),
                        "out_bias": float(mlp.intercepts_[1][0])} if "minilm" in parts else None),
            "stack": {"inputs": inputs, "mean": scaler.mean_.tolist(), "scale": scaler.scale_.tolist(),
                      "coef": stacker.coef_.ravel().tolist(), "intercept": float(stacker.intercept_[0])},
        }

    tfidf_export = {"vocabulary": {term: int(index) for term, index in tfidf.vocabulary_.items()},
                    "ngram_range": [1, 2], "idf": [round(float(v), 5) for v in tfidf.idf_],
                    "coef": [round(float(v), 5) for v in tfidf_lr.coef_.ravel()],
                    "intercept": float(tfidf_lr.intercept_[0])}
    with_minilm = max(results, key=lambda v: results[v][0])
    without = max((v for v in results if "minilm" not in v), key=lambda v: results[v][0])
    model = {"version": VERSION,
             "trained_on": "CLEF CheckThat! 2024 Task 1 English train (22,500 sentences); choices on dev",
             "variants": {"minilm": export(with_minilm), "words": export(without)}}
    for key, variant in model["variants"].items():
        print(f"chosen on dev ({key}): {variant['variant']} {variant['figures']}, threshold {variant['threshold']:.2f}")
        runtime = CheckworthyModel(model, variant=key)
        dev_texts, dev_labels = splits["dev"]
        again = runtime.score(dev_texts, vectors=vectors["dev"] if runtime.uses_vectors else None)
        print(f"  runtime model on dev: F1(Yes) {f1_yes(dev_labels, (again >= runtime.threshold).astype(int)):.4f}")
    if args.write:
        OUT.parent.mkdir(parents=True, exist_ok=True)
        OUT.write_text(json.dumps(model, separators=(",", ":")) + "\n", encoding="utf-8")
        print(f"wrote {OUT.relative_to(ROOT)} ({OUT.stat().st_size / 1e6:.2f} MB)")
    print(f"{time.time() - started:.0f} s")


if __name__ == "__main__":
    main()
