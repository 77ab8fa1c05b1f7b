"""Shared fixtures: a fresh store on each backend, an article builder, the (slow) pipeline, eval paths.

Store fixtures run every test on SQLite and on PostgreSQL. PostgreSQL needs a server: set
``CLAIMGRAPH_TEST_POSTGRES`` to a database URL the tests may create schemas in (``.ci/run`` does);
without it those cases skip, unless ``CLAIMGRAPH_REQUIRE_POSTGRES=1`` makes them fail.
"""
from __future__ import annotations

import os
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest

os.environ.setdefault("OMP_NUM_THREADS", "1")
# `ingest` and `batch` default to one worker per core: tests (and the commands they start) use one
# unless they ask for more (tests/test_cli_exit.py checks the default itself)
os.environ.setdefault("CLAIMGRAPH_WORKERS", "1")

from claimgraph import Article, article_from_text, load_pipeline, open_store

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "examples" / "seed-article.txt"
LATEST_SCHEMA = max(int(path.name[:4])
                    for path in (ROOT / "src" / "claimgraph" / "store" / "migrations" / "sqlite").glob("[0-9]*.sql"))
SHARED_EVAL = ROOT.parent / "shared" / "eval"


POSTGRES_ENV = "CLAIMGRAPH_TEST_POSTGRES"
REQUIRE_POSTGRES_ENV = "CLAIMGRAPH_REQUIRE_POSTGRES"
BACKENDS = ["sqlite", "postgresql"]


@pytest.fixture(scope="session")
def postgres_dsn() -> str:
    """The test server's URL; skips (or fails, when PostgreSQL is required) if there is none."""
    dsn = os.environ.get(POSTGRES_ENV)
    required = os.environ.get(REQUIRE_POSTGRES_ENV) == "1"
    if not dsn:
        reason = (f"{POSTGRES_ENV} is not set: no PostgreSQL server to test against "
                  "(.ci/run starts one and sets it, e.g. postgresql://claimgraph:claimgraph@localhost/claimgraph_test)")
        if required:
            pytest.fail(f"{REQUIRE_POSTGRES_ENV}=1 but {reason}")
        pytest.skip(reason)
    try:
        import psycopg
    except ImportError:
        message = "psycopg is not installed (pip install -e '.[dev]')"
        if required:
            pytest.fail(message)
        pytest.skip(message)
    with psycopg.connect(dsn, connect_timeout=10):  # unreachable with the variable set: an error, not a skip
        pass
    return dsn


def with_schema(dsn: str, schema: str) -> str:
    """``dsn`` whose connections use ``schema`` (created beforehand) for every table."""
    return dsn + ("&" if "?" in dsn else "?") + "options=" + quote(f"-csearch_path={schema}", safe="")


@pytest.fixture
def postgres_url(postgres_dsn):
    """A URL onto a new empty schema of the test database, dropped after the test."""
    import psycopg
    from psycopg import sql

    schema = f"cg_test_{uuid.uuid4().hex[:16]}"
    with psycopg.connect(postgres_dsn, autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(schema)))
    try:
        yield with_schema(postgres_dsn, schema)
    finally:
        with psycopg.connect(postgres_dsn, autocommit=True) as admin:
            admin.execute(sql.SQL("DROP SCHEMA {} CASCADE").format(sql.Identifier(schema)))


@pytest.fixture(params=BACKENDS)
def db_target(request, tmp_path) -> str:
    """An empty database that several processes can open: a SQLite file, or a PostgreSQL URL."""
    if request.param == "sqlite":
        return str(tmp_path / "cg.db")
    return request.getfixturevalue("postgres_url")


@pytest.fixture(params=BACKENDS)
def fresh_store(request):
    """An empty, migrated store: in-memory SQLite, or a new PostgreSQL schema."""
    target = ":memory:" if request.param == "sqlite" else request.getfixturevalue("postgres_url")
    store = open_store(target)
    yield store
    store.close()


@pytest.fixture
def make_article():
    def make(text: str = "Lavrov said that talks had stalled.", **fields) -> Article:
        return article_from_text(text, **fields)
    return make


@pytest.fixture(scope="session")
def pipeline():
    return load_pipeline()


@pytest.fixture(params=["fast", "accurate"])
def mode_pipeline(request):
    """The pipeline of each extraction mode: a test that takes it runs in both."""
    return request.getfixturevalue("pipeline" if request.param == "fast" else "accurate_pipeline")


@pytest.fixture(scope="session")
def accurate_pipeline():
    """The accurate mode's pipeline (issue 18); skips where no encoder is packaged."""
    from claimgraph.extract.encoded import encoder_available

    if not encoder_available():
        pytest.skip("no accurate-mode encoder packaged "
                    "(scripts/train_attribution_encoder.py export --out src/claimgraph/data/attribution_encoder)")
    return load_pipeline(model="accurate")


@pytest.fixture(scope="session")
def seed_article(pipeline) -> Article:
    return pipeline(article_from_text(SEED.read_text("utf-8"), source=str(SEED)))


@pytest.fixture(scope="session")
def shared_eval() -> Path:
    if not SHARED_EVAL.is_dir():
        pytest.skip("../shared/eval is not beside this checkout (it holds the gold data; CI has it)")
    return SHARED_EVAL


def run_scorer(shared_eval: Path, command: list[str], gold: Path, pred: Path) -> dict:
    """Run one of ../shared/eval's scorers and return its JSON result (its first JSON line)."""
    import json
    import subprocess
    import sys

    out = subprocess.run([sys.executable, str(shared_eval / command[0]), *command[1:], "--gold", str(gold),
                          "--pred", str(pred)], capture_output=True, text=True, check=True).stdout
    result, _ = json.JSONDecoder().raw_decode(out.lstrip())  # the JSON comes first, a summary line after
    return result
