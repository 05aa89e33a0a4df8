"""The live attack lab: pick an image, press Attack, watch every step, keep the verified result.

TensorFlow and the engine are imported inside main() under a spinner, so the page frame appears at
once on a cold start instead of after a blank wait.
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import streamlit as st

from app.i18n import current_language, engine_text, t

UPLOAD_TYPES = ["png", "jpg", "jpeg", "webp", "bmp", "gif", "tif", "tiff"]
IMAGE_UPLOAD_MB = 25  # = attack.images.MAX_BYTES; the server allows more only for model weights files
# Presenter mode is laid out for a 1280 × 720 projector (tests/test_browser.py measures it): the
# image, the goal and the Attack button on the first screen, the live panel filling the screen,
# the result in one or two. Big type for the audience; the image picker (for the speaker) stays small.
PRESENTER_CSS = """<style>
[data-testid="stMainBlockContainer"] { padding-top: 4.6rem; padding-bottom: 2rem; max-width: 100%; }
html, body, [data-testid="stAppViewContainer"] { font-size: 21px; }
[data-testid="stAppViewContainer"] h1 { font-size: 2.4rem; padding: 0; }
[data-testid="stMarkdownContainer"] p, [data-testid="stCaptionContainer"] { font-size: 1.15rem; }
.st-key-lab-attack button { min-height: 4.5rem; }
.st-key-lab-attack button p { font-size: 2rem; font-weight: 700; }
[data-testid="stMetricValue"] [data-testid="stMarkdownContainer"] p { font-size: 1.9rem; line-height: 1.3; }
/* Pictures never push the rest below the fold, whatever their shape. */
.st-key-lab-chosen [data-testid="stImage"] img { max-height: 52vh; object-fit: contain; }
.st-key-lab-live [data-testid="stImage"] img { max-height: 31vh; object-fit: contain; }
.st-key-lab-live, .st-key-lab-live [data-testid="stVerticalBlock"] { gap: 0.4rem; }
.st-key-lab-result [data-testid="stImage"] img { max-height: 27vh; object-fit: contain; }
/* The live panel fills the screen below the fixed header, so scrolling to it shows it whole. */
.st-key-lab-toggles { scroll-margin-top: 4rem; }
.st-key-lab-live { min-height: calc(100vh - 7.5rem); }
.st-key-lab-gallery button [data-testid="stMarkdownContainer"] p { white-space: normal; overflow: visible; }
/* The picker is for the speaker: ordinary sizes, wide enough that sample names are not cut. */
[data-testid="stPopoverBody"] { min-width: min(62rem, 92vw); }
[data-testid="stPopoverBody"] [data-testid="stMarkdownContainer"] p,
[data-testid="stPopoverBody"] [data-testid="stWidgetLabel"] p,
[data-testid="stPopoverBody"] [data-testid="stCaptionContainer"],
[data-testid="stPopoverBody"] small, [data-testid="stPopoverBody"] span { font-size: 16px; }
</style>"""
NORMAL_CSS = """<style>
[data-testid="stMainBlockContainer"] { padding-top: 2.5rem; }
/* Sample names wrap rather than end in "…" when the column is narrow. */
.st-key-lab-gallery button [data-testid="stMarkdownContainer"] p { white-space: normal; overflow: visible; }
.st-key-lab-attack button { min-height: 3rem; }
.st-key-lab-attack button p { font-size: 1.25rem; font-weight: 600; }
</style>"""

# Repeated while the first live frame arrives: until then the page may be too short to scroll that far.
SCROLL_TO_LIVE = """<script>
for (const ms of [300, 1200, 2500, 4000]) setTimeout(() =>
  document.querySelector(".st-key-lab-toggles")?.scrollIntoView({behavior: "smooth", block: "start"}), ms);
