"""Claims an outlet only carried: the outlet joins the chain, the person it quoted speaks.

- "TASS quoted the Kremlin as saying ...", "X was quoted by Interfax as saying ...": the quoted
  person is the speaker of what follows "as saying";
- "RIA said, quoting a ministry source, that ...", "Citing two diplomats, the FT reported ...",
  "Bloomberg reported, citing people familiar with the talks, that ...": the source cited is the
  speaker (when it is someone, not "data" or "a memo"); an outlet cited by an outlet ("AFP, citing
  Kompas, reported that the minister had said ...") is a second link of the chain;
- "NBC reported that the minister said ...", "..., Yonhap reported", "According to Tagesschau, X
  said ...": the claim is X's; a claim whose speaker is an outlet gives way to the claim it carries
  in the same sentence, and "according to <outlet>" with nobody else speaking is not a claim;
- ``anonymous``: the speaker is an unnamed source ("officials familiar with the matter", "a source
  in the delegation", "a senior official, speaking on condition of anonymity").
"""
from __future__ import annotations

from bisect import bisect_left
from dataclasses import replace
from typing import TYPE_CHECKING

from ..actors import resolve_actor
from ..parse import columns, segment_tokens, subtree
from .chains import Relay, is_outlet, outlet_position
from .drafts import Draft, overlaps
from .lexicon import Lexicon
from .reported import cue_auxiliaries, np_bounds, subject_of, token_segments

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

    from ..records import Mention
    from .speakers import SpeakerResolver

__all__ = ["anonymity_condition", "reattribute", "drop_media_contents", "speakers_over_relays", "trim_relays",
           "is_anonymous", "mark_anonymous", "skip_dateline", "drop_title_claims", "drop_headline_guesses",
           "block_quotes"]

_QUOTING = {"quote", "cite"}
_SAYING = {"say", "tell", "add", "write", "warn", "claim", "declare", "state", "insist", "argue"}
# who can be cited as a source: besides named persons and organisations
_INSTITUTIONS = {"observer", "monitor", "inspector", "researcher", "government", "ministry", "administration",
                 "authorities", "police", "military", "army",
                 "office", "embassy", "kremlin", "command", "service", "agency", "side", "delegation"}
_DEFINITE = {"the", "this", "that", "these", "those", "his", "her", "its", "their", "our", "my", "your"}


def _speaker(draft: Draft, doc: Doc) -> Span | None:
    if draft.speaker is None:
        return None
    span = doc.char_span(draft.speaker.start, draft.speaker.end, alignment_mode="expand")
    return span if span is not None and len(span) else None


def _outlet_speaker(draft: Draft, doc: Doc, lexicon: Lexicon) -> bool:
    span = _speaker(draft, doc)
    if span is None:
        return False
    position = outlet_position(span.root, lexicon)  # "..., Prothom Alo reported": an outlet by position
    return is_outlet(span, lexicon, licensed=position > 0, positional=position > 1)


def _is_source(token: Token, lexicon: Lexicon) -> bool:
    """Can ``token`` (the object of "citing"/"quoting") speak? A person, an organisation, a source."""
    if token.ent_type_ in ("PERSON", "ORG", "NORP", "GPE"):
        return True
    lemma = token.lemma_.lower()
    if lemma in lexicon.anonymous_heads or lemma in _INSTITUTIONS or token.lower_ in _INSTITUTIONS:
        return True
    return _agent_noun(token)


def _agent_noun(token: Token) -> bool:
    """"a hospital director in Khan Younis": the knowledge base gives the noun (with its compounds)
    a sector, as it does to people; "the release of prisoners", "data", "a memo" have none."""
    first = min([token.i, *(c.i for c in token.children if c.dep_ == "compound" and c.i < token.i)])
    actor = resolve_actor(token.doc[first:token.i + 1].text)
    return actor is not None and actor.kind == "GROUP" and actor.sector is not None


