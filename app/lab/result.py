"""The lab's result: the verdict, the original / perturbation / adversarial images with their
measures, the replay of any recorded step, and the survival and transfer checks.

Everything shown is about the PNG that was written and read back (attack.runner.finish), never the
image in memory. The checks are computed once per run and kept in the session under `checks_key`
(the downloaded report and GIF under app/lab/files.py's `renders_key`); `forget` drops them when a
newer run replaces the result.
"""
from __future__ import annotations

import math

import numpy as np
import streamlit as st

from app import crowd, figures, session
from app.checks_panel import render_checks, render_skipped, render_transfer
from app.i18n import current_language, t
from app.lab.files import downloads, renders_key, report_downloads
from app.lab.inputs import names
from app.lab.live import LabRun
from attack.catalogue import CATALOGUE
from attack.running.history import RunHistory, RunResult
from attack.running.metrics import amplify
from attack.settings import AttackSettings

CHECKS_POLL_SECONDS = 1.0  # how often a result page looks whether its checks are in (a cheap fragment rerun)


def checks_key(run: LabRun) -> str:
    """Where a run's survival and transfer checks are kept in the session."""
    return f"lab.checks.{run.id}"


def forget(run: LabRun) -> None:
    """Drop what the session kept for a run whose result a newer run replaces."""
    st.session_state.pop(checks_key(run), None)
    job = st.session_state.pop(f"{checks_key(run)}.job", None)
    if job is not None:
        job.close()  # nobody will see the old result's checks
    st.session_state.pop(f"{checks_key(run)}.parts", None)
    st.session_state.pop(renders_key(run), None)


def banner(run: LabRun) -> None:
    """The verdict: fooled (with what it took), stopped, or why not yet."""
    result, s = run.result, run.settings
    top = result.verification.top5[0]
    crowd.budget_note(run.records)
    if run.status == "stopped":
        st.info(t("lab.result.stopped", step=result.kept_step) if result.kept_step == result.last_step
                else t("lab.result.stopped.best", last=result.last_step, step=result.kept_step))
    if result.success:
        d = result.distances
        kind = ("lab.result.success_queries" if result.final.queries is not None
                else "lab.result.success" if CATALOGUE[s.method].uses_epsilon
                else "lab.result.success_l0")
        st.success(t(kind, original=names(result.original.index), label=names(top.index),
                     p=top.probability, steps=result.kept_step, seconds=result.seconds, eps=s.epsilon,
                     pixels=d.l0, total=result.final.image.shape[0] * result.final.image.shape[1],
                     share=d.l0_fraction))
    elif run.status != "stopped":
        st.warning(failure_text(result, s))


def failure_text(result: RunResult, s: AttackSettings) -> str:
    """Why the run is not a success, honestly: a target already on top but below the stop level is a
    near miss, not "still read as" the same thing; then what to try next."""
    top = result.verification.top5[0]
    near = top.index == s.target if s.target is not None else top.index != result.original.index
    if near and s.target is not None:
        text = t("lab.result.below_stop", label=names(top.index), p=top.probability, steps=result.kept_step,
                 stop=s.stop_at)
    elif near:
        text = t("lab.result.below_stop_untargeted", label=names(top.index), steps=result.kept_step,
                 original=names(result.original.index), p=result.verification.original_probability,
                 left=1 - s.stop_at)
    else:
        # Steps computed (the replay's last step), not the index of the kept step.
        failure = "stage.result.failure_queries" if result.final.queries is not None else "stage.result.failure"
        text = t(failure, label=names(top.index), p=top.probability, last=result.last_step)
        if result.kept_step != result.last_step:
            text = f"{text}{'' if current_language() == 'zh' else ' '}{t('stage.result.kept_step', step=result.kept_step)}"
    entry = CATALOGUE[s.method]
    if not entry.uses_epsilon:  # JSMA: ε does not apply, "a larger ε" would mislead
        tips = [t("stage.tip.no_epsilon", method=t(entry.title_key))]
    else:
        tips = [t("lab.tip.epsilon")] if s.epsilon < 8 else []
        tips.append(t("lab.tip.steps") if result.last_step >= s.max_steps else t("lab.tip.method"))
    if near:
        tips.append(t("lab.tip.stop_at"))
    if s.method == "gradient-ascent":
        tips.append(t("lab.tip.gradient_ascent"))
    space = "" if current_language() == "zh" else " "  # Chinese sentences end in "。" and need no space
    return space.join([text, *tips])


