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

import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib import resources
from itertools import pairwise
from typing import TYPE_CHECKING

from ..parse import Columns, token_range
from ..parse import columns as doc_columns
from .lexicon import Lexicon

if TYPE_CHECKING:
    import pycrfsuite
    from spacy.tokens import Doc

    from .reported import Candidate

__all__ = ["TAGGER_FILE", "TaggedAttribution", "Tags", "content_runs", "load_tagger", "paragraphs", "rule_marks",
           "sentence_index", "tag_doc", "tagged_spans", "token_features"]

TAGGER_FILE = "attribution_tagger.crfsuite"
LABELS = ("CUE", "SRC", "CON")
_UP = 12  # how far up the tree to look for a cue
_CHILD_DEPS = {"ccomp", "xcomp", "dobj", "nsubj", "nsubjpass", "agent", "prep", "mark", "parataxis", "advcl"}


def _cue_class(lemma: str, lower: str, pos: str, lexicon: Lexicon) -> str | None:
    if lower == "according":
        return "according"
    if pos in ("VERB", "AUX"):
        if lemma in lexicon.speech:
            return "speech"
        if lemma in lexicon.cognition:
            return "cognition"
        if lemma in lexicon.object_content:
            return "object"
        return None
    if pos == "NOUN" and lemma in lexicon.communication_nouns:
        return "noun"
    return None


def paragraphs(doc: Doc, columns: Columns | None = None) -> list[tuple[int, int]]:
    """Token ranges [start, end) of the paragraphs (text between line breaks), spaces excluded."""
    columns = columns or doc_columns(doc)
    ranges: list[tuple[int, int]] = []
    start = None
    for i, (space, orth) in enumerate(zip(columns.space, columns.orth, strict=True)):
        if space and "\n" in orth:
            if start is not None:
                ranges.append((start, i))
            start = None
        elif start is None:
            start = i
    if start is not None:
        ranges.append((start, len(columns.orth)))
    return ranges


def rule_marks(doc: Doc, candidates: list[Candidate]) -> list[list[str]]:
    """Per token, what the parse rules' candidates (extract.reported) make of it: inside a
    candidate's content (``rc=<rule>``, ``rcg`` when the lexicon rules alone accept it), its cue
    (``rq=``) or its speaker (``rs=``). The tagger reads them as features, so it learns when the
    hand-written analysis is right."""
    import numpy as np  # here, not at the top: ``import claimgraph`` stays light (tests/test_startup.py)

    n = len(doc)
    # per mark, how many ranges cover each token (+1 at a range's start, -1 past its end, summed up):
    # a candidate's content covers many tokens, and the candidates of one cue overlap
    cover: dict[str, np.ndarray] = {}

    def mark(name: str, first: int, stop: int) -> None:
        if stop > first:
            found = cover.get(name)
            if found is None:
                found = cover[name] = np.zeros(n + 1, np.int32)
            found[first] += 1
            found[stop] -= 1

    for candidate in candidates:
        rule = candidate.rule.split(":")[0]
        for start, end in candidate.content:
            tokens = token_range(doc, start, end)
            mark("rc=" + rule, tokens.start, tokens.stop)
            if candidate.gate:
                mark("rcg", tokens.start, tokens.stop)
        for i in candidate.cue:
            mark("rq=" + rule, i, i + 1)
        if candidate.speaker_bounds is not None:
            mark("rs=" + rule, *candidate.speaker_bounds)
    rows: list[list[str] | None] = [None] * n
    for name in sorted(cover):  # in name order: each token's list comes out sorted
        for i in np.flatnonzero(np.cumsum(cover[name][:n]) > 0).tolist():
            row = rows[i]
            if row is None:
                rows[i] = [name]
            else:
                row.append(name)
    unmarked: list[str] = []  # shared by the unmarked tokens: read, never changed
    return [unmarked if row is None else row for row in rows]


