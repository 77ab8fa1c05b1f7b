"""The article that defines the job: Lavrov via TASS, "the Russian side", "Russian officials"."""
from __future__ import annotations

import pytest

pytestmark = pytest.mark.slow


def by_speaker(article, name):
    return [c for c in article.claims if c.speaker and c.speaker.actor and c.speaker.actor.name == name]


def test_seed_lavrov_claims_resolved_with_tass_in_chain(seed_article):
    lavrov = by_speaker(seed_article, "Sergei Lavrov")
    assert len(lavrov) >= 4
    mentions = {c.speaker.text for c in lavrov}
    assert {"The foreign minister", "Lavrov"} <= mentions
    for claim in lavrov:
        assert claim.reported_by and claim.reported_by[0].name == "TASS"
        relay = claim.reported_by[0]
        assert seed_article.text[relay.start:relay.end].endswith("TASS")


def test_seed_first_assertion_is_lavrovs_that_the_us_blocks_talks(seed_article):
    first = seed_article.claims[0]
    assert first.cue.text == "asserted"
    assert first.speaker.actor.name == "Sergei Lavrov"
    assert first.content_text.startswith("that the United States blocks any peace talks between Moscow and Kyiv")
    assert {t.actor.name for t in first.targets} >= {"United States", "Moscow"}


def test_seed_foreign_minister_resolves_with_evidence(seed_article):
    [claim] = [c for c in seed_article.claims if c.cue and c.cue.text == "arguing"]
    assert claim.speaker.text == "The foreign minister"
    evidence = claim.speaker.actor.evidence
    assert evidence is not None and seed_article.text[evidence.start:evidence.end] == "Sergei Lavrov"
    assert "some proposals did not reflect a genuine readiness" in claim.content_text


def test_seed_group_speakers(seed_article):
    [side] = [c for c in seed_article.claims if c.speaker and c.speaker.text == "The Russian side"]
    assert side.cue.text == "contends" and "Ukraine" in side.content_text
    officials = [c for c in seed_article.claims if c.speaker and c.speaker.text == "Russian officials"]
    assert {c.cue.text for c in officials} == {"are cited", "have asserted"}
    [asserted] = [c for c in officials if c.cue.text == "have asserted"]
    assert [r.name for r in asserted.reported_by] == ["The New York Times"]
    assert "unacceptable" in asserted.content_text


def test_seed_offsets_are_evidence(seed_article):
    text = seed_article.text
    for claim in seed_article.claims:
        for span in (*claim.content, claim.speaker, claim.cue):
            if span is not None:
                assert text[span.start:span.end] == span.text
        assert claim.kind == "indirect"


def test_seed_ideas_are_not_speakers(seed_article):
    speakers = {c.speaker.text for c in seed_article.claims if c.speaker}
    assert not speakers & {"The claim", "The stance", "The Russian narrative", "This framing"}
