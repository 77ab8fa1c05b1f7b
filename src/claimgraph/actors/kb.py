"""The actor knowledge base: the bundled tables in ``data/actors/`` read into one phrase index.

Tables (see ``data/actors/NOTICE`` for sources and licences):

- ``countries.json``: ISO3 -> names, demonyms, capitals (derived, ``scripts/build_actor_kb.py``)
- ``cities.tsv``: GeoNames cities over 100,000 people, with a few former names (derived)
- ``regions.tsv``: states, provinces and well-known areas (hand-written); read like cities
- ``agents.tsv`` / ``agents-extra.tsv``: agent nouns -> PLOVER sector
- ``organisations.toml``: seats of government, organisations and outlets (hand-written)
- ``organisations-*.tsv``: more organisations, one a line: ``code, sector, wikidata, names`` (hand-written);
  a name written ``=Apple`` matches only with that capitalisation (it is also a common word)
- ``officeholders.toml`` and ``officeholders-*.tsv``: dated terms of office (hand-written)
"""
from __future__ import annotations

import functools
import gc
import json
import re
import tomllib
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Any

_WORD = re.compile(r"[^\W_]+(?:[.'’-][^\W_]+)*\.?")
_MAX_WORDS = 8
# an organisation head noun gives its sector when at least this many of the tables' names end in it,
# and at least this share of them have one sector
_HEAD_MIN = 5
_HEAD_SHARE = 0.85
# a bare capital or seat speaks for its government ("Moscow said", "the Kremlin denied")
_METONYM_SECTOR = "GOV"
_CITY_SECTOR = "CVL"  # other cities give the country; their people are civilians
# sector of a role when the officeholder table gives none
_ROLE_SECTORS = {"defence minister": "GOVMIL", "defense secretary": "GOVMIL", "defence secretary": "GOVMIL",
                 "party leader": "PTY", "opposition leader": "PTYOPP", "legislator": "LEG", "speaker": "LEG",
                 "army chief": "MIL", "chief of staff": "MIL", "military leader": "MIL", "militant leader": "REB",
                 "intelligence chief": "SPY", "judge": "JUD", "central bank governor": "GOVBUS"}


# surnames too common to stand for one office-holder when they appear alone
_COMMON_SURNAMES = frozenset("""
khan singh kumar sharma patel shah gupta rahman islam hossain ahmed ahmad mohamed mohammed muhammad hassan
hussein husain ibrahim abdullah yusuf omar aziz sharif malik butt chaudhry qureshi rao reddy nair das
wang zhang chen yang zhao huang zhou kim park choi jung nguyen tran pham phan hoang
smith johnson williams brown jones miller davis wilson taylor clark lewis walker young allen king wright
scott green baker adams nelson hill campbell mitchell roberts carter phillips evans turner parker collins
edwards stewart morris murphy cook rogers morgan cooper peterson bailey reed kelly howard ward watson
garcia rodriguez martinez hernandez lopez gonzalez perez sanchez ramirez torres flores rivera gomez diaz
cruz morales ortiz gutierrez ramos ruiz alvarez castillo jimenez moreno romero herrera medina aguilar
silva santos oliveira souza costa pereira ferreira almeida carvalho gomes martins fernandes
muller schmidt schneider fischer weber meyer wagner becker schulz hoffmann
ivanov petrov sidorov smirnov kuznetsov popov kovalenko shevchenko bondarenko
""".split())  # noqa: SIM905 - a word list reads best as text


_TITLES = {"King", "Queen", "Pope", "Prince", "Princess", "Emperor", "Empress", "Sultan", "Sheikh", "Emir",
           "Crown", "President", "Mullah", "Ayatollah", "Grand", "Dalai"}
# countries whose names put the family name first: "President Xi" (but "Kim" is too common)
_FAMILY_FIRST = {"CHN", "TWN", "PRK", "KOR", "HKG", "MAC"}


def _family_first(person: str, country: str) -> bool:
    return country in _FAMILY_FIRST and not person.startswith(("King ", "Queen ", "Emperor ", "Dalai "))


