"""Grammatical gender of the persons an article names, so that "he" and "she" find the right one.

Evidence, strongest first: the first name, from the US Census Bureau's 1990 first-name frequencies
(public domain, shipped in the ``names`` package); an honorific before the surname ("Mr. Lavrov",
"Ms. Wimes") when no other person in the article has that surname; a gendered head word among the
titles the article gives the person ("spokeswoman", "congressman"). A name that the evidence does
not settle stays unknown and fits either pronoun.
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
           "sportsman", "anchorman", "newsman", "statesman", "widower"},
    FEMALE: {"spokeswoman", "congresswoman", "chairwoman", "businesswoman", "councilwoman", "assemblywoman",
             "queen", "princess", "wife", "mother", "daughter", "sister", "aunt", "grandmother", "niece",
             "girlfriend", "actress", "sportswoman", "anchorwoman", "newswoman", "stateswoman", "lady", "widow"},
}
_PRONOUNS = {"he": MALE, "him": MALE, "his": MALE, "she": FEMALE, "her": FEMALE, "hers": FEMALE}
_SHARE = 0.75  # a first name settles the gender when at least this share of its bearers have it
# the census lists stop at these frequencies (percent of each sex): a name missing from one list may
# still be borne by up to that share of the sex, so that is what it counts for
_FLOOR = (0.004, 0.001)  # (men, women)
# names that lead East Asian names written surname first ("Kim Jong Un"): not first names
_SURNAMES_FIRST = {"kim", "park", "moon", "lee", "li", "wang", "zhang", "liu", "chen", "yang", "xi", "hu"}


def pronoun_gender(word: str) -> str | None:
    """MALE for "he", FEMALE for "her", None for any other word."""
    return _PRONOUNS.get(word.lower())


def honorific_gender(word: str) -> str | None:
    """The gender an honorific before a name gives ("Mr." -> MALE), None for other words."""
    return _HONORIFICS.get(word.lower())


def title_gender(heads: list[str]) -> str | None:
    """The gender the head words of the titles given to a person imply ("spokeswoman"), if they agree."""
    found = {gender for gender, words in _TITLE_WORDS.items() for head in heads if head.lower() in words}
    return found.pop() if len(found) == 1 else None


def first_name_gender(name: str) -> str | None:
    """The gender most bearers of this first name have in the 1990 US census, when the census
    settles it (at least 75 % one way, a name missing from one sex's list counted at that list's
    last frequency: "Yuri", rare in the women's list and absent from the men's, stays open); None
    for names it does not list or leaves open."""
    key = name.casefold()
    shares = _first_names().get(key)
    if shares is None or key in _SURNAMES_FIRST:
        return None
    male, female = shares
    # a sex's list must name it; the other sex then counts at its list's last frequency at most
    if male and male >= _SHARE * (male + (female or _FLOOR[1])):
        return MALE
    if female and female >= _SHARE * (female + (male or _FLOOR[0])):
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
