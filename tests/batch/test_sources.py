"""Parquet, RSS/Atom, WARC readers and fetching by URL (against a local HTTP server)."""
from __future__ import annotations

import http.server
import io
import threading

import pytest

from claimgraph import read_articles
from claimgraph.ingest.web import fetch, read_url

from .corpus import article_text

PAGE = ("<html><head><title>Council meets over the port strike</title>"
        "<meta property='og:site_name' content='Harbour Times'></head><body><nav>Home | World</nav>"
        "<article><h1>Council meets over the port strike</h1>"
        + "".join(f"<p>{para}</p>" for para in article_text(3).split("\n\n")[1:])
        + "</article><footer>Contact us</footer></body></html>")


def test_parquet_rows_streamed_as_articles(tmp_path):
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    table = pa.table({"id": ["p1", "p2", "p3"], "text": [article_text(1), "", article_text(2)],
                      "outlet": ["Wire", "Wire", None], "published": ["2026-11-01", None, "2026-11-02"],
                      "section": ["world", "x", "business"]})
    path = tmp_path / "news.parquet"
    pq.write_table(table, path, row_group_size=2)
    seen = []
    first, empty, third = read_articles([path], progress=seen.append)
    assert (first.id, first.outlet, first.published, first.meta) == ("p1", "Wire", "2026-11-01", {"section": "world"})
    assert empty.rejected and empty.failures[0].code == "CG105" and empty.source.endswith("news.parquet:2")
    assert third.text == article_text(2) and third.outlet is None
    assert sum(seen) > 0
    (tmp_path / "bad.parquet").write_bytes(b"PAR1 not really")
    [bad] = read_articles([tmp_path / "bad.parquet"])
    assert bad.rejected and bad.failures[0].code == "CG113"


RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>
<title>Harbour Times</title><link>https://harbour.example/</link>
<item><title>Strike goes on</title><link>https://harbour.example/strike</link><guid>h-1</guid>
<pubDate>Thu, 05 Nov 2026 10:00:00 GMT</pubDate>
<content:encoded><![CDATA[<p>Union leader Hana Kovac said on Thursday that the strike would go on.</p>
<p>"We came with a fair offer," Kovac said.</p>]]></content:encoded></item>
<item><title>Empty</title><link>https://harbour.example/empty</link><description></description></item>
</channel></rss>"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Rail News</title><id>urn:rail</id>
<entry><title>Record summer</title><id>urn:rail:1</id><updated>2026-09-01T08:00:00Z</updated>
<link href="https://rail.example/1"/><summary>The operator said that passenger numbers had reached a record.</summary>
</entry></feed>"""


def test_rss_and_atom_entries(tmp_path):
    pytest.importorskip("feedparser")
    (tmp_path / "h.rss").write_text(RSS, encoding="utf-8")
    (tmp_path / "r.atom").write_text(ATOM, encoding="utf-8")
    (tmp_path / "junk.rss").write_text("this is not a feed", encoding="utf-8")
    strike, empty = read_articles([tmp_path / "h.rss"])
    assert strike.id == "h-1" and strike.outlet == "Harbour Times" and strike.title == "Strike goes on"
    assert strike.url == "https://harbour.example/strike" and strike.published.startswith("2026-11-05T10:00")
    assert strike.text.splitlines()[0].startswith("Union leader Hana Kovac said") and "<p>" not in strike.text
    assert empty.rejected and empty.failures[0].code == "CG110"
    [record] = read_articles([tmp_path / "r.atom"])
    assert (record.id, record.outlet, record.url) == ("urn:rail:1", "Rail News", "https://rail.example/1")
    assert record.text.startswith("The operator said")
    [junk] = read_articles([tmp_path / "junk.rss"])
    assert junk.rejected and junk.failures[0].code == "CG113"


def _warc(path, records):
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with open(path, "wb") as handle:
        writer = WARCWriter(handle, gzip=str(path).endswith(".gz"))
        for url, content_type, body in records:
            headers = StatusAndHeaders("200 OK", [("Content-Type", content_type)], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(body),
                                                          http_headers=headers))
            writer.write_record(writer.create_warc_record(url, "request",
                                                          payload=io.BytesIO(b"GET / HTTP/1.1\r\n\r\n")))


# warcio's writer (used here only to build the test archive) leaves its digest spool files to the GC
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
@pytest.mark.parametrize("name", ["crawl.warc", "crawl.warc.gz"])
def test_warc_html_responses_become_articles(tmp_path, name):
    pytest.importorskip("warcio")
    path = tmp_path / name
    _warc(path, [("https://harbour.example/a", "text/html; charset=utf-8", PAGE.encode()),
                 ("https://harbour.example/logo.png", "image/png", b"\x89PNG...."),
                 ("https://harbour.example/b", "text/html", b"<html><body><script>x()</script></body></html>"),
                 ("https://harbour.example/c", "text/html; charset=iso-8859-1",
                  PAGE.replace("Council", "Caf\u00e9 council").encode("latin-1"))])
    first, scripts, latin = read_articles([path])
    assert first.url == "https://harbour.example/a" and "settled within" in first.text
    assert "Home | World" not in first.text and "@" in first.source
    assert scripts.rejected and scripts.failures[0].code == "CG107"
    assert not latin.rejected and "Café council" in (latin.title or "") + latin.text


class _Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):  # http.server calls it by this name
        if self.path == "/story":
            body, kind, status = PAGE.encode(), "text/html; charset=utf-8", 200
        elif self.path == "/big":
            body, kind, status = b"<p>" + b"x" * 3000 + b"</p>", "text/html", 200
        elif self.path == "/image":
            body, kind, status = b"\x89PNG", "image/png", 200
        else:
            body, kind, status = b"gone", "text/plain", 404
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        return None


@pytest.fixture
def server():
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_fetch_by_url_against_a_local_server(server):
    article = read_url(f"{server}/story")
    assert not article.rejected and article.url == f"{server}/story" and article.source == f"{server}/story"
    assert "settled within" in article.text and "Contact us" not in article.text
    assert article.title == "Council meets over the port strike"
    [same] = read_articles([f"{server}/story"])
    assert same.id == article.id
    for path, detail in (("/missing", "404"), ("/image", "not a web page")):
        failed = read_url(f"{server}{path}")
        assert failed.rejected and failed.failures[0].code == "CG112" and detail in failed.failures[0].message
    with pytest.raises(Exception, match="over 1,000 bytes"):
        fetch(f"{server}/big", max_bytes=1000)
    unreachable = read_url("http://127.0.0.1:9/none", timeout=2)
    assert unreachable.rejected and unreachable.failures[0].code == "CG112"


@pytest.mark.slow
def test_cli_ingest_url(server, tmp_path):
    from click.testing import CliRunner

    from claimgraph import open_store
    from claimgraph.cli import cli

    db = tmp_path / "u.db"
    result = CliRunner().invoke(cli, ["ingest", "--url", f"{server}/story", "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert "read 1, stored 1" in result.stderr
    with open_store(db) as store:
        assert store.counts()["claims"] >= 2
