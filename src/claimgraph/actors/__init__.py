"""Actors: canonical names with ISO3 country (or UNO / EUR / IGO), PLOVER sector and Wikidata id.

``resolve_actor(text, context=..., date=...)`` reads a mention ("Russian officials", "the Kremlin",
"Kyiv police", "Armenian Prime Minister Nikol Pashinyan") against the bundled knowledge base in
``data/actors/`` (see ``kb.py``): countries, regions and cities; seats of government, organisations
and news outlets; agent nouns with their sectors; office-holders with dated terms.
"""
from __future__ import annotations

import functools
import re
from dataclasses import replace
from typing import Any, overload

from ..records import Actor
from .kb import ActorKB, Entry, Match, Office, load_kb, norm_word, words

__all__ = ["ActorKB", "Entry", "Match", "Office", "load_kb", "resolve_actor", "enrich_actor", "actor_record",
           "officeholder"]


def resolve_actor(text: str, *, context: str | None = None, date: str | None = None,
                  kb: ActorKB | None = None, outlet: bool = False) -> Actor | None:
    """The actor a mention names, or ``None`` when nothing in it is known (see ``_resolve``).

    ``outlet``: the construction around the mention already says it is a medium (a dateline,
    "told X", "..., X reported", a speaker read as an outlet), so where a name is shared ("AFP": the
    agency and the Armed Forces of the Philippines) the outlet reading wins over the context.
    Results for the bundled knowledge base are cached: news repeats its actors.
    """
    if kb is None:
        return _resolve_cached(text, context, date, outlet)
    return _resolve(text, context=context, date=date, kb=kb, outlet=outlet)


@functools.lru_cache(maxsize=65536)
def _resolve_cached(text: str, context: str | None, date: str | None, outlet: bool = False) -> Actor | None:
    return _resolve(text, context=context, date=date, kb=load_kb(), outlet=outlet)


# a preposition outside every known phrase splits a mention into a head and its complement
_LINKS = {"to": "to", "in": "place", "at": "place", "from": "place", "of": "of"}
# "former minister", "retired general", "ex-president": the holder of an office that has ended
_FORMER = {"former", "retired", "ex", "erstwhile", "ousted", "deposed", "exiled"}
# a named armed group keeps its sector under its members' nouns: "Hezbollah fighters", "Taliban spokesman"
_ARMED = {"REB", "UAF", "PRM", "CRM", "INS"}
# nouns for an organisation's own people: "a Shell spokesman", "Harvard officials" keep the organisation's sector
_MEMBERS = {"spokesman", "spokeswoman", "spokesperson", "official", "officials", "representative", "member",
            "head", "chief", "leader", "director", "chairman", "chairwoman", "executive", "staff", "employee",
            "source", "worker", "statement", "side"}
_EX = re.compile(r"\b(?:ex|former)-(?=\w)", re.IGNORECASE)
_OFFICE_SECTORS = {"GOV", "LEG", "MIL", "JUD", "COP", "SPY", "PTY", "OPP"}


def _resolve(text: str, *, context: str | None, date: str | None, kb: ActorKB, outlet: bool = False) -> Actor | None:
    """The actor a mention names, or ``None`` when nothing in it is known.

    ``context`` (the sentence or article around the mention) supplies the country when the
    mention has none ("the interior minister" in a story about Poland), and picks between
    organisations that share a name or acronym. ``date`` decides which office-holder's term applies.
    A mention with a preposition outside every known phrase is read as head + complement:
    "Canadian ambassador to the UN" is Canada's (the head's country wins), "the speaker of the
    Knesset" speaks for the Knesset, "residents of Gaza" / "police in Delhi" take the place's country.
    """
    read = _EX.sub("ex ", text)  # "ex-army chief": the office is "army chief"
    if read != text:
        actor = _resolve(read, context=context, date=date, kb=kb, outlet=outlet)
        return replace(actor, name=text.strip()) if actor is not None and actor.name == read.strip() else actor
    matches = kb.scan(text)
    owned = _owned(text, matches, date=date, kb=kb)
    if owned is not None:
        return owned
    people = [m for m in matches if m.entry.kind == "person"]
    written = words(text)
    if people and people[-1].end < len(written) and written[-1][:1].isupper() \
            and norm_word(written[-1]) in kb.head_sectors:
        # "Kenyatta University", "the Mandela Foundation": named after a person, not the person
        return _plain(text, [m for m in matches if m.entry.kind != "person"], context=context, kb=kb)
    if people:
        return _person(kb, people[-1].entry, _day(date), [m for m in matches if m.entry.kind == "agent"],
                       _is_former(text))
    split = _split(text, matches)
    if split is not None:
        link, head, tail = split
        return _linked(text.strip(), link, head, tail, context=context, date=date, kb=kb)
    return _plain(text, matches, context=context, kb=kb, outlet=outlet)


