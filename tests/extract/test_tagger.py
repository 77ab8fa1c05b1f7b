"""The attribution tagger: its features, how tags become attributions, and the packaged CRF."""
from __future__ import annotations

import pytest

from claimgraph.extract import quoted_tokens
from claimgraph.extract.lexicon import load_lexicon
from claimgraph.extract.quotes import find_quotes
from claimgraph.extract.reported import find_candidates
from claimgraph.extract.tagger import load_tagger, paragraphs, rule_marks, tag_doc, tagged_spans, token_features
from claimgraph.parse import load_nlp

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def nlp():
    return load_nlp()


def labels_for(doc, spans: dict[str, str]) -> list[str]:
    """BIO labels from {words: role}: each phrase labelled where it first occurs."""
    labels = ["O"] * len(doc)
    for phrase, role in spans.items():
        start = doc.text.index(phrase)
        span = doc.char_span(start, start + len(phrase))
        assert span is not None, phrase
        for k, token in enumerate(span):
            labels[token.i] = ("B-" if k == 0 else "I-") + role
    return labels


def words(doc, indices) -> str:
    return " ".join(doc[i].text for i in indices)


def test_paragraphs_split_at_line_breaks_and_leave_out_the_breaks(nlp):
    doc = nlp("Lavrov spoke.\n\nThe talks failed, he said.\nKyiv disagreed.")
    ranges = paragraphs(doc)
    assert [doc[s:e].text for s, e in ranges] == ["Lavrov spoke.", "The talks failed, he said.", "Kyiv disagreed."]


def test_features_mark_cues_and_what_hangs_from_them(nlp):
    doc = nlp("Lavrov said that Washington blocked the talks.")
    rows = token_features(doc, set(), load_lexicon())
    said = next(t.i for t in doc if t.text == "said")
    blocked = next(t.i for t in doc if t.text == "blocked")
    lavrov = next(t.i for t in doc if t.text == "Lavrov")
    assert "cue=speech" in rows[said]
    assert "cue|ch=ccomp" in rows[said]
    assert "a=speech|r=ccomp" in rows[blocked]
    assert "a=speech|r=nsubj" in rows[lavrov]
    assert "q=0" in rows[blocked]


def test_features_see_quotations(nlp):
    text = "“The talks are over,” Lavrov said."
    doc = nlp(text)
    quoted = quoted_tokens(doc, find_quotes(text).quotes)
    rows = token_features(doc, quoted, load_lexicon())
    assert "q=1" in rows[next(t.i for t in doc if t.text == "talks")]
    assert "q=0" in rows[next(t.i for t in doc if t.text == "Lavrov")]


def test_tagged_spans_group_source_cue_and_content_per_cue(nlp):
    doc = nlp("Lavrov said the talks had failed. Kyiv denied that it had walked away.")
    labels = labels_for(doc, {"Lavrov": "SRC", "said": "CUE", "the talks had failed": "CON",
                              "Kyiv": "SRC", "denied": "CUE", "that it had walked away": "CON"})
    found = tagged_spans(labels, doc)
    assert [(words(doc, a.source), words(doc, a.cue), [words(doc, run) for run in a.content]) for a in found] == [
        ("Lavrov", "said", ["the talks had failed"]),
        ("Kyiv", "denied", ["that it had walked away"]),
    ]


def test_tagged_spans_join_a_quote_split_by_its_cue(nlp):
    doc = nlp("“The talks are over,” Lavrov said, “and Washington is to blame.”")
    labels = labels_for(doc, {"The talks are over": "CON", "Lavrov": "SRC", "said": "CUE",
                              "and Washington is to blame": "CON"})
    (found,) = tagged_spans(labels, doc)
    assert [words(doc, run) for run in found.content] == ["The talks are over", "and Washington is to blame"]
    assert words(doc, found.source) == "Lavrov"


