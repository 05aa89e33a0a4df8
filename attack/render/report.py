"""A one-page report figure of a finished attack, composed with Pillow (no browser needed).

original | amplified perturbation | adversarial, each with its top-3; the confidence curve; a strip
of facts; a headline. Colours come from `attack.render.style`, the same source the app's plotly figures
use; words from messages/render.py. Lengths below are pixels of an 1800 px wide report and scale with `width`.
"""
from __future__ import annotations

import io
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PIL import Image, ImageDraw

from ..inputs import labels
from ..running import metrics
from ..catalogue import entry
from . import style
from .chart import curve_image
from .draw import draw_check, fit_image, fit_text, rgb, text_width, tint
from .fonts import font
from .text import method_title, percent, short_model_title, text

if TYPE_CHECKING:  # only for hints: drawing needs no TensorFlow
    from ..running.history import RunResult

BASE_WIDTH = 1800  # the width every length in this module is designed for
PRINT_DPI = 200


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
    """One cell of the fact strip: a small label above a large value, with a ✓/✗ badge when `badge` is set."""
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


def headline(result: RunResult, lang: str = "en") -> str:
    """"pig → toaster (97%)": the clean top-1, then the saved PNG's top-1."""
    top = result.verification.top5[0]
    original = labels.display(result.original.index, lang)
    if top.index == result.original.index:
        return text(lang, "report.not_fooled", original=original, probability=percent(top.probability))
    return text(lang, "report.headline", original=original, final=labels.display(top.index, lang),
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
    box = ReportLayout.of(result.history.first.image.shape, width)
    page = Image.new("RGB", (width, box.height), rgb(style.BACKGROUND))
    draw = ImageDraw.Draw(page)
    original_name = labels.display(result.original.index, lang)
    target_name = labels.display(result.target, lang) if result.target is not None else None
    _header(draw, result, box, width, lang, original_name, target_name)
    _panels(draw, page, result, box, lang)
    # The confidence curve.
    s, margin = box.s, box.margin
    draw.text((margin, box.curve_top), text(lang, "report.curve"), fill=rgb(style.TEXT),
              font=font(round(style.FONT_SIZES["title"] * s), bold=True, lang=lang))
    curve = curve_image(result.history, (width - 2 * margin, box.curve_h), target_name=target_name,
                        original_name=original_name, stop_at=result.stop_at, lang=lang, scale=s)
    page.paste(curve, (margin, box.curve_top + round(56 * s)))
    _facts(draw, result, box, width, lang)
    draw.text((width - margin, box.height - round(36 * s)), text(lang, "report.footer"), fill=rgb(style.MUTED_TEXT),
              font=font(round(style.FONT_SIZES["small"] * s), lang=lang), anchor="rs")
    buffer = io.BytesIO()
    page.save(buffer, format="PNG", dpi=(PRINT_DPI, PRINT_DPI))
    return buffer.getvalue()


def _header(draw, result: RunResult, box: ReportLayout, width: int, lang: str, original_name: str,
            target_name: str | None) -> None:
    """The headline, what was asked, and a coloured rule (green: the saved file fools the model)."""
    s, margin = box.s, box.margin
    verified = result.verification.success
    draw.rectangle((0, 0, width, round(12 * s)), fill=rgb(style.SUCCESS if verified else style.FAILURE))
    headline_font = font(round(style.FONT_SIZES["headline"] * s), bold=True, lang=lang)
    draw.text((margin, round(58 * s)), fit_text(draw, headline(result, lang), headline_font, width - 2 * margin),
              font=headline_font, fill=rgb(style.TEXT))
    if target_name is not None:
        goal = text(lang, "report.targeted", target=target_name, stop_at=percent(result.stop_at))
    else:
        goal = text(lang, "report.untargeted", original=original_name, stop_at=percent(1 - result.stop_at))
    draw.text((margin, round(138 * s)), goal, font=font(round(style.FONT_SIZES["subtitle"] * s), lang=lang),
              fill=rgb(style.MUTED_TEXT))


def _panels(draw, page: Image.Image, result: RunResult, box: ReportLayout, lang: str) -> None:
    """Original, perturbation (amplified) and adversarial, each with its title and what it shows."""
    s, text_colour, muted = box.s, rgb(style.TEXT), rgb(style.MUTED_TEXT)
    final = result.final
    amplified, factor = metrics.amplify(final.original, final.image)
    title_font = font(round(style.FONT_SIZES["title"] * s), bold=True, lang=lang)
    caption_font = font(round(style.FONT_SIZES["small"] * s), lang=lang)
    factor_text = f"{factor:.0f}" if factor >= 10 else f"{factor:.1f}"
    panels = [
        (text(lang, "report.original"), text(lang, "report.clean_top3"), result.history.first.image),
        (text(lang, "report.perturbation", factor=factor_text), "", amplified),
        (text(lang, "report.adversarial"), text(lang, "report.saved_top3"), final.image),
    ]
    for column, (title, caption, pixels) in enumerate(panels):
        x = box.margin + column * (box.panel_w + box.gap)
        draw.text((x, box.panels_top), title, font=title_font, fill=text_colour)
        if caption:
            draw.text((x, box.panels_top + round(42 * s)), caption, font=caption_font, fill=muted)
        picture = fit_image(pixels, (box.panel_w, box.image_h))
        px, py = box.pictures[column][:2]
        page.paste(picture, (px, py))
        draw.rectangle((px - 1, py - 1, px + picture.width, py + picture.height), outline=rgb(style.GRID))
        below = box.panels_top + box.title_h + box.image_h + round(24 * s)
        if column != 1:
            predictions = result.history.first.top5 if column == 0 else result.verification.top5
            _top3(draw, predictions, x, below, box.panel_w, target=result.target, original=result.original.index,
                  lang=lang, s=s)
            continue
        notes = (text(lang, "report.amplified", factor=factor_text), text(lang, "report.grey"),
                 text(lang, "report.changed", linf=f"{result.distances.linf:.0f}",
                      changed=percent(result.distances.l0_fraction)))
        for i, note in enumerate(notes):
            draw.text((x, below + i * round(52 * s) + round(22 * s)), fit_text(draw, note, caption_font, box.panel_w),
                      font=caption_font, fill=muted, anchor="lm")


def _facts(draw, result: RunResult, box: ReportLayout, width: int, lang: str) -> None:
    """Two rows of five facts: model, method, budget, steps, time, distances, verified."""
    d, verified = result.distances, result.verification.success
    psnr = "∞" if math.isinf(d.psnr) else f"{d.psnr:.1f} dB"
    seconds = text(lang, "report.seconds", s=f"{result.seconds:.1f}")
    black_box = result.final.queries is not None  # its steps are model queries
    facts = [
        (text(lang, "report.model"), short_model_title(result.model), None),
        (text(lang, "report.method"), method_title(result.method, lang), None),
        # JSMA bounds how many pixels change, not by how much: its L0 takes ε's place.
        (text(lang, "report.l0"), f"{d.l0:,} ({percent(d.l0_fraction)})", None) if entry(result.method).l0
        else (text(lang, "report.epsilon"), f"{result.epsilon:g} / 255", None),
        (text(lang, "report.query_count" if black_box else "report.steps"), f"{result.kept_step}", None),
        (text(lang, "report.time"), seconds, None), (text(lang, "report.linf"), f"{d.linf:.0f} / 255", None),
        (text(lang, "report.l2"), f"{d.l2:.1f}", None), (text(lang, "report.psnr"), psnr, None),
        (text(lang, "report.ssim"), f"{d.ssim:.4f}", None),
        (text(lang, "report.verified"), text(lang, "report.yes" if verified else "report.no"), verified),
    ]
    cell_w = (width - 2 * box.margin - 4 * box.fact_gap) / 5
    for i, (label, value, badge) in enumerate(facts):
        row, column = divmod(i, 5)
        x0 = box.margin + column * (cell_w + box.fact_gap)
        y0 = box.facts_top + row * (box.fact_h + box.fact_gap)
        _fact(draw, (round(x0), y0, round(x0 + cell_w), y0 + box.fact_h), label, value, lang=lang, s=box.s,
              badge=badge)
