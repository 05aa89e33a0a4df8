"""The confidence curve of a run: the target's (red) and the original class's (blue) probability at
every step, with the stop threshold dashed, as a Pillow image; and a step marker drawn onto it.

The report shows the curve once; the animation draws it once and only moves the marker per frame.
Lengths are pixels at `scale` 1 (an 1800 px wide report) and grow with it.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from PIL import Image, ImageDraw

from . import style
from .draw import dashed_line, rgb, text_width, tint, vertical_text
from .fonts import font
from .text import percent, text

if TYPE_CHECKING:  # only for hints: drawing needs no TensorFlow
    from ..running.history import RunHistory


def _nice_ticks(upper: float, count: int = 6) -> list[int]:
    """0, step, 2·step … ≤ upper with a whole step of 1, 2 or 5 × 10^k and at most about `count` ticks."""
    upper = max(upper, 1)
    magnitude = 10 ** max(math.floor(math.log10(upper / count)), 0)
    step = next(m * magnitude for m in (1, 2, 5, 10) if upper / (m * magnitude) <= count)
    return list(range(0, int(upper) + 1, int(step)))


@dataclass(frozen=True)
class _Axes:
    """Where the plot area of a curve image lies, and how steps and probabilities map into it."""

    left: float
    right: float
    top: float
    bottom: float
    last: int  # the last step, at the right edge

    @classmethod
    def of(cls, size: tuple[int, int], history: RunHistory, k: float, legend: bool) -> "_Axes":
        legend_h = round(40 * k) if legend else 0
        last = max(history.steps[-1] if history.steps else 1, 1)
        return cls(round(96 * k), size[0] - round(24 * k), legend_h + round(16 * k), size[1] - round(64 * k), last)

    def x(self, step: float) -> float:
        return self.left + (self.right - self.left) * step / self.last

    def y(self, p: float) -> float:
        return self.bottom - (self.bottom - self.top) * p


def _series(history: RunHistory, targeted: bool) -> list[tuple[list[float], str]]:
    """The curves to draw, each with its colour: the original class, and the target when there is one."""
    series = [(history.original_probability, style.ORIGINAL)]
    if targeted:
        series.append((history.target_probability, style.TARGET))
    return series


def draw_marker(image: Image.Image, history: RunHistory, step: int, *, targeted: bool, scale: float = 1.0,
                legend: bool = True) -> None:
    """Mark `step` on a curve image from `curve_image` (same history, scale and legend): a vertical line
    and a dot on each curve. Cheap, so an animation draws the curve once and only the marker per frame."""
    steps = history.steps
    if not steps:
        return
    ax = _Axes.of(image.size, history, scale, legend)
    draw = ImageDraw.Draw(image)
    index = min(max(int(np.searchsorted(steps, step, side="right")) - 1, 0), len(steps) - 1)
    x = ax.x(steps[index])
    draw.line([(x, ax.top), (x, ax.bottom)], fill=rgb(style.TEXT), width=max(1, round(2 * scale)))
    radius = 7 * scale
    for values, colour in _series(history, targeted):
        p = values[index]
        if p == p:
            y = ax.y(p)
            draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=rgb(colour),
                         outline="white", width=max(1, round(2 * scale)))


def curve_image(history: RunHistory, size: tuple[int, int], *, target_name: str | None, original_name: str,
                stop_at: float, lang: str = "en", scale: float = 1.0, marker_step: int | None = None,
                legend: bool = True, supersample: int = 2) -> Image.Image:
    """The probability of the target (red) and the original class (blue) at every step, as an RGB image.

    Drawn at `supersample`× and shrunk, which anti-aliases lines Pillow draws with hard edges.
    `marker_step` adds a vertical line and dots at that step (the animation's moving marker).
    """
    k = supersample * scale
    width, height = size[0] * supersample, size[1] * supersample
    image = Image.new("RGB", (width, height), rgb(style.BACKGROUND))
    draw = ImageDraw.Draw(image)
    tick_font = font(round(style.FONT_SIZES["small"] * k), lang=lang)
    ax = _Axes.of((width, height), history, k, legend)
    _draw_axes(image, draw, ax, history, k, tick_font, lang)
    targeted = target_name is not None
    threshold = stop_at if targeted else 1 - stop_at
    dashed_line(draw, ax.y(threshold), ax.left, ax.right, tint(style.TARGET if targeted else style.ORIGINAL, 0.6),
                max(1, round(2 * k)), 10 * k)
    draw.text((ax.right - 6 * k, ax.y(threshold) - 6 * k), text(lang, "report.stop_line", p=percent(threshold)),
              font=tick_font, fill=rgb(style.TARGET if targeted else style.ORIGINAL), anchor="rd")
    line_width = max(2, round(3.5 * k))
    for values, colour in _series(history, targeted):
        points = [(ax.x(s), ax.y(p)) for s, p in zip(history.steps, values) if p == p]
        if len(points) > 1:
            draw.line(points, fill=rgb(colour), width=line_width, joint="curve")
        elif points:
            x, y = points[0]
            draw.ellipse((x - line_width, y - line_width, x + line_width, y + line_width), fill=rgb(colour))
    if legend:
        entries = [(style.ORIGINAL, text(lang, "report.original_line", name=original_name))]
        if targeted:
            entries.insert(0, (style.TARGET, text(lang, "report.target_line", name=target_name)))
        _draw_legend(draw, entries, ax.right, round(40 * k), k, line_width, font(round(style.FONT_SIZES["small"] * k),
                                                                                 lang=lang))
    image = image.resize(size, Image.LANCZOS) if supersample != 1 else image
    if marker_step is not None:
        draw_marker(image, history, marker_step, targeted=targeted, scale=scale, legend=legend)
    return image


def _draw_axes(image: Image.Image, draw, ax: _Axes, history: RunHistory, k: float, tick_font, lang: str) -> None:
    """Grid, ticks and axis titles: probability 0–100 % up the side, steps (or queries) along the bottom."""
    left, right, top, bottom = ax.left, ax.right, ax.top, ax.bottom
    grid, muted = rgb(style.GRID), rgb(style.MUTED_TEXT)
    for p in (0, 0.25, 0.5, 0.75, 1.0):
        draw.line([(left, ax.y(p)), (right, ax.y(p))], fill=grid, width=max(1, round(1.5 * k)))
        draw.text((left - 12 * k, ax.y(p)), f"{p:.0%}", font=tick_font, fill=muted, anchor="rm")
    for step in _nice_ticks(ax.last):
        x = ax.x(step)
        draw.line([(x, top), (x, bottom)], fill=grid, width=max(1, round(1.5 * k)))
        draw.line([(x, bottom), (x, bottom + 8 * k)], fill=muted, width=max(1, round(2 * k)))
        draw.text((x, bottom + 12 * k), f"{step:g}", font=tick_font, fill=muted, anchor="ma")
    draw.line([(left, bottom), (right, bottom)], fill=muted, width=max(1, round(2 * k)))
    draw.line([(left, top), (left, bottom)], fill=muted, width=max(1, round(2 * k)))
    black_box = history.last is not None and history.last.queries is not None  # its steps are model queries
    axis = text(lang, "report.queries" if black_box else "report.step")
    draw.text(((left + right) / 2, image.height - 6 * k), axis, font=tick_font, fill=muted, anchor="md")
    axis_label = vertical_text(text(lang, "report.probability"), tick_font, muted)
    image.paste(axis_label, (round(6 * k), round((top + bottom - axis_label.height) / 2)), axis_label)


def _draw_legend(draw, entries: list, right: float, band: int, k: float, line_width: int, legend_font) -> None:
    """Right-aligned legend entries (colour swatch, name) in a band of height `band` above the plot."""
    swatch, x = 36 * k, right
    for colour, entry in reversed(entries):
        x -= text_width(draw, entry, legend_font)
        draw.text((x, band / 2), entry, font=legend_font, fill=rgb(style.TEXT), anchor="lm")
        x -= swatch + 12 * k
        draw.line([(x, band / 2), (x + swatch, band / 2)], fill=rgb(colour), width=line_width)
        x -= 36 * k
