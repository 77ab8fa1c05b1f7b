"""Does supervision from EUvsDisinfo's keywords bring discovered narratives nearer the 13 gold ones?

The tracker groups claims by MiniLM cosines (frozen vectors). EUvsDisinfo tags its 10,892 case titles
with keywords ("Coup", "Nazi/Fascist", "MH17", "Nord Stream 2" ...) that read like the quotes'
narratives, and those titles are not the quotes. This bench learns a linear map from a title's MiniLM
vector to its keywords (ridge regression onto idf-weighted keyword indicators, keywords seen at least
``--min-count`` times) and gives the tracker the predicted keyword profile instead of the vector.

Protocol as in bench/narratives_quotes.py, in both directions: the threshold is chosen on one half of
the quotes (Italian outlets 204, German 407) by the best narrative ARI with at most 39 listed groups
(issue 15: 3 x 13 gold narratives) and reported on the other half. Also printed: the largest groups of
the shipped tracker on all 611 quotes and their purity (is there a catch-all group?).

    OMP_NUM_THREADS=1 python bench/narratives_keywords.py
"""
from __future__ import annotations

import argparse
import csv
import dataclasses
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
CASES = ROOT.parent / "shared" / "eval" / "narratives" / "euvsdisinfo-cases.csv"
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from narratives_quotes import figures, load_quotes  # noqa: E402

from claimgraph.narratives.discover import DEFAULT_SETTINGS, ClaimItem, NarrativeTracker  # noqa: E402
from claimgraph.narratives.embed import MiniLMEmbedder, unit_rows  # noqa: E402

GRID = (0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.5, 0.6)
MAX_LISTED = 39


class Precomputed:
    """An embedder over vectors computed beforehand, keyed by the claim's text (here its quote id)."""

    name = "claimgraph.narratives.minilm-int8.v1"  # the MiniLM tracker's settings (centring on)

    def __init__(self, vectors: dict[str, np.ndarray]):
        self.vectors = vectors
        self.dim = len(next(iter(vectors.values())))

    def observe(self, texts: list[str]) -> None:
        """Nothing to learn: the vectors are fixed."""

    def embed(self, texts: list[str]) -> np.ndarray:
        return unit_rows(np.stack([self.vectors[text] for text in texts]))

    def state(self) -> dict:
        return {}

    def load_state(self, state: dict) -> None:
        """Nothing to restore."""


def track(quotes: list[dict], vectors: dict[str, np.ndarray], threshold: float) -> dict[str, str]:
    settings = dataclasses.replace(DEFAULT_SETTINGS[Precomputed.name], threshold=threshold)
    tracker = NarrativeTracker(Precomputed(vectors), settings)
    items = [ClaimItem(id=q["id"], text=q["id"], date=q["iso"]) for q in sorted(quotes, key=lambda q: q["iso"])]
    return {claim_id: narrative for claim_id, narrative, _ in tracker.assign(items)}


def chosen_then_scored(pick: list[dict], score: list[dict], vectors: dict[str, np.ndarray]) -> tuple[float, dict]:
    sweep = [(figures(pick, track(pick, vectors, t)), t) for t in GRID]
    allowed = [item for item in sweep if item[0]["listed"] <= MAX_LISTED] or sweep
    _, threshold = max(allowed, key=lambda item: item[0]["narrative_ARI"])
    return threshold, figures(score, track(score, vectors, threshold))


def keyword_profiles(titles: np.ndarray, keywords: list[list[str]], quotes: np.ndarray, *, min_count: int,
                     alpha: float) -> np.ndarray:
    from sklearn.linear_model import Ridge
    from sklearn.preprocessing import MultiLabelBinarizer

    counts = Counter(k for row in keywords for k in row)
    vocabulary = sorted(k for k, n in counts.items() if n >= min_count)
    kept = set(vocabulary)
    indicators = MultiLabelBinarizer(classes=vocabulary).fit_transform(
        [[k for k in row if k in kept] for row in keywords]).astype(np.float32)
    idf = np.log(len(indicators) / (1 + indicators.sum(axis=0)))
    mean = titles.mean(axis=0)
    model = Ridge(alpha=alpha).fit(titles - mean, unit_rows(indicators * idf))
    profiles: np.ndarray = model.predict(quotes - mean)
    return profiles


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--min-count", type=int, nargs="+", default=[20, 50, 100])
    parser.add_argument("--alpha", type=float, nargs="+", default=[0.3, 1.0, 3.0])
    args = parser.parse_args()
    if not CASES.is_file():
        print(f"needs {CASES}", file=sys.stderr)
        return 2
    started = time.perf_counter()
    quotes = load_quotes()
    with CASES.open(encoding="utf-8", newline="") as handle:
        cases = list(csv.DictReader(handle))
    keywords = [[k.strip() for k in case["keywords"].split("+") if k.strip()] for case in cases]
    embedder = MiniLMEmbedder()
    quote_vectors = embedder.embed([q["text"] for q in quotes])
    title_vectors = embedder.embed([case["title"] for case in cases])
    print(f"embedded {len(quotes)} quotes and {len(cases)} titles in {time.perf_counter() - started:.0f} s",
          file=sys.stderr)
    halves = {"Italian": [q for q in quotes if q["countries"] == "Italy"],
              "German": [q for q in quotes if q["countries"] != "Italy"]}
    variants = {"MiniLM (the tracker's vectors)": quote_vectors}
    for min_count in args.min_count:
        for alpha in args.alpha:
            variants[f"keyword profile, keywords >= {min_count}, alpha {alpha}"] = keyword_profiles(
                title_vectors, keywords, quote_vectors, min_count=min_count, alpha=alpha)
    print("| vectors | chosen on Italian -> German ARI / listed | chosen on German -> Italian ARI / listed "
          "| mean ARI |")
    print("|---|---|---|---|")
    for name, matrix in variants.items():
        vectors = {q["id"]: row for q, row in zip(quotes, matrix, strict=True)}
        cells, aris = [], []
        for pick, score in (("Italian", "German"), ("German", "Italian")):
            threshold, result = chosen_then_scored(halves[pick], halves[score], vectors)
            cells.append(f"{threshold}: {result['narrative_ARI']:.3f} / {result['listed']}")
            aris.append(result["narrative_ARI"])
        print(f"| {name} | {cells[0]} | {cells[1]} | {np.mean(aris):.3f} |", flush=True)
    shipped = DEFAULT_SETTINGS[Precomputed.name].threshold
    groups = track(quotes, {q["id"]: row for q, row in zip(quotes, quote_vectors, strict=True)}, shipped)
    gold = {q["id"]: q["narrative"] for q in quotes}
    print(f"\nlargest groups, shipped tracker (MiniLM, {shipped}), all 611 quotes: size, purity, top gold narrative")
    for group, size in Counter(groups.values()).most_common(5):
        top, count = Counter(gold[c] for c, g in groups.items() if g == group).most_common(1)[0]
        print(f"{size:4d}  {count / size:.2f}  {top}")
    print(f"{time.perf_counter() - started:.0f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
