#!/usr/bin/env python3
"""The REST API under load: reads while articles are written, synchronous POSTs against write jobs.

    OMP_NUM_THREADS=1 .venv/bin/python bench/api_load.py

Local only and bounded: for each mode it starts `claimgraph serve` on 127.0.0.1 (a free port) over
a new temporary database, as a subprocess, posts one article to load the models (not timed), times
16 readers alone for a few seconds, then 16 readers (``GET /api/claims``, ``GET /api/articles``,
alternately) while 4 writers post 24 articles, one per request:

- ``sync`` (before jobs): ``POST /api/articles`` answers when the article is stored;
- ``jobs``: ``POST /api/articles?wait=false`` answers 202 with a job, polled until done (a 429 from a
  full queue is retried after its Retry-After, and counted).

The articles are the project's own texts (examples/seed-article.txt and examples/demo-articles.jsonl)
repeated with fresh ids. Reported: read latency p50 / p99 alone and under the writes, the writes'
time to answer and time until stored, the wall time of the write phase, and the checks: no request
failed, every article stored (counted in the store at the end), the server stopped cleanly.
Everything stops after --timeout seconds. The machine is shared and noisy: compare the modes
within one run.
"""
from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "bench-token-0123456789"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
READ_URLS = ("/api/claims?limit=50", "/api/articles?limit=50")


def project_articles() -> list[dict[str, Any]]:
    examples = ROOT / "examples"
    seed = {"text": (examples / "seed-article.txt").read_text("utf-8"), "outlet": "Example Wire",
            "published": "2025-03-14"}
    demo = [json.loads(line) for line in (examples / "demo-articles.jsonl").read_text("utf-8").splitlines()
            if line.strip()]
    return [seed, *demo]


def fresh_articles(n: int, prefix: str) -> list[dict[str, Any]]:
    texts = project_articles()
    return [texts[number % len(texts)] | {"id": f"{prefix}-{number:03d}"} for number in range(n)]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


@dataclass
class Phase:
    reads: list[float] = field(default_factory=list)
    read_failures: list[str] = field(default_factory=list)


class Server:
    """`claimgraph serve` over a new database, as a subprocess."""

    def __init__(self, folder: Path) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = (folder / "serve.log").open("wb")
        command = [sys.executable, "-m", "claimgraph", "serve", "--db", str(folder / "load.db"),
                   "--host", "127.0.0.1", "--port", str(self.port), "--token", TOKEN]
        self.process = subprocess.Popen(command, cwd=ROOT, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"`claimgraph serve` exited with {self.process.returncode}; see {self.log.name}")
            try:
                if httpx.get(f"{self.base}/api/stats", timeout=2).status_code == 200:
                    return
            except httpx.TransportError:
                time.sleep(0.2)
        raise SystemExit("`claimgraph serve` did not answer within 60 s")

    def stop(self) -> int:
        """Ctrl-C, as a user stops it: uvicorn shuts down, the lifespan stops the job worker."""
        self.process.send_signal(signal.SIGINT)
        try:
            code = self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.process.kill()
            code = -9
        self.log.close()
        return code


def read_loop(base: str, number: int, phase: Phase, stop: threading.Event) -> None:
    with httpx.Client(base_url=base, timeout=120) as client:
        turn = number
        while not stop.is_set():
            url = READ_URLS[turn % len(READ_URLS)]
            turn += 1
            started = time.perf_counter()
            try:
                response = client.get(url)
            except httpx.HTTPError as e:
                phase.read_failures.append(f"{url}: {type(e).__name__}")
                continue
            phase.reads.append(time.perf_counter() - started)
            if response.status_code != 200:
                phase.read_failures.append(f"{url}: {response.status_code}")


def run_readers(base: str, readers: int, stop: threading.Event) -> tuple[Phase, list[threading.Thread]]:
    phase = Phase()
    threads = [threading.Thread(target=read_loop, args=(base, number, phase, stop), daemon=True)
               for number in range(readers)]
    for thread in threads:
        thread.start()
    return phase, threads


@dataclass
class Writes:
    answered: list[float] = field(default_factory=list)  # seconds from sending the POST to its answer
    stored: list[float] = field(default_factory=list)  # seconds from sending the POST to the article stored
    failures: list[str] = field(default_factory=list)
    retries: int = 0


def write_loop(base: str, mode: str, articles: list[dict[str, Any]], writes: Writes, deadline: float) -> None:
    params = {"wait": "false"} if mode == "jobs" else {}
    pending: list[tuple[str, float, str]] = []  # (job url, sent at, article id)
    with httpx.Client(base_url=base, timeout=600, headers=AUTH) as client:
        for article in articles:
            while time.monotonic() < deadline:
                sent = time.perf_counter()
                try:
                    response = client.post("/api/articles", json=article, params=params)
                except httpx.HTTPError as e:
                    writes.failures.append(f"{article['id']}: {type(e).__name__}")
                    break
                if response.status_code == 429:
                    writes.retries += 1
                    time.sleep(float(response.headers.get("retry-after", "1")))
                    continue
                writes.answered.append(time.perf_counter() - sent)
                if mode == "sync":
                    item = response.json()["items"][0] if response.status_code == 200 else {}
                    if item.get("status") != "stored":
                        writes.failures.append(f"{article['id']}: {response.status_code} {response.text[:200]}")
                    else:
                        writes.stored.append(time.perf_counter() - sent)
                elif response.status_code != 202:
                    writes.failures.append(f"{article['id']}: {response.status_code} {response.text[:200]}")
                else:
                    pending.append((response.headers["location"], sent, article["id"]))
                break
        while pending and time.monotonic() < deadline:
            url, sent, article_id = pending[0]
            job = client.get(url).json()
            if job.get("status") not in ("done", "failed"):
                time.sleep(0.1)
                continue
            pending.pop(0)
            if job["status"] == "done" and [item["status"] for item in job["items"]] == ["stored"]:
                writes.stored.append(time.perf_counter() - sent)
            else:
                writes.failures.append(f"{article_id}: job {job.get('status')} {job.get('failure')}")
        writes.failures += [f"{article_id}: still pending at the deadline" for _, _, article_id in pending]


