"""Commands that query what is stored or code text: ``claims``, ``events``, ``actors``."""
from __future__ import annotations

import csv
import json
import sys
from typing import Any

import click

from ..errors import Messages
from ..ingest import DEFAULT_MAX_CHARS
from ..render import format_claim
from ..store import ClaimQuery, open_store
from ..store.query import STANCES
from .options import cli, db_option, errors_to_click, report_errors


@cli.command()
@click.option("--speaker", help="Speaker name or mention contains this.")
@click.option("--about", help="A target (actor in the content) contains this.")
@click.option("--stance", type=click.Choice(STANCES),
              help="The speaker's stance toward a target (with --about: toward that target).")
@click.option("--outlet", help="Publisher or an outlet in the reporting chain contains this.")
@click.option("--search", help="Full-text search in content and speaker.")
@click.option("--event", help="PLOVER event type of the claim (speech act or claimed event), e.g. ACCUSE.")
@click.option("--since", help="Articles published on or after this ISO date (or date-time).")
@click.option("--until", help="Articles published on or before this ISO date (a bare date: the whole day).")
@click.option("--narrative", help="A discovered narrative's id, or a taxonomy label of the claim's article.")
@click.option("--article", help="Only claims of this article id.")
@click.option("--limit", type=click.IntRange(min=0), default=100, show_default=True,
              help="At most this many claims (0: all).")
@click.option("--offset", type=click.IntRange(min=0), default=0, help="Skip this many claims first.")
@click.option("--json", "as_json", is_flag=True, help="Output a JSON array.")
@click.option("--nl", is_flag=True, help="Output newline-delimited JSON.")
@click.option("--csv", "as_csv", is_flag=True, help="Output CSV.")
@click.option("--by-story", is_flag=True,
              help="Count each claim once per story: the original's claims, with every outlet that carried it.")
@db_option
@errors_to_click
def claims(as_json: bool, nl: bool, as_csv: bool, by_story: bool, db: str, **filters: Any) -> None:
    """List stored claims: who claimed what about whom, reported by whom.

    The filters are those of GET /api/claims, under the same names.

    \b
    Example:
        claimgraph claims --speaker Lavrov --about "United States" --since 2025-03-01
    """
    query = ClaimQuery(**filters | {"limit": filters["limit"] or None})
    if by_story and (query.filters() or query.offset):
        raise click.UsageError("--by-story lists every story's claims; it takes --limit but no filters or --offset yet")
    with open_store(db) as store:
        rows = store.story_claims(limit=query.limit) if by_story else store.claims(query)
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
@errors_to_click
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
    from ..run import code_article_events

    for article, found in code_article_events(inputs, max_chars=max_chars, n_process=processes):
        report_errors(article)
        output.write(json.dumps({"id": article.id or None, "source": article.source,
                                 "events": [event.to_dict() for event in found],
                                 "errors": [f.to_dict() for f in article.failures]}, ensure_ascii=False) + "\n")


@cli.command()
@click.argument("input_file", type=click.File("r", encoding="utf-8"))
@click.option("-o", "--output", type=click.File("w", encoding="utf-8"), default="-", help="Write JSON lines here.")
@errors_to_click
def actors(input_file: Any, output: Any) -> None:
    """Resolve actor mentions: JSON lines {"id", "text", "context"?, "date"?} -> {"id", "actor"}.

    The actor is {"name", "code", "sector", "wikidata"} (code: ISO3, UNO, EUR or IGO) or null.

    \b
    Example:
        echo '{"id": "1", "text": "Russian officials"}' | claimgraph actors -
    """
    from ..actors import actor_record, resolve_actor

    for number, line in enumerate(input_file, start=1):
        if not line.strip():
            continue
        try:
            case = json.loads(line)
            text = case["text"]
        except (json.JSONDecodeError, KeyError, TypeError) as e:
            message = Messages.CG104 if isinstance(e, json.JSONDecodeError) else Messages.CG105
            click.echo(f"error: {message.format(source=f'line {number}', detail=e)}", err=True)
            output.write(json.dumps({"id": None, "actor": None, "error": f"line {number}: {e!r}"}) + "\n")
            continue
        actor = resolve_actor(text or "", context=case.get("context"), date=case.get("date"))
        output.write(json.dumps({"id": case.get("id", case.get("test")), "actor": actor_record(actor)},
                                ensure_ascii=False) + "\n")
