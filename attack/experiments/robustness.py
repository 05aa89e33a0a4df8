"""Does an adversarial image survive the real world? Transformations, defences and other models.

`run_checks` pushes the adversarial image through everyday transformations (saving, JPEG, resizing,
blur, rotation, noise) and the book's chapter-8 input defences (median and bilateral filtering,
bit-depth reduction, JPEG re-compression) and asks the same model again. `transfer_check` asks
independent models.

What "passed" means (a deliberate, documented choice): the attack *still works* after the
transformation, judged on top-1 only —
    targeted:    top-1 == target        (it still says "toaster", whatever the confidence)
    untargeted:  top-1 != original class
Confidence usually drops after JPEG or blur even when the label survives; a user asking "would it
survive being posted online?" cares about the label. Pass `stop_at` to demand the confidence too.

Every transformation is a pure function uint8 H x W x 3 -> uint8 H x W x 3 (numpy / Pillow only).
"""
from __future__ import annotations

import io
import math
from dataclasses import asdict, dataclass, field
from functools import cache
from typing import Callable, Iterable, Sequence

import numpy as np
from PIL import Image, ImageFilter

from ..inputs import images
from ..datatypes import Goal, Prediction, top_k
from ..plumbing.errors import SettingsError
from ..models import MODELS, Classifier, ModelUnavailable, availability, load_model, weights_broken
from ..plumbing.phrases import Phrase

# --- the transformations ------------------------------------------------------------------------


def png_round_trip(pixels: np.ndarray, rng: np.random.Generator | None = None) -> np.ndarray:
    """Save as PNG and read back through the app's own loader: lossless, so always unchanged."""
    return images.load_image(images.encode_png(pixels)).pixels


def _jpeg(quality: int) -> Callable:
    def jpeg(pixels: np.ndarray, rng: np.random.Generator | None = None) -> np.ndarray:
        buffer = io.BytesIO()
        # Pillow's defaults (4:2:0 chroma subsampling) are what most websites and phones produce.
        Image.fromarray(pixels).save(buffer, format="JPEG", quality=quality)
        return np.asarray(Image.open(io.BytesIO(buffer.getvalue())).convert("RGB"))
    jpeg.__doc__ = f"Save as JPEG at quality {quality} (Pillow, 4:2:0 chroma) and decode."
    return jpeg


