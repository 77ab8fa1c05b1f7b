"""Attribution candidates from the dependency parse: who (speaker) said (cue) what (content).

Covers verbs of saying with a clausal complement ("X asserted that ..."), parenthetical cues
("..., sources said"), verbs whose object is the content ("X denied the report"), phrasal cues
("X pointed to ..."), cues whose subject is inherited ("..., arguing that ..."), passives with a
by-agent ("... are cited by Russian officials as ..."), "according to X", and communication
nouns ("Moscow's position remains that ...").
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..parse import Columns, columns, subtree
from .lexicon import Lexicon

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

__all__ = ["Candidate", "cue_auxiliaries", "find_candidates", "np_bounds", "phrase_head", "subject_of",
           "token_segments"]

_SUBJECTS = {"nsubj", "csubj"}
_INHERIT = {"advcl", "xcomp", "conj", "dep", "pcomp", "acl"}
_NO_XCOMP = {"ask", "continue", "go", "add", "begin", "start", "keep", "stop", "seem", "appear"}
_NP_STOP = {"case", "relcl", "acl", "advcl", "punct", "cc", "conj", "parataxis", "ccomp", "dep"}
# verbs that pass their subject to an infinitive cue ("X declined to say", "X went on to argue")
_CONTROL = {"continue", "go", "decline", "refuse", "try", "seem", "appear", "want", "hope", "begin",
            "start", "need", "have", "plan", "promise", "vow", "pledge", "threaten", "like", "wish"}
_RAISING = {"seem", "appear", "look", "sound"}
_CONTENT_PREPS = {"about", "on", "of", "for", "against", "over", "to"}
_PRONOUN_STOP = {"it", "this", "that", "there", "what", "which", "who"}
# what a parse may leave between the halves of a subject it split in two
_SPLIT_GAP = {"advmod", "amod", "compound", "npadvmod", "nmod"}


@dataclass(slots=True)
class Candidate:
    cue: list[int]                      # token indices of the cue
    speaker: int | None                 # head token index of the speaker mention
    speaker_bounds: tuple[int, int] | None  # token span [start, end) of the speaker mention
    content: list[tuple[int, int]]      # character segments
    rule: str
    gate: bool = True  # accepted by the lexicon rules alone (rules.v6); the model sees all candidates

    @property
    def cue_start(self) -> int:
        return self.cue[0]


def np_bounds(token: Token) -> tuple[int, int]:
    """Token span of the noun phrase headed by ``token`` without clauses or conjuncts; for a subject
    the parse split in two, both parts ("The Russian business | daily Kommersant reported")."""
    start, end = _np_bounds(token)
    last = _second_part(token)
    if last.i != token.i:  # the first half: the phrase runs on to the last
        end = _np_bounds(last)[1]
    first = _split_subject(token)
    while first is not None:
        start = _np_bounds(first)[0]
        first = _split_subject(first)
    return start, end


def phrase_head(span: Span) -> Token:
    """The head of a noun phrase: its root, or for a subject the parse split in two (see
    ``np_bounds``) the head of its second part ("Kommersant" in "The Russian business daily
    Kommersant"; spaCy's root is the first part's "business")."""
    return _second_part(span.root, span.end)


def _second_part(token: Token, end: int | None = None) -> Token:
    """``token`` or, if it is the first part of a subject the parse split, its last part (before
    ``end``): "ex" -> "wife" in "His ex - wife agreed" (all three subjects of "agreed")."""
    while True:
        later = next((t for t in token.head.children if token.i < t.i < (end if end is not None else t.i + 1)
                      and getattr(_split_subject(t), "i", None) == token.i), None)
        if later is None:
            return token
        token = later


def _split_subject(token: Token) -> Token | None:
    """The first half of a subject the parse split in two: a second subject of the same verb ending
    where ``token``'s phrase starts, with at most modifiers the parse hung on the verb between
    ("The Russian business" before "daily Kommersant", both made subjects of "reported"; "Russia's
    business | daily | Kommersant said", "daily" an adverb of "said"). None when there is none."""
    verb = token.head
    if token.dep_ not in _SUBJECTS or verb.i == token.i or not _nominal(token):
        return None
    start = _np_bounds(token)[0]
    if token.doc[start].dep_ in ("det", "poss"):
        return None  # a phrase of its own: "The minister | the daily said would resign"
    for sibling in reversed([c for c in verb.children if c.i < token.i]):  # the nearest first
        if sibling.dep_ not in _SUBJECTS or not _nominal(sibling):
            continue
        gap = token.doc[_np_bounds(sibling)[1]:start]
        if all(t.head.i == verb.i and ((t.dep_ in _SPLIT_GAP and t.is_alpha) or _joining_hyphen(t)) for t in gap):
            return sibling
        return None  # the nearest other subject is no part of this one: no farther one is either
    return None


def _nominal(token: Token) -> bool:
    return token.pos_ in ("NOUN", "PROPN") and any(c.isalnum() for c in token.text)  # not "-" read as a noun


def _joining_hyphen(token: Token) -> bool:
    """A hyphen inside a word ("ex-wife"), which the parse may make a subject of its own."""
    doc = token.doc
    return token.text == "-" and not token.whitespace_ and token.i > 0 and not doc[token.i - 1].whitespace_


def _np_bounds(token: Token) -> tuple[int, int]:
    keep = [token.i]
    stack = [child for child in token.children if _in_phrase(child)]
    while stack:
        node = stack.pop()
        keep.append(node.i)
        stack.extend(child for child in node.children if _in_phrase(child))
    start, end = min(keep), max(keep) + 1
    # keep the span contiguous and on the head's side of any comma
    doc = token.doc
    for i in range(token.i - 1, start - 1, -1):
        if doc[i].is_punct and doc[i].text not in "'’" and not (doc[i].text == "-" and not doc[i].whitespace_):
            start = i + 1
            break
    for i in range(token.i + 1, end):
        if doc[i].is_punct and doc[i].text not in "'’.-":
            end = i
            break
    return start, end


def _in_phrase(token: Token) -> bool:
    """Does ``token`` belong to its head's noun phrase? Not clauses or conjuncts, but a reduced
    relative: "people briefed on the talks", "officials involved in the plan" (a past participle right
    after its noun; after a comma it does not: the bounds stop there)."""
    if token.dep_ not in _NP_STOP:
        return True
    return token.dep_ == "acl" and token.tag_ in ("VBN", "VBD") and token.i > token.head.i \
        and not token.doc[token.i - 1].is_punct


def token_segments(doc: Doc, indices: set[int]) -> list[tuple[int, int]]:
    """Character segments covering the given tokens, edge punctuation trimmed."""
    table = columns(doc)
    punct, space, idx, orth = table.punct, table.space, table.idx, table.orth
    segments: list[tuple[int, int]] = []
    run: list[int] = []
    for i in [*sorted(indices), None]:
        if run and (i is None or i != run[-1] + 1):
            while run and (punct[run[0]] or space[run[0]]):
                run.pop(0)
            while run and (punct[run[-1]] or space[run[-1]]):
                run.pop()
            if run:
                segments.append((idx[run[0]], idx[run[-1]] + len(orth[run[-1]])))
            run = []
        if i is not None:
            run.append(i)
    return segments


def subject_of(verb: Token, lexicon: Lexicon, depth: int = 0) -> Token | None:
    """Who speaks through ``verb``: its subject, or the subject it shares with the verb it hangs
    from ("referred to X but was careful not to ..."), the noun a relative or participle clause
    describes ("officials who said", "protesters demanding"); the owner of a communication noun
    ("Lavrov's comments"). None for a pronoun that names nobody ("it", "there")."""
    for child in verb.children:
        if child.dep_ in _SUBJECTS and child.lower_ not in _PRONOUN_STOP:
            # a subject split in two by the parse: its head is the noun nearer the verb
            return _through_noun(_second_part(child), lexicon)
        if child.dep_ in _SUBJECTS and child.lower_ in ("who", "that", "which") and verb.dep_ == "relcl":
            return child  # "officials who said ...": the mention is "who", resolved to "officials"
    if (inverted := _inverted_speaker(verb, lexicon)) is not None:
        return inverted
    head = verb.head
    if depth < 3 and verb.dep_ in _INHERIT and head is not verb and head.pos_ in ("VERB", "AUX") and (
            verb.dep_ != "xcomp" or lexicon.is_cue_verb(head.lemma_.lower()) or head.lemma_.lower() in _CONTROL):
        return subject_of(head, lexicon, depth + 1)
    if depth < 3 and verb.dep_ == "pcomp" and head.dep_ == "prep" and head.head.pos_ in ("VERB", "AUX") \
            and head.head.i != head.i:
        return subject_of(head.head, lexicon, depth + 1)  # "Trump told reporters, before insisting ..."
    if verb.dep_ == "relcl" and verb.head.pos_ in ("NOUN", "PROPN"):
        return verb.head  # "officials who said ..."
    if verb.dep_ == "acl" and verb.tag_ == "VBG" and head.pos_ in ("NOUN", "PROPN"):
        return _through_noun(head, lexicon)  # "protesters demanding ...", "a letter saying ..."
    return None


def _inverted_speaker(verb: Token, lexicon: Lexicon) -> Token | None:
    """Quotative inversion the parse reads as an object: "“Freedom is not free,” tweeted the
    congressman". Only right after a quotation (nothing but its closing marks and punctuation
    between), for a cue verb without a subject, not one that names a listener ("told parliament"),
    and a quoted clause that is not itself someone's speech ("“…,” the president told reporters,
    and “…,” added the vice president")."""
    lemma = verb.lemma_.lower()
    if verb.pos_ != "VERB" or not lexicon.is_cue_verb(lemma) or lemma in _TELL_VERBS \
            or any(c.dep_ in _SUBJECTS for c in verb.children):
        return None
    doc = verb.doc
    for clause in verb.children:
        if clause.dep_ != "ccomp" or clause.i > verb.i:
            continue
        between = doc[clause.right_edge.i + 1:verb.i]
        if not between or not all(t.is_punct for t in between) or not any(t.is_quote for t in between):
            continue
        if lexicon.is_cue_verb(clause.lemma_.lower()) and any(c.dep_ in _SUBJECTS for c in clause.children):
            continue
        inverted = next((c for c in verb.children if c.dep_ == "dobj" and c.i > verb.i), None)
        if inverted is not None and inverted.pos_ in ("NOUN", "PROPN"):
            return _through_noun(inverted, lexicon)
    return None


def _through_noun(token: Token, lexicon: Lexicon) -> Token:
    """'Lavrov's comments' -> 'Lavrov': the owner of a communication noun speaks."""
    if token.lemma_.lower() in lexicon.communication_nouns or token.lemma_.lower() in (
            "comment", "remark", "word", "speech", "letter", "tweet", "interview", "testimony"):
        for child in token.children:
            if child.dep_ == "poss":
                return child
    return token


def _agent(verb: Token) -> Token | None:
    for child in verb.children:
        if child.dep_ == "agent":
            for grandchild in child.children:
                if grandchild.dep_ == "pobj":
                    return grandchild
    return None


def _cue_cluster(verb: Token) -> set[int]:
    """The cue verb with its auxiliaries, negation and particles."""
    keep = {verb.i}
    for child in verb.children:
        if child.dep_ in ("aux", "auxpass", "neg", "prt") or (
                child.dep_ == "advmod" and child.i < verb.i and child.i > verb.i - 3):
            keep.add(child.i)
    return keep


def cue_auxiliaries(verb: Token) -> set[int]:
    """The auxiliaries and negation before a cue verb ("does not | regard"): part of the cue, so that
    the claim shows its polarity and the selector sees it."""
    return {c.i for c in verb.children if c.dep_ in ("aux", "neg") and c.i < verb.i}


def _is_passive(verb: Token) -> bool:
    return any(child.dep_ in ("auxpass", "nsubjpass") for child in verb.children)


def _content_from_verb(verb: Token, lemma: str, lexicon: Lexicon, phrasal: Token | None
                       ) -> tuple[set[int], str]:
    """The content a verb introduces and the structure that gave it (the candidate's rule)."""
    if phrasal is not None and phrasal.dep_ == "prep":
        objects = [c for c in phrasal.children if c.dep_ in ("pobj", "pcomp")]
        if objects:
            return subtree(objects[0]), "phrasal"
    comps = [c for c in verb.children if c.dep_ == "ccomp"] or _statement_clause(verb) or _told_clause(verb, lemma)
    if comps:
        return set().union(*(subtree(c) for c in comps)), "complement"
    if unmarked := _unmarked_clause(verb):
        return unmarked, "complement"
    xcomps = [c for c in verb.children if c.dep_ == "xcomp"]
    if xcomps and lemma in _RAISING:
        # "This appeared to be a forgery": the subject belongs to what is asserted
        subjects = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
        return set().union(*(subtree(c) for c in subjects + xcomps)), "raising"
    if xcomps and lemma not in _NO_XCOMP:
        return set().union(*(subtree(c) for c in xcomps)), "complement"
    objects = [c for c in verb.children if c.dep_ in ("dobj", "oprd")]
    if objects:
        tokens = set().union(*(subtree(c) for c in objects))
        for child in verb.children:  # "described X as Y", "called X a liar", "accused X of Y"
            if child.i > objects[0].i and (child.dep_ == "oprd"
                                           or (child.dep_ == "prep" and child.lower_ in ("as", "of", "for"))):
                tokens |= subtree(child)
        return tokens, "object"
    head = verb.head
    # parenthetical: "A, he said, B" -- the cue hangs off the content's verb
    if (verb.dep_ in ("parataxis", "ccomp", "advcl", "conj") and head is not verb and head.pos_ in ("VERB", "AUX")
            and not lexicon.is_cue_verb(head.lemma_.lower()) and (verb.dep_ != "conj" or verb.i > head.i)
            and (verb.dep_ in ("parataxis", "ccomp")
                 or (verb.i > head.i and subject_of(verb, lexicon) is not None
                     and any(c.dep_ == "nsubj" for c in verb.children))
                 # "As TASS reported, the talks stalled"
                 or (verb.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ == "as" for c in verb.children)))):
        return subtree(head) - subtree(verb), "parenthetical"
    preps = [c for c in verb.children if c.dep_ == "prep" and c.i > verb.i and c.lower_ in _CONTENT_PREPS]
    for prep in preps:  # "talked about X", "called on X to ..."
        objects = [c for c in prep.children if c.dep_ in ("pobj", "pcomp")]
        if objects:
            return subtree(prep), "prep"
    return set(), "bare"


