"""The sequence tagger's attributions as candidates, with other readings of each (narrower, or
widened to the whole clause) for the selector to weigh."""
from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from ..parse import columns, subtree
from .drafts import Draft, same_speaker, shared_chars, span_length
from .lexicon import Lexicon, load_lexicon
from .reported import cue_auxiliaries, np_bounds, subject_of, token_segments
from .speakers import SpeakerResolver
from .tagger import TaggedAttribution, Tags, content_runs, sentence_index, tagged_spans

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

__all__ = ["tagged_drafts"]

_NOMINAL = {"NOUN", "PROPN", "PRON", "NUM"}
# a tagged source that is one of these words alone is nobody ("That said, ...", "What they said"); the
# parse rules' subject check drops the same words (reported._PRONOUN_STOP, where "it", "which" and
# "who" also stand: the tagger's "it said" and "officials, who said" are resolved instead)
_NOBODY = {"that", "this", "there", "what"}


def tagged_drafts(tags: Tags, drafts: list[Draft], doc: Doc, resolver: SpeakerResolver, text: str,
                   quoted: set[int], lexicon: Lexicon | None = None) -> list[Draft]:
    """The tagger's attributions as candidates, with other readings of each for the selector to
    weigh (see ``_tagged_readings``). A tagged
    content whose cue a rule candidate shares is also offered with that candidate's speaker; one
    the tagger gives no source is also offered with its cue's grammatical subject ("She referred
    to X but was careful not to link it ...": the tagger may cut one attribution in two and leave
    the second without its source). Each rule candidate learns how far the tagger's content agrees
    with its own (``agree``)."""
    lexicon = lexicon or load_lexicon()
    heads = columns(doc).head
    found: list[Draft] = []
    seen: set[tuple[tuple[tuple[int, int], ...], int | None]] = set()  # (content, speaker start)
    rules = [(d.content[0][0], d.content[-1][1], span_length(d.content), d) for d in drafts]
    by_cue: dict[int, list[Draft]] = {}
    for d in drafts:
        if d.cue and d.speaker is not None:
            for i in d.cue:
                by_cue.setdefault(i, []).append(d)
    sentence_of = sentence_index(doc)
    for run in content_runs(tags.labels, doc, quoted, sentence_of):
        # a content the tagger reads, with or without a cue of its own ("Moscow's position remains that ...")
        segments = token_segments(doc, set(run))
        if segments:
            _agree(segments, rules)
    for tagged in tagged_spans(tags.labels, doc, quoted, sentence_of):
        speaker = None
        if tagged.source:
            bounds = _noun_phrase(doc, tagged.source[0], tagged.source[-1] + 1)
            if bounds[1] - bounds[0] == 1 and doc[bounds[0]].lower_ in _NOBODY:
                continue  # "That said, ...": as the parse rules, no claim with this subject
            speaker = resolver.resolve(doc[bounds[0]:bounds[1]].root, bounds)
            if bounds[0] < tagged.source[0]:  # the phrase's first words are the speaker's, not content
                runs = [[i for i in run if not bounds[0] <= i < bounds[1]] for run in tagged.content]
                tagged = replace(tagged, content=[run for run in runs if run])
                if not tagged.content:
                    continue
        cue = sorted(set(tagged.cue).union(*(cue_auxiliaries(doc[i]) for i in tagged.cue)))
        first = doc[cue[0]]
        subject = _cue_subject(tagged, doc, lexicon) if speaker is None else None
        parsed = resolver.resolve(subject, np_bounds(subject)) if subject is not None else None
        sharing = next((d for i in tagged.cue for d in by_cue.get(i, ()) if not same_speaker(d.speaker, speaker)),
                       None)
        for rule, runs in _tagged_readings(tagged, doc, heads):
            content = [segment for run in runs for segment in token_segments(doc, set(run))]
            key = (tuple(content), speaker.start if speaker is not None else None)
            if not content or key in seen:
                continue
            seen.add(key)
            draft = Draft(cue=list(cue), content=content, rule=rule, speaker=speaker,
                           sentences={first.sent.start}, gate=False, cue_at=first.idx, agree=1.0)
            length, start, end = span_length(content), content[0][0], content[-1][1]
            duplicate = False
            for other_start, other_end, other_length, other in rules:
                if other_start >= end or other_end <= start:
                    continue
                overlap = _dice(content, length, other.content, other_length)
                if rule == "tagger":
                    other.agree = max(other.agree, overlap)
                duplicate = duplicate or (overlap >= 0.95 and same_speaker(speaker, other.speaker))
            if not duplicate:
                found.append(draft)
            if sharing is not None:
                found.append(replace(draft, speaker=sharing.speaker, rule=rule + "+rule_speaker", relays=[],
                                     sentences=set(draft.sentences)))
            if parsed is not None:
                found.append(replace(draft, speaker=parsed, rule=rule + "+parse_speaker", relays=[],
                                     sentences=set(draft.sentences)))
    return found