</script>"""


@dataclass(frozen=True)
class Chosen:
    """The image to attack: a session-unique key, a name for people, the pixels, and the sample (if any)."""

    key: str
    label: str
    pixels: np.ndarray
    sample: str | None


def main() -> None:
    with st.spinner(t("lab.loading_engine")):
        from app import controls, live, session, tutorial  # noqa: F401  (imports TensorFlow the first time)
    restore_from_link()
    presenter = presenter_toggle()
    st.html(PRESENTER_CSS if presenter else NORMAL_CSS)
    head = st.container(horizontal=True, vertical_alignment="center", key="lab-head")
    head.title(t("app.title"), width="content")
    if not presenter:  # on stage the speaker says it; the screen keeps its height for the demo
        st.caption(t("lab.tagline"))
    tutorial_mode = tutorial.chosen_mode()  # the tutorial's three acts (app/tutorial.py) or the free lab
    controls.ensure_defaults()
    settings = controls.sidebar_controls(presenter)
    chosen = choose_image(presenter, head)
    share_panel(settings, chosen, presenter)
    model = session.classifier(settings.model)
    if tutorial_mode:
        tutorial.main(model, chosen, settings, presenter)
        return
    start = show_chosen(model, chosen, settings, presenter)
    lab_run(model, chosen, settings, start, presenter)


# --- link, presenter mode --------------------------------------------------------------------
def restore_from_link() -> None:
    """Once per session, fill the controls from the URL (a shared link) before any widget exists."""
    from app import controls, session

    state = st.session_state
    if state.get("lab.restored"):
        return
    state["lab.restored"] = True
    params = st.query_params.to_dict()
    if any(name in params for name in ("model", "method", "target", "eps", "step", "steps", "stop", "seed")):
        settings, ignored = controls.settings_from_query(params)
        controls.fill_controls(settings)
        state["lab.ignored"] = ignored
    if params.get("sample") in session.SAMPLES:
        state["lab.source"] = f"sample:{params['sample']}"
    state["lab.present"] = params.get("present") in ("1", "true", "yes")


def presenter_toggle() -> bool:
    def sync() -> None:
        if st.session_state["lab.present"]:
            st.query_params["present"] = "1"
        else:
            st.query_params.pop("present", None)

    on = st.sidebar.toggle(t("lab.present"), key="lab.present", on_change=sync, help=t("lab.present.help"))
    if on:
        st.set_page_config(initial_sidebar_state="collapsed")
    return on


def share_panel(settings, chosen: Chosen, presenter: bool) -> None:
    """Keep the URL in step with the settings and show it as a link to copy."""
    from app import controls

    wanted = controls.query_from_settings(settings)
    if chosen.sample:
        wanted["sample"] = chosen.sample
    for name, value in wanted.items():
        if st.query_params.get(name) != value:
            st.query_params[name] = value
    link = controls.share_link(st.context.url, settings, chosen.sample, presenter)
    with st.sidebar.expander(t("lab.share"), icon=":material/link:"):
        st.code(link, language=None, wrap_lines=True)
        st.caption(t("lab.share.help") if chosen.sample else t("lab.share.upload"))
    ignored = st.session_state.pop("lab.ignored", None)
    if ignored:
        st.warning(t("lab.share.ignored", names=", ".join(ignored)))


# --- input -----------------------------------------------------------------------------------
def _use(source: str) -> None:
    st.session_state["lab.source"] = source


def choose_image(presenter: bool, head=None) -> Chosen:
    """The uploader and the sample gallery. In presenter mode they sit in a popover next to the
    title, so opening them never pushes the image and the Attack button below the fold."""
    from app import session

    state = st.session_state
    if presenter and head is not None:
        box = head.popover(t("lab.input.change"), icon=":material/image:", key="lab-picker")
    else:
        box = st.container()
    with box:
        upload_col, gallery_col = st.columns([2, 3], gap="large")
        uploaded = upload_col.file_uploader(t("lab.upload"), type=UPLOAD_TYPES, key="lab.uploader",
                                            on_change=_use, args=("upload",), help=t("lab.upload.help"),
                                            max_upload_size=IMAGE_UPLOAD_MB)
        upload_col.caption(t("lab.upload.private"))
        gallery_col.markdown(f"**{t('lab.samples')}**")
        source = state.get("lab.source", f"sample:{session.DEFAULT_SAMPLE}")
        gallery = gallery_col.container(key="lab-gallery")
        for column, name in zip(gallery.columns(len(session.SAMPLES)), session.SAMPLES):
            column.image(session.thumbnail(name), width="stretch")
            chosen_here = source == f"sample:{name}"
            column.button(t(f"sample.{name}"), key=f"lab.sample.{name}", on_click=_use, help=t(f"sample.{name}.about"),
                          args=(f"sample:{name}",), type="primary" if chosen_here else "secondary",
                          width="stretch")
    if source == "upload" and uploaded is not None:
        upload = session.session_upload(uploaded)
        if upload.error is None:
            from attack.images import size_warning

            warning = size_warning(upload.image.width, upload.image.height)
            for note in upload.image.notes:  # a too small or too thin image is accepted, but flagged
                (st.warning if note == warning else st.info)(engine_text(note) or note)
            return Chosen(f"upload:{uploaded.file_id}", uploaded.name, upload.image.pixels, None)
        st.error(upload.error)
        st.caption(t("lab.upload.kept_sample"))
    name = source.removeprefix("sample:")
    if name not in session.SAMPLES:
        name = session.DEFAULT_SAMPLE
    return Chosen(f"sample:{name}", t(f"sample.{name}"), session.sample(name).pixels, name)


def names(index: int | None) -> str:
    from attack import labels

    return t("lab.target.untargeted") if index is None else labels.display(index, current_language())


def short_title(title: str) -> str:
    """"EfficientNet-Lite0 (bundled)" → "EfficientNet-Lite0": chart titles must fit a narrow column."""
    return title.split(" (")[0]


def show_chosen(model, chosen: Chosen, settings, big: bool = False) -> bool:
    """The chosen image, what the model says now, the goal, and the Attack button (returns its click)."""
    from app import figures, session

    predictions = session.predictions(model, chosen.key, chosen.pixels)
    row = st.container(key="lab-chosen")
    left, middle, right = row.columns([4, 4, 4] if big else [4, 5, 3], gap="large")
    left.image(chosen.pixels, caption=t("lab.chosen", name=chosen.label, w=chosen.pixels.shape[1],
                                        h=chosen.pixels.shape[0]), width="stretch")
    middle.plotly_chart(figures.top5_bars(predictions, names=[names(p.index) for p in predictions],
                                          target=settings.target, original=predictions[0].index,
                                          title=t("lab.top5_now", model=short_title(model.title)), big=big),
                        config={"displayModeBar": False, "staticPlot": True}, width="stretch", theme=None)
    with right:
        top = predictions[0]
        st.markdown(t("lab.goal.now", label=names(top.index), p=top.probability))
        if settings.target is None:
            st.markdown(t("lab.goal.untargeted", label=names(top.index)))
        else:
            st.markdown(t("lab.goal.targeted", label=names(settings.target)))
        from attack.attacks import METHODS

        cls = METHODS.get(settings.method)
        kind = ("lab.goal.settings_queries" if getattr(cls, "black_box", False)
                else "lab.goal.settings" if getattr(cls, "uses_epsilon", True) else "lab.goal.settings_l0")
        st.caption(t(kind, method=t(f"lab.method.{settings.method}"), eps=settings.epsilon,
                     steps=settings.max_steps, stop=settings.stop_at))
        if settings.target is not None and settings.target == top.index:
            st.info(t("lab.goal.already"))
        return st.button(t("lab.attack"), type="primary", key="lab-attack", width="stretch",
                         help=t("lab.attack.help"))


# --- the run ---------------------------------------------------------------------------------
def lab_run(model, chosen: Chosen, settings, start: bool, presenter: bool) -> None:
    from app import crowd, live, playback

    state = st.session_state
    run = state.get("lab.run")
    if start:
        if run is not None and run.running:
            live.conclude(run, "stopped")  # waits for the run's lock
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
    if start and presenter:
        # On a projector the live panel starts below the fold: bring it into view for the audience.
        st.html(SCROLL_TO_LIVE, unsafe_allow_javascript=True)
    # The live panel and the result each get a slot. Creating the result's slot before the run starts
    # replaces a previous result with an empty element at once: Streamlit would otherwise keep it,
    # greyed out, below the new live panel until the new run ends.
    live_slot, result_slot = st.empty(), st.empty()
    if run.running:
        # Wait for an interrupted script thread to let go of the run (see app/live.py).
        with run.lock:
            if run.stop_requested:
                live.conclude(run, "stopped")
            if run.running:
                with live_slot.container(key="lab-live"):
                    view = live.LiveView(names=names, log_scale=log_scale, signed=signed, big=presenter)
                    # The click interrupts the running script; the rerun sees it (callback or button value)
                    # and finishes the run with the steps it has. Other interruptions resume the generator.
                    if view.stop_slot.button(t("lab.stop"), key="lab.stop", on_click=live.request_stop,
                                             args=(run,), icon=":material/stop_circle:", help=t("lab.stop.help")):
                        live.conclude(run, "stopped")
                    else:
                        crowd.wait_in_line(run.records, view.progress)  # beyond the worker's capacity
                        live.advance(run, view, crowd.throttle())
                        playback.after_live(run, view, enabled=replay_slowly)  # too fast to follow: replay it
                live_slot.empty()
    with result_slot.container(key="lab-result"):
        if run.result is None:
            if run.status == "stopped":
                st.info(t("lab.stopped.nothing"))
            return
        if run.image_key != chosen.key:
            st.caption(t("lab.result.other_image", name=run.image_label))
            return
        show_result(run, log_scale=log_scale, signed=signed, presenter=presenter)


def new_run(model, chosen: Chosen, settings):
    from app import crowd, live
    from attack.attacks import make_attack

    attack = make_attack(settings.method, model, **settings.attack_kwargs())
    records = crowd.submit(attack, chosen.pixels)  # stepped by the process's shared worker
    if records is None:
        return None
    return live.LabRun(settings=settings, image_key=chosen.key, image_label=chosen.label, classifier=model,
                       records=records, history=live.history_for(chosen.pixels))


def banner(run) -> None:
    result, s = run.result, run.settings
    top = result.verification.top5[0]
    if run.status == "stopped":
        st.info(t("lab.result.stopped", step=result.steps) if result.steps == result.last_step
                else t("lab.result.stopped.best", last=result.last_step, step=result.steps))
    if result.success:
        from attack.attacks import METHODS

        d = result.distances
        kind = ("lab.result.success_queries" if result.final.queries is not None
                else "lab.result.success" if getattr(METHODS.get(s.method), "uses_epsilon", True)
                else "lab.result.success_l0")
        st.success(t(kind, original=names(result.original.index), label=names(top.index),
                     p=top.probability, steps=result.steps, seconds=result.seconds, eps=s.epsilon,
                     pixels=d.l0, total=result.final.image.shape[0] * result.final.image.shape[1],
                     share=d.l0_fraction))
    elif run.status != "stopped":
        st.warning(failure_text(result, s))


def failure_text(result, s) -> str:
    """Why the run is not a success, honestly: a target already on top but below the stop level is a
    near miss, not "still read as" the same thing; then what to try next."""
    top = result.verification.top5[0]
    near = top.index == s.target if s.target is not None else top.index != result.original.index
    if near and s.target is not None:
        text = t("lab.result.below_stop", label=names(top.index), p=top.probability, steps=result.steps,
                 stop=s.stop_at)
    elif near:
        text = t("lab.result.below_stop_untargeted", label=names(top.index), steps=result.steps,
                 original=names(result.original.index), p=result.verification.original_probability,
                 left=1 - s.stop_at)
    else:
        failure = "lab.result.failure_queries" if result.final.queries is not None else "lab.result.failure"
        text = t(failure, label=names(top.index), p=top.probability, steps=result.steps)
    tips = [t("lab.tip.epsilon")] if s.epsilon < 8 else []
    tips.append(t("lab.tip.steps") if result.last_step >= s.max_steps else t("lab.tip.method"))
    if near:
        tips.append(t("lab.tip.stop_at"))
    if s.method == "gradient-ascent":
        tips.append(t("lab.tip.gradient_ascent"))
    space = "" if current_language() == "zh" else " "  # Chinese sentences end in "。" and need no space
    return space.join([text, *tips])


def show_result(run, *, log_scale: bool, signed: bool, presenter: bool) -> None:
    from attack.metrics import amplify

    result, s, history = run.result, run.settings, run.history
    if not presenter:  # on stage the coloured verdict is the headline
        st.subheader(t("lab.result"))
    banner(run)
    final = result.final
    picture, factor = amplify(final.original, final.image)
    before, delta, after = st.columns(3)
    before.image(final.original, caption=t("lab.result.original"), width="stretch")
    shown = 2 if presenter else 3
    _predictions(before, history.first.top5, s.target, result.original.index, shown)
    delta.image(picture, caption=t("lab.result.amplified", factor=factor), width="stretch")
    after.image(final.image, caption=t("lab.result.adversarial"), width="stretch")
    _predictions(after, result.verification.top5, s.target, result.original.index, shown)
    if not presenter:  # explanations for a reader; on stage the speaker gives them, the screen keeps the height
        delta.caption(t("lab.result.amplified.help", factor=factor))
        after.caption(t("lab.result.verified"))

    d = result.distances
    cells = st.columns(7)
    from attack.attacks import METHODS

    sparse = not getattr(METHODS.get(s.method), "uses_epsilon", True)  # JSMA: L0 is the measure that matters
    counted = "queries" if final.queries is not None else "steps"  # a black-box attack's steps are queries
    values = [("L∞", f"{d.linf:.0f}"), ("L2", f"{d.l2:.1f}"),
              ("L0", f"{d.l0:,} px" if sparse else f"{d.l0_fraction:.0%}"),
              ("PSNR", "∞" if math.isinf(d.psnr) else f"{d.psnr:.1f} dB"), ("SSIM", f"{d.ssim:.4f}"),
              (t(f"lab.metric.{counted}"), f"{result.steps}"), (t("lab.metric.seconds"), f"{result.seconds:.1f} s")]
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
    robustness_panel(run, *st.columns(2))


def _predictions(column, predictions, target, original, count: int = 3) -> None:
    lines = []
    for p in predictions[:count]:
        name = names(p.index)
        if p.index == target:
            name = f":red[**{name}**]"
        elif p.index == original:
            name = f":blue[**{name}**]"
        lines.append(f"{name} — {p.probability:.1%}")
    column.markdown("  \n".join(lines))


def replay(run, *, log_scale: bool, signed: bool, big: bool) -> None:
    from app import figures

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


def curve_titles(history) -> dict:
    """A black-box attack's curve is per query, and says it never looks inside the model."""
    if history.last is not None and history.last.queries is not None:
        return {"title": t("lab.live.curve_queries"), "x_title": t("lab.live.queries")}
    return {"title": t("lab.live.curve")}


