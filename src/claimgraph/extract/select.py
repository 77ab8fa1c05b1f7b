"""Choosing among candidates: the best-scoring ones that do not overlap (one attribution per stretch
of text, as PolNeAR annotates), relays kept apart ("TASS reports that Lavrov said ...")."""
from __future__ import annotations

from typing import TYPE_CHECKING

from .chains import Relay
from .drafts import Draft, same_speaker, shared_chars, span_length
from .thresholds import CONFLICT_SHARE, SAME_CONTENT_SHARE, WIDEN_MARGIN

if TYPE_CHECKING:
    from spacy.tokens import Doc

__all__ = ["WIDEN_MARGIN", "select_drafts", "drop_nested"]


def select_drafts(drafts: list[Draft], doc: Doc, *, threshold: float) -> list[Draft]:
    """The best-scoring candidates above ``threshold`` that do not overlap one another
    (one attribution per stretch of text, as annotated in PolNeAR), in text order."""
    chosen: list[Draft] = []
    for draft in sorted(drafts, key=lambda d: -d.score):
        if draft.score < threshold:
            break
        conflicts = [other for other in chosen if _conflict(draft, other, doc)]
        if not conflicts:
            chosen.append(draft)
        elif len(conflicts) == 1 and _widens(draft, conflicts[0], doc):
            chosen[chosen.index(conflicts[0])] = draft
    chosen += _relayed(chosen, drafts, doc, threshold)
    return sorted(chosen, key=lambda d: d.start)


def _relayed(chosen: list[Draft], drafts: list[Draft], doc: Doc, threshold: float) -> list[Draft]:
    """'TASS reports that Lavrov said X': besides the outlet's claim, Lavrov's own, with TASS in its chain."""
    found: list[Draft] = []
    for outer in chosen:
        speaker = outer.speaker
        actor = speaker.actor if speaker is not None else None
        if speaker is None or actor is None or actor.kind != "MEDIA":
            continue
        # the selector learnt from PolNeAR, which never nests one attribution in another: inside an
        # outlet's report, a candidate the lexicon rules accept counts too
        inner = [d for d in drafts if d is not outer and d.cue and (d.score >= threshold or d.gate)
                 and d.speaker is not None
                 and (d.speaker.actor is None or d.speaker.actor.kind != "MEDIA")
                 and any(s <= d.cue_at < e for s, e in outer.content)]
        if inner:
            best = max(inner, key=lambda d: d.score)
            best.relays.append(Relay(name=actor.name, start=speaker.start, end=speaker.end,
                                     sentence=min(outer.sentences), token=outer.cue[0] if outer.cue else 0))
            found.append(best)
    return found


def _widens(wide: Draft, narrow: Draft, doc: Doc) -> bool:
    """Near-equal scores, same speaker, and ``wide``'s content holds all of ``narrow``'s and more
    within the same sentences: when the model can hardly tell them apart, the fuller evidence wins."""
    return (narrow.score - wide.score <= WIDEN_MARGIN and same_speaker(wide.speaker, narrow.speaker)
            and shared_chars(wide.content, narrow.content) == span_length(narrow.content)
            and span_length(wide.content) > span_length(narrow.content)
            and _sentences(wide.content, doc) == _sentences(narrow.content, doc))


def _sentences(segments: list[tuple[int, int]], doc: Doc) -> tuple[int, int]:
    """Start offsets of the sentences holding the first and the last character of ``segments``."""
    first = doc.char_span(segments[0][0], segments[0][0] + 1, alignment_mode="expand")
    last = doc.char_span(segments[-1][1] - 1, segments[-1][1], alignment_mode="expand")
    return (first.sent.start_char if first is not None else -1, last.sent.start_char if last is not None else -1)


def _conflict(a: Draft, b: Draft, doc: Doc) -> bool:
    a_start, a_end, b_start, b_end = a.content[0][0], a.content[-1][1], b.content[0][0], b.content[-1][1]
    if (a_end <= b_start or b_end <= a_start) and not (a_start <= b.cue_at < a_end or b_start <= a.cue_at < b_end):
        return False  # apart, and neither cue inside the other's content
    for first, second in ((a, b), (b, a)):
        if first.cue and any(s <= first.cue_at < e for s, e in second.content):
            return True
    smaller = min(span_length(a.content), span_length(b.content)) or 1
    return shared_chars(a.content, b.content) / smaller > CONFLICT_SHARE


def drop_nested(drafts: list[Draft], doc: Doc) -> list[Draft]:
    """One attribution per stretch of text: an attribution inside another's content is dropped,
    unless the outer speaker is a news outlet relaying it ("TASS reports that X said ...")."""
    dropped: set[int] = set()
    for i, outer in enumerate(drafts):
        for j, inner in enumerate(drafts):
            if i == j or i in dropped or j in dropped or not inner.cue:
                continue
            if not any(s <= inner.cue_at < e for s, e in outer.content):
                continue
            if outer.speaker is not None and outer.speaker.actor is not None and outer.speaker.actor.kind == "MEDIA" \
                    and inner.speaker is not None:
                inner.relays.append(Relay(name=outer.speaker.actor.name, start=outer.speaker.start,
                                          end=outer.speaker.end, sentence=min(outer.sentences), token=outer.cue[0]))
                dropped.add(i)
            else:
                dropped.add(j)
    kept = [d for k, d in enumerate(drafts) if k not in dropped]
    # two cues for the same words ("said and added"): keep the first
    result: list[Draft] = []
    for draft in kept:
        if any(_same_content(draft, other) for other in result):
            continue
        result.append(draft)
    return result


def _same_content(a: Draft, b: Draft) -> bool:
    chars_a = {i for s, e in a.content for i in range(s, e)}
    chars_b = {i for s, e in b.content for i in range(s, e)}
    if not chars_a or not chars_b:
        return False
    return len(chars_a & chars_b) / min(len(chars_a), len(chars_b)) > SAME_CONTENT_SHARE
