"""Golden articles (tests/data/articles, written for claimgraph): expected claims and non-claims."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from claimgraph import article_from_text

pytestmark = pytest.mark.slow
ARTICLES = Path(__file__).resolve().parent.parent / "data" / "articles"
EXPECTED = {name: spec for name, spec in json.loads((ARTICLES / "claims.json").read_text("utf-8")).items()
            if not name.startswith("_")}


def _matches(claim, want) -> bool:
    actor = claim.speaker.actor.name if claim.speaker and claim.speaker.actor else ""
    return (want["speaker"] in actor
            and (want.get("cue") is None or (claim.cue is not None and claim.cue.text == want["cue"]))
            and want["content"] in claim.content_text
            and ("mention" not in want or (claim.speaker is not None and claim.speaker.text == want["mention"]))
            and ("kind" not in want or claim.kind == want["kind"])
            and all(name in [r.name for r in claim.reported_by] for name in want.get("reported_by", [])))


@pytest.fixture(scope="module")
def golden(pipeline):
    return {name: pipeline(article_from_text((ARTICLES / name).read_text("utf-8"), id=name)) for name in EXPECTED}


@pytest.mark.parametrize("name,index", [(n, i) for n, spec in EXPECTED.items() for i in range(len(spec["with"]))])
def test_golden_expected_claim(golden, name, index):
    want = EXPECTED[name]["with"][index]
    article = golden[name]
    found = [c for c in article.claims if _matches(c, want)]
    assert found, f"{name}: no claim like {want}; got " + json.dumps(
        [(c.speaker.text if c.speaker else None, c.cue.text if c.cue else None, c.content_text[:60])
         for c in article.claims],
        ensure_ascii=False)


@pytest.mark.parametrize("name", list(EXPECTED))
def test_golden_non_claims(golden, name):
    contents = {c.content_text.strip(" ,.“”\"") for c in golden[name].claims}
    for text in EXPECTED[name]["without"]:
        assert text.strip(" ,.“”\"") not in contents


@pytest.mark.parametrize("name", list(EXPECTED))
def test_golden_offsets_are_evidence(golden, name):
    article = golden[name]
    for claim in article.claims:
        for span in (*claim.content, claim.speaker, claim.cue, *claim.targets):
            if span is not None:
                assert article.text[span.start:span.end] == span.text
