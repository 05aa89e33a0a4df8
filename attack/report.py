"""A one-page report figure of a finished attack, composed with Pillow (no browser needed).

original | amplified perturbation | adversarial, each with its top-3; the confidence curve; a strip
of facts; a headline. Colours come from `attack.style`, the same source the app's plotly figures use.
Lengths below are pixels of an 1800 px wide report and scale with `width`.
"""
from __future__ import annotations

import functools
import io
import math
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from PIL import Image, ImageColor, ImageDraw, ImageFont

from . import labels, metrics, style

if TYPE_CHECKING:  # only for hints: drawing needs no TensorFlow
    from .history import RunHistory
    from .runner import RunResult

BASE_WIDTH = 1800  # the width every length in this module is designed for
PRINT_DPI = 200

METHOD_TITLES = {
    "gradient-ascent": "Gradient ascent", "fgsm": "FGSM", "bim": "BIM", "pgd": "PGD",
    "mi-fgsm": "MI-FGSM", "apgd": "APGD", "deepfool": "DeepFool", "cw-l2": "C&W L2",
    "square": "Square (black-box)", "jsma": "JSMA (L0)",
}
L0_METHODS = {"jsma"}  # attacks that ignore ε and keep the number of changed pixels small

# The report's own words (the engine has no access to the app's i18n).
TEXT = {
    "en": {
        "headline": "{original} → {final} ({probability})",
        "not_fooled": "{original}: not fooled yet ({probability})",
        "targeted": "Targeted attack toward “{target}”, stopping at {stop_at} confidence",
        "untargeted": "Untargeted attack: any wrong class, stopping when “{original}” drops to {stop_at}",
        "original": "Original",
        "perturbation": "Perturbation × {factor}",
        "adversarial": "Adversarial",
        "clean_top3": "clean image, top-3",
        "saved_top3": "saved PNG, top-3",
        "amplified": "δ = adversarial − original, shown as 128 + {factor} · δ",
        "grey": "mid-grey: unchanged pixel",
        "changed": "L∞ {linf} of 255 levels · {changed} of pixels changed",
        "curve": "Confidence at each step",
        "step": "step",
        "queries": "queries (the attack never looked inside the model)",
        "l0": "L0 (pixels changed)",
        "not_used": "not used (L0)",
        "probability": "probability",
        "target_line": "target: {name}",
        "original_line": "original: {name}",
        "stop_line": "stop at {p}",
        "model": "Model", "method": "Method", "epsilon": "ε (pixel levels)", "steps": "Steps",
        "query_count": "Queries",
        "time": "Time", "linf": "L∞", "l2": "L2", "psnr": "PSNR", "ssim": "SSIM",
        "verified": "Verified on the saved PNG", "yes": "yes", "no": "no",
        "footer": "Adversarial Lab · every number after the attack is measured on the saved 8-bit PNG",
        "seconds": "{s} s",
    },
    "zh": {
        "headline": "{original} → {final}（{probability}）",
        "not_fooled": "{original}：尚未被骗过（{probability}）",
        "targeted": "定向攻击，目标“{target}”，置信度达到 {stop_at} 即停止",
        "untargeted": "非定向攻击：任何错误类别均可，“{original}”降到 {stop_at} 即停止",
        "original": "原图",
        "perturbation": "扰动 × {factor}",
        "adversarial": "对抗样本",
        "clean_top3": "原图的前三名",
        "saved_top3": "保存的 PNG 的前三名",
        "amplified": "δ = 对抗样本 − 原图，显示为 128 + {factor} · δ",
        "grey": "中灰色：像素未改变",
        "changed": "L∞ 为 {linf}/255 级 · {changed} 的像素被修改",
        "curve": "每一步的置信度",
        "step": "步数",
        "queries": "查询次数（攻击从未查看模型内部）",
        "l0": "L0（被改动的像素）",
        "not_used": "不适用（L0）",
        "probability": "概率",
        "target_line": "目标：{name}",
        "original_line": "原类别：{name}",
        "stop_line": "停止阈值 {p}",
        "model": "模型", "method": "方法", "epsilon": "ε（像素级）", "steps": "步数",
        "query_count": "查询次数",
        "time": "用时", "linf": "L∞", "l2": "L2", "psnr": "PSNR", "ssim": "SSIM",
        "verified": "已在保存的 PNG 上验证", "yes": "是", "no": "否",
        "footer": "Adversarial Lab · 攻击后的所有数字均在保存的 8 位 PNG 上测得",
        "seconds": "{s} 秒",
    },
}


