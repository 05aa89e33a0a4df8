"""The live attack lab: pick an image, press Attack, watch every step, keep the verified result.

The parts live in app/lab/ (see its __init__); this page puts them in order. TensorFlow and the
engine are imported inside main() under a spinner, so the page frame appears at once on a cold
start instead of after a blank wait.
"""
from __future__ import annotations

import streamlit as st

from app.i18n import t


def main() -> None:
    with st.spinner(t("lab.loading_engine")):
        # Imported here, not at the top, to save start-up time: these import TensorFlow the first time.
        from app import controls, crowd, session, tutorial
        from app.lab import inputs, link, presenter, running
    link.restore_from_link()
    on_stage = presenter.presenter_toggle()
    presenter.stylesheet(on_stage)
    head = st.container(horizontal=True, vertical_alignment="center", key="lab-head")
    head.title(t("app.title"), width="content")
    if not on_stage:  # on stage the speaker says it; the screen keeps its height for the demo
        st.caption(t("lab.tagline"))
    tutorial_mode = tutorial.chosen_mode()  # the tutorial's three acts (app/tutorial.py) or the free lab
    controls.ensure_defaults()
    settings = controls.sidebar_controls(on_stage, tutorial=tutorial_mode)
    chosen = inputs.choose_image(on_stage, head)
    link.share_panel(settings, chosen, on_stage)
    model = session.classifier(settings.model)
    crowd.warm_up(settings.model, model)  # once per model, in the background: a room's first round is ready
    if tutorial_mode:
        tutorial.main(model, chosen, settings, on_stage)
        return
    start = inputs.show_chosen(model, chosen, settings, on_stage)
    running.lab_run(model, chosen, settings, start, on_stage)
