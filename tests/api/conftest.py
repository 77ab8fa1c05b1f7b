"""An API app over a temporary database, its pipeline shared with the rest of the session."""
from __future__ import annotations

import pytest

pytest.importorskip("fastapi", reason="the api extra (fastapi, uvicorn) is not installed")

from fastapi.testclient import TestClient

from claimgraph.api import Settings, create_app

TOKEN = "test-token-0123456789"


@pytest.fixture(scope="session")
def classifier():
    """The taxonomy classifier, its prototypes embedded once for the session."""
    return Settings().classifier()


@pytest.fixture
def make_client(db_target, pipeline, classifier):
    def make(*, token: str | None = TOKEN, **settings) -> TestClient:
        config = Settings(db=db_target, token=token, **settings)
        config._pipeline = pipeline  # the session's pipeline: the model loads once for all tests
        config._classifier = classifier
        return TestClient(create_app(settings=config), raise_server_exceptions=False)
    return make


@pytest.fixture
def client(make_client):
    return make_client()


@pytest.fixture
def auth():
    return {"Authorization": f"Bearer {TOKEN}"}
