"""DeepFool (Moosavi-Dezfooli et al., 2016), untargeted, L2, kept inside the ε box.

At x, for each candidate class k among the top `candidates` (k ≠ original o):
    w_k = ∇z_k − ∇z_o,   f_k = z_k − z_o
    l   = argmin_k |f_k| / ‖w_k‖₂                  the nearest linearised boundary
    r   = (|f_l| + 1e-4) / ‖w_l‖₂² · w_l           the smallest step that reaches it
    x  ← x + (1 + overshoot) · r
"""
from __future__ import annotations

import threading

import tensorflow as tf

from .base import Attack

_cache: dict[tuple[int, int], object] = {}
_lock = threading.Lock()


def _jacobian_function(classifier, candidates: int):
    """Compiled fn(image, original) -> (logits, class ids, ∇(z_k − z_o) for the top candidates)."""
    key = (id(classifier), candidates)
    with _lock:
        if key not in _cache:
            @tf.function(input_signature=[tf.TensorSpec([None, None, 3], tf.float32),
                                          tf.TensorSpec([], tf.int32)])
            def differences(image, original):
                with tf.GradientTape(persistent=True) as tape:
                    tape.watch(image)
                    logits = classifier.logits(image)
                    others = tf.tensor_scatter_nd_update(logits, [[original]], [logits.dtype.min])
                    classes = tf.math.top_k(others, candidates).indices
                    gaps = tf.gather(logits, classes) - logits[original]
                jacobian = tape.jacobian(gaps, image, experimental_use_pfor=False)
                return logits, gaps, jacobian

            _cache[key] = differences
        return _cache[key]


class DeepFool(Attack):
    name = "deepfool"
    summary = "DeepFool: steps to the nearest decision boundary (untargeted, smallest L2 change)."
    supports_targeted = False
    default_step_size = 0.02  # the overshoot
    candidates = 9

    def evaluate(self, image, goal):
        fn = _jacobian_function(self.classifier, self.candidates)
        logits, gaps, jacobian = fn(image, tf.constant(goal.original_class, tf.int32))
        norms = tf.norm(tf.reshape(jacobian, [self.candidates, -1]), axis=1) + 1e-8
        nearest = int(tf.argmin(tf.abs(gaps) / norms))
        self._step = (tf.abs(gaps[nearest]) + 1e-4) / norms[nearest] ** 2 * jacobian[nearest]
        # The loss shown is the margin to the nearest other class (positive once fooled).
        return gaps[nearest], jacobian[nearest], tf.nn.softmax(logits)

    def update(self, x, gradient, step):
        return x + (1.0 + self.step_size) * self._step
