"""The pages' side of the shared worker (attack/serving/worker.py): one per server process, and the line.

Every model call of every page goes through the same `StepWorker` thread: the lab's, the tutorial's,
the explorer's and the principles page's runs (`submit`, `submit_steps`), single calls such as a
verification or a clean classification (`call`), and the checks after a result (`background`). So
thirty people pressing buttons at once share the cores in turns instead of thirty TensorFlow
threads fighting over them, and nothing one visitor starts can hold the room: each run has a budget
(`RUN_STEPS`, `RUN_SECONDS` of the worker's time), a session has one run stepping at a time, runs
take turns of `QUANTUM` seconds when others wait, and the operator's runs go first (app/roles.py).
Beyond the worker's capacity a session waits in line and sees its place and an estimate; Stop
leaves the line, and so does a closed tab (`follow`).
"""
from __future__ import annotations

import contextlib
import logging
import math
import os
import threading
import time
from dataclasses import dataclass
from typing import Any, Callable, Iterator

import numpy as np
import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx
from streamlit.runtime.scriptrunner_utils.exceptions import StopException

from app import roles
from app.i18n import error_text, t
from attack.plumbing.errors import UserError
from attack.models import ModelUnavailable
from attack.experiments.robustness import run_checks, transfer_check, transfer_models
from attack.running.runner import build_attack, consume, finish
from attack.settings import RANGES, AttackSettings
from attack.datatypes import Budget
from attack.serving.worker import AUDIENCE, OPERATOR, Job, StepWorker, WorkerBusy


def _setting(name: str, default: float) -> float:
    return float(os.environ.get(f"ADVERSARIAL_LAB_{name}") or default)


# Runs stepped together; beyond that, a line. A replica with a GPU can take more (README: deployment).
CAPACITY = max(1, int(_setting("WORKER_CAPACITY", 8)))
# Runs admitted beyond CAPACITY because they join a batch already stepping (same method, model and
# image size: a room on the bundled samples), at most BATCH_LIMIT to a batch (attack/serving/worker.py).
RIDERS = max(0, int(_setting("WORKER_RIDERS", 24)))
BATCH_LIMIT = 8
QUEUE_LIMIT = 100  # people in line before the lab asks newcomers to come back later
IDLE_TIMEOUT = 30.0  # seconds a run may go unread (its page gone without a word) before it is dropped
QUANTUM = _setting("WORKER_QUANTUM", 3.0)  # seconds a run keeps its slot while others wait for one
FRESH_SECONDS = 2.0  # the worker's time after which a run counts as long and yields to fresh ones
RUN_SECONDS = _setting("RUN_SECONDS", 60.0)  # the worker's time one run may use (its share of batched steps)
RUN_STEPS = int(RANGES["max_steps"].high)  # no run takes more steps than a person may ask for
HEARTBEAT = 0.5  # seconds between a waiting page's signs of life (a closed tab ends its run within ~this)


@st.cache_resource(show_spinner=False)
def worker() -> StepWorker:
    """The process's one worker (shared by every session, like the models)."""
    # buffer=3: a run is at most three steps ahead of its live panel (its panel stays close to it, and
    # an abandoned run costs nothing), yet a page that is busy for a moment (drawing, or its
    # neighbours' results) does not hold its run back (bench/bench_crowd.py).
    return StepWorker(capacity=CAPACITY, queue_limit=QUEUE_LIMIT, buffer=3, idle_timeout=IDLE_TIMEOUT,
                      riders=RIDERS, batch_limit=BATCH_LIMIT, quantum=QUANTUM, fresh_seconds=FRESH_SECONDS)


def owner() -> str | None:
    """Who a run belongs to: the browser session (one run of each steps at a time)."""
    ctx = get_script_run_ctx()
    return ctx.session_id if ctx is not None else None


def priority() -> int:
    return OPERATOR if roles.is_operator() else AUDIENCE


