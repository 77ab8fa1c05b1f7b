"""Write jobs: several articles (or ``wait=false``) answer 202 at once, the worker stores them in order,
``GET /api/jobs/{id}`` reports progress and each record's result. A fake pipeline (no spaCy) holds
articles at a gate where a test is about the queue; one slow test runs the real pipeline."""
from __future__ import annotations

import threading
import time
from collections.abc import Iterable, Iterator

import pytest
from fastapi.testclient import TestClient

from claimgraph import Article, Pipeline
from claimgraph.api import Settings, create_app

from ..conftest import SEED
from .conftest import TOKEN

AUTH = {"Authorization": f"Bearer {TOKEN}"}


class FakePipeline(Pipeline):
    """Passes articles through unchanged (no spaCy); waits at ``gate`` before each one, fails on the
    text "boom". A real ``Pipeline`` otherwise, so it has whatever ``ingest_articles`` reads of one."""

    def __init__(self) -> None:
        super().__init__(steps={"claimgraph.test.fake.v1": lambda article, spacy_doc: None})
        self.gate = threading.Event()
        self.gate.set()
        self.seen: list[str] = []
        self.calls = 0

    def pipe(self, articles: Iterable[Article]) -> Iterator[Article]:
        self.calls += 1
        for article in articles:
            if not self.gate.wait(timeout=30):
                raise TimeoutError("the test never opened the gate")
            if article.text == "boom":
                raise RuntimeError("the fake pipeline exploded")
            self.seen.append(article.id)
            yield article


@pytest.fixture
def fake():
    return FakePipeline()


@pytest.fixture
def make_app(tmp_path, fake):
    def make(**settings):
        config = Settings(db=str(tmp_path / "jobs.db"), **({"token": TOKEN, "narratives": False} | settings))
        config._pipeline = fake
        return create_app(settings=config)
    return make


@pytest.fixture
def client(make_app):
    with TestClient(make_app(), raise_server_exceptions=False) as client:
        yield client


def records(*ids: str) -> list[dict]:
    return [{"id": article_id, "text": f"Officials said that {article_id} would follow."} for article_id in ids]


def wait_for(client: TestClient, url: str, statuses: tuple[str, ...] = ("done", "failed"), **check) -> dict:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        job = client.get(url, headers=AUTH).json()
        if job["status"] in statuses and all(job["progress"][key] >= value for key, value in check.items()):
            return job
        time.sleep(0.02)
    raise AssertionError(f"job {url} still {job['status']} after 20 s: {job}")


def error_of(response) -> dict:
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"status", "code", "message"}, body
    assert body["error"]["status"] == response.status_code
    return body["error"]


def test_jobs_several_articles_answer_202_then_done_with_each_record(client):
    response = client.post("/api/articles", headers=AUTH, json=[*records("a", "b"), {"id": "c", "text": ""}, 5])
    assert response.status_code == 202, response.text
    job = response.json()
    assert response.headers["location"] == job["url"] == f"/api/jobs/{job['id']}"
    assert job["progress"]["total"] == 4 and job["status"] in ("queued", "running", "done")
    done = wait_for(client, job["url"])
    assert done["status"] == "done" and done["failure"] is None and done["progress"] == {"done": 4, "total": 4}
    assert [(item["id"], item["status"]) for item in done["items"]] == [
        ("a", "stored"), ("b", "stored"), (None, "rejected"), (None, "rejected")]
    assert [item["errors"][0]["code"] for item in done["items"][2:]] == ["CG105", "CG105"]
    assert done["counts"]["stored"] == 2 and done["counts"]["rejected"] == 2
    assert done["started"] and done["finished"] and "articles" not in done
    assert {a["id"] for a in client.get("/api/articles").json()["items"]} == {"a", "b"}


def test_jobs_wait_false_queues_one_article_and_one_article_stays_synchronous(client, fake):
    queued = client.post("/api/articles", headers=AUTH, json=records("one")[0], params={"wait": "false"})
    assert queued.status_code == 202
    assert wait_for(client, queued.json()["url"])["items"][0]["status"] == "stored"
    answered = client.post("/api/articles", headers=AUTH, json=records("two")[0])
    assert answered.status_code == 200 and answered.json()["items"][0]["status"] == "stored"
    several = client.post("/api/articles", headers=AUTH, json=records("x", "y"), params={"wait": "true"})
    assert several.status_code == 200 and [item["id"] for item in several.json()["items"]] == ["x", "y"]
    assert fake.seen == ["one", "two", "x", "y"]


