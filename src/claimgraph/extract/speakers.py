"""In-document speaker resolution on the parse: surname -> full name, "the foreign minister" ->
the person introduced with that title, pronouns -> the last fitting speaker, groups and
organisations -> a canonical name.

There is no neural coreference for spaCy 3.8 offline; these are rules over entities, titles
(compounds and appositions around person names) and the order of mentions.
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from ..actors import enrich_actor, load_kb, resolve_actor
from ..parse import columns
from ..records import Actor, Mention, TextSpan
from .gender import first_name_gender, honorific_gender, pronoun_gender, title_gender
from .lexicon import Lexicon
from .outlets import described_outlet, is_media, outlet_name
from .reported import np_bounds

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

__all__ = ["SpeakerResolver", "media_name"]

_DETERMINERS = {"the", "a", "an", "some", "another", "other", "several", "many", "two", "three",
                "one", "both", "all", "these", "those", "this", "that", "its", "their", "his", "her"}
_PERSON_PRONOUNS = {"he", "she", "him", "her", "his", "hers"}
_GROUP_PRONOUNS = {"they", "them", "their"}
_ORG_PRONOUNS = {"it", "its"}
_FIRST_PERSON = {"i", "we", "me", "us", "my", "our"}
_TITLE_STOP = {"the", "a", "an", ",", "’s", "'s", "of", "and", "former", "then", "new"}
# abbreviated titles before names, as the lemma a later description uses ("Sen. X" ... "the senator")
_ABBREVIATIONS = {"sen.": "senator", "rep.": "representative", "gov.": "governor", "pres.": "president",
                  "gen.": "general", "sec.": "secretary", "amb.": "ambassador", "lt.": "lieutenant",
                  "col.": "colonel", "adm.": "admiral", "sgt.": "sergeant", "supt.": "superintendent",
                  "atty.": "attorney", "insp.": "inspector", "prof.": "professor", "dr.": "doctor",
                  "rev.": "reverend", "gov": "governor", "sen": "senator", "rep": "representative"}
# heads of descriptions that refer back to an organisation named earlier ("the union", "the company")
_ORG_HEADS = {"union", "company", "group", "organization", "organisation", "agency", "ministry", "department",
              "campaign", "committee", "party", "government", "administration", "firm", "bank", "court",
              "council", "commission", "board", "network", "newspaper", "paper", "outlet", "foundation",
              "institute", "association", "coalition", "alliance", "bloc", "movement", "office", "team",
              "club", "university", "school", "church", "embassy", "army", "military", "police"}
_PERSON_HEADS = {
    "minister", "president", "secretary", "senator", "governor", "mayor", "chancellor",
    "premier", "spokesman", "spokeswoman", "spokesperson", "ambassador", "general", "candidate",
    "nominee", "leader", "chief", "director", "chairman", "chairwoman", "chair", "speaker",
    "representative", "congressman", "congresswoman", "lawmaker", "official", "prosecutor",
    "judge", "commander", "king", "queen", "prince", "ceo", "head", "founder", "adviser",
    "advisor", "aide", "manager", "strategist", "envoy", "diplomat", "attorney", "lawyer",
    "businessman", "billionaire", "pastor", "professor", "analyst", "economist", "author",
    "host", "anchor", "reporter", "editor", "columnist", "correspondent", "deputy", "mogul",
    "democrat", "republican", "frontrunner", "incumbent", "challenger", "rival", "opponent",
}


_PLACE_PREPOSITIONS = {"on", "in", "at", "across", "around", "near", "outside", "inside", "throughout", "within"}
# nouns for people, besides the titles above: what a "who" clause can describe
_PEOPLE = {"people", "person", "man", "woman", "men", "women", "child", "family", "friend", "neighbor", "neighbour",
           "resident", "citizen", "voter", "worker", "employee", "student", "parent", "teacher", "doctor", "nurse",
           "soldier", "veteran", "victim", "witness", "demonstrator", "protester", "activist", "supporter", "critic",
           "member", "expert", "observer", "investigator", "officer", "farmer", "investor", "researcher",
           "scientist", "immigrant", "refugee", "fan", "owner", "insider", "source", "delegation", "team", "group",
           "party", "government", "administration", "authorities", "police", "campaign", "side", "camp"}


@dataclass(slots=True)
class _Title:
    head: str
    words: frozenset[str]
    person: str
    position: int


class SpeakerResolver:
    """Resolve speaker mentions of one parsed article to canonical ``Actor``s.

    Not a dataclass: ``__init__`` indexes the persons and titles of the document.
    """

    def __init__(self, doc: Doc, lexicon: Lexicon, *, date: str | None = None):
        self.doc = doc
        self.date = date  # the article's date: who held an office then
        self.lexicon = lexicon
        self.full_names: dict[str, tuple[str, Span]] = {}  # surname -> (full name, first span)
        self.titles: list[_Title] = []
        self.person_titles: dict[str, list[str]] = {}  # full name -> title phrases seen with it
        self.persons: list[tuple[int, str]] = []  # (token index, full name), text order
        self.history: list[tuple[int, Actor]] = []  # resolved speakers, in order of resolution
        self.entities: list[Span] = list(doc.ents)  # Doc.ents builds new spans on every access
        self.entity_at: dict[int, Span] = {i: ent for ent in self.entities for i in range(ent.start, ent.end)}
        self._entity_chars = [(ent.start_char, ent.end_char) for ent in self.entities]  # sorted, as doc.ents
        for ent in self.entities:
            if ent.label_ != "PERSON":
                continue
            name = _clean_name(ent)
            if not name:
                continue
            parts = name.split()
            surname = parts[-1].casefold()
            if len(parts) > 1 and surname not in self.full_names:
                self.full_names[surname] = (name, ent)
            self._index_titles(ent, name)
        for ent in self.entities:
            if ent.label_ == "PERSON":
                canonical = self._canonical_person(_clean_name(ent))
                if canonical:
                    self.persons.append((ent.start, canonical))
        self._honorifics: dict[str, str | None] | None = None  # surname -> gender ("Ms. Clinton"), on first use
        self._genders: dict[str, str | None] = {}  # canonical name -> gender, as found
        self._countries: set[str] | None = None  # the countries the article's places and nationalities name

    def entities_within(self, segments: list[tuple[int, int]]) -> list[Span]:
        """The entities lying wholly inside one of the (sorted, disjoint) character ``segments``, in text order."""
        found: list[Span] = []
        chars = self._entity_chars
        for start, end in segments:
            k = bisect.bisect_left(chars, (start, -1))
            while k < len(chars) and chars[k][0] < end:
                if chars[k][1] <= end:
                    found.append(self.entities[k])
                k += 1
        return found

    # -- indexing ------------------------------------------------------------------------------
    def _index_titles(self, ent: Span, name: str) -> None:
        doc = self.doc
        root = ent.root
        # "Russian Foreign Minister Sergei Lavrov": titles as compounds before the name
        words: list[Token] = []
        i = ent.start - 1
        while i >= 0 and doc[i].dep_ in ("compound", "amod", "nmod", "poss", "case") and doc[i].head.i >= i \
                and not doc[i].is_punct:
            words.append(doc[i])
            i -= 1
        if words:
            head = next((w for w in words if w.lower_ in _PERSON_HEADS), words[0])
            self._add_title(head, words, name)
        # "Sergei Lavrov, Russia's foreign minister": apposition after the name
        for child in root.children:
            if child.dep_ == "appos" and child.pos_ == "NOUN":
                self._add_title(child, list(child.subtree), name)
        # "the foreign minister, Sergei Lavrov": the name is the apposition
        if root.dep_ == "appos" and root.head.pos_ == "NOUN":
            head = root.head
            self._add_title(head, [t for t in head.subtree if t.i < head.i or t.i == head.i], name)

    def _add_title(self, head: Token, words: list[Token], name: str) -> None:
        self.person_titles.setdefault(name, []).append(" ".join(w.text for w in sorted(words, key=lambda w: w.i)))
        lemmas = frozenset(_title_word(w) for w in words if w.lower_ not in _TITLE_STOP and not w.is_punct)
        self.titles.append(_Title(head=_title_word(head), words=lemmas | {_title_word(head)},
                                  person=name, position=head.i))

    def _canonical_person(self, name: str) -> str:
        """The full name a surname stands for ("Lavrov" -> "Sergei Lavrov"); a full name keeps its
        own first name ("Hillary Clinton" is not "Bill Clinton", named first)."""
        parts = name.split()
        if not parts:
            return name
        found = self.full_names.get(parts[-1].casefold())
        if found and len(found[0].split()) >= len(parts) and (
                len(parts) == 1 or found[0].split()[0].casefold() == parts[0].casefold()):
            return found[0]
        return name

    # -- resolution ----------------------------------------------------------------------------
    def resolve(self, head: Token, bounds: tuple[int, int]) -> Mention:
        """The speaker mention (text and offsets of ``bounds``) with its resolved actor."""
        span = self.doc[bounds[0]:bounds[1]]
        actor = self._resolve_actor(head, span)  # enriched later, for the claims that are kept
        if actor is not None:
            self.history.append((head.i, actor))
        return Mention(text=span.text, start=span.start_char, end=span.end_char, actor=actor)

    def resolve_span(self, span: Span) -> Actor | None:
        return self._enrich(self._resolve_actor(span.root, span), span.text)

    def enrich(self, mention: Mention) -> Mention:
        """The mention with its actor's country, sector and Wikidata id filled in."""
        return replace(mention, actor=self._enrich(mention.actor, mention.text))

    def _enrich(self, actor: Actor | None, mention: str) -> Actor | None:
        """Country, sector and Wikidata id from the knowledge base (for a person: from the titles
        the article gives them, "Russia's foreign minister" -> RUS, GOV)."""
        if actor is None or (actor.country and actor.sector):
            return actor
        if actor.kind == "PERSON" and " " not in actor.name:
            known = resolve_actor(actor.name)  # "Kyiv" tagged as a person by the parser
            if known is not None and known.kind in ("GPE", "ORG", "MEDIA"):
                return replace(known, evidence=actor.evidence)
        if actor.kind == "PERSON":
            known = self._known_person(actor.name)
            if known is not None:  # "Zelensky", never named in full: the table's Volodymyr Zelensky
                return replace(actor, name=known.name, country=known.country, sector=known.sector,
                               wikidata=known.wikidata)
            titles = " ; ".join(self.person_titles.get(actor.name, []))
            words = mention if mention != actor.name and mention.lower() not in _PERSON_PRONOUNS else ""
            matches = load_kb().scan(f"{titles} ; {words}") if titles or words else []
            agents = [m.entry.sector for m in matches if m.entry.kind == "agent"]
            codes = [m.entry.code for m in matches if m.entry.kind != "agent" and m.entry.code]
            # the sector from what they are (minister, general), never from a place in the title
            return replace(actor, country=actor.country or (codes[0] if codes else None),
                           sector=actor.sector or (agents[-1] if agents else None))
        return enrich_actor(actor, mention)

    def _known_person(self, name: str) -> Actor | None:
        """The office-holder table's person for ``name``: the same full name, or a surname alone that
        the table gives to one person ("Zelensky"; it leaves out surnames many share, "Johnson") when
        the article also names that person's country ("Ukraine", "Ukrainian", "Kyiv"): "O'Neill" in a
        New York story is not Papua New Guinea's prime minister."""
        known = resolve_actor(name, date=self.date)
        if known is None or known.kind != "PERSON":
            return None
        if known.name == name:
            return known
        if " " in name or known.name.split()[-1].casefold() != name.casefold():
            return None
        if self._countries is None:
            found = (resolve_actor(ent.text) for ent in self.entities if ent.label_ in ("GPE", "NORP", "LOC"))
            self._countries = {actor.country for actor in found if actor is not None and actor.country}
        return known if known.country in self._countries else None

    def _resolve_actor(self, head: Token, span: Span) -> Actor | None:
        lower = head.lower_
        if lower in ("who", "that", "which") and head.head.dep_ == "relcl" and head.head.head is not head.head:
            # "officials who said": the officials
            antecedent = self._antecedent(head.head.head) if lower == "who" else head.head.head
            bounds = np_bounds(antecedent)
            return self._resolve_actor(antecedent, self.doc[bounds[0]:bounds[1]])
        if head.pos_ == "PRON" or lower in _PERSON_PRONOUNS | _GROUP_PRONOUNS | _ORG_PRONOUNS:
            return self._resolve_pronoun(head)
        ent = self.entity_at.get(head.i)
        if is_media(self._without_place(head, span), self.lexicon):
            name = media_name(span, self.lexicon)
            # a name an outlet shares ("AFP": also the Armed Forces of the Philippines), as a speaker
            # (not a relay position): the reading the sentence's places give
            other = resolve_actor(name, context=head.sent.text)
            outlet = resolve_actor(name, outlet=True)
            if other is not None and other.kind == "ORG" and outlet is not None and outlet.kind == "MEDIA":
                return replace(other, evidence=_text_span(span))
            return Actor(name=name, kind="MEDIA", sector="JRN", evidence=_text_span(span))
        if (ent is not None and ent.label_ == "PERSON") or (
                head.pos_ == "PROPN" and lower in self.full_names):
            name = self._canonical_person(_clean_name(ent) if ent is not None and ent.label_ == "PERSON"
                                          else head.text)
            return Actor(name=name, kind="PERSON", evidence=self._evidence_for(name, span))
        if head.pos_ == "PROPN" and ent is not None and ent.label_ in ("ORG", "GPE") and len(ent) <= 2 and (
                self._known_person(_clean_name(ent)) is not None):
            # "Lavrov" tagged as an organisation: the office-holder table knows a person by that name
            name = self._canonical_person(_clean_name(ent))
            return Actor(name=name, kind="PERSON", evidence=self._evidence_for(name, span))
        if head.pos_ == "PROPN" and ent is not None and ent.label_ in ("ORG", "GPE", "NORP", "FAC", "LOC"):
            kind = {"GPE": "GPE", "LOC": "GPE", "NORP": "GROUP", "FAC": "ORG"}.get(ent.label_, "ORG")
            return Actor(name=_clean_name(ent), kind=kind, evidence=_text_span(ent))
        if head.pos_ == "PROPN":
            return Actor(name=_strip_det(span), kind="ORG", evidence=_text_span(span))
        for child in head.children:  # "Ukraine's foreign minister Andrii Sybiha"
            named = self.entity_at.get(child.i) if child.dep_ == "appos" else None
            if named is not None and (named.label_ == "PERSON" or (
                    # "Heineken's finance chief, Marloes de Vries,": a title's apposition names its holder
                    # whatever the tagger took the name for
                    named.label_ == "ORG" and head.lemma_.lower() in _PERSON_HEADS and head.tag_ == "NN"
                    and child.pos_ == "PROPN" and named.root.i == child.i)):
                name = self._canonical_person(_clean_name(named))
                return Actor(name=name, kind="PERSON", evidence=self._evidence_for(name, named))
        person = self._resolve_description(head, span)
        if person is not None:
            return person
        organisation = self._resolve_organisation(head, span) or self._resolve_by_head(head, span)
        if organisation is not None:
            return organisation
        owner = next((c for c in head.children if c.dep_ == "poss"), None)
        if owner is not None and head.pos_ == "NOUN" and head.lemma_.lower() not in _PERSON_HEADS \
                and head.lemma_.lower() not in self.lexicon.group_heads:
            # "her submission to the court": the owner speaks through it
            bounds = np_bounds(owner)
            return self._resolve_actor(owner, self.doc[bounds[0]:bounds[1]])
        if head.pos_ in ("NOUN", "PROPN"):
            return Actor(name=_strip_det(span), kind="GROUP", evidence=_text_span(span))
        return None

    def _resolve_description(self, head: Token, span: Span) -> Actor | None:
        """'the foreign minister' -> the person introduced as (…) foreign minister."""
        lemma = head.lemma_.lower()
        if lemma not in _PERSON_HEADS or head.tag_ in ("NNS", "NNPS"):
            return None
        if not any(t.lower_ in ("the", "his", "her", "their", "its") or t.dep_ == "poss" for t in span):
            return None
        modifiers = {t.lemma_.lower() for t in span if t.i != head.i and t.lower_ not in _DETERMINERS
                     and not t.is_punct and t.dep_ in ("amod", "compound", "poss", "nmod")
                     and t.ent_type_ != "PERSON"}
        matches = [title for title in self.titles
                   if title.head == lemma and modifiers <= title.words]
        if not matches:
            return None
        before = [title for title in matches if title.position < head.i]
        chosen = before[-1] if before else matches[0]
        return Actor(name=chosen.person, kind="PERSON", evidence=self._evidence_for(chosen.person, span))

    def _resolve_organisation(self, head: Token, span: Span) -> Actor | None:
        """'the union' -> the organisation named last before it (within a few sentences)."""
        lemma = head.lemma_.lower()
        if lemma not in _ORG_HEADS or not _short_definite(head, span, ("the",)):
            return None
        earliest = self.sentences_back(head.i, 5)
        for ent in reversed(self.entities):
            if ent.end <= head.i and ent.start >= earliest and ent.label_ == "ORG" and (
                    any(t.lemma_.lower() == lemma for t in ent)
                    or lemma not in ("court", "police", "army", "military")):
                return Actor(name=_clean_name(ent), kind="MEDIA" if is_media(ent, self.lexicon) else "ORG",
                             evidence=_text_span(ent))
            if ent.end <= earliest:
                break
        return None

    def _without_place(self, head: Token, span: Span) -> Span:
        """The mention without the place or clause after its head, for the outlet check: "Democrats on
        Capitol Hill" names no outlet called "The Hill"; "a correspondent for CNN", "The Times of
        Israel" and "the broadcaster TVP" keep their names."""
        if not span.start <= head.i < span.end:
            return span
        cut = next((child.left_edge.i for child in head.rights
                    if child.dep_ in ("relcl", "acl")
                    or (child.dep_ == "prep" and child.lower_ in _PLACE_PREPOSITIONS)),
                   span.end)
        return self.doc[span.start:max(head.i + 1, min(cut, span.end))]

    def _antecedent(self, token: Token) -> Token:
        """The person or group a "who" clause attached to ``token`` describes. The parser hangs the
        clause on a nearby word: "Democrats on Capitol Hill, who", "demonstrators here, who", "a
        focal point for demonstrators, who"."""
        if self._animate(token):
            return token
        if token.pos_ == "ADV" and self._animate(token.head):
            return token.head
        if token.dep_ == "pobj" and token.head.dep_ == "prep":
            if self._animate(token.head.head):
                return token.head.head
            # the preposition hangs from the verb: the nearest person or group before it, close by
            start = max(self.sentences_back(token.i, 0), token.i - 8)
            found = next((self.doc[k] for k in range(token.head.i - 1, start - 1, -1)
                          if self.doc[k].pos_ in ("NOUN", "PROPN") and self._animate(self.doc[k])), None)
            if found is not None:
                return found
        for child in token.children:
            if child.dep_ == "prep":
                found = next((t for t in child.children if t.dep_ == "pobj" and self._animate(t)), None)
                if found is not None:
                    return found
        return token

    def _animate(self, token: Token) -> bool:
        lemma = token.lemma_.lower()
        return token.ent_type_ in ("PERSON", "NORP") or lemma in _PERSON_HEADS or lemma in _PEOPLE

    def _resolve_by_head(self, head: Token, span: Span) -> Actor | None:
        """'the poll' -> 'Reuters', when "the latest Reuters poll" (or "a poll by Reuters") came a few
        sentences before: the last noun phrase with the same head noun that holds a name."""
        lemma = head.lemma_.lower()
        if head.pos_ != "NOUN" or lemma in _PERSON_HEADS or not _short_definite(head, span, ("the", "this", "that")):
            return None
        table = columns(self.doc)
        for i in range(head.i - 1, self.sentences_back(head.i, 5) - 1, -1):
            if table.lemma[i] != lemma or table.pos[i] != "NOUN":
                continue
            earlier = self.doc[i]
            # a name before the noun ("the Reuters poll") first, else the one it is by or from ("a
            # statement by the council"); not a place ("a poll of voters in Ohio")
            before = [self.entity_at[k] for k in range(earlier.left_edge.i, i) if k in self.entity_at]
            after = [self.entity_at[objects.i] for child in earlier.rights
                     if child.dep_ in ("prep", "agent") and child.lower_ in ("by", "from")
                     for objects in child.children if objects.dep_ == "pobj" and objects.i in self.entity_at]
            names = [ent for ent in before[::-1] + after if ent.label_ in ("ORG", "PERSON", "NORP")]
            if names:
                return self._resolve_actor(names[0].root, names[0])
        return None

    def _resolve_pronoun(self, head: Token) -> Actor | None:
        lower = head.lower_
        if lower in _FIRST_PERSON or lower in ("you", "who", "which", "that", "this", "there"):
            return None
        wanted = ("PERSON",) if lower in _PERSON_PRONOUNS else (
            ("GROUP", "ORG", "GPE", "MEDIA") if lower in _GROUP_PRONOUNS else ("ORG", "GPE", "MEDIA"))
        gender = pronoun_gender(lower) if lower in _PERSON_PRONOUNS else None
        # the last speaker of the right kind (and gender), if introduced within the last few sentences
        earliest = self.sentences_back(head.i, 4) if self.history else 0
        for position, actor in reversed(self.history):
            if position < head.i and actor.kind in wanted and position >= earliest and (
                    gender is None or self.gender(actor.name) in (None, gender)):
                return actor
        if "PERSON" in wanted:
            for position, name in reversed(self.persons):
                if position < head.i and (gender is None or self.gender(name) in (None, gender)):
                    return Actor(name=name, kind="PERSON", evidence=self._evidence_for(name, None))
        return None

    def gender(self, name: str) -> str | None:
        """The gender of the person ``name`` (a canonical name), or None when the census and the
        article leave it open (see extract.gender)."""
        if name not in self._genders:
            self._genders[name] = self._gender(name)
        return self._genders[name]

    def _gender(self, name: str) -> str | None:
        parts = name.split()
        if not parts:
            return None
        found = first_name_gender(parts[0]) if len(parts) > 1 else None
        if found is None:
            if self._honorifics is None:
                self._honorifics = self._read_honorifics()
            surname = parts[-1].casefold()
            # "Mrs. Clinton" says nothing of Bill Clinton when the article names him too
            if len({other for _, other in self.persons if other.split()[-1].casefold() == surname}) <= 1:
                found = self._honorifics.get(surname)
        if found is None:
            found = title_gender([title.head for title in self.titles if self._canonical_person(title.person) == name])
        return found

    def _read_honorifics(self) -> dict[str, str | None]:
        """Surname -> the gender of the honorifics written before it ("Mr. Lavrov"); None where they
        disagree. Capitalised only: "will miss Obama" holds no honorific."""
        table = columns(self.doc)
        found: dict[str, str | None] = {}
        for i in range(len(table.lower) - 1):
            gender = honorific_gender(table.lower[i]) if table.title[i] else None
            if gender is not None and table.pos[i + 1] == "PROPN":
                surname = table.orth[i + 1].casefold()
                found[surname] = gender if found.get(surname, gender) == gender else None
        return found

    def sentences_back(self, i: int, count: int) -> int:
        """Where the sentence ``count`` sentences before token ``i``'s own begins (the first
        sentence's start when there are fewer)."""
        starts = columns(self.doc).sentence_starts()
        number = bisect.bisect_right(starts, i) - 1
        return starts[max(0, number - count)]

    def _evidence_for(self, name: str, span: Span | None) -> TextSpan | None:
        """Where the full name is written: the mention itself, else its first occurrence."""
        if span is not None and span.text.endswith(name):
            start = span.end_char - len(name)
            return TextSpan(text=name, start=start, end=span.end_char)
        found = self.full_names.get(name.split()[-1].casefold()) if name.split() else None
        if found and found[0] == name:
            ent = found[1]
            offset = ent.text.find(name)
            if offset >= 0:
                return TextSpan(text=name, start=ent.start_char + offset, end=ent.start_char + offset + len(name))
        return None


