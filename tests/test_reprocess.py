"""Stale claims: listing them, the warning ingest gives once, and ``reprocess`` (resumable), through
the Python API with a pipeline that needs no spaCy, then through the command line with the real one."""
from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

import pytest
from click.testing import CliRunner

from claimgraph import Article, Claim, Failure, TextSpan, open_store
from claimgraph.cli import cli
from claimgraph.errors import ConfigError
from claimgraph.extract import extract_method
from claimgraph.pipeline import Pipeline
from claimgraph.records import stable_id
from claimgraph.reprocess import reprocess, stale_articles, stale_methods, stale_warning
from claimgraph.run import ingest_articles

from .conftest import ROOT

OLD = "claimgraph.extract.selector.v1@0.0.9+aaaaaaaaaa"
MIDDLE = "claimgraph.extract.selector.v1@0.1.0+bbbbbbbbbb"
NEW = "claimgraph.extract.selector.v1@0.2.0+cccccccccc"
UNVERSIONED = "claimgraph.extract.selector.v1"  # as stored before versions were recorded


class Killed(Exception):
    """The process dies here (a crash, SIGKILL): nothing after it runs."""


def _no_step(article: Article, spacy_doc: object) -> None:
    raise AssertionError("FakePipeline.pipe runs no step")


@dataclass
class FakePipeline(Pipeline):
    """Extraction without spaCy, by ``steps``' one name: each article gets one claim; an article whose
    text holds FAIL fails (CG402) unless ``fail`` is off; reaching the article ``crash_at`` kills the run."""

    crash_at: str | None = None
    fail: bool = True
    seen: list[str] = field(default_factory=list)

    def pipe(self, articles: Iterable[Article]) -> Iterator[Article]:
        for article in articles:
            if article.id == self.crash_at:
                raise Killed(article.id)
            self.seen.append(article.id)
            if self.fail and "FAIL" in article.text:
                article.failures.append(Failure(step=self.method, code="CG402", source=article.source,
                                                message=f"[CG402] Step {self.method!r} failed on this article"))
            else:
                article.claims = [Claim(id=stable_id(article.id, self.method), article_id=article.id, speaker=None,
                                        cue=None, content=(TextSpan(article.text[:12], 0, 12),), kind="direct",
                                        method=f"{self.method}#fake")]
            article.meta.setdefault("steps", list(self.steps))
            yield article


def fake(method: str = NEW, **options: object) -> FakePipeline:
    return FakePipeline(steps={method: _no_step}, **options)  # type: ignore[arg-type]


def _store_made_by(store, method: str, texts: list[str]) -> list[str]:
    """Store one article per text, made by a pipeline of ``method``; return their ids."""
    articles = [Article(id=stable_id(text), text=text, source=f"test:{n}") for n, text in enumerate(texts)]
    counts = ingest_articles(articles, store=store, pipeline=fake(method, fail=False),
                             warn=lambda message: None)
    assert counts["stored"] == len(texts)
    return [a.id for a in articles]


def _texts(label: str, n: int) -> list[str]:
    return [f"{label} article number {i}: the minister said the talks had stalled." for i in range(n)]


def test_reprocess_extracts_only_the_stale_articles(fresh_store):
    old = _store_made_by(fresh_store, OLD, _texts("old", 3))
    current = _store_made_by(fresh_store, NEW, _texts("new", 1))
    assert stale_methods(fresh_store, current=NEW) == {OLD: 3}
    assert [row["id"] for row in stale_articles(fresh_store, current=NEW)] == old

    pipeline = fake()
    counts = reprocess(fresh_store, pipeline=pipeline, chunk=2)
    assert pipeline.seen == old  # the current article is left alone
    assert (counts["stale"], counts["read"], counts["stored"], counts["claims"]) == (3, 3, 3, 3)
    assert fresh_store.article_methods() == {NEW: 4}
    assert [row["id"] for row in fresh_store.articles(limit=None)] == old + current  # their places kept
    for article_id in old:
        article = fresh_store.article(article_id)
        assert [claim.method for claim in article.claims] == [f"{NEW}#fake"] and article.meta["steps"] == [NEW]
    [run] = fresh_store._query("SELECT * FROM runs WHERE command = 'reprocess'")
    assert run["finished_at"] and run["stored"] == 3 and json.loads(run["config"])["steps"] == [NEW]

    again = fake()
    assert reprocess(fresh_store, pipeline=again)["stale"] == 0 and again.seen == []
    assert len(fresh_store._query("SELECT id FROM runs WHERE command = 'reprocess'")) == 1  # nothing to do: no run


