"""What labelling an article with narratives costs beside ingesting it, in the same run.

Ingests articles into a fresh SQLite store (the whole pipeline, one process), then classifies the
stored articles (the learned classifier, MiniLM int8, as ``ingest --narratives`` does) and reports
both times and their ratio (the issue's budget: classification at most 20 % of ingest time).
Articles: the SemEval-2025 English dev texts from ../shared/eval (``--input`` for others; .jsonl
with "text").

    OMP_NUM_THREADS=1 python bench/narratives_cost.py [--input FILE.jsonl] [--limit N]
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from claimgraph import article_from_text  # noqa: E402
from claimgraph.narratives import NarrativeClassifier  # noqa: E402
from claimgraph.narratives.apply import label_articles  # noqa: E402
from claimgraph.pipeline import load_pipeline  # noqa: E402
from claimgraph.run import ingest_articles  # noqa: E402
from claimgraph.store import open_store  # noqa: E402

DEFAULT = ROOT.parent / "shared" / "eval" / "narratives" / "semeval2025-en-dev.jsonl"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--input", type=Path, default=DEFAULT)
    parser.add_argument("--limit", type=int, default=0)
    args = parser.parse_args(argv)
    if not args.input.is_file():
        print(f"needs {args.input}", file=sys.stderr)
        return 2
    rows = [json.loads(line) for line in args.input.read_text("utf-8").splitlines() if line.strip()]
    rows = rows[:args.limit] if args.limit else rows
    pipeline = load_pipeline(n_process=1)
    classifier = NarrativeClassifier()  # loads the model and embeds the taxonomy once, as a server does
    pipeline(article_from_text("Warm-up: the minister said the talks had stalled.", id="warm"))
    with tempfile.TemporaryDirectory() as folder, open_store(str(Path(folder) / "cost.db")) as store:
        stored = []

        def keep(article: object, status: str) -> None:
            if status == "stored":
                stored.append(article)

        started = time.perf_counter()
        counts = ingest_articles((article_from_text(r["text"], id=r["id"]) for r in rows), store=store,
                                 pipeline=pipeline, report=keep)  # type: ignore[arg-type]
        ingest_s = time.perf_counter() - started
        started = time.perf_counter()
        labelled = label_articles(store, stored, classifier)
        classify_s = time.perf_counter() - started
    chars = sum(len(r["text"]) for r in rows)
    print(json.dumps({"articles": len(rows), "chars": chars, "stored": counts["stored"], "claims": counts["claims"],
                      "ingest_s": round(ingest_s, 2), "classify_s": round(classify_s, 2),
                      "labelled": labelled["labelled"], "ratio": round(classify_s / ingest_s, 3),
                      "method": classifier.method}))
    print(f"classifying costs {100 * classify_s / ingest_s:.1f} % of ingest time "
          f"({classify_s:.1f} s vs {ingest_s:.1f} s for {len(rows)} articles)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
