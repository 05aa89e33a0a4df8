"""Training one sticker or one noise for many photos: the random scenes, and the one compiled step of each.

Both trainings work at the model's input size, on the photos squashed to it once (`squash`, the same
antialiased resize the classifier applies to every image), which is what the model sees of any photo.
A sticker pasted on the full photo and then squashed is the sticker squashed by the photo's aspect
ratio, so each scene warps the sticker onto the squashed photo with that photo's aspect.

A sticker's scene (expectation over transformation, what printing and a phone camera do): a random
area (a range around the run's area), rotation (±MAX_ANGLE), position anywhere the sticker fits, the
print's colours (contrast and offset on the sticker alone), then the camera on the whole frame:
brightness and contrast, a slight blur, JPEG (real JPEG forward, identity backward: attack/attacks/eot.py's
BPDA) and sensor noise. The noise's step adds δ (whole levels, straight-through) to the squashed photo as
the model sees it once applied: δ is resized to the photo's own size and the sum squashed back, which
smooths δ (a photo larger than δ's 224 px averages neighbouring levels), so that is what it trains on;
the photos under it are cropped and mirrored at random (`varied`), so the noise fits no photo's framing.

The state of a run (the sticker and its Adam moments, the noise and its momentum) lives in the trainer
and is passed in and out of the compiled step, so one trace per model (kept in the model's cache) serves
every run.
"""
from __future__ import annotations

import math
from typing import Sequence

import numpy as np
import tensorflow as tf

from ..attacks.eot import _blur, _jpeg_bpda

MAX_ANGLE = math.radians(20.0)
PRINT_CONTRAST = (0.8, 1.0)  # a print is duller than the screen
PRINT_OFFSET = 15.0  # levels, ±
CAMERA_CONTRAST = (0.75, 1.25)
CAMERA_BRIGHTNESS = 25.0  # levels, ±
MAX_BLUR = 1.0  # px σ at the model's input size
JPEG_QUALITY = (55, 95)
MAX_NOISE = 6.0  # levels σ
ADAM = (0.9, 0.999, 1e-8)
LR_FLOOR = 0.1  # the sticker's last learning rate, as a share of its first
MOMENTUM = 0.9  # the noise's: how much of the earlier batches' gradients each step keeps
CLAMP = 10.0  # untargeted noise: a photo's cross-entropy counts up to this, so the fooled ones stop pulling
CROP = (0.7, 1.0)  # the noise's photos: a random square crop of this share of the side, flipped half the time


