"""APGD, Auto-PGD (Croce & Hein 2020, the L∞ attack of AutoAttack): PGD that sets its own step size.

From a random start x₀ (|δ| = ε at the largest pixel), with a first step η₀ and momentum α = 0.75:

    z      = Π_ε(xₜ + η · sign(∇L(xₜ)))
    xₜ₊₁   = Π_ε(xₜ + α (z − xₜ) + (1 − α)(xₜ − xₜ₋₁))          (α = 1 on the first step)

Checkpoints: the first after w₁ = ⌈0.22 N⌉ steps, then windows shrinking by 0.03 N down to 0.06 N
(N = the step budget; the reference's n_iter_2, size_decr, n_iter_min). At a checkpoint η is
halved, and the iterate restarts from the best point so far (with its gradient), when either
    - the loss rose in at most ρ = 75 % of the window's steps (it oscillates), or
    - η was not halved at the previous checkpoint and the best loss has not improved since.

η₀: the paper uses 2ε; on the 8-bit grid that jumps from corner to corner of the box and wastes
the whole first window (measured, ε = 1 level, six photos → toaster at 90 %: median 124 steps, every
run succeeding only right after the second checkpoint). Here η₀ = max(ε/4, 0.25) levels, BIM's
grid-aware step (median 12.5 steps), and the schedule halves it from there.

The loss, unless one is given: cross-entropy towards a target (log-softmax, what "90 % toaster" asks
for); untargeted, the logit margin max_{i≠o} z_i − z_o. Cross-entropy of the original class flattens on
a photo the model is sure of (its gradient scales with 1 − p_o), so the margin, whose gradient never
fades, is what turns the last stubborn photos (`loss="dlr"` for the scale-free DLR ratio, see losses.py).
Towards a target, a run that finds the target off top after the first third of its budget (and
not before step 100) switches to the margin z_t − max_{i≠t} z_i and restarts its bookkeeping (the
best loss, the rises, the checkpoint counter; η, the window and the iterate are kept). Cross-entropy
is what climbs to a confident target, but on the last stubborn photos it pushes the target up
against all 999 classes at once, where the margin pushes it past the one class still above it: the
saved file then reads as the target, at a lower confidence. The records keep showing the
cross-entropy; only the ascent and its bookkeeping follow the margin.
Like every attack here it is measured at the image rounded onto the 8-bit grid, and the run stops
at the first step that reaches the goal. Every quantity above is per run (the run's slots), so one
compiled step advances a batch of runs that sit at different points of their schedules.
Reference code: github.com/fra31/auto-attack, autoattack/autopgd_base.py.
"""
from __future__ import annotations

import numpy as np
import tensorflow as tf

from .base import Attack, per_run_select
from .losses import objectives

RHO = 0.75  # the share of rising steps below which a window counts as oscillating
MOMENTUM = 0.75
LATE_MARGIN = 1 / 3  # the share of the budget after which a targeted run still off top ascends the margin
MARGIN_NOT_BEFORE = 100  # steps: a short budget is all cross-entropy, the phase in which runs become confident
# The margin slot: 0 ascending the attack's loss, 1 the margin from this step on (a fresh start for
# the bookkeeping), 2 the margin, bookkeeping restarted.
LOSS, MARGIN_STARTS, MARGIN = 0.0, 1.0, 2.0


def _scalar(value) -> tf.Tensor:
    return tf.constant(value, tf.float32)