def test_reprocess_killed_then_run_again_does_only_the_rest(fresh_store):
    texts = _texts("old", 6)
    texts[1] = "FAIL " + texts[1]
    ids = _store_made_by(fresh_store, OLD, texts)

    with pytest.raises(Killed):  # dies on the 5th article: the chunks [0, 1] and [2, 3] were committed
        reprocess(fresh_store, pipeline=fake(crash_at=ids[4]), chunk=2)
    assert stale_methods(fresh_store, current=NEW) == {OLD: 3}  # ids[1] failed, ids[4:] not reached

    rerun = fake()
    counts = reprocess(fresh_store, pipeline=rerun, chunk=2)
    assert rerun.seen == ids[4:]  # the failed one was accounted for by the killed run of the same job
    assert (counts["stale"], counts["skipped"], counts["stored"], counts["rejected"]) == (3, 1, 2, 0)
    assert [row["id"] for row in stale_articles(fresh_store, current=NEW)] == [ids[1]]

    # the job finished: a new run tries the failed article again
    retry = fake()
    counts = reprocess(fresh_store, pipeline=retry)
    assert retry.seen == [ids[1]] and counts["rejected"] == 1
    assert fresh_store._scalar("SELECT count(*) AS n FROM batch_seen") == 0  # finished runs keep no marks


def test_reprocess_since_a_version(fresh_store):
    too_old = _store_made_by(fresh_store, OLD, _texts("old", 2))
    recent = _store_made_by(fresh_store, MIDDLE, _texts("middle", 1))
    _store_made_by(fresh_store, UNVERSIONED, _texts("unversioned", 1))
    assert stale_methods(fresh_store, current=NEW) == {OLD: 2, MIDDLE: 1, UNVERSIONED: 1}
    assert stale_methods(fresh_store, current=NEW, since="0.1.0") == {MIDDLE: 1}
    assert stale_methods(fresh_store, current=NEW, since="0.0.1") == {OLD: 2, MIDDLE: 1}
    assert [row["id"] for row in stale_articles(fresh_store, current=NEW, since=MIDDLE)] == recent

    pipeline = fake()
    assert reprocess(fresh_store, pipeline=pipeline, since="0.1.0")["stored"] == 1 and pipeline.seen == recent
    assert stale_methods(fresh_store, current=NEW) == {OLD: 2, UNVERSIONED: 1}
    assert [row["id"] for row in stale_articles(fresh_store, current=NEW, limit=1)] == too_old[:1]
    with pytest.raises(ConfigError, match="CG406"):
        reprocess(fresh_store, pipeline=fake(), since="newest")


def test_reprocess_ingest_warns_once_about_stale_claims(fresh_store, caplog):
    _store_made_by(fresh_store, OLD, _texts("old", 2))
    _store_made_by(fresh_store, UNVERSIONED, _texts("unversioned", 1))
    messages: list[str] = []
    new = [Article(id=stable_id(text), text=text) for text in _texts("new", 3)]
    assert ingest_articles(new, store=fresh_store, pipeline=fake(), warn=messages.append)["stored"] == 3
    [message] = messages  # once for the run, not once per article
    assert message.startswith("[CG203] 3 articles in ") and "run `claimgraph reprocess`" in message
    assert f"({OLD}, {UNVERSIONED})" in message and NEW in message
    assert stale_warning(fresh_store, current=NEW) == message

    # by default, through the claimgraph logger
    more = [Article(id=stable_id(text), text=text) for text in _texts("more", 1)]
    with caplog.at_level(logging.WARNING, logger="claimgraph"):
        ingest_articles(more, store=fresh_store, pipeline=fake())
    assert [record.getMessage() for record in caplog.records if record.name == "claimgraph"] == [message]

    messages.clear()
    reprocess(fresh_store, pipeline=fake())
    ingest_articles(more, store=fresh_store, pipeline=fake(), warn=messages.append)
    assert messages == [] and stale_warning(fresh_store, current=NEW) is None


