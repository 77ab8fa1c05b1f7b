"""Start-up: what importing the command and the Python API loads (timings: bench/startup.py)."""
from __future__ import annotations

import gc
import json
import subprocess
import sys

import pytest

# packages a command pays for on every start while few commands use them: each is imported by the
# function that needs it (spaCy by parse.load_nlp, psycopg by the PostgreSQL store, FastAPI by serve)
HEAVY = ("spacy", "thinc", "numpy", "scipy", "sklearn", "psycopg", "fastapi", "starlette", "pydantic", "uvicorn",
         "trafilatura", "lxml", "datasketch", "onnxruntime", "tokenizers", "tqdm", "dask", "distributed",
         "pyarrow", "requests", "httpx", "pycrfsuite")


def _imported_by(statement: str) -> set[str]:
    """The top-level packages in ``sys.modules`` after ``statement`` runs in a fresh interpreter."""
    probe = f"{statement}\nimport json, sys\nprint(json.dumps(sorted({{m.split('.')[0] for m in sys.modules}})))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    return set(json.loads(out))


@pytest.mark.issue(21)
@pytest.mark.parametrize("statement", ["import claimgraph.cli", "import claimgraph"])
def test_startup_imports_no_heavy_package(statement):
    assert sorted(_imported_by(statement) & set(HEAVY)) == []


@pytest.mark.issue(21)
def test_startup_postgres_store_loads_on_first_use():
    imported = _imported_by("from claimgraph.store import describe_target, open_store\n"
                            "assert describe_target('claims.db') == 'claims.db'")
    assert "psycopg" not in imported
    # the backend is still importable by its old name (its driver is an optional extra)
    _imported_by("from claimgraph.store import PostgresStore\nassert PostgresStore.backend == 'postgresql'")


@pytest.mark.issue(21)
def test_startup_command_exit_freezes_instead_of_collecting():
    # exit handlers run last-registered first: this one, registered before the command's, runs after it
    probe = ("import atexit, gc\n"
             "atexit.register(lambda: print('frozen' if gc.get_freeze_count() else 'not frozen'))\n"
             "import claimgraph.cli\n")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "frozen"


@pytest.mark.issue(21)
@pytest.mark.parametrize("enabled", [True, False])
def test_startup_actor_kb_build_restores_the_collector(enabled):
    from claimgraph.actors import load_kb

    was = gc.isenabled()
    try:
        gc.enable() if enabled else gc.disable()
        kb = load_kb.__wrapped__()  # a fresh build; the cached one stays as it is
        assert gc.isenabled() is enabled
    finally:
        gc.enable() if was else gc.disable()
    assert kb.index.keys() == load_kb().index.keys()
