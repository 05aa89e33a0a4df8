"""Robustness: the checks, transfer to other models, EOT / ensemble attacks, the ε sweep, the CLI.

Attack results are measured once per session (small espresso photo, small budgets) and shared.
"""
from __future__ import annotations

import json
import math
import re

import numpy as np
import pytest

from attack.inputs.images import load_image, save_png
from attack.experiments.robustness import TRANSFORMS, run_checks, transfer_check
from conftest import ASSETS

TOASTER, ESPRESSO = 859, 967
CATS = {281, 282, 283, 284, 285}


@pytest.fixture(scope="session")
def other_models():
    from attack.models import load_model

    return {name: load_model(name) for name in ("efficientnet-lite1", "efficientnet-lite2")}


@pytest.fixture(scope="session")
def plain_run(classifier, small_coffee):
    from attack.running.runner import run_attack

    return run_attack(classifier, small_coffee, "pgd", epsilon=2, target=TOASTER, stop_at=0.9, max_steps=60)


@pytest.fixture(scope="session")
def robust_run(classifier, small_coffee):
    from attack.running.runner import run_attack

    return run_attack(classifier, small_coffee, "pgd", epsilon=8, target=TOASTER, stop_at=0.9, max_steps=60,
                      eot_samples=4)


@pytest.fixture(scope="session")
def plain_report(classifier, small_coffee, plain_run):
    return run_checks(classifier, small_coffee, plain_run.final.image, target=TOASTER)


@pytest.fixture(scope="session")
def robust_report(classifier, small_coffee, robust_run):
    return run_checks(classifier, small_coffee, robust_run.final.image, target=TOASTER)


@pytest.fixture()
def tiny(small_coffee):
    """64 × 43: enough for a few quick steps of every method."""
    from PIL import Image

    return np.asarray(Image.fromarray(small_coffee).resize((64, 43), Image.LANCZOS))


# --- the transformations ------------------------------------------------------------------------

def test_every_transformation_keeps_shape_and_type(small_coffee):
    for key, transform in TRANSFORMS.items():
        out = transform.apply(small_coffee, np.random.default_rng(0))
        assert out.shape == small_coffee.shape and out.dtype == np.uint8, key
        assert transform.kind in ("transform", "defence")


def test_only_png_is_lossless(small_coffee):
    changed = {key: not np.array_equal(t.apply(small_coffee, None), small_coffee) for key, t in TRANSFORMS.items()}
    assert changed.pop("png") is False
    assert all(changed.values()), [k for k, v in changed.items() if not v]


def test_bit_depth_leaves_sixteen_levels(small_coffee):
    squeezed = TRANSFORMS["squeeze"].apply(small_coffee, None)
    assert len(np.unique(squeezed)) <= 16
    assert np.abs(squeezed.astype(int) - small_coffee).max() <= 9  # half a step of 17 levels, rounded


def test_noise_is_seeded(small_coffee):
    noise = TRANSFORMS["noise"].apply
    a, b = noise(small_coffee, np.random.default_rng(1)), noise(small_coffee, np.random.default_rng(1))
    assert np.array_equal(a, b)
    assert not np.array_equal(a, noise(small_coffee, np.random.default_rng(2)))
    spread = (a.astype(float) - small_coffee)[(small_coffee > 20) & (small_coffee < 235)].std()
    assert 3.0 < spread < 5.0  # σ 4 levels


def test_rotation_has_no_black_corners():
    white = np.full((60, 80, 3), 255, np.uint8)
    assert TRANSFORMS["rotate"].apply(white, None).min() >= 250


def test_bilateral_keeps_edges_that_blur_softens():
    edge = np.zeros((40, 40, 3), np.uint8)
    edge[:, 20:] = 200
    bilateral = TRANSFORMS["bilateral"].apply(edge, None).astype(int)
    blurred = TRANSFORMS["blur"].apply(edge, None).astype(int)
    assert np.abs(bilateral - edge).max() <= 2 < np.abs(blurred - edge).max()
    flat = np.full((10, 12, 3), 77, np.uint8)
    assert np.array_equal(TRANSFORMS["bilateral"].apply(flat, None), flat)


# --- checks: measured on real attacks -----------------------------------------------------------

def test_png_check_always_passes(classifier, small_coffee, plain_report, robust_report, plain_run):
    for report in (plain_report, robust_report):
        assert report["png"].passed
    direct = classifier.probabilities(plain_run.final.image)
    assert plain_report["png"].target_probability == pytest.approx(float(direct[TOASTER]), abs=1e-6)
    assert plain_report.original_class == ESPRESSO