class APGD(Attack):
    name = "apgd"
    random_start = True
    untargeted_loss = "margin"  # see the docstring

    def default_step(self, epsilon: float) -> float:
        return max(epsilon / 4.0, 0.25)  # η₀ (see the docstring); the schedule takes it from there

    def initial_point(self, state, rng):
        t = rng.uniform(-1.0, 1.0, state.pixels.shape)
        noise = state.epsilon * t / (np.abs(t).max() + 1e-12)
        return state.pixels.astype(np.float32) + noise.astype(np.float32)

    def init_slots(self, state):
        budget = state.max_steps
        zeros = tf.zeros_like(state.original)
        return {
            "x_prev": state.x, "x_best": state.x, "grad_best": zeros,
            "eta": _scalar(state.step_size), "loss_best": _scalar(-np.inf), "loss_prev": _scalar(-np.inf),
            "loss_best_at_check": _scalar(-np.inf), "reduced_at_check": _scalar(1.0),
            "rises": _scalar(0.0), "counter": _scalar(0.0),
            "window": _scalar(max(int(0.22 * budget), 1)),
            "window_min": _scalar(max(int(0.06 * budget), 1)),
            "window_decrease": _scalar(max(int(0.03 * budget), 1)),
            "margin": _scalar(LOSS),
            # Only cross-entropy towards a target switches; a chosen margin or DLR already is one.
            "margin_from": _scalar(max(int(np.ceil(LATE_MARGIN * budget)), MARGIN_NOT_BEFORE)
                                   if state.target is not None and self.loss == "log-softmax" else np.inf),
        }

    def ascended(self, logits, index, targeted, loss, slots):
        """The attack's loss, or the late margin for a run that has switched (see the docstring)."""
        ascended = tf.where(slots["margin"] > LOSS, objectives(logits, index, targeted, "margin"), loss)
        on_top = tf.equal(tf.argmax(logits, axis=1, output_type=tf.int32), index)
        return ascended, {"ascended": ascended, "on_top": on_top}

    def update(self, x, gradient, loss, s, p):
        def image(mask):
            return mask[:, None, None, None]

        loss = p.aux["ascended"]
        # Book-keeping for the point just evaluated; step 0, and the first step of a late margin, only
        # initialise it.
        first = tf.equal(p.step, 0) | tf.equal(s["margin"], MARGIN_STARTS)
        late = tf.cast(p.step, tf.float32) >= s["margin_from"]
        switch = tf.equal(s["margin"], LOSS) & late & ~p.aux["on_top"]
        margin = tf.where(switch, MARGIN_STARTS, tf.where(first & (s["margin"] > LOSS), MARGIN, s["margin"]))
        improved = first | (loss > s["loss_best"])
        x_best = per_run_select(improved, x, s["x_best"])
        grad_best = per_run_select(improved, gradient, s["grad_best"])
        loss_best = tf.where(improved, loss, s["loss_best"])
        rises = tf.where(first, 0.0, s["rises"] + tf.cast(loss > s["loss_prev"], tf.float32))
        counter = tf.where(first, 0.0, s["counter"] + 1.0)
        # The checkpoint.
        check = ~first & (counter >= s["window"])
        oscillating = rises <= RHO * s["window"]
        stalled = (s["reduced_at_check"] == 0.0) & (s["loss_best_at_check"] >= loss_best)
        reduce = check & (oscillating | stalled)
        eta = tf.where(reduce, s["eta"] / 2.0, s["eta"])
        x = per_run_select(reduce, x_best, x)
        gradient = per_run_select(reduce, grad_best, gradient)
        slots = {
            "x_prev": x, "x_best": x_best, "grad_best": grad_best, "eta": eta, "loss_best": loss_best,
            "loss_prev": loss,
            "loss_best_at_check": tf.where(check, loss_best,
                                           tf.where(first, -np.inf, s["loss_best_at_check"])),
            "reduced_at_check": tf.where(check, tf.cast(reduce, tf.float32),
                                         tf.where(first, 1.0, s["reduced_at_check"])),
            "rises": tf.where(check, 0.0, rises), "counter": tf.where(check, 0.0, counter),
            "window": tf.where(check, tf.maximum(s["window"] - s["window_decrease"], s["window_min"]),
                               s["window"]),
            "window_min": s["window_min"], "window_decrease": s["window_decrease"],
            "margin": margin, "margin_from": s["margin_from"],
        }
        # The momentum step.
        alpha = image(tf.where(first, 1.0, MOMENTUM))
        z = tf.clip_by_value(x + image(eta) * tf.sign(gradient), p.lower, p.upper)
        return x + alpha * (z - x) + (1.0 - alpha) * (x - s["x_prev"]), slots
