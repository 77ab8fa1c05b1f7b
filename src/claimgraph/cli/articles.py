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
from .options import (
    ArticleProgress,
    cli,
    db_option,
    errors_to_click,
    exit_with,
    input_options,
    mode_option,
    quiet_option,
    report_errors,
    workers_or_cores,
)


@cli.command()
@functools.partial(input_options, required=False, workers=True)
@click.option("--url", "urls", multiple=True, help="Fetch this web page and ingest it (repeatable).")
@click.option("--narratives", "track_narratives", is_flag=True,
              help="Then label the new articles with the taxonomy (with evidence) and put the new claims "
                   "into discovered narratives (as `narratives classify` and `narratives update`).")
@click.option("--date-from-ingest", is_flag=True,
              help="Date articles that carry no date with today's date (default: they stay undated, and "
                   "timelines leave them out).")
@mode_option
@quiet_option
@db_option
@errors_to_click
def ingest(inputs: tuple[str, ...], max_chars: int, outlet: str | None, workers: int | None, processes: int | None,
           track_narratives: bool, date_from_ingest: bool, quiet: bool, db: str, urls: tuple[str, ...],
           mode: str) -> None:
    """Extract claims from INPUTS (files, folders, http(s) URLs or - for stdin) and store them.

    Exit status: 0 when every record was stored or unchanged, 1 when some were rejected (each is
    reported on stderr), 2 when none was stored (all rejected, or none read) or the usage is wrong.

    \b
    Example:
        claimgraph ingest examples/ --db claimgraph.db
        claimgraph ingest --url https://example.org/news/story.html
    """
    inputs = inputs + urls
    if not inputs:
        raise click.UsageError("give INPUTS or --url")
    pipeline = load_pipeline(model=mode, n_process=workers_or_cores(processes if processes is not None else workers))
    with open_store(db) as store:
        stored: list[Any] = []

        def report(article: Any, status: str) -> None:
            progress.report(article, status)
            if track_narratives and status == "stored":
                stored.append(article)

        with ArticleProgress("ingest", quiet=quiet) as progress:
            counts = run_ingest(inputs, store=store, pipeline=pipeline, max_chars=max_chars, outlet=outlet,
                                report=report, warn=progress.warn, reading=progress.reading,
                                date_from_ingest=date_from_ingest)
        if track_narratives:
            from ..narratives import NarrativeClassifier, update_narratives
            from ..narratives.apply import label_articles

            labelled = label_articles(store, stored, NarrativeClassifier())
            tracked = update_narratives(store)
            click.echo(f"narratives: {labelled['with_narrative']} of {labelled['labelled']} new articles given a "
                       f"taxonomy narrative; {tracked['joined']} claims joined, {tracked['new']} new narratives",
                       err=True)
    notes = "".join(f", {counts[key]} {text}" for key, text in (
        ("not_english", "not in English (CG260)"), ("undated", "undated")) if counts[key])
    click.echo(f"read {counts['read']}, stored {counts['stored']}, unchanged {counts['unchanged']}, "
               f"rejected {counts['rejected']} ({counts['claims']} claims{notes}) -> {describe_target(db)}",
               err=True)
    exit_with(counts["read"], counts["rejected"])


@cli.command()
@input_options
@click.option("-o", "--output", type=click.File("w", encoding="utf-8"), default="-",
              help="Write JSON lines here instead of stdout.")
@mode_option
@errors_to_click
def extract(inputs: tuple[str, ...], max_chars: int, outlet: str | None, processes: int, output: Any,
            mode: str) -> None:
    """Print one JSON line of claims per input article, in input order (nothing is stored).

    Exit status: 0 when every record was extracted, 1 when some were rejected (each is reported on
    stderr and has its line, with its errors), 2 when none was extracted (all rejected, or none read)
    or the usage is wrong.

    \b
    Example:
        claimgraph extract articles.jsonl -o claims.jsonl
    """
    counts = {"read": 0, "ok": 0, "rejected": 0}
    for article in run_extract(inputs, pipeline=load_pipeline(model=mode, n_process=processes), max_chars=max_chars,
                               outlet=outlet):
        counts["read"] += 1
        counts["rejected" if article.rejected else "ok"] += 1
        report_errors(article)
        line = {"id": article.id or None, "source": article.source,
                "claims": [claim.to_dict() for claim in article.claims],
                "errors": [failure.to_dict() for failure in article.failures]}
        output.write(json.dumps(line, ensure_ascii=False) + "\n")
    click.echo(f"read {counts['read']}, extracted {counts['ok']}, rejected {counts['rejected']}", err=True)
    exit_with(counts["read"], counts["rejected"])


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
