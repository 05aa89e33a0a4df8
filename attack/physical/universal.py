"""One noise for every photo: a universal adversarial perturbation (Moosavi-Dezfooli et al. 2017), trained
the fast way — signed momentum steps on the noise over batches of photos (Shafahi et al. 2020), through
what the model sees of it once applied to each photo (attack/physical/scenes.py).

The file format is public: a 224 × 224 RGB PNG holding 128 + δ, δ whole levels with |δ| ≤ ε ≤ 16. To
apply it to a photo of any size, δ is resized bilinearly to the photo, added, rounded and clipped to
[0, 255]; every pixel of the result is within ε of the photo's. Untargeted by default (the model's
answer on the clean photo should change); `target` aims every photo at one class instead.

Loading and applying need only Pillow; training and evaluating import TensorFlow when called.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from typing import BinaryIO, Iterator, Sequence

import numpy as np
from PIL import Image

from ..inputs import images
from ..plumbing.errors import SettingsError
from .training import as_array, batch_indices, check_run, check_target, run_loop

SIDE = 224  # the file's side, px
MAX_EPS = 16
OFFSET = 128


@dataclass(frozen=True)
class NoiseRecord:
    """One training step: the noise after it, the batch loss, the held-out fooling rate when evaluated."""

    step: int
    noise: np.ndarray  # SIDE × SIDE × 3 int16 δ, |δ| ≤ ε
    loss: float
    fooling_rate: float | None
    best: bool


@dataclass(frozen=True)
class NoiseOutcome:
    """One photo's top-1 before and after the noise."""

    index: int
    before: int
    after: int
    fooled: bool  # untargeted: the answer changed; targeted: it became the target


@dataclass(frozen=True)
class NoiseEvaluation:
    rate: float
    photos: tuple[NoiseOutcome, ...]


def check_eps(eps: int) -> None:
    """ε is a whole number of levels, 1..MAX_EPS."""
    if not (isinstance(eps, (int, np.integer)) and not isinstance(eps, bool) and 1 <= eps <= MAX_EPS):
        raise SettingsError.coded("noise.eps", limit=MAX_EPS, eps=eps)


def noise_eps(noise: np.ndarray) -> int:
    """The noise's ε: its largest |δ|."""
    return int(np.abs(np.asarray(noise, np.int16)).max())


def encode_noise(noise: np.ndarray) -> bytes:
    """The noise as the public PNG (128 + δ)."""
    delta = np.asarray(noise)
    if delta.shape != (SIDE, SIDE, 3) or noise_eps(delta) > MAX_EPS:
        raise ValueError(f"expected a {SIDE} x {SIDE} x 3 δ within ±{MAX_EPS}, got {delta.shape}")
    return images.encode_png((delta.astype(np.int16) + OFFSET).astype(np.uint8))


def load_noise(source: bytes | str | os.PathLike | BinaryIO, name: str | None = None) -> np.ndarray:
    """δ (SIDE × SIDE × 3 int16) from a noise PNG; an ImageError if it is not one."""
    loaded = images.load_image(source, max_side=10**6, name=name)
    shown = name or (os.path.basename(os.fspath(source)) if isinstance(source, (str, os.PathLike)) else None)
    label = f"“{shown}”" if shown else "The file"
    if loaded.format != "PNG":
        raise images.ImageError.coded("noise.not_png", file=label, format=loaded.format)
    if (loaded.width, loaded.height) != (SIDE, SIDE):
        raise images.ImageError.coded("noise.size", file=label, width=loaded.width, height=loaded.height, side=SIDE)
    delta = loaded.pixels.astype(np.int16) - OFFSET
    if noise_eps(delta) > MAX_EPS:
        raise images.ImageError.coded("noise.too_strong", file=label, eps=noise_eps(delta), limit=MAX_EPS)
    return delta


