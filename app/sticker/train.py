"""Train your own sticker or noise on the samples plus the visitor's photos, on the shared worker.

The engine's training generator (attack.sticker.train_sticker, attack.universal.train_universal) is
handed to the worker as a run with a budget (steps, and the worker's seconds: app/crowd.py). The page
follows its records, redrawing the sticker (or the noise) and the held-out success curve; the run lives
in the session as a `Training`, so a rerun (a slider touched) resumes following it, and Stop ends it
keeping the best step. Every third photo is held out: the curve is measured on photos the
training never sees.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass, field

import numpy as np
import streamlit as st

from app import crowd
from app.sticker import assets, bounds
from attack.serving.worker import Job

K = "stickerpage."
KINDS = ("sticker", "noise")
EVAL_EVERY = 5
REDRAW_SECONDS = 0.5  # a training step is slow; twice a second is enough to watch the sticker emerge


@dataclass(eq=False)  # a run is itself (the worker keeps weak references)
class Training:
    """One training run in one session: its job on the worker and what it has produced so far."""

    kind: str
    job: Job
    steps: int
    target: int | None
    epsilon: float
    curve: list[tuple[int, float]] = field(default_factory=list)  # (step, held-out success or fooling rate)
    step: int = 0
    latest: np.ndarray | None = None
    best: np.ndarray | None = None
    best_rate: float | None = None
    status: str = "running"  # running | done | stopped
    stop_requested: bool = False
    lock: threading.RLock = field(default_factory=threading.RLock, repr=False)

    def absorb(self, record) -> None:
        """Take one of the engine's records: the newest picture, the curve, and the best so far."""
        self.step = record.step
        self.latest = np.asarray(record.sticker if self.kind == "sticker" else record.noise)
        rate = record.success if self.kind == "sticker" else record.fooling_rate
        if rate is not None:
            self.curve.append((record.step, float(rate)))
        if record.best:  # the engine marks the record to keep if the run stopped now
            self.best, self.best_rate = self.latest, rate


def photos(uploads: list) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """The samples plus the decoded uploads, shrunk to TRAIN_SIDE: (training photos, held-out photos)."""
    from app import session
    from attack.inputs.images import check_size, load_image

    everything = [load_image(session.ASSETS / f, max_side=bounds.TRAIN_SIDE).pixels for f in session.SAMPLES.values()]
    for uploaded in uploads:
        check_size(uploaded.size, uploaded.name)  # before any byte is decoded
        everything.append(load_image(uploaded.getvalue(), max_side=bounds.TRAIN_SIDE, name=uploaded.name).pixels)
    held = everything[::3]
    return [p for i, p in enumerate(everything) if i % 3], held


def start(model, kind: str, steps: int, target: int | None, epsilon: float, uploads: list) -> Training | None:
    """Check the request, build the engine's generator and queue it on the worker (None, with a notice)."""
    bounds.check_training(steps, epsilon, len(uploads))
    train, held = photos(uploads)
    sticker, universal = assets.engine()
    if kind == "sticker":
        # At the engine's default area, like the shipped sticker (it trains over half to 2.5× that area).
        records = sticker.train_sticker(model, train, target=target, steps=steps, area=sticker.DEFAULT_AREA,
                                        held_out=held, eval_every=EVAL_EVERY, seed=0)
    else:
        records = universal.train_universal(model, train, eps=int(epsilon), steps=steps, target=None, held_out=held,
                                            eval_every=EVAL_EVERY, seed=0)
    job = crowd.submit_steps(records, max_steps=steps)
    return None if job is None else Training(kind, job, steps, target, epsilon)


def request_stop(run: Training) -> None:
    """Stop-button callback: end the run before the rerun draws the page, so the sticker above already
    shows what was kept (it waits for an interrupted script thread to let go of the run)."""
    run.stop_requested = True
    conclude(run, "stopped")


def conclude(run: Training, status: str) -> None:
    """End the job and keep the best picture as this session's trained sticker or noise."""
    with run.lock:
        if run.status != "running":
            return
        run.job.close()
        run.status = status
        if run.best is None:
            return
        state = st.session_state
        if run.kind == "sticker":
            state[K + "trained.sticker"] = assets.Sticker(np.ascontiguousarray(run.best), run.target, True)
        else:
            delta = np.asarray(run.best).astype(np.int16)
            state[K + "trained.noise"] = assets.Noise(delta, int(np.abs(delta).max()), True)
        # The choice above switches to the new one when next drawn (a drawn widget's value cannot be set).
        state[K + "show_trained"] = run.kind
