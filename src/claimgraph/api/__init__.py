"""The REST API and web UI (``claimgraph serve``): FastAPI over the same store as the CLI.

``create_app(db, token=...)`` gives the ASGI app; run it with uvicorn. Needs the ``api`` extra
(``pip install 'claimgraph[api]'``).
"""
from __future__ import annotations

from .app import Settings, create_app

__all__ = ["Settings", "create_app"]