def resized_noise(noise: np.ndarray, width: int, height: int) -> np.ndarray:
    """δ resized bilinearly (Pillow, per channel, in floats) to width × height."""
    channels = [np.asarray(Image.fromarray(np.asarray(noise[..., c], np.float32), mode="F")
                           .resize((width, height), Image.Resampling.BILINEAR)) for c in range(3)]
    return np.stack(channels, axis=-1)


def apply_noise(photo: Image.Image, noise: np.ndarray) -> Image.Image:
    """`photo` + δ resized to it, rounded and clipped: within ε of the photo on every pixel."""
    pixels = as_array(photo).astype(np.float32)
    delta = resized_noise(noise, pixels.shape[1], pixels.shape[0])
    return Image.fromarray(np.clip(np.rint(pixels + delta), 0, 255).astype(np.uint8))


def evaluate_noise(classifier, photos: Sequence, noise: np.ndarray, *, target: int | None = None,
                   before: Sequence[int] | None = None) -> NoiseEvaluation:
    """The share of `photos` the noise fools: top-1 changed (untargeted) or became `target`.

    `before`: the photos' clean top-1 if already known (training evaluates the same photos again and again)."""
    from .scenes import probabilities  # imports TensorFlow

    check_target(target)
    arrays = [as_array(p) for p in photos]
    if before is None:
        before = [int(i) for i in np.argmax(probabilities(classifier, arrays), axis=1)]
    after = np.argmax(probabilities(classifier, [np.asarray(apply_noise(a, noise)) for a in arrays]), axis=1)
    outcomes = tuple(NoiseOutcome(i, int(b), int(a), int(a) == target if target is not None else int(a) != int(b))
                     for i, (b, a) in enumerate(zip(before, after)))
    rate = sum(o.fooled for o in outcomes) / len(outcomes) if outcomes else 0.0
    return NoiseEvaluation(rate, outcomes)


def train_universal(classifier, photos: Sequence, *, eps: int, steps: int, target: int | None = None,
                    seed: int = 0, held_out: Sequence | None = None, eval_every: int = 10,
                    batch: int = 8) -> Iterator[NoiseRecord]:
    """Train one noise within ±eps over batches of `photos`; one record per step, the held-out fooling
    rate every `eval_every` steps and at the last."""
    check_eps(eps)
    check_target(target)
    check_run(photos, held_out, steps=steps, batch=batch, eval_every=eval_every, seed=seed)
    from .scenes import NoiseTrainer, probabilities, squash  # imports TensorFlow

    arrays = [as_array(p) for p in photos]
    canvas, _ = squash(classifier, arrays)
    photo_sizes = np.array([a.shape[:2] for a in arrays], np.int32)
    del arrays  # only their squashed copies are kept
    trainer = NoiseTrainer(classifier, eps=eps, target=target, seed=seed, steps=steps)
    labels = trainer.labels(canvas)  # untargeted: each photo's clean answer is what must change
    held = [as_array(p) for p in held_out] if held_out else None
    held_before = [int(i) for i in np.argmax(probabilities(classifier, held), axis=1)] if held else None
    rng = np.random.default_rng(seed)

    def advance(step: int) -> float:
        chosen = batch_indices(rng, len(canvas), batch)
        return trainer.step(canvas[chosen], labels[chosen], photo_sizes[chosen], step)

    def evaluate() -> float:
        return evaluate_noise(classifier, held, trainer.noise(), target=target, before=held_before).rate

    for tick in run_loop(steps, eval_every, advance, evaluate if held else None):
        yield NoiseRecord(tick.step, trainer.noise(), tick.loss, tick.success, tick.best)


def magnified(noise: np.ndarray, factor: int | None = None) -> np.ndarray:
    """δ made visible: 128 + δ × factor (default: stretched to fill ±127), as uint8."""
    eps = max(noise_eps(noise), 1)
    factor = factor or max(1, 127 // eps)
    return np.clip(OFFSET + np.asarray(noise, np.int32) * factor, 0, 255).astype(np.uint8)

