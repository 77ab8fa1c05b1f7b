"""Has this claim been checked before? Ranking a catalogue of known claims for a sentence.

Three stages, the first two cheap:

1. candidates: BM25 (``bm25s``, Snowball-stemmed words without stop words, each actor named read as
   its country's token, ``read_actors``) over each known claim's claim + title + subtitle, top ``POOL``,
   joined by the ``COSINE_POOL`` nearest by MiniLM cosine (the query's vector is made of
   ``query_text``: its capitals and seats of government named as their countries);
2. features of each candidate (``pair_features``): BM25 on the whole text, the claim and the title,
   raw and scaled within the query's candidates; MiniLM cosine to the claim, title and subtitle,
   raw, scaled and as a gap to the best; ranks; overlap of content words, numbers and capitalised
   words;
3. a learned re-ranker (``data/factcheck/matching.json``, made by ``scripts/train_matching.py`` on
   the CheckThat! 2022 2A train split): a logistic regression or gradient-boosted trees (chosen on
   dev; the shipped one is linear), evaluated here with numpy, whose output is the probability that
   the candidate is the claim the sentence repeats.

The known claims' vectors are made once, on import, and kept in the store (``Catalogue.vectors``),
so matching new claims embeds only the claims.
"""
from __future__ import annotations

import functools
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Any

import numpy as np
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from ..errors import ConfigError, Messages
from ..store.factcheck import MATCH_THRESHOLD
from ..trees import TreeEnsemble
from .known import KnownClaim

__all__ = ["Catalogue", "Match", "Reranker", "load_reranker", "tokenize", "pair_features", "FEATURES", "FIELDS",
           "POOL", "COSINE_POOL", "MATCH_THRESHOLD", "clean_text", "actor_codes", "ACTOR_TOKENS",
           "resolve_places", "query_text", "read_places", "RESOLVE_PLACES", "read_actors", "ACTOR_NAMES"]

FIELDS = ("claim", "title", "subtitle")  # each gets its own MiniLM vector
POOL = 100  # BM25 candidates per query
COSINE_POOL = 30  # and the nearest by cosine, when BM25 missed them
ACTOR_TOKENS = True  # BM25 also matches the countries texts name (``read_places``)
ACTOR_NAMES = False  # and keeps the words that name them (False: the country's token stands for them)
RESOLVE_PLACES = True  # the query's MiniLM vector reads capitals and seats as their countries
_WORD = re.compile(r"(?u)\b\w\w+\b")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_CAPITAL = re.compile(r"\b[A-Z][\w'’-]+")
_URL = re.compile(r"https?://\S+|pic\.twitter\.com/\S+|www\.\S+")
_STOPWORDS = ENGLISH_STOP_WORDS  # scikit-learn's 318 English stop words

FEATURES = (
    "bm25", "bm25_ratio", "bm25_scaled", "bm25_rank", "bm25_claim_scaled", "bm25_title_scaled",
    "cos_claim", "cos_title", "cos_subtitle", "cos_max", "cos_scaled", "cos_gap", "cos_rank",
    "baseline", "word_overlap", "known_covered", "numbers_shared", "numbers_missing", "capitals_shared",
    "query_words", "countries_jaccard", "countries_missing", "actors_shared",
)


def clean_text(text: str) -> str:
    """``text`` without links (a tweet's t.co address says nothing about its claim)."""
    return " ".join(_URL.sub(" ", text).split())


@functools.lru_cache(maxsize=1)
def _stemmer() -> Any:
    try:
        import Stemmer
    except ImportError as e:
        raise ConfigError(Messages.CG403.format(package="PyStemmer", extra="factcheck")) from e
    return Stemmer.Stemmer("english")


def tokenize(texts: Sequence[str], *, actors: bool = False) -> list[list[str]]:
    """Lower-cased, stemmed words of two letters or more, stop words left out; with ``actors`` (and
    ``ACTOR_TOKENS``), each country the text names (``read_places``) added once as a token of its
    own, "actor:rus", which stands for the words that named it (``read_actors``) unless
    ``ACTOR_NAMES``."""
    stemmer = _stemmer()
    tokens = []
    for text in texts:
        plain, codes = read_actors(text) if actors and ACTOR_TOKENS else (text, ())
        words = stemmer.stemWords([word for word in _WORD.findall((text if ACTOR_NAMES else plain).lower())
                                   if word not in _STOPWORDS])
        words.extend(f"actor:{code.lower()}" for code in codes)
        tokens.append(words)
    return tokens


ACTOR_KINDS = frozenset({"country", "capital", "seat", "agent", "person"})  # companies and media: not theirs
PLACE_KINDS = frozenset({"capital", "seat"})


