"""Keep a run's step records cheaply: every scalar, and a bounded, evenly spaced set of frames.

A 1024 px image is ~3 MB a step, so keeping 3,000 steps of the tutorial's method whole would need
9 GB. The history keeps at most `max_frames` images and at most `frame_budget` bytes of them
(`FRAME_BUDGET_BYTES`, the one per-run budget of the lab, the explorer, the tutorial and the CLI):
past either, it thins the frames to an evenly spaced subset, always with the first, the latest and
the best, and the run goes on. `trim` drops all but those three once a run is only a result.

"Best" is the step closest to the goal: a successful step first, then a step where the target is
the top-1 (targeted) or the original class is not (untargeted), then the highest target probability
or the lowest original-class probability. A run that is stopped, or runs out of steps, keeps that
step rather than whatever the last one happened to be.
Every step's top-5 is kept as well (a few numbers), so a finished run can be played back exactly
as it was drawn live without asking the model again (`record_at`).
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

import numpy as np

from ..datatypes import Prediction, StepRecord

if TYPE_CHECKING:  # an annotation only
    from .metrics import Distances

FRAME_BUDGET_BYTES = 64 * 2**20  # frames per run: 19 of a 1024 px square, 91 of a 600x400 photo
MAX_FRAMES = 240  # small images: more frames than this would not show more in a replay or a GIF

def closeness(record: StepRecord) -> tuple[bool, bool, float]:
    """How close a step is to the goal; larger is closer: success, then the goal's class on top (the
    target, or any class but the original), then the probability."""
    p = record.target_probability
    untargeted = p != p  # NaN target probability
    score = 1.0 - record.original_probability if untargeted else p
    top = record.top5[0].probability
    # A run that misses its confidence should still leave a file that reads as the target: a step with
    # the target on top at 40 % beats one at 45 % where another class is higher.
    on_top = top > record.original_probability if untargeted else top <= p
    # Rounded to the 6 places reports print: the same image evaluated by two compiled functions (the
    # clean pass, a batched step) differs in the last float bits, and that must not pick a step.
    return bool(record.success), bool(on_top), round(float(score), 6)


@dataclass
class RunHistory:
    max_frames: int = MAX_FRAMES
    frame_budget: int = FRAME_BUDGET_BYTES  # bytes of kept frames (and the latest step's cached perturbation)
    steps: list[int] = field(default_factory=list)
    loss: list[float] = field(default_factory=list)
    target_probability: list[float] = field(default_factory=list)
    original_probability: list[float] = field(default_factory=list)
    gradient_linf: list[float] = field(default_factory=list)
    elapsed: list[float] = field(default_factory=list)
    top5: list[tuple[Prediction, ...]] = field(default_factory=list)
    success_flags: list[bool] = field(default_factory=list)
    frames: dict[int, np.ndarray] = field(default_factory=dict)  # step -> uint8 image
    first: StepRecord | None = None
    last: StepRecord | None = None
    best: StepRecord | None = None  # the step closest to the goal (see `closeness`)
    _stride: int = 1

    def add(self, record: StepRecord) -> None:
        self.steps.append(record.step)
        self.loss.append(record.loss)
        self.target_probability.append(record.target_probability)
        self.original_probability.append(record.original_probability)
        self.gradient_linf.append(record.gradient_linf)
        self.elapsed.append(record.elapsed)
        self.top5.append(record.top5)
        self.success_flags.append(bool(record.success))
        if self.first is None:
            self.first = record
        if self.best is None or closeness(record) >= closeness(self.best):  # ties: the later step
            if self.best is not None and self.best.step % self._stride != 0 and self.best.step != self.first.step:
                self.frames.pop(self.best.step, None)  # the old best was only kept for being best
            self.best = record
        previous = self.last
        if previous is not None:
            # A live view caches the latest step's int16 perturbation on its record (twice the frame's
            # bytes); only the latest keeps it, or the first and best records would hold theirs for good.
            previous.__dict__.pop("perturbation", None)
            if previous.step % self._stride != 0 and previous is not self.best:
                self.frames.pop(previous.step, None)  # the previous "latest" frame was off the stride
        self.last = record
        self.frames[record.step] = record.image
        limit = self.frame_limit(record.image.nbytes)
        while len(self.frames) > limit:
            self._stride *= 2
            keep = {record.step, self.best.step, self.first.step}
            self.frames = {s: f for s, f in self.frames.items() if s % self._stride == 0 or s in keep}

    def frame_limit(self, frame_bytes: int) -> int:
        """How many frames of `frame_bytes` each fit the budget (never fewer than first, best and latest)."""
        # Two frames' worth stay free for the latest step's perturbation (int16) that a live view caches.
        return max(3, min(self.max_frames, self.frame_budget // max(frame_bytes, 1) - 2))

    @property
    def stored_bytes(self) -> int:
        """Bytes of the arrays this history keeps alive: frames, and the first, best and latest records."""
        arrays = list(self.frames.values())
        for record in (self.first, self.best, self.last):
            if record is not None:
                arrays += [record.image, record.__dict__.get("perturbation")]
        return sum(a.nbytes for a in {id(a): a for a in arrays if a is not None}.values())

    def trim(self) -> None:
        """Keep only the first, best and latest frames: for a result that is shown, never replayed."""
        keep = {r.step for r in (self.first, self.best, self.last) if r is not None}
        self.frames = {s: f for s, f in self.frames.items() if s in keep}
        for record in (self.first, self.best, self.last):
            if record is not None:
                record.__dict__.pop("perturbation", None)

    @property
    def success(self) -> bool:
        return bool(self.best and self.best.success)

    @property
    def best_target_probability(self) -> float:
        finite = [p for p in self.target_probability if p == p]
        return max(finite) if finite else float("nan")

    def frame_at(self, step: int) -> tuple[int, np.ndarray]:
        """The kept frame nearest to `step` (at or before it when possible)."""
        kept = sorted(self.frames)
        earlier = [s for s in kept if s <= step]
        chosen = earlier[-1] if earlier else kept[0]
        return chosen, self.frames[chosen]

    def record_at(self, step: int) -> StepRecord:
        """The step as it was recorded: its scalars and top-5, with the kept frame nearest to it.

        Nothing is recomputed, so a playback of a finished run never calls the model."""
        i = self.steps.index(step)
        frame_step, frame = self.frame_at(step)
        base = self.last if self.last is not None and self.last.step == step else self.first
        return replace(base, step=step, loss=self.loss[i], target_probability=self.target_probability[i],
                       original_probability=self.original_probability[i], top5=self.top5[i],
                       image=frame, gradient_linf=self.gradient_linf[i], elapsed=self.elapsed[i],
                       success=self.success_flags[i])

    def prefix(self, step: int) -> "RunHistory":
        """The run as it stood at `step` (scalars only, no frames): what a live chart showed then."""
        n = self.steps.index(step) + 1
        head = RunHistory(max_frames=self.max_frames, frame_budget=self.frame_budget, steps=self.steps[:n],
                          loss=self.loss[:n], target_probability=self.target_probability[:n],
                          original_probability=self.original_probability[:n],
                          gradient_linf=self.gradient_linf[:n], elapsed=self.elapsed[:n], top5=self.top5[:n],
                          success_flags=self.success_flags[:n], first=self.first)
        head.last = self.record_at(step)
        best = self.best if self.best is not None and self.best.step <= step else None
        head.best = best or max((self.record_at(s) for s in head.steps), key=closeness)
        return head

    def __len__(self) -> int:
        return len(self.steps)


@dataclass(frozen=True)
class Verification:
    """What the model says about the PNG bytes that were actually written."""

    png: bytes
    top5: tuple[Prediction, ...]
    target_probability: float
    original_probability: float
    success: bool


@dataclass(frozen=True)
class RunResult:
    method: str
    model: str
    epsilon: float
    target: int | None
    stop_at: float
    original: Prediction  # the clean image's top-1
    history: RunHistory
    verification: Verification
    distances: Distances

    @property
    def final(self) -> StepRecord:
        """The kept step: the one closest to the goal (the last one when the run succeeded)."""
        return self.history.best

    @property
    def kept_step(self) -> int:
        """The index of the kept step (`final`), not a count of steps."""
        return self.final.step

    @property
    def last_step(self) -> int:
        """The last step computed (later than `kept_step` when a stopped or failed run kept an earlier one)."""
        return self.history.last.step

    @property
    def seconds(self) -> float:
        """Attack time spent in all, up to the last step computed."""
        return self.history.last.elapsed

    @property
    def success(self) -> bool:
        return self.verification.success
