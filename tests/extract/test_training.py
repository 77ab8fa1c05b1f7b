"""The training scripts: gold spans become token labels, and training is reproducible.

Runs scripts/train_attribution_tagger.py on a few texts written for this test (PolNeAR's shape),
twice, and checks that the two models are byte-identical and that the tagger they make loads.
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from claimgraph.extract.tagger import load_tagger

pytestmark = pytest.mark.slow
SCRIPTS = Path(__file__).resolve().parents[2] / "scripts"

TEXTS = [
    ("The minister said that the talks had stalled.", "The minister", "said", "that the talks had stalled"),
    ("Officials denied the report on Monday.", "Officials", "denied", "the report"),
    ("“We will not sign,” the envoy told reporters.", "the envoy", "told", "We will not sign,"),
    ("The mayor argued that the budget was too small.", "The mayor", "argued", "that the budget was too small"),
    ("Prices rose, the bank said.", "the bank", "said", "Prices rose"),
    ("Critics claimed the plan would fail.", "Critics", "claimed", "the plan would fail"),
]


def record(number: int, text: str, source: str, cue: str, content: str) -> dict:
    def span(part: str) -> list[list[int]]:
        start = text.index(part)
        return [[start, start + len(part)]]

    return {"id": f"t{number}", "text": text, "attributions": [
        {"source": span(source), "cue": span(cue), "content": span(content), "qtype": "indirect"}]}


def test_gold_labels_cover_the_spans():
    sys.path.insert(0, str(SCRIPTS))
    try:
        from train_attribution_tagger import gold_labels
    finally:
        sys.path.remove(str(SCRIPTS))
    from claimgraph.parse import load_nlp

    rec = record(0, *TEXTS[0])
    doc = load_nlp()(rec["text"])
    assert gold_labels(rec, doc) == ["B-SRC", "I-SRC", "B-CUE", "B-CON", "I-CON", "I-CON", "I-CON", "I-CON", "O"]


def _train_twice(tmp_path: Path, script: str, suffix: str, copies: int, *options: str) -> list[bytes]:
    """Run a training script twice on the test texts (``copies`` times over); both outputs' bytes."""
    train = tmp_path / "train.jsonl"
    train.write_text("".join(json.dumps(record(k, *row)) + "\n" for k, row in enumerate(TEXTS * copies)))
    outputs = []
    for run in ("a", "b"):
        out = tmp_path / f"{run}{suffix}"
        command = [sys.executable, str(SCRIPTS / script), "--train", str(train),
                   "--cache", str(tmp_path / "parsed.spacy"), "--out", str(out), *options]
        result = subprocess.run(command, capture_output=True, text=True, timeout=600)
        assert result.returncode == 0, result.stderr
        outputs.append(out.read_bytes())
    return outputs


@pytest.mark.heavy
def test_tagger_training_is_reproducible(tmp_path):
    models = _train_twice(tmp_path, "train_attribution_tagger.py", ".crfsuite", 2, "--iterations", "10", "--minfreq",
                          "1", "--folds", "2", "--processes", "1", "--tags-out", str(tmp_path / "tags.pkl"))
    assert models[0] == models[1]
    tagger = load_tagger(str(tmp_path / "a.crfsuite"))
    assert {"B-CUE", "B-SRC", "B-CON"} <= set(tagger.labels())


@pytest.mark.heavy
def test_boosted_selector_training_is_reproducible_and_loads(tmp_path):
    from claimgraph.extract.model import BoostedSelector, load_model

    outputs = _train_twice(tmp_path, "train_attribution.py", ".json", 4, "--folds", "2", "--learner", "boosted",
                           "--boosted", "small")
    assert outputs[0] == outputs[1]
    payload = json.loads(outputs[0])
    assert payload["kind"] == "lightgbm" and payload["info"]["learner"] == "lightgbm"
    model = load_model(str(tmp_path / "a.json"))
    assert isinstance(model, BoostedSelector) and 0 < model.threshold < 1
    probabilities = model.probabilities([{"bias_term": 1.0, "lemma=say": 1.0}, {"unknown-name": 5.0}])
    assert len(probabilities) == 2 and all(0.0 <= p <= 1.0 for p in probabilities)