def show_result(run: LabRun, *, log_scale: bool, signed: bool, presenter: bool) -> None:
    """The verified result; on a projector its extras go into tabs, so it takes at most two screens."""
    result, s, history = run.result, run.settings, run.history
    if not presenter:  # on stage the coloured verdict is the headline
        st.subheader(t("lab.result"))
    banner(run)
    final = result.final
    picture, factor = amplify(final.original, final.image)
    before, delta, after = st.columns(3)
    before.image(final.original, caption=t("lab.result.original"), width="stretch")
    shown = 2 if presenter else 3
    top_predictions(before, history.first.top5, s.target, result.original.index, shown)
    delta.image(picture, caption=t("lab.result.amplified", factor=factor), width="stretch")
    # The saved file's own bytes, as PNG: "Save image as…" in the browser gives the file that fools the
    # model (an array would be sent as a JPEG, which would not).
    after.image(result.verification.png, caption=t("lab.result.adversarial"), width="stretch", output_format="PNG")
    top_predictions(after, result.verification.top5, s.target, result.original.index, shown)
    if not presenter:  # explanations for a reader; on stage the speaker gives them, the screen keeps the height
        delta.caption(t("lab.result.amplified.help", factor=factor))
        after.caption(t("lab.result.verified"))

    d = result.distances
    cells = st.columns(7)
    sparse = CATALOGUE[s.method].l0  # JSMA: L0 is the measure that matters
    counted = "queries" if final.queries is not None else "steps"  # a black-box attack's steps are queries
    values = [("L∞", f"{d.linf:.0f}"), ("L2", f"{d.l2:.1f}"),
              ("L0", f"{d.l0:,} px" if sparse else f"{d.l0_fraction:.0%}"),
              ("PSNR", "∞" if math.isinf(d.psnr) else f"{d.psnr:.1f} dB"), ("SSIM", f"{d.ssim:.4f}"),
              (t(f"lab.metric.{counted}"), f"{result.last_step}"), (t("lab.metric.seconds"), f"{result.seconds:.1f} s")]
    helps = ("linf", "l2", "l0_pixels" if sparse else "l0", "psnr", "ssim", counted, "seconds")
    for cell, (name, value), help_key in zip(cells, values, helps):
        cell.metric(name, value, help=t(f"lab.metric.{help_key}.help"))
    if not presenter:
        st.caption(t("lab.result.timing", wall=run.wall_seconds, redraws=run.redraws,
                     share=run.draw_seconds / run.wall_seconds if run.wall_seconds else 0.0))

    if presenter:
        # On a projector the rest goes into tabs, so the whole result takes at most two screens.
        replay_tab, checks_tab, transfer_tab, files_tab = st.tabs(
            [t("lab.replay"), t("lab.checks.tab"), t("transfer.title"), t("lab.downloads")], key="lab-result-tabs")
        with replay_tab:
            replay(run, log_scale=log_scale, signed=signed, big=True)
        robustness_panel(run, checks_tab, transfer_tab)
        with files_tab:
            downloads(run)
            report_downloads(run)
        return
    replay(run, log_scale=log_scale, signed=signed, big=False)
    downloads(run)
    report_downloads(run)
    st.subheader(t("lab.checks.title"))
    # One above the other: side by side, the checks table lost its last column at 1280 px.
    robustness_panel(run, st.container(), st.container())


def top_predictions(column, predictions, target, original, count: int = 3) -> None:
    """The top classes as lines, the target in red and the original class in blue."""
    lines = []
    for p in predictions[:count]:
        name = names(p.index)
        if p.index == target:
            name = f":red[**{name}**]"
        elif p.index == original:
            name = f":blue[**{name}**]"
        lines.append(f"{name} — {p.probability:.1%}")
    column.markdown("  \n".join(lines))


