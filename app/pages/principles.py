"""How it works: the tutorial's three ideas, each small enough to play with.

1. A classifier is a boundary: a 2-D toy whose point is pushed across it inside an ε box.
2. Gradient descent and ascent on the tutorial's f(x) = x² + 2.
3. From the toy to the photo: the tutorial's numbers beside a live run of the lab's engine.
The math lives in attack/experiments/toy.py; this module only draws it.
"""
from __future__ import annotations

import time

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from app import navigation
from app.i18n import class_name, current_language, error_text, model_title, t, translated
from app.samples import CLASSES as SAMPLE_CLASSES
from attack.experiments import toy
from attack.catalogue import DEFAULT_METHOD
from attack.plumbing.errors import UserError
from attack.running.history import RunHistory
from attack.render import style

PIG, TOASTER = 341, 859  # the toy's two classes borrow the tutorial's labels
LIVE_MODEL = "efficientnet-lite0"
LIVE_EPSILON = 2.0
LIVE_STOP_AT = 0.95  # the tutorial ended at 95.61 % "toaster", so the live run asks for as much
LIVE_MAX_STEPS = 200
TUTORIAL = {"model": "InceptionV3", "steps": 3070, "hours": 2, "probability": 0.9561}
FRAME_MS = 180  # animation speed (ms per step)


def main() -> None:
    st.title(t("principles.title"))
    st.markdown(t("principles.intro"))
    boundary_section()
    st.divider()
    descent_section()
    st.divider()
    photo_section()


# --- 1. a classifier is a boundary ----------------------------------------------------------

@st.cache_data
def _toy_model() -> tuple[toy.ToyData, toy.LogisticModel]:
    data = toy.make_points(seed=0)
    return data, toy.train_logistic(data)


def _place_point_from_click() -> None:
    """A click on the chart moves the point (before the sliders are drawn on the next run)."""
    points = st.session_state["toy_chart"].selection.get("points", [])
    if points:
        st.session_state["toy_x"] = float(np.clip(round(points[0]["x"], 2), *toy.PLANE))
        st.session_state["toy_y"] = float(np.clip(round(points[0]["y"], 2), *toy.PLANE))


def boundary_section() -> None:
    st.header(t("principles.boundary.header"))
    st.markdown(t("principles.boundary.text", a=class_name(PIG), b=class_name(TOASTER)))
    data, model = _toy_model()
    controls, chart = st.columns([1, 2])
    with controls:
        st.session_state.setdefault("toy_x", toy.DEFAULT_POINT[0])
        st.session_state.setdefault("toy_y", toy.DEFAULT_POINT[1])
        x = st.slider(t("principles.boundary.x"), *toy.PLANE, step=0.05, key="toy_x")
        y = st.slider(t("principles.boundary.y"), *toy.PLANE, step=0.05, key="toy_y")
        epsilon = st.slider(t("principles.boundary.epsilon"), 0.1, 3.0, toy.DEFAULT_EPSILON, 0.05, key="toy_epsilon",
                            help=t("principles.boundary.epsilon_help"))
        step_size = st.slider(t("principles.boundary.step"), 0.05, 1.0, toy.DEFAULT_STEP_SIZE, 0.05, key="toy_step",
                              help=t("principles.boundary.step_help"))
        # Labels are looked up now, not inside format_func: the closure then never depends on when
        # it is called (AppTest calls it outside the script run).
        method_names = {m: t(f"principles.boundary.method.{m}") for m in toy.METHODS}
        method = st.radio(t("principles.boundary.method"), toy.METHODS, horizontal=True, key="toy_method",
                          format_func=method_names.get)
    push = toy.push_across(model, (x, y), epsilon=epsilon, step_size=step_size, method=method)
    with chart:
        st.plotly_chart(_boundary_figure(data, model, push), key="toy_chart", on_select=_place_point_from_click,
                        selection_mode="points", config={"displayModeBar": False})
        st.caption(t("principles.boundary.click_hint"))
    names = {0: class_name(PIG), 1: class_name(TOASTER)}
    start, other = names[push.start_class], names[1 - push.start_class]
    accuracy = model.accuracy(data)
    if push.crossed:
        st.success(t("principles.boundary.crossed", steps=push.steps, start=start, other=other,
                     p=f"{max(push.probabilities[-1], 1 - push.probabilities[-1]):.0%}"))
    else:
        needed = model.linf_distance(push.start)
        st.warning(t("principles.boundary.not_crossed", steps=push.steps, start=start, other=other,
                     needed=f"{needed:.2f}", epsilon=f"{epsilon:.2f}"))
    st.caption(t("principles.boundary.facts", accuracy=f"{accuracy:.0%}", n=len(data.labels),
                 distance=f"{model.linf_distance(push.start):.2f}"))


