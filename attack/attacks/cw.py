"""Carlini–Wagner L2 (2017), one constant c, optimised with Adam in tanh space, inside the ε box.

    x(w) = m + h · tanh(w)          m, h: centre and half-width of the box [x₀−ε, x₀+ε] ∩ [0, 255]
    minimise  ‖(x − x₀)/255‖₂² + c · max(max_{i≠t} z_i − z_t, −κ)

The tanh keeps every iterate inside the box without clipping. The classification term's gradient
is taken at the rounded image, like every attack here.
"""
from __future__ import annotations

import tensorflow as tf

from .base import Attack


class CarliniWagnerL2(Attack):
    name = "cw-l2"
    summary = "Carlini–Wagner: the smallest L2 change that flips the decision, found with Adam."
    default_loss = "margin"
    default_step_size = 0.1  # Adam's learning rate in tanh space
    constant = 5.0  # c: weight of the classification term against the distance
    confidence = 5.0  # κ: how far past the boundary (in logits) is enough
    beta1, beta2 = 0.9, 0.999

    def prepare(self, original, goal):
        super().prepare(original, goal)
        lower = tf.maximum(original - self.epsilon, 0.0)
        upper = tf.minimum(original + self.epsilon, 255.0)
        self.centre, self.half = (upper + lower) / 2.0, tf.maximum((upper - lower) / 2.0, 1e-6)
        ratio = tf.clip_by_value((original - self.centre) / self.half, -1 + 1e-6, 1 - 1e-6)
        self.w = tf.atanh(ratio)
        self.m, self.v = tf.zeros_like(original), tf.zeros_like(original)

    def update(self, x, gradient, step):
        # `gradient` is ∂margin/∂pixel (margin maximised); the CW objective is minimised.
        active = tf.cast(self._margin < self.confidence, tf.float32)
        distance_gradient = 2.0 * (x - self.original_tensor) / 255.0**2
        grad_x = distance_gradient - self.constant * active * gradient
        grad_w = grad_x * self.half * (1.0 - tf.tanh(self.w) ** 2)
        t = step + 1
        self.m = self.beta1 * self.m + (1 - self.beta1) * grad_w
        self.v = self.beta2 * self.v + (1 - self.beta2) * grad_w**2
        m_hat, v_hat = self.m / (1 - self.beta1**t), self.v / (1 - self.beta2**t)
        self.w = self.w - self.step_size * m_hat / (tf.sqrt(v_hat) + 1e-8)
        return self.centre + self.half * tf.tanh(self.w)

    def evaluate(self, image, goal):
        loss, gradient, probabilities = super().evaluate(image, goal)
        self._margin = loss
        return loss, gradient, probabilities