def run_mode(mode: str, args: argparse.Namespace, deadline: float) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix=f"claimgraph-load-{mode}-") as folder:
        server = Server(Path(folder))
        try:
            warm = project_articles()[0] | {"id": f"{mode}-warm-up"}
            started = time.perf_counter()
            response = httpx.post(f"{server.base}/api/articles", json=warm, headers=AUTH, timeout=600)
            response.raise_for_status()
            warm_s = time.perf_counter() - started

            stop = threading.Event()
            idle, readers = run_readers(server.base, args.readers, stop)
            time.sleep(args.idle_seconds)
            stop.set()
            for thread in readers:
                thread.join(timeout=130)

            articles = fresh_articles(args.articles, prefix=f"{mode}-article")
            shares = [articles[number::args.writers] for number in range(args.writers)]
            writes = Writes()
            stop = threading.Event()
            loaded, readers = run_readers(server.base, args.readers, stop)
            started = time.perf_counter()
            writers = [threading.Thread(target=write_loop, args=(server.base, mode, share, writes, deadline))
                       for share in shares]
            for thread in writers:
                thread.start()
            for thread in writers:
                thread.join()
            write_phase_s = time.perf_counter() - started
            stop.set()
            for thread in readers:
                thread.join(timeout=130)

            stats = httpx.get(f"{server.base}/api/stats", timeout=60).json()
            listed = httpx.get(f"{server.base}/api/articles", params={"limit": 500}, timeout=60).json()["items"]
            missing = sorted({article["id"] for article in articles} - {row["id"] for row in listed})
        finally:
            exit_code = server.stop()
    return {
        "mode": mode, "warm_up_s": warm_s, "write_phase_s": write_phase_s,
        "reads_alone": len(idle.reads), "read_alone_p50_s": percentile(idle.reads, 50),
        "read_alone_p99_s": percentile(idle.reads, 99),
        "reads": len(loaded.reads), "read_p50_s": percentile(loaded.reads, 50),
        "read_p99_s": percentile(loaded.reads, 99),
        "write_answer_p50_s": percentile(writes.answered, 50), "write_answer_max_s": max(writes.answered, default=0),
        "write_stored_p50_s": percentile(writes.stored, 50), "write_stored_max_s": max(writes.stored, default=0),
        "queue_full_retries": writes.retries,
        "failed": idle.read_failures + loaded.read_failures + writes.failures,
        "articles_stored": stats["counts"]["articles"], "articles_expected": len(articles) + 1,
        "missing": missing, "server_exit_code": exit_code,
    }


def print_table(results: list[dict[str, Any]], args: argparse.Namespace) -> None:
    ms = 1000
    print(f"\n{args.readers} readers, {args.writers} writers posting {args.articles} articles (one per request)")
    print(f"{'mode':<6} {'reads':>6} {'read p50/p99 ms':>17} {'alone p50/p99 ms':>17} "
          f"{'answer p50/max s':>17} {'stored p50/max s':>17} {'writes s':>9} {'failed':>6} {'stored':>9}")
    for r in results:
        print(f"{r['mode']:<6} {r['reads']:>6} "
              f"{r['read_p50_s'] * ms:>8.0f}/{r['read_p99_s'] * ms:<8.0f} "
              f"{r['read_alone_p50_s'] * ms:>8.0f}/{r['read_alone_p99_s'] * ms:<8.0f} "
              f"{r['write_answer_p50_s']:>8.2f}/{r['write_answer_max_s']:<8.2f} "
              f"{r['write_stored_p50_s']:>8.1f}/{r['write_stored_max_s']:<8.1f} "
              f"{r['write_phase_s']:>9.1f} {len(r['failed']):>6} "
              f"{r['articles_stored']:>4}/{r['articles_expected']:<4}")
    for r in results:
        for problem in r["failed"][:10]:
            print(f"  {r['mode']} failed: {problem}")
        if r["missing"]:
            print(f"  {r['mode']} lost: {r['missing']}")
        if r["server_exit_code"] != 0:
            print(f"  {r['mode']}: the server exited with {r['server_exit_code']}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--readers", type=int, default=16)
    parser.add_argument("--writers", type=int, default=4)
    parser.add_argument("--articles", type=int, default=24)
    parser.add_argument("--idle-seconds", type=float, default=3.0, help="How long the readers run alone.")
    parser.add_argument("--modes", default="sync,jobs", help="Comma-separated: sync (before), jobs (after).")
    parser.add_argument("--timeout", type=float, default=900, help="Stop everything after this many seconds.")
    parser.add_argument("--json", type=Path, help="Also write the figures to this file.")
    args = parser.parse_args()
    deadline = time.monotonic() + args.timeout
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    results = [run_mode(mode, args, deadline) for mode in args.modes.split(",")]
    print_table(results, args)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n", "utf-8")
    ok = all(not r["failed"] and not r["missing"] and r["articles_stored"] == r["articles_expected"]
             and r["server_exit_code"] == 0 for r in results)
    print("\nnothing failed, nothing lost" if ok else "\nSOME REQUESTS FAILED OR ARTICLES WERE LOST")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
