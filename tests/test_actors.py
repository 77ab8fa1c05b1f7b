"""Actor resolution: countries, demonyms, capitals as metonyms, organisations, outlets, agent nouns."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from claimgraph.actors import actor_record, resolve_actor
from claimgraph.cli import cli


@pytest.mark.parametrize("text,code,sector,kind", [
    ("Russian officials", "RUS", "GOV", "GROUP"),
    ("the Russian side", "RUS", "GOV", "GROUP"),
    ("Moscow", "RUS", "GOV", "GPE"),                      # capital as metonym
    ("the Kremlin", "RUS", "GOV", "GPE"),
    ("Kyiv police", "UKR", "COP", "GROUP"),
    ("the Russian news agency TASS", "RUS", "JRN", "GROUP"),
    ("TASS", "RUS", "JRN", "MEDIA"),
    ("United Nations Security Council", "UNO", "IGO", "ORG"),
    ("European Union legislators", "EUR", "LEG", "GROUP"),
    ("two Chinese warplanes", "CHN", "MIL", "GROUP"),
    ("Britain's Defence Ministry", "GBR", "GOV", "GROUP"),
    ("Mariupol", "UKR", "CVL", "GPE"),                    # a city that is not a capital
    ("South Africa", "ZAF", None, "GPE"),                 # a country alone has no sector
    ("rebels", None, "REB", "GROUP"),
])
def test_actors_resolve(text, code, sector, kind):
    actor = resolve_actor(text)
    assert (actor.country, actor.sector, actor.kind) == (code, sector, kind)


def test_actors_unknown_and_context():
    assert resolve_actor("a cat named Frank") is None
    actor = resolve_actor("the interior minister", context="Police in Warsaw detained 12 people.")
    assert (actor.country, actor.sector) == ("POL", "GOV")


def test_actors_media_carries_wikidata_and_record_shape():
    record = actor_record(resolve_actor("The New York Times"))
    assert record == {"name": "The New York Times", "code": "USA", "sector": "JRN", "wikidata": "Q9684",
                      "kind": "MEDIA"}


def test_actors_cli_lines_and_bad_line(tmp_path):
    path = tmp_path / "in.jsonl"
    path.write_text('{"id": "a", "text": "Russian officials"}\nnot json\n{"test": "b", "text": "Xyzzy"}\n',
                    encoding="utf-8")
    result = CliRunner().invoke(cli, ["actors", str(path)])
    lines = [json.loads(x) for x in result.stdout.splitlines()]
    assert lines[0] == {"id": "a", "actor": {"name": "Russian officials", "code": "RUS", "sector": "GOV",
                                             "wikidata": None, "kind": "GROUP"}}
    assert lines[1]["actor"] is None and "line 2" in lines[1]["error"] and "CG104" in result.stderr
    assert lines[2] == {"id": "b", "actor": None}


@pytest.mark.slow
def test_actors_on_seed_speakers(seed_article):
    by_text = {c.speaker.text: c.speaker.actor for c in seed_article.claims if c.speaker}
    assert (by_text["Russian officials"].country, by_text["Russian officials"].sector) == ("RUS", "GOV")
    assert (by_text["The Russian side"].country, by_text["The Russian side"].sector) == ("RUS", "GOV")
    lavrov = by_text["The foreign minister"]
    assert (lavrov.name, lavrov.country, lavrov.sector) == ("Sergei Lavrov", "RUS", "GOV")
    moscow = next(t.actor for c in seed_article.claims for t in c.targets if t.text == "Moscow")
    assert (moscow.country, moscow.sector) == ("RUS", "GOV")


@pytest.mark.parametrize("text,date,name,code,sector", [
    ("Angela Merkel", "2020-06-01", "Angela Merkel", "DEU", "GOV"),
    ("Angela Merkel", "2023-06-01", "Angela Merkel", "DEU", "ELI"),   # after her term: former
    ("Lavrov", None, "Sergei Lavrov", "RUS", "GOV"),                  # a surname unique in the table
    ("Foreign Minister Sergei Lavrov", "1999-01-01", "Sergei Lavrov", "RUS", "GOV"),  # before: title decides
])
def test_actors_officeholders_are_date_aware(text, date, name, code, sector):
    actor = resolve_actor(text, date=date)
    assert (actor.name, actor.country, actor.sector) == (name, code, sector)


def test_actors_who_held_an_office_on_a_date():
    from claimgraph.actors import officeholder

    assert officeholder("UKR", "foreign minister", date="2023-05-01").name == "Dmytro Kuleba"
    assert officeholder("UKR", "foreign minister", date="2025-01-01").name == "Andrii Sybiha"
    assert officeholder("USA", "secretary of state", date="2022-03-01").name == "Antony Blinken"
    assert officeholder("RUS", "defence minister", date="2020-01-01").name == "Sergei Shoigu"
    assert officeholder("ZZZ", "foreign minister") is None


@pytest.mark.parametrize("text,date,name,code,sector", [
    ("Sanna Marin", "2021-05-01", "Sanna Marin", "FIN", "GOV"),          # in office
    ("Sanna Marin", "2024-05-01", "Sanna Marin", "FIN", "ELI"),          # after her term
    ("Mark Rutte", "2020-05-01", "Mark Rutte", "NLD", "GOV"),            # prime minister ...
    ("Mark Rutte", "2025-05-01", "Mark Rutte", "IGO", "GOV"),            # ... then NATO secretary general
    ("Andrej Plenkovic", "2019-01-01", "Andrej Plenković", "HRV", "GOV"),  # accents folded
    ("Bashar al-Assad", "2026-01-01", "Bashar al-Assad", "SYR", "ELI"),
    ("Hassan Nasrallah", "2015-01-01", "Hassan Nasrallah", "LBN", "REB"),
    ("former President Jacob Zuma", None, "Jacob Zuma", "ZAF", "ELI"),
])
def test_actors_officeholders_beyond_the_g20(text, date, name, code, sector):
    actor = resolve_actor(text, date=date)
    assert (actor.name, actor.country, actor.sector) == (name, code, sector)


def test_actors_surnames_alone():
    assert resolve_actor("Khan") is None                      # Imran Khan is in the table, but so are millions
    assert resolve_actor("Kagame").name == "Paul Kagame"       # a rare surname alone is enough
    assert resolve_actor("President Xi").name == "Xi Jinping"  # family name first
    assert resolve_actor("Zawahiri").name == "Ayman al-Zawahiri"  # without the article
    assert resolve_actor("Moon").name == "Moon Jae-in"         # as written ...
    assert resolve_actor("the moon") is None                   # ... and only as written


@pytest.mark.parametrize("text,context,code,sector", [
    ("M23 rebels", None, "COD", "REB"),
    ("Boko Haram fighters", None, "NGA", "REB"),               # the group's sector, not the noun's
    ("the Taliban spokesman", None, "AFG", "REB"),
    ("Sinaloa Cartel", None, "MEX", "CRM"),
    ("Proud Boys", None, "USA", "UAF"),
    ("UDA", None, "GBR", "UAF"),                               # shared acronym: the first row read ...
    ("UDA", "Ruto's allies campaigned across Kenya.", "KEN", "PTY"),  # ... unless the context names Kenya
    ("the PP", "Protests in Madrid", "ESP", "PTY"),
    ("ISI", None, "PAK", "SPY"),
    ("Harvard officials", None, "USA", "EDU"),                 # the organisation's own people
    ("a Shell spokesman", None, "GBR", "BUS"),
    ("Apple", None, "USA", "BUS"),
    ("the Bundesbank", None, "DEU", "GOV"),
    ("Bombay High Court", None, "IND", "JUD"),
    ("Human Rights Watch", None, None, "NGO"),                 # international: no country
    ("the National Assembly", "Lawmakers in Seoul voted.", "KOR", "LEG"),  # generic name: the context's country
])
def test_actors_organisations(text, context, code, sector):
    actor = resolve_actor(text, context=context)
    assert (actor.country, actor.sector) == (code, sector)


def test_actors_names_that_are_common_words_match_only_as_written():
    assert resolve_actor("an apple") is None
    assert resolve_actor("the party congress").country is None
    assert resolve_actor("Congress").country == "USA"


@pytest.mark.parametrize("text,code,sector", [
    ("the French ambassador to the United Nations", "FRA", "GOV"),  # the sender, not the receiving body
    ("the speaker of the Knesset", "ISR", "LEG"),                   # the institution's sector
    ("residents of Kharkiv", "UKR", "CVL"),
    ("police in Bombay", "IND", "COP"),                             # a former city name
    ("Trinidad", "TTO", None),                                      # a country's short name
    ("ex-army chief", None, "ELI"),
])
def test_actors_head_and_complement(text, code, sector):
    actor = resolve_actor(text)
    assert (actor.country, actor.sector) == (code, sector)
    assert actor.name == text                                       # the mention, not a part of it


def test_actors_tables_are_consistent():
    """Every term and organisation names a known country code, a PLOVER-shaped sector and ordered dates."""
    from claimgraph.actors import load_kb
    from claimgraph.actors.kb import read_offices

    kb = load_kb()
    codes = set(kb.countries) | {"UNO", "EUR", "IGO"}
    for terms in kb.terms.values():
        for term in terms:
            assert term.country in codes, term
            assert len(term.sector) % 3 == 0 and term.sector.isupper(), term
            assert len(term.start) == 10 and (term.end is None or term.start < term.end), term
    for entries in kb.index.values():
        for entry in entries:
            if entry.kind in ("organisation", "seat", "media") and entry.code:
                assert entry.code in codes, entry
    assert len({t.person for terms in kb.terms.values() for t in terms}) > 700
    row = read_offices("FIN\tprime minister\tSanna Marin\t2019-12\t2023\t\t\tMarin")[0]
    assert (row["start"], row["end"], row["sector"], row["aliases"]) == ("2019-12-01", "2023-01-01", None, ["Marin"])


@pytest.mark.parametrize("text,code,sector", [
    ("Tigray", "ETH", "CVL"),                  # a region alone: its people, like a city
    ("Rakhine villagers", "MMR", "CVL"),
    ("Texas officials", "USA", "GOV"),
    ("Georgia", "GEO", None),                  # the country, not the US state
])
def test_actors_regions(text, code, sector):
    actor = resolve_actor(text)
    assert (actor.country, actor.sector) == (code, sector)
    assert resolve_actor("Kashmir") is None    # shared by two countries: left out


def test_actors_officeholder_wikidata_ids_are_consistent():
    """Every office-holder Wikidata id is a well-formed item id, one person has one id across all their
    terms (TOML and TSV alike), and no id is shared by two people: a copy-paste slip in the tables fails."""
    import re
    import tomllib
    from importlib import resources

    from claimgraph.actors.kb import read_offices

    folder = resources.files("claimgraph.data").joinpath("actors")
    rows = tomllib.loads(folder.joinpath("officeholders.toml").read_text("utf-8"))["office"]
    for table in folder.iterdir():
        if table.name.startswith("officeholders-") and table.name.endswith(".tsv"):
            rows.extend(read_offices(table.read_text("utf-8")))
    by_person: dict[tuple[str, str], set[str]] = {}
    by_id: dict[str, set[str]] = {}
    for row in rows:
        qid = row.get("wikidata")
        if not qid:
            continue
        assert re.fullmatch(r"Q[1-9][0-9]*", qid), row
        by_person.setdefault((row["person"], row["country"]), set()).add(qid)
        by_id.setdefault(qid, set()).add(row["person"])
    assert len(by_id) >= 30                      # the G20 + Ukraine leaders carry ids
    assert {k: v for k, v in by_person.items() if len(v) > 1} == {}
    assert {k: v for k, v in by_id.items() if len(v) > 1} == {}
    assert by_id["Q7747"] == {"Vladimir Putin"} and by_id["Q3874799"] == {"Volodymyr Zelensky"}
