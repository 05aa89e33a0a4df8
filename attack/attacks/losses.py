"""The objectives attacks maximise, each compiled once per (model, loss, targeted) and reused.

Targeted (class t = the target):       probability  p_t            (the tutorial's cost)
                                       log-softmax  log p_t
                                       margin       z_t − max_{i≠t} z_i
Untargeted (class o = original top-1): probability  1 − p_o
                                       log-softmax  −log p_o        (cross-entropy)
                                       margin       max_{i≠o} z_i − z_o
"""
from __future__ import annotations

import threading

import tensorflow as tf

from ..models import Classifier

LOSSES = ("log-softmax", "margin", "probability")
_IMAGE = tf.TensorSpec([None, None, 3], tf.float32)
_INDEX = tf.TensorSpec([], tf.int32)
_cache: dict[tuple[int, str, bool], tf.types.experimental.GenericFunction] = {}
_lock = threading.Lock()


def objective(logits: tf.Tensor, class_index: tf.Tensor, loss: str, targeted: bool) -> tf.Tensor:
    """The scalar to maximise, from the logits (1000,)."""
    if loss == "probability":
        p = tf.nn.softmax(logits)[class_index]
        return p if targeted else 1.0 - p
    if loss == "log-softmax":
        log_p = tf.nn.log_softmax(logits)[class_index]
        return log_p if targeted else -log_p
    if loss == "margin":
        others = tf.tensor_scatter_nd_update(logits, [[class_index]], [logits.dtype.min])
        margin = logits[class_index] - tf.reduce_max(others)
        return margin if targeted else -margin
    raise ValueError(f"unknown loss {loss!r}")


def gradient_function(classifier: Classifier, loss: str, targeted: bool):
    """A compiled fn(image, class_index) -> (loss, ∂loss/∂image, probabilities), cached per model."""
    key = (id(classifier), loss, targeted)
    with _lock:
        if key not in _cache:
            @tf.function(input_signature=[_IMAGE, _INDEX])
            def loss_and_gradient(image, class_index):
                with tf.GradientTape() as tape:
                    tape.watch(image)
                    logits = classifier.logits(image)
                    value = objective(logits, class_index, loss, targeted)
                return value, tape.gradient(value, image), tf.nn.softmax(logits)

            _cache[key] = loss_and_gradient
        return _cache[key]
