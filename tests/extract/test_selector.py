"""The selector's two model kinds read the same named features and give the same answers after a
round trip through their JSON form."""
from __future__ import annotations

import json
import sys

import numpy as np
import pytest

from claimgraph.extract.model import BoostedSelector, LinearSelector, selector_from_dict


def test_linear_selector_round_trip_and_unknown_names():
    model = LinearSelector(weights={"a": 2.0, "b": -1.0}, intercept=-0.5, threshold=0.4, info={"learner": "logistic"})
    again = selector_from_dict(json.loads(json.dumps(model.to_dict())))
    assert isinstance(again, LinearSelector)
    rows = [{"a": 1.0}, {"b": 1.0, "zzz": 9.0}, {}]
    expected = [1 / (1 + np.exp(-(2.0 - 0.5))), 1 / (1 + np.exp(-(-1.0 - 0.5))), 1 / (1 + np.exp(0.5))]
    assert again.probabilities(rows) == pytest.approx(expected)


def test_boosted_selector_matches_lightgbm_and_ignores_unknown_names():
    lightgbm = pytest.importorskip("lightgbm")
    rng = np.random.default_rng(0)
    x = rng.integers(0, 2, size=(400, 3)).astype(np.float32)
    y = ((x[:, 0] == 1) & (x[:, 2] == 0)).astype(int)  # an interaction a linear model cannot draw
    trees = lightgbm.LGBMClassifier(n_estimators=30, num_leaves=4, min_child_samples=5, random_state=0, n_jobs=1,
                                    verbose=-1).fit(x, y)
    model = BoostedSelector(features=["cue=said", "quoted", "spk=none"], trees=trees.booster_.model_to_string(),
                            threshold=0.5, info={})
    again = selector_from_dict(json.loads(json.dumps(model.to_dict())))
    assert isinstance(again, BoostedSelector)
    rows = [{"cue=said": 1.0}, {"cue=said": 1.0, "spk=none": 1.0}, {"quoted": 1.0, "never-seen": 3.0}, {}]
    dense = np.array([[1, 0, 0], [1, 0, 1], [0, 1, 0], [0, 0, 0]], dtype=np.float32)
    assert again.probabilities(rows) == pytest.approx(trees.predict_proba(dense)[:, 1].tolist())
    said, said_no_speaker = again.probabilities(rows[:2])
    assert said > 0.9 > 0.1 > said_no_speaker
    assert again.probabilities([]) == []


def test_boosted_selector_without_lightgbm_says_what_to_install(monkeypatch):
    from claimgraph.errors import ConfigError

    monkeypatch.setitem(sys.modules, "lightgbm", None)  # import lightgbm -> ImportError
    with pytest.raises(ConfigError, match=r"CG143.*libgomp1"):
        BoostedSelector(features=["a"], trees="", threshold=0.5, info={})