def test_plain_attack_fails_some_checks(plain_run, plain_report):
    assert plain_run.success and plain_run.distances.linf <= 2
    assert plain_report.total == len(TRANSFORMS)
    assert plain_report.passed < plain_report.total
    failed = [r for r in plain_report.results if not r.passed]
    assert all(r.top1.index != TOASTER for r in failed)


def test_robust_attack_passes_more_checks(plain_run, robust_run, plain_report, robust_report):
    """EOT buys robustness with a larger perturbation (and usually more steps)."""
    assert robust_run.success and robust_run.distances.linf <= 8
    assert robust_report.passed > plain_report.passed, (robust_report.passed, plain_report.passed)
    assert robust_run.distances.linf > plain_run.distances.linf


def test_stop_at_makes_the_criterion_stricter(classifier, small_coffee, plain_run):
    soft = run_checks(classifier, small_coffee, plain_run.final.image, target=TOASTER)
    strict = run_checks(classifier, small_coffee, plain_run.final.image, target=TOASTER, stop_at=0.999)
    assert strict.passed <= soft.passed
    assert all(r.passed == (r.top1.index == TOASTER and r.target_probability >= 0.999) for r in strict.results)


def test_untargeted_checks(classifier, small_coffee):
    report = run_checks(classifier, small_coffee, small_coffee, target=None, keys=["png", "jpeg50"])
    assert [r.key for r in report.results] == ["png", "jpeg50"]
    assert not report["png"].passed  # the clean image fools nobody
    assert math.isnan(report["png"].target_probability)
    assert json.dumps(report.as_dict())


def test_checks_refuse_mismatched_images(classifier, small_coffee):
    with pytest.raises(ValueError, match="same size"):
        run_checks(classifier, small_coffee, small_coffee[:50], target=None)


# --- other models -------------------------------------------------------------------------------

def test_lite1_and_lite2_recognise_the_photos(other_models):
    coffee = load_image(ASSETS / "coffee.png").pixels
    cat = load_image(ASSETS / "chelsea.png").pixels
    for name, model in other_models.items():
        top = model.classify(coffee, 1)[0]
        assert top.index == ESPRESSO and top.probability > 0.5, (name, top)
        probabilities = model.probabilities(cat)
        assert int(np.argmax(probabilities)) in CATS, name
        assert sum(probabilities[i] for i in CATS) > 0.5, name


def test_transfer_reports_each_other_model(other_models, small_coffee, plain_run):
    results = transfer_check(plain_run.final.image, small_coffee, TOASTER, exclude="efficientnet-lite0",
                             loader=other_models.__getitem__)
    assert [r.model for r in results] == ["efficientnet-lite1", "efficientnet-lite2"]
    for r in results:
        assert len(r.top3) == 3 and r.top3[0].probability >= r.top3[1].probability
        assert r.fooled == (r.top3[0].index == TOASTER)
        assert r.original_top1.index == ESPRESSO
        assert json.dumps(r.as_dict())


def test_transfer_skips_a_broken_or_missing_model_with_a_note(other_models, small_coffee, plain_run, tmp_path,
                                                              monkeypatch):
    """A truncated weights file on disk, or a model that is not installed, is a note beside the verdicts,
    never an exception on every result page; the broken file is never handed to the loader."""
    from app.i18n import engine_text
    from attack.models import MODELS, load_model

    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    (tmp_path / "models").mkdir()
    (tmp_path / "models" / MODELS["mobilenetv2"].weights_file).write_bytes(b"\x89HDF\r\n\x1a\n truncated")
    asked = []

    def loader(name):
        asked.append(name)
        return other_models[name] if name in other_models else load_model(name)

    results = transfer_check(plain_run.final.image, small_coffee, TOASTER, ("efficientnet-lite1", "resnet50"),
                             exclude="efficientnet-lite0", loader=loader)
    assert [r.model for r in results] == ["efficientnet-lite1"] and asked == ["efficientnet-lite1"]
    assert [(s.model, s.reason.key) for s in results.skipped] == [
        ("mobilenetv2", "model.transfer_skipped.broken"), ("resnet50", "model.transfer_skipped.missing")]
    assert str(results.skipped[0].reason) == "MobileNetV2 was not asked: its weights file on this server is not the published one."
    assert engine_text(results.skipped[1].reason, "zh") == "没有询问ResNet50：这台服务器上没有安装它。"
    assert str(tmp_path) not in " ".join(str(s.reason) for s in results.skipped)  # shown to everyone: no paths


