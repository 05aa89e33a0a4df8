"""Play a finished run back at a pace an audience can follow, from the run's own recorded steps.

The default run on a sample often ends in a few steps and well under a second, so its live panel
flashes past (the README's lab section has the figures).
When a run finished faster than `WATCHABLE_SECONDS` (or showed fewer than `MIN_FRAMES` live), its steps are drawn again through the same
live panel (image, heatmap, top-5, curve) at about `PACE` steps a second and at most
`MAX_SECONDS` in all; a Skip button ends it. Long runs were watchable live and are not replayed.

Nothing is recomputed: each frame is `RunHistory.record_at(step)` (the recorded scalars, top-5
and kept image) and the curve is `RunHistory.prefix(step)`, so playback never calls the model.
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Callable

import streamlit as st

from app.i18n import t
from attack.running.history import RunHistory

PACE = 3.0  # steps a second: slow enough to read the top-5, quick enough to keep the room
MAX_SECONDS = 5.0  # longer runs are sampled down to about PACE · MAX_SECONDS frames
WATCHABLE_SECONDS = 4.0  # a run that took longer than this was already watchable live ...
MIN_FRAMES = 10  # ... unless the live panel drew fewer frames than this (e.g. a one-off compile took the time)


@dataclass(frozen=True)
class Moment:
    """What the live view needs to draw one step: the run's settings and id, its history up to then."""

    settings: object
    history: RunHistory
    id: int


def too_fast(run) -> bool:
    """Whether a finished run went by faster than an audience can follow (and has steps to show)."""
    if run.status != "done" or len(run.history) < 2:
        return False
    return run.wall_seconds < WATCHABLE_SECONDS or run.redraws < min(len(run.history), MIN_FRAMES)


def schedule(steps: list[int], pace: float = PACE, most: float = MAX_SECONDS) -> tuple[list[int], float]:
    """The recorded steps to show (first and last always) and the pause between two of them."""
    limit = max(2, int(pace * most) + 1)
    if len(steps) <= limit:
        chosen = list(steps)
    else:  # evenly spaced, first and last included
        chosen = sorted({steps[round(i * (len(steps) - 1) / (limit - 1))] for i in range(limit)})
    return chosen, 1.0 / pace


def play(run, view, *, sleep: Callable[[float], None] = time.sleep, pace: float = PACE,
         after: int | None = None) -> list[int]:
    """Draw the run's kept steps one by one with `view.draw`; returns the steps drawn. With `after` (the
    step the live panel showed last) it continues from there instead of starting again at step 0."""
    history: RunHistory = run.history
    kept = sorted(history.frames)
    if after is not None:
        kept = [step for step in kept if step > after]
    steps, pause = schedule(kept, pace) if kept else ([], 1.0 / pace)
    for i, step in enumerate(steps):
        if i or after is not None:
            sleep(pause)
        view.draw(Moment(run.settings, history.prefix(step), run.id), history.record_at(step))
    return steps


# --- Streamlit wiring ---------------------------------------------------------------------------
def toggle(container, presenter: bool) -> bool:
    """The "watchable replay" switch: follows presenter mode until the user sets it."""
    state = st.session_state
    if not state.get("playback.touched"):
        state["lab.playback"] = presenter

    def touched() -> None:
        state["playback.touched"] = True

    return container.toggle(t("playback.toggle"), key="lab.playback", on_change=touched,
                             help=t("playback.toggle.help", pace=PACE, seconds=WATCHABLE_SECONDS))


def forget(run) -> None:
    """Drop the session's mark that `run` was replayed, once a newer run replaces it."""
    st.session_state.get("playback.done", set()).discard(run.id)


def after_live(run, view, *, enabled: bool) -> None:
    """Right after a run finished live: once, replay what the live panel skipped if it was too fast to
    follow (from the step it showed last, never from step 0); in any case end on the last step."""
    done = st.session_state.setdefault("playback.done", set())
    last = run.history.last
    if enabled and run.id not in done and too_fast(run):
        done.add(run.id)  # before drawing: a Skip (a rerun) must not start the replay again
        view.stop_slot.button(t("playback.skip"), key=f"playback.skip.{run.id}", icon=":material/skip_next:",
                              help=t("playback.skip.help"))

        class Announced:
            """The live view, with a progress line that says this is the recorded run played back."""

            def draw(self, moment, record) -> None:
                view.draw(moment, record, progress=(min(record.step / max(last.step, 1), 1.0), t(
                    "playback.progress", step=record.step, total=last.step, pace=PACE)))
                run.shown_step = record.step

        play(run, Announced(), after=run.shown_step)
    if last is not None and run.shown_step != last.step:
        view.draw(run, last)  # the live loop left the last step to the replay
        run.shown_step = last.step