def _boundary_figure(data: toy.ToyData, model: toy.LogisticModel, push: toy.PushResult) -> go.Figure:
    lo, hi = toy.PLANE
    grid = np.linspace(lo, hi, 81)
    gx, gy = np.meshgrid(grid, grid)
    probability = 1 / (1 + np.exp(-(model.weights[0] * gx + model.weights[1] * gy + model.bias)))
    fig = go.Figure()
    # The two regions the model sees, shaded by p(class 1); the boundary is where p = 0.5.
    fig.add_trace(go.Heatmap(x=grid, y=grid, z=probability, zmin=0, zmax=1, showscale=False, opacity=0.25,
                             colorscale=[[0, style.ORIGINAL], [0.5, "#ffffff"], [1, style.TARGET]],
                             hoverinfo="skip"))
    # An invisible grid of points: plotly selects points, not places, so this makes the whole
    # plane clickable.
    cx, cy = np.meshgrid(np.arange(lo, hi + 0.01, 0.25), np.arange(lo, hi + 0.01, 0.25))
    fig.add_trace(go.Scatter(x=cx.ravel(), y=cy.ravel(), mode="markers", marker=dict(size=14, opacity=0),
                             hoverinfo="none", showlegend=False, unselected=dict(marker=dict(opacity=0)),
                             selected=dict(marker=dict(opacity=0))))
    for cls, colour, symbol in ((0, style.ORIGINAL, "circle"), (1, style.TARGET, "diamond")):
        pts = data.points[data.labels == cls]
        fig.add_trace(go.Scatter(x=pts[:, 0], y=pts[:, 1], mode="markers", name=class_name((PIG, TOASTER)[cls]),
                                 marker=dict(color=colour, symbol=symbol, size=7, line=dict(width=0.5, color="white")),
                                 hoverinfo="skip", unselected=dict(marker=dict(opacity=1))))
    fig.add_trace(go.Scatter(x=[lo, hi], y=model.boundary_y([lo, hi]), mode="lines", name=t("principles.boundary.line"),
                             line=dict(color=style.TEXT, width=2, dash="dash"), hoverinfo="skip"))
    x0, y0 = push.start
    fig.add_shape(type="rect", x0=x0 - push.epsilon, x1=x0 + push.epsilon, y0=y0 - push.epsilon, y1=y0 + push.epsilon,
                  line=dict(color=style.ACCENT, width=2), fillcolor="rgba(255,127,14,0.08)")
    fig.add_annotation(x=x0 - push.epsilon, y=y0 + push.epsilon, text=t("principles.boundary.box"), showarrow=False,
                       xanchor="left", yanchor="bottom", font=dict(color=style.ACCENT))
    path_trace = len(fig.data)
    fig.add_trace(_path_trace(push.path, len(push.path)))
    # Frames replay the path one step at a time; the figure itself shows the whole path.
    fig.frames = [go.Frame(data=[_path_trace(push.path, k + 1)], traces=[path_trace], name=str(k))
                  for k in range(len(push.path))]
    fig.update_layout(**_layout(height=480), updatemenus=[_play_button()],
                      legend=dict(orientation="h", x=1, xanchor="right", y=1.02, yanchor="bottom"))
    fig.update_xaxes(range=[lo, hi], constrain="domain", title="x₁")
    fig.update_yaxes(range=[lo, hi], scaleanchor="x", title="x₂")
    return fig


def _path_trace(path: np.ndarray, shown: int) -> go.Scatter:
    part = path[:shown]
    return go.Scatter(x=part[:, 0], y=part[:, 1], mode="lines+markers+text", name=t("principles.boundary.path"),
                      text=[str(i) if i in (0, len(path) - 1) else "" for i in range(len(part))],
                      textposition="top center", line=dict(color=style.ACCENT, width=3),
                      marker=dict(size=[12] + [7] * (len(part) - 1), color=style.ACCENT,
                                  symbol=["star"] + ["circle"] * (len(part) - 1)),
                      hoverinfo="skip", unselected=dict(marker=dict(opacity=1)))


def _play_button() -> dict:
    return dict(type="buttons", showactive=False, x=0, y=1.02, xanchor="left", yanchor="bottom",
                direction="left", buttons=[dict(label=t("principles.play"), method="animate",
                                                args=[None, dict(frame=dict(duration=FRAME_MS, redraw=True),
                                                                 transition=dict(duration=0), fromcurrent=False,
                                                                 mode="immediate")])])


