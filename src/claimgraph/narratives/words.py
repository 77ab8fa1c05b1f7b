"""The word view of the learned narrative classifier: TF-IDF over an article's words and word pairs.

Static sentence vectors (``embed.StaticEmbedder``) average word pieces, so they see what an article is
about but lose its wording; the word view keeps it. On the labelled articles the two views err on
different articles, and the Other gate and the narrative heads of ``learned.py`` average them
(docs/evaluation.md has the figures).

The features follow the usual recipe (as scikit-learn's ``TfidfVectorizer(sublinear_tf=True,
ngram_range=(1, 2))``, except that word pairs stay inside a sentence), written out so that every
feature splits into one share per sentence:

- terms: lowercased tokens of two or more word characters, and pairs of adjacent tokens inside one
  sentence; only the terms of the trained vocabulary count;
- weight of a term: ``(1 + ln tf) * idf``, then the article's vector is scaled to unit length;
- a term's weight is shared among the sentences it occurs in, in proportion to its count there, so a
  linear head's logit is a sum of sentence shares (the evidence) plus its intercept.
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from itertools import pairwise

import numpy as np
from scipy import sparse

__all__ = ["WordVocabulary", "sentence_terms", "count_terms"]

_TOKEN = re.compile(r"\b\w\w+\b")


def sentence_terms(text: str) -> list[str]:
    """The terms of one sentence: its tokens, lowercased, then its adjacent token pairs."""
    tokens = _TOKEN.findall(text.lower())
    return tokens + [f"{a} {b}" for a, b in pairwise(tokens)]


def count_terms(sentences: Iterable[str]) -> Counter[str]:
    """Term counts over an article's sentences (pairs never cross a sentence boundary)."""
    counts: Counter[str] = Counter()
    for sentence in sentences:
        counts.update(sentence_terms(sentence))
    return counts


class WordVocabulary:
    """Terms and their inverse document frequencies; ``features`` turns sentences into a unit vector
    and the per-sentence shares of it."""

    def __init__(self, terms: Sequence[str], idf: np.ndarray):
        if len(terms) != len(idf):
            raise ValueError(f"{len(terms)} terms but {len(idf)} idf values")
        self.terms = list(terms)
        self.index = {term: i for i, term in enumerate(self.terms)}
        self.idf = np.asarray(idf, dtype=np.float64)

    @classmethod
    def fit(cls, documents: Sequence[Sequence[str]], *, min_df: int = 2) -> WordVocabulary:
        """Terms found in at least ``min_df`` of ``documents`` (each a list of sentences), with the
        smoothed idf ``ln((1 + n) / (1 + df)) + 1``."""
        frequency: Counter[str] = Counter()
        for sentences in documents:
            frequency.update(set(count_terms(sentences)))
        terms = sorted(term for term, df in frequency.items() if df >= min_df)
        n = len(documents)
        idf = np.array([np.log((1 + n) / (1 + frequency[term])) + 1.0 for term in terms])
        return cls(terms, idf)

    def __len__(self) -> int:
        return len(self.terms)

    def _weights(self, sentences: Sequence[str]) -> tuple[list[Counter[str]], dict[str, float], np.ndarray,
                                                          np.ndarray]:
        """(per sentence its vocabulary terms' counts; per term of the article its weight per
        occurrence; the terms' columns and their weights in the unit vector)."""
        per_sentence = [Counter(t for t in sentence_terms(s) if t in self.index) for s in sentences]
        total: Counter[str] = Counter()
        for counts in per_sentence:
            total.update(counts)
        terms = list(total)
        columns = np.array([self.index[t] for t in terms], dtype=int)
        tf = np.array([total[t] for t in terms], dtype=np.float64)
        weights = (1.0 + np.log(tf)) * self.idf[columns]
        if terms:
            weights /= np.linalg.norm(weights)
        return per_sentence, dict(zip(terms, weights / tf, strict=True)), columns, weights

    def vector(self, sentences: Sequence[str]) -> sparse.csr_matrix:
        """The article's unit TF-IDF vector, 1 x terms, sparse."""
        _, _, columns, weights = self._weights(sentences)
        return self._row(columns, weights)

    def _row(self, columns: np.ndarray, weights: np.ndarray) -> sparse.csr_matrix:
        return sparse.csr_matrix((weights, (np.zeros(len(columns), dtype=int), columns)), shape=(1, len(self.terms)))

    def features(self, sentences: Sequence[str]) -> tuple[sparse.csr_matrix, sparse.csr_matrix]:
        """(the article's unit TF-IDF vector, 1 x terms; the sentences x terms shares whose column sums
        are it), both sparse."""
        per_sentence, per_occurrence, columns, weights = self._weights(sentences)
        rows, cols, values = [], [], []
        for row, counts in enumerate(per_sentence):
            for term, count in counts.items():
                rows.append(row)
                cols.append(self.index[term])
                values.append(count * per_occurrence[term])
        shares = sparse.csr_matrix((values, (rows, cols)), shape=(len(sentences), len(self.terms)))
        return self._row(columns, weights), shares

    def matrix(self, documents: Sequence[Sequence[str]]) -> sparse.csr_matrix:
        """(documents x terms) of ``features``' vectors (training)."""
        if not documents:
            return sparse.csr_matrix((0, len(self.terms)))
        return sparse.vstack([self.vector(sentences) for sentences in documents]).tocsr()
