"""What training one sticker and training one universal noise share: their bounds, the step loop, and
which record is the best so far.

Both trainings are generators of records (attack/physical/sticker.py, attack/physical/universal.py), like the attacks:
one record per step, the held-out success every `eval_every` steps and at the last one. A record is
`best` when it is the one to keep if the run stopped now: the highest held-out success so far (a tie
goes to the later record, trained longer); without held-out photos, the latest (one batch's loss is
too noisy to choose by).

Nothing here imports TensorFlow.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterator, Sequence

import numpy as np
from PIL import Image

from ..plumbing.errors import SettingsError

MAX_STEPS = 20_000
MAX_BATCH = 64
MAX_PHOTOS = 2_000  # photos held at the model's input size: 2,000 × 224² × 3 bytes = 0.3 GB
MAX_HELD_OUT = 1_000


@dataclass(frozen=True)
class Tick:
    """One step of a training loop: its loss, the held-out success when evaluated, and whether it is the best."""

    step: int
    loss: float
    success: float | None
    best: bool


def check_range(name: str, value: float, low: float, high: float) -> None:
    """Refuse a setting outside [low, high] (or not a number) with one sentence naming it."""
    if not (isinstance(value, (int, float)) and not isinstance(value, bool) and low <= value <= high):
        raise SettingsError.coded("training.range", name=name, low=low, high=high, value=value)


def check_target(target: int | None) -> None:
    if target is not None and not (isinstance(target, (int, np.integer)) and 0 <= int(target) < 1000):
        raise SettingsError.coded("training.target", value=target)


def check_run(photos: Sequence, held_out: Sequence | None, *, steps: int, batch: int, eval_every: int,
              seed: int) -> None:
    """The bounds every training run is checked against before any work."""
    check_range("steps", steps, 1, MAX_STEPS)
    check_range("batch", batch, 1, MAX_BATCH)
    check_range("eval_every", eval_every, 1, MAX_STEPS)
    check_range("seed", seed, 0, 2**31 - 1)
    if not len(photos):
        raise SettingsError.coded("training.no_photos")
    if len(photos) > MAX_PHOTOS:
        raise SettingsError.coded("training.too_many_photos", count=len(photos), limit=MAX_PHOTOS)
    if held_out is not None and len(held_out) > MAX_HELD_OUT:
        raise SettingsError.coded("training.too_many_photos", count=len(held_out), limit=MAX_HELD_OUT)


def as_array(photo: np.ndarray | Image.Image) -> np.ndarray:
    """An H × W × 3 uint8 array from an array or a Pillow image."""
    if isinstance(photo, Image.Image):
        return np.asarray(photo.convert("RGB"))
    return np.asarray(photo, dtype=np.uint8)


def run_loop(steps: int, eval_every: int, advance: Callable[[int], float],
             evaluate: Callable[[], float] | None) -> Iterator[Tick]:
    """Call `advance(step)` (one training step, returns its loss) for steps 1..steps, and `evaluate()`
    every `eval_every` steps and at the last; yield one Tick per step."""
    best_success = -1.0
    for step in range(1, steps + 1):
        loss = float(advance(step))
        success = None
        if evaluate is not None and (step % eval_every == 0 or step == steps):
            success = float(evaluate())
        if evaluate is None:
            best = True
        else:
            best = success is not None and success >= best_success
            if best:
                best_success = success
        yield Tick(step, loss, success, best)


def batch_indices(rng: np.random.Generator, count: int, batch: int) -> np.ndarray:
    """`batch` photo indices, without repeats while there are enough photos."""
    return rng.choice(count, size=batch, replace=batch > count)
