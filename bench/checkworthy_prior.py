"""Would adapting check-worthiness scores to a batch's own share of check-worthy sentences help?

CheckThat! 2024 dev-test has 34 % "Yes" against train's 24 %, and the shipped model's F1 there moves
with the threshold. A standard answer to a shift of class priors is to re-estimate the prior on the
unlabelled batch by EM and re-weight the posteriors (Saerens, Latinne and Decaestecker 2002). This
bench measures it without choosing on dev-test: dev is resampled to other shares of "Yes" (batches of
50, 100 and 300 sentences, 1,000 draws each) and F1 at the model's threshold compared, raw against
adjusted; dev and dev-test whole are printed too.

    OMP_NUM_THREADS=1 python bench/checkworthy_prior.py
"""
from __future__ import annotations

import csv
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "eval" / "claims"
sys.path.insert(0, str(ROOT / "src"))

from claimgraph.factcheck import load_checkworthy  # noqa: E402

TRAIN_PRIOR = 0.2406  # share of "Yes" in checkthat2024-train.tsv (5,413 of 22,500)


def read(split: str) -> tuple[list[str], np.ndarray]:
    with (SHARED / f"checkthat2024-{split}.tsv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    return [row["Text"] for row in rows], np.array([row["class_label"] == "Yes" for row in rows])


def f1(labels: np.ndarray, predicted: np.ndarray) -> float:
    return float(2 * (labels & predicted).sum() / max(labels.sum() + predicted.sum(), 1))


def adapted(probability: np.ndarray, prior: float = TRAIN_PRIOR, rounds: int = 200) -> tuple[float, np.ndarray]:
    """EM estimate of the batch's prior of "Yes" and the posteriors re-weighted to it."""
    estimate, posterior = prior, probability
    for _ in range(rounds):
        yes = probability * estimate / prior
        no = (1 - probability) * (1 - estimate) / (1 - prior)
        posterior = yes / (yes + no)
        if abs(posterior.mean() - estimate) < 1e-7:
            break
        estimate = float(posterior.mean())
    return estimate, posterior


def main() -> int:
    if not SHARED.is_dir():
        print(f"needs {SHARED}", file=sys.stderr)
        return 2
    model = load_checkworthy()
    threshold = model.threshold
    scored = {}
    for split in ("dev", "dev-test"):
        texts, labels = read(split)
        scored[split] = labels, model.score(texts)
        estimate, posterior = adapted(scored[split][1])
        print(f"{split}: share of Yes {labels.mean():.3f}, estimated {estimate:.3f}; F1 at {threshold:.2f} "
              f"raw {f1(labels, scored[split][1] >= threshold):.4f}, adjusted {f1(labels, posterior >= threshold):.4f}")
    labels, probability = scored["dev"]
    positives, negatives = np.flatnonzero(labels), np.flatnonzero(~labels)
    rng = np.random.default_rng(0)
    print("| dev resampled: share of Yes | batch | F1 raw | F1 adjusted | difference | adjusted worse in |")
    print("|---|---|---|---|---|---|")
    for share in (0.10, 0.15, 0.24, 0.34, 0.45):
        for size in (50, 100, 300):
            raw, adjusted = [], []
            for _ in range(1000):
                yes = rng.binomial(size, share)
                if not yes:
                    continue
                rows = np.concatenate([rng.choice(positives, yes), rng.choice(negatives, size - yes)])
                raw.append(f1(labels[rows], probability[rows] >= threshold))
                adjusted.append(f1(labels[rows], adapted(probability[rows])[1] >= threshold))
            gain = np.array(adjusted) - np.array(raw)
            print(f"| {share:.2f} | {size} | {np.mean(raw):.4f} | {np.mean(adjusted):.4f} | {gain.mean():+.4f} | "
                  f"{np.mean(gain < -1e-9):.2f} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
