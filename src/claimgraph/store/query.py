"""What ``store.claims`` lists: one ``ClaimQuery`` that the store reads and that the CLI's ``claims``
command and the REST API's ``GET /api/claims`` build, their options and parameters named after its
fields (a test keeps the three the same)."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, fields
from typing import Any

from ..errors import ConfigError, Messages

__all__ = ["ClaimQuery", "STANCES", "SORTS", "iso_date"]

STANCES = ("negative", "neutral", "positive")
SORTS = ("checkworthy",)  # besides the default, storage order
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}(?:[T ]|$)")  # what the store's string comparisons need


def iso_date(name: str, value: str) -> str:
    """``value`` when it is an ISO date (``2025-03-14``) or date-time (``2025-03-14T09:30:00+01:00``),
    else a ``ConfigError`` (CG308) naming the option ``name``."""
    try:
        if not _ISO_DAY.match(value):
            raise ValueError("not YYYY-MM-DD")
        dt.datetime.fromisoformat(value)
    except ValueError as e:
        raise ConfigError(Messages.CG308.format(name=name, value=value)) from e
    return value


def check_filters(stance: str | None, *, since: str | None, until: str | None) -> None:
    """The checks shared by the claim query and the network export: a known stance, ISO dates."""
    if stance and stance not in STANCES:
        raise ConfigError(Messages.CG309.format(value=stance, choices=", ".join(STANCES)))
    for name, value in (("since", since), ("until", until)):
        if value:
            iso_date(name, value)


@dataclass(frozen=True, slots=True)
class ClaimQuery:
    """Which stored claims to list, and which page of them; every filter that is set narrows.

    ``speaker``, ``about`` and ``outlet`` match names case-insensitively by substring (``outlet``
    also matches an outlet in the reporting chain); ``stance`` (negative / neutral / positive) keeps
    claims whose speaker takes that stance toward a target (with ``about``: toward that target);
    ``search`` is a full-text query over content and speaker; ``event`` is a PLOVER type (speech act
    or claimed event); ``since`` and ``until`` bound the article's published date (ISO, inclusive: a
    bare date is the whole day); ``narrative`` is a discovered narrative's id or a taxonomy label the
    claim inherits (it lies in the evidence of its article's label; every claim of an article
    labelled without evidence); ``article`` is an article id; ``anonymous`` keeps claims whose speaker is
    an unnamed source (``True``) or a named one (``False``); ``matched`` keeps claims that repeat a
    known claim (a stored match scoring at least ``factcheck.MATCH_THRESHOLD``); ``sort``
    (``checkworthy``) lists the claims most worth checking first instead of in storage order.
    ``limit=None`` lists them all.
    """

    speaker: str | None = None
    about: str | None = None
    stance: str | None = None
    outlet: str | None = None
    search: str | None = None
    event: str | None = None
    since: str | None = None
    until: str | None = None
    narrative: str | None = None
    article: str | None = None
    anonymous: bool | None = None
    matched: bool = False
    sort: str | None = None
    limit: int | None = 100
    offset: int = 0

    def __post_init__(self) -> None:
        check_filters(self.stance, since=self.since, until=self.until)
        if self.sort is not None and self.sort not in SORTS:
            raise ConfigError(Messages.CG391.format(value=self.sort, choices=", ".join(SORTS)))
        if self.limit is not None and self.limit < 1:
            raise ConfigError(Messages.CG405.format(option="limit", value=self.limit))
        if self.offset < 0:
            raise ConfigError(Messages.CG310.format(option="offset", value=self.offset))

    def filters(self) -> dict[str, Any]:
        """The filters that are set, by name (``limit``, ``offset`` and ``sort`` are paging and order, not filters)."""
        return {field.name: getattr(self, field.name) for field in fields(self)
                if field.name not in ("limit", "offset", "sort")
                and (getattr(self, field.name) or (field.name == "anonymous" and self.anonymous is not None))}
