"""Speaker resolution (extract/speakers.py, extract/gender.py) on the parse of short texts."""
from __future__ import annotations

import pytest

from claimgraph.extract.gender import FEMALE, MALE, first_name_gender, title_gender
from claimgraph.extract.lexicon import load_lexicon
from claimgraph.extract.reported import np_bounds
from claimgraph.extract.speakers import SpeakerResolver
from claimgraph.parse import load_nlp

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def nlp():
    return load_nlp()


def resolved(nlp, text: str, word: str, occurrence: int = 1) -> str | None:
    """The canonical name the resolver gives the ``occurrence``-th token ``word`` of ``text``
    (mentions before it resolved first, in text order, as extraction does)."""
    doc = nlp(text)
    resolver = SpeakerResolver(doc, load_lexicon())
    target = [t for t in doc if t.text == word][occurrence - 1]
    for token in doc:  # the named speakers before it enter the resolver's history
        if token.i < target.i and token.ent_type_ == "PERSON" and token.ent_iob_ == "B":
            ent = next(e for e in doc.ents if e.start == token.i)
            resolver.resolve(ent.root, (ent.start, ent.end))
    mention = resolver.resolve(target, np_bounds(target))
    return mention.actor.name if mention.actor else None


@pytest.mark.parametrize("name, gender", [("Hillary", FEMALE), ("Donald", MALE), ("Maria", FEMALE),
                                          ("Jordan", None), ("Zbigniewx", None)])
def test_first_names_give_a_gender_only_when_the_census_settles_it(name, gender):
    assert first_name_gender(name) == gender


def test_titles_give_a_gender_only_when_they_agree():
    assert title_gender(["the party's spokeswoman"]) == FEMALE
    assert title_gender(["Congressman"]) == MALE
    assert title_gender(["the foreign minister"]) is None
    assert title_gender(["spokesman", "spokeswoman"]) is None


def test_she_skips_the_last_man_for_the_last_woman(nlp):
    text = "Hillary Clinton spoke on Monday. Donald Trump answered her in a statement. She said the plan would fail."
    assert resolved(nlp, text, "She") == "Hillary Clinton"


def test_he_skips_the_last_woman_for_the_last_man(nlp):
    text = "Donald Trump spoke on Monday. Hillary Clinton answered him. He said the plan would work."
    assert resolved(nlp, text, "He") == "Donald Trump"


def test_an_honorific_settles_a_name_the_census_does_not_know(nlp):
    text = "Donald Trump met Ms. Wimes, a local organiser, on Monday. He said the campaign had ignored voters."
    assert resolved(nlp, text, "He") == "Donald Trump"


def test_a_pronoun_with_no_person_of_its_gender_is_left_unresolved(nlp):
    text = "Donald Trump spoke on Monday. She said the plan would fail."
    assert resolved(nlp, text, "She") is None


def test_who_describes_the_people_not_the_place_the_clause_hangs_from(nlp):
    text = "The change will placate nervous Democrats on Capitol Hill, who have argued that it helps."
    assert resolved(nlp, text, "who") == "Democrats"


def test_who_describes_the_people_inside_an_inanimate_noun_phrase(nlp):
    text = "The video became a focal point for demonstrators here, who have called for its release."
    assert resolved(nlp, text, "who") == "demonstrators"


def test_a_definite_description_takes_the_name_that_modified_the_same_noun(nlp):
    text = ("The latest Reuters opinion poll released Friday shows Clinton ahead. "
            "When the poll asked about all four candidates, most were undecided.")
    assert resolved(nlp, text, "poll", occurrence=2) == "Reuters"


def test_a_definite_description_takes_the_name_after_the_same_noun(nlp):
    text = ("The talks ended with a statement by the Security Council on Friday. "
            "The statement said that the ceasefire would hold.")
    assert resolved(nlp, text, "statement", occurrence=2) == "Security Council"
