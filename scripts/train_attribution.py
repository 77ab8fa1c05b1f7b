#!/usr/bin/env python3
"""Train the attribution selector (src/claimgraph/data/attribution_model.json) on PolNeAR train.

    python scripts/train_attribution.py --train ../shared/eval/attribution/polnear-train.jsonl

Every candidate the parse rules propose (extract.find_drafts) becomes one example; it is positive
when it matches a gold attribution the way the shared scorer counts a hit (content Dice >= 0.5 on
trimmed characters, speaker spans overlapping or both absent). A learner decides which candidates to
keep: a logistic regression (scikit-learn, seeded; ``--learner logistic``, the default: the fast
mode's selector) or gradient-boosted trees (LightGBM, one thread, seeded, deterministic;
``--learner boosted``: the accurate mode's, data/attribution_encoder/selector.json).
The learner's settings (the trees' size, or the regularisation) and the decision threshold are
chosen by 5-fold cross-validation over train documents (dev is never read). Deterministic for a
given train file, spaCy model and claimgraph version.
"""
from __future__ import annotations

import argparse
import json
import os
import pickle
import sys
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np  # noqa: E402
from scipy.optimize import linear_sum_assignment  # noqa: E402
from sklearn.feature_extraction import DictVectorizer  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402

from claimgraph import __version__  # noqa: E402
from claimgraph.extract import candidate_features, find_drafts, select_drafts  # noqa: E402
from claimgraph.extract.lexicon import load_lexicon  # noqa: E402
from claimgraph.extract.model import selector_from_dict  # noqa: E402
from claimgraph.extract.tagger import TAGGER_FILE  # noqa: E402
from claimgraph.ingest import article_from_json  # noqa: E402
from claimgraph.parse import DEFAULT_MODEL, load_nlp, parse_texts  # noqa: E402
from claimgraph.trees import lightgbm_trees  # noqa: E402

TRIM = set(" \t\n\r\"“”‘’'«»„‟.,;:!?—–-―()[]")
SEED = 13


def trimmed(text: str, segments) -> frozenset[int]:
    chars: set[int] = set()
    for start, end in segments:
        while start < end and text[start] in TRIM:
            start += 1
        while end > start and text[end - 1] in TRIM:
            end -= 1
        chars.update(range(start, end))
    return frozenset(chars)


def dice(a: frozenset, b: frozenset) -> float:
    return 2 * len(a & b) / (len(a) + len(b)) if a and b else 0.0


def parsed_docs(records: list[dict], cache: Path):
    from spacy.tokens import DocBin

    nlp = load_nlp(DEFAULT_MODEL)
    if cache.exists():
        docs = list(DocBin().from_disk(cache).get_docs(nlp.vocab))
        if len(docs) == len(records) and all(d.text == r["text"] for d, r in zip(docs, records)):
            return docs
    started = time.time()
    docs = list(parse_texts((r["text"] for r in records), nlp=nlp, n_process=2, batch_size=16))
    DocBin(store_user_data=False, docs=docs).to_disk(cache)
    print(f"parsed {len(docs)} documents in {time.time() - started:.0f}s (cached in {cache})", file=sys.stderr)
    return docs


def examples(records, docs, tags=None):
    """Per document: (found drafts, feature dicts, labels, gold spans). ``tags``: the sequence
    tagger's held-out output by article id (scripts/train_attribution_tagger.py --folds)."""
    lexicon = load_lexicon()
    out = []
    for record, doc in zip(records, docs):
        article = article_from_json(record)
        found = find_drafts(article, doc, lexicon=lexicon, tags=tags[record["id"]] if tags is not None else None,
                            short_quotes=True)
        text = record["text"]
        gold = [(trimmed(text, a["content"]), trimmed(text, a.get("source") or [])) for a in record["attributions"]]
        gold = [g for g in gold if g[0]]
        feats, labels = candidate_features(found, doc, lexicon=lexicon), []
        for draft in found.drafts:
            content = trimmed(text, draft.content)
            speaker = trimmed(text, [(draft.speaker.start, draft.speaker.end)]) if draft.speaker else frozenset()
            hit = any(dice(content, g_content) >= 0.5 and ((not g_speaker and not speaker) or bool(g_speaker & speaker))
                      for g_content, g_speaker in gold)
            labels.append(int(hit))
        out.append((found, feats, labels, gold, doc))
    return out


