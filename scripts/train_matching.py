"""Train the claim-matching re-ranker (src/claimgraph/data/factcheck/matching.json).

Data: CLEF CheckThat! 2022 Task 2A English in ../shared/eval/claims (tweets, each repeating one or more
of 14,231 Snopes fact-checked claims). The re-ranker is trained on the train split only; the model
(logistic regression or gradient-boosted trees, and the trees' size) is chosen on the "work" part of
dev (two thirds, seeded), and the unseen third is scored once, at the end, with the task's scorer.

    OMP_NUM_THREADS=1 python scripts/train_matching.py [--cache DIR] [--write]

``--cache DIR`` keeps the MiniLM vectors of the catalogue and the tweets as .npy files (embedding the
catalogue takes a few minutes on one core). ``--write`` saves the chosen model's trees; without it
the script only reports. Prediction files for the scorer go to DIR (or a temporary folder). It also
reports each logistic regression's 5-fold cross-validated MAP@5 on train (seeded folds of tweets), a
second opinion on 997 tweets beside dev work's 132.
"""
from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from claimgraph.factcheck import match  # noqa: E402
from claimgraph.factcheck.known import KnownClaim, known_from_dict  # noqa: E402
from claimgraph.factcheck.match import FEATURES, FIELDS, Catalogue, query_text  # noqa: E402

EVAL = ROOT.parent / "shared" / "eval"
CLAIMS = EVAL / "claims"
OUT = ROOT / "src" / "claimgraph" / "data" / "factcheck" / "matching.json"
SEED = 20261204
VERSION = "claimgraph.factcheck.matching.v1"


def read_jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def embed_cached(texts: list[str], path: Path | None, embedder) -> np.ndarray:
    if path is not None and path.exists():
        vectors = np.load(path)
        if len(vectors) == len(texts):
            return vectors
    vectors = embedder.embed(texts)
    if path is not None:
        np.save(path, vectors)
    return vectors


def _query_cache() -> str:
    """The cache files' suffix for the queries' vectors: they are made of ``match.query_text``."""
    return "_resolved" if match.RESOLVE_PLACES else "_clean"


def split_dev(dev: list[dict]) -> tuple[list[dict], list[dict]]:
    """Two thirds of dev to choose with (work), one third left unseen until the end."""
    order = list(range(len(dev)))
    random.Random(SEED).shuffle(order)
    cut = len(dev) * 2 // 3
    return [dev[i] for i in sorted(order[:cut])], [dev[i] for i in sorted(order[cut:])]


def build(catalogue: Catalogue, queries: list[dict], vectors: np.ndarray):
    """Per query: (candidate indexes, features, labels)."""
    index = {claim.id: i for i, claim in enumerate(catalogue.known)}
    out = []
    for query, vector in zip(queries, vectors, strict=True):
        chosen, features = catalogue.features(query["text"], vector)
        relevant = {index[r] for r in query.get("relevant", []) if r in index}
        out.append((chosen, features, np.array([i in relevant for i in chosen], dtype=np.int8)))
    return out


def kremlin_groups(store_path: Path, embedder, cache: Path | None):
    """Training pairs in the disinformation domain: the 611 pro-Kremlin quotes of
    ../shared/eval/narratives, each relevant to its sub-claim ("fake"), ranked against the 69
    sub-claims joined to the EUvsDisinfo cases of a store where `claimgraph known import` put them."""
    from claimgraph import open_store
    from claimgraph.factcheck import stored_catalogue

    quotes = read_jsonl(EVAL / "narratives" / "kremlin-quotes-narratives.jsonl")
    with open_store(str(store_path)) as store:
        cases, _ = stored_catalogue(store, embedder=embedder)
    fakes = sorted({q["fake"] for q in quotes})
    fake_claims = [KnownClaim(id=f"fake-{i}", claim=text) for i, text in enumerate(fakes)]
    fake_vectors = Catalogue.embed_known(fake_claims, embedder=embedder)
    catalogue = Catalogue([*cases.known, *fake_claims], embedder=embedder,
                          vectors={name: np.vstack([cases.vectors[name], fake_vectors[name]]) for name in FIELDS})
    rows = [{"text": q["text"], "relevant": [f"fake-{fakes.index(q['fake'])}"]} for q in quotes]
    path = cache / f"q_kremlin{_query_cache()}.npy" if cache else None
    vectors = embed_cached([query_text(r["text"]) for r in rows], path, embedder)
    groups = build(catalogue, rows, vectors)
    print(f"kremlin quotes: {len(groups)} queries, candidate recall "
          f"{np.mean([g[2].sum() for g in groups]):.3f}", flush=True)
    return groups


