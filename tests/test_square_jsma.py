"""Square Attack (black-box, queries only) and JSMA (L0): success on the bundled samples, verified on the
saved PNG, and the properties that make each what it claims to be.

Budgets stated here (measured on this 2-core CPU, Lite0, stop at 0.6):
- Square, untargeted, ε = 4: every bundled sample within 1,000 queries (measured 1–560).
- Square, targeted small espresso → toaster, ε = 16: within 1,000 queries (measured 533).
- JSMA, untargeted, 8 pairs a step: every bundled sample within 100 steps (measured 11–61) with
  L0 ≤ 2.5 % of the pixels (measured 0.4–1.6 %); targeted toward the small espresso's runner-up class
  (eggnog) within 100 steps, L0 ≤ 5 % (measured 46 steps, 2.0 %). Toward the toaster the same photo
  needs 185 steps of 16 pairs and 12.7 % of its 150 × 100 pixels: the bench measures that, not the tests.
"""
from __future__ import annotations

import json
import math

import numpy as np
import pytest
import tensorflow as tf

from attack.inputs import images
from attack.attacks import make_attack
from attack.catalogue import CATALOGUE
from attack.cli.main import main
from attack.running.records import result_json
from attack.running.runner import run_attack
from conftest import ASSETS

SAMPLES = ["astronaut.png", "chelsea.png", "coffee.png", "grace_hopper.jpg", "rocket.jpg"]
TOASTER = 859


def sample(name: str) -> np.ndarray:
    return images.load_image(ASSETS / name).pixels


class BlackBox:
    """All a black-box attacker may touch: probabilities for images, counted. No logits, no network."""

    def __init__(self, classifier):
        self._classifier, self.input_size, self.name = classifier, classifier.input_size, classifier.name
        self.images_queried = 0

    def probabilities(self, image):
        self.images_queried += 1
        return self._classifier.probabilities(image)

    def same_size_probabilities(self, batch):
        self.images_queried += len(batch)
        return self._classifier.same_size_probabilities(batch)


def twin_of(classifier):
    """The same network under another name: a surrogate whose adversarial images transfer perfectly."""
    from attack.models.classifier import Classifier

    return Classifier("twin", "twin", classifier.network, classifier.input_size, classifier._preprocess)


# --- Square ------------------------------------------------------------------------------------
def test_square_never_touches_gradients_and_counts_every_query(classifier, small_coffee, monkeypatch):
    import attack.attacks.base as base
    import attack.attacks.losses as losses

    def forbidden(*args, **kwargs):
        raise AssertionError("Square asked for a gradient")

    monkeypatch.setattr(tf, "GradientTape", forbidden)
    monkeypatch.setattr(losses, "gradient_function", forbidden)
    monkeypatch.setattr(base, "objectives", forbidden)  # the batched step's losses and gradients
    box = BlackBox(classifier)
    records = list(make_attack("square", box, epsilon=4, target=None, max_steps=30, stop_at=0.99).run(small_coffee))
    assert records[-1].queries == 30 == records[-1].step  # the budget counts queries, exactly
    assert box.images_queried == 31  # + the clean image's classification (record 0, not counted)
    assert [r.queries for r in records[:3]] == [0, 1, 5]  # clean, the stripes, then a batch of 4
    assert all(math.isnan(r.gradient_linf) for r in records)
    assert all(r.linf <= 4 for r in records)


@pytest.mark.parametrize("name", SAMPLES)
def test_square_untargeted_eps4_fools_each_sample_within_1000_queries(classifier, name):
    result = run_attack(classifier, sample(name), "square", epsilon=4, target=None, max_steps=1000, stop_at=0.6)
    assert result.success, (name, result.verification.top5[0])  # runner.verify on the saved PNG
    assert result.final.queries <= 1000 and result.distances.linf <= 4


def test_square_targeted_reaches_toaster_on_a_small_photo(classifier, small_coffee):
    result = run_attack(classifier, small_coffee, "square", epsilon=16, target=TOASTER, max_steps=1000,
                        stop_at=0.6)
    assert result.success and result.verification.top5[0].index == TOASTER
    assert result.distances.linf <= 16 and result.final.queries <= 1000


def test_square_is_on_the_grid_below_one_level_and_reentrant(classifier, small_coffee):
    # ε < 1: no 8-bit image differs from the original, so the run is the clean record alone.
    (only,) = make_attack("square", classifier, epsilon=0.5, target=None, max_steps=50).run(small_coffee)
    assert only.queries == 0 and only.linf == 0
    # ε = 2.7 moves values by whole levels only: floor(ε) = 2.
    last = list(make_attack("square", classifier, epsilon=2.7, target=None, max_steps=9,
                            stop_at=0.99).run(small_coffee))[-1]
    assert set(np.unique(np.abs(last.perturbation))) <= {0, 1, 2}
    # One attack object drives two interleaved runs exactly like two separate ones.
    attack = make_attack("square", classifier, epsilon=4, target=None, max_steps=13, stop_at=0.99, seed=3)
    flipped = np.ascontiguousarray(small_coffee[:, ::-1])
    a, b = attack.run(small_coffee), attack.run(flipped)
    interleaved = [(ra.image, rb.image) for ra, rb in zip(a, b)]
    alone_a = [r.image for r in attack.run(small_coffee)]
    alone_b = [r.image for r in attack.run(flipped)]
    assert all(np.array_equal(x, y) for (x, _), y in zip(interleaved, alone_a))
    assert all(np.array_equal(x, y) for (_, x), y in zip(interleaved, alone_b))


