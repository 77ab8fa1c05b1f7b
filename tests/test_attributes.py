"""The compiled attribute ruler and the remembering lemmatizer give exactly what spaCy's give: same
tags, parts of speech, morphology, lemmas and dependencies, token for token, on the project's own
articles and on rules of every kind it compiles; a rule it cannot compile leaves spaCy's ruler in
place, and a lemmatizer whose lemmas may depend on more than the word, part of speech and morphology
stays spaCy's."""
from __future__ import annotations

from pathlib import Path

import pytest

from claimgraph import lemmas
from claimgraph.attributes import COMPONENT, compile_ruler, use_compiled_ruler
from claimgraph.parse import DEFAULT_MODEL, LINE_BREAK_COMPONENT, load_nlp

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
TEXTS = [ROOT / "examples" / "seed-article.txt", *sorted((ROOT / "tests" / "data" / "news").glob("*.txt"))]
ATTRS = ("TAG", "POS", "MORPH", "LEMMA", "DEP", "HEAD", "ENT_TYPE", "SENT_START")


def annotations(doc):
    from spacy.attrs import IDS

    return doc.to_array([IDS[name] for name in ATTRS]).tolist(), [str(token.morph) for token in doc]


@pytest.fixture(scope="module")
def stock():
    """The project's pipeline with spaCy's own attribute ruler."""
    import spacy

    load_nlp()  # registers the line-break component
    nlp = spacy.load(DEFAULT_MODEL)
    nlp.add_pipe(LINE_BREAK_COMPONENT, before="parser")
    return nlp


def test_the_pipeline_uses_the_compiled_rules_and_remembered_lemmas():
    names = load_nlp().pipe_names
    assert COMPONENT in names and "attribute_ruler" not in names
    assert names.index(lemmas.COMPONENT) == names.index(COMPONENT) + 1 and "lemmatizer" not in names


def test_remembered_lemmas_across_documents_and_ruler_lemmas_kept(stock):
    """A word seen before takes the remembered lemma (the same as spaCy's); a lemma the attribute
    ruler set is kept; an empty document passes."""
    nlp = load_nlp()
    # "gonna", "ain't": the ruler sets lemmas ("na" -> "to") that the lemmatizer would not give
    texts = ["The ministers said the talks were stalled.", "",
             "Ministers say talks stall; the minister's aides agreed.", "They're gonna talk, ain't they?"]
    for text in texts + texts:
        assert [t.lemma_ for t in nlp(text)] == [t.lemma_ for t in stock(text)]
    assert nlp.get_pipe(lemmas.COMPONENT).known  # the keys it has seen
    assert [t.lemma_ for t in nlp("gonna")] == ["go", "to"]


def test_a_lemmatizer_of_another_kind_stays_spacys():
    import spacy

    nlp = spacy.load(DEFAULT_MODEL)
    nlp.get_pipe("lemmatizer")._mode = "pos_lookup"  # a mode whose lemmas this module does not know
    assert not lemmas.use_remembering_lemmatizer(nlp) and "lemmatizer" in nlp.pipe_names
    blank = spacy.blank("en")
    assert not lemmas.use_remembering_lemmatizer(blank)


@pytest.mark.parametrize("path", TEXTS, ids=lambda path: path.name)
def test_same_annotations_as_spacy(stock, path):
    text = path.read_text(encoding="utf-8")
    assert annotations(load_nlp()(text)) == annotations(stock(text))


def test_rules_of_every_kind(stock):
    """Equality, IN, NOT_IN, REGEX, IS_SPACE, a two-token rule with its index, a later rule
    overriding an earlier one, and a rule tested on what an earlier one set (it is not: all rules
    match the parser's output)."""
    import spacy

    patterns = [
        {"patterns": [[{"TAG": "NNP"}]], "attrs": {"POS": "PROPN", "MORPH": "NounType=Prop|Number=Sing"}},
        {"patterns": [[{"LOWER": {"IN": ["between", "and"]}}]], "attrs": {"LEMMA": "link"}},
        {"patterns": [[{"LOWER": {"REGEX": "^talk"}}]], "attrs": {"POS": "X"}},
        {"patterns": [[{"TAG": "VBD"}]], "attrs": {"TAG": "NNP"}},  # later rules still see VBD
        {"patterns": [[{"TAG": "NNP", "DEP": {"NOT_IN": ["compound"]}}]], "attrs": {"LEMMA": "name"}},
        {"patterns": [[{"LOWER": "lavrov"}, {"LOWER": "said"}]], "attrs": {"LEMMA": "state"}, "index": -1},
        {"patterns": [[{"IS_SPACE": True}]], "attrs": {"POS": "SPACE"}},
        {"patterns": [[{"TAG": "NNP"}]], "attrs": {"POS": "NOUN"}},  # overrides the first rule
    ]
    text = ("Sergei Lavrov said the United States blocks peace talks between Moscow and Kyiv.\n\n"
            "Talks in Istanbul stalled, he added.")
    results = []
    for compiled in (False, True):
        nlp = spacy.load(DEFAULT_MODEL, exclude=["attribute_ruler", "lemmatizer"])
        ruler = nlp.add_pipe("attribute_ruler", after="parser")
        ruler.add_patterns(patterns)
        if compiled:
            assert use_compiled_ruler(nlp)
            assert COMPONENT in nlp.pipe_names
        results.append(annotations(nlp(text)))
    assert results[0] == results[1]
    doc = nlp(text)
    assert [token.lemma_ for token in doc if token.lower_ in ("said", "between", "and")] == ["state", "link", "link"]
    assert [token.pos_ for token in doc if token.lower_ == "talks"] == ["X", "X"]


def test_a_rule_it_cannot_compile_keeps_spacy(stock):
    import spacy

    nlp = spacy.load(DEFAULT_MODEL, exclude=["attribute_ruler", "lemmatizer"])
    ruler = nlp.add_pipe("attribute_ruler", after="parser")
    ruler.add_patterns([{"patterns": [[{"LOWER": "very", "OP": "+"}]], "attrs": {"POS": "ADV"}}])
    assert compile_ruler(ruler) is None
    assert not use_compiled_ruler(nlp)
    assert "attribute_ruler" in nlp.pipe_names
