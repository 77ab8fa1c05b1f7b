"""Routes of the REST API (under ``/api/``) and the web UI (``/``).

Read-only unless a token is configured; writes need ``Authorization: Bearer <token>``. Every
route is a thin wrapper over a store method or ``run.ingest_articles`` (directly, or through the
write-job queue of ``jobs.py``); SQL lives in the store and is parameterised there.
"""
from __future__ import annotations

import csv
import io
import json
import secrets
import threading
from collections.abc import AsyncIterator, Iterable, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from importlib import resources
from typing import Annotated, Any, Literal

from fastapi import Depends, FastAPI, Path, Query, Request
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import FileResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles

from .. import export
from ..about import __version__
from ..errors import InputError, Messages
from ..ingest import DEFAULT_MAX_CHARS, article_from_json, jsonl_records, rejected
from ..records import Article
from ..store import ClaimQuery, SQLStore, open_store
from ..store.query import iso_date
from .envelope import ApiError, ErrorResponse, Page, install_error_handlers
from .jobs import JobQueue, JobQueueFull, OnRecord
from .limits import BodySizeLimit

__all__ = ["Settings", "create_app"]

MAX_PAGE = 500
ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorResponse} for status in (400, 404, 413, 422, 500)}
WRITE_ERRORS = ERRORS | {status: {"model": ErrorResponse} for status in (401, 403, 415, 429)}
JOB_ERRORS = ERRORS | {status: {"model": ErrorResponse} for status in (401, 403)}


@dataclass
class Settings:
    """What ``claimgraph serve`` configures; each field has its CLI option of the same name."""

    db: str = "claimgraph.db"
    token: str | None = None          # writes are refused (403) when None
    cors_origins: tuple[str, ...] = ()  # CORS stays off when empty
    max_body_bytes: int = 10_000_000
    max_chars: int = DEFAULT_MAX_CHARS
    narratives: bool = True           # POSTed articles get taxonomy labels and join discovered narratives
    taxonomy: str = "default"
    max_queued_jobs: int = 32         # waiting write jobs; past it, POSTs that would queue get 429
    jobs_kept: int = 100              # finished jobs kept in memory for GET /api/jobs/{id}, oldest dropped
    model: str = "fast"               # extraction mode of POSTed articles: fast (CRF) or accurate (encoder)
    _pipeline: Any = field(default=None, repr=False)
    _classifier: Any = field(default=None, repr=False)
    _pipeline_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def pipeline(self) -> Any:
        """The NLP pipeline, loaded on the first write (not at start-up: reads never need it)."""
        if self._pipeline is None:
            from ..pipeline import load_pipeline

            self._pipeline = load_pipeline(model=self.model)
        return self._pipeline

    def classifier(self) -> Any:
        """The taxonomy classifier (its label prototypes embedded once)."""
        if self._classifier is None:
            from ..narratives import NarrativeClassifier, load_taxonomy
            from ..narratives.embed import load_embedder

            self._classifier = NarrativeClassifier(load_taxonomy(self.taxonomy), load_embedder("auto", dense=False))
        return self._classifier


def create_app(db: str = "claimgraph.db", *, token: str | None = None, cors_origins: tuple[str, ...] = (),
               max_body_bytes: int = 10_000_000, settings: Settings | None = None, model: str = "fast") -> FastAPI:
    """The ASGI app serving the store at ``db`` (``model``: the extraction mode of POSTed articles)."""
    settings = settings or Settings(db=db, token=token or None, cors_origins=tuple(cors_origins),
                                    max_body_bytes=max_body_bytes, model=model)
    open_store(settings.db).close()  # fail now, not on the first request, if the database is unusable
    app = FastAPI(title="claimgraph", version=__version__, lifespan=_lifespan,
                  description="Who claims what, about whom, reported by whom: attributed claims from news, "
                              "with their actors, PLOVER events and evidence offsets.")
    app.state.settings = settings

    def process(articles: Iterable[Article], on_record: OnRecord) -> dict[str, Any]:
        return _store_articles(settings, articles, on_record=on_record)

    app.state.jobs = JobQueue(process, max_queued=settings.max_queued_jobs, max_kept=settings.jobs_kept)
    install_error_handlers(app)
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes)
    if settings.cors_origins:
        app.add_middleware(CORSMiddleware, allow_origins=list(settings.cors_origins),
                           allow_methods=["GET", "POST"], allow_headers=["Authorization", "Content-Type"])
    _add_read_routes(app)
    _add_write_routes(app)
    _add_web(app)
    return app


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    """On shutdown, stop the job worker cleanly (it starts with the first job, not here)."""
    from starlette.concurrency import run_in_threadpool

    yield
    await run_in_threadpool(app.state.jobs.close)