def words(lang: str) -> dict[str, str]:
    """The report's texts for `lang` ("zh…" → Chinese, anything else → English)."""
    return TEXT["zh"] if lang.lower().startswith("zh") else TEXT["en"]


def percent(p: float) -> str:
    """97%, 3.2%, <0.1%, 99.7%, >99.9%: enough digits to tell probabilities near 0 and near 1 apart."""
    if not math.isfinite(p):
        return "–"
    if p >= 1.0:
        return "100%"
    if p >= 0.9995:
        return ">99.9%"
    if p >= 0.995:
        return f"{p:.1%}"
    if p >= 0.095:
        return f"{p:.0%}"
    if p >= 0.001:
        return f"{p:.1%}"
    return "<0.1%"


# ---------------------------------------------------------------- fonts
_FONT_DIRS = ("/usr/share/fonts", "/usr/local/share/fonts", "~/.local/share/fonts", "~/.fonts",
              "/Library/Fonts", "/System/Library/Fonts", "~/Library/Fonts", "C:/Windows/Fonts")
_FONT_FILES = {  # (cjk, bold) -> file names to look for, best first
    (False, False): ("DejaVuSans.ttf", "LiberationSans-Regular.ttf", "Arial.ttf", "arial.ttf"),
    (False, True): ("DejaVuSans-Bold.ttf", "LiberationSans-Bold.ttf", "Arial Bold.ttf", "arialbd.ttf"),
    (True, False): ("NotoSansCJK-Regular.ttc", "NotoSansCJKsc-Regular.otf", "NotoSansSC-Regular.otf",
                    "wqy-microhei.ttc", "wqy-zenhei.ttc", "PingFang.ttc", "msyh.ttc", "simhei.ttf"),
    (True, True): ("NotoSansCJK-Bold.ttc", "NotoSansCJKsc-Bold.otf", "NotoSansSC-Bold.otf",
                   "wqy-microhei.ttc", "PingFang.ttc", "msyhbd.ttc", "simhei.ttf"),
}
_FAMILIES = {False: "DejaVu Sans", True: "Noto Sans CJK SC"}


def _fc_match(family: str, bold: bool) -> tuple[str, int] | None:
    """Ask fontconfig (Linux) for the family; None unless it really has it (it always answers something)."""
    pattern = f"{family}:{'bold' if bold else 'regular'}"
    try:
        out = subprocess.run(["fc-match", "-f", "%{file}\n%{index}\n%{family}", pattern],
                             capture_output=True, text=True, timeout=5, check=False).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    parts = out.split("\n")
    if len(parts) < 3 or family.lower() not in parts[2].lower() or not Path(parts[0]).is_file():
        return None
    return parts[0], int(parts[1] or 0)


def _search_dirs(names: tuple[str, ...]) -> str | None:
    wanted = {n.lower(): rank for rank, n in enumerate(names)}
    best: tuple[int, str] | None = None
    for root in _FONT_DIRS:
        for folder, _, files in os.walk(os.path.expanduser(root)):
            for f in files:
                rank = wanted.get(f.lower())
                if rank is not None and (best is None or rank < best[0]):
                    best = (rank, os.path.join(folder, f))
    return best[1] if best else None


def _simplified_chinese_face(path: str) -> int:
    """In a CJK collection (.ttc), the index of the Simplified Chinese face (else 0)."""
    for index in range(10):
        try:
            family = ImageFont.truetype(path, 12, index=index).getname()[0] or ""
        except OSError:
            break
        if family.endswith(" SC") or "SC" in family.split():
            return index
    return 0


