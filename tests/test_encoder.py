"""The shared encoder (claimgraph.encoder): the int8 ONNX MiniLM, its cache and the task heads."""
from __future__ import annotations

import numpy as np

from claimgraph.encoder import DIM, ENCODER_NAME, load_encoder, load_head


class _CountingSession:
    def __init__(self, session):
        self.session, self.calls, self.rows = session, 0, 0

    def run(self, outputs, feeds):
        self.calls += 1
        self.rows += len(feeds["input_ids"])
        return self.session.run(outputs, feeds)


def test_encoder_vectors_shape_name_and_batch_independence():
    encoder = load_encoder()
    assert encoder.name.startswith(ENCODER_NAME + "@")
    texts = ["The ministry denied the report on Tuesday.",
             "Rebels seized two towns in the north of the country after a week of heavy fighting."]
    vectors = encoder.encode(texts)
    assert vectors.shape == (2, DIM) and vectors.dtype == np.float32
    assert np.all(np.isfinite(vectors)) and np.linalg.norm(vectors, axis=1).min() > 0
    encoder._cache.clear()  # a text's vector does not depend on the texts encoded with it
    assert np.array_equal(encoder.encode(texts[:1])[0], vectors[0])
    assert encoder.encode([]).shape == (0, DIM)


def test_encoder_cache_spares_a_second_forward_pass():
    encoder = load_encoder()
    encoder._cache.clear()
    real = encoder.session
    counting = encoder.session = _CountingSession(real)
    try:
        text = "The two governments agreed to reopen the border crossing next month."
        first = encoder.encode([text, text])  # a repeat inside one call: one pass
        assert counting.rows == counting.calls == 1
        second = encoder.encode_tokens([text])[0]  # another head, the same content: no pass
        assert counting.calls == 1
        assert np.array_equal(first[0], second.sentence)
        assert len(second.offsets) == len(second.tokens) == len(second.special)
    finally:
        encoder.session = real


def test_encoder_events_head_matches_the_encoder():
    head = load_head("events")
    n_labels = len(head["labels"])
    # a head trained on the text alone (the shipped one), or with the rules' type as an input too
    assert head["weight"].shape in ((n_labels, DIM), (n_labels, DIM + len(head["rule_types"])))
    assert head["bias"].shape == (n_labels,)
    assert head["token_weight"].shape == (len(head["token_labels"]), DIM)
    assert "YIELD" in [str(x) for x in head["labels"]]


def test_encoder_keeps_cached_texts_evicted_by_the_same_call(monkeypatch):
    from claimgraph import encoder as module

    enc = module.load_encoder()
    enc.encode(["an old sentence in the cache"])
    monkeypatch.setattr(module, "_CACHE_SIZE", 2)
    texts = ["an old sentence in the cache", "first new sentence", "second new sentence", "third new one"]
    vectors = enc.encode(texts)
    assert vectors.shape == (4, module.DIM)
    assert len(enc._cache) <= 2
