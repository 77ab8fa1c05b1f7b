#!/usr/bin/env python3
"""Issue 19: where the seed article's Lavrov claim loses the 2018 EUvsDisinfo case "US sabotages
Putin's peace efforts in Ukraine", and what re-ranker variants do to it and to CheckThat! dev.

    OMP_NUM_THREADS=1 nice -n 10 python bench/matching_lavrov.py --store /tmp/euvs.db --cache /tmp/fc [--variants]

``--store``: a SQLite store holding the EUvsDisinfo cases (imported there when it holds no known
claims: about 2.5 minutes on one core). The query is the claim's content as stored and shown
("that the United States blocks any peace talks between Moscow and Kyiv with the aim of diminishing
Russia"). The diagnosis: the case's rank by BM25, by cosine and by the packaged re-ranker among the
candidates, the candidates ranked above it, and which of the re-ranker's terms (weight x
standardised value) it loses on against the re-ranker's top 7.

``--variants`` (needs ``--cache``, the MiniLM vectors ``scripts/train_matching.py --cache`` keeps,
and about 2 minutes): re-rankers trained as the script trains them (CheckThat! 2022 2A train,
logistic regression, C of 0.1 or 1 chosen on dev work), with a feature set changed, and each
one's MAP@5 on dev work / unseen / whole (the script's own MAP@5, which agrees with the scorer) and
the case's rank. Extra columns are computed here from the candidates; nothing in the package is
patched. The pro-Kremlin quotes (../shared/eval/narratives) ranked against their 69 sub-claims
alone are a second, paraphrase-like domain: half of them (seeded) can be added to train, the other
half is scored ("kremlin").
"""
from __future__ import annotations

import argparse
import functools
import os
import random
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np

os.environ.setdefault("OMP_NUM_THREADS", "1")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT / "src"))

import train_matching as tm  # noqa: E402

from claimgraph import open_store  # noqa: E402
from claimgraph.factcheck import import_known, stored_catalogue  # noqa: E402
from claimgraph.factcheck.known import KnownClaim, known_from_dict  # noqa: E402
from claimgraph.factcheck.match import (  # noqa: E402
    ACTOR_KINDS,
    FEATURES,
    FIELDS,
    Catalogue,
    actor_codes,
    load_reranker,
    query_text,
    tokenize,
)

QUERY = "that the United States blocks any peace talks between Moscow and Kyiv with the aim of diminishing Russia"


@functools.lru_cache(maxsize=65536)
def _terms(text: str) -> frozenset[str]:
    """The words BM25 sees (stemmed, stop words out) and a token per country named."""
    return frozenset(tokenize([text], actors=True)[0])


@functools.lru_cache(maxsize=65536)
def _lead(text: str) -> str | None:
    """The country of the first actor the text names (its subject, most often)."""
    from claimgraph.actors.kb import load_kb

    for found in load_kb().scan(text):
        if found.entry.code and found.entry.kind in ACTOR_KINDS:
            return str(found.entry.code)
    return None


def extra_columns(query: str, candidates: list[KnownClaim], names: tuple[str, ...]) -> np.ndarray:
    """Columns for a variant: ``terms_overlap`` / ``terms_covered`` (word_overlap and known_covered
    on BM25's stemmed words and country tokens), ``lead_same`` (1 when both texts name the same
    country first, -1 when they name different ones, else 0), ``catalogue_countries`` (the share of
    the query's countries the candidate names or its catalogue's countries column lists)."""
    query_terms, query_lead, query_countries = _terms(query), _lead(query), set(actor_codes(query))
    columns = []
    for name in names:
        values = []
        for known in candidates:
            terms = _terms(known.text)
            if name == "terms_overlap":
                values.append(len(query_terms & terms) / max(len(query_terms), 1))
            elif name == "terms_covered":
                values.append(len(query_terms & terms) / max(len(terms), 1))
            elif name == "lead_same":
                lead = _lead(known.text)
                values.append(0.0 if lead is None or query_lead is None else 1.0 if lead == query_lead else -1.0)
            else:
                listed = set(actor_codes(known.text))
                for country in known.extra.get("countries", []):
                    listed |= set(actor_codes(country))
                values.append(len(query_countries & listed) / len(query_countries) if query_countries else 0.0)
        columns.append(np.asarray(values, dtype=np.float32))
    return np.column_stack(columns) if columns else np.zeros((len(candidates), 0), dtype=np.float32)


def case_rank(scores: np.ndarray, chosen: np.ndarray, target: int) -> int:
    order = np.argsort(-scores, kind="stable")
    return int(np.flatnonzero(chosen[order] == target)[0]) + 1