def test_square_starts_where_a_surrogate_leads_and_still_only_queries_the_target(classifier, small_coffee):
    from attack.attacks.eot import robust_attack

    # The twin transfers perfectly, so the first query should already fool the target, while the
    # target itself is only ever queried (BlackBox).
    twin, box = twin_of(classifier), BlackBox(classifier)
    attack = robust_attack("square", box, ensemble=[twin, box], epsilon=4, target=None, max_steps=50, stop_at=0.6)
    assert [m.name for m in attack.surrogates] == ["twin"]  # the target is never its own surrogate
    records = list(attack.run(small_coffee))
    assert records[-1].success and records[-1].queries == 1 == box.images_queried - 1
    start = records[1].perturbation.astype(np.int16)
    at_edge = (small_coffee < 4) | (small_coffee > 251)  # where clipping to [0, 255] shortens the corner
    assert np.all(np.abs(start[~at_edge]) == 4)  # every pixel at a corner of the ε box, as Square's moves
    assert np.abs(start).max() <= 4
    # Without the surrogate, the stripes: the same photo is not fooled at the first query.
    plain = list(make_attack("square", classifier, epsilon=4, target=None, max_steps=1, stop_at=0.6).run(small_coffee))
    assert not plain[-1].success


def test_the_surrogates_make_square_reach_a_target_sooner(classifier, small_coffee):
    settings = dict(epsilon=16, target=TOASTER, max_steps=1000, stop_at=0.6)
    helped = run_attack(classifier, small_coffee, "square", ensemble=[twin_of(classifier)], **settings)
    assert helped.success and helped.verification.top5[0].index == TOASTER
    plain = run_attack(classifier, small_coffee, "square", **settings)
    assert helped.final.queries < plain.final.queries


def test_square_refuses_eot_with_a_sentence(classifier, small_coffee):
    with pytest.raises(ValueError, match="EOT") as refused:
        run_attack(classifier, small_coffee, "square", target=None, eot_samples=2)
    assert "--ensemble models are allowed" in str(refused.value)  # they are its surrogates


def test_cli_square_json_reports_queries(capsys, classifier, small_coffee, tmp_path):
    from PIL import Image

    path, out = tmp_path / "coffee.png", tmp_path / "adv.png"
    Image.fromarray(small_coffee).save(path)
    assert main(["run", str(path), "--method", "square", "--untargeted", "--eps", "4", "--max-steps", "21",
                 "--stop-at", "0.99", "--out", str(out), "--json", "--quiet"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["method"] == "square" and report["queries"] == 21 == report["steps"]
    assert report["linf"] <= 4 and out.exists()
    # Gradient methods say null: they make no queries in this sense.
    fgsm = run_attack(classifier, small_coffee, "fgsm", target=None)
    assert result_json(fgsm, None)["queries"] is None


# --- JSMA --------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", SAMPLES)
def test_jsma_untargeted_fools_each_sample_changing_few_pixels(classifier, name):
    pixels = sample(name)
    result = run_attack(classifier, pixels, "jsma", target=None, max_steps=100, stop_at=0.6)
    assert result.success, (name, result.verification.top5[0])  # on the saved PNG
    assert result.kept_step <= 100
    assert result.distances.l0_fraction <= 0.025, result.distances.l0
    assert result.final.l0 == result.distances.l0


def test_jsma_changes_values_all_the_way_in_whole_cells(classifier, coffee):
    # The 600 × 400 photo maps onto the 224-cell model grid: cells of 2-3 pixels a side.
    records = list(make_attack("jsma", classifier, target=TOASTER, max_steps=3, stop_at=0.99,
                               step_size=2).run(coffee))
    final = records[-1]
    changed = final.image != final.original
    assert np.isin(final.image[changed], (0, 255)).all()  # each change goes as far as it goes
    assert [r.l0 for r in records] == sorted(r.l0 for r in records) and records[0].l0 == 0
    # 3 steps × 2 pairs = 12 cell-channels at most; a cell here is at most 2 × 3 pixels.
    assert 0 < final.l0 <= 12 * 2 * 3
    assert final.linf == int(np.abs(final.perturbation).max()) > 100


def test_jsma_targeted_reaches_the_runner_up_class(classifier, small_coffee):
    runner_up = classifier.classify(small_coffee, 2)[1].index  # eggnog for this espresso
    result = run_attack(classifier, small_coffee, "jsma", target=runner_up, max_steps=100, stop_at=0.5)
    assert result.success and result.verification.top5[0].index == runner_up
    assert result.distances.l0_fraction <= 0.05  # measured 2.0 % in 46 steps


def test_jsma_is_reentrant_and_ignores_epsilon(classifier, small_coffee):
    attack = make_attack("jsma", classifier, target=None, max_steps=4, stop_at=0.99)
    flipped = np.ascontiguousarray(small_coffee[::-1])
    pairs = list(zip(attack.run(small_coffee), attack.run(flipped)))
    assert all(np.array_equal(a.image, b.image) for (a, _), b in zip(pairs, attack.run(small_coffee)))
    assert all(np.array_equal(a.image, b.image) for (_, a), b in zip(pairs, attack.run(flipped)))
    other_eps = make_attack("jsma", classifier, target=None, max_steps=4, stop_at=0.99, epsilon=16)
    assert np.array_equal(list(other_eps.run(small_coffee))[-1].image, pairs[-1][0].image)
    assert not CATALOGUE["jsma"].uses_epsilon and CATALOGUE["jsma"].l0


def test_sweep_refuses_jsma(classifier, small_coffee):
    from attack.experiments.sweep import sweep

    with pytest.raises(ValueError, match="does not use ε"):
        next(sweep(classifier, small_coffee, "jsma", [1, 2], target=None))
