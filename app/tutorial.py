"""The lab's tutorial mode: the tutorial's experiment in three acts, a click each.

① the tutorial's method, live, on a float image (attack/experiments/tutorial.py), with its gradient shown so the
  slowness explains itself; ② "save as the tutorial did": round, write the PNG, read it back,
  classify, beside the tutorial's own figures; ③ "fix it": the engine's default 8-bit-safe method
  with the same target and ε, verified on its own PNG (and replayed slowly when it is over at once).

Runs use app/lab/live.py's LabRun and live loop, so they survive reruns and Stop keeps the best step.
"""
from __future__ import annotations

import math

import plotly.graph_objects as go
import streamlit as st

from app import crowd, figures, playback
from app.i18n import current_language, model_title, t
from app.lab import live, scroll
from attack.inputs import labels
from attack.render import style
from attack.experiments import tutorial as engine
from attack.attacks import make_attack
from attack.catalogue import DEFAULT_METHOD
from attack.running.history import RunHistory
from attack.settings import TOASTER, AttackSettings

MODES = ("lab", "tutorial")
PRESENTER_CSS = """<style>
.st-key-tut-acts button { min-height: 3.5rem; }
.st-key-tut-acts button p { font-size: 1.25rem; font-weight: 700; }
</style>"""
LR_CHOICES = ("rule", 0.1, 0.3, 1.0, 3.0, 10.0, 30.0, 100.0)


def name(index: int) -> str:
    return labels.display(index, current_language())


# --- the mode switch ------------------------------------------------------------------------------
def chosen_mode() -> bool:
    """Draw the lab / tutorial switch (kept in the URL as ?mode=tutorial); True for the tutorial."""
    state = st.session_state
    if not state.get("tut.restored"):
        state["tut.restored"] = True
        state["lab.mode"] = "tutorial" if st.query_params.get("mode") == "tutorial" else "lab"

    def sync() -> None:
        if state.get("lab.mode") == "tutorial":
            st.query_params["mode"] = "tutorial"
        else:
            state["lab.mode"] = "lab"  # a second click on the chosen segment would leave nothing chosen
            st.query_params.pop("mode", None)

    mode = st.segmented_control(t("tutorial.mode"), MODES, key="lab.mode", on_change=sync,
                                format_func=lambda m: t(f"tutorial.mode.{m}"), help=t("tutorial.mode.help"),
                                label_visibility="collapsed")
    return mode == "tutorial"


# --- the page -------------------------------------------------------------------------------------
def main(model, chosen, settings: AttackSettings, presenter: bool) -> None:
    state = st.session_state
    target = settings.target if settings.target is not None else TOASTER
    facts = engine.TUTORIAL_FACTS
    if presenter:
        st.html(PRESENTER_CSS)
    st.header(t("tutorial.title"))
    st.markdown(t("tutorial.intro", steps=facts["steps"], hours=facts["hours"], p=facts["probability"],
                  model=facts["model"], image=chosen.label))
    st.markdown(t("tutorial.goal", target=name(target), stop=engine.STOP_AT, model=model_title(model.title)))
    state.setdefault("tut.lr", "rule")
    lr_choice = st.select_slider(t("tutorial.lr"), LR_CHOICES, key="tut.lr",
                                 format_func=lambda v: t("tutorial.lr.rule") if v == "rule" else f"{v:g}",
                                 help=t("tutorial.lr.help", n=engine.RULE_STEPS))

    run = state.get("tut.run")
    if run is not None and (run.image_key != chosen.key or run.settings.target != target):
        if not run.running:
            st.caption(t("tutorial.other_image", name=run.image_label))
        run = None if not run.running else run
    saved = state.get("tut.saved", {}).get(run.id) if run is not None else None
    fix = state.get("tut.fix", {}).get(run.id) if run is not None else None

    act1, act2, act3 = act_buttons(run, saved, fix)
    replay_slowly = playback.toggle(st.container(key="tut-toggles"), presenter)

    if act1:
        if run is not None and run.running:
            live.conclude(run, "stopped")
        run = start_replay(model, chosen, settings, target, None if lr_choice == "rule" else float(lr_choice))
        if run is None:  # the shared worker's line is full (a notice says so)
            return
        state["tut.run"], saved, fix = run, None, None
    if run is None:
        return
    keep_only(run)
    was_running = run.running
    act_one(run, presenter)
    if was_running and not run.running:
        st.rerun()  # the act buttons above were drawn while it ran: draw them again, enabled
    if run.result is None:
        return
    if act2:
        saved = crowd.call(engine.save_as_tutorial, model, run.result.final, run.result.original.index, target)
        state.setdefault("tut.saved", {})[run.id] = saved
        st.rerun()  # redraw the act buttons with ③ enabled
    if saved is None:
        return
    act_two(run, saved, presenter)
    if act3:
        if fix is not None and fix.running:
            live.conclude(fix, "stopped")
        fix = start_fix(model, chosen, settings, target)
        if fix is None:
            return
        state.setdefault("tut.fix", {})[run.id] = fix
    if fix is not None:
        was_running = fix.running
        act_three(run, saved, fix, presenter, replay_slowly)
        if was_running and not fix.running:
            st.rerun()


