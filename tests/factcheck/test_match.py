"""Matching claims to known claims: the ranking, the re-ranker in numpy, stored matches and dates."""
from __future__ import annotations

import numpy as np
import pytest

from claimgraph import ClaimQuery
from claimgraph.factcheck import MATCH_THRESHOLD, KnownClaim, import_known, match_stored
from claimgraph.factcheck.match import (
    FEATURES,
    Catalogue,
    Reranker,
    load_reranker,
    query_text,
    read_actors,
    read_places,
    tokenize,
)

from ..store.test_store import claim_for
from .conftest import KNOWN

pytest.importorskip("bm25s", reason="the factcheck extra (bm25s, PyStemmer) is not installed")


@pytest.fixture
def catalogue(embedder):
    return Catalogue([KnownClaim(**row) for row in KNOWN], embedder=embedder)


def test_match_tokenize_stems_and_drops_stop_words():
    assert tokenize(["The talks were blocked by the sanctions"]) == [["talk", "block", "sanction"]]


def test_match_actor_tokens_join_names_of_one_country():
    # "US" is also the stop word "us"; "Washington" and "the White House" stand for the same country
    [first, second] = tokenize(["US envoys stall the grain deal with Beijing",
                                "Washington and the White House stall the grain deal with China"], actors=True)
    assert "actor:usa" in first and "actor:chn" in first and "us" not in first
    assert {"actor:usa", "actor:chn"} <= set(second) and second.count("actor:usa") == 1
    assert "actor:usa" not in tokenize(["Tell us about the deal"], actors=True)[0]


def test_match_actor_tokens_stand_for_the_words_that_name_them():
    # "the United States" and "US", "Moscow and Kyiv" and "Russia and Ukraine": the same words to BM25
    [first, second] = tokenize(["The United States blocks talks between Moscow and Kyiv",
                                "US blocks talks between Russia and Ukraine"], actors=True)
    assert sorted(first) == sorted(second) == ["actor:rus", "actor:ukr", "actor:usa", "block", "talk"]
    plain, codes = read_actors("Putin’s envoy met the Apple board in Washington.")
    assert codes == ("RUS", "USA") and "Putin" not in plain and "Washington" not in plain
    assert "Apple" in plain  # a company is not its country: its name stays a word
    assert tokenize(["Tell us about the deal"], actors=True) == [["tell", "deal"]]


def test_match_places_are_named_as_their_countries():
    resolved, codes = read_places("Talks between Moscow and Kyiv stalled; the Kremlin’s envoy left for Paris.")
    assert resolved == "Talks between Russia and Ukraine stalled; Russia’s envoy left for France."
    assert codes == ("FRA", "RUS", "UKR")
    assert read_places("Apple said its sales rose.")[1] == ()  # companies are not their country
    assert query_text("See https://t.co/x1 now: Beijing agrees") == "See now: China agrees"


def test_match_ranks_the_repeated_claim_first(catalogue):
    found = catalogue.match(["Officials said the United States is sabotaging the peace negotiations with Russia",
                             "hot water cures flu, my aunt says"], top=3)
    assert [ranked[0].id for ranked in found] == ["k1", "k2"]
    assert all(len(ranked) == 3 for ranked in found)
    for ranked in found:
        scores = [m.score for m in ranked]
        assert scores == sorted(scores, reverse=True) and all(0 <= s <= 1 for s in scores)
    assert found[0][0].score >= MATCH_THRESHOLD > found[0][-1].score


def test_match_reranker_in_numpy_equals_scikit_learn():
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.linear_model import LogisticRegression

    rng = np.random.default_rng(7)
    x = rng.normal(size=(400, len(FEATURES)))
    x[rng.random(x.shape) < 0.05] = np.nan
    y = (np.nan_to_num(x[:, 0]) + np.nan_to_num(x[:, 3]) ** 2 > 0.5).astype(int)
    trees = HistGradientBoostingClassifier(max_iter=20, max_leaf_nodes=7, random_state=0).fit(x, y)
    import sys
    from pathlib import Path
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))
    from train_matching import export_trees

    exported = export_trees(trees) | {"kind": "trees", "version": "t", "features": list(FEATURES)}
    assert np.allclose(Reranker(exported).predict(x), trees.predict_proba(x)[:, 1], atol=1e-6)
    clean = np.nan_to_num(x)
    linear = LogisticRegression().fit(clean, y)
    exported = {"kind": "linear", "version": "t", "features": list(FEATURES), "mean": [0.0] * len(FEATURES),
                "scale": [1.0] * len(FEATURES), "coef": linear.coef_.ravel().tolist(),
                "intercept": float(linear.intercept_[0])}
    assert np.allclose(Reranker(exported).predict(clean), linear.predict_proba(clean)[:, 1], atol=1e-9)


