"""The working record of one attribution candidate (``Draft``), and arithmetic on the character
segments its content is made of."""
from __future__ import annotations

from dataclasses import dataclass, field

from ..records import Mention
from .chains import Relay

__all__ = ["Draft", "merge_segments", "overlaps", "same_speaker", "shared_chars", "span_length"]


@dataclass(slots=True)
class Draft:
    cue: list[int]
    content: list[tuple[int, int]]
    rule: str
    speaker: Mention | None = None
    gate: bool = True
    score: float = 1.0
    cue_at: int = -1  # character offset of the cue's first token (-1: no cue)
    relays: list[Relay] = field(default_factory=list)
    sentences: set[int] = field(default_factory=set)  # sentence starts this claim is anchored in
    agree: float = 0.0  # best content Dice with an attribution the tagger reads (0: none)
    short: bool = False  # only a short quotation's words, kept for a selector that weighs them

    @property
    def start(self) -> int:
        return self.content[0][0]


def span_length(segments: list[tuple[int, int]]) -> int:
    return sum(end - start for start, end in segments)


def shared_chars(a: list[tuple[int, int]], b: list[tuple[int, int]]) -> int:
    """Characters two sets of segments share."""
    return sum(max(0, min(e1, e2) - max(s1, s2)) for s1, e1 in a for s2, e2 in b)


def same_speaker(a: Mention | None, b: Mention | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return a.start < b.end and b.start < a.end


def overlaps(a: list[tuple[int, int]], b: list[tuple[int, int]]) -> bool:
    return any(s1 < e2 and s2 < e1 for s1, e1 in a for s2, e2 in b)


def merge_segments(segments: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[list[int]] = []
    for start, end in sorted(segments):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(s, e) for s, e in merged]
