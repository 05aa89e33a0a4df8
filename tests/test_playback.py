"""Stop keeps the best step (RunHistory.best, runner.finish) and the watchable replay of fast runs
(app/playback.py), which draws the run's own recorded steps and never calls the model."""
from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pytest

from attack.datatypes import StepRecord
from attack.running.history import RunHistory
from attack.datatypes import top_k


def record(step: int, p: float, original: np.ndarray, *, success: bool = False, target: bool = True) -> StepRecord:
    probabilities = np.full(1000, (1 - p) / 999)
    probabilities[859] = p
    image = np.clip(original.astype(int) + step % 3, 0, 255).astype(np.uint8)
    return StepRecord(step=step, loss=p, target_probability=p if target else math.nan,
                      original_probability=1 - p, top5=top_k(probabilities), image=image, original=original,
                      gradient_linf=1e-6 * (step + 1), elapsed=0.01 * step, success=success)


@pytest.fixture
def original():
    return np.random.default_rng(0).integers(0, 250, (12, 16, 3), dtype=np.uint8)


# --- Stop keeps the best -------------------------------------------------------------------------------
def test_history_keeps_the_step_closest_to_the_goal(original):
    history = RunHistory(max_frames=4)
    for step, p in enumerate([0.01, 0.2, 0.55, 0.3] + [0.1] * 20):
        history.add(record(step, p, original))
    assert history.best.step == 2 and history.last.step == 23
    assert 2 in history.frames and np.array_equal(history.frames[2], history.best.image)  # kept through thinning
    assert len(history.frames) <= 6  # the budget, plus the first, the latest and the best


def test_success_outranks_probability_and_untargeted_uses_the_original_class(original):
    history = RunHistory()
    history.add(record(0, 0.7, original))
    history.add(record(1, 0.65, original, success=True))
    assert history.best.step == 1
    untargeted = RunHistory()
    for step, p in enumerate([0.1, 0.6, 0.4]):  # target probability NaN: 1 − p(original) decides
        untargeted.add(record(step, p, original, target=False))
    assert untargeted.best.step == 1


def test_a_missed_run_keeps_a_step_that_reads_as_the_target_over_a_likelier_one(original):
    def spread(step: int, target: float, rival: float) -> StepRecord:
        probabilities = np.full(1000, (1 - target - rival) / 998)
        probabilities[859], probabilities[341] = target, rival  # toaster against a hog
        return StepRecord(step=step, loss=target, target_probability=target, original_probability=rival,
                          top5=top_k(probabilities), image=original, original=original, gradient_linf=1.0,
                          elapsed=0.0, success=False)

    history = RunHistory()
    for step, (target, rival) in enumerate([(0.05, 0.9), (0.40, 0.35), (0.45, 0.50), (0.30, 0.60)]):
        history.add(spread(step, target, rival))
    assert history.best.step == 1  # toaster on top at 40 %, not the 45 % that still reads "hog"
    untargeted = RunHistory()
    for step, (other, hog) in enumerate([(0.10, 0.85), (0.40, 0.35), (0.35, 0.30), (0.10, 0.25)]):
        untargeted.add(replace(spread(step, other, hog), target_probability=math.nan))
    # Lowest p(hog) is step 3, but the hog is still on top there (the rest spread thin); step 2 reads as something else.
    assert untargeted.best.step == 2


def test_finish_verifies_the_best_step_not_the_last(classifier, small_coffee):
    from attack.inputs import images
    from attack.running.runner import finish

    history = RunHistory()
    for step, p in enumerate([0.01, 0.4, 0.1]):
        history.add(record(step, p, small_coffee))
    result = finish(classifier, "pgd", 2.0, 859, 0.9, history)
    assert result.kept_step == 1 and result.last_step == 2 and result.final is history.best
    assert np.array_equal(images.load_image(result.verification.png).pixels, history.best.image)
    assert result.seconds == history.last.elapsed  # time spent in all, not up to the kept step


def test_lab_stop_keeps_the_best_step(classifier, small_coffee):
    from app.lab import live
    from attack.settings import AttackSettings as LabSettings
    from attack.attacks import make_attack

    settings = LabSettings(max_steps=50, stop_at=0.99, epsilon=0.5)
    attack = make_attack(settings.method, classifier, **settings.attack_kwargs())
    run = live.LabRun(settings=settings, image_key="k", image_label="k", classifier=classifier,
                      records=attack.run(small_coffee), history=RunHistory())
    for step in range(6):
        run.history.add(next(run.records))
    live.request_stop(run)
    live.conclude(run, "stopped")
    p = np.asarray(run.history.target_probability)
    best = int(np.flatnonzero(p == p.max())[-1])  # equal probabilities: the later step
    assert run.result.kept_step == best and run.result.last_step == 5
    assert run.result.verification.target_probability == pytest.approx(run.history.target_probability[best], abs=1e-6)


# --- watchable replay ------------------------------------------------------------------------------
class Recorder:
    def __init__(self):
        self.drawn = []

    def draw(self, moment, rec) -> None:
        self.drawn.append((moment, rec))


@pytest.fixture
def finished_run(classifier, small_coffee):
    from app.lab import live
    from attack.settings import AttackSettings as LabSettings
    from attack.attacks import make_attack

    settings = LabSettings(max_steps=30, stop_at=0.9, epsilon=2.0)
    attack = make_attack(settings.method, classifier, **settings.attack_kwargs())
    run = live.LabRun(settings=settings, image_key="k", image_label="k", classifier=None,
                      records=attack.run(small_coffee), history=RunHistory())
    for rec in run.records:
        run.history.add(rec)
    run.status = "done"
    run.wall_seconds = 0.5
    return run


def test_playback_draws_recorded_steps_without_calling_the_model(finished_run, monkeypatch):
    from app import playback
    from attack.attacks import losses
    from attack.models import classifier as classifier_module

    def forbidden(*args, **kwargs):
        raise AssertionError("playback called the model")

    monkeypatch.setattr(classifier_module.Classifier, "probabilities", forbidden)
    monkeypatch.setattr(classifier_module.Classifier, "logits", forbidden)
    monkeypatch.setattr(losses, "gradient_function", forbidden)
    history, view, pauses = finished_run.history, Recorder(), []
    assert playback.too_fast(finished_run)
    steps = playback.play(finished_run, view, sleep=pauses.append)
    assert steps == sorted(history.frames) and steps[0] == 0 and steps[-1] == history.last.step
    for (moment, rec), step in zip(view.drawn, steps):
        i = history.steps.index(step)
        assert rec.step == step and rec.top5 == history.top5[i]
        assert rec.target_probability == history.target_probability[i]
        assert rec.image is history.frames[step]  # the recorded frame itself, not a recomputed one
        assert moment.history.steps == history.steps[: i + 1]  # the curve as it stood at that step
    assert pauses == [pytest.approx(1 / playback.PACE)] * (len(steps) - 1)


def test_schedule_keeps_long_replays_short_and_slow_runs_live(finished_run):
    from app import playback

    steps, pause = playback.schedule(list(range(200)))
    assert steps[0] == 0 and steps[-1] == 199 and len(steps) <= playback.PACE * playback.MAX_SECONDS + 1
    assert pause * (len(steps) - 1) <= playback.MAX_SECONDS
    assert playback.schedule([0, 1, 2])[0] == [0, 1, 2]
    finished_run.wall_seconds = playback.WATCHABLE_SECONDS + 1
    assert playback.too_fast(finished_run)  # slow, but the panel showed only a frame or two (a compile)
    finished_run.redraws = 40
    assert not playback.too_fast(finished_run)  # a long run, drawn often, was watchable live
