"""The REST API on real data: the seed article posted, then found through every read route."""
from __future__ import annotations

import json

import pytest

from ..conftest import SEED

pytestmark = pytest.mark.slow


@pytest.fixture
def seeded(client, auth):
    text = SEED.read_text("utf-8")
    response = client.post("/api/articles", headers=auth,
                           json={"id": "seed", "text": text, "outlet": "Example Wire", "published": "2025-03-14"})
    assert response.status_code == 200, response.text
    return client


def error_of(response) -> dict:
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"status", "code", "message"}, body
    assert body["error"]["status"] == response.status_code
    return body["error"]


def test_post_stores_and_reports_each_record(client, auth):
    text = SEED.read_text("utf-8")
    response = client.post("/api/articles", headers=auth, json={"id": "seed", "text": text})
    item, = response.json()["items"]
    assert item["status"] == "stored" and item["id"] == "seed" and item["claims"] >= 6
    again = client.post("/api/articles", headers=auth, json={"id": "seed", "text": text}).json()
    assert again["items"][0]["status"] == "unchanged"
    assert again["counts"]["read"] == 1 and again["counts"]["unchanged"] == 1


def test_batch_jsonl_keeps_good_records_and_explains_bad_ones(client, auth):
    lines = [json.dumps({"id": "a", "text": "The minister said that the talks had failed."}),
             "{not json",
             json.dumps({"id": "b", "text": ""}),
             json.dumps({"id": "c", "text": "Officials said that prices would rise."})]
    response = client.post("/api/articles", headers=auth | {"Content-Type": "application/x-ndjson"},
                           content="\n".join(lines).encode(), params={"wait": "true"})
    assert response.status_code == 200
    body = response.json()
    statuses = [(item["id"], item["status"]) for item in body["items"]]
    assert statuses == [("a", "stored"), (None, "rejected"), (None, "rejected"), ("c", "stored")]
    assert [item["errors"][0]["code"] for item in body["items"] if item["status"] == "rejected"] == ["CG104", "CG105"]
    assert body["counts"]["read"] == 4 == body["counts"]["stored"] + body["counts"]["rejected"]
    assert {a["id"] for a in client.get("/api/articles").json()["items"]} == {"a", "c"}


def test_lavrov_found_by_search_with_chain_and_events(seeded):
    page = seeded.get("/api/claims", params={"search": "peace talks", "speaker": "Lavrov"}).json()
    claim = page["items"][0]
    assert claim["speaker"]["actor"]["name"] == "Sergei Lavrov"
    assert claim["speaker"]["actor"]["country"] == "RUS" and claim["cue"]["text"] == "asserted"
    assert claim["reported_by"][0]["name"] == "TASS"
    assert claim["outlet"] == "Example Wire"
    assert any(e["event"] == "ACCUSE" and e["role"] == "speech_act" for e in claim["events"])
    text = seeded.get("/api/articles/seed").json()["text"]
    assert text[claim["cue"]["start"]:claim["cue"]["end"]] == "asserted"


@pytest.mark.parametrize(("params", "expect"), [
    ({"event": "ACCUSE"}, lambda c: any(e["event"] == "ACCUSE" for e in c["events"])),
    ({"about": "United States", "stance": "negative"},
     lambda c: any(t["actor"]["name"] == "United States" and t["stance"] == "negative" for t in c["targets"])),
    ({"outlet": "TASS"}, lambda c: any(link["name"] == "TASS" for link in c["reported_by"])),
    ({"since": "2025-03-14", "until": "2025-03-14"}, lambda c: c["published"] == "2025-03-14"),
])
def test_claim_filters_narrow(seeded, params, expect):
    everything = seeded.get("/api/claims", params={"limit": 500}).json()["items"]
    found = seeded.get("/api/claims", params=params | {"limit": 500}).json()["items"]
    assert found and all(expect(claim) for claim in found)
    assert len(found) <= len(everything)


def test_dates_outside_the_range_find_nothing(seeded):
    assert seeded.get("/api/claims", params={"until": "2025-03-13"}).json()["items"] == []
    assert seeded.get("/api/claims", params={"since": "2025-03-15"}).json()["items"] == []


def test_pages_follow_next_links_without_gaps(seeded):
    everything = [c["id"] for c in seeded.get("/api/claims", params={"limit": 500}).json()["items"]]
    seen, url = [], "/api/claims?limit=4"
    while url:
        page = seeded.get(url).json()
        seen += [c["id"] for c in page["items"]]
        url = page["next"]
    assert seen == everything and len(everything) > 4


def test_actor_page_and_network(seeded):
    actors = seeded.get("/api/actors", params={"search": "Lavrov"}).json()["items"]
    lavrov = seeded.get(f"/api/actors/{actors[0]['id']}").json()
    assert lavrov["name"] == "Sergei Lavrov" and lavrov["sector"] == "GOV"
    usa = next(row for row in lavrov["stance"] if row["name"] == "United States")
    assert usa["negative"] >= 1
    graph = seeded.get("/api/network", params={"stance": "negative"}).json()
    assert any(e["source"] == "Sergei Lavrov" and e["target"] == "United States" for e in graph["edges"])
    assert {n["id"] for n in graph["nodes"]} >= {e["source_id"] for e in graph["edges"]}


