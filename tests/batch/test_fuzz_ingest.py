"""Fuzzing the ingest path: random bytes and random JSON never raise, and every record is accounted for."""
from __future__ import annotations

import json
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from claimgraph import InputError, article_from_json, open_store, read_articles

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=12)
article_like = st.fixed_dictionaries(
    {}, optional={"id": json_values, "text": st.text() | json_values, "title": json_values,
                  "outlet": json_values, "published": json_values, "publisher": json_values, "date": json_values})


def _records(data: bytes) -> int:
    """Records in JSON lines data: its non-blank lines."""
    return sum(1 for line in data.split(b"\n") if line.strip())


def _check(article) -> None:
    if article.rejected:
        assert article.failures and article.failures[0].code.startswith("CG1") and not article.text
    else:
        assert article.id and article.text.strip() and "\x00" not in article.text


@FUZZ
@given(st.binary(max_size=2000))
def test_random_bytes_as_every_input_kind(data):
    with tempfile.TemporaryDirectory() as folder:
        for name in ("x.jsonl", "x.txt", "x.html", "x.rss", "x.warc", "x.parquet"):
            path = Path(folder) / name
            path.write_bytes(data)
            articles = list(read_articles([path]))
            for article in articles:
                _check(article)
            if name == "x.jsonl":
                assert len(articles) == _records(data)
            elif name in ("x.txt", "x.html"):
                assert len(articles) == 1


@FUZZ
@given(st.lists(st.binary(max_size=300).filter(lambda b: b"\n" not in b) | article_like.map(
    lambda d: json.dumps(d).encode()) | st.just(b'{"id": "s", "text": "lone \\ud800 surrogate"}'), max_size=12))
def test_random_lines_of_json_and_bytes(lines):
    data = b"\n".join(lines) + b"\n"
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "x.jsonl"
        path.write_bytes(data)
        articles = list(read_articles([path]))
    assert len(articles) == _records(data)
    with open_store(":memory:") as store:  # what was read can be stored (or is a recorded rejection)
        for article in articles:
            _check(article)
            assert store.save(article, method="fuzz") in ("stored", "unchanged", "rejected")


@FUZZ
@given(json_values | article_like)
def test_random_json_objects(value):
    try:
        article = article_from_json(value, source="fuzz")
    except InputError as e:
        assert str(e).startswith("[CG10")
    else:
        assert isinstance(value, dict) and isinstance(value["text"], str) and value["text"].strip()
        assert article.text == value["text"] and isinstance(article.id, str) and article.id
