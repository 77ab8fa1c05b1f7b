"""Reading inputs: formats, metadata, ids, and every kind of bad input as a per-record error."""
from __future__ import annotations

import gzip
import io
import json

import pytest

from claimgraph import article_from_json, read_articles
from claimgraph.ingest import DEFAULT_MAX_CHARS


def codes(articles):
    return [[f.code for f in a.failures] for a in articles]


def test_ingest_txt_keeps_text_exact_and_reads_title(tmp_path):
    path = tmp_path / "a.txt"
    text = "Talks stall in Geneva\n\nThe envoy said on Friday that talks had stalled.\n"
    path.write_text(text, encoding="utf-8")
    [article] = read_articles([path])
    assert article.text == text  # offsets point into the file as it is
    assert article.title == "Talks stall in Geneva"
    assert len(article.id) == 16 and not article.failures


def test_ingest_txt_without_headline_has_no_title(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("The envoy said that talks had stalled. Nobody was surprised.", encoding="utf-8")
    [article] = read_articles([path])
    assert article.title is None


def test_ingest_same_text_same_id(tmp_path):
    (tmp_path / "a.txt").write_text("One and the same text.", encoding="utf-8")
    (tmp_path / "b.txt").write_text("One and the same text.", encoding="utf-8")
    first, second = read_articles([tmp_path])
    assert first.id == second.id


def test_ingest_jsonl_fields_aliases_and_unknown_keys(tmp_path):
    path = tmp_path / "a.jsonl"
    lines = [
        {"id": "x1", "text": "A said B.", "title": "T", "outlet": "Daily", "published": "2024-01-02",
         "url": "https://example.org/1", "language": "en", "section": "world"},
        {"text": "No id here.", "publisher": "breitbart", "date": "2016-09-12"},
    ]
    path.write_text("\n".join(json.dumps(line) for line in lines) + "\n", encoding="utf-8")
    first, second = read_articles([path])
    assert (first.id, first.title, first.outlet, first.published, first.url, first.language) == (
        "x1", "T", "Daily", "2024-01-02", "https://example.org/1", "en")
    assert first.meta == {"section": "world"}
    assert first.source == f"{path}:1"
    assert second.outlet == "breitbart" and second.published == "2016-09-12"
    assert len(second.id) == 16


def test_ingest_jsonl_gz(tmp_path):
    path = tmp_path / "a.jsonl.gz"
    with gzip.open(path, "wt", encoding="utf-8") as handle:
        handle.write(json.dumps({"id": "g", "text": "Zipped text."}) + "\n")
    [article] = read_articles([path])
    assert article.id == "g" and article.text == "Zipped text."


def test_ingest_truncated_gzip_keeps_earlier_lines_and_reports(tmp_path):
    path = tmp_path / "a.jsonl.gz"
    data = gzip.compress(b"".join(json.dumps({"id": str(i), "text": "x " * 50}).encode() + b"\n"
                                  for i in range(200)))
    path.write_bytes(data[: len(data) // 2])
    articles = list(read_articles([path]))
    assert articles[-1].rejected and articles[-1].failures[0].code == "CG111"


def test_ingest_html_main_text_and_metadata(tmp_path):
    path = tmp_path / "page.html"
    body = " ".join(["The minister said that the negotiations would resume next week in Vienna."] * 4)
    path.write_text(
        "<html><head><title>Talks resume | Example News</title>"
        '<meta property="og:site_name" content="Example News">'
        '<meta property="article:published_time" content="2024-05-06"></head>'
        "<body><nav>Home | World</nav><article><h1>Talks resume</h1>"
        f"<p>{body}</p><p>{body}</p></article><footer>Contact us</footer></body></html>", encoding="utf-8")
    [article] = read_articles([path])
    assert not article.failures
    assert "negotiations would resume" in article.text and "Contact us" not in article.text
    assert article.title == "Talks resume"
    assert article.outlet == "Example News"
    assert article.published == "2024-05-06"


def test_ingest_stdin_detects_jsonl_and_text():
    [article] = read_articles(["-"], stdin=io.BytesIO(b'{"id": "s", "text": "From stdin."}\n'))
    assert article.id == "s"
    [article] = read_articles(["-"], stdin=io.BytesIO(b"Plain words on stdin."))
    assert article.text == "Plain words on stdin."


@pytest.mark.parametrize("content,code", [
    (b"", "CG101"),
    (b"   \n\n  ", "CG101"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "CG102"),
    (bytes(range(1, 32)) * 20, "CG102"),
    (b"caf\xe9 au lait said the minister", "CG103"),
])
def test_ingest_bad_files_are_rejected_with_a_code(tmp_path, content, code):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    [article] = read_articles([path])
    assert article.rejected
    failure = article.failures[0]
    assert failure.code == code and failure.source == str(path)
    assert f"[{code}]" in failure.message and str(path) in failure.message


def test_ingest_bad_jsonl_lines_do_not_stop_the_rest(tmp_path):
    path = tmp_path / "mixed.jsonl"
    path.write_bytes(b"\n".join([
        b'{"id": "ok1", "text": "Fine."}',
        b'{"id": "broken", "text": ',                # malformed JSON
        b'["not", "an", "object"]',                  # not an object
        b'{"id": "notext"}',                          # no text
        b'{"id": "empty", "text": "   "}',            # empty text
        b'{"id": "latin", "text": "caf\xe9"}',        # invalid UTF-8
        b'{"id": "nul", "text": "a\\u0000b"}',        # NUL inside the text
        b'',                                          # blank line: not a record
        b'{"id": "ok2", "text": "Also fine."}',
    ]) + b"\n")
    articles = list(read_articles([path]))
    assert [a.id for a in articles if not a.rejected] == ["ok1", "ok2"]
    assert codes(articles) == [[], ["CG104"], ["CG105"], ["CG105"], ["CG105"], ["CG103"], ["CG102"], []]
    assert [a.source for a in articles][1] == f"{path}:2"


def test_ingest_huge_article_over_limit_is_rejected_clearly(tmp_path):
    path = tmp_path / "huge.txt"
    path.write_text("word " * (DEFAULT_MAX_CHARS // 5 + 10), encoding="utf-8")  # about 1 MB... over the limit
    [article] = read_articles([path])
    assert article.rejected and article.failures[0].code == "CG106"
    assert "--max-chars" in article.failures[0].message


def test_ingest_five_megabyte_line_in_jsonl(tmp_path):
    path = tmp_path / "big.jsonl"
    path.write_text(json.dumps({"id": "big", "text": "x" * 5_000_000}) + "\n"
                    + json.dumps({"id": "small", "text": "Small."}) + "\n", encoding="utf-8")
    big, small = read_articles([path])
    assert big.rejected and big.failures[0].code == "CG106"
    assert small.id == "small" and not small.failures
    [accepted] = [a for a in read_articles([path], max_chars=6_000_000) if a.id == "big"]
    assert not accepted.failures and len(accepted.text) == 5_000_000


def test_ingest_unsupported_file_type_in_folder_is_reported(tmp_path):
    (tmp_path / "a.txt").write_text("Text.", encoding="utf-8")
    (tmp_path / "b.pdf").write_bytes(b"%PDF-1.4")
    (tmp_path / ".hidden.txt").write_text("Hidden.", encoding="utf-8")
    articles = list(read_articles([tmp_path]))
    assert [a.rejected for a in articles] == [False, True]
    assert articles[1].failures[0].code == "CG109"


def test_ingest_missing_file_is_a_record_error(tmp_path):
    [article] = read_articles([tmp_path / "nope.txt"])
    assert article.failures[0].code == "CG108"


def test_article_from_json_keeps_given_id_as_string():
    article = article_from_json({"id": 42, "text": "Numbers as ids."})
    assert article.id == "42"
