"""The cue lexicon (data/cues.toml), loaded once."""
from __future__ import annotations

import functools
import tomllib
from dataclasses import dataclass
from importlib import resources


@dataclass(frozen=True, slots=True)
class Lexicon:
    speech: frozenset[str]
    cognition: frozenset[str]
    object_content: frozenset[str]
    phrasal: frozenset[tuple[str, str]]
    passive: frozenset[str]
    communication_nouns: frozenset[str]
    group_heads: frozenset[str]
    abstract_subjects: frozenset[str]
    media_words: frozenset[str]
    media_nouns: frozenset[str]
    outlets: frozenset[str] = frozenset()  # outlet names, lower case
    platforms: frozenset[str] = frozenset()  # platforms whose posts carry words (a chain's "channel")
    not_outlets: frozenset[str] = frozenset()  # heads of an audience, not a medium ("told Parliament")
    anonymous_heads: frozenset[str] = frozenset()  # "a senior official", "two diplomats"
    anonymous_markers: tuple[str, ...] = ()  # "unnamed", "familiar with"
    anonymity_phrases: tuple[str, ...] = ()  # "on condition of anonymity", in the speaker's sentence

    def is_cue_verb(self, lemma: str) -> bool:
        return lemma in self.speech or lemma in self.cognition


@functools.cache
def load_lexicon() -> Lexicon:
    data = tomllib.loads(resources.files("claimgraph.data").joinpath("cues.toml").read_text("utf-8"))
    verbs, nouns = data["verbs"], data["nouns"]
    return Lexicon(
        speech=frozenset(verbs["speech"]),
        cognition=frozenset(verbs["cognition"]),
        object_content=frozenset(verbs["object_content"]),
        phrasal=frozenset(tuple(item.split(" ", 1)) for item in verbs["phrasal"]),
        passive=frozenset(verbs["passive"]),
        communication_nouns=frozenset(nouns["communication"]),
        group_heads=frozenset(data["sources"]["groups"]),
        abstract_subjects=frozenset(data["sources"]["abstract"]),
        media_words=frozenset(data["media"]["name_words"]),
        media_nouns=frozenset(data["media"]["nouns"]),
        outlets=frozenset(data["media"]["outlets"]),
        platforms=frozenset(data["media"]["platforms"]),
        not_outlets=frozenset(data["media"]["not_outlets"]),
        anonymous_heads=frozenset(data["anonymous"]["heads"]),
        anonymous_markers=tuple(data["anonymous"]["markers"]),
        anonymity_phrases=tuple(data["anonymous"]["sentence_markers"]),
    )
