"""What the store mixins (``narratives.py``, ``batch.py``) may call on ``SQLStore``: its primitives,
declared once for type checkers and readers. ``base.py`` defines them."""
from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from ..records import Article, Failure

__all__ = ["StorePrimitives", "Params", "in_chunks", "IN_CHUNK"]

Params = Sequence[Any]  # the values of a statement's ``?`` placeholders, in order
T = TypeVar("T")
IN_CHUNK = 500  # values per IN (...) list: well under SQLite's and PostgreSQL's parameter limits


def in_chunks(values: Sequence[T], size: int = IN_CHUNK) -> Iterator[Sequence[T]]:
    """``values`` in pieces of at most ``size``, one per ``IN (...)`` list."""
    for start in range(0, len(values), size):
        yield values[start:start + size]


class StorePrimitives:
    path: str
    ARTICLE_ORDER: str

    if TYPE_CHECKING:  # declarations only: SQLStore (base.py) and the backends define them
        def _execute(self, sql: str, params: Params = ()) -> Any: ...
        def _query(self, sql: str, params: Params = ()) -> list[dict[str, Any]]: ...
        def _query_one(self, sql: str, params: Params = ()) -> dict[str, Any] | None: ...
        def _scalar(self, sql: str, params: Params = ()) -> Any: ...
        def _transaction(self, lock: str | None = None) -> AbstractContextManager[None]: ...
        def _retry(self, work: Callable[[], T]) -> T: ...
        def start_run(self, command: str, config: dict[str, Any]) -> int: ...
        def finish_run(self, run_id: int, counts: Mapping[str, int],
                       timings: Mapping[str, float] | None = None) -> None: ...
        def _save_article(self, article: Article, *, run_id: int | None, method: str) -> str: ...
        def _replace_claims(self, article: Article, *, run_id: int | None, method: str) -> str: ...
        def _save_failure(self, failure: Failure, article_id: str, run_id: int | None) -> None: ...
        def _targets(self, claim_ids: list[str]) -> dict[str, list[dict[str, Any]]]: ...
        @staticmethod
        def _claim_dict(row: dict[str, Any], targets: list[dict[str, Any]]) -> dict[str, Any]: ...
