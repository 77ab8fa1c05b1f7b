"""Attributed claims from a parsed article: direct quotes + reported speech, speakers resolved,
reporting chains attached.

``extract_claims(article, spacy_doc)`` is the step; its parts live in ``quotes`` (character-level
quotations), ``reported`` (cues on the parse), ``speakers`` (resolution) and ``chains``.
"""
from __future__ import annotations

import bisect
import enum
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, Final

from ..actors import actor_record
from ..errors import Messages
from ..events import code_claim_events
from ..events.stance import target_stance
from ..parse import columns, segment_tokens, token_range
from ..records import Article, Claim, ClaimKind, Failure, Mention, Reporter, TextSpan, stable_id
from ..versions import versioned
from .chains import Relay, dateline_end, find_relays, find_wire
from .drafts import Draft, merge_segments, overlaps
from .features import draft_features, sibling_features
from .lexicon import Lexicon, load_lexicon
from .model import Selector, load_model
from .quotes import Quote, find_quotes
from .relayed import (
    anonymity_condition,
    block_quotes,
    drop_headline_guesses,
    drop_media_contents,
    drop_title_claims,
    mark_anonymous,
    reattribute,
    skip_dateline,
    speakers_over_relays,
    trim_relays,
)
from .reported import Candidate, find_candidates, np_bounds, token_segments
from .select import drop_nested, select_drafts
from .speakers import SpeakerResolver
from .tagged import tagged_drafts
from .tagger import Tags, load_tagger, tag_doc
from .thresholds import (
    CONTINUATION_MAX_GAP_CHARS,
    CONTINUATION_MAX_LINE_BREAKS,
    DIRECT_SHARE,
    MIN_QUOTE_WORDS,
    TITLE_WORDS,
)

if TYPE_CHECKING:
    import pycrfsuite
    from spacy.tokens import Doc

    from ..events import EventCode

__all__ = ["extract_claims", "find_drafts", "candidate_features", "select_drafts", "quoted_chars", "quoted_tokens",
           "METHOD", "RULES_METHOD", "ACCURATE_METHOD", "extract_method"]

METHOD = "claimgraph.extract.selector.v8"  # candidates from the parse, chosen by the trained selector
RULES_METHOD = "claimgraph.extract.rules.v6"  # the lexicon rules alone (model=None)
ACCURATE_METHOD = "claimgraph.extract.encoder.v8"  # the selector on the fine-tuned encoder's tags (extract.encoded)


class _Default(enum.Enum):
    PACKAGED = enum.auto()  # extract_claims' default model: the packaged selector


_PACKAGED: Final = _Default.PACKAGED
# lower-case words a title in Title Case keeps ("Born in the USA", "War and Peace")
_TITLE_SMALL_WORDS = {"a", "an", "the", "and", "or", "but", "nor", "of", "in", "on", "at", "to", "for", "by",
                      "with", "from", "as", "into", "over"}
_SOURCE_NOUNS = {"assertion", "claim", "statement", "remark", "comment", "accusation", "allegation",
                 "warning", "criticism", "announcement", "message", "words", "word", "argument"}


def extract_method(*, rules: bool = False, accurate: bool = False) -> str:
    """The method stored with the claims this code and the packaged data files make: ``METHOD``
    (``RULES_METHOD`` with ``rules``, ``ACCURATE_METHOD`` with ``accurate``: the encoder's tags in
    place of the CRF's) and the extract stage's version (``claimgraph.versions``)."""
    if accurate:
        return versioned(ACCURATE_METHOD, "extract-accurate")
    return versioned(RULES_METHOD if rules else METHOD, "extract")


