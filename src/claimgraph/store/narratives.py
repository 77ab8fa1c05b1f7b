"""Store methods for narratives (issue 5), kept together as a mixin so they can move between backends.

Portable SQL only (see ``store/base.py``): ``?`` placeholders, ``ON CONFLICT ... DO UPDATE``, ISO
dates as TEXT, aggregation in Python. The tables are made by migration 0004_narratives (one file per
backend). The mixin uses the backend's primitives (``_query``, ``_execute``, ``_transaction``).
"""
from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

from ..errors import Messages, NotFound
from ..records import Narrative
from .primitives import StorePrimitives

__all__ = ["NarrativeStoreMixin", "week_of", "claim_date", "published_date"]


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def claim_date(published: str | None, ingested_at: str | None) -> str:
    """The ISO date a claim counts under: its article's publication date, else when it was stored."""
    for value in (published, ingested_at):
        if value:
            try:
                return dt.date.fromisoformat(str(value)[:10]).isoformat()
            except ValueError:
                continue
    return dt.date.today().isoformat()


def published_date(published: str | None) -> str | None:
    """The ISO date of an article's ``published`` value; None for an undated article (timelines and
    first / last seen count dated articles only, and say how many were undated)."""
    if published:
        try:
            return dt.date.fromisoformat(str(published)[:10]).isoformat()
        except ValueError:
            return None
    return None


def week_of(date: str) -> str:
    """The Monday of the ISO week of ``date``."""
    day = dt.date.fromisoformat(date[:10])
    return (day - dt.timedelta(days=day.weekday())).isoformat()