# -- dependencies ---------------------------------------------------------------------------
def get_store(request: Request) -> Iterator[SQLStore]:
    """One store (connection) per request; the schema was migrated once, when the app was made."""
    store = open_store(request.app.state.settings.db, migrate=False)
    try:
        yield store
    finally:
        store.close()


def require_token(request: Request) -> None:
    expected = request.app.state.settings.token
    if expected is None:
        raise ApiError(403, "CG502", Messages.CG502)
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not secrets.compare_digest(given.strip().encode(), expected.encode()):
        raise ApiError(401, "CG501", Messages.CG501, headers={"WWW-Authenticate": "Bearer"})


Store = Annotated[SQLStore, Depends(get_store)]
Limit = Annotated[int, Query(ge=1, le=MAX_PAGE, description="Items per page.")]
Offset = Annotated[int, Query(ge=0, le=10_000_000, description="Items to skip.")]
Text = Annotated[str | None, Query(max_length=500)]
Date = Annotated[str | None, Query(max_length=40, description="ISO date or date-time (inclusive); "
                                                              "another value is refused with CG308.")]
Stance = Annotated[str | None, Query(pattern="^(negative|neutral|positive)$")]
EventType = Annotated[str | None, Query(pattern="^[A-Za-z_]{2,20}$", description="PLOVER event type.")]
Wait = Annotated[bool | None, Query(description="false: answer 202 with a job at once; true: answer when stored. "
                                                "Default: true for one article, false for several.")]


CSV: dict[int | str, dict[str, Any]] = {200: {"content": {"text/csv": {}}}}
NETWORK_MEDIA = {"graphml": "application/graphml+xml", "gexf": "application/gexf+xml", "csv": "text/csv"}
GRAPHS: dict[int | str, dict[str, Any]] = {
    200: {"content": {"application/json": {}} | {media: {} for media in NETWORK_MEDIA.values()}}}


def _wants(request: Request, media: str) -> bool:
    """Whether the request's Accept header names ``media`` (and not JSON before it)."""
    accept = [part.split(";")[0].strip() for part in request.headers.get("accept", "").split(",")]
    return media in accept and ("application/json" not in accept
                                or accept.index(media) < accept.index("application/json"))


def _page(request: Request, rows: list[dict[str, Any]], limit: int, offset: int) -> dict[str, Any]:
    """Cut the ``limit + 1`` rows a route fetched to a page, with the URL of the next one."""
    more = len(rows) > limit
    next_url = str(request.url.include_query_params(offset=offset + limit)) if more else None
    return {"items": rows[:limit], "limit": limit, "offset": offset, "next": next_url}


