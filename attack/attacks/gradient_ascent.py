"""The tutorial's method, kept faithful: plain gradient ascent on the target's softmax probability.

    cost = p_target(x)                       (softmax probability, not its log)
    x   ← x + lr · ∇ₓ cost                   (on the [-1, 1] input scale, lr 0.1 in the tutorial)
    x   ← clip(x, x₀ − ε, x₀ + ε) ∩ [-1, 1]
    stop once cost ≥ 0.60

The learning rate is given on that [-1, 1] scale, as in the tutorial; in pixel levels a step is
lr · 127.5² · ∇_pixels cost. Where p_target is ~0 its gradient is ~0 too (the softmax saturates),
which is why this method needed 3,070 steps: the records' `gradient_linf` shows it.
"""
from __future__ import annotations

from .base import Attack

_SCALE = 127.5  # pixels per unit on the tutorial's [-1, 1] scale


class GradientAscent(Attack):
    name = "gradient-ascent"
    default_loss = "probability"
    default_step_size = 0.1  # learning rate on the [-1, 1] scale, as in the tutorial

    def update(self, x, gradient, loss, slots, p):
        # ∂cost/∂x[-1,1] = 127.5 · ∂cost/∂pixel, and a unit on [-1, 1] is 127.5 pixel levels.
        return x + p.step_size * _SCALE**2 * gradient, slots
