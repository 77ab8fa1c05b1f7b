"""Fixtures of the fact-checking tests: a small catalogue of made-up known claims, a deterministic
stand-in for the MiniLM embedder (hashed words), and a store with one claim to match."""
from __future__ import annotations

import hashlib
import json
import re

import numpy as np
import pytest

KNOWN = [
    {"id": "k1", "claim": "The United States is sabotaging peace negotiations between Russia and Ukraine.",
     "title": "US blocks peace talks", "date": "2018-05-02", "url": "https://example.org/k1", "verdict": "false"},
    {"id": "k2", "claim": "Drinking hot water cures the flu within a day.", "title": "Hot water flu cure",
     "date": "2020-03-01", "url": "https://example.org/k2", "verdict": "false"},
    {"id": "k3", "claim": "The city council spent 4 million dollars on a new bridge that was never built.",
     "title": "Bridge that was never built", "date": "2030-01-01", "verdict": "mostly false"},
    {"id": "k4", "claim": "Wind turbines cause cancer in people living nearby.", "title": "Turbine cancer",
     "date": "2019-07-07", "verdict": "false"},
]


class HashedWords:
    """Unit vectors of hashed lower-cased words: texts sharing words are near, as with MiniLM."""

    name = "test.hashed-words.v1"
    dim = 384

    def embed(self, texts):
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in re.findall(r"\w+", text.lower()):
                out[row, int(hashlib.md5(word.encode()).hexdigest(), 16) % self.dim] += 1.0
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return np.divide(out, norms, out=np.zeros_like(out), where=norms > 0)


@pytest.fixture
def embedder():
    return HashedWords()


@pytest.fixture
def known_file(tmp_path):
    path = tmp_path / "known.jsonl"
    path.write_text("".join(json.dumps(row) + "\n" for row in KNOWN), encoding="utf-8")
    return path
