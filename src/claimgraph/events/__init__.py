"""PLOVER events on the parse: the type (from data/plover.toml), actors and recipients coded with
the actor knowledge base, factuality (asserted / negated / hypothetical), the evidence span, and the
CAMEO root for comparison with GDELT-style data.

``code_events(spacy_doc_or_span, date=...)`` codes every trigger in the text, the main event first:
the event nearest the root of the first sentence that has one, looking through verbs of saying
("X said Y attacked Z" -> the attack).
"""
from __future__ import annotations

import functools
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from typing import TYPE_CHECKING, Any

from ..actors import actor_record, resolve_actor
from ..parse import columns, subtree, tree_depth
from ..versions import versioned

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

__all__ = ["EventCode", "code_events", "code_claim_events", "load_ontology", "EVENT_TYPES", "METHOD",
           "events_method", "rules_event"]

METHOD = "claimgraph.events.minilm.v2"  # v1: before denials turned the claimed event over; lexicon.v1: rules alone
_SAY = {"say", "tell", "add", "state", "note", "report", "write", "announce", "declare", "explain", "claim",
        "assert", "contend", "argue", "insist", "stress", "quote", "cite", "confirm", "believe", "think"}
_MODALS = {"would", "could", "may", "might", "should", "must", "can", "will", "shall"}
_HYPOTHETICAL_HEADS = {"threaten", "plan", "want", "intend", "propose", "consider", "seek", "hope", "try",
                       "aim", "prepare", "vow", "promise", "pledge", "offer", "ask", "urge", "demand", "call"}
_RECIPIENT_PREPS = {"against", "on", "to", "with", "at", "in", "from", "toward", "towards", "into", "for", "of",
                    "between"}
# events of cooperation: announced for the future ("will provide", "ready to contribute") they are
# promises, which PLOVER codes AGREE
_COOPERATIVE = {"AID", "CONCEDE", "CONSULT", "COOPERATE", "RETREAT", "SUPPORT"}
_FUTURE = {"will", "would", "shall"}
_WILLING = {"ready", "willing", "prepared", "able"}
# verbs that take their meaning from their object ("launched a mediation", "completed the withdrawal")
_LIGHT_VERBS = {"launch", "undertake", "hold", "conduct", "carry", "stage", "complete", "make", "begin", "start",
                "speed", "continue", "resume", "mount", "open", "announce", "order", "approve"}
# ending a restriction is a concession ("cancelled the restrictions", "lifted the ban")
_RESTRICTIONS = {"restriction", "sanction", "ban", "embargo", "curfew", "blockade", "measure", "siege", "limit",
                 "strike", "protest", "boycott"}
_RELATIONS = {"tie", "relation", "relationship"}
# what a speaker accuses someone of when they only "say" or "assert" it
_HOSTILE_ACTS = {"ASSAULT", "COERCE", "REJECT", "THREATEN"}
# cues of denial: the speaker says the claimed event did not happen ("denied that the two met",
# "rejected claims that talks were held"), so its factuality, the speaker's, is turned over
_DENIALS = {"deny", "refute", "rebut", "dismiss", "reject", "dispute", "contest", "disavow", "repudiate", "debunk",
            "disprove"}
_TURNED = {"asserted": "negated", "negated": "asserted"}
_IGO_CODES = {"UNO", "EUR", "IGO"}
_PHYSICAL_WAYS = {"road", "street", "bridge", "highway", "railway", "rail", "border", "crossing", "entrance",
                  "traffic", "port", "access", "route", "motorway", "junction", "square", "gate", "runway"}
# negative acts announced on a condition are threats: "will withdraw its force unless ..."
_CONDITIONAL_THREATS = _HOSTILE_ACTS | {"RETREAT", "SANCTION", "PROTEST", "MOBILIZE"}


def events_method() -> str:
    """The method stored with the events this code and the packaged data files make: ``METHOD`` and
    the events stage's version (``claimgraph.versions``)."""
    return versioned(METHOD, "events")


