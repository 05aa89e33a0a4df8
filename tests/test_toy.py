"""The toys of the "How it works" page: the tutorial's x² + 2 and the 2-D boundary push."""
from __future__ import annotations

import numpy as np
import pytest

from attack.experiments import toy


@pytest.fixture(scope="module")
def boundary():
    data = toy.make_points(seed=0)
    return data, toy.train_logistic(data)


@pytest.mark.parametrize("start", [1.0, 10.0, 5.5] + [toy.random_start(seed) for seed in range(6)])
def test_descent_reaches_the_minimum_within_25_steps(start):
    run = toy.descend(start, 0.1)
    assert run.outcome == "converged"
    assert run.count <= 25
    assert run.last.fx < 2.01
    assert all(abs(s.fx - 2) > 0.01 for s in run.steps[:-1])  # it stops at the first step that is close enough


def test_descent_from_ten_takes_about_twenty_steps():
    assert 18 <= toy.descend(10.0, 0.1).count <= 22


def test_each_step_is_x_minus_lr_times_slope():
    run = toy.descend(7.0, 0.1)
    for before, after in zip(run.steps, run.steps[1:]):
        assert after.x == pytest.approx(before.x - 0.1 * 2 * before.x)
        assert after.fx == pytest.approx(after.x**2 + 2)


def test_random_start_is_seeded_and_in_range():
    starts = [toy.random_start(seed) for seed in range(50)]
    assert all(1 <= s <= 10 for s in starts)
    assert toy.random_start(3) == toy.random_start(3)
    assert len(set(starts)) == 50


@pytest.mark.parametrize("start", [1.0, 4.2, 10.0])
def test_learning_rate_above_one_diverges(start):
    run = toy.descend(start, 1.1)
    assert run.outcome == "diverged"
    xs = [abs(s.x) for s in run.steps]
    assert all(b > a for a, b in zip(xs, xs[1:]))  # |x| grows every step
    assert run.last.fx > run.steps[0].fx


@pytest.mark.parametrize("learning_rate", [0.55, 0.7, 0.9, 0.99])
def test_learning_rate_between_half_and_one_oscillates(learning_rate):
    run = toy.descend(6.0, learning_rate)
    xs = [s.x for s in run.steps]
    assert len(xs) >= 3
    assert all(a * b < 0 for a, b in zip(xs, xs[1:]))  # the sign alternates
    assert all(abs(b) < abs(a) for a, b in zip(xs, xs[1:]))  # ... while closing in
    if learning_rate <= 0.9:
        assert run.outcome == "converged"


def test_tiny_learning_rate_runs_out_of_steps():
    run = toy.descend(10.0, 0.01)
    assert run.outcome == "max-steps"
    assert run.count == toy.MAX_STEPS
    assert 1.0 < run.last.x < 10.0  # still creeping down the same side


def test_ascent_increases_f():
    run = toy.descend(3.0, 0.1, ascent=True)
    fs = [s.fx for s in run.steps]
    assert all(b > a for a, b in zip(fs, fs[1:]))
    assert run.outcome == "escaped"
    assert abs(run.last.x) > toy.ESCAPE


def test_boundary_separates_the_training_points(boundary):
    data, model = boundary
    assert model.accuracy(data) >= 0.95
    assert len(data.labels) == 2 * toy.POINTS_PER_CLASS
    assert model.predict(np.array(toy.CLASS_CENTRES)).tolist() == [0, 1]


def test_points_are_seeded():
    assert np.array_equal(toy.make_points(1).points, toy.make_points(1).points)
    assert not np.array_equal(toy.make_points(1).points, toy.make_points(2).points)


@pytest.mark.parametrize("method", toy.METHODS)
def test_default_push_crosses_within_the_stated_steps_inside_the_box(boundary, method):
    _, model = boundary
    start = np.array(toy.DEFAULT_POINT)
    assert model.predict(start[None])[0] == 0
    push = toy.push_across(model, start, method=method)
    assert push.crossed
    assert model.predict(push.path[-1][None])[0] == 1
    assert model.predict(push.path[:-1]).tolist() == [0] * push.steps  # it stops at the first step across
    stated = toy.steps_needed(model, start, toy.DEFAULT_STEP_SIZE, method)
    assert push.steps <= stated
    assert np.abs(push.path - start).max() <= toy.DEFAULT_EPSILON + 1e-12
    if method == "sign":
        assert push.steps == stated  # a sign step changes the logit by exactly step · ‖w‖₁ until clipped


def test_push_starting_on_the_other_side_goes_the_other_way(boundary):
    _, model = boundary
    push = toy.push_across(model, (1.5, 0.8))
    assert push.start_class == 1 and push.crossed
    assert push.probabilities[-1] < 0.5 < push.probabilities[0]


@pytest.mark.parametrize("method", toy.METHODS)
def test_too_small_epsilon_does_not_cross(boundary, method):
    _, model = boundary
    needed = model.linf_distance(toy.DEFAULT_POINT)
    push = toy.push_across(model, toy.DEFAULT_POINT, epsilon=0.8 * needed, method=method)
    assert not push.crossed
    assert np.abs(push.path - np.array(toy.DEFAULT_POINT)).max() <= 0.8 * needed + 1e-12
    assert model.predict(push.path).tolist() == [0] * len(push.path)


def test_epsilon_just_above_the_linf_distance_crosses(boundary):
    _, model = boundary
    needed = model.linf_distance(toy.DEFAULT_POINT)
    assert toy.push_across(model, toy.DEFAULT_POINT, epsilon=needed * 1.02, step_size=0.05,
                           max_steps=200).crossed


def test_unknown_method_is_refused(boundary):
    with pytest.raises(ValueError):
        toy.push_across(boundary[1], (0, 0), method="newton")
