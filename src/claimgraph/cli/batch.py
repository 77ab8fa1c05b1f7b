"""The ``batch`` and ``stories`` commands (thin wrappers over ``claimgraph.batch`` and the store)."""
from __future__ import annotations

import json
from pathlib import Path

import click

from ..batch import CHUNK, PARSE_BATCH, BatchOptions, run_batch
from ..store import describe_target, open_store
from .options import (
    cli,
    db_option,
    errors_to_click,
    exit_with,
    max_chars_option,
    mode_option,
    outlet_option,
    progress_wanted,
    quiet_option,
    report_warning,
    workers_option,
    workers_or_cores,
)


@cli.command()
@click.argument("inputs", nargs=-1, required=True)
@db_option
@workers_option
@click.option("--dask-scheduler", metavar="ADDRESS", help="Run the workers on this Dask scheduler (tcp://host:8786).")
@click.option("--dask", "local_dask", is_flag=True, help="Run on a local Dask cluster of --workers processes.")
@click.option("--rejects", type=click.Path(dir_okay=False),
              help="JSON lines of records not stored, with the reason. [default: DB.rejects.jsonl]")
@click.option("--chunk", type=int, default=CHUNK, show_default=True,
              help="Articles per worker task and per write transaction.")
@click.option("--parse-batch", type=int, default=PARSE_BATCH, show_default=True,
              help="Texts per spaCy batch in a worker (lower it to save memory on very long articles).")
@max_chars_option
@outlet_option
@click.option("--no-dedup", is_flag=True, help="Do not link near-duplicate articles into stories.")
@mode_option
@quiet_option
@errors_to_click
def batch(inputs: tuple[str, ...], db: str, workers: int | None, dask_scheduler: str | None, local_dask: bool,
          rejects: str | None, chunk: int, parse_batch: int, max_chars: int, outlet: str | None, no_dedup: bool,
          quiet: bool, mode: str) -> None:
    """Process a large corpus into the database: streamed, resumable, with near-duplicate stories.

    INPUTS are .jsonl, .jsonl.gz, .parquet, .rss/.atom feeds, .warc(.gz) archives, folders of
    .txt/.html, or http(s) URLs. Run the same command again after a crash: what was stored is
    skipped, the rest is done. Every record that is not stored is listed in the rejects file.

    Exit status: 0 when every record was stored, unchanged or a duplicate, 1 when some were rejected,
    2 when none was stored (all rejected, or none read) or the usage is wrong.

    \b
    Example:
        claimgraph batch news-2026-*.jsonl.gz --db news.db --workers 2
        claimgraph stories --db news.db
    """
    rejects = rejects or _default_rejects(db)
    options = BatchOptions(max_chars=max_chars, outlet=outlet, workers=workers_or_cores(workers), chunk=chunk,
                           parse_batch=parse_batch, rejects=rejects, dedup=not no_dedup,
                           progress=progress_wanted(quiet), dask=local_dask, dask_scheduler=dask_scheduler,
                           mode=mode)
    with open_store(db) as store:
        counts = run_batch(list(inputs), store=store, options=options, warn=report_warning)
    click.echo(f"read {counts['read']}, stored {counts['stored']}, unchanged {counts['unchanged']}, "
               f"duplicate {counts['duplicate']}, rejected {counts['rejected']} ({counts['claims']} claims, "
               f"{counts['linked']} near-duplicates linked to a story) -> {describe_target(db)}"
               + (f"; rejects listed in {rejects}" if rejects else ""), err=True)
    exit_with(counts["read"], counts["rejected"])


@cli.command()
@click.option("--limit", type=int, default=100, show_default=True, help="At most this many stories (0: all).")
@click.option("--min-articles", type=int, default=2, show_default=True,
              help="Only stories carried by at least this many articles (1: every article).")
@click.option("--json", "as_json", is_flag=True, help="Output JSON lines.")
@db_option
@errors_to_click
def stories(limit: int, min_articles: int, as_json: bool, db: str) -> None:
    """List stories: an original article and its wire copies / re-publications, with their outlets.

    \b
    Example:
        claimgraph stories --db news.db --min-articles 3
    """
    with open_store(db) as store:
        rows = store.stories(limit=limit or None, min_articles=min_articles)
    for row in rows:
        if as_json:
            click.echo(json.dumps(row, ensure_ascii=False))
        else:
            click.echo(f"{row['story_id']}  {row['articles']:3d} articles  {row['claims']:3d} claims  "
                       f"{', '.join(row['outlets']) or '-'}  {row['title'] or ''}")
    click.echo(f"{len(rows)} stories", err=True)


def _default_rejects(db: str) -> str | None:
    """Beside a SQLite file (claims.db -> claims.rejects.jsonl); for a PostgreSQL database, in the
    working directory, named after the database (postgresql://…/news -> news.rejects.jsonl)."""
    if db == ":memory:":
        return None
    if db.startswith(("postgresql://", "postgres://")):
        from urllib.parse import urlsplit

        name = urlsplit(db).path.strip("/") or "claimgraph"
        return f"{name}.rejects.jsonl"
    return str(Path(db.removeprefix("sqlite:///")).with_suffix("")) + ".rejects.jsonl"
