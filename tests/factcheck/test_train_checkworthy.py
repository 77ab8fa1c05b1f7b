"""scripts/train_checkworthy.py's readers and threshold rule, on small files written here: the
CheckThat! 2024 files quote a sentence that holds a comma (CSV quoting, inner quotes doubled), and
the models must learn from the sentence as written, not from its quoting."""
from __future__ import annotations

import csv
import importlib.util
from pathlib import Path

import numpy as np
import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "train_checkworthy.py"
SENTENCES = [
    ("101", "Unemployment fell to 3.5 percent last year.", "Yes"),
    ("102", "Well, thank you, Chris.", "No"),
    ("103", 'He said "read my lips", and then raised taxes.', "Yes"),
    ("104", "I think that's right", "No"),
]


@pytest.fixture(scope="module")
def script():
    spec = importlib.util.spec_from_file_location("train_checkworthy", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_split_is_read_as_csv_sentences_as_written(script, tmp_path, monkeypatch):
    def quoted(text: str) -> str:  # as the files do: a sentence with a comma in quotes, its own doubled
        return '"' + text.replace('"', '""') + '"' if "," in text else text

    rows = ["Sentence_id\tText\tclass_label"] + ["\t".join((i, quoted(text), label)) for i, text, label in SENTENCES]
    (tmp_path / "checkthat2024-dev.tsv").write_text("\n".join(rows) + "\n", "utf-8")
    unquoted = next(csv.reader([rows[2]], delimiter="\t", quoting=csv.QUOTE_NONE))
    assert unquoted[1] == '"Well, thank you, Chris."'  # what the script read before: the quoting kept
    monkeypatch.setattr(script, "CLAIMS", tmp_path)
    texts, labels = script.read_split("dev")
    assert texts == [text for _, text, _ in SENTENCES]
    assert labels.tolist() == [1, 0, 1, 0]
    assert script.read_ids("dev").tolist() == [101, 102, 103, 104]


def test_best_threshold_and_f1_of_yes(script):
    labels = np.array([1, 1, 0, 0, 1, 0])
    scores = np.array([0.9, 0.6, 0.4, 0.1, 0.7, 0.55])
    threshold, f1 = script.best_threshold(labels, scores)
    assert f1 == 1.0 and 0.55 < threshold <= 0.6
    assert script.f1_yes(labels, (scores >= 0.5).astype(int)) == pytest.approx(2 * 3 / (2 * 3 + 1))


def test_held_out_thresholds_compare_both_rules(script, capsys):
    rng = np.random.default_rng(0)
    labels = (rng.random(400) < 0.25).astype(int)
    scores = np.clip(0.3 * labels + rng.normal(0.3, 0.1, 400), 0, 1)  # "Yes" near 0.6, "No" near 0.3
    blocks = np.array_split(np.arange(400), 4)
    folds = [(np.setdiff1d(np.arange(400), block), block) for block in blocks]
    script.held_out_thresholds(labels, folds, scores, dev_threshold=0.9)
    line = capsys.readouterr().out
    ours = float(line.split("(mean ")[1].split(")")[0])
    theirs = float(line.split("(mean ")[2].split(")")[0])
    assert ours > 0.8 > theirs  # a threshold learnt on held-out folds beats one far off the scores


def test_the_threshold_comes_from_train_or_dev_as_asked(script):
    train_labels = np.array([1, 0, 1, 0, 0, 1])
    train_scores = np.array([0.4, 0.2, 0.35, 0.1, 0.25, 0.5])  # separable at 0.26..0.35
    dev_labels = np.array([1, 0, 1, 0])
    dev_scores = np.array([0.8, 0.3, 0.7, 0.6])  # separable at 0.61..0.70
    threshold, dev_f1 = script.choose_threshold("train", train_labels, train_scores, dev_labels, dev_scores)
    assert 0.25 < threshold <= 0.35
    assert dev_f1 == pytest.approx(script.f1_yes(dev_labels, (dev_scores >= threshold).astype(int)))
    assert dev_f1 < 1.0  # dev's own best is not what was chosen
    threshold, dev_f1 = script.choose_threshold("dev", train_labels, train_scores, dev_labels, dev_scores)
    assert 0.6 < threshold <= 0.7 and dev_f1 == 1.0
