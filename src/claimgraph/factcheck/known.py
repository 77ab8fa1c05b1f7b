"""Catalogues of known claims (fact-checks, disinformation cases) read from four formats.

- EUvsDisinfo's CSV export: ``date, id (the case's URL), title, countries, keywords, languages, outlets``;
  the title is the claim, the verdict "disinformation";
- schema.org ``ClaimReview`` JSON-LD: one object, a list, an ``@graph``, or HTML pages that embed them in
  ``<script type="application/ld+json">``; ``claimReviewed`` is the claim, ``reviewRating`` the verdict;
- JSON lines ``{"id", "claim", "title"?, "subtitle"?, "date"?, "url"?, "verdict"?}``;
- CSV whose header names those columns.

A row that cannot be a known claim is yielded as a ``Rejected`` (a coded message, like a rejected
article), and the rest of the file is read.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import ConfigError, Messages

__all__ = ["KnownClaim", "Rejected", "read_known", "known_from_dict", "EUVSDISINFO_COLUMNS", "FORMATS"]

EUVSDISINFO_COLUMNS = ("date", "id", "title", "countries", "keywords", "languages", "outlets")
FORMATS = ("auto", "euvsdisinfo", "claimreview", "jsonl", "csv")
_FIELDS = ("id", "claim", "title", "subtitle", "date", "url", "verdict")
_JSON_LD = re.compile(r"<script[^>]*type\s*=\s*[\"']application/ld\+json[\"'][^>]*>(.*?)</script>",
                      re.IGNORECASE | re.DOTALL)


@dataclass(frozen=True, slots=True)
class KnownClaim:
    """A claim already checked (or catalogued): ``claim`` is its wording, ``date`` the ISO date it was
    checked or catalogued, ``verdict`` the catalogue's rating; ``extra`` keeps the other columns."""

    id: str
    claim: str
    title: str | None = None
    subtitle: str | None = None
    date: str | None = None
    url: str | None = None
    verdict: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def text(self) -> str:
        """What BM25 indexes: claim, title and subtitle."""
        return " ".join(part for part in (self.claim, self.title, self.subtitle) if part)

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "claim": self.claim, "title": self.title, "subtitle": self.subtitle,
                "date": self.date, "url": self.url, "verdict": self.verdict, "extra": dict(self.extra)}


@dataclass(frozen=True, slots=True)
class Rejected:
    """A row that is not a known claim: where it is (``source``), the code and the message."""

    source: str
    code: str
    message: str


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, (list, tuple)):
        value = " ".join(str(part) for part in value if part)
    text = " ".join(str(value).split())
    return text or None


def _iso_date(value: Any, source: str) -> str | None:
    """The ISO date (YYYY-MM-DD) of ``value`` (a date or date-time), None when empty; else ValueError."""
    text = _text(value)
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text[:10]).isoformat()
    except ValueError:
        raise ValueError(Messages.CG191.format(source=source, value=text)) from None


def known_from_dict(data: Any, source: str) -> KnownClaim | Rejected:
    """A ``KnownClaim`` from a record with the JSON-lines fields (other keys go to ``extra``)."""
    if not isinstance(data, dict):
        return Rejected(source, "CG190", Messages.CG190.format(source=source, field="id",
                                                               detail=f"not an object: {type(data).__name__}"))
    for name in ("id", "claim"):
        if _text(data.get(name)) is None:
            return Rejected(source, "CG190", Messages.CG190.format(source=source, field=name, detail="missing"))
    try:
        date = _iso_date(data.get("date"), source)
    except ValueError as e:
        return Rejected(source, "CG191", str(e))
    return KnownClaim(id=str(_text(data["id"])), claim=str(_text(data["claim"])), title=_text(data.get("title")),
                      subtitle=_text(data.get("subtitle")), date=date, url=_text(data.get("url")),
                      verdict=_text(data.get("verdict")),
                      extra={key: value for key, value in data.items() if key not in _FIELDS and value})


def _from_euvsdisinfo(row: dict[str, str], source: str) -> KnownClaim | Rejected:
    extra = {name: [part for part in (row.get(name) or "").split("+") if part]
             for name in ("countries", "keywords", "languages", "outlets")}
    return known_from_dict({"id": row.get("id"), "claim": row.get("title"), "date": row.get("date"),
                            "url": row.get("id") if (row.get("id") or "").startswith("http") else None,
                            "verdict": "disinformation"} | {k: v for k, v in extra.items() if v}, source)


