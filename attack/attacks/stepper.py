"""Many runs, one model call per step: continuous batching over `Attack.step`.

    stepper = Stepper(batch_size=8)
    a = stepper.add(attack, image)              # runs may use different attacks of one method:
    b = stepper.add(other_attack, other_image)  # ε, target, step size and budget are per run
    while stepper:
        for advance in stepper.step():          # one record per active run
            ... advance.run, advance.record, advance.done
        stepper.cancel(a)                       # a consumer may stop a run between steps

Up to `batch_size` runs are active; a finished or cancelled run leaves between steps and the next
waiting one joins, so the batch stays full. Runs whose attacks share a `step_key` (same method,
loss and model) and whose images have one size share one compiled step; other groups take their
own step in the same round. (Images of different sizes could share a step padded to the largest,
but on 2 cores that costs 1.2-1.4x per image of stepping them one by one: bench/bench_engine.py.)
Because every run's state is its own (attack/attacks/base.py), the records are those of the runs
made one at a time (up to float round-off in the batched network pass).

Attacks with a loop of their own (`own_loop`: Square's queries, JSMA's saliency pairs) have no
batched step; their runs take part in the same rounds, one record of their own generator each.
"""
from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from typing import Callable, Iterator, NamedTuple

import numpy as np

from ..datatypes import StepRecord
from .base import Attack, RunState
from .rounds import batches, start_together


class Advance(NamedTuple):
    run: int  # the id `add` returned
    record: StepRecord
    done: bool  # the run's last record (success, budget, or cancelled)


@dataclass
class _Run:
    id: int
    attack: Attack
    image: np.ndarray | Callable[[], np.ndarray]
    state: RunState | None = None
    cancelled: bool = False
    records: Iterator[StepRecord] | None = None  # an own-loop attack's generator
    pending: StepRecord | None = None  # its next record, read one ahead to know which is the last

    @property
    def finished(self) -> bool:
        return self.pending is None if self.records is not None else self.state.finished


class Stepper:
    """Advance many attack runs together, `batch_size` at a time (see the module docstring)."""

    def __init__(self, batch_size: int = 8):
        if batch_size < 1:
            raise ValueError("The batch size must be at least 1.")
        self.batch_size = int(batch_size)
        self._waiting: deque[_Run] = deque()
        self._active: list[_Run] = []
        self._next_id = 0

    def add(self, attack: Attack, image: np.ndarray | Callable[[], np.ndarray]) -> int:
        """Queue a run (the image, or a function that loads it when the run joins); returns its id."""
        run = _Run(self._next_id, attack, image)
        self._next_id += 1
        self._waiting.append(run)
        return run.id

    def cancel(self, run_id: int) -> None:
        """Stop a run: it takes no further step (a waiting one never starts)."""
        for run in (*self._active, *self._waiting):
            if run.id == run_id:
                run.cancelled = True
        self._waiting = deque(r for r in self._waiting if not r.cancelled)
        self._active = [r for r in self._active if not r.cancelled]

    def __len__(self) -> int:
        return len(self._active) + len(self._waiting)

    def _join(self) -> None:
        """Let waiting runs join up to the batch size; the batched ones start together (rounds.py)."""
        joining = []
        while self._waiting and len(self._active) < self.batch_size:
            run = self._waiting.popleft()
            image = run.image() if callable(run.image) else run.image
            if run.attack.entry.own_loop:
                run.records = iter(run.attack.run(image))
                run.pending = next(run.records, None)
            else:
                joining.append((run, image))
            run.image = None
            self._active.append(run)
        for (run, _), started in zip(joining, start_together([(r.attack, image) for r, image in joining])):
            if isinstance(started, Exception):
                raise started  # the batch runner has no one else to protect: the caller sees the error
            run.state = started

    def step(self) -> list[Advance]:
        """One step for every active run (after letting waiting runs join); one Advance per run."""
        self._join()
        advances = []
        for runs in batches(self._active):
            if runs[0].records is None:
                records = runs[0].attack.step([r.state for r in runs])
                advances += [Advance(r.id, rec, r.state.finished) for r, rec in zip(runs, records)]
            elif runs[0].pending is not None:
                (run,) = runs
                record, run.pending = run.pending, next(run.records, None)
                advances.append(Advance(run.id, record, run.pending is None))
        self._active = [r for r in self._active if not r.finished]
        return advances
