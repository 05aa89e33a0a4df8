"""One worker for all the model work of a server: a single thread steps every run, in turns.

A room of people pressing Attack at once must not mean a room of threads fighting over two cores,
and one visitor must not be able to take the room's turn. `StepWorker` owns the stepping of all runs
in one process. `submit` hands it an attack run and returns a `Job`, an iterator of the run's
StepRecords for whoever started it (the lab's live loop reads it just as it read the attack's own
generator); `submit_steps` takes any iterator of results (a tutorial replay, robustness checks), and
`call` runs one function there and returns its value (a verification, a clean classification).

Kinds of work:
- **runs** (attacks, replays, ε levels) are admitted up to `capacity` at a time; later ones wait in a
  line ordered by priority (the operator's first), then by arrival. With `riders`, a waiting run that
  can join a batch already stepping (same method, model and image size) is admitted at once, up to
  `batch_limit` runs a batch and `riders` in all. At most `per_owner` runs of one owner (a session)
  are active; its others wait.
- **tasks** (`call`) are one step long and admitted at once;
- **background** work (the checks after a result) is admitted at once, but while runs are active only
  one background job takes a step per round, so checks never delay anybody's verdict.

Fairness: active runs step round-robin, one step each per round (runs of one method on images of one
size share one model call: see `_step_round`). When runs wait for a slot, an audience run that has
held one for `quantum` seconds goes back to the end of the line with its state kept (time slicing),
so a queued run gets steps within seconds, not after the long ones end. An audience run that has used
more than `fresh_seconds` of the worker is *long*: while fresh runs step, the long ones share one
step a round, so hopeless runs left going cannot slow everyone else's (short) attacks. Every run may carry a
`Budget` in steps and in worker seconds (its share of the steps it was in); a run that reaches it
ends as if finished, and `Job.ended_by` says why.

Safety: a reader that stops reading (tab closed) for `idle_timeout` s loses its run, in line or
active; closing a job or losing every reference to it cancels it at once. Cancelling only marks the
run, so it cannot corrupt the line whatever thread (or garbage collection) it fires on. A batched
step that raises is retried run by run, so only the faulty run fails; any other unexpected error is
logged, ends the runs it concerns with that error, and the loop goes on. A reader never waits for
ever: a worker thread that died is started again by the next reader.
"""
from __future__ import annotations

import itertools
import logging
import math
import threading
import time
from typing import Any, Callable, Iterator

import numpy as np

from ..attacks.rounds import batches, start_together
from ..datatypes import Budget, Place
from .jobs import AUDIENCE, OPERATOR, Job, WorkerBusy, WorkerRun, check_can_change
from .line import Line

# What callers import from here: the worker, its handles and priorities.
__all__ = ["StepWorker", "Job", "WorkerBusy", "check_can_change", "Budget", "Place", "OPERATOR", "AUDIENCE"]

_DONE = object()  # a run's steps are exhausted

log = logging.getLogger(__name__)