def token_features(doc: Doc, quoted: set[int] | frozenset[int], lexicon: Lexicon,
                   columns: Columns | None = None, candidates: list[Candidate] | None = None) -> list[list[str]]:
    """One list of feature names per token of ``doc`` (with the rule ``candidates``' marks when given)."""
    c = columns or doc_columns(doc)
    n = len(c.orth)
    lemmas, lowers, tags, deps, heads = c.lemma, c.lower, c.tag, c.dep, c.head
    classes = [_cue_class(lemma, lower, pos, lexicon)
               for lemma, lower, pos in zip(lemmas, lowers, c.pos, strict=True)]
    shape = [("title" if title else "") + ("punct" if punct else "")
             for title, punct in zip(c.title, c.punct, strict=True)]
    ents = c.ent
    children: list[set[str]] = [set() for _ in range(n)]
    for i, head in enumerate(heads):
        if head != i and deps[i] in _CHILD_DEPS:
            children[head].add(deps[i])
    sentence = [0] * n
    sent_end = [0] * n
    sent_flags: list[tuple[bool, bool]] = []
    starts = [*c.sentence_starts(), n]
    for number, (start, end) in enumerate(pairwise(starts)):
        inside = range(start, end)
        sent_flags.append((any(classes[i] is not None for i in inside), any(i in quoted for i in inside)))
        for i in inside:
            sentence[i] = number
            sent_end[i] = end
    # the strings every token has, built column by column (faster than one by one in the loop)
    fixed = zip(["w=" + x for x in lowers], ["l=" + x for x in lemmas], ["t=" + x for x in tags],
                ["d=" + x for x in deps], ["hl=" + lemmas[h] for h in heads], ["hd=" + deps[h] for h in heads],
                ["ht=" + tags[h] for h in heads],
                ["d|hl=" + dep + "|" + lemmas[h] for dep, h in zip(deps, heads, strict=True)], strict=True)
    near = [(offset, [f"l{offset}={x}" for x in lemmas], [f"t{offset}={x}" for x in tags], f"qn{offset}",
             f"edge{offset}") for offset in (-2, -1, 1, 2)]
    marks = rule_marks(doc, candidates) if candidates is not None else None
    rows: list[list[str]] = []
    for i, strings in enumerate(fixed):
        dep, head = deps[i], heads[i]
        f = ["b", *strings]
        if ents[i]:
            f.append("e=" + ents[i])
        if shape[i]:
            f.append(shape[i])
        cls = classes[i]
        if cls is not None:
            f.append("cue=" + cls)
            f.append("cue=" + cls + "|d=" + dep)
        for relation in sorted(children[i]):
            f.append("ch=" + relation)
            if cls is not None:
                f.append("cue|ch=" + relation)
        hcls = classes[head]
        if hcls is not None and head != i:
            f.append("hcue=" + hcls + "|d=" + dep)
        in_quote = i in quoted
        f.append("q=1" if in_quote else "q=0")
        for offset, near_lemma, near_tag, near_quote, edge in near:
            j = i + offset
            if 0 <= j < n:
                f.append(near_lemma[j])
                f.append(near_tag[j])
                if not in_quote and j in quoted:
                    f.append(near_quote)
            else:
                f.append(edge)
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
        if marks is not None:
            f.extend(marks[i])
        if i == 0 or sentence[i - 1] != sentence[i]:
            f.append("sstart")
        if i == sent_end[i] - 1:
            f.append("send")
        rows.append(f)
    return rows


_THREADS = threading.local()


def load_tagger(path: str | None = None) -> pycrfsuite.Tagger | None:
    """The packaged CRF (or the one at ``path``) as a ``pycrfsuite.Tagger``; ``None`` when no
    weights are packaged. One per thread and path: a tagger holds the sequence it is tagging, so
    threads (the API's request workers) must not share one."""
    loaded: dict[str | None, pycrfsuite.Tagger | None] = _THREADS.__dict__.setdefault("taggers", {})
    if path not in loaded:
        loaded[path] = _open_tagger(path)
    return loaded[path]


def _open_tagger(path: str | None) -> pycrfsuite.Tagger | None:
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


def tag_doc(tagger: pycrfsuite.Tagger, doc: Doc, quoted: set[int], lexicon: Lexicon, *, candidates: list[Candidate],
            roles_at: set[int] | None = None, content_at: set[int] | None = None) -> Tags:
    """Labels and marginals for every token of ``doc`` (spaces are 'O' with probability 0).

    ``candidates``: the parse rules' candidates (see ``rule_marks``). ``roles_at``: the tokens
    whose cue and source marginals will be read, besides those tagged cue or source (the rule
    candidates' cues and speakers); the others keep 0.0, which spares four of the six marginal
    lookups per token. ``None``: every token's. ``content_at``: the tokens whose content marginal
    will be read besides those of paragraphs where the tagger finds anything (the rule candidates'
    contents); a paragraph the tagger leaves all 'O' and that holds none of them keeps 0.0, which
    spares its content lookups. ``None``: every paragraph's.
    """
    columns = doc_columns(doc)
    rows = token_features(doc, quoted, lexicon, columns, candidates)
    n = len(doc)
    tags = Tags(labels=["O"] * n, cue=[0.0] * n, source=[0.0] * n, content=[0.0] * n)
    known = set(tagger.labels())
    marginal = tagger.marginal
    for start, end in paragraphs(doc, columns):
        labels = tagger.tag(rows[start:end])
        tags.labels[start:end] = labels
        if (content_at is not None and roles_at is not None and all(label == "O" for label in labels)
                and not any(k in content_at or k in roles_at for k in range(start - 1, end + 1))):
            continue  # nothing will read this paragraph's marginals
        positions = range(end - start)
        role_positions: Sequence[int]
        if roles_at is None:
            role_positions = positions
        else:
            role_positions = [k for k in positions
                              if start + k in roles_at or (labels[k] != "O" and labels[k][2:] != "CON")]
        for role, column, where in (("CUE", tags.cue, role_positions), ("SRC", tags.source, role_positions)):
            for label in ("B-" + role, "I-" + role):
                if label in known:
                    for k in where:
                        column[start + k] += marginal(label, k)
        content = [label for label in ("B-CON", "I-CON") if label in known]
        if len(content) == 2:  # every token's content marginal: one pass, no per-token indexing
            begin, inside = content
            tags.content[start:end] = [marginal(begin, k) + marginal(inside, k) for k in positions]
        elif content:
            tags.content[start:end] = [marginal(content[0], k) for k in positions]
    return tags


