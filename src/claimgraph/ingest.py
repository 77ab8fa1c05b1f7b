"""Read articles from files, folders, URLs or stdin: .txt, .html, .jsonl, .jsonl.gz, and (in
``sources``) Parquet, RSS/Atom feeds, WARC archives and web pages fetched by URL.

``read_articles`` yields one ``Article`` per input record, in input order. A record that cannot
be read is still yielded, with an error ``Failure`` on it and no text, so callers can count and
report it: nothing is dropped silently.
"""
from __future__ import annotations

import gzip
import io
import json
import sys
import zlib
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, BinaryIO

from .errors import InputError, Messages
from .records import Article, Failure, stable_id

__all__ = ["read_articles", "article_from_text", "article_from_html", "article_from_json",
           "DEFAULT_MAX_CHARS", "SUFFIXES"]

DEFAULT_MAX_CHARS = 1_000_000
SUFFIXES = (".txt", ".html", ".htm", ".jsonl", ".jsonl.gz", ".ndjson", ".parquet", ".rss", ".atom",
            ".warc", ".warc.gz")
Progress = Callable[[int], None]  # told how many input bytes were consumed, as they are
KNOWN_KEYS = {"id", "text", "title", "outlet", "published", "url", "language"}
ALIASES = {"publisher": "outlet", "date": "published"}
_CONTROL = set(range(0, 32)) - {9, 10, 12, 13}


def read_articles(inputs: Iterable[str | Path], *, max_chars: int = DEFAULT_MAX_CHARS,
                  stdin: BinaryIO | None = None, progress: Progress | None = None) -> Iterator[Article]:
    """Yield an ``Article`` for every record of every input (a path, a folder, an http(s) URL or ``-``).

    ``progress``, if given, is called with the number of input bytes consumed as reading goes on
    (compressed bytes for .gz), so a caller can show how far through the inputs it is.
    """
    progress = progress or _ignore
    for item in inputs:
        if str(item).startswith(("http://", "https://")):
            from .sources import read_url

            yield read_url(str(item), max_chars=max_chars)
            continue
        if str(item) == "-":
            stream = stdin if stdin is not None else sys.stdin.buffer
            yield from _read_stream(stream.read(), "<stdin>", max_chars=max_chars)
            continue
        path = Path(item)
        if path.is_dir():
            for child in sorted(p for p in path.rglob("*") if p.is_file()):
                if not any(part.startswith(".") for part in child.relative_to(path).parts):
                    yield from _read_path(child, max_chars=max_chars, progress=progress)
        else:
            yield from _read_path(path, max_chars=max_chars, progress=progress)


def _ignore(_: int) -> None:
    return None


class _Counted(io.RawIOBase):
    """A raw binary file that reports every read to ``progress``."""

    def __init__(self, raw: BinaryIO, progress: Progress):
        self.raw, self.progress = raw, progress

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[override]
        n = self.raw.readinto(buffer)  # type: ignore[attr-defined]
        if n:
            self.progress(n)
        return n

    def close(self) -> None:
        self.raw.close()
        super().close()


def counted_open(path: Path, progress: Progress) -> BinaryIO:
    """Open ``path`` for binary reading, reporting bytes read to ``progress``."""
    return io.BufferedReader(_Counted(open(path, "rb", buffering=0), progress), 1 << 16)  # type: ignore[return-value]


def _suffix(path: Path) -> str:
    name = path.name.lower()
    for suffix in SUFFIXES:
        if name.endswith(suffix):
            return suffix
    return path.suffix.lower()


def _read_path(path: Path, *, max_chars: int, progress: Progress = _ignore) -> Iterator[Article]:
    source = str(path)
    suffix = _suffix(path)
    if suffix not in SUFFIXES:
        yield _rejected(source, "CG109", Messages.CG109.format(source=source, suffix=suffix))
        return
    if suffix in (".jsonl", ".ndjson", ".jsonl.gz"):
        yield from _read_jsonl(path, max_chars=max_chars, progress=progress)
        return
    if suffix in (".parquet", ".rss", ".atom", ".warc", ".warc.gz"):
        from . import sources

        reader = {".parquet": sources.read_parquet, ".rss": sources.read_feed, ".atom": sources.read_feed,
                  ".warc": sources.read_warc, ".warc.gz": sources.read_warc}[suffix]
        yield from reader(path, max_chars=max_chars, progress=progress)
        return
    data = read_bytes(path, source, progress)
    if isinstance(data, Article):
        yield data
        return
    kind = "html" if suffix in (".html", ".htm") else "txt"
    yield _from_bytes(data, source, kind, max_chars=max_chars)