def budget(max_steps: int | None = None) -> Budget:
    """Every run's budget: its own step count (never more than RUN_STEPS) and RUN_SECONDS."""
    steps = min(max_steps, RUN_STEPS) if max_steps is not None else RUN_STEPS
    return Budget(steps=steps, seconds=RUN_SECONDS)


def submit(attack, pixels: np.ndarray) -> Job | None:
    """Queue an attack run; None (with a notice on the page) when the line is full or the run could change
    nothing (ε below one level)."""
    shared = worker()
    try:
        return shared.submit(attack, pixels, owner=owner(), priority=priority(),
                             budget=budget(getattr(attack, "max_steps", None)))
    except WorkerBusy:
        _refused(t("crowd.busy", waiting=shared.load[1]))
    except UserError as error:
        _refused(error_text(error))
    return None


def _refused(sentence: str) -> None:
    """Say why nothing runs, in place and as a toast: the place may be below the fold on a projector."""
    st.warning(sentence)
    st.toast(sentence, icon=":material/block:")


def submit_steps(steps: Iterator[Any], max_steps: int | None = None) -> Job | None:
    """Queue any run of records (a tutorial replay); None (with a notice) when the line is full."""
    shared = worker()
    try:
        return shared.submit_steps(steps, owner=owner(), priority=priority(), budget=budget(max_steps))
    except WorkerBusy:
        _refused(t("crowd.busy", waiting=shared.load[1]))
        return None


def call(function: Callable[..., Any], *args, **kwargs) -> Any:
    """`function(*args, **kwargs)` on the worker thread (a verification, a clean classification)."""
    return worker().call(function, *args, priority=priority(), **kwargs)


def background(steps: Iterator[Any]) -> Job:
    """Work after a result (the checks): it takes one step a round while runs are stepping."""
    return worker().submit_steps(steps, kind="background", owner=owner(), priority=priority())


def follow(job: Job, alive: Callable[[], None]) -> Iterator[Any]:
    """Read a job's records on a page, calling `alive()` (any cheap Streamlit call) every HEARTBEAT
    seconds, records or not: a closed tab raises Streamlit's StopException there, and the job is closed
    at once instead of running for nobody. Other interruptions (a rerun) leave it running."""
    beat = time.monotonic()
    with closing_on_stop(job):
        while True:
            try:
                record = job.next(timeout=HEARTBEAT)
            except StopIteration:
                return
            if time.monotonic() - beat >= HEARTBEAT:
                alive()
                beat = time.monotonic()
            if record is not None:
                yield record


@contextlib.contextmanager
def closing_on_stop(records):
    """Close `records` (a Job, or any generator) when the page's script is stopped (tab closed) while
    this block runs."""
    try:
        yield records
    except StopException:
        close = getattr(records, "close", None)
        if close is not None:
            close()
        raise


def run_to_end(model, attack, pixels: np.ndarray, history, on_step, heartbeat: Callable[[], None]):
    """Submit `attack`, follow its steps into `history` (calling `on_step`), and verify the kept step on
    the worker too: the RunResult, or None (with a notice) when it could not start or made no step.

    For pages that do not resume a run across reruns: whatever interrupts the page ends the run."""
    job = submit(attack, pixels)
    if job is None:
        return None
    try:
        consume(follow(job, heartbeat), history, on_step)
    finally:
        job.close()
    if not len(history):
        return None
    return call(finish, model, attack.name, attack.epsilon, attack.target, attack.stop_at, history)


def checks(model, original: np.ndarray, adversarial: np.ndarray, target: int | None, *,
           loader: Callable[[str], Any], heartbeat: Callable[[], None]) -> tuple:
    """The survival checks and the other models' verdicts on the shared worker, as background work:
    (ChecksReport, transfer results). The other models are loaded here, in the page (once per process)."""
    report, transfer = list(follow(checks_job(model, original, adversarial, target, loader=loader), heartbeat))
    return report, transfer


