"""The ``claimgraph`` command: thin wrappers over the Python API.

stdout carries data, stderr carries progress, errors and the closing summary.
"""
from __future__ import annotations

import csv
import functools
import json
import sys
from collections.abc import Callable
from typing import Any

import click

from . import __version__
from .errors import ClaimgraphError
from .ingest import DEFAULT_MAX_CHARS
from .pipeline import load_pipeline
from .records import Article
from .render import format_claim, mark_article
from .run import extract as run_extract
from .run import ingest as run_ingest
from .store import DB_ENV, DEFAULT_DB, describe_target, open_store


def _errors_to_click(function: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return function(*args, **kwargs)
        except ClaimgraphError as e:
            raise click.ClickException(str(e)) from e
    return wrapper


def db_option(function: Callable[..., Any]) -> Callable[..., Any]:
    return click.option("--db", default=DEFAULT_DB, show_default=True, envvar=DB_ENV, show_envvar=True,
                        help="SQLite database file, or a postgresql://USER:PASSWORD@HOST/DATABASE URL.")(function)


def input_options(function: Callable[..., Any], *, required: bool = True) -> Callable[..., Any]:
    for option in reversed([
        click.argument("inputs", nargs=-1, required=required),
        click.option("--max-chars", type=int, default=DEFAULT_MAX_CHARS, show_default=True,
                     help="Reject articles longer than this many characters."),
        click.option("--outlet", help="Outlet (publisher) for articles that do not name one."),
        click.option("--processes", type=int, default=1, show_default=True,
                     help="spaCy worker processes (2 is fastest on a 2-core machine)."),
    ]):
        function = option(function)
    return function


def _report_errors(article: Article, status: str = "") -> None:
    for failure in article.failures:
        click.echo(f"{failure.level}: {failure.message}", err=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="claimgraph")
def cli() -> None:
    """claimgraph: who claims what, about whom, reported by whom."""


@cli.command()
@functools.partial(input_options, required=False)
@click.option("--url", "urls", multiple=True, help="Fetch this web page and ingest it (repeatable).")
@click.option("--narratives", "track_narratives", is_flag=True,
              help="Then put the new claims into discovered narratives (as `narratives update`).")
@db_option
@_errors_to_click
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
                            max_chars=max_chars, outlet=outlet, report=_report_errors)
        if track_narratives:
            from .narratives import update_narratives

            tracked = update_narratives(store)
            click.echo(f"narratives: {tracked['joined']} claims joined, {tracked['new']} new narratives", err=True)
    click.echo(f"read {counts['read']}, stored {counts['stored']}, unchanged {counts['unchanged']}, "
               f"rejected {counts['rejected']} ({counts['claims']} claims) -> {describe_target(db)}", err=True)


@cli.command()
@input_options
@click.option("-o", "--output", type=click.File("w", encoding="utf-8"), default="-",
              help="Write JSON lines here instead of stdout.")
@_errors_to_click
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
        _report_errors(article)
        line = {"id": article.id or None, "source": article.source,
                "claims": [claim.to_dict() for claim in article.claims],
                "errors": [failure.to_dict() for failure in article.failures]}
        output.write(json.dumps(line, ensure_ascii=False) + "\n")
    click.echo(f"read {counts['read']}, extracted {counts['ok']}, rejected {counts['rejected']}", err=True)


@cli.command()
@click.option("--speaker", help="Speaker name or mention contains this.")
@click.option("--about", help="A target (actor in the content) contains this.")
@click.option("--stance", type=click.Choice(["negative", "neutral", "positive"]),
              help="The speaker's stance toward a target (with --about: toward that target).")
@click.option("--outlet", help="Publisher or an outlet in the reporting chain contains this.")
@click.option("--search", help="Full-text search in content and speaker.")
@click.option("--article", "article_id", help="Only claims of this article id.")
@click.option("--limit", type=int, default=100, show_default=True, help="At most this many claims (0: all).")
@click.option("--json", "as_json", is_flag=True, help="Output a JSON array.")
@click.option("--nl", is_flag=True, help="Output newline-delimited JSON.")
@click.option("--csv", "as_csv", is_flag=True, help="Output CSV.")
@click.option("--by-story", is_flag=True,
              help="Count each claim once per story: the original's claims, with every outlet that carried it.")
