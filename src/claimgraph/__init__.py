"""claimgraph: who claims what, about whom, reported by whom.

The Python API. The CLI (``claimgraph``) is a thin wrapper over these functions.

    >>> import claimgraph
    >>> pipeline = claimgraph.load_pipeline()
    >>> article = pipeline(claimgraph.article_from_text("Lavrov said that talks had stalled."))
    >>> [(c.speaker.text, c.cue.text) for c in article.claims]
    [('Lavrov', 'said')]
"""
from __future__ import annotations

from .about import __version__
from .errors import ClaimgraphError, ConfigError, InputError, NotFound, StoreError
from .extract import extract_claims
from .ingest import article_from_html, article_from_json, article_from_text, read_articles
from .pipeline import Pipeline, load_pipeline
from .records import Actor, Article, Claim, Failure, Mention, Narrative, Reporter, TextSpan
from .run import extract, ingest
from .store import ClaimQuery, open_store

__all__ = [
    "Actor", "Article", "Claim", "ClaimQuery", "ClaimgraphError", "ConfigError", "Failure", "InputError", "Mention",
    "Narrative", "NotFound", "Pipeline", "Reporter", "StoreError", "TextSpan", "__version__", "article_from_html",
    "article_from_json", "article_from_text", "extract", "extract_claims", "ingest", "load_pipeline",
    "open_store", "read_articles",
]
