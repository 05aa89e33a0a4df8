"""One attack worker for many users: a single thread steps every active run, in turns.

A room of people pressing Attack at once must not mean a room of threads fighting over two cores.
`StepWorker` owns the stepping of all runs in one process: `submit` hands it a run and returns a
`Job`, an iterator of the run's StepRecords for whoever started it (the lab's live loop reads it just
as it read the attack's own generator). The worker thread then

- admits up to `capacity` runs; later ones wait in a first-come queue of at most `queue_limit`
  (`submit` refuses beyond that with `WorkerBusy`), and a waiting job knows its place and an estimate.
  With `riders`, a waiting run that can join a batch already stepping (same method, model and image
  size: a room trying the bundled samples) is admitted at once as a rider, up to `batch_limit` runs a
  batch and `riders` in all: each adds ~0.6 of a step alone to a round, where a new batch adds a whole
  one. So `capacity` is, in effect, the number of batches stepped per round. Riders take no slot,
  and the first in line that needs one still gets the next slot that frees;
- steps the active runs round-robin, one step each per round, so no run starves and a run joins or
  leaves between steps (runs of one method on images of one size are stepped together: see
  `_step_round`);
- keeps at most `buffer` records per job: a reader that falls behind pauses its run instead of
  filling memory, and a job nobody has read for `idle_timeout` seconds (the tab was closed or
  reloaded) is dropped, freeing its place. Closing a job (Stop) or losing every reference to it does
  the same at once.

All TensorFlow work of the runs happens on this one thread, so the server's other threads (page
scripts, health checks, static files) only compete with one busy thread, not with one per user.
"""
from __future__ import annotations

import collections
import itertools
import math
import threading
import time
import weakref
from dataclasses import dataclass, field
from typing import Callable, Iterator

import numpy as np

from .attacks.base import StepRecord, start_runs
from .errors import UserError


class WorkerBusy(UserError, RuntimeError):
    """The queue is full: the caller should ask the user to try again shortly."""

    code = "worker"


@dataclass(frozen=True)
class Place:
    """Where a waiting job stands: 1 is next; `seconds` is a rough estimate until it starts."""

    position: int
    seconds: float


_DONE = object()


@dataclass(eq=False)
class _Run:
    """The worker's side of a job: the attack's steps, the records not yet read, and bookkeeping."""

    steps: Iterator[StepRecord] | None  # the attack's generator (None: a batched-step run)
    attack: object = None
    image: np.ndarray | None = None  # batched-step runs start on the worker thread
    state: object = None  # the engine's per-run state where the attack steps batches of runs
    records: collections.deque = field(default_factory=collections.deque)
    finished: bool = False
    cancelled: bool = False
    error: BaseException | None = None
    submitted: float = 0.0
    started: float | None = None
    last_read: float = 0.0
    number: int = 0
    group: tuple | None = None  # (step key, image size): runs that can share a batch (None: steps alone)
    changed: threading.Condition | None = None  # notified when this run has news for its reader
    rider: bool = False  # admitted beyond capacity to join its group's batch (takes no slot)

    @property
    def batch_key(self):
        """Runs with equal keys can share one batched step (None: steps alone)."""
        return None if self.steps is not None or self.state is None else self.attack.step_key


class Job:
    """The caller's handle: iterate it for the run's records; `close()` cancels the run."""

    def __init__(self, worker: "StepWorker", run: _Run):
        self._worker, self._run = worker, run
        # A handle that is garbage-collected (its session is gone) cancels its run.
        self._finalizer = weakref.finalize(self, worker._cancel, run)

    def __iter__(self) -> "Job":
        return self

    def __next__(self) -> StepRecord:
        record = self.next(timeout=None)
        if record is None:  # cannot happen without a timeout; kept for type checkers
            raise StopIteration
        return record

    def next(self, timeout: float | None) -> StepRecord | None:
        """The next record, waiting at most `timeout` s (None if none came); StopIteration at the end."""
        return self._worker._take(self._run, timeout)

    @property
    def waiting(self) -> bool:
        """Still in the queue (not yet admitted)."""
        return self._run.started is None and not self._run.cancelled

    def place(self) -> Place | None:
        """Position in the queue and an estimate of the wait, or None once the run is admitted."""
        return self._worker._place(self._run)

    def wait_admitted(self, timeout: float) -> bool:
        """Block up to `timeout` s until the run is admitted (or ended); True when it no longer waits."""
        return self._worker._wait_admitted(self._run, timeout)

    def close(self) -> None:
        """Cancel the run (Stop): it leaves the queue or the active set before its next step."""
        self._finalizer()