_STATEMENT_NOUNS = {"statement", "interview", "post", "message", "video", "remark", "speech", "letter", "address",
                    "tweet", "briefing", "comment", "broadcast", "communique", "communiqué", "note"}


_TELL_VERBS = {"tell", "inform", "assure", "warn", "remind", "notify", "advise", "brief", "convince", "persuade"}


def _that_clause(noun: Token) -> list[Token]:
    """A clause with "that" and its own subject hung on ``noun`` (or below it)."""
    return [t for t in noun.subtree if t.dep_ in ("acl", "ccomp", "relcl") and t.pos_ in ("VERB", "AUX")
            and any(c.dep_ == "mark" and c.lower_ == "that" for c in t.children)
            and any(c.dep_ in ("nsubj", "nsubjpass") for c in t.children)][:1]


def _statement_clause(verb: Token) -> list[Token]:
    """"said in a statement carried by KCNA that it would ...": the parse may hang the reported
    clause on the statement; it is what the verb says."""
    for prep in verb.children:
        if prep.dep_ != "prep" or prep.i < verb.i or prep.lower_ not in ("in", "during", "on"):
            continue
        noun = next((c for c in prep.children if c.dep_ == "pobj"), None)
        if noun is not None and noun.lemma_.lower() in _STATEMENT_NOUNS and (clause := _that_clause(noun)):
            return clause
    return []


