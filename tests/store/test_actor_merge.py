"""One actor row per entity (issue 16), on both backends: a surname, a title and name, an acronym
merge with the full name, in one article and across articles; two people who share a surname do not."""
from __future__ import annotations

from claimgraph import Actor, Claim, Mention, TextSpan


def _claim(article, speaker: str, name: str, kind: str = "PERSON", about: tuple[str, str, str] | None = None,
           actor: dict | None = None) -> Claim:
    start = article.text.index(speaker)
    content = article.text[start + len(speaker):].strip(" .")
    at = article.text.index(content)
    targets = ()
    if about is not None:
        text, target_name, target_kind = about
        t = article.text.index(text)
        targets = (Mention(text=text, start=t, end=t + len(text), actor=Actor(name=target_name, kind=target_kind),
                           stance="negative"),)
    return Claim(id=f"{article.id}-{start}", article_id=article.id,
                 speaker=Mention(text=speaker, start=start, end=start + len(speaker),
                                 actor=Actor(name=name, kind=kind, **(actor or {}))),
                 cue=None, content=(TextSpan(text=content, start=at, end=at + len(content)),), kind="indirect",
                 targets=targets, confidence=0.8, method="test.v1")


def _save(store, make_article, text: str, *speakers: tuple[str, str] | tuple[str, str, str]) -> None:
    article = make_article(text)
    article.claims = [_claim(article, s[0], s[1], *s[2:]) for s in speakers]
    assert store.save(article, method="m1") == "stored"


def _people(store) -> dict[str, dict]:
    return {row["name"]: row for row in store.actors(limit=None)}


def test_surname_and_title_merge_with_the_full_name_in_one_article(fresh_store, make_article):
    _save(fresh_store, make_article,
          "Vladimir Putin said the west was to blame. President Putin told reporters the talks were over. "
          "Putin added that no deal was near.",
          ("Vladimir Putin", "Vladimir Putin", "PERSON", None, {"wikidata": "Q7747"}),
          ("President Putin", "President Putin"), ("Putin added", "Putin"))
    actors = _people(fresh_store)
    assert list(actors) == ["Vladimir Putin"]
    assert actors["Vladimir Putin"]["claims"] == 3
    assert actors["Vladimir Putin"]["wikidata"] == "Q7747"
    detail = fresh_store.actor(actors["Vladimir Putin"]["id"])
    assert {"Putin", "President Putin"} <= set(detail["aliases"])
    assert {c["speaker"]["actor"]["name"] for c in fresh_store.claims()} == {"Vladimir Putin"}


def test_a_surname_finds_the_person_stored_from_another_article(fresh_store, make_article):
    _save(fresh_store, make_article, "Amara Okonkwo-Bello said the plant would close.",
          ("Amara Okonkwo-Bello", "Amara Okonkwo-Bello"))
    _save(fresh_store, make_article, "Okonkwo-Bello told workers the plant would close in May.",
          ("Okonkwo-Bello", "Okonkwo-Bello"))
    assert list(_people(fresh_store)) == ["Amara Okonkwo-Bello"]


def test_a_full_name_renames_the_surname_stored_first(fresh_store, make_article):
    _save(fresh_store, make_article, "Tennant-Ruiz said the audit was late.", ("Tennant-Ruiz", "Tennant-Ruiz"))
    _save(fresh_store, make_article, "Marisol Tennant-Ruiz said the audit was finished.",
          ("Marisol Tennant-Ruiz", "Marisol Tennant-Ruiz"))
    actors = _people(fresh_store)
    assert list(actors) == ["Marisol Tennant-Ruiz"]
    assert actors["Marisol Tennant-Ruiz"]["claims"] == 2
    assert {c["speaker"]["actor"]["name"] for c in fresh_store.claims()} == {"Marisol Tennant-Ruiz"}


def test_two_people_with_one_surname_stay_two(fresh_store, make_article):
    _save(fresh_store, make_article, "Hanna Vereecken said the bill was unfair.",
          ("Hanna Vereecken", "Hanna Vereecken"))
    _save(fresh_store, make_article, "Pieter Vereecken said the bill was fair.",
          ("Pieter Vereecken", "Pieter Vereecken"))
    assert set(_people(fresh_store)) == {"Hanna Vereecken", "Pieter Vereecken"}
    # and the surname alone is now ambiguous: a row of its own
    _save(fresh_store, make_article, "Vereecken said nothing more.", ("Vereecken", "Vereecken"))
    assert set(_people(fresh_store)) == {"Hanna Vereecken", "Pieter Vereecken", "Vereecken"}


def test_an_acronym_merges_with_the_organisation_it_abbreviates(fresh_store, make_article):
    _save(fresh_store, make_article, "The Coastal Fishermen Cooperative Union said quotas were too low.",
          ("The Coastal Fishermen Cooperative Union", "Coastal Fishermen Cooperative Union", "ORG"))
    _save(fresh_store, make_article, "The CFCU said it would strike.", ("The CFCU", "CFCU", "ORG"))
    actors = _people(fresh_store)
    assert list(actors) == ["Coastal Fishermen Cooperative Union"]
    assert fresh_store.actor(actors["Coastal Fishermen Cooperative Union"]["id"])["aliases"] == ["CFCU"]


def test_targets_merge_too(fresh_store, make_article):
    _save(fresh_store, make_article, "Kaja Kallas said Ursula von der Leyen had been right all along.",
          ("Kaja Kallas", "Kaja Kallas", "PERSON", ("Ursula von der Leyen", "Ursula von", "PERSON")))
    _save(fresh_store, make_article, "Josep Borrell said Leyen had been wrong.",
          ("Josep Borrell", "Josep Borrell", "PERSON", ("Leyen", "Leyen", "PERSON")))
    names = set(_people(fresh_store))
    assert "Ursula von der Leyen" in names and "Leyen" not in names and "Ursula von" not in names
