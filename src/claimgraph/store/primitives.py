"""What the store mixins (``narratives.py``, ``batch.py``) may call on ``SQLStore``: its primitives,
declared once for type checkers and readers. ``base.py`` defines them."""
from __future__ import annotations

from typing import Any

__all__ = ["StorePrimitives"]


class StorePrimitives:
    path: str
    _query: Any
    _query_one: Any
    _scalar: Any
    _execute: Any
    _transaction: Any
    _retry: Any
