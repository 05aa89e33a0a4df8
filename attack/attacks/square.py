"""Square Attack (Andriushchenko et al. 2020), L∞, black-box: it only ever asks for output probabilities.

    x₁ = clip(x₀ + ε·stripes)                     vertical stripes of ±ε, one sign per column band
    repeat, with q queries spent so far:
        s   = round(√(p(q) · H · W))              side of a square covering a fraction p(q) of the image
        x'  = x_best, one random s × s window set to x₀ + ε·(±1 per channel)
        keep x' if L(x') < L(x_best)
    L, from probabilities only (minimised):
        untargeted  margin    log p_o − max_{k≠o} log p_k   (= the logit margin: softmax is shift-free)
        targeted    x-entropy −log p_t
    p(q) = 0.05, halved at q = 10, 50, 200, 500, 1000, 2000, 4000, 6000, 8000 (the paper's schedule for
    10,000 queries, kept on the absolute query count so a bigger budget only adds queries at the end)

A transfer start, when `surrogates` are given (other models the attacker holds, used white-box): x₁ is
not the stripes but where the surrogates' summed objective leads — momentum sign ascent on the
attack's own loss over their logits (the margin untargeted, cross-entropy towards a target, unless
one is given), then every pixel pushed to the ε corner it leans to, since Square's moves are corners
too. Adversarial images transfer between similar models (Papernot et al. 2016; transfer starts for
query attacks: Suya et al. 2020, "Hybrid Batch Attacks"), so x₁ often fools the target already and
the squares refine the rest. The target model is still
only ever queried; the surrogates' gradient steps are not queries, and they count in the seconds.

Choices here: ε is floor(ε) whole levels, so every query is an 8-bit image; the stripes are as wide as
one model-input column (W / input size) so the resize to 224 does not average them away; each record
is `batch` queries (candidate squares drawn from the same x_best, the best kept) because one
batched forward pass costs ~0.55× per image of single calls on 2 cores. `step` = `queries` = model
calls on perturbed images (the clean image's classification, record 0, is not counted, as in the paper).
"""
from __future__ import annotations

import math
import time
from typing import Iterator, Sequence

import numpy as np

from ..plumbing.errors import SettingsError
from ..datatypes import Goal, StepRecord, top_k
from .base import Attack

_TINY = 1e-30  # log(0) guard: float32 probabilities of hopeless classes underflow
TRANSFER_STEPS = 30  # white-box steps on the surrogates for a transfer start
TRANSFER_MOMENTUM = 0.75


def probability_objective(probabilities: np.ndarray, class_index: int, loss: str, targeted: bool) -> np.ndarray:
    """The value the attack maximises, per row of (N, 1000) probabilities (as losses.objective does on logits)."""
    p = np.atleast_2d(probabilities).astype(np.float64)
    log_p = np.log(np.maximum(p, _TINY))
    if loss == "probability":
        value = p[:, class_index]
        return value if targeted else 1.0 - value
    if loss == "log-softmax":
        value = log_p[:, class_index]
        return value if targeted else -value
    others = log_p.copy()
    others[:, class_index] = -np.inf
    margin = log_p[:, class_index] - others.max(axis=1)
    return margin if targeted else -margin


def square_fraction(queries: int, p_init: float = 0.05) -> float:
    """p(q): the paper's piecewise-constant schedule, read on the absolute query count."""
    for bound, halvings in ((10, 0), (50, 1), (200, 2), (500, 3), (1000, 4), (2000, 5), (4000, 6),
                            (6000, 7), (8000, 8)):
        if queries <= bound:
            return p_init / 2**halvings
    return p_init / 2**9


