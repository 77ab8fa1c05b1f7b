"""Read articles from files, folders, URLs or stdin: .txt, .html, .jsonl, .jsonl.gz, Parquet,
RSS/Atom feeds, WARC archives and web pages fetched by URL.

``read_articles`` yields one ``Article`` per input record, in input order. A record that cannot
be read is still yielded, with an error ``Failure`` on it and no text, so callers can count and
report it: nothing is dropped silently.

Modules, in the order data flows: ``articles`` (raw record -> ``Article``, the checks, ``rejected``),
``streams`` (bytes with progress), ``files`` (text, HTML, JSON lines), ``feeds`` (Parquet, feeds,
WARC), ``web`` (URLs).
"""
from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from ..errors import Messages
from ..records import Article
from .articles import (
    ALIASES,
    DEFAULT_MAX_CHARS,
    KNOWN_KEYS,
    article_from_bytes,
    article_from_html,
    article_from_json,
    article_from_text,
    rejected,
)
from .files import jsonl_records, read_jsonl, read_stream
from .streams import Progress, ignore_progress, read_bytes

__all__ = ["read_articles", "read_path", "with_outlet", "article_from_text", "article_from_html", "article_from_json",
           "jsonl_records", "rejected", "DEFAULT_MAX_CHARS", "SUFFIXES", "KNOWN_KEYS", "ALIASES", "Progress"]

SUFFIXES = (".txt", ".html", ".htm", ".jsonl", ".jsonl.gz", ".ndjson", ".parquet", ".rss", ".atom",
            ".warc", ".warc.gz")


def read_articles(inputs: Iterable[str | Path], *, max_chars: int = DEFAULT_MAX_CHARS,
                  stdin: BinaryIO | None = None, progress: Progress | None = None) -> Iterator[Article]:
    """Yield an ``Article`` for every record of every input (a path, a folder, an http(s) URL or ``-``).

    ``progress``, if given, is called with the number of input bytes consumed as reading goes on
    (compressed bytes for .gz), so a caller can show how far through the inputs it is.
    """
    progress = progress or ignore_progress
    for item in inputs:
        if str(item).startswith(("http://", "https://")):
            from .web import read_url

            yield read_url(str(item), max_chars=max_chars)
            continue
        if str(item) == "-":
            stream = stdin if stdin is not None else sys.stdin.buffer
            yield from read_stream(stream.read(), "<stdin>", max_chars=max_chars)
            continue
        path = Path(item)
        if path.is_dir():
            for child in sorted(p for p in path.rglob("*") if p.is_file()):
                if not any(part.startswith(".") for part in child.relative_to(path).parts):
                    yield from read_path(child, max_chars=max_chars, progress=progress)
        else:
            yield from read_path(path, max_chars=max_chars, progress=progress)


def _suffix(path: Path) -> str:
    name = path.name.lower()
    for suffix in SUFFIXES:
        if name.endswith(suffix):
            return suffix
    return path.suffix.lower()


def read_path(path: Path, *, max_chars: int, progress: Progress = ignore_progress) -> Iterator[Article]:
    source = str(path)
    suffix = _suffix(path)
    if suffix not in SUFFIXES:
        yield rejected(source, "CG109", Messages.CG109.format(source=source, suffix=suffix))
        return
    if suffix in (".jsonl", ".ndjson", ".jsonl.gz"):
        yield from read_jsonl(path, max_chars=max_chars, progress=progress)
        return
    if suffix in (".parquet", ".rss", ".atom", ".warc", ".warc.gz"):
        from . import feeds

        reader = {".parquet": feeds.read_parquet, ".rss": feeds.read_feed, ".atom": feeds.read_feed,
                  ".warc": feeds.read_warc, ".warc.gz": feeds.read_warc}[suffix]
        yield from reader(path, max_chars=max_chars, progress=progress)
        return
    data = read_bytes(path, source, progress)
    if isinstance(data, Article):
        yield data
        return
    kind = "html" if suffix in (".html", ".htm") else "txt"
    yield article_from_bytes(data, source, kind, max_chars=max_chars)


def with_outlet(articles: Iterable[Article], outlet: str | None) -> Iterator[Article]:
    """``articles``, each readable one without an outlet given ``outlet`` (the --outlet option)."""
    for article in articles:
        if outlet and not article.outlet and not article.rejected:
            article.outlet = outlet
        yield article
