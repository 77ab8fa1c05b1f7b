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


def _reference_layer(x: np.ndarray, w: dict[str, np.ndarray]) -> np.ndarray:
    """A BERT layer written the slow way: one attention head at a time, token by token, GELU by math.erf."""
    import math

    dim, heads = x.shape[1], 12
    width = dim // heads
    q, k, v = (x @ w["qkv_weight"][:, i * dim:(i + 1) * dim] + w["qkv_bias"][i * dim:(i + 1) * dim] for i in range(3))
    context = np.zeros_like(x)
    for h in range(heads):
        cols = slice(h * width, (h + 1) * width)
        for t in range(len(x)):
            scores = np.array([q[t, cols] @ k[u, cols] for u in range(len(x))]) / math.sqrt(width)
            weights = np.exp(scores - scores.max())
            context[t, cols] = (weights / weights.sum()) @ v[:, cols]

    def norm(y: np.ndarray, gain: np.ndarray, bias: np.ndarray) -> np.ndarray:
        return (y - y.mean(1, keepdims=True)) / np.sqrt(y.var(1, keepdims=True) + 1e-12) * gain + bias

    y = norm(x + context @ w["attention_weight"] + w["attention_bias"], w["norm1_weight"], w["norm1_bias"])
    hidden = y @ w["intermediate_weight"] + w["intermediate_bias"]
    hidden = np.vectorize(lambda a: 0.5 * a * (1 + math.erf(a / math.sqrt(2))))(hidden)
    return norm(y + hidden @ w["output_weight"] + w["output_bias"], w["norm2_weight"], w["norm2_bias"])


def test_layer_stack_computes_bert_layers():
    """``layer_stack`` (the check-worthiness head's layers, in numpy) against a slow reference, on
    random weights, for one and two layers; no layers leaves the vectors as they are."""
    from claimgraph.encoder import layer_stack

    rng = np.random.default_rng(0)
    shapes = {"qkv_weight": (384, 1152), "qkv_bias": (1152,), "attention_weight": (384, 384),
              "attention_bias": (384,), "norm1_weight": (384,), "norm1_bias": (384,),
              "intermediate_weight": (384, 1536), "intermediate_bias": (1536,), "output_weight": (1536, 384),
              "output_bias": (384,), "norm2_weight": (384,), "norm2_bias": (384,)}
    layers = [{key: (rng.normal(0, 0.05, shape) + (1.0 if key.startswith("norm") and key.endswith("weight") else 0))
               .astype(np.float32) for key, shape in shapes.items()} for _ in range(2)]
    head = {"layers": np.array(2), **{f"layer{i}.{key}": value for i, layer in enumerate(layers)
                                      for key, value in layer.items()}}
    x = rng.normal(0, 1, (7, 384)).astype(np.float32)
    expected = _reference_layer(_reference_layer(x, layers[0]), layers[1])
    assert np.allclose(layer_stack(x, head), expected, atol=1e-3)
    assert np.allclose(layer_stack(x, head | {"layers": np.array(1)}), _reference_layer(x, layers[0]), atol=1e-3)
    assert np.array_equal(layer_stack(x, {"layers": np.array(0)}), x)