def _claim_reviews(node: Any) -> Iterator[dict[str, Any]]:
    """Every object whose @type is ClaimReview in a JSON-LD tree (lists, @graph, nesting)."""
    if isinstance(node, list):
        for item in node:
            yield from _claim_reviews(item)
    elif isinstance(node, dict):
        kind = node.get("@type")
        if kind == "ClaimReview" or (isinstance(kind, list) and "ClaimReview" in kind):
            yield node
            return
        for value in node.values():
            if isinstance(value, (list, dict)):
                yield from _claim_reviews(value)


def _from_claim_review(review: dict[str, Any], source: str) -> KnownClaim | Rejected:
    rating = review.get("reviewRating") or {}
    if isinstance(rating, list):
        rating = rating[0] if rating else {}
    verdict = rating.get("alternateName") or rating.get("name") if isinstance(rating, dict) else None
    item = review.get("itemReviewed") if isinstance(review.get("itemReviewed"), dict) else {}
    url = review.get("url") or review.get("@id")
    claim = review.get("claimReviewed") or (item or {}).get("name")
    return known_from_dict({"id": url or claim, "claim": claim, "title": review.get("headline") or review.get("name"),
                            "date": review.get("datePublished") or (item or {}).get("datePublished"),
                            "url": url, "verdict": verdict,
                            "author": ((review.get("author") or {}).get("name")
                                       if isinstance(review.get("author"), dict) else None)}, source)


def _sniff(path: Path, head: str) -> str:
    name = path.name.lower()
    if name.endswith((".jsonl", ".ndjson", ".jsonl.gz")):
        return "jsonl"
    if name.endswith((".html", ".htm")) or head.lstrip().startswith("<"):
        return "claimreview"
    if name.endswith(".json"):
        return "claimreview" if "ClaimReview" in head or head.lstrip().startswith("[") else "jsonl"
    if name.endswith((".csv", ".tsv")):
        header = next(csv.reader(io.StringIO(head)), [])
        columns = tuple(column.strip().lower() for column in header)
        if "claim" in columns:
            return "csv"
        if columns[:3] == EUVSDISINFO_COLUMNS[:3]:
            return "euvsdisinfo"
    if head.lstrip().startswith("{"):
        return "jsonl"
    raise ConfigError(Messages.CG192.format(source=str(path)))


def read_known(path: str | Path, *, format: str = "auto") -> Iterator[KnownClaim | Rejected]:
    """Every row of the catalogue file ``path`` as a ``KnownClaim``, or a ``Rejected`` saying why not.

    ``format`` is one of ``FORMATS`` (``auto`` tells by the name and the first line); a file that is
    none of them raises ``ConfigError`` (CG192)."""
    path = Path(path)
    if format not in FORMATS:
        raise ConfigError(Messages.CG192.format(source=f"{path} (--format {format})"))
    try:
        text = path.read_text("utf-8-sig")
    except (OSError, UnicodeDecodeError) as e:
        raise ConfigError(Messages.CG108.format(source=str(path), detail=e)) from e
    kind = _sniff(path, text[:4096]) if format == "auto" else format
    source = str(path)
    if kind == "jsonl":
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            where = f"{source}:{number}"
            try:
                data = json.loads(line)
            except json.JSONDecodeError as e:
                yield Rejected(where, "CG104", Messages.CG104.format(source=where, detail=e))
                continue
            yield known_from_dict(data, where)
    elif kind in ("csv", "euvsdisinfo"):
        reader = csv.DictReader(io.StringIO(text, newline=""),
                                delimiter="\t" if path.name.lower().endswith(".tsv") else ",")
        for row in reader:
            where = f"{source}:{reader.line_num}"
            row = {(key or "").strip().lower(): value for key, value in row.items() if isinstance(value, str)}
            yield _from_euvsdisinfo(row, where) if kind == "euvsdisinfo" else known_from_dict(row, where)
    else:
        blocks = _JSON_LD.findall(text) if text.lstrip().startswith("<") else [text]
        found = 0
        for number, block in enumerate(blocks, start=1):
            where = f"{source}#{number}" if len(blocks) > 1 else source
            try:
                data = json.loads(block)
            except json.JSONDecodeError as e:
                yield Rejected(where, "CG104", Messages.CG104.format(source=where, detail=e))
                continue
            for position, review in enumerate(_claim_reviews(data), start=1):
                found += 1
                yield _from_claim_review(review, f"{where}[{position}]")
        if not found:
            yield Rejected(source, "CG193", Messages.CG193.format(source=source))
