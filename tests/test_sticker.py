"""The sticker and the universal noise: placement and application as documented, files, and training
generators that improve a tiny synthetic case."""
from __future__ import annotations

import io
import math

import numpy as np
import pytest
from PIL import Image

from attack.inputs import images
from attack.plumbing.errors import SettingsError
from attack.physical.sticker import (load_sticker, place_sticker, sticker_box, sticker_side, train_sticker, evaluate_sticker, turned_size)
from attack.physical.universal import (SIDE, apply_noise, encode_noise, evaluate_noise, load_noise, noise_eps, train_universal)

GREEN, RED = (0, 200, 0), (250, 10, 10)


def _png(pixels: np.ndarray) -> bytes:
    buf = io.BytesIO()
    Image.fromarray(pixels).save(buf, format="PNG")
    return buf.getvalue()


def _changed_box(before: Image.Image, after: Image.Image) -> tuple[int, int, int, int]:
    """(left, top, width, height) of the pixels that differ."""
    diff = np.any(np.asarray(before) != np.asarray(after), axis=2)
    rows, cols = np.nonzero(diff.any(axis=1))[0], np.nonzero(diff.any(axis=0))[0]
    return int(cols[0]), int(rows[0]), int(cols[-1] - cols[0] + 1), int(rows[-1] - rows[0] + 1)


@pytest.mark.parametrize("size,area,at", [((400, 300), 0.1, None), ((640, 427), 0.05, (0.25, 0.75)),
                                          ((300, 500), 0.2, (0.6, 0.3)), ((257, 193), 0.5, None)])
def test_the_sticker_keeps_its_area_and_its_centre(size, area, at):
    photo = Image.new("RGB", size, GREEN)
    out = place_sticker(photo, Image.new("RGB", (50, 50), RED), area=area, at=at)
    left, top, w, h = _changed_box(photo, out)
    assert w == h == sticker_side(*size, area)
    assert abs(w * h / (size[0] * size[1]) - area) < 2 * w / (size[0] * size[1]) + 1e-9  # rounding of the side
    fx, fy = at or (0.5, 0.5)
    assert abs(left + w / 2 - fx * size[0]) <= 1 and abs(top + h / 2 - fy * size[1]) <= 1
    assert out.size == photo.size


def test_a_sticker_near_an_edge_is_moved_fully_inside():
    photo = Image.new("RGB", (300, 200), GREEN)
    for at in [(0.0, 0.0), (1.0, 1.0), (0.98, 0.02)]:
        out = place_sticker(photo, Image.new("RGB", (10, 10), RED), area=0.2, at=at)
        left, top, w, h = _changed_box(photo, out)
        assert left >= 0 and top >= 0 and left + w <= 300 and top + h <= 200
        assert (left in (0, 300 - w)) and (top in (0, 200 - h))
        assert w == sticker_side(300, 200, 0.2)


def test_a_rotated_sticker_fills_pillows_box_and_stays_inside():
    photo = Image.new("RGB", (400, 300), GREEN)
    out = place_sticker(photo, Image.new("RGB", (64, 64), RED), area=0.1, at=(1.0, 0.5), angle=30)
    left, top, w, h = _changed_box(photo, out)
    box = sticker_box(400, 300, area=0.1, at=(1.0, 0.5), angle=30)
    side = sticker_side(400, 300, 0.1)
    assert turned_size(side, 30) == Image.new("L", (side, side)).rotate(30, expand=True).size
    assert left >= box[0] and top >= box[1] and left + w <= box[0] + box[2] and top + h <= box[1] + box[3]
    assert left + w <= 400 and w > side  # turned: wider than upright
    red = np.all(np.asarray(out) == RED, axis=2).sum()
    assert abs(red - side * side) / (side * side) < 0.05  # the area stays the sticker's


@pytest.mark.parametrize("kwargs", [dict(area=0), dict(area=0.51), dict(area=-0.1), dict(area=float("nan")),
                                    dict(area=0.1, at=(1.2, 0.5)), dict(area=0.1, angle=400)])
def test_bad_placements_are_refused(kwargs):
    with pytest.raises(SettingsError):
        place_sticker(Image.new("RGB", (100, 100)), Image.new("RGB", (8, 8)), **kwargs)


def test_a_sticker_that_cannot_fit_a_thin_photo_is_refused():
    with pytest.raises(SettingsError, match="does not fit"):
        place_sticker(Image.new("RGB", (1000, 100)), Image.new("RGB", (8, 8)), area=0.5)


def test_load_sticker_accepts_a_square_png_and_refuses_the_rest():
    square = np.random.default_rng(0).integers(0, 256, (40, 40, 3), dtype=np.uint8)
    loaded = load_sticker(_png(square))
    assert loaded.mode == "RGB" and loaded.size == (40, 40) and np.array_equal(np.asarray(loaded), square)
    with pytest.raises(images.ImageError, match="square") as caught:
        load_sticker(_png(square[:, :30]))
    assert caught.value.code == "sticker.not_square"
    with pytest.raises(images.ImageError) as caught:
        load_sticker(b"not an image at all")
    assert caught.value.code == "image.not_image"
    with pytest.raises(images.ImageError) as caught:
        load_sticker(_png(np.zeros((2100, 2100, 3), np.uint8)))
    assert caught.value.code == "sticker.too_big"


