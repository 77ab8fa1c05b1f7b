"""Resume after a real crash: SIGKILL a running `claimgraph batch`, run it again, nothing lost or doubled."""
from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from claimgraph import open_store

from .corpus import write_jsonl

pytestmark = [pytest.mark.slow, pytest.mark.heavy]

COUNT = 150


def _stored(db) -> int:
    try:
        connection = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1)
        try:
            return connection.execute("SELECT count(*) FROM articles").fetchone()[0]
        finally:
            connection.close()
    except sqlite3.Error:
        return 0


def test_sigkill_mid_batch_then_rerun_finishes_exactly_once(tmp_path):
    corpus = tmp_path / "corpus.jsonl"
    ids = write_jsonl(corpus, COUNT)
    db = tmp_path / "news.db"
    command = [sys.executable, "-m", "claimgraph", "batch", str(corpus), "--db", str(db), "--chunk", "4", "--quiet"]
    env = os.environ | {"OMP_NUM_THREADS": "1"}
    log = tmp_path / "first.log"
    with open(log, "wb") as stderr:
        process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=stderr)
    deadline = time.monotonic() + 240
    while _stored(db) < 12:
        assert process.poll() is None, log.read_text()
        assert time.monotonic() < deadline, "the batch stored nothing in time"
        time.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert process.returncode == -signal.SIGKILL
    done_before = _stored(db)
    assert 12 <= done_before < COUNT, "the kill came too late to test a resume"

    rerun = subprocess.run(command, env=env, capture_output=True, text=True, timeout=600)
    assert rerun.returncode == 0, rerun.stderr
    with open_store(db) as store:
        stored = [row[0] for row in store.connection.execute("SELECT id FROM articles")]
        claims_per_article = dict(store.connection.execute(
            "SELECT article_id, count(*) FROM claims GROUP BY article_id").fetchall())
        [last] = store.connection.execute("SELECT * FROM runs ORDER BY id DESC LIMIT 1").fetchall()
        leftovers = store.connection.execute("SELECT count(*) FROM batch_seen").fetchone()[0]
    assert sorted(stored) == sorted(ids)  # every article, once (ids are the primary key; no loss)
    assert set(claims_per_article) == set(ids) and min(claims_per_article.values()) >= 2
    # the rerun skipped what the killed run committed, before parsing it
    assert last["read"] == COUNT and last["unchanged"] >= done_before
    assert last["stored"] + last["unchanged"] == COUNT and last["duplicate"] == 0
    assert f"read {COUNT}, stored {COUNT - last['unchanged']}, unchanged {last['unchanged']}" in rerun.stderr
    assert leftovers == 0  # the finished job cleared its resume marks, the killed run's too
