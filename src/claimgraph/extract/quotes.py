"""Direct quotations found at the character level, before any parsing.

Handles curly, straight, low-high („…“) and angle (« ») double quotes, curly single quotes
used as main quotes, quotes split by a cue ("“A,” he said, “B.”" gives two quotes the
extractor joins), and quotes that run over several paragraphs (each paragraph reopens the quote,
only the last closes it). An unmatched mark yields a warning, never a runaway quote.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

__all__ = ["Quote", "find_quotes", "QUOTE_MARKS"]

# opening mark -> closing marks it accepts
_PAIRS = {
    "\u201c": "\u201d\u201c",  # “ … ” (and a stray “ used as a closer)
    "\u201e": "\u201c\u201d",  # „ … “ (German, Polish, Czech…)
    "\u00ab": "\u00bb",        # « … »
    "\u00bb": "\u00ab",        # » … « (Danish, Swedish)
    '"': '"',
    "\u2018": "\u2019",        # ‘ … ’ (British style; apostrophes are told apart below)
}
QUOTE_MARKS = set("\u201c\u201d\u201e\u00ab\u00bb\"\u2018\u2019\u201f\u2039\u203a")
_LETTER = re.compile(r"\w")


@dataclass(slots=True)
class Quote:
    """A quotation: ``segments`` are the inner (mark-free) spans, one per paragraph."""

    segments: list[tuple[int, int]]
    mark: str
    start: int  # offset of the opening mark
    end: int    # offset just after the closing mark

    @property
    def inner_start(self) -> int:
        return self.segments[0][0]

    @property
    def inner_end(self) -> int:
        return self.segments[-1][1]


@dataclass(slots=True)
class QuoteScan:
    quotes: list[Quote] = field(default_factory=list)
    unmatched: list[tuple[str, int]] = field(default_factory=list)  # (mark, offset)


def _is_opening_single(text: str, i: int) -> bool:
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return not _LETTER.match(before) and bool(_LETTER.match(after) or after in "\"“")


def _is_closing_single(text: str, i: int) -> bool:
    after = text[i + 1] if i + 1 < len(text) else " "
    return not _LETTER.match(after)


def _line_spans(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for line in text.split("\n"):
        spans.append((start, start + len(line)))
        start += len(line) + 1
    return spans


def find_quotes(text: str) -> QuoteScan:
    """Find the top-level quotations of ``text``; nested quotes stay inside their parent."""
    scan = QuoteScan()
    open_quote: tuple[str, int, list[tuple[int, int]], int] | None = None  # mark, start, segs, seg_start
    lines = [span for span in _line_spans(text) if text[span[0]:span[1]].strip()]
    for number, (line_start, line_end) in enumerate(lines):
        i = line_start
        if open_quote is not None:
            mark, start, segments, _ = open_quote
            first = _first_visible(text, line_start, line_end)
            if first is not None and text[first] in (mark, "\u201c", '"', "\u00ab", "\u201e"):
                # the quote continues in this paragraph: the previous paragraph's segment ends there
                open_quote = (mark, start, segments, first + 1)
                i = first + 1
            else:
                scan.unmatched.append((mark, start))
                open_quote = None
        while i < line_end:
            char = text[i]
            if open_quote is None:
                if char in _PAIRS and (char != "\u2018" or _is_opening_single(text, i)):
                    open_quote = (char, i, [], i + 1)
            else:
                mark, start, segments, seg_start = open_quote
                if char in _PAIRS[mark] and (mark != "\u2018" or _is_closing_single(text, i)):
                    segments.append((seg_start, i))
                    if any(e > s for s, e in segments):
                        scan.quotes.append(Quote(segments=segments, mark=mark, start=start, end=i + 1))
                    open_quote = None
            i += 1
        if open_quote is not None:
            mark, start, segments, seg_start = open_quote
            next_starts = (number + 1 < len(lines)
                           and _starts_with_quote(text, *lines[number + 1]))
            if next_starts and mark != "\u2018":
                segments.append((seg_start, _rstrip(text, seg_start, line_end)))
                open_quote = (mark, start, segments, line_end)
            else:
                scan.unmatched.append((mark, start))
                open_quote = None
    if open_quote is not None:
        scan.unmatched.append((open_quote[0], open_quote[1]))
    return scan


def _first_visible(text: str, start: int, end: int) -> int | None:
    for i in range(start, end):
        if not text[i].isspace():
            return i
    return None


def _starts_with_quote(text: str, start: int, end: int) -> bool:
    first = _first_visible(text, start, end)
    return first is not None and text[first] in "\u201c\"\u00ab\u201e"


def _rstrip(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1].isspace():
        end -= 1
    return end