def _short_definite(head: Token, span: Span, determiners: tuple[str, ...]) -> bool:
    """A singular head in a mention of at most three words with one of ``determiners`` ("the union"):
    a description that refers back to something named before."""
    return head.tag_ not in ("NNS", "NNPS") and len(span) <= 3 and any(t.lower_ in determiners for t in span)


def _title_word(token: Token) -> str:
    lower = token.lower_
    return _ABBREVIATIONS.get(lower, token.lemma_.lower())


def _clean_name(span: Span) -> str:
    words = [t for t in span if not (t.i == span.start and t.lower_ == "the")]
    while words and words[-1].text in ("’s", "'s", "’", "'"):
        words.pop()
    if not words:
        return ""
    return span.doc[words[0].i:words[-1].i + 1].text.strip()


def _strip_det(span: Span) -> str:
    words = list(span)
    while words and (words[0].lower_ in _DETERMINERS or words[0].is_punct):
        words.pop(0)
    while words and (words[-1].is_punct or words[-1].text in ("’s", "'s") or words[-1].pos_ == "ADV"):
        words.pop()  # "demonstrators here" -> "demonstrators"
    if not words:
        return span.text
    return span.doc[words[0].i:words[-1].i + 1].text


def media_name(span: Span, lexicon: Lexicon) -> str:
    """'the Russian news agency TASS' -> 'TASS'; 'The New York Times' -> 'The New York Times'."""
    doc = span.doc
    ents = [e for e in doc.ents if e.start >= span.start and e.end <= span.end and e.label_ in ("ORG", "WORK_OF_ART")]
    if ents:
        return ents[-1].text
    if described_outlet(span, lexicon):  # a name the tagger took for a person's, or none at all
        return outlet_name(span)
    return _strip_det(span) if not span.text.startswith("The ") else span.text


def _text_span(span: Span) -> TextSpan:
    return TextSpan(text=span.text, start=span.start_char, end=span.end_char)
