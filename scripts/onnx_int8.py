"""Export a fine-tuned MiniLM (a torch module taking input_ids, attention_mask, token_type_ids) to ONNX,
then quantise it to int8 with one scale per output channel.

One scale per tensor badly damages these models (some output weights have rare large values);
per-channel scales keep them (issue 18: cosine 0.9986 against fp32). Shared by the training scripts
that ship an encoder (scripts/train_events.py, scripts/train_attribution_encoder.py). Training only:
needs PyTorch.

``fuse=True`` first runs onnxruntime's transformer optimizer on the fp32 graph (attention, embedding
layer norm, bias + GELU and skip layer norms become single operators; quantised, QAttention and
QEmbedLayerNormalization), which needs the module exported with eager attention (PyTorch's SDPA
graph is not recognised). Measured on one thread of these CPUs (docs/evaluation.md, thirteenth
session): 1.17x faster on the attribution tagger's 256-piece windows, 0.94x on the shared encoder's
short sentences, so only the attribution tagger is exported fused.

``dequantised(path, prefix)`` reads the weights back out of such an int8 file (int8 times its scales),
as a state dict for the same architecture: how a packaged model whose checkpoint is gone can be
exported again (``train_attribution_encoder.py export --from-int8``).
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

__all__ = ["HEADS", "HIDDEN", "dequantised", "export_int8"]

INPUTS = ("input_ids", "attention_mask", "token_type_ids")
HEADS, HIDDEN = 12, 384  # all-MiniLM-L6-v2


def export_int8(module: Any, fp32: Path, int8: Path, *, output_name: str = "last_hidden_state",
                fuse: bool = False) -> None:
    """Write ``module`` as fp32 ONNX to ``fp32`` (dynamic batch and length, opset 17) and its int8
    quantisation (dynamic, per channel, QInt8 weights) to ``int8``; with ``fuse``, of the graph after
    onnxruntime's transformer fusions (written beside ``fp32`` as ``*-fused.onnx``)."""
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic

    fp32.parent.mkdir(parents=True, exist_ok=True)
    int8.parent.mkdir(parents=True, exist_ok=True)
    module.eval()
    example = torch.ones(2, 16, dtype=torch.long)
    torch.onnx.export(module, (example, example, torch.zeros_like(example)), str(fp32),
                      input_names=list(INPUTS), output_names=[output_name], opset_version=17, dynamo=False,
                      dynamic_axes={name: {0: "batch", 1: "tokens"} for name in (*INPUTS, output_name)})
    if not fuse:
        quantize_dynamic(str(fp32), str(int8), per_channel=True, weight_type=QuantType.QInt8)
        return
    import onnx
    from onnxruntime.transformers import optimizer

    fused = fp32.with_name(fp32.stem + "-fused.onnx")
    graph = optimizer.optimize_model(str(fp32), model_type="bert", num_heads=HEADS, hidden_size=HIDDEN, opt_level=1)
    counts = graph.get_fused_operator_statistics()
    if counts.get("Attention", 0) == 0:
        raise RuntimeError(f"no attention was fused ({counts}): export the module with eager attention")
    graph.save_model_to_file(str(fused))
    # the fused operators are outside ONNX's shape inference: their outputs are float
    quantize_dynamic(str(fused), str(int8), per_channel=True, weight_type=QuantType.QInt8,
                     extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT})


def dequantised(path: Path, prefix: str) -> dict[str, Any]:
    """The float weights of an int8 file made by ``export_int8`` (unfused), by parameter name less
    ``prefix`` (the wrapper module's attribute, e.g. ``"inner."``), as torch tensors: float initializers
    as they are, quantised embedding tables and matrices as ``(q - zero point) * scale``. A matrix is
    named after the bias its product is added to (the export leaves MatMul weights unnamed)."""
    import numpy as np
    import onnx
    import torch
    from onnx import numpy_helper

    graph = onnx.load(str(path)).graph
    if any(node.op_type == "QAttention" for node in graph.node):
        raise ValueError(f"{path} is a fused export (its attention weights are inside QAttention): "
                         "dequantise the unfused one it was made from")
    values = {item.name: numpy_helper.to_array(item) for item in graph.initializer}
    consumers: dict[str, list[Any]] = {}
    producer = {}
    for node in graph.node:
        for name in node.input:
            consumers.setdefault(name, []).append(node)
        for name in node.output:
            producer[name] = node

    def real(quantised: str, scale: str, zero: str) -> np.ndarray:
        return (values[quantised].astype(np.float32) - values[zero].astype(np.float32)) * values[scale]

    def bias_after(output: str) -> str:
        frontier = [output]
        while frontier:
            for node in consumers.get(frontier.pop(0), []):
                names = [name for name in node.input if name.endswith(".bias") and name in values]
                if node.op_type == "Add" and names:
                    return names[0]
                frontier.extend(node.output)
        raise ValueError(f"{path}: no bias after {output}")

    state = {name[len(prefix):]: value for name, value in values.items()
             if name.startswith(prefix) and name.endswith((".weight", ".bias")) and value.dtype == np.float32}
    for node in graph.node:
        if node.op_type == "DequantizeLinear":  # an embedding table: Gather on int8, then dequantised
            table = producer[node.input[0]].input[0]
            state[table.removesuffix("_quantized")[len(prefix):]] = real(table, node.input[1], node.input[2])
        elif node.op_type == "MatMulInteger":  # x @ W with W (in, out); torch keeps (out, in)
            weight = node.input[1]
            matrix = real(weight, weight.removesuffix("_quantized") + "_scale", node.input[3])
            state[bias_after(node.output[0])[len(prefix):].removesuffix(".bias") + ".weight"] = matrix.T
    return {name: torch.from_numpy(np.array(value, np.float32)) for name, value in state.items()}  # a copy: writable