# --- the universal noise's file and application --------------------------------------------------
def _noise(eps: int, seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).integers(-eps, eps + 1, (SIDE, SIDE, 3)).astype(np.int16)


@pytest.mark.parametrize("size", [(224, 224), (640, 427), (97, 301)])
def test_applied_noise_stays_within_eps_on_the_saved_png(tmp_path, size):
    noise = _noise(10)
    rng = np.random.default_rng(1)
    photo = rng.integers(0, 256, (size[1], size[0], 3), dtype=np.uint8)
    photo[:20] = 0  # clipped pixels too
    photo[-20:] = 255
    out = tmp_path / "out.png"
    apply_noise(Image.fromarray(photo), noise).save(out)
    saved = images.load_image(out).pixels.astype(int)
    change = saved - photo.astype(int)
    assert np.abs(change).max() <= 10 and np.abs(change).max() >= 9  # within ε, and not nothing
    if size == (224, 224):  # same size: δ exactly, up to the clipping at 0 and 255
        middle = slice(20, -20)
        assert np.array_equal(saved[middle], np.clip(photo[middle].astype(int) + noise[middle], 0, 255))


@pytest.mark.parametrize("size", [(500, 375), (160, 300)])
def test_the_noise_trains_on_what_the_model_sees_of_it_once_applied(size):
    """A per-pixel noise on a larger photo is smoothed by the resize and the squash; training must see that."""
    import tensorflow as tf

    from attack.physical.scenes import noise_as_seen

    noise = _noise(10, seed=2)
    photo = np.full((size[1], size[0], 3), 128, np.uint8)  # mid-grey: no clipping, only δ changes
    applied = np.asarray(apply_noise(Image.fromarray(photo), noise), np.float32)

    def squashed(pixels):
        return tf.image.resize(pixels[None], (224, 224), antialias=True)[0].numpy()

    model_sees = squashed(applied) - squashed(photo.astype(np.float32))
    trained_on = noise_as_seen(tf.constant(noise, tf.float32), tf.constant(photo.shape[:2]), 224).numpy()
    assert np.abs(model_sees - trained_on).mean() < 0.2  # the rounding of photo + δ, averaged
    assert np.abs(model_sees - noise).mean() > 2.0  # δ as drawn is not what the model sees


def test_the_noise_trains_on_photos_cropped_and_mirrored_at_random():
    import tensorflow as tf

    from attack.physical.scenes import CROP, varied

    ramp = np.tile(np.arange(224, dtype=np.uint8)[None, :, None], (224, 1, 3))  # left dark, right bright
    photos = tf.constant(np.repeat(ramp[None], 64, axis=0))
    seen = varied(photos, tf.constant([3, 1])).numpy()
    assert np.array_equal(seen, varied(photos, tf.constant([3, 1])).numpy())
    assert not np.array_equal(seen, varied(photos, tf.constant([3, 2])).numpy())
    rise = seen[:, 100, -1, 0] - seen[:, 100, 0, 0]  # the crop's width in levels, negative when mirrored
    assert 16 < np.sum(rise < 0) < 48
    assert np.all(np.abs(rise) >= CROP[0] * 223 - 1) and np.all(np.abs(rise) <= 223 + 1e-3)
    assert np.abs(rise).std() > 5  # crops of many sizes, not one
    assert seen.min() >= 0 and seen.max() <= 223


def test_noise_files_round_trip_and_bad_ones_are_refused(tmp_path):
    noise = _noise(7)
    path = tmp_path / "noise.png"
    path.write_bytes(encode_noise(noise))
    loaded = load_noise(path)
    assert np.array_equal(loaded, noise) and noise_eps(loaded) == 7
    assert np.asarray(Image.open(path)).mean() == pytest.approx(128, abs=1)
    codes = {}
    for name, data in {"small": _png(np.full((100, 100, 3), 128, np.uint8)),
                       "strong": _png(np.full((SIDE, SIDE, 3), 128 + 20, np.uint8))}.items():
        with pytest.raises(images.ImageError) as caught:
            load_noise(data)
        codes[name] = caught.value.code
    buf = io.BytesIO()
    Image.fromarray(np.full((SIDE, SIDE, 3), 128, np.uint8)).save(buf, format="JPEG")
    with pytest.raises(images.ImageError) as caught:
        load_noise(buf.getvalue())
    assert codes == {"small": "noise.size", "strong": "noise.too_strong"} and caught.value.code == "noise.not_png"


