"""The printable sticker sheet: A4 at 300 dpi, the sticker at several sizes in centimetres, each with cut
marks, and a one-line how-to in English and Chinese. PNG and PDF (Pillow writes both; the PDF page is A4
because the image is 300 dpi)."""
from __future__ import annotations

import io

from PIL import Image, ImageDraw

from messages import text_in

from ..inputs import labels
from .fonts import font

DPI = 300
A4_CM = (21.0, 29.7)
MARGIN_CM = 1.5
ROWS_CM = ((8, 6), (4.5, 4.5, 4.5), (3, 3, 3, 3))  # sticker sides, row by row: fits A4's 18 cm inside the margins
GAP_CM = 0.1  # between two stickers' cut marks
MARK_GAP_CM, MARK_CM = 0.15, 0.5  # cut marks: this far from the sticker's corner, this long


def cm(value: float) -> int:
    """Centimetres to pixels at DPI."""
    return round(value / 2.54 * DPI)


def _cut_marks(draw: ImageDraw.ImageDraw, left: int, top: int, side: int) -> None:
    """Printer's crop marks at the four corners, just outside the sticker (so a cut on them loses nothing)."""
    gap, length, width = cm(MARK_GAP_CM), cm(MARK_CM), max(2, cm(0.02))
    right, bottom = left + side, top + side
    for x, y, dx, dy in ((left, top, -1, -1), (right, top, 1, -1), (left, bottom, -1, 1), (right, bottom, 1, 1)):
        draw.line([(x + dx * gap, y), (x + dx * (gap + length), y)], fill="black", width=width)
        draw.line([(x, y + dy * gap), (x, y + dy * (gap + length))], fill="black", width=width)


def _header(draw: ImageDraw.ImageDraw, target: int, top: int) -> int:
    """Title and how-to, each in English and Chinese; returns the y below them."""
    x = cm(MARGIN_CM)
    for key, size, bold in (("sheet.title", 58, True), ("sheet.howto", 40, False)):
        for lang in ("en", "zh"):
            text = text_in(lang, key, label=labels.display(target, lang)) if key == "sheet.title" else text_in(lang, key)
            face = font(size, bold=bold, lang=lang)
            draw.text((x, top), text, fill="black", font=face)
            top += round(size * 1.45)
        top += cm(0.2)
    return top


def render_sheet(sticker: Image.Image, target: int) -> tuple[bytes, bytes]:
    """(PNG bytes, PDF bytes) of the A4 sheet for `sticker`, whose class is `target`."""
    page = Image.new("RGB", (cm(A4_CM[0]), cm(A4_CM[1])), "white")
    draw = ImageDraw.Draw(page)
    top = _header(draw, target, cm(MARGIN_CM))
    mark = cm(MARK_GAP_CM + MARK_CM)  # how far the cut marks reach beyond a sticker
    caption_font = font(36, lang="zh")  # a CJK face has the Latin letters too
    sticker = sticker.convert("RGB")
    for row in ROWS_CM:
        left, top = cm(MARGIN_CM) + mark, top + mark
        for side_cm in row:
            side = cm(side_cm)
            page.paste(sticker.resize((side, side), Image.Resampling.LANCZOS), (left, top))
            _cut_marks(draw, left, top, side)
            caption = f'{text_in("en", "sheet.size", cm=f"{side_cm:g}")} · {text_in("zh", "sheet.size", cm=f"{side_cm:g}")}'
            width = draw.textlength(caption, font=caption_font)
            draw.text((left + (side - width) / 2, top + side + round(mark * 0.8)), caption, fill="black",
                      font=caption_font)
            left += side + 2 * mark + cm(GAP_CM)
        top += max(cm(s) for s in row) + mark + cm(0.9)
    png, pdf = io.BytesIO(), io.BytesIO()
    page.save(png, format="PNG", dpi=(DPI, DPI), optimize=False, compress_level=6)
    page.save(pdf, format="PDF", resolution=DPI)
    return png.getvalue(), pdf.getvalue()