def _told_clause(verb: Token, lemma: str) -> list[Token]:
    """"had told his Chinese counterpart that the projects would be protected": the parse may hang
    the reported clause on the person told."""
    if lemma not in _TELL_VERBS:
        return []
    for noun in verb.children:
        if noun.dep_ in ("dobj", "dative") and noun.i > verb.i and (clause := _that_clause(noun)):
            return clause
    return []


def _unmarked_clause(verb: Token) -> set[int]:
    """"said after the convention he would not accept ...": after a fronted phrase the parse may make
    the reported clause an adverbial one; a finite clause with its own subject and no subordinator
    ("as", "after", "because" ...) is what the verb says, not when or why it was said. Its tokens,
    without the phrases before its subject ("after the convention"); none when there is no such clause."""
    for clause in verb.children:
        if clause.dep_ != "advcl" or clause.i <= verb.i + 1 or clause.pos_ not in ("VERB", "AUX"):
            continue
        before = [g for g in clause.children if g.i < clause.i]
        subject = next((g for g in before if g.dep_ in ("nsubj", "nsubjpass")), None)
        if (subject is None or any(g.dep_ == "mark" or (g.dep_ == "advmod" and g.tag_ == "WRB") for g in before)
                or not any(g.dep_ == "aux" or g.tag_ in ("VBD", "VBZ", "VBP") for g in [clause, *clause.children])):
            continue
        fronted = [g for g in before if g.i < subject.i and g.dep_ in ("prep", "npadvmod", "punct")]
        return subtree(clause).difference(*(subtree(g) for g in fronted))
    return set()


