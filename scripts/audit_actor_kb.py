#!/usr/bin/env python3
"""List the rows of the actor knowledge base whose names look like different actors.

    python scripts/audit_actor_kb.py [--kind media|organisation|seat] [--all]

A row of ``organisations.toml`` or ``organisations-*.tsv`` is one actor: its first name is the
canonical one and every other name resolves to it. A name that shares no word with the canonical
name and is not its initials (``claimgraph.actors.kb.related_names``) is printed, one a line:
kind, canonical name, alias. It is either a real other name ("Daesh" for the Islamic State, kept)
or a second actor filed under the first one (the old country groups of outlets: "Politico" read as
The Washington Post). Also printed: names that several rows share (a shared acronym such as "AFP",
left to context by ``resolve_actor``), with their kinds. The last lines give the counts.
"""
from __future__ import annotations

import argparse
import sys
import tomllib
from collections import defaultdict
from importlib import resources
from pathlib import Path
from typing import Any

from claimgraph.actors.kb import _key, read_organisations, related_names, words


def rows(folder: Any = None) -> list[tuple[str, dict]]:
    """(kind, row) for every row of ``organisations.toml`` and ``organisations-*.tsv`` in ``folder``
    (the bundled tables by default)."""
    folder = folder or resources.files("claimgraph.data").joinpath("actors")
    tables = tomllib.loads(folder.joinpath("organisations.toml").read_text("utf-8"))
    found = [(kind, item) for kind in ("seat", "organisation", "media") for item in tables.get(kind, [])]
    for table in sorted(folder.iterdir(), key=lambda t: t.name):
        if table.name.startswith("organisations-") and table.name.endswith(".tsv"):
            found += [("organisation", item) for item in read_organisations(table.read_text("utf-8"))]
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[1])
    parser.add_argument("--kind", choices=("media", "organisation", "seat"), help="only rows of this kind")
    parser.add_argument("--all", action="store_true", help="print every unrelated alias (default: counts)")
    parser.add_argument("--tables", type=Path, help="a folder of tables to read instead of the bundled ones")
    args = parser.parse_args(argv)
    unrelated: dict[str, int] = defaultdict(int)
    names: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for kind, item in rows(args.tables):
        if args.kind and kind != args.kind:
            continue
        canonical = item["names"][0].removeprefix("=")
        for name in item["names"]:
            name = name.removeprefix("=")
            names[_key(words(name))].add((kind, canonical))
            if not related_names(canonical, name):
                unrelated[kind] += 1
                if args.all:
                    print(f"{kind}\t{canonical}\t{name}")
    shared = {key: actors for key, actors in names.items() if len(actors) > 1}
    if args.all:
        for key, actors in sorted(shared.items()):
            print("shared\t" + key + "\t" + " | ".join(f"{k}: {c}" for k, c in sorted(actors)))
    for kind in ("media", "organisation", "seat"):
        if not args.kind or kind == args.kind:
            print(f"unrelated aliases ({kind}): {unrelated[kind]}", file=sys.stderr)
    with_media = sum(1 for actors in shared.values() if any(k == "media" for k, _ in actors))
    print(f"names shared by several rows: {len(shared)} ({with_media} with an outlet among them)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