def squash(classifier, photos: Sequence[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """The photos at the model's input size (N × S × S × 3 uint8) and their aspect ratios (width / height)."""
    size = classifier.input_size
    canvas = np.empty((len(photos), size, size, 3), np.uint8)
    for i, photo in enumerate(photos):
        resized = tf.image.resize(tf.convert_to_tensor(photo[None], tf.float32), (size, size), antialias=True)
        canvas[i] = np.clip(np.rint(resized.numpy()[0]), 0, 255)
    aspects = np.array([p.shape[1] / p.shape[0] for p in photos], np.float32)
    return canvas, aspects


def probabilities(classifier, photos: Sequence[np.ndarray], chunk: int = 16) -> np.ndarray:
    """Softmax probabilities (N, 1000) of photos of any sizes, through the classifier's own pipeline."""
    if not len(photos):
        return np.zeros((0, 1000), np.float32)
    return np.concatenate([classifier.mixed_size_probabilities(list(photos[i:i + chunk]))
                           for i in range(0, len(photos), chunk)])


def _camera(images: tf.Tensor, u: tf.Tensor, seed: tf.Tensor) -> tf.Tensor:
    """Brightness/contrast, blur, JPEG for half the frames, sensor noise; u: B × 6 uniforms."""
    low, high = CAMERA_CONTRAST
    contrast = (low + (high - low) * u[:, 0])[:, None, None, None]
    brightness = ((2 * u[:, 1] - 1) * CAMERA_BRIGHTNESS)[:, None, None, None]
    x = tf.clip_by_value((images - 128.0) * contrast + 128.0 + brightness, 0.0, 255.0)
    quality = tf.cast(JPEG_QUALITY[0] + (JPEG_QUALITY[1] - JPEG_QUALITY[0]) * u[:, 3], tf.int32)

    def one(args):
        image, sigma, q, jpeg = args
        image = _blur(image, sigma)
        return tf.cond(jpeg < 0.5, lambda: _jpeg_bpda(image, q), lambda: image)

    x = tf.map_fn(one, (x, u[:, 2] * MAX_BLUR, quality, u[:, 4]), fn_output_signature=tf.float32)
    noise = tf.random.stateless_normal(tf.shape(x), seed + 7) * (u[:, 5] * MAX_NOISE)[:, None, None, None]
    return tf.clip_by_value(x + noise, 0.0, 255.0)


def sticker_scenes(photos: tf.Tensor, sticker: tf.Tensor, aspects: tf.Tensor, areas: tf.Tensor,
                   seed: tf.Tensor) -> tf.Tensor:
    """B random scenes: each photo (B × S × S × 3, 0..255, squashed) with the sticker (P × P × 3) on it."""
    count, size = tf.shape(photos)[0], photos.shape[1]
    side = tf.cast(tf.shape(sticker)[0], tf.float32)
    u = tf.random.stateless_uniform([count, 12], seed)
    area = areas[0] + (areas[1] - areas[0]) * u[:, 0]
    angle = (2 * u[:, 1] - 1) * MAX_ANGLE
    cos, sin = tf.cos(angle), tf.sin(angle)
    low, high = PRINT_CONTRAST
    printed = tf.clip_by_value(sticker[None] * (low + (high - low) * u[:, 2])[:, None, None, None]
                               + ((2 * u[:, 3] - 1) * PRINT_OFFSET)[:, None, None, None], 0.0, 255.0)
    # The sticker's half-extents on the squashed canvas (its rotated box), and a centre where it fits.
    s = float(size)
    spread = tf.abs(cos) + tf.abs(sin)
    half_x, half_y = s / 2 * tf.sqrt(area / aspects) * spread, s / 2 * tf.sqrt(area * aspects) * spread
    cx = half_x - 0.5 + u[:, 4] * tf.maximum(s - 2 * half_x, 0.0)
    cy = half_y - 0.5 + u[:, 5] * tf.maximum(s - 2 * half_y, 0.0)
    # Output pixel → sticker pixel: rotate back, undo the squash (gx, gy), scale to the sticker's side.
    gx, gy = side / s * tf.sqrt(aspects / area), side / s / tf.sqrt(area * aspects)
    m00, m01, m10, m11 = cos * gx, sin * gy, -sin * gx, cos * gy
    centre = (side - 1) / 2
    transforms = tf.stack([m00, m01, centre - m00 * cx - m01 * cy, m10, m11, centre - m10 * cx - m11 * cy,
                           tf.zeros_like(cx), tf.zeros_like(cx)], axis=1)

    def warp(images: tf.Tensor) -> tf.Tensor:
        return tf.raw_ops.ImageProjectiveTransformV3(
            images=images, transforms=transforms, output_shape=[size, size], fill_value=0.0,
            interpolation="BILINEAR", fill_mode="CONSTANT")

    mask = warp(tf.ones([count, tf.shape(sticker)[0], tf.shape(sticker)[1], 1]))
    scene = photos * (1 - mask) + warp(printed) * mask
    return _camera(scene, u[:, 6:12], seed)


def _build_sticker_step(classifier):
    size = classifier.input_size
    scalar = tf.TensorSpec([], tf.float32)
    patch = tf.TensorSpec([None, None, 3], tf.float32)

    @tf.function(input_signature=[patch, patch, patch, scalar, tf.TensorSpec([None, size, size, 3], tf.uint8),
                                  tf.TensorSpec([None], tf.float32), tf.TensorSpec([], tf.int32),
                                  tf.TensorSpec([2], tf.float32), tf.TensorSpec([2], tf.int32), scalar])
    def step(x, m, v, t, photos, aspects, target, areas, seed, lr):
        with tf.GradientTape() as tape:
            tape.watch(x)
            scenes = sticker_scenes(tf.cast(photos, tf.float32), x * 255.0, aspects, areas, seed)
            logits = classifier.resized_logits(scenes)
            labels = tf.fill([tf.shape(logits)[0]], target)
            loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels, logits))
        g = tape.gradient(loss, x)
        # Adam, written out: its moments are this run's state, passed in and out like the sticker.
        b1, b2, tiny = ADAM
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g * g
        x = x - lr * (m / (1 - b1 ** t)) / (tf.sqrt(v / (1 - b2 ** t)) + tiny)
        return tf.clip_by_value(x, 0.0, 1.0), m, v, loss

    return step


