"""Commands that read articles: ``ingest``, ``extract``, ``show``, ``articles``."""
from __future__ import annotations

import functools
import json
import sys
from typing import Any

import click

from ..pipeline import load_pipeline
from ..render import mark_article
from ..reprocess import current_method, stale_articles, stale_methods
from ..run import extract as run_extract
from ..run import ingest as run_ingest
from ..store import describe_target, open_store
from .options import cli, db_option, errors_to_click, input_options, report_errors, report_warning


@cli.command()
@functools.partial(input_options, required=False)
@click.option("--url", "urls", multiple=True, help="Fetch this web page and ingest it (repeatable).")
@click.option("--narratives", "track_narratives", is_flag=True,
              help="Then put the new claims into discovered narratives (as `narratives update`).")
@db_option
@errors_to_click
def ingest(inputs: tuple[str, ...], max_chars: int, outlet: str | None, processes: int, track_narratives: bool,
           db: str, urls: tuple[str, ...]) -> None:
    """Extract claims from INPUTS (files, folders, http(s) URLs or - for stdin) and store them.

    \b
    Example:
        claimgraph ingest examples/ --db claimgraph.db
        claimgraph ingest --url https://example.org/news/story.html
    """
    inputs = inputs + urls
    if not inputs:
        raise click.UsageError("give INPUTS or --url")
    with open_store(db) as store:
        counts = run_ingest(inputs, store=store, pipeline=load_pipeline(n_process=processes),
                            max_chars=max_chars, outlet=outlet, report=report_errors, warn=report_warning)
        if track_narratives:
            from ..narratives import update_narratives

            tracked = update_narratives(store)
            click.echo(f"narratives: {tracked['joined']} claims joined, {tracked['new']} new narratives", err=True)
    click.echo(f"read {counts['read']}, stored {counts['stored']}, unchanged {counts['unchanged']}, "
               f"rejected {counts['rejected']} ({counts['claims']} claims) -> {describe_target(db)}", err=True)


@cli.command()
@input_options
@click.option("-o", "--output", type=click.File("w", encoding="utf-8"), default="-",
              help="Write JSON lines here instead of stdout.")
@errors_to_click
def extract(inputs: tuple[str, ...], max_chars: int, outlet: str | None, processes: int, output: Any) -> None:
    """Print one JSON line of claims per input article, in input order (nothing is stored).

    \b
    Example:
        claimgraph extract articles.jsonl -o claims.jsonl
    """
    counts = {"read": 0, "ok": 0, "rejected": 0}
    for article in run_extract(inputs, pipeline=load_pipeline(n_process=processes), max_chars=max_chars,
                               outlet=outlet):
        counts["read"] += 1
        counts["rejected" if article.rejected else "ok"] += 1
        report_errors(article)
        line = {"id": article.id or None, "source": article.source,
                "claims": [claim.to_dict() for claim in article.claims],
                "errors": [failure.to_dict() for failure in article.failures]}
        output.write(json.dumps(line, ensure_ascii=False) + "\n")
    click.echo(f"read {counts['read']}, extracted {counts['ok']}, rejected {counts['rejected']}", err=True)


@cli.command()
@click.argument("article_id")
@click.option("--json", "as_json", is_flag=True, help="Output the article and its claims as JSON.")
@db_option
@errors_to_click
def show(article_id: str, as_json: bool, db: str) -> None:
    """Show a stored article with its claims marked in the text.

    \b
    Example:
        claimgraph show 3f2a9c0d1e4b5a6c
    """
    with open_store(db) as store:
        article = store.article(article_id)
    if as_json:
        click.echo(json.dumps(article.to_dict(), ensure_ascii=False, indent=2))
        return
    click.echo(mark_article(article, color=sys.stdout.isatty()))


@cli.command()
@click.option("--limit", type=int, default=100, show_default=True, help="At most this many (0: all).")
@click.option("--stale", is_flag=True,
              help="Only the articles an older model made (`claimgraph reprocess` makes them again), "
                   "each with the method and version stored with it.")
@db_option
@errors_to_click
def articles(limit: int, stale: bool, db: str) -> None:
    """List stored articles with their claim counts.

    \b
    Example:
        claimgraph articles --db claimgraph.db
        claimgraph articles --stale --db claimgraph.db
    """
    with open_store(db) as store:
        if stale:
            rows = stale_articles(store, limit=limit or None)
            for row in rows:
                click.echo(f"{row['id']}  {row['claims']:3d} claims  {row['method'] or '-'}  {row['title'] or ''}")
            click.echo(f"{sum(stale_methods(store).values())} stale articles; current: {current_method()}", err=True)
            return
        for row in store.articles(limit=limit or None):
            click.echo(f"{row['id']}  {row['claims']:3d} claims  {row['outlet'] or '-'}  {row['title'] or ''}")
