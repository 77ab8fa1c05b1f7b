"""Quality gate: PolNeAR dev attribution scored by ../shared/eval/score_attribution.py, with floors.

Skipped (with the reason) where ../shared/eval is absent; CI has it, so there it runs.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from claimgraph.cli import cli

from .conftest import run_scorer

pytestmark = [pytest.mark.slow, pytest.mark.eval]
BASELINE = json.loads((Path(__file__).parent / "eval_baseline.json").read_text())


def test_eval_polnear_dev_attribution_floor(shared_eval, tmp_path):
    gold = shared_eval / "attribution" / "polnear-dev.jsonl"
    pred = tmp_path / "pred.jsonl"
    result = CliRunner().invoke(cli, ["extract", str(gold), "-o", str(pred)])
    assert result.exit_code == 0, result.output
    scores = run_scorer(shared_eval, ["score_attribution.py", "--json"], gold, pred)
    floors = BASELINE["polnear_dev"]
    print(json.dumps(scores, indent=1))
    assert scores["attribution"]["F1"] >= floors["attribution_F1"]
    assert scores["c_partial"]["F1"] >= floors["c_partial_F1"]
    assert scores["attribution"]["P"] >= floors["attribution_P"]
    by_type = scores["recall_by_gold_type"]
    assert by_type["direct"]["attribution_R"] >= floors["direct_attribution_R"]
    assert by_type["indirect"]["attribution_R"] >= floors["indirect_attribution_R"]
