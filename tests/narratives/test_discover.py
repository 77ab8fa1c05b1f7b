"""Discovered narratives: incremental assignment, stable ids, edits that survive new data, timelines."""
from __future__ import annotations

import pytest
from click.testing import CliRunner

from claimgraph.cli import cli
from claimgraph.errors import ConfigError, NotFound
from claimgraph.narratives import merge_narratives, name_narrative, split_narrative, update_narratives
from claimgraph.narratives.discover import ClaimItem, NarrativeTracker, TrackerSettings
from claimgraph.narratives.embed import TfidfEmbedder
from claimgraph.store.narratives import weekly_counts

PEACE = ["Washington is blocking peace talks between Moscow and Kyiv",
         "Washington keeps blocking any peace talks between Moscow and Kyiv",
         "the peace talks between Moscow and Kyiv are blocked by Washington"]
GAS = ["sanctions on Russian gas are ruining German industry",
       "German industry is ruined by the sanctions on Russian gas"]


def tracker() -> NarrativeTracker:
    return NarrativeTracker(TfidfEmbedder(dim=256), TrackerSettings(threshold=0.3, window_days=60))


def test_tracker_groups_alike_claims_and_keeps_ids():
    narratives = tracker()
    first = narratives.assign([ClaimItem(id=f"p{i}", text=t, date=f"2024-01-0{i + 1}") for i, t in enumerate(PEACE)])
    assert len({n for _, n, _ in first}) == 1
    peace_id = first[0][1]
    second = narratives.assign([ClaimItem(id="g0", text=GAS[0], date="2024-01-10"),
                                ClaimItem(id="p9", text="Moscow says Washington blocks the peace talks",
                                          date="2024-01-11")])
    found = {claim: narrative for claim, narrative, _ in second}
    assert found["p9"] == peace_id  # joined the existing narrative, whose id did not change
    assert found["g0"] != peace_id  # a different claim starts a new one
    assert found["g0"] == second[0][1] and found["g0"].startswith("n")


def test_tracker_time_window_starts_a_new_narrative_after_a_long_gap():
    narratives = tracker()
    early = narratives.assign([ClaimItem(id="a", text=PEACE[0], date="2024-01-01")])[0][1]
    late = narratives.assign([ClaimItem(id="b", text=PEACE[1], date="2024-06-01")])[0][1]
    assert early != late


def test_tracker_speaker_and_targets_tip_the_choice_but_content_decides():
    narratives = NarrativeTracker(TfidfEmbedder(dim=256), TrackerSettings(threshold=1.01))  # nothing joins
    text = "the sanctions failed completely"
    made = narratives.assign([ClaimItem(id="x", text=text, date="2024-01-01", speaker="Lavrov", targets=("USA",)),
                              ClaimItem(id="y", text=text, date="2024-01-01", speaker="Baerbock")])
    rows = [narratives.row_of[narrative] for _, narrative, _ in made]
    vector = narratives.vectors([ClaimItem(id="z", text=text, date="2024-01-02", speaker="Lavrov",
                                           targets=("USA",))])[0]
    content, score = narratives.similarity(vector, len(narratives.active_ids))
    assert content[rows[0]] == pytest.approx(content[rows[1]], abs=1e-5)  # same words
    assert score[rows[0]] > score[rows[1]]  # same speaker and target: Lavrov's narrative ranks first
    other = narratives.vectors([ClaimItem(id="w", text="a new pipeline opened in Turkey", date="2024-01-02",
                                          speaker="Lavrov", targets=("USA",))])[0]
    assert narratives.similarity(other, len(narratives.active_ids))[0].max() < 0.2  # actors alone: no join


def assigned(store) -> dict[str, str]:
    """claim id -> narrative id, as stored."""
    return {row["claim_id"]: row["narrative_id"]
            for row in store._query("SELECT claim_id, narrative_id FROM claim_narratives")}


def _store_claims(store, builder, texts, *, day=1, **fields):
    articles = [builder(text, published=f"2024-01-{day + i:02d}", **fields) for i, text in enumerate(texts)]
    for article in articles:
        assert store.save(article) == "stored"
    return [article.claims[0].id for article in articles]


