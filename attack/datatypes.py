"""The project's plain records, without TensorFlow: a prediction, a step, a goal, a place in line and
a budget (a run's history and result are in attack/running/history.py, as plain). The engine makes them; the
app, the command line and the reports read them, and import them at the top of their modules.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from .inputs import labels

@dataclass(frozen=True)
class Prediction:
    index: int
    label: str
    probability: float

    def as_dict(self) -> dict:
        return {"index": self.index, "label": self.label, "probability": self.probability}


def top_k(probabilities: np.ndarray, k: int = 5) -> tuple[Prediction, ...]:
    """The k most probable classes, most probable first."""
    order = np.argsort(probabilities)[::-1][:k]
    return tuple(Prediction(int(i), labels.label(int(i)), float(probabilities[i])) for i in order)


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
    elapsed: float  # seconds of attack computation so far (a batched step counts 1/N for each run)
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


@dataclass(frozen=True)
class Place:
    """Where a waiting job stands: 1 is next; `seconds` is a rough estimate until it starts."""

    position: int
    seconds: float


@dataclass(frozen=True)
class Budget:
    """The most a run may take: steps (records after record 0) and seconds of the worker's time."""

    steps: int | None = None
    seconds: float | None = None