def _complement(verb: Token) -> set[int]:
    """What follows "as saying": its clause, or the rest of the sentence."""
    tokens: set[int] = set()
    for child in verb.children:
        if child.dep_ in ("ccomp", "xcomp", "dobj", "advcl", "parataxis") and child.i > verb.i:
            tokens |= subtree(child)
    if not tokens:
        tokens = {t.i for t in verb.sent if t.i > verb.i}
    return tokens


def _in_sentence(drafts: list[Draft], start: int) -> list[Draft]:
    return [d for d in drafts if start in d.sentences]


def _quoted_as_saying(doc: Doc, lexicon: Lexicon) -> list[tuple[Token, Token, Token]]:
    """(quote verb, quoted person, "saying") for every "X quoted Y as saying" / "Y was quoted by X
    as saying" / "X cited Y as saying"."""
    found = []
    cols = columns(doc)  # the columns first: a Token object only for the few participles of saying
    for i in (i for i, (lemma, tag) in enumerate(zip(cols.lemma, cols.tag, strict=True))
              if tag == "VBG" and lemma in _SAYING):
        token = doc[i]
        head = token.head
        if head.lower_ == "as" and head.head.i != head.i:
            head = head.head
        if head.lemma_.lower() not in _QUOTING or head.pos_ != "VERB" or head.i == token.i:
            continue
        person = next((c for c in head.children if c.dep_ == "nsubjpass"), None)
        if person is None:
            person = next((c for c in head.children if c.dep_ == "dobj"), None)
        if person is not None:
            found.append((head, person, token))
    return found


def _citing(doc: Doc, lexicon: Lexicon) -> list[tuple[Token, Token, Token]]:
    """(participle, source, verb of saying) for "Citing two diplomats, the FT reported" and "RIA
    said, quoting a ministry source, that"."""
    found = []
    cols = columns(doc)
    for i in (i for i, (lemma, tag, lower) in enumerate(zip(cols.lemma, cols.tag, cols.lower, strict=True))
              if (tag == "VBG" and lemma in _QUOTING) or lower in ("citing", "quoting")):
        token = doc[i]
        source = next((c for c in token.children if c.dep_ == "dobj"), None)
        verb = token.head
        climbed = False
        while verb.pos_ not in ("VERB", "AUX") and verb.head.i != verb.i:
            # "Kyodo, quoting a source, wrote", "Channel 12, citing officials, reported": the parse
            # hangs the participle on the subject (or on its comma); the verb is further up
            verb, climbed = verb.head, True
        if not climbed and verb.i > token.i:
            # "Bloomberg reported, citing people ..., that the merger ...": the parse may make the
            # reported clause the root and the verb of saying its complement, before the participle
            verb = next((c for c in verb.children if c.dep_ in ("ccomp", "parataxis") and c.i < token.i
                         and lexicon.is_cue_verb(c.lemma_.lower())), verb)
        # "RIA said, quoting a source, that talks would resume": the parse may hang the participle
        # on the reported clause; the verb of saying is then further up
        while not lexicon.is_cue_verb(verb.lemma_.lower()) and verb.head.i != verb.i and (
                verb.dep_ in ("ccomp", "conj")
                or (verb.dep_ == "advcl" and lexicon.is_cue_verb(verb.head.lemma_.lower()))):
            verb = verb.head
        if source is None or verb.i == token.i or verb.pos_ not in ("VERB", "AUX") \
                or not _is_source(source, lexicon):
            continue
        if any(c.lower_ == "as" for c in token.children):
            continue  # "citing X as saying" is the first construction
        found.append((token, source, verb))
    return found


def _without(doc: Doc, content: list[tuple[int, int]], participle: Token) -> list[tuple[int, int]]:
    """``content`` without the participle's clause ("citing two diplomats,") and a "that" it leaves
    at the start."""
    tokens = _starting_in(doc, content) - subtree(participle)
    while tokens and (doc[min(tokens)].is_punct or doc[min(tokens)].lower_ == "that"):
        tokens.discard(min(tokens))
    return token_segments(doc, tokens)


def _has_clause(doc: Doc, content: list[tuple[int, int]]) -> bool:
    """Does ``content`` hold a verb (not just "on Sunday")?"""
    return any(doc[i].pos_ in ("VERB", "AUX") for i in _starting_in(doc, content))


