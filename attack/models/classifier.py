"""A classifier wrapper that takes raw pixels, so the resize and preprocessing are differentiable.

Attacks work on the image at its own resolution, in pixel levels 0..255. The wrapper squashes the
whole image to the network's input size (bilinear, antialiased) and preprocesses *inside* the
graph, so gradients reach every full-resolution pixel and the saved PNG is what gets classified.

Batches of images of different sizes travel padded to a common H x W with their true sizes beside
them (`padded_logits`); each image is cut back out and resized on its own inside the graph, so a
batched pass computes exactly what one pass per image would.

Every compiled function that closes over a model lives in that model's `CompiledCache`
(`classifier.cached(key, build)`), never in a module-level table: dropping the model frees them.
"""
from __future__ import annotations

import threading
from typing import Callable, Hashable

import numpy as np
import tensorflow as tf

from ..datatypes import Prediction, top_k  # noqa: F401 — handed on by attack.models

_IMAGE_SPEC = tf.TensorSpec([None, None, 3], tf.float32)
_BATCH_SPEC = tf.TensorSpec([None, None, None, 3], tf.float32)


def resize_padded(padded: tf.Tensor, sizes: tf.Tensor | None, size: int) -> tf.Tensor:
    """(N, H, W, 3) padded images + (N, 2) true sizes -> (N, size, size, 3), each resized on its own.

    `sizes=None`: no image is padded (a batch of one size), so the batch is resized in one op, which
    the cores share better than a loop over its images (bench/bench_engine.py: 0.69x → 0.64x per
    image at 8 images).

    A graph loop (not a Python one) so one trace serves every batch size; the gradient reaches each
    image's own pixels and is zero in the padding. A batch known to hold one image skips the loop
    (a graph loop's gradient costs extra bookkeeping that one run should not pay) and is never padded:
    a batch of one is padded to its own size, so cutting it out would only add a copy and its gradient.
    """
    if sizes is None or padded.shape[0] == 1:
        return tf.image.resize(padded, (size, size), antialias=True)
    count = tf.shape(padded)[0]
    out = tf.TensorArray(tf.float32, size=count, element_shape=[size, size, 3])
    for i in tf.range(count):
        # gather, not padded[i]: its gradient is sparse (IndexedSlices), where a slice's would be a
        # full N x H x W x 3 tensor per image — O(N²) work for a batch of N.
        image = tf.gather(padded, i)[:sizes[i, 0], :sizes[i, 1]]
        out = out.write(i, tf.image.resize(image[None], (size, size), antialias=True)[0])
    return out.stack()


class CompiledCache:
    """Compiled functions keyed by what they compute, owned by the model they close over."""

    def cached(self, key: Hashable, build: Callable[[], object]):
        """The function stored under `key`, built once (thread-safe: sessions share a model)."""
        lock = self.__dict__.setdefault("_compiled_lock", threading.Lock())
        with lock:
            table = self.__dict__.setdefault("_compiled", {})
            if key not in table:
                table[key] = build()
            return table[key]


class Classifier(CompiledCache):
    """An ImageNet classifier over H x W x 3 float pixels in [0, 255]; never mutated after creation
    (its compiled-function cache aside)."""

    def __init__(self, name: str, title: str, network, input_size: int,
                 preprocess: Callable[[tf.Tensor], tf.Tensor], *, key: Hashable | None = None):
        self.name, self.title, self.network = name, title, network
        # What makes two instances the same model (its name; plus the file for weights a user named):
        # caches and batches go by it, so a model loaded again does not start them over.
        self.key = name if key is None else key
        self.input_size, self._preprocess = input_size, preprocess
        self._probabilities = tf.function(lambda x: tf.nn.softmax(self.logits(x)), input_signature=[_IMAGE_SPEC])
        self._same_size_probabilities = tf.function(lambda xs: tf.nn.softmax(self._batch_logits(xs)),
                                                input_signature=[_BATCH_SPEC])

    @property
    def main(self) -> "Classifier":
        """The model whose verdict counts (a robust stand-in answers with its main model)."""
        return self

    def logits(self, pixels: tf.Tensor) -> tf.Tensor:
        """Logits (1000,) for one image; differentiable with respect to the pixels."""
        resized = tf.image.resize(pixels[None], (self.input_size, self.input_size), antialias=True)
        return self.resized_logits(resized)[0]

    def resized_logits(self, resized: tf.Tensor) -> tf.Tensor:
        """Logits (N, 1000) for images already at the network's input size."""
        # The static shape matters: given an unknown channel count, Keras compiles the first convolution
        # with XLA as a separate call (its fallback for grouped convolutions), a cost on every step.
        resized = tf.ensure_shape(resized, [None, self.input_size, self.input_size, 3])
        return self.network(self._preprocess(resized), training=False)

    def padded_logits(self, padded: tf.Tensor, sizes: tf.Tensor | None) -> tf.Tensor:
        """Logits (N, 1000) for a padded batch of images of different sizes (see `resize_padded`)."""
        return self.resized_logits(resize_padded(padded, sizes, self.input_size))

    def _batch_logits(self, batch: tf.Tensor) -> tf.Tensor:
        return self.resized_logits(tf.image.resize(batch, (self.input_size, self.input_size), antialias=True))

    def same_size_probabilities(self, images: np.ndarray) -> np.ndarray:
        """Softmax probabilities (N, 1000) for N same-sized images (N x H x W x 3): one forward pass.

        What query-only attacks call: a batch costs less per image than single calls (bench/bench_engine.py)."""
        return self._same_size_probabilities(tf.convert_to_tensor(images, tf.float32)).numpy()

    def probabilities(self, image: np.ndarray) -> np.ndarray:
        """Softmax probabilities for a uint8 (or float 0..255) H x W x 3 image."""
        return self._probabilities(tf.convert_to_tensor(image, tf.float32)).numpy()

    def mixed_size_probabilities(self, images: list[np.ndarray]) -> np.ndarray:
        """Softmax probabilities (N, 1000) for N images of any sizes (padded), in one batched forward pass."""
        height, width = max(i.shape[0] for i in images), max(i.shape[1] for i in images)
        padded = np.zeros((len(images), height, width, 3), np.float32)
        for n, image in enumerate(images):
            padded[n, :image.shape[0], :image.shape[1]] = image
        sizes = np.array([i.shape[:2] for i in images], np.int32)

        def build():
            return tf.function(lambda x, s: tf.nn.softmax(self.padded_logits(x, s)),
                               input_signature=[tf.TensorSpec([None, None, None, 3], tf.float32),
                                                tf.TensorSpec([None, 2], tf.int32)])

        return self.cached("mixed_size_probabilities", build)(padded, sizes).numpy()

    def classify(self, image: np.ndarray, k: int = 5) -> tuple[Prediction, ...]:
        return top_k(self.probabilities(image), k)

    def __repr__(self) -> str:
        return f"Classifier({self.name!r})"
