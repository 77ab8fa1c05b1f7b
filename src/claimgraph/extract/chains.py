"""Reporting chains: which outlets passed a claim on before this article ("as reported by TASS",
"according to Reuters", "told The Associated Press", "coverage by The New York Times",
"TASS quoted Lavrov as saying").
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..parse import columns
from .lexicon import Lexicon
from .reported import np_bounds
from .speakers import is_media, media_name

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

__all__ = ["Relay", "find_relays"]

_REPORT_NOUNS = {"coverage", "reporting", "report", "interview", "article", "story", "broadcast",
                 "dispatch", "piece", "op-ed", "editorial", "column", "account", "footage"}
_RELAY_LEMMAS = _REPORT_NOUNS | {"report", "tell", "quote"}  # the words find_relays looks at ("according" too)


@dataclass(slots=True, frozen=True)
class Relay:
    """An outlet named in sentence ``sentence`` as a link of the reporting chain."""

    name: str
    start: int
    end: int
    sentence: int  # token index where the sentence starts
    token: int     # head token of the outlet mention


def _relay(token: Token, lexicon: Lexicon) -> Relay | None:
    start, end = np_bounds(token)
    span = token.doc[start:end]
    if not is_media(span, lexicon):
        return None
    return Relay(name=media_name(span), start=span.start_char, end=span.end_char,
                 sentence=token.sent.start, token=token.i)


def _pobj(prep: Token | None) -> Token | None:
    if prep is None:
        return None
    return next((c for c in prep.children if c.dep_ == "pobj"), None)


def find_relays(doc: Doc, lexicon: Lexicon) -> list[Relay]:
    """Every outlet the text names as having reported or carried someone's words."""
    relays: list[Relay] = []
    table = columns(doc)
    for i, (lemma, lower) in enumerate(zip(table.lemma, table.lower, strict=True)):
        if lemma not in _RELAY_LEMMAS and lower != "according":
            continue  # no Token object for the other words
        token = doc[i]
        outlets: list[Token | None] = []  # None: a preposition without its object
        if lemma == "report" and token.pos_ == "VERB":
            agent = next((c for c in token.children if c.dep_ == "agent"), None)
            outlets.append(_pobj(agent))
        elif token.lower_ == "according":
            outlets.append(_pobj(next((c for c in token.children if c.lower_ == "to"), None)))
        elif lemma in _REPORT_NOUNS and token.pos_ == "NOUN":
            for child in token.children:
                if child.dep_ == "prep" and child.lower_ in ("by", "from", "with", "in", "on"):
                    outlets.append(_pobj(child))
                elif child.dep_ in ("poss", "compound") and child.pos_ == "PROPN":
                    outlets.append(child)
        elif lemma == "tell" and token.pos_ == "VERB":
            outlets.extend(c for c in token.children if c.dep_ in ("dative", "dobj"))
        elif lemma == "quote" and token.pos_ == "VERB":
            outlets.extend(c for c in token.children if c.dep_ == "nsubj")
        for outlet in outlets:
            if outlet is not None:
                relay = _relay(outlet, lexicon)
                if relay is not None:
                    relays.append(relay)
    return relays
