"""Features of an attribution candidate, for the learned selector (``model.py``).

Sparse and named: ``{"lemma=say": 1.0, "rule=complement": 1.0, ...}``. The names are the
model's vocabulary, so changing one here means retraining (scripts/train_attribution.py).
"""
from __future__ import annotations

import math
from typing import TYPE_CHECKING

from ..parse import columns, token_range
from .drafts import span_length
from .lexicon import Lexicon
from .thresholds import DIRECT_SHARE

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from .drafts import Draft
    from .tagger import Tags

_FIRST_WORDS = {"that", "to", "whether", "if", "how", "what", "why", "when", "who", "the", "a", "he", "she",
                "they", "it", "i", "we", "there", "his", "her", "their"}


def draft_features(draft: Draft, doc: Doc, text: str, quoted_chars: bytearray, lexicon: Lexicon,
                   tags: Tags | None = None) -> dict[str, float]:
    """Named features of one candidate attribution (``text`` is ``doc.text``, passed in because
    ``Doc.text`` is rebuilt on every access; ``tags``, the sequence tagger's reading, when the
    model was trained with it)."""
    base_rule = draft.rule.split(":")[0]
    features: dict[str, float] = {"bias_term": 1.0, f"rule={draft.rule}": 1.0, f"base={base_rule}": 1.0}
    if draft.gate:
        features["gate"] = 1.0
    if draft.cue:
        cue = max((doc[i] for i in draft.cue), key=lambda t: t.pos_ in ("VERB", "NOUN"))
        lemma = cue.lemma_.lower() if cue.lower_ != "according" else "according"
        features[f"lemma={lemma}"] = 1.0
        features[f"lemma={lemma}|rule={draft.rule}"] = 1.0
        features[f"lemma={lemma}|base={base_rule}"] = 1.0
        features[f"cuedep={cue.dep_}"] = 1.0
        features[f"cuetag={cue.tag_}"] = 1.0
        features[f"cuedep={cue.dep_}|rule={draft.rule}"] = 1.0
        for name, lemmas in (("speech", lexicon.speech), ("cognition", lexicon.cognition),
                             ("object", lexicon.object_content), ("noun", lexicon.communication_nouns)):
            if lemma in lemmas:
                features[f"lex={name}"] = 1.0
                features[f"lex={name}|rule={draft.rule}"] = 1.0
        if any(doc[i].dep_ == "neg" or doc[i].lower_ in ("not", "n't") for i in draft.cue):
            features["cue_negated"] = 1.0
        if any(c.dep_ == "aux" and c.lower_ in ("will", "would", "could", "might", "may", "should", "can")
               for c in cue.children):
            features["cue_modal"] = 1.0
        cue_at = cue.idx
        features["order=content_first" if draft.content[0][0] < cue_at else "order=cue_first"] = 1.0
        if cue.i + 1 < len(doc) and doc[cue.i + 1].text == ":":
            features["cue_colon"] = 1.0
    else:
        features["lemma=<none>"] = 1.0
    speaker = draft.speaker
    if speaker is None:
        features["spk=none"] = 1.0
        features[f"spk=none|rule={draft.rule}"] = 1.0
    else:
        span = doc.char_span(speaker.start, speaker.end, alignment_mode="expand")
        root = span.root if span is not None and len(span) else None
        if root is not None:
            features[f"spk_pos={root.pos_}"] = 1.0
            features[f"spk_ent={root.ent_type_ or '-'}"] = 1.0
            if root.pos_ == "PRON":
                features[f"spk_pron={root.lower_}"] = 1.0
            elif root.pos_ == "NOUN":
                features[f"spk_lemma={root.lemma_.lower()}"] = 1.0
            if root.tag_ in ("NNS", "NNPS"):
                features["spk_plural"] = 1.0
        if speaker.actor is not None:
            features[f"spk_kind={speaker.actor.kind}"] = 1.0
    chars = [i for s, e in draft.content for i in range(s, e) if not text[i].isspace()]
    words = sum(len(text[s:e].split()) for s, e in draft.content)
    features["content_log_words"] = math.log1p(words)
    if words <= 2:
        features["content_tiny"] = 1.0
    quoted = sum(1 for i in chars if quoted_chars[i]) / len(chars) if chars else 0.0
    features["quoted=full" if quoted >= DIRECT_SHARE else "quoted=part" if quoted > 0 else "quoted=none"] = 1.0
    first = text[draft.content[0][0]:draft.content[0][1]].split(maxsplit=1)
    first_word = first[0].lower().strip("“\"'‘") if first else ""
    features[f"first={first_word if first_word in _FIRST_WORDS else '<other>'}"] = 1.0
    if len(draft.content) > 1:
        features["segments>1"] = 1.0
    if draft.short:  # only a short quotation: an answer ("Absolutely," he said), a scare quote, a one-word title
        features["short=quote"] = 1.0
        features[f"short=quote|rule={base_rule}"] = 1.0
        end = draft.content[-1][1]
        close = text[end - 1:end + 1]  # its last character and the one after: '," he said', '!"'
        features["short_close=" + ("punct" if close[:1] in ",.!?" or close[1:] in (",", "!", "?") else "other")] = 1.0
    last = token_range(doc, *draft.content[-1])
    if last and any(child.i >= last.stop and not child.is_punct for child in doc[last[-1]].children):
        features["open_end"] = 1.0  # the content stops before its last word's dependents: "did not reflect | a"
    if tags is not None:
        _tagger_features(features, draft, doc, tags)
    return features


