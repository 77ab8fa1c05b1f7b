"""Character-level quotation finding."""
from __future__ import annotations

import pytest

from claimgraph.extract.quotes import find_quotes


def inner(text):
    scan = find_quotes(text)
    return [[text[s:e] for s, e in quote.segments] for quote in scan.quotes], scan.unmatched


@pytest.mark.parametrize("text,expected", [
    ("He said “we will win” today.", [["we will win"]]),
    ('He said "we will win" today.', [["we will win"]]),
    ("Er sagte „wir gewinnen“ heute.", [["wir gewinnen"]]),
    ("Il a dit « nous gagnerons » hier.", [[" nous gagnerons "]]),
    ("She said ‘the talks are over’ on Friday.", [["the talks are over"]]),
    ("“A,” he said, “B.”", [["A,"], ["B."]]),
])
def test_quotes_styles(text, expected):
    found, unmatched = inner(text)
    assert found == expected and not unmatched


def test_quotes_apostrophes_are_not_quotes():
    found, unmatched = inner("Russia’s view of the voters’ choice isn’t new, Lavrov’s aide said.")
    assert found == [] and unmatched == []


def test_quotes_single_inside_double_stay_nested():
    found, _ = inner("He said “they called it ‘a farce’ at once” and left.")
    assert found == [["they called it ‘a farce’ at once"]]


def test_quotes_multi_paragraph_quote():
    text = "He said:\n\n“First paragraph goes on.\n\n“Second paragraph ends here.”\n\nAfter."
    found, unmatched = inner(text)
    assert found == [["First paragraph goes on.", "Second paragraph ends here."]]
    assert not unmatched


def test_quotes_unbalanced_mark_is_reported_not_run_away():
    text = "He said “this never closes.\n\nThe next paragraph is narrative. She said “yes” later."
    found, unmatched = inner(text)
    assert found == [["yes"]]
    assert unmatched == [("“", 8)]


def test_quotes_odd_straight_quote():
    found, unmatched = inner('A 5" screen and "a quote" here.')
    # the first straight mark opens, the second closes: the pairing is wrong but bounded to the line
    assert len(found) == 1 and unmatched == [('"', 24)]