def read_places(text: str) -> tuple[str, tuple[str, ...]]:
    """``text`` read through the actor knowledge base, once: the text with each capital or seat of
    government named as its country ("talks between Moscow and Kyiv" -> "talks between Russia and
    Ukraine", "the Kremlin's" -> "Russia's"), and the countries it names by their places, seats,
    agents and office-holders ("the United States", "US", "Washington" -> USA; "Moscow", "Putin" ->
    RUS), sorted.

    Why: catalogues and news name the same actor in different words ("US sabotages Putin's peace
    efforts" / "the United States blocks peace talks between Moscow and Kyiv"); BM25 on the words alone,
    where "US" is also the stop word "us", sees one shared word, and MiniLM reads "Moscow" as a city.
    Companies and media are left out of the countries: a claim about them is not about their country."""
    resolved, codes, _ = _read(text)
    return resolved, codes


def read_actors(text: str) -> tuple[str, tuple[str, ...]]:
    """``text`` without the words that name an actor the knowledge base codes as a country (its name,
    places, seats, agents, office-holders: what ``read_places`` counts), and those countries, sorted.

    Why: BM25 reads each such actor as its country's token alone (``tokenize``), so that the words
    naming it count once, the same in every text: "the United States" is no longer two words that
    "US" (the stop word "us") lacks, nor "Moscow" and "Kyiv" words a text naming Putin and Ukraine
    lacks. Office-holders are their country to BM25 only; the re-ranker's ``actors_shared`` and
    ``capitals_shared`` and the MiniLM vectors still tell them apart."""
    _, codes, plain = _read(text)
    return plain, codes


@functools.lru_cache(maxsize=65536)
def _read(text: str) -> tuple[str, tuple[str, ...], str]:
    """One pass of the actor knowledge base over ``text``: ``read_places``'s text and countries, and
    ``read_actors``'s text."""
    from ..actors.kb import load_kb, words

    kb = load_kb()
    found = words(text)
    spans, position = [], 0
    for word in found:  # the words' character offsets: each is found after the one before
        start = text.find(word, position)
        if start < 0:  # not as written (never seen): name the countries, rename and remove nothing
            return text, tuple(sorted({m.entry.code for m in kb.scan(text)
                                       if m.entry.code and m.entry.kind in ACTOR_KINDS})), text
        spans.append((start, start + len(word)))
        position = start + len(word)
    codes: set[str] = set()
    named: set[int] = set()  # the words naming an actor with a country
    pieces, last = [], 0
    for match in kb.scan(text):
        code = match.entry.code
        if not code or match.entry.kind not in ACTOR_KINDS:
            continue
        codes.add(code)
        named.update(range(match.start, match.end))
        start, end = spans[match.start][0], spans[match.end - 1][1]
        end -= text[end - 1] == "."  # the knowledge base's words take a full stop along ("Paris.")
        if match.entry.kind not in PLACE_KINDS or code not in kb.countries or start < last:
            continue  # not a place, or the same words matched as a capital and as a seat
        before = text[last:start]
        if before.lower().endswith("the "):
            before = before[:-4]
        possessive = next((suffix for suffix in ("'s", "’s") if text[start:end].endswith(suffix)), "")
        pieces += [before, kb.countries[code]["name"] + possessive]
        last = end
    resolved = "".join([*pieces, text[last:]]) if pieces else text
    plain = " ".join(word for i, word in enumerate(found) if i not in named) if named else text
    return resolved, tuple(sorted(codes)), plain


def actor_codes(text: str) -> tuple[str, ...]:
    """The countries ``text`` names (``read_places``)."""
    return read_places(text)[1]


def resolve_places(text: str) -> str:
    """``text`` with its capitals and seats of government named as their countries (``read_places``)."""
    return read_places(text)[0]


def query_text(query: str) -> str:
    """What a query's MiniLM vector is made from: ``clean_text``, places resolved (``RESOLVE_PLACES``)."""
    cleaned = clean_text(query)
    return resolve_places(cleaned) if RESOLVE_PLACES else cleaned


@dataclass(frozen=True, slots=True)
class Match:
    """A known claim ranked for a query: its index in the catalogue, the re-ranker's probability."""

    index: int
    id: str
    score: float


def _scaled(values: np.ndarray) -> np.ndarray:
    low, high = float(values.min()), float(values.max())
    if high - low <= 1e-9:
        return np.ones_like(values)
    scaled: np.ndarray = (values - low) / (high - low)
    return scaled


def _rank_inverse(values: np.ndarray) -> np.ndarray:
    order = np.argsort(-values, kind="stable")
    ranks = np.empty(len(values), dtype=np.float32)
    ranks[order] = np.arange(len(values), dtype=np.float32)
    inverse: np.ndarray = 1.0 / (1.0 + ranks)
    return inverse