@dataclass(slots=True)
class EventCode:
    """One coded event: what (PLOVER type), who did it to whom, how certain, where in the text."""

    event: str
    actor: list[dict[str, Any]]
    recipient: list[dict[str, Any]]
    factuality: str  # asserted | negated | hypothetical
    start: int
    end: int
    trigger: str
    cameo: str
    confidence: float
    mode: str | None = None
    context: list[str] = field(default_factory=list)
    role: str = "reported"  # reported (an action in the text) | speech_act (a claim's own act) | claimed
    method: str = field(default_factory=events_method)

    def to_dict(self) -> dict[str, Any]:
        return {"event": self.event, "mode": self.mode, "context": self.context, "actor": self.actor,
                "recipient": self.recipient, "factuality": self.factuality, "start": self.start,
                "end": self.end, "trigger": self.trigger, "cameo": self.cameo, "confidence": self.confidence,
                "role": self.role, "method": self.method}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> EventCode:
        return cls(**{key: data[key] for key in cls.__slots__ if key in data})


@functools.cache
def load_ontology() -> dict[str, dict[str, Any]]:
    return tomllib.loads(resources.files("claimgraph.data").joinpath("plover.toml").read_text("utf-8"))


EVENT_TYPES = tuple(load_ontology())


@functools.cache
def _lexicon() -> tuple[dict[str, str], dict[str, str]]:
    """lemma -> event type for verbs and nouns; the first type listing a lemma keeps it."""
    verbs: dict[str, str] = {}
    nouns: dict[str, str] = {}
    for event, spec in load_ontology().items():
        for lemma in spec.get("verbs", []):
            verbs.setdefault(lemma, event)
        for lemma in spec.get("nouns", []):
            nouns.setdefault(lemma, event)
    return verbs, nouns


_LIFTING = ("cancel", "lift", "end", "suspend", "ease", "call", "relax", "revoke", "scrap", "halt")
_MEETING = ("accept", "meet", "heed", "grant")
_RESTORING = ("establish", "restore", "upgrade", "resume", "normalize", "normalise")
_SEVERING = ("sever", "cut", "break", "downgrade", "suspend", "freeze")
_WITHDRAWING = ("pull", "step", "back")
_VOWING = ("vow", "swear")
_OBSTRUCTING = ("block", "blockade", "barricade")
# every verb lemma a rule below looks at, besides the ontology's own verbs
_RULE_VERBS = frozenset(_LIGHT_VERBS).union(_LIFTING, _MEETING, _RESTORING, _SEVERING, _WITHDRAWING, _VOWING,
                                           _OBSTRUCTING, ("call", "strike", "crack"))


def _event_of(token: Token) -> str | None:
    verbs, nouns = _lexicon()
    pos = token.pos_
    if pos == "NOUN":
        return nouns.get(token.lemma_.lower())
    if pos != "VERB":
        return None
    lemma = token.lemma_.lower()
    if lemma not in verbs and lemma not in _RULE_VERBS:
        return None  # most verbs: decided without reading the tree
    children = {c.lower_ for c in token.children if c.dep_ in ("prep", "prt")}
    objects = [c for c in token.children if c.dep_ in ("dobj", "nsubjpass")]
    object_lemmas = {o.lemma_.lower() for o in objects}
    if lemma in _LIGHT_VERBS:  # "launched a mediation effort": the noun is the event
        for obj in objects:
            for noun in [obj, *[c for c in obj.children if c.dep_ in ("compound", "amod")]]:
                if nouns.get(noun.lemma_.lower()):
                    return nouns[noun.lemma_.lower()]
    if object_lemmas & _RESTRICTIONS and lemma in _LIFTING:
        return "CONCEDE"
    if object_lemmas & {"demand", "condition", "term"} and lemma in _MEETING:
        return "CONCEDE"
    if object_lemmas & _RELATIONS and lemma in _RESTORING:
        return "SUPPORT"
    if object_lemmas & _RELATIONS and lemma in _SEVERING:
        return "SANCTION"
    if lemma == "call" and children & {"for", "on"}:
        return "REQUEST"
    if lemma in _WITHDRAWING and children & {"out", "back", "down"}:
        return "RETREAT" if lemma == "pull" else "CONCEDE"
    if lemma in _VOWING and any(_event_of(c) == "ASSAULT" for c in token.children if c.dep_ == "xcomp"):
        return "THREATEN"
    if lemma == "strike" and any(c.dep_ == "dobj" for c in token.children):
        return "ASSAULT"
    if lemma == "crack" and "down" in children:
        return "COERCE"
    if lemma in _OBSTRUCTING and object_lemmas & _PHYSICAL_WAYS:
        return "PROTEST"  # "blocked roads / the bridge": obstruction as protest, not a rejection
    return verbs.get(lemma)