class StickerTrainer:
    """One sticker's training state (the sticker in [0, 1] and Adam's moments) and its compiled step."""

    def __init__(self, classifier, *, size: int, target: int, areas: tuple[float, float], seed: int,
                 learning_rate: float, steps: int, init: np.ndarray | None = None):
        start = np.random.default_rng(seed).random((size, size, 3)) if init is None else init / 255.0
        self.x = tf.constant(start, tf.float32)
        self.m, self.v, self.t = tf.zeros_like(self.x), tf.zeros_like(self.x), 0
        self.target, self.areas, self.seed, self.lr = int(target), areas, int(seed), float(learning_rate)
        self.steps = steps
        self._step = classifier.cached("sticker-step", lambda: _build_sticker_step(classifier))

    def step(self, photos: np.ndarray, aspects: np.ndarray) -> float:
        """One Adam step on a batch of squashed photos; returns the batch loss. The learning rate falls from
        `learning_rate` to LR_FLOOR of it along the run (cosine): late steps refine rather than wander."""
        self.t += 1
        lr = self.lr * (LR_FLOOR + (1 - LR_FLOOR) * 0.5 * (1 + math.cos(math.pi * (self.t - 1) / self.steps)))
        self.x, self.m, self.v, loss = self._step(
            self.x, self.m, self.v, tf.constant(self.t, tf.float32), photos, aspects, tf.constant(self.target),
            tf.constant(self.areas, tf.float32), tf.constant([self.seed, self.t], tf.int32),
            tf.constant(lr, tf.float32))
        return float(loss)

    def image(self) -> np.ndarray:
        return np.rint(self.x.numpy() * 255.0).astype(np.uint8)


def noise_as_seen(delta: tf.Tensor, photo_size: tf.Tensor, size: int) -> tf.Tensor:
    """What the model sees of δ once applied to a photo of `photo_size` (height, width): `apply_noise`
    resizes δ to the photo (Pillow's bilinear, antialiased when it shrinks), and the classifier squashes the
    sum to `size` (antialiased)."""
    return tf.image.resize(tf.image.resize(delta, photo_size, antialias=True), (size, size), antialias=True)


def varied(photos: tf.Tensor, seed: tf.Tensor) -> tf.Tensor:
    """Each photo cropped to a random square (CROP of its side), resized back and mirrored half the time:
    a few hundred photos are few for one noise, which otherwise fits their exact framing."""
    count, size = tf.shape(photos)[0], photos.shape[1]
    u = tf.random.stateless_uniform([count, 4], seed)
    side = CROP[0] + (CROP[1] - CROP[0]) * u[:, 0]
    top, left = u[:, 1] * (1 - side), u[:, 2] * (1 - side)
    mirrored = u[:, 3] < 0.5
    first, last = tf.where(mirrored, left + side, left), tf.where(mirrored, left, left + side)  # x1 > x2 mirrors
    boxes = tf.stack([top, first, top + side, last], axis=1)
    return tf.image.crop_and_resize(tf.cast(photos, tf.float32), boxes, tf.range(count), (size, size))