_POSSESSIVE = ("'s", "’s", "’", "'")


def _owned(text: str, matches: list[Match], *, date: str | None, kb: ActorKB) -> Actor | None:
    """"Vladimir Putin's prisoner recruits", "Hamas's supporters": people who belong to a named person
    or organisation are not it. A group with the owner's country and the sector of its own head
    noun, when that is known; ``None`` when the mention is not of that form. An organisation's own
    people ("Hamas's spokesman") are left to the organisation's rules."""
    found = words(text)
    for m in matches:
        if m.entry.kind not in ("person", "organisation", "media") or m.end >= len(found):
            continue
        if not found[m.end - 1].endswith(_POSSESSIVE):
            continue
        rest = found[m.end:]
        later = kb.scan(" ".join(rest))
        if any(x.entry.kind == "person" for x in later):
            return None  # "Putin's spokesman Dmitry Peskov": the person named
        head = [x for x in later if x.entry.kind == "agent" and x.end == len(rest)]
        if m.entry.kind != "person" and head and head[-1].entry.name in _MEMBERS:
            return None
        code = m.entry.code
        if m.entry.kind == "person":
            code = _person(kb, m.entry, _day(date), []).country
        return Actor(name=text.strip(), kind="GROUP", country=code,
                     sector=head[-1].entry.sector if head else None)
    return None


def _split(text: str, matches: list[Match]) -> tuple[str, str, str] | None:
    found = words(text)
    covered = {i for m in matches for i in range(m.start, m.end)}
    for i, word in enumerate(found):
        link = _LINKS.get(word.lower())
        if (link and 0 < i < len(found) - 1 and i not in covered
                and (any(m.end <= i for m in matches) or any(m.start > i for m in matches))):
            return link, " ".join(found[:i]), " ".join(found[i + 1:])
    return None


def _linked(text: str, link: str, head: str, tail: str, *, context: str | None, date: str | None,
            kb: ActorKB) -> Actor | None:
    first = _resolve(head, context=None, date=date, kb=kb)
    second = _resolve(tail, context=context, date=date, kb=kb)
    if first is None:
        if second is None:
            return _plain(text, [], context=context, kb=kb)
        if link == "place" and second.kind == "GPE":
            return Actor(name=text, kind="GROUP", country=second.country, sector="CVL")
        return Actor(name=text, kind="GROUP", country=second.country,
                     sector=second.sector if link == "of" and second.kind != "GPE" else None,
                     wikidata=None)
    if second is None:
        return replace(first, name=text, kind="GROUP")

    if link == "of" and second.kind in ("ORG", "MEDIA") and second.sector:
        # "the speaker of the Knesset", "the head of the FSB": the institution's sector
        return replace(second, name=text, kind="GROUP", wikidata=None,
                       sector="ELI" if _is_former(head) else second.sector)
    country = first.country or second.country
    sector = first.sector or (second.sector if link == "of" and second.kind != "GPE" else None)
    return replace(first, name=text, country=country, sector=sector, kind="GROUP")


def _is_former(text: str) -> bool:
    return any(word.lower() in _FORMER for word in re.split(r"[\s-]+", text))


