"""The pipeline: order, rejected records passing through, failing steps, long texts in segments."""
from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from claimgraph import Article, Failure, Pipeline, article_from_text
from claimgraph.parse import split_segments


@given(st.text(alphabet=st.sampled_from("ab \n."), max_size=400), st.integers(min_value=4, max_value=60))
def test_parse_segments_join_back_exactly(text, size):
    pieces = split_segments(text, size)
    assert "".join(pieces) == text
    assert all(pieces) or text == ""


@pytest.mark.slow
def test_pipeline_keeps_order_and_passes_rejected_through(pipeline):
    rejected = Article(id="", text="", failures=[Failure(step="ingest", code="CG104", message="bad")])
    articles = [rejected, article_from_text("The envoy said that talks had stalled."), rejected,
                article_from_text("Officials said prices rose."), rejected]
    out = list(pipeline.pipe(articles))
    assert [a.rejected for a in out] == [True, False, True, False, True]
    assert out[1].claims and out[3].claims


@pytest.mark.slow
def test_pipeline_reads_strings_as_plain_text_articles(pipeline):
    article = pipeline("The envoy said that talks had stalled.")
    assert [(c.speaker.text, c.cue.text) for c in article.claims] == [("The envoy", "said")]
    empty, read = pipeline.pipe(["  ", "Officials said prices rose."])
    assert empty.rejected and empty.failures[0].code == "CG110" and empty.source == "<text 1>"
    assert read.claims and read.source == "<text 2>"
    with pytest.raises(TypeError, match="not bytes"):
        pipeline(b"Officials said prices rose.")
    with pytest.raises(TypeError, match="stream of articles"):
        list(pipeline.pipe("Officials said prices rose."))  # not one article per character


@pytest.mark.slow
@pytest.mark.heavy
def test_pipeline_workers_parse_and_extract_with_the_same_claims_in_order(pipeline):
    """n_process=2: workers parse and extract; output order, rejected records and claims are those
    of one process (more articles than one worker task holds, so several tasks are in flight)."""
    rejected = Article(id="", text="", failures=[Failure(step="ingest", code="CG104", message="bad")])
    texts = [f"Minister {name} said that the talks on item {k} had stalled. “We will not sign,” {name} told reporters."
             for k, name in enumerate(["Anna Berg", "Jonas Lind", "Maria Holm", "Erik Sand"] * 5)]

    def articles():
        for k, text in enumerate(texts):
            yield article_from_text(text, id=f"a{k}")
            if k % 7 == 0:
                yield rejected

    one = [a.to_dict() for a in pipeline.pipe(articles())]
    two = [a.to_dict() for a in Pipeline(n_process=2).pipe(articles())]
    assert len(one) == len(two) == len(texts) + 3
    assert [a["id"] for a in two] == [a["id"] for a in one]
    assert [a["claims"] for a in two] == [a["claims"] for a in one]
    assert sum(len(a["claims"]) for a in two) >= len(texts)


@pytest.mark.slow
def test_pipeline_failing_step_is_recorded_and_the_stream_goes_on():
    calls = []

    def explode(article, spacy_doc):
        calls.append(article.id)
        if "boom" in article.text:
            raise ValueError("boom")

    pipeline = Pipeline(steps={"test.explode.v1": explode})
    out = list(pipeline.pipe([article_from_text("boom goes the text."), article_from_text("Fine text.")]))
    assert [f.code for f in out[0].failures] == ["CG402"] and out[0].rejected
    assert "test.explode.v1" in out[0].failures[0].message
    assert not out[1].failures and len(calls) == 2


@pytest.mark.slow
@pytest.mark.heavy
def test_pipeline_long_article_parsed_in_segments_with_true_offsets(pipeline):
    paragraph = ("The envoy said that the talks had stalled again. “We are not giving up,” "
                 "the minister told reporters on Friday.\n\n")
    text = paragraph * 800  # about 95,000 characters: two segments
    assert len(split_segments(text)) >= 2
    article = pipeline(article_from_text(text))
    assert len(article.claims) == 1600
    for claim in article.claims[-3:]:
        for span in claim.content:
            assert text[span.start:span.end] == span.text
