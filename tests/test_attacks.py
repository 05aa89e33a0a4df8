"""Every attack on a real photo: success within a stated budget, the ε box and the 8-bit grid
checked on the saved file, determinism, and the one-record-per-step generator contract."""
from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest

from attack.inputs import images
from attack.attacks import METHODS, make_attack
from attack.catalogue import CATALOGUE
from attack.running.history import RunHistory
from attack.running.runner import run_attack

TOASTER = 859

# method, settings, step budget — each measured to succeed well inside its budget on small_coffee.
CASES = [
    ("pgd", dict(epsilon=2, target=TOASTER), 40),
    ("bim", dict(epsilon=2, target=TOASTER), 40),
    ("mi-fgsm", dict(epsilon=2, target=TOASTER), 40),
    ("apgd", dict(epsilon=2, target=TOASTER), 40),
    ("apgd-eps1", dict(epsilon=1, target=TOASTER), 100),
    ("cw-l2", dict(epsilon=4, target=TOASTER), 80),
    ("gradient-ascent", dict(epsilon=8, target=TOASTER, step_size=300), 80),
    ("deepfool", dict(epsilon=4, target=None), 40),
    ("fgsm", dict(epsilon=8, target=None), 1),
]


@pytest.mark.parametrize("method,settings,budget", CASES, ids=[c[0] for c in CASES])
def test_method_succeeds_and_the_saved_png_is_what_fools_the_model(classifier, small_coffee, tmp_path,
                                                                    method, settings, budget):
    method = method.split("-eps")[0]
    result = run_attack(classifier, small_coffee, method, max_steps=budget, stop_at=0.6, **settings)
    assert result.final.success and result.kept_step <= budget
    path = tmp_path / "adv.png"
    path.write_bytes(result.verification.png)
    saved = images.load_image(path).pixels
    assert saved.shape == small_coffee.shape and saved.dtype == np.uint8
    delta = saved.astype(int) - small_coffee.astype(int)
    assert np.abs(delta).max() <= settings["epsilon"]
    assert np.abs(delta).max() > 0
    probabilities = classifier.probabilities(saved)
    if settings["target"] is None:
        assert probabilities.argmax() != result.original.index
    else:
        assert probabilities.argmax() == TOASTER and probabilities[TOASTER] >= 0.6
    assert result.verification.success


def test_records_are_exactly_what_the_png_says(classifier, small_coffee):
    """Straight-through rounding: a record's probabilities are those of its own uint8 image."""
    for record in make_attack("pgd", classifier, epsilon=2, target=TOASTER, max_steps=3).run(small_coffee):
        decoded = images.load_image(images.encode_png(record.image)).pixels
        reread = classifier.probabilities(decoded)
        assert abs(reread[TOASTER] - record.target_probability) < 1e-4
        assert abs(reread[record.top5[0].index] - record.top5[0].probability) < 1e-4


def test_fractional_epsilon_rounds_down_to_whole_levels(classifier, small_coffee):
    """ε = 1.275 (the tutorial's 0.01 on [-1, 1]) allows changes of one level, never two."""
    records = list(make_attack("bim", classifier, epsilon=1.275, target=TOASTER, max_steps=6,
                               step_size=1.0).run(small_coffee))
    assert max(r.linf for r in records) == 1


def test_epsilon_below_one_level_cannot_change_the_image(classifier, small_coffee):
    records = list(make_attack("pgd", classifier, epsilon=0.5, target=TOASTER, max_steps=3).run(small_coffee))
    assert all(r.linf == 0 for r in records) and not records[-1].success


def test_adversarial_keeps_the_input_resolution(classifier, coffee):
    result = run_attack(classifier, coffee, "bim", epsilon=2, target=TOASTER, max_steps=2)
    assert result.final.image.shape == coffee.shape == (400, 600, 3)


