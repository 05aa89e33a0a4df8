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

import collections
import itertools
import logging
import math
import threading
import time
import weakref
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator

import numpy as np

from .attacks.rounds import batches, start_together
from .datatypes import Budget, Place
from .errors import SettingsError, UserError
from .settings import box_is_empty

log = logging.getLogger(__name__)

OPERATOR, AUDIENCE = 0, 1  # priorities: lower goes first


class WorkerBusy(UserError, RuntimeError):
    """The queue is full: the caller should ask the user to try again shortly."""

    code = "worker"


_DONE = object()


def check_can_change(attack) -> None:
    """Refuse a run whose ε box is empty on the 8-bit grid: every step would run and change nothing."""
    if attack.entry.uses_epsilon and box_is_empty(attack.epsilon):
        raise SettingsError.coded("settings.epsilon_below_level", epsilon=attack.epsilon)


@dataclass(eq=False)
class _Run:
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


class Job:
    """The caller's handle: iterate it for the run's records; `close()` cancels the run."""

    def __init__(self, worker: "StepWorker", run: _Run):
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


class StepWorker:
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
        self._active: list[_Run] = []
        self._waiting: list[_Run] = []  # the line, kept in admission order (see _line_key)
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
            return self._queue(_Run(None, attack, image, group=(attack.step_key, tuple(np.shape(image)[:2]))),
                               **options)
        return self._queue(_Run(attack.run(image)), **options)

    def submit_steps(self, steps: Iterator[Any], *, kind: str = "run", owner: object = None,
                     priority: int = AUDIENCE, budget: Budget | None = None) -> Job:
        """Queue any iterator of results (what `attack.run(image)` returns, a replay, checks...)."""
        if kind not in ("run", "task", "background"):
            raise ValueError(f"unknown kind {kind!r}")
        return self._queue(_Run(steps, kind=kind), owner=owner, priority=priority, budget=budget)

    def call(self, function: Callable[..., Any], *args, priority: int = AUDIENCE, **kwargs) -> Any:
        """Run `function(*args, **kwargs)` on the worker thread and return its value (or raise its error)."""
        def once():
            yield function(*args, **kwargs)

        job = self.submit_steps(once(), kind="task", priority=priority)
        try:
            return next(job)
        finally:
            job.close()

    def _queue(self, run: _Run, *, owner, priority: int, budget: Budget | None) -> Job:
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

    def _take(self, run: _Run, timeout: float | None):
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

    def _is_waiting(self, run: _Run) -> bool:
        with self._mutex:
            return not run.over and run in self._waiting

    def _place(self, run: _Run) -> Place | None:
        with self._mutex:
            run.last_read = self.clock()
            if run.over or run not in self._waiting:
                return None
            ahead = [r for r in self._waiting if not r.over and r.kind == "run"]
            position = ahead.index(run) + 1 if run in ahead else 1
            # Runs ahead of it get slots as others finish or their turn ends: ~ position/capacity turns.
            turn = min(self._run_seconds, self.quantum) if self.quantum else self._run_seconds
            return Place(position, math.ceil(position / self.capacity) * turn)

    def _wait_admitted(self, run: _Run, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        with self._mutex:
            while run in self._waiting and not run.over and (left := deadline - time.monotonic()) > 0:
                self._wait(run, min(left, 1.0))
            run.last_read = self.clock()
            return run not in self._waiting or run.over

    def _wait(self, run: _Run, seconds: float) -> None:
        """A reader's wait for news of its run. Caller holds the lock."""
        run.readers += 1
        try:
            run.changed.wait(seconds)
        finally:
            run.readers -= 1
            run.last_read = self.clock()

    def _cancel(self, run: _Run) -> None:
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

    @staticmethod
    def _line_key(run: _Run) -> tuple:
        return run.priority, run.number

    def _admit(self) -> None:
        """Drop what is over, then admit from the line: tasks and background work at once; a run that
        can join a batch already stepping rides along; any other run takes a free slot, by priority
        and arrival, at most `per_owner` active per owner. Caller holds the lock."""
        self._admitting = True
        try:
            self._admit_now()
        finally:
            self._admitting = False

    def _admit_now(self) -> None:
        now = self.clock()
        for run in [r for r in self._active if r.over]:
            self._retire(run, now)
        for run in [r for r in self._waiting if r.over]:
            self._waiting.remove(run)
            self._close_later(run)
        self._waiting.sort(key=self._line_key)
        runs = [r for r in self._active if r.kind == "run"]
        slotted = sum(not r.rider for r in runs)
        riding = len(runs) - slotted
        sizes = collections.Counter(r.group for r in runs if r.group is not None)
        owners = collections.Counter(r.owner for r in runs if r.owner is not None)
        for run in list(self._waiting):
            if run.over or run not in self._waiting:
                continue  # cancelled meanwhile (a finalizer may fire during this loop)
            if run.kind == "run":
                if run.owner is not None and owners[run.owner] >= self.per_owner:
                    continue  # its session already has a run stepping
                if riding < self.riders and run.group is not None and 0 < sizes[run.group] < self.batch_limit:
                    run.rider, riding = True, riding + 1  # joins a batch already stepping
                elif slotted < self.capacity or run.priority == OPERATOR:
                    run.rider, slotted = False, slotted + 1  # the operator never waits for a slot
                else:
                    continue
                sizes[run.group] += 1
                owners[run.owner] += 1
            self._waiting.remove(run)
            self._enter(run, now)

    def _enter(self, run: _Run, now: float) -> None:
        if run.started is None:
            run.started = now
        run.slice_started, run.last_read = now, now  # the idle clock starts when its steps can start
        self._active.append(run)
        run.changed.notify_all()  # wake whoever waits for this admission

    def _retire(self, run: _Run, now: float) -> None:
        self._active.remove(run)
        if run.finished and run.started is not None and run.kind == "run":
            self._run_seconds = 0.8 * self._run_seconds + 0.2 * (now - run.started)
        self._close_later(run)

    def _close_later(self, run: _Run) -> None:
        if run.steps is not None:
            self._closing.append(run.steps)  # closed by the worker thread, the only one that steps it
            run.steps = iter(())

    def _preempt(self, now: float) -> None:
        """Time slicing: while runs wait that a free slot would admit, send audience runs whose turn is
        over back to the end of the line (their state is kept). Caller holds the lock."""
        if not self.quantum:
            return
        blocked = [r for r in self._waiting if r.kind == "run" and not r.over]
        if not blocked:
            return
        owners_waiting = {r.owner for r in blocked}
        for run in sorted(self._active, key=lambda r: r.slice_started):
            if len(blocked) == 0:
                break
            if (run.kind != "run" or run.over or run.priority == OPERATOR
                    or now - run.slice_started < self.quantum):
                continue
            if run.owner is not None and owners_waiting == {run.owner}:
                continue  # only its own session's runs wait: they could not take its slot anyway
            self._active.remove(run)
            run.number = next(self._numbers)  # to the end of its priority's line
            self._waiting.append(run)
            run.changed.notify_all()
            blocked.pop()

    def _ready(self) -> list[_Run]:
        """Runs that may take a step now; drops runs nobody reads any more. Caller holds the lock."""
        now = self.clock()
        for run in [*self._active, *self._waiting]:
            if not run.over and not run.readers and now - run.last_read > self.idle_timeout:
                run.cancelled, run.ended_by = True, "idle"  # its reader is gone (tab closed, page reloaded)
                run.changed.notify_all()
        self._admit()
        self._preempt(now)
        self._admit()
        ready = [r for r in self._active if not r.over and len(r.records) < self.buffer]
        ready = self._one_a_round(ready, [r for r in ready if self._long(r)], "_long_turn")
        return self._one_a_round(ready, [r for r in ready if r.kind == "background"], "_background_turn")

    def _long(self, run: _Run) -> bool:
        """An audience run that has used more than `fresh_seconds` of the worker: it steps on, but while
        fresh runs step it gets one step a round with the other long ones, so it cannot slow the room
        (a fresh run that shares its batch carries it along at no cost)."""
        return (run.kind == "run" and run.priority != OPERATOR and self.fresh_seconds is not None
                and run.seconds >= self.fresh_seconds)

    def _one_a_round(self, ready: list[_Run], slow: list[_Run], turn: str) -> list[_Run]:
        """While other runs are ready, only one of `slow` (in turn) takes a step this round."""
        others = [r for r in ready if r not in slow]
        if not slow or not others:
            return ready
        setattr(self, turn, getattr(self, turn) + 1)
        chosen = slow[getattr(self, turn) % len(slow)]
        riding = {r.group for r in others if r.group is not None}
        return [r for r in ready if r not in slow or r is chosen or r.group in riding]

    def _loop(self) -> None:
        while True:
            ready: list[_Run] = []
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

    def _fail(self, run: _Run, error: BaseException) -> None:
        """End one run with an error for its reader. Caller holds the lock."""
        if not run.over:
            run.error, run.finished = error, True
        run.changed.notify_all()

    def _start(self, runs: list[_Run]) -> None:
        """Start batched-step runs together (attack/attacks/rounds.py); a run that fails to start ends
        with its own error and the others start."""
        for run, started in zip(runs, start_together([(r.attack, r.image) for r in runs])):
            if isinstance(started, Exception):
                with self._mutex:
                    self._fail(run, started)
            else:
                run.state = started

    def _step_round(self, runs: list[_Run]) -> None:
        """One step for each run, outside the lock. Runs sharing a batch key and an image size step in
        one model call."""
        starting = [r for r in runs if r.steps is None and r.state is None and r.attack is not None]
        if starting:  # runs that start now are classified together, then take their first step below
            self._start(starting)
        stepping = [r for r in runs if not r.over and (r.steps is not None or r.state is not None)]
        for group in batches(stepping):  # leaves out runs that failed to start, or were cancelled
            self._step_group(group)

    def _step_group(self, group: list[_Run]) -> None:
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
    def _produce(group: list[_Run]) -> list[tuple[_Run, Any]]:
        first = group[0]
        if first.steps is not None:
            return [(first, next(first.steps, _DONE))]
        return list(zip(group, first.attack.step([r.state for r in group])))

    @staticmethod
    def _apply_budget(run: _Run) -> None:
        budget = run.budget
        if run.finished:
            return
        if budget.steps is not None and run.produced > budget.steps:  # record 0 is not a step
            run.finished, run.ended_by = True, "budget.steps"
        elif budget.seconds is not None and run.seconds >= budget.seconds:
            run.finished, run.ended_by = True, "budget.seconds"