def extract_claims(article: Article, spacy_doc: Doc, *, lexicon: Lexicon | None = None,
                   model: Selector | _Default | None = _PACKAGED, tags: Tags | None = None) -> list[Claim]:
    """The attributed claims of ``article`` (parsed as ``spacy_doc``), in text order.

    Candidates come from the parse and the quotes; the packaged selector model (or ``model``)
    scores them and keeps the best non-overlapping ones. ``model=None`` uses the lexicon rules
    alone. Unmatched quotation marks are recorded as warnings on ``article.failures``. ``tags``: a
    sequence tagger's reading of the document to use in place of the packaged CRF's (the accurate
    mode passes the fine-tuned encoder's, ``extract.encoded``).
    """
    lexicon = lexicon or load_lexicon()
    model = load_model() if model is _PACKAGED else model
    tagger = load_tagger() if model is not None and model.info.get("tagger") and tags is None else None
    found = find_drafts(article, spacy_doc, lexicon=lexicon, tagger=tagger, tags=tags if model is not None else None,
                        short_quotes=model is not None and bool(model.info.get("short_quotes")))
    if model is None:  # rules only: the lexicon decides
        drafts = drop_nested([d for d in found.drafts if d.gate], spacy_doc)
    else:
        score_drafts(found, spacy_doc, model=model, lexicon=lexicon)
        drafts = select_drafts(found.drafts, spacy_doc, threshold=model.threshold)
    _refine_sources(drafts, spacy_doc, found.resolver, lexicon)
    # the article's text is the document's (every offset relies on it): spaCy's doc.text would join it anew
    drafts = block_quotes(reattribute(drafts, found.drafts, spacy_doc, found.resolver, lexicon, text=article.text),
                          spacy_doc, found.resolver, lexicon, text=article.text)
    skip_dateline(drafts, spacy_doc, found.resolver, dateline_end(article.text))
    drafts = drop_headline_guesses(drop_title_claims(drafts, article.text, article.title), spacy_doc, article.text,
                                   article.title, lexicon)
    inside = quoted_chars(article.text, found.quotes)
    drafts = _without_speaker_words(drafts, spacy_doc, inside)
    relays = find_relays(spacy_doc, lexicon, cues={i for d in drafts for i in d.cue})
    drafts = drop_media_contents(drafts, relays, spacy_doc)
    speakers_over_relays(drafts, relays, spacy_doc, found.resolver, lexicon)
    for draft in drafts:
        if draft.speaker is not None:
            draft.speaker = mark_anonymous(found.resolver.enrich(draft.speaker), spacy_doc, lexicon)
    trim_relays(drafts, relays, spacy_doc)
    _attach_relays(drafts, relays)
    for draft in drafts:
        draft.content = _without_trailing_commas(draft.content, article.text)
    method = extract_method(rules=model is None, accurate=tags is not None and model is not None)
    wire = find_wire(article.text)
    return [_claim(article, d, inside, spacy_doc, found.resolver, method, wire) for d in drafts]


@dataclass(slots=True)
class Found:
    """Every attribution candidate of one article, before selection."""

    drafts: list[Draft]
    quotes: list[Quote]
    resolver: SpeakerResolver
    text: str
    tags: Tags | None = None


