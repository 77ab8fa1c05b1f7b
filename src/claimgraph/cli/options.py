"""What every command shares: the ``cli`` group, the common options and the error handling.

Command modules import from here and register on ``cli``; ``claimgraph.cli`` imports them all.
stdout carries data, stderr carries progress, errors and the closing summary.
"""
from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

import click

from ..about import __version__
from ..errors import ClaimgraphError
from ..ingest import DEFAULT_MAX_CHARS
from ..records import Article
from ..store import DB_ENV, DEFAULT_DB

__all__ = ["cli", "db_option", "input_options", "max_chars_option", "outlet_option", "errors_to_click",
           "report_errors", "report_warning"]

F = TypeVar("F", bound=Callable[..., Any])


def errors_to_click(function: F) -> F:
    """Turn a ``ClaimgraphError`` into a click error (its message, exit status 1)."""
    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return function(*args, **kwargs)
        except ClaimgraphError as e:
            raise click.ClickException(str(e)) from e
    return wrapper  # type: ignore[return-value]


def db_option(function: F) -> F:
    """``--db``: a SQLite file or a PostgreSQL URL (also from $CLAIMGRAPH_DB)."""
    return click.option("--db", default=DEFAULT_DB, show_default=True, envvar=DB_ENV, show_envvar=True,
                        help="SQLite database file, or a postgresql://USER:PASSWORD@HOST/DATABASE URL.")(function)


def max_chars_option(function: F) -> F:
    return click.option("--max-chars", type=int, default=DEFAULT_MAX_CHARS, show_default=True,
                        help="Reject articles longer than this many characters.")(function)


def outlet_option(function: F) -> F:
    return click.option("--outlet", help="Outlet (publisher) for articles that do not name one.")(function)


def input_options(function: F, *, required: bool = True) -> F:
    """INPUTS, --max-chars, --outlet and --processes, as the commands that read articles take them."""
    function = click.option("--processes", type=int, default=1, show_default=True,
                            help="spaCy worker processes (2 is fastest on a 2-core machine).")(function)
    function = outlet_option(max_chars_option(function))
    return click.argument("inputs", nargs=-1, required=required)(function)


def report_errors(article: Article, status: str = "") -> None:
    """Print an article's failures (errors and warnings) on stderr."""
    for failure in article.failures:
        click.echo(f"{failure.level}: {failure.message}", err=True)


def report_warning(message: str) -> None:
    """Print a warning about the whole run (not one article) on stderr."""
    click.echo(f"warning: {message}", err=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="claimgraph")
def cli() -> None:
    """claimgraph: who claims what, about whom, reported by whom."""