# -- reading --------------------------------------------------------------------------------
def _add_read_routes(app: FastAPI) -> None:
    @app.get("/api/claims", response_model=Page, responses=ERRORS | CSV, tags=["claims"])
    def list_claims(request: Request, store: Store, speaker: Text = None, about: Text = None,
                    outlet: Text = None, event: EventType = None, stance: Stance = None,
                    since: Date = None, until: Date = None, search: Text = None,
                    narrative: Text = None, article: Annotated[str | None, Query(max_length=200)] = None,
                    anonymous: Annotated[bool | None, Query(description="true: only claims whose speaker is an "
                                                            "unnamed source; false: only named speakers.")] = None,
                    matched: Annotated[bool, Query(description="true: only claims that repeat a known claim "
                                                   "(a stored match scoring 0.5 or more).")] = False,
                    sort: Annotated[Literal["checkworthy"] | None, Query(
                        description="checkworthy: the claims most worth checking first.")] = None,
                    limit: Limit = 50, offset: Offset = 0) -> dict[str, Any]:
        """Claims, newest articles last; every filter narrows (speaker / about / outlet match
        names by substring, ``search`` is full-text over content and speaker, ``narrative`` is a
        discovered narrative's id or a taxonomy label of the claim's article). The filters are
        those of ``claimgraph claims``, under the same names. With ``Accept: text/csv``: the page as
        CSV, one row per claim with every field (the columns of ``claimgraph claims --csv``), and a
        ``Link: <...>; rel="next"`` header while more claims follow."""
        query = ClaimQuery(speaker=speaker, about=about, stance=stance, outlet=outlet, search=search, event=event,
                           since=since, until=until, narrative=narrative, article=article, anonymous=anonymous,
                           matched=matched, sort=sort, limit=limit + 1, offset=offset)
        if _wants(request, "text/csv"):
            rows = export.claim_rows(store, query)
            headers = {"Content-Disposition": 'attachment; filename="claims.csv"'}
            if len(rows) > limit:
                headers["Link"] = f'<{request.url.include_query_params(offset=offset + limit)}>; rel="next"'
            return Response(export.csv_text(rows[:limit]), media_type="text/csv; charset=utf-8",
                            headers=headers)  # type: ignore[return-value]
        return _page(request, export.with_context(store, store.claims(query)), limit, offset)

    @app.get("/api/articles", response_model=Page, responses=ERRORS, tags=["articles"])
    def list_articles(request: Request, store: Store, limit: Limit = 50, offset: Offset = 0) -> dict[str, Any]:
        """Stored articles with their claim counts, in the order they were stored."""
        return _page(request, store.articles(limit=limit + 1, offset=offset), limit, offset)

    @app.get("/api/articles/{article_id}", responses=ERRORS, tags=["articles"])
    def get_article(store: Store, article_id: Annotated[str, Path(max_length=200)]) -> dict[str, Any]:
        """One article with its text and claims; every offset points into ``text``."""
        article = store.article(article_id)
        data = article.to_dict()
        data["claims"] = store.claims(ClaimQuery(article=article_id, limit=None))
        data["narratives"] = store.article_narratives(article_id)
        return data

    @app.get("/api/actors", response_model=Page, responses=ERRORS, tags=["actors"])
    def list_actors(request: Request, store: Store, search: Text = None,
                    country: Annotated[str | None, Query(pattern="^[A-Za-z]{3}$")] = None,
                    sector: Annotated[str | None, Query(pattern="^[A-Za-z]{3}$")] = None,
                    limit: Limit = 50, offset: Offset = 0) -> dict[str, Any]:
        """Actors (speakers and targets) with how many claims they make and are named in."""
        rows = store.actors(search=search, country=country, sector=sector, limit=limit + 1, offset=offset)
        return _page(request, rows, limit, offset)

    @app.get("/api/actors/{actor_id}", responses=ERRORS, tags=["actors"])
    def get_actor(store: Store, actor_id: Annotated[int, Path(ge=1, le=2**62)]) -> dict[str, Any]:
        """One actor, with its stance (negative / neutral / positive counts) toward each actor
        its claims are about."""
        return store.actor(actor_id)

    @app.get("/api/network", responses=ERRORS | GRAPHS, tags=["actors"], response_model=None)
    def get_network(request: Request, store: Store, event: EventType = None, stance: Stance = None,
                    since: Date = None, until: Date = None, narrative: Text = None,
                    min_claims: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
                    limit: Limit = 200,
                    format: Annotated[Literal["json", "graphml", "gexf", "csv"] | None, Query(
                        description="graphml / gexf (Gephi) / csv (the edges): a download; "
                                    "the same as the Accept header.")] = None) -> Any:
        """Speaker → target edges with claim counts (negative / neutral / positive, and the
        most frequent ``stance``); nodes with the claims they make and are named in along the edges.
        ``stance=negative`` shows who attacks whom; the filters are those of ``claimgraph network``.
        ``Accept: application/graphml+xml``, ``application/gexf+xml`` or ``text/csv`` (or ``format``)
        answer a file instead of JSON."""
        graph = export.network(store, export.NetworkQuery(
            event=event, stance=stance, since=since, until=until, narrative=narrative, min_claims=min_claims,
            limit=limit))
        chosen: str = format or next((name for name, media in NETWORK_MEDIA.items() if _wants(request, media)), "json")
        if chosen == "json":
            return graph
        if chosen == "csv":
            handle = io.StringIO()
            columns = ["source_id", "source", "source_country", "target_id", "target", "target_country", "claims",
                       "negative", "neutral", "positive", "stance"]
            writer = csv.DictWriter(handle, fieldnames=columns, extrasaction="ignore")
            writer.writeheader()
            writer.writerows(graph["edges"])
            body: str | bytes = handle.getvalue()
        else:
            body = export.graph_bytes(graph, chosen)
        return Response(body, media_type=NETWORK_MEDIA[chosen],
                        headers={"Content-Disposition": f'attachment; filename="network.{chosen}"'})

    @app.get("/api/network/claims", response_model=Page, responses=ERRORS, tags=["actors"])
    def network_edge_claims(request: Request, store: Store, source: Annotated[int, Query(ge=1, le=2**62)],
                            target: Annotated[int, Query(ge=1, le=2**62)], event: EventType = None,
                            stance: Stance = None, since: Date = None, until: Date = None, narrative: Text = None,
                            limit: Limit = 50, offset: Offset = 0) -> dict[str, Any]:
        """The claims behind one edge of the network: ``source``'s claims about ``target`` (actor
        ids), under the network's filters."""
        query = export.NetworkQuery(event=event, stance=stance, since=since, until=until, narrative=narrative)
        rows = export.edge_claims(store, source, target, query, limit=offset + limit + 1)[offset:]
        return _page(request, rows, limit, offset)

    @app.get("/api/events", response_model=Page, responses=ERRORS, tags=["events"])
    def list_events(request: Request, store: Store, event: EventType = None,
                    actor: Annotated[str | None, Query(pattern="^[A-Za-z]{3}$")] = None,
                    recipient: Annotated[str | None, Query(pattern="^[A-Za-z]{3}$")] = None,
                    role: Annotated[str | None, Query(pattern="^(speech_act|claimed)$")] = None,
                    since: Date = None, until: Date = None,
                    limit: Limit = 50, offset: Offset = 0) -> dict[str, Any]:
        """PLOVER events of stored claims (speech acts and the events they claim)."""
        for name, value in (("since", since), ("until", until)):
            if value:
                iso_date(name, value)
        rows = store.events(event=event, actor=actor, recipient=recipient, role=role, since=since,
                            until=until, limit=limit + 1, offset=offset)
        return _page(request, rows, limit, offset)

    @app.get("/api/narratives", response_model=Page, responses=ERRORS, tags=["narratives"])
    def list_narratives(request: Request, store: Store,
                        min_claims: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
                        limit: Limit = 50, offset: Offset = 0, unlisted: bool = False) -> dict[str, Any]:
        """Discovered narratives, largest first: label (its most central claim), analyst's name,
        claims, articles, outlets, first / last seen (dated articles only) and ``undated`` (claims of
        undated articles). Groups from one article and one outlet are left out unless ``unlisted``."""
        rows = store.narratives(limit=offset + limit + 1, min_claims=min_claims, unlisted=unlisted)[offset:]
        return _page(request, rows, limit, offset)

    @app.get("/api/narratives/labels", responses=ERRORS, tags=["narratives"])
    def narrative_labels(store: Store, taxonomy: Text = None) -> dict[str, Any]:
        """Named narratives: the taxonomy labels given to stored articles, with their articles,
        first / last seen and outlets."""
        return {"items": store.narrative_labels(taxonomy=taxonomy)}

    @app.get("/api/narratives/{narrative_id}", responses=ERRORS, tags=["narratives"])
    def get_narrative(store: Store, narrative_id: Annotated[str, Path(max_length=100)]) -> dict[str, Any]:
        """One discovered narrative: its claims (ids), speakers, outlets, countries and weekly
        counts (``weekly``: the Monday of each ISO week -> claims, empty weeks included)."""
        return store.narrative(narrative_id).to_dict()

    @app.get("/api/vocabulary", responses=ERRORS, tags=["meta"])
    def vocabulary() -> dict[str, Any]:
        """The values the filters take: PLOVER event types (with their definitions) and stances."""
        import tomllib

        from ..store.query import STANCES

        ontology = tomllib.loads(resources.files("claimgraph.data").joinpath("plover.toml").read_text("utf-8"))
        return {"events": [{"type": name, "definition": entry.get("definition", "")}
                           for name, entry in ontology.items() if isinstance(entry, dict)],
                "stances": list(STANCES)}

    @app.get("/api/stats", responses=ERRORS, tags=["meta"])
    def stats(store: Store) -> dict[str, Any]:
        """How many articles, claims, actors and failures the store holds, and its backend."""
        return {"counts": store.counts(), "backend": store.backend, "version": __version__,
                "writable": request_writable(app)}


