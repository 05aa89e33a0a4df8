"""The worker's line: who is admitted, who waits, and who steps this round (attack/serving/worker.py).

Runs are admitted up to the worker's capacity, by priority (the operator's first) and arrival, at most
`per_owner` a session; a run that can join a batch already stepping rides along; an audience run whose
turn (`quantum`) is over goes back to the end of the line while others wait; runs that have used more
than `fresh_seconds` share one step a round. `StepWorker` holds the state; this mixin is its policy.
Every method here runs with the worker's mutex held.
"""
from __future__ import annotations

import collections

from .jobs import OPERATOR, WorkerRun


class Line:
    """The admission and fairness policy of `StepWorker` (see the module docstring)."""

    @staticmethod
    def _line_key(run: WorkerRun) -> tuple:
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

    def _enter(self, run: WorkerRun, now: float) -> None:
        if run.started is None:
            run.started = now
        run.slice_started, run.last_read = now, now  # the idle clock starts when its steps can start
        self._active.append(run)
        run.changed.notify_all()  # wake whoever waits for this admission

    def _retire(self, run: WorkerRun, now: float) -> None:
        self._active.remove(run)
        if run.finished and run.started is not None and run.kind == "run":
            self._run_seconds = 0.8 * self._run_seconds + 0.2 * (now - run.started)
        self._close_later(run)

    def _close_later(self, run: WorkerRun) -> None:
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

    def _ready(self) -> list[WorkerRun]:
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

    def _long(self, run: WorkerRun) -> bool:
        """An audience run that has used more than `fresh_seconds` of the worker: it steps on, but while
        fresh runs step it gets one step a round with the other long ones, so it cannot slow the room
        (a fresh run that shares its batch carries it along at no cost)."""
        return (run.kind == "run" and run.priority != OPERATOR and self.fresh_seconds is not None
                and run.seconds >= self.fresh_seconds)

    def _one_a_round(self, ready: list[WorkerRun], slow: list[WorkerRun], turn: str) -> list[WorkerRun]:
        """While other runs are ready, only one of `slow` (in turn) takes a step this round."""
        others = [r for r in ready if r not in slow]
        if not slow or not others:
            return ready
        setattr(self, turn, getattr(self, turn) + 1)
        chosen = slow[getattr(self, turn) % len(slow)]
        riding = {r.group for r in others if r.group is not None}
        return [r for r in ready if r not in slow or r is chosen or r.group in riding]