def checks_job(model, original: np.ndarray, adversarial: np.ndarray, target: int | None, *,
               loader: Callable[[str], Any]) -> Job:
    """The checks of `checks` as a background job that yields the ChecksReport, then the transfer results:
    a page that must not wait for them (the lab's verdict) reads them as they come."""
    others = {}
    for name in transfer_models(exclude=model.name):
        try:
            others[name] = loader(name)
        except ModelUnavailable:
            pass  # transfer_check notes it as skipped

    def loaded(name: str):
        if name not in others:
            raise ModelUnavailable.coded("model.no_file", path=name)
        return others[name]

    def steps():
        yield run_checks(model, original, adversarial, target=target)
        yield transfer_check(adversarial, original, target, exclude=model.name, loader=loaded)

    return background(steps())


def budget_note(job: Job) -> None:
    """Say so, above a result, when the run ended at its budget ("… the best step is kept")."""
    ended = getattr(job, "ended_by", None)
    if ended == "budget.seconds":
        st.info(t("crowd.budget.seconds", seconds=f"{job.budget.seconds:g}"), icon=":material/timer:")
    elif ended == "budget.steps":
        st.info(t("crowd.budget.steps", steps=job.budget.steps), icon=":material/timer:")


@st.cache_resource(show_spinner=False)
def warm_up(name: str, _model) -> None:
    """Trace the default attack's steps for the lab's model once per process, in the background, for
    every batch size the worker may step: otherwise a room's first round waits seconds for TensorFlow.
    (`_model` is not hashed: the name says which model it is.)"""
    model = _model

    def steps():
        yield build_attack(model, AttackSettings(model=model.name)).warm_up(range(1, BATCH_LIMIT + 1))

    def warm():
        # Any exception, on purpose: this is only a head start; a real run would meet the same error
        # and report it on its page.
        try:
            for _ in worker().submit_steps(steps(), kind="background"):  # traced on the worker, like all model work
                pass
        except Exception:  # noqa: BLE001 — logged, and the first runs simply trace for themselves
            logging.getLogger(__name__).exception("warming up %s failed", model.name)

    threading.Thread(target=warm, name=f"warm-up {model.name}", daemon=True).start()


@dataclass
class Throttle:
    """Decides when to redraw: at most every `min_interval` s, and never more than `max_share` of the time."""

    min_interval: float = 1 / 8
    max_share: float = 0.25
    next_at: float = 0.0

    def due(self, now: float) -> bool:
        return now >= self.next_at

    def drew(self, started: float, finished: float) -> None:
        cost = finished - started
        # Waiting cost·(1−share)/share after a draw of `cost` keeps drawing at ≤ share of the wall time.
        self.next_at = finished + max(self.min_interval, cost * (1 - self.max_share) / self.max_share)


def throttle() -> Throttle:
    """The live panel's redraw pace for a run starting now: ~8 frames a second alone, fewer in a crowd.

    Every redraw builds three plotly figures in the session's script thread (pure Python, holding the
    interpreter lock); with many runs active those threads would take the CPU the shared worker needs
    for the steps themselves. So in a crowd the frame rate is shared: about 3 redraws a second across
    all active runs (each run's last step is always drawn)."""
    active, _ = worker().load
    return Throttle(min_interval=1 / 8 if active <= 1 else active / 3)


def wait_in_line(records, slot) -> None:
    """While the run waits for a free slot, show its place in line (redrawn twice a second).

    Each redraw is a Streamlit call, so a Stop click interrupts the wait like it interrupts a run, and a
    closed tab ends it (`closing_on_stop`)."""
    if not isinstance(records, Job):
        return
    with closing_on_stop(records):
        while records.waiting:
            place = records.place()
            if place is not None:
                slot.info(t("crowd.queue", position=place.position, seconds=max(1, math.ceil(place.seconds))),
                          icon=":material/hourglass_top:")
            records.wait_admitted(HEARTBEAT)
        slot.empty()
