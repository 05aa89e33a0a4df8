"""The field benchmark's photo set rules (bench/field_data.py), on a folder of empty stand-in files:
the held-out fifth, the tuning 800, and the seeded random targets every contender shares."""
from __future__ import annotations

import pytest

from bench.field_data import ALL, HELD_OUT, TUNING, photos, random_target, subset


@pytest.fixture
def folder(tmp_path):
    # WordNet-id names sort like the real set's; the files are never opened by these rules.
    for i in range(1000):
        (tmp_path / f"n{10_000_000 + i * 7:08d}_class{i}.JPEG").touch()
    (tmp_path / "README.md").touch()  # not a photo
    return tmp_path


def test_the_held_out_fifth_is_the_classes_divisible_by_five(folder):
    held, tuning, everything = photos(folder, HELD_OUT), photos(folder, TUNING), photos(folder, ALL)
    assert len(held) == 200 and len(tuning) == 800 and len(everything) == 1000
    assert all(p.label % 5 == 0 for p in held) and all(p.label % 5 for p in tuning)
    assert [p.label for p in everything] == list(range(1000))
    assert everything[123].name == "n10000861_class123"  # a file's position in name order is its class


def test_a_folder_that_is_not_the_set_is_refused(tmp_path):
    (tmp_path / "n00000001_a.JPEG").touch()
    with pytest.raises(SystemExit, match="expected the 1000 photos"):
        photos(tmp_path)


def test_random_targets_are_seeded_never_the_photo_own_class_and_cover_the_classes(folder):
    everything = photos(folder, ALL)
    targets = [random_target(p) for p in everything]
    assert targets == [random_target(p) for p in everything]  # the same for every contender
    assert all(t != p.label and 0 <= t < 1000 for t, p in zip(targets, everything))
    assert len(set(targets)) > 500  # spread over the classes, not one favourite
    assert [random_target(p, seed=1) for p in everything] != targets


def test_a_subset_is_seeded_and_kept_in_class_order(folder):
    held = photos(folder, HELD_OUT)
    chosen = subset(held, 20, seed=3)
    assert chosen == subset(held, 20, seed=3) and len(chosen) == 20
    assert [p.label for p in chosen] == sorted(p.label for p in chosen)
    assert subset(held, None) == held and subset(held, 500) == held


def test_the_engine_contender_runs_and_is_judged_on_the_saved_png():
    """bench_field's engine path on a tiny model: every result within ε, judged by the one PNG judge."""
    import numpy as np

    from attack.attacks import Goal
    from bench.bench_field import judge, run_engine
    from tests.conftest import tiny_classifier

    classifier = tiny_classifier()
    rng = np.random.default_rng(0)
    pictures = [rng.integers(0, 256, (32, 32, 3), dtype=np.uint8) for _ in range(2)]
    truths = [int(np.argmax(classifier.probabilities(p))) for p in pictures]
    results = run_engine(classifier, "apgd", pictures, truths, False, 16.0, 30)
    assert len(results) == 2
    for (image, steps, seconds, claimed), picture, truth in zip(results, pictures, truths):
        assert np.abs(np.round(image).astype(int) - picture.astype(int)).max() <= 16
        assert 0 <= steps <= 30 and seconds >= 0
        assert judge(classifier, image, picture, Goal(truth, None, None), 16.0) == claimed
