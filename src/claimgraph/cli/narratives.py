"""``claimgraph narratives ...``: thin wrappers over ``claimgraph.narratives``."""
from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import click

from ..ingest import read_articles
from ..records import Article, Claim
from ..store import open_store
from .options import ArticleProgress, cli, db_option, errors_to_click, exit_with, quiet_option

BACKEND = click.option("--backend", type=click.Choice(["auto", "tfidf", "minilm"]), default="auto",
                       show_default=True, help="Sentence vectors: MiniLM (extra 'embeddings') when installed, "
                                               "else TF-IDF.")


def _readable(inputs: tuple[str, ...], progress: ArticleProgress) -> Iterator[Article]:
    """The articles that could be read (the others are counted on ``progress``, their errors go to
    stderr), with the claims their lines carry (``Claim.to_dict`` shape, as ``claimgraph extract``
    writes them)."""
    for article in _watched(read_articles(inputs), progress):
        if article.rejected:
            progress.report(article, "rejected")
            continue
        for data in article.meta.get("claims") or []:
            try:
                article.claims.append(Claim.from_dict(data))
            except (KeyError, TypeError, ValueError):
                continue
        yield article


def _watched(articles: Iterator[Article], progress: ArticleProgress) -> Iterator[Article]:
    """``articles``, each named on ``progress`` as it is taken."""
    for article in articles:
        progress.reading(article)
        yield article


@cli.group()
def narratives() -> None:
    """Narratives: label articles with a taxonomy, and track narratives discovered in stored claims.

    \b
    Example:
        claimgraph narratives classify articles.jsonl
        claimgraph narratives update --db claimgraph.db && claimgraph narratives list
    """


@narratives.command()
@click.argument("inputs", nargs=-1)
@click.option("--taxonomy", default="default", show_default=True, help="A taxonomy NAME or a .toml PATH.")
@BACKEND
@click.option("--method", type=click.Choice(["auto", "learned", "zero-shot"]), default="auto", show_default=True,
              help="learned: the classifier trained on labelled articles (MiniLM, default taxonomy; for "
                   "articles, it sends single sentences to Other); zero-shot: similarity to the taxonomy's "
                   "texts (any taxonomy, short texts too); auto: learned when it applies.")
@click.option("--scores", is_flag=True, help="Add the domain and every label's score to each line.")
@click.option("-o", "--output", type=click.File("w", encoding="utf-8"), default="-", help="Write JSON lines here.")
@quiet_option
@db_option
@errors_to_click
def classify(inputs: tuple[str, ...], taxonomy: str, backend: str, method: str, scores: bool, output: Any,
             quiet: bool, db: str) -> None:
    """Label articles with narratives: one JSON line {"id", "narratives", "subnarratives", "evidence"} each.

    With MiniLM and the default taxonomy the labels come from the learned classifier, and "evidence"
    gives, per label, the sentences that weigh most for it (character offsets, their share of the
    score, the claims inside them). See docs/narratives.md.

    With INPUTS (.jsonl, .txt, .html, folders, -): those articles, nothing stored. Without: the
    stored articles (with their claims); the labels are saved in the database too.

    Exit status with INPUTS: 0 when every record was labelled, 1 when some could not be read (each
    is reported on stderr), 2 when none could (or none was read) or the usage is wrong.

    \b
    Example:
        claimgraph narratives classify articles.jsonl --taxonomy default
        claimgraph narratives classify --db claimgraph.db
    """
    from ..narratives import classify_narratives, load_taxonomy

    loaded = load_taxonomy(taxonomy)
    if inputs:
        with ArticleProgress("classify", quiet=quiet, shown=("labelled", "rejected")) as progress:
            for labels in classify_narratives(_readable(inputs, progress), taxonomy=loaded, backend=backend,
                                              method=method):
                output.write(json.dumps(labels.to_dict(with_scores=scores), ensure_ascii=False) + "\n")
                progress.count("labelled")
        exit_with(progress.counts["read"], progress.counts["rejected"])
        return
    with open_store(db) as store:
        rows = store.articles(limit=None)
        with ArticleProgress("classify", quiet=quiet, shown=("labelled",), total=len(rows)) as progress:
            stored = _watched((store.article(row["id"]) for row in rows), progress)
            for labels in classify_narratives(stored, taxonomy=loaded, backend=backend, method=method):
                store.save_article_narratives(labels.id, taxonomy=loaded.name, narratives=labels.narratives,
                                              subnarratives=labels.subnarratives, scores=labels.scores,
                                              method=f"{labels.method}:{backend}",
                                              evidence=labels.evidence_dicts())
                output.write(json.dumps(labels.to_dict(with_scores=scores), ensure_ascii=False) + "\n")
                progress.count("labelled")