def _surnames(person: str, country: str) -> list[str]:
    """The forms a person is called by alone: "Lavrov"; "al-Zawahiri" and "Zawahiri"; "Xi" for Xi Jinping."""
    parts = person.split()
    if len(parts) < 2 or parts[0] in _TITLES:  # "Pope Francis", "King Salman": not surnames
        return []
    if _family_first(person, country):
        return [parts[0]]
    last = parts[-1]
    bare = re.sub(r"^(?:al|el|ad|as|ash|an|ar)-", "", last)
    return [last, bare] if bare != last and bare[:1].isupper() else [last]


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
    """One term of one office-holder."""

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


def _fold(word: str) -> str:
    """Diacritics dropped: "Nausėda" and "Nauseda" are one key."""
    if word.isascii():
        return word
    return "".join(ch for ch in unicodedata.normalize("NFKD", word) if not unicodedata.combining(ch))


@functools.lru_cache(maxsize=1 << 16)
def norm_word(word: str) -> str:
    """Lower case, accents and possessive dropped; short all-capital words (UN, AP, WHO) keep their case."""
    for suffix in ("'s", "’s", "’", "'"):
        word = word.removesuffix(suffix)
    word = _fold(word)
    return word.lower().rstrip(".") if len(word) > 4 or not word.isupper() else word


def _key(words: list[str]) -> str:
    return " ".join(map(norm_word, words))


def _exact(word: str) -> str:
    """The key of a word in a name that matches only as written ("=Apple": not "an apple")."""
    for suffix in ("'s", "’s", "’", "'"):
        word = word.removesuffix(suffix)
    return _fold(word).rstrip(".")


def words(text: str) -> list[str]:
    return _WORD.findall(text)


_NAME_PARTS = re.compile(r"[\s/-]+")  # a name's words, "/" and "-" apart ("RFE/RL", "Agence France-Presse")
_ALIAS_STOP = {"the", "of", "for", "and", "in", "on", "de", "la", "le", "du", "des", "al", "el", "a"}


def _initials(name: str, *, every: bool = False) -> str:
    """The letters an acronym of ``name`` is made of: one a word, all of an all-capital word ("UN")."""
    found = [w for w in _NAME_PARTS.split(name) if w and (every or w.lower() not in _ALIAS_STOP)]
    return "".join(w if w.isupper() else w[0] for w in found).upper()


def related_names(canonical: str, alias: str) -> bool:
    """Can ``alias`` be a form of ``canonical``: do they share a word, or is one the other's initials
    ("RFE/RL" for Radio Free Europe/Radio Liberty, "AFP" for Agence France-Presse)? A table row whose
    names fail this lists different actors under one canonical name ("Politico" read as The
    Washington Post); ``scripts/audit_actor_kb.py`` lists them."""
    first = {norm_word(w) for w in _NAME_PARTS.split(canonical) if w and w.lower() not in _ALIAS_STOP}
    second = {norm_word(w) for w in _NAME_PARTS.split(alias) if w and w.lower() not in _ALIAS_STOP}
    if first & second:
        return True
    short, long = sorted((alias.replace("/", "").replace(".", ""), canonical), key=len)
    letters = "".join(ch for ch in short if ch.isalnum()).upper()
    if not (letters.isalpha() and len(letters) >= 2):
        return False
    # the initials in order, with the first one first ("PTI": Press Trust of India)
    return any(_subsequence(letters, form) and letters[0] == form[:1]
               for form in (_initials(long), _initials(long, every=True)))


def _subsequence(short: str, long: str) -> bool:
    rest = iter(long)
    return all(ch in rest for ch in short)


