"""The L∞ sign-gradient family (Goodfellow 2015; Kurakin 2017; Madry 2018; Dong 2018).

    FGSM     x₁ = x₀ + ε · sign(∇ₓ L)                              one step
    BIM      xₜ₊₁ = Π_ε(xₜ + α · sign(∇ₓ L))                        iterated FGSM
    PGD      BIM from a uniform random start in the ε box (seeded)
    MI-FGSM  gₜ₊₁ = μ · gₜ + ∇ₓ L / ‖∇ₓ L‖₁ ;  xₜ₊₁ = Π_ε(xₜ + α · sign(gₜ₊₁))

L is maximised (log-softmax of the target by default, cross-entropy of the original class when
untargeted); Π_ε, the clip to the ε box and to [0, 255], is done by the base class.
"""
from __future__ import annotations

import numpy as np
import tensorflow as tf

from .base import Attack


class BIM(Attack):
    name = "bim"
    summary = "Iterated FGSM: many small sign-gradient steps, kept inside the ε box."

    def default_step(self, epsilon: float) -> float:
        # A quarter of ε keeps the continuous image moving smoothly between grid levels.
        return max(epsilon / 4.0, 0.25)

    def update(self, x, gradient, step):
        return x + self.step_size * tf.sign(gradient)


class FGSM(BIM):
    name = "fgsm"
    summary = "Fast gradient sign: a single step of size ε in the direction that raises the loss."

    def default_step(self, epsilon: float) -> float:
        return epsilon

    def update(self, x, gradient, step):
        self.finished = True  # one step is the whole method
        return x + self.epsilon * tf.sign(gradient)


class PGD(BIM):
    name = "pgd"
    summary = "Projected gradient descent: BIM from a random point in the ε box (seeded)."

    def start(self, original, lower, upper):
        noise = np.random.default_rng(self.seed).uniform(-self.epsilon, self.epsilon, original.shape)
        return original + tf.constant(noise, tf.float32)


class MIFGSM(BIM):
    name = "mi-fgsm"
    summary = "Momentum iterative FGSM: steps follow an average of past gradients, steadier and more transferable."
    decay = 1.0  # μ in the paper

    def prepare(self, original, goal):
        super().prepare(original, goal)
        self.momentum = tf.zeros_like(original)

    def update(self, x, gradient, step):
        normalised = gradient / (tf.reduce_mean(tf.abs(gradient)) + 1e-12)
        self.momentum = self.decay * self.momentum + normalised
        return x + self.step_size * tf.sign(self.momentum)
