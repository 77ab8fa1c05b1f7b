"""The ``claimgraph`` command: thin wrappers over the Python API (spaCy's layout).

``options`` holds the group and what the commands share; each module beside it registers its
commands on that group. Importing this package imports them all.
"""
from __future__ import annotations

import atexit
import gc

from . import articles, batch, factcheck, narratives, query, reprocess, serve
from .options import cli

__all__ = ["cli"]

# the command modules register on `cli` as they are imported
_COMMAND_MODULES = (articles, batch, factcheck, narratives, query, reprocess, serve)

# At exit the objects still alive are frozen rather than collected one last time: a process that has
# loaded the spaCy model spent 0.2-0.3 s tearing it down, more than extracting an article takes
# (bench/startup.py, issue 21). Files and stores are closed by the commands before this runs.
atexit.register(gc.freeze)
