"""Plotly figures of a run: the cost curve, the perturbation heatmap and the top-5 bars.

Colours come from `attack.render.style`, the one source of truth shared with the reports. Figures are
kept small on the wire (the heatmap is pooled to at most `HEATMAP_SIDE` cells a side) because the
live view redraws them several times a second.
"""
from __future__ import annotations

import math
from typing import Sequence

import numpy as np
import plotly.colors
import plotly.graph_objects as go

from attack.render import style
from attack.running.history import RunHistory
from attack.datatypes import Prediction

HEATMAP_SIDE = 128
# Heights in px: normal, and big (presenter mode, sized so the live panel fits a 1280 × 720 screen).
PANEL_HEIGHT = {False: 300, True: 240}
CURVE_HEIGHT = {False: 300, True: 200}


def _colorscale(name: str) -> list:
    """A named plotly colorscale as explicit stops, made safe for Streamlit's chart frontend.

    Streamlit rewrites the placeholder colours "#000001" … "#000010" in a figure's JSON to its theme's
    chart colours, which painted Inferno's first stop (#000004, "no change") lavender."""
    stops = plotly.colors.get_colorscale(name)
    return [[at, "#000000" if colour.lower() in _PLACEHOLDERS else colour] for at, colour in stops]


_PLACEHOLDERS = {f"#{n:06d}" for n in range(1, 11)}


# plotly_white's axes, spelled out. Naming a template makes plotly copy and validate all of it, and
# each update_layout / update_axes call walks the figure again, in the interpreter lock, many times the
# cost of a figure built in one go (bench/bench_crowd.py measures the room). The live panel draws three figures a frame for
# every session in the room (bench/bench_crowd.py), so every figure here is built in one go.
AXIS = dict(gridcolor="#EBF0F8", linecolor="#EBF0F8", zerolinecolor="#EBF0F8", zerolinewidth=2, ticks="",
            automargin=True, title=dict(standoff=15))


def _axis(**settings) -> dict:
    merged = {**AXIS, **settings}
    if "title" in settings:
        merged["title"] = {**AXIS["title"], **settings["title"]}
    return merged


def house_figure(data: list, height: int, big: bool = False, *, xaxis: dict | None = None,
                 yaxis: dict | None = None, **layout) -> go.Figure:
    """A figure in the house style, made in one step (traces as plotly dicts or objects)."""
    return go.Figure(data=data, layout=dict(
        template="none", height=height, margin=dict(l=10, r=10, t=40, b=10),
        font=dict(family=style.FONT, size=18 if big else 13, color=style.TEXT),
        paper_bgcolor=style.BACKGROUND, plot_bgcolor=style.BACKGROUND,
        legend=dict(orientation="h", yanchor="bottom", y=1.02, x=1, xanchor="right"),
        xaxis=_axis(**(xaxis or {})), yaxis=_axis(**(yaxis or {})), **layout))


def _title(text: str, big: bool) -> dict:
    return dict(text=text, x=0.01, xanchor="left", xref="container", font=dict(size=17 if big else 15))


def cost_curve(history: RunHistory, *, target_label: str | None, original_label: str, stop_at: float,
               log_scale: bool = False, marker_step: int | None = None, title: str = "",
               big: bool = False, x_title: str | None = None) -> go.Figure:
    """Target and original-class probability per step (or per query: `x_title`), with the stop-at line."""
    floor = 1e-6  # log axes cannot show 0
    clip = (lambda ps: [max(p, floor) for p in ps]) if log_scale else (lambda ps: ps)
    data = []
    if target_label is not None:
        data.append(dict(type="scatter", x=history.steps, y=clip(history.target_probability), mode="lines",
                         name=target_label, line=dict(color=style.TARGET, width=3)))
        threshold = stop_at
    else:
        threshold = 1.0 - stop_at
    data.append(dict(type="scatter", x=history.steps, y=clip(history.original_probability), mode="lines",
                     name=original_label, line=dict(color=style.ORIGINAL, width=3)))
    if marker_step is not None and marker_step in history.steps:
        i = history.steps.index(marker_step)
        ys = [history.original_probability[i]]
        if target_label is not None:
            ys.append(history.target_probability[i])
        data.append(dict(type="scatter", x=[marker_step] * len(ys), y=clip(ys), mode="markers", showlegend=False,
                         marker=dict(color=style.ACCENT, size=12, line=dict(color="white", width=2))))
    last = history.steps[-1] if history.steps else 1
    yaxis = (dict(type="log", range=[math.log10(floor), 0], tickformat=".0e") if log_scale
             else dict(range=[0, 1], tickformat=".0%"))
    # The stop-at line across the plot (what fig.add_hline draws).
    line = dict(type="line", xref="x domain", x0=0, x1=1, yref="y", y0=threshold, y1=threshold,
                line=dict(color=style.NEUTRAL, dash="dash", width=1))
    return house_figure(data, CURVE_HEIGHT[big], big, shapes=[line], title=_title(title, big),
                        xaxis=dict(title=dict(text=x_title), range=[0, max(last, 1)],
                                   dtick=1 if last <= 10 else None),  # no "step 0.2"
                        yaxis=yaxis)


