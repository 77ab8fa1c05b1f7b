"""The speaker's stance toward each actor a claim is about: negative, neutral or positive.

Read off the claim's events first (an accusation of X is negative toward X; praise, support or an
offer to X is positive; claiming that X attacked or blocked something is negative toward X), then
off evaluative words in the content next to the target ("Washington's aggression").
"""
from __future__ import annotations

from typing import Any

__all__ = ["target_stance"]

_WINDOW = 60  # characters either side of the target's mention
_HOSTILE = {"ACCUSE", "REJECT", "THREATEN", "SANCTION", "COERCE", "ASSAULT", "PROTEST", "MOBILIZE"}
_FRIENDLY = {"SUPPORT", "AGREE", "AID", "COOPERATE", "CONSULT", "CONCEDE"}
_NEGATIVE_WORDS = {
    "aggression", "aggressive", "aggressor", "lie", "lies", "lying", "illegal", "illegitimate", "criminal",
    "terrorist", "terrorists", "hostile", "reckless", "unacceptable", "provocation", "provocative",
    "propaganda", "corrupt", "corruption", "regime", "puppet", "destabilize", "destabilise", "undermine",
    "undermines", "block", "blocks", "blocked", "obstruct", "obstructs", "sabotage", "pressure", "threat",
    "dangerous", "failed", "failure", "blame", "guilty", "hypocrisy", "hypocritical", "arrogant", "occupier",
    "occupiers", "invader", "invaders", "war crimes", "genocide", "nazi", "nazis", "junta", "blackmail",
    "interference", "meddling", "diminishing", "inconsistencies", "retreat", "dismissed", "insufficient",
}
_POSITIVE_WORDS = {
    "constructive", "reliable", "partner", "partners", "friend", "friendly", "welcome", "welcomed", "respect",
    "peaceful", "commitment", "praise", "praised", "fair", "good", "great", "successful", "trustworthy",
    "helpful", "generous", "brave", "heroic", "legitimate", "ally", "allies", "support", "supported",
}


def _codes(actors: list[dict[str, Any]]) -> set[str]:
    return {a["code"] for a in actors if a.get("code")}


def target_stance(target: dict[str, Any], events: list[dict[str, Any]], content: str,
                  speaker_code: str | None) -> str:
    """negative / neutral / positive: how the speaker stands toward ``target`` (an actor record
    with "code" and "name") in a claim with these ``events`` and this ``content`` text."""
    code = target.get("code")
    if code and code == speaker_code:
        return "neutral"
    for event in events:
        if not code:
            break
        if event["role"] == "speech_act" and code in _codes(event["recipient"]):
            if event["event"] in _HOSTILE:
                return "negative"
            if event["event"] in _FRIENDLY:
                return "positive"
        if event["role"] == "claimed" and code in _codes(event["actor"]) and event["factuality"] == "asserted":
            if event["event"] in _HOSTILE:
                return "negative"
            if event["event"] in _FRIENDLY - {"CONSULT"}:
                return "positive"
    # evaluative words near the target's mention ("Washington's aggression")
    text, mention = content.lower(), (target.get("mention") or target.get("name") or "").lower()
    at = text.find(mention) if mention else -1
    if at < 0:
        return "neutral"
    window = text[max(0, at - _WINDOW):at + len(mention) + _WINDOW]
    words = {w.strip(".,;:!?“”\"'’()") for w in window.split()}
    negative, positive = len(words & _NEGATIVE_WORDS), len(words & _POSITIVE_WORDS)
    if negative != positive:
        return "negative" if negative > positive else "positive"
    return "neutral"
