"""Discovered narratives in a store: incremental update, and the analysts' name / merge / split.

``update_narratives(store)`` loads the tracker state (centroids, embedder statistics) from the
store, assigns the claims that have no narrative yet, oldest first, and saves what changed. Edits
go through the same state and are logged in ``narrative_edits``; ``rebuild=True`` starts over from
all stored claims and re-applies the log (the ids come out the same for the same claims).
"""
from __future__ import annotations

import base64
import datetime as dt
from collections import Counter
from collections.abc import Sequence
from typing import Any

import numpy as np

from ..errors import ConfigError, Messages, NotFound
from ..store import SQLStore
from .discover import (
    DEFAULT_SETTINGS,
    ENTITY_DIM,
    LEGACY_WINDOW_DAYS,
    ClaimItem,
    NarrativeState,
    NarrativeTracker,
    TrackerSettings,
)
from .embed import load_embedder

__all__ = ["update_narratives", "name_narrative", "merge_narratives", "split_narrative", "load_tracker"]


def _item(row: dict[str, Any]) -> ClaimItem:
    return ClaimItem(id=row["id"], text=row["content"], date=row["date"],
                     speaker=row.get("speaker_name") or row.get("speaker_text"), targets=tuple(row["targets"]))


def load_tracker(store: SQLStore, *, backend: str = "auto", threshold: float | None = None,
                 window_days: int | None = None, ids: Sequence[str] = ()) -> NarrativeTracker:
    """The tracker as the store left it (a new one for an empty store), with the narratives inside
    its time window (only those can take new claims) and those in ``ids`` (for edits)."""
    state = store.narrative_settings()
    stored_name = state.get("embedder")
    if stored_name and backend == "auto":
        backend = "minilm" if "minilm" in stored_name else "tfidf"
    embedder = load_embedder(backend)
    if stored_name and stored_name != embedder.name:
        raise ConfigError(Messages.CG153.format(found=stored_name, wanted=embedder.name,
                                                found_backend="minilm" if "minilm" in stored_name else "tfidf"))
    embedder.load_state(state.get("embedder_state", {}))
    settings = DEFAULT_SETTINGS.get(embedder.name) or TrackerSettings(threshold=0.5)
    saved = state.get("settings", {})
    if saved and "center" not in saved:  # a store made before centring: it keeps what it was built with
        saved = {"center": False, "window_days": LEGACY_WINDOW_DAYS} | saved
    if threshold is None:
        threshold = saved.get("threshold", settings.threshold)
    settings = TrackerSettings(threshold=threshold,
                               window_days=window_days or saved.get("window_days", settings.window_days),
                               entity_weight=saved.get("entity_weight", settings.entity_weight),
                               center=saved.get("center", settings.center))
    clock = store.narrative_clock()
    since = None
    if clock is not None:
        since = (dt.date.fromisoformat(clock) - dt.timedelta(days=settings.window_days)).isoformat()
    narratives = [NarrativeState(id=row["id"], **_centroid_and_count(row["centroid"], embedder.dim),
                                 first_seen=row["first_seen"], last_seen=row["last_seen"], label=row["label"],
                                 exemplar_claim_id=row["exemplar_claim_id"],
                                 exemplar_score=row["exemplar_score"] if row["exemplar_score"] is not None else -1.0,
                                 name=row["name"], status=row["status"], merged_into=row["merged_into"], changed=False)
                  for row in store.narrative_rows(seen_since=since, ids=ids)]
    mean = state.get("content_mean")
    content_mean = None
    if mean:
        content_mean = (np.frombuffer(base64.b64decode(mean["sum"]), dtype="<f8").copy(), mean["count"])
    return NarrativeTracker(embedder, settings, narratives, content_mean=content_mean)


def _centroid_bytes(narrative: NarrativeState) -> bytes:
    """The ``centroid`` column: float32 little-endian, the sum of the claims' vectors, then their count
    (one more float32, exact up to 2**24 claims; stores made before it have the sum alone)."""
    return np.append(narrative.centroid, np.float32(narrative.count)).astype("<f4").tobytes()


def _centroid_and_count(blob: bytes, content_dim: int) -> dict[str, Any]:
    values = np.frombuffer(blob, dtype="<f4").copy()
    if values.size == content_dim + ENTITY_DIM + 1:
        return {"centroid": values[:-1], "count": round(float(values[-1]))}
    return {"centroid": values, "count": 0}  # before counts were kept (such stores do not centre)


