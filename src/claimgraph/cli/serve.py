"""Commands that serve or maintain a database: ``serve``, ``migrate``."""
from __future__ import annotations

import click

from ..store import describe_target, open_store
from .options import cli, db_option, errors_to_click, mode_option


@cli.command()
@db_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option("--port", type=int, default=8000, show_default=True)
@click.option("--token", envvar="CLAIMGRAPH_TOKEN",
              help="Bearer token that allows writes (POST /api/articles); read-only without one.")
@click.option("--cors-origin", "cors_origins", multiple=True,
              help="Allow browser calls from this origin (repeatable); CORS is off by default.")
@click.option("--max-body-mb", type=float, default=10.0, show_default=True, help="Largest request body.")
@mode_option
@errors_to_click
def serve(db: str, host: str, port: int, token: str | None, cors_origins: tuple[str, ...],
          max_body_mb: float, mode: str) -> None:
    """Serve the REST API (/api/, schema at /openapi.json) and the web UI (/) over the database.

    Read-only unless a token is given; then POST /api/articles needs `Authorization: Bearer TOKEN`.

    \b
    Example:
        CLAIMGRAPH_TOKEN=s3cret claimgraph serve --db claimgraph.db --port 8000
    """
    try:
        import uvicorn

        from ..api import create_app
    except ImportError as e:
        raise click.ClickException(
            f"`claimgraph serve` needs the api extra: pip install 'claimgraph[api]' ({e})") from e
    app = create_app(db, token=token, cors_origins=cors_origins, max_body_bytes=int(max_body_mb * 1_000_000),
                     model=mode)
    click.echo(f"claimgraph {'read-write' if token else 'read-only'} on http://{host}:{port}/ "
               f"(database {db})", err=True)
    uvicorn.run(app, host=host, port=port, log_level="warning")


@cli.command()
@db_option
@errors_to_click
def migrate(db: str) -> None:
    """Create the database or bring its schema up to date.

    \b
    Example:
        claimgraph migrate --db claimgraph.db
    """
    with open_store(db) as store:
        click.echo(f"{describe_target(db)}: schema version {store.schema_version}", err=True)