@functools.cache
def _font_file(cjk: bool, bold: bool) -> tuple[str, int] | None:
    found = _fc_match(_FAMILIES[cjk], bold)
    if found:
        return found
    path = _search_dirs(_FONT_FILES[(cjk, bold)])
    if path is None:
        return None
    return path, _simplified_chinese_face(path) if cjk and path.lower().endswith(".ttc") else 0


@functools.cache
def font(size: int, *, bold: bool = False, lang: str = "en") -> ImageFont.ImageFont | ImageFont.FreeTypeFont:
    """A TrueType font found offline (CJK-capable for Chinese); Pillow's own font if none is found."""
    cjk = lang.lower().startswith("zh")
    size = max(int(size), 6)
    for candidate in ((cjk, bold), (cjk, False), (False, bold), (False, False)):
        found = _font_file(*candidate)
        if found:
            try:
                return ImageFont.truetype(found[0], size, index=found[1])
            except OSError:
                continue
    return ImageFont.load_default(size=size)


# ---------------------------------------------------------------- drawing helpers
def rgb(colour: str) -> tuple[int, int, int]:
    return ImageColor.getrgb(colour)[:3]


def tint(colour: str, amount: float) -> tuple[int, int, int]:
    """The colour mixed with white: amount 0 → white, 1 → the colour."""
    r, g, b = rgb(colour)
    return tuple(int(round(255 + (c - 255) * amount)) for c in (r, g, b))


def text_width(draw: ImageDraw.ImageDraw, text: str, f) -> float:
    return draw.textlength(text, font=f)


def fit_text(draw: ImageDraw.ImageDraw, text: str, f, max_width: float) -> str:
    """The text, shortened with an ellipsis until it fits `max_width`."""
    if text_width(draw, text, f) <= max_width:
        return text
    while text and text_width(draw, text + "…", f) > max_width:
        text = text[:-1]
    return text.rstrip() + "…"


def fit_image(pixels: np.ndarray, box: tuple[int, int]) -> Image.Image:
    """Scale to fit `box`: NEAREST when enlarging (every pixel of δ stays a crisp square), LANCZOS when shrinking."""
    image = Image.fromarray(np.asarray(pixels, dtype=np.uint8))
    scale = min(box[0] / image.width, box[1] / image.height)
    size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
    if size == image.size:
        return image
    return image.resize(size, Image.NEAREST if scale > 1 else Image.LANCZOS)


def draw_check(draw: ImageDraw.ImageDraw, centre: tuple[float, float], radius: float, ok: bool) -> None:
    """A ✓ or ✗ badge drawn as shapes, so it never depends on a font having the glyph."""
    x, y = centre
    colour = rgb(style.SUCCESS if ok else style.FAILURE)
    draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=colour)
    w = max(2, round(radius / 3.5))
    r = radius * 0.5
    if ok:
        draw.line([(x - r, y + r * 0.05), (x - r * 0.25, y + r * 0.7), (x + r, y - r * 0.6)],
                  fill="white", width=w, joint="curve")
    else:
        draw.line([(x - r * 0.75, y - r * 0.75), (x + r * 0.75, y + r * 0.75)], fill="white", width=w)
        draw.line([(x - r * 0.75, y + r * 0.75), (x + r * 0.75, y - r * 0.75)], fill="white", width=w)


def _nice_ticks(upper: float, count: int = 6) -> list[int]:
    """0, step, 2·step … ≤ upper with a whole step of 1, 2 or 5 × 10^k and at most about `count` ticks."""
    upper = max(upper, 1)
    magnitude = 10 ** max(math.floor(math.log10(upper / count)), 0)
    step = next(m * magnitude for m in (1, 2, 5, 10) if upper / (m * magnitude) <= count)
    return list(range(0, int(upper) + 1, int(step)))


def _dashed(draw: ImageDraw.ImageDraw, y: float, x0: float, x1: float, fill, width: int, dash: float) -> None:
    x = x0
    while x < x1:
        draw.line([(x, y), (min(x + dash, x1), y)], fill=fill, width=width)
        x += 2 * dash


