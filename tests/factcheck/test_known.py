"""Catalogues of known claims: the four formats, bad rows accounted, re-imports that update."""
from __future__ import annotations

import json

import pytest

from claimgraph.errors import ConfigError
from claimgraph.factcheck import KnownClaim, Rejected, import_known, read_known

from .conftest import KNOWN

EUVS_HEADER = "date,id,title,countries,keywords,languages,outlets\n"


def test_known_jsonl_rows_and_bad_lines(tmp_path):
    path = tmp_path / "catalogue.jsonl"
    path.write_text(json.dumps(KNOWN[0] | {"author": "Desk"}) + "\n{not json\n"
                    + json.dumps({"id": "x", "claim": ""}) + "\n"
                    + json.dumps({"id": "y", "claim": "A claim.", "date": "last week"}) + "\n", encoding="utf-8")
    rows = list(read_known(path))
    assert isinstance(rows[0], KnownClaim)
    assert rows[0].date == "2018-05-02" and rows[0].verdict == "false" and rows[0].extra == {"author": "Desk"}
    assert [row.code for row in rows[1:]] == ["CG104", "CG190", "CG191"]
    assert all(row.source.startswith(str(path) + ":") for row in rows[1:])


def test_known_csv_with_header(tmp_path):
    path = tmp_path / "catalogue.csv"
    path.write_text("id,claim,title,date,url,verdict\n"
                    "c1,\"Vaccines contain microchips, officials say.\",Microchips,2021-02-03T10:00:00,,false\n"
                    "c2,,No claim,,,\n", encoding="utf-8")
    first, second = read_known(path)
    assert first == KnownClaim(id="c1", claim="Vaccines contain microchips, officials say.", title="Microchips",
                               date="2021-02-03", verdict="false")
    assert isinstance(second, Rejected) and second.code == "CG190" and second.source == f"{path}:3"


def test_known_euvsdisinfo_layout(tmp_path):
    path = tmp_path / "cases.csv"
    path.write_text(EUVS_HEADER + "2019-04-01,https://example.org/report/one/,\"A made-up case, with a comma\","
                    "Ukraine+Russia,peace+talks,Russian,Outlet A+Outlet B\n", encoding="utf-8")
    [case] = read_known(path)
    assert case.claim == "A made-up case, with a comma" and case.url == case.id == "https://example.org/report/one/"
    assert case.verdict == "disinformation" and case.date == "2019-04-01"
    assert case.extra["countries"] == ["Ukraine", "Russia"] and case.extra["outlets"] == ["Outlet A", "Outlet B"]


REVIEW = {"@context": "https://schema.org", "@type": "ClaimReview", "url": "https://example.org/check/1",
          "claimReviewed": "The moon landing was filmed in a studio.", "datePublished": "2022-06-01",
          "headline": "No, the moon landing was not staged", "author": {"@type": "Organization", "name": "Checkers"},
          "reviewRating": {"@type": "Rating", "ratingValue": 1, "alternateName": "False"}}


@pytest.mark.parametrize("name,content", [
    ("one.json", json.dumps(REVIEW)),
    ("list.json", json.dumps([REVIEW, REVIEW | {"url": "https://example.org/check/2", "claimReviewed": "Other."}])),
    ("graph.json", json.dumps({"@context": "https://schema.org", "@graph": [{"@type": "WebPage"}, REVIEW]})),
    ("page.html", "<html><head><script type=\"application/ld+json\">" + json.dumps(REVIEW)
     + "</script></head><body>text</body></html>"),
])
def test_known_claim_review_json_ld(tmp_path, name, content):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    rows = list(read_known(path))
    first = rows[0]
    assert isinstance(first, KnownClaim)
    assert (first.id, first.claim, first.verdict, first.date) == (
        "https://example.org/check/1", "The moon landing was filmed in a studio.", "False", "2022-06-01")
    assert first.title == "No, the moon landing was not staged" and first.extra == {"author": "Checkers"}
    assert len(rows) == (2 if name == "list.json" else 1)


def test_known_page_without_claim_review_is_rejected(tmp_path):
    path = tmp_path / "page.html"
    path.write_text("<html><script type='application/ld+json'>{\"@type\": \"NewsArticle\"}</script></html>")
    [row] = read_known(path)
    assert isinstance(row, Rejected) and row.code == "CG193"


def test_known_unknown_format_says_what_to_pass(tmp_path):
    path = tmp_path / "notes.csv"
    path.write_text("a,b\n1,2\n")
    with pytest.raises(ConfigError, match=r"^\[CG192\] "):
        list(read_known(path))


def test_known_import_updates_never_duplicates_and_keeps_bad_rows(fresh_store, known_file, embedder):
    first = import_known(known_file, store=fresh_store, embedder=embedder, collection="tests")
    assert (first["read"], first["new"], first["rejected"]) == (4, 4, 0)
    rows = list(KNOWN)
    rows[1] = rows[1] | {"verdict": "true"}
    known_file.write_text("".join(json.dumps(row) + "\n" for row in rows) + "{\"id\": \"bad\"}\n")
    again = import_known(known_file, store=fresh_store, embedder=embedder, collection="tests")
    assert (again["new"], again["updated"], again["unchanged"], again["rejected"]) == (0, 1, 3, 1)
    stored = fresh_store.known_claims(collection="tests")
    assert [row["id"] for row in stored] == ["k1", "k2", "k3", "k4"]
    assert stored[1]["verdict"] == "true" and stored[0]["vector_method"] == embedder.name
    assert len(stored[0]["vectors"]) == 3 * 384 * 2  # claim, title, subtitle as float16
    failures = list(fresh_store.failures())
    assert [f["code"] for f in failures] == ["CG190"] and failures[0]["source"].endswith(":5")