@db_option
@_errors_to_click
def claims(speaker: str | None, about: str | None, stance: str | None, outlet: str | None, search: str | None,
           article_id: str | None, limit: int, as_json: bool, nl: bool, as_csv: bool, by_story: bool, db: str) -> None:
    """List stored claims: who claimed what about whom, reported by whom.

    \b
    Example:
        claimgraph claims --speaker Lavrov --about "United States"
    """
    if by_story and any((speaker, about, stance, outlet, search, article_id)):
        raise click.UsageError("--by-story lists all stories' claims; it does not take filters yet")
    with open_store(db) as store:
        if by_story:
            rows = store.story_claims(limit=limit or None)
        else:
            rows = store.claims(speaker=speaker, about=about, stance=stance, outlet=outlet, search=search,
                                article_id=article_id, limit=limit or None)
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
    elif nl:
        for row in rows:
            click.echo(json.dumps(row, ensure_ascii=False))
    elif as_csv:
        _write_csv(rows)
    else:
        for number, row in enumerate(rows, start=1):
            click.echo(format_claim(number, row))
            if by_story:
                click.echo(f"    story {row['story_id']}, carried by: {', '.join(row['outlets']) or '-'}")
        click.echo(f"{len(rows)} claims" + (" (once per story)" if by_story else ""), err=True)


def _write_csv(rows: list[dict[str, Any]]) -> None:
    writer = csv.writer(sys.stdout)
    writer.writerow(["id", "article_id", "speaker", "speaker_text", "cue", "content", "kind", "about",
                     "reported_by", "start", "end", "method"])
    for row in rows:
        speaker = row["speaker"] or {}
        writer.writerow([
            row["id"], row["article_id"], (speaker.get("actor") or {}).get("name"), speaker.get("text"),
            (row["cue"] or {}).get("text"), " … ".join(s["text"] for s in row["content"]), row["kind"],
            "; ".join(f"{t['actor']['name']} ({t['stance'] or 'neutral'})" for t in row["targets"]),
            " > ".join(r["name"] for r in row["reported_by"]), row["start"], row["end"], row["method"]])


@cli.command()
@click.argument("article_id")
@click.option("--json", "as_json", is_flag=True, help="Output the article and its claims as JSON.")
@db_option
@_errors_to_click
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
@db_option
@_errors_to_click
def articles(limit: int, db: str) -> None:
    """List stored articles with their claim counts.

    \b
    Example:
        claimgraph articles --db claimgraph.db
    """
    with open_store(db) as store:
        for row in store.articles(limit=limit or None):
            click.echo(f"{row['id']}  {row['claims']:3d} claims  {row['outlet'] or '-'}  {row['title'] or ''}")


@cli.command()
@click.argument("inputs", nargs=-1)
@click.option("--max-chars", type=int, default=DEFAULT_MAX_CHARS, show_default=True,
              help="Reject articles longer than this many characters.")
@click.option("--processes", type=int, default=1, show_default=True, help="spaCy worker processes.")
@click.option("-o", "--output", type=click.File("w", encoding="utf-8"), default="-",
              help="Write JSON lines here instead of stdout.")
@click.option("--type", "event_type", help="With no INPUTS: only this PLOVER type (ACCUSE, REJECT, ...).")
@click.option("--actor", help="With no INPUTS: an actor's country / IGO code (RUS, USA, UNO...).")
@click.option("--recipient", help="With no INPUTS: a recipient's code.")
@click.option("--since", help="With no INPUTS: articles published on or after this ISO date.")
@click.option("--until", help="With no INPUTS: articles published on or before this ISO date.")
@db_option
@_errors_to_click
def events(inputs: tuple[str, ...], max_chars: int, processes: int, output: Any, event_type: str | None,
           actor: str | None, recipient: str | None, since: str | None, until: str | None, db: str) -> None:
    """Code PLOVER events in INPUTS, or list the stored claims' events (no INPUTS).

    With INPUTS: one JSON line {"id", "events": [...], "errors"} per article, the main event first;
    each event has actor and recipient lists (code, sector), factuality (asserted / negated /
    hypothetical), the trigger's offsets, a confidence and its CAMEO root.
    Without: the events of stored claims (speech acts and claimed events) as JSON lines.

    \b
    Example:
        claimgraph events articles.jsonl -o events.jsonl
        claimgraph events --db claimgraph.db --type ACCUSE --actor RUS
    """
    if not inputs:
        with open_store(db) as store:
            for row in store.events(event=event_type, actor=actor, recipient=recipient, since=since,
                                    until=until, limit=None):
                output.write(json.dumps(row, ensure_ascii=False) + "\n")
        return
    from .run import code_article_events

    for article, found in code_article_events(inputs, max_chars=max_chars, n_process=processes):
        _report_errors(article)
        output.write(json.dumps({"id": article.id or None, "source": article.source,
                                 "events": [event.to_dict() for event in found],
                                 "errors": [f.to_dict() for f in article.failures]}, ensure_ascii=False) + "\n")


