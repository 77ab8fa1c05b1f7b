"""What every command shares: the ``cli`` group, the common options, the error handling, the exit
codes and the progress of the commands that read articles.

Command modules import from here and register on ``cli``; ``claimgraph.cli`` imports them all.
stdout carries data, stderr carries progress, errors and the closing summary. A command that reads
records exits 0 when all were stored (or extracted), 1 when some were rejected, 2 when none was.
"""
from __future__ import annotations

import functools
import sys
from collections import Counter
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

import click

from ..about import __version__
from ..errors import ClaimgraphError
from ..ingest import DEFAULT_MAX_CHARS
from ..progress import progress_bar, show_progress
from ..records import Article
from ..store import DB_ENV, DEFAULT_DB

if TYPE_CHECKING:
    from tqdm import tqdm

__all__ = ["cli", "db_option", "input_options", "max_chars_option", "outlet_option", "workers_option",
           "quiet_option", "errors_to_click", "exit_code", "exit_with", "progress_wanted", "ArticleProgress",
           "report_errors", "report_warning", "workers_or_cores", "WORKERS_ENV"]

F = TypeVar("F", bound=Callable[..., Any])
WORKERS_ENV = "CLAIMGRAPH_WORKERS"


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


def workers_option(function: F) -> F:
    """``--workers``: worker processes that parse and extract; by default the cores this process may
    use. The value stays ``None`` until ``workers_or_cores`` resolves it, so the help (and
    docs/cli.md) reads the same on every machine."""
    return click.option("--workers", type=click.IntRange(min=1), default=None, show_default="cores available",
                        envvar=WORKERS_ENV, show_envvar=True,
                        help="Worker processes that parse and extract, each loading the model once "
                             "(1: in this process).")(function)


def mode_option(function: F) -> F:
    """``--model fast|accurate``: how attributions are tagged (``steps.MODES``)."""
    return click.option("--model", "mode", type=click.Choice(["fast", "accurate"]), default="fast",
                        show_default=True,
                        help="Attribution tagger: fast (a CRF on the parse) or accurate (a fine-tuned encoder: "
                             "more indirect speech found, slower; see docs/evaluation.md).")(function)


def workers_or_cores(workers: int | None) -> int:
    """``--workers`` as given, else the cores this process may use (``claimgraph.workers.available_cores``)."""
    if workers is not None:
        return workers
    from ..workers import available_cores

    return available_cores()


def quiet_option(function: F) -> F:
    return click.option("--quiet", is_flag=True, help="No progress bar (there is none either when stderr is not "
                                                      "a terminal).")(function)


def progress_wanted(quiet: bool) -> bool:
    """Whether to draw a progress bar: not with --quiet, and only on a terminal."""
    return not quiet and sys.stderr.isatty()


def input_options(function: F, *, required: bool = True, workers: bool = False) -> F:
    """INPUTS, --max-chars, --outlet and --processes, as the commands that read articles take them;
    with ``workers``, --workers instead (and --processes as a hidden, deprecated name for it)."""
    if workers:
        function = click.option("--processes", type=click.IntRange(min=1), hidden=True,
                                deprecated="Use --workers.")(workers_option(function))
    else:
        function = click.option("--processes", type=int, default=1, show_default=True,
                                help="spaCy worker processes (2 is fastest on a 2-core machine).")(function)
    function = outlet_option(max_chars_option(function))
    return click.argument("inputs", nargs=-1, required=required)(function)


def exit_code(read: int, rejected: int, *, none_read: int = 2) -> int:
    """The exit status of a command that reads records: 0 when every record read was stored,
    unchanged or extracted; 1 when some were rejected; 2 when nothing was (every record rejected,
    or none read: ``none_read``). Click's usage errors exit 2 too; an error that stops the command
    (a ``ClaimgraphError``) exits 1."""
    if read == 0:
        return none_read
    if rejected >= read:
        return 2
    return 1 if rejected else 0


def exit_with(read: int, rejected: int, *, none_read: int = 2) -> None:
    """End the command with ``exit_code(read, rejected)`` (nothing to do when it is 0)."""
    code = exit_code(read, rejected, none_read=none_read)
    if code:
        click.get_current_context().exit(code)


class ArticleProgress:
    """The progress of a command that reads articles: a bar on stderr (when ``progress_wanted``)
    naming the article just read, and counting each one done; failures are printed above it.
    Use it as a context manager: the bar is closed at the end."""

    def __init__(self, desc: str, *, quiet: bool, shown: Sequence[str] = ("stored", "unchanged", "rejected"),
                 total: int | None = None):
        self.bar = progress_bar(desc=desc, total=total, enabled=progress_wanted(quiet))
        self.shown = shown
        self.counts: Counter[str] = Counter()
        self.current: str | None = None

    def reading(self, article: Article) -> None:
        """Name ``article`` on the bar as it is read (before it is processed)."""
        self.current = article.source or article.id or None
        if self.current and not article.rejected:
            self.current += f" ({len(article.text):,} chars)"
        show_progress(self.bar, self.counts, shown=self.shown, current=self.current, refresh=True)

    def report(self, article: Article, status: str) -> None:
        """Count ``article`` as done (``status``: stored, unchanged, rejected, ...); print its failures."""
        report_errors(article, bar=self.bar)
        self.count(status)

    def warn(self, message: str) -> None:
        """A warning about the whole run, printed above the bar."""
        report_warning(message, bar=self.bar)

    def count(self, status: str) -> None:
        """Count one more article done, with ``status``."""
        self.counts["read"] += 1
        self.counts[status] += 1
        show_progress(self.bar, self.counts, shown=self.shown, current=self.current)

    def __enter__(self) -> ArticleProgress:
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self.bar is not None:
            self.bar.close()


def report_errors(article: Article, status: str = "", *, bar: tqdm[Any] | None = None) -> None:
    """Print an article's failures (errors and warnings) on stderr (above ``bar`` when there is one),
    each naming the article: its source or id goes after the code when the message does not say it."""
    name = article.source or article.id
    for failure in article.failures:
        _echo(f"{failure.level}: {_naming(failure.message, failure.source or name)}", bar)


def _naming(message: str, name: str | None) -> str:
    """``message`` with ``name`` (an article's source or id) after its ``[CGnnn]`` code, unless it names it."""
    if not name or name in message:
        return message
    code, space, rest = message.partition(" ")
    if code.startswith("[CG") and code.endswith("]") and space:
        return f"{code} {name}: {rest}"
    return f"{name}: {message}"


def report_warning(message: str, *, bar: tqdm[Any] | None = None) -> None:
    """Print a warning about the whole run (not one article) on stderr (above ``bar`` when there is one)."""
    _echo(f"warning: {message}", bar)


def _echo(line: str, bar: tqdm[Any] | None) -> None:
    if bar is None:
        click.echo(line, err=True)
    else:
        bar.write(line, file=sys.stderr)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="claimgraph")
def cli() -> None:
    """claimgraph: who claims what, about whom, reported by whom."""


