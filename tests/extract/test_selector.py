"""The selector's two model kinds read the same named features and give the same answers after a
round trip through their JSON form; trees exported from LightGBM score as LightGBM does."""
from __future__ import annotations

import json

import lightgbm
import numpy as np
import pytest

from claimgraph.extract.model import BoostedSelector, LinearSelector, selector_from_dict
from claimgraph.trees import TreeEnsemble, lightgbm_trees


def test_linear_selector_round_trip_and_unknown_names():
    model = LinearSelector(weights={"a": 2.0, "b": -1.0}, intercept=-0.5, threshold=0.4, info={"learner": "logistic"})
    again = selector_from_dict(json.loads(json.dumps(model.to_dict())))
    assert isinstance(again, LinearSelector)
    rows = [{"a": 1.0}, {"b": 1.0, "zzz": 9.0}, {}]
    expected = [1 / (1 + np.exp(-(2.0 - 0.5))), 1 / (1 + np.exp(-(-1.0 - 0.5))), 1 / (1 + np.exp(0.5))]
    assert again.probabilities(rows) == pytest.approx(expected)


def test_tree_ensemble_walks_each_row_to_its_leaf():
    # one tree: x0 <= 0.5 ? (x1 <= 2 ? -1 : +1) : +3; NaN in x0 goes right, in x1 left
    tree = {"feature": [0, 1, 0, 0, 0], "threshold": [0.5, 2.0, 0.0, 0.0, 0.0],
            "missing_left": [False, True, False, False, False], "left": [1, 3, 0, 0, 0], "right": [2, 4, 0, 0, 0],
            "leaf": [False, False, True, True, True], "value": [0.0, 0.0, 3.0, -1.0, 1.0]}
    ensemble = TreeEnsemble([tree, tree], baseline=0.5)
    rows = np.array([[0.0, 1.0], [0.5, 2.5], [0.6, 0.0], [np.nan, 0.0], [0.0, np.nan]])
    assert ensemble.log_odds(rows).tolist() == [-1.5, 2.5, 6.5, 6.5, -1.5]
    assert ensemble.probabilities(rows)[2] == pytest.approx(1 / (1 + np.exp(-6.5)))


def test_boosted_selector_scores_as_lightgbm_and_ignores_unknown_names():
    rng = np.random.default_rng(0)
    x = np.column_stack([rng.integers(0, 2, 400), rng.random(400), rng.integers(0, 2, 400)]).astype(np.float32)
    y = ((x[:, 0] == 1) & ((x[:, 2] == 0) | (x[:, 1] > 0.7))).astype(int)  # an interaction a linear model cannot draw
    trees = lightgbm.LGBMClassifier(n_estimators=30, num_leaves=4, min_child_samples=5, random_state=0, n_jobs=1,
                                    verbose=-1).fit(x, y)
    arrays, used = lightgbm_trees(trees.booster_.dump_model())
    names = ["cue=said", "tg_con", "spk=none"]
    model = BoostedSelector(features=[names[j] for j in used], trees=arrays, threshold=0.5, info={})
    again = selector_from_dict(json.loads(json.dumps(model.to_dict())))
    assert isinstance(again, BoostedSelector)
    rows = [{names[j]: float(v) for j, v in enumerate(row) if v} | {"never-seen": 3.0} for row in x[:100]]
    assert again.probabilities(rows) == pytest.approx(trees.predict_proba(x[:100])[:, 1].tolist(), abs=1e-12)
    said, said_no_speaker = again.probabilities([{"cue=said": 1.0}, {"cue=said": 1.0, "spk=none": 1.0}])
    assert said > 0.9 > 0.1 > said_no_speaker
    assert again.probabilities([]) == []


def test_a_selector_of_unknown_kind_is_refused():
    with pytest.raises(ValueError, match="unknown kind"):
        selector_from_dict({"kind": "forest", "threshold": 0.5})