def find_drafts(article: Article, spacy_doc: Doc, *, lexicon: Lexicon, tagger: pycrfsuite.Tagger | None = None,
                tags: Tags | None = None, short_quotes: bool = False) -> Found:
    """All candidates (cues on the parse, quotes attached, quote continuations, and the sequence
    tagger's attributions when ``tagger`` or its output ``tags`` is given), in text order.

    A candidate whose content is only a short quotation ("Absolutely," he said; a scare quote) is
    dropped, or with ``short_quotes`` kept and marked (``Draft.short``) for a selector trained with
    them to weigh: a one-word answer is a claim, a scare quote is not. A title ("Born in the USA")
    is dropped either way."""
    scan = find_quotes(article.text)
    for mark, position in scan.unmatched:
        article.failures.append(Failure(step="extract", code="CG201", level="warning", source=article.source,
                                        message=Messages.CG201.format(mark=mark, position=position)))
    quotes = scan.quotes
    resolver = SpeakerResolver(spacy_doc, lexicon, date=article.published)
    quoted = quoted_tokens(spacy_doc, quotes)
    candidates = find_candidates(spacy_doc, lexicon, quoted=quoted)
    drafts = [_draft(candidate, spacy_doc, resolver) for candidate in candidates]
    used = _attach_quotes([d for d in drafts if d.gate], quotes, spacy_doc, article.text)
    short = _short_quotes(quotes, article.text)
    drafts = [d for d in drafts if d.content and not _abstract_speaker(d, lexicon)
              and not anonymity_condition(d, spacy_doc, lexicon)]
    drafts, set_aside = _set_aside_short(drafts, article.text, short)
    drafts += _continuations([d for d in drafts if d.gate], quotes, used, article.text)
    if tags is None and tagger is not None:
        tags = tag_doc(tagger, spacy_doc, quoted, lexicon, candidates=candidates,
                       roles_at=_role_tokens(drafts, spacy_doc), content_at=_content_tokens(drafts, spacy_doc))
    if tags is not None:
        tagged, tagged_aside = _set_aside_short(
            [d for d in tagged_drafts(tags, drafts, spacy_doc, resolver, article.text, quoted, lexicon)
             if not _abstract_speaker(d, lexicon) and not anonymity_condition(d, spacy_doc, lexicon)],
            article.text, short)
        drafts += tagged
        set_aside += tagged_aside
    if short_quotes:
        drafts += set_aside
    drafts.sort(key=lambda d: d.start)
    return Found(drafts=drafts, quotes=quotes, resolver=resolver, text=article.text, tags=tags)


def _role_tokens(drafts: list[Draft], doc: Doc) -> set[int]:
    """The cue and speaker tokens of the rule candidates: where the selector reads the tagger's
    cue and source marginals (besides the tokens the tagger itself labels cue or source)."""
    tokens: set[int] = set()
    for draft in drafts:
        tokens.update(draft.cue)
        if draft.speaker is not None:
            tokens.update(token_range(doc, draft.speaker.start, draft.speaker.end))
    return tokens


def _content_tokens(drafts: list[Draft], doc: Doc) -> set[int]:
    """The content tokens of the rule candidates: where the selector reads the tagger's content
    marginals (besides the paragraphs where the tagger itself finds an attribution)."""
    return {i for draft in drafts for i in segment_tokens(doc, draft.content)}


def quoted_chars(text: str, quotes: list[Quote]) -> bytearray:
    """1 for every character inside a quotation, else 0."""
    inside = bytearray(len(text))
    for quote in quotes:
        for start, end in quote.segments:
            inside[start:end] = b"\x01" * (end - start)
    return inside


def candidate_features(found: Found, doc: Doc, *, lexicon: Lexicon) -> list[dict[str, float]]:
    """The selector's features of each candidate, in ``found.drafts`` order: its own, and how it
    compares with the other readings of the same cue."""
    text = found.text
    inside = quoted_chars(text, found.quotes)
    readings: dict[tuple[int, ...], list[Draft]] = {}
    for draft in found.drafts:
        if draft.cue:
            readings.setdefault(tuple(draft.cue), []).append(draft)
    rows = []
    for draft in found.drafts:
        features = draft_features(draft, doc, text, inside, lexicon, found.tags)
        if found.tags is not None:
            sibling_features(features, draft, readings.get(tuple(draft.cue), [draft]))
        rows.append(features)
    return rows


def score_drafts(found: Found, doc: Doc, *, model: Selector, lexicon: Lexicon) -> None:
    """Set ``draft.score``: the model's probability that the candidate is an attribution."""
    probabilities = model.probabilities(candidate_features(found, doc, lexicon=lexicon))
    for draft, probability in zip(found.drafts, probabilities, strict=True):
        draft.score = probability


def quoted_tokens(doc: Doc, quotes: list[Quote]) -> set[int]:
    """Indices of the tokens inside a quotation."""
    from spacy.attrs import IDX

    starts = doc.to_array(IDX).tolist() if len(doc) else []
    inside: set[int] = set()
    for quote in quotes:
        for seg_start, seg_end in quote.segments:
            first = bisect.bisect_left(starts, seg_start)
            last = bisect.bisect_left(starts, seg_end)
            inside.update(range(first, last))
    return inside


