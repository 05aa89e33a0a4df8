"""Robust attacks: expectation over transformation (Athalye et al. 2018) and model ensembles.

A plain attack fits the one image the model sees; JPEG, a resize or a blur can undo it. EOT
optimises the *average* over random transformations instead, so the result survives them:

    ∇ E_T [ L(model(T(x))) ]  ≈  ∇ L( mean_i logits_m(T_i(x)) )     i = 1..N draws, m = models

Design, by composition — any attack method works unchanged:
- `RobustModel` is a stand-in classifier whose differentiable `logits` are the mean logits of
  every model on the untouched image plus N random transformations of it (averaging logits is the
  ensemble variant Dong et al. 2018 found to transfer best). Its non-differentiable
  `probabilities` are the main model's, so the goal (the image's original class) is the main model's.
- `robust_attack` is the chosen method's ordinary attack built on that stand-in. The engine's
  compiled step sees `model.main is not model` and then also asks the *main model* (a forward pass,
  in the same compiled step) at the exact 8-bit image. So every StepRecord keeps its meaning — its
  probabilities are the main model's at the image that would be saved; only the gradient (and the
  loss shown) come from the robust average. A step succeeds when the main model's goal is reached
  there AND on the averaged view (softmax of the mean logits over all draws and all ensemble
  members, same stop-at); without the second condition a robust attack stops as early as a plain
  one and survives little more (measured: 5 of 12 checks instead of 11 on the espresso photo).
  The run's final verdict (RunResult.success) is still the main model's, on the saved PNG.

The draws, all in TensorFlow so gradients flow (inside one compiled function, one batched pass):
small rotation (±4°) and shift (±3 px) with mirrored borders, resize down to 50–100 % and back,
Gaussian blur (σ 0–1.5 px), Gaussian noise (σ 0–8 levels), and — for half the draws — real JPEG at
quality 50–95 with an identity gradient (BPDA, Athalye et al. 2018: JPEG has no useful derivative,
so the forward pass is the real thing and the backward pass pretends it was the identity).
Random draws use stateless ops seeded from the image itself, so a stand-in holds no mutable state
(it is shared between sessions like any classifier) and a run is reproducible.
"""
from __future__ import annotations

import math
from typing import Sequence

import numpy as np
import tensorflow as tf

from . import Attack, make_attack
from ..catalogue import entry
from ..plumbing.errors import SettingsError
from ..models import Classifier
from ..models.classifier import CompiledCache

MAX_ROTATION = math.radians(4.0)
MAX_SHIFT = 3.0  # pixels
MIN_SCALE = 0.5
MAX_BLUR_SIGMA = 1.5
MAX_NOISE = 8.0  # pixel levels
JPEG_QUALITY = (50, 95)
_BLUR_TAPS = 7


def _rotate_and_shift(image: tf.Tensor, angle: tf.Tensor, shift: tf.Tensor) -> tf.Tensor:
    """Rotate about the centre and translate, bilinear, mirrored borders; differentiable in the image."""
    h, w = tf.cast(tf.shape(image)[0], tf.float32), tf.cast(tf.shape(image)[1], tf.float32)
    cos, sin = tf.cos(angle), tf.sin(angle)
    cx, cy = (w - 1) / 2, (h - 1) / 2
    # Output (x, y) samples input (a0 x + a1 y + a2, b0 x + b1 y + b2): inverse rotation about the centre.
    a2 = cx - cos * cx + sin * cy - shift[0]
    b2 = cy - sin * cx - cos * cy - shift[1]
    matrix = tf.stack([cos, -sin, a2, sin, cos, b2, 0.0, 0.0])[None]
    return tf.raw_ops.ImageProjectiveTransformV3(
        images=image[None], transforms=matrix, output_shape=tf.shape(image)[:2],
        fill_value=0.0, interpolation="BILINEAR", fill_mode="REFLECT")[0]


