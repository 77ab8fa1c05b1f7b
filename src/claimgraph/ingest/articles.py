"""Articles from raw records: plain text, HTML (trafilatura) and JSON objects, with the checks every
input passes (empty, binary, invalid UTF-8, too long), and ``rejected`` for a record that fails them.
"""
from __future__ import annotations

from typing import Any

from ..errors import InputError, Messages
from ..records import Article, Failure, stable_id

__all__ = ["DEFAULT_MAX_CHARS", "KNOWN_KEYS", "ALIASES", "article_from_text", "article_from_html",
           "article_from_json", "article_from_bytes", "rejected", "decode_utf8", "check_binary", "check_text",
           "title_line"]

DEFAULT_MAX_CHARS = 1_000_000
KNOWN_KEYS = {"id", "text", "title", "outlet", "published", "url", "language"}
ALIASES = {"publisher": "outlet", "date": "published"}
BINARY_CONTROL_SHARE = 0.05  # more control characters than this in a file's head: a binary file
_CONTROL = set(range(32)) - {9, 10, 12, 13}


def rejected(source: str, code: str, message: str) -> Article:
    """A record that could not be read: no text, one error ``Failure`` saying why (``code``)."""
    return Article(id="", text="", source=source,
                   failures=[Failure(step="ingest", code=code, message=message, source=source)])


def article_from_bytes(data: bytes, source: str, kind: str, *, max_chars: int) -> Article:
    try:
        if not data.strip():
            raise InputError("CG101", Messages.CG101.format(source=source))
        check_binary(data, source)
        text = decode_utf8(data, source)
        if kind == "html":
            return article_from_html(text, source=source, max_chars=max_chars)
        return article_from_text(text, source=source, max_chars=max_chars)
    except InputError as e:
        return rejected(source, e.code, str(e))


def article_from_text(text: str, *, source: str | None = None, id: str | None = None,
                      max_chars: int = DEFAULT_MAX_CHARS, **fields: Any) -> Article:
    """A plain-text article. The first line is the title when it looks like one."""
    text = text.removeprefix("\ufeff")
    check_text(text, source, max_chars)
    title = fields.pop("title", None) or title_line(text)
    return Article(id=id or stable_id(text), text=text, title=title, source=source, **fields)


def article_from_html(html: str, *, source: str | None = None, id: str | None = None,
                      max_chars: int = DEFAULT_MAX_CHARS, **fields: Any) -> Article:
    """The main text of an HTML page (trafilatura), with its title, date, site name and url."""
    import trafilatura  # imported here: only HTML input needs it

    try:
        document = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False,
                                               include_tables=False)
        if isinstance(document, dict):  # what it returns with as_dict=True; a Document by default
            extracted = document
        else:
            extracted = document.as_dict() if document is not None else {}
    except Exception as e:  # trafilatura raises many types on odd markup
        raise InputError("CG107", Messages.CG107.format(source=source, detail=e)) from e
    text = (extracted or {}).get("text") or ""
    if not text.strip():
        raise InputError("CG107", Messages.CG107.format(
            source=source, detail="the page has no readable paragraphs"))
    check_text(text, source, max_chars)
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
    check_text(text, source, max_chars)
    fields = {key: data[key] for key in KNOWN_KEYS - {"id", "text"} if data.get(key) is not None}
    for alias, key in ALIASES.items():
        if key not in fields and isinstance(data.get(alias), str):
            fields[key] = data[alias]
    fields = {key: str(value) for key, value in fields.items()}
    if "title" not in fields:  # a JSON-lines article whose first line is its headline
        headline = title_line(text)
        if headline is not None:
            fields["title"] = headline
    meta = {key: value for key, value in data.items() if key not in KNOWN_KEYS}
    given = data.get("id")
    article_id = str(given) if given not in (None, "") else stable_id(text)
    return Article(id=article_id, text=text, source=source, meta=meta, **fields)


def decode_utf8(data: bytes, source: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise InputError("CG103", Messages.CG103.format(
            source=source, position=e.start, detail=e.reason)) from e


def check_binary(data: bytes, source: str) -> None:
    sample = data[:8192]
    if b"\x00" in sample:
        raise InputError("CG102", Messages.CG102.format(source=source, reason="it contains NUL bytes"))
    control = sum(byte in _CONTROL for byte in sample)
    if control > len(sample) * BINARY_CONTROL_SHARE:
        raise InputError("CG102", Messages.CG102.format(
            source=source, reason=f"{control} control characters in its first {len(sample)} bytes"))


def check_text(text: str, source: str | None, max_chars: int) -> None:
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


def title_line(text: str) -> str | None:
    """The first line, when it reads as a headline: short, no final full stop, more text after."""
    first, _, rest = text.strip().partition("\n")
    first = first.strip()
    if rest.strip() and 0 < len(first) <= 200 and not first.endswith((".", "!", "?", ":", ";", ",")):
        return first
    return None