@cli.command()
@click.argument("input_file", type=click.File("r", encoding="utf-8"))
@click.option("-o", "--output", type=click.File("w", encoding="utf-8"), default="-", help="Write JSON lines here.")
@_errors_to_click
def actors(input_file: Any, output: Any) -> None:
    """Resolve actor mentions: JSON lines {"id", "text", "context"?, "date"?} -> {"id", "actor"}.

    The actor is {"name", "code", "sector", "wikidata"} (code: ISO3, UNO, EUR or IGO) or null.

    \b
    Example:
        echo '{"id": "1", "text": "Russian officials"}' | claimgraph actors -
    """
    from .actors import actor_record, resolve_actor

    for number, line in enumerate(input_file, start=1):
        if not line.strip():
            continue
        try:
            case = json.loads(line)
            text = case["text"]
        except (json.JSONDecodeError, KeyError, TypeError) as e:
            click.echo(f"error: [CG104] line {number}: {e!r}; expected a JSON object with \"text\"", err=True)
            output.write(json.dumps({"id": None, "actor": None, "error": f"line {number}: {e!r}"}) + "\n")
            continue
        actor = resolve_actor(text or "", context=case.get("context"), date=case.get("date"))
        output.write(json.dumps({"id": case.get("id", case.get("test")), "actor": actor_record(actor)},
                                ensure_ascii=False) + "\n")


from .cli_batch import batch, stories  # noqa: E402  (the batch commands live beside)

cli.add_command(batch)
cli.add_command(stories)


@cli.command()
@db_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option("--port", type=int, default=8000, show_default=True)
@click.option("--token", envvar="CLAIMGRAPH_TOKEN",
              help="Bearer token that allows writes (POST /api/articles); read-only without one.")
@click.option("--cors-origin", "cors_origins", multiple=True,
              help="Allow browser calls from this origin (repeatable); CORS is off by default.")
@click.option("--max-body-mb", type=float, default=10.0, show_default=True, help="Largest request body.")
@_errors_to_click
def serve(db: str, host: str, port: int, token: str | None, cors_origins: tuple[str, ...],
          max_body_mb: float) -> None:
    """Serve the REST API (/api/, schema at /openapi.json) and the web UI (/) over the database.

    Read-only unless a token is given; then POST /api/articles needs `Authorization: Bearer TOKEN`.

    \b
    Example:
        CLAIMGRAPH_TOKEN=s3cret claimgraph serve --db claimgraph.db --port 8000
    """
    try:
        import uvicorn

        from .api import create_app
    except ImportError as e:
        raise click.ClickException(f"`claimgraph serve` needs the api extra: pip install 'claimgraph[api]' ({e})")
    app = create_app(db, token=token, cors_origins=cors_origins, max_body_bytes=int(max_body_mb * 1_000_000))
    click.echo(f"claimgraph {'read-write' if token else 'read-only'} on http://{host}:{port}/ "
               f"(database {db})", err=True)
    uvicorn.run(app, host=host, port=port, log_level="warning")


@cli.command()
@db_option
@_errors_to_click
def migrate(db: str) -> None:
    """Create the database or bring its schema up to date.

    \b
    Example:
        claimgraph migrate --db claimgraph.db
    """
    with open_store(db) as store:
        click.echo(f"{describe_target(db)}: schema version {store.schema_version}", err=True)


from .cli_narratives import narratives  # noqa: E402  (it imports the helpers above)

cli.add_command(narratives)

if __name__ == "__main__":  # pragma: no cover
    cli()