def act_buttons(run, saved, fix) -> tuple[bool, bool, bool]:
    """The three acts' buttons: each enabled once the act before it has a result, the next one to press
    highlighted. Returns their clicks."""
    acts = st.container(key="tut-acts").columns(3)
    act1 = acts[0].button(t("tutorial.act1"), key="tut-act1", type="primary" if run is None else "secondary",
                          width="stretch", help=t("tutorial.act1.help"))
    act2 = acts[1].button(t("tutorial.act2"), key="tut-act2", width="stretch",
                          type="primary" if run is not None and run.result is not None and saved is None else "secondary",
                          disabled=run is None or run.result is None,
                          help=t("tutorial.act2.help") if run is not None else t("tutorial.act2.first"))
    act3 = acts[2].button(t("tutorial.act3"), key="tut-act3", width="stretch",
                          type="primary" if saved is not None and fix is None else "secondary",
                          disabled=saved is None,
                          help=t("tutorial.act3.help", method=DEFAULT_METHOD.upper()) if saved is not None
                          else t("tutorial.act3.first"))
    return act1, act2, act3


def keep_only(run: live.LabRun) -> None:
    """Drop the acts ② and ③ of earlier runs: each ③ is a whole run (frames and all), and only the
    current run's acts are ever shown again."""
    state = st.session_state
    for key in ("tut.saved", "tut.fix"):
        kept = state.get(key)
        if kept and any(run_id != run.id for run_id in kept):
            state[key] = {run_id: value for run_id, value in kept.items() if run_id == run.id}


def start_replay(model, chosen, settings: AttackSettings, target: int, lr: float | None) -> live.LabRun | None:
    """Act ①'s run, stepped by the shared worker (None, with a notice, when its line is full)."""
    method = engine.TutorialReplay(model, target=target, lr=lr)
    lab_settings = AttackSettings(model=settings.model, method="tutorial", target=target, epsilon=engine.EPSILON_LEVELS,
                               step_size=lr, max_steps=method.max_steps, stop_at=method.stop_at)
    records = crowd.submit_steps(method.run(chosen.pixels), max_steps=method.max_steps)
    if records is None:
        return None
    return live.LabRun(settings=lab_settings, image_key=chosen.key, image_label=chosen.label, classifier=model,
                       records=records, history=RunHistory())


def start_fix(model, chosen, settings: AttackSettings, target: int) -> live.LabRun | None:
    fix_settings = AttackSettings(model=settings.model, method=DEFAULT_METHOD, target=target,
                               epsilon=engine.EPSILON_LEVELS, max_steps=engine.FIX_MAX_STEPS, stop_at=engine.STOP_AT)
    attack = make_attack(DEFAULT_METHOD, model, **fix_settings.attack_kwargs())
    records = crowd.submit(attack, chosen.pixels)
    if records is None:
        return None
    return live.LabRun(settings=fix_settings, image_key=chosen.key, image_label=chosen.label, classifier=model,
                       records=records, history=RunHistory())


