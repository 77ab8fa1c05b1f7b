"""The learned candidate selector: a logistic regression over named features, stored as JSON.

Inference is a dot product in pure Python; training (scripts/train_attribution.py) needs
scikit-learn, running the model does not.
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


@dataclass(frozen=True, slots=True)
class SelectorModel:
    weights: dict[str, float]
    intercept: float
    threshold: float
    info: dict[str, Any]

    def probability(self, features: dict[str, float]) -> float:
        score = self.intercept + sum(self.weights.get(name, 0.0) * value for name, value in features.items())
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, score))))

    def to_dict(self) -> dict[str, Any]:
        return {"info": self.info, "threshold": self.threshold, "intercept": self.intercept,
                "weights": dict(sorted(self.weights.items()))}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SelectorModel:
        return cls(weights=data["weights"], intercept=data["intercept"], threshold=data["threshold"],
                   info=data.get("info", {}))


@functools.cache
def load_model(path: str | None = None) -> SelectorModel | None:
    """The packaged selector (or the one at ``path``); ``None`` when none is installed."""
    if path is not None:
        return SelectorModel.from_dict(json.loads(Path(path).read_text("utf-8")))
    resource = resources.files("claimgraph.data").joinpath(MODEL_FILE)
    if not resource.is_file():
        return None
    return SelectorModel.from_dict(json.loads(resource.read_text("utf-8")))
