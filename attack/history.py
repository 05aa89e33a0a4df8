"""Keep a run's step records cheaply: every scalar, and a bounded, evenly spaced set of frames.

A 1024 px image is ~3 MB a step, so keeping 3,000 steps of the tutorial's method whole would need
9 GB; the history keeps at most `max_frames` images (always the first, the latest and the best).

"Best" is the step closest to the goal: a successful step first, then the highest target
probability (targeted) or the lowest original-class probability (untargeted). A run that is
stopped, or runs out of steps, keeps that step rather than whatever the last one happened to be.
Every step's top-5 is kept as well (a few numbers), so a finished run can be played back exactly
as it was drawn live without asking the model again (`record_at`).
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np

from .attacks.base import StepRecord
from .models import Prediction


def closeness(record: StepRecord) -> tuple[bool, float]:
    """How close a step is to the goal; larger is closer (success outranks any probability)."""
    p = record.target_probability
    score = p if p == p else 1.0 - record.original_probability  # NaN target probability: untargeted
    # Rounded to the 6 places reports print: the same image evaluated by two compiled functions (the
    # clean pass, a batched step) differs in the last float bits, and that must not pick a step.
    return bool(record.success), round(float(score), 6)


@dataclass
class RunHistory:
    max_frames: int = 240
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
        if previous is not None and previous.step % self._stride != 0 and previous is not self.best:
            self.frames.pop(previous.step, None)  # the previous "latest" frame was off the stride
        self.last = record
        self.frames[record.step] = record.image
        if len(self.frames) > self.max_frames:
            self._stride *= 2
            keep = {record.step, self.best.step, self.first.step}
            self.frames = {s: f for s, f in self.frames.items() if s % self._stride == 0 or s in keep}

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
        head = RunHistory(max_frames=self.max_frames, steps=self.steps[:n], loss=self.loss[:n],
                          target_probability=self.target_probability[:n],
                          original_probability=self.original_probability[:n],
                          gradient_linf=self.gradient_linf[:n], elapsed=self.elapsed[:n], top5=self.top5[:n],
                          success_flags=self.success_flags[:n], first=self.first)
        head.last = self.record_at(step)
        best = self.best if self.best is not None and self.best.step <= step else None
        head.best = best or max((self.record_at(s) for s in head.steps), key=closeness)
        return head

    def __len__(self) -> int:
        return len(self.steps)

