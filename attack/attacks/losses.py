"""The objectives attacks maximise, for a batch of logits (N, 1000) and one class per image.

Targeted (class t = the target):       probability  p_t            (the tutorial's cost)
                                       log-softmax  log p_t        (cross-entropy, negated)
                                       margin       z_t − max_{i≠t} z_i
                                       dlr          (z_t − max_{i≠t} z_i) / (z_π1 − ½(z_π3 + z_π4))
Untargeted (class o = original top-1): probability  1 − p_o
                                       log-softmax  −log p_o        (cross-entropy)
                                       margin       max_{i≠o} z_i − z_o
                                       dlr          (max_{i≠o} z_i − z_o) / (z_π1 − z_π3)

z_π1 ≥ z_π2 ≥ … are the sorted logits. DLR (Croce & Hein 2020) is the margin divided by a spread of
the top logits, so it does not change when the logits are scaled. The targeted numerator here is
the target against its strongest rival (the paper's is against the true class), because success
in this project means the target on top, not only the original class beaten.

`targeted` is a per-image boolean, so one batch can mix targeted and untargeted runs.
"""
from __future__ import annotations

import tensorflow as tf

from ..models import Classifier

LOSSES = ("log-softmax", "margin", "probability", "dlr")
_IMAGE = tf.TensorSpec([None, None, 3], tf.float32)
_INDEX = tf.TensorSpec([], tf.int32)


def objectives(logits: tf.Tensor, class_index: tf.Tensor, targeted: tf.Tensor, loss: str) -> tf.Tensor:
    """The values to maximise (N,), from logits (N, 1000), class indices (N,) and targeted flags (N,)."""
    sign = tf.where(targeted, 1.0, -1.0)
    chosen = tf.gather(logits, class_index, batch_dims=1)
    if loss == "probability":
        p = tf.gather(tf.nn.softmax(logits), class_index, batch_dims=1)
        return tf.where(targeted, p, 1.0 - p)
    if loss == "log-softmax":
        return sign * tf.gather(tf.nn.log_softmax(logits), class_index, batch_dims=1)
    if loss in ("margin", "dlr"):
        mask = tf.one_hot(class_index, tf.shape(logits)[1], on_value=True, off_value=False)
        rival = tf.reduce_max(tf.where(mask, logits.dtype.min, logits), axis=1)
        margin = sign * (chosen - rival)
        if loss == "margin":
            return margin
        top = tf.math.top_k(logits, 4).values
        spread = tf.where(targeted, top[:, 0] - 0.5 * (top[:, 2] + top[:, 3]), top[:, 0] - top[:, 2])
        return margin / (spread + 1e-12)
    raise ValueError(f"unknown loss {loss!r}")


def objective(logits: tf.Tensor, class_index: tf.Tensor, loss: str, targeted: bool) -> tf.Tensor:
    """The scalar to maximise for one image's logits (1000,)."""
    return objectives(logits[None], tf.reshape(class_index, [1]), tf.constant([targeted]), loss)[0]


def gradient_function(classifier: Classifier, loss: str, targeted: bool):
    """A compiled fn(image, class_index) -> (loss, ∂loss/∂image, probabilities) for one image.

    Kept in the classifier's own cache (dropping the model frees it); the attacks use their batched
    step (attack.attacks.base) instead, this is the one-image view for tutorials and benchmarks.
    """
    def build():
        @tf.function(input_signature=[_IMAGE, _INDEX])
        def loss_and_gradient(image, class_index):
            with tf.GradientTape() as tape:
                tape.watch(image)
                logits = classifier.logits(image)
                value = objective(logits, class_index, loss, targeted)
            return value, tape.gradient(value, image), tf.nn.softmax(logits)

        return loss_and_gradient

    return classifier.cached(("gradient", loss, targeted), build)
