"""The learned candidate selector, stored as JSON: a logistic regression over named features
(``LinearSelector``), or gradient-boosted trees over the same features (``BoostedSelector``,
LightGBM's text model inside the JSON).

Training (scripts/train_attribution.py) needs scikit-learn; running a linear model is a dot
product in pure Python, a boosted one runs in LightGBM on one thread.
"""
from __future__ import annotations

import functools
import json
import math
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from ..errors import ConfigError, Messages

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



@dataclass(frozen=True, slots=True)
class BoostedSelector:
    """Gradient-boosted trees over the selector's named features (``features``: the columns, in
    the trees' order; ``trees``: LightGBM's model as text). Names the trees never saw are ignored,
    as a linear model ignores names without a weight."""

    features: list[str]
    trees: str
    threshold: float
    info: dict[str, Any]
    _columns: dict[str, int] = field(init=False, repr=False, compare=False)
    _booster: Any = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        try:
            import lightgbm
        except (ImportError, OSError) as e:  # OSError: LightGBM's library without libgomp.so.1
            raise ConfigError(Messages.CG143.format(detail=e)) from e

        object.__setattr__(self, "_columns", {name: j for j, name in enumerate(self.features)})
        object.__setattr__(self, "_booster", lightgbm.Booster(model_str=self.trees))

    def probabilities(self, rows: list[dict[str, float]]) -> list[float]:
        if not rows:
            return []
        from scipy.sparse import csr_matrix

        data: list[float] = []
        indices: list[int] = []
        indptr = [0]
        for row in rows:
            for name, value in row.items():
                j = self._columns.get(name)
                if j is not None:
                    indices.append(j)
                    data.append(value)
            indptr.append(len(indices))
        matrix = csr_matrix((data, indices, indptr), shape=(len(rows), len(self.features)))
        return [float(p) for p in self._booster.predict(matrix, num_threads=1)]

    def probability(self, features: dict[str, float]) -> float:
        return self.probabilities([features])[0]

    def to_dict(self) -> dict[str, Any]:
        return {"info": self.info, "threshold": self.threshold, "kind": "lightgbm", "features": self.features,
                "trees": self.trees}


Selector = LinearSelector | BoostedSelector


def selector_from_dict(data: dict[str, Any]) -> Selector:
    """A selector from its JSON form (a ``"kind": "lightgbm"`` entry marks a boosted one)."""
    if data.get("kind") == "lightgbm":
        return BoostedSelector(features=data["features"], trees=data["trees"], threshold=data["threshold"],
                               info=data.get("info", {}))
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
