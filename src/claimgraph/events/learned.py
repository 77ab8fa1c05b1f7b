"""The learned event coder: the project's encoder (``claimgraph.encoder``) with the events head
(``data/encoder/heads/events.npz``, trained by ``scripts/train_events.py`` on plv-train).

The head reads the mean-pooled sentence vector (a head trained with the rules' main event as an
input, one-hot over ``RULE_TYPES``, also reads that) and gives a PLOVER type; the rules' type then
adds ``RULE_WEIGHT`` to its logit (the rules are evidence, not the decision). A token head on the
same encoder marks the source and target spans, which the actor knowledge base then codes.
The training data merges CONCEDE and RETREAT into YIELD; a YIELD is told apart by the rules' type
(RETREAT where the rules found a retreat, CONCEDE otherwise).
"""
from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = ["RULE_TYPES", "RULE_WEIGHT", "LearnedEvent", "classify_sentences"]

RULE_TYPES = ("AGREE", "CONSULT", "SUPPORT", "COOPERATE", "AID", "CONCEDE", "RETREAT", "REQUEST", "ACCUSE",
              "REJECT", "THREATEN", "PROTEST", "MOBILIZE", "SANCTION", "COERCE", "ASSAULT", "NONE")
# added to the logit of the rules' type; chosen on the choose half of plover-gsr-dev (0.757 there
# against 0.649 without; on plv-train's out-of-fold logits it costs 0.4 points: docs/evaluation.md)
RULE_WEIGHT = 3.0


@dataclass(frozen=True, slots=True)
class LearnedEvent:
    """The head's reading of one text: the type, its probability, every type's probability (best first),
    and the source / target spans (character offsets into the text) the token head marked."""

    event: str
    probability: float
    ranked: tuple[tuple[str, float], ...]
    sources: tuple[tuple[int, int], ...]
    targets: tuple[tuple[int, int], ...]


@functools.cache
def _head() -> dict[str, Any]:
    from ..encoder import load_head

    head = load_head("events")
    return {"weight": head["weight"], "bias": head["bias"], "labels": [str(x) for x in head["labels"]],
            "rule_types": [str(x) for x in head["rule_types"]], "token_weight": head["token_weight"],
            "token_bias": head["token_bias"], "token_labels": [str(x) for x in head["token_labels"]]}


def _softmax(logits: np.ndarray) -> np.ndarray:
    shifted = np.exp(logits - logits.max(-1, keepdims=True))
    probabilities: np.ndarray = shifted / shifted.sum(-1, keepdims=True)
    return probabilities


def _spans(labels: list[str], offsets: Sequence[tuple[int, int]], special: Sequence[bool],
           role: str) -> tuple[tuple[int, int], ...]:
    """Character spans of the B-/I- runs of ``role`` (SOURCE or TARGET), whole words."""
    found: list[list[int]] = []
    for label, (start, end), is_special in zip(labels, offsets, special, strict=True):
        if is_special or end <= start:
            continue
        if label == f"B-{role}" or (label == f"I-{role}" and not found):
            found.append([start, end])
        elif label == f"I-{role}" and found and start - found[-1][1] <= 1:
            found[-1][1] = end
        elif label == f"I-{role}":
            found.append([start, end])
    return tuple((start, end) for start, end in found)


def classify_sentences(texts: Sequence[str], rule_types: Sequence[str | None], *,
                       rule_weight: float | None = None) -> list[LearnedEvent]:
    """The learned event of each text, given the rules' main type of each (None: no trigger);
    one batched pass of the shared encoder for all of them (cached by text). ``rule_weight`` is
    added to the logit of the rules' type (None: ``RULE_WEIGHT``)."""
    if not texts:
        return []
    from ..encoder import load_encoder

    head = _head()
    vectors = load_encoder().encode_tokens(texts)
    rules = np.zeros((len(texts), len(head["rule_types"])), np.float32)
    for row, rule in enumerate(rule_types):
        rules[row, head["rule_types"].index(rule or "NONE")] = 1.0
    sentences = np.stack([v.sentence for v in vectors])
    # a head trained with the rules' type as an input reads it; one trained on the text alone does not
    features = np.concatenate([sentences, rules], 1) if head["weight"].shape[1] > sentences.shape[1] else sentences
    logits = features @ head["weight"].T + head["bias"]
    weight = RULE_WEIGHT if rule_weight is None else rule_weight
    probabilities = _softmax(logits + weight * _rule_votes(head["labels"], rule_types))
    results = []
    for row, (item, rule) in enumerate(zip(vectors, rule_types, strict=True)):
        ranked = sorted(((label, float(p)) for label, p in zip(head["labels"], probabilities[row], strict=True)),
                        key=lambda pair: -pair[1])
        ranked = [(_split_yield(label, rule), p) for label, p in ranked]
        token_labels = [head["token_labels"][i] for i in
                        (item.tokens @ head["token_weight"].T + head["token_bias"]).argmax(1)]
        results.append(LearnedEvent(event=ranked[0][0], probability=ranked[0][1], ranked=tuple(ranked),
                                    sources=_spans(token_labels, item.offsets, item.special, "SOURCE"),
                                    targets=_spans(token_labels, item.offsets, item.special, "TARGET")))
    return results


def _rule_votes(labels: list[str], rule_types: Sequence[str | None]) -> np.ndarray:
    votes = np.zeros((len(rule_types), len(labels)), np.float32)
    for row, rule in enumerate(rule_types):
        label = "YIELD" if rule in ("CONCEDE", "RETREAT") and "YIELD" in labels else rule
        if label in labels:
            votes[row, labels.index(label)] = 1.0
    return votes


def _split_yield(label: str, rule: str | None) -> str:
    if label != "YIELD":
        return label
    return "RETREAT" if rule == "RETREAT" else "CONCEDE"
