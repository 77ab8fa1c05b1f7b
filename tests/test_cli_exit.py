"""The command line's defaults, progress and exit codes (issue 21): --workers defaults to the cores
available, long inputs show progress, exit codes 0 / 1 / 2 by the records stored, and every
warning names its article. None of these loads the spaCy model: the records are rejected, or the
work is stubbed."""
from __future__ import annotations

import io
import os
from collections import Counter

import pytest
from click.testing import CliRunner

import claimgraph.cli.options as options
import claimgraph.workers as workers
from claimgraph.cli import cli
from claimgraph.errors import Messages
from claimgraph.pipeline import load_pipeline
from claimgraph.records import Article, Failure


@pytest.fixture
def runner():
    return CliRunner()


@pytest.fixture
def empty(tmp_path):
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    return path


@pytest.fixture
def bar_on(monkeypatch):
    """Progress bars as on a terminal (CliRunner's stderr is not one)."""
    monkeypatch.setattr(options, "progress_wanted", lambda quiet: not quiet)


@pytest.fixture
def cores(monkeypatch):
    """No CLAIMGRAPH_WORKERS (tests/conftest.py sets it), and three cores available."""
    monkeypatch.delenv(options.WORKERS_ENV, raising=False)
    monkeypatch.setattr(workers, "available_cores", lambda: 3)


# -- --workers: the cores this process may use ----------------------------------------------------
def test_workers_available_cores_follows_affinity(monkeypatch):
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 2}, raising=False)
    assert workers.available_cores() == 2
    monkeypatch.delattr(os, "sched_getaffinity", raising=False)
    monkeypatch.setattr(os, "cpu_count", lambda: 8)
    assert workers.available_cores() == 8
    monkeypatch.setattr(os, "cpu_count", lambda: None)
    assert workers.available_cores() == 1


def test_cli_ingest_workers_default_and_alias(runner, empty, tmp_path, monkeypatch, cores):
    made = []

    def recording(*, n_process, model="fast"):
        assert model == "fast"  # the default mode
        made.append(n_process)
        return load_pipeline(n_process=1)

    monkeypatch.setattr("claimgraph.cli.articles.load_pipeline", recording)
    db = str(tmp_path / "cg.db")
    runner.invoke(cli, ["ingest", str(empty), "--db", db])
    runner.invoke(cli, ["ingest", str(empty), "--db", db, "--workers", "2"])
    runner.invoke(cli, ["ingest", str(empty), "--db", db], env={options.WORKERS_ENV: "1"})
    alias = runner.invoke(cli, ["ingest", str(empty), "--db", db, "--processes", "4"])
    assert made == [3, 2, 1, 4]
    assert "'processes' is deprecated" in alias.stderr and "--workers" in alias.stderr
    help_text = runner.invoke(cli, ["ingest", "--help"]).output
    assert "--workers" in help_text and "cores available" in help_text and "--processes" not in help_text
    assert runner.invoke(cli, ["ingest", str(empty), "--db", db, "--workers", "0"]).exit_code == 2


def test_cli_batch_workers_default_and_exit_code(runner, empty, tmp_path, monkeypatch, cores):
    seen = []

    def stub(inputs, *, store, options, warn):
        seen.append(options)
        return Counter(read=2, stored=1, rejected=1)

    monkeypatch.setattr("claimgraph.cli.batch.run_batch", stub)
    result = runner.invoke(cli, ["batch", str(empty), "--db", str(tmp_path / "cg.db")])
    assert result.exit_code == 1, result.output
    assert seen[0].workers == 3 and seen[0].progress is False  # CliRunner's stderr is not a terminal


# -- exit codes -------------------------------------------------------------------------------------
@pytest.mark.parametrize("read,rejected,none_read,code", [
    (3, 0, 2, 0), (3, 1, 2, 1), (3, 3, 2, 2), (0, 0, 2, 2), (0, 0, 0, 0), (1, 1, 0, 2),
])
def test_cli_exit_code_by_counts(read, rejected, none_read, code):
    assert options.exit_code(read, rejected, none_read=none_read) == code


@pytest.mark.parametrize("command", [["ingest", "--db", "{db}"], ["extract"]])
def test_cli_nothing_stored_exits_2(runner, empty, tmp_path, command):
    args = [part.format(db=tmp_path / "cg.db") for part in command]
    result = runner.invoke(cli, [args[0], str(empty), *args[1:]])
    assert result.exit_code == 2 and "CG101" in result.stderr


