"""A sequence tagger for attributions: every token labelled as cue, source, content or outside.

A linear-chain CRF (python-crfsuite) reads features of each token from the parse -- its words,
its part of speech, the nearest cue above it in the dependency tree and how it hangs from that
cue, whether it is quoted -- and labels the tokens of each paragraph with BIO tags:
``CUE`` (the reporting words), ``SRC`` (who speaks) and ``CON`` (what is attributed).
``tagged_spans`` turns the tags into attributions: each cue gathers the content runs and the
source nearest to it. The weights (data/attribution_tagger.crfsuite) are trained on PolNeAR train
by scripts/train_attribution_tagger.py.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass, field
from importlib import resources
from typing import TYPE_CHECKING

from .lexicon import Lexicon

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

__all__ = ["TAGGER_FILE", "TaggedAttribution", "Tags", "load_tagger", "paragraphs", "tag_doc", "tagged_spans",
           "token_features"]

TAGGER_FILE = "attribution_tagger.crfsuite"
LABELS = ("CUE", "SRC", "CON")
_UP = 12  # how far up the tree to look for a cue
_CHILD_DEPS = {"ccomp", "xcomp", "dobj", "nsubj", "nsubjpass", "agent", "prep", "mark", "parataxis", "advcl"}


def _cue_class(token: Token, lexicon: Lexicon) -> str | None:
    lemma = token.lemma_.lower()
    if token.lower_ == "according":
        return "according"
    if token.pos_ in ("VERB", "AUX"):
        if lemma in lexicon.speech:
            return "speech"
        if lemma in lexicon.cognition:
            return "cognition"
        if lemma in lexicon.object_content:
            return "object"
        return None
    if token.pos_ == "NOUN" and lemma in lexicon.communication_nouns:
        return "noun"
    return None


def paragraphs(doc: Doc) -> list[tuple[int, int]]:
    """Token ranges [start, end) of the paragraphs (text between line breaks), spaces excluded."""
    ranges: list[tuple[int, int]] = []
    start = None
    for token in doc:
        if token.is_space and "\n" in token.text:
            if start is not None:
                ranges.append((start, token.i))
            start = None
        elif start is None:
            start = token.i
    if start is not None:
        ranges.append((start, len(doc)))
    return ranges


def token_features(doc: Doc, quoted: set[int] | frozenset[int], lexicon: Lexicon) -> list[list[str]]:
    """One list of feature names per token of ``doc``."""
    n = len(doc)
    classes = [_cue_class(token, lexicon) for token in doc]
    lemmas = [token.lemma_.lower() for token in doc]
    lowers = [token.lower_ for token in doc]
    tags = [token.tag_ for token in doc]
    deps = [token.dep_ for token in doc]
    heads = [token.head.i for token in doc]
    ents = [token.ent_iob_ + token.ent_type_ if token.ent_type_ else "" for token in doc]
    shape = [("title" if token.is_title else "") + ("punct" if token.is_punct else "") for token in doc]
    children: list[set[str]] = [set() for _ in range(n)]
    for i, head in enumerate(heads):
        if head != i and deps[i] in _CHILD_DEPS:
            children[head].add(deps[i])
    sentence = [0] * n
    sent_end = [0] * n
    sent_flags: list[tuple[bool, bool]] = []
    for number, sent in enumerate(doc.sents):
        inside = range(sent.start, sent.end)
        sent_flags.append((any(classes[i] is not None for i in inside), any(i in quoted for i in inside)))
        for i in inside:
            sentence[i] = number
            sent_end[i] = sent.end
    rows: list[list[str]] = []
    for i in range(n):
        lemma, dep, head = lemmas[i], deps[i], heads[i]
        f = ["b", "w=" + lowers[i], "l=" + lemma, "t=" + tags[i], "d=" + dep, "hl=" + lemmas[head],
             "hd=" + deps[head], "ht=" + tags[head], "d|hl=" + dep + "|" + lemmas[head]]
        if ents[i]:
            f.append("e=" + ents[i])
        if shape[i]:
            f.append(shape[i])
        cls = classes[i]
        if cls is not None:
            f.append("cue=" + cls)
            f.append("cue=" + cls + "|d=" + dep)
        for relation in children[i]:
            f.append("ch=" + relation)
            if cls is not None:
                f.append("cue|ch=" + relation)
        hcls = classes[head]
        if hcls is not None and head != i:
            f.append("hcue=" + hcls + "|d=" + dep)
        in_quote = i in quoted
        f.append("q=1" if in_quote else "q=0")
        for offset in (-2, -1, 1, 2):
            j = i + offset
            if 0 <= j < n:
                f.append(f"l{offset}={lemmas[j]}")
                f.append(f"t{offset}={tags[j]}")
                if not in_quote and j in quoted:
                    f.append(f"qn{offset}")
            else:
                f.append(f"edge{offset}")
        # the nearest cue above this token, and how the token hangs from it
        child, node, steps = i, head, 0
        while node != child and steps < _UP:
            steps += 1
            ncls = classes[node]
            if ncls is not None:
                relation = deps[child]
                f.append("a=" + ncls)
                f.append("a=" + ncls + "|r=" + relation)
                f.append("a|r=" + relation + ("|L" if i < node else "|R"))
                f.append("al=" + lemmas[node] + "|r=" + relation)
                f.append("a|steps=" + str(min(steps, 4)))
                break
            child, node = node, heads[node]
        else:
            f.append("a=none")
        has_cue, has_quote = sent_flags[sentence[i]]
        f.append("sc=1" if has_cue else "sc=0")
        if has_quote:
            f.append("sq=1")
        if i == 0 or sentence[i - 1] != sentence[i]:
            f.append("sstart")
        if i == sent_end[i] - 1:
            f.append("send")
        rows.append(f)
    return rows


@functools.cache
def load_tagger(path: str | None = None):
    """The packaged CRF (or the one at ``path``) as a ``pycrfsuite.Tagger``; ``None`` when no
    weights are packaged."""
    import pycrfsuite
    if path is None:
        resource = resources.files("claimgraph.data").joinpath(TAGGER_FILE)
        if not resource.is_file():
            return None
        with resources.as_file(resource) as file:
            path = str(file)
    tagger = pycrfsuite.Tagger()
    tagger.open(path)
    return tagger


@dataclass(slots=True)
class Tags:
    """The tagger's reading of one document: the best label of each token, and each token's
    marginal probability of being cue, source or content."""

    labels: list[str]
    cue: list[float]
    source: list[float]
    content: list[float]


def tag_doc(tagger, doc: Doc, quoted: set[int], lexicon: Lexicon) -> Tags:
    """Labels and marginals for every token of ``doc`` (spaces are 'O' with probability 0)."""
    rows = token_features(doc, quoted, lexicon)
    n = len(doc)
    tags = Tags(labels=["O"] * n, cue=[0.0] * n, source=[0.0] * n, content=[0.0] * n)
    known = set(tagger.labels())
    wanted = [(role, [label for label in ("B-" + role, "I-" + role) if label in known]) for role in LABELS]
    for start, end in paragraphs(doc):
        tags.labels[start:end] = tagger.tag(rows[start:end])
        marginal = tagger.marginal
        for role, names in wanted:
            column = tags.cue if role == "CUE" else tags.source if role == "SRC" else tags.content
            for position in range(end - start):
                column[start + position] = sum(marginal(name, position) for name in names)
    return tags


@dataclass(slots=True)
class TaggedAttribution:
    """One attribution read off the tags: token indices of its cue, source and content."""

    cue: list[int]
    source: list[int] = field(default_factory=list)
    content: list[list[int]] = field(default_factory=list)


def _runs(labels: list[str], kind: str) -> list[list[int]]:
    runs: list[list[int]] = []
    for i, label in enumerate(labels):
        if label == "B-" + kind or (label == "I-" + kind and (not runs or runs[-1][-1] != i - 1)):
            runs.append([i])
        elif label == "I-" + kind:
            runs[-1].append(i)
    return runs


def tagged_spans(labels: list[str], doc: Doc, quoted: set[int] | frozenset[int] = frozenset()
                 ) -> list[TaggedAttribution]:
    """Group the tagged runs into attributions: each content run joins the nearest cue in its
    sentence (a quotation may also join the cue of the sentence before or after: "“A,” she said.
    “B.”"), each cue takes the nearest source in its sentence."""
    cues = _runs(labels, "CUE")
    if not cues:
        return []
    sentence_of = {}
    for number, sent in enumerate(doc.sents):
        for i in range(sent.start, sent.end):
            sentence_of[i] = number
    found = [TaggedAttribution(cue=cue) for cue in cues]
    cue_sentence = [sentence_of[cue[0]] for cue in cues]
    previous: tuple[int, int, bool] | None = None  # (cue, last sentence, quoted) of the last attached run
    for run in _runs(labels, "CON"):
        first, last = sentence_of[run[0]], sentence_of[run[-1]]
        in_quotes = 2 * sum(i in quoted for i in run) > len(run)

        def cost(k: int) -> tuple[int, int]:
            cue = cues[k]
            if first <= cue_sentence[k] <= last:
                gap = 0
            else:
                gap = min(abs(cue_sentence[k] - first), abs(cue_sentence[k] - last))
            distance = min(abs(cue[0] - run[-1]), abs(cue[-1] - run[0]))
            return gap, distance

        best = min(range(len(cues)), key=cost)
        gap = cost(best)[0]
        if gap > 0 and in_quotes and previous is not None and previous[2] and previous[1] >= first - 1:
            best, gap = previous[0], 0  # a quotation running on from the one before, paragraph after paragraph
        if gap == 0 or (gap == 1 and in_quotes):
            found[best].content.append(run)
            previous = (best, last, in_quotes)
    for run in _runs(labels, "SRC"):
        sentence = sentence_of[run[0]]
        near = [k for k in range(len(cues)) if cue_sentence[k] == sentence]
        if not near:
            continue
        best = min(near, key=lambda k: min(abs(cues[k][0] - run[-1]), abs(cues[k][-1] - run[0])))
        if not found[best].source or _distance(run, cues[best]) < _distance(found[best].source, cues[best]):
            found[best].source = run
    return [attribution for attribution in found if attribution.content]


def _distance(run: list[int], cue: list[int]) -> int:
    return min(abs(cue[0] - run[-1]), abs(cue[-1] - run[0]))
