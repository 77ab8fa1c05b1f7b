"""The parse: line breaks end sentences; subtrees read from the token edges match spaCy's walk."""
from __future__ import annotations

import pytest
from spacy.tokens import Doc

from claimgraph.parse import columns, load_nlp, subtree, token_range

from .conftest import SEED


@pytest.fixture(scope="module")
def nlp():
    return load_nlp()


def test_a_line_break_ends_a_sentence(nlp):
    doc = nlp("Talks stalled\nLavrov said the US blocks them\n\nKyiv disagreed \n and so did others.")
    assert [sent.text.strip() for sent in doc.sents] == [
        "Talks stalled", "Lavrov said the US blocks them", "Kyiv disagreed", "and so did others."]


def test_subtree_matches_spacy_on_the_seed_article(nlp):
    doc = nlp(SEED.read_text("utf-8"))
    assert all(subtree(token) == {t.i for t in token.subtree} for token in doc)


def test_subtree_of_a_sentence_with_crossing_arcs_is_walked():
    # "A hearing is scheduled on the issue today": "on the issue" hangs from "hearing" across the verb
    words = ["A", "hearing", "is", "scheduled", "on", "the", "issue", "today", "."]
    heads = [1, 3, 3, 3, 1, 6, 4, 3, 3]
    deps = ["det", "nsubjpass", "auxpass", "ROOT", "prep", "det", "pobj", "npadvmod", "punct"]
    doc = Doc(load_nlp().vocab, words=words, heads=heads, deps=deps)
    hearing = doc[1]
    assert subtree(hearing) == {0, 1, 4, 5, 6}  # not the verb between them
    assert subtree(hearing) == {t.i for t in hearing.subtree}
    assert subtree(doc[3]) == set(range(9))


def test_a_crossing_arc_in_one_sentence_leaves_the_others_on_the_fast_path():
    words = ["Talks", "stalled", ".", "A", "hearing", "is", "scheduled", "on", "it", "."]
    heads = [1, 1, 1, 4, 6, 6, 6, 4, 7, 6]
    deps = ["nsubj", "ROOT", "punct", "det", "nsubjpass", "auxpass", "ROOT", "prep", "pobj", "punct"]
    doc = Doc(load_nlp().vocab, words=words, heads=heads, deps=deps, sent_starts=[1, 0, 0, 1, 0, 0, 0, 0, 0, 0])
    assert subtree(doc[1]) == {0, 1, 2}
    assert subtree(doc[4]) == {3, 4, 7, 8}
    assert columns(doc).crossed == frozenset(range(3, 10))


def test_token_range_finds_the_tokens_char_span_expands_to(nlp):
    doc = nlp("Lavrov  said, the US blocks talks.")
    for start in range(len(doc.text)):
        for end in range(start + 1, len(doc.text) + 1):
            span = doc.char_span(start, end, alignment_mode="expand")
            assert token_range(doc, start, end) == range(span.start, span.end), (start, end)


def test_a_parenthesis_closed_before_a_colon_is_no_emoticon(nlp):
    # spaCy's tokenizer exceptions read "):" as one token (an emoticon); news prose means ")" and ":"
    words = [t.text for t in nlp("Sen. Jane Roe (D-Ore.): We have the votes (: not yet).")]
    assert words[words.index("Ore.") + 1:words.index("Ore.") + 3] == [")", ":"]
    assert "(:" not in words
