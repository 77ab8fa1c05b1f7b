"""Sentence vectors: unit rows, one normalisation shared by the embedders and discovery."""
from __future__ import annotations

import numpy as np
import pytest

from claimgraph.narratives import discover
from claimgraph.narratives.discover import ClaimItem, NarrativeTracker, TrackerSettings
from claimgraph.narratives.embed import TfidfEmbedder, unit_rows


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_embed_unit_rows_scales_rows_and_keeps_zero_rows(dtype):
    matrix = np.array([[3.0, 4.0], [0.0, 0.0], [1e-3, 0.0], [-2.0, 0.0]], dtype=dtype)
    rows = unit_rows(matrix)
    assert rows.dtype == np.float32
    np.testing.assert_allclose(rows, [[0.6, 0.8], [0.0, 0.0], [1.0, 0.0], [-1.0, 0.0]], rtol=1e-6)
    # divided in the input's precision, then made float32
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    np.testing.assert_array_equal(rows[[0, 2, 3]], (matrix[[0, 2, 3]] / norms[[0, 2, 3]]).astype(np.float32))


def test_embed_unit_rows_is_the_one_discovery_uses():
    assert discover.unit_rows is unit_rows and not hasattr(discover, "_unit_rows")
    tracker = NarrativeTracker(TfidfEmbedder(dim=256), TrackerSettings(threshold=0.3, center=True))
    items = [ClaimItem(id="a", text="Washington is blocking peace talks between Moscow and Kyiv", date="2024-01-01",
                       speaker="Lavrov", targets=("Kyiv",)),
             ClaimItem(id="b", text="sanctions on Russian gas are ruining German industry", date="2024-01-02")]
    vectors = tracker.vectors(items)
    assert vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors[:, :256], axis=1), [1.0, 1.0], rtol=1e-6)
    np.testing.assert_allclose(np.linalg.norm(vectors[:, 256:], axis=1), [1.0, 0.0], rtol=1e-6)  # no actors: zeros
    queries = tracker.query(vectors)
    np.testing.assert_allclose(np.linalg.norm(queries[:, :256], axis=1), [1.0, 1.0], rtol=1e-6)


def test_static_embedder_averages_word_piece_rows():
    from claimgraph.narratives.embed import StaticEmbedder

    embedder = StaticEmbedder()
    texts = ["Peace talks stalled", "", "peace TALKS stalled", "The harvest was good this year"]
    vectors = embedder.embed(texts)
    assert vectors.shape == (4, embedder.dim) and vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), [1.0, 0.0, 1.0, 1.0], rtol=1e-5)
    np.testing.assert_array_equal(vectors[0], vectors[2])  # lower-cased word pieces
    ids = embedder.tokenizer.encode(texts[0]).ids
    expected = (embedder.vectors[ids].astype(np.float32) * embedder.scales[ids, None]).mean(axis=0)
    np.testing.assert_allclose(vectors[0], expected / np.linalg.norm(expected), rtol=1e-5, atol=1e-6)
    # a text's vector does not depend on the texts embedded with it
    np.testing.assert_array_equal(embedder.embed([texts[3]])[0], vectors[3])
    assert float(vectors[0] @ vectors[3]) < 0.9
