"""claimgraph batch: exact counts and rejects on bad input, same claims as ingest, Dask, local workers."""
from __future__ import annotations

import json
from collections import Counter

import pytest
from click.testing import CliRunner

from claimgraph import open_store
from claimgraph.batch import BatchOptions, run_batch
from claimgraph.cli import cli
from claimgraph.run import ingest

from .corpus import article_text, write_jsonl

pytestmark = pytest.mark.slow


def claim_rows(db) -> list[dict]:
    with open_store(db) as store:
        rows = store.claims(limit=None)
    for row in rows:
        row.pop("id_run", None)
    return sorted(rows, key=lambda r: (r["article_id"], r["start"], r["id"]))


def test_bad_input_corpus_every_record_stored_or_listed(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    lines = [json.dumps({"id": f"ok-{n}", "outlet": "Wire", "text": article_text(n)}).encode() for n in range(5)]
    lines += [
        b"",                                                        # blank: not a record
        b"   ",                                                     # blank: not a record
        b'{"id": "broken", "text": "unterminated',                  # CG104
        b'{"id": "latin1", "text": "caf\xe9 au lait"}',            # CG103
        bytes(range(11, 256)) + bytes(range(10)),                   # binary blob: CG103
        b"\x00\x01\x02\x03" * 50,                                   # NULs are UTF-8: CG104
        b'[1, 2, 3]',                                               # CG105
        b'{"id": "notext", "title": "no body"}',                    # CG105
        b'{"id": "huge", "text": "' + b"a" * 50_000_000 + b'"}',  # a 50 MB line: CG114
        json.dumps({"id": "ok-1", "text": article_text(99)}).encode(),   # duplicate id, other text
        json.dumps({"id": "ok-2", "text": article_text(2)}).encode(),    # duplicate id, same text
    ]
    (corpus / "mixed.jsonl").write_bytes(b"\n".join(lines) + b"\n")
    (corpus / "scripts.html").write_text("<html><head><script>var a = 1;</script></head>"
                                         "<body><script>track()</script></body></html>", encoding="utf-8")
    (corpus / "page.html").write_text(f"<html><head><title>Council</title></head><body><article><p>"
                                      f"{article_text(7)}</p></article></body></html>", encoding="utf-8")
    (corpus / "empty.txt").write_bytes(b"")
    (corpus / "blob.txt").write_bytes(b"\x00\xff" * 100)
    db, rejects = tmp_path / "b.db", tmp_path / "rejects.jsonl"
    with open_store(db) as store:
        counts = run_batch([str(corpus)], store=store, options=BatchOptions(rejects=rejects, progress=False))
        stored_ids = {row[0] for row in store.connection.execute("SELECT id FROM articles")}
        failures = store.connection.execute("SELECT count(*) FROM failures WHERE level = 'error'").fetchone()[0]
    assert counts["read"] == 18
    assert counts["stored"] == 6 and counts["duplicate"] == 2 and counts["rejected"] == 10
    assert counts["read"] == counts["stored"] + counts["unchanged"] + counts["duplicate"] + counts["rejected"]
    assert stored_ids >= {f"ok-{n}" for n in range(5)} and len(stored_ids) == 6
    listed = [json.loads(line) for line in rejects.read_text("utf-8").splitlines()]
    assert len(listed) == counts["duplicate"] + counts["rejected"]
    assert Counter(r["code"] for r in listed) == Counter(
        {"CG104": 2, "CG103": 2, "CG105": 2, "CG114": 1, "CG202": 2, "CG107": 1, "CG101": 1, "CG102": 1})
    assert all(r["reason"].startswith(f"[{r['code']}]") and r["source"] for r in listed)
    assert {r["line"] for r in listed if r["code"] == "CG202"} == {15, 16}
    assert failures == 10
    # the same command again: everything is unchanged or listed again, nothing stored twice
    with open_store(db) as store:
        again = run_batch([str(corpus)], store=store, options=BatchOptions(rejects=rejects, progress=False))
        assert store.counts()["articles"] == 6
    assert (again["unchanged"], again["stored"], again["duplicate"], again["rejected"]) == (6, 0, 2, 10)
    assert len(rejects.read_text("utf-8").splitlines()) == 12


def test_batch_stores_exactly_what_ingest_stores(tmp_path, pipeline):
    path = tmp_path / "a.jsonl"
    write_jsonl(path, 12)
    with open_store(tmp_path / "ingest.db") as store:
        ingest([path], store=store, pipeline=pipeline)
    with open_store(tmp_path / "batch.db") as store:
        counts = run_batch([path], store=store, options=BatchOptions(progress=False, chunk=5))
    assert counts["stored"] == 12 and counts["claims"] >= 24
    assert claim_rows(tmp_path / "batch.db") == claim_rows(tmp_path / "ingest.db")


@pytest.mark.heavy
def test_dask_results_identical_to_single_process(tmp_path):
    pytest.importorskip("distributed")
    path = tmp_path / "a.jsonl"
    write_jsonl(path, 10)
    with open_store(tmp_path / "single.db") as store:
        single = run_batch([path], store=store, options=BatchOptions(progress=False, chunk=3))
    with open_store(tmp_path / "dask.db") as store:  # a local cluster, one worker thread: light for CI
        on_dask = run_batch([path], store=store, options=BatchOptions(progress=False, chunk=3, dask=True,
                                                                       dask_processes=False))
        [config] = [json.loads(row[0]) for row in store.connection.execute("SELECT config FROM runs")]
    assert config["executor"] == "DaskExecutor"
    assert on_dask["stored"] == single["stored"] == 10
    single_claims, dask_claims = claim_rows(tmp_path / "single.db"), claim_rows(tmp_path / "dask.db")
    assert len(dask_claims) == len(single_claims) >= 20
    for a, b in zip(single_claims, dask_claims, strict=True):
        assert a == b  # claim by claim: speaker, cue, content spans, offsets, events, targets


@pytest.mark.heavy
def test_dask_scheduler_address_with_worker_processes(tmp_path):
    """`--dask-scheduler ADDRESS`: a cluster started elsewhere, its workers separate processes that
    load the pipeline themselves; records and claims cross process boundaries both ways."""
    distributed = pytest.importorskip("distributed")
    path = tmp_path / "a.jsonl"
    write_jsonl(path, 6)
    with open_store(tmp_path / "single.db") as store:
        run_batch([path], store=store, options=BatchOptions(progress=False, chunk=3))
    with (distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None,
                                   worker_dashboard_address=None) as cluster,
          open_store(tmp_path / "remote.db") as store):
        counts = run_batch([path], store=store, options=BatchOptions(
            progress=False, chunk=3, dask_scheduler=cluster.scheduler_address))
    assert counts["stored"] == 6
    assert claim_rows(tmp_path / "remote.db") == claim_rows(tmp_path / "single.db")


