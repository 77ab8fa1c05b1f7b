"""More inputs, as news archivists keep them: Parquet tables, RSS/Atom feeds and WARC archives.

Each reader yields ``Article`` records like ``read_articles`` does: one per record, in order, a
bad record as a rejected ``Article`` carrying a coded ``Failure`` (never an exception). Parquet
needs the ``parquet`` extra (pyarrow), feeds and WARC the ``batch`` extra.
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..errors import ConfigError, InputError, Messages
from ..records import Article
from .articles import DEFAULT_MAX_CHARS, article_from_html, article_from_json, article_from_text, rejected
from .streams import Progress, counted_open, ignore_progress, read_bytes
from .web import MAX_FETCH_BYTES, decode_html

__all__ = ["read_parquet", "read_feed", "read_warc"]


def _require(module: str, package: str, extra: str) -> Any:
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError as e:
        raise ConfigError(Messages.CG403.format(package=package, extra=extra)) from e


# -- Parquet ---------------------------------------------------------------------------------
def read_parquet(path: Path, *, max_chars: int = DEFAULT_MAX_CHARS, progress: Progress = ignore_progress,
                 batch_rows: int = 256) -> Iterator[Article]:
    """One article per row (columns as JSON lines keys: id, text, title, outlet, published, ...),
    streamed in record batches of ``batch_rows``: memory holds one batch, not the table."""
    parquet = _require("pyarrow.parquet", "pyarrow", "parquet")
    source = str(path)
    try:
        table = parquet.ParquetFile(source)
    except Exception as e:  # noqa: BLE001 - pyarrow raises ArrowInvalid, OSError...
        yield rejected(source, "CG113", Messages.CG113.format(source=source, kind="Parquet", detail=e))
        return
    number = 0
    size = path.stat().st_size
    groups = max(table.metadata.num_row_groups, 1)
    try:
        for group in range(table.metadata.num_row_groups):
            for batch in table.iter_batches(batch_size=batch_rows, row_groups=[group]):
                for row in batch.to_pylist():
                    number += 1
                    where = f"{source}:{number}"
                    try:
                        yield article_from_json(row, source=where, max_chars=max_chars)
                    except InputError as e:
                        yield rejected(where, e.code, str(e))
            progress(size // groups)
    except Exception as e:  # noqa: BLE001 - a damaged row group: the rows before it were read
        where = f"{source}:{number + 1}"
        yield rejected(where, "CG113", Messages.CG113.format(source=where, kind="Parquet", detail=e))


# -- RSS / Atom --------------------------------------------------------------------------------
def _iso(parsed: Any) -> str | None:
    if not parsed:
        return None
    return dt.datetime(*parsed[:6]).replace(tzinfo=dt.UTC).isoformat()


def _html_to_text(html: str) -> str:
    """Text of an HTML fragment (a feed entry's content), paragraphs on their own lines."""
    import lxml.html

    try:
        root = lxml.html.fromstring(html)
    except Exception:  # noqa: BLE001 - not markup at all: the fragment is its text
        return html
    for element in root.iter("br", "p", "div", "li", "h1", "h2", "h3", "h4", "blockquote"):
        element.tail = "\n" + (element.tail or "")
    return re.sub(r"\n\s*\n+", "\n\n", root.text_content()).strip()


def read_feed(path: Path, *, max_chars: int = DEFAULT_MAX_CHARS,
              progress: Progress = ignore_progress) -> Iterator[Article]:
    """One article per feed entry: its full content if the feed carries it, else its summary."""
    feedparser = _require("feedparser", "feedparser", "batch")
    source = str(path)
    data = read_bytes(path, source, progress)
    if isinstance(data, Article):
        yield data
        return
    feed = feedparser.parse(data)
    if not feed.entries:
        detail = str(feed.get("bozo_exception") or "no entries")
        yield rejected(source, "CG113", Messages.CG113.format(source=source, kind="feed", detail=detail))
        return
    outlet = feed.feed.get("title")
    for number, entry in enumerate(feed.entries, start=1):
        where = f"{source}:{number}"
        body = entry.get("content", [{}])[0].get("value") or entry.get("summary") or ""
        try:
            text = _html_to_text(body) if "<" in body else body
            if not text.strip():
                raise InputError("CG110", Messages.CG110.format(source=where))
            title = entry.get("title")
            yield article_from_text(
                text, source=where, id=entry.get("id") or entry.get("link") or None, max_chars=max_chars,
                title=title, outlet=outlet, url=entry.get("link"),
                published=_iso(entry.get("published_parsed") or entry.get("updated_parsed")))
        except InputError as e:
            yield rejected(where, e.code, str(e))


# -- WARC ----------------------------------------------------------------------------------------
def read_warc(path: Path, *, max_chars: int = DEFAULT_MAX_CHARS,
              progress: Progress = ignore_progress) -> Iterator[Article]:
    """One article per HTML response record (status 200) of a WARC file (.warc or .warc.gz).

    Requests, metadata and non-HTML responses are not articles and are passed over. A record's
    source is ``path@offset`` (its byte offset in the file, for ``warcio extract``).
    """
    warcio = _require("warcio.archiveiterator", "warcio", "batch")
    source = str(path)
    try:
        raw = counted_open(path, progress)
    except OSError as e:
        yield rejected(source, "CG108", Messages.CG108.format(source=source, detail=e))
        return
    with raw:
        records = warcio.ArchiveIterator(raw)
        while True:
            try:
                record = next(records)
            except StopIteration:
                return
            except Exception as e:  # noqa: BLE001 - damaged archive: what came before it was read
                yield rejected(source, "CG113", Messages.CG113.format(source=source, kind="WARC", detail=e))
                return
            if record.rec_type != "response" or record.http_headers is None:
                continue
            content_type = record.http_headers.get_header("Content-Type") or ""
            if "html" not in content_type.lower() or record.http_headers.get_statuscode() != "200":
                continue
            body = record.content_stream().read(MAX_FETCH_BYTES + 1)
            where = f"{source}@{records.get_record_offset()}"  # after reading: asking reads past the record
            try:
                if len(body) > MAX_FETCH_BYTES:
                    raise InputError("CG106", Messages.CG106.format(source=where, size=len(body),
                                                                    limit=MAX_FETCH_BYTES))
                html = decode_html(body, content_type, where)
                yield article_from_html(html, source=where, max_chars=max_chars,
                                        url=record.rec_headers.get_header("WARC-Target-URI"))
            except InputError as e:
                yield rejected(where, e.code, str(e))