def test_tagged_spans_drop_content_with_no_cue_nearby(nlp):
    doc = nlp("Lavrov said it. Nothing happened. Nothing else happened. The talks failed.")
    labels = labels_for(doc, {"Lavrov": "SRC", "said": "CUE", "The talks failed": "CON"})
    assert tagged_spans(labels, doc) == []
    assert tagged_spans(["O"] * len(doc), doc) == []


def test_packaged_tagger_reads_the_seed_article(nlp, seed_article):
    tagger = load_tagger()
    assert tagger is not None, "src/claimgraph/data/attribution_tagger.crfsuite is missing"
    text = seed_article.text
    doc = nlp(text)
    quoted = quoted_tokens(doc, find_quotes(text).quotes)
    tags = tag_doc(tagger, doc, quoted, load_lexicon(), candidates=rule_candidates(doc, quoted))
    assert len(tags.labels) == len(tags.content) == len(doc)
    assert all(0.0 <= p <= 1.0 + 1e-9 for column in (tags.cue, tags.source, tags.content) for p in column)
    found = tagged_spans(tags.labels, doc)
    cues = {words(doc, a.cue).lower() for a in found}
    sources = {words(doc, a.source) for a in found}
    assert any("assert" in cue for cue in cues), cues
    assert any("Lavrov" in source for source in sources), sources


def test_each_thread_gets_its_own_tagger_and_the_same_tags(nlp, seed_article):
    """A CRF tagger holds the sequence it tags: the API's request threads must not share one."""
    from concurrent.futures import ThreadPoolExecutor

    text = seed_article.text
    doc = nlp(text)
    quoted = quoted_tokens(doc, find_quotes(text).quotes)
    candidates = rule_candidates(doc, quoted)
    expected = tag_doc(load_tagger(), doc, quoted, load_lexicon(), candidates=candidates).labels

    def run(_):
        tagger = load_tagger()
        return id(tagger), tag_doc(tagger, doc, quoted, load_lexicon(), candidates=candidates).labels

    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(run, range(16)))
    assert all(labels == expected for _, labels in results)
    assert id(load_tagger()) not in {tagger_id for tagger_id, _ in results}


def test_cue_and_source_marginals_asked_for_some_tokens_match_the_full_reading(nlp, seed_article):
    text = seed_article.text
    doc = nlp(text)
    quoted = quoted_tokens(doc, find_quotes(text).quotes)
    candidates = rule_candidates(doc, quoted)
    full = tag_doc(load_tagger(), doc, quoted, load_lexicon(), candidates=candidates)
    wanted = {3, 10, 25}
    some = tag_doc(load_tagger(), doc, quoted, load_lexicon(), candidates=candidates, roles_at=wanted)
    assert some.labels == full.labels and some.content == full.content
    tagged = {i for i, label in enumerate(full.labels) if label[2:] in ("CUE", "SRC")}
    assert tagged, "the seed article has tagged cues and sources"
    for i in wanted | tagged:
        assert some.cue[i] == full.cue[i] and some.source[i] == full.source[i]
    skipped = [i for i in range(len(doc)) if i not in wanted | tagged and full.cue[i] > 0]
    assert skipped and all(some.cue[i] == 0.0 for i in skipped)  # the others are left unread


def rule_candidates(doc, quoted):
    return find_candidates(doc, load_lexicon(), quoted=quoted)


def test_rule_marks_tell_the_tagger_what_the_parse_rules_found(nlp):
    text = "Lavrov said that Washington blocks the talks."
    doc = nlp(text)
    marks = rule_marks(doc, rule_candidates(doc, set()))
    by_word = {token.text: marks[token.i] for token in doc}
    assert "rs=complement" in by_word["Lavrov"]
    assert "rq=complement" in by_word["said"]
    assert {"rc=complement", "rcg"} <= set(by_word["blocks"])
    assert by_word["."] == []
    rows = token_features(doc, set(), load_lexicon(), candidates=rule_candidates(doc, set()))
    assert "rq=complement" in rows[1] and "rq=complement" not in token_features(doc, set(), load_lexicon())[1]