@narratives.command()
@BACKEND
@click.option("--threshold", type=float, help="Cosine a claim needs to join a narrative (default per backend).")
@click.option("--window-days", type=int, help="Only narratives seen within this many days take new claims.")
@click.option("--rebuild", is_flag=True, help="Start over from all stored claims, then re-apply the edits.")
@db_option
@errors_to_click
def update(backend: str, threshold: float | None, window_days: int | None, rebuild: bool, db: str) -> None:
    """Put the stored claims that have no narrative yet into narratives (new or existing).

    \b
    Example:
        claimgraph narratives update --db claimgraph.db
    """
    from ..narratives import update_narratives

    with open_store(db) as store:
        counts = update_narratives(store, backend=backend, threshold=threshold, window_days=window_days,
                                   rebuild=rebuild)
    click.echo(f"{counts['claims']} claims: {counts['joined']} joined existing narratives, {counts['new']} started "
               f"new ones; {counts['narratives']} narratives -> {db}", err=True)


@narratives.command(name="list")
@click.option("--limit", type=int, default=50, show_default=True, help="At most this many (0: all).")
@click.option("--min-claims", type=int, default=1, show_default=True, help="Only narratives with this many claims.")
@click.option("--all", "include_merged", is_flag=True, help="Include narratives merged into others.")
@click.option("--unlisted", is_flag=True,
              help="Include the groups from one article and one outlet (kept, not yet narratives).")
@click.option("--json", "as_json", is_flag=True, help="Output a JSON array.")
@db_option
@errors_to_click
def list_(limit: int, min_claims: int, include_merged: bool, unlisted: bool, as_json: bool, db: str) -> None:
    """List discovered narratives, largest first.

    A group of claims is listed once its claims come from two articles or two outlets; the others
    stay unassigned (counted below the list), kept so that later claims can join them. First and
    last seen count dated articles only.

    \b
    Example:
        claimgraph narratives list --min-claims 3
    """
    with open_store(db) as store:
        rows = store.narratives(limit=limit or None, include_merged=include_merged, min_claims=min_claims,
                                unlisted=unlisted)
        waiting = sum(row["claims"] for row in store.narratives(limit=None, unlisted=True) if not row["listed"])
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    click.echo(f"{'id':<14} {'claims':>6} {'outlets':>7}  {'first seen':<10}  {'last seen':<10}  name / label")
    for row in rows:
        text = row["name"] or row["label"]
        text = text if len(text) <= 70 else text[:69] + "…"
        merged = f" (merged into {row['merged_into']})" if row["status"] == "merged" else ""
        click.echo(f"{row['id']:<14} {row['claims']:>6} {row['outlets']:>7}  {row['first_seen'] or '-':<10}  "
                   f"{row['last_seen'] or '-':<10}  {text}{merged}")
    if waiting and not unlisted:
        click.echo(f"({waiting} claims unassigned: in groups from one article and one outlet; --unlisted shows them)")