def test_jobs_unknown_id_is_the_404_envelope(client):
    error = error_of(client.get("/api/jobs/0123456789abcdef", headers=AUTH))
    assert error["status"] == 404 and error["code"] == "CG508" and "'0123456789abcdef'" in error["message"]


def test_jobs_need_the_token(make_app):
    with TestClient(make_app()) as client:
        body = records("a")[0]
        assert error_of(client.post("/api/articles", json=body, params={"wait": "false"}))["code"] == "CG501"
        assert error_of(client.post("/api/articles", json=records("a", "b")))["code"] == "CG501"
        job = client.post("/api/articles", json=records("a", "b"), headers=AUTH).json()
        assert error_of(client.get(job["url"]))["code"] == "CG501"
        wrong = {"Authorization": "Bearer not-the-token"}
        assert error_of(client.get(job["url"], headers=wrong))["code"] == "CG501"
    with TestClient(make_app(token=None)) as read_only:
        refused = read_only.post("/api/articles", json=records("a", "b"), headers=AUTH)
        assert error_of(refused)["code"] == "CG502"


def test_jobs_queue_is_bounded_and_runs_in_order(make_app, fake):
    fake.gate.clear()
    with TestClient(make_app(max_queued_jobs=2)) as client:
        first = client.post("/api/articles", headers=AUTH, json=records("a1", "a2")).json()
        wait_for(client, first["url"], statuses=("running",))  # taken by the worker: no longer waiting
        waiting = [client.post("/api/articles", headers=AUTH, json=records(f"{n}1", f"{n}2")) for n in "bc"]
        assert [response.status_code for response in waiting] == [202, 202]
        full = client.post("/api/articles", headers=AUTH, json=records("d1", "d2"))
        assert full.status_code == 429 and error_of(full)["code"] == "CG507"
        assert int(full.headers["retry-after"]) > 0
        assert client.get(waiting[0].json()["url"], headers=AUTH).json()["status"] == "queued"
        fake.gate.set()
        for response in waiting:
            assert wait_for(client, response.json()["url"])["status"] == "done"
        assert fake.seen == ["a1", "a2", "b1", "b2", "c1", "c2"]
        assert client.post("/api/articles", headers=AUTH, json=records("d1", "d2")).status_code == 202


def test_jobs_waiting_together_run_as_one_stream_each_with_its_own_records(make_app, fake):
    fake.gate.clear()
    with TestClient(make_app()) as client:
        first = client.post("/api/articles", headers=AUTH, json=records("a1", "a2")).json()
        wait_for(client, first["url"], statuses=("running",))
        second = client.post("/api/articles", headers=AUTH, json=[*records("b1"), {"id": "b2", "text": ""}]).json()
        third = client.post("/api/articles", headers=AUTH, json=records("c1", "c2", "c3")).json()
        fake.gate.set()
        second, third = (wait_for(client, job["url"]) for job in (second, third))
    assert fake.calls == 2  # the first job alone, then the two that waited behind it
    assert [(item["id"], item["status"]) for item in second["items"]] == [("b1", "stored"), (None, "rejected")]
    assert second["counts"] == {"read": 2, "stored": 1, "rejected": 1, "claims": 0}
    assert [item["id"] for item in third["items"]] == ["c1", "c2", "c3"] and third["counts"]["stored"] == 3


def test_jobs_a_failing_job_fails_alone_among_those_run_together(make_app, fake):
    fake.gate.clear()
    with TestClient(make_app()) as client:
        first = client.post("/api/articles", headers=AUTH, json=records("a1", "a2")).json()
        wait_for(client, first["url"], statuses=("running",))
        before, failing, after = (client.post("/api/articles", headers=AUTH, json=body).json() for body in (
            records("b1", "b2"), [*records("c1"), {"id": "c2", "text": "boom"}, *records("c3")], records("d1", "d2")))
        fake.gate.set()
        before, failing, after = (wait_for(client, job["url"]) for job in (before, failing, after))
    assert before["status"] == "done" and after["status"] == "done"
    assert failing["status"] == "failed" and failing["failure"]["code"] == "CG510"
    assert failing["progress"] == {"done": 1, "total": 3} and "c3" not in fake.seen
    assert fake.seen == ["a1", "a2", "b1", "b2", "c1", "d1", "d2"]


