"""The training panel: what to train, on which photos, the Train and Stop buttons, and the live view
(the sticker or noise as it is now, and the held-out success curve)."""
from __future__ import annotations

import time

import streamlit as st

from app import crowd, session
from app.figures import house_figure
from app.i18n import error_text, t, translated
from app.lab.inputs import IMAGE_UPLOAD_MB, UPLOAD_TYPES
from app.sticker import assets, bounds
from app.sticker.train import KINDS, REDRAW_SECONDS, Training, conclude, request_stop, start
from attack.plumbing.errors import UserError
from attack.inputs.labels import MAX_QUERY_CHARS, resolve
from attack.render import style

K = "stickerpage."
STATIC = {"displayModeBar": False, "staticPlot": True}


def training_panel(model, big: bool) -> None:
    """Ask what to train, start it on Train, and follow the session's run until it ends or Stop."""
    state = st.session_state
    st.subheader(t("stickerpage.train"), anchor=False)
    with st.container(key="stickerpage-train"):
        kind_col, what_col, steps_col = st.columns(3, gap="medium")
        kind = kind_col.segmented_control(t("stickerpage.train.kind"), KINDS, default="sticker", required=True,
                                          key=translated(K + "train.kind"),
                                          format_func=lambda k: t(f"stickerpage.train.kind.{k}"))
        if kind == "sticker":
            target_text = what_col.text_input(t("stickerpage.train.target"), "toaster", max_chars=MAX_QUERY_CHARS,
                                              key=K + "train.target")
            epsilon = bounds.DEFAULT_EPSILON
        else:
            target_text = ""
            epsilon = what_col.slider(t("stickerpage.train.eps"), *bounds.EPSILON, bounds.DEFAULT_EPSILON,
                                      key=K + "train.eps")
        steps = steps_col.slider(t("stickerpage.train.steps"), *bounds.STEPS, bounds.DEFAULT_STEPS, key=K + "train.steps")
        uploads = st.file_uploader(t("stickerpage.train.photos", n=bounds.MAX_TRAIN_UPLOADS), type=UPLOAD_TYPES,
                                   accept_multiple_files=True, key=K + "train.uploads", max_upload_size=IMAGE_UPLOAD_MB)
        total = len(session.SAMPLES) + len(uploads or [])
        held = (total + 2) // 3
        budget = crowd.budget(steps)
        st.caption(t("stickerpage.train.data", train=total - held, held=held) + " "
                   + t("stickerpage.train.budget", steps=budget.steps, seconds=f"{budget.seconds:g}"))
        clicked = st.button(t("stickerpage.train.start"), type="primary", key="stickerpage-train-start",
                            icon=":material/model_training:")
    if clicked:
        previous = state.get(K + "training")
        if previous is not None:
            conclude(previous, "stopped")
        try:
            target = resolve(target_text.strip()) if kind == "sticker" else None
            run = start(model, kind, int(steps), target, float(epsilon), list(uploads or []))
        except (UserError, ValueError) as error:  # a bad class name, photo or bound: one sentence, nothing lost
            st.error(error_text(error))
            return
        if run is None:
            return
        state[K + "training"] = run
    run = state.get(K + "training")
    if run is not None:
        live(run, big)


class TrainingView:
    """The live panel's slots, filled again at every redraw."""

    def __init__(self, run: Training, big: bool):
        bar_col, stop_col = st.columns([5, 2], vertical_alignment="bottom")
        self.progress, self.stop_slot = bar_col.empty(), stop_col.empty()
        picture_col, curve_col = st.columns([1, 2] if not big else [1, 3], gap="large")
        self.picture, self.curve, self.pulse, self.big = picture_col.empty(), curve_col.empty(), st.empty(), big
        self.count = 0

    def heartbeat(self) -> None:
        """A cheap Streamlit call: where a closed tab or a click reaches the script."""
        self.pulse.empty()

    def draw(self, run: Training) -> None:
        self.count += 1
        self.progress.progress(min(run.step / run.steps, 1.0),
                               text=t("stickerpage.train.progress", step=run.step, steps=run.steps))
        if run.latest is not None:
            if run.kind == "sticker":
                picture, caption = run.latest, t("stickerpage.train.emerging", step=run.step)
            else:
                factor = assets.magnification(run.epsilon)
                picture = assets.magnified(run.latest, factor)
                caption = t("stickerpage.train.noise_now", factor=factor, step=run.step)
            self.picture.image(picture, caption=caption, width="stretch")
        self.curve.plotly_chart(curve(run, self.big), config=STATIC, width="stretch", theme=None,
                                key=f"stickerpage-curve-{id(run)}-{self.count}")


def curve(run: Training, big: bool):
    """The held-out success (or fooling rate) per evaluated step."""
    steps = [s for s, _ in run.curve]
    line = dict(type="scatter", x=steps, y=[r for _, r in run.curve], mode="lines+markers",
                line=dict(color=style.TARGET, width=3), name=t("stickerpage.train.curve"))
    return house_figure([line], 220 if big else 260, big, showlegend=False,
                        title=dict(text=t("stickerpage.train.curve"), x=0.01, xanchor="left"),
                        xaxis=dict(range=[0, run.steps], title=dict(text=t("stickerpage.train.step_axis"))),
                        yaxis=dict(range=[0, 1.02], tickformat=".0%"))


def live(run: Training, big: bool) -> None:
    """Follow a running training (a rerun resumes it), then say how it ended and show what is kept."""
    view = TrainingView(run, big)
    if run.status == "running":
        with run.lock:
            if run.stop_requested:
                conclude(run, "stopped")
            elif view.stop_slot.button(t("stickerpage.train.stop"), key="stickerpage-train-stop",
                                       on_click=request_stop, args=(run,), icon=":material/stop_circle:"):
                conclude(run, "stopped")
            else:
                follow(run, view)
        view.stop_slot.empty()
    view.draw(run)
    rate = "–" if run.best_rate is None else f"{run.best_rate:.0%}"
    if run.best is None:
        st.info(t("stickerpage.train.nothing"))
    else:
        st.success(t(f"stickerpage.train.{'stopped' if run.status == 'stopped' else 'done'}", step=run.step,
                     rate=rate), icon=":material/check_circle:")
    crowd.budget_note(run.job)


def follow(run: Training, view: TrainingView) -> None:
    """Read the job's records into the run, redrawing at most every REDRAW_SECONDS; keep the best at the end."""
    crowd.wait_in_line(run.job, view.progress)
    drawn = 0.0
    try:
        for record in crowd.follow(run.job, view.heartbeat):
            run.absorb(record)
            if time.monotonic() - drawn >= REDRAW_SECONDS:
                view.draw(run)
                drawn = time.monotonic()
    except UserError as error:
        st.error(error_text(error))
        conclude(run, "done")
        return
    conclude(run, "done")
    st.rerun()  # the panels above show the sticker or noise just kept