def _vertical_text(text: str, f, fill) -> Image.Image:
    probe = ImageDraw.Draw(Image.new("L", (1, 1)))
    left, top, right, bottom = probe.textbbox((0, 0), text, font=f)
    label = Image.new("RGBA", (int(right - left) + 2, int(bottom - top) + 2), (0, 0, 0, 0))
    ImageDraw.Draw(label).text((-left + 1, -top + 1), text, font=f, fill=fill)
    return label.rotate(90, expand=True)


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
    t = words(lang)
    k = supersample * scale
    width, height = size[0] * supersample, size[1] * supersample
    image = Image.new("RGB", (width, height), rgb(style.BACKGROUND))
    draw = ImageDraw.Draw(image)
    tick_font = font(round(style.FONT_SIZES["small"] * k), lang=lang)
    legend_font = font(round(style.FONT_SIZES["small"] * k), lang=lang)

    ax = _Axes.of((width, height), history, k, legend)
    left, right, top, bottom, last = ax.left, ax.right, ax.top, ax.bottom, ax.last
    legend_h = round(40 * k) if legend else 0
    x_of, y_of = ax.x, ax.y
    steps = history.steps

    grid, muted = rgb(style.GRID), rgb(style.MUTED_TEXT)
    for p in (0, 0.25, 0.5, 0.75, 1.0):
        draw.line([(left, y_of(p)), (right, y_of(p))], fill=grid, width=max(1, round(1.5 * k)))
        draw.text((left - 12 * k, y_of(p)), f"{p:.0%}", font=tick_font, fill=muted, anchor="rm")
    for step in _nice_ticks(last):
        x = x_of(step)
        draw.line([(x, top), (x, bottom)], fill=grid, width=max(1, round(1.5 * k)))
        draw.line([(x, bottom), (x, bottom + 8 * k)], fill=muted, width=max(1, round(2 * k)))
        draw.text((x, bottom + 12 * k), f"{step:g}", font=tick_font, fill=muted, anchor="ma")
    draw.line([(left, bottom), (right, bottom)], fill=muted, width=max(1, round(2 * k)))
    draw.line([(left, top), (left, bottom)], fill=muted, width=max(1, round(2 * k)))
    axis = t["queries"] if history.last is not None and history.last.queries is not None else t["step"]
    draw.text(((left + right) / 2, height - 6 * k), axis, font=tick_font, fill=muted, anchor="md")
    axis_label = _vertical_text(t["probability"], tick_font, muted)
    image.paste(axis_label, (round(6 * k), round((top + bottom - axis_label.height) / 2)), axis_label)

    targeted = target_name is not None
    threshold = stop_at if targeted else 1 - stop_at
    threshold_colour = rgb(style.TARGET if targeted else style.ORIGINAL)
    _dashed(draw, y_of(threshold), left, right, tint(style.TARGET if targeted else style.ORIGINAL, 0.6),
            max(1, round(2 * k)), 10 * k)
    draw.text((right - 6 * k, y_of(threshold) - 6 * k), t["stop_line"].format(p=percent(threshold)),
              font=tick_font, fill=threshold_colour, anchor="rd")

    series = _series(history, targeted)
    line_width = max(2, round(3.5 * k))
    for values, colour in series:
        points = [(x_of(s), y_of(p)) for s, p in zip(steps, values) if p == p]
        if len(points) > 1:
            draw.line(points, fill=rgb(colour), width=line_width, joint="curve")
        elif points:
            x, y = points[0]
            draw.ellipse((x - line_width, y - line_width, x + line_width, y + line_width), fill=rgb(colour))

    if legend:
        entries = [(style.ORIGINAL, t["original_line"].format(name=original_name))]
        if targeted:
            entries.insert(0, (style.TARGET, t["target_line"].format(name=target_name)))
        swatch = 36 * k
        x = right
        for colour, text in reversed(entries):  # right-aligned, in a band above the plot
            x -= text_width(draw, text, legend_font)
            draw.text((x, legend_h / 2), text, font=legend_font, fill=rgb(style.TEXT), anchor="lm")
            x -= swatch + 12 * k
            draw.line([(x, legend_h / 2), (x + swatch, legend_h / 2)], fill=rgb(colour), width=line_width)
            x -= 36 * k

    image = image.resize(size, Image.LANCZOS) if supersample != 1 else image
    if marker_step is not None:
        draw_marker(image, history, marker_step, targeted=targeted, scale=scale, legend=legend)
    return image


