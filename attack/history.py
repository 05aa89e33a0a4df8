"""Keep a run's step records cheaply: every scalar, and a bounded, evenly spaced set of frames.

A 1024 px image is ~3 MB a step, so keeping 3,000 steps of the tutorial's method whole would need
9 GB; the history keeps at most `max_frames` images (always the first and the latest).
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .attacks.base import StepRecord


@dataclass
class RunHistory:
    max_frames: int = 240
    steps: list[int] = field(default_factory=list)
    loss: list[float] = field(default_factory=list)
    target_probability: list[float] = field(default_factory=list)
    original_probability: list[float] = field(default_factory=list)
    gradient_linf: list[float] = field(default_factory=list)
    elapsed: list[float] = field(default_factory=list)
    frames: dict[int, np.ndarray] = field(default_factory=dict)  # step -> uint8 image
    first: StepRecord | None = None
    last: StepRecord | None = None
    _stride: int = 1

    def add(self, record: StepRecord) -> None:
        self.steps.append(record.step)
        self.loss.append(record.loss)
        self.target_probability.append(record.target_probability)
        self.original_probability.append(record.original_probability)
        self.gradient_linf.append(record.gradient_linf)
        self.elapsed.append(record.elapsed)
        if self.first is None:
            self.first = record
        if self.last is not None and self.last.step % self._stride != 0:
            self.frames.pop(self.last.step, None)  # the previous "latest" frame was off the stride
        self.last = record
        self.frames[record.step] = record.image
        if len(self.frames) > self.max_frames:
            self._stride *= 2
            self.frames = {s: f for s, f in self.frames.items()
                           if s % self._stride == 0 or s == record.step}

    @property
    def success(self) -> bool:
        return bool(self.last and self.last.success)

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

    def __len__(self) -> int:
        return len(self.steps)
