"""The live attack loop: consume the engine's generator, draw at most ~8 times a second, survive reruns.

A Streamlit widget touched while the script runs interrupts the run at its next `st.*` call (fast
reruns). So the run lives in `st.session_state` as a `LabRun` holding the engine's generator and the
growing `RunHistory`: every step computed survives the interruption. On the rerun, a run whose Stop
button was pressed is finished with the steps it has; any other interruption (a toggle, the
language) simply resumes the same generator where it paused.

Fast reruns start the new script thread at once, while the interrupted one may still be inside a
gradient step; it only stops at its next `st.*` call. Each run therefore carries a lock that whoever
consumes or finishes it holds, so the new script waits for the old one to let go (at most one
redraw interval) instead of touching a generator that is still executing.
"""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from typing import Callable, Iterator, Protocol

import numpy as np
import streamlit as st

from app import crowd, figures
from app.crowd import Throttle
from app.i18n import t
from attack.datatypes import StepRecord
from attack.running.history import RunHistory, RunResult
from attack.models import Classifier
from attack.running.runner import consume, finish
from attack.settings import AttackSettings


@dataclass(eq=False)  # a run is itself: compared and hashed by identity (app/crowd.py keeps weak references)
class LabRun:
    """One attack in one session: its settings, the engine's generator and everything recorded so far."""

    settings: AttackSettings
    image_key: str
    image_label: str
    classifier: Classifier  # the shared model (never mutated)
    records: Iterator[StepRecord]
    history: RunHistory
    status: str = "running"  # running | done | stopped
    ended_by: str | None = None  # why the worker ended it early ("budget.seconds", ...; attack/serving/worker.py)
    stop_requested: bool = False
    result: RunResult | None = None
    wall_seconds: float = 0.0  # attack + drawing, as the user waited for it
    draw_seconds: float = 0.0
    redraws: int = 0
    shown_step: int | None = None  # the last step the live panel drew (a replay continues from it)
    id: int = field(default_factory=time.monotonic_ns)
    lock: threading.RLock = field(default_factory=threading.RLock, repr=False)  # held by the consuming thread

    @property
    def running(self) -> bool:
        return self.status == "running"


class View(Protocol):
    def draw(self, run: LabRun, record: StepRecord, progress: tuple[float, str] | None = None) -> None: ...


def request_stop(run: LabRun) -> None:
    """Stop-button callback (runs before the rerun): mark the run; the rerun finishes it."""
    run.stop_requested = True


def conclude(run: LabRun, status: str) -> None:
    """Verify the last step as a PNG and keep the result; a run with no step at all has no result."""
    with run.lock:
        if not run.running:
            return  # another script thread finished it while this one waited
        close = getattr(run.records, "close", None)
        if close is not None:
            close()
        run.ended_by = getattr(run.records, "ended_by", None)
        if len(run.history):
            s = run.settings
            # The verification is a model call: on the shared worker, like every other.
            run.result = crowd.call(finish, run.classifier, s.method, s.epsilon, s.target, s.stop_at, run.history)
        run.status = status


def advance(run: LabRun, view: View | None, throttle: Throttle | None = None,
            clock: Callable[[], float] = time.perf_counter, draw_last: bool = True) -> None:
    """Consume the generator to its end (attack.runner.consume), redrawing when the throttle allows;
    the last step is drawn unless `draw_last` is False (a replay that follows will reach it)."""
    throttle = throttle or Throttle()
    with run.lock:
        if not run.running:
            return
        started, waited_before, drawn = clock(), run.wall_seconds, None

        def on_step(record: StepRecord) -> None:
            nonlocal drawn
            now = clock()
            run.wall_seconds = waited_before + now - started
            if view is not None and throttle.due(now):
                drawn = _draw(run, view, record, throttle, clock)

        # A closed tab: nobody will see the rest, so it is not computed.
        with crowd.closing_on_stop(run.records):
            consume(crowd.follow(run.records, view.heartbeat if view is not None else _no_heartbeat)
                    if isinstance(run.records, crowd.Job) else run.records, run.history, on_step)
        last = run.history.last
        if view is not None and last is not None and drawn != last.step and draw_last:
            _draw(run, view, last, throttle, clock)
        run.wall_seconds = waited_before + clock() - started
        conclude(run, "done")


def drive(run: LabRun, view: LiveView, stop_key: str, *, draw_last: bool = True) -> bool:
    """Consume a run live, the one way every page does: Stop (its button, or the click that interrupted
    the last script) finishes it with the best step so far; otherwise it waits its turn in the worker's
    line and steps on. True when it stepped on to its end here."""
    with run.lock:  # waits for an interrupted script thread to let go of the run
        if run.stop_requested:
            conclude(run, "stopped")
        if not run.running:
            return False
        # The click interrupts the running script; the rerun sees it (callback or button value) and
        # finishes the run with the steps it has. Other interruptions resume the generator.
        if view.stop_slot.button(t("lab.stop"), key=stop_key, on_click=request_stop, args=(run,),
                                 icon=":material/stop_circle:", help=t("lab.stop.help")):
            conclude(run, "stopped")
            return False
        crowd.wait_in_line(run.records, view.progress)  # beyond the worker's capacity
        advance(run, view, crowd.throttle(), draw_last=draw_last)
        return True