# ---------------------------------------------------------------- the report
def _top3(draw, predictions, x: int, y: int, width: int, *, target: int | None, original: int,
          lang: str, s: float) -> int:
    """Three bars with name and probability; returns the y below them."""
    body = font(round(style.FONT_SIZES["body"] * s), lang=lang)
    bold = font(round(style.FONT_SIZES["body"] * s), bold=True, lang=lang)
    row, gap = round(44 * s), round(8 * s)
    for p in predictions[:3]:
        colour = style.TARGET if p.index == target else style.ORIGINAL if p.index == original else style.NEUTRAL
        draw.rectangle((x, y, x + width, y + row), fill=rgb(style.PANEL))
        draw.rectangle((x, y, x + round(width * min(max(p.probability, 0), 1)), y + row), fill=tint(colour, 0.28))
        draw.rectangle((x, y, x + round(6 * s), y + row), fill=rgb(colour))
        value = percent(p.probability)
        value_w = text_width(draw, value, bold)
        name = fit_text(draw, labels.display(p.index, lang), body, width - value_w - 44 * s)
        draw.text((x + 18 * s, y + row / 2), name, font=body, fill=rgb(style.TEXT), anchor="lm")
        draw.text((x + width - 12 * s, y + row / 2), value, font=bold, fill=rgb(style.TEXT), anchor="rm")
        y += row + gap
    return y


def _fact(draw, box, label: str, value: str, *, lang: str, s: float, badge: bool | None = None) -> None:
    x0, y0, x1, y1 = box
    draw.rounded_rectangle(box, radius=round(10 * s), fill=rgb(style.PANEL))
    small = font(round(style.FONT_SIZES["small"] * s), lang=lang)
    big = font(round(style.FONT_SIZES["value"] * s), bold=True, lang=lang)
    pad = 20 * s
    draw.text((x0 + pad, y0 + pad * 0.8), fit_text(draw, label, small, x1 - x0 - 2 * pad), font=small,
              fill=rgb(style.MUTED_TEXT), anchor="la")
    vx = x0 + pad
    vy = y1 - pad * 0.9
    if badge is not None:
        radius = 17 * s
        draw_check(draw, (vx + radius, vy - radius), radius, badge)
        vx += 2 * radius + 12 * s
    size = style.FONT_SIZES["value"] * s
    while size > style.FONT_SIZES["small"] * s and text_width(draw, value, big) > x1 - vx - pad:
        size -= 1  # long values (model names) get a smaller type before an ellipsis
        big = font(round(size), bold=True, lang=lang)
    draw.text((vx, vy), fit_text(draw, value, big, x1 - vx - pad), font=big, fill=rgb(style.TEXT), anchor="ls")


def model_title(name: str) -> str:
    from .models import MODELS

    spec = MODELS.get(name)
    return spec.title.split(" (")[0] if spec else name  # "EfficientNet-Lite0 (bundled)": the name is enough here


def headline(result: RunResult, lang: str = "en") -> str:
    """"pig → toaster (97%)": the clean top-1, then the saved PNG's top-1."""
    t = words(lang)
    top = result.verification.top5[0]
    original = labels.display(result.original.index, lang)
    if top.index == result.original.index:
        return t["not_fooled"].format(original=original, probability=percent(top.probability))
    return t["headline"].format(original=original, final=labels.display(top.index, lang),
                                probability=percent(top.probability))