@dataclass(slots=True)
class TaggedAttribution:
    """One attribution read off the tags: token indices of its cue, source and content."""

    cue: list[int]
    source: list[int] = field(default_factory=list)
    content: list[list[int]] = field(default_factory=list)


def _runs(labels: list[str], kind: str) -> list[list[int]]:
    runs: list[list[int]] = []
    begin, inside = "B-" + kind, "I-" + kind
    for i, label in enumerate(labels):
        if label == begin or (label == inside and (not runs or runs[-1][-1] != i - 1)):
            runs.append([i])
        elif label == inside:
            runs[-1].append(i)
    return runs


def tagged_spans(labels: list[str], doc: Doc, quoted: set[int] | frozenset[int] = frozenset(),
                 sentence_of: dict[int, int] | None = None) -> list[TaggedAttribution]:
    """Group the tagged runs into attributions: each content run joins the nearest cue in its
    sentence (a quotation may also join the cue of the sentence before or after: "“A,” she said.
    “B.”"), each cue takes the nearest source in its sentence."""
    cues = _runs(labels, "CUE")
    if not cues:
        return []
    sentence_of = sentence_of if sentence_of is not None else sentence_index(doc)
    found = [TaggedAttribution(cue=cue) for cue in cues]
    cue_sentence = [sentence_of[cue[0]] for cue in cues]
    previous: tuple[int, int, bool] | None = None  # (cue, last sentence, quoted) of the last attached run
    for run in content_runs(labels, doc, quoted, sentence_of):
        first, last = sentence_of[run[0]], sentence_of[run[-1]]
        in_quotes = 2 * sum(i in quoted for i in run) > len(run)

        def cost(k: int) -> tuple[int, int]:  # called only in this iteration: the loop variables are current
            if first <= cue_sentence[k] <= last:  # noqa: B023
                gap = 0
            else:
                gap = min(abs(cue_sentence[k] - first), abs(cue_sentence[k] - last))  # noqa: B023
            return gap, _distance(run, cues[k])  # noqa: B023

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
        best = min(near, key=lambda k: _distance(run, cues[k]))
        if not found[best].source or _distance(run, cues[best]) < _distance(found[best].source, cues[best]):
            found[best].source = run
    return [attribution for attribution in found if attribution.content]


def content_runs(labels: list[str], doc: Doc, quoted: set[int] | frozenset[int] = frozenset(),
                 sentence_of: dict[int, int] | None = None) -> list[list[int]]:
    """The tagged content runs (token indices), cut where a new sentence opens or closes a quotation."""
    return _split_at_quotes(_runs(labels, "CON"), sentence_of if sentence_of is not None else sentence_index(doc),
                            quoted)


def sentence_index(doc: Doc) -> dict[int, int]:
    """Token index -> number of its sentence."""
    starts = doc_columns(doc).sentence_starts()
    return {i: number for number, (start, end) in enumerate(pairwise([*starts, len(doc)]))
            for i in range(start, end)}


def _split_at_quotes(runs: list[list[int]], sentence_of: dict[int, int], quoted: set[int] | frozenset[int]
                     ) -> list[list[int]]:
    """Cut a run where a new sentence opens or closes a quotation: "... stalled again. “We are
    not giving up,” the minister said" holds two contents, whatever the tags say."""
    result: list[list[int]] = []
    for run in runs:
        current = [run[0]]
        for previous, i in pairwise(run):
            # an opening mark is not inside its quotation: the word after it is
            if sentence_of[i] != sentence_of[previous] and (i in quoted or i + 1 in quoted) != (previous in quoted):
                result.append(current)
                current = []
            current.append(i)
        result.append(current)
    return result


def _distance(run: list[int], cue: list[int]) -> int:
    return min(abs(cue[0] - run[-1]), abs(cue[-1] - run[0]))