def _rules_gate(lemma: str, rule: str, lexicon: Lexicon, phrasal: Token | None) -> bool:
    """Would the lexicon rules alone (claimgraph.extract.rules.v6) accept this candidate?"""
    if rule in ("raising", "prep"):
        return False
    if lemma in lexicon.cognition and lemma not in lexicon.speech and rule != "complement":
        return False
    if phrasal is None and not lexicon.is_cue_verb(lemma):
        return rule == "object" and lemma in lexicon.object_content
    if rule == "object":
        return (lemma in lexicon.object_content and lemma not in lexicon.cognition) or lemma in ("call", "describe")
    return True


def find_candidates(doc: Doc, lexicon: Lexicon, *, quoted: set[int]) -> list[Candidate]:
    """All attribution candidates of a parsed article, in text order.

    ``quoted`` holds the token indices inside direct quotations: cues there belong to the
    quoted speaker's words, not to the article's narrative.
    """
    candidates: list[Candidate] = []
    table = columns(doc)  # a Token object only for the words that can be cues
    for i, (lower, pos, dep) in enumerate(zip(table.lower, table.pos, table.dep, strict=True)):
        if i in quoted:
            continue
        found: Sequence[Candidate | None]
        if lower == "according":
            found = [_according(doc[i])]
        elif pos in ("VERB", "AUX") and dep != "amod":
            found = _verb_candidates(doc[i], table.lemma[i], lexicon)
        elif pos == "NOUN":
            found = _noun_candidates(doc[i], lexicon)
        elif lower == ":":
            found = [_colon(doc, i, table)]
        else:
            continue
        candidates.extend(c for c in found if c is not None and (c.content or c.rule == "bare"))
    return candidates