def _blur(image: tf.Tensor, sigma: tf.Tensor) -> tf.Tensor:
    """Separable Gaussian blur with a 7-tap kernel; σ → 0 is the identity."""
    taps = tf.range(_BLUR_TAPS, dtype=tf.float32) - _BLUR_TAPS // 2
    kernel = tf.exp(-taps**2 / (2 * tf.maximum(sigma, 1e-3) ** 2))
    kernel /= tf.reduce_sum(kernel)
    pad = _BLUR_TAPS // 2
    x = tf.pad(image[None], [[0, 0], [pad, pad], [pad, pad], [0, 0]], mode="SYMMETRIC")
    horizontal = tf.tile(tf.reshape(kernel, [1, _BLUR_TAPS, 1, 1]), [1, 1, 3, 1])
    vertical = tf.tile(tf.reshape(kernel, [_BLUR_TAPS, 1, 1, 1]), [1, 1, 3, 1])
    x = tf.nn.depthwise_conv2d(x, horizontal, [1, 1, 1, 1], "VALID")
    return tf.nn.depthwise_conv2d(x, vertical, [1, 1, 1, 1], "VALID")[0]


def _jpeg_bpda(image: tf.Tensor, quality: tf.Tensor) -> tf.Tensor:
    """Real JPEG forward, identity backward (BPDA)."""
    compressed = tf.image.adjust_jpeg_quality(tf.cast(tf.clip_by_value(tf.round(image), 0, 255), tf.uint8), quality)
    return image + tf.stop_gradient(tf.cast(compressed, tf.float32) - image)


def random_transform(image: tf.Tensor, seed: tf.Tensor) -> tf.Tensor:
    """One random draw of the EOT distribution, H x W x 3 float 0..255 → same shape."""
    u = tf.random.stateless_uniform([8], seed)
    h, w = tf.shape(image)[0], tf.shape(image)[1]
    x = _rotate_and_shift(image, (2 * u[0] - 1) * MAX_ROTATION, (2 * u[1:3] - 1) * MAX_SHIFT)
    scale = MIN_SCALE + (1 - MIN_SCALE) * u[3]
    small = tf.maximum(tf.cast(tf.round(tf.cast(tf.stack([h, w]), tf.float32) * scale), tf.int32), 1)
    x = tf.image.resize(tf.image.resize(x[None], small, antialias=True), [h, w], method="bicubic")[0]
    x = _blur(x, u[4] * MAX_BLUR_SIGMA)
    quality = tf.cast(JPEG_QUALITY[0] + (JPEG_QUALITY[1] - JPEG_QUALITY[0]) * u[5], tf.int32)
    x = tf.cond(u[6] < 0.5, lambda: _jpeg_bpda(x, quality), lambda: x)
    noise = tf.random.stateless_normal(tf.shape(x), seed + 1) * (u[7] * MAX_NOISE)
    return tf.clip_by_value(x + noise, 0.0, 255.0)


def _views(image: tf.Tensor, samples: int) -> tf.Tensor:
    """The untouched image plus `samples` random draws, (1 + samples) x H x W x 3."""
    # Seed the draws from the image itself: a new image (every step) gets new draws, the same
    # image the same ones, and nothing here changes state.
    salt = tf.bitcast(tf.reduce_sum(image), tf.int32)
    return tf.stack([image] + [random_transform(image, tf.stack([salt, i])) for i in range(samples)])