def map_at_5(groups, scorer, queries) -> float:
    total = 0.0
    for (_, features, labels), query in zip(groups, queries, strict=True):
        order = np.argsort(-scorer(features), kind="stable")[:5]
        hits, ap = 0, 0.0
        for rank, i in enumerate(order, start=1):
            if labels[i]:
                hits += 1
                ap += hits / rank
        total += ap / max(len(query["relevant"]), 1)
    return total / len(queries)


def cross_validated(groups, queries, c: float, folds: int = 5) -> list[float]:
    """MAP@5 on each of ``folds`` seeded parts of train of a logistic regression (``C`` = c) trained on
    the others: a second opinion, on 997 tweets, beside dev work's 132."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import StandardScaler

    order = list(range(len(groups)))
    random.Random(SEED).shuffle(order)
    scores = []
    for fold in range(folds):
        held = sorted(order[fold::folds])
        kept = set(held)
        rest = [g for i, g in enumerate(groups) if i not in kept]
        x, y = np.vstack([g[1] for g in rest]), np.concatenate([g[2] for g in rest])
        scaler = StandardScaler().fit(x)
        model = LogisticRegression(C=c, max_iter=2000).fit(scaler.transform(x), y)

        def score(f, m=model, s=scaler):
            return m.decision_function(s.transform(f))

        scores.append(map_at_5([groups[i] for i in held], score, [queries[i] for i in held]))
    return scores


def export_trees(model) -> dict:
    """A fitted HistGradientBoostingClassifier's trees as plain arrays (numpy at run time)."""
    trees = []
    for [predictor] in model._predictors:  # one tree per iteration (binary)
        nodes = predictor.nodes
        trees.append({"feature": nodes["feature_idx"].astype(int).tolist(),
                      "threshold": [float(x) for x in nodes["num_threshold"]],
                      "missing_left": nodes["missing_go_to_left"].astype(bool).tolist(),
                      "left": nodes["left"].astype(int).tolist(), "right": nodes["right"].astype(int).tolist(),
                      "leaf": nodes["is_leaf"].astype(bool).tolist(),
                      "value": [round(float(x), 6) for x in nodes["value"]]})
    return {"baseline": float(model._baseline_prediction.ravel()[0]), "trees": trees}


