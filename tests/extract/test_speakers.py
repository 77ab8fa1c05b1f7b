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
    actor = resolved_actor(nlp, text, word, occurrence)
    return actor.name if actor else None


def resolved_actor(nlp, text: str, word: str, occurrence: int = 1):
    doc = nlp(text)
    resolver = SpeakerResolver(doc, load_lexicon())
    target = [t for t in doc if t.text == word][occurrence - 1]
    for token in doc:  # the named speakers before it enter the resolver's history
        if token.i < target.i and token.ent_type_ == "PERSON" and token.ent_iob_ == "B":
            ent = next(e for e in doc.ents if e.start == token.i)
            resolver.resolve(ent.root, (ent.start, ent.end))
    return resolver.resolve(target, np_bounds(target)).actor


@pytest.mark.parametrize("name, gender", [("Hillary", FEMALE), ("Donald", MALE), ("Maria", FEMALE),
                                          ("Leslie", None), ("Yuri", None), ("Kim", None),
                                          ("Zbigniewx", None)])
def test_first_names_give_a_gender_only_when_the_census_settles_it(name, gender):
    assert first_name_gender(name) == gender


def test_titles_give_a_gender_only_when_they_agree():
    assert title_gender(["spokeswoman"]) == FEMALE
    assert title_gender(["congressman", "representative"]) == MALE
    assert title_gender(["minister"]) is None
    assert title_gender(["spokesman", "spokeswoman"]) is None


# (text, the word whose resolution is checked, which occurrence of it, the canonical name expected)
CASES = {
    "she skips the last man for the last woman": (
        "Hillary Clinton spoke on Monday. Donald Trump answered her in a statement. She said the plan would fail.",
        "She", 1, "Hillary Clinton"),
    "he skips the last woman for the last man": (
        "Donald Trump spoke on Monday. Hillary Clinton answered him. He said the plan would work.",
        "He", 1, "Donald Trump"),
    "an honorific settles a name the census does not know": (
        "Donald Trump met Ms. Wimes, a local organiser, on Monday. He said the campaign had ignored voters.",
        "He", 1, "Donald Trump"),
    "a pronoun with no person of its gender is left unresolved": (
        "Donald Trump spoke on Monday. She said the plan would fail.", "She", 1, None),
    "who: the people, not the place the clause hangs from": (
        "The change will placate nervous Democrats on Capitol Hill, who have argued that it helps.",
        "who", 1, "Democrats"),
    "who: the people inside an inanimate noun phrase": (
        "The video became a focal point for demonstrators here, who have called for its release.",
        "who", 1, "demonstrators"),
    "the poll: the name that modified the same noun before": (
        ("The latest Reuters opinion poll released Friday shows Clinton ahead. "
         "When the poll asked about all four candidates, most were undecided."), "poll", 2, "Reuters"),
    "the statement: the name after the same noun before": (
        ("The talks ended with a statement by the Security Council on Friday. "
         "The statement said that the ceasefire would hold."), "statement", 2, "Security Council"),
    "the poll: no place for a name": (
        ("A new poll of likely voters in Ohio came out on Friday. "
         "The poll found that most were undecided."), "poll", 2, "poll"),
    "she: the woman named Clinton, though Mrs. Clinton and Bill Clinton share the surname": (
        ("Bill Clinton and Hillary Clinton arrived. Mrs. Clinton spoke first. Bill Clinton waved. "
         "She said the plan would work."), "She", 1, "Hillary Clinton"),
    "he: a title in the apposition's modifiers says nothing of him": (
        "John Smith, a lawyer for the widow, spoke on Monday. He said the case was closed.", "He", 1, "John Smith"),
    "a lowercase verb is no honorific": (
        "Barack Obama left office. Democrats will miss Obama. He said the party would be fine.", "He", 1,
        "Barack Obama"),
}


@pytest.mark.parametrize("text, word, occurrence, name", CASES.values(), ids=CASES.keys())
def test_speaker_resolution(nlp, text, word, occurrence, name):
    assert resolved(nlp, text, word, occurrence) == name


@pytest.mark.parametrize("text, word, kind", [
    ("Officials insist that no relief is on the table, the Polish broadcaster TVP reported.", "broadcaster", "MEDIA"),
    ("Nervous Democrats on Capitol Hill argued that it helps.", "Democrats", "GROUP"),
    ("A correspondent for CNN reported that the talks had stalled.", "correspondent", "MEDIA"),
])
def test_the_words_before_a_mentions_prepositions_decide_whether_it_names_an_outlet(nlp, text, word, kind):
    assert resolved_actor(nlp, text, word).kind == kind
