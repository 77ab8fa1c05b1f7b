"""Web pages fetched by URL (http and https only), with a timeout and a size limit."""
from __future__ import annotations

import re
import urllib.error
import urllib.request

from ..errors import InputError, Messages
from ..records import Article
from .articles import DEFAULT_MAX_CHARS, article_from_html, rejected

__all__ = ["fetch", "read_url", "decode_html", "MAX_FETCH_BYTES", "FETCH_TIMEOUT"]

MAX_FETCH_BYTES = 10_000_000
FETCH_TIMEOUT = 20.0
USER_AGENT = "claimgraph (+https://github.com/claimgraph)"
_CHARSET = re.compile(r"charset=([\w.:-]+)", re.I)


def decode_html(body: bytes, content_type: str, where: str) -> str:
    """An HTML body as text, in the charset its Content-Type names (UTF-8 if none)."""
    match = _CHARSET.search(content_type or "")
    charset = match.group(1) if match else "utf-8"
    try:
        return body.decode(charset)
    except LookupError:
        return body.decode("utf-8", errors="strict")
    except UnicodeDecodeError as e:
        raise InputError("CG103", Messages.CG103.format(source=where, position=e.start, detail=e.reason)) from e


def fetch(url: str, *, timeout: float = FETCH_TIMEOUT, max_bytes: int = MAX_FETCH_BYTES) -> str:
    """The HTML of ``url`` (http/https only), read with a timeout and a size limit."""
    if not url.startswith(("http://", "https://")):
        raise InputError("CG112", Messages.CG112.format(source=url, detail="only http and https URLs are fetched"))
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": "text/html,*/*;q=0.5"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            content_type = response.headers.get("Content-Type", "")
            body = response.read(max_bytes + 1)
    except (urllib.error.URLError, OSError, ValueError) as e:
        raise InputError("CG112", Messages.CG112.format(source=url, detail=e)) from e
    if len(body) > max_bytes:
        raise InputError("CG112", Messages.CG112.format(source=url, detail=f"the page is over {max_bytes:,} bytes"))
    if content_type and "html" not in content_type.lower() and "text" not in content_type.lower():
        raise InputError("CG112", Messages.CG112.format(source=url, detail=f"not a web page ({content_type})"))
    return decode_html(body, content_type, url)


def read_url(url: str, *, max_chars: int = DEFAULT_MAX_CHARS, timeout: float = FETCH_TIMEOUT) -> Article:
    """Fetch one web page and read its main text; a failure is a rejected article (CG112)."""
    try:
        return article_from_html(fetch(url, timeout=timeout), source=url, url=url, max_chars=max_chars)
    except InputError as e:
        return rejected(url, e.code, str(e))