def _drop_citing_cues(drafts: list[Draft], doc: Doc, lexicon: Lexicon) -> list[Draft]:
    """"Citing data from the ministry, Yonhap said ...": an outlet's "citing" is not a second claim
    beside its verb's (a person's "citing" stays one: PolNeAR annotates "Trump, citing X, said")."""
    kept = []
    for draft in drafts:
        citing = draft.speaker is not None and any(doc[i].lower_ in ("citing", "quoting") for i in draft.cue) \
            and _outlet_speaker(draft, doc, lexicon)
        if citing and any(other is not draft and other.speaker is not None and draft.speaker is not None
                          and other.speaker.start == draft.speaker.start and other.sentences & draft.sentences
                          for other in drafts):
            continue
        kept.append(draft)
    return kept


def _outlet_subject(verb: Token, doc: Doc, lexicon: Lexicon) -> bool:
    subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    if subject is None:
        return False
    start, end = np_bounds(subject)
    position = outlet_position(subject, lexicon)
    return is_outlet(doc[start:end], lexicon, licensed=position > 0, positional=position > 1)


def _after(source: Token) -> list[tuple[int, int]]:
    """The clause after "citing Y," up to the end of the sentence, without "that" and the stop."""
    sent = source.sent
    tokens = [t for t in sent if t.i > max(subtree(source))]
    while tokens and (tokens[0].is_punct or tokens[0].lower_ == "that"):
        tokens.pop(0)
    while tokens and tokens[-1].is_punct:
        tokens.pop()
    if len(tokens) < 3 or not any(t.pos_ in ("VERB", "AUX") for t in tokens):
        return []
    return token_segments(source.doc, {t.i for t in tokens})


def reattribute(drafts: list[Draft], candidates: list[Draft], doc: Doc, resolver: SpeakerResolver,
                lexicon: Lexicon, *, text: str | None = None) -> list[Draft]:
    """The claims with the speaker each outlet quoted, and without the outlets' own claims that
    only carried someone's words (``candidates``: every candidate, chosen or not). ``text``: the
    document's text where the caller has it (spaCy's ``doc.text`` joins every token's on each access)."""
    drafts = list(drafts)
    for quote_verb, person, saying in _quoted_as_saying(doc, lexicon):
        content = token_segments(doc, _complement(saying))
        if not content:
            continue
        sentence = quote_verb.sent.start
        speaker = resolver.resolve(person, np_bounds(person))
        cue = [saying.i]
        rest = [d for d in drafts if not (sentence in d.sentences and (
            set(d.cue) & {quote_verb.i, saying.i} or overlaps(d.content, content)))]
        replaced = [d for d in drafts if d not in rest]
        score = max((d.score for d in replaced), default=1.0)
        drafts = [*rest, Draft(cue=cue, content=content, rule="quoted_as_saying", speaker=speaker, score=score,
                               sentences={sentence}, cue_at=quote_verb.idx)]
    for participle, source, verb in _citing(doc, lexicon):
        sentence = verb.sent.start
        drafts = [d for d in drafts if participle.i not in d.cue]
        if not any(verb.i in d.cue for d in drafts):
            readings = [c for c in candidates if verb.i in c.cue and participle.i not in c.cue
                        and _has_clause(doc, _without(doc, c.content, participle))]
            if readings:
                best = max(readings, key=lambda c: c.score)
                drafts = [*(d for d in drafts if not overlaps(d.content, best.content)), best]
            elif verb.i < participle.i and _outlet_subject(verb, doc, lexicon):
                # "X reported, citing Y, that ...": what follows the participle is Y's (read below)
                content = _after(source)
                if content:
                    drafts = [*(d for d in drafts if not overlaps(d.content, content)),
                              Draft(cue=[verb.i], content=content, rule="citing", speaker=resolver.resolve(
                                  source, np_bounds(source)), score=1.0, sentences={sentence}, cue_at=verb.idx)]
        for draft in _in_sentence(drafts, sentence):
            if verb.i in draft.cue and _outlet_speaker(draft, doc, lexicon):
                draft.speaker = resolver.resolve(source, np_bounds(source))
                draft.content = _without(doc, draft.content, participle) or draft.content
    drafts = _drop_citing_cues(drafts, doc, lexicon)
    text = doc.text if text is None else text
    drafts = [d for d in drafts if not _not_said(d, text, lexicon)]
    drafts.sort(key=lambda d: d.start)
    return _carried(drafts, candidates, doc, lexicon)


