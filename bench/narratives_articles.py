"""Named narratives on labelled articles: 5-fold cross-validation (seeded) on the SemEval-2025 Task 10
English articles (train 100 + dev 41), the learned classifier against three baselines in one run.

  always-Other     every article "Other"
  zero-shot        the similarity classifier (``NarrativeClassifier``, MiniLM), no training
  LR mean+max      one-vs-rest logistic regression (C=1) on [mean, max] of the frozen MiniLM sentence
                   vectors, threshold 0.5, "Other" when no narrative reaches it (also with balanced
                   class weights)
  learned          ``scripts/train_narratives.py``'s model (static word-piece vectors and the word view),
                   its thresholds chosen inside each training fold; also without the word view

Reported per system: narrative micro-F1 (Other excluded) and sample F1 (the shared scorer), the same at
the sub-narrative level, and the share of Other-gold articles given a narrative.

    OMP_NUM_THREADS=1 python bench/narratives_articles.py [--json out.json]
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

spec = importlib.util.spec_from_file_location("train_narratives", ROOT / "scripts" / "train_narratives.py")
assert spec is not None and spec.loader is not None
train = importlib.util.module_from_spec(spec)
spec.loader.exec_module(train)

from claimgraph import article_from_text  # noqa: E402
from claimgraph.narratives.classify import NarrativeClassifier  # noqa: E402
from claimgraph.narratives.embed import MiniLMEmbedder, StaticEmbedder  # noqa: E402
from claimgraph.narratives.taxonomy import OTHER, load_taxonomy  # noqa: E402

FOLDS = 5


def lr_baseline(data: dict[str, Any], tr: np.ndarray, te: np.ndarray, labels: list[str],
                balanced: bool = False) -> list[tuple[list[str], list[str]]]:
    """One-vs-rest logistic regression (C=1) on [mean, max]; "Other" when no label reaches 0.5."""
    from sklearn.linear_model import LogisticRegression

    weight = "balanced" if balanced else None

    out_n = np.zeros((len(te), len(labels)))
    for j, label in enumerate(labels):
        y = np.array([label in data["narratives"][i] for i in tr])
        if 0 < y.sum() < len(y):
            model = LogisticRegression(C=1.0, max_iter=5000, random_state=train.SEED,
                                       class_weight=weight).fit(data["meanmax"][tr], y)
            out_n[:, j] = model.predict_proba(data["meanmax"][te])[:, 1]
    sub_labels = sorted({s for i in tr for s in data["subnarratives"][i]})
    out_s = np.zeros((len(te), len(sub_labels)))
    for j, label in enumerate(sub_labels):
        y = np.array([label in data["subnarratives"][i] for i in tr])
        if 0 < y.sum() < len(y):
            model = LogisticRegression(C=1.0, max_iter=5000, random_state=train.SEED,
                                       class_weight=weight).fit(data["meanmax"][tr], y)
            out_s[:, j] = model.predict_proba(data["meanmax"][te])[:, 1]
    result = []
    for row in range(len(te)):
        narratives = [labels[j] for j in np.flatnonzero(out_n[row] >= 0.5)]
        subs = [sub_labels[j] for j in np.flatnonzero(out_s[row] >= 0.5)]
        result.append((narratives or [OTHER], subs or [OTHER]))
    return result


def _learned(data: dict[str, Any], tr: np.ndarray, te: np.ndarray, taxonomy: Any, score: Any,
             chosen: list[dict[str, Any]], words: bool) -> list[tuple[list[str], list[str]]]:
    """The learned model (``words``: with its word view, as shipped) fitted on ``tr``, labels of ``te``."""
    model = train.fit_model(data, tr, taxonomy, score, words=words)
    if words:
        chosen.append(model["settings"])
    p = train.probabilities(model["heads"], data, te)
    s = model["settings"]
    return train.decide(model["heads"], p, s["other_threshold"], s["relative"], s["sub_threshold"])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path, help="Also write the figures here.")
    args = parser.parse_args(argv)
    if not train.DATA.is_dir():
        print(f"needs {train.DATA} (the development checkout's shared eval data)", file=sys.stderr)
        return 2
    from sklearn.model_selection import KFold

    started = time.perf_counter()
    taxonomy, embedder = load_taxonomy(), MiniLMEmbedder()
    rows = train.load_rows()
    # what the learned model reads: the English articles, then the translated ones (its word view's
    # narrative heads train on them); folds and scores on the English ones only
    data = train.prepare(train.load_rows(translated=True), taxonomy, StaticEmbedder())
    contextual = train.prepare(rows, taxonomy, embedder)  # the baselines' frozen MiniLM sentence vectors
    score = train.load_scorer()
    zero_shot = NarrativeClassifier(taxonomy, embedder, learned=False)  # not the shipped model (trained on all)
    zero = [zero_shot.classify(article_from_text(r["text"], id=r["id"])) for r in rows]
    labels = [n.label for n in taxonomy.narratives]
    systems: dict[str, list[Any]] = {"always-Other": [None] * len(rows), "zero-shot (MiniLM)": [None] * len(rows),
                                     "LR mean+max": [None] * len(rows), "LR mean+max, balanced": [None] * len(rows),
                                     "learned, static view only": [None] * len(rows),
                                     "learned": [None] * len(rows)}
    chosen = []
    for tr, te in KFold(FOLDS, shuffle=True, random_state=train.SEED).split(np.arange(len(rows))):
        learned, static_only = (_learned(data, tr, te, taxonomy, score, chosen, words) for words in (True, False))
        baseline = lr_baseline(contextual, tr, te, labels)
        balanced = lr_baseline(contextual, tr, te, labels, balanced=True)
        for k, i in enumerate(te):
            systems["always-Other"][i] = ([OTHER], [OTHER])
            systems["zero-shot (MiniLM)"][i] = (zero[i].narratives, zero[i].subnarratives)
            systems["LR mean+max"][i] = baseline[k]
            systems["LR mean+max, balanced"][i] = balanced[k]
            systems["learned"][i] = learned[k]
            systems["learned, static view only"][i] = static_only[k]
    everything = np.arange(len(rows))
    figures = {name: train.evaluate(data, everything, predictions, score) for name, predictions in systems.items()}
    print(f"{len(rows)} articles, {FOLDS} folds (seed {train.SEED}), {time.perf_counter() - started:.0f} s")
    print("| system | narratives micro-F1 | narratives sample F1 | sub-narratives micro-F1 | sub-narratives sample F1 "
          "| Other articles given a narrative |")
    print("|---|---|---|---|---|---|")
    for name, r in figures.items():
        print(f"| {name} | {r['narratives_micro_F1']:.3f} | {r['narratives_sample_F1']:.3f} | "
              f"{r['subnarratives_micro_F1']:.3f} | {r['subnarratives_sample_F1']:.3f} | {r['other_given']:.2f} |")
    print("settings chosen inside the folds:", json.dumps(chosen))
    if args.json:
        args.json.write_text(json.dumps({"figures": figures, "settings": chosen}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
