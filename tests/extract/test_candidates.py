"""Candidates from the parse rules (before the selector): who speaks, for cues the subject
reaches only through the tree."""
from __future__ import annotations

import pytest

from claimgraph.extract import quoted_tokens
from claimgraph.extract.lexicon import load_lexicon
from claimgraph.extract.quotes import find_quotes
from claimgraph.extract.reported import find_candidates
from claimgraph.parse import load_nlp


@pytest.fixture(scope="module")
def nlp():
    return load_nlp()


def candidates(nlp, text: str, cue: str) -> list[tuple[str | None, str, str]]:
    """(speaker word, rule, content) of each candidate whose cue holds the word ``cue``."""
    doc = nlp(text)
    quoted = quoted_tokens(doc, find_quotes(text).quotes)
    found = []
    for candidate in find_candidates(doc, load_lexicon(), quoted=quoted):
        if any(doc[i].text == cue for i in candidate.cue):
            speaker = doc[candidate.speaker].text if candidate.speaker is not None else None
            content = " ".join(text[s:e] for s, e in candidate.content)
            found.append((speaker, candidate.rule, content))
    return found


def test_a_participle_after_a_preposition_speaks_for_the_clause_it_hangs_from(nlp):
    found = candidates(nlp, "Lavrov met reporters in Moscow before insisting that Washington blocks the talks.",
                       "insisting")
    assert found and all(speaker == "Lavrov" for speaker, _, _ in found)
    assert any("Washington blocks the talks" in content for _, _, content in found)


def test_a_present_participle_modifying_a_noun_makes_the_noun_the_speaker(nlp):
    found = candidates(nlp, "The crowd included farmers complaining that prices had collapsed.", "complaining")
    assert any(speaker == "farmers" and "prices had collapsed" in content for speaker, _, content in found)


def test_a_past_participle_modifying_a_noun_does_not_make_it_the_speaker(nlp):
    found = candidates(nlp, "The measures described as harsh were lifted.", "described")
    assert all(speaker != "measures" for speaker, _, _ in found)


def test_as_an_outlet_reported_takes_the_main_clause(nlp):
    found = candidates(nlp, "As TASS reported on Monday, the talks in Istanbul have stalled.", "reported")
    assert any(speaker == "TASS" and rule == "parenthetical" and "the talks in Istanbul have stalled" in content
               for speaker, rule, content in found)


def test_a_line_opening_with_a_name_and_a_colon_is_what_the_name_says(nlp):
    text = "Lavrov: Washington blocks the peace talks\nTAPPER: Do you think the talks will resume?\n" \
           "The envoy was blunt: the talks are over."
    found = candidates(nlp, text, ":")
    assert ("Lavrov", "colon", "Washington blocks the peace talks") in found
    assert ("TAPPER", "colon", "Do you think the talks will resume") in found
    assert all(speaker != "envoy" for speaker, _, _ in found)  # the name must open the line