def _carried(drafts: list[Draft], candidates: list[Draft], doc: Doc, lexicon: Lexicon) -> list[Draft]:
    """Drop the outlets' claims that carry another speaker's claim in the same sentence."""
    kept: list[Draft] = []
    outlets = {id(d) for d in drafts if _outlet_speaker(d, doc, lexicon)}
    added: list[Draft] = []
    for draft in drafts:
        if id(draft) not in outlets:
            kept.append(draft)
            continue
        others = [d for d in drafts if id(d) not in outlets and d.speaker is not None
                  and d.sentences & draft.sentences]
        if others:
            continue
        inner = [c for c in candidates if c.speaker is not None and c.cue and c.sentences & draft.sentences
                 and c.gate and c.speaker.text.lower() not in ("that", "which", "who", "it", "this")
                 and any(s <= c.cue_at < e for s, e in draft.content) and not _outlet_speaker(c, doc, lexicon)
                 and c.rule != "according_to" and _speech_cue(c, doc, lexicon)]
        if inner:
            added.append(max(inner, key=lambda c: c.score))
            continue
        if draft.rule.startswith("according_to"):
            continue  # "According to Reuters, ...": nobody speaks but the outlet that carried it
        kept.append(draft)
    for draft in added:
        if not any(overlaps(d.content, draft.content) for d in kept):
            kept.append(draft)
    kept.sort(key=lambda d: d.start)
    return kept


def _speech_cue(draft: Draft, doc: Doc, lexicon: Lexicon) -> bool:
    return any(lexicon.is_cue_verb(doc[i].lemma_.lower()) for i in draft.cue)


def _not_said(draft: Draft, article_text: str, lexicon: Lexicon) -> bool:
    """'who asked not to be named': a source's condition, not a claim."""
    text = " ".join(article_text[s:e] for s, e in draft.content).lower()
    return any(phrase in text or text in phrase for phrase in lexicon.anonymity_phrases) and len(text.split()) <= 6


_CONDITION_VERBS = {"ask", "speak", "decline", "request", "talk", "refuse", "be", "agree", "insist"}


def anonymity_condition(draft: Draft, doc: Doc, lexicon: Lexicon) -> bool:
    """"A person close to the court, who asked not to be named because ..., said": the relative or
    participle clause that states the source's anonymity ("who spoke on condition of anonymity to
    discuss the plans", "speaking on condition of anonymity") holds no claim of its own."""
    if not draft.cue:
        return False
    token = doc[draft.cue[0]]
    for _ in range(4):
        if token.dep_ in ("relcl", "advcl", "acl") and token.lemma_.lower() in _CONDITION_VERBS:
            clause = " ".join(t.lower_ for t in token.subtree)
            return any(phrase in clause for phrase in lexicon.anonymity_phrases)
        if token.head.i == token.i:
            return False
        token = token.head
    return False


def drop_media_contents(drafts: list[Draft], relays: list[Relay], doc: Doc) -> list[Draft]:
    """The drafts less those whose whole content is an outlet or channel the parse reads as a link of
    a reporting chain ("Speaking to Radio Free Europe, X said ...": the participle's object is the
    medium of X's claim, not a claim of its own): every segment lies inside the relay's noun phrase
    and holds its head word (the phrase may run on: "the daily Kommersant published after his claim
    that the vote was rigged" holds a claim that does not name the outlet)."""
    def medium(segment: tuple[int, int]) -> bool:
        return any(relay.start <= segment[0] and segment[1] <= relay.end
                   and segment[0] <= doc[relay.token].idx < segment[1] for relay in relays)

    return [draft for draft in drafts if not (draft.content and all(medium(s) for s in draft.content))]