def replay(run: LabRun, *, log_scale: bool, signed: bool, big: bool) -> None:
    """Any recorded step again: its picture, its perturbation and the curve up to it (no recomputing)."""
    s, history = run.settings, run.history
    kept = sorted(history.frames)
    st.markdown(f"**{t('lab.replay')}**")
    if len(kept) >= 2:
        step = st.select_slider(t("lab.replay.step"), kept, value=kept[-1], key=f"lab.replay.{run.id}",
                                help=t("lab.replay.help", kept=len(kept), total=len(history)))
    else:
        step = kept[0]
    step, frame = history.frame_at(step)
    # Big (presenter): picture, heatmap and curve in one row, so the replay fits one screen.
    image_col, heat_col, *curve_col = st.columns([1, 1, 2] if big else 2)
    image_col.image(frame, caption=t("lab.live.image", step=step), width="stretch")
    heat_col.plotly_chart(figures.heatmap(frame.astype(np.int16) - history.first.image.astype(np.int16),
                                          epsilon=s.epsilon, signed=signed, big=big, unit=t("lab.live.levels"),
                                          title=t("lab.live.heatmap_signed" if signed else "lab.live.heatmap")),
                          config={"displayModeBar": False}, width="stretch", theme=None)
    original = history.first.top5[0].index
    curve = figures.cost_curve(history, target_label=names(s.target) if s.target is not None else None,
                               original_label=names(original), stop_at=s.stop_at, log_scale=log_scale,
                               marker_step=step, big=big, **curve_titles(history))
    (curve_col[0] if curve_col else st).plotly_chart(curve, config={"displayModeBar": False}, width="stretch",
                                                     key="replay-cost", theme=None)


def curve_titles(history: RunHistory) -> dict:
    """A black-box attack's curve is per query, and says it never looks inside the model."""
    if history.last is not None and history.last.queries is not None:
        return {"title": t("lab.live.curve_queries"), "x_title": t("lab.live.queries")}
    return {"title": t("lab.live.curve")}


def robustness_panel(run: LabRun, checks_place, transfer_place) -> None:
    """Does the result survive JPEG, resizing, defences — and does it fool other models? Computed once per
    run on the shared worker in the background: the verdict above never waits for them."""
    result = run.result
    if not result.success:
        # Nothing fooled, nothing to survive: "0 of 12" and "fools 0 of 2 other models" would only confuse.
        with checks_place:
            render_skipped(stopped=run.status == "stopped", tips=run.status != "stopped")
        return
    key, state = checks_key(run), st.session_state
    if key not in state and f"{key}.job" not in state:
        model = session.classifier(run.settings.model)
        state[f"{key}.job"] = crowd.checks_job(model, result.final.original, result.final.image, result.target,
                                               loader=session.classifier)
        state[f"{key}.parts"] = []
    if key not in state:
        with checks_place:
            _checks_pending(key)
        return
    checks, transfer = state[key]
    with checks_place:
        render_checks(checks)
    with transfer_place:
        render_transfer(transfer)


@st.fragment(run_every=CHECKS_POLL_SECONDS)
def _checks_pending(key: str) -> None:
    """Reruns alone every CHECKS_POLL_SECONDS until the checks are in, then redraws the page with them."""
    state = st.session_state
    job, parts = state.get(f"{key}.job"), state.get(f"{key}.parts")
    if job is None or parts is None:
        return
    try:
        while (part := job.next(timeout=0.05)) is not None:
            parts.append(part)
    except StopIteration:
        pass
    if len(parts) == 2:
        state[key] = tuple(parts)
        state.pop(f"{key}.job", None)
        state.pop(f"{key}.parts", None)
        st.rerun()  # the whole page: the result is drawn again with the checks in their place
    st.info(t("stage.checks.pending"), icon=":material/hourglass_top:")