class NarrativeStoreMixin(StorePrimitives):
    """Mixed into ``SQLStore``: discovered narratives, their tracker state and taxonomy labels."""

    # -- transactions ----------------------------------------------------------------------------
    def _narrative_write(self, statements: Iterable[tuple[str, Sequence[Any]]]) -> None:
        statements = list(statements)

        def write() -> None:
            with self._transaction(lock="narratives"):  # one tracker writes at a time
                for sql, params in statements:
                    self._execute(sql, params)
        self._retry(write)

    # -- tracker state ---------------------------------------------------------------------------
    def narrative_settings(self) -> dict[str, Any]:
        """The key/value state of discovery (embedder name and statistics, settings)."""
        return {row["key"]: json.loads(row["value"]) for row in self._query("SELECT key, value FROM narrative_state")}

    def narrative_rows(self, *, seen_since: str | None = None, ids: Sequence[str] = ()) -> list[dict[str, Any]]:
        """Narratives with their centroid bytes, as the tracker loads them: those last seen on or
        after ``seen_since`` (all when None), plus those in ``ids``."""
        where = ["1 = 1" if seen_since is None else "last_seen >= ?"]
        params: list[Any] = [] if seen_since is None else [seen_since]
        if ids:
            where.append(f"id IN ({', '.join('?' * len(ids))})")
            params += list(ids)
        rows = self._query(f"SELECT * FROM narratives WHERE {' OR '.join(where)} ORDER BY created_at, id", params)
        return [row | {"centroid": bytes(row["centroid"]) if row["centroid"] is not None else None} for row in rows]

    def narrative_clock(self) -> str | None:
        """The latest ``last_seen`` of any narrative: where the time window of discovery stands."""
        clock: str | None = self._scalar("SELECT max(last_seen) AS clock FROM narratives")
        return clock

    def pending_narrative_claims(self) -> list[dict[str, Any]]:
        """Stored claims not yet in a discovered narrative: id, content, speaker, targets, date."""
        rows = self._query(
            "SELECT c.id, c.content, c.speaker_name, c.speaker_text, a.published, a.ingested_at FROM claims c"
            " JOIN articles a ON a.id = c.article_id LEFT JOIN claim_narratives n ON n.claim_id = c.id"
            " WHERE n.claim_id IS NULL")
        return self._with_targets(rows)

    def narrative_claim_rows(self, claim_ids: Sequence[str]) -> list[dict[str, Any]]:
        """The same shape as ``pending_narrative_claims`` for the given claims, with their narrative."""
        found = []
        for start in range(0, len(claim_ids), 500):
            chunk = list(claim_ids[start:start + 500])
            marks = ", ".join("?" * len(chunk))
            found += self._query(
                "SELECT c.id, c.content, c.speaker_name, c.speaker_text, a.published, a.ingested_at,"
                " n.narrative_id FROM claims c JOIN articles a ON a.id = c.article_id"
                f" LEFT JOIN claim_narratives n ON n.claim_id = c.id WHERE c.id IN ({marks})", chunk)
        return self._with_targets(found)

    def _with_targets(self, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        targets: dict[str, list[str]] = {}
        ids = [row["id"] for row in rows]
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            marks = ", ".join("?" * len(chunk))
            for row in self._query(
                    "SELECT t.claim_id, x.name FROM claim_targets t JOIN actors x ON x.id = t.actor_id"
                    f" WHERE t.claim_id IN ({marks}) ORDER BY t.claim_id, t.start_char", chunk):
                targets.setdefault(row["claim_id"], []).append(row["name"])
        for row in rows:
            row["targets"] = targets.get(row["id"], [])
            row["date"] = published_date(row["published"]) or ""  # undated: "" (see ClaimItem)
        return rows

    def save_narrative_state(self, *, narratives: Sequence[dict[str, Any]],
                             assignments: Sequence[tuple[str, str, float]], settings: dict[str, Any],
                             method: str = "auto") -> None:
        """Upsert changed narratives, record new claim assignments and the state, in one transaction."""
        now = _now()
        statements: list[tuple[str, Sequence[Any]]] = []
        for n in narratives:
            statements.append((
                "INSERT INTO narratives (id, name, label, exemplar_claim_id, exemplar_score, status, merged_into,"
                " first_seen, last_seen, centroid, method, created_at, updated_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET"
                " name = excluded.name, label = excluded.label, exemplar_claim_id = excluded.exemplar_claim_id,"
                " exemplar_score = excluded.exemplar_score, status = excluded.status,"
                " merged_into = excluded.merged_into, first_seen = excluded.first_seen,"
                " last_seen = excluded.last_seen, centroid = excluded.centroid, method = excluded.method,"
                " updated_at = excluded.updated_at",
                (n["id"], n.get("name"), n["label"], n.get("exemplar_claim_id"), n.get("exemplar_score"),
                 n.get("status", "active"), n.get("merged_into"), n["first_seen"], n["last_seen"], n["centroid"],
                 n["method"], now, now)))
        for claim_id, narrative_id, similarity in assignments:
            statements.append((
                "INSERT INTO claim_narratives (claim_id, narrative_id, similarity, assigned_at, method)"
                " VALUES (?, ?, ?, ?, ?) ON CONFLICT (claim_id) DO UPDATE SET narrative_id = excluded.narrative_id,"
                " similarity = excluded.similarity, assigned_at = excluded.assigned_at, method = excluded.method",
                (claim_id, narrative_id, similarity, now, method)))
        for key, value in settings.items():
            statements.append(("INSERT INTO narrative_state (key, value) VALUES (?, ?)"
                               " ON CONFLICT (key) DO UPDATE SET value = excluded.value", (key, json.dumps(value))))
        self._narrative_write(statements)

    def move_narrative_claims(self, *, source_id: str, target_id: str, claim_ids: Sequence[str] | None = None) -> None:
        """Give ``target_id`` the claims of ``source_id`` (all, or ``claim_ids``), marked as an edit."""
        statements: list[tuple[str, Sequence[Any]]]
        if claim_ids is None:
            statements = [("UPDATE claim_narratives SET narrative_id = ?, method = 'edit' WHERE narrative_id = ?",
                           (target_id, source_id))]
        else:
            statements = [("UPDATE claim_narratives SET narrative_id = ?, method = 'edit'"
                           " WHERE narrative_id = ? AND claim_id = ?", (target_id, source_id, claim_id))
                          for claim_id in claim_ids]
        self._narrative_write(statements)

    def reset_narratives(self) -> None:
        """Forget discovered narratives and their state (the edit log stays, to be re-applied)."""
        self._narrative_write([("DELETE FROM claim_narratives", ()), ("DELETE FROM narratives", ()),
                               ("DELETE FROM narrative_state", ())])

    # -- analysts' edits ---------------------------------------------------------------------------
    def add_narrative_edit(self, action: str, args: dict[str, Any]) -> None:
        self._narrative_write([("INSERT INTO narrative_edits (action, args, created_at) VALUES (?, ?, ?)",
                                (action, json.dumps(args, sort_keys=True), _now()))])

    def narrative_edits(self) -> list[dict[str, Any]]:
        return [row | {"args": json.loads(row["args"])}
                for row in self._query("SELECT id, action, args, created_at FROM narrative_edits ORDER BY id")]

    def name_narrative(self, narrative_id: str, name: str | None) -> None:
        self.narrative_row(narrative_id)
        self._narrative_write([("UPDATE narratives SET name = ?, updated_at = ? WHERE id = ?",
                                (name, _now(), narrative_id))])

    # -- reading -----------------------------------------------------------------------------------
    def narrative_row(self, narrative_id: str) -> dict[str, Any]:
        row = self._query_one("SELECT * FROM narratives WHERE id = ?", (narrative_id,))
        if row is None:
            raise NotFound(Messages.CG350.format(narrative_id=narrative_id, path=self.path))
        return row

    def narratives(self, *, limit: int | None = 100, include_merged: bool = False,
                   min_claims: int = 1, unlisted: bool = False) -> list[dict[str, Any]]:
        """Narratives, largest first: id, name, label, claims, articles, outlets, first_seen and
        last_seen (of the dated articles), undated (claims from undated articles), status, listed.

        A group is ``listed`` (a narrative) when its claims come from at least two articles or two
        outlets; the others (one article's claims) are kept, unassigned, for later growth, and only
        returned with ``unlisted=True``."""
        rows = self._query(
            "SELECT n.id, n.name, n.label, n.status, n.merged_into, c.narrative_id, x.article_id,"
            " a.outlet, a.published FROM narratives n LEFT JOIN claim_narratives c ON c.narrative_id = n.id"
            " LEFT JOIN claims x ON x.id = c.claim_id LEFT JOIN articles a ON a.id = x.article_id")
        summary: dict[str, dict[str, Any]] = {}
        for row in rows:
            entry = summary.setdefault(row["id"], {
                "id": row["id"], "name": row["name"], "label": row["label"], "status": row["status"],
                "merged_into": row["merged_into"], "first_seen": None, "last_seen": None,
                "claims": 0, "undated": 0, "articles": set(), "outlets": set()})
            if row["narrative_id"] is not None:
                entry["claims"] += 1
                entry["articles"].add(row["article_id"])
                if row["outlet"]:
                    entry["outlets"].add(row["outlet"])
                _count_date(entry, row["published"])
        found = []
        for entry in summary.values():
            listed = len(entry["articles"]) >= 2 or len(entry["outlets"]) >= 2
            if not (include_merged or entry["status"] == "active") or entry["claims"] < min_claims:
                continue
            if listed or unlisted or entry["status"] == "merged":
                found.append(entry | {"articles": len(entry["articles"]), "outlets": len(entry["outlets"]),
                                      "listed": listed})
        found.sort(key=lambda e: (-e["claims"], e["first_seen"] or "", e["id"]))
        return found[:limit] if limit is not None else found

    def narrative(self, narrative_id: str) -> Narrative:
        """One narrative with its claims, speakers, outlets, countries and weekly counts."""
        row = self.narrative_row(narrative_id)
        claims = self._query(
            "SELECT c.id, c.speaker_name, c.speaker_text, a.outlet, a.published, a.ingested_at, s.country"
            " FROM claim_narratives n JOIN claims c ON c.id = n.claim_id JOIN articles a ON a.id = c.article_id"
            " LEFT JOIN actors s ON s.id = c.speaker_actor_id WHERE n.narrative_id = ?", (narrative_id,))
        dates = {c["id"]: claim_date(c["published"], c["ingested_at"]) for c in claims}
        dated = {c["id"]: day for c in claims if (day := published_date(c["published"])) is not None}
        ordered = sorted(claims, key=lambda c: (dates[c["id"]], c["id"]))
        ordered_dated = [c for c in ordered if c["id"] in dated]
        countries = Counter(c["country"] for c in claims if c["country"])
        claim_ids = [c["id"] for c in ordered]
        for start in range(0, len(claim_ids), 500):
            chunk = claim_ids[start:start + 500]
            marks = ", ".join("?" * len(chunk))
            countries.update(r["country"] for r in self._query(
                "SELECT x.country FROM claim_targets t JOIN actors x ON x.id = t.actor_id"
                f" WHERE t.claim_id IN ({marks}) AND x.country IS NOT NULL", chunk))
        return Narrative(
            id=row["id"], label=row["label"], name=row["name"], claim_ids=claim_ids,
            first_seen=dated[ordered_dated[0]["id"]] if ordered_dated else None,
            last_seen=dated[ordered_dated[-1]["id"]] if ordered_dated else None,
            undated=len(claims) - len(dated),
            outlets=dict(Counter(c["outlet"] for c in claims if c["outlet"]).most_common()),
            speakers=dict(Counter(c["speaker_name"] or c["speaker_text"] for c in claims
                                  if c["speaker_name"] or c["speaker_text"]).most_common()),
            countries=dict(countries.most_common()),
            weekly=weekly_counts(dated.values()), status=row["status"], merged_into=row["merged_into"],
            method=row["method"])

    # -- named narratives (taxonomy labels of articles) -------------------------------------------
    def save_article_narratives(self, article_id: str, *, taxonomy: str, narratives: Sequence[str],
                                subnarratives: Sequence[str], scores: dict[str, float], method: str,
                                evidence: dict[str, list[dict[str, Any]]] | None = None) -> None:
        """Replace the article's labels in ``taxonomy``; with ``evidence`` (label -> sentences with
        offsets and the ids of the claims that overlap them, ``Evidence.to_dict``), store it too and
        give those claims the label (``claims --narrative LABEL`` finds them)."""
        statements: list[tuple[str, Sequence[Any]]] = [
            ("DELETE FROM article_narratives WHERE article_id = ? AND taxonomy = ?", (article_id, taxonomy)),
            ("DELETE FROM article_narrative_evidence WHERE article_id = ? AND taxonomy = ?", (article_id, taxonomy)),
            ("DELETE FROM claim_narrative_labels WHERE article_id = ? AND taxonomy = ?", (article_id, taxonomy))]
        for level, labels in (("narrative", narratives), ("subnarrative", subnarratives)):
            for label in labels:
                statements.append(("INSERT INTO article_narratives (article_id, taxonomy, label, level, score, method)"
                                   " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (article_id, taxonomy, label) DO NOTHING",
                                   (article_id, taxonomy, label, level, scores.get(label), method)))
        known = {row["id"] for row in self._query("SELECT id FROM claims WHERE article_id = ?", (article_id,))}
        for label, sentences in (evidence or {}).items():
            if label not in narratives and label not in subnarratives:
                continue
            statements.append(("INSERT INTO article_narrative_evidence (article_id, taxonomy, label, evidence)"
                               " VALUES (?, ?, ?, ?) ON CONFLICT (article_id, taxonomy, label) DO NOTHING",
                               (article_id, taxonomy, label, json.dumps(sentences, ensure_ascii=False))))
            for claim_id in sorted({c for sentence in sentences for c in sentence.get("claim_ids", ())} & known):
                statements.append(("INSERT INTO claim_narrative_labels (claim_id, article_id, taxonomy, label)"
                                   " VALUES (?, ?, ?, ?) ON CONFLICT (claim_id, taxonomy, label) DO NOTHING",
                                   (claim_id, article_id, taxonomy, label)))
        self._narrative_write(statements)

    def narrative_labels(self, *, taxonomy: str | None = None) -> list[dict[str, Any]]:
        """Taxonomy labels given to stored articles: per label, its articles, first / last seen
        (the dated articles' dates), undated (articles without a date) and outlets, most used first."""
        sql = ("SELECT n.taxonomy, n.label, n.level, a.id, a.outlet, a.published, a.ingested_at"
               " FROM article_narratives n JOIN articles a ON a.id = n.article_id")
        rows = self._query(sql + (" WHERE n.taxonomy = ?" if taxonomy else ""), (taxonomy,) if taxonomy else ())
        summary: dict[tuple[str, str], dict[str, Any]] = {}
        for row in rows:
            entry = summary.setdefault((row["taxonomy"], row["label"]), {
                "taxonomy": row["taxonomy"], "label": row["label"], "level": row["level"], "articles": 0,
                "first_seen": None, "last_seen": None, "undated": 0, "outlets": Counter()})
            entry["articles"] += 1
            _count_date(entry, row["published"])
            if row["outlet"]:
                entry["outlets"][row["outlet"]] += 1
        found = [entry | {"outlets": dict(entry["outlets"].most_common())} for entry in summary.values()]
        found.sort(key=lambda e: (-e["articles"], e["taxonomy"], e["label"]))
        return found

    def article_narratives(self, article_id: str) -> list[dict[str, Any]]:
        """The article's taxonomy labels, each with its ``evidence`` (sentences with offsets; empty
        for labels stored without it)."""
        evidence = {(row["taxonomy"], row["label"]): json.loads(row["evidence"]) for row in self._query(
            "SELECT taxonomy, label, evidence FROM article_narrative_evidence WHERE article_id = ?", (article_id,))}
        rows = self._query("SELECT taxonomy, label, level, score, method FROM article_narratives WHERE article_id = ?"
                           " ORDER BY taxonomy, level, label", (article_id,))
        return [row | {"evidence": evidence.get((row["taxonomy"], row["label"]), [])} for row in rows]


def weekly_counts(dates: Iterable[str]) -> dict[str, int]:
    """Claims per ISO week (keyed by its Monday), with the empty weeks in between as 0."""
    counts = Counter(week_of(date) for date in dates)
    if not counts:
        return {}
    week, last = dt.date.fromisoformat(min(counts)), dt.date.fromisoformat(max(counts))
    filled = {}
    while week <= last:
        filled[week.isoformat()] = counts.get(week.isoformat(), 0)
        week += dt.timedelta(days=7)
    return filled


def _count_date(entry: dict[str, Any], published: str | None) -> None:
    """Widen ``entry``'s first and last seen days to ``published``'s day, or count it undated."""
    day = published_date(published)
    if day is None:
        entry["undated"] += 1
    else:
        entry["first_seen"] = min(filter(None, (entry["first_seen"], day)))
        entry["last_seen"] = max(filter(None, (entry["last_seen"], day)))
