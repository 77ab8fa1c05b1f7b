"""Commands that query what is stored or code text: ``claims``, ``events``, ``actors``."""
from __future__ import annotations

import json
from typing import Any

import click

from ..errors import Messages
from ..ingest import DEFAULT_MAX_CHARS
from ..render import format_claim
from ..store import ClaimQuery, open_store
from ..store.query import SORTS, STANCES
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
@click.option("--anonymous/--named", default=None,
              help="Only claims whose speaker is an unnamed source (--named: only named speakers).")
@click.option("--matched", is_flag=True,
              help="Only claims that repeat a known claim (`claimgraph known import` a catalogue first).")
@click.option("--sort", type=click.Choice(SORTS),
              help="checkworthy: the claims most worth checking first (default: the order they were stored).")
@click.option("--limit", type=click.IntRange(min=0), default=100, show_default=True,
              help="At most this many claims (0: all).")
@click.option("--offset", type=click.IntRange(min=0), default=0, help="Skip this many claims first.")
@click.option("--json", "as_json", is_flag=True, help="Output a JSON array.")
@click.option("--nl", is_flag=True, help="Output newline-delimited JSON.")
@click.option("--csv", "as_csv", is_flag=True,
              help="Output CSV, one row per claim with every field (speaker, country, sector, cue, content, kind, "
                   "chain, targets, events, narratives, confidence, article title, outlet, date, url).")
@click.option("--parquet", "as_parquet", is_flag=True, help="Write the --csv columns as a Parquet file (needs -o).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True),
              help="Write the output to this file instead of stdout.")
@click.option("--by-story", is_flag=True,
              help="Count each claim once per story: the original's claims, with every outlet that carried it.")
@db_option
@errors_to_click
def claims(as_json: bool, nl: bool, as_csv: bool, as_parquet: bool, output: str | None, by_story: bool, db: str,
           **filters: Any) -> None:
    """List stored claims: who claimed what about whom, reported by whom.

    The filters are those of GET /api/claims, under the same names.

    \b
    Example:
        claimgraph claims --speaker Lavrov --about "United States" --since 2025-03-01
        claimgraph claims --event ACCUSE --csv -o accusations.csv
    """
    from .. import export

    query = ClaimQuery(**filters | {"limit": filters["limit"] or None})
    if by_story and (query.filters() or query.offset):
        raise click.UsageError("--by-story lists every story's claims; it takes --limit but no filters or --offset yet")
    if sum((as_json, nl, as_csv, as_parquet)) > 1:
        raise click.UsageError("choose one of --json, --nl, --csv and --parquet")
    if as_parquet and not output:
        raise click.UsageError("--parquet writes a file: give it with -o FILE")
    if by_story and (as_csv or as_parquet):
        raise click.UsageError("--by-story lists claims as text or JSON, not as --csv or --parquet")
    with open_store(db) as store:
        if as_csv or as_parquet:
            flat = export.claim_rows(store, query)
            if as_parquet:
                export.write_parquet(flat, str(output))
            else:
                with click.open_file(output or "-", "w", encoding="utf-8") as handle:
                    export.write_csv(flat, handle)
            click.echo(f"{len(flat)} claims", err=True)
            return
        rows = store.story_claims(limit=query.limit) if by_story else export.with_context(store, store.claims(query))
    if as_json or nl or output:
        with click.open_file(output or "-", "w", encoding="utf-8") as handle:
            if nl:
                handle.writelines(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)
            else:
                handle.write(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
    else:
        for number, row in enumerate(rows, start=1):
            click.echo(format_claim(number, row))
            if by_story:
                click.echo(f"    story {row['story_id']}, carried by: {', '.join(row['outlets']) or '-'}")
        click.echo(f"{len(rows)} claims" + (" (once per story)" if by_story else ""), err=True)


@cli.command()
@click.option("--stance", type=click.Choice(STANCES), help="Only claims with this stance toward the target.")
@click.option("--event", help="Only claims with this PLOVER event type (speech act or claimed event).")
@click.option("--since", help="Articles published on or after this ISO date.")
@click.option("--until", help="Articles published on or before this ISO date (a bare date: the whole day).")
@click.option("--narrative", help="A discovered narrative's id, or a taxonomy label of the claims' articles.")
@click.option("--min-claims", type=click.IntRange(min=1), default=1, show_default=True,
              help="Only edges of at least this many claims.")
@click.option("--limit", type=click.IntRange(min=0), default=0, show_default=True,
              help="At most this many edges, the heaviest first (0: all).")
@click.option("--graphml", "fmt", flag_value="graphml", help="Write GraphML (Gephi, yEd, Cytoscape).")
@click.option("--gexf", "fmt", flag_value="gexf", help="Write GEXF (Gephi).")
@click.option("--json", "fmt", flag_value="json", default=True, help="Write JSON {nodes, edges} (the default).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), default="-",
              help="Write here instead of stdout.")
@db_option
@errors_to_click
def network(stance: str | None, event: str | None, since: str | None, until: str | None, narrative: str | None,
            min_claims: int, limit: int, fmt: str, output: str, db: str) -> None:
    """Export the actor network: who makes claims about whom (speaker -> target), with claim counts
    and stance counts as edge weights, for Gephi and other graph tools.

    The filters are those of GET /api/network.

    \b
    Example:
        claimgraph network --stance negative --since 2025-01-01 --gexf -o attacks.gexf
    """
    from .. import export

    query = export.NetworkQuery(stance=stance, event=event, since=since, until=until, narrative=narrative,
                                min_claims=min_claims, limit=limit or None)
    with open_store(db) as store:
        graph = export.network(store, query)
    if fmt == "json":
        with click.open_file(output, "w", encoding="utf-8") as handle:
            handle.write(json.dumps(graph, ensure_ascii=False, indent=2) + "\n")
    else:
        with click.open_file(output, "wb") as binary:
            binary.write(export.graph_bytes(graph, fmt))
    click.echo(f"{len(graph['nodes'])} actors, {len(graph['edges'])} edges", err=True)


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
