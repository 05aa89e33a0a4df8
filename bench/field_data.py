"""The photo set of bench_field.py: one ImageNet photo per class, in WordNet-id order.

The folder is the public `EliSchwartz/imagenet-sample-images` (1000 `nXXXXXXXX_name.JPEG`); sorted by
file name, a file's position is its class index. Classes whose index is divisible by 5 are held out
(every reported figure); the other 800 are for tuning only. Never committed, never used by tests.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from attack.inputs import images

HELD_OUT, TUNING, ALL = "held-out", "tuning", "all"


@dataclass(frozen=True)
class Photo:
    """One photo of the set: its path and its true ImageNet class."""

    path: Path
    label: int

    @property
    def name(self) -> str:
        return self.path.stem


def photos(folder: str | Path, split: str = HELD_OUT) -> list[Photo]:
    """The set's photos in class order; `split` picks the held-out fifth, the tuning 800, or all."""
    files = sorted(p for p in Path(folder).iterdir() if p.suffix.lower() in (".jpeg", ".jpg"))
    if len(files) != 1000:
        raise SystemExit(f"{folder}: expected the 1000 photos of imagenet-sample-images, found {len(files)}")
    chosen = [Photo(p, i) for i, p in enumerate(files)]
    if split == HELD_OUT:
        return [p for p in chosen if p.label % 5 == 0]
    if split == TUNING:
        return [p for p in chosen if p.label % 5 != 0]
    return chosen


def subset(chosen: list[Photo], limit: int | None, seed: int = 0) -> list[Photo]:
    """A seeded subset of `limit` photos (in class order), or all of them."""
    if limit is None or limit >= len(chosen):
        return list(chosen)
    keep = np.sort(np.random.default_rng(seed).choice(len(chosen), limit, replace=False))
    return [chosen[i] for i in keep]


def random_target(photo: Photo, seed: int = 0) -> int:
    """The photo's seeded random target class (never its own class), the same for every contender."""
    rng = np.random.default_rng([seed, photo.label])
    target = int(rng.integers(0, 999))
    return target + (target >= photo.label)


def load(photo: Photo, side: int | None = None) -> np.ndarray:
    """The photo as uint8 H x W x 3 through the app's input path; `side`: resized to side x side first."""
    pixels = images.load_image(photo.path).pixels
    if side is None:
        return pixels
    from PIL import Image

    return np.asarray(Image.fromarray(pixels).resize((side, side), Image.Resampling.LANCZOS))
