"""Discovered narratives: incremental grouping of claims (content + speaker + targets).

Single-pass clustering with a time window, as in topic detection and tracking: each new claim
joins the most similar *active* narrative (cosine to its centroid at least ``threshold``, last seen
within ``window_days`` of the claim) or starts a new one. Nothing is ever re-clustered: a narrative
keeps its id (made from its first claim's id) and the sum of its claims' vectors, so new data only
add to it, and the cost of a claim depends on the number of active narratives, not on the history.

A claim's vector joins its content's embedding with a hashed bag of its speaker and targets. To
join a narrative a claim needs content similarity of at least ``threshold``; among those that
qualify, the one with the best mix (``entity_weight`` on speaker/target similarity) wins, so
"Lavrov on the United States" leans toward Lavrov's narratives, but shared actors alone never
make a narrative.

With ``center`` (the MiniLM default) content cosines are taken after subtracting the running mean
of all claims' content vectors (kept as a sum and a count, updated once per ``assign`` batch): the
common component that every sentence of one domain shares would otherwise make all cosines high
and let a large narrative's centroid, which tends to that component, swallow everything. A
narrative keeps its claim count beside its sum, so its mean can be centred whatever the mean does.

Analysts' edits (name, merge, split) change the same state, so they hold when new claims arrive;
they are also logged, and re-applied after a rebuild.
"""
from __future__ import annotations

import datetime as dt
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

from ..records import stable_id
from .embed import Embedder, unit_rows

__all__ = ["ClaimItem", "NarrativeState", "NarrativeTracker", "TrackerSettings", "narrative_id"]


@dataclass(slots=True, frozen=True)
class ClaimItem:
    """What discovery needs of one claim."""

    id: str
    text: str
    date: str  # ISO date of the article's publication; "" when the article is undated
    speaker: str | None = None
    targets: tuple[str, ...] = ()


@dataclass(slots=True, frozen=True)
class TrackerSettings:
    threshold: float
    window_days: int = 730
    entity_weight: float = 0.15
    center: bool = False  # compare content vectors minus the running mean of all claims' vectors


# Chosen on the Italian half of the pro-Kremlin quotes (the German half is the test): see
# bench/narratives_quotes.py and docs/evaluation.md. Centring helps MiniLM (whose vectors of one
# domain all share a large common component, so raw cosines are high and centroids generic) and
# not TF-IDF (near zero mean already), so it is on for MiniLM only.
DEFAULT_SETTINGS = {
    "claimgraph.narratives.minilm-int8.v1": TrackerSettings(threshold=0.30, center=True),
    "claimgraph.narratives.tfidf-hashing.v1": TrackerSettings(threshold=0.15),
}
ENTITY_DIM = 256  # size of the hashed bag of speaker and targets beside the content embedding
# a narrative is named after its most central claim that reads as a statement: at least this many
# words ("It", "a disgrace" never name one); a shorter first claim names it only until one comes
MIN_LABEL_WORDS = 5
CENTER_PRIOR = 20  # see NarrativeTracker.content_mean
# What stores made before centring and the longer window keep (their saved settings lack "center").
LEGACY_WINDOW_DAYS = 180
# how often (in days of the claims' clock) narratives that fell out of the time window leave the active set
EVICT_EVERY_DAYS = 30


@dataclass(slots=True)
class NarrativeState:
    """One narrative as the tracker keeps it: the sum of its vectors and its time span."""

    id: str
    centroid: np.ndarray  # float32 sum of member vectors
    first_seen: str
    last_seen: str
    label: str = ""
    exemplar_claim_id: str | None = None
    exemplar_score: float = -1.0
    name: str | None = None
    status: str = "active"
    merged_into: str | None = None
    count: int = 0  # claims summed in ``centroid`` (for its mean, when centring)
    changed: bool = field(default=True, compare=False)


def narrative_id(first_claim_id: str, salt: str = "") -> str:
    return "n" + stable_id("narrative", first_claim_id, salt, length=12)


def _days(date: str) -> int:
    return dt.date.fromisoformat(date[:10]).toordinal()