@narratives.command()
@click.argument("narrative_id")
@click.option("--json", "as_json", is_flag=True, help="Output the narrative as JSON.")
@db_option
@errors_to_click
def show(narrative_id: str, as_json: bool, db: str) -> None:
    """Show one narrative: first and last seen, claims, speakers, outlets, countries.

    \b
    Example:
        claimgraph narratives show n3f2a9c0d1e4b
    """
    with open_store(db) as store:
        narrative = store.narrative(narrative_id)
        claims = {c["id"]: c for c in store.narrative_claim_rows(narrative.claim_ids[:20])}
    if as_json:
        click.echo(json.dumps(narrative.to_dict(), ensure_ascii=False, indent=2))
        return
    click.echo(f"{narrative.id}  {narrative.name or narrative.label}")
    undated = f" ({narrative.undated} from undated articles)" if narrative.undated else ""
    click.echo(f"  {narrative.claims} claims, first seen {narrative.first_seen or '-'}, last seen "
               f"{narrative.last_seen or '-'}{undated}")
    for title, counts in (("speakers", narrative.speakers), ("outlets", narrative.outlets),
                          ("countries", narrative.countries)):
        shown = ", ".join(f"{name} ({count})" for name, count in list(counts.items())[:10])
        click.echo(f"  {title}: {shown or '-'}")
    for claim_id in narrative.claim_ids[:20]:
        claim = claims[claim_id]
        speaker = claim["speaker_name"] or claim["speaker_text"] or "-"
        click.echo(f"  {claim['date'] or 'undated':<10}  {claim_id}  {speaker}: "
                   f"{claim['content'][:100]}")


@narratives.command()
@click.argument("narrative_id")
@click.option("--html", "html_path", type=click.Path(dir_okay=False, writable=True),
              help="Also write a self-contained HTML chart (inline SVG) here.")
@click.option("--json", "as_json", is_flag=True, help="Output {week: claims} as JSON.")
@db_option
@errors_to_click
def timeline(narrative_id: str, html_path: str | None, as_json: bool, db: str) -> None:
    """Claims per week of a narrative (weeks start on Monday; empty weeks show 0). Claims of undated
    articles are left out and counted.

    \b
    Example:
        claimgraph narratives timeline n3f2a9c0d1e4b --html timeline.html
    """
    from ..narratives.timeline import timeline_html, timeline_rows

    with open_store(db) as store:
        narrative = store.narrative(narrative_id)
    if html_path:
        with open(html_path, "w", encoding="utf-8") as out:
            out.write(timeline_html(narrative))
        click.echo(f"wrote {html_path}", err=True)
    if as_json:
        click.echo(json.dumps(narrative.weekly, indent=2))
        return
    peak = max(narrative.weekly.values(), default=0) or 1
    for week, count in timeline_rows(narrative):
        click.echo(f"{week}  {count:>5}  {'#' * round(40 * count / peak)}")
    if narrative.undated:
        click.echo(f"undated  {narrative.undated:>5}  (claims of articles without a date, not in the timeline)")


@narratives.command()
@click.argument("narrative_id")
@click.argument("name")
@db_option
@errors_to_click
def name(narrative_id: str, name: str, db: str) -> None:
    """Give a narrative a name (kept through new data and rebuilds).

    \b
    Example:
        claimgraph narratives name n3f2a9c0d1e4b "The West blocks peace talks"
    """
    from ..narratives import name_narrative

    with open_store(db) as store:
        name_narrative(store, narrative_id, name)


@narratives.command()
@click.argument("target_id")
@click.argument("source_ids", nargs=-1, required=True)
@db_option
@errors_to_click
def merge(target_id: str, source_ids: tuple[str, ...], db: str) -> None:
    """Merge SOURCE_IDS into TARGET_ID: their claims move, and new claims like theirs join the target.

    \b
    Example:
        claimgraph narratives merge n3f2a9c0d1e4b n77a0be21c9d0
    """
    from ..narratives import merge_narratives

    with open_store(db) as store:
        merge_narratives(store, target_id, list(source_ids))
    click.echo(f"merged {', '.join(source_ids)} into {target_id}", err=True)


@narratives.command()
@click.argument("narrative_id")
@click.argument("claim_ids", nargs=-1, required=True)
@db_option
@errors_to_click
def split(narrative_id: str, claim_ids: tuple[str, ...], db: str) -> None:
    """Move CLAIM_IDS out of NARRATIVE_ID into a new narrative; print its id.

    \b
    Example:
        claimgraph narratives split n3f2a9c0d1e4b 1a2b3c4d5e6f7a8b 9c8d7e6f5a4b3c2d
    """
    from ..narratives import split_narrative

    with open_store(db) as store:
        click.echo(split_narrative(store, narrative_id, list(claim_ids)))