def read_bytes(path: Path, source: str, progress: Progress) -> bytes | Article:
    """A file's bytes (their size reported to ``progress``), or a rejected record saying why not."""
    try:
        data = path.read_bytes()
    except OSError as e:
        return _rejected(source, "CG108", Messages.CG108.format(source=source, detail=e))
    progress(len(data))
    return data


def _read_stream(data: bytes, source: str, *, max_chars: int) -> Iterator[Article]:
    """stdin: JSON lines if it starts with ``{``, HTML if with ``<``, else plain text."""
    head = data.lstrip()[:1]
    if head == b"{":
        yield from _jsonl_records(data.splitlines(), source, max_chars=max_chars)
    else:
        yield _from_bytes(data, source, "html" if head == b"<" else "txt", max_chars=max_chars)


def _read_jsonl(path: Path, *, max_chars: int, progress: Progress = _ignore) -> Iterator[Article]:
    source = str(path)
    try:
        with counted_open(path, progress) as raw:
            handle = gzip.GzipFile(fileobj=raw, mode="rb") if path.name.lower().endswith(".gz") else raw
            yield from _jsonl_records(_bounded_lines(handle, _line_cap(max_chars)), source, max_chars=max_chars)
    except (OSError, EOFError, zlib.error) as e:
        # a truncated or corrupt gzip stream: the lines before the damage were yielded
        code = "CG111" if isinstance(e, (EOFError, zlib.error, gzip.BadGzipFile)) else "CG108"
        message = getattr(Messages, code).format(source=source, detail=e)
        yield _rejected(source, code, message)


def _line_cap(max_chars: int) -> int:
    """Bytes beyond which a JSON line cannot hold an article of ``max_chars`` characters."""
    return 12 * max_chars + 65_536  # a character is at most 12 bytes in JSON (a \\uXXXX\\uXXXX pair)


class _Oversize(bytes):
    """Stands for a line longer than the cap (its content was skipped, only its size kept)."""

    size: int


def _bounded_lines(handle: BinaryIO, cap: int) -> Iterator[bytes]:
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


def _jsonl_records(lines: Iterable[bytes], source: str, *, max_chars: int) -> Iterator[Article]:
    for number, raw in enumerate(lines, start=1):
        where = f"{source}:{number}"
        if isinstance(raw, _Oversize):
            yield _rejected(where, "CG114", Messages.CG114.format(source=where, size=raw.size, limit=max_chars))
            continue
        if not raw.strip():
            continue  # blank lines separate nothing in JSON lines; not a record
        try:
            line = _decode(raw, where)
            try:
                data = json.loads(line)
            except json.JSONDecodeError as e:
                raise InputError("CG104", Messages.CG104.format(source=where, detail=e)) from e
            yield article_from_json(data, source=where, max_chars=max_chars)
        except InputError as e:
            yield _rejected(where, e.code, str(e))


def _from_bytes(data: bytes, source: str, kind: str, *, max_chars: int) -> Article:
    try:
        if not data.strip():
            raise InputError("CG101", Messages.CG101.format(source=source))
        _check_binary(data, source)
        text = _decode(data, source)
        if kind == "html":
            return article_from_html(text, source=source, max_chars=max_chars)
        return article_from_text(text, source=source, max_chars=max_chars)
    except InputError as e:
        return _rejected(source, e.code, str(e))


def article_from_text(text: str, *, source: str | None = None, id: str | None = None,
                      max_chars: int = DEFAULT_MAX_CHARS, **fields: Any) -> Article:
    """A plain-text article. The first line is the title when it looks like one."""
    text = text.removeprefix("\ufeff")
    _check_text(text, source, max_chars)
    title = fields.pop("title", None) or _title_line(text)
    return Article(id=id or stable_id(text), text=text, title=title, source=source, **fields)


