#!/usr/bin/env python3
"""Build the derived tables of the actor knowledge base (src/claimgraph/data/actors/).

    python scripts/build_actor_kb.py --events ../shared/eval/events

Writes, from the dictionaries the events gold set ships with:
- countries.json: ISO3 -> name, other names and demonyms (countries.csv), capitals (countryinfo.json,
  CC BY-SA 3.0: the table is a derived work under the same licence, see data/actors/NOTICE)
- agents.tsv: agent noun phrase -> PLOVER sector codes (plover-agents.txt, MIT), macros expanded.
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


def build_countries(events: Path) -> dict:
    countries: dict[str, dict] = {}
    with open(events / "countries.csv", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            forms = [f.strip() for f in row["Nationality"].split(",") if f.strip()]
            countries[row["CCA3"]] = {
                "name": row["Name"],
                "iso2": row["CCA2"],
                "names": sorted({row["Name"]} | {f for f in forms if f[:1].isupper() and " " in f}),
                "demonyms": sorted({f for f in forms if " " not in f}),
                "capitals": [],
            }
    info = json.loads((events / "countryinfo.json").read_text("utf-8"))
    for code, entry in info.items():
        iso3 = entry.get("iso3") or code
        if iso3 not in countries:
            continue
        countries[iso3]["capitals"] = sorted({_title(c) for c in entry.get("capital", []) if c})
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
    print(f"wrote {len(countries)} countries and {len(agents)} agent phrases to {OUT}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