def _noun_phrases(token: Token) -> list[Token]:
    """The head and its coordinated heads: 'Hungarian and Romanian officials' -> both."""
    heads = [token]
    heads += [c for c in token.children if c.dep_ == "conj"]
    for child in token.children:  # adjectives of nationality coordinated inside one phrase
        if child.dep_ == "amod":
            heads += [c for c in child.children if c.dep_ == "conj"]
    return heads


def _actors(tokens: list[Token], date: str | None) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    seen: set[tuple[str | None, str | None]] = set()
    for token in tokens:
        text = token.text if token.dep_ == "amod" else token.doc[token.left_edge.i:token.i + 1].text
        actor = resolve_actor(text, date=date) or resolve_actor(
            token.doc[token.left_edge.i:token.right_edge.i + 1].text, date=date)
        if actor is None or not actor.country:
            continue
        record = _event_actor(actor_record(actor)) | {"text": text}
        key = (record["code"], record["sector"])
        if key not in seen:
            seen.add(key)
            found.append(record)
    return found


def _event_actor(record: dict[str, Any]) -> dict[str, Any]:
    """PLOVER / POLECAT convention: an intergovernmental actor's code is IGO (the UN, the EU and
    the rest alike); which organisation it is stays in ``org`` (UNO, EUR, IGO as the KB has it)."""
    if record.get("code") in _IGO_CODES:
        return record | {"code": "IGO", "org": record["code"]}
    return record


def _participants(trigger: Token, date: str | None) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    subjects, objects = [], []
    for child in trigger.children:
        if child.dep_ == "nsubj":
            subjects += _noun_phrases(child)
        elif child.dep_ == "nsubjpass":
            objects += _noun_phrases(child)
        elif child.dep_ == "agent":
            subjects += [g for g in child.children if g.dep_ == "pobj"]
        elif child.dep_ in ("dobj", "dative", "attr"):
            objects += _noun_phrases(child)
        elif child.dep_ == "prep" and child.lower_ in _RECIPIENT_PREPS:
            objects += [g for g in child.children if g.dep_ == "pobj"]
        elif child.dep_ == "poss" and trigger.pos_ == "NOUN":
            subjects.append(child)
        elif child.dep_ in ("xcomp", "ccomp") and not objects:
            for grandchild in child.children:
                if grandchild.dep_ in ("dobj", "nsubj"):
                    objects.append(grandchild)
                elif grandchild.dep_ == "prep" and grandchild.lower_ in _RECIPIENT_PREPS:
                    objects += [g for g in grandchild.children if g.dep_ == "pobj"]
    if not subjects and trigger.pos_ == "NOUN" and trigger.dep_ in ("dobj", "pobj", "attr", "nsubjpass"):
        verb = trigger.head.head if trigger.dep_ == "pobj" else trigger.head  # "renewed negotiations"
        if verb.pos_ in ("VERB", "AUX"):
            subjects = [n for c in verb.children if c.dep_ == "nsubj" for n in _noun_phrases(c)]
    if not subjects and trigger.dep_ in ("xcomp", "conj", "advcl", "acomp") and trigger.head is not trigger:
        subjects = [c for c in trigger.head.children if c.dep_ == "nsubj"]
        if not subjects and trigger.head.head is not trigger.head:  # "X is ready to contribute"
            subjects = [c for c in trigger.head.head.children if c.dep_ == "nsubj"]
    actors = _actors(subjects, date)
    recipients = _actors(objects, date)
    if not actors or not recipients:
        # the parse left a role empty: fill it from the named places and groups of the sentence,
        # those before the trigger as actors, the others as recipients ("Afghan rebel leaders said
        # they would meet U.N. mediator ...")
        doc = trigger.doc
        taken = set().union(*(subtree(phrase) for phrase in subjects + objects))
        named = [doc[i] for i in range(trigger.sent.start, trigger.sent.end)  # last token of each entity
                 if i not in taken and doc[i].ent_type_ in ("GPE", "NORP", "ORG")
                 and (i + 1 >= len(doc) or doc[i + 1].ent_iob_ != "I")]
        codes = {a["code"] for a in actors + recipients}
        if not actors:
            actors = [a for a in _actors([t for t in named if t.i < trigger.i], date) if a["code"] not in codes]
            codes |= {a["code"] for a in actors}
        if not recipients:
            recipients = [r for r in _actors(named, date) if r["code"] not in codes]
    return actors, recipients