def _build_noise_step(classifier, side: int):
    size = classifier.input_size
    scalar = tf.TensorSpec([], tf.float32)

    noise = tf.TensorSpec([side, side, 3], tf.float32)

    @tf.function(input_signature=[noise, noise, tf.TensorSpec([None, size, size, 3], tf.uint8),
                                  tf.TensorSpec([None], tf.int32), tf.TensorSpec([None, 2], tf.int32),
                                  tf.TensorSpec([], tf.bool), scalar, scalar, tf.TensorSpec([2], tf.int32)])
    def step(delta, momentum, photos, labels, photo_sizes, targeted, eps, alpha, seed):
        with tf.GradientTape() as tape:
            tape.watch(delta)
            whole = delta + tf.stop_gradient(tf.round(delta) - delta)  # the file holds whole levels
            seen = tf.map_fn(lambda photo_size: noise_as_seen(whole, photo_size, size), photo_sizes,
                             fn_output_signature=tf.TensorSpec([size, size, 3], tf.float32))
            logits = classifier.resized_logits(tf.clip_by_value(varied(photos, seed) + seen, 0.0, 255.0))
            ce = tf.nn.sparse_softmax_cross_entropy_with_logits(labels, logits)
            loss = tf.where(targeted, tf.reduce_mean(ce), -tf.reduce_mean(tf.minimum(ce, CLAMP)))
        g = tape.gradient(loss, delta)
        # Momentum over batches (each gradient scaled to mean |g| = 1, as in MI-FGSM): one batch of photos
        # alone points the shared noise somewhere that suits those photos only.
        momentum = MOMENTUM * momentum + g / (tf.reduce_mean(tf.abs(g)) + 1e-12)
        return tf.clip_by_value(delta - alpha * tf.sign(momentum), -eps, eps), momentum, loss

    return step


class NoiseTrainer:
    """One noise's training state (δ, float, and its momentum) and its compiled step: signed momentum steps,
    shrinking over the run."""

    def __init__(self, classifier, *, eps: int, target: int | None, seed: int, steps: int, side: int = 224):
        rng = np.random.default_rng(seed)
        self.classifier, self.eps, self.target, self.steps, self.seed = classifier, float(eps), target, steps, seed
        self.delta = tf.constant(rng.uniform(-eps, eps, (side, side, 3)), tf.float32)
        self.momentum = tf.zeros_like(self.delta)
        self._step = classifier.cached(("noise-step", side), lambda: _build_noise_step(classifier, side))

    def labels(self, canvas: np.ndarray) -> np.ndarray:
        """What each photo's loss is about: the target, or (untargeted) the model's clean answer."""
        if self.target is not None:
            return np.full(len(canvas), self.target, np.int32)
        return np.argmax(probabilities(self.classifier, canvas, chunk=32), axis=1).astype(np.int32)

    def step(self, photos: np.ndarray, labels: np.ndarray, photo_sizes: np.ndarray, step: int) -> float:
        """One signed momentum step on squashed photos whose own sizes (height, width) are `photo_sizes`;
        its size falls from ε/4 to ε/40 along the run (cosine)."""
        alpha = self.eps / 40 + (self.eps / 4 - self.eps / 40) * 0.5 * (1 + math.cos(math.pi * step / self.steps))
        self.delta, self.momentum, loss = self._step(self.delta, self.momentum, photos, labels,
                                                     np.asarray(photo_sizes, np.int32),
                                                     tf.constant(self.target is not None),
                                                     tf.constant(self.eps, tf.float32), tf.constant(alpha, tf.float32),
                                                     tf.constant([self.seed, step], tf.int32))
        return float(loss)

    def noise(self) -> np.ndarray:
        return np.rint(self.delta.numpy()).astype(np.int16)
