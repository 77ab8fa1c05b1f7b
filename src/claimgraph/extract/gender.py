"""Grammatical gender of the persons an article names, so that "he" and "she" find the right one.

Evidence, strongest first: an honorific before the surname anywhere in the article ("Mr. Lavrov",
"Ms. Clinton"); a gendered word among the titles the article gives the person ("spokeswoman",
"congressman"); the first name, from the US Census Bureau's 1990 first-name frequencies (public
domain, shipped in the ``names`` package). A name that the evidence does not settle stays unknown
and fits either pronoun.
"""
from __future__ import annotations

import functools
from importlib import resources

__all__ = ["FEMALE", "MALE", "first_name_gender", "honorific_gender", "pronoun_gender", "title_gender"]

MALE, FEMALE = "M", "F"

_HONORIFICS = {"mr.": MALE, "mr": MALE, "sir": MALE, "mrs.": FEMALE, "mrs": FEMALE, "ms.": FEMALE, "ms": FEMALE,
               "miss": FEMALE, "madam": FEMALE, "dame": FEMALE}
_TITLE_WORDS = {
    MALE: {"spokesman", "congressman", "chairman", "businessman", "councilman", "assemblyman", "king", "prince",
           "husband", "father", "son", "brother", "uncle", "grandfather", "nephew", "boyfriend", "actor",
           "sportsman", "anchorman", "newsman", "statesman", "countryman", "widower"},
    FEMALE: {"spokeswoman", "congresswoman", "chairwoman", "businesswoman", "councilwoman", "assemblywoman",
             "queen", "princess", "wife", "mother", "daughter", "sister", "aunt", "grandmother", "niece",
             "girlfriend", "actress", "sportswoman", "anchorwoman", "newswoman", "stateswoman", "lady",
             "widow", "first lady"},
}
_PRONOUNS = {"he": MALE, "him": MALE, "his": MALE, "himself": MALE,
             "she": FEMALE, "her": FEMALE, "hers": FEMALE, "herself": FEMALE}
_SHARE = 0.9  # a first name settles the gender when at least this share of its bearers have it


def pronoun_gender(word: str) -> str | None:
    """MALE for "he", FEMALE for "her", None for any other word."""
    return _PRONOUNS.get(word.lower())


def honorific_gender(word: str) -> str | None:
    """The gender an honorific before a name gives ("Mr." -> MALE), None for other words."""
    return _HONORIFICS.get(word.lower())


def title_gender(phrases: list[str]) -> str | None:
    """The gender the title phrases given to a person imply ("the party's spokeswoman"), if they agree."""
    found = {gender for gender, words in _TITLE_WORDS.items()
             for phrase in phrases for word in phrase.lower().replace("’s", " ").split() if word in words}
    found |= {FEMALE for phrase in phrases if "first lady" in phrase.lower()}
    return found.pop() if len(found) == 1 else None


def first_name_gender(name: str) -> str | None:
    """The gender most bearers of this first name have in the 1990 US census, when the census
    settles it (at least 90 % one way); None for names it does not list or leaves open."""
    shares = _first_names().get(name.casefold())
    if shares is None:
        return None
    male, female = shares
    if male >= _SHARE * (male + female):
        return MALE
    if female >= _SHARE * (male + female):
        return FEMALE
    return None


@functools.cache
def _first_names() -> dict[str, tuple[float, float]]:
    """First name -> (share of men, share of women) bearing it, in percent of each sex."""
    table: dict[str, list[float]] = {}
    for column, filename in ((0, "dist.male.first"), (1, "dist.female.first")):
        text = resources.files("names").joinpath(filename).read_text(encoding="ascii")
        for line in text.splitlines():
            parts = line.split()
            if len(parts) >= 2:
                table.setdefault(parts[0].casefold(), [0.0, 0.0])[column] = float(parts[1])
    return {name: (male, female) for name, (male, female) in table.items()}
