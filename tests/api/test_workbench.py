"""The analyst's workbench (issue 16) through the API and the CLI: claims as CSV with every field,
the network with its filters as JSON, GraphML, GEXF and CSV, the claims behind one edge. The store is
written directly (no parser), so these run in seconds."""
from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from claimgraph import Actor, Claim, Mention, TextSpan, open_store
from claimgraph.api import create_app
from claimgraph.cli import cli
from claimgraph.export import CLAIM_COLUMNS
from claimgraph.ingest import article_from_text

ARTICLES = [
    # id, date, outlet, url, text, speaker (name, kind, country, sector), targets [(name, kind, stance)], event
    ("a1", "2025-03-03", "Harbour Times", "https://example.org/a1",
     "Port strike talks collapse\nMinister Ilse Brandt said the Dockers Union had walked away from the talks.",
     ("Ilse Brandt", "PERSON", "DEU", "GOV"), [("Dockers Union", "ORG", "negative")], "ACCUSE"),
    ("a2", "2025-03-10", "Harbour Times", "https://example.org/a2",
     "Union answers minister\nThe Dockers Union said Ilse Brandt had refused to meet them.",
     ("Dockers Union", "ORG", "DEU", "LAB"), [("Ilse Brandt", "PERSON", "negative")], "ACCUSE"),
    ("a3", "2025-04-20", "Coast Radio", None,
     "Mayor praises deal\nMayor Tomas Reiter said the Dockers Union had saved the port season.",
     ("Tomas Reiter", "PERSON", "DEU", "GOV"), [("Dockers Union", "ORG", "positive")], "PRAISE"),
    ("a4", None, "Coast Radio", None,
     "Brandt again\nIlse Brandt said the Dockers Union still owed the city an apology.",
     ("Ilse Brandt", "PERSON", "DEU", "GOV"), [("Dockers Union", "ORG", "negative")], "ACCUSE"),
]


def _claim(article, speaker, targets, event) -> Claim:
    name, kind, country, sector = speaker
    said = article.text.index(" said ")
    first = article.text.index("\n") + 1
    content_start = said + len(" said ")
    content = article.text[content_start:].rstrip(".")
    mentions = []
    for target, target_kind, stance in targets:
        at = article.text.index(target, content_start)
        mentions.append(Mention(text=target, start=at, end=at + len(target), actor=Actor(target, target_kind),
                                stance=stance))
    return Claim(
        id=f"{article.id}-c", article_id=article.id,
        speaker=Mention(text=article.text[first:said], start=first, end=said,
                        actor=Actor(name, kind, country=country, sector=sector)),
        cue=TextSpan("said", said + 1, said + 5),
        content=(TextSpan(content, content_start, content_start + len(content)),),
        kind="indirect", targets=tuple(mentions), confidence=0.75, method="test.v1",
        events=({"role": "speech_act", "event": event, "factuality": "asserted", "actor": [{"code": country}],
                 "recipient": [], "trigger": "said", "start": said + 1, "end": said + 5, "confidence": 0.6},))


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = str(tmp_path_factory.mktemp("workbench") / "wb.db")
    with open_store(path) as store:
        for article_id, date, outlet, url, text, speaker, targets, event in ARTICLES:
            article = article_from_text(text, id=article_id, published=date, outlet=outlet, url=url)
            article.claims = [_claim(article, speaker, targets, event)]
            store.save(article, method="m")
    return path


@pytest.fixture(scope="module")
def api(db):
    return TestClient(create_app(db), raise_server_exceptions=False)


def test_claims_as_csv_have_every_field(api):
    response = api.get("/api/claims", headers={"Accept": "text/csv"}, params={"limit": 3})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    assert 'rel="next"' in response.headers["link"]  # a fourth claim follows
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert tuple(rows[0]) == CLAIM_COLUMNS and len(rows) == 3
    first = rows[0]
    assert first["speaker"] == "Ilse Brandt" and first["speaker_country"] == "DEU" and first["speaker_sector"] == "GOV"
    assert first["article_title"] == "Port strike talks collapse" and first["outlet"] == "Harbour Times"
    assert first["published"] == "2025-03-03" and first["url"] == "https://example.org/a1"
    assert first["confidence"] == "0.75" and first["speech_act"] == "ACCUSE" and first["cue"] == "said"
    assert first["about"] == "Dockers Union (negative)" and first["events"].startswith("speech_act:ACCUSE DEU")
    # JSON stays JSON, and carries the url too
    items = api.get("/api/claims").json()["items"]
    assert items[0]["url"] == "https://example.org/a1" and items[0]["narratives"] == []