def article_from_html(html: str, *, source: str | None = None, id: str | None = None,
                      max_chars: int = DEFAULT_MAX_CHARS, **fields: Any) -> Article:
    """The main text of an HTML page (trafilatura), with its title, date, site name and url."""
    import trafilatura  # imported here: only HTML input needs it

    try:
        document = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False,
                                               include_tables=False)
        extracted = document.as_dict() if document is not None else {}
    except Exception as e:  # trafilatura raises many types on odd markup
        raise InputError("CG107", Messages.CG107.format(source=source, detail=e)) from e
    text = (extracted or {}).get("text") or ""
    if not text.strip():
        raise InputError("CG107", Messages.CG107.format(
            source=source, detail="the page has no readable paragraphs"))
    _check_text(text, source, max_chars)
    meta = {key: extracted[key] for key in ("author", "hostname", "description")
            if extracted.get(key)}
    return Article(
        id=id or stable_id(text),
        text=text,
        title=fields.pop("title", None) or extracted.get("title"),
        outlet=fields.pop("outlet", None) or extracted.get("sitename"),
        published=fields.pop("published", None) or extracted.get("date"),
        url=fields.pop("url", None) or extracted.get("url"),
        source=source,
        meta=meta,
        **fields,
    )


def article_from_json(data: Any, *, source: str | None = None,
                      max_chars: int = DEFAULT_MAX_CHARS) -> Article:
    """An article from one JSON object: ``id``, ``text`` and optional metadata.

    Unknown keys are kept in ``Article.meta``. ``publisher`` and ``date`` are read as
    ``outlet`` and ``published`` when those are absent.
    """
    if not isinstance(data, dict):
        raise InputError("CG105", Messages.CG105.format(
            source=source, detail=f"got a JSON {type(data).__name__}"))
    text = data.get("text")
    if not isinstance(text, str) or not text.strip():
        detail = "\"text\" is missing" if text is None else "\"text\" is empty or not a string"
        raise InputError("CG105", Messages.CG105.format(source=source, detail=detail))
    _check_text(text, source, max_chars)
    fields = {key: data[key] for key in KNOWN_KEYS - {"id", "text"} if data.get(key) is not None}
    for alias, key in ALIASES.items():
        if key not in fields and isinstance(data.get(alias), str):
            fields[key] = data[alias]
    fields = {key: str(value) for key, value in fields.items()}
    meta = {key: value for key, value in data.items() if key not in KNOWN_KEYS}
    given = data.get("id")
    article_id = str(given) if given not in (None, "") else stable_id(text)
    return Article(id=article_id, text=text, source=source, meta=meta, **fields)


def _decode(data: bytes, source: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise InputError("CG103", Messages.CG103.format(
            source=source, position=e.start, detail=e.reason)) from e


def _check_binary(data: bytes, source: str) -> None:
    sample = data[:8192]
    if b"\x00" in sample:
        raise InputError("CG102", Messages.CG102.format(source=source, reason="it contains NUL bytes"))
    control = sum(byte in _CONTROL for byte in sample)
    if control > len(sample) * 0.05:
        raise InputError("CG102", Messages.CG102.format(
            source=source, reason=f"{control} control characters in its first {len(sample)} bytes"))


def _check_text(text: str, source: str | None, max_chars: int) -> None:
    if not text.strip():
        raise InputError("CG110", Messages.CG110.format(source=source))
    if "\x00" in text:
        raise InputError("CG102", Messages.CG102.format(source=source, reason="it contains NUL characters"))
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as e:  # a lone surrogate from a JSON "\\ud800" escape: no store can hold it
        raise InputError("CG103", Messages.CG103.format(source=source, position=e.start, detail=e.reason)) from e
    if len(text) > max_chars:
        raise InputError("CG106", Messages.CG106.format(source=source, size=len(text), limit=max_chars))


def _title_line(text: str) -> str | None:
    """The first line, when it reads as a headline: short, no final full stop, more text after."""
    first, _, rest = text.strip().partition("\n")
    first = first.strip()
    if rest.strip() and 0 < len(first) <= 200 and not first.endswith((".", "!", "?", ":", ";", ",")):
        return first
    return None


def _rejected(source: str, code: str, message: str) -> Article:
    return Article(id="", text="", source=source,
                   failures=[Failure(step="ingest", code=code, message=message, source=source)])