def test_reprocess_cli_refuses_a_since_that_names_no_version(tmp_path):
    result = CliRunner().invoke(cli, ["reprocess", "--db", str(tmp_path / "x.db"), "--since", "latest"])
    assert result.exit_code == 1 and "CG406" in result.output


# -- the command line, with the real pipeline --------------------------------------------------------
@pytest.mark.slow
def test_reprocess_cli_articles_stale_ingest_warning_and_reprocess(db_target):
    runner = CliRunner()
    result = runner.invoke(cli, ["ingest", str(ROOT / "examples"), "--db", db_target])
    assert result.exit_code == 0 and "CG203" not in result.stderr
    seed = stable_id((ROOT / "examples" / "seed-article.txt").read_text("utf-8"))
    with open_store(db_target) as store:
        others = [row["id"] for row in store.articles(limit=None) if row["id"] != seed]
        before = {article_id: store.article(article_id).to_dict() for article_id in others}
        with store._transaction():  # as an upgrade leaves them: made by an older model
            for article_id in others:
                store._execute("UPDATE articles SET method = ? WHERE id = ?", (UNVERSIONED, article_id))
    assert len(others) == 2 and all(article["claims"] for article in before.values())
    assert {claim["method"].partition("#")[0] for article in before.values() for claim in article["claims"]} == {
        extract_method()}  # the claims carry the versioned method

    listed = runner.invoke(cli, ["articles", "--stale", "--db", db_target])
    assert listed.exit_code == 0 and "2 stale articles" in listed.stderr
    assert sorted(line.split()[0] for line in listed.stdout.splitlines()) == sorted(others)
    assert all(UNVERSIONED in line for line in listed.stdout.splitlines())

    again = runner.invoke(cli, ["ingest", str(ROOT / "examples" / "seed-article.txt"), "--db", db_target])
    assert again.exit_code == 0 and again.stderr.count("CG203") == 1
    assert "warning: [CG203] 2 articles" in again.stderr and "unchanged 1" in again.stderr

    done = runner.invoke(cli, ["reprocess", "--db", db_target])
    assert done.exit_code == 0 and "stale 2: stored 2, rejected 0" in done.stderr
    assert runner.invoke(cli, ["articles", "--stale", "--db", db_target]).stdout == ""
    with open_store(db_target) as store:
        # the same model made them again: the same claims, with the current method
        assert {article_id: store.article(article_id).to_dict() for article_id in others} == before
    assert "CG203" not in runner.invoke(cli, ["ingest", str(ROOT / "examples"), "--db", db_target]).stderr


@pytest.mark.slow
def test_reprocess_batch_warns_once(tmp_path):
    from claimgraph.batch import BatchOptions, run_batch

    corpus = tmp_path / "corpus.jsonl"
    lines = [json.dumps({"id": f"a{i}", "text": text}) for i, text in enumerate(_texts("batch", 3))]
    corpus.write_text("\n".join(lines) + "\n", "utf-8")
    with open_store(tmp_path / "cg.db") as store:
        _store_made_by(store, OLD, _texts("old", 2))
        messages: list[str] = []
        counts = run_batch([str(corpus)], store=store, options=BatchOptions(progress=False, dedup=False),
                           warn=messages.append)
        assert counts["stored"] == 3
        [message] = messages
        assert message.startswith("[CG203] 2 articles") and OLD in message
