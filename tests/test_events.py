"""PLOVER event coding: types, participants, factuality, claims' speech acts vs claimed events."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from claimgraph.cli import cli
from claimgraph.events import EVENT_TYPES, code_events, load_ontology

pytestmark = pytest.mark.slow


def main_event(nlp_text):
    """The rules' main event (the learned coder's: tests/test_events_learned.py)."""
    from claimgraph.parse import load_nlp

    return code_events(load_nlp()(nlp_text), learned=False)[0]


def test_events_ontology_has_the_sixteen_plover_types():
    assert set(EVENT_TYPES) == {"AGREE", "CONSULT", "SUPPORT", "COOPERATE", "AID", "CONCEDE", "RETREAT",
                                "REQUEST", "ACCUSE", "REJECT", "THREATEN", "PROTEST", "MOBILIZE", "SANCTION",
                                "COERCE", "ASSAULT"}
    assert all(spec["cameo"] and spec["definition"] for spec in load_ontology().values())


@pytest.mark.parametrize("text,event,actor,recipient,factuality", [
    ("Russian forces shelled Kharkiv on Tuesday.", "ASSAULT", "RUS", "UKR", "asserted"),
    ("Turkey did not attack Syrian positions.", "ASSAULT", "TUR", "SYR", "negated"),
    ("Iran would retaliate against Israel if attacked.", None, "IRN", None, "hypothetical"),
    ("The European Union imposed new sanctions on Belarus.", "SANCTION", "IGO", "BLR", "asserted"),
    ("Japan's foreign ministry demanded an explanation from Beijing.", "REQUEST", "JPN", "CHN", "asserted"),
    ("China will provide food aid to Sudan.", "AGREE", "CHN", "SDN", "asserted"),  # a promise of aid
])
def test_events_code_short_sentences(text, event, actor, recipient, factuality):
    found = main_event(text)
    if event is not None:
        assert found.event == event
    assert actor in [a["code"] for a in found.actor]
    if recipient is not None:
        assert recipient in [a["code"] for a in found.recipient]
    assert found.factuality == factuality
    assert text[found.start:found.end] == found.trigger


def test_events_international_organisations_coded_igo_with_their_org():
    found = main_event("The European Union imposed new sanctions on Belarus.")
    assert [(a["code"], a["org"]) for a in found.actor] == [("IGO", "EUR")]


@pytest.mark.parametrize("text,event", [
    ("Nigeria said it will withdraw its troops from Chad unless the rebels agree to a ceasefire.", "THREATEN"),
    ("The union announced that it had called off the strike.", "CONCEDE"),
    ("Farmers blocked roads leading to the capital on Monday.", "PROTEST"),
    ("Parliament blocked the proposal on Monday.", "REJECT"),
    ("Bulldozers demolished several homes in the village.", "COERCE"),
    ("Prosecutors opened an investigation into the minister.", "ACCUSE"),
])
def test_events_types_from_clause_structure(text, event):
    assert main_event(text).event == event


def test_events_empty_roles_filled_from_the_sentence():
    found = main_event("Israel and Lebanon renewed negotiations today on a troop pullback.")
    codes = {a["code"] for a in found.actor + found.recipient}
    assert found.event == "CONSULT" and codes == {"ISR", "LBN"}


def test_events_seed_claim_speech_act_kept_apart_from_claimed_event(seed_article):
    first = seed_article.claims[0]
    speech, claimed = first.events
    assert (speech["role"], speech["event"], speech["trigger"]) == ("speech_act", "ACCUSE", "asserted")
    assert [(a["code"], a["sector"]) for a in speech["actor"]] == [("RUS", "GOV")]
    assert [a["code"] for a in speech["recipient"]] == ["USA"]
    assert (claimed["role"], claimed["event"], claimed["factuality"]) == ("claimed", "REJECT", "asserted")
    assert [a["code"] for a in claimed["actor"]] == ["USA"]


def test_events_cli_inputs_and_stored_query(tmp_path):
    from .conftest import ROOT

    runner = CliRunner()
    result = runner.invoke(cli, ["events", str(ROOT / "examples" / "demo-articles.jsonl")])
    lines = [json.loads(x) for x in result.stdout.splitlines()]
    assert [line["id"] for line in lines] == ["demo-ministry-briefing", "demo-summit-preview"]
    assert lines[0]["events"] and set(lines[0]["events"][0]) >= {"event", "actor", "recipient", "factuality",
                                                                  "start", "end", "confidence", "cameo"}
    db = tmp_path / "cg.db"
    runner.invoke(cli, ["ingest", str(ROOT / "examples"), "--db", str(db)])
    result = runner.invoke(cli, ["events", "--db", str(db), "--type", "accuse", "--actor", "RUS"])
    rows = [json.loads(x) for x in result.stdout.splitlines()]
    assert rows and all(r["event"] == "ACCUSE" and "RUS" in r["actor_codes"].split() for r in rows)
    assert any(r["speaker_name"] == "Sergei Lavrov" and r["recipient_codes"] == "USA" for r in rows)


def test_events_stance_toward_targets(seed_article, pipeline):
    from claimgraph import article_from_text

    first = seed_article.claims[0]
    stances = {t.actor.name: t.stance for t in first.targets}
    assert stances["United States"] == "negative"       # accused of blocking the talks
    assert stances["Russia"] == "neutral"               # the speaker's own country
    article = pipeline(article_from_text(
        "The French foreign minister said that Germany had been a reliable partner throughout the talks."))
    [claim] = article.claims
    assert {t.actor.name: t.stance for t in claim.targets}["Germany"] == "positive"


def test_events_stance_is_stored_and_filtered(tmp_path):
    from .conftest import ROOT

    db = tmp_path / "cg.db"
    runner = CliRunner()
    runner.invoke(cli, ["ingest", str(ROOT / "examples"), "--db", str(db)])
    result = runner.invoke(cli, ["claims", "--db", str(db), "--about", "United States", "--stance", "negative",
                                 "--json"])
    rows = json.loads(result.stdout)
    assert [r["speaker"]["actor"]["name"] for r in rows] == ["Sergei Lavrov"]
    assert {t["actor"]["name"]: t["stance"] for t in rows[0]["targets"]}["United States"] == "negative"
    result = runner.invoke(cli, ["claims", "--db", str(db), "--about", "United States", "--stance", "positive",
                                 "--json"])
    assert json.loads(result.stdout) == []