def run_json(run) -> dict:
    """The CLI's result contract plus the settings, the per-step scalars and the in-app timing."""
    from attack.cli import result_json

    def clean(values):
        return [None if (isinstance(v, float) and not math.isfinite(v)) else v for v in values]

    h = run.history
    summary = result_json(run.result, None)
    summary.update({
        "status": run.status, "image": run.image_label, "settings": run.settings.as_dict(),
        "app": {"wall_seconds": round(run.wall_seconds, 4), "draw_seconds": round(run.draw_seconds, 4),
                "redraws": run.redraws},
        "per_step": {"step": h.steps, "loss": clean(h.loss), "target_probability": clean(h.target_probability),
                     "original_probability": clean(h.original_probability), "gradient_linf": clean(h.gradient_linf),
                     "elapsed": clean(h.elapsed)},
    })
    return summary


def downloads(run) -> None:
    from attack.images import encode_png
    from attack.metrics import amplify

    result = run.result
    name = file_stem(run)
    picture, _ = amplify(result.final.original, result.final.image)
    cols = st.columns(3)
    cols[0].download_button(t("lab.download.png"), result.verification.png, f"{name}.png", "image/png",
                            key="lab.download.png", on_click="ignore", type="primary", icon=":material/download:",
                            help=t("lab.download.png.help"), width="stretch")
    cols[1].download_button(t("lab.download.delta"), encode_png(picture), f"{name}-perturbation.png", "image/png",
                            key="lab.download.delta", on_click="ignore", icon=":material/download:", width="stretch")
    cols[2].download_button(t("lab.download.json"), json.dumps(run_json(run), indent=1), f"{name}.json",
                            "application/json", key="lab.download.json", on_click="ignore", icon=":material/download:",
                            width="stretch")


