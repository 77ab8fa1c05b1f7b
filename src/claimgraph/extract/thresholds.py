"""The extract stage's thresholds, in one place. Changing one changes which claims are found, so the
stage's version must change with it."""
from __future__ import annotations

__all__ = ["MIN_QUOTE_WORDS", "TITLE_WORDS", "CONTINUATION_MAX_GAP_CHARS", "CONTINUATION_MAX_LINE_BREAKS",
           "DIRECT_SHARE", "WIDEN_MARGIN", "CONFLICT_SHARE", "SAME_CONTENT_SHARE"]

# quotes
MIN_QUOTE_WORDS = 4  # shorter quotes are titles, scare quotes or single words, not claims
TITLE_WORDS = 7  # a quotation in Title Case shorter than this is a title (of a song, book, plan...)
# a stand-alone quote continues the previous speaker's claim only when the text between them is at
# most this long and has at most this many line breaks (a blank line counts once)
CONTINUATION_MAX_GAP_CHARS = 400
CONTINUATION_MAX_LINE_BREAKS = 2

# kind of a claim: "direct" when at least this share of its content's characters is inside quotation
# marks ("mixed" when some are, "indirect" when none); the selector's quoted=full feature uses the same
DIRECT_SHARE = 0.9

# choosing among candidates (select.py)
WIDEN_MARGIN = 0.05  # a wider reading this close in score replaces a narrower one
CONFLICT_SHARE = 0.3  # two candidates conflict when they share more than this share of the smaller content
SAME_CONTENT_SHARE = 0.8  # two cues for the same words: their contents share more than this (of the smaller)