def test_update_is_incremental_and_ids_are_stable(fresh_store, claim_article_builder):
    peace_claims = _store_claims(fresh_store, claim_article_builder, PEACE, speaker="Sergei Lavrov")
    counts = update_narratives(fresh_store, backend="tfidf")
    assert counts["claims"] == 3 and counts["new"] == 1
    before = assigned(fresh_store)
    late = _store_claims(fresh_store, claim_article_builder, ["Washington is blocking the peace talks with Kyiv"],
                         day=20, speaker="Sergei Lavrov", outlet="Outlet B")
    gas = _store_claims(fresh_store, claim_article_builder, GAS, day=21, outlet="Outlet C")
    counts = update_narratives(fresh_store, backend="tfidf")
    assert counts["claims"] == 3 and update_narratives(fresh_store, backend="tfidf")["claims"] == 0
    after = assigned(fresh_store)
    assert all(after[c] == before[c] for c in before)
    assert after[late[0]] == before[peace_claims[0]]
    assert after[gas[0]] != before[peace_claims[0]]
    narrative = fresh_store.narrative(before[peace_claims[0]])
    assert narrative.claims == 4 and narrative.first_seen == "2024-01-01" and narrative.last_seen == "2024-01-20"
    assert narrative.outlets == {"Outlet A": 3, "Outlet B": 1}
    assert narrative.speakers == {"Sergei Lavrov": 4} and narrative.countries["RUS"] == 4


def test_update_refuses_another_backend_on_the_same_store(fresh_store, claim_article_builder):
    _store_claims(fresh_store, claim_article_builder, PEACE[:1])
    update_narratives(fresh_store, backend="tfidf")
    pytest.importorskip("onnxruntime")
    with pytest.raises(ConfigError, match="CG153"):
        update_narratives(fresh_store, backend="minilm")


def test_edits_survive_new_data_and_rebuild(fresh_store, claim_article_builder):
    peace = _store_claims(fresh_store, claim_article_builder, PEACE)
    gas = _store_claims(fresh_store, claim_article_builder, GAS, day=5)
    update_narratives(fresh_store, backend="tfidf")
    peace_id = fresh_store.narrative_rows()[0]["id"]
    gas_id = next(r["id"] for r in fresh_store.narrative_rows() if r["id"] != peace_id)
    name_narrative(fresh_store, peace_id, "The West blocks peace talks")
    merge_narratives(fresh_store, peace_id, [gas_id])
    assert fresh_store.narrative(peace_id).claims == 5
    merged = [n for n in fresh_store.narratives(include_merged=True, limit=None, min_claims=0) if n["id"] == gas_id]
    assert merged[0]["status"] == "merged" and merged[0]["merged_into"] == peace_id and merged[0]["claims"] == 0
    assert gas_id not in [n["id"] for n in fresh_store.narratives(limit=None, min_claims=0)]
    split_id = split_narrative(fresh_store, peace_id, gas)
    assert set(fresh_store.narrative(split_id).claim_ids) == set(gas)
    assert set(fresh_store.narrative(peace_id).claim_ids) == set(peace)
    # new data: a peace-talks claim joins the named narrative, a gas claim the split-off one
    new_peace = _store_claims(fresh_store, claim_article_builder, ["Washington blocks the Moscow Kyiv peace talks"],
                              day=12)
    new_gas = _store_claims(fresh_store, claim_article_builder,
                            ["sanctions on Russian gas are ruining German industry again"], day=13)
    update_narratives(fresh_store, backend="tfidf")
    assert new_peace[0] in fresh_store.narrative(peace_id).claim_ids
    assert new_gas[0] in fresh_store.narrative(split_id).claim_ids
    assert fresh_store.narrative(peace_id).name == "The West blocks peace talks"
    # a rebuild re-applies the log: same ids, same name, the merge and the split
    counts = update_narratives(fresh_store, backend="tfidf", rebuild=True)
    assert counts["edits_reapplied"] == 3
    assert fresh_store.narrative(peace_id).name == "The West blocks peace talks"
    assert set(gas) <= set(fresh_store.narrative(split_id).claim_ids)


def test_split_refuses_claims_of_another_narrative(fresh_store, claim_article_builder):
    peace = _store_claims(fresh_store, claim_article_builder, PEACE)
    gas = _store_claims(fresh_store, claim_article_builder, GAS, day=5)
    update_narratives(fresh_store, backend="tfidf")
    peace_id = assigned(fresh_store)[peace[0]]
    with pytest.raises(ConfigError, match="CG154"):
        split_narrative(fresh_store, peace_id, gas)
    with pytest.raises(NotFound, match="CG350"):
        name_narrative(fresh_store, "n-none", "x")


def test_timeline_weekly_counts_fill_empty_weeks():
    assert weekly_counts(["2024-01-01", "2024-01-03", "2024-01-17", "2024-01-21"]) == {
        "2024-01-01": 2, "2024-01-08": 0, "2024-01-15": 2}
    assert weekly_counts([]) == {}