def _no_heartbeat() -> None:
    pass


def _draw(run: LabRun, view: View, record: StepRecord, throttle: Throttle, clock) -> int:
    began = clock()
    view.draw(run, record)
    ended = clock()
    throttle.drew(began, ended)
    run.draw_seconds += ended - began
    run.redraws += 1
    run.shown_step = record.step
    return record.step


# --- the live panel -----------------------------------------------------------------------------
def preview(image: np.ndarray, side: int = 480) -> np.ndarray:
    """A smaller copy for the live view: encoding a 1024 px PNG every redraw would eat the time budget."""
    h, w = image.shape[:2]
    k = max(1, int(np.ceil(max(h, w) / side)))
    return image[::k, ::k] if k > 1 else image


class LiveView:
    """Placeholders for the live panel, filled again on every (throttled) redraw."""

    def __init__(self, *, names: Callable[[int], str], log_scale: bool, signed: bool, big: bool = False):
        self.t, self.names, self.log_scale, self.signed, self.big = t, names, log_scale, signed, big
        # Progress and Stop share a row: on a 720p projector every line counts.
        bar_col, stop_col = st.columns([6, 1], vertical_alignment="bottom")
        self.progress = bar_col.empty()
        self.stop_slot = stop_col.empty()
        image_col, heat_col, bars_col = st.columns(3)
        self.image = image_col.empty()
        self.heat = heat_col.empty()
        self.bars = bars_col.empty()
        self.curve = st.container(key="live-cost").empty()
        self.pulse = st.empty()  # never shows anything: see heartbeat
        self.count = 0

    def heartbeat(self) -> None:
        """A Streamlit call that costs nothing, made while no step arrives: it is where Streamlit tells a
        script that its tab was closed (StopException) or that the user clicked (a rerun)."""
        self.pulse.empty()

    def clear(self) -> None:
        """Remove the live panel once the run is over: the result and its replay below show the same."""
        for slot in (self.progress, self.stop_slot, self.image, self.heat, self.bars, self.curve):
            slot.empty()

    def draw(self, run: LabRun, record: StepRecord, progress: tuple[float, str] | None = None) -> None:
        """Draw one step; the progress line last, so its counter never runs ahead of the picture and bars
        (`progress` replaces the live line: a replay says what it shows)."""
        t, s, history = self.t, run.settings, run.history
        self.count += 1
        self.image.image(preview(record.image), caption=t("lab.live.image", step=record.step), width="stretch")
        # A picture, not a chart: a plotly chart is remounted, blank for a moment, whenever its figure changes.
        heat, top = figures.heatmap_image(record.perturbation, epsilon=s.epsilon, signed=self.signed)
        self.heat.image(heat, width="stretch", caption=t("stage.live.heat_caption", title=t(
            "lab.live.heatmap_signed" if self.signed else "lab.live.heatmap"), low=-top if self.signed else 0,
            high=top))
        chart = dict(config={"displayModeBar": False, "staticPlot": True}, width="stretch", theme=None)
        self.bars.plotly_chart(figures.top5_bars(record.top5, names=[self.names(p.index) for p in record.top5],
                                                 target=s.target, original=history.first.top5[0].index,
                                                 title=t("lab.live.top5"), big=self.big),
                               key=f"live-bars-{run.id}-{self.count}", **chart)
        original = history.first.top5[0].index
        queries = record.queries is not None  # a black-box attack: its steps are queries
        self.curve.plotly_chart(figures.cost_curve(history, target_label=self.names(s.target) if s.target is not None
                                                   else None, original_label=self.names(original),
                                                   stop_at=s.stop_at, log_scale=self.log_scale,
                                                   title=t("lab.live.curve_queries" if queries else "lab.live.curve"),
                                                   x_title=t("lab.live.queries") if queries else None, big=self.big),
                                key=f"live-cost-{run.id}-{self.count}", **chart)
        if progress is None:
            rate = record.step / record.elapsed if record.elapsed > 0 else 0.0
            best = (history.best_target_probability if s.target is not None
                    else 1 - min(history.original_probability))
            progress = (min(record.step / s.max_steps, 1.0), t(
                "lab.live.progress_queries" if queries else "lab.live.progress", step=record.step,
                total=s.max_steps, rate=rate, best=best,
                goal=self.names(s.target) if s.target is not None else t("lab.live.any_other")))
        self.progress.progress(progress[0], text=progress[1])
