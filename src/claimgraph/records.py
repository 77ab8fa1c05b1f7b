"""The data model: Article, Claim, Actor, Mention, TextSpan, Failure, Narrative.

Plain dataclasses with ``to_dict``/``from_dict`` as the only serialisation API. No I/O here.
All character offsets are Python ``str`` indices into ``Article.text``.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any, Literal

ClaimKind = Literal["direct", "indirect", "mixed"]


def stable_id(*parts: object, length: int = 16) -> str:
    """A short, stable hex id made from ``parts`` (sha1 of their ``repr``-free join)."""
    digest = hashlib.sha1("\x1f".join(str(p) for p in parts).encode("utf-8", "surrogatepass"))
    return digest.hexdigest()[:length]


@dataclass(slots=True, frozen=True)
class TextSpan:
    """A piece of evidence: the exact text between ``start`` and ``end`` of the article."""

    text: str
    start: int
    end: int

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "start": self.start, "end": self.end}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TextSpan:
        return cls(text=data["text"], start=int(data["start"]), end=int(data["end"]))


@dataclass(slots=True, frozen=True)
class Actor:
    """A canonical actor: a person, organisation, country, group or media outlet.

    ``kind`` is one of PERSON, ORG, GPE, GROUP, MEDIA. ``evidence`` is the mention in the
    article that gave the canonical name (for "the foreign minister" → the span "Sergei Lavrov").
    """

    name: str
    kind: str
    country: str | None = None
    sector: str | None = None
    wikidata: str | None = None
    evidence: TextSpan | None = None

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.name.casefold()}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "kind": self.kind,
            "country": self.country,
            "sector": self.sector,
            "wikidata": self.wikidata,
            "evidence": self.evidence.to_dict() if self.evidence else None,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Actor:
        evidence = data.get("evidence")
        return cls(
            name=data["name"],
            kind=data.get("kind", "ORG"),
            country=data.get("country"),
            sector=data.get("sector"),
            wikidata=data.get("wikidata"),
            evidence=TextSpan.from_dict(evidence) if evidence else None,
        )


@dataclass(slots=True, frozen=True)
class Mention:
    """A span of the article that refers to an actor (the speaker "the foreign minister")."""

    text: str
    start: int
    end: int
    actor: Actor | None = None
    stance: str | None = None  # for a claim's target: the speaker's stance, negative / neutral / positive
    anonymous: bool = False  # for a claim's speaker: an unnamed source ("officials familiar with the matter")

    def to_dict(self) -> dict[str, Any]:
        data = {
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "actor": self.actor.to_dict() if self.actor else None,
        }
        if self.stance is not None:
            data["stance"] = self.stance
        if self.anonymous:
            data["anonymous"] = True
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Mention:
        actor = data.get("actor")
        return cls(
            text=data["text"],
            start=int(data["start"]),
            end=int(data["end"]),
            actor=Actor.from_dict(actor) if actor else None,
            stance=data.get("stance"),
            anonymous=bool(data.get("anonymous", False)),
        )


@dataclass(slots=True, frozen=True)
class Reporter:
    """One link of a reporting chain: who passed the claim on ("TASS", then the publisher).

    ``start``/``end`` point at the mention in the text; they are ``None`` for the publisher of
    the article itself, which is known from metadata, not from the text.
    """

    name: str
    # "relay" (an outlet named in the text), "channel" (a platform or broadcast that carried the words:
    # "in a post on Telegram", "in a statement carried by KCNA"), "wire" (the agency of a dateline:
    # "MOSCOW (Reuters) -") or "publisher" (the article's own outlet)
    role: str
    start: int | None = None
    end: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "role": self.role, "start": self.start, "end": self.end}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Reporter:
        return cls(name=data["name"], role=data.get("role", "relay"),
                   start=data.get("start"), end=data.get("end"))


@dataclass(slots=True, frozen=True)
class Claim:
    """An attributed claim: who (speaker) said (cue) what (content), about whom (targets)."""

    id: str
    article_id: str
    speaker: Mention | None
    cue: TextSpan | None
    content: tuple[TextSpan, ...]
    kind: ClaimKind
    reported_by: tuple[Reporter, ...] = ()
    targets: tuple[Mention, ...] = ()
    events: tuple[dict[str, Any], ...] = ()  # PLOVER codes: the speech act, then the claimed event
    confidence: float = 1.0
    method: str = ""
    checkworthy: float | None = None  # worth a fact-checker's time, in [0, 1] (claimgraph.factcheck)

    @property
    def start(self) -> int:
        return min(span.start for span in self.evidence_spans)

    @property
    def end(self) -> int:
        return max(span.end for span in self.evidence_spans)

    @property
    def evidence_spans(self) -> list[TextSpan | Mention]:
        spans: list[TextSpan | Mention] = list(self.content)
        if self.speaker is not None:
            spans.append(self.speaker)
        if self.cue is not None:
            spans.append(self.cue)
        return spans

    @property
    def content_text(self) -> str:
        return " … ".join(span.text for span in self.content)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "article_id": self.article_id,
            "speaker": self.speaker.to_dict() if self.speaker else None,
            "cue": self.cue.to_dict() if self.cue else None,
            "content": [span.to_dict() for span in self.content],
            "kind": self.kind,
            "reported_by": [link.to_dict() for link in self.reported_by],
            "targets": [target.to_dict() for target in self.targets],
            "events": list(self.events),
            "start": self.start,
            "end": self.end,
            "confidence": self.confidence,
            "method": self.method,
            "checkworthy": self.checkworthy,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Claim:
        return cls(
            id=data["id"],
            article_id=data["article_id"],
            speaker=Mention.from_dict(data["speaker"]) if data.get("speaker") else None,
            cue=TextSpan.from_dict(data["cue"]) if data.get("cue") else None,
            content=tuple(TextSpan.from_dict(s) for s in data["content"]),
            kind=data["kind"],
            reported_by=tuple(Reporter.from_dict(r) for r in data.get("reported_by", [])),
            targets=tuple(Mention.from_dict(t) for t in data.get("targets", [])),
            events=tuple(data.get("events", [])),
            confidence=float(data.get("confidence", 1.0)),
            method=data.get("method", ""),
            checkworthy=float(data["checkworthy"]) if data.get("checkworthy") is not None else None,
        )


@dataclass(slots=True)
class Failure:
    """A step that failed (or warned) on one input record; the batch goes on."""

    step: str
    code: str
    message: str
    source: str | None = None  # "path:line" of the input record
    level: str = "error"  # "error": the record was rejected; "warning": processed with a caveat

    def to_dict(self) -> dict[str, Any]:
        return {"step": self.step, "code": self.code, "message": self.message,
                "source": self.source, "level": self.level}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Failure:
        return cls(step=data["step"], code=data["code"], message=data["message"],
                   source=data.get("source"), level=data.get("level", "error"))


@dataclass(slots=True)
class Article:
    """One news article; the object that flows through the per-article pipeline."""

    id: str
    text: str
    title: str | None = None
    outlet: str | None = None
    published: str | None = None
    url: str | None = None
    language: str | None = None
    source: str | None = None  # where it was read from: "path" or "path:line"
    meta: dict[str, Any] = field(default_factory=dict)
    claims: list[Claim] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)

    @property
    def rejected(self) -> bool:
        return any(failure.level == "error" for failure in self.failures)

    @property
    def content_hash(self) -> str:
        return stable_id(self.text, self.title or "", length=40)

    def to_dict(self, *, include_text: bool = True) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": self.id,
            "title": self.title,
            "outlet": self.outlet,
            "published": self.published,
            "url": self.url,
            "language": self.language,
            "source": self.source,
            "meta": self.meta,
            "claims": [claim.to_dict() for claim in self.claims],
            "errors": [failure.to_dict() for failure in self.failures],
        }
        if include_text:
            data["text"] = self.text
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Article:
        return cls(
            id=data["id"],
            text=data.get("text", ""),
            title=data.get("title"),
            outlet=data.get("outlet"),
            published=data.get("published"),
            url=data.get("url"),
            language=data.get("language"),
            source=data.get("source"),
            meta=dict(data.get("meta") or {}),
            claims=[Claim.from_dict(c) for c in data.get("claims", [])],
            failures=[Failure.from_dict(f) for f in data.get("errors", [])],
        )


@dataclass(slots=True)
class Narrative:
    """A discovered narrative: claims grouped across articles, with who pushes it, where and when.

    ``label`` is the content of its most central claim so far; ``name`` is the analyst's, if given.
    ``outlets``, ``speakers`` and ``countries`` (ISO3 of speakers and targets) map a name to its
    number of claims; ``weekly`` maps the Monday of each ISO week to its number of claims.
    ``first_seen``, ``last_seen`` and ``weekly`` count claims of dated articles only; ``undated`` is
    how many claims came from articles without a date.
    """

    id: str
    label: str
    name: str | None = None
    claim_ids: list[str] = field(default_factory=list)
    first_seen: str | None = None
    last_seen: str | None = None
    outlets: dict[str, int] = field(default_factory=dict)
    speakers: dict[str, int] = field(default_factory=dict)
    countries: dict[str, int] = field(default_factory=dict)
    weekly: dict[str, int] = field(default_factory=dict)
    status: str = "active"  # or "merged" (into ``merged_into``)
    merged_into: str | None = None
    method: str = ""
    undated: int = 0

    @property
    def claims(self) -> int:
        return len(self.claim_ids)

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "label": self.label, "name": self.name, "claims": self.claims,
                "claim_ids": list(self.claim_ids), "first_seen": self.first_seen, "last_seen": self.last_seen,
                "outlets": dict(self.outlets), "speakers": dict(self.speakers), "countries": dict(self.countries),
                "weekly": dict(self.weekly), "status": self.status, "merged_into": self.merged_into,
                "method": self.method, "undated": self.undated}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Narrative:
        return cls(id=data["id"], label=data.get("label", ""), name=data.get("name"),
                   claim_ids=list(data.get("claim_ids", [])), first_seen=data.get("first_seen"),
                   last_seen=data.get("last_seen"), outlets=dict(data.get("outlets") or {}),
                   speakers=dict(data.get("speakers") or {}), countries=dict(data.get("countries") or {}),
                   weekly=dict(data.get("weekly") or {}), status=data.get("status", "active"),
                   merged_into=data.get("merged_into"), method=data.get("method", ""),
                   undated=int(data.get("undated", 0)))