def test_match_packaged_reranker_loads():
    reranker = load_reranker()
    assert reranker.version.startswith("claimgraph.factcheck.matching.v")


def test_match_stored_claims_keep_their_best_matches_and_dates(fresh_store, make_article, known_file, embedder):
    article = make_article("Lavrov said that the United States is sabotaging peace negotiations with Ukraine.",
                           published="2025-03-14")
    article.claims = [claim_for(article, content="the United States is sabotaging peace negotiations with Ukraine",
                                about="United States")]
    fresh_store.save(article, method="m1")
    assert match_stored(fresh_store, embedder=embedder) == 0  # no known claims: nothing to do
    import_known(known_file, store=fresh_store, embedder=embedder, collection="tests")
    assert match_stored(fresh_store, embedder=embedder) == 1
    [row] = fresh_store.claims(ClaimQuery(matched=True))
    best = row["matches"][0]
    assert (best["known_id"], best["collection"], best["verdict"], best["date"]) == ("k1", "tests", "false",
                                                                                     "2018-05-02")
    assert best["url"] == "https://example.org/k1" and best["later"] is False and best["score"] >= MATCH_THRESHOLD
    assert len(row["matches"]) == 3
    later = {m["known_id"]: m["later"] for m in row["matches"]}
    assert later.get("k3", True) is True  # dated 2030: after the article
    match_stored(fresh_store, embedder=embedder)  # again: replaced, not added
    assert len(fresh_store.claims()[0]["matches"]) == 3


def test_match_unmatched_claims_are_left_out_by_matched(fresh_store, make_article, known_file, embedder):
    article = make_article("The minister said that the harvest was early this year.")
    article.claims = [claim_for(article, content="the harvest was early this year", about="minister")]
    fresh_store.save(article, method="m1")
    import_known(known_file, store=fresh_store, embedder=embedder, collection="tests")
    match_stored(fresh_store, embedder=embedder)
    assert fresh_store.claims(ClaimQuery(matched=True)) == []
    assert len(fresh_store.claims()[0]["matches"]) == 3  # kept, with their low scores


def test_match_api_lists_matched_claims_by_worth(tmp_path, make_article, known_file, embedder):
    pytest.importorskip("fastapi", reason="the api extra (fastapi, uvicorn) is not installed")
    import dataclasses

    from fastapi.testclient import TestClient

    from claimgraph import open_store
    from claimgraph.api import create_app

    db = str(tmp_path / "cg.db")
    article = make_article("Officials said that wind turbines cause cancer in people living nearby. "
                           "They said the weather was fine.", published="2024-01-01")
    article.claims = [
        dataclasses.replace(claim_for(article, content="wind turbines cause cancer in people living nearby",
                                      about="Officials"), checkworthy=0.4),
        dataclasses.replace(claim_for(article, content="the weather was fine", about="Officials"), checkworthy=0.7)]
    with open_store(db) as store:
        store.save(article, method="m1")
        import_known(known_file, store=store, embedder=embedder, collection="tests")
        match_stored(store, embedder=embedder)
    client = TestClient(create_app(db))
    ranked = client.get("/api/claims", params={"sort": "checkworthy"}).json()["items"]
    assert [c["checkworthy"] for c in ranked] == [0.7, 0.4]
    [matched] = client.get("/api/claims", params={"matched": "true"}).json()["items"]
    assert matched["matches"][0]["known_id"] == "k4" and matched["matches"][0]["date"] == "2019-07-07"
    assert client.get("/api/claims", params={"sort": "loudest"}).status_code in (400, 422)