class ActorKB:
    """Phrase index over the bundled tables. Not a dataclass: ``__init__`` builds the index."""

    def __init__(self, countries: dict[str, Any], organisations: dict[str, Any], agents: list[tuple[str, str]],
                 cities: Sequence[tuple[str, str]] = (), offices: Sequence[dict[str, Any]] = ()) -> None:
        self.index: dict[str, list[Entry]] = {}
        self.exact = False  # whether any name is case-sensitive ("=Apple")
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
        heads: dict[str, dict[str, int]] = {}  # an organisation name's last word -> its rows' sectors
        for kind in ("seat", "organisation", "media"):
            for item in organisations.get(kind, []):
                entry = Entry(kind, item["names"][0].removeprefix("=").removeprefix("the "), item.get("code"),
                              item.get("sector", "JRN" if kind == "media" else None), item.get("wikidata"),
                              item.get("state_owned"))
                for name in item["names"]:
                    self._add(name, entry)
                    found = _WORD.findall(name)
                    if kind != "seat" and entry.sector and len(found) > 1:
                        sectors = heads.setdefault(norm_word(found[-1]), {})
                        sectors[entry.sector[:3]] = sectors.get(entry.sector[:3], 0) + 1
        # the kind of organisation a name's head noun says ("... Party", "... University", "... Navy"),
        # where the tables' organisations of that head nearly all have one sector
        self.head_sectors = {head: max(sectors, key=sectors.__getitem__) for head, sectors in heads.items()
                             if sum(sectors.values()) >= _HEAD_MIN
                             and max(sectors.values()) >= _HEAD_SHARE * sum(sectors.values())
                             and not any(e.kind in ("country", "capital", "city") for e in self.index.get(head, []))}
        seen: set[tuple[str, str, str]] = set()
        for item in offices:
            if (item["person"], item["role"], item["start"]) in seen:
                continue  # the same term in two tables
            seen.add((item["person"], item["role"], item["start"]))
            office = Office(person=item["person"], country=item["country"], role=item["role"],
                            sector=item.get("sector") or _ROLE_SECTORS.get(item["role"], "GOV"),
                            start=item["start"], end=item.get("end"), wikidata=item.get("wikidata"))
            self.terms.setdefault(office.person, []).append(office)
            entry = Entry("person", office.person, office.country, office.sector[:3], office.wikidata)
            for name in [office.person, *item.get("aliases", [])]:
                self._add(name, entry)
        for terms in self.terms.values():
            terms.sort(key=lambda t: t.start)
        for phrase, codes in agents:
            entry = Entry("agent", phrase, None, codes[:3])
            for form in _plurals(phrase):
                key = _key(_WORD.findall(form))
                # one sector per agent phrase: the last table read decides
                self.index[key] = [e for e in self.index.get(key, []) if e.kind not in ("agent", "city")] + [entry]
        surnames: dict[str, set[str]] = {}
        family_first: set[str] = set()
        given: set[str] = set()
        for person, terms in self.terms.items():
            for surname in _surnames(person, terms[-1].country):
                surnames.setdefault(surname, set()).add(person)
            first = _family_first(person, terms[-1].country)
            family_first.update(person.split()[:1] if first else ())
            given.update(map(norm_word, person.split()[1:] if first else person.split()[:-1]))  # each part's key
        for surname, people in surnames.items():  # "Lavrov" alone, where only one holder has it
            key = _key([surname])
            # never a word the index knows already (a place, an agent noun such as "Bishop", an
            # organisation), a given name in the table ("Ali"), or a name millions share ("Khan");
            # and only as written: "Power" is Samantha Power, "power" is not
            if (len(people) == 1 and len(key) > (1 if surname in family_first else 3) and key not in self.index
                    and (key not in given or surname in family_first)
                    and key.removeprefix("al-") not in _COMMON_SURNAMES):
                person = next(iter(people))
                term = self.terms[person][-1]
                self._add("=" + surname, Entry("person", person, term.country, term.sector[:3], term.wikidata))

    def _add(self, phrase: str, entry: Entry) -> None:
        exact = phrase.startswith("=")  # a name that is also a common word matches only as written
        found = _WORD.findall(phrase.removeprefix("="))
        if found:
            key = "=" + " ".join(_exact(word) for word in found) if exact else _key(found)
            self.exact = self.exact or exact
            entries = [e for e in self.index.get(key, []) if e.kind != "city"]
            if entry not in entries:
                entries.append(entry)
            self.index[key] = entries

    def scan(self, text: str) -> list[Match]:
        """Longest non-overlapping phrase matches, left to right."""
        raw = _WORD.findall(text)
        found = [norm_word(word) for word in raw]
        exact = ["=" + _exact(word) for word in raw] if self.exact else None
        matches: list[Match] = []
        i = 0
        while i < len(found):
            for size in range(min(_MAX_WORDS, len(found) - i), 0, -1):
                entries = self.index.get(" ".join(found[i:i + size]))
                if exact is not None:
                    written = self.index.get(" ".join(exact[i:i + size]).replace(" =", " "))
                    entries = (written + (entries or [])) if written else entries
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