def _bucket(value: float) -> str:
    return "hi" if value >= 0.7 else "mid" if value >= 0.3 else "lo"


def _tagger_features(features: dict[str, float], draft: Draft, doc: Doc, tags: Tags) -> None:
    """How the sequence tagger reads the candidate: its content, the words just outside it, its
    cue and its speaker."""
    table = columns(doc)
    punct, space = table.punct, table.space
    content = [i for start, end in draft.content for i in token_range(doc, start, end) if not punct[i] and not space[i]]
    if content:
        mean = sum(tags.content[i] for i in content) / len(content)
        features["tg_con"] = mean
        features["tg_con=" + _bucket(mean)] = 1.0
        features["tg_con_min"] = min(tags.content[i] for i in content)
        outside = [i for i in (content[0] - 1, content[-1] + 1) if 0 <= i < len(punct) and not punct[i]]
        if outside:
            features["tg_out"] = max(tags.content[i] for i in outside)
    if draft.cue:
        cue = sum(tags.cue[i] for i in draft.cue) / len(draft.cue)
        features["tg_cue"] = cue
        features["tg_cue=" + _bucket(cue)] = 1.0
    if draft.speaker is not None:
        span = token_range(doc, draft.speaker.start, draft.speaker.end)
        if span:
            source = sum(tags.source[i] for i in span) / len(span)
            features["tg_src"] = source
            features["tg_src=" + _bucket(source)] = 1.0
    features["tg_agree"] = draft.agree
    features["tg_agree=" + _bucket(draft.agree)] = 1.0
    if draft.rule.startswith("tagger"):
        features["tg_rule|spk=" + ("none" if draft.speaker is None else "yes")] = 1.0


def sibling_features(features: dict[str, float], draft: Draft, readings: list[Draft]) -> None:
    """How ``draft`` compares with the other candidates of its cue (``readings``, itself included):
    the selector keeps at most one of them."""
    others = [other for other in readings if other is not draft]
    if not others:
        features["sib=none"] = 1.0
        return
    features["sib=some"] = 1.0
    if draft.agree >= max(other.agree for other in others):
        features["sib_best_agree"] = 1.0
    length = span_length(draft.content)
    lengths = [span_length(other.content) for other in others]
    if length > max(lengths):
        features["sib_longest"] = 1.0
    if length < min(lengths):
        features["sib_shortest"] = 1.0