class StepWorker:
    """See the module docstring. One per process (the app caches one)."""

    def __init__(self, *, capacity: int = 4, queue_limit: int = 100, buffer: int = 16,
                 idle_timeout: float = 60.0, riders: int = 0, batch_limit: int = 8,
                 clock: Callable[[], float] = time.monotonic, autostart: bool = True):
        if capacity < 1 or queue_limit < 0 or buffer < 1 or riders < 0 or batch_limit < 1:
            raise ValueError("capacity, buffer and batch_limit must be at least 1, queue_limit and riders at least 0")
        self.capacity, self.queue_limit, self.buffer, self.idle_timeout = capacity, queue_limit, buffer, idle_timeout
        self.riders, self.batch_limit = riders, batch_limit
        self.clock = clock
        # One mutex; the worker thread waits on `_lock`, each reader on its own run's condition, so a
        # step wakes only the readers it concerns (thirty readers woken per record were thirty
        # threads queueing for the interpreter lock).
        self._mutex = threading.RLock()  # re-entrant: a Job finalizer may run (GC) while this thread holds it
        self._lock = threading.Condition(self._mutex)
        self._active: list[_Run] = []
        self._waiting: collections.deque[_Run] = collections.deque()
        self._numbers = itertools.count(1)
        self._run_seconds = 8.0  # running mean of a run's time in the active set (seeds the estimate)
        self._thread: threading.Thread | None = None
        self._stopping = False
        self._closing: list = []  # generators of cancelled runs, for the worker thread to close
        self.autostart = autostart  # False: nothing is stepped until start() (tests line runs up first)

    # --- the caller's side ----------------------------------------------------------------------
    def submit(self, attack, image: np.ndarray) -> Job:
        """Queue one run of `attack` on `image`; raises WorkerBusy when the queue is full."""
        if not getattr(attack, "own_loop", True) and hasattr(attack, "step_key"):
            # The engine's batched-step API: runs with one step key share a model call (Square and
            # JSMA, whose `run` is a loop of their own, and plain iterators take their own turns).
            return self.submit_steps(None, attack=attack, image=image)
        return self.submit_steps(attack.run(image))

    def submit_steps(self, steps: Iterator[StepRecord] | None, *, attack=None, image=None) -> Job:
        """Queue any iterator of records (what `attack.run(image)` returns), or a batched-step run."""
        with self._lock:
            if len(self._waiting) >= self.queue_limit and len(self._active) >= self.capacity:
                raise WorkerBusy.coded("worker.busy", waiting=len(self._waiting))
            now = self.clock()
            run = _Run(steps, attack, image, submitted=now, last_read=now, number=next(self._numbers),
                       changed=threading.Condition(self._mutex))
            if steps is None and attack is not None:
                run.group = (attack.step_key, tuple(np.shape(image)[:2]))
            self._waiting.append(run)
            self._admit()
            if self.autostart:
                self._ensure_thread()
            self._lock.notify_all()
        return Job(self, run)

    @property
    def load(self) -> tuple[int, int]:
        """(active runs, waiting runs)."""
        with self._lock:
            return len(self._active), len(self._waiting)

    def _take(self, run: _Run, timeout: float | None) -> StepRecord | None:
        deadline = None if timeout is None else self.clock() + timeout
        with self._lock:
            while True:
                run.last_read = self.clock()
                if run.records:
                    record = run.records.popleft()
                    self._lock.notify_all()  # room in the buffer again
                    return record
                if run.cancelled:
                    raise StopIteration
                if run.error is not None:
                    raise run.error
                if run.finished:
                    raise StopIteration
                if deadline is None:
                    run.changed.wait(1.0)
                else:
                    left = deadline - self.clock()
                    if left <= 0:
                        return None
                    run.changed.wait(left)

    def _place(self, run: _Run) -> Place | None:
        with self._lock:
            if run.started is not None or run.cancelled:
                return None
            try:
                position = self._waiting.index(run) + 1
            except ValueError:
                return None
            # Runs ahead of it leave the active set one slot at a time: ~ position/capacity run lengths.
            return Place(position, math.ceil(position / self.capacity) * self._run_seconds)

    def _wait_admitted(self, run: _Run, timeout: float) -> bool:
        deadline = self.clock() + timeout
        with self._lock:
            while run.started is None and not run.cancelled and (left := deadline - self.clock()) > 0:
                run.changed.wait(left)
            return run.started is not None or run.cancelled

    def _cancel(self, run: _Run) -> None:
        with self._lock:
            run.cancelled = True
            if run in self._waiting:
                self._waiting.remove(run)
            self._admit()
            run.changed.notify_all()
            self._lock.notify_all()

    # --- the worker thread ------------------------------------------------------------------------
    def start(self) -> None:
        """Start the worker thread now (it also starts with the first submitted run)."""
        with self._lock:
            self.autostart = True
            self._ensure_thread()

    def _ensure_thread(self) -> None:
        if self._thread is None or not self._thread.is_alive():
            self._stopping = False
            self._thread = threading.Thread(target=self._loop, name="attack-worker", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        """End the worker thread (tests); runs still active are cancelled."""
        with self._lock:
            self._stopping = True
            for run in [*self._active, *self._waiting]:
                run.cancelled = True
                run.changed.notify_all()
            self._lock.notify_all()
        if self._thread is not None:
            self._thread.join(10)

    def _admit(self) -> None:
        """Admit waiting runs in line order: one that can join a batch already stepping rides along (see
        the module docstring); any other takes a free slot, first come, first served. Caller holds the lock."""
        now = self.clock()
        for run in [r for r in self._active if r.cancelled or r.finished]:
            self._retire(run, now)
        slotted = sum(not r.rider for r in self._active)
        riding = len(self._active) - slotted
        sizes = collections.Counter(r.group for r in self._active if r.group is not None)
        for run in list(self._waiting):
            if riding < self.riders and run.group is not None and 0 < sizes[run.group] < self.batch_limit:
                run.rider, riding = True, riding + 1  # joins a batch already stepping
            elif slotted < self.capacity:
                slotted += 1  # the first in line that needs a slot of its own takes the free one
            else:
                continue
            self._waiting.remove(run)
            sizes[run.group] += 1
            self._enter(run, now)

    def _enter(self, run: _Run, now: float) -> None:
        run.started, run.last_read = now, now  # the idle clock starts when its steps can start
        self._active.append(run)
        run.changed.notify_all()  # wake whoever waits for this admission

    def _retire(self, run: _Run, now: float) -> None:
        self._active.remove(run)
        if run.finished and run.started is not None:
            self._run_seconds = 0.8 * self._run_seconds + 0.2 * (now - run.started)
        if run.cancelled and run.steps is not None:
            self._closing.append(run.steps)  # closed by the worker thread, the only one that steps it

    def _ready(self) -> list[_Run]:
        """Active runs that may take a step now; drops runs nobody reads any more. Caller holds the lock."""
        now = self.clock()
        for run in self._active:
            if not run.cancelled and not run.finished and now - run.last_read > self.idle_timeout:
                run.cancelled = True  # its reader is gone (tab closed, page reloaded)
                run.changed.notify_all()
        self._admit()
        return [r for r in self._active if len(r.records) < self.buffer]

    def _loop(self) -> None:
        while True:
            with self._lock:
                ready = self._ready()
                while not ready and not self._stopping:
                    if not self._active and not self._waiting:
                        self._lock.wait(5.0)
                    else:
                        self._lock.wait(0.5)
                    ready = self._ready()
                if self._stopping:
                    for run in list(self._active):
                        self._retire(run, self.clock())
                closing, self._closing = self._closing, []
            for steps in closing:  # the generator's cleanup, never while another thread steps it
                close = getattr(steps, "close", None)
                if close is not None:
                    close()
            if self._stopping:
                return
            self._step_round(ready)

    def _start(self, runs: list[_Run]) -> None:
        """Start batched-step runs: their first clean passes in one go, or alone if that fails, so a
        failing run ends with its own error and the others start."""
        try:
            states = start_runs([(r.attack, r.image) for r in runs])
        except Exception:  # noqa: BLE001 — retried one by one below, where the culprit keeps its error
            states = None
        for i, run in enumerate(runs):
            try:
                run.state = states[i] if states is not None else run.attack.start(run.image)
            except Exception as error:  # noqa: BLE001 — see _step_round
                with self._lock:
                    run.error, run.finished = error, True
                    run.changed.notify_all()

    def _step_round(self, runs: list[_Run]) -> None:
        """One step for each run, outside the lock. Runs sharing a batch key and an image size step in
        one model call."""
        starting = [r for r in runs if r.steps is None and r.state is None]
        if starting:  # runs that start now are classified together, then take their first step below
            self._start(starting)
        groups: dict[object, list[_Run]] = {}
        for run in runs:
            if run.finished:  # failed to start
                continue
            # Same-sized images only, as in attack/attacks/stepper.py: padding a batch to its largest image
            # costs more than it saves (bench/bench_engine.py: 1.2-1.4x per image of stepping them alone,
            # against 0.6-0.7x for one size).
            key = (run.batch_key, run.state.shape) if run.batch_key is not None else id(run)
            groups.setdefault(key, []).append(run)
        for group in groups.values():
            first = group[0]
            try:
                if first.steps is not None:
                    produced = [(first, next(first.steps, _DONE))]
                else:
                    produced = list(zip(group, first.attack.step([r.state for r in group])))
            # Any exception, on purpose: this thread steps every user's runs, so one run's failure (a bad
            # input or a bug) must not stop the others; it ends that run, and its consumer re-raises it.
            except Exception as error:  # noqa: BLE001 — a failing run ends with its error, the others go on
                with self._lock:
                    for run in group:
                        run.error, run.finished = error, True
                        run.changed.notify_all()
                continue
            with self._lock:
                for run, record in produced:
                    if record is _DONE:
                        run.finished = True
                    elif not run.cancelled:
                        run.records.append(record)
                        if run.state is not None and run.state.finished:
                            run.finished = True
                    run.changed.notify_all()

