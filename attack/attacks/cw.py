"""Carlini–Wagner L2 (2017), one constant c, optimised with Adam in tanh space, inside the ε box.

    x(w) = m + h · tanh(w)          m, h: centre and half-width of the box [x₀−ε, x₀+ε] ∩ [0, 255]
    minimise  ‖(x − x₀)/255‖₂² + c · max(max_{i≠t} z_i − z_t, −κ)

The tanh keeps every iterate inside the box without clipping. The classification term's gradient
is taken at the rounded image, like every attack here. w and Adam's moments m, v are per run (slots).
"""
from __future__ import annotations

import tensorflow as tf

from .base import Attack, epsilon_box


class CarliniWagnerL2(Attack):
    name = "cw-l2"
    default_loss = "margin"
    default_step_size = 0.1  # Adam's learning rate in tanh space
    constant = 5.0  # c: weight of the classification term against the distance
    confidence = 5.0  # κ: how far past the boundary (in logits) is enough
    beta1, beta2 = 0.9, 0.999

    @staticmethod
    def _centre_and_half(lower, upper):
        return (upper + lower) / 2.0, tf.maximum((upper - lower) / 2.0, 1e-6)

    def init_slots(self, state):
        lower, upper, _, _ = epsilon_box(state.original, tf.constant(state.epsilon))
        centre, half = self._centre_and_half(lower, upper)
        ratio = tf.clip_by_value((state.original - centre) / half, -1 + 1e-6, 1 - 1e-6)
        zeros = tf.zeros_like(state.original)
        return {"w": tf.atanh(ratio), "m": zeros, "v": zeros}

    def update(self, x, gradient, loss, slots, p):
        # `gradient` is ∂margin/∂pixel (margin maximised); the CW objective is minimised.
        centre, half = self._centre_and_half(p.lower, p.upper)
        active = tf.cast(loss < self.confidence, tf.float32)[:, None, None, None]
        distance_gradient = 2.0 * (x - p.original) / 255.0**2
        grad_x = distance_gradient - self.constant * active * gradient
        w = slots["w"]
        grad_w = grad_x * half * (1.0 - tf.tanh(w) ** 2)
        t = tf.cast(p.step + 1, tf.float32)[:, None, None, None]
        m = self.beta1 * slots["m"] + (1 - self.beta1) * grad_w
        v = self.beta2 * slots["v"] + (1 - self.beta2) * grad_w**2
        m_hat, v_hat = m / (1 - self.beta1**t), v / (1 - self.beta2**t)
        w = w - p.step_size * m_hat / (tf.sqrt(v_hat) + 1e-8)
        return centre + half * tf.tanh(w), {"w": w, "m": m, "v": v}
