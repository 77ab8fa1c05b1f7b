"""bench/narratives_keywords.py: the ridge keyword profile places a text by the keywords of the titles
it resembles, and the bench's tracker groups precomputed vectors as the tracker does."""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import numpy as np

BENCH = Path(__file__).resolve().parents[2] / "bench"


def _bench():
    sys.path.insert(0, str(BENCH))
    try:
        spec = importlib.util.spec_from_file_location("narratives_keywords", BENCH / "narratives_keywords.py")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(BENCH))
    return module


def test_keyword_profile_follows_the_titles_keywords():
    bench = _bench()
    rng = np.random.default_rng(3)
    directions = np.eye(8)[:2]  # titles about "MH17" lie along one direction, "Coup" along another
    titles = np.vstack([directions[0] + 0.1 * rng.normal(size=(40, 8)), directions[1] + 0.1 * rng.normal(size=(40, 8))])
    keywords = [["MH17"]] * 40 + [["Coup"]] * 40
    quotes = np.vstack([directions[0], directions[1]])
    profiles = bench.keyword_profiles(titles, keywords, quotes, min_count=5, alpha=1.0)
    # columns in sorted keyword order: Coup, MH17
    assert profiles[0, 1] > profiles[0, 0] and profiles[1, 0] > profiles[1, 1]


def test_tracker_on_precomputed_vectors_groups_apart_what_differs():
    bench = _bench()
    rng = np.random.default_rng(5)
    quotes, vectors = [], {}
    for i in range(12):
        axis = i % 2
        vector = np.zeros(16)
        vector[axis] = 1.0
        vectors[f"q{i}"] = vector + 0.05 * rng.normal(size=16)
        quotes.append({"id": f"q{i}", "iso": f"2021-01-{i + 1:02d}"})
    groups = bench.track(quotes, vectors, 0.3)
    assert len({groups[f"q{i}"] for i in range(0, 12, 2)}) == 1
    assert len({groups[f"q{i}"] for i in range(1, 12, 2)}) == 1
    assert groups["q0"] != groups["q1"]