def test_one_record_per_step_numbered_from_zero(classifier, small_coffee):
    records = list(make_attack("bim", classifier, epsilon=1, target=TOASTER, max_steps=4,
                               stop_at=0.99).run(small_coffee))
    assert [r.step for r in records] == [0, 1, 2, 3, 4]
    assert records[0].linf == 0 and not records[0].success
    assert all(b.elapsed >= a.elapsed for a, b in zip(records, records[1:]))


def test_the_consumer_stops_the_attack_by_not_asking(classifier, small_coffee):
    attack = make_attack("pgd", classifier, epsilon=2, target=TOASTER, max_steps=50, stop_at=0.99)
    generator = attack.run(small_coffee)
    taken = [next(generator) for _ in range(3)]
    generator.close()
    assert [r.step for r in taken] == [0, 1, 2]
    with pytest.raises(StopIteration):
        next(generator)


def test_stops_at_the_first_successful_step(classifier, small_coffee):
    records = list(make_attack("pgd", classifier, epsilon=2, target=TOASTER, max_steps=40).run(small_coffee))
    assert records[-1].success and not any(r.success for r in records[:-1])


def test_records_are_immutable(classifier, small_coffee):
    record = next(make_attack("pgd", classifier, epsilon=2, target=TOASTER).run(small_coffee))
    with pytest.raises(dataclasses.FrozenInstanceError):
        record.step = 5
    with pytest.raises(ValueError):
        record.image[0, 0, 0] = 1
    assert math.isnan(next(make_attack("pgd", classifier, epsilon=2).run(small_coffee)).target_probability)


def test_pgd_is_deterministic_for_a_seed(classifier, small_coffee):
    def final(seed):
        records = list(make_attack("pgd", classifier, epsilon=4, target=TOASTER, max_steps=3, seed=seed,
                                   stop_at=0.99).run(small_coffee))
        return records[-1].image

    assert np.array_equal(final(7), final(7))
    assert not np.array_equal(final(7), final(8))


def test_the_tutorial_method_barely_moves_at_the_tutorial_learning_rate(classifier, small_coffee):
    """Faithful to the tutorial: lr 0.1 on [-1, 1] against a ~1e-5 probability gradient."""
    records = list(make_attack("gradient-ascent", classifier, epsilon=1.275, target=TOASTER,
                               max_steps=5).run(small_coffee))
    assert records[-1].linf <= 1 and not records[-1].success
    assert max(r.gradient_linf for r in records) < 1e-3


@pytest.mark.parametrize("method,settings,message", [
    ("deepfool", dict(target=TOASTER), "untargeted"),
    ("gradient-ascent", dict(target=None), "target"),
    ("pgd", dict(epsilon=0), "ε"),
    ("pgd", dict(max_steps=0), "step"),
    ("pgd", dict(stop_at=1.0), "stop-at"),
    ("pgd", dict(loss="hinge"), "loss"),
    ("pgd", dict(step_size=-1), "step size"),
    ("nonsense", dict(), "Unknown method"),
])
def test_bad_settings_are_clear_errors(classifier, method, settings, message):
    with pytest.raises(ValueError, match=message):
        make_attack(method, classifier, **settings)


def test_every_method_is_in_the_catalogue():
    assert set(METHODS) == {"gradient-ascent", "fgsm", "bim", "pgd", "mi-fgsm", "apgd", "deepfool", "cw-l2", "square",
                            "jsma"}
    assert all(cls.name == name and CATALOGUE[name].load() is cls for name, cls in METHODS.items())


def test_history_keeps_every_scalar_and_a_bounded_set_of_frames(classifier, small_coffee):
    history = RunHistory(max_frames=8)
    for record in make_attack("bim", classifier, epsilon=1, target=TOASTER, max_steps=30,
                              stop_at=0.99).run(small_coffee):
        history.add(record)
    assert len(history) == 31 and history.steps == list(range(31))
    assert len(history.frames) <= 8 and 0 in history.frames and 30 in history.frames
    step, frame = history.frame_at(17)
    assert step <= 17 and frame.shape == small_coffee.shape