@dataclass(frozen=True)
class ReportLayout:
    """Where everything goes on the page; render_report draws by it, tests look at the pictures by it."""

    width: int
    height: int
    s: float  # scale from the 1800 px design
    margin: int
    gap: int
    panel_w: int
    image_h: int
    header_h: int
    panels_top: int
    title_h: int
    curve_top: int
    curve_h: int
    facts_top: int
    fact_h: int
    fact_gap: int
    pictures: tuple[tuple[int, int, int, int], ...]  # (x, y, w, h) of original, perturbation, adversarial

    @classmethod
    def of(cls, image_shape: tuple[int, ...], width: int = 1800) -> "ReportLayout":
        s = width / BASE_WIDTH
        margin, gap = round(60 * s), round(40 * s)
        panel_w = (width - 2 * margin - 2 * gap) // 3
        image_h = round(panel_w * min(image_shape[0] / image_shape[1], 1.15))
        header_h = round(190 * s)
        panels_top = header_h + round(20 * s)
        title_h = round(80 * s)
        curve_top = panels_top + title_h + image_h + round(24 * s) + 3 * round(52 * s) + round(50 * s)
        curve_h = round(440 * s)
        facts_top = curve_top + round(56 * s) + curve_h + round(36 * s)
        fact_h, fact_gap = round(104 * s), round(16 * s)
        height = facts_top + 2 * fact_h + fact_gap + round(90 * s)
        # Same arithmetic as fit_image: the picture's size, centred in its box.
        scale = min(panel_w / image_shape[1], image_h / image_shape[0])
        w, h = max(1, round(image_shape[1] * scale)), max(1, round(image_shape[0] * scale))
        pictures = tuple((margin + column * (panel_w + gap) + (panel_w - w) // 2,
                          panels_top + title_h + (image_h - h) // 2, w, h) for column in range(3))
        return cls(width, height, s, margin, gap, panel_w, image_h, header_h, panels_top, title_h, curve_top,
                   curve_h, facts_top, fact_h, fact_gap, pictures)


def render_report(result: RunResult, *, lang: str = "en", width: int = 1800) -> bytes:
    """The report as PNG bytes (≥ 1600 px wide at the default, 200 dpi in its metadata)."""
    t = words(lang)
    final = result.final
    original_pixels = result.history.first.image
    amplified, factor = metrics.amplify(final.original, final.image)
    box = ReportLayout.of(original_pixels.shape, width)
    s, margin, gap, panel_w, image_h = box.s, box.margin, box.gap, box.panel_w, box.image_h
    panels_top, title_h, curve_top, curve_h = box.panels_top, box.title_h, box.curve_top, box.curve_h
    facts_top, fact_h, fact_gap, height = box.facts_top, box.fact_h, box.fact_gap, box.height

    page = Image.new("RGB", (width, height), rgb(style.BACKGROUND))
    draw = ImageDraw.Draw(page)
    text_colour, muted = rgb(style.TEXT), rgb(style.MUTED_TEXT)

    # Header: the headline, what was asked, and a coloured rule (green: the saved file fools the model).
    verified = result.verification.success
    draw.rectangle((0, 0, width, round(12 * s)), fill=rgb(style.SUCCESS if verified else style.FAILURE))
    draw.text((margin, round(58 * s)), fit_text(draw, headline(result, lang),
              font(round(style.FONT_SIZES["headline"] * s), bold=True, lang=lang), width - 2 * margin),
              font=font(round(style.FONT_SIZES["headline"] * s), bold=True, lang=lang), fill=text_colour)
    original_name = labels.display(result.original.index, lang)
    target_name = labels.display(result.target, lang) if result.target is not None else None
    if target_name is not None:
        goal = t["targeted"].format(target=target_name, stop_at=percent(result.stop_at))
    else:
        goal = t["untargeted"].format(original=original_name, stop_at=percent(1 - result.stop_at))
    draw.text((margin, round(138 * s)), goal, font=font(round(style.FONT_SIZES["subtitle"] * s), lang=lang),
              fill=muted)

    # Three panels.
    title_font = font(round(style.FONT_SIZES["title"] * s), bold=True, lang=lang)
    caption_font = font(round(style.FONT_SIZES["small"] * s), lang=lang)
    factor_text = f"{factor:.0f}" if factor >= 10 else f"{factor:.1f}"
    panels = [
        (t["original"], t["clean_top3"], original_pixels),
        (t["perturbation"].format(factor=factor_text), "", amplified),
        (t["adversarial"], t["saved_top3"], final.image),
    ]
    for column, (title, caption, pixels) in enumerate(panels):
        x = margin + column * (panel_w + gap)
        draw.text((x, panels_top), title, font=title_font, fill=text_colour)
        if caption:
            draw.text((x, panels_top + round(42 * s)), caption, font=caption_font, fill=muted)
        picture = fit_image(pixels, (panel_w, image_h))
        px, py = box.pictures[column][:2]
        page.paste(picture, (px, py))
        draw.rectangle((px - 1, py - 1, px + picture.width, py + picture.height), outline=rgb(style.GRID))
        below = panels_top + title_h + image_h + round(24 * s)
        if column == 0:
            _top3(draw, result.history.first.top5, x, below, panel_w, target=result.target,
                  original=result.original.index, lang=lang, s=s)
        elif column == 2:
            _top3(draw, result.verification.top5, x, below, panel_w, target=result.target,
                  original=result.original.index, lang=lang, s=s)
        else:
            changed = percent(result.distances.l0_fraction)
            notes = (t["amplified"].format(factor=factor_text), t["grey"],
                     t["changed"].format(linf=f"{result.distances.linf:.0f}", changed=changed))
            for i, note in enumerate(notes):
                draw.text((x, below + i * round(52 * s) + round(22 * s)), fit_text(draw, note, caption_font, panel_w),
                          font=caption_font, fill=muted, anchor="lm")

    # The confidence curve.
    draw.text((margin, curve_top), t["curve"], font=title_font, fill=text_colour)
    curve = curve_image(result.history, (width - 2 * margin, curve_h), target_name=target_name,
                        original_name=original_name, stop_at=result.stop_at, lang=lang, scale=s)
    page.paste(curve, (margin, curve_top + round(56 * s)))

    # Facts, two rows of five.
    d = result.distances
    psnr = "∞" if math.isinf(d.psnr) else f"{d.psnr:.1f} dB"
    seconds = t["seconds"].format(s=f"{result.seconds:.1f}")
    facts = [
        (t["model"], model_title(result.model), None), (t["method"], METHOD_TITLES.get(result.method, result.method), None),
        # JSMA bounds how many pixels change, not by how much: its L0 takes ε's place.
        (t["l0"], f"{d.l0:,} ({percent(d.l0_fraction)})", None) if result.method in L0_METHODS
        else (t["epsilon"], f"{result.epsilon:g} / 255", None),
        (t["query_count"] if result.final.queries is not None else t["steps"], f"{result.steps}", None),
        (t["time"], seconds, None), (t["linf"], f"{d.linf:.0f} / 255", None), (t["l2"], f"{d.l2:.1f}", None),
        (t["psnr"], psnr, None), (t["ssim"], f"{d.ssim:.4f}", None),
        (t["verified"], t["yes"] if verified else t["no"], verified),
    ]
    cell_w = (width - 2 * margin - 4 * fact_gap) / 5
    for i, (label, value, badge) in enumerate(facts):
        row, column = divmod(i, 5)
        x0 = margin + column * (cell_w + fact_gap)
        y0 = facts_top + row * (fact_h + fact_gap)
        _fact(draw, (round(x0), y0, round(x0 + cell_w), y0 + fact_h), label, value, lang=lang, s=s, badge=badge)

    draw.text((width - margin, height - round(36 * s)), t["footer"], font=caption_font, fill=muted, anchor="rs")

    buffer = io.BytesIO()
    page.save(buffer, format="PNG", dpi=(PRINT_DPI, PRINT_DPI))
    return buffer.getvalue()