def _layout(height: int) -> dict:
    return dict(height=height, margin=dict(l=10, r=10, t=50, b=10), font=dict(family=style.FONT),
                plot_bgcolor=style.BACKGROUND, dragmode=False)


# --- 2. gradient descent and ascent ---------------------------------------------------------

def descent_section() -> None:
    st.header(t("principles.descent.header"))
    st.markdown(t("principles.descent.text"))
    st.session_state.setdefault("descent_seed", 0)
    controls, chart = st.columns([1, 2])
    with controls:
        if st.button(t("principles.descent.new_start"), icon=":material/casino:", key="descent_new"):
            st.session_state["descent_seed"] += 1
        start = toy.random_start(st.session_state["descent_seed"])
        learning_rate = st.slider(t("principles.descent.lr"), 0.01, 1.2, 0.1, 0.01, key="descent_lr",
                                  help=t("principles.descent.lr_help"))
        ascent = st.toggle(t("principles.descent.ascent"), key="descent_ascent", help=t("principles.descent.ascent_help"))
        st.metric(t("principles.descent.start"), f"{start:.3f}")
    run = toy.descend(start, learning_rate, ascent=ascent)
    with chart:
        st.plotly_chart(_descent_figure(run), key="descent_chart", config={"displayModeBar": False})
    st.markdown(_descent_summary(run))
    if ascent:
        st.info(t("principles.descent.ascent_explained"))
    st.dataframe(_descent_table(run), hide_index=True, height=260)


def _descent_summary(run: toy.DescentRun) -> str:
    values = dict(steps=run.count, x=f"{run.last.x:.4g}", fx=f"{run.last.fx:.4g}", lr=f"{run.learning_rate:.2f}")
    if run.outcome == "converged":
        regime = "oscillating" if 0.5 < run.learning_rate < 1 else "converged"
        return t(f"principles.descent.outcome.{regime}", **values)
    if run.outcome == "max-steps" and run.learning_rate > 0.5:
        return t("principles.descent.outcome.bouncing", **values)
    return t(f"principles.descent.outcome.{run.outcome.replace('-', '_')}", **values)


def _descent_table(run: toy.DescentRun) -> pd.DataFrame:
    sign = 1 if run.ascent else -1
    rows = [{t("principles.descent.col.step"): s.step, "x": round(s.x, 5), "f(x)": round(s.fx, 5),
             "f′(x)": round(s.gradient, 5),
             t("principles.descent.col.update"): round(sign * run.learning_rate * s.gradient, 5)}
            for s in run.steps]
    return pd.DataFrame(rows)


def _descent_figure(run: toy.DescentRun) -> go.Figure:
    xs = np.array([s.x for s in run.steps])
    reach = max(10.5, float(np.abs(xs).max()) * 1.08)
    curve = np.linspace(-reach, reach, 401)
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=curve, y=curve**2 + 2, mode="lines", name="f(x) = x² + 2",
                             line=dict(color=style.NEUTRAL, width=2), hoverinfo="skip"))
    moving = len(fig.data)
    fig.add_trace(_descent_path(xs, len(xs)))
    fig.add_trace(_descent_point(xs, len(xs)))
    fig.frames = [go.Frame(data=[_descent_path(xs, k + 1), _descent_point(xs, k + 1)], traces=[moving, moving + 1],
                           name=str(k)) for k in range(len(xs))]
    fig.update_layout(**_layout(height=380), showlegend=False, updatemenus=[_play_button()])
    fig.update_xaxes(title="x", range=[-reach, reach])
    fig.update_yaxes(title="f(x)", range=[0, reach**2 + 2], type="linear")
    return fig


def _descent_path(xs: np.ndarray, shown: int) -> go.Scatter:
    part = xs[:shown]
    return go.Scatter(x=part, y=part**2 + 2, mode="lines+markers", line=dict(color=style.ACCENT, width=1.5),
                      marker=dict(size=6, color=style.ACCENT), hovertemplate="x=%{x:.4f}<br>f(x)=%{y:.4f}")


def _descent_point(xs: np.ndarray, shown: int) -> go.Scatter:
    x = xs[shown - 1]
    return go.Scatter(x=[x], y=[x * x + 2], mode="markers", marker=dict(size=16, color=style.TARGET),
                      hoverinfo="skip")


# --- 3. from the toy to the photo -----------------------------------------------------------