def _factuality(trigger: Token, *, negation: bool = True) -> str:
    """asserted / negated / hypothetical, from the trigger's own negation (unless ``negation`` is off),
    modals and conditions, and the verbs above it ("plans to attack")."""
    if negation and any(c.dep_ == "neg" for c in trigger.children):
        return "negated"
    if any(c.dep_ == "aux" and c.lower_ in _MODALS - {"will", "must"} for c in trigger.children):
        return "hypothetical"
    node = trigger
    for _ in range(3):
        if any(c.dep_ == "mark" and c.lower_ in ("if", "unless") for c in node.children):
            return "hypothetical"
        if node.head is node:
            break
        if node.dep_ in ("xcomp", "ccomp") and node.head.lemma_.lower() in _HYPOTHETICAL_HEADS:
            return "hypothetical"
        node = node.head
    return "asserted"


def _promised(token: Token) -> bool:
    """'will provide', 'would allow', 'ready to contribute', 'offered to mediate'."""
    if any(c.dep_ == "aux" and c.lower_ in _FUTURE for c in token.children):
        return True
    head = token.head
    return token.dep_ == "xcomp" and head is not token and (
        head.lemma_.lower() in _WILLING | {"offer", "promise", "pledge", "agree", "vow", "plan", "intend"})


def _conditional(token: Token) -> bool:
    """'will withdraw ... unless X', 'would boycott if X does not': a threat, by PLOVER's definition."""
    future = any(c.dep_ == "aux" and c.lower_ in _FUTURE | {"'ll"} for c in token.children) or (
        token.dep_ == "xcomp" and token.head.lemma_.lower() in ("vow", "threaten", "swear", "plan"))
    for clause in token.children:
        if clause.dep_ != "advcl":
            continue
        marks = {c.lower_ for c in clause.children if c.dep_ == "mark"}
        if "unless" in marks or ("if" in marks and future):
            return future or "unless" in marks
    return False


def _reports_event(token: Token, triggers: set[int]) -> bool:
    if token.lemma_.lower() not in _SAY:
        return False
    for child in token.children:
        if child.dep_ in ("ccomp", "xcomp", "dobj") and not triggers.isdisjoint(subtree(child)):
            return True
    return False


def code_events(span: Doc | Span, *, date: str | None = None, main_only: bool = False,
                participants: bool = True, learned: bool = True) -> list[EventCode]:
    """Every PLOVER event triggered in ``span``, the main event first, then in text order
    (``main_only``: just the main event, which spares coding the participants of the others).

    ``learned`` (the default): the main event's type and participants come from the learned coder
    (``events.learned``: the shared encoder reads the main event's sentence, with the rules' type as
    one of its features); without it, from the rules alone. The other events stay the rules'."""
    triggers: list[tuple[tuple[int, int, int], Token, str]] = []
    from spacy.tokens import Span

    doc = span.doc if isinstance(span, Span) else span
    pos = columns(doc).pos  # only verbs and nouns trigger events: no Token object for the other words
    low, high = (span.start, span.end) if isinstance(span, Span) else (0, len(doc))
    for sentence_number, sentence in enumerate(span.sents if hasattr(span, "sents") else [span]):
        for i in range(max(sentence.start, low), min(sentence.end, high)):  # a Span's sents run past it
            if pos[i] not in ("VERB", "NOUN"):
                continue
            token = doc[i]
            event = _event_of(token)
            if event is None:
                continue
            if event in _CONDITIONAL_THREATS and _conditional(token):
                event = "THREATEN"
            elif event in _COOPERATIVE and _promised(token):
                event = "AGREE"
            # main-event order: earlier sentence, closer to the root, verbs before nouns, text order
            triggers.append(((sentence_number, tree_depth(token) + (3 if token.pos_ == "NOUN" else 0), token.i),
                             token, event))
    if not triggers:
        return []
    # "announced that it will withdraw": a reporting verb is the main event only when what it
    # reports holds no event of its own
    reported = {token.i for _, token, _ in triggers}
    triggers = [((order[0], order[1] + 20, order[2]) if _reports_event(token, reported) else order, token, event)
                for order, token, event in triggers]
    main = min(triggers, key=lambda item: item[0])
    rest = [] if main_only else [item for item in sorted(triggers, key=lambda item: item[0][2]) if item is not main]
    coded = [_code(token, event, date, participants=participants) for _, token, event in [main, *rest]]
    if learned:
        coded[0] = _learned_main(span, main[1], [(token, event) for _, token, event in triggers], coded[0], date,
                                 participants=participants)
    return coded