def test_cli_narratives_list_show_timeline(tmp_path, claim_article_builder):
    from claimgraph import open_store

    db = str(tmp_path / "n.db")
    with open_store(db) as store:
        _store_claims(store, claim_article_builder, PEACE, speaker="Sergei Lavrov")
    runner = CliRunner()
    result = runner.invoke(cli, ["narratives", "update", "--db", db, "--backend", "tfidf"])
    assert result.exit_code == 0, result.output
    listed = runner.invoke(cli, ["narratives", "list", "--db", db, "--json"])
    narrative_id = __import__("json").loads(listed.output)[0]["id"]
    shown = runner.invoke(cli, ["narratives", "show", narrative_id, "--db", db])
    assert "3 claims, first seen 2024-01-01, last seen 2024-01-03" in shown.output
    assert "Sergei Lavrov (3)" in shown.output
    chart = tmp_path / "t.html"
    timeline = runner.invoke(cli, ["narratives", "timeline", narrative_id, "--db", db, "--html", str(chart)])
    assert timeline.exit_code == 0 and timeline.stdout.startswith("2024-01-01      3  ")
    assert "<svg" in chart.read_text("utf-8") and "week of 2024-01-01: 3 claims" in chart.read_text("utf-8")
    missing = runner.invoke(cli, ["narratives", "show", "nope", "--db", db])
    assert missing.exit_code == 1 and "CG350" in missing.output


def test_store_changed_article_drops_its_claims_from_narratives(fresh_store, claim_article_builder):
    claims = _store_claims(fresh_store, claim_article_builder, PEACE)
    update_narratives(fresh_store, backend="tfidf")
    narrative_id = fresh_store.narratives()[0]["id"]
    article = fresh_store.article(fresh_store._scalar("SELECT article_id FROM claims WHERE id = ?", (claims[0],)))
    article.text += " Updated."
    article.claims = []
    assert fresh_store.save(article) == "stored"  # a changed article replaces its claims
    assert fresh_store.narrative(narrative_id).claims == 2
    assert fresh_store.pending_narrative_claims() == []


def test_store_article_narratives_saved_by_classify(tmp_path):
    from claimgraph import open_store
    from tests.conftest import SEED

    db = str(tmp_path / "c.db")
    with open_store(db) as store:
        from claimgraph import article_from_text

        store.save(article_from_text(SEED.read_text("utf-8"), id="seed"))
    result = CliRunner().invoke(cli, ["narratives", "classify", "--db", db, "--backend", "tfidf"])
    assert result.exit_code == 0, result.output
    assert '"URW: Discrediting the West, Diplomacy"' in result.stdout
    with open_store(db) as store:
        labels = {(row["level"], row["label"]) for row in store.article_narratives("seed")}
    assert ("narrative", "URW: Discrediting the West, Diplomacy") in labels
    assert ("subnarrative", "URW: Discrediting the West, Diplomacy: Diplomacy does/will not work") in labels


class _SharedComponentEmbedder:
    """Unit vectors that all lean on one common direction, as sentence embeddings of one domain do:
    text "topic:N ..." gets 4 x axis 0 (shared) + axis N (its topic) + a small per-text part."""

    name, dim = "test.shared-component", 16

    def observe(self, texts):
        return None

    def embed(self, texts):
        import numpy as np

        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            topic, _, rest = text.partition(" ")
            out[row, 0] = 4.0
            out[row, int(topic.split(":")[1])] = 1.0
            out[row, 8 + len(rest) % 8] += 0.3
        return out / np.linalg.norm(out, axis=1, keepdims=True)

    def state(self):
        return {}

    def load_state(self, state):
        return None


def test_tracker_centring_separates_topics_that_share_a_common_component():
    items = [ClaimItem(id=f"c{i}", text=f"topic:{1 + i % 3} {'x' * i}", date=f"2024-01-{1 + i // 10:02d}")
             for i in range(150)]  # enough claims for the mean to outweigh its prior (CENTER_PRIOR)
    raw = NarrativeTracker(_SharedComponentEmbedder(), TrackerSettings(threshold=0.5))
    assert len({n for _, n, _ in raw.assign(items)}) == 1  # raw cosines ~0.95: one generic narrative
    centred = NarrativeTracker(_SharedComponentEmbedder(), TrackerSettings(threshold=0.5, center=True))
    found = {claim: narrative for claim, narrative, _ in centred.assign(items)}
    assert len(set(found.values())) == 3  # one per topic
    assert all(found[f"c{i}"] == found[f"c{i % 3}"] for i in range(150))
    assert centred.mean_count == 150 and centred.content_mean[0] > 0.8  # the shared component is the mean


