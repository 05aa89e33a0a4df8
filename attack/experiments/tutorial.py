"""The tutorial, replayed as written: gradient ascent on the target's probability of a *float* image.

    cost = p_target(x)                                  softmax probability (not its log)
    x    ← clip(x + lr · ∇ₓ cost,  x₀ − ε, x₀ + ε) ∩ [-1, 1]     x on the [-1, 1] scale, ε = 0.01
    stop once cost ≥ 0.60

This is the one mode of the engine that works off the 8-bit grid: the model sees the float image,
as the tutorial's numpy array was. Each record's probabilities are of that float image
(`TutorialRecord.in_memory` says so); its uint8 `image` is the float image rounded, i.e. what
saving it as a PNG would keep. `save_as_tutorial` does exactly that and classifies the file read
back through `attack.images`, which is where the tutorial's result famously falls apart.

The learning-rate rule (used when no lr is given). Where p is tiny, ∇p = p · ∇log p is tiny too,
and a plain step raises log p by about lr · ‖∇p‖² / p (first-order Taylor, [-1, 1] scale). So the
rule takes the first gradient and sets

    lr = p₀ / (N · ‖∇p₀‖²)          N = RULE_STEPS

so the first step raises log p by 1/N. Since the gain per step grows with p (dp/dt ∝ p²), the
slow phase ends within about 1–2 N steps on any photo, whatever its starting p₀ (which spans orders
of magnitude from photo to photo, and so does the lr that works: pig 5, espresso 23, Grace Hopper
1.4). After it, the gradient is ~10⁴ times larger, steps overshoot and p swings; the stop test
catches the first step at or above 60 %. A smaller N would shorten the slow phase but make the
swings wilder; N = 150 reaches 60 % in 210–414 steps on the pig and every sample
(bench/bench_tutorial.py). The update itself is untouched, and the user can still give lr by hand.
"""
from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import Callable, Iterator

import numpy as np
import tensorflow as tf

from ..inputs import images
from ..catalogue import TUTORIAL_MAX_STEPS
from ..plumbing.errors import SettingsError
from ..datatypes import Goal, StepRecord, top_k
from ..attacks.losses import gradient_function
from ..running.history import RunHistory, RunResult, Verification
from ..models import Classifier
from ..running.runner import consume, finish, run_attack, verify

SCALE = 127.5  # pixel levels per unit of the tutorial's [-1, 1] scale
EPSILON = 0.01  # the tutorial's ε, on the [-1, 1] scale
EPSILON_LEVELS = EPSILON * SCALE  # = 1.275 pixel levels
STOP_AT = 0.60
MAX_STEPS = TUTORIAL_MAX_STEPS
TUTORIAL_LR = 0.1  # the tutorial's own learning rate (InceptionV3; 3,070 steps, ~2 hours)
RULE_STEPS = 150  # N in the rule: the first step raises log p by 1/N
LR_RANGE = (1e-3, 1e4)  # the rule's result is clipped here (a degenerate gradient must not give inf)
# What the tutorial reported (InceptionV3, pig → toaster), shown beside our own numbers.
TUTORIAL_FACTS = {"model": "InceptionV3", "steps": 3070, "hours": 2, "probability": 0.9561}


@dataclass(frozen=True)
class LearningRate:
    value: float
    rule: bool  # True: chosen by the rule; False: given by hand
    first_probability: float  # p₀ of the target on the clean image
    first_gradient_l2: float  # ‖∇p₀‖₂ on the [-1, 1] scale


@dataclass(frozen=True)
class TutorialRecord(StepRecord):
    """A step of the float replay. Its probabilities are of the float image in memory, not of
    `image` (that image rounded to 8 bits, what a saved PNG would hold)."""

    in_memory: bool = True  # always True: the flag that tells readers this record is off the grid
    learning_rate: float = math.nan
    rate: LearningRate | None = None  # how the run's learning rate was chosen (the same on every record)


def rule_learning_rate(probability: float, gradient_l2: float, steps: int | None = None) -> float:
    """lr = p₀ / (N · ‖∇p₀‖²): the first plain step raises log p by 1/N (gradient on the [-1, 1] scale)."""
    steps = steps or RULE_STEPS
    if not (gradient_l2 > 0 and math.isfinite(gradient_l2) and probability > 0):
        return TUTORIAL_LR  # nothing to scale by (flat or saturated): fall back to the tutorial's value
    return float(np.clip(probability / (steps * gradient_l2**2), *LR_RANGE))


