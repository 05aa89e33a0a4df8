"""An animated GIF of an attack for slides: the image, the |δ| heatmap and the curve with a moving marker.

Frames come from `RunHistory.frames` (up to 240 kept steps), sampled evenly down to `max_frames`,
always keeping the first and the last. Every frame is mapped onto one shared 256-colour palette
without dithering: pixels that did not change between steps keep their index, which is what keeps
a 100-step GIF small.
"""
from __future__ import annotations

import functools
import io
from typing import TYPE_CHECKING

import numpy as np
from PIL import Image, ImageDraw

from ..inputs import labels
from . import style
from .chart import curve_image, draw_marker
from .draw import fit_image, rgb, text_width, tint
from .fonts import font
from .report import headline
from .text import percent, text

if TYPE_CHECKING:
    from ..running.history import RunResult

FRAME_WIDTH = 900
SCALE = 0.62  # the report's type sizes, shrunk for a 900 px frame that is shown full-screen
FIRST_HOLD_MS = 1000  # the untouched image stays a moment before the attack starts
LAST_HOLD_MS = 3000  # and the result stays long enough to read


def sample_steps(kept: list[int], max_frames: int) -> list[int]:
    """At most `max_frames` of the kept steps, evenly spaced, always the first and the last."""
    kept = sorted(kept)
    if max_frames < 2:
        raise ValueError(f"An animation needs at least 2 frames, not {max_frames}.")
    if len(kept) <= max_frames:
        return kept
    positions = np.rint(np.linspace(0, len(kept) - 1, max_frames)).astype(int)
    return [kept[i] for i in positions]  # spacing > 1, so no position repeats


HEAT_LEVELS = 48  # colours of the heatmap; few enough to sit in the GIF palette exactly


@functools.cache
def _heat_lut() -> np.ndarray:
    """HEAT_LEVELS × 3 uint8 colours of the shared heatmap colorscale (style.HEATMAP, a plotly name)."""
    try:
        from plotly.colors import get_colorscale, hex_to_rgb, unlabel_rgb
    except ImportError:  # the engine does not need plotly; grey is an honest fallback
        ramp = np.linspace(0, 255, HEAT_LEVELS)
        return np.stack([ramp] * 3, axis=1).astype(np.uint8)
    stops = get_colorscale(style.HEATMAP)
    positions = np.array([float(p) for p, _ in stops])
    colours = np.array([hex_to_rgb(c) if c.startswith("#") else unlabel_rgb(c) for _, c in stops], float)
    x = np.linspace(0, 1, HEAT_LEVELS)
    return np.stack([np.interp(x, positions, colours[:, i]) for i in range(3)], axis=1).round().astype(np.uint8)


