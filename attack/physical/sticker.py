"""The adversarial sticker (Brown et al. 2017, "Adversarial Patch"): one square image that makes the model
say the target class wherever it is pasted, in any photo.

What a sticker's placement means, for `apply`, `eval`, the app and the training alike: the sticker is
scaled (Lanczos) so that its area is `area` × the photo's area (a square of side √(area·W·H), rounded),
optionally rotated by `angle` degrees (counter-clockwise), and pasted with its centre at `at` (fractions
of the photo's width and height; None: the centre), moved just enough to lie fully inside the photo.

Training (`train_sticker`) is a generator of `StickerRecord`s, one per step: expectation over random
scenes (attack/physical/scenes.py: position, area, rotation, print and camera effects) over batches of photos,
with the held-out success rate every `eval_every` steps. Placing and loading need only Pillow; training
and evaluating import TensorFlow when called.
"""
from __future__ import annotations

import math
import os
from dataclasses import dataclass
from typing import BinaryIO, Iterator, Sequence

import numpy as np
from PIL import Image

from ..inputs import images
from ..plumbing.errors import SettingsError
from .training import as_array, batch_indices, check_range, check_run, check_target, run_loop

MAX_AREA = 0.5
MAX_SIDE = 2048  # px a side of a sticker file: more than any print needs at 300 dpi
DEFAULT_SIZE = 128  # px a side of a trained sticker (a 25 % sticker on the 224 px model input is 112 px)
DEFAULT_AREA = 0.1
TRAINING_AREA = (0.5, 2.5)  # a run at `area` trains over area × this range: 10 % → 5–25 %, as printed stickers vary


@dataclass(frozen=True)
class StickerRecord:
    """One training step: the sticker after it, the batch loss, the held-out success when evaluated."""

    step: int
    sticker: np.ndarray  # size × size × 3 uint8
    loss: float
    success: float | None  # held-out success rate (0..1), on the steps that evaluate
    best: bool  # the sticker to keep if the run stopped here


@dataclass(frozen=True)
class StickerOutcome:
    """The model's answer on one photo with the sticker on it."""

    index: int
    top1: int
    target_probability: float
    success: bool


@dataclass(frozen=True)
class StickerEvaluation:
    rate: float  # fraction of photos whose top-1 became the target
    photos: tuple[StickerOutcome, ...]


def load_sticker(source: bytes | str | os.PathLike | BinaryIO, name: str | None = None) -> Image.Image:
    """A sticker file as a square RGB image (an ImageError if it is not an image, not square, or too big)."""
    loaded = images.load_image(source, max_side=10**6, name=name)  # never downscaled: a big one is refused
    shown = name or _name(source)
    label = f"“{shown}”" if shown else "The file"
    if loaded.width != loaded.height:
        raise images.ImageError.coded("sticker.not_square", file=label, width=loaded.width, height=loaded.height)
    if loaded.width > MAX_SIDE:
        raise images.ImageError.coded("sticker.too_big", file=label, width=loaded.width, height=loaded.height,
                                      limit=MAX_SIDE)
    return Image.fromarray(loaded.pixels)


def _name(source) -> str | None:
    if isinstance(source, (str, os.PathLike)):
        return os.path.basename(os.fspath(source))
    raw = getattr(source, "name", None)
    return os.path.basename(raw) if isinstance(raw, str) else None


def check_area(area: float) -> None:
    """Refuse an area outside (0, MAX_AREA] of the photo's."""
    if not (isinstance(area, (int, float)) and not isinstance(area, bool) and 0 < area <= MAX_AREA):
        raise SettingsError.coded("sticker.area", limit=f"{MAX_AREA:.0%}", area=area)


def check_placement(at: tuple[float, float] | None, angle: float) -> None:
    if at is not None and not (len(at) == 2 and all(isinstance(v, (int, float)) and 0 <= v <= 1 for v in at)):
        raise SettingsError.coded("sticker.at", value=at)
    if not (isinstance(angle, (int, float)) and -180 <= angle <= 180):
        raise SettingsError.coded("sticker.angle", value=angle)


def sticker_side(width: int, height: int, area: float) -> int:
    """The pasted sticker's side in px: its area is `area` × width × height."""
    return max(1, round(math.sqrt(area * width * height)))


def sticker_box(width: int, height: int, *, area: float, at: tuple[float, float] | None = None,
                angle: float = 0.0) -> tuple[int, int, int, int]:
    """(left, top, box width, box height) of the pasted (rotated) sticker in a width × height photo."""
    check_area(area)
    check_placement(at, angle)
    bw, bh = turned_size(sticker_side(width, height, area), angle)
    if bw > width or bh > height:
        raise SettingsError.coded("sticker.does_not_fit", area=f"{area:.0%}", width=width, height=height)
    fx, fy = at if at is not None else (0.5, 0.5)
    left = min(max(round(fx * width - bw / 2), 0), width - bw)
    top = min(max(round(fy * height - bh / 2), 0), height - bh)
    return left, top, bw, bh


