"""Exports for analysts: stored claims as flat rows (CSV, JSON, Parquet) and the actor network as a
graph (GraphML, GEXF for Gephi; JSON for the web UI). ``claimgraph claims`` / ``claimgraph network``
and ``GET /api/claims`` / ``GET /api/network`` are thin wrappers over these functions.
"""
from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING, Any

from .errors import ConfigError, Messages

if TYPE_CHECKING:
    from .store import ClaimQuery, SQLStore

__all__ = ["CLAIM_COLUMNS", "claim_rows", "with_context", "write_csv", "csv_text", "write_parquet", "NetworkQuery",
           "network", "edge_claims", "graph_bytes", "GRAPH_FORMATS"]

# one column per claim field; lists (targets as "about", events, chain, narratives) are joined with "; "
CLAIM_COLUMNS = (
    "id", "speaker", "speaker_text", "speaker_kind", "speaker_country", "speaker_sector", "speaker_wikidata",
    "anonymous", "cue", "content", "kind", "reported_by", "about", "speech_act", "claimed_event", "events",
    "narratives", "confidence", "article_id", "article_title", "outlet", "published", "url", "start", "end",
    "method")
GRAPH_FORMATS = ("graphml", "gexf")


def _narratives(store: SQLStore, rows: Sequence[dict[str, Any]]) -> dict[str, list[str]]:
    """The discovered narrative (its name or label) of each claim, and its article's taxonomy labels."""
    found: dict[str, list[str]] = {}
    ids = [row["id"] for row in rows]
    articles = sorted({row["article_id"] for row in rows})
    labels: dict[str, list[str]] = {}
    for chunk in range(0, len(articles), 500):
        part = articles[chunk:chunk + 500]
        for row in store._query("SELECT article_id, label FROM article_narratives WHERE level = 'narrative'"
                                f" AND article_id IN ({', '.join('?' * len(part))}) ORDER BY article_id, label", part):
            labels.setdefault(row["article_id"], []).append(row["label"])
    for chunk in range(0, len(ids), 500):
        part = ids[chunk:chunk + 500]
        for row in store._query("SELECT cn.claim_id, coalesce(n.name, n.label) AS name FROM claim_narratives cn"
                                " JOIN narratives n ON n.id = cn.narrative_id"
                                f" WHERE cn.claim_id IN ({', '.join('?' * len(part))})", part):
            found.setdefault(row["claim_id"], []).append(row["name"])
    return {row["id"]: found.get(row["id"], []) + labels.get(row["article_id"], []) for row in rows}


def _urls(store: SQLStore, rows: Sequence[dict[str, Any]]) -> dict[str, str | None]:
    articles = sorted({row["article_id"] for row in rows})
    urls: dict[str, str | None] = {}
    for chunk in range(0, len(articles), 500):
        part = articles[chunk:chunk + 500]
        for row in store._query(f"SELECT id, url FROM articles WHERE id IN ({', '.join('?' * len(part))})", part):
            urls[row["id"]] = row["url"]
    return urls


def _event(event: dict[str, Any]) -> str:
    actors = "+".join(a["code"] for a in event.get("actor") or [] if a.get("code"))
    recipients = "+".join(a["code"] for a in event.get("recipient") or [] if a.get("code"))
    roles = f" {actors or '?'}->{recipients or '?'}" if actors or recipients else ""
    return f"{event['role']}:{event['event']}{roles}"


def claim_rows(store: SQLStore, query: ClaimQuery) -> list[dict[str, Any]]:
    """The claims ``query`` selects, one flat row each (``CLAIM_COLUMNS``)."""
    claims = store.claims(query)
    narratives = _narratives(store, claims)
    urls = _urls(store, claims)
    rows = []
    for claim in claims:
        speaker = claim["speaker"] or {}
        actor = speaker.get("actor") or {}
        events = claim.get("events") or []
        rows.append({
            "id": claim["id"], "speaker": actor.get("name"), "speaker_text": speaker.get("text"),
            "speaker_kind": actor.get("kind"), "speaker_country": actor.get("country"),
            "speaker_sector": actor.get("sector"), "speaker_wikidata": actor.get("wikidata"),
            "anonymous": bool(speaker.get("anonymous")), "cue": (claim["cue"] or {}).get("text"),
            "content": " … ".join(span["text"] for span in claim["content"]), "kind": claim["kind"],
            "reported_by": " > ".join(link["name"] for link in claim["reported_by"]),
            "about": "; ".join(f"{(t['actor'] or {}).get('name') or t['text']} ({t['stance'] or 'neutral'})"
                                 for t in claim["targets"]),
            "speech_act": next((e["event"] for e in events if e["role"] == "speech_act"), None),
            "claimed_event": next((e["event"] for e in events if e["role"] == "claimed"), None),
            "events": "; ".join(_event(e) for e in events),
            "narratives": "; ".join(narratives.get(claim["id"], [])),
            "confidence": claim["confidence"], "article_id": claim["article_id"],
            "article_title": claim.get("article_title"), "outlet": claim.get("outlet"),
            "published": claim.get("published"), "url": urls.get(claim["article_id"]),
            "start": claim["start"], "end": claim["end"], "method": claim["method"]})
    return rows