def request_writable(app: FastAPI) -> bool:
    return app.state.settings.token is not None


# -- writing --------------------------------------------------------------------------------
def _read_body(body: bytes, content_type: str, max_chars: int) -> list[Article]:
    """Articles from a request body: a JSON object, a JSON list of objects, or JSON lines."""
    kind = content_type.split(";")[0].strip().lower()
    if kind in ("application/x-ndjson", "application/jsonl", "application/json-lines"):
        return list(jsonl_records(body.splitlines(), "request", max_chars=max_chars))
    if kind not in ("application/json", ""):
        raise ApiError(415, "CG506", Messages.CG506.format(content_type=kind))
    try:
        data = json.loads(body)
    except (json.JSONDecodeError, UnicodeDecodeError) as e:
        raise ApiError(400, "CG104", Messages.CG104.format(source="request body", detail=e)) from e
    records = data if isinstance(data, list) else [data]
    articles = []
    for number, record in enumerate(records, start=1):
        where = f"request[{number}]" if isinstance(data, list) else "request"
        try:
            articles.append(article_from_json(record, source=where, max_chars=max_chars))
        except InputError as e:
            articles.append(rejected(where, e.code, str(e)))
    return articles


def _add_write_routes(app: FastAPI) -> None:
    @app.post("/api/articles", responses=WRITE_ERRORS | ACCEPTED, tags=["articles"], response_model=None,
              dependencies=[Depends(require_token)],
              openapi_extra={"requestBody": {"required": True, "content": {
                  "application/json": {"schema": {"oneOf": [
                      {"$ref": "#/components/schemas/ArticleIn"},
                      {"type": "array", "items": {"$ref": "#/components/schemas/ArticleIn"}}]}},
                  "application/x-ndjson": {"schema": {"type": "string"}}}}})
    async def post_articles(request: Request, wait: Wait = None) -> dict[str, Any] | JSONResponse:
        """Process and store articles: one JSON object, a JSON list, or JSON lines
        (``application/x-ndjson``). Each record gets its status (stored / unchanged / rejected),
        its claim count and its errors; one bad record does not stop the others.

        One article is answered when it is stored (200). Several, or any with ``wait=false``, are
        queued as a job: 202 at once, with the job's report and its URL in ``Location``; poll
        ``GET /api/jobs/{id}``. ``wait=true`` keeps several in the request, as before jobs."""
        from starlette.concurrency import run_in_threadpool

        settings: Settings = request.app.state.settings
        body = await request.body()
        articles = _read_body(body, request.headers.get("content-type", ""), settings.max_chars)
        synchronous = wait if wait is not None else len(articles) <= 1
        if synchronous:
            return await run_in_threadpool(_store_articles, settings, articles)
        try:
            job = request.app.state.jobs.submit(articles)
        except JobQueueFull as e:
            raise ApiError(429, "CG507", str(e), headers={"Retry-After": str(RETRY_AFTER_S)}) from e
        return JSONResponse(job, status_code=202, headers={"Location": job["url"]})

    @app.get("/api/jobs/{job_id}", responses=JOB_ERRORS, tags=["articles"], dependencies=[Depends(require_token)])
    def get_job(request: Request, job_id: Annotated[str, Path(max_length=100)]) -> dict[str, Any]:
        """A write job: status (queued / running / done / failed), progress (records done of
        total), each record's result so far as ``POST /api/articles`` gives them, its counts once
        done, and ``failure`` (code and message) when it failed. Jobs live in memory: the last
        finished ones are kept, and a restart forgets them all."""
        jobs: JobQueue = request.app.state.jobs
        job = jobs.get(job_id)
        if job is None:
            raise ApiError(404, "CG508", Messages.CG508.format(job_id=job_id, kept=jobs.max_kept))
        return job

    app.openapi_schema = None
    original = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = original()
            schema.setdefault("components", {}).setdefault("schemas", {})["ArticleIn"] = ARTICLE_IN
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


