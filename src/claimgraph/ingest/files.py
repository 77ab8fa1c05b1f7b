"""Files of articles: plain text, HTML, and JSON lines (plain or gzip), read in bounded memory."""
from __future__ import annotations

import gzip
import json
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from ..errors import InputError, Messages
from ..records import Article
from .articles import article_from_bytes, article_from_json, decode_utf8, rejected
from .streams import Progress, counted_open, ignore_progress

__all__ = ["read_jsonl", "jsonl_records", "read_stream", "line_cap"]


def read_stream(data: bytes, source: str, *, max_chars: int) -> Iterator[Article]:
    """stdin: JSON lines if it starts with ``{``, HTML if with ``<``, else plain text."""
    head = data.lstrip()[:1]
    if head == b"{":
        yield from jsonl_records(data.splitlines(), source, max_chars=max_chars)
    else:
        yield article_from_bytes(data, source, "html" if head == b"<" else "txt", max_chars=max_chars)


def read_jsonl(path: Path, *, max_chars: int, progress: Progress = ignore_progress) -> Iterator[Article]:
    source = str(path)
    try:
        with counted_open(path, progress) as raw:
            handle = gzip.GzipFile(fileobj=raw, mode="rb") if path.name.lower().endswith(".gz") else raw
            yield from jsonl_records(_bounded_lines(handle, line_cap(max_chars)), source, max_chars=max_chars)
    except (OSError, EOFError, zlib.error) as e:
        # a truncated or corrupt gzip stream: the lines before the damage were yielded
        code = "CG111" if isinstance(e, (EOFError, zlib.error, gzip.BadGzipFile)) else "CG108"
        message = getattr(Messages, code).format(source=source, detail=e)
        yield rejected(source, code, message)


def line_cap(max_chars: int) -> int:
    """Bytes beyond which a JSON line cannot hold an article of ``max_chars`` characters."""
    return 12 * max_chars + 65_536  # a character is at most 12 bytes in JSON (a \\uXXXX\\uXXXX pair)


class _Oversize(bytes):
    """Stands for a line longer than the cap (its content was skipped, only its size kept)."""

    size: int


def _bounded_lines(handle: BinaryIO | gzip.GzipFile, cap: int) -> Iterator[bytes]:
    """Lines of ``handle``, never holding more than ``cap`` bytes of one line in memory."""
    while True:
        line = handle.readline(cap)
        if not line:
            return
        if len(line) >= cap and not line.endswith(b"\n"):
            size = len(line)
            while True:  # skip the rest of the line in pieces
                piece = handle.readline(1 << 20)
                size += len(piece)
                if not piece or piece.endswith(b"\n"):
                    break
            marker = _Oversize(b"x")
            marker.size = size
            yield marker
            continue
        yield line


def jsonl_records(lines: Iterable[bytes], source: str, *, max_chars: int) -> Iterator[Article]:
    for number, raw in enumerate(lines, start=1):
        where = f"{source}:{number}"
        if isinstance(raw, _Oversize):
            yield rejected(where, "CG114", Messages.CG114.format(source=where, size=raw.size, limit=max_chars))
            continue
        if not raw.strip():
            continue  # blank lines separate nothing in JSON lines; not a record
        try:
            line = decode_utf8(raw, where)
            try:
                data = json.loads(line)
            except json.JSONDecodeError as e:
                raise InputError("CG104", Messages.CG104.format(source=where, detail=e)) from e
            yield article_from_json(data, source=where, max_chars=max_chars)
        except InputError as e:
            yield rejected(where, e.code, str(e))