def _learned_main(span: Doc | Span, token: Token, triggers: list[tuple[Token, str]], rules: EventCode,
                  date: str | None, *, participants: bool) -> EventCode:
    """The main event as the learned coder reads the text of its sentence (within ``span``): its type,
    the evidence trigger (the sentence's rule trigger of that type, else the rules' main trigger),
    and its actors and recipients: the parse's, else those of the spans the token head marked."""
    from .learned import classify_sentences

    sentence = token.sent
    first, last = (0, sentence.end_char) if span is token.doc else (span[0].idx, span[-1].idx + len(span[-1]))
    start, end = max(sentence.start_char, first), min(sentence.end_char, last)
    text = sentence.text[start - sentence.start_char:end - sentence.start_char]  # not doc.text: joined per access
    result = classify_sentences([text], [rules.event])[0]
    event = result.event
    if event == "THREATEN" and rules.event != "THREATEN" and result.ranked[1:]:
        # a threat needs a threat in the words ("threatened", "vowed to", "unless"): otherwise the act
        # itself ("wants to blow up the dam") is what is claimed
        event = result.ranked[1][0]
    evidence = token
    if event != rules.event:
        same = [t for t, e in triggers if e == event and t.sent == sentence]
        evidence = min(same, key=tree_depth) if same else token
    coded = rules if evidence is token else _code(evidence, event, date, participants=participants)
    factuality = coded.factuality
    if event == "REJECT" and coded.event != "REJECT" and factuality == "negated":
        # "will not negotiate" read as a refusal: the negation is the REJECT ("would not": hypothetical)
        factuality = _factuality(evidence, negation=False)
    actor, recipient = coded.actor, coded.recipient
    if participants and not (actor and recipient):
        sources = _span_actors(token.doc, [(start + a, start + b) for a, b in result.sources], date)
        targets = _span_actors(token.doc, [(start + a, start + b) for a, b in result.targets], date)
        actor, recipient = _merge_roles(sources, actor), _merge_roles(targets, recipient)
    ontology = load_ontology()
    return EventCode(event=event, actor=actor, recipient=recipient, factuality=factuality,
                     start=coded.start, end=coded.end, trigger=coded.trigger, cameo=ontology[event]["cameo"],
                     confidence=round(result.probability, 2), role=coded.role)


def _span_actors(doc: Doc, spans: list[tuple[int, int]], date: str | None) -> list[dict[str, Any]]:
    """The actors of character spans the token head marked, coded with the actor knowledge base."""
    tokens = []
    for start, end in spans:
        marked = doc.char_span(start, end, alignment_mode="expand")
        if marked is not None and len(marked):
            tokens += _noun_phrases(marked.root)
    return _actors(tokens, date)


