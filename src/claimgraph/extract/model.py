"""The learned candidate selector, stored as JSON: a logistic regression over named features
(``LinearSelector``, the fast mode's), or gradient-boosted trees over the same features
(``BoostedSelector``, the accurate mode's) as plain node arrays.

Training (scripts/train_attribution.py) needs scikit-learn, and LightGBM for trees; running a
linear model is a dot product in pure Python, trees are walked in numpy (``claimgraph.trees``).
"""
from __future__ import annotations

import functools
import json
import math
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

MODEL_FILE = "attribution_model.json"

__all__ = ["BoostedSelector", "LinearSelector", "MODEL_FILE", "Selector", "load_model",
           "selector_from_dict"]


@dataclass(frozen=True, slots=True)
class LinearSelector:
    weights: dict[str, float]
    intercept: float
    threshold: float
    info: dict[str, Any]

    def probability(self, features: dict[str, float]) -> float:
        score = self.intercept + sum(self.weights.get(name, 0.0) * value for name, value in features.items())
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, score))))

    def probabilities(self, rows: list[dict[str, float]]) -> list[float]:
        return [self.probability(row) for row in rows]

    def to_dict(self) -> dict[str, Any]:
        return {"info": self.info, "threshold": self.threshold, "intercept": self.intercept,
                "weights": dict(sorted(self.weights.items()))}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> LinearSelector:
        return cls(weights=data["weights"], intercept=data["intercept"], threshold=data["threshold"],
                   info=data.get("info", {}))


class BoostedSelector:
    """Gradient-boosted trees over the selector's named features, scored with numpy
    (``claimgraph.trees``): ``features`` names the columns the trees split on, ``trees`` holds
    their node arrays. Names the trees never split on are ignored, as a linear model ignores names
    without a weight.

    Not a dataclass: ``__init__`` builds the arrays."""

    def __init__(self, features: list[str], trees: list[dict[str, Any]], threshold: float, info: dict[str, Any]):
        from ..trees import TreeEnsemble  # numpy: not on import claimgraph's path

        self.features, self.threshold, self.info = list(features), float(threshold), info
        self._columns = {name: j for j, name in enumerate(self.features)}
        self.ensemble = TreeEnsemble(trees)
        self._json = trees

    def probabilities(self, rows: list[dict[str, float]]) -> list[float]:
        import numpy as np

        matrix = np.zeros((len(rows), len(self.features)), dtype=np.float32)  # as the trees were trained
        for i, row in enumerate(rows):
            for name, value in row.items():
                j = self._columns.get(name)
                if j is not None:
                    matrix[i, j] = value
        return [float(p) for p in self.ensemble.probabilities(matrix)]

    def to_dict(self) -> dict[str, Any]:
        return {"info": self.info, "threshold": self.threshold, "kind": "trees", "features": self.features,
                "trees": self._json}


Selector = LinearSelector | BoostedSelector


def selector_from_dict(data: dict[str, Any]) -> Selector:
    """A selector from its JSON form (``"kind": "trees"`` marks a boosted one; none, a linear one)."""
    kind = data.get("kind", "linear")
    if kind == "trees":
        return BoostedSelector(features=data["features"], trees=data["trees"], threshold=data["threshold"],
                               info=data.get("info", {}))
    if kind != "linear":
        raise ValueError(f"a selector of unknown kind {kind!r}")
    return LinearSelector.from_dict(data)


@functools.cache
def load_model(path: str | None = None) -> Selector | None:
    """The packaged selector (or the one at ``path``); ``None`` when none is installed."""
    if path is not None:
        return selector_from_dict(json.loads(Path(path).read_text("utf-8")))
    resource = resources.files("claimgraph.data").joinpath(MODEL_FILE)
    if not resource.is_file():
        return None
    return selector_from_dict(json.loads(resource.read_text("utf-8")))
