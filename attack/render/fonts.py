"""Finding a TrueType font offline, CJK-capable for Chinese; Pillow's own font when there is none.

Order of search: fontconfig (`fc-match`, Linux), then a walk of the usual font folders of Linux,
macOS and Windows for known file names, then Pillow's built-in font. The search runs once per
(CJK, bold) pair; `font` caches each loaded size.
"""
from __future__ import annotations

import functools
import os
import subprocess
from pathlib import Path

from PIL import ImageFont

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
    """The path of the best-ranked of `names` found under the font folders, or None."""
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
    """(path, face index) of a font for the pair, or None when this system has none."""
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
    # A missing bold or CJK face falls back to the regular or Latin one before Pillow's own font.
    for candidate in ((cjk, bold), (cjk, False), (False, bold), (False, False)):
        found = _font_file(*candidate)
        if found:
            try:
                return ImageFont.truetype(found[0], size, index=found[1])
            except OSError:
                continue
    return ImageFont.load_default(size=size)
