"""The robustness curve: the same attack at increasing ε, one verified run per level.

`sweep` is a generator so a caller can show progress and stop between levels (or, through
`on_step`, within one). Each point is measured on the saved PNG read back, like every run.
The levels run together, up to `batch_size` at a time in one batched step (runner.run_attacks);
points are still yielded in the order of the levels given.
"""
from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Callable, Iterator, Sequence

import numpy as np

from ..datatypes import StepRecord
from ..running.history import RunResult
from ..catalogue import entry
from ..plumbing.errors import SettingsError
from ..models import Classifier
from ..running.runner import DEFAULT_BATCH, run_attacks
from ..settings import RANGES, box_is_empty


@dataclass(frozen=True)
class SweepPoint:
    epsilon: float
    success: bool  # verified on the saved PNG (the main model's goal)
    steps: int
    seconds: float  # attack compute time
    target_probability: float  # NaN when untargeted
    original_probability: float
    top1_index: int
    top1_label: str
    linf: float
    l2: float
    psnr: float  # inf when nothing changed

    def as_dict(self) -> dict:
        d = asdict(self)
        for key in ("target_probability", "original_probability", "seconds", "l2", "psnr"):
            value = d[key]
            d[key] = None if (math.isnan(value) or math.isinf(value)) else round(value, 6)
        return d


# A sweep is one verified run per level: a dozen already draws the curve, and each costs a full attack.
MAX_LEVELS = 12
MAX_LEVELS_CHARS = 120  # twelve levels written out with room to spare ("0.5, 0.75, 1, 1.275, …")


def parse_levels(text: str) -> list[float]:
    """'0.5,1,2,4' -> [0.5, 1.0, 2.0, 4.0]: a person's list, bounded before it is read.

    At most MAX_LEVELS_CHARS characters and MAX_LEVELS distinct levels, each within RANGES["epsilon"]
    (the lab's ε range); repeats are dropped, the order kept. Raises SettingsError with a readable sentence."""
    if len(text) > MAX_LEVELS_CHARS:
        raise SettingsError.coded("sweep.too_long", limit=MAX_LEVELS_CHARS, length=len(text))
    try:
        levels = [float(part) for part in text.replace(" ", "").split(",") if part]
    except ValueError:
        raise SettingsError.coded("sweep.numbers", text=text) from None
    levels = list(dict.fromkeys(levels))  # NaN is never equal to itself, but is refused just below
    allowed = RANGES["epsilon"]
    for level in levels:
        if not (math.isfinite(level) and level in allowed):
            raise SettingsError.coded("sweep.out_of_range", level=f"{level:g}", allowed=str(allowed))
    check_levels(levels)
    return levels


def check_levels(levels: Sequence[float]) -> None:
    """Refuse an empty list, more than MAX_LEVELS levels, or a level that is not a positive finite number."""
    if not levels:
        raise SettingsError.coded("sweep.empty")
    if len(levels) > MAX_LEVELS:
        raise SettingsError.coded("sweep.too_many", limit=MAX_LEVELS, count=len(levels))
    if any(not (e > 0) or math.isinf(e) for e in levels):
        raise SettingsError.coded("sweep.positive")


def sweep(classifier: Classifier, image: np.ndarray, method: str, epsilon_levels: Sequence[float], *,
          on_step: Callable[[StepRecord], bool | None] | None = None, **settings) -> Iterator[SweepPoint]:
    """Run `method` once per ε (ascending order as given) and yield a verified point after each.

    `settings` are the attack's (target, max_steps, stop_at, eot_samples, ensemble, ...).
    """
    check_levels(epsilon_levels)
    if not entry(method).uses_epsilon:
        raise SettingsError.coded("sweep.no_epsilon", method=method)
    settings.pop("epsilon", None)
    batch_size = settings.pop("batch_size", DEFAULT_BATCH)

    def level(i: int) -> dict:
        epsilon = float(epsilon_levels[i])
        if box_is_empty(epsilon):
            # Below one level the 8-bit box is the original image itself: every step would evaluate
            # the same picture, so one step measures all there is to measure.
            return {"epsilon": epsilon, "max_steps": 1}
        return {"epsilon": epsilon}

    results: dict[int, RunResult] = {}
    emitted = 0
    for i, result in run_attacks(classifier, [image] * len(epsilon_levels), method, batch_size=batch_size,
                                 on_step_for=(lambda i: on_step) if on_step else None, settings_for=level,
                                 **settings):
        results[i] = result
        while emitted in results:
            yield sweep_point(float(epsilon_levels[emitted]), results.pop(emitted))
            emitted += 1


def sweep_point(epsilon: float, result: RunResult) -> SweepPoint:
    """One level's point, from its verified run."""
    v = result.verification
    return SweepPoint(
        epsilon=epsilon, success=v.success, steps=result.kept_step, seconds=result.seconds,
        target_probability=v.target_probability, original_probability=v.original_probability,
        top1_index=v.top5[0].index, top1_label=v.top5[0].label,
        linf=float(result.distances.linf), l2=float(result.distances.l2), psnr=float(result.distances.psnr))