def _draft(candidate: Candidate, doc: Doc, resolver: SpeakerResolver) -> Draft:
    speaker = None
    if candidate.speaker is not None and candidate.speaker_bounds is not None:
        speaker = resolver.resolve(doc[candidate.speaker], candidate.speaker_bounds)
    first = doc[candidate.cue[0]]
    return Draft(cue=candidate.cue, content=list(candidate.content), rule=candidate.rule,
                  speaker=speaker, sentences={first.sent.start}, gate=candidate.gate, cue_at=first.idx)


def _attach_quotes(drafts: list[Draft], quotes: list[Quote], doc: Doc, text: str) -> set[int]:
    """Extend contents to the whole quotation they touch; give quote-less cues their quote."""
    used: set[int] = set()
    for number, quote in enumerate(quotes):
        inner = [(s, e) for s, e in quote.segments if e > s]
        for draft in drafts:
            if quote.start <= draft.cue_at < quote.end:
                continue
            if draft.content and overlaps(draft.content, inner):
                draft.content = merge_segments(draft.content + inner)
                used.add(number)
    for draft in drafts:
        if draft.content:
            continue
        sentence = doc[draft.cue[0]].sent
        best = None
        for number, quote in enumerate(quotes):
            if number in used or _words(quote, text) < MIN_QUOTE_WORDS:
                continue
            # in the cue's sentence, or opening right after it ("X said: <newline> “...”")
            if quote.start < sentence.end_char + 3 and quote.end > sentence.start_char:
                distance = min(abs(quote.start - draft.cue_at), abs(quote.end - draft.cue_at))
                if best is None or distance < best[0]:
                    best = (distance, number)
        if best is not None:
            draft.content = [(s, e) for s, e in quotes[best[1]].segments if e > s]
            used.add(best[1])
    # a quote split by its cue: "“A,” the minister said, “B.”" -- B continues A
    for draft in drafts:
        if not draft.content or not draft.cue:
            continue
        last = doc[draft.cue[-1]]
        after = max(last.idx + len(last.text), draft.speaker.end if draft.speaker else 0)
        for number, quote in enumerate(quotes):
            if (number not in used and after <= quote.start <= after + 3
                    and text[after:quote.start].strip() in ("", ",")):
                draft.content = merge_segments(draft.content + [(s, e) for s, e in quote.segments if e > s])
                used.add(number)
    return used


def _abstract_speaker(draft: Draft, lexicon: Lexicon) -> bool:
    """'The claim positions the US as ...': an idea is the subject, nobody is speaking."""
    speaker = draft.speaker
    if speaker is None or speaker.actor is None or speaker.actor.kind != "GROUP":
        return False
    words = speaker.actor.name.lower().split()
    return bool(words) and words[-1] in lexicon.abstract_subjects


def _short_quotes(quotes: list[Quote], text: str) -> tuple[set[int], set[int], set[int]]:
    """Characters (marks included) of quotations that are titles (in Title Case, fewer than
    TITLE_WORDS words: "Born in the USA"), of all short ones (fewer than MIN_QUOTE_WORDS), and of
    the titles of two words or more (one capitalised word may as well be an answer: "Absolutely,"
    he said)."""
    titles: set[int] = set()
    short: set[int] = set()
    named: set[int] = set()
    for quote in quotes:
        n_words = _words(quote, text)
        if n_words >= TITLE_WORDS:
            continue
        inner = [(s, e) for s, e in quote.segments if e > s]
        chars = {i for s, e in inner for i in range(s - 1, e + 1)}
        words = [w for s, e in inner for w in text[s:e].split() if w[:1].isalpha()]
        if n_words < MIN_QUOTE_WORDS:
            short |= chars
        if words and words[0][0].isupper() and all(w[0].isupper() or w.lower() in _TITLE_SMALL_WORDS for w in words):
            titles |= chars
            if len(words) > 1:
                named |= chars
    return titles, short | titles, named