# --- act 1 ------------------------------------------------------------------------------------------
class ReplayView(live.LiveView):
    """The live panel plus a readout of the gradient, which is what makes the method slow."""

    def __init__(self, *, big: bool):
        self.why = st.container(key="tut-why").empty()  # above the panel, so a projector shows it
        super().__init__(names=name, log_scale=True, signed=False, big=big)

    def draw(self, run, record, progress=None) -> None:
        super().draw(run, record, progress)
        lr = getattr(record, "learning_rate", math.nan)
        gradient = record.gradient_linf * engine.SCALE  # ∂p/∂x on the tutorial's [-1, 1] scale
        move = lr * engine.SCALE * gradient  # pixel levels: lr · ∂p/∂x[-1,1] in units, × 127.5 levels
        with self.why.container():
            cells = st.columns(3)
            cells[0].metric(t("tutorial.why.p", target=name(run.settings.target)), f"{record.target_probability:.4%}")
            cells[1].metric(t("tutorial.why.gradient"), f"{gradient:.1e}")
            cells[2].metric(t("tutorial.why.move"), t("tutorial.why.move.value", levels=float(f"{move:.2g}")))
            st.caption(t("tutorial.why.slow", levels=f"{move:.2g}"))

    def clear(self) -> None:
        super().clear()
        self.why.empty()


def lr_text(run) -> str:
    record = run.history.first
    lr = getattr(record, "learning_rate", run.settings.step_size or math.nan)
    how = t("tutorial.lr.by_hand") if run.settings.step_size is not None else t("tutorial.lr.by_rule")
    return t("tutorial.lr.used", lr=f"{lr:.3g}", how=how)


def follow_act(act: int, run, phase: str) -> None:
    """Bring act `act`'s heading to the top of the window, once per run and phase ("live", "done")."""
    scroll.bring_into_view(f"[id='tut-act{act}']", f"tut{act}-{phase}-{run.id}")


def act_one(run, presenter: bool) -> None:
    st.subheader(t("tutorial.act1.header"), anchor="tut-act1")
    follow_act(1, run, "live" if run.running else "done")
    # One container, drawn running or not: the elements after it keep their place when the run ends and the
    # page reruns, so Streamlit replaces the verdict instead of showing the old one beside the new for a moment.
    panel = st.container()
    if run.running:
        with panel:
            view = ReplayView(big=presenter)
            live.drive(run, view, "tut.stop")
            view.clear()
    result = run.result
    if result is None:
        st.info(t("lab.stopped.nothing"))
        return
    facts, kept, target = engine.TUTORIAL_FACTS, result.final, run.settings.target
    crowd.budget_note(run.records)
    if run.status == "stopped" or result.last_step != result.kept_step:
        st.info(t("tutorial.stopped", last=result.last_step, step=result.kept_step))
    if kept.success:
        st.success(t("tutorial.act1.reached", target=name(target), p=kept.target_probability, step=result.kept_step,
                     seconds=result.seconds, lr=lr_text(run), steps=facts["steps"], hours=facts["hours"]))
    else:
        st.warning(t("tutorial.act1.missed", target=name(target), p=kept.target_probability, step=result.kept_step,
                     last=result.last_step, lr=lr_text(run)))
    curve, gradient = st.columns(2)
    history = run.history
    curve.plotly_chart(figures.cost_curve(history, target_label=name(target),
                                          original_label=name(history.first.top5[0].index),
                                          stop_at=run.settings.stop_at, log_scale=True, marker_step=result.kept_step,
                                          title=t("tutorial.curve.title"), big=presenter),
                       config={"displayModeBar": False}, width="stretch", theme=None, key="tut-curve")
    gradient.plotly_chart(gradient_curve(history, presenter), config={"displayModeBar": False}, width="stretch",
                          theme=None, key="tut-gradient")


def gradient_curve(history, big: bool) -> go.Figure:
    """max |∂p/∂x| per step on the [-1, 1] scale, log axis: flat and tiny for most of the run."""
    values = [max(g * engine.SCALE, 1e-12) for g in history.gradient_linf]
    line = dict(type="scatter", x=history.steps, y=values, mode="lines", name=t("tutorial.gradient.name"),
                line=dict(color=style.ACCENT, width=3))
    return figures.house_figure([line], 380 if big else 300, big, showlegend=False,
                                title=dict(text=t("tutorial.gradient.title"), font=dict(size=20 if big else 15)),
                                xaxis=dict(range=[0, max(history.steps[-1], 1)]),
                                yaxis=dict(type="log", tickformat=".0e"))


