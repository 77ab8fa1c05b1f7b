"""Outlets by name: is a mention a news outlet, and what is the outlet called ("the state news
agency Yonhap" -> Yonhap). Read by the speaker resolver (an outlet speaking) and the reporting
chains (an outlet passing a claim on).
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from ..actors import resolve_actor
from .lexicon import Lexicon
from .reported import phrase_head

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

__all__ = ["PART_NOUNS", "described_outlet", "is_media", "name_run", "outlet_name"]

# nouns that stand for a programme or part of an outlet: the owner is the outlet ("CBS's Face the
# Nation", "France 24's English service", "his Instagram account")
PART_NOUNS = {"service", "program", "programme", "show", "edition", "website", "site", "channel", "account",
              "page", "feed", "podcast", "broadcast", "bulletin", "newscast", "desk", "section", "app"}
_THE = {"the", "a", "an"}
# the parts of a name: "Press Trust of India", "France 24", "Rossiya-24", "Al Jazeera"
_NAME_GLUE = {"of", "-", "de", "al", "el", "la", "le", "der", "die", "das", "&", "della", "del", "da", "do", "du",
              "des", "di", "van", "von"}


def is_media(tokens: Span | list[Token], lexicon: Lexicon) -> bool:
    """Does this mention name a news outlet ("TASS", "the Russian news agency", "The Post")?"""
    words = [t for t in tokens if not t.is_punct]
    if not words:
        return False
    # "the financial daily Nikkei": the tagger may read the medium's noun as an adjective of the name
    heads = {t.lemma_.lower() for t in words
             if t.pos_ == "NOUN" or (t.dep_ in ("amod", "compound") and t.head.pos_ == "PROPN" and t.is_lower)}
    if heads & lexicon.media_nouns and any(t.lower_ in ("news", "press") or t.pos_ == "PROPN" for t in words):
        return True
    names = [t for t in words if t.ent_type_ in ("ORG", "WORK_OF_ART", "") and t.pos_ == "PROPN"]
    return any(t.lower_ in lexicon.media_words for t in names)


def described_outlet(span: Span, lexicon: Lexicon) -> bool:
    """Is the phrase an outlet named after its description ("the business newspaper Handelsblatt",
    "the Russian business daily Kommersant", "the tabloid The Sun"), its head the medium's noun or the
    name right after it? Not a person the outlet employs ("Television presenter Piers Morgan")."""
    head = phrase_head(span)
    if head.lemma_.lower() in lexicon.media_nouns:
        return True
    if head.pos_ != "PROPN":
        return False
    doc = span.doc
    i = head.i - 1
    while i >= span.start and doc[i].pos_ == "PROPN" and not doc[i].is_lower:
        i -= 1
    if i >= span.start and doc[i].text == "The":
        i -= 1
    return i >= span.start and (doc[i].lower_ in lexicon.media_nouns or doc[i].lemma_.lower() in lexicon.media_nouns)


def outlet_name(span: Span) -> str:
    """'the state news agency Yonhap' -> 'Yonhap'; "CBS's Face the Nation" -> 'CBS'; 'The New York
    Times' -> 'The New York Times'; an unnamed one as written: "Iran's state television"."""
    head = phrase_head(span)
    doc = span.doc
    words = [t for t in span if not t.is_punct or t.text in "'’-"]
    while words and words[0].lower_ in _THE:
        words.pop(0)
    whole = doc[words[0].i:words[-1].i + 1].text if words else ""
    known = resolve_actor(whole, outlet=True) if len(words) > 1 else None
    if known is not None and known.kind == "MEDIA" and whole.casefold().endswith(known.name.casefold()):
        return whole[len(whole) - len(known.name):]  # "People's Daily"; "the Qatari broadcaster Al Jazeera"
    if head.pos_ == "NOUN" and head.is_lower:
        # "the KCNA news agency", "Hezbollah's Al-Manar television": the name before the noun
        compounds = [t for t in head.children if t.pos_ == "PROPN" and t.dep_ == "compound" and t.i < head.i
                     and not t.is_lower and t.i >= span.start]
        if compounds:
            return name_run(doc, compounds[-1])
    if head.pos_ == "NOUN" and not head.is_lower and head.i > span.start:
        return name_run(doc, head) if head.text.isupper() else head.text  # "EFE" tagged as a noun
    if head.lemma_.lower() in PART_NOUNS or head.pos_ == "PROPN":
        owner = next((c for c in head.children if c.dep_ == "poss" and c.pos_ == "PROPN"
                      and c.ent_type_ not in ("GPE", "LOC", "NORP")), None)  # "Egypt's Al-Ahram": a country
        if owner is not None and (head.lemma_.lower() in PART_NOUNS or head.i > owner.i):
            return name_run(doc, owner)
    if head.pos_ != "PROPN":
        named = next((c for c in head.children if c.dep_ in ("appos", "compound", "npadvmod")
                      and c.pos_ == "PROPN" and (c.i > head.i or head.lemma_.lower() in PART_NOUNS)), None)
        if named is not None:
            return name_run(doc, named)
        return whole or span.text
    return name_run(doc, head)


def name_run(doc: Doc, token: Token) -> str:
    """The proper name ``token`` is part of: its run of proper nouns and numbers."""
    def part(t: Token) -> bool:
        return t.pos_ in ("PROPN", "NUM") and t.lower_ not in ("citing", "quoting", "according")

    def named(i: int) -> bool:
        # a lower-case word the tagger took for a name belongs to one only inside it ("La Gazzetta
        # dello Sport"), not at its start ("the business daily Kommersant")
        t = doc[i]
        return part(t) and (not (t.is_lower and t.is_alpha) or (i > 0 and part(doc[i - 1]) and not doc[i - 1].is_lower))
    start = end = token.i
    while start > 0 and (named(start - 1) or (doc[start - 1].lower_ in _NAME_GLUE and start > 1
                                              and part(doc[start - 2]) and doc[start - 1].whitespace_ != "")
                         or (start > 1 and doc[start - 1].text == "-" and part(doc[start - 2])
                             and not doc[start - 2].whitespace_ and not doc[start - 1].whitespace_)  # "Al-Ahram"
                         or (doc[start - 1].lower_ in _NAME_GLUE and doc[start - 1].text[:1].isupper()
                             and doc[start - 1].text != "The")):
        start -= 1  # "Le Monde", "Al Jazeera", "Die Zeit" keep their article
    while end + 1 < len(doc) and ((part(doc[end + 1]) and not doc[end + 1].is_lower)  # not "KCNA news agency"
                                  or (doc[end + 1].lower_ in _NAME_GLUE and end + 2 < len(doc) and part(doc[end + 2]))):
        end += 1
    while start < end and doc[start].lower_ in _NAME_GLUE and not doc[start].text[:1].isupper():
        start += 1
    if start > 0 and doc[start - 1].text == "The":
        start -= 1  # "The New York Times" keeps its article
    while end > start and doc[end].text in ("'s", "’s", "-"):
        end -= 1
    return doc[start:end + 1].text