class StepWorker(Line):
    """See the module docstring. One per process (the app caches one)."""

    def __init__(self, *, capacity: int = 4, queue_limit: int = 100, buffer: int = 16,
                 idle_timeout: float = 60.0, riders: int = 0, batch_limit: int = 8, per_owner: int = 1,
                 quantum: float = 3.0, fresh_seconds: float | None = 2.0, clock: Callable[[], float] = time.monotonic, autostart: bool = True):
        if capacity < 1 or queue_limit < 0 or buffer < 1 or riders < 0 or batch_limit < 1 or per_owner < 1:
            raise ValueError("capacity, buffer, batch_limit and per_owner must be at least 1, "
                             "queue_limit and riders at least 0")
        self.capacity, self.queue_limit, self.buffer, self.idle_timeout = capacity, queue_limit, buffer, idle_timeout
        self.riders, self.batch_limit, self.per_owner, self.quantum = riders, batch_limit, per_owner, quantum
        self.fresh_seconds = fresh_seconds
        self.clock = clock
        # One mutex; the worker thread waits on `_wakeup`, each reader on its own run's condition, so a
        # step wakes only the readers it concerns.
        self._mutex = threading.RLock()  # re-entrant: a Job finalizer may run (GC) while this thread holds it
        self._wakeup = threading.Condition(self._mutex)
        self._active: list[WorkerRun] = []
        self._waiting: list[WorkerRun] = []  # the line, kept in admission order (see _line_key)
        self._numbers = itertools.count(1)
        self._run_seconds = 8.0  # running mean of a run's time in the active set (seeds the estimate)
        self._background_turn = self._long_turn = 0
        self._admitting = False
        self._thread: threading.Thread | None = None
        self._stopping = False
        self._closing: list = []  # generators of cancelled runs, for the worker thread to close
        self.autostart = autostart  # False: nothing is stepped until start() (tests line runs up first)

    # --- the caller's side ----------------------------------------------------------------------
    def submit(self, attack, image: np.ndarray, *, owner: object = None, priority: int = AUDIENCE,
               budget: Budget | None = None) -> Job:
        """Queue one run of `attack` on `image`; raises WorkerBusy when the line is full, SettingsError
        when the run could change nothing."""
        check_can_change(attack)
        options = dict(owner=owner, priority=priority, budget=budget)
        if not attack.entry.own_loop:
            # The engine's batched-step API: runs with one step key share a model call (Square and
            # JSMA, whose `run` is a loop of their own, and plain iterators take their own turns).
            return self._queue(WorkerRun(None, attack, image, group=(attack.step_key, tuple(np.shape(image)[:2]))),
                               **options)
        return self._queue(WorkerRun(attack.run(image)), **options)

    def submit_steps(self, steps: Iterator[Any], *, kind: str = "run", owner: object = None,
                     priority: int = AUDIENCE, budget: Budget | None = None) -> Job:
        """Queue any iterator of results (what `attack.run(image)` returns, a replay, checks...)."""
        if kind not in ("run", "task", "background"):
            raise ValueError(f"unknown kind {kind!r}")
        return self._queue(WorkerRun(steps, kind=kind), owner=owner, priority=priority, budget=budget)

    def call(self, function: Callable[..., Any], *args, priority: int = AUDIENCE, **kwargs) -> Any:
        """Run `function(*args, **kwargs)` on the worker thread and return its value (or raise its error)."""
        def once():
            yield function(*args, **kwargs)

        job = self.submit_steps(once(), kind="task", priority=priority)
        try:
            return next(job)
        finally:
            job.close()

    def _queue(self, run: WorkerRun, *, owner, priority: int, budget: Budget | None) -> Job:
        with self._mutex:
            if (run.kind == "run" and len(self._waiting) >= self.queue_limit
                    and len(self._active) >= self.capacity):
                raise WorkerBusy.coded("worker.busy", waiting=len(self._waiting))
            now = self.clock()
            run.owner, run.priority, run.budget = owner, priority, budget or Budget()
            run.submitted, run.last_read, run.number = now, now, next(self._numbers)
            run.changed = threading.Condition(self._mutex)
            self._waiting.append(run)
            self._admit()
            if self.autostart:
                self._ensure_thread()
            self._wakeup.notify_all()
        return Job(self, run)

    @property
    def load(self) -> tuple[int, int]:
        """(active runs, waiting runs), counting attack runs only."""
        with self._mutex:
            return (sum(r.kind == "run" and not r.over for r in self._active),
                    sum(not r.over for r in self._waiting))

    def _take(self, run: WorkerRun, timeout: float | None):
        # Waits are measured in real time; `clock` (which tests may fake) only schedules.
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._mutex:
            while True:
                run.last_read = self.clock()
                if run.records:
                    record = run.records.popleft()
                    self._wakeup.notify_all()  # room in the buffer again
                    return record
                if run.error is not None:
                    raise run.error
                if run.over:
                    raise StopIteration
                if self.autostart and not self._stopping:
                    self._ensure_thread()  # a reader never waits on a thread that is gone
                left = 1.0 if deadline is None else deadline - time.monotonic()
                if left <= 0:
                    return None
                self._wait(run, min(left, 1.0))

    def _is_waiting(self, run: WorkerRun) -> bool:
        with self._mutex:
            return not run.over and run in self._waiting

    def _place(self, run: WorkerRun) -> Place | None:
        with self._mutex:
            run.last_read = self.clock()
            if run.over or run not in self._waiting:
                return None
            ahead = [r for r in self._waiting if not r.over and r.kind == "run"]
            position = ahead.index(run) + 1 if run in ahead else 1
            # Runs ahead of it get slots as others finish or their turn ends: ~ position/capacity turns.
            turn = min(self._run_seconds, self.quantum) if self.quantum else self._run_seconds
            return Place(position, math.ceil(position / self.capacity) * turn)

    def _wait_admitted(self, run: WorkerRun, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        with self._mutex:
            while run in self._waiting and not run.over and (left := deadline - time.monotonic()) > 0:
                self._wait(run, min(left, 1.0))
            run.last_read = self.clock()
            return run not in self._waiting or run.over

    def _wait(self, run: WorkerRun, seconds: float) -> None:
        """A reader's wait for news of its run. Caller holds the lock."""
        run.readers += 1
        try:
            run.changed.wait(seconds)
        finally:
            run.readers -= 1
            run.last_read = self.clock()

    def _cancel(self, run: WorkerRun) -> None:
        """Mark the run cancelled; the line and the active set drop it on the worker's next look.
        Only flags and notifications here: this may fire from a finalizer in the middle of `_admit`."""
        with self._mutex:
            if not run.over:
                run.cancelled, run.ended_by = True, run.ended_by or "cancelled"
            if not self._admitting:  # free its place now, unless this fired inside an admission
                self._admit()
            run.changed.notify_all()
            self._wakeup.notify_all()

    # --- the worker thread ------------------------------------------------------------------------
    def start(self) -> None:
        """Start the worker thread now (it also starts with the first submitted run)."""
        with self._mutex:
            self.autostart = True
            self._ensure_thread()

    def _ensure_thread(self) -> None:
        if self._thread is None or not self._thread.is_alive():
            self._stopping = False
            self._thread = threading.Thread(target=self._loop, name="attack-worker", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        """End the worker thread (tests); runs still active are cancelled."""
        with self._mutex:
            self._stopping = True
            for run in [*self._active, *self._waiting]:
                run.cancelled = True
                run.changed.notify_all()
            self._wakeup.notify_all()
        if self._thread is not None:
            self._thread.join(10)

    def _loop(self) -> None:
        while True:
            ready: list[WorkerRun] = []
            try:
                with self._mutex:
                    ready = self._ready()
                    while not ready and not self._stopping:
                        self._wakeup.wait(5.0 if not self._active and not self._waiting else 0.5)
                        ready = self._ready()
                    if self._stopping:
                        for run in list(self._active):
                            self._retire(run, self.clock())
                    closing, self._closing = self._closing, []
                for steps in closing:  # the generator's cleanup, never while another thread steps it
                    self._close_steps(steps)
                if self._stopping:
                    return
                self._step_round(ready)
            # Any exception, on purpose: this thread serves every visitor, so it must outlive a bug.
            except Exception as error:  # noqa: BLE001 — logged; the runs of that round end with the error
                log.exception("the attack worker's round failed")
                with self._mutex:
                    for run in ready:
                        self._fail(run, error)

    @staticmethod
    def _close_steps(steps) -> None:
        close = getattr(steps, "close", None)
        if close is None:
            return
        try:
            close()
        except Exception:  # noqa: BLE001 — a generator's cleanup failing must not stop the worker
            log.exception("closing a cancelled run failed")

    def _fail(self, run: WorkerRun, error: BaseException) -> None:
        """End one run with an error for its reader. Caller holds the lock."""
        if not run.over:
            run.error, run.finished = error, True
        run.changed.notify_all()

    def _start(self, runs: list[WorkerRun]) -> None:
        """Start batched-step runs together (attack/attacks/rounds.py); a run that fails to start ends
        with its own error and the others start."""
        for run, started in zip(runs, start_together([(r.attack, r.image) for r in runs])):
            if isinstance(started, Exception):
                with self._mutex:
                    self._fail(run, started)
            else:
                run.state = started

    def _step_round(self, runs: list[WorkerRun]) -> None:
        """One step for each run, outside the lock. Runs sharing a batch key and an image size step in
        one model call."""
        starting = [r for r in runs if r.steps is None and r.state is None and r.attack is not None]
        if starting:  # runs that start now are classified together, then take their first step below
            self._start(starting)
        stepping = [r for r in runs if not r.over and (r.steps is not None or r.state is not None)]
        for group in batches(stepping):  # leaves out runs that failed to start, or were cancelled
            self._step_group(group)

    def _step_group(self, group: list[WorkerRun]) -> None:
        began = time.perf_counter()
        try:
            produced = self._produce(group)
        except Exception as error:  # noqa: BLE001 — a batch that fails is retried run by run
            if len(group) == 1:
                with self._mutex:
                    self._fail(group[0], error)
                return
            for run in group:
                self._step_group([run])
            return
        share = (time.perf_counter() - began) / len(group)
        with self._mutex:
            for run, record in produced:
                run.seconds += share
                if record is _DONE:
                    run.finished = True
                elif not run.cancelled:
                    run.records.append(record)
                    run.produced += 1
                    if run.state is not None and run.state.finished:
                        run.finished = True
                    self._apply_budget(run)
                run.changed.notify_all()

    @staticmethod
    def _produce(group: list[WorkerRun]) -> list[tuple[WorkerRun, Any]]:
        first = group[0]
        if first.steps is not None:
            return [(first, next(first.steps, _DONE))]
        return list(zip(group, first.attack.step([r.state for r in group])))

    @staticmethod
    def _apply_budget(run: WorkerRun) -> None:
        budget = run.budget
        if run.finished:
            return
        if budget.steps is not None and run.produced > budget.steps:  # record 0 is not a step
            run.finished, run.ended_by = True, "budget.steps"
        elif budget.seconds is not None and run.seconds >= budget.seconds:
            run.finished, run.ended_by = True, "budget.seconds"
