"""The L∞ sign-gradient family (Goodfellow 2015; Kurakin 2017; Madry 2018; Dong 2018).

    FGSM     x₁ = x₀ + ε · sign(∇ₓ L)                              one step
    BIM      xₜ₊₁ = Π_ε(xₜ + α · sign(∇ₓ L))                        iterated FGSM
    PGD      BIM from a uniform random start in the ε box (seeded)
    MI-FGSM  gₜ₊₁ = μ · gₜ + ∇ₓ L / ‖∇ₓ L‖₁ ;  xₜ₊₁ = Π_ε(xₜ + α · sign(gₜ₊₁))

L is maximised (log-softmax of the target by default, cross-entropy of the original class when
untargeted); Π_ε, the clip to the ε box and to [0, 255], is done by the base class. Each update
works on a batch (N x H x W x 3); MI-FGSM's momentum is per run, in the run's slots.
"""
from __future__ import annotations

import numpy as np
import tensorflow as tf

from .base import Attack


class BIM(Attack):
    name = "bim"

    def default_step(self, epsilon: float) -> float:
        # A quarter of ε keeps the continuous image moving smoothly between grid levels.
        return max(epsilon / 4.0, 0.25)

    def update(self, x, gradient, loss, slots, p):
        return x + p.step_size * tf.sign(gradient), slots


class FGSM(BIM):
    name = "fgsm"
    step_limit = 1  # one step is the whole method

    def default_step(self, epsilon: float) -> float:
        return epsilon

    def update(self, x, gradient, loss, slots, p):
        return x + p.epsilon * tf.sign(gradient), slots


class PGD(BIM):
    name = "pgd"
    random_start = True

    def initial_point(self, state, rng):
        noise = rng.uniform(-state.epsilon, state.epsilon, state.pixels.shape)
        return state.pixels.astype(np.float32) + noise.astype(np.float32)


class MIFGSM(BIM):
    name = "mi-fgsm"
    decay = 1.0  # μ in the paper

    def init_slots(self, state):
        return {"momentum": tf.zeros_like(state.original)}

    def update(self, x, gradient, loss, slots, p):
        # The mean |g| over the image's own pixels (padding excluded, so batching changes nothing).
        mean = tf.reduce_sum(tf.abs(gradient), axis=[1, 2, 3]) / p.values
        momentum = self.decay * slots["momentum"] + gradient / (mean[:, None, None, None] + 1e-12)
        return x + p.step_size * tf.sign(momentum), {"momentum": momentum}