class SquareAttack(Attack):
    name = "square"
    untargeted_loss = "margin"  # the paper's losses: cross-entropy towards a target, the margin without
    default_step_size = 0.05  # p_init: the fraction of the image the first squares cover
    batch = 4  # queries per record

    def __init__(self, classifier, *, surrogates: Sequence = (), **settings):
        super().__init__(classifier, **settings)
        if self.step_size >= 1.0:
            raise SettingsError.coded("settings.square_step")
        self.surrogates = tuple(surrogates)

    def _query(self, images: np.ndarray) -> np.ndarray:
        """(N, 1000) probabilities for N candidate images: the only access to the model."""
        return self.classifier.same_size_probabilities(images)

    def run(self, image: np.ndarray) -> Iterator[StepRecord]:
        """Yield the clean image, then one record per batch of queries until success or the query budget."""
        clock, spent = time.perf_counter(), 0.0
        rng = np.random.default_rng(self.seed)
        pixels = np.ascontiguousarray(image, dtype=np.uint8)
        pixels.flags.writeable = False
        original = pixels.astype(np.float32)
        h, w, c = original.shape
        whole = float(math.floor(self.epsilon + 1e-9))
        lower, upper = np.maximum(original - whole, 0), np.minimum(original + whole, 255)
        probabilities = self._query(original[None])[0]
        goal = Goal(int(np.argmax(probabilities)), self.target, self.stop_at)
        class_index = goal.target if goal.targeted else goal.original_class
        queries = 0

        def record(x: np.ndarray, probs: np.ndarray, value: float) -> StepRecord:
            adversarial = x.astype(np.uint8)
            adversarial.flags.writeable = False
            return StepRecord(step=queries, loss=float(value), top5=top_k(probs, 5),
                              target_probability=float(probs[goal.target]) if goal.targeted else math.nan,
                              original_probability=float(probs[goal.original_class]),
                              image=adversarial, original=pixels, gradient_linf=math.nan,
                              elapsed=spent, success=goal.reached(probs), queries=queries)

        value = probability_objective(probabilities, class_index, self.loss, goal.targeted)[0]
        first = record(original, probabilities, value)
        spent += time.perf_counter() - clock
        yield first
        clock = time.perf_counter()
        if first.success or whole < 1:  # below one level no 8-bit image differs from the original
            return
        if self.surrogates:
            best = transfer_start(self.surrogates, original, lower, upper, whole, class_index, goal.targeted,
                                  self.loss)
        else:  # vertical stripes, one sign per band of columns as wide as one model-input column
            band = max(1, round(w / getattr(self.classifier, "input_size", 224)))
            signs = rng.choice([-1.0, 1.0], size=(1, -(-w // band), c)).repeat(band, axis=1)[:, :w]
            best = np.clip(original + whole * signs, lower, upper)
        best_probabilities = self._query(best[None])[0]
        best_value = probability_objective(best_probabilities, class_index, self.loss, goal.targeted)[0]
        queries = 1
        while True:
            spent += time.perf_counter() - clock
            current = record(best, best_probabilities, best_value)
            yield current
            clock = time.perf_counter()
            if current.success or queries >= self.max_steps:
                return
            n = min(self.batch, self.max_steps - queries)
            side = min(max(int(round(math.sqrt(square_fraction(queries, self.step_size) * h * w))), 1),
                       max(min(h, w) - 1, 1))
            candidates = np.stack([self._candidate(best, original, lower, upper, side, whole, rng)
                                   for _ in range(n)])
            probs = self._query(candidates)
            values = probability_objective(probs, class_index, self.loss, goal.targeted)
            queries += n
            i = int(np.argmax(values))
            if values[i] > best_value:
                best, best_probabilities, best_value = candidates[i], probs[i], values[i]

    @staticmethod
    def _candidate(best, original, lower, upper, side, whole, rng) -> np.ndarray:
        """x_best with one s × s window moved to a fresh ±ε corner of the box (per channel)."""
        h, w, c = original.shape
        top, left = rng.integers(0, max(h - side, 0) + 1), rng.integers(0, max(w - side, 0) + 1)
        window = (slice(top, top + side), slice(left, left + side))
        candidate = best.copy()
        for _ in range(10):  # a window equal to what x_best already has would waste the query
            signs = rng.choice([-1.0, 1.0], size=(1, 1, c))
            candidate[window] = np.clip(original[window] + whole * signs, lower[window], upper[window])
            if not np.array_equal(candidate[window], best[window]):
                break
        return candidate


def transfer_start(surrogates: Sequence, original: np.ndarray, lower: np.ndarray, upper: np.ndarray, whole: float,
                   class_index: int, targeted: bool, loss: str) -> np.ndarray:
    """x₁ from the surrogates: momentum sign ascent on their summed objective, then every pixel at its corner."""
    from .losses import gradient_function  # TensorFlow only when there are surrogates

    steps = [gradient_function(model, loss, targeted) for model in surrogates]
    index = np.int32(class_index)
    x, momentum = original, np.zeros_like(original)
    for _ in range(TRANSFER_STEPS):
        gradient = sum(step(x, index)[1].numpy() for step in steps)
        momentum = TRANSFER_MOMENTUM * momentum + gradient / (np.abs(gradient).mean() + 1e-12)
        x = np.clip(x + whole / 4.0 * np.sign(momentum), lower, upper)
    lean = np.where(x >= original, 1.0, -1.0).astype(np.float32)
    return np.clip(original + whole * lean, lower, upper)