class NarrativeTracker:
    """The in-memory state of discovered narratives; ``assign`` adds claims to it.

    Not a dataclass: it keeps a matrix of the active centroids in step with ``narratives``.
    """

    def __init__(self, embedder: Embedder, settings: TrackerSettings | None = None,
                 narratives: Iterable[NarrativeState] = (), content_mean: tuple[np.ndarray, int] | None = None):
        self.embedder = embedder
        self.settings = settings or DEFAULT_SETTINGS.get(embedder.name) or TrackerSettings(threshold=0.5)
        self.narratives: dict[str, NarrativeState] = {n.id: n for n in narratives}  # loaded ones only
        # running sum and count of all claims' content vectors (the mean that centring subtracts)
        self.mean_sum = np.zeros(embedder.dim, dtype=np.float64)
        self.mean_count = 0
        if content_mean is not None:
            self.mean_sum, self.mean_count = np.asarray(content_mean[0], dtype=np.float64).copy(), int(content_mean[1])
        self.clock = max((_days(n.last_seen) for n in self.narratives.values()), default=0)
        self._rebuild_active()

    # -- vectors -----------------------------------------------------------------------------
    @property
    def dim(self) -> int:
        return self.embedder.dim + ENTITY_DIM

    def vectors(self, items: Sequence[ClaimItem]) -> np.ndarray:
        """Rows of [content embedding (unit) | hashed bag of speaker and targets (unit, or 0)]."""
        self.embedder.observe([item.text for item in items])
        content = self.embedder.embed([item.text for item in items])
        entities = np.zeros((len(items), ENTITY_DIM), dtype=np.float32)
        for row, item in enumerate(items):
            keys = ([f"speaker:{item.speaker.casefold()}"] if item.speaker else [])
            keys += [f"target:{target.casefold()}" for target in item.targets]
            for key in keys:
                digest = zlib.crc32(key.encode("utf-8"))
                entities[row, digest % ENTITY_DIM] += 1.0 if digest & 0x80000000 else -1.0
        return np.hstack([content, unit_rows(entities)]).astype(np.float32)

    @property
    def content_mean(self) -> np.ndarray:
        """The mean that centring subtracts, shrunk toward zero while few claims are in (a prior of
        ``CENTER_PRIOR`` zero vectors), so the first claims of a store are not centred onto themselves."""
        if not self.settings.center or not self.mean_count:
            return np.zeros(self.embedder.dim, dtype=np.float32)
        return (self.mean_sum / (self.mean_count + CENTER_PRIOR)).astype(np.float32)

    def query(self, vectors: np.ndarray) -> np.ndarray:
        """Claim vectors as they are compared: the content part centred (when ``center``), unit length."""
        split = self.embedder.dim
        if not self.settings.center:
            return vectors
        return np.hstack([unit_rows(vectors[:, :split] - self.content_mean), vectors[:, split:]])

    def _unit_parts(self, narrative: NarrativeState) -> np.ndarray:
        """A narrative's centroid as compared: content (its mean, centred when ``center``) and entity
        parts each of unit length (for cosines per part)."""
        split, vector = self.embedder.dim, narrative.centroid
        content = vector[:split]
        if self.settings.center:
            content = content / max(narrative.count, 1) - self.content_mean
        return np.concatenate([_unit(content), _unit(vector[split:])])

    def similarity(self, vector: np.ndarray, count: int) -> tuple[np.ndarray, np.ndarray]:
        """(content cosine, combined score) of ``vector`` against the first ``count`` active narratives.
        The score adds ``entity_weight`` of the speaker/target cosine; joining needs the content one."""
        split, weight = self.embedder.dim, self.settings.entity_weight
        content = self.active[:count, :split] @ vector[:split]
        if not vector[split:].any():
            return content, content
        return content, (1 - weight) * content + weight * (self.active[:count, split:] @ vector[split:])

    # -- the active set ----------------------------------------------------------------------
    def _rebuild_active(self) -> None:
        horizon = self.clock - self.settings.window_days
        self.active_ids = [n.id for n in self.narratives.values()
                           if n.status == "active" and _days(n.last_seen) >= horizon]
        self.active = np.zeros((max(len(self.active_ids) * 2, 64), self.dim), dtype=np.float32)
        for row, narrative_key in enumerate(self.active_ids):
            self.active[row] = self._unit_parts(self.narratives[narrative_key])
        self.row_of = {key: row for row, key in enumerate(self.active_ids)}
        self.last_seen_days = np.full(self.active.shape[0], -(10 ** 9), dtype=np.int64)
        for row, narrative_key in enumerate(self.active_ids):
            self.last_seen_days[row] = _days(self.narratives[narrative_key].last_seen)
        self._evicted_at = self.clock

    def _append_active(self, narrative: NarrativeState) -> None:
        row = len(self.active_ids)
        if row == self.active.shape[0]:
            self.active = np.vstack([self.active, np.zeros_like(self.active)])
            self.last_seen_days = np.concatenate([self.last_seen_days,
                                                  np.full(row, -(10 ** 9), dtype=np.int64)])
        self.active_ids.append(narrative.id)
        self.row_of[narrative.id] = row
        self.active[row] = self._unit_parts(narrative)
        self.last_seen_days[row] = _days(narrative.last_seen)

    # -- assignment ----------------------------------------------------------------------------
    def assign(self, items: Sequence[ClaimItem]) -> list[tuple[str, str, float]]:
        """Add claims, oldest first (undated ones last); return (claim id, narrative id, similarity)
        for each. An undated claim may join any active narrative (no time window applies to it) and
        moves neither the clock nor any narrative's first / last seen."""
        items = sorted(items, key=lambda item: (not item.date, item.date[:10], item.id))
        if not items:
            return []
        vectors = self.vectors(items)
        if self.settings.center:  # the batch joins the mean first (as TF-IDF observes it), then re-centre
            self.mean_sum += vectors[:, :self.embedder.dim].sum(axis=0, dtype=np.float64)
            self.mean_count += len(items)
            self._rebuild_active()
        queries = self.query(vectors)
        threshold, window = self.settings.threshold, self.settings.window_days
        assigned = []
        for item, vector, query in zip(items, vectors, queries, strict=True):
            dated = bool(item.date)
            day = _days(item.date) if dated else self.clock
            self.clock = max(self.clock, day)
            if self.clock - self._evicted_at > EVICT_EVERY_DAYS:
                self._rebuild_active()
            count = len(self.active_ids)
            best_row, best = -1, -1.0
            if count:
                content, score = self.similarity(query, count)
                outside = np.abs(self.last_seen_days[:count] - day) > window if dated else False
                score[outside | (content < threshold)] = -1.0
                best_row = int(np.argmax(score))
                best = float(content[best_row]) if score[best_row] > -1.0 else -1.0
            if best >= threshold:
                narrative = self.narratives[self.active_ids[best_row]]
                narrative.centroid += vector
                narrative.count += 1
                if dated:
                    narrative.first_seen = min(narrative.first_seen, item.date[:10])
                    narrative.last_seen = max(narrative.last_seen, item.date[:10])
                    self.last_seen_days[best_row] = max(self.last_seen_days[best_row], day)
                self.active[best_row] = self._unit_parts(narrative)
                if best > narrative.exemplar_score and len(item.text.split()) >= MIN_LABEL_WORDS:
                    narrative.label, narrative.exemplar_claim_id, narrative.exemplar_score = item.text, item.id, best
                narrative.changed = True
                assigned.append((item.id, narrative.id, best))
                continue
            # an undated claim's group is placed at the clock (today on an empty store) for the time window
            date = item.date[:10] if dated else (dt.date.fromordinal(self.clock).isoformat() if self.clock
                                                 else dt.date.today().isoformat())
            narrative = NarrativeState(id=narrative_id(item.id), centroid=vector.copy(), first_seen=date,
                                       last_seen=date, label=item.text, exemplar_claim_id=item.id,
                                       exemplar_score=1.0 if len(item.text.split()) >= MIN_LABEL_WORDS else -1.0,
                                       count=1)
            while narrative.id in self.narratives:  # the same claim id grouped twice (a rebuild)
                narrative.id = narrative_id(item.id, salt=narrative.id)
            self.narratives[narrative.id] = narrative
            self._append_active(narrative)
            assigned.append((item.id, narrative.id, 1.0))
        return assigned

    # -- analysts' edits -------------------------------------------------------------------------
    def merge(self, target_id: str, source_id: str) -> None:
        """Fold ``source_id`` into ``target_id``: its vectors and time span; the source is retired."""
        target, source = self.narratives[target_id], self.narratives[source_id]
        target.centroid = target.centroid + source.centroid
        target.count += source.count
        target.first_seen, target.last_seen = min(target.first_seen, source.first_seen), max(
            target.last_seen, source.last_seen)
        source.status, source.merged_into = "merged", target_id
        target.changed = source.changed = True
        self._rebuild_active()

    def split(self, source_id: str, items: Sequence[ClaimItem]) -> str:
        """Move ``items`` (claims of ``source_id``) into a new narrative; return its id."""
        source = self.narratives[source_id]
        vectors = self.vectors(items)
        moved = vectors.sum(axis=0)
        source.centroid = source.centroid - moved
        source.count = max(source.count - len(items), 0)
        first = min(items, key=lambda item: (not item.date, item.date[:10], item.id))
        dates = [item.date[:10] for item in items if item.date] or [source.first_seen, source.last_seen]
        new = NarrativeState(id=narrative_id(first.id, salt=f"split:{source_id}"), centroid=moved,
                             first_seen=min(dates), last_seen=max(dates), label=first.text,
                             exemplar_claim_id=first.id, exemplar_score=1.0, count=len(items))
        self.narratives[new.id] = new
        source.changed = True
        self._rebuild_active()
        return new.id


def _unit(vector: np.ndarray) -> np.ndarray:
    norm = float(np.linalg.norm(vector))
    return vector / norm if norm > 0 else vector
