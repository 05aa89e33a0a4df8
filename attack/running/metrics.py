"""Distances between an original and an adversarial uint8 image, and a picture of the difference."""

from __future__ import annotations

import functools
import math
from dataclasses import asdict, dataclass

import numpy as np

_SSIM_WINDOW = 11  # tf.image.ssim's default Gaussian window


@dataclass(frozen=True)
class Distances:
    """How far the adversarial image is from the original, in 0..255 pixel levels."""

    linf: float  # max |δ| over all values
    l2: float  # ‖δ‖₂ over all values
    l0: int  # pixels where any channel changed
    l0_fraction: float  # l0 / (H*W)
    psnr: float  # dB; inf when the images are identical
    ssim: float  # mean SSIM on the full-resolution images

    def as_dict(self) -> dict:
        """JSON-friendly dict of plain Python numbers; an infinite PSNR becomes None."""
        d = asdict(self)
        if math.isinf(d["psnr"]):
            d["psnr"] = None
        return d


def _check(original: np.ndarray, adversarial: np.ndarray) -> None:
    """Raise ValueError unless both are H x W x C uint8 arrays of the same non-empty shape."""
    for name, image in (("original", original), ("adversarial", adversarial)):
        if not isinstance(image, np.ndarray):
            raise ValueError(f"The {name} image must be a numpy array, not {type(image).__name__}.")
        if image.dtype != np.uint8:
            raise ValueError(f"The {name} image must be uint8 (0..255), not {image.dtype}.")
        if image.ndim != 3 or image.size == 0:
            raise ValueError(
                f"The {name} image must be a non-empty H x W x C array, not shape {image.shape}."
            )
    if original.shape != adversarial.shape:
        raise ValueError(
            f"The images differ in shape: original {original.shape}, adversarial {adversarial.shape}."
        )


def perturbation(original: np.ndarray, adversarial: np.ndarray) -> np.ndarray:
    """Signed difference adversarial − original in pixel levels, as int16."""
    _check(original, adversarial)
    return adversarial.astype(np.int16) - original.astype(np.int16)


@functools.lru_cache(maxsize=None)  # one per window size: 11, or the side of an image under 11 px
def _ssim_function(size: int):
    """tf.image.ssim compiled once: eager, its few dozen small ops are mostly Python overhead, and every
    run's result measures its SSIM."""
    import tensorflow as tf  # imported lazily: the other metrics need only numpy

    @tf.function(input_signature=[tf.TensorSpec([None, None, None], tf.uint8)] * 2)
    def ssim(original, adversarial):
        return tf.image.ssim(tf.cast(original, tf.float32), tf.cast(adversarial, tf.float32), max_val=255.0,
                             filter_size=size)

    return ssim


def _ssim(original: np.ndarray, adversarial: np.ndarray) -> float:
    """Mean SSIM via tf.image.ssim, shrinking the window for images under 11 px."""
    size = min(_SSIM_WINDOW, original.shape[0], original.shape[1])
    return float(_ssim_function(size)(original, adversarial))


def distances(original: np.ndarray, adversarial: np.ndarray) -> Distances:
    """L∞, L2, L0 (pixels), PSNR and SSIM between the two images."""
    delta = perturbation(original, adversarial).astype(np.float64)
    changed = int(np.count_nonzero(np.any(delta != 0, axis=-1)))
    mse = float(np.mean(delta**2))
    identical = changed == 0
    return Distances(
        linf=float(np.max(np.abs(delta))),
        l2=float(np.sqrt(np.sum(delta**2))),
        l0=changed,
        l0_fraction=changed / (original.shape[0] * original.shape[1]),
        psnr=math.inf if identical else 10.0 * math.log10(255.0**2 / mse),
        ssim=1.0 if identical else _ssim(original, adversarial),
    )


def amplify(
    original: np.ndarray, adversarial: np.ndarray, factor: float | None = None
) -> tuple[np.ndarray, float]:
    """Picture of δ as 128 + factor·δ (uint8); factor None maps the largest |δ| to about 127."""
    delta = perturbation(original, adversarial)
    if factor is None:
        peak = int(np.max(np.abs(delta)))
        factor = max(1.0, 127.0 / peak) if peak else 1.0
    elif not (math.isfinite(factor) and factor > 0):
        raise ValueError(f"The amplification factor must be a positive number, not {factor!r}.")
    image = np.clip(np.rint(128.0 + float(factor) * delta), 0, 255).astype(np.uint8)
    return image, float(factor)