def score_file(gold: list[dict], ranked: dict[str, list[str]], folder: Path, name: str) -> float:
    gold_path, pred_path = folder / f"{name}-gold.jsonl", folder / f"{name}-pred.jsonl"
    gold_path.write_text("".join(json.dumps({"id": q["id"], "relevant": q["relevant"]}) + "\n" for q in gold))
    pred_path.write_text("".join(json.dumps({"id": q["id"], "ranked": ranked[q["id"]]}) + "\n" for q in gold))
    result = subprocess.run([sys.executable, str(EVAL / "score_claim_matching.py"), "--gold", str(gold_path),
                             "--pred", str(pred_path)], capture_output=True, text=True, check=True)
    line = result.stdout.strip().splitlines()[-1]
    return float(line.split()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path, help="keep MiniLM vectors here")
    parser.add_argument("--write", action="store_true", help=f"write {OUT.relative_to(ROOT)}")
    parser.add_argument("--kremlin-store", type=Path,
                        help="also train on the pro-Kremlin quotes against the EUvsDisinfo cases of this store")
    args = parser.parse_args()
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import StandardScaler

    from claimgraph.narratives.embed import MiniLMEmbedder

    started = time.time()
    known: list[KnownClaim] = [k for k in (known_from_dict(row, "vclaims") for row in
                                           read_jsonl(CLAIMS / "claim-matching-vclaims.jsonl"))
                               if isinstance(k, KnownClaim)]
    train = read_jsonl(CLAIMS / "claim-matching-train.jsonl")
    dev = read_jsonl(CLAIMS / "claim-matching-dev.jsonl")
    work, unseen = split_dev(dev)
    embedder = MiniLMEmbedder()
    cache = args.cache
    if cache:
        cache.mkdir(parents=True, exist_ok=True)
    vectors = {name: embed_cached([getattr(k, name) or "" for k in known], cache / f"vc_{name}.npy" if cache else None,
                                  embedder) for name in FIELDS}
    for name in FIELDS:  # empty fields: zero rows, as Catalogue.embed_known makes them
        empty = [i for i, k in enumerate(known) if not getattr(k, name)]
        vectors[name][empty] = 0.0
    catalogue = Catalogue(known, vectors=vectors, embedder=embedder)
    query_vectors = {split: embed_cached([query_text(q["text"]) for q in rows],
                                         cache / f"q_{split}{_query_cache()}.npy" if cache else None, embedder)
                     for split, rows in (("train", train), ("dev", dev))}
    print(f"catalogue {len(known)}, train {len(train)}, dev {len(dev)} (work {len(work)}, unseen {len(unseen)}); "
          f"{time.time() - started:.0f} s", flush=True)
    train_groups = build(catalogue, train, query_vectors["train"])
    dev_position = {q["id"]: i for i, q in enumerate(dev)}
    dev_groups_all = build(catalogue, dev, query_vectors["dev"])
    work_groups = [dev_groups_all[dev_position[q["id"]]] for q in work]
    recall = np.mean([g[2].sum() / max(len(q["relevant"]), 1) for g, q in zip(train_groups, train, strict=True)])
    print(f"candidate recall on train {recall:.3f}; features built in {time.time() - started:.0f} s", flush=True)
    if args.kremlin_store:
        train_groups += kremlin_groups(args.kremlin_store, embedder, cache)
    x = np.vstack([g[1] for g in train_groups])
    y = np.concatenate([g[2] for g in train_groups])
    baseline_column = FEATURES.index("baseline")
    print(f"dev work MAP@5: baseline 0.3 BM25 + 0.7 cosine "
          f"{map_at_5(work_groups, lambda f: f[:, baseline_column], work):.4f}")
    for c in (0.1, 1.0):
        folds = cross_validated(train_groups[:len(train)], train, c)
        print(f"train 5-fold CV MAP@5: lr C={c} {np.mean(folds):.4f} ({' '.join(f'{f:.3f}' for f in folds)})",
              flush=True)
    scaler = StandardScaler().fit(x)
    candidates = {}
    for c in (0.1, 1.0):
        lr = LogisticRegression(C=c, max_iter=2000).fit(scaler.transform(x), y)
        candidates[f"lr C={c}"] = (lr, lambda f, m=lr: m.decision_function(scaler.transform(f)))
    for iterations, leaves, rate in ((200, 15, 0.05), (400, 15, 0.05), (300, 31, 0.05), (200, 7, 0.1)):
        gbm = HistGradientBoostingClassifier(max_iter=iterations, max_leaf_nodes=leaves, learning_rate=rate,
                                             l2_regularization=1.0, random_state=SEED).fit(x, y)
        candidates[f"trees {iterations}x{leaves} lr={rate}"] = (gbm, lambda f, m=gbm: m.predict_proba(f)[:, 1])
    scores = {}
    for name, (_, scorer) in candidates.items():
        scores[name] = map_at_5(work_groups, scorer, work)
        print(f"dev work MAP@5: {name} {scores[name]:.4f}", flush=True)
    chosen = max(scores, key=lambda name: scores[name])  # the first of equals: the simpler model
    print(f"chosen on dev work: {chosen}")
    model = candidates[chosen][0]
    if chosen.startswith("lr"):
        exported = {"kind": "linear", "mean": scaler.mean_.tolist(), "scale": scaler.scale_.tolist(),
                    "coef": model.coef_.ravel().tolist(), "intercept": float(model.intercept_[0])}
    else:
        exported = export_trees(model) | {"kind": "trees"}
    exported |= {"version": VERSION, "features": list(FEATURES), "chosen": chosen,
                 "trained_on": "CheckThat! 2022 2A English train (997 tweets)"}
    from claimgraph.factcheck.match import Reranker

    reranker = Reranker(exported)
    sample = scaler.transform(x[:2000]) if chosen.startswith("lr") else x[:2000]
    check = np.abs(reranker.predict(x[:2000]) - model.predict_proba(sample)[:, 1]).max()
    print(f"numpy re-ranker vs scikit-learn: largest difference {check:.2e}")
    folder = cache or Path(tempfile.mkdtemp())
    for name, rows in (("work", work), ("unseen", unseen), ("whole", dev)):
        ranked = {}
        for q in rows:
            chosen_idx, features, _ = dev_groups_all[dev_position[q["id"]]]
            order = np.argsort(-reranker.predict(features), kind="stable")[:5]
            ranked[q["id"]] = [known[int(chosen_idx[i])].id for i in order]
        base = {}
        for q in rows:
            chosen_idx, features, _ = dev_groups_all[dev_position[q["id"]]]
            order = np.argsort(-features[:, baseline_column], kind="stable")[:5]
            base[q["id"]] = [known[int(chosen_idx[i])].id for i in order]
        learned, formula = score_file(rows, ranked, folder, name), score_file(rows, base, folder, name + "-base")
        print(f"dev {name} ({len(rows)} tweets), score_claim_matching.py MAP@5: re-ranker {learned:.4f}, "
              f"baseline {formula:.4f}")
    if args.write:
        OUT.parent.mkdir(parents=True, exist_ok=True)
        OUT.write_text(json.dumps(exported, separators=(",", ":")) + "\n", encoding="utf-8")
        print(f"wrote {OUT.relative_to(ROOT)} ({OUT.stat().st_size / 1e6:.2f} MB)")
    print(f"{time.time() - started:.0f} s")


if __name__ == "__main__":
    main()
