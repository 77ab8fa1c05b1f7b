"""Property-based fuzzing of every route from the served OpenAPI schema (schemathesis): whatever
the parameters and bodies, the server answers without a server error (5xx)."""
from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest

schemathesis = pytest.importorskip("schemathesis", reason="schemathesis is a dev dependency")
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from claimgraph.api import Settings, create_app

from ..conftest import SEED
from .conftest import TOKEN

pytestmark = pytest.mark.slow


@schemathesis.serializer("application/x-ndjson")
def _json_lines(ctx, value):
    """JSON lines are a string in the schema: send it as it was generated (any bytes, really)."""
    return value.encode("utf-8", "surrogatepass") if isinstance(value, str) else str(value).encode()


def _empty_app():
    """The app over an empty temporary store. Built at import, since schemathesis parametrises from
    the served schema when tests are collected, but cheap: no model loads until the first write,
    which the ``seeded`` fixture makes when the test runs. (``schemathesis.pytest.from_fixture``,
    which would defer the whole app, fails on this pytest: its nodes have no ``_nodeid``.)"""
    folder = tempfile.mkdtemp(prefix="claimgraph-fuzz-")
    return create_app(settings=Settings(db=f"{folder}/fuzz.db", token=TOKEN, max_body_bytes=200_000))


APP = _empty_app()
schema = schemathesis.openapi.from_asgi("/openapi.json", APP)


@pytest.fixture(scope="module", autouse=True)
def seeded(pipeline, classifier):
    """Real data in the store, so filters hit rows; the session's models, so they load once."""
    from fastapi.testclient import TestClient

    app_settings = APP.state.settings
    app_settings._pipeline, app_settings._classifier = pipeline, classifier
    with TestClient(APP) as client:
        response = client.post("/api/articles", headers={"Authorization": f"Bearer {TOKEN}"},
                               json={"id": "seed", "text": SEED.read_text("utf-8"), "published": "2025-03-14"})
    assert response.status_code == 200, response.text
    yield
    shutil.rmtree(Path(app_settings.db).parent, ignore_errors=True)


@schema.parametrize()
@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_server_errors(case):
    headers = {"Authorization": f"Bearer {TOKEN}"} if case.method == "POST" else None
    case.call_and_validate(headers=headers, checks=[not_a_server_error])