@functools.lru_cache(maxsize=65536)
def _actors(text: str) -> tuple[frozenset[str], frozenset[str]]:
    """The countries (ISO3 or IGO codes) and the actors (canonical names) the actor knowledge base
    finds named in ``text``: "Moscow", "Putin" and "Russian" all count as RUS."""
    from ..actors.kb import load_kb

    found = load_kb().scan(text)
    return (frozenset(match.entry.code for match in found if match.entry.code),
            frozenset(match.entry.name for match in found))


def _words(text: str) -> set[str]:
    return {word for word in _WORD.findall(text.lower()) if word not in _STOPWORDS}


def pair_features(query: str, candidates: Sequence[KnownClaim], *, bm25: np.ndarray, bm25_claim: np.ndarray,
                  bm25_title: np.ndarray, cosines: np.ndarray) -> np.ndarray:
    """(len(candidates), len(FEATURES)) float32: the features of each candidate for ``query``.

    ``bm25*`` are the candidates' BM25 scores (whole text, claim, title); ``cosines`` their MiniLM
    cosines to the query, one column per field of ``FIELDS`` (NaN where the field is empty)."""
    n = len(candidates)
    cos = np.nan_to_num(cosines, nan=-1.0)
    cos_max = cos.max(axis=1)
    bm25_max = max(float(bm25.max()), 1e-9)
    bm25_scaled, cos_scaled = _scaled(bm25), _scaled(cos_max)
    query_words = _words(query)
    query_numbers = set(_NUMBER.findall(query))
    query_capitals = {word.lower() for word in _CAPITAL.findall(query)}
    query_countries, query_actors = _actors(query)
    lexical = np.zeros((n, 9), dtype=np.float32)
    for row, known in enumerate(candidates):
        text = known.text
        words = _words(text)
        numbers = set(_NUMBER.findall(text))
        shared = len(query_words & words)
        countries, actors = _actors(text)
        lexical[row] = (shared / max(len(query_words), 1), shared / max(len(words), 1),
                        len(query_numbers & numbers), len(numbers - query_numbers) if numbers else 0,
                        len(query_capitals & {word.lower() for word in _CAPITAL.findall(text)}),
                        np.log1p(len(query_words)),
                        len(query_countries & countries) / max(len(query_countries | countries), 1),
                        len(query_countries - countries), len(query_actors & actors))
    columns = [bm25, bm25 / bm25_max, bm25_scaled, _rank_inverse(bm25), _scaled(bm25_claim), _scaled(bm25_title),
               cosines[:, 0], cosines[:, 1], cosines[:, 2], cos_max, cos_scaled, cos_max - cos_max.max(),
               _rank_inverse(cos_max), 0.3 * bm25_scaled + 0.7 * cos_scaled]
    dense = np.column_stack([np.nan_to_num(column, nan=-1.0) for column in columns]).astype(np.float32)
    return np.hstack([dense, lexical])


class Reranker:
    """The learned re-ranker, scored with numpy: ``predict(features)`` is a probability per row.

    ``kind`` "linear": a logistic regression over standardised features; "trees": gradient-boosted
    trees exported from scikit-learn's HistGradientBoostingClassifier as plain arrays. The training
    script chooses between them on dev.

    Not a dataclass: ``__init__`` unpacks the weights into arrays."""

    def __init__(self, model: dict[str, Any]):
        if list(model["features"]) != list(FEATURES):
            raise ConfigError(Messages.CG392.format(expected=len(FEATURES), found=len(model["features"])))
        self.version = str(model["version"])
        self.kind = str(model["kind"])
        self.weights = {key: np.asarray(value, dtype=np.float64) for key, value in model.items()
                        if key in ("mean", "scale", "coef")}
        self.baseline = float(model.get("intercept", model.get("baseline", 0.0)))
        self.trees = TreeEnsemble(model.get("trees", []), self.baseline)

    def predict(self, features: np.ndarray) -> np.ndarray:
        if self.kind != "linear":
            return self.trees.probabilities(features)
        raw = ((features - self.weights["mean"]) / self.weights["scale"]) @ self.weights["coef"] + self.baseline
        probability: np.ndarray = 1.0 / (1.0 + np.exp(-raw))
        return probability


@functools.lru_cache(maxsize=1)
def load_reranker() -> Reranker:
    """The packaged re-ranker (``data/factcheck/matching.json``), loaded once per process."""
    raw = resources.files("claimgraph.data").joinpath("factcheck", "matching.json").read_text("utf-8")
    return Reranker(json.loads(raw))


