"""Fact-checkers' commands: ``known import``, ``known match``, ``match``, ``checkworthy``."""
from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click

from ..errors import Messages
from ..store import describe_target, open_store
from .options import cli, db_option, errors_to_click, exit_with, report_warning


@cli.group()
def known() -> None:
    """Catalogues of known claims (fact-checks, disinformation cases) and matching claims to them.

    \b
    Example:
        claimgraph known import fact-checks.jsonl --db claimgraph.db
        claimgraph claims --matched --db claimgraph.db
    """


@known.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--collection", help="The catalogue's name in the store (default: the file's name).")
@click.option("--format", "file_format", type=click.Choice(["auto", "euvsdisinfo", "claimreview", "jsonl", "csv"]),
              default="auto", show_default=True, help="The file's format (auto: by its name and first line).")
@click.option("--match/--no-match", "then_match", default=True, show_default=True,
              help="Then match every stored claim against the known claims (as `known match`).")
@db_option
@errors_to_click
def known_import(file: Path, collection: str | None, file_format: str, then_match: bool, db: str) -> None:
    """Import a catalogue of known claims from FILE: EUvsDisinfo's CSV export, schema.org ClaimReview
    JSON-LD (.json, or .html pages that embed it), JSON lines {"id", "claim", "title"?, "subtitle"?,
    "date"?, "url"?, "verdict"?}, or a CSV whose header names those columns.

    Importing again updates changed rows and never duplicates; a row that is not a known claim is
    reported on stderr and stored as a failure. Exit status: 0 when every row was imported, 1 when
    some were rejected, 2 when none was.

    \b
    Example:
        claimgraph known import euvsdisinfo-cases.csv --collection euvsdisinfo --db claimgraph.db
    """
    from ..factcheck import import_known, match_stored

    with open_store(db) as store:
        counts = import_known(file, store=store, collection=collection, format=file_format,
                              report=lambda row: click.echo(f"error: {row.message}", err=True))
        matched = match_stored(store) if then_match and counts["new"] + counts["updated"] else 0
    click.echo(f"read {counts['read']}, new {counts['new']}, updated {counts['updated']}, unchanged "
               f"{counts['unchanged']}, rejected {counts['rejected']}; {matched} claims matched -> "
               f"{describe_target(db)}", err=True)
    exit_with(counts["read"], counts["rejected"])


@known.command("match")
@db_option
@errors_to_click
def known_match(db: str) -> None:
    """Match every stored claim against the stored known claims (claims stored before an import);
    each claim keeps its best 3 matches with their scores.

    \b
    Example:
        claimgraph known match --db claimgraph.db
    """
    from ..errors import ConfigError
    from ..factcheck import match_stored

    with open_store(db) as store:
        if store.known_count() == 0:
            raise ConfigError(Messages.CG390.format(path=db))
        matched = match_stored(store)
    click.echo(f"{matched} claims matched -> {describe_target(db)}", err=True)


def _records(handle: Any, *, counts: dict[str, int]) -> Iterator[dict[str, Any]]:
    """The {"id", "text"} lines of ``handle``; a bad line is reported and counted as rejected."""
    for number, line in enumerate(handle, start=1):
        if not line.strip():
            continue
        counts["read"] += 1
        where = f"{getattr(handle, 'name', 'input')}:{number}"
        try:
            record = json.loads(line)
            if not isinstance(record, dict) or not isinstance(record.get("text"), str) or not record["text"].strip():
                raise ValueError("no text")
        except (json.JSONDecodeError, ValueError) as e:
            message = Messages.CG104 if isinstance(e, json.JSONDecodeError) else Messages.CG105
            click.echo(f"error: {message.format(source=where, detail=e)}", err=True)
            counts["rejected"] += 1
            continue
        yield record


def _cached_vectors(known_path: Path, catalogue_rows: list[Any], cache: Path | None, embedder: Any) -> Any:
    """The known claims' vectors, kept in ``cache`` under the file's hash when a cache is given."""
    import numpy as np

    from ..factcheck.match import FIELDS, Catalogue

    if cache is None:
        return None
    digest = hashlib.sha256(known_path.read_bytes() + embedder.name.encode()).hexdigest()[:16]
    path = cache / f"known-{digest}.npz"
    if path.exists():
        saved = np.load(path)
        return {name: saved[f"arr_{i}"].astype(np.float32) for i, name in enumerate(FIELDS)}
    vectors = Catalogue.embed_known(catalogue_rows, embedder=embedder)
    cache.mkdir(parents=True, exist_ok=True)
    np.savez(path, *[vectors[name].astype(np.float16) for name in FIELDS])  # in the order of FIELDS
    return vectors


