"""The ``reprocess`` command (a thin wrapper over ``claimgraph.reprocess``)."""
from __future__ import annotations

import click

from ..pipeline import load_pipeline
from ..reprocess import CHUNK
from ..reprocess import reprocess as run_reprocess
from ..store import describe_target, open_store
from .options import cli, db_option, errors_to_click, exit_with, mode_option, report_errors


@cli.command()
@db_option
@click.option("--since", metavar="VERSION",
              help="Only the stale articles made by this claimgraph version or a newer one (e.g. 0.1.0; a "
                   "version as `articles --stale` shows it, 0.1.0+3fa2c1d9e0, counts by its 0.1.0). "
                   "Articles stored before versions were recorded count as older than any.")
@click.option("--processes", type=int, default=1, show_default=True,
              help="spaCy worker processes (2 is fastest on a 2-core machine).")
@click.option("--chunk", type=click.IntRange(min=1), default=CHUNK, show_default=True,
              help="Articles per write transaction.")
@mode_option
@errors_to_click
def reprocess(db: str, since: str | None, processes: int, chunk: int, mode: str) -> None:
    """Extract claims again, from the stored text, for the articles an older model made.

    An article is stale when the method stored with it (the versioned model that made its claims)
    is not the current one (of the --model given: another mode than the stored one redoes every
    article): `claimgraph articles --stale` lists them. Each one keeps its place; its
    claims and events are replaced, and its narrative labels dropped (classify again). Run the same
    command again after a crash: what was stored is skipped, the rest is done.

    Exit status: 0 when every stale article was stored again (or none is stale), 1 when some were
    rejected (or failed in the interrupted run), 2 when none was stored or the usage is wrong.

    \b
    Example:
        claimgraph reprocess --db claimgraph.db
        claimgraph reprocess --db claimgraph.db --since 0.1.0
    """
    with open_store(db) as store:
        counts = run_reprocess(store, pipeline=load_pipeline(model=mode, n_process=processes), since=since, chunk=chunk,
                               report=report_errors)
    click.echo(f"stale {counts['stale']}: stored {counts['stored']}, rejected {counts['rejected']}, "
               f"changed meanwhile {counts['changed']}, skipped (failed in the interrupted run) {counts['skipped']} "
               f"({counts['claims']} claims) -> {describe_target(db)}", err=True)
    exit_with(counts["stale"], counts["rejected"] + counts["skipped"], none_read=0)
