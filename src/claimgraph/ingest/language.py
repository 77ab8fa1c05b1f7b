"""The language of an article (py3langid: a naive Bayes model over byte n-grams, 97 languages, its
model inside the package). claimgraph's extraction is built for English: an article detected as
another language gets a CG260 warning naming the language, so zero claims are never silent."""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from ..errors import Messages
from ..records import Article, Failure

__all__ = ["detect_language", "with_language", "NOT_ENGLISH", "MIN_PROBABILITY"]

NOT_ENGLISH = "CG260"
MIN_PROBABILITY = 0.9  # below this (short or mixed texts) the article is taken as English, no warning
SAMPLE_CHARS = 2000  # the start of the text is enough to tell
_IDENTIFIER: list[Any] = []  # loaded once per process (1-2 s)


def detect_language(text: str) -> tuple[str, float]:
    """(ISO 639-1 code, probability) of ``text``; ("", 0.0) for text without letters."""
    sample = text[:SAMPLE_CHARS]
    if not any(ch.isalpha() for ch in sample):
        return "", 0.0
    if not _IDENTIFIER:
        from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

        _IDENTIFIER.append(LanguageIdentifier.from_modelpath(MODEL_DIR / MODEL_FILE, norm_probs=True))
    code, probability = _IDENTIFIER[0].classify(sample)
    return str(code), float(probability)


def with_language(articles: Iterable[Article]) -> Iterator[Article]:
    """``articles``, each with ``language`` set when it was not given (and the detection is sure), and
    a CG260 warning when it is not English."""
    for article in articles:
        if not article.rejected and article.text:
            code, probability = detect_language(article.text)
            if probability >= MIN_PROBABILITY:
                if not article.language:
                    article.language = code
                given = (article.language or code).lower()[:2]
                if given != "en":
                    article.failures.append(Failure(
                        step="ingest", code=NOT_ENGLISH, level="warning", source=article.source,
                        message=Messages.CG260.format(language=given, probability=probability)))
        yield article