@cli.command()
@click.argument("queries", type=click.File("r", encoding="utf-8"))
@click.option("--known", "known_file", required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="The known claims: JSON lines {\"id\", \"claim\", \"title\"?, ...} or any `known import` format.")
@click.option("-o", "--output", type=click.File("w", encoding="utf-8"), default="-", help="Write JSON lines here.")
@click.option("--top", type=click.IntRange(min=1), default=5, show_default=True, help="Known claims per query.")
@click.option("--cache", type=click.Path(file_okay=False, path_type=Path),
              help="Keep the known claims' vectors in this folder (embedding a big catalogue takes minutes).")
@errors_to_click
def match(queries: Any, known_file: Path, output: Any, top: int, cache: Path | None) -> None:
    """Rank known claims for each sentence of QUERIES (JSON lines {"id", "text"}): one line
    {"id", "ranked": [known ids, best first], "scores": [...]} per query (scores: the probability that
    the sentence repeats the known claim).

    \b
    Example:
        claimgraph match tweets.jsonl --known fact-checks.jsonl -o ranked.jsonl --top 5
    """
    from ..factcheck import KnownClaim, Rejected, read_known
    from ..factcheck.match import Catalogue
    from ..narratives.embed import MiniLMEmbedder

    counts = {"read": 0, "rejected": 0}
    rows: list[KnownClaim] = []
    for row in read_known(known_file):
        if isinstance(row, Rejected):
            report_warning(f"{row.message} (left out of the catalogue)")
        else:
            rows.append(row)
    embedder = MiniLMEmbedder()
    catalogue = Catalogue(rows, vectors=_cached_vectors(known_file, rows, cache, embedder), embedder=embedder)
    for batch in _batches(_records(queries, counts=counts), 64):
        for record, ranked in zip(batch, catalogue.match([r["text"] for r in batch], top=top), strict=True):
            output.write(json.dumps({"id": record.get("id"), "ranked": [m.id for m in ranked],
                                     "scores": [m.score for m in ranked]}, ensure_ascii=False) + "\n")
    click.echo(f"read {counts['read']}, ranked {counts['read'] - counts['rejected']}, rejected {counts['rejected']} "
               f"against {len(catalogue):,} known claims", err=True)
    exit_with(counts["read"], counts["rejected"])


@cli.command()
@click.argument("input_file", type=click.File("r", encoding="utf-8"))
@click.option("-o", "--output", type=click.File("w", encoding="utf-8"), default="-", help="Write JSON lines here.")
@errors_to_click
def checkworthy(input_file: Any, output: Any) -> None:
    """Score the check-worthiness of sentences: JSON lines {"id", "text"} -> {"id", "checkworthy":
    true|false, "score"} (score in [0, 1]; yes from the model's threshold, chosen on
    CheckThat! train's held-out debates).

    \b
    Example:
        claimgraph checkworthy sentences.jsonl -o scored.jsonl
    """
    from ..factcheck import load_checkworthy

    model = load_checkworthy()
    counts = {"read": 0, "rejected": 0}
    for batch in _batches(_records(input_file, counts=counts), 256):
        for record, score in zip(batch, model.score([r["text"] for r in batch]), strict=True):
            output.write(json.dumps({"id": record.get("id"), "checkworthy": bool(score >= model.threshold),
                                     "score": round(float(score), 4)}, ensure_ascii=False) + "\n")
    click.echo(f"read {counts['read']}, scored {counts['read'] - counts['rejected']}, rejected {counts['rejected']} "
               f"(threshold {model.threshold:.2f})", err=True)
    exit_with(counts["read"], counts["rejected"])


def _batches(records: Iterator[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    """``records`` in lists of ``size`` (the last one shorter), so a model scores many texts at a time."""
    batch: list[dict[str, Any]] = []
    for record in records:
        batch.append(record)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch
