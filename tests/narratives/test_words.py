"""The word view of the learned narrative classifier (``narratives/words.py``)."""
from __future__ import annotations

import numpy as np
import pytest

from claimgraph.narratives.words import WordVocabulary, count_terms, sentence_terms

DOCUMENTS = [
    ["Sanctions hurt the farmers of the region.", "The farmers protested in the capital."],
    ["The capital hosted talks on sanctions.", "Farmers were not invited."],
    ["A storm hit the coast.", "The coast guard rescued fishermen."],
]


def test_terms_are_words_and_pairs_inside_one_sentence() -> None:
    assert sentence_terms("The U.S. blocks talks!") == ["the", "blocks", "talks", "the blocks", "blocks talks"]
    counts = count_terms(["Peace talks stalled.", "Talks resumed."])
    assert counts["talks"] == 2
    assert "stalled talks" not in counts  # no pair across the sentence boundary
    assert counts["talks resumed"] == 1


def test_fit_keeps_terms_of_min_df_documents_with_smoothed_idf() -> None:
    vocabulary = WordVocabulary.fit(DOCUMENTS, min_df=2)
    assert "farmers" in vocabulary.index and "capital" in vocabulary.index
    assert "storm" not in vocabulary.index  # one document only
    # ln((1 + 3) / (1 + 2)) + 1 for a term in two of three documents; "the" is in all three
    assert vocabulary.idf[vocabulary.index["farmers"]] == pytest.approx(np.log(4 / 3) + 1)
    assert vocabulary.idf[vocabulary.index["the"]] == pytest.approx(1.0)


def test_features_are_a_unit_vector_whose_sentence_shares_sum_to_it() -> None:
    vocabulary = WordVocabulary.fit(DOCUMENTS, min_df=1)
    vector, shares = vocabulary.features(DOCUMENTS[0])
    dense = vector.toarray()[0]
    assert np.linalg.norm(dense) == pytest.approx(1.0)
    assert np.allclose(np.asarray(shares.sum(axis=0))[0], dense)
    # "farmers" occurs once in each sentence: its weight is split evenly
    column = vocabulary.index["farmers"]
    assert shares[0, column] == pytest.approx(shares[1, column]) == pytest.approx(dense[column] / 2)
    # sublinear term frequency: "the" four times weighs (1 + ln 4) x idf before scaling, "region" once
    the, region = vocabulary.index["the"], vocabulary.index["region"]
    ratio = dense[the] / dense[region]
    assert ratio == pytest.approx((1 + np.log(4)) * vocabulary.idf[the] / vocabulary.idf[region])


def test_unknown_words_and_empty_input_give_zero_features() -> None:
    vocabulary = WordVocabulary.fit(DOCUMENTS, min_df=2)
    vector, shares = vocabulary.features(["Zyzzyva quokka."])
    assert vector.nnz == 0 and shares.shape == (1, len(vocabulary))
    vector, shares = vocabulary.features([])
    assert vector.nnz == 0 and shares.shape == (0, len(vocabulary))
    assert vocabulary.matrix([]).shape == (0, len(vocabulary))


def test_matrix_rows_are_the_documents_features() -> None:
    vocabulary = WordVocabulary.fit(DOCUMENTS, min_df=1)
    matrix = vocabulary.matrix(DOCUMENTS)
    assert matrix.shape == (3, len(vocabulary))
    assert np.allclose(matrix[1].toarray(), vocabulary.features(DOCUMENTS[1])[0].toarray())


def test_terms_and_idf_must_match() -> None:
    with pytest.raises(ValueError, match="2 terms but 1 idf"):
        WordVocabulary(["a", "b"], np.ones(1))
