"""The compiled functions of an attack: its one batched step, and the clean pass before a run starts.

The step, for a batch of N runs (attack/attacks/base.py describes it; `Attack.step` calls it):
round x onto the 8-bit grid, ask the method's `differentiate` for the loss and gradient there, let its
`update` move x, clip x to the ε box, and hand back only what a record needs. Each is traced once per
method, loss, model and slot layout, and kept in the model's cache (dropping the model frees them).
"""
from __future__ import annotations

from typing import NamedTuple, Protocol, Sequence

import numpy as np
import tensorflow as tf

from .losses import objectives
from .state import RunState


class StepInputs(NamedTuple):
    """Per-run values a traced `update` may use (all batched; image-shaped ones padded)."""

    original: tf.Tensor  # N x H x W x 3
    lower: tf.Tensor  # the continuous ε box ∩ [0, 255]
    upper: tf.Tensor
    epsilon: tf.Tensor  # N x 1 x 1 x 1
    step_size: tf.Tensor  # N x 1 x 1 x 1
    step: tf.Tensor  # N int32: the step being evaluated (0 = the start point)
    values: tf.Tensor  # N float32: pixel values per image (h · w · 3), for means over an image
    aux: dict  # what `differentiate` passed along


def epsilon_box(original: tf.Tensor, epsilon: tf.Tensor):
    """The continuous box and the grid box (⌊ε⌋ whole levels, so |δ| ≤ ε holds after rounding)."""
    whole = tf.floor(epsilon + 1e-6)
    return (tf.maximum(original - epsilon, 0.0), tf.minimum(original + epsilon, 255.0),
            tf.maximum(original - whole, 0.0), tf.minimum(original + whole, 255.0))


def per_run_select(mask: tf.Tensor, a: tf.Tensor, b: tf.Tensor) -> tf.Tensor:
    """Per run (traced): image a where mask (N bool), else b — with no pass over the images when every
    run agrees, which is the common case (a select is a pass over full-resolution batches)."""
    return tf.cond(tf.reduce_all(mask), lambda: a,
                   lambda: tf.cond(tf.reduce_any(mask), lambda: tf.where(mask[:, None, None, None], a, b),
                                   lambda: b))


class Method(Protocol):
    """What the compiled functions use of an attack (attack/attacks/base.py's `Attack`)."""

    classifier: object
    loss: str

    def update(self, x, gradient, loss, slots, p): ...

    def differentiate(self, model, grid, sizes, class_index, targeted, slots): ...


def clean_passes(attack: Method, states: Sequence[RunState]) -> list[tuple[float, np.ndarray, np.ndarray]]:
    """(loss, probabilities, surrogate probabilities) at each clean image (all of one size): one
    batched forward pass."""
    model = attack.classifier

    def build():
        @tf.function(input_signature=[tf.TensorSpec([None, None, None, 3], tf.float32),
                                      tf.TensorSpec([None], tf.int32), tf.TensorSpec([None], tf.bool)])
        def clean(images, targets, targeted):
            logits = model.padded_logits(images, None)  # one size: nothing padded
            judge = logits if model.main is model else model.main.padded_logits(images, None)
            index = tf.where(targeted, targets, tf.argmax(judge, axis=1, output_type=tf.int32))
            loss = objectives(logits, index, targeted, attack.loss)
            return loss, tf.nn.softmax(judge), tf.nn.softmax(logits)

        return clean

    fn = model.cached(("clean", attack.loss), build)
    images = states[0].original[None] if len(states) == 1 else tf.stack([s.original for s in states])
    loss, probabilities, surrogate = fn(
        images, tf.constant([-1 if s.target is None else s.target for s in states], tf.int32),
        tf.constant([s.target is not None for s in states]))
    loss, probabilities = loss.numpy(), probabilities.numpy()
    surrogate = probabilities if model.main is model else surrogate.numpy()
    return [(float(loss[i]), probabilities[i], surrogate[i]) for i in range(len(states))]