ACCEPTED: dict[int | str, dict[str, Any]] = {
    202: {"description": "Queued as a job: its report, as `GET /api/jobs/{id}` gives it; `Location` is its URL."}}
RETRY_AFTER_S = 5


ARTICLE_IN = {
    "type": "object", "required": ["text"],
    "properties": {key: {"type": "string"} for key in
                   ("id", "text", "title", "outlet", "published", "url", "language")},
    "description": "An article: its text and optional metadata; unknown keys are kept as meta.",
}


def _store_articles(settings: Settings, articles: Iterable[Article], *,
                    on_record: OnRecord | None = None) -> dict[str, Any]:
    from ..run import ingest_articles

    results: list[dict[str, Any]] = []
    stored: list[Article] = []

    def report(article: Article, status: str) -> None:
        results.append({"id": None if article.rejected else article.id, "source": article.source,
                        "status": status, "claims": len(article.claims),
                        "errors": [failure.to_dict() for failure in article.failures]})
        if on_record is not None:
            on_record(results[-1])
        if status == "stored":
            stored.append(article)

    # one spaCy pipeline, one article stream at a time: the job worker and synchronous POSTs take
    # turns, so the store has one writer
    with settings._pipeline_lock, open_store(settings.db, migrate=False) as store:
        counts = ingest_articles(articles, store=store, pipeline=settings.pipeline(), report=report,
                                 command="api")
        answer: dict[str, Any] = {"items": results, "counts": dict(counts)}
        if settings.narratives and stored:
            answer["narratives"] = _track_narratives(settings, store, stored)
    return answer


def _track_narratives(settings: Settings, store: Any, stored: list[Article]) -> dict[str, Any]:
    """Label the new articles with the taxonomy and let their claims join discovered narratives."""
    from ..narratives import update_narratives
    from ..narratives.apply import label_articles

    labelled = label_articles(store, stored, settings.classifier())  # with their evidence
    return dict(update_narratives(store)) | {"labelled": labelled["labelled"],
                                             "with_narrative": labelled["with_narrative"]}


# -- the web UI -----------------------------------------------------------------------------
def _add_web(app: FastAPI) -> None:
    static = resources.files("claimgraph.web").joinpath("static")
    app.mount("/static", StaticFiles(directory=str(static)), name="static")

    @app.get("/", include_in_schema=False)
    def index() -> FileResponse:
        return FileResponse(str(static.joinpath("index.html")))
