"""Plain-text views of claims for the terminal: a claim summary and an article with claims marked."""
from __future__ import annotations

import textwrap
from typing import Any

import click

from .records import Article
from .store.factcheck import MATCH_THRESHOLD

__all__ = ["format_claim", "mark_article"]

_STYLES: dict[str, dict[str, Any]] = {"speaker": {"fg": "cyan", "bold": True},
                                      "cue": {"fg": "yellow", "underline": True}, "content": {"fg": "green"}}
_BRACKETS = {"speaker": ("[", "]"), "cue": ("<", ">"), "content": ("{", "}")}


def _speaker_label(speaker: dict[str, Any] | None) -> str:
    if speaker is None:
        return "(unattributed)"
    actor = speaker.get("actor") or {}
    code = "/".join(part for part in (actor.get("country"), actor.get("sector")) if part)
    code = f" [{code}]" if code else ""
    if actor.get("name") and actor["name"] != speaker["text"]:
        return f"{actor['name']}{code} (“{speaker['text']}”)"
    return f"{speaker['text']}{code}"


def format_claim(number: int, claim: dict[str, Any], *, width: int = 100) -> str:
    """A few readable lines: who, cue, kind; the content; about whom; reported by whom."""
    cue = (claim.get("cue") or {}).get("text") or "—"
    content = " … ".join(span["text"] for span in claim["content"])
    lines = [f"[{number}] {_speaker_label(claim.get('speaker'))} · {cue} · {claim['kind']}"]
    lines += textwrap.wrap(content, width=width, initial_indent="    ", subsequent_indent="    ") or ["    "]
    about = ", ".join(t["actor"]["name"] + (f" ({t['stance']})" if t.get("stance") not in (None, "neutral") else "")
                      for t in claim.get("targets", []))
    chain = " → ".join(r["name"] for r in claim.get("reported_by", []))
    details = []
    if about:
        details.append(f"about: {about}")
    if chain:
        details.append(f"reported by: {chain}")
    details.append(f"article {claim['article_id']} [{claim['start']}:{claim['end']}]")
    if claim.get("checkworthy") is not None:
        details.append(f"check-worthy {claim['checkworthy']:.2f}")
    lines.append("    " + " · ".join(details))
    best = (claim.get("matches") or [None])[0]
    if best and best["score"] >= MATCH_THRESHOLD:  # a known claim it repeats: a fact-check, a catalogued case
        dated = ", ".join(part for part in (best.get("verdict"), best.get("date"),
                                            "dated after this article" if best.get("later") else None) if part)
        lines.append(f"    checked before: {best['claim']} ({dated}; match {best['score']:.2f})"
                     + (f" {best['url']}" if best.get("url") else ""))
    return "\n".join(lines)


def mark_article(article: Article, *, color: bool = False) -> str:
    """The article text with speakers, cues and contents marked, then the list of claims."""
    marks: list[tuple[int, int, str]] = []  # (offset, order, text) -- closing marks sort first
    for number, claim in enumerate(article.claims, start=1):
        spans = [("content", s.start, s.end) for s in claim.content]
        if claim.speaker is not None:
            spans.append(("speaker", claim.speaker.start, claim.speaker.end))
        if claim.cue is not None:
            spans.append(("cue", claim.cue.start, claim.cue.end))
        for role, start, end in spans:
            opening, closing = _BRACKETS[role]
            marks.append((start, 1, f"{opening}{number}:" if role == "content" else opening))
            marks.append((end, 0, closing))
    text, out, position = article.text, [], 0
    style_stack: list[str] = []
    for offset, order, mark in sorted(marks, key=lambda m: (m[0], m[1])):
        out.append(_styled(text[position:offset], style_stack, color))
        out.append(mark if not color else click.style(mark, dim=True))
        role = next(r for r, (o, c) in _BRACKETS.items() if mark.startswith(o) or mark == c)
        if order == 1:
            style_stack.append(role)
        elif role in style_stack:
            style_stack.remove(role)
        position = offset
    out.append(_styled(text[position:], style_stack, color))
    header = [f"{article.title or article.id}  "
              f"({article.outlet or 'outlet unknown'}, {article.published or 'undated'})",
              f"id {article.id} · {len(article.claims)} claims · [speaker] <cue> {{n: content}}", ""]
    claims = [format_claim(n, c.to_dict()) for n, c in enumerate(article.claims, start=1)]
    return "\n".join(header) + "".join(out) + "\n\n" + "\n".join(claims)


def _styled(text: str, stack: list[str], color: bool) -> str:
    if not color or not stack or not text:
        return text
    return click.style(text, **_STYLES[stack[-1]])
