"""Tests for attack.metrics: distances, perturbation and the amplified difference picture."""

import json
import math

import numpy as np
import pytest


from attack.running.metrics import Distances, amplify, distances, perturbation  # noqa: E402


def _pair():
    """2x2 grey image and a copy with δ = +3 at (0,0,R) and −4 at (1,1,G)."""
    original = np.full((2, 2, 3), 100, np.uint8)
    adversarial = original.copy()
    adversarial[0, 0, 0] = 103
    adversarial[1, 1, 1] = 96
    return original, adversarial


def _noisy(image, sigma, seed=0):
    rng = np.random.default_rng(seed)
    return np.clip(image + rng.normal(0, sigma, image.shape), 0, 255).astype(np.uint8)


def _picture(h=32, w=32):
    y, x = np.mgrid[0:h, 0:w]
    return np.stack([x * 255 // w, y * 255 // h, (x + y) * 127 // (h + w)], -1).astype(np.uint8)


def test_perturbation_is_signed():
    original, adversarial = _pair()
    delta = perturbation(original, adversarial)
    assert delta.dtype == np.int16
    assert delta[0, 0, 0] == 3 and delta[1, 1, 1] == -4  # no uint8 wrap-around
    assert np.count_nonzero(delta) == 2


def test_hand_computed_distances():
    d = distances(*_pair())
    assert d.linf == 4.0
    assert d.l2 == pytest.approx(5.0)  # sqrt(3² + 4²)
    assert d.l0 == 2 and isinstance(d.l0, int)
    assert d.l0_fraction == pytest.approx(0.5)
    assert d.psnr == pytest.approx(10 * math.log10(255**2 / (25 / 12)))  # mse over 12 values
    assert 0.0 < d.ssim < 1.0


def test_l0_counts_pixels_not_values():
    original = np.zeros((4, 5, 3), np.uint8)
    adversarial = original.copy()
    adversarial[2, 3] = [1, 1, 1]  # one pixel, three values
    d = distances(original, adversarial)
    assert d.l0 == 1 and d.l0_fraction == pytest.approx(1 / 20)
    assert d.l2 == pytest.approx(math.sqrt(3))


def test_identical_images():
    image = _picture()
    d = distances(image, image.copy())
    assert (d.linf, d.l2, d.l0, d.l0_fraction) == (0.0, 0.0, 0, 0.0)
    assert d.psnr == math.inf and d.ssim == 1.0
    as_dict = d.as_dict()
    assert as_dict["psnr"] is None
    json.dumps(as_dict)  # JSON-friendly
    assert set(as_dict) == {"linf", "l2", "l0", "l0_fraction", "psnr", "ssim"}


def test_ssim_decreases_with_noise():
    image = _picture(48, 40)
    values = [distances(image, _noisy(image, s)).ssim for s in (1, 8, 40)]
    assert 1.0 > values[0] > values[1] > values[2]
    assert values[0] > 0.9


def test_ssim_on_images_smaller_than_window():
    image = _picture(5, 7)
    d = distances(image, _noisy(image, 20))
    assert -1.0 <= d.ssim < 1.0
    tiny = np.array([[[10, 20, 30]]], np.uint8)
    assert distances(tiny, tiny + 1).l0 == 1


def test_amplify_auto_factor():
    original, adversarial = _pair()
    image, factor = amplify(original, adversarial)
    assert factor == pytest.approx(127 / 4)
    assert image.dtype == np.uint8 and image.shape == original.shape
    assert image[1, 1, 1] == 1  # −4 → 128 − 127
    assert image[0, 0, 0] == 128 + round(3 * 127 / 4)
    assert image[0, 1, 2] == 128  # unchanged → grey


def test_amplify_explicit_and_minimum_factor():
    original = np.full((3, 3, 3), 0, np.uint8)
    adversarial = np.full((3, 3, 3), 200, np.uint8)
    image, factor = amplify(original, adversarial)
    assert factor == 1.0 and image.max() == 255  # large δ: factor stays 1, clipped
    image, factor = amplify(original, original)
    assert factor == 1.0 and (image == 128).all()
    image, factor = amplify(*_pair(), factor=10)
    assert factor == 10.0 and image[0, 0, 0] == 158 and image[1, 1, 1] == 88
    with pytest.raises(ValueError):
        amplify(*_pair(), factor=0)


@pytest.mark.parametrize(
    "original, adversarial",
    [
        (np.zeros((4, 4, 3), np.uint8), np.zeros((4, 5, 3), np.uint8)),
        (np.zeros((4, 4, 3), np.uint8), np.zeros((4, 4, 3), np.float32)),
        (np.zeros((4, 4), np.uint8), np.zeros((4, 4), np.uint8)),
        (np.zeros((4, 4, 3), np.uint8), [[0]]),
    ],
)
def test_invalid_inputs(original, adversarial):
    for fn in (distances, perturbation, amplify):
        with pytest.raises(ValueError):
            fn(original, adversarial)


def test_distances_is_frozen():
    d = distances(*_pair())
    assert isinstance(d, Distances)
    with pytest.raises(AttributeError):
        d.linf = 0.0
