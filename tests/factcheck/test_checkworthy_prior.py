"""bench/checkworthy_prior.py: the EM estimate of a batch's share of "Yes" recovers a known share when
the scores are calibrated for the training share, and re-weights them to the posteriors of that share."""
from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "bench" / "checkworthy_prior.py"


def _bench():
    spec = importlib.util.spec_from_file_location("checkworthy_prior", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _posterior(x: np.ndarray, prior: float) -> np.ndarray:
    """P(yes | x) for class densities N(+1, 1) (yes) and N(-1, 1) (no) under ``prior``."""
    return 1 / (1 + np.exp(-(np.log(prior / (1 - prior)) + 2 * x)))


@pytest.mark.parametrize("share", [0.10, 0.2406, 0.40])
def test_em_recovers_the_batch_share_and_its_posteriors(share):
    bench = _bench()
    rng = np.random.default_rng(7)
    yes = rng.random(20_000) < share
    x = np.where(yes, rng.normal(1, 1, yes.size), rng.normal(-1, 1, yes.size))
    estimate, adjusted = bench.adapted(_posterior(x, bench.TRAIN_PRIOR))
    assert estimate == pytest.approx(share, abs=0.015)
    assert np.abs(adjusted - _posterior(x, estimate)).max() < 1e-6
    if share != bench.TRAIN_PRIOR:  # the adjustment moves scores toward the batch's share
        assert np.sign(adjusted.mean() - _posterior(x, bench.TRAIN_PRIOR).mean()) == np.sign(share - bench.TRAIN_PRIOR)


def test_f1_of_the_yes_class():
    bench = _bench()
    labels = np.array([True, True, False, False])
    assert bench.f1(labels, np.array([True, False, True, False])) == pytest.approx(0.5)
    assert bench.f1(labels, np.zeros(4, dtype=bool)) == 0.0