def _cue_subject(tagged: TaggedAttribution, doc: Doc, lexicon: Lexicon) -> Token | None:
    """The grammatical subject of the verb that carries the tagged cue (the cue itself, or the verb a
    cue noun or adjective hangs from: "is lending his support to", "was careful not to"), outside
    the content and the cue; None when there is none or it names nobody."""
    inside = set(tagged.cue).union(*tagged.content)
    for i in tagged.cue:
        verb = doc[i]
        for _ in range(2):
            if verb.pos_ in ("VERB", "AUX") or verb.head is verb:
                break
            verb = verb.head
        if verb.pos_ not in ("VERB", "AUX"):
            continue
        subject = subject_of(verb, lexicon)
        if subject is not None and subject.i not in inside and subject.lower_ not in _NOBODY \
                and subject.sent == verb.sent:
            return subject
    return None


def _noun_phrase(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """The tagged source ``doc[start:end]`` as the whole noun phrase the parse gives it: reaching its
    noun when the tagger stopped at a word that only modifies one ("The | claim positions ...":
    a determiner is nobody, the phrase may be someone, or an idea, which the abstract-speaker check
    then drops), and its left modifiers when the tagger began inside the phrase ("North | Korea's
    military said": the speaker is the military of North Korea; as far as ``reported.np_bounds``
    takes a speaker's phrase)."""
    root = doc[start:end].root
    head = root.head
    if root.pos_ not in _NOMINAL and head.pos_ in _NOMINAL and head.i >= end and head.sent == root.sent:
        end, root = head.i + 1, head
    if root.pos_ in _NOMINAL:
        start = min(start, np_bounds(root)[0])  # the parse rules' speaker phrase, its left side
    return start, end


def _agree(segments: list[tuple[int, int]], rules: list[tuple[int, int, int, Draft]]) -> None:
    length, start, end = span_length(segments), segments[0][0], segments[-1][1]
    for other_start, other_end, other_length, other in rules:
        if other_start < end and start < other_end:
            other.agree = max(other.agree, _dice(segments, length, other.content, other_length))


def _dice(a: list[tuple[int, int]], a_length: int, b: list[tuple[int, int]], b_length: int) -> float:
    """Dice overlap of two contents (their lengths in characters given)."""
    return 2 * shared_chars(a, b) / (a_length + b_length or 1)


def _tagged_readings(tagged: TaggedAttribution, doc: Doc, heads: list[int]) -> list[tuple[str, list[list[int]]]]:
    """The tagged content as one attribution, and other readings of it: narrower (each run on its
    own, the part in the cue's sentence) and syntactic (a run that stops inside a clause, widened
    to the whole clause)."""
    addressee = _addressees(tagged.cue, doc)
    if addressee:
        tagged = replace(tagged, content=[kept for kept in ([i for i in run if i not in addressee]
                                                            for run in tagged.content) if kept])
        if not tagged.content:
            return []
    readings = [("tagger", tagged.content)]
    if len(tagged.content) > 1:
        readings += [("tagger:run", [run]) for run in tagged.content]
    sentence = doc[tagged.cue[0]].sent
    inside = [[i for i in run if sentence.start <= i < sentence.end] for run in tagged.content]
    inside = [run for run in inside if run]
    if inside and inside != tagged.content:
        readings.append(("tagger:sentence", inside))
    widened = [_whole_clause(run, doc, set(tagged.cue), heads) for run in tagged.content]
    if widened != tagged.content:
        readings.append(("tagger:clause", widened))
    return readings


def _addressees(cue: list[int], doc: Doc) -> set[int]:
    """Who is told, not what: "told Al Jazeera that ...", "assured them that ..."."""
    found: set[int] = set()
    for i in cue:
        children = list(doc[i].children)
        if not any(child.dep_ == "ccomp" for child in children):
            continue
        for child in children:
            if child.dep_ in ("dative", "iobj", "dobj") and child.i < max(c.i for c in children if c.dep_ == "ccomp"):
                found.update(subtree(child))
    return found


def _whole_clause(run: list[int], doc: Doc, cue: set[int], heads: list[int]) -> list[int]:
    """``run`` widened to the subtree of its top token when the tree shows it stopping short
    (at most tripling it, never over the cue or out of the sentence)."""
    inside = set(run)
    tops = [i for i in run if heads[i] not in inside or heads[i] == i]
    if len(tops) != 1:
        return run
    top = doc[tops[0]]
    first, last = top.left_edge.i, top.right_edge.i  # a subtree of a projective parse is contiguous
    size = last - first + 1
    if size <= len(run) or size > 3 * len(run) or any(first <= i <= last for i in cue):
        return run
    sentence = top.sent
    if first < sentence.start or last >= sentence.end:
        return run
    tokens = sorted(subtree(top))
    return tokens if len(tokens) == size else run
