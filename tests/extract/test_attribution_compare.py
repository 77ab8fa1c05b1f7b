"""bench/attribution_compare.py: per-document counts add up to the shared scorer's headline F1, and
the paired bootstrap's interval holds the observed difference."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "bench" / "attribution_compare.py"


def _doc(doc_id: str, text: str, spans: list[tuple[str, str]]) -> dict:
    def span(part: str) -> list[list[int]]:
        return [[text.index(part), text.index(part) + len(part)]]

    return {"id": doc_id, "text": text, "attributions": [
        {"source": span(source), "cue": span("said"), "content": span(content), "qtype": "indirect"}
        for source, content in spans]}


def _pred(doc: dict, keep: int) -> dict:
    return {"id": doc["id"], "claims": [
        {"speaker": {"start": a["source"][0][0], "end": a["source"][0][1]},
         "cue": {"start": a["cue"][0][0], "end": a["cue"][0][1]},
         "content": [{"start": s, "end": e} for s, e in a["content"]]} for a in doc["attributions"][:keep]]}


def test_compare_counts_as_the_scorer_and_brackets_the_difference(tmp_path, shared_eval):
    texts = [("Ann said that rain came. Bob said that sun came.",
              [("Ann", "that rain came"), ("Bob", "that sun came")]),
             ("Cy said that wind rose. Di said that snow fell.",
              [("Cy", "that wind rose"), ("Di", "that snow fell")])]
    gold = [_doc(f"d{k}", text, spans) for k, (text, spans) in enumerate(texts * 5)]
    (tmp_path / "gold.jsonl").write_text("".join(json.dumps(d) + "\n" for d in gold))
    (tmp_path / "a.jsonl").write_text("".join(json.dumps(_pred(d, 1)) + "\n" for d in gold))
    (tmp_path / "b.jsonl").write_text("".join(json.dumps(_pred(d, 2)) + "\n" for d in gold))
    result = subprocess.run([sys.executable, str(SCRIPT), "--gold", str(tmp_path / "gold.jsonl"),
                             "--scorer", str(shared_eval.parent / "eval" / "score_attribution.py"),
                             str(tmp_path / "a.jsonl"), str(tmp_path / "b.jsonl")],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    # A finds one of two attributions per document (P 1, R 0.5: F1 2/3), B both (F1 1)
    assert "A 0.6667, B 1.0000; B - A +0.3333" in result.stdout
    assert "95 % interval +0.3333 to +0.3333" in result.stdout and "not better in 0.0%" in result.stdout