def _title_only(draft: Draft, text: str, titles: set[int], short: set[int]) -> bool:
    """Content that is a title or a scare quote, not a claim: once short quotations in Title Case
    (and, unless a clause introduces them, any short quotation) are set aside, fewer than
    MIN_QUOTE_WORDS words remain."""
    covered = titles if draft.rule.split(":")[0] in ("complement", "parenthetical") else short
    if not covered or not any(i in covered for s, e in draft.content for i in range(s, e)):
        return False
    rest = "".join(text[i] if i not in covered else " " for s, e in draft.content for i in range(s, e))
    return len(rest.split()) < MIN_QUOTE_WORDS


def _set_aside_short(drafts: list[Draft], text: str, quotes: tuple[set[int], set[int], set[int]]
                     ) -> tuple[list[Draft], list[Draft]]:
    """``drafts`` split into those kept and those whose content is only a short quotation
    (``_title_only``); of the latter, a title of two words or more is dropped ("Born in the USA"),
    the rest is set aside marked ``short`` (a scare quote, or an answer: "Absolutely,")."""
    titles, short, named = quotes
    kept: list[Draft] = []
    aside: list[Draft] = []
    for draft in drafts:
        if not _title_only(draft, text, titles, short):
            kept.append(draft)
        elif not any(i in named for s, e in draft.content for i in range(s, e)):
            draft.short = True
            aside.append(draft)
    return kept, aside


def _words(quote: Quote, text: str) -> int:
    return sum(len(text[s:e].split()) for s, e in quote.segments)


def _continuations(drafts: list[Draft], quotes: list[Quote], used: set[int], text: str) -> list[Draft]:
    """A paragraph-long quote with no cue continues the quote of the previous speaker."""
    found: list[Draft] = []
    speaking = sorted((d for d in drafts if d.speaker is not None), key=lambda d: d.start)
    for number, quote in enumerate(quotes):
        if number in used or any(overlaps(d.content, quote.segments) for d in drafts):
            continue
        if _words(quote, text) < MIN_QUOTE_WORDS:
            continue
        line_start = text.rfind("\n", 0, quote.start) + 1
        before = text[line_start:quote.start].rstrip()
        if before and not before.endswith((".", "!", "?", "\u201d", '"', ":")):
            continue  # the quote is inside a sentence of narrative: not a stand-alone continuation
        previous = [d for d in speaking if d.start < quote.start]
        if not previous:
            continue
        last = previous[-1]
        gap = text[last.content[-1][1]:quote.start]
        breaks = gap.count("\n\n") + (gap.count("\n") - 2 * gap.count("\n\n"))
        if breaks > CONTINUATION_MAX_LINE_BREAKS or len(gap) > CONTINUATION_MAX_GAP_CHARS:
            continue
        found.append(Draft(cue=[], content=[(s, e) for s, e in quote.segments if e > s],
                            rule="quote_continuation", speaker=last.speaker, sentences=set(last.sentences)))
    return found


def _without_speaker_words(drafts: list[Draft], doc: Doc, inside: bytearray) -> list[Draft]:
    """A content that opens with its own speaker's words loses them (the tagger may read "his" of "his
    claim that the vote was rigged" into the content it gives the speaker "his"), and a piece of
    content that is nothing but them goes ("“The plan will fail,” said the minister": a tagger may
    read "the minister" as a second piece of the quotation's content); a draft left with no content
    goes. Not inside a quotation (``inside``: ``quoted_chars``), whose words stay as written, nor for
    a speaker inside a piece of content (a wrong speaker, not a wrong content)."""
    kept = []
    for draft in drafts:
        speaker = draft.speaker
        if speaker is None or any(inside[speaker.start:speaker.end]):
            kept.append(draft)
            continue
        if len(draft.content) > 1:
            draft.content = [(start, end) for start, end in draft.content
                             if not speaker.start <= start < end <= speaker.end]
            if not draft.content:
                continue
        # a piece that opens with the speaker's words ("“We will rebuild,” vowed the mayor, promising ...")
        if any(speaker.start <= start < speaker.end for start, _ in draft.content):
            words = set(token_range(doc, speaker.start, speaker.end))
            content = segment_tokens(doc, draft.content)
            words |= {i for i in content if doc[i].tag_ == "POS" and doc[i].head.i in words}  # "Trump's claim"
            draft.content = token_segments(doc, content - words)
            if not draft.content:
                continue
        kept.append(draft)
    return kept