def _plain(text: str, matches: list[Match], *, context: str | None, kb: ActorKB,
           outlet: bool = False) -> Actor | None:
    named = _disambiguate([m for m in matches if m.entry.kind in ("organisation", "media")], context, kb,
                          described=matches, outlet=outlet)
    # a seat of government outranks the city it stands in ("Brussels": the EU before Belgium)
    places = sorted((m for m in matches if m.entry.kind in ("seat", "country", "capital", "city")),
                    key=lambda m: (m.start, m.entry.kind != "seat"))
    seats = {m.start for m in places if m.entry.kind == "seat"}
    places = [m for m in places if m.entry.kind == "seat" or m.start not in seats]
    matches = named + places + [m for m in matches if m.entry.kind == "agent"]
    agents = [m for m in matches if m.entry.kind == "agent"]
    if not matches and not context:
        return None
    entity = named[-1].entry if named else None
    code = entity.code if entity is not None and entity.code else (places[0].entry.code if places else None)
    sent = [m for m in agents if m.entry.name.endswith(" to")]  # "ambassador to", "envoy to"
    sender = [m for m in places if sent and m.end <= sent[0].start]
    if sender:
        code = sender[0].entry.code  # "the Canadian ambassador to the UN" is Canada's
        entity = None if named and named[-1].start >= sent[0].end else entity
    found = [w for w in words(text) if w.lower() not in ("the", "a", "an")]
    only_places = bool(places) and len(matches) == len(places) and sum(m.end - m.start for m in places) >= len(found)
    sector = None
    if entity is not None and entity.kind == "media":
        sector = entity.sector  # "the Russian news agency TASS": the outlet, whatever the nouns say
    elif agents and not (entity is not None and (
            agents[-1].entry.name in _MEMBERS
            or (entity.sector in _ARMED and agents[-1].entry.sector not in ("LEG", "JUD")))):
        sector = agents[-1].entry.sector  # the head noun comes last: "Kyiv police", "Pakistani Army"
        if sector in _OFFICE_SECTORS and _is_former(text):
            sector = "ELI"  # "retired vice president", "former army chief"
    elif entity is not None:
        sector = entity.sector
    elif only_places:
        sector = places[-1].entry.sector  # "Moscow" -> its government; "Mariupol" -> its people
    written = words(text)
    if entity is None and len(found) > 1 and not any(m.end == len(written) for m in agents + places):
        # an organisation the tables lack, read by its head noun: "the Progressive Farmers Party" -> PTY
        sector = kb.head_sectors.get(norm_word(written[-1]), sector)
    if code is None and context and not (entity is not None and entity.code is None):
        in_context = [m for m in kb.scan(context) if m.entry.kind in ("country", "capital", "seat", "city")]
        code = in_context[0].entry.code if in_context else None
    if code is None and sector is None:
        return None
    appositive = (entity is not None and len(named) == 1 and bool(agents) and named[0].end == len(words(text))
                  and all(m.end <= named[0].start for m in agents + places))
    if appositive and entity is not None:
        # "the French news agency AFP", "the ruling party BJP": the name is the head, the rest describes it
        return Actor(name=entity.name, kind="MEDIA" if entity.kind == "media" else "ORG",
                     country=entity.code or code, sector=entity.sector or sector, wikidata=entity.wikidata)
    if entity is not None and len(named) == 1 and not agents and not places:
        name, kind = entity.name, "MEDIA" if entity.kind == "media" else "ORG"
    elif only_places and len(places) == 1 and places[0].entry.kind == "seat":
        name, kind = places[0].entry.name, "GPE"
    else:
        name, kind = text.strip(), "GPE" if only_places else ("GROUP" if agents or places else "ORG")
    return Actor(name=name, kind=kind, country=code, sector=sector,
                 wikidata=entity.wikidata if entity is not None else None)


def _disambiguate(named: list[Match], context: str | None, kb: ActorKB,
                  described: list[Match] = (), outlet: bool = False) -> list[Match]:  # type: ignore[assignment]
    """One organisation per span: where a name or acronym is shared ("PP", "PRI", "AFP"), the one
    the words around it in the mention describe (an agent noun of its sector, a country or demonym
    of its country: "the French news agency AFP" is the outlet, not the Philippine armed forces);
    then, where the caller's construction says the mention is a medium (``outlet``), the outlet;
    else the one whose country the context names; else an outlet (a bare "AFP" or "PTI" with
    nothing around it: news text names its sources far more often than anything else); else the
    one listed first."""
    spans: dict[tuple[int, int], list[Match]] = {}
    for m in named:
        spans.setdefault((m.start, m.end), []).append(m)
    chosen = []
    for (start, end), candidates in spans.items():
        around = [m for m in described if m.end <= start or m.start >= end]
        sectors = {m.entry.sector for m in around if m.entry.kind == "agent"}
        codes = {m.entry.code for m in around if m.entry.kind in ("country", "capital", "city")}
        if len(candidates) > 1 and (sectors or codes):
            scored = [(len({c.entry.sector} & sectors) * 2 + len({c.entry.code} & codes), c) for c in candidates]
            best = max(score for score, _ in scored)
            candidates = [c for score, c in scored if score == best] if best else candidates
        if len(candidates) > 1 and outlet:
            candidates = [m for m in candidates if m.entry.kind == "media"] or candidates
        if len(candidates) > 1 and context:
            codes = {m.entry.code for m in kb.scan(context)
                     if m.entry.kind in ("country", "capital", "seat", "city", "person", "organisation")}
            candidates = [m for m in candidates if m.entry.code in codes] or candidates
        if len(candidates) > 1:
            candidates = [m for m in candidates if m.entry.kind == "media"] or candidates
        chosen.append(candidates[0])
    return chosen


