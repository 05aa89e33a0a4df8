"""A classifier wrapper that takes raw pixels, so the resize and preprocessing are differentiable.

Attacks work on the image at its own resolution, in pixel levels 0..255. The wrapper squashes the
whole image to the network's input size (bilinear, antialiased) and preprocesses *inside* the
graph, so gradients reach every full-resolution pixel and the saved PNG is what gets classified.
"""
from __future__ import annotations

from dataclasses import dataclass
import threading
from typing import Callable, Hashable

import numpy as np
import tensorflow as tf

from .. import labels

_IMAGE_SPEC = tf.TensorSpec([None, None, 3], tf.float32)
_BATCH_SPEC = tf.TensorSpec([None, None, None, 3], tf.float32)


@dataclass(frozen=True)
class Prediction:
    index: int
    label: str
    probability: float

    def as_dict(self) -> dict:
        return {"index": self.index, "label": self.label, "probability": self.probability}


def top_k(probabilities: np.ndarray, k: int = 5) -> tuple[Prediction, ...]:
    """The k most probable classes, most probable first."""
    order = np.argsort(probabilities)[::-1][:k]
    return tuple(Prediction(int(i), labels.label(int(i)), float(probabilities[i])) for i in order)


class Classifier:
    """An ImageNet classifier over H x W x 3 float pixels in [0, 255]; never mutated after creation."""

    def __init__(self, name: str, title: str, network, input_size: int,
                 preprocess: Callable[[tf.Tensor], tf.Tensor]):
        self.name, self.title, self.network = name, title, network
        self.input_size, self._preprocess = input_size, preprocess
        self._probabilities = tf.function(lambda x: tf.nn.softmax(self.logits(x)), input_signature=[_IMAGE_SPEC])
        self._batch_probabilities = tf.function(lambda xs: tf.nn.softmax(self._batch_logits(xs)),
                                                input_signature=[_BATCH_SPEC])

    def logits(self, pixels: tf.Tensor) -> tf.Tensor:
        """Logits (1000,) for one image; differentiable with respect to the pixels."""
        resized = tf.image.resize(pixels[None], (self.input_size, self.input_size), antialias=True)
        return self.network(self._preprocess(resized), training=False)[0]

    def cached(self, key: Hashable, build: Callable[[], object]):
        """A compiled function owned by this model (dropping the model frees it), built once per key."""
        lock = self.__dict__.setdefault("_compiled_lock", threading.Lock())
        with lock:
            table = self.__dict__.setdefault("_compiled", {})
            if key not in table:
                table[key] = build()
            return table[key]

    def _batch_logits(self, batch: tf.Tensor) -> tf.Tensor:
        resized = tf.image.resize(batch, (self.input_size, self.input_size), antialias=True)
        return self.network(self._preprocess(resized), training=False)

    def batch_probabilities(self, images: np.ndarray) -> np.ndarray:
        """Softmax probabilities (N, 1000) for N same-sized images (N x H x W x 3): one forward pass.

        What query-only attacks call: on 2 cores a batch of 4 costs ~0.55x per image of single calls."""
        return self._batch_probabilities(tf.convert_to_tensor(images, tf.float32)).numpy()

    def probabilities(self, image: np.ndarray) -> np.ndarray:
        """Softmax probabilities for a uint8 (or float 0..255) H x W x 3 image."""
        return self._probabilities(tf.convert_to_tensor(image, tf.float32)).numpy()

    def classify(self, image: np.ndarray, k: int = 5) -> tuple[Prediction, ...]:
        return top_k(self.probabilities(image), k)

    def __repr__(self) -> str:
        return f"Classifier({self.name!r})"