def test_network_filters_and_weights(api):
    graph = api.get("/api/network").json()
    edges = {(e["source"], e["target"]): e for e in graph["edges"]}
    brandt = edges[("Ilse Brandt", "Dockers Union")]
    assert brandt["claims"] == 2 and brandt["negative"] == 2 and brandt["stance"] == "negative"
    assert edges[("Tomas Reiter", "Dockers Union")]["stance"] == "positive"
    nodes = {n["name"]: n for n in graph["nodes"]}
    assert nodes["Dockers Union"]["claims_about"] == 3 and nodes["Ilse Brandt"]["claims_made"] == 2
    # a date range drops the undated article and April; a stance keeps its claims only; an event too
    march = api.get("/api/network", params={"since": "2025-03-01", "until": "2025-03-31"}).json()
    assert {(e["source"], e["target"], e["claims"]) for e in march["edges"]} == {
        ("Ilse Brandt", "Dockers Union", 1), ("Dockers Union", "Ilse Brandt", 1)}
    positive = api.get("/api/network", params={"stance": "positive"}).json()
    assert [(e["source"], e["target"]) for e in positive["edges"]] == [("Tomas Reiter", "Dockers Union")]
    praise = api.get("/api/network", params={"event": "PRAISE"}).json()
    assert [e["source"] for e in praise["edges"]] == ["Tomas Reiter"]
    bad = api.get("/api/network", params={"since": "May 2024"})
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "CG308"


def test_network_claims_behind_an_edge(api):
    graph = api.get("/api/network").json()
    edge = next(e for e in graph["edges"] if e["source"] == "Ilse Brandt")
    page = api.get("/api/network/claims", params={"source": edge["source_id"], "target": edge["target_id"]}).json()
    assert sorted(c["article_id"] for c in page["items"]) == ["a1", "a4"]
    dated = api.get("/api/network/claims", params={"source": edge["source_id"], "target": edge["target_id"],
                                                   "since": "2025-01-01"}).json()
    assert [c["article_id"] for c in dated["items"]] == ["a1"]


@pytest.mark.parametrize("accept,fmt", [("application/graphml+xml", "graphml"), ("application/gexf+xml", "gexf")])
def test_network_for_gephi(api, accept, fmt, tmp_path):
    import networkx as nx

    response = api.get("/api/network", headers={"Accept": accept})
    assert response.status_code == 200 and response.headers["content-type"].startswith(accept)
    path = tmp_path / f"net.{fmt}"
    path.write_bytes(response.content)
    graph = nx.read_graphml(path) if fmt == "graphml" else nx.read_gexf(path)
    labels = {data.get("label") or data.get("name") for _, data in graph.nodes(data=True)}
    assert {"Ilse Brandt", "Dockers Union", "Tomas Reiter"} <= labels
    weights = sorted(int(data["weight"] if fmt == "graphml" else data["claims"]) for *_, data in graph.edges(data=True))
    assert weights == [1, 1, 2]
    assert api.get("/api/network", params={"format": fmt}).content == response.content
    edges_csv = api.get("/api/network", headers={"Accept": "text/csv"}).text
    assert edges_csv.splitlines()[0].startswith("source_id,source,")


def test_cli_exports_match_the_api(db, tmp_path):
    runner = CliRunner()
    out = runner.invoke(cli, ["claims", "--db", db, "--csv", "--since", "2025-03-05", "--until", "2025-03-31"])
    assert out.exit_code == 0, out.output
    rows = list(csv.DictReader(io.StringIO(out.stdout)))
    assert [r["article_id"] for r in rows] == ["a2"] and rows[0]["speaker_sector"] == "LAB"

    parquet = tmp_path / "claims.parquet"
    done = runner.invoke(cli, ["claims", "--db", db, "--parquet", "-o", str(parquet), "--event", "ACCUSE"])
    assert done.exit_code == 0, done.output
    import pyarrow.parquet as pq

    table = pq.read_table(parquet)
    assert tuple(table.column_names) == CLAIM_COLUMNS and table.num_rows == 3
    assert runner.invoke(cli, ["claims", "--db", db, "--parquet"]).exit_code == 2  # needs -o

    as_json = runner.invoke(cli, ["claims", "--db", db, "--json", "--narrative", "nothing-like-this"])
    assert json.loads(as_json.stdout) == []

    graphml = tmp_path / "net.graphml"
    made = runner.invoke(cli, ["network", "--db", db, "--graphml", "-o", str(graphml), "--stance", "negative"])
    assert made.exit_code == 0, made.output
    import networkx as nx

    assert nx.read_graphml(graphml).number_of_edges() == 2
    gexf = runner.invoke(cli, ["network", "--db", db, "--gexf", "--since", "2025-04-01"])
    assert gexf.exit_code == 0 and "Tomas Reiter" in gexf.stdout and "Ilse Brandt" not in gexf.stdout
    assert runner.invoke(cli, ["network", "--db", db, "--since", "May 2024"]).exit_code != 0
