"""The tutorial replayed end to end (attack/experiments/tutorial.py): float run to 60 % in memory, the saved PNG read
back through the normal input path, the 8-bit-safe fix verified on its own PNG, and the lr rule.

One replay and one fix per image, shared by every test that needs it (module-scoped fixtures)."""
from __future__ import annotations

import json
import math

import numpy as np
import pytest
import tensorflow as tf
from conftest import ASSETS, SHARED

from attack.inputs import images
from attack.experiments import tutorial
from attack.attacks.losses import gradient_function

TOASTER = 859
PIG = SHARED / "data" / "pig.jpg"
PHOTOS = {"pig": PIG, **{p.stem: p for p in sorted(ASSETS.glob("*")) if p.suffix in (".png", ".jpg")}}


# --- the learning-rate rule -----------------------------------------------------------------------
def test_rule_makes_the_first_step_raise_log_p_by_one_over_n():
    for p, g in [(2.2e-5, 1.7e-4), (8e-6, 4.9e-5), (4.4e-4, 1.4e-3)]:
        lr = tutorial.rule_learning_rate(p, g, steps=150)
        assert lr * g**2 / p == pytest.approx(1 / 150)  # first-order gain of a plain step: lr · ‖∇p‖² / p


def test_rule_scales_with_the_photo_not_a_constant():
    base = tutorial.rule_learning_rate(1e-5, 1e-4)
    assert tutorial.rule_learning_rate(1e-5, 2e-4) == pytest.approx(base / 4)  # twice the gradient: a quarter
    assert tutorial.rule_learning_rate(3e-5, 1e-4) == pytest.approx(base * 3)
    assert tutorial.rule_learning_rate(1e-5, 1e-4, steps=300) == pytest.approx(base / 2)


def test_rule_falls_back_and_clips_on_degenerate_gradients():
    assert tutorial.rule_learning_rate(1e-5, 0.0) == tutorial.TUTORIAL_LR
    assert tutorial.rule_learning_rate(0.0, 1e-4) == tutorial.TUTORIAL_LR
    assert tutorial.rule_learning_rate(1e-5, math.nan) == tutorial.TUTORIAL_LR
    assert tutorial.rule_learning_rate(0.9, 1e-12) == tutorial.LR_RANGE[1]
    assert tutorial.rule_learning_rate(1e-12, 10.0) == tutorial.LR_RANGE[0]


def test_bad_settings_are_refused(classifier):
    with pytest.raises(ValueError):
        tutorial.TutorialReplay(classifier, target=None)
    for lr in (0.0, -1.0, math.inf):
        with pytest.raises(ValueError):
            tutorial.TutorialReplay(classifier, target=TOASTER, lr=lr)
    with pytest.raises(ValueError):
        tutorial.TutorialReplay(classifier, target=TOASTER, max_steps=0)


def test_the_update_is_the_tutorials_on_a_float_image(classifier, small_coffee):
    """x₁ = clip(x₀ + lr·∇p) on [-1, 1], i.e. lr · 127.5² · ∂p/∂pixel in levels; the model sees x₁ unrounded."""
    lr = 2000.0  # large enough that rounding visibly differs from the float image
    method = tutorial.TutorialReplay(classifier, target=TOASTER, lr=lr, max_steps=2)
    records = list(method.run(small_coffee))
    assert [r.step for r in records] == [0, 1, 2] and all(r.in_memory for r in records)
    fn = gradient_function(classifier, "probability", True)
    x0 = tf.constant(small_coffee, tf.float32)
    _, g0, _ = fn(x0, tf.constant(TOASTER))
    x1 = tf.clip_by_value(x0 + lr * 127.5**2 * g0, tf.maximum(x0 - 1.275, 0.0), tf.minimum(x0 + 1.275, 255.0))
    p1 = classifier.probabilities(x1.numpy())[TOASTER]
    assert records[1].target_probability == pytest.approx(float(p1), rel=1e-4)  # the float image's probability
    assert np.array_equal(records[1].image, np.rint(x1.numpy()).astype(np.uint8))  # what saving would keep
    assert not np.array_equal(x1.numpy(), records[1].image.astype(np.float32))  # ... which is not what was seen
    assert np.abs(records[2].image.astype(int) - small_coffee.astype(int)).max() <= 1  # ε 1.275, rounded
    assert all(r.rate.value == lr and not r.rate.rule for r in records)