def diagnose(catalogue: Catalogue, target: int) -> tuple[np.ndarray, np.ndarray]:
    vector = catalogue.embedder.embed([query_text(QUERY)])[0]
    chosen, features = catalogue.features(QUERY, vector)
    reranker = load_reranker()
    probability = reranker.predict(features)
    print(f"query: {QUERY!r}\n  as embedded: {query_text(QUERY)!r}\n  countries: {actor_codes(QUERY)}")
    case = catalogue.known[target]
    print(f"case: {case.claim!r}, catalogue countries {case.extra.get('countries')}")
    if target not in chosen:
        print("the case is not among the candidates")
        return chosen, features
    row = int(np.flatnonzero(chosen == target)[0])
    print(f"candidates {len(chosen)}; the case's rank among them: BM25 "
          f"{case_rank(features[:, FEATURES.index('bm25')], chosen, target)}, cosine "
          f"{case_rank(features[:, FEATURES.index('cos_max')], chosen, target)}, formula 0.3 BM25 + 0.7 cosine "
          f"{case_rank(features[:, FEATURES.index('baseline')], chosen, target)}, re-ranker "
          f"{case_rank(probability, chosen, target)}")
    order = np.argsort(-probability, kind="stable")
    for position, i in enumerate(order[:case_rank(probability, chosen, target) + 2], start=1):
        known = catalogue.known[int(chosen[i])]
        print(f"  {position:2d}. p {probability[i]:.4f}  BM25 {features[i, 0]:5.2f}  cosine "
              f"{features[i, FEATURES.index('cos_max')]:.3f}  {known.date}  {known.claim[:72]}")
    if reranker.kind == "linear":
        terms = (features - reranker.weights["mean"]) / reranker.weights["scale"] * reranker.weights["coef"]
        gap = terms[row] - terms[order[:7]].mean(axis=0)
        print("the case's re-ranker terms minus the top 7's mean (weight x standardised value), largest losses first:")
        for name, value in sorted(zip(FEATURES, gap, strict=True), key=lambda pair: pair[1])[:8]:
            print(f"  {name:18s} {value:+.3f}")
    for other in (QUERY.removeprefix("that "), QUERY.removeprefix("that ").split(" with the aim")[0]):
        found, other_features = catalogue.features(other, catalogue.embedder.embed([query_text(other)])[0])
        if target in found:
            print(f"re-ranker rank for {other!r}: {case_rank(reranker.predict(other_features), found, target)}")
    return chosen, features


Group = tuple[np.ndarray, np.ndarray, np.ndarray]


