"""Robustness explorer: plain vs robust attack, what survives, what transfers, and the ε curve.

Both sides are attack.settings.AttackSettings with the lab's defaults and ranges; the robust side
adds expectation over transformation (EOT) and, optionally, a second model.

The session keeps one compare outcome (two results, trimmed to their first, kept and last frames)
and one sweep (numbers only): within app.memory.EXPLORER_BUDGET_BYTES at any working size.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Iterator

import numpy as np
import plotly.graph_objects as go
import streamlit as st

from app import crowd
from app.checks_panel import render_checks, render_skipped, render_transfer
from app.i18n import class_name, error_text, model_title, t, translated
from app.samples import ASSETS, DEFAULT_SAMPLE
from app.samples import SAMPLES as SAMPLE_FILES
from app.session import classifier
from attack.render import style
from attack.catalogue import CATALOGUE, DEFAULT_METHOD
from attack.running.history import RunHistory
from attack.inputs.images import check_size, load_image
from attack.inputs.labels import MAX_QUERY_CHARS, resolve
from attack.models import DEFAULT_MODEL, MODELS, Classifier, availability
from attack.experiments.robustness import TRANSFORMS
from attack.running.runner import build_attack
from attack.settings import (DEFAULT_EPSILON, DEFAULT_MAX_STEPS, DEFAULT_STOP_AT, RANGES, TOASTER,
                             AttackSettings, box_is_empty)
from attack.experiments.sweep import MAX_LEVELS_CHARS, SweepPoint, parse_levels, sweep, sweep_point

# The lab's samples, by file; the espresso first (the explorer's default).
SAMPLES = tuple(sorted(SAMPLE_FILES.values(), key=lambda f: f != SAMPLE_FILES[DEFAULT_SAMPLE]))
ENSEMBLE_CHOICES = ("", "efficientnet-lite1", "efficientnet-lite2")
WORKING_SIZES = (160, 224, 320, 480)
K = "explorer."  # widget and state keys
ROBUST_EPSILON = 8.0  # EOT spreads the change over random transformations: it needs more room than a plain run
EOT_SAMPLES = 8


@dataclass(frozen=True)
class ExplorerSettings:
    """What the sidebar asks for: the image at the working size, the plain attack, and the robust one."""

    pixels: np.ndarray
    plain: AttackSettings
    robust: AttackSettings  # the plain settings with its own ε and EOT draws
    ensemble: str  # a second model for the robust side; "" for none

    @property
    def target(self) -> int | None:
        return self.plain.target


def model(name: str) -> Classifier:
    """The classifier shared with the lab (one cached copy per model per process, not one per page)."""
    return classifier(name)


@st.cache_data(show_spinner=False, max_entries=16)
def working_pixels(data: bytes, side: int, name: str) -> np.ndarray:
    """The image at the working size (the engine's loader, so uploads get the same checks)."""
    return load_image(data, max_side=side, name=name).pixels


def _percent(p: float) -> str:
    return "–" if p is None or math.isnan(p) else f"{p:.0%}"


# --- controls -----------------------------------------------------------------------------------

def sidebar() -> ExplorerSettings | None:
    """The settings, or None when the image or target cannot be used (the error is shown)."""
    sb = st.sidebar
    sb.subheader(t("explorer.image"))
    # Display names are looked up now, in this run's language (format_func may be called later).
    sample_names = {f: t(f"sample.{f.split('.')[0]}") for f in SAMPLES}  # the lab's names for the same photos
    sample = sb.selectbox(t("explorer.sample"), SAMPLES, key=translated(K + "sample"), format_func=sample_names.get)
    upload = sb.file_uploader(t("explorer.upload"), type=["png", "jpg", "jpeg", "webp", "bmp", "gif", "tif", "tiff"],
                              key=K + "upload", max_upload_size=25)  # = attack.images.MAX_BYTES (MiB)
    side = sb.select_slider(t("explorer.working_size"), WORKING_SIZES, value=224, key=K + "side",
                            help=t("explorer.working_size_help"))
    # max_chars is enforced by the server too (Streamlit cuts a longer value): no name is longer.
    target_text = sb.text_input(t("explorer.target"), value=class_name(TOASTER), key=K + "target",
                                max_chars=MAX_QUERY_CHARS, help=t("explorer.target_help"))
    # The explorer compares plain with EOT-robust runs over ε: only the methods EOT can wrap.
    methods = [m for m, entry in CATALOGUE.items() if entry.eot]
    method_names = {m: t(CATALOGUE[m].title_key) for m in methods}
    method = sb.selectbox(t("explorer.method"), methods, index=methods.index(DEFAULT_METHOD),
                          key=translated(K + "method"), format_func=method_names.get)
    steps, stop, eps, eot = RANGES["max_steps"], RANGES["stop_at"], RANGES["epsilon"], RANGES["eot_samples"]
    max_steps = sb.number_input(t("explorer.max_steps"), int(steps.low), int(steps.high), DEFAULT_MAX_STEPS,
                                key=K + "max_steps")
    stop_at = sb.slider(t("explorer.stop_at"), stop.low, stop.high, DEFAULT_STOP_AT, 0.01, key=K + "stop_at")
    sb.subheader(t("explorer.plain"))
    # ε sliders end at 16 levels: beyond that the change is plain to see and robustness is no question.
    plain_eps = sb.slider(t("explorer.epsilon"), eps.low, 16.0, DEFAULT_EPSILON, 0.5, key=K + "plain_eps")
    sb.subheader(t("explorer.robust"))
    robust_eps = sb.slider(t("explorer.epsilon"), eps.low, 16.0, ROBUST_EPSILON, 0.5, key=K + "robust_eps")
    samples = sb.slider(t("explorer.eot_samples"), int(eot.low), int(eot.high), EOT_SAMPLES, key=K + "eot",
                        help=t("explorer.eot_help"))
    model_names = {n: model_label(n) for n in ENSEMBLE_CHOICES}
    ensemble = sb.selectbox(t("explorer.ensemble"), ENSEMBLE_CHOICES, key=translated(K + "ensemble"),
                            format_func=model_names.get, help=t("explorer.ensemble_help"))
    try:
        if upload is not None:
            check_size(upload.size, upload.name)  # before its bytes are copied or hashed
            pixels = working_pixels(upload.getvalue(), side, upload.name)
        else:
            pixels = working_pixels((ASSETS / sample).read_bytes(), side, sample)
        target = resolve(target_text.strip()) if target_text.strip() else None
    except ValueError as error:  # ImageError and LabelNotFound are ValueErrors with a .message
        st.error(error_text(error))
        return None
    plain = AttackSettings(method=method, target=target, epsilon=float(plain_eps), max_steps=int(max_steps),
                           stop_at=float(stop_at))
    return ExplorerSettings(pixels, plain, replace(plain, epsilon=float(robust_eps), eot_samples=int(samples)),
                            ensemble)


def model_label(name: str) -> str:
    if not name:
        return t("explorer.ensemble_none")
    return model_title(MODELS[name].title) + ("" if availability(name)[0] else " ✗")


# --- plain vs robust ----------------------------------------------------------------------------

def ensemble_models(settings: ExplorerSettings) -> dict:
    """The robust side's extra model as run_attack's `ensemble` setting ({} when there is none)."""
    return {"ensemble": [model(settings.ensemble)]} if settings.ensemble else {}


def run_side(which: str, main: Classifier, settings: ExplorerSettings, robust: bool) -> dict | None:
    """One attack on the shared worker with a live progress bar, then its checks and transfer results
    (None, with a notice, when the worker's line is full or the run could change nothing)."""
    label = t("explorer.robust") if robust else t("explorer.plain")
    side = settings.robust if robust else settings.plain
    bar = st.progress(0.0, text=t("explorer.running", which=label, step=0, budget=side.max_steps))

    def on_step(record) -> None:
        bar.progress(min(record.step / side.max_steps, 1.0),
                     text=t("explorer.running", which=label, step=record.step, budget=side.max_steps))

    attack = build_attack(main, side, **(ensemble_models(settings) if robust else {}))
    result = crowd.run_to_end(main, attack, settings.pixels, RunHistory(), on_step, bar.empty)
    if result is None:
        bar.empty()
        return None
    checks = transfer = None  # a failed attack has nothing to survive or transfer
    if result.success:
        bar.progress(1.0, text=t("explorer.checking"))
        adversarial = result.final.image
        checks, transfer = crowd.checks(main, settings.pixels, adversarial, side.target, loader=model,
                                        heartbeat=st.empty().empty)
    bar.empty()
    return {"result": result, "checks": checks, "transfer": transfer}


def show_side(title: str, side: dict) -> None:
    result, checks = side["result"], side["checks"]
    st.subheader(title)
    st.image(result.final.image, width=320)  # about the working size: no blurry upscaling
    top1 = result.verification.top5[0]
    verdict = t("explorer.success") if result.success else t("explorer.failure")
    psnr = "∞" if math.isinf(result.distances.psnr) else f"{result.distances.psnr:.1f} dB"
    (st.success if result.success else st.warning)(
        t("explorer.result", verdict=verdict, steps=result.kept_step, seconds=result.seconds,
          linf=result.distances.linf, psnr=psnr))
    st.caption(t("explorer.says", label=class_name(top1.index), p=_percent(top1.probability)))
    st.download_button(t("explorer.download"), result.verification.png, file_name=f"adversarial-{title}.png",
                       mime="image/png", key=K + "download." + title)
    if checks is None:
        render_skipped()
        return
    render_checks(checks)
    render_transfer(side["transfer"])


def keep_outcome(plain: dict, robust: dict) -> None:
    """Keep the two sides in the session, replacing the previous outcome."""
    for side in (plain, robust):
        # The page shows the kept image and its measures, never a replay: the other frames would only
        # weigh on the session until the next compare.
        side["result"].history.trim()
    st.session_state[K + "compare"] = {"plain": plain, "robust": robust}


def compare_tab(main: Classifier, settings: ExplorerSettings) -> None:
    clean = crowd.call(main.classify, settings.pixels, 1)[0]
    st.caption(t("explorer.clean", label=class_name(clean.index), p=_percent(clean.probability)) + " · " +
               (t("explorer.target_is", label=class_name(settings.target)) if settings.target is not None
                else t("explorer.untargeted")))
    if st.button(t("explorer.run"), type="primary", key=K + "run"):
        try:
            plain = run_side("plain", main, settings, robust=False)
            robust = run_side("robust", main, settings, robust=True) if plain is not None else None
        except ValueError as error:  # e.g. a method that cannot do this kind of goal
            st.error(error_text(error))
            return
        if plain is None or robust is None:
            return
        keep_outcome(plain, robust)
    outcome = st.session_state.get(K + "compare")
    if outcome is None:
        st.info(t("explorer.nothing_yet"))
        return
    plain, robust = outcome["plain"], outcome["robust"]
    def passed(side: dict) -> int | str:
        return "–" if side["checks"] is None else side["checks"].passed

    skipped = plain["checks"] is None or robust["checks"] is None
    st.info(t("explorer.tradeoff", steps_r=robust["result"].kept_step, steps_p=plain["result"].kept_step,
              linf_r=robust["result"].distances.linf, linf_p=plain["result"].distances.linf,
              passed_r=passed(robust), passed_p=passed(plain), total=len(TRANSFORMS))
            + (" " + t("explorer.tradeoff.skipped") if skipped else ""))
    left, right = st.columns(2)
    with left:
        show_side(t("explorer.plain"), plain)
    with right:
        show_side(t("explorer.robust"), robust)


# --- ε sweep ------------------------------------------------------------------------------------

def sweep_figure(points: list, targeted: bool) -> go.Figure:
    """Probability against ε (log axis); markers green where the attack succeeded, red where not."""
    eps = [p.epsilon for p in points]
    probability = [p.target_probability if targeted else 1 - p.original_probability for p in points]
    fig = go.Figure()
    fig.add_scatter(x=eps, y=probability, mode="lines+markers", name=t("explorer.col.probability"),
                    line={"color": style.TARGET},
                    marker={"size": 12, "color": [style.SUCCESS if p.success else style.FAILURE for p in points],
                            "symbol": ["circle" if p.success else "x" for p in points]},
                    text=[t("explorer.plot.success") if p.success else t("explorer.plot.failure") for p in points],
                    hovertemplate="ε %{x}<br>%{y:.1%}<br>%{text}<extra></extra>")
    fig.add_scatter(x=eps, y=[p.original_probability for p in points], mode="lines+markers",
                    name=t("explorer.col.original"), line={"color": style.ORIGINAL, "dash": "dot"})
    fig.update_layout(title=t("explorer.plot.title"), height=360, margin={"l": 10, "r": 10, "t": 50, "b": 10},
                      xaxis={"title": t("explorer.plot.x"), "type": "log", "tickvals": eps,
                             "ticktext": [f"{e:g}" for e in eps]},
                      yaxis={"title": t("explorer.plot.y"), "range": [0, 1.02], "tickformat": ".0%"},
                      font={"family": style.FONT}, legend={"orientation": "h", "y": -0.25})
    return fig


def sweep_table(points: list) -> list[dict]:
    return [{t("explorer.col.eps"): p.epsilon, t("explorer.col.success"): "✓" if p.success else "✗",
             t("explorer.col.steps"): p.steps, t("explorer.col.seconds"): round(p.seconds, 2),
             t("explorer.col.probability"): _percent(p.target_probability),
             t("explorer.col.original"): _percent(p.original_probability),
             t("explorer.col.top1"): class_name(p.top1_index), t("explorer.col.linf"): p.linf} for p in points]


def show_sweep(chart, table, points: list, targeted: bool) -> None:
    chart.plotly_chart(sweep_figure(points, targeted), key=None)
    table.dataframe(sweep_table(points), hide_index=True, width="stretch")


def sweep_tab(main: Classifier, settings: ExplorerSettings) -> None:
    st.caption(t("explorer.sweep_help"))
    levels_text = st.text_input(t("explorer.sweep_levels"), "0.5,1,2,4,8", key=K + "levels",
                                max_chars=MAX_LEVELS_CHARS)
    use_robust = st.checkbox(t("explorer.sweep_robust"), key=K + "sweep_robust")
    run_col, stop_col, _ = st.columns([1, 1, 4])
    start = run_col.button(t("explorer.sweep_run"), type="primary", key=K + "sweep_run")
    status, chart, table = st.empty(), st.empty(), st.empty()
    state = st.session_state
    if start:
        try:
            levels = parse_levels(levels_text)
        except ValueError as error:
            st.error(error_text(error))
            return
        stop_slot = stop_col.empty()
        stop_slot.button(t("explorer.stop"), key=K + "sweep_stop")  # a click reruns, which stops the loop
        # The sweep sets ε itself, level by level; the rest is the plain or the robust side's settings.
        side = settings.robust if use_robust else settings.plain
        extra = {**side.attack_kwargs(), **(ensemble_models(settings) if use_robust else {})}
        state[K + "sweep"] = {"points": [], "total": len(levels), "targeted": settings.target is not None}
        bar = status.progress(0.0, text=t("explorer.sweep_progress", eps=levels[0], done=0, total=len(levels)))
        try:
            for point in sweep_on_worker(main, settings.pixels, side, levels, extra, heartbeat=status.empty):
                points = state[K + "sweep"]["points"]
                points.append(point)  # kept in the session as it arrives, so a Stop keeps what was done
                upcoming = levels[min(len(points), len(levels) - 1)]
                bar.progress(len(points) / len(levels),
                             text=t("explorer.sweep_progress", eps=upcoming, done=len(points), total=len(levels)))
                show_sweep(chart, table, points, settings.target is not None)
        except ValueError as error:
            st.error(error_text(error))
            return
        stop_slot.empty()
        done = state[K + "sweep"]
        status.caption(t("explorer.sweep_done", done=len(done["points"]), total=done["total"]))
        return  # the chart and table of the last level are already on screen
    done = state.get(K + "sweep")
    if not done or not done["points"]:
        status.info(t("explorer.sweep_empty"))
        return
    finished = len(done["points"]) == done["total"]
    status.caption(t("explorer.sweep_done" if finished else "explorer.sweep_partial",
                     done=len(done["points"]), total=done["total"]))
    show_sweep(chart, table, done["points"], done["targeted"])


def sweep_on_worker(main: Classifier, pixels: np.ndarray, side: AttackSettings, levels: list[float], extra: dict,
                    heartbeat) -> Iterator[SweepPoint]:
    """The ε sweep, one level after another on the shared worker, each followed step by step (so Stop and
    a closed tab end it within a second). A level below one pixel level cannot change the image: its
    single measuring step runs as one short task."""
    for epsilon in levels:
        if box_is_empty(epsilon):
            yield crowd.call(lambda e=epsilon: next(sweep(main, pixels, side.method, [e], **extra)))
            continue
        attack = build_attack(main, replace(side, epsilon=epsilon), **extra)
        result = crowd.run_to_end(main, attack, pixels, RunHistory(), None, heartbeat)
        if result is None:
            return
        yield sweep_point(epsilon, result)


def main() -> None:
    st.title(t("explorer.title"))
    st.caption(t("explorer.intro"))
    settings = sidebar()
    if settings is None:
        return
    with st.spinner():
        main_model = model(DEFAULT_MODEL)
    compare, sweeping = st.tabs([t("explorer.tab.compare"), t("explorer.tab.sweep")])
    with compare:
        compare_tab(main_model, settings)
    with sweeping:
        sweep_tab(main_model, settings)