def speakers_over_relays(drafts: list[Draft], relays: list[Relay], doc: Doc, resolver: SpeakerResolver,
                         lexicon: Lexicon) -> None:
    """"X said in a post on Telegram that ..., Interfax reported": a claim whose speaker is the outlet of
    a relay clause, but whose content is the complement of a speech verb with a subject of its own, is
    that subject's claim, with that verb as its cue (the outlet then joins its chain). The tagger may
    give the outlet the content, with its own "reported" or with the person's "said" as the cue. The new
    speaker is as the resolver reads it; ``extract_claims`` enriches every speaker after this step."""
    for draft in drafts:
        speaker = draft.speaker
        if speaker is None or not draft.content \
                or not any(speaker.start <= r.start < speaker.end and r.anchor >= 0 for r in relays):
            continue
        inside = segment_tokens(doc, draft.content)
        root = next((doc[i] for i in sorted(inside) if doc[i].head.i not in inside), None)
        verb = root.head if root is not None and root.dep_ in ("ccomp", "xcomp", "parataxis") else None
        if verb is None or verb.pos_ not in ("VERB", "AUX") or not lexicon.is_cue_verb(verb.lemma_.lower()):
            continue
        subject = subject_of(verb, lexicon)
        if subject is None or subject.sent != verb.sent or subject.i in inside \
                or speaker.start <= subject.idx < speaker.end:
            continue  # the outlet's own verb, or nobody else's
        draft.speaker = resolver.resolve(subject, np_bounds(subject))  # enriched with the others by the caller
        draft.cue = sorted({verb.i, *cue_auxiliaries(verb)})  # the verb alone: not the outlet's "reported" too
        draft.cue_at = doc[draft.cue[0]].idx


def trim_relays(drafts: list[Draft], relays: list[Relay], doc: Doc) -> None:
    """Take a trailing or leading relay clause ("..., Yonhap reported", "according to Nikkei") out
    of the content it was read into."""
    for relay in relays:
        anchor = doc[relay.anchor] if relay.anchor >= 0 else None
        if anchor is None:
            continue
        outlet = doc[relay.token]
        carrier = outlet.dep_ in ("nsubj", "nsubjpass") or outlet.head.dep_ == "agent"  # "..., X reported"
        if anchor.lower_ != "according" and (anchor.lemma_.lower() not in ("report", "say", "write") or not carrier):
            _trim_medium(drafts, relay, doc)  # "wrote on Truth Social that ...": the medium, not a relay clause
            continue
        clause = _relay_clause(anchor)
        first, last = min(clause), max(clause)
        for draft in drafts:
            if anchor.i in draft.cue or not any(s <= relay.start < e for s, e in draft.content):
                continue
            tokens = _starting_in(doc, draft.content)
            if not (first == min(tokens) or last == max(tokens) or last + 1 == max(tokens)):
                continue  # only at the edge: a relay inside the content belongs to it
            segments = token_segments(doc, tokens - clause)
            if segments:
                draft.content = segments


def _starting_in(doc: Doc, segments: list[tuple[int, int]]) -> set[int]:
    """The tokens that start inside one of the character ``segments``."""
    starts = columns(doc).idx
    return {i for s, e in segments for i in range(bisect_left(starts, s), bisect_left(starts, e))}


def _trim_medium(drafts: list[Draft], relay: Relay, doc: Doc) -> None:
    """"wrote on Truth Social that ...": a content read from the preposition on takes it off."""
    for draft in drafts:
        if not draft.content or not any(s <= relay.start < e for s, e in draft.content):
            continue
        tokens = _starting_in(doc, draft.content)
        lead = [i for i in sorted(tokens) if doc[i].idx < relay.end]
        if not lead or len(lead) > 8 or any(doc[i].pos_ in ("VERB", "AUX", "SCONJ") and doc[i].dep_ != "acl"
                                            for i in lead):  # "in remarks broadcast by X" may lead
            continue  # the medium is not what the content opens with
        tokens -= set(lead)
        segments = token_segments(doc, tokens)
        if segments:
            draft.content = segments