def test_cli_ingest_unfetchable_url_exits_2(runner, tmp_path):
    result = runner.invoke(cli, ["ingest", "--url", "http://127.0.0.1:9/none", "--db", str(tmp_path / "cg.db")])
    assert result.exit_code == 2 and "CG112" in result.stderr and "stored 0" in result.stderr


def test_cli_reprocess_nothing_stale_exits_0(runner, tmp_path):
    assert runner.invoke(cli, ["reprocess", "--db", str(tmp_path / "cg.db")]).exit_code == 0


def test_cli_narratives_classify_exit_codes_and_progress(runner, empty, tmp_path, bar_on):
    lines = tmp_path / "lines.jsonl"
    lines.write_text('{"id": "a", "text": "The minister said the sanctions had failed."}\n{broken\n',
                     encoding="utf-8")
    some = runner.invoke(cli, ["narratives", "classify", str(lines), "--backend", "tfidf"])
    assert some.exit_code == 1 and some.stdout.count("\n") == 1
    assert "1 labelled, 1 rejected" in some.stderr and "lines.jsonl:2" in some.stderr
    none = runner.invoke(cli, ["narratives", "classify", str(empty), "--backend", "tfidf", "--quiet"])
    assert none.exit_code == 2 and "labelled" not in none.stderr


# -- progress ---------------------------------------------------------------------------------------
def test_cli_progress_names_a_long_article(capsys, bar_on):
    article = Article(id="long-1", text="word " * 30_000, source="long.txt")
    with options.ArticleProgress("ingest", quiet=False) as progress:
        progress.reading(article)
        assert "long.txt (150,000 chars)" in capsys.readouterr().err  # shown before it is processed
        progress.report(article, "stored")
    assert "1 stored" in capsys.readouterr().err
    with options.ArticleProgress("ingest", quiet=True) as quiet:
        quiet.reading(article)
    assert quiet.bar is None and capsys.readouterr().err == ""


def test_cli_ingest_progress_bar(runner, empty, tmp_path, bar_on):
    shown = runner.invoke(cli, ["ingest", str(empty), "--db", str(tmp_path / "cg.db")])
    assert "0 stored, 0 unchanged, 1 rejected" in shown.stderr and "1 articles" in shown.stderr
    quiet = runner.invoke(cli, ["ingest", str(empty), "--db", str(tmp_path / "cg.db"), "--quiet"])
    assert "1 rejected" not in quiet.stderr and "rejected 1" in quiet.stderr


# -- warnings name their article --------------------------------------------------------------------
def test_cli_report_errors_names_the_article(capsys):
    unmatched = Messages.CG201.format(mark="“", position=3)
    empty = Messages.CG101.format(source="a.txt")
    article = Article(id="abc", text="He said “no.", source="news/a.txt", failures=[
        Failure(step="quotes", code="CG201", level="warning", message=unmatched),
        Failure(step="ingest", code="CG101", message=empty, source="a.txt"),
        Failure(step="parse", code="CG402", message="no code here")])
    options.report_errors(article)
    warning, error, plain = capsys.readouterr().err.splitlines()
    assert warning == f"warning: [CG201] news/a.txt: {unmatched.removeprefix('[CG201] ')}"
    assert error == f"error: {empty}"  # names its source already
    assert plain == "error: news/a.txt: no code here"
    options.report_errors(Article(id="abc", text="x", failures=[Failure(step="s", code="CG201", message="[CG201] m")]))
    assert capsys.readouterr().err == "error: [CG201] abc: m\n"


def test_cli_report_warning_above_the_bar(capsys, bar_on):
    with options.ArticleProgress("ingest", quiet=False) as progress:
        progress.warn("stale claims")
    assert "warning: stale claims\n" in capsys.readouterr().err
    options.report_warning("plain", bar=None)
    assert capsys.readouterr().err == "warning: plain\n"


def test_cli_progress_bar_off_without_a_terminal(monkeypatch):
    monkeypatch.setattr("sys.stderr", io.StringIO())
    assert options.progress_wanted(False) is False and options.progress_wanted(True) is False