def _day(date: str | None) -> str | None:
    """An ISO day from "2022-01-10", "10 May 2015" or "today"; ``None`` when there is no date."""
    import datetime as dt

    if not date:
        return None
    if date.strip().lower() in ("today", "now"):
        return dt.date.today().isoformat()
    try:
        from dateutil import parser

        return parser.parse(date, default=dt.datetime(2000, 1, 1)).date().isoformat()
    except (ValueError, OverflowError):
        return None


def _person(kb: ActorKB, entry: Entry, day: str | None, agents: list[Match], former: bool = False) -> Actor:
    """A known office-holder: the term that covers ``day`` (the latest if no day); a name seen
    after all its terms ended is a former office-holder (ELI)."""
    terms = kb.terms[entry.name]
    term = terms[-1]
    sector: str | None = term.sector[:3]
    if day is not None:
        current = [t for t in terms if t.holds(day)]
        if current:
            term, sector = current[-1], current[-1].sector[:3]
        elif any(t.start <= day for t in terms):
            term = [t for t in terms if t.start <= day][-1]
            sector = "ELI"
    if former:
        sector = "ELI"  # "former President X"
    elif agents and sector != "ELI":
        sector = agents[-1].entry.sector  # "General X", "Senator X": the title in the text wins
    return Actor(name=entry.name, kind="PERSON", country=term.country, sector=sector,
                 wikidata=term.wikidata or entry.wikidata or next((t.wikidata for t in terms if t.wikidata), None))


def officeholder(country: str, role: str, *, date: str | None = None, kb: ActorKB | None = None) -> Actor | None:
    """Who held ``role`` ("foreign minister") in ``country`` (ISO3) on ``date`` (default: latest)."""
    kb = kb or load_kb()
    day = _day(date)
    wanted = _ROLE_CLASSES.get(role.lower(), role.lower())
    found = [t for terms in kb.terms.values() for t in terms
             if t.country == country and _ROLE_CLASSES.get(t.role, t.role) == wanted
             and (day is None or t.holds(day))]
    if not found:
        return None
    term = max(found, key=lambda t: t.start)
    return Actor(name=term.person, kind="PERSON", country=term.country, sector=term.sector[:3], wikidata=term.wikidata)


_ROLE_CLASSES = {
    "foreign secretary": "foreign minister", "secretary of state": "foreign minister",
    "external affairs minister": "foreign minister", "minister of foreign affairs": "foreign minister",
    "defense secretary": "defence minister", "defence secretary": "defence minister",
    "defense minister": "defence minister", "minister of defence": "defence minister",
    "minister of defense": "defence minister", "premier": "prime minister",
    "spokeswoman": "spokesman", "spokesperson": "spokesman", "press secretary": "spokesman",
}


def enrich_actor(actor: Actor, mention: str, *, context: str | None = None, kb: ActorKB | None = None) -> Actor:
    """``actor`` with country, sector and Wikidata id filled in from its mention (and name)."""
    if actor.country and actor.sector:
        return actor
    found = resolve_actor(f"{mention} {actor.name}" if actor.name not in mention else mention, kb=kb,
                          outlet=actor.kind == "MEDIA")
    if found is None:
        return actor
    return replace(actor, country=actor.country or found.country, sector=actor.sector or found.sector,
                   wikidata=actor.wikidata or found.wikidata,
                   kind="MEDIA" if found.kind == "MEDIA" else actor.kind)


@overload
def actor_record(actor: Actor) -> dict[str, Any]: ...
@overload
def actor_record(actor: None) -> None: ...


def actor_record(actor: Actor | None) -> dict[str, Any] | None:
    """The ``claimgraph actors`` output shape: name, code (ISO3 / UNO / EUR / IGO), sector, wikidata."""
    if actor is None:
        return None
    return {"name": actor.name, "code": actor.country, "sector": actor.sector, "wikidata": actor.wikidata,
            "kind": actor.kind}