def test_ensemble_attack_fools_both_models(classifier, other_models, small_coffee):
    from attack.running.runner import run_attack

    lite1 = other_models["efficientnet-lite1"]
    result = run_attack(classifier, small_coffee, "pgd", epsilon=4, target=TOASTER, stop_at=0.6, max_steps=60,
                        ensemble=[lite1])
    assert result.success
    assert lite1.classify(result.final.image, 1)[0].index == TOASTER


# --- the robust attack machinery ----------------------------------------------------------------

def test_random_transform_is_differentiable_and_seeded():
    import tensorflow as tf

    from attack.attacks.eot import random_transform

    image = tf.constant(np.random.default_rng(0).uniform(0, 255, (40, 50, 3)), tf.float32)
    outputs = []
    for seed in range(6):  # some draws take the (BPDA) JPEG branch, some don't
        with tf.GradientTape() as tape:
            tape.watch(image)
            out = random_transform(image, tf.constant([seed, 0]))
            value = tf.reduce_sum(out * tf.cos(tf.range(3, dtype=tf.float32)))
        gradient = tape.gradient(value, image)
        assert out.shape == image.shape and gradient is not None
        assert np.isfinite(gradient.numpy()).all() and float(tf.reduce_max(tf.abs(gradient))) > 0
        outputs.append(out.numpy())
    assert np.allclose(outputs[0], random_transform(image, tf.constant([0, 0])).numpy())
    assert not np.allclose(outputs[0], outputs[1])


def test_without_eot_or_ensemble_the_attack_is_plain(classifier):
    from attack.attacks import PGD
    from attack.attacks.eot import robust_attack

    assert type(robust_attack("pgd", classifier, epsilon=2, target=1)) is PGD
    robust = robust_attack("pgd", classifier, epsilon=2, target=1, eot_samples=2)
    assert isinstance(robust, PGD) and robust.robustness == "EOT ×2"
    with pytest.raises(ValueError, match="Unknown method"):
        robust_attack("nope", classifier, eot_samples=2)


@pytest.mark.parametrize("method", ["gradient-ascent", "fgsm", "bim", "pgd", "mi-fgsm", "apgd", "deepfool", "cw-l2"])
def test_every_method_works_with_eot(classifier, tiny, method):
    """Records keep their meaning: probabilities are the main model's at the 8-bit image."""
    from attack.catalogue import CATALOGUE
    from attack.attacks.eot import robust_attack

    target = TOASTER if CATALOGUE[method].targeted else None
    attack = robust_attack(method, classifier, epsilon=4, target=target, max_steps=2, eot_samples=2)
    records = list(attack.run(tiny))
    assert records[0].step == 0 and len(records) >= 2
    last = records[-1]
    assert last.linf <= 4
    direct = classifier.probabilities(last.image)
    assert last.original_probability == pytest.approx(float(direct[records[0].top5[0].index]), abs=1e-5)


def test_eot_runs_are_reproducible(classifier, tiny):
    from attack.attacks.eot import robust_attack

    def final():
        attack = robust_attack("pgd", classifier, epsilon=4, target=TOASTER, max_steps=3, eot_samples=3, seed=5)
        return list(attack.run(tiny))[-1].image

    assert np.array_equal(final(), final())


# --- the ε sweep --------------------------------------------------------------------------------

@pytest.fixture(scope="session")
def sweep_points(classifier, small_coffee):
    from attack.experiments.sweep import sweep

    return list(sweep(classifier, small_coffee, "pgd", [0.5, 1, 2, 4], target=TOASTER, stop_at=0.6, max_steps=40))


def test_sweep_is_monotone_in_success(sweep_points):
    success = [p.success for p in sweep_points]
    assert [p.epsilon for p in sweep_points] == [0.5, 1, 2, 4]
    assert success[0] is False and sweep_points[0].linf == 0  # below one level nothing can change
    assert success[-1] is True
    assert success == sorted(success)  # once it works at some ε it works at every larger one
    assert all(p.linf <= p.epsilon for p in sweep_points)