_NAME_ENTITIES = ("PERSON", "ORG", "GPE", "NORP")
_LONGEST_NAME = 6  # tokens


def _colon(doc: Doc, colon: int, table: Columns) -> Candidate | None:
    """A line that opens with a name and a colon: a headline ("Lavrov: US blocks peace talks") or a
    transcript ("TAPPER: Do you think ...", "Sen. Jane Roe (D-Ore.): I have not ..."); the rest of the
    line is what the name says."""
    name_end = _before_affiliation(table, colon)
    start = name_end
    while start > 0 and name_end - start < _LONGEST_NAME and not _line_break(table, start - 1) and (
            table.pos[start - 1] == "PROPN" or table.ent[start - 1][1:] in _NAME_ENTITIES
            or ((table.title[start - 1] or table.orth[start - 1].isupper()) and table.orth[start - 1].isalpha())):
        start -= 1
    if start == name_end or (start > 0 and not _line_break(table, start - 1)):
        return None  # no name, or one that does not open the line
    end = colon + 1
    while end < len(table.orth) and not _line_break(table, end):
        end += 1
    if sum(1 for k in range(colon + 1, end) if not table.punct[k] and not table.space[k]) < 3:
        return None
    inside = set(range(start, name_end))
    head = next((k for k in range(start, name_end) if table.head[k] not in inside or table.head[k] == k),
                name_end - 1)
    return Candidate(cue=[colon], speaker=head, speaker_bounds=(start, name_end),
                     content=token_segments(doc, set(range(colon + 1, end))), rule="colon", gate=False)


