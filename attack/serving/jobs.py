"""A job on the shared worker (attack/serving/worker.py): the worker's record of one run, and the caller's handle.

`Job` is what `StepWorker.submit` hands back: iterate it for the run's records, `close()` to cancel.
`WorkerRun` is the worker's side of it (its steps, the records not yet read, its place and budget).
"""
from __future__ import annotations

import collections
import threading
import weakref
from dataclasses import dataclass, field
from typing import Any, Iterator, Protocol

import numpy as np

from ..datatypes import Budget, Place
from ..plumbing.errors import SettingsError, UserError
from ..settings import box_is_empty

OPERATOR, AUDIENCE = 0, 1  # priorities: lower goes first


class WorkerBusy(UserError, RuntimeError):
    """The queue is full: the caller should ask the user to try again shortly."""

    code = "worker"



def check_can_change(attack) -> None:
    """Refuse a run whose ε box is empty on the 8-bit grid: every step would run and change nothing."""
    if attack.entry.uses_epsilon and box_is_empty(attack.epsilon):
        raise SettingsError.coded("settings.epsilon_below_level", epsilon=attack.epsilon)


@dataclass(eq=False)
class WorkerRun:
    """The worker's side of a job: the attack's steps, the records not yet read, and bookkeeping."""

    steps: Iterator[Any] | None  # the attack's generator (None: a batched-step run)
    attack: object = None
    image: np.ndarray | None = None  # batched-step runs start on the worker thread
    state: object = None  # the engine's per-run state where the attack steps batches of runs
    kind: str = "run"  # run | task | background
    owner: object = None
    priority: int = AUDIENCE
    budget: Budget = field(default_factory=Budget)
    records: collections.deque = field(default_factory=collections.deque)
    finished: bool = False
    cancelled: bool = False
    ended_by: str | None = None  # "budget.steps" | "budget.seconds" | "idle" | "cancelled"
    error: BaseException | None = None
    submitted: float = 0.0
    started: float | None = None  # first admitted
    slice_started: float = 0.0  # admitted (again) for the current turn
    last_read: float = 0.0
    readers: int = 0  # threads blocked reading it right now (a run with one is never idle)
    number: int = 0
    produced: int = 0  # records produced
    seconds: float = 0.0  # worker time spent on its steps (a batched step counts 1/N)
    group: tuple | None = None  # (step key, image size): runs that can share a batch (None: steps alone)
    changed: threading.Condition | None = None  # notified when this run has news for its reader
    rider: bool = False  # admitted beyond capacity to join its group's batch (takes no slot)

    @property
    def over(self) -> bool:
        return self.cancelled or self.finished


class Server(Protocol):
    """What a `Job` asks of the worker that made it (attack/serving/worker.py's `StepWorker`)."""

    def _take(self, run: WorkerRun, timeout: float | None): ...
    def _is_waiting(self, run: WorkerRun) -> bool: ...
    def _place(self, run: WorkerRun) -> Place | None: ...
    def _wait_admitted(self, run: WorkerRun, timeout: float) -> bool: ...
    def _cancel(self, run: WorkerRun) -> None: ...


class Job:
    """The caller's handle: iterate it for the run's records; `close()` cancels the run."""

    def __init__(self, worker: Server, run: WorkerRun):
        self._worker, self._run = worker, run
        # A handle that is garbage-collected (its session is gone) cancels its run.
        self._finalizer = weakref.finalize(self, worker._cancel, run)

    def __iter__(self) -> "Job":
        return self

    def __next__(self):
        record = self.next(timeout=None)
        if record is None:  # cannot happen without a timeout; kept for type checkers
            raise StopIteration
        return record

    def next(self, timeout: float | None):
        """The next record, waiting at most `timeout` s (None if none came); StopIteration at the end."""
        return self._worker._take(self._run, timeout)

    @property
    def waiting(self) -> bool:
        """In the line (not yet admitted, or sent back to it for a turn)."""
        return self._worker._is_waiting(self._run)

    @property
    def ended_by(self) -> str | None:
        """Why the run ended early: "budget.steps", "budget.seconds", "idle", "cancelled" (None: it finished)."""
        return self._run.ended_by

    @property
    def budget(self) -> Budget:
        return self._run.budget

    def place(self) -> Place | None:
        """Position in the line and an estimate of the wait, or None while the run is stepping."""
        return self._worker._place(self._run)

    def wait_admitted(self, timeout: float) -> bool:
        """Block up to `timeout` s until the run is admitted (or ended); True when it no longer waits."""
        return self._worker._wait_admitted(self._run, timeout)

    def close(self) -> None:
        """Cancel the run (Stop): it leaves the line or the active set before its next step."""
        self._finalizer()
