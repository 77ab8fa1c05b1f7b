"""Replay the EUvsDisinfo cases (2015-2021) in date order through the store, a month at a time, and
time the incremental narrative update per 1,000 claims, early and late; check id stability.

Each case becomes a stored article with one claim (the case title; its countries as targets, its
first outlet as the article's outlet). After each month is stored, `update_narratives` assigns that
month's claims. Reported:
  per_1000_s   seconds of `update_narratives` per 1,000 claims for the first and the last 1,000
               (and every block), and late / early; wall-clock and CPU time of the process (the
               machine is shared, so CPU time is the steadier of the two);
  stability    (a) claims whose narrative changed after they were first assigned (must be 0);
               (b) agreement of the month-by-month store replay with one uninterrupted in-memory
               pass over the same claims (does resuming from the stored state change anything?);
               (c) an analyst's edits made mid-replay (a name and a merge) still hold at the end,
               and how many later claims joined the merged narrative.

    python bench/narratives_replay.py [--backend tfidf|minilm] [--limit N]
"""
from __future__ import annotations

import argparse
import csv
import io
import json
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "eval"
sys.path.insert(0, str(ROOT / "src"))

from claimgraph import open_store  # noqa: E402
from claimgraph.actors import resolve_actor  # noqa: E402
from claimgraph.narratives import merge_narratives, name_narrative, update_narratives  # noqa: E402
from claimgraph.narratives.discover import ClaimItem, NarrativeTracker  # noqa: E402
from claimgraph.narratives.embed import load_embedder  # noqa: E402
from claimgraph.records import Actor, Article, Claim, Mention, TextSpan, stable_id  # noqa: E402


def load_cases(limit: int | None) -> list[dict]:
    cases = list(csv.DictReader(io.StringIO((SHARED / "narratives" / "euvsdisinfo-cases.csv").read_text("utf-8"))))
    cases = [c for c in cases if c["date"] and c["title"]]
    cases.sort(key=lambda c: (c["date"], c["id"]))
    return cases[:limit] if limit else cases


def to_article(case: dict, countries: dict[str, str | None]) -> Article:
    article_id = stable_id("euvsdisinfo", case["id"])
    title = case["title"]
    targets = []
    for position, name in enumerate(filter(None, case["countries"].split("+"))):
        if name not in countries:
            actor = resolve_actor(name)
            countries[name] = actor.country if actor else None
        # the case names its countries outside the title: zero-length spans, one position each
        targets.append(Mention(text=name, start=position, end=position,
                               actor=Actor(name=name, kind="GPE", country=countries[name])))
    claim = Claim(id=stable_id(article_id, "claim"), article_id=article_id, speaker=None, cue=None,
                  content=(TextSpan(title, 0, len(title)),), kind="indirect", targets=tuple(targets),
                  method="bench.euvsdisinfo_case")
    outlets = [o.strip() for o in case["outlets"].split("+") if o.strip()]
    return Article(id=article_id, text=title, outlet=outlets[0] if outlets else None, published=case["date"],
                   url=case["id"], meta={"outlets": outlets, "keywords": case["keywords"]}, claims=[claim])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", default="tfidf", choices=["tfidf", "minilm"])
    parser.add_argument("--limit", type=int)
    args = parser.parse_args()
    cases, countries = load_cases(args.limit), {}
    months: dict[str, list[Article]] = defaultdict(list)
    for case in cases:
        months[case["date"][:7]].append(to_article(case, countries))
    per_claim: list[float] = []  # wall-clock seconds of the update, spread over its claims
    per_claim_cpu: list[float] = []  # the same in CPU time of this process (steadier on a shared machine)
    first_assignment: dict[str, str] = {}
    edits: dict = {}
    with tempfile.TemporaryDirectory() as folder:
        store = open_store(Path(folder) / "replay.db")
        load_embedder(args.backend)  # load once outside the timings
        for index, month in enumerate(sorted(months)):
            for article in months[month]:
                store.save(article, method="bench")
            started, started_cpu = time.perf_counter(), time.process_time()
            counts = update_narratives(store, backend=args.backend)
            seconds, cpu = time.perf_counter() - started, time.process_time() - started_cpu
            per_claim += [seconds / max(counts["claims"], 1)] * counts["claims"]
            per_claim_cpu += [cpu / max(counts["claims"], 1)] * counts["claims"]
            for row in store._query("SELECT claim_id, narrative_id FROM claim_narratives"):
                first_assignment.setdefault(row["claim_id"], row["narrative_id"])
            if month == "2018-01":  # an analyst's edits, mid-replay
                top = store.narratives(limit=2)
                name_narrative(store, top[0]["id"], "Analyst name (bench)")
                merge_narratives(store, top[0]["id"], [top[1]["id"]])
                edits = {"named_and_target": top[0]["id"], "merged": top[1]["id"],
                         "claims_at_merge": store.narrative(top[0]["id"]).claims}
        final = {row["claim_id"]: row["narrative_id"]
                 for row in store._query("SELECT claim_id, narrative_id FROM claim_narratives")}
        moved_by_merge = (edits.get("merged"), edits.get("named_and_target"))
        changed = sum(final[c] != first_assignment[c] for c in final
                      if (first_assignment[c], final[c]) != moved_by_merge)
        target = store.narrative(edits["named_and_target"]) if edits else None
        stored_narratives = len(store.narratives(limit=None))
        store.close()
    # one uninterrupted pass, in memory, same order, no edits
    tracker = NarrativeTracker(load_embedder(args.backend))
    items = [ClaimItem(id=a.claims[0].id, text=a.text, date=a.published,
                       targets=tuple(t.actor.name for t in a.claims[0].targets))
             for month in sorted(months) for a in months[month]]
    single, start = {}, 0
    for month in sorted(months):  # the same batches as the replay (TF-IDF's document frequencies grow per batch)
        batch = items[start:start + len(months[month])]
        start += len(batch)
        single.update({c: n for c, n, _ in tracker.assign(batch)})
        if month == "2018-01" and edits:  # the same edit at the same point
            tracker.merge(edits["named_and_target"], edits["merged"])
    merged_from = edits.get("merged")
    agree = sum(final[c] == single[c] or (single[c] == merged_from and final[c] == edits["named_and_target"])
                for c in final) / len(final)
    def per_1000(values: list[float]) -> dict:
        blocks = [sum(values[i:i + 1000]) * 1000 / len(values[i:i + 1000]) for i in range(0, len(values), 1000)]
        return {"early": round(blocks[0], 2), "late": round(blocks[-1], 2),
                "late_over_early": round(blocks[-1] / blocks[0], 2), "blocks": [round(b, 2) for b in blocks]}

    print(json.dumps({
        "backend": load_embedder(args.backend).name, "claims": len(per_claim), "months": len(months),
        "narratives": stored_narratives,
        "per_1000_s_wall": per_1000(per_claim), "per_1000_s_cpu": per_1000(per_claim_cpu),
        "stability": {"claims_reassigned_after_first_assignment": changed,
                      "agreement_with_one_uninterrupted_pass": round(agree, 4),
                      "edit_name_kept": bool(target and target.name == "Analyst name (bench)"),
                      "merged_narrative_claims_at_merge": edits.get("claims_at_merge"),
                      "merged_narrative_claims_at_end": target.claims if target else None},
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main())