def file_stem(run) -> str:
    """Download names say what the file is: image, method and goal."""
    s = run.settings
    stem = Path(run.image_label).stem.replace(" ", "_") or "image"
    goal = "untargeted" if s.target is None else str(s.target)
    return f"{stem}-{s.method}-{goal}"


def report_downloads(run) -> None:
    """The report figure and the animation, rendered only when asked for (the GIF takes seconds)."""
    from attack.render.animation import render_gif
    from attack.render.report import render_report

    result, lang, name = run.result, current_language(), file_stem(run)
    cols = st.columns(2)
    cols[0].download_button(t("lab.download.report"), lambda: render_report(result, lang=lang),
                            f"{name}-report.png", "image/png", key="lab.download.report", on_click="ignore",
                            icon=":material/description:", help=t("lab.download.report.help"), width="stretch")
    cols[1].download_button(t("lab.download.gif"), lambda: render_gif(result, lang=lang),
                            f"{name}-animation.gif", "image/gif", key="lab.download.gif", on_click="ignore",
                            icon=":material/animation:", help=t("lab.download.gif.help"), width="stretch")


def robustness_panel(run, checks_place, transfer_place) -> None:
    """Does the result survive JPEG, resizing, defences — and does it fool other models? Cached per run."""
    from app import session
    from app.checks_panel import render_checks, render_skipped, render_transfer
    from attack.robustness import run_checks, transfer_check

    result = run.result
    if not result.success:
        # Nothing fooled, nothing to survive: "0 of 12" and "fools 0 of 2 other models" would only confuse.
        with checks_place:
            render_skipped()
        return
    key = f"lab.checks.{run.id}"
    if key not in st.session_state:
        model = session.classifier(run.settings.model)
        with checks_place, st.spinner(t("lab.checks.running")):
            from app import crowd

            crowd.after_the_attacks()  # a crowd's attacks first
            checks = run_checks(model, result.final.original, result.final.image, target=result.target)
            transfer = transfer_check(result.final.image, result.final.original, result.target, exclude=model.name,
                                      loader=session.classifier)
        st.session_state[key] = (checks, transfer)
    checks, transfer = st.session_state[key]
    with checks_place:
        render_checks(checks)
    with transfer_place:
        render_transfer(transfer)
