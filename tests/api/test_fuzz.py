"""Property-based fuzzing of every route from the served OpenAPI schema (schemathesis): whatever
the parameters and bodies, the server answers without a server error (5xx)."""
from __future__ import annotations

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


def _app():
    """Built at import: schemathesis parametrises from the schema at collection time."""
    import tempfile

    from fastapi.testclient import TestClient

    folder = tempfile.mkdtemp(prefix="claimgraph-fuzz-")
    app = create_app(settings=Settings(db=f"{folder}/fuzz.db", token=TOKEN, max_body_bytes=200_000))
    with TestClient(app) as client:  # real data, so filters hit rows (the model loads on this first write)
        client.post("/api/articles", headers={"Authorization": f"Bearer {TOKEN}"},
                    json={"id": "seed", "text": SEED.read_text("utf-8"), "published": "2025-03-14"})
    return app


schema = schemathesis.openapi.from_asgi("/openapi.json", _app())


@schema.parametrize()
@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_server_errors(case):
    headers = {"Authorization": f"Bearer {TOKEN}"} if case.method == "POST" else None
    case.call_and_validate(headers=headers, checks=[not_a_server_error])
