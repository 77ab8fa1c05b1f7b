"""What the fact-checking additions cost: check-worthiness per claim (each variant), matching per
claim against a catalogue (BM25 + MiniLM + re-ranker), building the catalogue from a store, and the
check an ingest makes when the store holds no known claims.

    OMP_NUM_THREADS=1 python bench/factcheck.py [--known CATALOGUE] [--claims N] [--store DB]

``--known`` defaults to ../shared/eval/narratives/euvsdisinfo-cases.csv (imported into a temporary
SQLite store: its embedding is timed too); ``--store DB`` reads a store where it was imported before
instead (no import timed). The claims are CheckThat! 2024 dev-test sentences.
"""
from __future__ import annotations

import argparse
import csv
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from claimgraph import open_store  # noqa: E402
from claimgraph.factcheck import import_known, load_checkworthy, stored_catalogue  # noqa: E402

SHARED = ROOT.parent / "shared" / "eval"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--known", type=Path, default=SHARED / "narratives" / "euvsdisinfo-cases.csv")
    parser.add_argument("--claims", type=int, default=300)
    parser.add_argument("--store", type=Path, help="a store that holds the catalogue already (skips the import)")
    args = parser.parse_args()
    with (SHARED / "claims" / "checkthat2024-dev-test.tsv").open(encoding="utf-8", newline="") as f:
        texts = [row["Text"] for row in csv.DictReader(f, delimiter="\t")][:args.claims]
    for variant in ("words", "encoder", "minilm"):
        model = load_checkworthy(variant)
        model.score(texts[:8])  # loads what loads lazily
        started = time.perf_counter()
        for text in texts:  # one claim at a time, as an article's few claims are
            model.score([text])
        print(f"check-worthiness ({variant}): {1000 * (time.perf_counter() - started) / len(texts):.2f} ms per claim")
    with tempfile.TemporaryDirectory() as folder, open_store(str(args.store or Path(folder) / "bench.db")) as store:
        if args.store is None:
            started = time.perf_counter()
            for _ in range(1000):
                store.known_count()
            print(f"no known claims: the ingest's check costs {1000 * (time.perf_counter() - started) / 1000:.3f} ms "
                  "per run")
            started = time.perf_counter()
            counts = import_known(args.known, store=store, collection="bench")
            print(f"import {counts['new']:,} known claims (embedding them): {time.perf_counter() - started:.1f} s")
        started = time.perf_counter()
        catalogue, _ = stored_catalogue(store)
        print(f"catalogue from the store (stored vectors, BM25 index): {time.perf_counter() - started:.1f} s")
        catalogue.match(texts[:4])
        started = time.perf_counter()
        for text in texts:
            catalogue.match([text], top=3)
        print(f"matching against {len(catalogue):,}: {1000 * (time.perf_counter() - started) / len(texts):.1f} ms "
              "per claim")


if __name__ == "__main__":
    main()
