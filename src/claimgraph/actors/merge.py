"""One actor per entity: the names a person or organisation goes by in news, merged.

An article calls one person "Vladimir Putin", "President Putin" and "Putin", and one organisation
"the National Rifle Association" and "the NRA". ``canonical`` gives a mention's actor the knowledge
base's name and Wikidata id where the KB knows it (a title dropped, a unique surname read as the
whole name); ``merge_actors`` maps the actors of one article onto one representative each; ``alias_keys``
gives the keys a store looks an actor up by, so that the same entity in another article finds the
same row (``store.base`` keeps them in ``actor_aliases``).
"""
from __future__ import annotations

import dataclasses
import re
import unicodedata
from collections.abc import Iterable

from ..records import Actor
from .kb import load_kb, words

__all__ = ["canonical", "merge_actors", "alias_keys", "name_key", "person_name"]

# written before a name, never part of it
_HONORIFICS = {"mr", "mrs", "ms", "miss", "dr", "prof", "professor", "sir", "dame", "lord", "lady", "sen",
               "senator", "rep", "gov", "governor", "gen", "general", "col", "colonel", "capt", "captain",
               "lt", "sgt", "adm", "admiral", "president", "premier", "chancellor", "minister", "prime",
               "secretary", "mayor", "judge", "justice", "rev", "reverend", "father", "sheikh", "imam",
               "ambassador", "deputy", "vice", "former", "late", "ex", "acting", "interim", "state", "foreign",
               "defence", "defense", "interior", "finance", "spokesman", "spokeswoman", "spokesperson", "leader",
               "chief", "commander", "congressman", "congresswoman", "councillor", "councilman", "mp", "lawmaker"}
# small words of a name that never end it ("Ursula von" is the start of "Ursula von der Leyen")
_PARTICLES = {"von", "van", "der", "den", "de", "del", "della", "di", "da", "du", "la", "le", "bin", "ibn",
              "al", "el", "ter", "ten", "dos", "das"}
# not part of an organisation's initials ("the Federal Bureau of Investigation" is FBI)
_SMALL = {"of", "the", "and", "for", "in", "on", "at", "to", "a", "an", "&"}
_ACRONYM = re.compile(r"^[A-Z][A-Z&.]{1,7}$")
_ORGS = ("ORG", "MEDIA")


def _fold(text: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))


def name_key(name: str) -> str:
    """The key two spellings of one name share: case, accents, punctuation and spacing dropped
    ("Nausėda" = "Nauseda", "U.S. Army" = "US Army")."""
    return " ".join(_fold(name).casefold().replace(".", "").replace("’", "'").split())


def person_name(name: str) -> str:
    """A person's name without the titles written before it ("President Putin" -> "Putin";
    "Sen. Elizabeth Warren" -> "Elizabeth Warren"); the name itself when nothing else is left."""
    parts = name.split()
    while len(parts) > 1 and parts[0].casefold().rstrip(".").replace("-", "") in _HONORIFICS:
        parts = parts[1:]
    return " ".join(parts)


def _initials(name: str) -> str | None:
    """"National Rifle Association" -> "NRA"; None for a name of fewer than two significant words."""
    parts = [w for w in re.split(r"[\s-]+", name) if w and w.casefold() not in _SMALL]
    if len(parts) < 2 or not all(w[:1].isupper() for w in parts):
        return None
    return "".join(w[0] for w in parts)


def _is_acronym(name: str) -> bool:
    return bool(_ACRONYM.match(name.replace(" ", "")))


def canonical(actor: Actor) -> Actor:
    """``actor`` under the knowledge base's name and Wikidata id where the KB knows the entity its
    name (titles dropped) stands for as a whole: "Putin" and "President Putin" are Vladimir Putin,
    and so is a name the parser took for a place or an organisation ("Leyen", "Von der Leyen").
    An actor the KB does not know keeps its name, titles dropped for a person."""
    if actor.kind not in ("PERSON", "GPE", "GROUP", *_ORGS):
        return actor
    name = person_name(actor.name) if actor.kind == "PERSON" else actor.name
    parts = name.split()
    if parts and (parts[-1].casefold() in _PARTICLES or parts[0].casefold() in _PARTICLES):
        name = _completed(name)  # "Ursula von", "Von der Leyen": a name cut at its particle
    found = words(name)
    if not found:
        return actor
    matches = load_kb().scan(name)
    whole = [m.entry for m in matches if m.start == 0 and m.end == len(found)]
    people = {e for e in whole if e.kind == "person"}
    orgs = {e for e in whole if e.kind in ("organisation", "media")}
    if people and len({e.name for e in people}) == 1 and len(people) == len(whole):
        entry, kind = max(people, key=lambda e: (e.wikidata is not None, e.code == actor.country)), "PERSON"
    elif actor.kind in _ORGS and len({e.name for e in orgs}) == 1:
        entry, kind = max(orgs, key=lambda e: (e.wikidata is not None, e.code == actor.country)), actor.kind
    else:
        return actor if name == actor.name or actor.kind != "PERSON" else dataclasses.replace(actor, name=name)
    if entry.name == actor.name and kind == actor.kind:
        return actor  # named as the knowledge base names it: what extraction found stays as it is
    # another name for a known entity: the entity's name and id; country and sector stay the mention's
    return dataclasses.replace(actor, name=entry.name, kind=kind, wikidata=actor.wikidata or entry.wikidata)


