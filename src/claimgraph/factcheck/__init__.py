"""Fact-checkers' two questions about a claim: has it been checked before, and is it worth checking?

- ``known.py``: catalogues of known claims (EUvsDisinfo CSV, ClaimReview JSON-LD, JSON lines, CSV);
- ``match.py``: ranking known claims for a sentence (BM25, MiniLM cosine, a learned re-ranker);
- ``checkworthy.py``: a check-worthiness score in [0, 1] and a yes / no;
- here: importing a catalogue into a store, matching stored claims against it, and the pipeline
  step that scores every claim's check-worthiness.
"""
from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from ..records import Article, Failure, stable_id
from ..store.factcheck import MATCH_THRESHOLD, MATCHES_KEPT
from .checkworthy import PIPELINE_VARIANT, CheckworthyModel, checkworthy_method, load_checkworthy
from .known import KnownClaim, Rejected, read_known

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from ..store import SQLStore
    from .match import Catalogue

__all__ = ["KnownClaim", "Rejected", "read_known", "import_known", "match_stored", "stored_catalogue",
           "checkworthy_step", "checkworthy_method", "score_checkworthy", "load_checkworthy", "CheckworthyModel",
           "MATCH_THRESHOLD", "MATCHES_KEPT", "matching_method"]

DIM = 384
# (store path, store object, count, latest update, embedder) -> the catalogue made from them
_CATALOGUES: dict[tuple[str, int, int, str, str], Catalogue] = {}


def matching_method() -> str:
    """The matcher's versioned name, stored with each match."""
    from ..versions import versioned

    return versioned("claimgraph.factcheck.matching.v1", "matching")


def _pack(vectors: np.ndarray) -> bytes:
    """(3, 384) float32 -> float16 little-endian bytes."""
    return np.asarray(vectors, dtype="<f2").tobytes()


def _unpack(raw: bytes | None, fields: int) -> np.ndarray:
    if not raw:
        return np.zeros((fields, DIM), dtype=np.float32)
    return np.frombuffer(raw, dtype="<f2").reshape(fields, DIM).astype(np.float32)


def import_known(path: str | Path, *, store: SQLStore, collection: str | None = None, format: str = "auto",
                 embedder: Any = None, report: Callable[[Rejected], None] | None = None) -> Counter[str]:
    """Import the catalogue at ``path`` into ``store`` as ``collection`` (default: the file's name
    without its suffix); return the counts read / new / updated / unchanged / rejected.

    Re-importing updates changed rows and leaves the others; only new or changed rows are embedded.
    A row that is not a known claim is saved as a failure (its code and message) and reported.
    """
    from .match import FIELDS, Catalogue

    path = Path(path)
    collection = collection or path.name.split(".")[0]
    counts: Counter[str] = Counter()
    known: dict[str, KnownClaim] = {}
    run_id = store.start_run("known import", {"path": str(path), "collection": collection, "format": format})
    for row in read_known(path, format=format):
        counts["read"] += 1
        if isinstance(row, Rejected):
            counts["rejected"] += 1
            store.save_failure(Failure(step="known import", code=row.code, message=row.message, source=row.source),
                               run_id=run_id)
            if report is not None:
                report(row)
            continue
        if row.id in known:
            counts["repeated"] += 1  # the last row with an id wins, as a re-import would
        known[row.id] = row
    from ..narratives.embed import MiniLMEmbedder

    stored = store.known_hashes(collection)
    vector_method = embedder.name if embedder is not None else MiniLMEmbedder.name  # a new embedder: embed again
    changed = []
    for claim in known.values():
        digest = stable_id(*(getattr(claim, name) for name in ("claim", "title", "subtitle", "date", "url",
                                                                "verdict")), sorted(claim.extra.items()), vector_method)
        if stored.get(claim.id) == digest:
            counts["unchanged"] += 1
            continue
        counts["updated" if claim.id in stored else "new"] += 1
        changed.append((claim, digest))
    if changed and embedder is None:
        embedder = MiniLMEmbedder()
    for start in range(0, len(changed), 256):
        chunk = changed[start:start + 256]
        vectors = Catalogue.embed_known([claim for claim, _ in chunk], embedder=embedder)
        store.save_known(collection, [
            claim.to_dict() | {"content_hash": digest, "vector_method": embedder.name,
                               "vectors": _pack(np.stack([vectors[name][i] for name in FIELDS]))}
            for i, (claim, digest) in enumerate(chunk)])
    store.finish_run(run_id, {"read": counts["read"], "stored": counts["new"] + counts["updated"],
                              "unchanged": counts["unchanged"], "rejected": counts["rejected"]})
    return counts


