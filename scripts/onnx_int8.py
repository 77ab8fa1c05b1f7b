"""Export a fine-tuned MiniLM (a torch module taking input_ids, attention_mask, token_type_ids) to ONNX,
then quantise it to int8 with one scale per output channel.

One scale per tensor badly damages these models (some output weights have rare large values);
per-channel scales keep them (issue 18: cosine 0.9986 against fp32). Shared by the training scripts
that ship an encoder (scripts/train_events.py, scripts/train_attribution_encoder.py). Training only:
needs PyTorch.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

__all__ = ["export_int8"]

INPUTS = ("input_ids", "attention_mask", "token_type_ids")


def export_int8(module: Any, fp32: Path, int8: Path, *, output_name: str = "last_hidden_state") -> None:
    """Write ``module`` as fp32 ONNX to ``fp32`` (dynamic batch and length, opset 17) and its int8
    quantisation (dynamic, per channel, QInt8 weights) to ``int8``."""
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic

    fp32.parent.mkdir(parents=True, exist_ok=True)
    int8.parent.mkdir(parents=True, exist_ok=True)
    module.eval()
    example = torch.ones(2, 16, dtype=torch.long)
    torch.onnx.export(module, (example, example, torch.zeros_like(example)), str(fp32),
                      input_names=list(INPUTS), output_names=[output_name], opset_version=17, dynamo=False,
                      dynamic_axes={name: {0: "batch", 1: "tokens"} for name in (*INPUTS, output_name)})
    quantize_dynamic(str(fp32), str(int8), per_channel=True, weight_type=QuantType.QInt8)
