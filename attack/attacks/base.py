"""What every attack shares: the step record, the ε box, the 8-bit grid and the step loop.

Each attack keeps a continuous image `x` inside the ε box, but the model only ever sees `x`
rounded onto the uint8 grid (straight-through): the loss, the gradient, the probabilities and the
success test of every step belong to an image that can be saved as an 8-bit PNG unchanged. So a
record that says "success" describes a file that fools the model, and if rounding would undo a
success the attack simply has not succeeded yet and keeps optimising.
"""
from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from functools import cached_property
from typing import Iterator

import numpy as np
import tensorflow as tf

from ..models import Classifier, Prediction, top_k
from .losses import LOSSES, gradient_function


@dataclass(frozen=True)
class StepRecord:
    """One step (one gradient step, or one batch of queries): the image after `step` updates, as the model sees it, and what it says."""

    step: int  # updates applied so far (record 0 is the untouched image)
    loss: float  # the objective the attack maximises, at this image
    target_probability: float  # probability of the target class (untargeted: NaN)
    original_probability: float  # probability of the image's original top-1 class
    top5: tuple[Prediction, ...]
    image: np.ndarray = field(repr=False)  # H x W x 3 uint8, read-only
    original: np.ndarray = field(repr=False)  # the clean image (shared, not copied)
    gradient_linf: float  # largest |∂loss/∂pixel| (per pixel level); tiny values explain slow progress
    elapsed: float  # seconds of attack computation so far (time the consumer holds the step excluded)
    success: bool
    queries: int | None = None  # query-only attacks: model calls so far (the others: None)

    @cached_property
    def perturbation(self) -> np.ndarray:
        """δ = adversarial − original in pixel levels (int16)."""
        return self.image.astype(np.int16) - self.original.astype(np.int16)

    @property
    def linf(self) -> int:
        return int(np.abs(self.perturbation).max())

    @property
    def l0(self) -> int:
        """Pixels changed (in any channel): what an L0 attack such as JSMA keeps small."""
        return int(np.count_nonzero(np.any(self.image != self.original, axis=-1)))


@dataclass(frozen=True)
class Goal:
    """What counts as success: the target reaching `stop_at`, or the original class being dethroned."""

    original_class: int
    target: int | None  # None: untargeted
    stop_at: float | None  # None: top-1 alone decides (the robustness checks' softer test)

    @property
    def targeted(self) -> bool:
        return self.target is not None

    def reached(self, probabilities: np.ndarray) -> bool:
        top1 = int(np.argmax(probabilities))
        if self.targeted:
            return top1 == self.target and (self.stop_at is None or probabilities[self.target] >= self.stop_at)
        # Untargeted: another class is on top and the original has lost the confidence stop_at asks for.
        return top1 != self.original_class and (
            self.stop_at is None or probabilities[self.original_class] <= 1.0 - self.stop_at)


