"""spaCy's lemmatizer with its answers remembered: the same lemmas, about a tenth of its time.

spaCy's rule lemmatizer (``en_core_web_sm``'s ``lemmatizer``, mode ``rule``) runs in Python, one
token at a time: a ``Token`` object, its text, part of speech and morphology read as strings, then a
cache look-up (which skips base forms, so those are worked out again every time). On the news
articles of ``bench/speed.py`` that is about 8 % of the whole parse. Its answer depends only on the
word, its part of speech and its morphology (rule mode: the tables, ``is_base_form``; lookup mode:
the word), so :class:`RememberingLemmatizer` keeps one lemma per (word, part of speech, morphology)
key, reads and writes the whole document's columns at once with ``Doc.to_array`` / ``Doc.from_array``,
and asks spaCy's own lemmatizer only for a key it has not seen. Tokens that already have a lemma
(the attribute ruler's exceptions) keep it, as with spaCy (``overwrite`` is honoured too). A
lemmatizer of another class or mode is left in place (:func:`use_remembering_lemmatizer` returns
False). ``tests/test_attributes.py`` checks that the pipeline gives spaCy's lemmas token for token.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.pipeline import Lemmatizer
    from spacy.tokens import Doc

__all__ = ["COMPONENT", "RememberingLemmatizer", "use_remembering_lemmatizer"]

COMPONENT = "claimgraph_lemmatizer"
MAX_KEYS = 500_000  # remembered (word, part of speech, morphology) keys; forgotten all at once past this
_MODES = ("rule", "lookup")  # lemmas that depend on the word, its part of speech and morphology only


class RememberingLemmatizer:
    """A spaCy pipeline component: ``lemmatizer``'s lemmas, remembered per key (module docstring).

    Not a dataclass: it wraps a spaCy component and keeps a growing table."""

    def __init__(self, lemmatizer: Lemmatizer) -> None:
        self.lemmatizer = lemmatizer
        self.known: dict[tuple[int, int, int], int] = {}  # (ORTH, POS, MORPH) -> LEMMA string id

    def __call__(self, doc: Doc) -> Doc:
        from spacy.attrs import LEMMA, MORPH, ORTH, POS

        if not len(doc):
            return doc
        overwrite = bool(self.lemmatizer.overwrite)
        rows = doc.to_array([ORTH, POS, MORPH, LEMMA]).tolist()
        known = self.known
        if len(known) > MAX_KEYS:
            known.clear()
        lemmas = []
        changed = False
        for i, (orth, pos, morph, lemma) in enumerate(rows):
            if lemma and not overwrite:
                lemmas.append(lemma)
                continue
            key = (orth, pos, morph)
            found = known.get(key)
            if found is None:
                found = known[key] = doc.vocab.strings.add(self.lemmatizer.lemmatize(doc[i])[0])
            lemmas.append(found)
            changed = True
        if changed:
            import numpy as np

            doc.from_array([LEMMA], np.asarray(lemmas, dtype=np.uint64).reshape(-1, 1))  # type: ignore[arg-type]
        return doc


def use_remembering_lemmatizer(nlp: Language) -> bool:
    """Put a :class:`RememberingLemmatizer` in place of ``nlp``'s ``lemmatizer``; False (and ``nlp``
    as it was) when it has none, or one whose lemmas may depend on more than the key."""
    from .attributes import replace_component

    if _lemmatizer(nlp) is None:
        return False
    replace_component(nlp, "lemmatizer", COMPONENT, _make)  # wraps the lemmatizer it replaces
    return True


def _make(nlp: Language, name: str) -> RememberingLemmatizer:
    lemmatizer = _lemmatizer(nlp)
    if lemmatizer is None:  # checked by use_remembering_lemmatizer before it adds the component
        raise ValueError("the pipeline has no lemmatizer whose lemmas can be remembered")
    return RememberingLemmatizer(lemmatizer)


def _lemmatizer(nlp: Language) -> Lemmatizer | None:
    """``nlp``'s lemmatizer when it is spaCy's own (or the English one, which changes only
    ``is_base_form``: part of speech and morphology) in a mode whose lemmas depend on the key only."""
    from spacy.lang.en.lemmatizer import EnglishLemmatizer
    from spacy.pipeline import Lemmatizer

    if "lemmatizer" not in nlp.pipe_names:
        return None
    lemmatizer = nlp.get_pipe("lemmatizer")
    if not isinstance(lemmatizer, Lemmatizer) or type(lemmatizer) not in (Lemmatizer, EnglishLemmatizer):
        return None
    return lemmatizer if lemmatizer.mode in _MODES else None