def _line_break(table: Columns, k: int) -> bool:
    return bool(table.space[k]) and "\n" in table.orth[k]


def _before_affiliation(table: Columns, colon: int) -> int:
    """Where the name before ``colon`` ends: before a short parenthesis closed right at the colon
    (a party and state, a title: "Roe (D-Ore.):"), or at the colon."""
    if colon < 3 or table.orth[colon - 1] != ")":
        return colon
    for k in range(colon - 2, max(colon - 8, 0), -1):
        if _line_break(table, k):
            break
        if table.orth[k] == "(":
            return k if k > 0 else colon
    return colon


def _according(token: Token) -> Candidate | None:
    to = next((c for c in token.children if c.lower_ == "to"), None)
    source = next((c for c in to.children if c.dep_ == "pobj"), None) if to is not None else None
    if to is None or source is None:
        return None
    head = token.head if token.head is not token else None
    sentence = token.sent
    if head is None or head.i == token.i:
        tokens = {t.i for t in sentence}
    else:
        tokens = subtree(head)
        if head.dep_ != "ROOT":  # "according to X" modifies one clause; take the sentence's
            tokens = {t.i for t in sentence}
    tokens -= subtree(token)
    segments = token_segments(token.doc, tokens)
    if not segments:
        return None
    return Candidate(cue=[token.i, to.i], speaker=source.i, speaker_bounds=np_bounds(source),
                     content=segments, rule="according_to")


