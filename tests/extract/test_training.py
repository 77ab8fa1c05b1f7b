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


def _train_twice(tmp_path: Path, script: str, suffix: str, copies: int, *options: str,
                 extra: list[dict] | None = None) -> list[bytes]:
    """Run a training script twice on the test texts (``copies`` times over, then ``extra``
    records); both outputs' bytes."""
    records = [record(k, *row) for k, row in enumerate(TEXTS * copies)] + (extra or [])
    train = tmp_path / "train.jsonl"
    train.write_text("".join(json.dumps(r) + "\n" for r in records))
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


# sentences with a candidate for the rules and no attribution in their gold: the selector's negatives
NOT_CLAIMS = ["The data showed that prices rose.", "A study found that the drug works.",
              "The survey indicated that voters were unhappy.", "The chart suggests that sales fell."]


@pytest.mark.heavy
def test_boosted_selector_training_is_reproducible_and_learns(tmp_path):
    from claimgraph import article_from_text
    from claimgraph.extract import extract_claims
    from claimgraph.extract.model import BoostedSelector, load_model
    from claimgraph.parse import load_nlp

    negatives = [{"id": f"n{k}", "text": text, "attributions": []} for k, text in enumerate(NOT_CLAIMS * 24)]
    outputs = _train_twice(tmp_path, "train_attribution.py", ".json", 16, "--folds", "2", "--learner", "boosted",
                           "--boosted", "small", extra=negatives)
    assert outputs[0] == outputs[1]
    payload = json.loads(outputs[0])
    assert payload["kind"] == "trees" and payload["info"]["learner"] == "lightgbm"
    assert payload["info"]["cv_attribution_f1"] > 0.7
    assert any(not leaf for tree in payload["trees"] for leaf in tree["leaf"]), "the trees never split"
    model = load_model(str(tmp_path / "a.json"))
    assert isinstance(model, BoostedSelector) and 0 < model.threshold < 1
    nlp = load_nlp()

    def claims(text: str) -> int:
        return len(extract_claims(article_from_text(text), nlp(text), model=model))

    assert claims("The minister said that the talks had stalled.") == 1
    assert claims("The data showed that prices rose.") == 0