def test_jobs_only_the_last_finished_are_kept(make_app):
    with TestClient(make_app(jobs_kept=2)) as client:
        urls = [client.post("/api/articles", headers=AUTH, json=records(f"{n}1", f"{n}2")).json()["url"]
                for n in "abc"]
        wait_for(client, urls[-1])
        assert [client.get(url, headers=AUTH).status_code for url in urls] == [404, 200, 200]


def test_jobs_a_failing_job_reports_and_the_next_one_runs(client):
    failing = client.post("/api/articles", headers=AUTH,
                          json=[*records("ok"), {"id": "bad", "text": "boom"}, *records("never")]).json()
    after = client.post("/api/articles", headers=AUTH, json=records("next1", "next2")).json()
    failed = wait_for(client, failing["url"])
    assert failed["status"] == "failed" and failed["failure"]["code"] == "CG510"
    assert "RuntimeError" in failed["failure"]["message"] and failed["progress"] == {"done": 1, "total": 3}
    assert [item["id"] for item in failed["items"]] == ["ok"]
    assert wait_for(client, after["url"])["status"] == "done"


def test_jobs_shutdown_stops_the_worker_cleanly(make_app, fake):
    app = make_app()
    fake.gate.clear()
    with TestClient(app) as client:
        running = client.post("/api/articles", headers=AUTH, json=records("r1", "r2", "r3")).json()
        queued = client.post("/api/articles", headers=AUTH, json=records("q1", "q2")).json()
        wait_for(client, running["url"], statuses=("running",))
        threading.Timer(0.3, fake.gate.set).start()  # the article in hand finishes while the app shuts down
    jobs = app.state.jobs
    stopped, dropped = jobs.get(running["id"]), jobs.get(queued["id"])
    assert stopped["status"] == "failed" and stopped["failure"]["code"] == "CG509"
    assert stopped["progress"]["done"] < 3 and [item["status"] for item in stopped["items"]] == ["stored"] * len(
        stopped["items"])
    assert dropped["status"] == "failed" and dropped["failure"]["code"] == "CG509" and dropped["items"] == []
    assert not any(thread.name == "claimgraph-jobs" and thread.is_alive() for thread in threading.enumerate())


def test_jobs_openapi_documents_the_routes(client):
    paths = client.get("/openapi.json").json()["paths"]
    assert "202" in paths["/api/articles"]["post"]["responses"]
    assert "429" in paths["/api/articles"]["post"]["responses"]
    assert "404" in paths["/api/jobs/{job_id}"]["get"]["responses"]
    assert any(parameter["name"] == "wait" for parameter in paths["/api/articles"]["post"]["parameters"])


@pytest.mark.slow
def test_jobs_real_pipeline_stores_claims_and_reports_a_rejected_record(tmp_path, pipeline, classifier):
    config = Settings(db=str(tmp_path / "real.db"), token=TOKEN)
    config._pipeline, config._classifier = pipeline, classifier
    with TestClient(create_app(settings=config)) as client:
        body = [{"id": "seed", "text": SEED.read_text("utf-8"), "outlet": "Example Wire"}, {"id": "empty", "text": " "}]
        response = client.post("/api/articles", headers=AUTH, json=body)
        assert response.status_code == 202
        done = wait_for(client, response.headers["location"])
        assert done["status"] == "done" and done["progress"] == {"done": 2, "total": 2}
        seed, empty = done["items"]
        assert seed["id"] == "seed" and seed["status"] == "stored" and seed["claims"] >= 6
        assert empty["status"] == "rejected" and empty["errors"][0]["code"] == "CG105"
        assert done["narratives"] is not None
        claims = client.get("/api/claims", params={"article": "seed", "limit": 500}).json()["items"]
        assert len(claims) == seed["claims"]