def _relay_clause(anchor: Token) -> set[int]:
    """The tokens of "Yonhap reported late on Monday" or "according to Nikkei"."""
    if anchor.lower_ == "according":
        return subtree(anchor)
    clause = {anchor.i}
    for child in anchor.children:
        if child.dep_ in ("nsubj", "npadvmod", "advmod", "prep", "aux", "punct", "agent") and (
                child.dep_ != "prep" or child.lower_ in ("on", "in", "at", "late", "early", "by")):
            clause |= subtree(child)
    return clause


def is_anonymous(mention: Mention, doc: Doc, lexicon: Lexicon) -> bool:
    """Is the speaker an unnamed source? See the module docstring."""
    span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
    if span is None or not len(span):
        return False
    head = span.root
    if head.tag_ in ("WP", "WDT") and head.dep_ in ("nsubj", "nsubjpass") and head.head.dep_ == "relcl":
        # "A person close to the court, who asked not to be named, said": the relative pronoun's noun
        head = head.head.head
        span = doc[slice(*np_bounds(head))]
    own = {t.i for t in span} - {i for c in head.children if c.dep_ == "prep" for i in subtree(c)}
    if any(t.i in own and (t.ent_type_ == "PERSON" or (
            t.pos_ == "PROPN" and t.ent_type_ in ("", "PERSON") and t.head.i == head.i
            and (t.dep_ == "appos" or (t.dep_ == "compound" and t.i > head.i)))) for t in span):
        return False  # a name ("the official, John Smith"); "a Gulf diplomat" names only where he is from
    lower = " ".join(t.lower_ for t in span)
    sentence = head.sent.text.lower()
    if head.pos_ == "PROPN" or head.ent_type_ in ("ORG", "GPE", "NORP"):
        return False
    listed = head.lemma_.lower() in lexicon.anonymous_heads or head.lower_ in lexicon.anonymous_heads
    if not listed and (head.pos_ != "NOUN" or not _agent_noun(head)):  # "a hospital director": unnamed as well
        return False
    if any(marker in lower for marker in lexicon.anonymous_markers):
        return True
    if any(phrase in sentence for phrase in lexicon.anonymity_phrases):
        return True
    determiners = [t for t in span if t.i < head.i and t.dep_ in ("det", "poss", "nummod", "predet")]
    return not any(t.lower_ in _DEFINITE or t.dep_ == "poss" for t in determiners)


def mark_anonymous(mention: Mention, doc: Doc, lexicon: Lexicon) -> Mention:
    return replace(mention, anonymous=True) if is_anonymous(mention, doc, lexicon) else mention


def skip_dateline(drafts: list[Draft], doc: Doc, resolver: SpeakerResolver, end: int) -> None:
    """'SEOUL (AP) — North Korea said': the place of the dateline is not the speaker; the first noun
    phrase after it is."""
    if not end:
        return
    for draft in drafts:
        if draft.speaker is None or draft.speaker.start >= end or draft.speaker.end <= end - 60:
            continue
        chunk = next((c for c in doc.noun_chunks if c.start_char >= end), None)
        if chunk is None or (draft.content and chunk.start_char >= draft.content[0][0]):
            draft.speaker = None
            continue
        draft.speaker = resolver.resolve(chunk.root, (chunk.start, chunk.end))


def drop_title_claims(drafts: list[Draft], text: str, title: str | None) -> list[Draft]:
    """The headline repeated in the body is not a claim (the headline itself is read once)."""
    if not title or not title.strip():
        return drafts
    spans = []
    start = text.find(title, text.find(title) + 1)
    while start >= 0:
        spans.append((start, start + len(title)))
        start = text.find(title, start + 1)
    return [d for d in drafts if not all(any(s <= cs and ce <= e for s, e in spans) for cs, ce in d.content)]


