"""Builders for narrative tests: stored articles with one claim each, made directly (no pipeline)."""
from __future__ import annotations

import pytest

from claimgraph.records import Actor, Article, Claim, Mention, TextSpan, stable_id


def claim_article(text: str, *, published: str, speaker: str | None = None, outlet: str = "Outlet A",
                  targets: tuple[str, ...] = (), country: str | None = "RUS") -> Article:
    article_id = stable_id("test-article", text, published)
    start = len(speaker) + 6 if speaker else 0
    body = f"{speaker} said {text}" if speaker else text
    claim = Claim(
        id=stable_id(article_id, "claim"), article_id=article_id,
        speaker=Mention(text=speaker, start=0, end=len(speaker), actor=Actor(name=speaker, kind="PERSON",
                                                                            country=country)) if speaker else None,
        cue=TextSpan("said", len(speaker) + 1, len(speaker) + 5) if speaker else None,
        content=(TextSpan(text, start, start + len(text)),), kind="indirect",
        targets=tuple(Mention(text=t, start=start, end=start, actor=Actor(name=t, kind="GPE", country=t[:3].upper()))
                      for t in targets),
        method="test")
    return Article(id=article_id, text=body, outlet=outlet, published=published, claims=[claim])


@pytest.fixture
def claim_article_builder():
    return claim_article