def _completed(name: str) -> str:
    """The one known person whose name starts with ``name`` cut at a particle ("Ursula von") or ends
    with ``name`` starting with one ("Von der Leyen"), else ``name``."""
    key = name_key(name)
    cut_end = key.split()[-1] in _PARTICLES
    found = [person for person in load_kb().terms
             if (name_key(person).startswith(key + " ") if cut_end else name_key(person).endswith(" " + key))]
    return found[0] if len(found) == 1 else name


def alias_keys(actor: Actor) -> list[str]:
    """The keys a store finds this actor's row by, most specific first: ``name:`` (the name's key),
    then ``surname:`` for a person or ``acronym:`` for an organisation, which merge only where one
    stored actor has them."""
    keys = [f"name:{name_key(actor.name)}"]
    if actor.kind == "PERSON":
        parts = name_key(actor.name).split()
        if parts and parts[-1] not in _PARTICLES:
            keys.append(f"surname:{parts[-1]}")
    elif actor.kind in _ORGS:
        acronym = actor.name.replace(".", "") if _is_acronym(actor.name) else _initials(actor.name)
        if acronym:
            keys.append(f"acronym:{acronym}")
    return keys


def _same_person(short: str, full: str) -> bool:
    """Whether the person named ``short`` is ``full``: its surname ("Putin"), its start where the name
    was cut at a particle ("Ursula von"), or its end ("von der Leyen", "Leyen")."""
    a, b = name_key(short).split(), name_key(full).split()
    if not a or len(a) >= len(b):
        return False
    return b[-len(a):] == a or (b[:len(a)] == a and a[-1] in _PARTICLES)


def merge_actors(actors: Iterable[Actor]) -> dict[tuple[str, str], Actor]:
    """The actors of one article by (kind, name), each mapped to the actor it names: surnames and
    cut names to the one full name they fit ("Putin" -> "Vladimir Putin", "Ursula von" -> "Ursula
    von der Leyen"), an acronym to the one organisation whose initials it is; the merged actor keeps
    the country, sector and Wikidata id any of its mentions had."""
    given = list(actors)
    # a person first against the article's other names ("Clinton" beside "Bill Clinton" and
    # "Hillary Clinton" stays open), then against the knowledge base
    bare = {(a.kind, a.name): person_name(a.name) for a in given if a.kind == "PERSON"}
    fits = {key: _longest([full for full in set(bare.values()) if _same_person(name, full)])
            for key, name in bare.items()}
    named = {(a.kind, a.name): a if fits.get((a.kind, a.name)) else canonical(a) for a in given}
    people = {person_name(a.name) for a in named.values() if a.kind == "PERSON"}
    orgs = {a.name for a in named.values() if a.kind in _ORGS}
    target: dict[tuple[str, str], str] = {}
    for key, actor in named.items():
        if actor.kind == "PERSON":
            longest = _longest([full for full in people if _same_person(person_name(actor.name), full)])
            if len(longest) == 1:
                target[key] = longest[0]
            elif longest:
                target[key] = person_name(actor.name)  # more than one person fits: the name as written
        elif actor.kind in _ORGS and _is_acronym(actor.name):
            found = [full for full in orgs if full != actor.name and _initials(full) == actor.name.replace(".", "")]
            if len(found) == 1:
                target[key] = found[0]
    merged: dict[tuple[str, str], Actor] = {}
    for key, actor in named.items():
        slot = (_group(actor.kind), target.get(key, actor.name))
        earlier = merged.get(slot)
        base = earlier if earlier is not None else next(
            (a for a in named.values() if (_group(a.kind), a.name) == slot), actor)
        kind = "MEDIA" if "MEDIA" in (actor.kind, base.kind) and base.kind in _ORGS else base.kind
        merged[slot] = dataclasses.replace(base, name=slot[1], kind=kind, **{
            field: getattr(base, field) or getattr(actor, field) for field in ("country", "sector", "wikidata")})
    return {key: merged[(_group(actor.kind), target.get(key, actor.name))] for key, actor in named.items()}


def _longest(names: list[str]) -> list[str]:
    """The names none of the others is a longer form of."""
    return [name for name in names if not any(_same_person(name, other) for other in names)]


def _group(kind: str) -> str:
    return "ORG" if kind in _ORGS else kind
