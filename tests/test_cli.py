"""The command line: ingest, extract (the output contract), claims, show, articles, migrate;
the commands that use a database run on SQLite and on PostgreSQL."""
from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner

from claimgraph import open_store
from claimgraph.cli import cli

from .conftest import LATEST_SCHEMA, ROOT, SEED

pytestmark = pytest.mark.slow


@pytest.fixture
def runner():
    return CliRunner()


@pytest.fixture
def demo_db(db_target, runner):
    """examples/ ingested into a new database: a SQLite file, and a PostgreSQL schema."""
    result = runner.invoke(cli, ["ingest", str(ROOT / "examples"), "--db", db_target])
    assert result.exit_code == 0, result.output
    return db_target, result


def test_cli_ingest_examples_and_summary(demo_db):
    db, result = demo_db
    assert "read 3, stored 3, unchanged 0, rejected 0" in result.stderr
    with open_store(db) as store:
        counts = store.counts()
        assert counts["articles"] == 3 and counts["claims"] >= 15
        [run] = store.connection.execute("SELECT * FROM runs").fetchall()
        assert run["read"] == 3 and run["stored"] == 3 and json.loads(run["config"])["model"]


def test_cli_ingest_twice_changes_nothing(demo_db, runner):
    db, _ = demo_db
    with open_store(db) as store:
        before = store.counts()
    result = runner.invoke(cli, ["ingest", str(ROOT / "examples"), "--db", str(db)])
    assert "stored 0, unchanged 3" in result.stderr
    with open_store(db) as store:
        assert store.counts() == before


def test_cli_claims_filters_and_formats(demo_db, runner):
    db, _ = demo_db
    result = runner.invoke(cli, ["claims", "--db", str(db), "--speaker", "Lavrov", "--json"])
    rows = json.loads(result.stdout)
    assert len(rows) >= 4 and all(r["speaker"]["actor"]["name"] == "Sergei Lavrov" for r in rows)
    result = runner.invoke(cli, ["claims", "--db", str(db), "--about", "United States", "--csv"])
    table = list(csv.DictReader(io.StringIO(result.stdout)))
    assert table and all("United States" in row["about"] for row in table)
    result = runner.invoke(cli, ["claims", "--db", str(db), "--outlet", "TASS"])
    assert "Sergei Lavrov" in result.stdout and "reported by: TASS" in result.stdout
    result = runner.invoke(cli, ["claims", "--db", str(db), "--search", "goalposts", "--nl"])
    [line] = result.stdout.splitlines()
    assert json.loads(line)["speaker"]["text"] == "The Russian side"


def test_cli_show_marks_claims_in_text(demo_db, runner):
    db, _ = demo_db
    with open_store(db) as store:
        seed_id = next(r["id"] for r in store.articles()
                       if r["id"] not in ("demo-ministry-briefing", "demo-summit-preview"))
    result = runner.invoke(cli, ["show", seed_id, "--db", str(db)])
    assert result.exit_code == 0
    assert "[Foreign Minister Sergei Lavrov]" in result.stdout and "<asserted>" in result.stdout
    result = runner.invoke(cli, ["show", "missing-id", "--db", str(db)])
    assert result.exit_code == 1 and "CG303" in result.output


def test_cli_extract_output_contract(runner):
    result = runner.invoke(cli, ["extract", str(SEED)])
    assert result.exit_code == 0
    [line] = [json.loads(x) for x in result.stdout.splitlines()]
    assert set(line) >= {"id", "claims", "errors"}
    text = SEED.read_text("utf-8")
    claim = line["claims"][0]
    assert set(claim) >= {"id", "speaker", "cue", "content", "kind", "reported_by"}
    assert set(claim["speaker"]) >= {"text", "start", "end", "actor"}
    for segment in claim["content"]:
        assert text[segment["start"]:segment["end"]] == segment["text"]


