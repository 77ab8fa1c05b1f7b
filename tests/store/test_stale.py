"""The store's side of stale claims (``articles --stale``, ``reprocess``) on both backends: articles
by method, reading stored articles back, and replacing an article's claims in place."""
from __future__ import annotations

from claimgraph import Failure

from .test_store import claim_for

OLD = "claimgraph.extract.selector.v1@0.0.9+aaaaaaaaaa"
NEW = "claimgraph.extract.selector.v1@0.1.0+bbbbbbbbbb"


def _stored(store, make_article, n: int, method: str = OLD, first: int = 0) -> list:
    articles = []
    for i in range(first, first + n):
        article = make_article(f"Lavrov said that the talks had stalled because of Kyiv, report {i}.",
                               outlet=f"Outlet {i}", meta={"steps": [method], "feed": "wire"})
        article.claims = [claim_for(article)]
        assert store.save(article, method=method) == "stored"
        articles.append(article)
    return articles


def test_stale_article_methods_and_order(fresh_store, make_article):
    old = _stored(fresh_store, make_article, 3)
    new = _stored(fresh_store, make_article, 1, method=NEW, first=3)
    fresh_store.save(make_article("Nobody said anything at all today."), method="")
    assert fresh_store.article_methods() == {"": 1, OLD: 3, NEW: 1}
    rows = fresh_store.articles_by_method([OLD])
    assert [row["id"] for row in rows] == [a.id for a in old]  # in order of arrival
    assert all(row["method"] == OLD and row["claims"] == 1 for row in rows)
    page = fresh_store.articles_by_method([OLD, NEW], limit=2, offset=2)
    assert [row["id"] for row in page] == [old[2].id, new[0].id]
    assert fresh_store.article_ids_by_method([OLD]) == [a.id for a in old]
    assert fresh_store.articles_by_method([]) == [] and fresh_store.article_ids_by_method([]) == []


def test_stale_stored_articles_read_back(fresh_store, make_article):
    first, second = _stored(fresh_store, make_article, 2)
    loaded = fresh_store.stored_articles([second.id, "missing", first.id])
    assert [a.id for a in loaded] == [second.id, first.id]
    assert loaded[0].text == second.text and loaded[0].outlet == second.outlet
    assert loaded[0].meta == {"steps": [OLD], "feed": "wire"} and loaded[0].claims == []
    assert loaded[0].content_hash == second.content_hash


def test_stale_save_reprocessed_replaces_claims_in_place(fresh_store, make_article):
    articles = _stored(fresh_store, make_article, 3)
    middle = articles[1]
    fresh_store.save_article_narratives(middle.id, taxonomy="default", narratives=["URW: Blaming the war on others"],
                                        subnarratives=[], scores={}, method="claimgraph.narratives.classify.v1")
    before = fresh_store._query_one("SELECT ingested_at FROM articles WHERE id = ?", (middle.id,))
    run_id, _ = fresh_store.start_batch_run("reprocess-test", {}, command="reprocess")
    [again] = fresh_store.stored_articles([middle.id])
    again.meta["steps"] = [NEW]
    again.claims = [claim_for(again, content="because of Kyiv"), claim_for(again, content="the talks had stalled")]
    assert fresh_store.save_reprocessed([again], run_id=run_id, method=NEW, seen=[middle.id]) == ["stored"]

    assert [row["id"] for row in fresh_store.articles(limit=None)] == [a.id for a in articles]  # its place kept
    assert fresh_store._query_one("SELECT ingested_at FROM articles WHERE id = ?", (middle.id,)) == before
    assert fresh_store.article_methods() == {OLD: 2, NEW: 1}
    claims = fresh_store.article(middle.id).claims
    assert sorted(c.content_text for c in claims) == ["because of Kyiv", "the talks had stalled"]
    assert len(fresh_store.events()) == 4  # the old claim's event went with it; each new claim has one
    assert fresh_store.article_narratives(middle.id) == []  # made from the old claims
    assert fresh_store.article(middle.id).meta["steps"] == [NEW]
    assert fresh_store.seen_in_job([a.id for a in articles], [run_id]) == {middle.id}
    assert fresh_store.counts()["claims"] == 4


def test_stale_save_reprocessed_rejected_and_changed(fresh_store, make_article):
    failed, changed = _stored(fresh_store, make_article, 2)
    run_id, _ = fresh_store.start_batch_run("reprocess-test", {}, command="reprocess")
    [failed_again, changed_again] = fresh_store.stored_articles([failed.id, changed.id])
    failed_again.failures.append(Failure(step="extract", code="CG402", message="[CG402] boom", source="test:1"))
    changed_again.claims = []
    # meanwhile the second article is ingested again with a new text
    changed.text = changed.text.replace("stalled", "collapsed")
    changed.claims = [claim_for(changed, content="the talks had collapsed")]
    assert fresh_store.save(changed, method=OLD) == "stored"

    outcomes = fresh_store.save_reprocessed([failed_again, changed_again], run_id=run_id, method=NEW,
                                            seen=[failed.id, changed.id])
    assert outcomes == ["rejected", "changed"]
    assert fresh_store.article_methods() == {OLD: 2}  # both still stale, their claims as they were
    assert [c.content_text for c in fresh_store.article(failed.id).claims] == ["the talks had stalled"]
    assert [c.content_text for c in fresh_store.article(changed.id).claims] == ["the talks had collapsed"]
    assert [f["code"] for f in fresh_store.failures()] == ["CG402"]
    assert fresh_store.run_counts(run_id)["command"] == "reprocess"