def _verb_candidates(verb: Token, lemma: str, lexicon: Lexicon) -> list[Candidate]:
    """The candidate(s) a verb introduces: one per plausible content extent (the selector chooses)."""
    phrasal = None
    for child in verb.children:
        if child.dep_ in ("prt", "prep") and (lemma, child.lower_) in lexicon.phrasal:
            phrasal = child
            break
    doc = verb.doc
    if _is_passive(verb):
        speaker = _agent(verb)
        tokens = subtree(verb) - _cue_cluster(verb)
        if speaker is not None:
            tokens -= subtree(speaker.head)
        tokens -= {c.i for c in verb.children if c.dep_ in ("punct", "advcl", "conj", "cc", "mark", "advmod")}
        for child in verb.children:
            if child.dep_ in ("advcl", "conj"):
                tokens -= subtree(child)
        passive_cue = sorted(_cue_cluster(verb) - {c.i for c in verb.children if c.dep_ == "advmod"})
        return [Candidate(cue=passive_cue, speaker=speaker.i if speaker is not None else None,
                          speaker_bounds=np_bounds(speaker) if speaker is not None else None,
                          content=token_segments(doc, tokens),
                          rule="passive" if speaker is not None else "passive_bare",
                          gate=speaker is not None and lemma in lexicon.passive)]
    tokens, rule = _content_from_verb(verb, lemma, lexicon, phrasal)
    gate = _rules_gate(lemma, rule, lexicon, phrasal)
    subject = None if rule == "raising" else subject_of(verb, lexicon)
    if subject is None and rule != "raising":
        return []
    if subject is not None and subject.lower_ in ("i", "we", "you") and rule == "bare":
        gate = False
    cue = {verb.i} | ({phrasal.i} if phrasal is not None else set())
    cue |= cue_auxiliaries(verb)
    excluded = set(cue) | (set(range(*np_bounds(subject))) if subject is not None else set())
    variants = [(rule, tokens)] + [(f"{rule}:{name}", extra) for name, extra in _variants(verb, rule, tokens)]
    seen: set[tuple[tuple[int, int], ...]] = set()
    found = []
    for name, variant in variants:
        segments = token_segments(doc, variant - excluded)
        if (not segments and name != "bare") or tuple(segments) in seen:
            continue
        seen.add(tuple(segments))
        found.append(Candidate(cue=sorted(cue), speaker=subject.i if subject is not None else None,
                               speaker_bounds=np_bounds(subject) if subject is not None else None,
                               content=segments, rule=name, gate=gate and name == rule))
    return found


def _variants(verb: Token, rule: str, tokens: set[int]) -> list[tuple[str, set[int]]]:
    """Other extents of the same content, for the selector to weigh against the first."""
    variants = []
    if rule == "object":
        objects = [c for c in verb.children if c.dep_ in ("dobj", "oprd")]
        variants.append(("bare", set().union(*(subtree(c) for c in objects))))

    elif rule == "prep":
        preps = [c for c in verb.children if c.dep_ == "prep" and c.i > verb.i]
        objects = [g for p in preps for g in p.children if g.dep_ in ("pobj", "pcomp")]
        if objects:
            variants.append(("object", subtree(objects[0])))
    elif rule == "parenthetical":
        sentence = verb.sent
        variants.append(("sentence", {t.i for t in sentence} - subtree(verb)))
    return variants


def _noun_candidates(noun: Token, lexicon: Lexicon) -> list[Candidate]:
    owner = next((c for c in noun.children if c.dep_ == "poss"), None)
    if owner is None:
        by = next((c for c in noun.children if c.dep_ == "prep" and c.lower_ == "by"), None)
        owner = next((c for c in by.children if c.dep_ == "pobj"), None) if by is not None else None
    if owner is None:
        return []
    found = []
    comp = next((c for c in noun.children if c.dep_ in ("acl", "ccomp")
                 and any(m.dep_ == "mark" and m.lower_ == "that" for m in c.children)), None)
    cue = [noun.i]
    if comp is None and noun.dep_ in ("nsubj", "nsubjpass") and noun.head.lemma_ in ("be", "remain"):
        comp = next((c for c in noun.head.children if c.dep_ == "ccomp"), None)
        cue = [noun.i, noun.head.i]
    if comp is not None:
        found.append(Candidate(cue=sorted(cue), speaker=owner.i, speaker_bounds=np_bounds(owner),
                               content=token_segments(noun.doc, subtree(comp)), rule="noun",
                               gate=noun.lemma_.lower() in lexicon.communication_nouns))
    # "Obama's endorsement of Clinton", "her support for the bill"
    for prep in noun.children:
        if prep.dep_ == "prep" and prep.lower_ in ("of", "for", "on", "about", "against", "to", "with"):
            objects = [c for c in prep.children if c.dep_ in ("pobj", "pcomp")]
            if objects:
                found.append(Candidate(cue=[noun.i], speaker=owner.i, speaker_bounds=np_bounds(owner),
                                       content=token_segments(noun.doc, subtree(objects[0])),
                                       rule="noun_prep", gate=False))
                break
    return found