def test_events_route(seeded):
    events = seeded.get("/api/events", params={"event": "accuse", "actor": "RUS"}).json()["items"]
    assert events and all(e["event"] == "ACCUSE" and "RUS" in e["actor_codes"].split() for e in events)


def test_one_error_shape_everywhere(seeded):
    assert error_of(seeded.get("/api/articles/nope"))["code"] == "CG303"
    assert error_of(seeded.get("/api/actors/999999"))["code"] == "CG307"
    assert error_of(seeded.get("/api/claims", params={"limit": 0}))["code"] == "CG504"
    assert error_of(seeded.get("/api/claims", params={"stance": "angry"}))["code"] == "CG504"
    assert error_of(seeded.get("/api/no-such-thing"))["code"] == "CG505"
    assert error_of(seeded.delete("/api/claims"))["status"] == 405


def test_writes_need_the_token(make_client, auth):
    writable = make_client()
    body = {"text": "The minister said the talks had failed."}
    assert error_of(writable.post("/api/articles", json=body))["code"] == "CG501"
    wrong = {"Authorization": "Bearer not-the-token"}
    response = writable.post("/api/articles", json=body, headers=wrong)
    assert response.status_code == 401 and response.headers["www-authenticate"] == "Bearer"
    read_only = make_client(token=None)
    assert error_of(read_only.post("/api/articles", json=body, headers=auth))["code"] == "CG502"
    assert read_only.get("/api/stats").json()["writable"] is False


def test_bad_bodies_get_clear_errors(client, auth):
    assert error_of(client.post("/api/articles", headers=auth | {"Content-Type": "application/json"},
                                content=b"{broken"))["code"] == "CG104"
    assert error_of(client.post("/api/articles", headers=auth | {"Content-Type": "text/csv"},
                                content=b"a,b"))["code"] == "CG506"
    response = client.post("/api/articles", headers=auth, json=[{"text": "The minister said it."}, 5],
                           params={"wait": "true"})
    assert [item["status"] for item in response.json()["items"]] == ["stored", "rejected"]


def test_request_size_limit(make_client, auth):
    small = make_client(max_body_bytes=1000)
    response = small.post("/api/articles", headers=auth, json={"text": "x" * 2000})
    assert response.status_code == 413 and error_of(response)["code"] == "CG503"

    def chunks():  # no Content-Length: the limit counts streamed bytes
        for _ in range(10):
            yield b"x" * 500
    response = small.post("/api/articles", headers=auth | {"Content-Type": "application/x-ndjson"},
                          content=chunks())
    assert response.status_code == 413


def test_cors_is_off_unless_asked(make_client):
    origin = {"Origin": "https://example.org"}
    assert "access-control-allow-origin" not in make_client().get("/api/stats", headers=origin).headers
    allowed = make_client(cors_origins=("https://example.org",))
    assert allowed.get("/api/stats", headers=origin).headers["access-control-allow-origin"] == "https://example.org"


def test_search_input_cannot_inject(seeded):
    for hostile in ['" OR 1=1 --', "'; DROP TABLE claims; --", "NEAR(", "*"]:
        assert seeded.get("/api/claims", params={"search": hostile, "speaker": hostile}).status_code == 200
    assert seeded.get("/api/stats").json()["counts"]["claims"] > 0


def test_openapi_and_web_ui_are_served(client):
    schema = client.get("/openapi.json").json()
    assert {"/api/claims", "/api/articles", "/api/articles/{article_id}", "/api/actors",
            "/api/network"} <= set(schema["paths"])
    page = client.get("/")
    assert page.status_code == 200 and "/static/app.js" in page.text


def test_narratives_named_and_discovered(seeded):
    article = seeded.get("/api/articles/seed").json()
    labels = {row["label"] for row in article["narratives"]}
    assert "URW: Discrediting the West, Diplomacy" in labels
    for row in article["narratives"]:  # why: the sentences that weigh most, with offsets into the text
        assert all(article["text"][e["start"]:e["end"]] == e["text"] for e in row["evidence"])
    named = seeded.get("/api/narratives/labels").json()["items"]
    west = next(row for row in named if row["label"] == "URW: Discrediting the West, Diplomacy")
    assert west["articles"] == 1 and west["outlets"] == {"Example Wire": 1} and west["first_seen"] == "2025-03-14"
    by_label = seeded.get("/api/claims",
                          params={"narrative": "URW: Discrediting the West, Diplomacy", "limit": 500}).json()
    assert by_label["items"] and {c["article_id"] for c in by_label["items"]} == {"seed"}

    assert seeded.get("/api/narratives").json()["items"] == []  # one article, one outlet: none listed yet
    page = seeded.get("/api/narratives", params={"unlisted": "true"}).json()
    assert page["items"] and all(item["claims"] >= 1 and not item["listed"] for item in page["items"])
    biggest = seeded.get(f"/api/narratives/{page['items'][0]['id']}").json()
    assert biggest["claims"] == page["items"][0]["claims"] == len(biggest["claim_ids"])
    assert biggest["weekly"] == {"2025-03-10": biggest["claims"]}  # the Monday of the article's week
    members = seeded.get("/api/claims", params={"narrative": biggest["id"], "limit": 500}).json()["items"]
    assert sorted(c["id"] for c in members) == sorted(biggest["claim_ids"])
    assert error_of(seeded.get("/api/narratives/nope"))["code"] == "CG350"