def tagged_readings(nlp, text: str, spans: dict[str, str]) -> list[tuple[str | None, str, list[str]]]:
    """The tagger's candidates for hand-made tags: (speaker, cue words, content texts)."""
    from claimgraph.extract.speakers import SpeakerResolver
    from claimgraph.extract.tagged import tagged_drafts
    from claimgraph.extract.tagger import Tags

    doc = nlp(text)
    labels = labels_for(doc, spans)
    tags = Tags(labels=labels, cue=[0.0] * len(doc), source=[0.0] * len(doc), content=[0.0] * len(doc))
    drafts = tagged_drafts(tags, [], doc, SpeakerResolver(doc, load_lexicon()), text, set())
    return [(text[d.speaker.start:d.speaker.end] if d.speaker else None, words(doc, d.cue),
             [text[s:e] for s, e in d.content]) for d in drafts if d.rule == "tagger"]


def test_a_tagged_source_is_its_whole_noun_phrase(nlp):
    # the tagger began inside the phrase: its first word is the speaker's, not the content's
    [(speaker, _, content)] = tagged_readings(
        nlp, "North Korea's military said its troops had fired warning shots.",
        {"North": "CON", "Korea's military": "SRC", "said": "CUE", "its troops had fired warning shots": "CON"})
    assert speaker == "North Korea's military" and content == ["its troops had fired warning shots"]
    # the tagger stopped at the determiner: the phrase is an idea (find_drafts then drops it)
    [(speaker, _, _)] = tagged_readings(
        nlp, "The claim positions the United States as a gatekeeper.",
        {"The": "SRC", "claim positions": "CUE", "the United States as a gatekeeper": "CON"})
    assert speaker == "The claim"


def test_that_said_is_nobody_in_the_taggers_candidates(nlp):
    assert tagged_readings(nlp, "That said, the talks will resume on Monday.",
                           {"That": "SRC", "said": "CUE", "the talks will resume on Monday": "CON"}) == []


def test_a_tagged_cue_keeps_its_negation(nlp):
    [(speaker, cue, _)] = tagged_readings(
        nlp, "Moscow does not regard the proposals as serious.",
        {"Moscow": "SRC", "regard": "CUE", "the proposals as serious": "CON"})
    assert speaker == "Moscow" and cue == "does not regard"


def test_a_tagged_attribution_without_source_is_offered_with_its_cues_subject(nlp):
    from claimgraph.extract.speakers import SpeakerResolver
    from claimgraph.extract.tagged import tagged_drafts
    from claimgraph.extract.tagger import Tags

    # the tagger cut one sentence into two attributions and gave the second no source
    text = "The minister criticised the plan but was careful not to blame Kyiv for the delay."
    doc = nlp(text)
    labels = labels_for(doc, {"The minister": "SRC", "criticised": "CUE", "the plan": "CON",
                              "was careful": "CUE", "not to blame Kyiv for the delay": "CON"})
    tags = Tags(labels=labels, cue=[0.0] * len(doc), source=[0.0] * len(doc), content=[0.0] * len(doc))
    drafts = tagged_drafts(tags, [], doc, SpeakerResolver(doc, load_lexicon()), text, set())
    second = [(d.rule, text[d.speaker.start:d.speaker.end] if d.speaker else None) for d in drafts
              if text[d.content[0][0]:d.content[-1][1]].endswith("for the delay")]
    # as tagged (no speaker), and with the subject the parse gives the cue's verb, for the selector to weigh
    assert ("tagger", None) in second and ("tagger+parse_speaker", "The minister") in second
    # a tagged source is never replaced: the first attribution has no parse reading
    first = [d.rule for d in drafts if text[d.content[0][0]:d.content[-1][1]] == "the plan"]
    assert first and not any(rule.endswith("+parse_speaker") for rule in first)
