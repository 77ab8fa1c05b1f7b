"""Named narratives: how the classifier does on the development data that ../shared/eval offers.

There is no article set labelled in the taxonomy here, so the figures come from four proxies:
  quotes   the 611 pro-Kremlin quotes, each narrative mapped by hand to the taxonomy's closest
           top-level narrative (MAPPING below; a loose fit), each quote classified as a one-sentence
           article: top-1 accuracy, micro-F1 (Other excluded) and the share sent to Other;
  euvs     1,000 EUvsDisinfo claim titles (seeded sample): the share given a narrative (all are
           disinformation, though many are about topics outside the taxonomy);
  polnear  the 84 PolNeAR dev articles (US politics 2015-16, off-topic): the share sent to Other;
  dev      bench/data/narratives_dev.jsonl: 16 short texts written for claimgraph (neutral war and
           climate news, off-topic news, and narrative texts), scored with score_narratives.py.

    python bench/narratives_classify.py [--backend tfidf|minilm] [--grid] [--learned]
"""
from __future__ import annotations

import argparse
import csv
import io
import importlib.util
import json
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "eval"
sys.path.insert(0, str(ROOT / "src"))

from claimgraph import article_from_text  # noqa: E402
from claimgraph.narratives.classify import NarrativeClassifier, Thresholds, article_units  # noqa: E402
from claimgraph.narratives.embed import load_embedder  # noqa: E402

# kremlin-quotes narrative -> the closest top-level narrative of the taxonomy (judgement, loose)
MAPPING = {
    "Russia is not an agressor towards Ukraine": "URW: Blaming the war on others rather than the invader",
    "The West controls Ukraine and uses it to its advantage": "URW: Discrediting Ukraine",
    "Ukraine is conducting an aggressive policy": "URW: Blaming the war on others rather than the invader",
    "Maidan in 2014 was a coup d'état": "URW: Discrediting Ukraine",
    "Nazis and ultra-nationalists in Ukraine": "URW: Discrediting Ukraine",
    "Russia needs to protect itself": "URW: Russia is the Victim",
    "Russia is not involved in MH17 crash; Ukraine shot down the plane":
        "URW: Blaming the war on others rather than the invader",
    "Russians are discriminated in Ukraine": "URW: Russia is the Victim",
    "Ukraine is a failed state": "URW: Discrediting Ukraine",
    "Nord Stream-2": "URW: Negative Consequences for the West",
    "Schismatic Ukrainian Church": "URW: Discrediting Ukraine",
    "The West is not interested in dealing with Ukraine, moreover, solving its problems.":
        "URW: Discrediting the West, Diplomacy",
    "Ukraine is an illiberal state": "URW: Discrediting Ukraine",
}


def load_scorer():
    spec = importlib.util.spec_from_file_location("score_narratives", SHARED / "score_narratives.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.score


def datasets() -> dict[str, list[tuple[str, str, list[str]]]]:
    """name -> [(id, text, gold top-level labels)]; gold ["Other"] for negatives, [] for 'any narrative'."""
    def lines(path: Path) -> list[dict]:
        return [json.loads(line) for line in path.read_text("utf-8").splitlines()]

    quotes = lines(SHARED / "narratives" / "kremlin-quotes-narratives.jsonl")
    cases = list(csv.DictReader(io.StringIO((SHARED / "narratives" / "euvsdisinfo-cases.csv").read_text("utf-8"))))
    random.Random(13).shuffle(cases)
    polnear = lines(SHARED / "attribution" / "polnear-dev.jsonl")
    dev = lines(ROOT / "bench" / "data" / "narratives_dev.jsonl")
    return {
        "quotes": [(q["id"], q["text"], [MAPPING[q["narrative"]]]) for q in quotes],
        "euvs": [(c["id"], c["title"], []) for c in cases[:1000]],
        "polnear": [(p["id"], p["text"], ["Other"]) for p in polnear],
        "dev": [(d["id"], d["text"], d["narratives"]) for d in dev],
    }


def all_scores(classifier: NarrativeClassifier, data: dict) -> dict:
    return {name: [classifier.scores(article_units(article_from_text(text, id=id_))) for id_, text, _ in rows]
            for name, rows in data.items()}


def evaluate(classifier: NarrativeClassifier, data: dict, scores: dict, score) -> dict:
    decided = {name: [classifier.decide(id_, s) for (id_, _, _), s in zip(rows, scores[name], strict=True)]
               for name, rows in data.items()}
    return evaluate_predictions(data, decided, score)


def evaluate_predictions(data: dict, labelled: dict, score) -> dict:
    results = {}
    for name, rows in data.items():
        predictions = labelled[name]
        other = sum(p.narratives == ["Other"] for p in predictions) / len(rows)
        if name == "euvs":
            results[name] = {"n": len(rows), "narrative_share": round(1 - other, 3)}
            continue
        gold = {id_: {"narratives": labels} for id_, _, labels in rows}
        pred = {p.id: {"narratives": p.narratives} for p in predictions}
        figures = score(gold, pred)
        entry = {"n": len(rows), "other_share": round(other, 3), "micro_F1": round(figures["micro_F1"], 3),
                 "sample_F1": round(figures["sample_F1"], 3)}
        if name == "quotes":
            entry["top1_accuracy"] = round(sum(p.narratives[0] == labels[0] for p, (_, _, labels)
                                               in zip(predictions, rows)) / len(rows), 3)
        results[name] = entry
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", default="tfidf", choices=["tfidf", "minilm"])
    parser.add_argument("--grid", action="store_true", help="also sweep the Other threshold")
    parser.add_argument("--learned", action="store_true", help="the learned classifier instead (trained on articles)")
    args = parser.parse_args()
    score, data = load_scorer(), datasets()
    started = time.perf_counter()
    if args.learned:
        learned = NarrativeClassifier(embedder=load_embedder("minilm", dense=False))
        labelled = {name: [learned.classify(article_from_text(text, id=id_)) for id_, text, _ in rows]
                    for name, rows in data.items()}
        print(json.dumps({"method": learned.method, **evaluate_predictions(data, labelled, score)}))
        return 0
    # the zero-shot rule (these proxies are single sentences and short texts: see bench/narratives_articles.py)
    classifier = NarrativeClassifier(embedder=load_embedder(args.backend, dense=False), learned=False)
    scores = all_scores(classifier, data)
    print(json.dumps({"backend": classifier.embedder.name, "thresholds": str(classifier.thresholds),
                      **evaluate(classifier, data, scores, score)}))
    if args.grid:  # the Other decision: threshold and lift around the defaults
        base = classifier.thresholds
        fields = {f: getattr(base, f) for f in base.__dataclass_fields__}
        for dt in (-0.06, -0.03, 0.0, 0.03, 0.06):
            for lift in (0.0, 0.05, 0.1):
                changed = {"threshold": round(base.threshold + dt, 3), "lift": lift}
                classifier.thresholds = Thresholds(**(fields | changed))
                print(json.dumps({**changed, **evaluate(classifier, data, scores, score)}))
    print(f"{time.perf_counter() - started:.0f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