def _save(store: SQLStore, tracker: NarrativeTracker, assignments: Sequence[tuple[str, str, float]],
          method: str = "auto") -> None:
    changed = [n for n in tracker.narratives.values() if n.changed]
    rows = [{"id": n.id, "name": n.name, "label": n.label, "exemplar_claim_id": n.exemplar_claim_id,
             "exemplar_score": n.exemplar_score, "status": n.status, "merged_into": n.merged_into,
             "first_seen": n.first_seen, "last_seen": n.last_seen,
             "centroid": _centroid_bytes(n), "method": tracker.embedder.name} for n in changed]
    settings = tracker.settings
    store.save_narrative_state(narratives=rows, assignments=assignments, method=method, settings={
        "embedder": tracker.embedder.name, "embedder_state": tracker.embedder.state(),
        "settings": {"threshold": settings.threshold, "window_days": settings.window_days,
                     "entity_weight": settings.entity_weight, "center": settings.center},
        "content_mean": {"count": tracker.mean_count,
                         "sum": base64.b64encode(tracker.mean_sum.astype("<f8").tobytes()).decode("ascii")}})
    for narrative in changed:
        narrative.changed = False


def update_narratives(store: SQLStore, *, backend: str = "auto", threshold: float | None = None,
                      window_days: int | None = None, rebuild: bool = False,
                      batch_size: int = 1000) -> Counter[str]:
    """Put every stored claim that has none into a narrative; return counts (claims, joined, new)."""
    if rebuild:
        store.reset_narratives()
    tracker = load_tracker(store, backend=backend, threshold=threshold, window_days=window_days)
    pending = sorted(store.pending_narrative_claims(), key=lambda row: (row["date"], row["id"]))
    counts: Counter[str] = Counter()
    known = set(tracker.narratives)
    for start in range(0, len(pending), batch_size):
        assignments = tracker.assign([_item(row) for row in pending[start:start + batch_size]])
        for _, narrative_key, _ in assignments:
            counts["claims"] += 1
            counts["joined" if narrative_key in known else "new"] += 1
            known.add(narrative_key)
        _save(store, tracker, assignments)
    if rebuild:
        counts["edits_reapplied"] = _reapply_edits(store)
    counts["narratives"] = sum(n.status == "active" for n in tracker.narratives.values())
    return counts


def name_narrative(store: SQLStore, narrative_id: str, name: str | None, *, log: bool = True) -> None:
    store.name_narrative(narrative_id, name)
    if log:
        store.add_narrative_edit("name", {"id": narrative_id, "name": name})


def merge_narratives(store: SQLStore, target_id: str, source_ids: Sequence[str], *, log: bool = True) -> None:
    """Fold each of ``source_ids`` into ``target_id``; new claims like theirs then join the target."""
    for narrative_key in (target_id, *source_ids):
        store.narrative_row(narrative_key)  # NotFound with a hint
    tracker = load_tracker(store, ids=[target_id, *source_ids])
    for source_id in source_ids:
        if source_id == target_id:
            continue
        tracker.merge(target_id, source_id)
        _save(store, tracker, [])
        store.move_narrative_claims(source_id=source_id, target_id=target_id)
    if log:
        store.add_narrative_edit("merge", {"into": target_id, "ids": list(source_ids)})


def split_narrative(store: SQLStore, narrative_id: str, claim_ids: Sequence[str], *, log: bool = True) -> str:
    """Move ``claim_ids`` out of ``narrative_id`` into a new narrative; return the new id."""
    store.narrative_row(narrative_id)
    rows = store.narrative_claim_rows(list(claim_ids))
    found = {row["id"] for row in rows if row.get("narrative_id") == narrative_id}
    missing = [claim_id for claim_id in claim_ids if claim_id not in found]
    if missing or not claim_ids:
        raise ConfigError(Messages.CG154.format(narrative_id=narrative_id, claim_ids=", ".join(missing) or "(none)"))
    tracker = load_tracker(store, ids=[narrative_id])
    new_id = tracker.split(narrative_id, [_item(row) for row in rows])
    _save(store, tracker, [])
    store.move_narrative_claims(source_id=narrative_id, target_id=new_id, claim_ids=list(claim_ids))
    if log:
        store.add_narrative_edit("split", {"id": narrative_id, "claim_ids": list(claim_ids), "new_id": new_id})
    return new_id


def _reapply_edits(store: SQLStore) -> int:
    """Re-apply the edit log after a rebuild; edits whose narratives are gone are skipped."""
    applied = 0
    for edit in store.narrative_edits():
        args = edit["args"]
        try:
            if edit["action"] == "name":
                name_narrative(store, args["id"], args["name"], log=False)
            elif edit["action"] == "merge":
                merge_narratives(store, args["into"], args["ids"], log=False)
            elif edit["action"] == "split":
                split_narrative(store, args["id"], args["claim_ids"], log=False)
        except (ConfigError, NotFound, KeyError):
            continue
        applied += 1
    return applied