def _without_trailing_commas(segments: list[tuple[int, int]], text: str) -> list[tuple[int, int]]:
    """Content pieces without the comma that closes them inside a quotation ("“The plan will fail,”
    said the minister": the comma is the sentence's, not the minister's)."""
    trimmed = []
    for start, end in segments:
        while end > start and text[end - 1] in ", \t\n":
            end -= 1
        if end > start:
            trimmed.append((start, end))
    return trimmed or segments


def _refine_sources(drafts: list[Draft], doc: Doc, resolver: SpeakerResolver, lexicon: Lexicon) -> None:
    """'... the ministry asserted X. The assertion came from Sergei Lavrov' -> Lavrov speaks."""
    table = columns(doc)
    comes = [i for i, (lemma, pos) in enumerate(zip(table.lemma, table.pos, strict=True))
             if lemma == "come" and pos == "VERB"]
    for i in comes:
        token = doc[i]
        if token.lemma_ != "come":
            continue
        subject = next((c for c in token.children if c.dep_ == "nsubj"), None)
        source = next((g for c in token.children if c.dep_ == "prep" and c.lower_ == "from"
                       for g in c.children if g.dep_ == "pobj"), None)
        if subject is None or source is None or subject.lemma_.lower() not in _SOURCE_NOUNS:
            continue
        earlier = [d for d in drafts if d.cue and d.cue[0] < token.i
                   and d.cue[0] >= resolver.sentences_back(token.i, 2)]
        if earlier:
            target = earlier[-1]
            target.speaker = resolver.resolve(source, np_bounds(source))
            target.sentences.add(token.sent.start)


def _attach_relays(drafts: list[Draft], relays: list[Relay]) -> None:
    """Each claim's chain: the links named in its sentences, the one deepest in the parse (nearest
    the speaker: "NBC reported that Sky News quoted ...") first."""
    by_speaker: dict[str, list[Relay]] = {}
    for draft in drafts:  # a link the selection gave (an outlet's own claim dropped) and the parse reads too
        draft.relays = [r for r in draft.relays
                        if not any(f.start <= r.end + 1 and r.start <= f.end + 1 for f in relays)]
    for relay in sorted(relays, key=lambda r: (-r.depth, r.start)):
        for draft in drafts:
            if relay.sentence not in draft.sentences:
                continue
            if draft.speaker is not None and draft.speaker.start <= relay.start < draft.speaker.end:
                continue  # the outlet is the speaker itself
            if any(s <= relay.start < e for s, e in draft.content):
                continue
            if _link_key(relay.name) not in {_link_key(r.name) for r in draft.relays}:
                draft.relays.append(relay)
            if draft.speaker is not None and draft.speaker.actor is not None \
                    and draft.speaker.actor.kind == "PERSON":
                by_speaker.setdefault(draft.speaker.actor.key, []).append(relay)
    # an outlet named as relaying a person relays that person's later words in the article too
    for draft in drafts:
        if draft.relays or draft.speaker is None or draft.speaker.actor is None:
            continue
        for relay in by_speaker.get(draft.speaker.actor.key, []):
            if relay.start < draft.start and relay.name not in {r.name for r in draft.relays}:
                draft.relays.append(relay)


def _link_key(name: str) -> str:
    """'The BBC' and 'BBC' are one link."""
    return name.casefold().removeprefix("the ")