@pytest.mark.heavy
def test_local_worker_processes_same_claims(tmp_path):
    path = tmp_path / "a.jsonl"
    write_jsonl(path, 8)
    with open_store(tmp_path / "one.db") as store:
        run_batch([path], store=store, options=BatchOptions(progress=False, chunk=2))
    with open_store(tmp_path / "two.db") as store:
        counts = run_batch([path], store=store, options=BatchOptions(progress=False, chunk=2, workers=2))
    assert counts["stored"] == 8
    assert claim_rows(tmp_path / "two.db") == claim_rows(tmp_path / "one.db")


def test_cli_batch_summary_and_stories(tmp_path):
    path = tmp_path / "a.jsonl"
    write_jsonl(path, 3)
    copy = json.dumps({"id": "copy-0", "outlet": "Other Daily", "text": article_text(0)
                       .replace("(item 0)", "(wire)")})
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(copy + "\n")
    db = tmp_path / "c.db"
    runner = CliRunner()
    result = runner.invoke(cli, ["batch", str(path), "--db", str(db), "--quiet"])
    assert result.exit_code == 0, result.output
    assert "read 4, stored 4, unchanged 0, duplicate 0, rejected 0" in result.stderr
    assert "1 near-duplicates linked" in result.stderr
    assert (tmp_path / "c.rejects.jsonl").read_text() == ""
    result = runner.invoke(cli, ["stories", "--db", str(db), "--json"])
    [story] = [json.loads(line) for line in result.stdout.splitlines()]
    assert story["story_id"] == "art-0" and story["outlets"] == ["Test Wire", "Other Daily"]
    result = runner.invoke(cli, ["claims", "--db", str(db), "--by-story", "--json"])
    rows = json.loads(result.stdout)
    assert {r["article_id"] for r in rows} == {"art-0", "art-1", "art-2"}
    assert {tuple(r["outlets"]) for r in rows if r["article_id"] == "art-0"} == {("Test Wire", "Other Daily")}


def test_a_chunk_that_crashes_is_retried_article_by_article(tmp_path, monkeypatch):
    import claimgraph.workers.local as batch_module

    real = batch_module.process_records

    def fragile(records, batch_size=32, mode="fast"):  # a parser crash on one article takes its chunk down
        if any("POISON" in record["text"] for record in records):
            raise MemoryError("parser blew up")
        return real(records, batch_size, mode)

    monkeypatch.setattr(batch_module, "process_records", fragile)
    path = tmp_path / "a.jsonl"
    write_jsonl(path, 6)
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(json.dumps({"id": "bad", "text": "POISON said the parser would fail."}) + "\n")
    rejects = tmp_path / "r.jsonl"
    with open_store(tmp_path / "p.db") as store:
        counts = run_batch([path], store=store, options=BatchOptions(progress=False, chunk=4, rejects=rejects))
        assert store.counts()["articles"] == 6
    assert (counts["read"], counts["stored"], counts["rejected"]) == (7, 6, 1)
    [listed] = [json.loads(line) for line in rejects.read_text().splitlines()]
    assert listed["id"] == "bad" and listed["code"] == "CG402" and "parser blew up" in listed["reason"]
