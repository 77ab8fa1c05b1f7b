"""One actor row per entity: the actors of an article merged (``actors.merge``), then found among the
stored ones by Wikidata id, by name, or by a surname or acronym that one stored actor alone holds
(``actor_aliases``, migration 0008), and written with the names they were mentioned by.

Writers take the actors of an article in one fixed order (sorted by kind and name), so two writers
sharing actors lock them in the same order.
"""
from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any

from ..actors.merge import alias_keys, merge_actors
from ..records import Actor, Claim

if TYPE_CHECKING:
    from .base import SQLStore

__all__ = ["article_actor_ids", "actor_aliases"]


def _mentioned(claims: list[Claim]) -> list[Actor]:
    found: list[Actor] = []
    for claim in claims:
        if claim.speaker is not None and claim.speaker.actor is not None:
            found.append(claim.speaker.actor)
        found += [target.actor for target in claim.targets if target.actor is not None]
    return found


def article_actor_ids(store: SQLStore, claims: list[Claim]) -> tuple[dict[tuple[str, str], int], dict[int, str]]:
    """The actor row of each (kind, name) the claims mention, and each row's name (inside the
    caller's transaction)."""
    mentioned = _mentioned(claims)
    merged = merge_actors(mentioned)
    written: dict[tuple[str, str], set[str]] = {}
    for key, actor in merged.items():
        written.setdefault((actor.kind, actor.name), set()).add(key[1])
    entities = {(a.kind, a.name): a for a in merged.values()}
    row_of = {key: _actor_row(store, entities[key], sorted(written[key])) for key in sorted(entities)}
    ids = {key: row_of[(actor.kind, actor.name)] for key, actor in merged.items()}
    names: dict[int, str] = {}
    unique = sorted(set(row_of.values()))
    if unique:
        for row in store._query(f"SELECT id, name FROM actors WHERE id IN ({', '.join('?' * len(unique))})", unique):
            names[int(row["id"])] = row["name"]
    return ids, names


def _actor_row(store: SQLStore, actor: Actor, written: list[str]) -> int:
    keys = alias_keys(actor)
    found = _find(store, actor, keys)
    if found is None:
        found = int(store._scalar(
            "INSERT INTO actors (name, kind, country, sector, wikidata) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT (kind, name) DO UPDATE SET country = coalesce(excluded.country, actors.country), "
            "sector = coalesce(excluded.sector, actors.sector), "
            "wikidata = coalesce(excluded.wikidata, actors.wikidata) RETURNING id",
            (actor.name, actor.kind, actor.country, actor.sector, actor.wikidata)))
    else:
        row = store._query_one("SELECT name FROM actors WHERE id = ?", (found,))
        stored = row["name"] if row is not None else actor.name
        # a full name replaces the surname or acronym the entity was first stored under
        better = len(actor.name.split()) > len(stored.split()) and not store._query_one(
            "SELECT id FROM actors WHERE kind = ? AND name = ?", (actor.kind, actor.name))
        store._execute(
            "UPDATE actors SET country = coalesce(?, country), sector = coalesce(?, sector),"
            " wikidata = coalesce(wikidata, ?), name = ? WHERE id = ?",
            (actor.country, actor.sector, actor.wikidata, actor.name if better else stored, found))
        if better:
            store._execute("UPDATE claims SET speaker_name = ? WHERE speaker_actor_id = ?", (actor.name, found))
    for alias in sorted({actor.name, *written}):
        for key in alias_keys(dataclasses.replace(actor, name=alias)):
            store._execute("INSERT INTO actor_aliases (actor_id, kind, key, alias) VALUES (?, ?, ?, ?)"
                           " ON CONFLICT DO NOTHING", (found, _kind(actor.kind), key, alias))
    return found


def _kind(kind: str) -> str:
    """Organisations and outlets share their names and acronyms."""
    return "ORG" if kind == "MEDIA" else kind


def _find(store: SQLStore, actor: Actor, keys: list[str]) -> int | None:
    """The stored actor this one is: the same Wikidata id, the same name (as written or folded),
    else the one actor that holds its surname or acronym."""
    if actor.wikidata:
        row = store._query_one("SELECT id FROM actors WHERE wikidata = ? ORDER BY id LIMIT 1", (actor.wikidata,))
        if row is not None:
            return int(row["id"])
    row = store._query_one("SELECT id FROM actors WHERE kind = ? AND name = ?", (actor.kind, actor.name))
    if row is not None:
        return int(row["id"])
    kind = _kind(actor.kind)
    holders = _holders(store, kind, keys[0])
    if len(holders) == 1:
        return int(holders[0]["id"])
    if len(keys) < 2:
        return None
    holders = _holders(store, kind, keys[1])
    if len(holders) != 1:
        return None
    holder = holders[0]
    single = len(actor.name.split()) == 1
    if actor.kind == "PERSON" and not single and len(holder["name"].split()) > 1:
        return None  # "Bill Clinton" is not the stored "Hillary Clinton"
    if actor.kind != "PERSON" and not single and holder["name"].replace(".", "").isupper() is False:
        return None  # two organisations with the same initials
    if holder["wikidata"] and actor.wikidata and holder["wikidata"] != actor.wikidata:
        return None
    return int(holder["id"])


def _holders(store: SQLStore, kind: str, key: str) -> list[dict[str, Any]]:
    return [row | {"id": int(row["id"])} for row in store._query(
        "SELECT DISTINCT x.id, x.name, x.wikidata FROM actor_aliases k JOIN actors x ON x.id = k.actor_id"
        " WHERE k.kind = ? AND k.key = ?", (kind, key))]


def actor_aliases(store: SQLStore, actor_ids: list[int]) -> dict[int, list[str]]:
    """The names each of these actors was mentioned by, other than its own name."""
    found: dict[int, list[str]] = {}
    for chunk in range(0, len(actor_ids), 500):
        ids = actor_ids[chunk:chunk + 500]
        for row in store._query("SELECT DISTINCT k.actor_id, k.alias FROM actor_aliases k JOIN actors x"
                                f" ON x.id = k.actor_id WHERE k.actor_id IN ({', '.join('?' * len(ids))})"
                                " AND k.alias <> x.name ORDER BY k.actor_id, k.alias", ids):
            found.setdefault(int(row["actor_id"]), []).append(row["alias"])
    return found