def _claim(article: Article, draft: Draft, inside: bytearray, doc: Doc, resolver: SpeakerResolver,
           method: str, wire: tuple[str, int, int] | None = None) -> Claim:
    text = article.text
    content = tuple(TextSpan(text=text[s:e], start=s, end=e) for s, e in draft.content)
    cue = None
    if draft.cue:
        first, last = doc[draft.cue[0]], doc[draft.cue[-1]]
        cue = TextSpan(text=text[first.idx:last.idx + len(last.text)], start=first.idx,
                       end=last.idx + len(last.text))
    reported_by = [Reporter(name=r.name, role=r.role, start=r.start, end=r.end) for r in draft.relays]
    if wire is not None and wire[0].casefold() not in {r.name.casefold() for r in reported_by}:
        reported_by.append(Reporter(name=wire[0], role="wire", start=wire[1], end=wire[2]))
    events = _claim_events(draft, doc, article.published)
    if article.outlet:
        reported_by.append(Reporter(name=article.outlet, role="publisher"))
    return Claim(
        id=stable_id(article.id, draft.content, draft.speaker.start if draft.speaker else None),
        article_id=article.id,
        speaker=draft.speaker,
        cue=cue,
        content=content,
        kind=_kind(draft.content, inside, text),
        reported_by=tuple(reported_by),
        targets=_with_stances(_targets(draft, doc, resolver), [e.to_dict() for e in events], content,
                              draft.speaker),
        events=tuple(event.to_dict() for event in events),
        confidence=round(draft.score, 4),
        method=f"{method}#{draft.rule}",
    )


def _with_stances(targets: tuple[Mention, ...], events: list[dict[str, Any]], content: tuple[TextSpan, ...],
                  speaker: Mention | None) -> tuple[Mention, ...]:
    speaker_code = speaker.actor.country if speaker is not None and speaker.actor is not None else None
    text = " ".join(span.text for span in content)
    return tuple(replace(target, stance=target_stance((actor_record(target.actor) or {}) | {"mention": target.text},
                                                      events, text, speaker_code))
                 for target in targets)


def _claim_events(draft: Draft, doc: Doc, date: str | None) -> list[EventCode]:
    start, end = draft.content[0]
    content = doc.char_span(start, end, alignment_mode="expand")
    if content is None or not len(content):
        return []
    cue = None
    if draft.cue:
        cue = max((doc[i] for i in draft.cue), key=lambda t: t.pos_ in ("VERB", "NOUN"))
    speaker = None
    if draft.speaker is not None and draft.speaker.actor is not None:
        speaker = actor_record(draft.speaker.actor) | {"text": draft.speaker.text}
    return code_claim_events(cue, content, speaker, date=date)


def _kind(content: list[tuple[int, int]], inside: bytearray, text: str) -> ClaimKind:
    """direct (``DIRECT_SHARE`` of the words' characters quoted), mixed (some) or indirect (``inside``: see
    quoted_chars)."""
    chars = [i for s, e in content for i in range(s, e) if text[i].isalnum()]
    if not chars:
        return "indirect"
    share = sum(inside[i] for i in chars) / len(chars)
    if share >= DIRECT_SHARE:
        return "direct"
    return "mixed" if share > 0 else "indirect"


def _targets(draft: Draft, doc: Doc, resolver: SpeakerResolver) -> tuple[Mention, ...]:
    """Who the claim is about: the named actors inside its content, speaker excluded."""
    seen: set[str] = set()
    if draft.speaker is not None and draft.speaker.actor is not None:
        seen.add(draft.speaker.actor.key)
    targets: list[Mention] = []
    for ent in resolver.entities_within(draft.content):
        if ent.label_ not in ("PERSON", "ORG", "GPE", "NORP"):
            continue
        actor = resolver.resolve_span(ent)
        if actor is None or actor.key in seen:
            continue
        seen.add(actor.key)
        targets.append(Mention(text=ent.text, start=ent.start_char, end=ent.end_char, actor=actor))
    return tuple(targets)