def test_sweep_rejects_bad_levels(classifier, small_coffee):
    from attack.experiments.sweep import parse_levels, sweep

    assert parse_levels("0.5, 1,2") == [0.5, 1.0, 2.0]
    for bad in ("", "1,two", "0,1", "-1"):
        with pytest.raises(ValueError):
            parse_levels(bad)
    with pytest.raises(ValueError):
        next(sweep(classifier, small_coffee, "pgd", [], target=TOASTER))


# --- command line -------------------------------------------------------------------------------

@pytest.fixture(scope="session")
def cli_files(tmp_path_factory, small_coffee, plain_run):
    from PIL import Image

    folder = tmp_path_factory.mktemp("cli")
    save_png(small_coffee, folder / "clean.png")
    save_png(np.asarray(Image.fromarray(small_coffee).resize((64, 43))), folder / "tiny.png")
    save_png(plain_run.final.image, folder / "adv.png")
    return folder


def _cli(capsys, *argv):
    from attack.cli.main import main

    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_check_json(capsys, cli_files):
    code, out, _ = _cli(capsys, "check", str(cli_files / "adv.png"), "--original", str(cli_files / "clean.png"),
                        "--target", "toaster", "--json")
    assert code == 0
    report = json.loads(out)
    assert report["total"] == len(TRANSFORMS) == len(report["checks"])
    assert report["passed"] == sum(c["passed"] for c in report["checks"])
    assert report["checks"][0]["key"] == "png" and report["checks"][0]["passed"] is True
    assert report["original_class"] == ESPRESSO and report["target"] == TOASTER
    assert {t["model"] for t in report["transfer"]} >= {"efficientnet-lite1", "efficientnet-lite2"}


def test_cli_check_table(capsys, cli_files):
    code, out, _ = _cli(capsys, "check", str(cli_files / "adv.png"), "--original", str(cli_files / "clean.png"),
                        "--target", "859", "--no-transfer")
    assert code == 0 and "JPEG quality 50" in out and "✓ yes" in out
    # What a row measures, in words: the target still on top, however sure; and the total in changes.
    assert "fooled? means: toaster is still the model's top answer, at any probability" in out
    assert re.search(r"still read as toaster after \d+ of 12 changes", out)
    assert "nothing to survive" not in out  # the image does fool the model


def test_cli_check_says_when_the_image_does_not_fool_the_model_at_all(capsys, cli_files):
    code, out, _ = _cli(capsys, "check", str(cli_files / "clean.png"), "--original", str(cli_files / "clean.png"),
                        "--target", "toaster", "--no-transfer")
    assert code == 0
    assert "the attack did not succeed, so there is nothing to survive" in out
    assert "still read as toaster after 0 of 12 changes" in out


@pytest.mark.parametrize("argv, message", [
    (["check", "missing.png", "--original", "clean.png"], "No such file"),
    (["check", "adv.png", "--original", str(ASSETS / "coffee.png")], "differ in size"),
    (["check", "adv.png", "--original", "clean.png", "--target", "not a class zzz"], ""),
    (["sweep", "clean.png", "--target", "toaster", "--eps", "1,x"], "ε levels"),
    (["run", "clean.png", "--target", "toaster", "--eot", "-1", "--out", "x.png"], "--eot"),
])
def test_cli_bad_input_exits_2(capsys, cli_files, monkeypatch, argv, message):
    monkeypatch.chdir(cli_files)
    code, out, err = _cli(capsys, *argv)
    assert code == 2 and message in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


def test_cli_sweep_json(capsys, cli_files):
    code, out, _ = _cli(capsys, "sweep", str(cli_files / "clean.png"), "--target", "toaster", "--eps", "0.5,2",
                        "--max-steps", "20", "--stop-at", "0.6", "--json")
    assert code == 0
    data = json.loads(out)
    assert [p["epsilon"] for p in data["points"]] == [0.5, 2.0]
    assert data["points"][0]["success"] is False and data["points"][0]["linf"] == 0
    assert {"success", "steps", "seconds", "target_probability", "linf", "top1_label"} <= set(data["points"][1])


def test_cli_run_with_eot_and_ensemble(capsys, cli_files):
    out_file = cli_files / "robust.png"
    code, out, _ = _cli(capsys, "run", str(cli_files / "tiny.png"), "--target", "toaster", "--eps", "4",
                        "--eot", "1", "--ensemble", "efficientnet-lite1", "--max-steps", "2", "--quiet",
                        "--out", str(out_file), "--json")
    assert code == 0 and out_file.exists()
    summary = json.loads(out)
    assert summary["steps"] <= 2 and summary["linf"] <= 4 and summary["width"] == 64