def photo_section() -> None:
    st.header(t("principles.photo.header"))
    method = t(f"lab.method.{DEFAULT_METHOD}")  # the lab's default, named as its sidebar names it
    st.markdown(t("principles.photo.text", method=method))
    sample_names = {name: t("principles.photo.sample_name", file=t(f"sample.{name}"), label=class_name(index))
                    for name, index in SAMPLE_CLASSES.items()}
    sample = st.selectbox(t("principles.photo.sample"), list(SAMPLE_CLASSES), key=translated("live_sample"),
                          format_func=sample_names.get)
    if st.button(t("principles.photo.measure"), icon=":material/timer:", type="primary", key="live_measure_button"):
        _measure(sample)
    measured = st.session_state.get("live_measure")
    heads = st.columns(2)
    heads[0].subheader(t("principles.photo.tutorial"))
    heads[1].subheader(t("principles.photo.lab"))
    if measured is None:
        heads[1].info(t("principles.photo.not_yet"))
    names = [t("principles.photo.model"), t("principles.photo.steps"), t("principles.photo.time"),
             t("principles.photo.probability", label=class_name(TOASTER))]
    theirs = [TUTORIAL["model"], f"{TUTORIAL['steps']:,}", t("principles.photo.hours", hours=TUTORIAL["hours"]),
              f"{TUTORIAL['probability']:.2%}"]
    ours = [None] * len(names) if measured is None else [
        model_title(measured["model"]), f"{measured['steps']:,}",
        t("principles.photo.seconds", seconds=f"{measured['seconds']:.1f}"), f"{measured['probability']:.2%}"]
    for name, tutorial_value, lab_value in zip(names, theirs, ours):
        left, right = st.columns(2)  # row by row, so each pair of numbers sits level
        left.metric(name, tutorial_value)
        if lab_value is not None:
            right.metric(name, lab_value)
    if measured is not None:
        st.success(t("principles.photo.faster", times=f"{TUTORIAL['hours'] * 3600 / measured['seconds']:,.0f}"))
        st.caption(t("principles.photo.measured_on", file=t(f"sample.{measured['sample']}"), epsilon=LIVE_EPSILON,
                     method=method,
                     wall=f"{measured['wall']:.1f}"))
        before, after = st.columns(2)
        before.image(measured["before"], width=300,
                     caption=t("principles.photo.before_caption", label=class_name(measured["label"])))
        after.image(measured["after"], width=300,
                    caption=t("principles.photo.result_caption", label=class_name(TOASTER)))
    st.markdown(t("principles.photo.why_faster", method=method))
    navigation.link("lab", t("principles.photo.to_lab"), icon=":material/arrow_forward:",
                    query_params={"lang": current_language()})
    # The tutorial's whole experiment (its slow run, the saved file that fails, the fix) is the lab's tutorial mode.
    navigation.link("lab", t("tutorial.principles.link"), icon=":material/theater_comedy:",
                    query_params={"lang": current_language(), "mode": "tutorial"})


def _measure(sample: str) -> None:
    """Run the lab's engine on a bundled photo: the lab's default method, ε = 2 levels, toward "toaster"."""
    # Imported here to save start-up time: these import TensorFlow, needed only when someone asks for the measurement.
    from app import crowd, session
    from attack.attacks import make_attack
    from attack.running.runner import run_attack

    try:
        began = time.perf_counter()
        classifier = session.classifier(LIVE_MODEL)  # the lab's shared, cached classifier
        with st.spinner(t("principles.photo.running", method=t(f"lab.method.{DEFAULT_METHOD}"))):
            pixels = session.sample(sample).pixels
            # One untimed step first: TensorFlow traces the gradient once per image size, and the
            # comparison is about the attack, not that one-off compile.
            crowd.call(run_attack, classifier, pixels, DEFAULT_METHOD, epsilon=LIVE_EPSILON, target=TOASTER, max_steps=1)
            attack = make_attack(DEFAULT_METHOD, classifier, epsilon=LIVE_EPSILON, target=TOASTER, stop_at=LIVE_STOP_AT,
                                 max_steps=LIVE_MAX_STEPS)
            heartbeat = st.empty()
            result = crowd.run_to_end(classifier, attack, pixels, RunHistory(max_frames=16), None, heartbeat.empty)
            wall = time.perf_counter() - began
        if result is None:  # the shared worker's line is full (a notice says so)
            return
    except UserError as error:  # a missing model or unreadable file must not take the page down
        st.error(error_text(error))
        return
    st.session_state["live_measure"] = dict(
        model=classifier.title, steps=result.kept_step, seconds=result.seconds, wall=wall, sample=sample,
        probability=result.verification.target_probability, success=result.success,
        label=result.original.index, before=result.final.original, after=result.final.image)
