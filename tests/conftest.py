"""Shared fixtures: a fresh in-memory store, an article builder, the (slow) pipeline, eval paths."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("OMP_NUM_THREADS", "1")

from claimgraph import Article, article_from_text, load_pipeline, open_store  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "examples" / "seed-article.txt"
SHARED_EVAL = ROOT.parent / "shared" / "eval"


@pytest.fixture
def fresh_store():
    store = open_store(":memory:")
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