class TutorialReplay:
    """The tutorial's method on a float image; `run(image)` yields one TutorialRecord per step."""

    name = "tutorial"

    def __init__(self, classifier: Classifier, *, target: int, lr: float | None = None,
                 max_steps: int = MAX_STEPS, stop_at: float = STOP_AT, epsilon: float = EPSILON):
        if target is None:
            raise SettingsError.coded("tutorial.needs_target")
        if lr is not None and not (lr > 0 and math.isfinite(lr)):
            raise SettingsError.coded("tutorial.lr_positive")
        if max_steps < 1:
            raise SettingsError.coded("settings.budget_one_step")
        if not 0.0 < stop_at < 1.0:
            raise SettingsError.coded("settings.stop_at_range")
        if not epsilon > 0:
            raise SettingsError.coded("tutorial.epsilon_positive")
        self.classifier, self.target, self.lr = classifier, int(target), lr
        self.max_steps, self.stop_at, self.epsilon = int(max_steps), float(stop_at), float(epsilon)
        # Settings only: a run's learning rate travels on its records, so one replay serves many runs.

    @property
    def epsilon_levels(self) -> float:
        return self.epsilon * SCALE

    def run(self, image: np.ndarray) -> Iterator[TutorialRecord]:
        """One record per step of x ← x + lr·∇p on the float image, until the stop level or the budget."""
        clock, spent = time.perf_counter(), 0.0
        pixels = np.ascontiguousarray(image, dtype=np.uint8)
        pixels.flags.writeable = False
        x0 = tf.constant(pixels, tf.float32)
        # Work in pixel levels: ∂p/∂x[-1,1] = SCALE · ∂p/∂pixel and one unit of [-1, 1] is SCALE levels,
        # so the tutorial's x ← x + lr·∇p is, in levels, x ← x + lr · SCALE² · ∇_pixel p.
        lower = tf.maximum(x0 - self.epsilon_levels, 0.0)
        upper = tf.minimum(x0 + self.epsilon_levels, 255.0)
        fn = gradient_function(self.classifier, "probability", True)
        target = tf.constant(self.target, tf.int32)
        original_class: int | None = None
        x, lr, rate = x0, self.lr, None
        for step in range(self.max_steps + 1):
            p, gradient, probabilities = fn(x, target)
            probabilities = probabilities.numpy()
            if step == 0:
                original_class = int(np.argmax(probabilities))
                l2 = float(tf.norm(gradient)) * SCALE
                if lr is None:
                    lr = rule_learning_rate(float(p), l2)
                rate = LearningRate(float(lr), self.lr is None, float(p), l2)
            goal = Goal(original_class, self.target, self.stop_at)
            success = goal.reached(probabilities)
            rounded = np.rint(x.numpy()).astype(np.uint8)  # what saving would keep
            rounded.flags.writeable = False
            spent += time.perf_counter() - clock
            yield TutorialRecord(
                step=step, loss=float(p), target_probability=float(probabilities[self.target]),
                original_probability=float(probabilities[original_class]), top5=top_k(probabilities, 5),
                image=rounded, original=pixels, gradient_linf=float(tf.reduce_max(tf.abs(gradient))),
                elapsed=spent, success=bool(success), learning_rate=float(lr), rate=rate)
            clock = time.perf_counter()
            if success or step == self.max_steps:
                break
            x = tf.clip_by_value(x + lr * SCALE**2 * gradient, lower, upper)


def save_as_tutorial(classifier: Classifier, record: StepRecord, original_class: int, target: int,
                     stop_at: float = STOP_AT) -> Verification:
    """Round to 8 bits, encode the PNG, decode it through the normal input path and classify it."""
    png = images.encode_png(np.asarray(record.image, dtype=np.uint8))
    return verify(classifier, png, original_class, target, stop_at)


# --- the three acts, for the CLI, the app and the bench -----------------------------------------
FIX_MAX_STEPS = 200


@dataclass(frozen=True)
class Replayed:
    """Act 1 and 2: the float run (its kept step is the best one) and its PNG read back."""

    result: RunResult  # result.verification: the rounded PNG, decoded and classified
    learning_rate: LearningRate

    @property
    def reached_in_memory(self) -> bool:
        return bool(self.result.final.success)  # the float image's probabilities (TutorialRecord.in_memory)

    @property
    def memory_probability(self) -> float:
        return self.result.final.target_probability

    @property
    def saved_probability(self) -> float:
        return self.result.verification.target_probability


def replay(classifier: Classifier, image: np.ndarray, target: int, *, lr: float | None = None,
           max_steps: int = MAX_STEPS, stop_at: float = STOP_AT,
           on_step: Callable[[StepRecord], bool | None] | None = None) -> Replayed:
    """Run the tutorial's method to 60 % (or the budget), then save its best step as the tutorial did."""
    method = TutorialReplay(classifier, target=target, lr=lr, max_steps=max_steps, stop_at=stop_at)
    history = consume(method.run(image), RunHistory(), on_step)
    result = finish(classifier, method.name, method.epsilon_levels, target, stop_at, history)
    return Replayed(result, history.first.rate)


def fix(classifier: Classifier, image: np.ndarray, target: int, *, stop_at: float = STOP_AT,
        max_steps: int = FIX_MAX_STEPS, on_step: Callable[[StepRecord], bool | None] | None = None) -> RunResult:
    """Act 3: the same target and ε with the engine's default 8-bit-safe method, verified on its PNG."""
    from ..catalogue import DEFAULT_METHOD

    return run_attack(classifier, image, DEFAULT_METHOD, on_step=on_step, epsilon=EPSILON_LEVELS, target=target,
                      stop_at=stop_at, max_steps=max_steps)