def half_size(pixels: np.ndarray, rng: np.random.Generator | None = None) -> np.ndarray:
    """Downscale to half (Lanczos, like a thumbnail) and back up to the original size (bicubic)."""
    image = Image.fromarray(pixels)
    w, h = image.size
    small = image.resize((max(1, w // 2), max(1, h // 2)), Image.LANCZOS)
    return np.asarray(small.resize((w, h), Image.BICUBIC))


def slight_blur(pixels: np.ndarray, rng: np.random.Generator | None = None) -> np.ndarray:
    """Gaussian blur with radius 1 pixel (Pillow)."""
    return np.asarray(Image.fromarray(pixels).filter(ImageFilter.GaussianBlur(1)))


ROTATION_DEGREES = 3.0


def rotate(pixels: np.ndarray, rng: np.random.Generator | None = None) -> np.ndarray:
    """Rotate by 3° counter-clockwise about the centre, same size (bicubic).

    The picture is first mirror-padded and cropped back after rotating, so the corners are filled
    with reflected content rather than black wedges that would themselves change the prediction.
    """
    h, w = pixels.shape[:2]
    pad = int(math.ceil(max(h, w) * math.sin(math.radians(ROTATION_DEGREES)))) + 2
    padded = np.pad(pixels, ((pad, pad), (pad, pad), (0, 0)), mode="reflect" if min(h, w) > pad else "edge")
    rotated = Image.fromarray(padded).rotate(ROTATION_DEGREES, resample=Image.BICUBIC, expand=False)
    return np.asarray(rotated)[pad:pad + h, pad:pad + w]


NOISE_SIGMA = 4.0


def gaussian_noise(pixels: np.ndarray, rng: np.random.Generator | None = None) -> np.ndarray:
    """Add Gaussian noise with σ = 4 levels (seeded), round and clip to 0..255."""
    rng = rng if rng is not None else np.random.default_rng(0)
    noisy = pixels.astype(np.float32) + rng.normal(0.0, NOISE_SIGMA, pixels.shape)
    return np.clip(np.rint(noisy), 0, 255).astype(np.uint8)


def median_filter(pixels: np.ndarray, rng: np.random.Generator | None = None) -> np.ndarray:
    """Defence: 3 x 3 median filter per channel (Pillow), removes isolated pixel changes."""
    return np.asarray(Image.fromarray(pixels).filter(ImageFilter.MedianFilter(3)))


BILATERAL_RADIUS, BILATERAL_SIGMA_SPACE, BILATERAL_SIGMA_RANGE = 2, 1.5, 20.0


def bilateral_filter(pixels: np.ndarray, rng: np.random.Generator | None = None) -> np.ndarray:
    """Defence: 5 x 5 bilateral filter (σ_space 1.5 px, σ_range 20 levels), edge-preserving smoothing.

    Pillow has none and OpenCV is not a dependency, so it is written with numpy: each of the 25
    neighbours is weighted by its distance and by how different its colour is (Euclidean over RGB,
    so the three channels are smoothed together and no colour fringes appear).
    """
    r = BILATERAL_RADIUS
    image = pixels.astype(np.float32)
    h, w = pixels.shape[:2]
    padded = np.pad(image, ((r, r), (r, r), (0, 0)), mode="reflect" if min(h, w) > r else "edge")
    total = np.zeros_like(image)
    weights = np.zeros(image.shape[:2], np.float32)
    for dy in range(-r, r + 1):
        for dx in range(-r, r + 1):
            neighbour = padded[r + dy:r + dy + h, r + dx:r + dx + w]
            colour_distance = ((neighbour - image) ** 2).sum(axis=2)
            weight = np.exp(-(dy * dy + dx * dx) / (2 * BILATERAL_SIGMA_SPACE**2)
                            - colour_distance / (2 * BILATERAL_SIGMA_RANGE**2))
            total += weight[..., None] * neighbour
            weights += weight
    return np.clip(np.rint(total / weights[..., None]), 0, 255).astype(np.uint8)


SQUEEZE_BITS = 4


def bit_depth(pixels: np.ndarray, rng: np.random.Generator | None = None) -> np.ndarray:
    """Defence (feature squeezing, Xu et al. 2018): reduce each channel to 4 bits (16 levels)."""
    levels = 2**SQUEEZE_BITS - 1
    return np.rint(np.rint(pixels.astype(np.float32) / 255 * levels) / levels * 255).astype(np.uint8)


@dataclass(frozen=True)
class Transform:
    key: str  # stable id, used in JSON and as the app's message key suffix
    name: str  # English display name
    kind: str  # "transform" (happens to images in the wild) or "defence" (a deliberate filter)
    apply: Callable[[np.ndarray, np.random.Generator | None], np.ndarray]


TRANSFORMS: dict[str, Transform] = {
    t.key: t
    for t in [
        Transform("png", "Saved as PNG", "transform", png_round_trip),
        Transform("jpeg95", "JPEG quality 95", "transform", _jpeg(95)),
        Transform("jpeg75", "JPEG quality 75", "transform", _jpeg(75)),
        Transform("jpeg50", "JPEG quality 50", "transform", _jpeg(50)),
        Transform("half", "Half size and back", "transform", half_size),
        Transform("blur", "Slight blur (radius 1)", "transform", slight_blur),
        Transform("rotate", f"Rotated {ROTATION_DEGREES:g}°", "transform", rotate),
        Transform("noise", f"Gaussian noise (σ {NOISE_SIGMA:g})", "transform", gaussian_noise),
        Transform("median", "Median filter 3×3", "defence", median_filter),
        Transform("bilateral", "Bilateral filter 5×5", "defence", bilateral_filter),
        Transform("squeeze", f"Bit depth {SQUEEZE_BITS} bits", "defence", bit_depth),
        Transform("jpeg_defence", "JPEG re-compression 75", "defence", _jpeg(75)),
    ]
}


# --- checks -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CheckResult:
    name: str
    key: str
    kind: str  # "transform" | "defence"
    passed: bool  # the attack still works after the transformation
    target_probability: float  # NaN when untargeted
    original_probability: float
    top1: Prediction

    def as_dict(self) -> dict:
        d = asdict(self)
        d["target_probability"] = None if math.isnan(self.target_probability) else round(self.target_probability, 6)
        d["original_probability"] = round(self.original_probability, 6)
        d["top1"] = {"index": self.top1.index, "label": self.top1.label,
                     "probability": round(self.top1.probability, 6)}
        return d


@dataclass(frozen=True)
class ChecksReport:
    model: str
    target: int | None
    original_class: int  # the clean image's top-1, as this model sees it
    stop_at: float | None  # None: top-1 criterion only
    results: tuple[CheckResult, ...] = field(default_factory=tuple)

    @property
    def passed(self) -> int:
        return sum(r.passed for r in self.results)

    @property
    def total(self) -> int:
        return len(self.results)

    def __getitem__(self, key: str) -> CheckResult:
        return next(r for r in self.results if r.key == key)

    def as_dict(self) -> dict:
        return {"model": self.model, "target": self.target, "original_class": self.original_class,
                "stop_at": self.stop_at, "passed": self.passed, "total": self.total,
                "checks": [r.as_dict() for r in self.results]}


def _still_fooled(probabilities: np.ndarray, target: int | None, original_class: int,
                  stop_at: float | None) -> bool:
    return Goal(original_class, target, stop_at).reached(probabilities)


def _check_shapes(original: np.ndarray, adversarial: np.ndarray) -> None:
    for name, image in (("original", original), ("adversarial", adversarial)):
        if not isinstance(image, np.ndarray) or image.dtype != np.uint8 or image.ndim != 3 or image.shape[2] != 3:
            raise ValueError(f"The {name} image must be an H × W × 3 uint8 array.")
    if original.shape != adversarial.shape:
        raise SettingsError.coded("checks.sizes_differ", adversarial=f"{adversarial.shape[1]}×{adversarial.shape[0]}",
                                  original=f"{original.shape[1]}×{original.shape[0]}")


def run_checks(classifier: Classifier, original: np.ndarray, adversarial: np.ndarray, *,
               target: int | None, stop_at: float | None = None, seed: int = 0,
               keys: Iterable[str] | None = None) -> ChecksReport:
    """Apply every transformation (or those in `keys`) to the adversarial image and classify each.

    The original class is the model's top-1 on the clean `original`. The clean image and every
    transformation (12 by default) are classified together in one batched forward pass.
    """
    _check_shapes(original, adversarial)
    chosen = list(keys or TRANSFORMS)
    # Each transformation gets its own seeded generator, so results don't depend on order.
    transformed = [TRANSFORMS[key].apply(adversarial, np.random.default_rng([seed, n]))
                   for n, key in enumerate(chosen)]
    clean, *answers = classifier.mixed_size_probabilities([original, *transformed])
    original_class = int(np.argmax(clean))
    results = []
    for key, probabilities in zip(chosen, answers):
        transform = TRANSFORMS[key]
        results.append(CheckResult(
            name=transform.name, key=key, kind=transform.kind,
            passed=_still_fooled(probabilities, target, original_class, stop_at),
            target_probability=float(probabilities[target]) if target is not None else math.nan,
            original_probability=float(probabilities[original_class]),
            top1=top_k(probabilities, 1)[0]))
    return ChecksReport(classifier.name, target, original_class, stop_at, tuple(results))


# --- transfer -----------------------------------------------------------------------------------

TRANSFER_MODELS = ("efficientnet-lite1", "efficientnet-lite2")


@dataclass(frozen=True)
class TransferResult:
    model: str
    title: str
    top3: tuple[Prediction, ...]  # on the adversarial image
    fooled: bool  # targeted: top-1 == target; untargeted: top-1 differs from its top-1 on the original
    target_probability: float  # NaN when untargeted
    original_top1: Prediction  # what this model says about the clean image

    def as_dict(self) -> dict:
        return {"model": self.model, "title": self.title, "fooled": self.fooled,
                "target_probability": None if math.isnan(self.target_probability)
                else round(self.target_probability, 6),
                "top3": [p.as_dict() for p in self.top3], "original_top1": self.original_top1.as_dict()}


@cache
def _cached_model(name: str) -> Classifier:
    return load_model(name)


@dataclass(frozen=True)
class TransferSkip:
    """A model the transfer check could not ask, and why (a sentence without server paths)."""

    model: str
    reason: Phrase

    def as_dict(self) -> dict:
        return {"model": self.model, "skipped": str(self.reason)}


class TransferResults(list):
    """The verdicts (a list of TransferResult, as before) and, in `.skipped`, the models left out."""

    def __init__(self, results: Iterable[TransferResult] = (), skipped: Iterable[TransferSkip] = ()):
        super().__init__(results)
        self.skipped = tuple(skipped)


def transfer_models(models: Sequence[str] = TRANSFER_MODELS, exclude: str | None = None) -> list[str]:
    """`models` plus every Keras application whose weights are already on disk, minus `exclude`."""
    names = list(models) + [n for n, s in MODELS.items()
                            if s.source == "keras" and n not in models and availability(n)[0]]
    return [n for n in names if n != exclude and availability(n)[0]]


def transfer_check(adversarial: np.ndarray, original: np.ndarray, target: int | None,
                   models: Sequence[str] = TRANSFER_MODELS, *, exclude: str | None = None,
                   loader: Callable[[str], Classifier] = _cached_model) -> TransferResults:
    """Ask independent models about the adversarial image. A model that cannot be asked (its package
    or file missing, or its file on disk not the published one) is skipped with a note in `.skipped`;
    this never raises for it, since every result page of every session asks."""
    _check_shapes(original, adversarial)
    results, skipped = [], []
    broken = [n for n, s in MODELS.items() if s.source == "keras" and n != exclude and weights_broken(n)]
    for name in broken:
        skipped.append(TransferSkip(name, Phrase("model.transfer_skipped.broken", model=MODELS[name].title)))
    for name in [n for n in models if n != exclude and n not in broken and not availability(n)[0]]:
        skipped.append(TransferSkip(name, Phrase("model.transfer_skipped.missing", model=MODELS[name].title)))
    for name in transfer_models(models, exclude):
        try:
            model = loader(name)
        except ModelUnavailable:  # the file went or changed since it was checked: as if it were missing
            skipped.append(TransferSkip(name, Phrase("model.transfer_skipped.missing", model=MODELS[name].title)))
            continue
        clean, probabilities = model.mixed_size_probabilities([original, adversarial])
        original_class = int(np.argmax(clean))
        results.append(TransferResult(
            model=name, title=model.title, top3=top_k(probabilities, 3),
            fooled=_still_fooled(probabilities, target, original_class, None),
            target_probability=float(probabilities[target]) if target is not None else math.nan,
            original_top1=top_k(clean, 1)[0]))
    return TransferResults(results, skipped)
