"""Where a run spends its time: every ingest and batch run stores its seconds by stage (runs.timings)."""
from __future__ import annotations

import pytest

from claimgraph.batch import BatchOptions, run_batch
from claimgraph.run import ingest
from claimgraph.steps import add_time, timed
from claimgraph.store import open_store

from .batch.corpus import write_jsonl


def _timings(store) -> dict[str, float]:
    return store.run_counts(store.last_run_id())["timings"]


def test_timed_adds_the_time_spent_producing_items():
    timings: dict[str, float] = {}
    assert list(timed(iter([1, 2, 3]), timings, "read")) == [1, 2, 3]
    assert set(timings) == {"read"} and timings["read"] >= 0
    add_time(timings, "read", 1.5)
    add_time(timings, "store", 0.25)
    assert timings["read"] >= 1.5 and timings["store"] == 0.25


@pytest.mark.slow
def test_batch_and_ingest_store_their_time_by_stage(tmp_path, db_target, pipeline):
    corpus = tmp_path / "a.jsonl"
    write_jsonl(corpus, 5)
    with open_store(db_target) as store:
        counts = run_batch([corpus], store=store, options=BatchOptions(progress=False, chunk=2, workers=1))
        assert counts["stored"] == 5
        spent = _timings(store)
        assert {"read", "triage", "parse", "extract", "wait", "store", "dedup"} <= set(spent)
        assert all(seconds >= 0 for seconds in spent.values())
        assert spent["parse"] > 0 and spent["extract"] > 0
    write_jsonl(corpus, 3, start=10)
    with open_store(tmp_path / "i.db") as store:
        counts = ingest([corpus], store=store, pipeline=pipeline)
        assert counts["stored"] == 3
        spent = _timings(store)
        assert {"read", "parse", "extract", "store"} <= set(spent)
        assert spent["parse"] > 0 and spent["extract"] > 0 and spent["store"] > 0