def drop_headline_guesses(drafts: list[Draft], doc: Doc, text: str, title: str | None,
                          lexicon: Lexicon) -> list[Draft]:
    """A headline at the top is read for claims ("Kremlin says no talks planned"), but the encoder
    tagger never saw headlines (PolNeAR is body text) and reads their clipped grammar as cues
    ("Grain corridor talks stall": "talks"): there, a tagged candidate whose cue is only common nouns
    outside the cue lexicon is dropped (a Title Case "Black Lawmakers Rip Donald Trump ..." stays:
    its cue parses as a proper noun)."""
    if not title or not title.strip() or not text.lstrip().startswith(title.strip()):
        return drafts
    end = len(text) - len(text.lstrip()) + len(title.strip())

    def lexical(draft: Draft) -> bool:
        if any(doc[i].pos_ != "NOUN" for i in draft.cue):
            return True
        lemmas = {doc[i].lemma_.lower() for i in draft.cue}
        return any(lexicon.is_cue_verb(lemma) or lemma in lexicon.object_content
                   or lemma in lexicon.communication_nouns for lemma in lemmas)

    return [d for d in drafts if not (d.rule.startswith("tagger") and d.cue and doc[d.cue[0]].idx < end
                                      and not lexical(d))]


_OPENING_QUOTES = "\"“‘«„"


def _introducer(colon: Token, lexicon: Lexicon) -> tuple[Token, list[int]] | None:
    """The speaker a colon introduces, and the cue: "In the words of X:", "X intimated that:",
    "X said:"."""
    doc = colon.doc
    before = [t for t in doc[colon.sent.start:colon.i] if not t.is_punct]
    if len(before) < 2:
        return None
    words = next((t for t in before if t.lower_ == "words" and t.head.lower_ == "in"), None)
    if words is not None:
        of = next((c for c in words.children if c.lower_ == "of"), None)
        speaker = next((c for c in of.children if c.dep_ == "pobj"), None) if of is not None else None
        return (speaker, [words.head.i, of.i]) if speaker is not None and of is not None else None
    last = before[-1] if before[-1].lower_ != "that" else before[-2]
    if last.pos_ != "VERB" or not lexicon.is_cue_verb(last.lemma_.lower()):
        return None
    subject = next((c for c in last.children if c.dep_ == "nsubj" and c.i < last.i), None)
    if subject is None or (subject.pos_ == "PRON" and subject.lower_ in ("it", "this", "that", "there")):
        return None
    return subject, [last.i]


def block_quotes(drafts: list[Draft], doc: Doc, resolver: SpeakerResolver, lexicon: Lexicon, *,
                 text: str | None = None) -> list[Draft]:
    """'In the words of X: "..."' and 'X intimated that: "..."': what follows the colon, to the end
    of its paragraph (or of the quotation it opens), is X's claim. ``text``: as for ``reattribute``."""
    text = doc.text if text is None else text
    for colon in (doc[i] for i, orth in enumerate(columns(doc).orth) if orth == ":"):
        introduced = _introducer(colon, lexicon)
        if introduced is None:
            continue
        speaker, cue = introduced
        words_of = doc[cue[0]].lower_ == "in"  # "In the words of X:" (else "X said:", read only if nothing else is)
        start = colon.idx + 1
        while start < len(text) and text[start] in " \t\n":
            start += 1
        if start >= len(text):
            continue
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        if text[start] in _OPENING_QUOTES:
            start += 1
            closing = max(text.rfind(mark, start, end) for mark in "\"”’»“")
            end = closing if closing > start else end
        while end > start and text[end - 1] in " \t":
            end -= 1
        content = [(start, end)]
        if end - start < 8:
            continue
        mention = resolver.resolve(speaker, np_bounds(speaker))
        if any(overlaps(d.content, content) and (not words_of or (
                d.speaker is not None and d.speaker.start == mention.start)) for d in drafts):
            continue  # read already (by the same speaker)
        rest = [d for d in drafts if not overlaps(d.content, content)]
        drafts = [*rest, Draft(cue=cue, content=content, rule="block_quote", speaker=mention,
                               sentences={colon.sent.start}, cue_at=doc[cue[0]].idx)]
    drafts.sort(key=lambda d: d.start)
    return drafts