def pool(values: np.ndarray, side: int, signed: bool) -> np.ndarray:
    """Shrink an H x W map to at most `side` cells a side: block means, or (signed) each block's extreme."""
    h, w = values.shape
    k = max(1, math.ceil(max(h, w) / side))
    if k == 1:
        return values
    ph, pw = math.ceil(h / k) * k, math.ceil(w / k) * k
    padded = np.zeros((ph, pw), values.dtype)
    padded[:h, :w] = values
    blocks = padded.reshape(ph // k, k, pw // k, k).transpose(0, 2, 1, 3).reshape(ph // k, pw // k, k * k)
    if not signed:
        return blocks.mean(axis=-1)
    pick = np.abs(blocks).argmax(axis=-1)[..., None]
    return np.take_along_axis(blocks, pick, axis=-1)[..., 0]


def _heat_values(perturbation: np.ndarray, epsilon: float, signed: bool) -> tuple[np.ndarray, float, float, str]:
    """The pooled map, its colour range and colour scale. The range covers ε, or the actual L∞ when a method
    goes beyond it (JSMA ignores ε and moves pixels by up to 255 levels)."""
    delta = perturbation.astype(np.float32)
    top = max(math.ceil(epsilon), math.ceil(float(np.abs(delta).max())) if delta.size else 0, 1)
    if signed:
        return pool(delta.mean(axis=-1), HEATMAP_SIDE, True), -top, top, style.SIGNED_HEATMAP
    return pool(np.abs(delta).mean(axis=-1), HEATMAP_SIDE, False), 0, top, style.HEATMAP


def heatmap(perturbation: np.ndarray, *, epsilon: float, signed: bool = False, title: str = "",
            big: bool = False, unit: str = "") -> go.Figure:
    """|δ| per pixel (mean over R, G, B) in pixel levels, or the signed mean δ.

    The mean rather than the channel maximum: sign methods push almost every value to ±ε, so the
    maximum paints a flat square while the mean shows where the channels agree."""
    values, low, high, name = _heat_values(perturbation, epsilon, signed)
    scale = dict(colorscale=_colorscale(name), zmin=low, zmax=high, reversescale=signed)
    trace = dict(type="heatmap", z=values, hoverinfo="skip", **scale,
                 colorbar=dict(thickness=12, ticksuffix="", ticks="", outlinewidth=0, title=dict(text=unit)))
    return house_figure([trace], PANEL_HEIGHT[big], big, title=_title(title, big), xaxis=dict(visible=False),
                        yaxis=dict(autorange="reversed", visible=False, scaleanchor="x"))


def heatmap_image(perturbation: np.ndarray, *, epsilon: float, signed: bool = False) -> tuple[np.ndarray, float]:
    """The heatmap's picture as RGB pixels (same map, colours and range) and its top value in levels.

    The live panel shows this instead of a plotly chart: Streamlit remounts a plotly chart whenever its
    figure changes, and the chart stays blank until the browser has drawn it again."""
    values, low, high, name = _heat_values(perturbation, epsilon, signed)
    lut = _lookup_table(name, signed)
    index = np.clip((values - low) / (high - low) * 255, 0, 255).astype(np.uint8)
    return lut[index], high


def _lookup_table(name: str, reverse: bool) -> np.ndarray:
    colours = plotly.colors.sample_colorscale(_colorscale(name), list(np.linspace(0, 1, 256)), colortype="tuple")
    table = (np.array(colours, dtype=np.float32) * (255 if max(max(c) for c in colours) <= 1 else 1)).round()
    table = np.clip(table, 0, 255).astype(np.uint8)
    return table[::-1] if reverse else table


def wrap_label(name: str, width: int = 16) -> str:
    """A class name in at most two lines of about `width` characters (CJK counts double), then "…":
    long names no longer squeeze the bars of a top-5 chart."""
    def size(text: str) -> int:
        return sum(2 if ord(c) > 0x2E80 else 1 for c in text)

    if size(name) <= width:
        return name
    words, lines, line = name.split(" ") if " " in name else list(name), [], ""
    joiner = " " if " " in name else ""
    for word in words:
        candidate = f"{line}{joiner}{word}" if line else word
        if size(candidate) <= width or not line:
            line = candidate
        else:
            lines.append(line)
            line = word
    lines.append(line)
    if len(lines) > 2:
        lines = [lines[0], lines[1] + "…"]
    lines = [text if size(text) <= width + 2 else text[:width].rstrip() + "…" for text in lines]
    return "<br>".join(lines)


def top5_bars(predictions: Sequence[Prediction], *, names: Sequence[str], target: int | None,
              original: int | None, title: str = "", big: bool = False) -> go.Figure:
    """Horizontal probability bars, the target red and the original class blue; each bar's value in the
    same format ("61.1%") outside the bar or inside a long one, never shrunk, and long names wrapped."""
    colours = [style.TARGET if p.index == target else style.ORIGINAL if p.index == original else style.NEUTRAL
               for p in predictions]
    inside = [p.probability >= 0.6 for p in predictions]
    bars = dict(type="bar", x=[p.probability for p in predictions], y=[wrap_label(n) for n in names],
                orientation="h", marker=dict(color=colours, line=dict(color="white", width=0.5)),
                text=[f"{p.probability:.1%}" for p in predictions], hoverinfo="skip", cliponaxis=False,
                textposition=["inside" if i else "outside" for i in inside], insidetextanchor="end",
                textfont=dict(color=["white" if i else style.TEXT for i in inside]))
    return house_figure([bars], PANEL_HEIGHT[big], big, title=_title(title, big), showlegend=False,
                        uniformtext=dict(mode="show", minsize=11),
                        xaxis=dict(range=[0, 1.0], tickformat=".0%", tickangle=0, dtick=0.5),
                        yaxis=dict(autorange="reversed", tickangle=0))