def test_tracker_centring_prior_keeps_a_first_lone_claim_comparable():
    centred = NarrativeTracker(_SharedComponentEmbedder(), TrackerSettings(threshold=0.5, center=True))
    first = centred.assign([ClaimItem(id="a", text="topic:1 x", date="2024-01-01")])[0][1]
    # without the prior the mean would be the claim itself and its centred vector zero
    assert centred.query(centred.vectors([ClaimItem(id="a", text="topic:1 x", date="2024-01-01")]))[0].any()
    again = centred.assign([ClaimItem(id="b", text="topic:1 xx", date="2024-01-02")])[0][1]
    assert again == first


def test_update_centred_state_survives_the_store(fresh_store, claim_article_builder, monkeypatch):
    """Resuming from the stored mean and counts gives what one uninterrupted pass gives."""
    import dataclasses

    from claimgraph.narratives import discover

    name = TfidfEmbedder.name
    centred = dataclasses.replace(discover.DEFAULT_SETTINGS[name], threshold=0.25, center=True)
    monkeypatch.setitem(discover.DEFAULT_SETTINGS, name, centred)
    batches = [PEACE[:2] + GAS[:1], [PEACE[2], GAS[1], "Washington blocks the Moscow Kyiv peace talks"]]
    stored = []
    for day, texts in zip((1, 10), batches, strict=True):
        stored.append(_store_claims(fresh_store, claim_article_builder, texts, day=day))
        update_narratives(fresh_store, backend="tfidf")
    state = fresh_store.narrative_settings()
    assert state["settings"]["center"] is True and state["content_mean"]["count"] == 6
    memory = NarrativeTracker(TfidfEmbedder(), centred)
    single = {}
    for day, texts, ids in zip((1, 10), batches, stored, strict=True):
        single.update({c: n for c, n, _ in memory.assign(
            [ClaimItem(id=i, text=t, date=f"2024-01-{day + k:02d}", speaker=None)
             for k, (i, t) in enumerate(zip(ids, texts, strict=True))])})
    final = assigned(fresh_store)
    assert final == single
    assert final[stored[1][1]] == final[stored[0][2]]  # the gas claims, a week apart, in one narrative
    assert final[stored[0][0]] != final[stored[0][2]]
    from claimgraph.narratives.track import load_tracker

    tracker = load_tracker(fresh_store)  # the counts (for each centroid's mean) come back from the store
    assert sum(n.count for n in tracker.narratives.values()) == 6
    assert tracker.narratives[final[stored[0][2]]].count == 2


def test_update_store_made_before_centring_keeps_its_settings(fresh_store, claim_article_builder):
    from claimgraph.narratives.track import load_tracker

    _store_claims(fresh_store, claim_article_builder, PEACE[:1])
    update_narratives(fresh_store, backend="tfidf")
    state = fresh_store.narrative_settings()
    legacy = {k: v for k, v in state["settings"].items() if k not in ("center", "window_days")}
    fresh_store.save_narrative_state(narratives=[], assignments=[], settings={"settings": legacy})
    tracker = load_tracker(fresh_store)
    assert tracker.settings.center is False and tracker.settings.window_days == 180


def test_tracker_merge_and_split_keep_counts_for_the_centred_mean():
    centred = NarrativeTracker(_SharedComponentEmbedder(), TrackerSettings(threshold=0.5, center=True))
    items = [ClaimItem(id=f"c{i}", text=f"topic:{1 + i % 2} {'x' * i}", date="2024-01-01") for i in range(60)]
    found = {claim: narrative for claim, narrative, _ in centred.assign(items)}
    one, two = found["c0"], found["c1"]
    assert one != two and centred.narratives[one].count == 30 == centred.narratives[two].count
    centred.merge(one, two)
    assert centred.narratives[one].count == 60 and centred.narratives[two].status == "merged"
    moved = [item for item in items if item.id in {"c1", "c3", "c5"}]
    new = centred.split(one, moved)
    assert centred.narratives[new].count == 3 and centred.narratives[one].count == 57
    # the centred means still match their claims: a like claim joins one of them, starts none
    joined = centred.assign([ClaimItem(id="n", text="topic:2 xxxxxxx", date="2024-01-02")])[0][1]
    assert joined in {one, new}