def heatmap(original: np.ndarray, image: np.ndarray, vmax: float, *, cells: int = 120) -> np.ndarray:
    """Mean |δ| (over the colour channels) per square patch, about `cells` patches across, coloured
    0 → dark, vmax → bright. Patches, not pixels: a pixel-level map of a PGD δ is unreadable noise on a
    slide, and a noise map in every frame would make the GIF several times larger."""
    signed = image.astype(np.int16) - original.astype(np.int16)
    delta = np.abs(signed, out=signed)
    delta = delta.sum(axis=-1, dtype=np.float32) / delta.shape[-1]
    block = max(1, -(-delta.shape[1] // cells))
    h, w = (delta.shape[0] // block) * block or delta.shape[0], (delta.shape[1] // block) * block or delta.shape[1]
    if block > 1 and h >= block and w >= block:
        delta = delta[:h, :w].reshape(h // block, block, w // block, block).mean(axis=(1, 3))
    level = np.clip(np.rint(delta * ((HEAT_LEVELS - 1) / max(vmax, 1e-9))), 0, HEAT_LEVELS - 1).astype(np.intp)
    return _heat_lut()[level]


def _layout(result: RunResult, width: int) -> dict:
    margin, gap = round(24 * width / FRAME_WIDTH), round(20 * width / FRAME_WIDTH)
    s = SCALE * width / FRAME_WIDTH
    panel_w = (width - 2 * margin - gap) // 2
    shape = result.history.first.image.shape
    image_h = round(panel_w * min(shape[0] / shape[1], 1.0))
    header_h = round(96 * width / FRAME_WIDTH)
    caption_h = round(40 * s)
    curve_h = round(250 * width / FRAME_WIDTH)
    height = header_h + caption_h + image_h + round(16 * s) + curve_h + round(10 * s)
    return dict(margin=margin, gap=gap, s=s, panel_w=panel_w, image_h=image_h, header_h=header_h,
                caption_h=caption_h, curve_h=curve_h, height=height)


def render_frames(result: RunResult, *, max_frames: int = 100, lang: str = "en",
                  width: int = FRAME_WIDTH) -> tuple[list[int], list[Image.Image]]:
    """The sampled steps and one RGB frame for each."""
    history = result.history
    steps = sample_steps(list(history.frames), max_frames)
    box = _layout(result, width)
    s, margin, panel_w, image_h = box["s"], box["margin"], box["panel_w"], box["image_h"]
    original = history.first.image
    vmax = max(result.epsilon, result.distances.linf, 1.0)
    last_step = history.steps[-1]
    original_name = labels.display(result.original.index, lang)
    target_name = labels.display(result.target, lang) if result.target is not None else None
    title_font = font(round(style.FONT_SIZES["headline"] * s * 0.72), bold=True, lang=lang)
    body_font = font(round(style.FONT_SIZES["body"] * s * 1.1), lang=lang)
    bold_font = font(round(style.FONT_SIZES["body"] * s * 1.1), bold=True, lang=lang)
    caption_font = font(round(style.FONT_SIZES["body"] * s), lang=lang)
    title = headline(result, lang)
    images_top = box["header_h"] + box["caption_h"]
    curve_top = images_top + image_h + round(16 * s)
    index_of = {step: i for i, step in enumerate(history.steps)}

    static_curve = curve_image(history, (width - 2 * margin, box["curve_h"]), target_name=target_name,
                               original_name=original_name, stop_at=result.stop_at, lang=lang, scale=s)
    levels = text(lang, "animation.levels", n=vmax)
    counter = "animation.query" if history.last.queries is not None else "animation.step"  # black box: queries
    frames = []
    for step in steps:
        frame = Image.new("RGB", (width, box["height"]), rgb(style.BACKGROUND))
        draw = ImageDraw.Draw(frame)
        draw.text((margin, round(14 * s)), title, font=title_font, fill=rgb(style.TEXT))
        # The live numbers: which step, and the two probabilities at it.
        i = index_of.get(step, len(history.steps) - 1)
        status = [(text(lang, counter, step=step, last=last_step) + "   ", style.MUTED_TEXT, body_font)]
        if target_name is not None:
            status.append((f"{target_name} {percent(history.target_probability[i])}   ", style.TARGET, bold_font))
        status.append((f"{original_name} {percent(history.original_probability[i])}", style.ORIGINAL, bold_font))
        _draw_runs(draw, status, margin, box["header_h"] - round(18 * s))

        image = history.frames[step]
        heat = heatmap(original, image, vmax)
        for column, (pixels, caption) in enumerate(((image, text(lang, "animation.image")),
                                                       (heat, text(lang, "animation.heatmap")))):
            left = margin + column * (panel_w + box["gap"])
            draw.text((left, images_top - round(10 * s)), caption, font=caption_font, fill=rgb(style.MUTED_TEXT),
                      anchor="ls")
            picture = fit_image(pixels, (panel_w, image_h))
            frame.paste(picture, (left + (panel_w - picture.width) // 2, images_top + (image_h - picture.height) // 2))
        _scale_bar(frame, draw, levels, caption_font, width - margin, images_top - round(10 * s), s)

        curve = static_curve.copy()
        draw_marker(curve, history, step, targeted=target_name is not None, scale=s)
        frame.paste(curve, (margin, curve_top))
        frames.append(frame)
    return steps, frames


def _draw_runs(draw, runs: list, x: float, y: float) -> None:
    """Pieces of text in their own colours and fonts, one after another on a baseline."""
    for words, colour, f in runs:
        draw.text((x, y), words, font=f, fill=rgb(colour), anchor="ls")
        x += text_width(draw, words, f)


def _scale_bar(frame: Image.Image, draw, levels: str, caption_font, right: int, baseline: int, s: float) -> None:
    """A small colour bar for the heatmap's scale, "0 ▬ N levels", right-aligned on the caption line."""
    bar_w, bar_h = round(120 * s), round(14 * s)
    bar = Image.fromarray(np.repeat(_heat_lut()[None, :, :], bar_h, axis=0)).resize((bar_w, bar_h))
    bar_left = right - bar_w - round(8 * s) - round(text_width(draw, levels, caption_font))
    draw.text((bar_left - round(8 * s), baseline), "0", font=caption_font, fill=rgb(style.MUTED_TEXT), anchor="rs")
    frame.paste(bar, (bar_left, baseline - bar_h))
    draw.text((right, baseline), levels, font=caption_font, fill=rgb(style.MUTED_TEXT), anchor="rs")


def _shared_palette(photos: list[np.ndarray]) -> Image.Image:
    """One palette for all frames: the heatmap's colours exactly, greys and the chart colours, and the
    rest fitted to the photo at the start and the end. 255 colours, leaving one index free for the
    transparency Pillow uses to skip unchanged pixels."""
    fixed = [tuple(c) for c in _heat_lut()]
    fixed += [(v, v, v) for v in np.linspace(0, 255, 24).round().astype(int)]
    for colour in (style.TARGET, style.ORIGINAL, style.SUCCESS, style.TEXT, style.MUTED_TEXT, style.GRID,
                   style.PANEL, style.NEUTRAL):
        fixed += [rgb(colour), tint(colour, 0.6), tint(colour, 0.3)]
    fixed = list(dict.fromkeys(fixed))
    sheet = np.concatenate([np.asarray(Image.fromarray(p).resize((256, 256 * p.shape[0] // p.shape[1])))
                            for p in photos], axis=0)
    free = 255 - len(fixed)
    photo = Image.fromarray(sheet).quantize(colors=free, method=Image.Quantize.MEDIANCUT)
    colours = np.asarray(photo.getpalette()[: 3 * free], dtype=np.uint8).reshape(-1, 3)
    table = [v for c in fixed for v in c] + colours.ravel().tolist()
    palette = Image.new("P", (1, 1))
    palette.putpalette(table + table[-3:] * (256 - len(table) // 3))  # pad with a repeat of a used colour
    return palette


def render_gif(result: RunResult, *, max_frames: int = 100, frame_ms: int = 120, lang: str = "en") -> bytes:
    """The attack as a looping animated GIF (bytes): one frame per sampled step, the last one held."""
    steps, frames = render_frames(result, max_frames=max_frames, lang=lang)
    palette = _shared_palette([result.history.first.image, result.final.image])
    # No dithering: an unchanged pixel keeps its palette index from frame to frame, so it compresses away.
    indexed = [frame.quantize(palette=palette, dither=Image.Dither.NONE) for frame in frames]
    durations = [frame_ms] * len(indexed)
    durations[0] = max(frame_ms, FIRST_HOLD_MS)
    durations[-1] = max(frame_ms, LAST_HOLD_MS)
    buffer = io.BytesIO()
    indexed[0].save(buffer, format="GIF", save_all=True, append_images=indexed[1:], duration=durations,
                    loop=0, optimize=True)
    return buffer.getvalue()
