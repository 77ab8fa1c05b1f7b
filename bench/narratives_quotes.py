"""Discovered narratives on the 611 pro-Kremlin quotes: ARI and NMI against the 13 narratives and
the 69 sub-claims ("fake"), for TF-IDF and MiniLM, with the incremental tracker (quotes in date order).

The similarity threshold is not chosen from the gold of the figures it reports: it is picked on the
Italian outlets' quotes (204) and scored on the German outlets' (407) and on all 611; the sweep is
printed too. Reference: TF-IDF + k-means given the gold number of narratives (k=13), as in the brief.

    python bench/narratives_quotes.py [--backends tfidf minilm] [--window-days N] [--center/--no-center]
"""
from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "eval"
sys.path.insert(0, str(ROOT / "src"))

from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score  # noqa: E402

from claimgraph.narratives.discover import DEFAULT_SETTINGS, ClaimItem, NarrativeTracker  # noqa: E402
from claimgraph.narratives.embed import load_embedder  # noqa: E402

GRID = {"claimgraph.narratives.tfidf-hashing.v1": [0.05, 0.08, 0.1, 0.12, 0.15, 0.2, 0.3],
        "claimgraph.narratives.minilm-int8.v1": [0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5, 0.6]}


def load_quotes() -> list[dict]:
    path = SHARED / "narratives" / "kremlin-quotes-narratives.jsonl"
    quotes = [json.loads(line) for line in path.read_text("utf-8").splitlines()]
    for quote in quotes:
        quote["iso"] = dt.datetime.strptime(quote["date"], "%d/%m/%Y").date().isoformat()
    return quotes


def figures(quotes: list[dict], predicted: dict[str, str]) -> dict:
    labels = [predicted[q["id"]] for q in quotes]
    sizes = Counter(labels)
    # listed: groups of two or more quotes (each quote is its own article); the rest stay unassigned
    out = {"clusters": len(set(labels)), "listed": sum(size >= 2 for size in sizes.values()),
           "unassigned": sum(size == 1 for size in sizes.values())}
    for level, key in (("narrative", "narrative"), ("subclaim", "fake")):
        gold = [q[key] for q in quotes]
        out[f"{level}_ARI"] = round(adjusted_rand_score(gold, labels), 3)
        out[f"{level}_NMI"] = round(normalized_mutual_info_score(gold, labels), 3)
    return out


def track(quotes: list[dict], backend: str, threshold: float, window_days: int | None = None,
          center: bool | None = None) -> dict[str, str]:
    embedder = load_embedder(backend)
    settings = dataclasses.replace(DEFAULT_SETTINGS[embedder.name], threshold=threshold)
    if window_days:
        settings = dataclasses.replace(settings, window_days=window_days)
    if center is not None:
        settings = dataclasses.replace(settings, center=center)
    tracker = NarrativeTracker(embedder, settings)
    items = [ClaimItem(id=q["id"], text=q["text"], date=q["iso"]) for q in quotes]
    return {claim_id: narrative for claim_id, narrative, _ in tracker.assign(items)}


def kmeans_baseline(quotes: list[dict]) -> dict:
    from sklearn.cluster import KMeans
    from sklearn.feature_extraction.text import TfidfVectorizer

    matrix = TfidfVectorizer(stop_words="english", sublinear_tf=True).fit_transform([q["text"] for q in quotes])
    k = len({q["narrative"] for q in quotes})
    labels = KMeans(n_clusters=k, n_init=10, random_state=0).fit_predict(matrix)
    return figures(quotes, {q["id"]: str(label) for q, label in zip(quotes, labels)})


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backends", nargs="+", default=["tfidf", "minilm"])
    parser.add_argument("--window-days", type=int, help="the tracker's time window (default: its own, 730)")
    parser.add_argument("--center", action=argparse.BooleanOptionalAction, default=None,
                        help="centre content vectors on the running mean (default: the backend's own setting)")
    args = parser.parse_args()
    quotes = load_quotes()
    dev = [q for q in quotes if q["countries"] == "Italy"]
    test = [q for q in quotes if q["countries"] != "Italy"]
    print(json.dumps({"baseline": "tfidf+kmeans, gold k", **kmeans_baseline(quotes)}))
    for backend in args.backends:
        name = load_embedder(backend).name
        sweep = []
        for threshold in GRID[name]:
            dev_figures = figures(dev, track(dev, backend, threshold, args.window_days, args.center))
            sweep.append((dev_figures["narrative_ARI"] + dev_figures["narrative_NMI"], threshold))
            print(json.dumps({"backend": name, "split": "dev (Italy)", "threshold": threshold, **dev_figures}))
        chosen = max(sweep)[1]
        started = time.perf_counter()
        predicted_all = track(quotes, backend, chosen, args.window_days, args.center)
        seconds = time.perf_counter() - started
        print(json.dumps({"backend": name, "chosen_on_dev": chosen, "shipped_default": DEFAULT_SETTINGS[name].threshold,
                          "test (Germany)": figures(test, track(test, backend, chosen, args.window_days, args.center)),
                          "all 611": figures(quotes, predicted_all), "seconds_all": round(seconds, 1)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