def test_cli_extract_bad_input_loses_nothing(tmp_path, runner):
    good = tmp_path / "good.txt"
    good.write_text("The envoy said that the talks had stalled.", encoding="utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02binary")
    (tmp_path / "latin1.txt").write_bytes("Le ministre a déclaré".encode("latin-1"))
    (tmp_path / "quotes.txt").write_text("He said “this never ends.\n\nThe envoy said that talks failed.",
                                         encoding="utf-8")
    (tmp_path / "lines.jsonl").write_text('{"id": "a", "text": "Officials said prices rose."}\n{broken\n',
                                          encoding="utf-8")
    result = runner.invoke(cli, ["extract", str(tmp_path), "-o", str(tmp_path / "out.jsonl")])
    assert result.exit_code == 1  # some records rejected
    lines = [json.loads(x) for x in (tmp_path / "out.jsonl").read_text().splitlines()]
    assert len(lines) == 7  # one line per input record, in input order
    by_source = {line["source"].rsplit("/", 1)[-1]: line for line in lines}
    assert by_source["binary.txt"]["errors"][0]["code"] == "CG102"
    assert by_source["empty.txt"]["errors"][0]["code"] == "CG101"
    assert by_source["latin1.txt"]["errors"][0]["code"] == "CG103"
    assert by_source["lines.jsonl:2"]["errors"][0]["code"] == "CG104" and by_source["lines.jsonl:2"]["id"] is None
    assert by_source["quotes.txt"]["errors"][0]["code"] == "CG201" and by_source["quotes.txt"]["claims"]
    assert by_source["good.txt"]["claims"] and by_source["lines.jsonl:1"]["claims"]
    assert "read 7, extracted 3, rejected 4" in result.stderr
    assert result.stderr.count("error: [CG") == 4
    assert f"warning: [CG201] {tmp_path / 'quotes.txt'}: unmatched" in result.stderr  # names its article


def test_cli_ingest_stdin_and_rejects_counted(tmp_path, runner):
    db = tmp_path / "cg.db"
    data = '{"id": "a", "text": "The envoy said that talks had stalled."}\nnot json\n'
    result = runner.invoke(cli, ["ingest", "-", "--db", str(db), "--outlet", "Wire"], input=data)
    assert "read 2, stored 1, unchanged 0, rejected 1" in result.stderr and result.exit_code == 1
    with open_store(db) as store:
        assert store.article("a").outlet == "Wire"
        assert [f["code"] for f in store.failures()] == ["CG104"]


def test_cli_backends_give_the_same_claims(tmp_path, postgres_url, runner):
    """`claimgraph claims --speaker Lavrov --search talks` on SQLite and on PostgreSQL: the same rows."""
    outputs = {}
    for db in (str(tmp_path / "cg.db"), postgres_url):
        assert runner.invoke(cli, ["ingest", str(ROOT / "examples"), "--db", db]).exit_code == 0
        queries = (["claims", "--speaker", "Lavrov", "--search", "talks", "--json"],
                   ["claims", "--json", "--limit", "0"],
                   ["claims", "--about", "United States", "--stance", "negative", "--csv"], ["events"], ["articles"])
        outputs[db] = [runner.invoke(cli, [*query, "--db", db]).stdout for query in queries]
    sqlite, postgresql = outputs.values()
    lavrov = json.loads(sqlite[0])
    assert lavrov and all(r["speaker"]["actor"]["name"] == "Sergei Lavrov" for r in lavrov)
    assert all("talks" in (" ".join(s["text"] for s in r["content"]) + r["speaker"]["text"]).lower() for r in lavrov)
    assert json.loads(postgresql[0]) == lavrov
    assert len(json.loads(sqlite[1])) >= 15
    assert postgresql == sqlite


def test_cli_password_not_echoed(postgres_url, runner):
    from urllib.parse import urlsplit

    result = runner.invoke(cli, ["migrate", "--db", postgres_url])
    assert result.exit_code == 0 and f"schema version {LATEST_SCHEMA}" in result.stderr
    password = urlsplit(postgres_url).password
    if password:  # the test server's URL carries one in CI
        assert f":{password}@" not in result.stderr and ":***@" in result.stderr


def test_cli_unreachable_postgres(runner):
    result = runner.invoke(cli, ["claims", "--db", "postgresql://me:pw@127.0.0.1:1/claims?connect_timeout=2"])
    assert result.exit_code == 1 and "CG305" in result.output and ":pw@" not in result.output


def test_cli_migrate_and_articles(tmp_path, runner, demo_db):
    db, _ = demo_db
    assert f"schema version {LATEST_SCHEMA}" in runner.invoke(cli, ["migrate", "--db", db]).stderr
    assert "demo-summit-preview" in runner.invoke(cli, ["articles", "--db", str(db)]).stdout
