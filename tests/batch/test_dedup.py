"""Near-duplicate stories: a wire copy and a lightly edited re-publication join their original."""
from __future__ import annotations

import pytest

pytest.importorskip("datasketch")

from claimgraph.dedup import BANDS, NUM_PERM, ROWS, Signature, StoryLinker, _bands_rows, signature, similarity

ORIGINAL = """Harbour workers extend strike as talks collapse

The dockworkers' union said on Thursday that its members would stay off the job for at least another week after
talks with the port authority broke down late on Wednesday night. Union leader Hana Kovac told reporters outside the
terminal gates that the authority had refused to discuss overtime rules and had walked out of the meeting after two
hours. "We came with a fair offer and they left the room," Kovac said. The port authority said in a statement that
the union's demands would raise handling costs by a third and that it remained open to mediation. Shipping agents
estimate that forty vessels are waiting at anchor outside the harbour and that the backlog will take a month to clear.
Exporters of fruit and timber warned that their contracts were at risk. The transport minister, Luka Brandt, said the
government would not intervene for now but urged both sides to return to the table before the holiday season."""

WIRE_COPY = "PORTVILLE (Wire Service) - " + ORIGINAL.split("\n\n", 1)[1] + "\n\n(Reporting by staff; editing by desk)"

EDITED = (ORIGINAL.replace("Harbour workers extend strike as talks collapse", "Port strike to run another week")
          .replace("at least another week", "at least seven more days")
          .replace("Exporters of fruit and timber warned that their contracts were at risk.",
                   "Fruit exporters said several buyers had already cancelled orders.")
          + "\n\nThe strike began eleven days ago.")

OTHER = """Rail operator posts record summer traffic

The national rail operator said on Thursday that passenger numbers over the summer had reached a record, helped by
cheaper regional tickets and new night trains to the coast. Chief executive Marta Lind told reporters that the company
would order twenty more carriages and reopen two branch lines next year. Unions welcomed the hiring plans but said
staff shortages on weekend services remained a problem. The transport minister praised the results."""


def test_lsh_parameters_are_datasketchs_optimum():
    assert _bands_rows() == (BANDS, ROWS) and BANDS * ROWS <= NUM_PERM


def test_signatures_are_stable_and_estimate_similarity():
    a, b = signature(ORIGINAL), signature(ORIGINAL)
    assert a == b and Signature.from_bytes(a.to_bytes()) == a and len(a.to_bytes()) == 4 * NUM_PERM
    assert similarity(a, signature(WIRE_COPY)) > 0.85
    assert 0.5 <= similarity(a, signature(EDITED)) < 0.95
    assert similarity(a, signature(OTHER)) < 0.1
    assert signature("") is None and signature("  ...  ") is None


def test_story_linker_links_copies_to_the_original_in_the_store(fresh_store, make_article):
    articles = [make_article(ORIGINAL, id="orig", outlet="Harbour Times"),
                make_article(OTHER, id="rail", outlet="Rail News"),
                make_article(WIRE_COPY, id="wire", outlet="Daily Echo"),
                make_article(EDITED, id="edit", outlet="Evening Post")]
    linker = StoryLinker(fresh_store)
    found = {}
    for article in articles:
        assert fresh_store.save(article, method="m") == "stored"
        found[article.id] = linker(article)
    assert found == {"orig": None, "rail": None, "wire": "orig", "edit": "orig"}
    assert linker.linked == 2
    stories = {s["story_id"]: s for s in fresh_store.stories(limit=None)}
    assert set(stories) == {"orig", "rail"}
    assert stories["orig"]["articles"] == 3
    assert stories["orig"]["outlets"] == ["Harbour Times", "Daily Echo", "Evening Post"]
    assert {c["id"] for c in stories["orig"]["copies"]} == {"wire", "edit"}
    # the index is in the store: a new linker (a restarted process) still finds the story
    late = make_article(ORIGINAL.replace("forty vessels", "forty-one vessels"), id="late", outlet="Late Post")
    fresh_store.save(late, method="m")
    assert StoryLinker(fresh_store)(late) == "orig"
    # a replaced article drops its old signature with it (ON DELETE CASCADE)
    fresh_store.save(make_article(OTHER + " Updated.", id="wire", outlet="Daily Echo"), method="m")
    assert fresh_store._scalar("SELECT count(*) AS n FROM article_signatures WHERE article_id = 'wire'") == 0
