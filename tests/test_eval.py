"""Quality gate: dev figures scored by the scorers in ../shared/eval, against the floors pinned in
eval_baseline.json (PolNeAR attribution, actor cases, PLOVER gold-standard events).

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


@pytest.mark.parametrize("mode,baseline", [("fast", "polnear_dev"), ("accurate", "polnear_dev_accurate")])
def test_eval_polnear_dev_attribution_floor(shared_eval, tmp_path, mode, baseline):
    gold = shared_eval / "attribution" / "polnear-dev.jsonl"
    pred = tmp_path / "pred.jsonl"
    result = CliRunner().invoke(cli, ["extract", str(gold), "--model", mode, "-o", str(pred)])
    assert result.exit_code == 0, result.output
    scores = run_scorer(shared_eval, ["score_attribution.py", "--json"], gold, pred)
    floors = BASELINE[baseline]
    print(json.dumps(scores, indent=1))
    assert scores["attribution"]["F1"] >= floors["attribution_F1"]
    assert scores["c_partial"]["F1"] >= floors["c_partial_F1"]
    assert scores["attribution"]["P"] >= floors["attribution_P"]
    by_type = scores["recall_by_gold_type"]
    assert by_type["direct"]["attribution_R"] >= floors["direct_attribution_R"]
    assert by_type["indirect"]["attribution_R"] >= floors["indirect_attribution_R"]


@pytest.mark.parametrize("command,gold,task,baseline", [
    ("actors", "events/actor-cases-dev.jsonl", "actors", "actor_cases_dev"),
    ("events", "events/plover-gsr-dev.jsonl", "events", "plover_gsr_dev"),
])
def test_eval_events_and_actors_floors(shared_eval, tmp_path, command, gold, task, baseline):
    pred = tmp_path / "pred.jsonl"
    result = CliRunner().invoke(cli, [command, str(shared_eval / gold), "-o", str(pred)])
    assert result.exit_code == 0, result.output
    scores = run_scorer(shared_eval, ["score_events.py", task], shared_eval / gold, pred)
    for measure, floor in BASELINE[baseline].items():
        assert scores[measure] >= floor, (measure, scores)
