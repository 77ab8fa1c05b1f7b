"""ClaimQuery: its checks, and the one set of claim filters that the store, the CLI's ``claims``
command and ``GET /api/claims`` share."""
from __future__ import annotations

import dataclasses
import json

import click
import pytest
from click.testing import CliRunner

from claimgraph import ClaimQuery, ConfigError, open_store
from claimgraph.cli import cli

from .test_store import claim_for

# options of `claimgraph claims` that shape the output or pick the database, not the claims
OUTPUT_OPTIONS = {"json", "nl", "csv", "parquet", "output", "by_story", "db"}


@pytest.fixture
def dated_store(db_target, make_article):
    """A database (SQLite file or PostgreSQL schema) with one claim, in an article of 2025-03-14."""
    article = make_article("Lavrov said that the talks had stalled because of Kyiv, TASS reported.",
                           outlet="Daily", published="2025-03-14")
    article.claims = [claim_for(article)]
    with open_store(db_target) as store:
        store.save(article, method="m1")
    return db_target


@pytest.fixture
def stored(fresh_store, make_article):
    article = make_article("Lavrov said that the talks had stalled because of Kyiv, TASS reported.",
                           published="2025-03-14")
    article.claims = [claim_for(article)]
    fresh_store.save(article, method="m1")
    return fresh_store, article


def test_query_fields_are_the_cli_options_and_the_api_parameters(tmp_path):
    pytest.importorskip("fastapi", reason="the api extra (fastapi, uvicorn) is not installed")
    from claimgraph.api import create_app

    fields = {field.name for field in dataclasses.fields(ClaimQuery)}
    command = cli.commands["claims"]
    options = {max(param.opts, key=len).lstrip("-").replace("-", "_")
               for param in command.params if isinstance(param, click.Option)}
    operation = create_app(str(tmp_path / "cg.db")).openapi()["paths"]["/api/claims"]["get"]
    parameters = {parameter["name"] for parameter in operation["parameters"] if parameter["in"] == "query"}
    assert options - OUTPUT_OPTIONS == fields
    assert parameters == fields


@pytest.mark.parametrize("value", ["2025-03-14", "2025-03-14T09:30", "2025-03-14T09:30:00+01:00",
                                   "2025-03-14T09:30:00Z", "2025-03-14 09:30"])
def test_query_takes_iso_dates(value):
    assert ClaimQuery(since=value, until=value).since == value


@pytest.mark.parametrize(("fields", "code"), [
    ({"since": "2025-13-01"}, "CG308"), ({"until": "yesterday"}, "CG308"), ({"since": "20250314"}, "CG308"),
    ({"until": "2025-03-14Tnoon"}, "CG308"), ({"stance": "angry"}, "CG309"),
    ({"limit": 0}, "CG405"), ({"offset": -1}, "CG310"),
])
def test_query_refuses_bad_values_with_a_coded_message(fields, code):
    with pytest.raises(ConfigError, match=rf"^\[{code}\] "):
        ClaimQuery(**fields)


def test_query_filters_leave_paging_out():
    assert ClaimQuery().filters() == {}
    assert ClaimQuery(speaker="Lavrov", since="2025-03-14", limit=5, offset=10).filters() == {
        "speaker": "Lavrov", "since": "2025-03-14"}


def test_store_claims_takes_a_query_or_its_fields(stored):
    store, article = stored
    query = ClaimQuery(event="accuse", since="2025-01-01", article=article.id)
    assert store.claims(query) == store.claims(event="accuse", since="2025-01-01", article=article.id)
    assert len(store.claims(query)) == 1
    assert store.claims(ClaimQuery(article="no-such-article")) == []
    with pytest.raises(TypeError):
        store.claims(query, speaker="Lavrov")


@pytest.mark.parametrize(("options", "expected"), [
    ([], 1), (["--event", "ACCUSE"], 1), (["--event", "THREATEN"], 0),
    (["--since", "2025-03-14", "--until", "2025-03-14"], 1), (["--until", "2025-03-13"], 0),
    (["--since", "2025-03-15"], 0), (["--narrative", "no-such-narrative"], 0), (["--offset", "1"], 0),
])
def test_cli_claims_takes_every_filter(dated_store, options, expected):
    result = CliRunner().invoke(cli, ["claims", "--json", "--db", dated_store, *options])
    assert result.exit_code == 0, result.output
    assert len(json.loads(result.stdout)) == expected


def test_cli_claims_bad_date_is_a_coded_error(dated_store):
    result = CliRunner().invoke(cli, ["claims", "--since", "2025-13-01", "--db", dated_store])
    assert result.exit_code == 1 and "[CG308] since '2025-13-01' is not an ISO date" in result.stderr


def test_api_claims_bad_date_is_a_coded_error(tmp_path):
    pytest.importorskip("fastapi", reason="the api extra (fastapi, uvicorn) is not installed")
    from fastapi.testclient import TestClient

    from claimgraph.api import create_app

    client = TestClient(create_app(str(tmp_path / "cg.db")), raise_server_exceptions=False)
    for route in ("/api/claims", "/api/events"):
        response = client.get(route, params={"until": "2025-02-30"})
        assert response.status_code == 400 and response.json()["error"]["code"] == "CG308"
    assert client.get("/api/claims", params={"since": "2025-03-14T09:30"}).status_code == 200