class Attack:
    """Base class: subclasses set `name`, `summary`, defaults, and implement `update` (and maybe `start`)."""

    name = "attack"
    summary = ""
    default_loss = "log-softmax"
    supports_targeted = True
    supports_untargeted = True
    default_step_size = 0.25  # pixel levels per step, unless the method says otherwise

    def __init__(self, classifier: Classifier, *, epsilon: float = 2.0, target: int | None = None,
                 step_size: float | None = None, max_steps: int = 100, stop_at: float = 0.6,
                 loss: str | None = None, seed: int = 0):
        if not epsilon > 0:
            raise ValueError("ε must be positive (pixel levels out of 255).")
        if max_steps < 1:
            raise ValueError("The step budget must be at least one step.")
        if not 0.0 < stop_at < 1.0:
            raise ValueError("The stop-at confidence must lie strictly between 0 and 1.")
        if target is None and not self.supports_untargeted:
            raise ValueError(f"{self.name} needs a target class.")
        if target is not None and not self.supports_targeted:
            raise ValueError(f"{self.name} is untargeted only: leave the target empty.")
        self.loss = loss or self.default_loss
        if self.loss not in LOSSES:
            raise ValueError(f"Unknown loss “{self.loss}”; choose one of: {', '.join(LOSSES)}.")
        self.classifier, self.epsilon, self.target = classifier, float(epsilon), target
        self.step_size = float(step_size if step_size is not None else self.default_step(epsilon))
        if not self.step_size > 0:
            raise ValueError("The step size must be positive.")
        self.max_steps, self.stop_at, self.seed = int(max_steps), float(stop_at), int(seed)

    def default_step(self, epsilon: float) -> float:
        return self.default_step_size

    # --- the parts a method defines -------------------------------------------------------------
    def start(self, original: tf.Tensor, lower: tf.Tensor, upper: tf.Tensor) -> tf.Tensor:
        """The continuous starting point (default: the original image)."""
        return original

    def update(self, x: tf.Tensor, gradient: tf.Tensor, step: int) -> tf.Tensor:
        """One ascent step on the continuous image; the base clips it to the box afterwards."""
        raise NotImplementedError

    # --- the shared loop ------------------------------------------------------------------------
    def evaluate(self, image: tf.Tensor, goal: Goal):
        """(loss, gradient, probabilities) at a grid image; one compiled forward + backward pass."""
        fn = gradient_function(self.classifier, self.loss, goal.targeted)
        class_index = goal.target if goal.targeted else goal.original_class
        return fn(image, tf.constant(class_index, tf.int32))

    def run(self, image: np.ndarray) -> Iterator[StepRecord]:
        """Yield one record per gradient step until success or the step budget; stop early by not asking."""
        clock = time.perf_counter()
        spent = 0.0
        pixels = np.ascontiguousarray(image, dtype=np.uint8)
        pixels.flags.writeable = False
        original = tf.constant(pixels, tf.float32)
        original_probabilities = self.classifier.probabilities(pixels)
        goal = Goal(int(np.argmax(original_probabilities)), self.target, self.stop_at)
        # The continuous box, and the grid box: floor(ε) whole levels, so |δ| ≤ ε holds after rounding.
        lower, upper = tf.maximum(original - self.epsilon, 0.0), tf.minimum(original + self.epsilon, 255.0)
        whole = math.floor(self.epsilon + 1e-9)
        grid_lower, grid_upper = tf.maximum(original - whole, 0.0), tf.minimum(original + whole, 255.0)
        self.prepare(original, goal)
        x = tf.clip_by_value(self.start(original, lower, upper), lower, upper)
        random_start = bool(tf.reduce_any(x != original))
        for step in range(self.max_steps + 1):
            on_grid = tf.clip_by_value(tf.round(x), grid_lower, grid_upper)
            loss, gradient, probabilities = self.evaluate(on_grid, goal)
            if step == 0 and random_start:
                # Record 0 is the untouched image (what reports call "original"); the first update still
                # follows the gradient at the random start (PGD).
                on_grid = original
                loss, _, probabilities = self.evaluate(original, goal)
            probabilities = probabilities.numpy()
            adversarial = on_grid.numpy().astype(np.uint8)
            adversarial.flags.writeable = False
            success = self.reached(goal, probabilities)
            spent += time.perf_counter() - clock
            yield StepRecord(
                step=step, loss=float(loss), top5=top_k(probabilities, 5),
                target_probability=float(probabilities[goal.target]) if goal.targeted else math.nan,
                original_probability=float(probabilities[goal.original_class]),
                image=adversarial, original=pixels,
                gradient_linf=float(tf.reduce_max(tf.abs(gradient))),
                elapsed=spent, success=success,
            )
            clock = time.perf_counter()
            if success or step == self.max_steps or self.finished:
                return
            x = tf.clip_by_value(self.update(x, gradient, step), lower, upper)

    def reached(self, goal: Goal, probabilities: np.ndarray) -> bool:
        """Whether this step succeeds (override point: robust attacks also ask their transformations)."""
        return goal.reached(probabilities)

    def prepare(self, original: tf.Tensor, goal: Goal) -> None:
        """Reset per-run state (momentum, optimiser moments, random start) before the first step."""
        self.finished = False
        self.original_tensor, self.goal = original, goal