def attribution_f1(items, threshold: float) -> tuple[float, float, float]:
    """End-to-end attribution P/R/F1 (as the shared scorer counts it) after selection."""
    tp = n_pred = n_gold = 0
    for found, _, _, gold, doc in items:
        text = doc.text
        chosen = select_drafts(found.drafts, doc, threshold=threshold)
        preds = [(trimmed(text, d.content), trimmed(text, [(d.speaker.start, d.speaker.end)]) if d.speaker else frozenset())
                 for d in chosen]
        preds = [p for p in preds if p[0]]
        n_pred += len(preds)
        n_gold += len(gold)
        if not preds or not gold:
            continue
        overlap = np.array([[dice(g[0], p[0]) for p in preds] for g in gold])
        rows, cols = linear_sum_assignment(overlap, maximize=True)
        for i, j in zip(rows, cols):
            if overlap[i, j] >= 0.5 and ((not gold[i][1] and not preds[j][1]) or bool(gold[i][1] & preds[j][1])):
                tp += 1
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


# the boosted learner's settings to choose from: (leaves per tree, trees, learning rate); the
# first two grew in a scratch comparison on the encoder's held-out tags (CV F1 0.700, 0.704)
BOOSTED = {"small": (15, 400, 0.05), "medium": (31, 600, 0.05), "large": (63, 800, 0.03)}
SIZE_TOLERANCE = 0.002  # the smallest setting within this much of the best cross-validated F1 is chosen


def fit(items, setting):
    """A fitted (vectorizer, model): ``setting`` is a logistic regression's C (a number) or a
    name in BOOSTED."""
    vectorizer = DictVectorizer()
    x = vectorizer.fit_transform([f for item in items for f in item[1]])
    y = np.array([label for item in items for label in item[2]])
    if isinstance(setting, str):
        import lightgbm

        leaves, trees, rate = BOOSTED[setting]
        model = lightgbm.LGBMClassifier(num_leaves=leaves, n_estimators=trees, learning_rate=rate,
                                        min_child_samples=20, colsample_bytree=0.5, subsample=0.8, subsample_freq=1,
                                        random_state=SEED, n_jobs=1, deterministic=True, force_row_wise=True,
                                        verbose=-1)
        model.fit(x.astype(np.float32), y)
        if list(model.classes_) != [0, 1]:  # one class only: LightGBM would score the wrong way round
            raise SystemExit("the training candidates are all positive or all negative")
    else:
        model = LogisticRegression(C=setting, max_iter=3000, random_state=SEED, solver="lbfgs")
        model.fit(x, y)
    return vectorizer, model


def check_export(payload: dict, vectorizer, model, items) -> None:
    """The exported trees, scored as at run time, give LightGBM's own probabilities on every
    training candidate."""
    selector = selector_from_dict(json.loads(json.dumps(payload)))
    rows = [f for item in items for f in item[1]]
    ours = np.array(selector.probabilities(rows))
    theirs = predict(vectorizer, model, rows)
    if not np.allclose(ours, theirs, rtol=0, atol=1e-9):
        raise SystemExit(f"the exported trees differ from LightGBM's (max {np.abs(ours - theirs).max():.2e})")


def predict(vectorizer, model, rows: list[dict]) -> np.ndarray:
    """The model's probabilities for feature dicts; trees read them as float32, as they were fitted."""
    x = vectorizer.transform(rows)
    return model.predict_proba(x if isinstance(model, LogisticRegression) else x.astype(np.float32))[:, 1]