def with_context(store: SQLStore, claims: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``store.claims`` rows with their article's ``url`` and their ``narratives`` added."""
    narratives = _narratives(store, claims)
    urls = _urls(store, claims)
    return [claim | {"url": urls.get(claim["article_id"]), "narratives": narratives.get(claim["id"], [])}
            for claim in claims]


def write_csv(rows: Sequence[dict[str, Any]], handle: IO[str]) -> None:
    writer = csv.DictWriter(handle, fieldnames=CLAIM_COLUMNS, extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)


def csv_text(rows: Sequence[dict[str, Any]]) -> str:
    handle = io.StringIO()
    write_csv(rows, handle)
    return handle.getvalue()


def write_parquet(rows: Sequence[dict[str, Any]], path: str) -> None:
    """The rows as one Parquet file (pyarrow, the ``parquet`` extra)."""
    pa = _require("pyarrow", "pyarrow", "parquet")
    pq = _require("pyarrow.parquet", "pyarrow", "parquet")
    types = {"confidence": pa.float64(), "start": pa.int64(), "end": pa.int64(), "anonymous": pa.bool_()}
    schema = pa.schema([(name, types.get(name, pa.string())) for name in CLAIM_COLUMNS])
    table = pa.Table.from_pylist([{name: row.get(name) for name in CLAIM_COLUMNS} for row in rows], schema=schema)
    pq.write_table(table, path)


# -- the actor network ------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class NetworkQuery:
    """Which speaker → target edges to draw: the filters of ``store.network``."""

    stance: str | None = None
    event: str | None = None
    since: str | None = None
    until: str | None = None
    narrative: str | None = None
    min_claims: int = 1
    limit: int | None = 200

    def __post_init__(self) -> None:
        from .store.query import check_filters

        check_filters(self.stance, since=self.since, until=self.until)

    def filters(self) -> dict[str, Any]:
        return {"stance": self.stance, "event": self.event, "since": self.since, "until": self.until,
                "narrative": self.narrative}


def network(store: SQLStore, query: NetworkQuery) -> dict[str, Any]:
    """Nodes (actors, with the claims they make and are named in along the drawn edges) and edges
    (claims, and how many are negative / neutral / positive; ``stance`` is the most frequent)."""
    edges = store.network(min_claims=query.min_claims, limit=query.limit, **query.filters())
    nodes: dict[int, dict[str, Any]] = {}
    for edge in edges:
        counts = {s: edge[s] for s in ("negative", "neutral", "positive")}
        edge["stance"] = max(("negative", "positive", "neutral"), key=lambda s: (counts[s], s == "neutral"))
        for side, count in (("source", "claims_made"), ("target", "claims_about")):
            node = nodes.setdefault(edge[f"{side}_id"], {
                "id": edge[f"{side}_id"], "name": edge[side], "country": edge[f"{side}_country"],
                "sector": edge[f"{side}_sector"], "kind": edge[f"{side}_kind"], "claims_made": 0, "claims_about": 0})
            node[count] += edge["claims"]
    return {"nodes": list(nodes.values()), "edges": edges}


def edge_claims(store: SQLStore, source_id: int, target_id: int, query: NetworkQuery,
                limit: int = 100) -> list[dict[str, Any]]:
    """The claims behind one edge, in the ``store.claims`` shape."""
    from .store import ClaimQuery

    ids = store.edge_claim_ids(source_id, target_id, limit=limit, **query.filters())
    wanted = set(ids)
    found: dict[str, dict[str, Any]] = {}
    for article_id in dict.fromkeys(store._scalar("SELECT article_id FROM claims WHERE id = ?", (claim_id,))
                                    for claim_id in ids):
        for claim in store.claims(ClaimQuery(article=article_id, limit=None)):
            if claim["id"] in wanted:
                found[claim["id"]] = claim
    return [found[claim_id] for claim_id in ids if claim_id in found]


def graph_bytes(graph: dict[str, Any], fmt: str) -> bytes:
    """The network as GraphML or GEXF (networkx, the ``network`` extra): nodes with name, country,
    sector, kind and claim counts; directed edges with claims and stance counts as weights."""
    if fmt not in GRAPH_FORMATS:
        raise ValueError(f"graph format {fmt!r}: one of {', '.join(GRAPH_FORMATS)}")
    nx = _require("networkx", "networkx", "network")
    g = nx.DiGraph()
    for node in graph["nodes"]:
        g.add_node(str(node["id"]), label=node["name"], **{k: _attr(node[k]) for k in (
            "name", "country", "sector", "kind", "claims_made", "claims_about")})
    for edge in graph["edges"]:
        g.add_edge(str(edge["source_id"]), str(edge["target_id"]), weight=edge["claims"], **{
            k: _attr(edge[k]) for k in ("claims", "negative", "neutral", "positive", "stance")})
    handle = io.BytesIO()
    if fmt == "graphml":
        nx.write_graphml(g, handle, encoding="utf-8")
    else:
        nx.write_gexf(g, handle, encoding="utf-8")
    return handle.getvalue()


def _require(module: str, package: str, extra: str) -> Any:
    """An optional package, imported when an export needs it; CG403 names the extra to install."""
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError as e:
        raise ConfigError(Messages.CG403.format(package=package, extra=extra)) from e


def _attr(value: Any) -> Any:
    """GraphML and GEXF attributes take no None: an empty string instead."""
    return "" if value is None else value