class RobustModel(CompiledCache):
    """A stand-in classifier: mean logits over models × (untouched image + N random transformations)."""

    def __init__(self, main: Classifier, ensemble: Sequence[Classifier] = (), samples: int = 0):
        if samples < 0:
            raise SettingsError.coded("eot.negative")
        self.main, self.members, self.samples = main, (main, *ensemble), int(samples)
        self.name, self.title, self.input_size = main.name, main.title, main.input_size
        self.description = describe(samples, [m.name for m in ensemble])
        # Same models and draws → same stand-in, whichever instances: batches and caches go by it.
        self.key = ("robust", main.key, tuple(m.key for m in ensemble), self.samples)

    def logits(self, pixels: tf.Tensor) -> tf.Tensor:
        views = _views(pixels, self.samples)
        return tf.reduce_mean(tf.concat([
            m.resized_logits(tf.image.resize(views, (m.input_size, m.input_size), antialias=True))
            for m in self.members], axis=0), axis=0)

    def padded_logits(self, padded: tf.Tensor, sizes: tf.Tensor | None) -> tf.Tensor:
        """Mean logits (N, 1000) for a padded batch (sizes None: unpadded): each image's views, through
        every member."""
        count, views = tf.shape(padded)[0], 1 + self.samples
        arrays = [tf.TensorArray(tf.float32, size=count, element_shape=[views, m.input_size, m.input_size, 3])
                  for m in self.members]
        for i in tf.range(count):
            drawn = _views(padded[i] if sizes is None else padded[i, :sizes[i, 0], :sizes[i, 1]], self.samples)
            arrays = [a.write(i, tf.image.resize(drawn, (m.input_size, m.input_size), antialias=True))
                      for a, m in zip(arrays, self.members)]
        per_member = []
        for a, m in zip(arrays, self.members):
            resized = a.stack()  # N x views x S x S x 3
            flat = tf.reshape(resized, tf.concat([[-1], tf.shape(resized)[2:]], axis=0))
            per_member.append(tf.reshape(m.resized_logits(flat), [count, views, -1]))
        return tf.reduce_mean(tf.concat(per_member, axis=1), axis=1)

    def probabilities(self, image: np.ndarray) -> np.ndarray:
        """The main model's verdict (used for the goal): robustness changes the gradient, not the judge."""
        return self.main.probabilities(image)

    def classify(self, image: np.ndarray, k: int = 5):
        return self.main.classify(image, k)

    def __repr__(self) -> str:
        return f"RobustModel({self.main.name!r}, {self.description})"


def describe(samples: int, ensemble: Sequence[str] = ()) -> str:
    parts = [f"EOT ×{samples}"] if samples else []
    if ensemble:
        parts.append("ensemble with " + ", ".join(ensemble))
    return "; ".join(parts) or "plain"


def robust_model(main: Classifier, ensemble: Sequence[Classifier] = (), samples: int = 0) -> RobustModel:
    """One stand-in per (models, samples), kept in the main model's cache so its compiled steps are
    reused, and freed with the main model. Keyed by the ensemble's model keys, not its instances: a
    table keyed by instances would grow with every copy of a model and keep each one alive."""
    ensemble = tuple(ensemble)
    return main.cached(("robust", tuple(m.key for m in ensemble), int(samples)),
                       lambda: RobustModel(main, ensemble, samples))


def robust_attack(method: str, classifier: Classifier, *, eot_samples: int = 0,
                  ensemble: Sequence[Classifier] = (), **settings) -> Attack:
    """`make_attack` with EOT draws and/or extra models; plain `make_attack` when neither is asked. A
    black-box method (`transfer_start`) never averages gradients: the extra models are its surrogates."""
    if not eot_samples and not ensemble:
        return make_attack(method, classifier, **settings)
    ensemble = tuple(m for m in ensemble if m is not classifier and m.name != classifier.name)
    if entry(method).transfer_start:  # a black-box method: the others are its surrogates, EOT has nothing to average
        if eot_samples:
            raise SettingsError.coded("eot.black_box", method=method)
        return make_attack(method, classifier, surrogates=ensemble, **settings)
    if not entry(method).eot:
        raise SettingsError.coded("eot.unsupported", method=method)
    attack = make_attack(method, robust_model(classifier, ensemble, int(eot_samples)), **settings)
    attack.robustness = describe(int(eot_samples), [m.name for m in ensemble])
    return attack