def apply(vectorizer, model, items) -> None:
    for found, feats, _, _, _ in items:
        if feats:
            probs = predict(vectorizer, model, feats)
            for draft, prob in zip(found.drafts, probs):
                draft.score = float(prob)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--train", required=True, help="PolNeAR train JSONL")
    parser.add_argument("--cache", default="/tmp/claimgraph-polnear-train.spacy", help="parsed-docs cache")
    parser.add_argument("--out", default=str(Path(__file__).resolve().parent.parent / "src/claimgraph/data/attribution_model.json"))
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--tags", nargs="+", help="held-out tagger output (train_attribution_tagger.py --folds "
                        "--tags-out, or one file per fold of train_attribution_encoder.py tags --folds): the "
                        "selector then uses the tagger, as extraction will")
    parser.add_argument("--learner", choices=["boosted", "logistic"], default="logistic",
                        help="a logistic regression (the fast mode's selector) or gradient-boosted trees "
                        "(LightGBM; the accurate mode's)")
    parser.add_argument("--c", type=float, nargs="+", default=[0.1, 0.3, 1.0],
                        help="logistic: regularisation values to try")
    parser.add_argument("--boosted", nargs="+", choices=list(BOOSTED), default=list(BOOSTED),
                        help="boosted: tree settings to try")
    parser.add_argument("--tagger-name", default=TAGGER_FILE,
                        help="what made --tags, recorded in the model's info (accurate mode: attribution_encoder)")
    args = parser.parse_args(argv)

    records = [json.loads(line) for line in open(args.train, encoding="utf-8") if line.strip()]
    docs = parsed_docs(records, Path(args.cache))
    tags = None
    if args.tags:
        tags = {}
        for path in args.tags:  # each fold's file holds the articles its model did not see
            with open(path, "rb") as fh:
                tags.update(pickle.load(fh))
        if missing := [r["id"] for r in records if r["id"] not in tags]:
            raise SystemExit(f"--tags holds no tags for {len(missing)} train articles (first: {missing[0]})")
    items = examples(records, docs, tags)
    n_pos = sum(sum(item[2]) for item in items)
    n_gold = sum(len(item[3]) for item in items)
    print(f"{sum(len(i[2]) for i in items)} candidates, {n_pos} positive; gold {n_gold}", file=sys.stderr)
    oracle = sum(any(lbl for lbl in item[2]) for item in items)
    print(f"documents with at least one hit: {oracle}/{len(items)}", file=sys.stderr)

    folds = [items[k::args.folds] for k in range(args.folds)]
    thresholds = [round(t, 2) for t in np.arange(0.2, 0.71, 0.05)]
    settings = sorted(args.boosted, key=list(BOOSTED).index) if args.learner == "boosted" else args.c
    tried = []
    for setting in settings:
        for k in range(args.folds):
            train = [item for j, fold in enumerate(folds) if j != k for item in fold]
            vectorizer, model = fit(train, setting)
            apply(vectorizer, model, folds[k])
        results = {t: attribution_f1(items, t) for t in thresholds}
        threshold, (p, r, f) = max(results.items(), key=lambda kv: kv[1][2])
        name = setting if isinstance(setting, str) else f"C={setting}"
        print(f"{name}: cross-validated attribution F1 {f:.4f} (P {p:.3f} R {r:.3f}) at threshold {threshold}",
              file=sys.stderr)
        tried.append((f, setting, threshold, p, r))
    best = max(tried, key=lambda row: row[0])
    if args.learner == "boosted":  # the smallest trees within noise of the best: the model file is in git
        best = next(row for row in tried if row[0] >= best[0] - SIZE_TOLERANCE)
    f, setting, threshold, p, r = best
    if f == 0:
        raise SystemExit("no setting found a single attribution in cross-validation: too little training data")
    vectorizer, model = fit(items, setting)
    info = {"trained_on": Path(args.train).name, "documents": len(records), "candidates": sum(len(i[2]) for i in items),
            "positives": n_pos, "cv_attribution_f1": round(f, 4), "cv_precision": round(p, 4),
            "cv_recall": round(r, 4), "claimgraph": __version__, "spacy_model": DEFAULT_MODEL, "seed": SEED,
            "tagger": args.tagger_name if tags is not None else None,
            "short_quotes": True,  # trained on the short-quotation candidates too (extract.find_drafts)
            "data_terms": "PolNeAR (Newell, Margolin & Ruths, LREC 2018): no licence stated, research use"}
    if isinstance(setting, str):
        import lightgbm

        leaves, trees, rate = BOOSTED[setting]
        info.update(learner="lightgbm", lightgbm=lightgbm.__version__, setting=setting, leaves=leaves, trees=trees,
                    learning_rate=rate)
        arrays, used = lightgbm_trees(model.booster_.dump_model())
        names = vectorizer.get_feature_names_out()
        payload = {"info": info, "threshold": threshold, "kind": "trees", "features": [str(names[j]) for j in used],
                   "trees": arrays}
        check_export(payload, vectorizer, model, items)
        summary = f"{trees} trees of {leaves} leaves, splitting on {len(used)} of {len(names)} features"
    else:
        weights = {name: round(float(w), 5) for name, w in zip(vectorizer.get_feature_names_out(), model.coef_[0])
                   if abs(w) >= 1e-5}
        info.update(learner="logistic", C=setting)
        payload = {"info": info, "threshold": threshold, "intercept": round(float(model.intercept_[0]), 5),
                   "weights": dict(sorted(weights.items()))}
        summary = f"{len(weights)} weights, C={setting}"
    Path(args.out).write_text(json.dumps(payload, indent=0, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {args.out}: {summary}, threshold {threshold}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