def _merge_roles(learned: list[dict[str, Any]], parsed: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The parse's actors; the learned spans' where the parse gave none (chosen on the choose half of
    plover-gsr-dev: country F1 0.890 against 0.877 the other way round)."""
    return parsed or learned


def rules_event(span: Doc | Span) -> str | None:
    """The rules' main event type of ``span`` (no participants coded), or None without a trigger."""
    found = code_events(span, main_only=True, participants=False, learned=False)
    return found[0].event if found else None


def _code(token: Token, event: str, date: str | None, *, participants: bool = True) -> EventCode:
    actor, recipient = _participants(token, date) if participants else ([], [])
    said = token.lemma_.lower() in _SAY
    confidence = 0.6 + 0.2 * bool(actor) + 0.1 * bool(recipient) - 0.2 * said
    return EventCode(event=event, actor=actor, recipient=recipient, factuality=_factuality(token),
                     start=token.idx, end=token.idx + len(token.text), trigger=token.text,
                     cameo=load_ontology()[event]["cameo"], confidence=round(confidence, 2))


# verbs that report or warn: the claim's cue, never the event it claims
_REPORTING = _SAY | {"headline", "warn", "caution", "allege", "reveal", "publish", "describe", "suggest", "predict"}
_WARNING = {"warn", "caution"}


def _reporting(doc: Doc, event: EventCode) -> bool:
    """Whether the claimed event's evidence is a verb reporting a clause ("reported that", "warned that")."""
    span = doc.char_span(event.start, event.end, alignment_mode="expand")
    if span is None or len(span) != 1 or span[0].pos_ != "VERB" or span[0].lemma_.lower() not in _REPORTING:
        return False
    return span[0].lemma_.lower() == "headline" or any(c.dep_ in ("ccomp", "parataxis") for c in span[0].children)


def _claimed_events(content: Span, date: str | None) -> list[EventCode]:
    """The content's main event; where it is a verb reporting a clause ("reported that", "warned
    that"), the event of the clause it reports instead (the report is not the claim)."""
    span = content
    for _ in range(3):
        claimed = code_events(span, date=date, main_only=True)
        if not claimed or not _reporting(content.doc, claimed[0]):
            return claimed
        verb = content.doc.char_span(claimed[0].start, claimed[0].end, alignment_mode="expand")
        clauses = [c for c in verb[0].children if c.dep_ in ("ccomp", "parataxis")] if verb is not None else []
        if not clauses:
            return []
        span = content.doc[clauses[0].left_edge.i:clauses[0].right_edge.i + 1]
    return []


def _others_act(content: Span, own: set[str], date: str | None) -> bool:
    """Whether the content's subject is an actor other than the speaker ("... that Kyiv plans to")."""
    subjects = [t for t in content if t.dep_ in ("nsubj", "nsubjpass") and t.head == content.root]
    if not subjects:  # the parse missed the subject ("that Kyiv plans to ..."): the names before the verb
        subjects = [t for t in content if t.i < content.root.i and t.ent_type_ in ("GPE", "NORP", "ORG", "PERSON")]
    return any(a["code"] not in own for a in _actors(subjects, date))


def code_claim_events(cue: Token | None, content: Span, speaker: dict[str, Any] | None, *,
                      date: str | None = None) -> list[EventCode]:
    """The speech act of a claim and the event it claims, kept apart.

    The speech act is the cue's own event ("accused" -> ACCUSE, "urged" -> REQUEST); a neutral cue
    ("said", "asserted") whose content claims a hostile act by someone else is an accusation of
    that actor. The claimed event is the content's main event, with its factuality as the speaker
    puts it: a cue of denial ("denied that ...") turns asserted into negated and negated into asserted.
    """
    claimed = _claimed_events(content, date)
    denial = cue is not None and cue.lemma_.lower() in _DENIALS and _factuality(cue) == "asserted"
    for event in claimed:
        event.role = "claimed"
        if denial:
            event.factuality = _TURNED.get(event.factuality, event.factuality)
    speakers = [speaker] if speaker and speaker.get("code") else []
    act = _event_of(cue) if cue is not None else None
    recipients: list[dict[str, Any]] = []
    own = {s["code"] for s in speakers}
    if claimed:
        recipients = [a for a in claimed[0].actor if a["code"] not in own] or \
                     [a for a in claimed[0].recipient if a["code"] not in own]
    if act == "THREATEN" and cue is not None and cue.lemma_.lower() in _WARNING and _others_act(content, own, date):
        act = None  # "X warned that Y will attack": a warning about another actor, not X's threat
    if act is None and claimed and claimed[0].event in _HOSTILE_ACTS and claimed[0].factuality == "asserted" \
            and any(a["code"] not in own for a in claimed[0].actor) and (speaker or {}).get("kind") != "MEDIA":
        act = "ACCUSE"  # "X asserted that Y blocks the talks": X accuses Y (not "X said X's side will refuse")
    if act is None or cue is None:
        return claimed
    ontology = load_ontology()
    speech = EventCode(event=act, actor=speakers, recipient=recipients, factuality=_factuality(cue),
                       start=cue.idx, end=cue.idx + len(cue.text), trigger=cue.text, cameo=ontology[act]["cameo"],
                       confidence=0.7 if _event_of(cue) else 0.55, role="speech_act")
    return [speech, *claimed]