def _tsv(text: str, width: int) -> list[list[str]]:
    """Rows of a tab-separated table, comments and blank lines skipped, short rows padded."""
    rows = []
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            cells = [cell.strip() for cell in line.split("\t")]
            rows.append(cells + [""] * (width - len(cells)))
    return rows


def _date(value: str) -> str | None:
    """"2015" -> "2015-01-01", "2015-06" -> "2015-06-01": terms known only to the year or month."""
    if not value:
        return None
    return value + "-01-01"[len(value) - 4:] if len(value) < 10 else value


def read_offices(text: str) -> list[dict[str, Any]]:
    """``officeholders-*.tsv``: country, role, person, start, end, sector, wikidata, aliases (``;``)."""
    offices = []
    for country, role, person, start, end, sector, wikidata, aliases in (r[:8] for r in _tsv(text, 8)):
        offices.append({"country": country, "role": role, "person": person, "start": _date(start),
                        "end": _date(end), "sector": sector or None, "wikidata": wikidata or None,
                        "aliases": [a.strip() for a in aliases.split(";") if a.strip()]})
    return offices


def read_organisations(text: str) -> list[dict[str, Any]]:
    """``organisations-*.tsv``: code, sector, wikidata, names (``|``-separated, the first canonical)."""
    return [{"code": code or None, "sector": sector, "wikidata": wikidata or None,
             "names": [n.strip() for n in names.split("|") if n.strip()]}
            for code, sector, wikidata, names in (r[:4] for r in _tsv(text, 4))]


@functools.cache
def load_kb() -> ActorKB:
    """The knowledge base of the bundled tables, built once per process.

    The cyclic garbage collector waits while it is built: the build allocates some 100,000 objects
    and makes no cycles, and every full collection those allocations trigger would walk all the
    objects the process holds (a loaded spaCy model's among them), which doubled the build's time.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _build_kb()
    finally:
        if enabled:
            gc.enable()


def _build_kb() -> ActorKB:
    folder = resources.files("claimgraph.data").joinpath("actors")
    countries = json.loads(folder.joinpath("countries.json").read_text("utf-8"))
    organisations = tomllib.loads(folder.joinpath("organisations.toml").read_text("utf-8"))
    tables = sorted((t for t in folder.iterdir() if t.name.endswith(".tsv")), key=lambda t: t.name)
    for table in tables:
        if table.name.startswith("organisations-"):
            organisations["organisation"].extend(read_organisations(table.read_text("utf-8")))
    agents = []
    for name in ("agents.tsv", "agents-extra.tsv"):  # the second, hand-written, wins on a tie
        for phrase, codes in _tsv(folder.joinpath(name).read_text("utf-8"), 2):
            agents.append((phrase, codes))
    offices = tomllib.loads(folder.joinpath("officeholders.toml").read_text("utf-8"))["office"]
    for table in tables:
        if table.name.startswith("officeholders-"):
            offices.extend(read_offices(table.read_text("utf-8")))
    regions = [(name.strip(), code) for code, names in _tsv(folder.joinpath("regions.tsv").read_text("utf-8"), 2)
               for name in names.split("|") if name.strip()]
    # regions first: a city of the same name ("Kandahar", "Victoria") wins
    cities = regions + [(name, code) for name, code in _tsv(folder.joinpath("cities.tsv").read_text("utf-8"), 2)]
    return ActorKB(countries, organisations, agents, cities, offices)
