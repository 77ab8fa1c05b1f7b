"""The speaker's ``anonymous`` flag (issue 17): stored, read back, and filtered on by the store, the
CLI's ``claims --anonymous`` and ``GET /api/claims?anonymous=true``."""
from __future__ import annotations

import dataclasses
import json

import pytest
from click.testing import CliRunner

from claimgraph import ClaimQuery, open_store
from claimgraph.cli import cli
from claimgraph.records import Claim, Mention

from .test_store import claim_for

TEXT = "Officials said that the talks had stalled because of Kyiv, TASS reported. Lavrov said the same."


@pytest.fixture
def two_claims(db_target, make_article):
    article = make_article(TEXT, outlet="Daily", published="2025-03-14")
    named = claim_for(article, content="the same")
    unnamed = claim_for(article)
    unnamed = dataclasses.replace(unnamed, speaker=Mention(text="Officials", start=0, end=9, anonymous=True))
    article.claims = [unnamed, named]
    with open_store(db_target) as store:
        store.save(article, method="m1")
    return db_target, unnamed, named


def test_mention_anonymous_round_trips_and_is_left_out_when_false():
    mention = Mention(text="a source", start=0, end=8, anonymous=True)
    assert Mention.from_dict(mention.to_dict()) == mention
    assert "anonymous" not in Mention(text="Lavrov", start=0, end=6).to_dict()


def test_store_filters_on_anonymous(two_claims):
    target, unnamed, named = two_claims
    with open_store(target) as store:
        assert [c["id"] for c in store.claims(ClaimQuery(anonymous=True))] == [unnamed.id]
        assert [c["id"] for c in store.claims(ClaimQuery(anonymous=False))] == [named.id]
        assert len(store.claims(ClaimQuery())) == 2
        [row] = store.claims(anonymous=True)
        assert Claim.from_dict(row).speaker.anonymous
        assert ClaimQuery(anonymous=False).filters() == {"anonymous": False}


def test_cli_claims_anonymous(two_claims):
    target, unnamed, named = two_claims
    result = CliRunner().invoke(cli, ["claims", "--db", target, "--anonymous", "--json"])
    assert result.exit_code == 0, result.output
    assert [c["id"] for c in json.loads(result.output)] == [unnamed.id]
    result = CliRunner().invoke(cli, ["claims", "--db", target, "--named", "--json"])
    assert [c["id"] for c in json.loads(result.output)] == [named.id]


def test_api_claims_anonymous(two_claims):
    pytest.importorskip("fastapi", reason="the api extra (fastapi, uvicorn) is not installed")
    from fastapi.testclient import TestClient

    from claimgraph.api import create_app

    target, unnamed, named = two_claims
    client = TestClient(create_app(target))
    items = client.get("/api/claims", params={"anonymous": "true"}).json()["items"]
    assert [c["id"] for c in items] == [unnamed.id] and items[0]["speaker"]["anonymous"] is True
    assert [c["id"] for c in client.get("/api/claims?anonymous=false").json()["items"]] == [named.id]