def stored_catalogue(store: SQLStore, *, embedder: Any = None) -> tuple[Catalogue, list[str]]:
    """The store's known claims as a ``Catalogue`` (their stored vectors, not embedded again) and each
    one's collection; made once per process while the known claims do not change."""
    from .match import FIELDS, Catalogue

    count, latest = store.known_signature()
    key = (store.path, id(store), count, latest, getattr(embedder, "name", ""))
    if key in _CATALOGUES:
        catalogue = _CATALOGUES[key]
        return catalogue, catalogue.collections
    rows = store.known_claims()
    known = [KnownClaim(id=row["id"], claim=row["claim"], title=row["title"], subtitle=row["subtitle"],
                        date=row["date"], url=row["url"], verdict=row["verdict"], extra=row["extra"]) for row in rows]
    stacked = np.stack([_unpack(row["vectors"], len(FIELDS)) for row in rows]) if rows else \
        np.zeros((0, len(FIELDS), DIM), dtype=np.float32)
    catalogue = Catalogue(known, vectors={name: np.ascontiguousarray(stacked[:, i]) for i, name in enumerate(FIELDS)},
                          embedder=embedder)
    catalogue.collections = [row["collection"] for row in rows]
    _CATALOGUES.clear()  # one catalogue per process: the latest
    _CATALOGUES[key] = catalogue
    return catalogue, catalogue.collections


def match_stored(store: SQLStore, *, claim_ids: Sequence[str] | None = None, top: int = MATCHES_KEPT,
                 chunk: int = 256, embedder: Any = None, progress: Callable[[int], None] | None = None) -> int:
    """Match stored claims (these ids, or all of them) against the store's known claims; store each
    claim's ``top`` matches with their scores, and whether the known claim is dated after the
    claim's article (``later``). Returns how many claims were matched; 0 at once when the store
    holds no known claims."""
    if store.known_count() == 0:
        return 0
    catalogue, collections = stored_catalogue(store, embedder=embedder)
    method = matching_method()
    done = 0
    offset = 0
    while True:
        if claim_ids is not None:
            rows = store.claims_for_matching(claim_ids=list(claim_ids)[offset:offset + chunk])
        else:
            rows = store.claims_for_matching(limit=chunk, offset=offset)
        if not rows:
            return done
        offset += chunk
        found = catalogue.match([row["content"] or "" for row in rows], top=top)
        matches: dict[str, list[dict[str, Any]]] = {}
        for row, ranked in zip(rows, found, strict=True):
            published = str(row["published"] or "")[:10]
            matches[row["id"]] = [
                {"collection": collections[match.index], "known_id": match.id, "score": match.score,
                 "later": bool(published and catalogue.known[match.index].date
                               and str(catalogue.known[match.index].date) > published)}
                for match in ranked]
        store.save_matches(matches, method=method)
        done += len(rows)
        if progress is not None:
            progress(len(rows))


def score_checkworthy(texts: Sequence[str], *, model: CheckworthyModel | None = None) -> np.ndarray:
    """The check-worthiness of each text, in [0, 1] (``model.threshold`` is the yes / no cut); by
    default the best variant installed (``minilm`` with the embeddings extra, else ``encoder``)."""
    return (model or load_checkworthy()).score(list(texts))


def checkworthy_step(article: Article, spacy_doc: Doc) -> None:
    """The pipeline step after extraction: every claim gets its ``checkworthy`` score (the cheap
    ``words`` variant: TF-IDF and the claim's structure, about 2 ms per claim)."""
    if not article.claims:
        return
    scores = load_checkworthy(PIPELINE_VARIANT).score([claim.content_text for claim in article.claims])
    article.claims = [dataclasses.replace(claim, checkworthy=round(float(score), 4))
                      for claim, score in zip(article.claims, scores, strict=True)]