def test_one_replay_serves_runs_interleaved(classifier, small_coffee):
    """The replay holds settings only: two runs stepped in turns keep their own learning rates and steps."""
    method = tutorial.TutorialReplay(classifier, target=TOASTER, max_steps=2)  # lr by the rule, per image
    dark = (small_coffee // 4).astype(np.uint8)
    a, b = method.run(small_coffee), method.run(dark)
    pairs = [(next(a), next(b)) for _ in range(3)]
    alone = list(method.run(dark))
    assert [y.step for _, y in pairs] == [0, 1, 2]
    assert pairs[0][0].rate.value != pairs[0][1].rate.value  # each image's own rule
    assert [y.target_probability for _, y in pairs] == pytest.approx([r.target_probability for r in alone], rel=1e-5)


# --- end to end on the pig and every bundled sample ------------------------------------------------
@pytest.fixture(scope="module", params=sorted(PHOTOS))
def photo(request):
    if not PHOTOS[request.param].exists():
        pytest.skip(f"{PHOTOS[request.param]} is missing")
    return request.param, images.load_image(PHOTOS[request.param]).pixels


@pytest.fixture(scope="module")
def replayed(photo, classifier):
    return tutorial.replay(classifier, photo[1], TOASTER)


@pytest.fixture(scope="module")
def fixed(photo, classifier):
    return tutorial.fix(classifier, photo[1], TOASTER)


@pytest.mark.slow
def test_replay_reaches_60_percent_in_memory_within_1000_steps(photo, replayed):
    name = photo[0]
    assert replayed.learning_rate.rule
    assert replayed.reached_in_memory, f"{name}: best {replayed.memory_probability:.1%} (lr {replayed.learning_rate.value:.3g})"
    assert replayed.result.kept_step <= 1000 and replayed.memory_probability >= 0.6
    kept = replayed.result.final
    assert kept.in_memory and kept.top5[0].index == TOASTER  # probabilities of the float image, flagged
    assert np.abs(kept.perturbation).max() <= 1  # the rounded image stays within ε = 1.275 levels


@pytest.mark.slow
def test_saved_png_is_read_back_through_the_normal_input_path(photo, replayed, classifier):
    """The reported saved probability is the PNG's, decoded by attack.images, and it differs from memory."""
    png = images.encode_png(replayed.result.final.image)
    assert png == replayed.result.verification.png
    again = classifier.probabilities(images.load_image(png).pixels)[TOASTER]
    assert replayed.saved_probability == pytest.approx(float(again), abs=1e-6)
    saved = tutorial.save_as_tutorial(classifier, replayed.result.final, replayed.result.original.index, TOASTER)
    assert saved.target_probability == pytest.approx(replayed.saved_probability, abs=1e-6)
    assert replayed.saved_probability != pytest.approx(replayed.memory_probability, abs=1e-3)


@pytest.mark.slow
def test_fix_succeeds_on_its_png_in_tens_of_steps(photo, fixed, classifier):
    v = fixed.verification
    assert v.success and fixed.kept_step < 100, f"{photo[0]}: {v.target_probability:.1%} after {fixed.kept_step} steps"
    pixels = images.load_image(v.png).pixels
    assert classifier.probabilities(pixels)[TOASTER] >= tutorial.STOP_AT
    assert np.abs(pixels.astype(int) - photo[1].astype(int)).max() <= 1  # same ε as the tutorial


# --- the command line -------------------------------------------------------------------------------
def test_cli_reports_the_written_files(capsys, classifier, small_coffee, tmp_path):
    from PIL import Image

    from attack.cli.main import main

    source = tmp_path / "coffee.png"
    Image.fromarray(small_coffee).save(source)
    out = tmp_path / "adv.png"
    assert main(["tutorial", str(source), "--max-steps", "3", "--lr", "5", "--out", str(out), "--json",
                 "--quiet"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert {"reached_in_memory", "steps", "lr", "memory_probability", "saved_probability", "fixed"} <= set(report)
    assert report["lr"] == 5 and not report["lr_rule"] and report["steps"] <= 3
    saved = classifier.probabilities(images.load_image(out).pixels)[TOASTER]
    assert report["saved_probability"] == pytest.approx(float(saved), abs=1e-5)
    fixed_file = tmp_path / "adv-fixed.png"
    assert report["fixed"]["out"] == str(fixed_file)
    fixed_p = classifier.probabilities(images.load_image(fixed_file).pixels)[TOASTER]
    assert report["fixed"]["probability"] == pytest.approx(float(fixed_p), abs=1e-5)
    assert report["fixed"]["success"] == (fixed_p >= 0.6)


@pytest.mark.parametrize("argv, fragment", [
    (["tutorial", "missing.png"], "No such file"),
    (["tutorial", "{img}", "--lr", "-1"], "--lr"),
    (["tutorial", "{img}", "--max-steps", "0"], "--max-steps"),
    (["tutorial", "{img}", "--target", "no such class at all"], ""),
])
def test_cli_bad_input_exits_2_with_one_line(capsys, tmp_path, argv, fragment):
    from PIL import Image

    from attack.cli.main import main

    source = tmp_path / "tiny.png"
    Image.fromarray(np.zeros((8, 8, 3), np.uint8)).save(source)
    assert main([a.replace("{img}", str(source)) for a in argv]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("error:") and fragment in err[0]