def turned_size(side: int, angle: float) -> tuple[int, int]:
    """The size of a side × side square rotated by `angle` degrees with Pillow's rotate(expand=True)."""
    if not angle % 360:
        return side, side
    turn = -math.radians(angle)  # Pillow's own arithmetic, so the box is the one it makes
    cos, sin, half = round(math.cos(turn), 15), round(math.sin(turn), 15), side / 2
    corners = [(x - half, y - half) for x, y in ((0, 0), (side, 0), (side, side), (0, side))]
    xs = [cos * x + sin * y + half for x, y in corners]
    ys = [-sin * x + cos * y + half for x, y in corners]
    return math.ceil(max(xs)) - math.floor(min(xs)), math.ceil(max(ys)) - math.floor(min(ys))


def place_sticker(photo: Image.Image, sticker: Image.Image, *, area: float,
                  at: tuple[float, float] | None = None, angle: float = 0.0) -> Image.Image:
    """A copy of `photo` with `sticker` pasted as the module docstring says."""
    photo = photo.convert("RGB")
    left, top, _, _ = sticker_box(photo.width, photo.height, area=area, at=at, angle=angle)
    side = sticker_side(photo.width, photo.height, area)
    scaled = sticker.convert("RGB").resize((side, side), Image.Resampling.LANCZOS)
    mask = None
    if angle % 360:
        turned = scaled.convert("RGBA").rotate(angle, Image.Resampling.BICUBIC, expand=True)
        scaled, mask = turned.convert("RGB"), turned.getchannel("A")
    out = photo.copy()
    out.paste(scaled, (left, top), mask)
    return out


def uniform_positions(photos: Sequence[np.ndarray], area: float, seed: int) -> list[tuple[float, float]]:
    """For each photo, a seeded centre drawn uniformly over the places where an upright sticker fits."""
    rng = np.random.default_rng(seed)
    positions = []
    for photo in photos:
        h, w = photo.shape[:2]
        side = sticker_side(w, h, area)
        u, v = rng.random(2)
        positions.append(((side / 2 + u * max(w - side, 0)) / w, (side / 2 + v * max(h - side, 0)) / h))
    return positions


def evaluate_sticker(classifier, photos: Sequence, sticker: np.ndarray | Image.Image, *, target: int,
                     area: float, seed: int = 0, at: tuple[float, float] | None = None,
                     angle: float = 0.0) -> StickerEvaluation:
    """The share of `photos` whose top-1 is `target` once the sticker is on them: upright, at `at`, or at
    seeded positions spread uniformly over each photo (at=None)."""
    from .scenes import probabilities  # imports TensorFlow

    check_area(area)
    check_target(target)
    arrays = [as_array(p) for p in photos]
    sticker = sticker if isinstance(sticker, Image.Image) else Image.fromarray(np.asarray(sticker, np.uint8))
    places = [at] * len(arrays) if at is not None else uniform_positions(arrays, area, seed)
    pasted = [np.asarray(place_sticker(Image.fromarray(a), sticker, area=area, at=p, angle=angle))
              for a, p in zip(arrays, places)]
    probs = probabilities(classifier, pasted)
    outcomes = tuple(StickerOutcome(i, int(np.argmax(p)), float(p[target]), int(np.argmax(p)) == target)
                     for i, p in enumerate(probs))
    rate = sum(o.success for o in outcomes) / len(outcomes) if outcomes else 0.0
    return StickerEvaluation(rate, outcomes)


def train_sticker(classifier, photos: Sequence, *, target: int, steps: int, area: float = DEFAULT_AREA,
                  seed: int = 0, held_out: Sequence | None = None, eval_every: int = 10, batch: int = 8,
                  size: int = DEFAULT_SIZE, learning_rate: float = 0.03,
                  init: Image.Image | None = None) -> Iterator[StickerRecord]:
    """Train one sticker toward `target` over random scenes of `photos`; one record per step, starting
    from `init` (a square sticker, resized to `size`) when given, else from uniform noise.

    The held-out success (`held_out` photos, the sticker upright at `area`, seeded positions) is measured
    every `eval_every` steps and at the last step."""
    check_area(area)
    check_target(target)
    check_run(photos, held_out, steps=steps, batch=batch, eval_every=eval_every, seed=seed)
    check_range("size", size, 16, 512)
    check_range("learning_rate", learning_rate, 1e-5, 1.0)
    from .scenes import StickerTrainer, squash  # imports TensorFlow

    canvas, aspects = squash(classifier, [as_array(p) for p in photos])
    held = [as_array(p) for p in held_out] if held_out else None
    areas = (max(area * TRAINING_AREA[0], 0.01), min(area * TRAINING_AREA[1], MAX_AREA))
    start = None if init is None else np.asarray(init.convert("RGB").resize((size, size), Image.LANCZOS))
    trainer = StickerTrainer(classifier, size=size, target=target, areas=areas, seed=seed,
                             learning_rate=learning_rate, steps=steps, init=start)
    rng = np.random.default_rng(seed)

    def advance(step: int) -> float:
        chosen = batch_indices(rng, len(canvas), batch)
        return trainer.step(canvas[chosen], aspects[chosen])

    def evaluate() -> float:
        return evaluate_sticker(classifier, held, trainer.image(), target=target, area=area, seed=seed).rate

    for tick in run_loop(steps, eval_every, advance, evaluate if held else None):
        yield StickerRecord(tick.step, trainer.image(), tick.loss, tick.success, tick.best)
