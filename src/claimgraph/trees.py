"""Gradient-boosted trees scored with numpy: the learned models that are tree ensembles (the
attribution selector of the accurate mode, the known-claims re-ranker) ship as plain arrays, so
running them needs neither the library that trained them nor its native runtime.

Each tree is a dict of equal-length node arrays: ``feature`` (the column a node splits on),
``threshold`` (go left when the value is at most this), ``missing_left`` (where NaN goes),
``left`` / ``right`` (child node indices), ``leaf`` (whether the node is a leaf) and ``value``
(a leaf's contribution to the log-odds). Node 0 is the root.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

__all__ = ["TreeEnsemble", "lightgbm_trees"]

_FIELDS = ("feature", "threshold", "missing_left", "left", "right", "leaf", "value")


class TreeEnsemble:
    """Trees whose leaf values add up, with ``baseline``, to log-odds. The trees are laid end to
    end in flat arrays and walked together, one step of depth per numpy operation.

    Not a dataclass: ``__init__`` turns the JSON lists into arrays."""

    def __init__(self, trees: Sequence[dict[str, Any]], baseline: float = 0.0):
        self.baseline = float(baseline)
        sizes = [len(tree["leaf"]) for tree in trees]
        self.roots = np.cumsum([0, *sizes])[:-1].astype(np.int64)
        offsets = np.repeat(self.roots, sizes)
        flat = {key: np.concatenate([np.asarray(tree[key]) for tree in trees]) if trees else np.zeros(0)
                for key in _FIELDS}
        self.feature = flat["feature"].astype(np.int64)
        self.threshold = flat["threshold"].astype(np.float64)
        self.missing_left = flat["missing_left"].astype(bool)
        self.leaf = flat["leaf"].astype(bool)
        self.value = flat["value"].astype(np.float64)
        self.left = flat["left"].astype(np.int64) + offsets
        self.right = flat["right"].astype(np.int64) + offsets

    def log_odds(self, features: np.ndarray) -> np.ndarray:
        """One value per row of ``features`` (rows x columns, the columns the trees split on)."""
        n_trees = len(self.roots)
        node = np.tile(self.roots, len(features))  # row-major: row r's trees at r * n_trees ...
        walking = np.flatnonzero(~self.leaf[node])  # the (row, tree) pairs not yet at a leaf
        while walking.size:  # one step of depth for the pairs still walking, then drop those at a leaf
            current = node[walking]
            values = features[walking // n_trees, self.feature[current]]
            go_left = (values <= self.threshold[current]) | (np.isnan(values) & self.missing_left[current])
            current = np.where(go_left, self.left[current], self.right[current])
            node[walking] = current
            walking = walking[~self.leaf[current]]
        result: np.ndarray = self.baseline + self.value[node].reshape(len(features), n_trees).sum(axis=1)
        return result

    def probabilities(self, features: np.ndarray) -> np.ndarray:
        result: np.ndarray = 1.0 / (1.0 + np.exp(-self.log_odds(features)))
        return result


def lightgbm_trees(dump: dict[str, Any]) -> tuple[list[dict[str, list[Any]]], list[int]]:
    """A binary LightGBM model (``Booster.dump_model()``) as node arrays, and the model's feature
    indices the trees use, in the order of the arrays' ``feature`` columns. Numerical splits only
    ("<="), as LightGBM makes them on data without categorical features."""
    used: dict[int, int] = {}
    trees = []
    for info in dump["tree_info"]:
        nodes: dict[str, list[Any]] = {key: [] for key in _FIELDS}
        _add_node(info["tree_structure"], nodes, used)
        trees.append(nodes)
    return trees, sorted(used, key=used.__getitem__)


def _add_node(node: dict[str, Any], nodes: dict[str, list[Any]], used: dict[int, int]) -> int:
    """Append ``node`` and its subtree to ``nodes`` (depth first); its index there."""
    index = len(nodes["leaf"])
    for key in _FIELDS:
        nodes[key].append(0)
    if "leaf_value" in node:
        nodes["leaf"][index], nodes["value"][index] = True, float(node["leaf_value"])
        nodes["threshold"][index], nodes["missing_left"][index] = 0.0, False
        return index
    if node["decision_type"] != "<=" or node["missing_type"] == "Zero":
        raise ValueError(f"a split this scorer does not read: {node['decision_type']} {node['missing_type']}")
    nodes["leaf"][index], nodes["value"][index] = False, 0.0
    nodes["feature"][index] = used.setdefault(int(node["split_feature"]), len(used))
    nodes["threshold"][index] = float(node["threshold"])
    nodes["missing_left"][index] = bool(node["default_left"]) and node["missing_type"] == "NaN"
    nodes["left"][index] = _add_node(node["left_child"], nodes, used)
    nodes["right"][index] = _add_node(node["right_child"], nodes, used)
    return index
