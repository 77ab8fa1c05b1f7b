"""Reporting chains: which outlets and channels passed a claim on before this article.

Read from the parse around each claim's cue, the way wire copy writes them:

- an outlet quoting or citing someone: "TASS quoted Lavrov as saying", "X was quoted by Interfax as
  saying", "RIA said, quoting a ministry source, that", "Citing two diplomats, the FT reported";
- a person speaking to or on a medium: "told Deutsche Welle", "in an interview with NHK", "speaking
  to Radio Liberty", "wrote in an op-ed for Politico", "confirmed to Bloomberg";
- relays before or after the claim: "..., Yonhap reported", "according to Nikkei", "as reported by
  Meduza";
- channels (role ``channel``): "in a statement carried by KCNA", "in a post on Telegram", "on X";
- the dateline's agency (role ``wire``): "MOSCOW (Reuters) -", "KYIV, March 3 (AFP) -", "— Xinhua".

An outlet the lexicon does not know counts where the construction leaves room for nothing else
("was quoted by X as saying", "..., X reported", "According to X, Y denied", "X reported, citing
Y", "AFP, citing X, reported that Y said": ``outlet_position``), unless the knowledge base knows
the name as a person or a place.

``find_relays`` lists the links a text names; ``reattribute`` turns the claims an outlet only carried
into the claims of the person it quoted (the outlet joins the chain); ``find_wire`` reads the dateline.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from ..actors import resolve_actor
from ..parse import DATELINE, DATELINE_WITHIN, tree_depth
from .lexicon import Lexicon
from .outlets import PART_NOUNS, is_media, name_run, outlet_name
from .reported import np_bounds, phrase_head

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

__all__ = ["Relay", "dateline_end", "find_relays", "find_wire", "is_outlet", "outlet_position"]

_REPORT_NOUNS = {"coverage", "reporting", "report", "interview", "article", "story", "broadcast",
                 "dispatch", "piece", "op-ed", "editorial", "column", "account", "footage"}
# verbs whose subject, when an outlet, only passes on someone else's words ("..., Yonhap reported")
_RELAY_VERBS = {"report", "say", "write", "quote", "cite", "add", "tell"}
# a preposition's object may name the medium a speaker used: "told X", "in an interview with X"
_MEDIUM_PREPS = {"to", "with", "on", "for", "by", "via", "in", "through"}
# participles and nouns that lead from a cue to the medium ("speaking to", "in remarks broadcast by")
_MEDIUM_VERBS = {"speak", "talk", "write", "post", "tell", "carry", "broadcast", "air", "publish", "say",
                 "give", "appear", "confirm", "comment", "tweet"}
_CHANNEL_VERBS = {"carry", "broadcast", "air", "post", "publish", "stream", "televise"}
_CHANNEL_NOUNS = {"post", "video", "message", "tweet", "account", "channel", "page", "feed", "livestream",
                  "address", "clip", "broadcast"}

@dataclass(slots=True, frozen=True)
class Relay:
    """An outlet or channel named in sentence ``sentence`` as a link of the reporting chain."""

    name: str
    start: int
    end: int
    sentence: int  # token index where the sentence starts
    token: int     # head token of the outlet mention
    role: str = "relay"  # or "channel"
    depth: int = 0  # how deep the construction sits in the parse (deeper: nearer the speaker)
    anchor: int = -1  # the verb or preposition the outlet hangs on


def is_outlet(span: Span, lexicon: Lexicon, *, licensed: bool = False, positional: bool = False) -> bool:
    """Does ``span`` name a news outlet or a platform? ``licensed``: the construction says it is a
    medium ("told X", "in an interview with X"), so an unknown proper name counts unless it names
    a person, a place or an actor the knowledge base knows as something else. ``positional``: only
    an outlet can stand where it stands ("was quoted by X as saying", "..., X reported"), so an
    unknown proper name counts whatever the named-entity tagger took it for (it reads "Caixin" or
    "Prothom Alo" as persons)."""
    if positional:
        licensed = True
    words = [t for t in span if not t.is_punct]
    if not words:
        return False
    head = phrase_head(span)
    if head.pos_ == "NOUN" and head.is_lower and head.lemma_ not in lexicon.media_nouns \
            and head.lemma_ not in PART_NOUNS:
        return False  # "a CBS News poll", "a Washington Post database": a source of its own
    name = outlet_name(span)
    if name.casefold() in lexicon.outlets or name.casefold() in lexicon.platforms:
        return True
    # where the construction says "medium", a name an outlet shares ("AFP") is the outlet
    known = resolve_actor(name, outlet=licensed) if head.pos_ == "PROPN" else None
    if known is not None and (known.kind == "MEDIA" or known.sector == "JRN"):
        return True  # the knowledge base's outlets, and names it composes as one ("Qatar News Agency")
    if known is not None and known.kind != "GROUP":
        return False  # a person, a place, an organisation of another kind
    if is_media(span, lexicon):  # a name composed of a country and words ("Radio Pakistan"): its words decide
        return True
    if not licensed:
        return False
    if head.pos_ == "NOUN" and head.lemma_.lower() in lexicon.media_nouns:
        return True  # "in remarks broadcast by state television", "told a local radio station"
    # "RBC-Ukraine", "Interfax-Ukraine": a hyphenated name is not the place its last part names
    hyphenated = any(t.text == "-" and not t.whitespace_ and t.i > span.start and not span.doc[t.i - 1].whitespace_
                     for t in span)
    if head.pos_ != "PROPN" or (not positional and not hyphenated
                                and head.ent_type_ in ("PERSON", "GPE", "LOC", "NORP", "DATE", "TIME")):
        return False
    return head.lemma_.lower() not in lexicon.not_outlets and head.ent_type_ not in ("DATE", "TIME")


def outlet_position(token: Token, lexicon: Lexicon) -> int:
    """How strongly the construction around ``token`` (the head of a noun phrase) says it is an
    outlet: 2, only an outlet stands there ("was quoted by X as saying", "X quoted Y as saying",
    "..., X reported", "as reported by X", "According to X, Y said", "Y said ..., according to X",
    "X reported, citing Y", "AFP, citing X, reported that Y said"); 1, a medium by its role in a
    chain ("citing X" on an outlet's verb, "X reported that Y said"); 0 otherwise. The knowledge
    base still vetoes a name it knows as a person or a place."""
    head, dep = token.head, token.dep_
    if dep == "pobj" and head.dep_ == "agent":
        verb = head.head
        if verb.lemma_.lower() in ("quote", "cite") and _as_saying(verb):
            return 2
        if verb.lemma_.lower() == "report" and any(c.lower_ == "as" for c in verb.children):
            return 2  # "as reported by X"
    if dep == "nsubj":
        lemma = head.lemma_.lower()
        if lemma in ("quote", "cite") and head.pos_ == "VERB" and _as_saying(head) \
                and any(c.dep_ == "dobj" for c in head.children):
            return 2
        if lemma in ("report", "write") and head.pos_ == "VERB":
            if _trailing(head):
                return 2
            if _cites(head):
                return 2  # "X reported, citing a source, that ...": who reports citing sources is an outlet
            if _nested_claim(head, lexicon):
                return 1
    if dep == "pobj" and head.lower_ == "to" and head.head.lower_ == "according":
        verb = head.head.head
        if verb.pos_ == "VERB" and verb.i > token.i and verb.lemma_.lower() in lexicon.speech \
                and any(c.dep_ == "nsubj" and c.i > token.i for c in verb.children):
            return 2  # "According to X, the minister denied ...": X only carried the minister's words
        while verb.dep_ == "ccomp" and verb.head.i < verb.i < token.i and not lexicon.is_cue_verb(verb.lemma_.lower()):
            verb = verb.head  # "The army said the convoy had arrived, according to X": X carried it
        if verb.i < token.i and verb.pos_ == "VERB" and verb.lemma_.lower() in lexicon.speech \
                and any(c.dep_ == "nsubj" for c in verb.children) and any(c.dep_ == "ccomp" for c in verb.children):
            return 2
    if dep == "dobj" and head.lower_ in ("citing", "quoting") and token.pos_ == "PROPN":
        subject = _subject(head)
        if subject is not None and subject.i != token.i:
            start, end = np_bounds(subject)
            if is_outlet(subject.doc[start:end], lexicon, positional=outlet_position(subject, lexicon) > 0):
                # "AFP, citing Kompas, reported that the minister had said": a link between two
                return 2 if _nested_claim(subject.head, lexicon) else 1
    return 0


def _cites(verb: Token) -> bool:
    """"citing/quoting X" on ``verb``, its subject or the clause it reports (where the parse may hang it)."""
    near = [*verb.children, *(g for c in verb.children if c.dep_ in ("ccomp", "nsubj") for g in c.children)]
    if verb.dep_ in ("ccomp", "parataxis") and verb.head.i > verb.i:
        near += verb.head.children  # "X has reported, citing Y, that ...": the parse made the report the root's ccomp
    return any(t.lower_ in ("citing", "quoting") and t.dep_ in ("advcl", "xcomp", "acl")
               and any(c.dep_ == "dobj" for c in t.children) for t in near)


def _as_saying(verb: Token) -> bool:
    """"quoted X as saying": the verb has "as" with a participle of saying."""
    return any(c.lower_ == "as" and any(g.tag_ == "VBG" for g in c.children) for c in verb.children)


def _trailing(verb: Token) -> bool:
    """"The army said ..., X reported": the reporting verb follows the words it carries."""
    if any(c.dep_ in ("ccomp", "parataxis") and c.i < verb.i for c in verb.children):
        return True
    return verb.dep_ in ("ccomp", "parataxis") and verb.head.i < verb.i \
        and any(t.text == "," for t in verb.doc[max(verb.head.i, verb.i - 8):verb.i])


def _nested_claim(verb: Token, lexicon: Lexicon) -> bool:
    """"X reported that the minister had said ...": a claim with its own speaker inside."""
    for child in verb.children:
        if child.dep_ == "ccomp" and child.i > verb.i and any(c.dep_ == "nsubj" for c in child.children) and (
                lexicon.is_cue_verb(child.lemma_.lower())
                or (child.lemma_.lower() in ("quote", "cite") and _as_saying(child))):  # "had quoted X as saying"
            return True
    return False


def _relay(outlet: Token, lexicon: Lexicon, *, anchor: Token, role: str = "relay",
           licensed: bool = False, positional: bool = False, deeper: int = 0) -> Relay | None:
    owner = outlet
    if outlet.lemma_.lower() in PART_NOUNS:
        owner = next((c for c in outlet.children if c.dep_ in ("poss", "compound", "nmod") and c.pos_ == "PROPN"),
                     outlet)  # "France 24's Arabic service" (the parse may read "France" as its nmod)
    start, end = np_bounds(owner)
    doc = outlet.doc
    span = doc[start:end]
    if owner.i != outlet.i:
        span = doc[min(start, outlet.i):max(end, outlet.i + 1)]
    if not is_outlet(doc[start:end], lexicon, licensed=licensed, positional=positional):
        return None
    name = outlet_name(span) if owner.i == outlet.i else name_run(doc, owner)
    if name.casefold() in lexicon.platforms:
        role = "channel"
    return Relay(name=name, start=span.start_char, end=span.end_char, sentence=outlet.sent.start,
                 token=outlet.i, role=role, depth=tree_depth(anchor) + deeper, anchor=anchor.i)


def _pobj(prep: Token | None) -> Token | None:
    if prep is None:
        return None
    return next((c for c in prep.children if c.dep_ == "pobj"), None)


def _subject(verb: Token) -> Token | None:
    subject = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subject is None and verb.dep_ in ("advcl", "xcomp", "conj", "pcomp") and verb.head.i != verb.i:
        return _subject(verb.head)
    return subject


def _media_links(token: Token, lexicon: Lexicon, depth: int = 0, *,
                 channel: bool = False) -> list[Relay]:
    """The media a cue's prepositions and participles lead to: "told X", "in an interview with
    X", "speaking to X", "in a statement carried by X", "in a post on X"."""
    found: list[Relay] = []
    lemma = token.lemma_.lower()
    for child in token.children:
        dep, lower = child.dep_, child.lower_
        if channel and token.pos_ == "NOUN" and dep == "compound" and not child.is_lower and child.i < token.i \
                and child.pos_ in ("PROPN", "NOUN", "ADJ"):
            # "in a TikTok video", "in a Facebook post": the platform names the post
            relay = _relay(child, lexicon, anchor=token, licensed=True, role="channel")
            if relay is not None:
                found.append(relay)
        elif dep in ("dative", "dobj") and lemma in ("tell", "give"):
            relay = _relay(child, lexicon, anchor=token, licensed=lemma == "tell", role="relay")
            if relay is not None:
                found.append(relay)
            elif lemma == "give" and depth < 3:  # "gave an interview to X"
                found += _media_links(child, lexicon, depth + 1)
        elif dep in ("prep", "agent") and lower in _MEDIUM_PREPS:
            target = _pobj(child)
            if target is None:
                continue
            via_channel = channel or lemma in _CHANNEL_VERBS or (lower == "on" and lemma in _CHANNEL_NOUNS)
            licensed = lower in ("to", "with", "for") or (lower == "on" and token.pos_ in ("VERB", "NOUN"))
            relay = None
            if lower != "in" or token.pos_ == "NOUN":
                relay = _relay(target, lexicon, anchor=token, licensed=licensed and lower != "by",
                               role="channel" if via_channel or lower in ("on", "via") else "relay")
                if relay is None and lower == "by" and lemma in _CHANNEL_VERBS:
                    relay = _relay(target, lexicon, anchor=token, role="channel", licensed=True)
            if relay is not None:
                found.append(relay)
            elif depth < 3 and target.pos_ in ("NOUN", "PROPN"):
                found += _media_links(target, lexicon, depth + 1,
                                      channel=target.lemma_.lower() in _CHANNEL_NOUNS)
        elif dep in ("advcl", "acl", "xcomp", "relcl") and child.lemma_.lower() in _MEDIUM_VERBS and depth < 3 \
                and child.pos_ == "VERB":
            found += _media_links(child, lexicon, depth + 1, channel=child.lemma_.lower() in _CHANNEL_VERBS)
    return found


def find_relays(doc: Doc, lexicon: Lexicon, *, cues: set[int] | None = None) -> list[Relay]:
    """Every outlet or channel the text names as having reported or carried someone's words;
    ``cues``: the claims' cue tokens, whose media ("told X", "on X") are read too."""
    from ..parse import columns

    relays: list[Relay] = []
    table = columns(doc)
    for i, (lemma, lower) in enumerate(zip(table.lemma, table.lower, strict=True)):
        cue = cues is not None and i in cues
        citing = lower in ("citing", "quoting")  # "Citing X, ..." opening a sentence is tagged a noun
        if not cue and lemma not in _REPORT_NOUNS and lemma not in _RELAY_VERBS and lower != "according" \
                and not citing:
            continue  # no Token object for the other words
        token = doc[i]
        if cue or lemma in _MEDIUM_VERBS:
            relays += _media_links(token, lexicon)
        outlets: list[Token | None] = []  # None: a preposition without its object
        if token.lower_ == "according":
            outlets.append(_pobj(next((c for c in token.children if c.lower_ == "to"), None)))
        elif (token.pos_ == "VERB" and lemma in _RELAY_VERBS) or citing:
            agent = next((c for c in token.children if c.dep_ == "agent"), None)
            if agent is not None:
                outlets.append(_pobj(agent))  # "as reported by Meduza", "was quoted by Interfax"
            elif (token.tag_ == "VBG" and lemma in ("quote", "cite")) or citing:
                outlets.append(_subject(token))  # "RIA said, quoting a source, ...": RIA relays
                cited = next((c for c in token.children if c.dep_ == "dobj"), None)
                position = outlet_position(cited, lexicon) if cited is not None else 0
                if cited is not None and position:  # "AFP, citing Kompas, reported"
                    relay = _relay(cited, lexicon, anchor=token, licensed=True, positional=position > 1, deeper=2)
                    if relay is not None:
                        relays.append(relay)
            else:  # "The Russian business daily Kommersant quoted": the parse may give two subjects
                subjects = [c for c in token.children if c.dep_ == "nsubj"]
                named = [c for c in subjects if c.pos_ == "PROPN"]
                outlets.extend(named[-1:] if len(subjects) > 1 and named else subjects)
        elif lemma in _REPORT_NOUNS and token.pos_ == "NOUN":
            for child in token.children:
                if child.dep_ == "prep" and child.lower_ in ("by", "from", "with", "in", "on"):
                    outlets.append(_pobj(child))
                elif child.dep_ in ("poss", "compound") and child.pos_ == "PROPN":
                    outlets.append(child)
        # "According to X, the minister told Y that ...": X carried what the minister told Y, so it
        # sits above the verb "according to" hangs on
        outer = -2 if token.lower_ == "according" else 0
        for outlet in outlets:
            if outlet is not None:
                position = outlet_position(outlet, lexicon)
                relay = _relay(outlet, lexicon, anchor=token, licensed=position > 0, positional=position > 1,
                               deeper=outer)
                if relay is not None:
                    relays.append(relay)
    unique: list[Relay] = []
    for relay in sorted(relays, key=lambda r: r.start):  # one link per mention, however many lead to it
        last = unique[-1] if unique else None
        if last is not None and last.start < relay.end and relay.start < last.end:
            continue
        if last is not None and 0 <= relay.start - last.end <= 1 and last.sentence == relay.sentence:
            # "the state news agency Xinhua" read as two subjects: one link, named by its name
            unique[-1] = replace(relay, start=last.start, depth=max(last.depth, relay.depth))
            continue
        unique.append(relay)
    return unique


# "... the ambassador had been summoned. — Xinhua" (the agency's name alone, at the very end)
_SIGN_OFF = re.compile(r"[.!?”\"]\s*[–—-]{1,2}\s*(?P<agency>[A-Z][\w.&'’\-]*(?: [A-Z][\w.&'’\-]*){0,3})\s*\Z")


def find_wire(text: str) -> tuple[str, int, int] | None:
    """The news agency of the article's dateline (name, start, end), or ``None``."""
    match = DATELINE.search(text, 0, DATELINE_WITHIN) or _SIGN_OFF.search(text)
    if match is None:
        return None
    return match.group("agency").strip(), match.start("agency"), match.end("agency")


def dateline_end(text: str) -> int:
    """Where the text after a dateline ("MOSCOW (Reuters) - ") starts; 0 without one."""
    match = DATELINE.search(text, 0, DATELINE_WITHIN)
    return match.end() if match else 0
