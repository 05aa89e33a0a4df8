"""The lab's side of the shared attack worker (attack/worker.py): one per server process, and the line.

Every session's run is stepped by the same `StepWorker` thread, so thirty people pressing Attack at
once share the cores in turns instead of thirty TensorFlow threads fighting over them. Beyond the
worker's capacity a session waits in line and sees its place and an estimate; Stop leaves the line.
"""
from __future__ import annotations

import contextlib
import logging
import math
import os
import threading
import time
import weakref

import numpy as np
import streamlit as st

from app.i18n import t
from attack.runner import build_attack
from attack.settings import AttackSettings
from attack.worker import Job, StepWorker, WorkerBusy

# Runs stepped together; beyond that, a first-come line. A replica with a GPU can take more
# (ADVERSARIAL_LAB_WORKER_CAPACITY, see README: deployment).
CAPACITY = max(1, int(os.environ.get("ADVERSARIAL_LAB_WORKER_CAPACITY") or 8))
# Runs admitted beyond CAPACITY because they join a batch already stepping (same method, model and
# image size: a room on the bundled samples), at most BATCH_LIMIT to a batch (attack/worker.py).
RIDERS = max(0, int(os.environ.get("ADVERSARIAL_LAB_WORKER_RIDERS") or 24))
BATCH_LIMIT = 8
QUEUE_LIMIT = 100  # people in line before the lab asks newcomers to come back later
CHECKS_AT_ONCE = 2  # sessions running their robustness checks at the same time (one per core here)
IDLE_TIMEOUT = 30.0  # seconds a run may go unread (tab closed, reload) before its slot is freed


@st.cache_resource(show_spinner=False)
def worker() -> StepWorker:
    """The process's one worker (shared by every session, like the models)."""
    # buffer=3: a run is at most three steps ahead of its live panel (its panel stays close to it, and
    # an abandoned run costs nothing), yet a page that is busy for a moment (drawing, or its
    # neighbours' results) does not hold its run back: with one record of room, such runs dropped out
    # of their batch's round and stepped alone later (bench/bench_crowd.py: p95 16.8 s → 13.4 s at 30).
    return StepWorker(capacity=CAPACITY, queue_limit=QUEUE_LIMIT, buffer=3, idle_timeout=IDLE_TIMEOUT,
                      riders=RIDERS, batch_limit=BATCH_LIMIT)


@st.cache_resource(show_spinner=False)
def warm_up(name: str, _model) -> None:
    """Trace the default attack's steps for the lab's model once per process, in the background, for
    every batch size the worker may step: otherwise a room's first round waits seconds for TensorFlow.
    (`_model` is not hashed: the name says which model it is.)"""
    model = _model
    def warm():
        # Any exception, on purpose: this is only a head start; a real run would meet the same error
        # and report it on its page.
        try:
            build_attack(model, AttackSettings(model=model.name)).warm_up(range(1, BATCH_LIMIT + 1))
        except Exception:  # noqa: BLE001 — logged, and the first runs simply trace for themselves
            logging.getLogger(__name__).exception("warming up %s failed", model.name)

    threading.Thread(target=warm, name=f"warm-up {model.name}", daemon=True).start()


def submit(attack, pixels: np.ndarray) -> Job | None:
    """Queue the run; None (with a notice on the page) when the line is full."""
    shared = worker()
    try:
        return shared.submit(attack, pixels)
    except WorkerBusy:
        st.warning(t("crowd.busy", waiting=shared.load[1]))
        return None


def throttle():
    """The live panel's redraw pace for a run starting now: ~8 frames a second alone, fewer in a crowd.

    Every redraw builds three plotly figures in the session's script thread (pure Python, holding the
    interpreter lock); with many runs active those threads would take the CPU the shared worker needs
    for the steps themselves. So in a crowd the frame rate is shared: about 3 redraws a second across
    all active runs (each run's last step is always drawn)."""
    from app.lab.live import Throttle

    active, _ = worker().load
    return Throttle(min_interval=1 / 8 if active <= 1 else active / 3)


@st.cache_resource(show_spinner=False)
def _checks_slots() -> threading.BoundedSemaphore:
    """The process's turns for robustness checks (shared by every session, like the worker)."""
    return threading.BoundedSemaphore(CHECKS_AT_ONCE)


class _Unshown:
    """Runs whose result has not reached their page yet (attacking, in line, or being verified).

    A finished run counts for `GRACE` seconds at most: a page that has not shown its result by then
    was closed, and a closed session's run simply vanishes from the (weak) set."""

    GRACE = 5.0

    def __init__(self):
        self._runs, self._lock = weakref.WeakKeyDictionary(), threading.Lock()  # run -> when seen finished

    def add(self, run) -> None:
        with self._lock:
            self._runs[run] = None

    def discard(self, run) -> None:
        with self._lock:
            self._runs.pop(run, None)

    def __len__(self) -> int:
        now, count = time.monotonic(), 0
        with self._lock:
            for run, finished in list(self._runs.items()):
                if run.running:
                    count += 1
                elif finished is None:
                    self._runs[run], count = now, count + 1
                elif now - finished < self.GRACE:
                    count += 1
        return count


@st.cache_resource(show_spinner=False)
def _unshown() -> _Unshown:
    return _Unshown()


def awaiting_result(run) -> None:
    """A run was started: the crowd's robustness checks wait until its result is on its page."""
    _unshown().add(run)


def result_shown(run) -> None:
    _unshown().discard(run)


@contextlib.contextmanager
def checks_turn(limit: float = 180.0):
    """Let other people's attacks go first, then take one of a few turns for the robustness checks.

    The checks after a result are a dozen model calls and the other models' verdicts in this
    session's thread. In a crowd they took half the server's CPU and doubled everyone's wait for a
    result (bench/bench_crowd.py: p95 74 s → 41 s at 30 sessions once they waited for the attacks), so
    they wait (up to `limit` s) until no run is active or in line and every started run's result is
    on its page (else the first checks start while the last results are still being verified). And
    only `CHECKS_AT_ONCE` sessions check at a time: thirty threads waking together to do numpy and
    TensorFlow work starve the server's event loop of the interpreter lock (health checks waited
    seconds). Alone: no wait."""
    shared, unshown, deadline = worker(), _unshown(), time.monotonic() + limit
    while (any(shared.load) or len(unshown)) and time.monotonic() < deadline:
        time.sleep(0.25)
    with _checks_slots():
        yield


def wait_in_line(records, slot) -> None:
    """While the run waits for a free slot, show its place in line (redrawn twice a second).

    Each redraw is a Streamlit call, so a Stop click interrupts the wait like it interrupts a run."""
    if not isinstance(records, Job):
        return
    while records.waiting:
        place = records.place()
        if place is not None:
            slot.info(t("crowd.queue", position=place.position, seconds=max(1, math.ceil(place.seconds))),
                      icon=":material/hourglass_top:")
        records.wait_admitted(0.5)
    slot.empty()
