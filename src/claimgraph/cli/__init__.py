"""The ``claimgraph`` command: thin wrappers over the Python API (spaCy's layout).

``options`` holds the group and what the commands share; each module beside it registers its
commands on that group. Importing this package imports them all.
"""
from __future__ import annotations

from . import articles, batch, narratives, query, reprocess, serve
from .options import cli

__all__ = ["cli"]

# the command modules register on `cli` as they are imported
_COMMAND_MODULES = (articles, batch, narratives, query, reprocess, serve)
