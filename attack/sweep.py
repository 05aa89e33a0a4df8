"""The robustness curve: the same attack at increasing ε, one verified run per level.

`sweep` is a generator so a caller can show progress and stop between levels (or, through
`on_step`, within one). Each point is measured on the saved PNG read back, like every run.
"""
from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Callable, Iterator, Sequence

import numpy as np

from .attacks.base import StepRecord
from .models import Classifier
from .runner import run_attack


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


def parse_levels(text: str) -> list[float]:
    """'0.5,1,2,4' -> [0.5, 1.0, 2.0, 4.0]; raises ValueError with a readable sentence."""
    try:
        levels = [float(part) for part in text.replace(" ", "").split(",") if part]
    except ValueError:
        raise ValueError(f"ε levels must be numbers separated by commas, like 0.5,1,2,4 (got “{text}”).") from None
    check_levels(levels)
    return levels


def check_levels(levels: Sequence[float]) -> None:
    if not levels:
        raise ValueError("Give at least one ε level.")
    if any(not (e > 0) or math.isinf(e) for e in levels):
        raise ValueError("Every ε level must be a positive number of pixel levels.")


def sweep(classifier: Classifier, image: np.ndarray, method: str, epsilon_levels: Sequence[float], *,
          on_step: Callable[[StepRecord], bool | None] | None = None, **settings) -> Iterator[SweepPoint]:
    """Run `method` once per ε (ascending order as given) and yield a verified point after each.

    `settings` are the attack's (target, max_steps, stop_at, eot_samples, ensemble, ...).
    """
    check_levels(epsilon_levels)
    from .attacks import METHODS

    if not getattr(METHODS.get(method), "uses_epsilon", True):
        raise ValueError(f"{method} does not use ε (it limits how many pixels change), "
                         "so a sweep over ε would repeat one run.")
    settings.pop("epsilon", None)
    for epsilon in epsilon_levels:
        level_settings = dict(settings)
        if math.floor(epsilon + 1e-9) == 0:
            # Below one level the 8-bit box is the original image itself: every step would evaluate
            # the same picture, so one step measures all there is to measure.
            level_settings["max_steps"] = 1
        result = run_attack(classifier, image, method, on_step=on_step, epsilon=float(epsilon), **level_settings)
        v = result.verification
        yield SweepPoint(
            epsilon=float(epsilon), success=v.success, steps=result.steps, seconds=result.seconds,
            target_probability=v.target_probability, original_probability=v.original_probability,
            top1_index=v.top5[0].index, top1_label=v.top5[0].label,
            linf=float(result.distances.linf), l2=float(result.distances.l2), psnr=float(result.distances.psnr))