def compiled_step(attack: Method, single: bool, layout: tuple, uniform: bool = False):
    """The one compiled step for this method, loss, model and slot layout (cached by the model).

    Every dimension is left open (one trace serves any batch and image size), except that a
    single run gets its own trace with the batch dimension fixed at 1 (see models.resize_padded),
    and a batch of images of one size (`uniform`) one where the model is told nothing is padded.
    The concrete function is what is kept: calling it skips tf.function's argument matching."""
    model = attack.classifier
    batch = 1 if single else None

    def image_spec(rank=4):
        # Images and image-shaped slots are N x H x W x 3: the channel count is part of the signature
        # (see Classifier.resized_logits for why an unknown one costs time); other slots are per run.
        return tf.TensorSpec([batch, None, None, 3] if rank == 4 else [batch] + [None] * (rank - 1), tf.float32)

    signature = [image_spec(), image_spec(), image_spec(), image_spec(), tf.TensorSpec([batch, 5], tf.int32),
                 tf.TensorSpec([batch, 2], tf.float32), {k: image_spec(rank=rank) for k, rank in layout}]

    def build():
        return tf.function(_step_body(attack, uniform), input_signature=signature).get_concrete_function()

    return model.cached(("step", type(attack), attack.loss, layout, single, uniform), build)


# The element-wise work around the network pass (rounding, the method's update, the clip to the box,
# |g|max) runs over the full-resolution image, so it is kept to a few passes: the box is computed once
# per run, the rounding skips its clip for whole ε, |g|max writes nothing, and APGD's selects skip the
# image when every run agrees. (XLA fusion of these parts, tried before, gained nothing once they were
# this few, and it compiled once per image size.)
def _on_grid(x, original, eps):
    """x rounded onto the 8-bit grid inside the grid box, as float and as uint8 (traced)."""
    # x never leaves the continuous box ∩ [0, 255]. With whole ε (the usual case) and whole original
    # levels, round(x) is inside the grid box already; only a fractional ε needs the clip.
    whole = tf.floor(eps + 1e-6)
    grid = tf.cond(tf.reduce_all(eps - whole < 1e-6), lambda: tf.round(x),
                   lambda: tf.clip_by_value(tf.round(x), original - whole, original + whole))
    return grid, tf.cast(grid, tf.uint8)


def _step_body(attack: Method, uniform: bool):
    """The traced step: grid image → loss and gradient → the method's update, clipped to the box."""
    model = attack.classifier
    robust = model.main is not model

    def step(x, original, lower, upper, counts, scales, slots):
        sizes, step, class_index, targeted = counts[:, :2], counts[:, 2], counts[:, 3], counts[:, 4] > 0
        eps, step_size = scales[:, 0, None, None, None], scales[:, 1, None, None, None]
        grid, pixels = _on_grid(x, original, eps)
        fit = None if uniform else sizes  # the model's view of the padding (models.resize_padded)
        loss, gradient, logits, aux = attack.differentiate(model, grid, fit, class_index, targeted, slots)
        values = tf.cast(sizes[:, 0] * sizes[:, 1] * 3, tf.float32)
        inputs = StepInputs(original, lower, upper, eps, step_size, step, values, aux)
        new_x, new_slots = attack.update(x, gradient, loss, slots, inputs)
        # max |g| from the extremes: two reads of g and no |g| written out
        gradient_linf = tf.maximum(tf.reduce_max(gradient, axis=[1, 2, 3]), -tf.reduce_min(gradient, axis=[1, 2, 3]))
        surrogate = tf.nn.softmax(logits)
        if robust:  # the main model judges, at the same grid image (a forward pass only)
            probabilities = tf.nn.softmax(model.main.padded_logits(grid, fit))
        else:
            probabilities, surrogate = surrogate, None
        return pixels, loss, probabilities, surrogate, gradient_linf, tf.clip_by_value(new_x, lower, upper), new_slots

    return step