# --- training on a tiny model ----------------------------------------------------------------------
def tiny_classifier():
    import keras

    from attack.models import Classifier

    keras.utils.set_random_seed(3)
    inputs = keras.Input((32, 32, 3))
    x = keras.layers.Conv2D(16, 3, strides=2, activation="relu")(inputs)
    x = keras.layers.GlobalAveragePooling2D()(x)
    # Large output weights: a sticker can move these logits by several units, as it can a real model's.
    dense = keras.layers.Dense(1000, kernel_initializer=keras.initializers.RandomNormal(stddev=2.0))
    network = keras.Model(inputs, dense(x))
    return Classifier("tiny-sticker", "tiny", network, 32, lambda x: x / 127.5 - 1.0)


@pytest.fixture(scope="module")
def tiny():
    return tiny_classifier()


@pytest.fixture(scope="module")
def synthetic():
    """Smooth random photos of a few sizes: 12 to train on, 8 held out."""
    rng = np.random.default_rng(5)
    photos = []
    for i in range(20):
        w, h = (48, 40) if i % 2 else (40, 56)
        small = rng.integers(0, 256, (4, 4, 3), dtype=np.uint8)
        photos.append(np.asarray(Image.fromarray(small).resize((w, h), Image.Resampling.BILINEAR)))
    return photos[:12], photos[12:]


def test_the_sticker_training_yields_records_and_learns(tiny, synthetic):
    train, held = synthetic
    target = 506  # no photo's answer, but one a sticker can reach on this model (a solid blue is 506)
    before = evaluate_sticker(tiny, held, np.full((16, 16, 3), 128, np.uint8), target=target, area=0.3)
    records = list(train_sticker(tiny, train, target=target, steps=30, area=0.3, held_out=held, eval_every=10,
                                 batch=4, size=16, learning_rate=0.1))
    assert [r.step for r in records] == list(range(1, 31))
    assert [r.step for r in records if r.success is not None] == [10, 20, 30]
    assert all(r.sticker.shape == (16, 16, 3) and r.sticker.dtype == np.uint8 for r in records)
    assert not np.array_equal(records[0].sticker, records[-1].sticker)
    assert np.mean([r.loss for r in records[-5:]]) < np.mean([r.loss for r in records[:5]]) - 0.5
    assert before.rate == 0 and records[-1].success >= 0.5
    best = [r for r in records if r.best]
    assert best and all(r.success is not None for r in best)
    assert best[-1].success == max(r.success for r in records if r.success is not None)


def test_the_sticker_training_goes_on_from_a_given_sticker(tiny, synthetic):
    train, held = synthetic
    learned = list(train_sticker(tiny, train, target=506, steps=30, area=0.3, batch=4, size=16,
                                 learning_rate=0.1))[-1].sticker
    start = Image.fromarray(learned)
    again = next(train_sticker(tiny, train, target=506, steps=5, area=0.3, batch=4, size=16,
                               learning_rate=1e-5, init=start)).sticker
    fresh = next(train_sticker(tiny, train, target=506, steps=5, area=0.3, batch=4, size=16,
                               learning_rate=1e-5)).sticker
    assert np.abs(again.astype(int) - learned).max() <= 2 < np.abs(fresh.astype(int) - learned).max()
    rate = evaluate_sticker(tiny, held, learned, target=506, area=0.3).rate
    assert evaluate_sticker(tiny, held, again, target=506, area=0.3).rate == pytest.approx(rate, abs=0.13)


def test_the_universal_training_yields_records_and_fools(tiny, synthetic):
    train, held = synthetic
    records = list(train_universal(tiny, train, eps=16, steps=30, held_out=held, eval_every=15, batch=4))
    assert [r.step for r in records if r.fooling_rate is not None] == [15, 30]
    assert all(r.noise.shape == (SIDE, SIDE, 3) and noise_eps(r.noise) <= 16 for r in records)
    assert records[-1].loss < records[0].loss  # untargeted: the loss is minus the (clamped) cross-entropy
    final = evaluate_noise(tiny, held, records[-1].noise)
    assert final.rate == records[-1].fooling_rate and final.rate > 0.5
    assert evaluate_noise(tiny, held, np.zeros((SIDE, SIDE, 3), np.int16)).rate == 0


def test_training_bounds_are_checked_before_any_work(tiny, synthetic):
    train, _ = synthetic
    for kwargs in [dict(steps=0), dict(steps=10**6), dict(steps=5, batch=0), dict(steps=5, area=0.7),
                   dict(steps=5, target=1000)]:
        settings = dict(target=7, area=0.1) | kwargs
        with pytest.raises(SettingsError):
            next(train_sticker(tiny, train, **settings))
    for eps in (0, 17, 2.5):
        with pytest.raises(SettingsError):
            next(train_universal(tiny, train, eps=eps, steps=5))
    with pytest.raises(SettingsError):
        next(train_universal(tiny, [], eps=4, steps=5))
    assert math.isfinite(next(train_universal(tiny, train, eps=4, steps=1)).loss)