class Catalogue:
    """Known claims indexed for matching: BM25 over their words, MiniLM vectors of their fields.

    Not a dataclass: ``__init__`` builds the indexes. ``vectors`` maps each of ``FIELDS`` to an
    (n, 384) float32 array of unit rows (zero rows for empty fields); None embeds them here.
    """

    def __init__(self, known: Sequence[KnownClaim], *, vectors: dict[str, np.ndarray] | None = None,
                 embedder: Any = None):
        import bm25s

        self.known = list(known)
        self.collections: list[str] = []  # each known claim's collection, when read from a store
        self._embedder = embedder
        if vectors is None:
            vectors = self.embed_known(self.known, embedder=self.embedder)
        self.vectors = vectors
        self.empty = {name: ~np.any(vectors[name] != 0, axis=1) for name in FIELDS}
        self.indexes: dict[str, Any] = {}  # an index with no words (no titles at all) is left out: zeros
        titles = [" ".join(filter(None, (k.title, k.subtitle))) for k in self.known]
        for name, texts in (("all", [k.text for k in self.known]), ("claim", [k.claim for k in self.known]),
                            ("title", titles)):
            tokens = tokenize(texts, actors=True)
            if any(tokens):
                index = bm25s.BM25()
                index.index(tokens, show_progress=False)
                self.indexes[name] = index

    def __len__(self) -> int:
        return len(self.known)

    @property
    def embedder(self) -> Any:
        if self._embedder is None:
            from ..narratives.embed import MiniLMEmbedder

            self._embedder = MiniLMEmbedder()
        return self._embedder

    @staticmethod
    def embed_known(known: Sequence[KnownClaim], *, embedder: Any) -> dict[str, np.ndarray]:
        """The MiniLM vectors of each field of ``known`` (zero rows where a field is empty)."""
        vectors = {}
        for name in FIELDS:
            texts = [getattr(claim, name) or "" for claim in known]
            rows = [i for i, text in enumerate(texts) if text]
            matrix = np.zeros((len(texts), 384), dtype=np.float32)
            if rows:
                matrix[rows] = embedder.embed([texts[i] for i in rows])
            vectors[name] = matrix
        return vectors

    def candidates(self, query_tokens: list[str], query_vector: np.ndarray) -> tuple[np.ndarray, dict[str, np.ndarray],
                                                                                     np.ndarray]:
        """The candidate indexes for one query, their BM25 scores by index name, their cosines."""
        scores = {name: (self.indexes[name].get_scores(query_tokens) if name in self.indexes and query_tokens
                         else np.zeros(len(self.known), dtype=np.float32)) for name in ("all", "claim", "title")}
        cosines = np.column_stack([self.vectors[name] @ query_vector for name in FIELDS])
        for column, name in enumerate(FIELDS):
            cosines[self.empty[name], column] = np.nan
        best = np.nan_to_num(cosines, nan=-1.0).max(axis=1)
        pool = min(POOL, len(self.known))
        by_bm25 = np.argpartition(-scores["all"], pool - 1)[:pool] if pool < len(self.known) else np.arange(pool)
        extra = min(COSINE_POOL, len(self.known))
        by_cosine = np.argpartition(-best, extra - 1)[:extra] if extra < len(self.known) else np.arange(extra)
        chosen = np.unique(np.concatenate([by_bm25, by_cosine]))
        return chosen, {name: values[chosen] for name, values in scores.items()}, cosines[chosen]

    def features(self, query: str, query_vector: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(candidate indexes, their features) for one query."""
        query = clean_text(query)
        chosen, scores, cosines = self.candidates(tokenize([query], actors=True)[0], query_vector)
        features = pair_features(query, [self.known[i] for i in chosen], bm25=scores["all"],
                                 bm25_claim=scores["claim"], bm25_title=scores["title"], cosines=cosines)
        return chosen, features

    def match(self, queries: Sequence[str], *, top: int = 5, query_vectors: np.ndarray | None = None,
              reranker: Reranker | None = None) -> list[list[Match]]:
        """The ``top`` known claims for each query, best first, with the re-ranker's probability."""
        if not self.known:
            return [[] for _ in queries]
        reranker = reranker or load_reranker()
        if query_vectors is None:
            query_vectors = self.embedder.embed([query_text(query) for query in queries])
        found = []
        for query, vector in zip(queries, query_vectors, strict=True):
            chosen, features = self.features(query, vector)
            probability = reranker.predict(features)
            order = np.argsort(-probability, kind="stable")[:top]
            found.append([Match(index=int(chosen[i]), id=self.known[int(chosen[i])].id,
                                score=round(float(probability[i]), 4)) for i in order])
        return found
