"""The lab's run: Attack starts one on the shared worker (app/crowd.py), the live panel follows it
(app/lab/live.py) until it ends or Stop is clicked, then the result takes the panel's place
(app/lab/result.py). The session keeps one run, under `lab.run`; a new one replaces it.
"""
from __future__ import annotations

import streamlit as st

from app import crowd, playback
from app.i18n import t
from app.lab import live, result, scroll
from app.lab.inputs import Chosen, names
from attack.running.history import RunHistory
from attack.models import Classifier
from attack.running.runner import build_attack
from attack.settings import AttackSettings



def lab_run(model: Classifier, chosen: Chosen, settings: AttackSettings, start: bool, presenter: bool) -> None:
    """Start a run when Attack was clicked; show the session's run live while it runs, then its result."""
    state = st.session_state
    run = state.get("lab.run")
    if start:
        if run is not None:
            if run.running:
                live.conclude(run, "stopped")  # waits for the run's lock
            result.forget(run)  # its checks and replay marks would otherwise stay in the session for good
            playback.forget(run)
        run = new_run(model, chosen, settings)
        if run is None:  # the shared worker's line is full (a notice says so)
            state.pop("lab.run", None)
            return
        state["lab.run"] = run
    if run is None:
        return
    toggles = st.container(horizontal=True, gap="large", key="lab-toggles")
    log_scale = toggles.toggle(t("lab.log_scale"), key="lab.log", help=t("lab.log_scale.help"))
    signed = toggles.toggle(t("lab.signed"), key="lab.signed", help=t("lab.signed.help"))
    replay_slowly = playback.toggle(toggles, presenter)
    # The live panel starts below the fold (at 1280 × 720 and 1440 × 900 alike): bring it into view.
    scroll.bring_into_view(scroll.container_selector("lab-toggles"), f"live-{run.id}" if run.running else None)
    # The live panel and the result each get a slot. Creating the result's slot before the run starts
    # replaces a previous result with an empty element at once: Streamlit would otherwise keep it,
    # greyed out, below the new live panel until the new run ends.
    live_slot, result_slot = st.empty(), st.empty()
    if run.running:
        with live_slot.container(key="lab-live"):
            view = live.LiveView(names=names, log_scale=log_scale, signed=signed, big=presenter)
            if live.drive(run, view, "lab.stop", draw_last=not replay_slowly):
                playback.after_live(run, view, enabled=replay_slowly)  # too fast to follow: replay it
        live_slot.empty()
    with result_slot.container(key="lab-result"):
        # The verdict stays in view when the run ends or is stopped (the page would otherwise jump).
        scroll.bring_into_view(scroll.container_selector("lab-result"), f"verdict-{run.id}")
        if run.result is None:
            if run.status == "stopped":
                st.info(t("lab.stopped.nothing"))
            return
        if run.image_key != chosen.key:
            st.caption(t("lab.result.other_image", name=run.image_label))
            return
        result.show_result(run, log_scale=log_scale, signed=signed, presenter=presenter)


def new_run(model: Classifier, chosen: Chosen, settings: AttackSettings) -> live.LabRun | None:
    """A run for the shared worker to step; None (with a notice) when its line is full."""
    attack = build_attack(model, settings)
    records = crowd.submit(attack, chosen.pixels)  # stepped by the process's shared worker
    if records is None:
        return None
    run = live.LabRun(settings=settings, image_key=chosen.key, image_label=chosen.label, classifier=model,
                      records=records, history=RunHistory())
    return run