# --- act 2 ------------------------------------------------------------------------------------------
def act_two(run, saved, presenter: bool) -> None:
    st.subheader(t("tutorial.act2.header"), anchor="tut-act2")
    follow_act(2, run, "done")
    result, target, facts = run.result, run.settings.target, engine.TUTORIAL_FACTS
    memory = result.final.target_probability
    if saved.success:
        st.info(t("tutorial.saved.verdict.kept", target=name(target), memory=memory, saved=saved.target_probability))
    else:  # precisely what failed: below the goal, whether or not the target is still the file's top answer
        top = saved.top5[0]
        key = "stage.saved.below_goal_top" if top.index == target else "stage.saved.below_goal_lost"
        st.error(t(key, target=name(target), memory=memory, saved=saved.target_probability, goal=engine.STOP_AT,
                   top=name(top.index)))
    cells = st.columns([2, 2, 2, 3])
    cells[0].metric(t("tutorial.memory"), f"{memory:.1%}")
    cells[1].metric(t("tutorial.saved"), f"{saved.target_probability:.1%}",
                    delta=t("tutorial.drop", points=100 * (saved.target_probability - memory)))
    top = saved.top5[0]
    cells[2].metric(t("tutorial.saved.top1"), f"{top.probability:.1%}", help=name(top.index))
    cells[2].caption(name(top.index))
    cells[3].image(result.verification.png, caption=t("tutorial.saved"), width=220 if not presenter else 300,
                   output_format="PNG")  # the saved file itself (an array would go out as a JPEG)
    st.caption(t("tutorial.saved.why"))
    rows = [t("tutorial.table.model"), t("tutorial.table.steps"), t("tutorial.table.time"),
            t("tutorial.table.memory", target=name(target)), t("tutorial.table.saved", target=name(target))]
    theirs = [facts["model"], f"{facts['steps']:,}", t("tutorial.table.hours", hours=facts["hours"]),
              f"{facts['probability']:.2%}", t("tutorial.table.not_reported")]
    ours = [model_title(run.classifier.title), f"{result.kept_step:,}", t("tutorial.table.seconds", seconds=result.seconds),
            f"{memory:.2%}", f"{saved.target_probability:.2%}"]
    st.table({t("tutorial.table.what"): rows, t("tutorial.table.tutorial"): theirs, t("tutorial.table.here"): ours})
    st.download_button(t("tutorial.download"), saved.png, f"{file_stem(run)}-tutorial.png", "image/png",
                       key="tut.download", on_click="ignore", icon=":material/download:")


def file_stem(run) -> str:
    stem = run.image_label.rsplit(".", 1)[0].replace(" ", "_") or "image"
    return f"{stem}-{run.settings.target}"


# --- act 3 ------------------------------------------------------------------------------------------
def act_three(run, saved, fix, presenter: bool, replay_slowly: bool) -> None:
    st.subheader(t("tutorial.act3.header"), anchor="tut-act3")
    follow_act(3, fix, "live" if fix.running else "done")
    panel = st.container()  # drawn running or not, as in act ①
    if fix.running:
        with panel:
            view = live.LiveView(names=name, log_scale=False, signed=False, big=presenter)
            if live.drive(fix, view, "tut.fix.stop", draw_last=not replay_slowly):
                playback.after_live(fix, view, enabled=replay_slowly)
            view.clear()
    result = fix.result
    if result is None:
        st.info(t("lab.stopped.nothing"))
        return
    target, v = fix.settings.target, result.verification
    crowd.budget_note(fix.records)
    if fix.status == "stopped" or result.last_step != result.kept_step:
        st.info(t("tutorial.stopped", last=result.last_step, step=result.kept_step))
    values = dict(method=DEFAULT_METHOD.upper(), p=v.target_probability, target=name(target), steps=result.kept_step,
                  seconds=result.seconds)
    (st.success if v.success else st.warning)(t("tutorial.fix.success" if v.success else "tutorial.fix.failure",
                                                **values))
    cells = st.columns([2, 2, 2, 3])
    cells[0].metric(t("tutorial.memory"), f"{run.result.final.target_probability:.1%}")
    cells[1].metric(t("tutorial.short.saved"), f"{saved.target_probability:.1%}", help=t("tutorial.saved"))
    cells[2].metric(t("tutorial.short.fixed"), f"{v.target_probability:.1%}", help=t("tutorial.fix.compare"))
    cells[3].image(v.png, caption=t("tutorial.fix.compare"), width=220 if not presenter else 300, output_format="PNG")
    st.caption(t("tutorial.fix.why"))
    st.download_button(t("tutorial.download.fixed"), v.png, f"{file_stem(run)}-{DEFAULT_METHOD}.png", "image/png",
                       key="tut.download.fixed", on_click="ignore", icon=":material/download:")
