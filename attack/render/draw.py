"""Small Pillow drawing primitives shared by the report, the chart and the animation.

Colours are the `style` module's CSS strings; these helpers turn them into RGB, fit text and
pictures into boxes, and draw the few shapes a font cannot be trusted with.
"""
from __future__ import annotations

import numpy as np
from PIL import Image, ImageColor, ImageDraw, ImageFont

from . import style

Font = ImageFont.ImageFont | ImageFont.FreeTypeFont
RGB = tuple[int, int, int]


def rgb(colour: str) -> RGB:
    """A CSS colour ("#d62728", "white") as an (r, g, b) tuple."""
    return ImageColor.getrgb(colour)[:3]


def tint(colour: str, amount: float) -> RGB:
    """The colour mixed with white: amount 0 → white, 1 → the colour."""
    r, g, b = rgb(colour)
    return tuple(int(round(255 + (c - 255) * amount)) for c in (r, g, b))


def text_width(draw: ImageDraw.ImageDraw, text: str, f: Font) -> float:
    """How many pixels `text` takes in font `f`."""
    return draw.textlength(text, font=f)


def fit_text(draw: ImageDraw.ImageDraw, text: str, f: Font, max_width: float) -> str:
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


def dashed_line(draw: ImageDraw.ImageDraw, y: float, x0: float, x1: float, fill, width: int, dash: float) -> None:
    """A horizontal dashed line at height `y` from `x0` to `x1`: dashes and gaps `dash` pixels long."""
    x = x0
    while x < x1:
        draw.line([(x, y), (min(x + dash, x1), y)], fill=fill, width=width)
        x += 2 * dash


def vertical_text(text: str, f: Font, fill) -> Image.Image:
    """`text` on a transparent RGBA image, turned to read bottom to top (an axis title)."""
    probe = ImageDraw.Draw(Image.new("L", (1, 1)))
    left, top, right, bottom = probe.textbbox((0, 0), text, font=f)
    label = Image.new("RGBA", (int(right - left) + 2, int(bottom - top) + 2), (0, 0, 0, 0))
    ImageDraw.Draw(label).text((-left + 1, -top + 1), text, font=f, fill=fill)
    return label.rotate(90, expand=True)