def variants(cache: Path, lavrov: tuple[Catalogue, np.ndarray, np.ndarray, int]) -> None:
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import StandardScaler

    from claimgraph.narratives.embed import MiniLMEmbedder

    embedder = MiniLMEmbedder()
    known = [k for k in (known_from_dict(row, "vclaims") for row in
                         tm.read_jsonl(tm.CLAIMS / "claim-matching-vclaims.jsonl")) if isinstance(k, KnownClaim)]
    vectors = {name: np.load(cache / f"vc_{name}.npy") for name in FIELDS}
    for name in FIELDS:
        vectors[name][[i for i, k in enumerate(known) if not getattr(k, name)]] = 0.0
    catalogue = Catalogue(known, vectors=vectors, embedder=embedder)
    train = tm.read_jsonl(tm.CLAIMS / "claim-matching-train.jsonl")
    dev = tm.read_jsonl(tm.CLAIMS / "claim-matching-dev.jsonl")
    work, unseen = tm.split_dev(dev)
    suffix = tm._query_cache()
    train_groups = tm.build(catalogue, train, tm.embed_cached([query_text(q["text"]) for q in train],
                                                              cache / f"q_train{suffix}.npy", embedder))
    dev_groups = tm.build(catalogue, dev, tm.embed_cached([query_text(q["text"]) for q in dev],
                                                          cache / f"q_dev{suffix}.npy", embedder))
    at = {q["id"]: i for i, q in enumerate(dev)}
    quotes = tm.read_jsonl(tm.EVAL / "narratives" / "kremlin-quotes-narratives.jsonl")
    fakes = sorted({q["fake"] for q in quotes})
    fake_catalogue = Catalogue([KnownClaim(id=f"fake-{i}", claim=text) for i, text in enumerate(fakes)],
                               embedder=embedder)
    rows = [{"text": q["text"], "relevant": [f"fake-{fakes.index(q['fake'])}"]} for q in quotes]
    kremlin_groups = tm.build(fake_catalogue, rows, tm.embed_cached([query_text(r["text"]) for r in rows],
                                                                    cache / f"q_kremlin_fakes{suffix}.npy", embedder))
    order = list(range(len(rows)))
    random.Random(tm.SEED).shuffle(order)
    kremlin_train, kremlin_test = sorted(order[:len(rows) // 2]), sorted(order[len(rows) // 2:])
    cases, lavrov_chosen, lavrov_features, target = lavrov

    def widen(groups: list[Group], queries: list[str], source: Catalogue, names: tuple[str, ...]) -> list[Group]:
        return [(chosen, np.hstack([features, extra_columns(query, [source.known[int(i)] for i in chosen], names)]),
                 labels) for (chosen, features, labels), query in zip(groups, queries, strict=True)]

    table = [
        ("shipped features", (), None, 0.0),
        ("overlap on BM25's stems + country tokens (replacing word_overlap, known_covered)",
         ("terms_overlap", "terms_covered"), ("word_overlap", "known_covered"), 0.0),
        ("+ same first-named country", ("lead_same",), None, 0.0),
        ("+ stems overlap + same first-named country", ("terms_overlap", "terms_covered", "lead_same"),
         ("word_overlap", "known_covered"), 0.0),
        ("+ share of the claim's countries in the case or its catalogue's countries", ("catalogue_countries",),
         None, 0.0),
        ("+ half the pro-Kremlin quotes in train (weight 0.5)", (), None, 0.5),
        ("+ half the pro-Kremlin quotes in train (weight 1)", (), None, 1.0),
        ("only BM25 and cosine features (no word overlap, no per-field)", (), tuple(
            f for f in FEATURES if f not in ("bm25", "bm25_ratio", "bm25_scaled", "bm25_rank", "cos_max",
                                              "cos_scaled", "cos_gap", "cos_rank", "baseline")), 0.0),
        ("no per-field features (claim-only catalogues have no title)", (), (
            "bm25_claim_scaled", "bm25_title_scaled", "cos_claim", "cos_title", "cos_subtitle"), 0.0),
    ]
    print("\nvariant | C | dev work | dev unseen | dev whole | kremlin held-out | case's rank")
    for label, names, dropped, weight in table:
        keep = [i for i, f in enumerate(FEATURES) if f not in (dropped or ())] + \
            list(range(len(FEATURES), len(FEATURES) + len(names)))
        train_wide = widen(train_groups, [q["text"] for q in train], catalogue, names)
        dev_wide = widen(dev_groups, [q["text"] for q in dev], catalogue, names)
        kremlin_wide = widen(kremlin_groups, [r["text"] for r in rows], fake_catalogue, names)
        groups = train_wide + ([kremlin_wide[i] for i in kremlin_train] if weight else [])
        x = np.vstack([g[1] for g in groups])[:, keep]
        y = np.concatenate([g[2] for g in groups])
        sample_weight = np.concatenate([np.full(len(g[2]), 1.0 if n < len(train_wide) else weight)
                                        for n, g in enumerate(groups)])
        scaler = StandardScaler().fit(x)
        best: tuple[float, float, Callable[[np.ndarray], np.ndarray]] | None = None
        for c in (0.1, 1.0):
            model = LogisticRegression(C=c, max_iter=3000).fit(scaler.transform(x), y, sample_weight=sample_weight)

            def score(f: np.ndarray, model: LogisticRegression = model, scaler: StandardScaler = scaler,
                      keep: list[int] = keep) -> np.ndarray:
                return np.asarray(model.decision_function(scaler.transform(f[:, keep])))

            chosen_on = tm.map_at_5([dev_wide[at[q["id"]]] for q in work], score, work)
            if best is None or chosen_on > best[0]:  # the first of equals: the stronger regularisation
                best = (chosen_on, c, score)
        assert best is not None
        work_map, c, score = best
        whole = tm.map_at_5(dev_wide, score, dev)
        unseen_map = tm.map_at_5([dev_wide[at[q["id"]]] for q in unseen], score, unseen)
        kremlin = tm.map_at_5([kremlin_wide[i] for i in kremlin_test], score, [rows[i] for i in kremlin_test])
        lavrov_wide = np.hstack([lavrov_features, extra_columns(QUERY, [cases.known[int(i)] for i in lavrov_chosen],
                                                                names)])
        print(f"{label} | {c} | {work_map:.4f} | {unseen_map:.4f} | {whole:.4f} | {kremlin:.4f} | "
              f"{case_rank(score(lavrov_wide), lavrov_chosen, target)}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, required=True, help="a SQLite store with the EUvsDisinfo cases")
    parser.add_argument("--cache", type=Path, help="train_matching.py's MiniLM vectors (for --variants)")
    parser.add_argument("--variants", action="store_true", help="train and score the re-ranker variants")
    args = parser.parse_args()
    with open_store(str(args.store)) as store:
        if store.known_count() == 0:
            import_known(tm.EVAL / "narratives" / "euvsdisinfo-cases.csv", store=store, collection="euvsdisinfo")
        cases, _ = stored_catalogue(store)
    [target] = [i for i, known in enumerate(cases.known)  # the words for the case
                if "sabotages Putin" in known.claim and str(known.date).startswith("2018")]
    chosen, features = diagnose(cases, target)
    if args.variants:
        if args.cache is None:
            parser.error("--variants needs --cache")
        variants(args.cache, (cases, chosen, features, target))


if __name__ == "__main__":
    main()
