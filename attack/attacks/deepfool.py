"""DeepFool (Moosavi-Dezfooli et al., 2016), untargeted, L2, kept inside the ε box.

At x, for each candidate class k among the top `candidates` (k ≠ original o):
    w_k = ∇z_k − ∇z_o,   f_k = z_k − z_o
    l   = argmin_k |f_k| / ‖w_k‖₂                  the nearest linearised boundary
    r   = (|f_l| + 1e-4) / ‖w_l‖₂² · w_l           the smallest step that reaches it
    x  ← x + (1 + overshoot) · r

The `candidates` gradients are taken in one compiled step for the whole batch (one backward pass
per candidate; runs are independent, so the gradient of a sum over runs is each run's own).
"""
from __future__ import annotations

import tensorflow as tf

from .base import Attack, goal_class


class DeepFool(Attack):
    name = "deepfool"
    default_step_size = 0.02  # the overshoot
    candidates = 9

    def differentiate(self, model, grid, sizes, class_index, targeted, slots):
        with tf.GradientTape(persistent=True) as tape:
            tape.watch(grid)
            logits = model.padded_logits(grid, sizes)
            original = goal_class(logits, class_index)
            mask = tf.one_hot(original, tf.shape(logits)[1], on_value=True, off_value=False)
            classes = tf.math.top_k(tf.where(mask, logits.dtype.min, logits), self.candidates).indices
            gaps = tf.gather(logits, classes, batch_dims=1) - tf.gather(logits, original, batch_dims=1)[:, None]
            columns = [tf.reduce_sum(gaps[:, k]) for k in range(self.candidates)]
        jacobian = tf.stack([tape.gradient(c, grid) for c in columns], axis=1)  # N x K x H x W x 3
        del tape
        norms = tf.norm(tf.reshape(jacobian, [tf.shape(grid)[0], self.candidates, -1]), axis=2) + 1e-8
        nearest = tf.argmin(tf.abs(gaps) / norms, axis=1, output_type=tf.int32)
        gap = tf.gather(gaps, nearest, batch_dims=1)
        direction = tf.gather(jacobian, nearest, batch_dims=1)
        scale = (tf.abs(gap) + 1e-4) / tf.gather(norms, nearest, batch_dims=1) ** 2
        # The loss shown is the margin to the nearest other class (positive once fooled).
        return gap, direction, logits, {"scale": scale}

    def update(self, x, gradient, loss, slots, p):
        return x + (1.0 + p.step_size) * p.aux["scale"][:, None, None, None] * gradient, slots
