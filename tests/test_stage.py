"""On stage (issue 18): a replay continues from the live drawing, a failed run's verdict counts the steps the
replay shows and gives no ε advice to a method that ignores ε, the heatmap's scale covers the actual L∞,
and long class names no longer squeeze the top-5 chart."""
from __future__ import annotations

from types import SimpleNamespace

import numpy as np

from attack.running.history import RunHistory
from attack.models import Prediction
from attack.settings import AttackSettings
from test_playback import original, record  # noqa: F401 (a fixture)


def finished_run(original, steps: int = 7):
    history = RunHistory()
    for step in range(steps):
        history.add(record(step, 0.1 * step, original))
    return SimpleNamespace(history=history, settings=AttackSettings(), id=1)


def test_a_replay_continues_from_the_step_the_live_panel_showed(original):
    from app import playback

    run, drawn, pauses = finished_run(original), [], []
    view = SimpleNamespace(draw=lambda moment, rec: drawn.append((rec.step, moment.history.last.step)))
    steps = playback.play(run, view, sleep=pauses.append, after=3)
    assert steps == [4, 5, 6] and [d[0] for d in drawn] == [4, 5, 6]  # no restart at step 0
    assert all(step == last for step, last in drawn)  # the curve's counters in step with the picture
    assert len(pauses) == 3  # a pause before the first as well: step 3 was just drawn live


def test_a_replay_after_the_last_step_draws_nothing(original):
    from app import playback

    run, drawn = finished_run(original), []
    assert playback.play(run, SimpleNamespace(draw=lambda m, r: drawn.append(r.step)), sleep=lambda _: None,
                         after=6) == [] and drawn == []


def failed(method: str, *, steps: int, last: int, epsilon: float = 2.0):
    cow, banana = Prediction(345, "ox", 0.61), Prediction(954, "banana", 0.01)
    result = SimpleNamespace(verification=SimpleNamespace(top5=(cow, banana), original_probability=0.61),
                             original=cow, final=SimpleNamespace(queries=None), kept_step=steps, last_step=last)
    return result, AttackSettings(method=method, target=954, epsilon=epsilon, max_steps=200)


def test_jsma_advice_never_asks_for_a_larger_epsilon():
    from app.lab.result import failure_text

    text = failure_text(*failed("jsma", steps=197, last=200))
    assert "larger ε" not in text and "ignores ε" in text, text
    assert "after 200 steps" in text and "step 197" in text, text  # the count the replay shows, then the kept step
    assert "Try a larger ε" in failure_text(*failed("pgd", steps=50, last=50))


def test_the_heatmap_scale_covers_the_actual_linf():
    from app import figures

    delta = np.zeros((20, 20, 3), np.int16)
    delta[3, 4] = 253  # JSMA moves a few pixels all the way
    figure = figures.heatmap(delta, epsilon=2.0)
    assert figure.data[0].zmax == 253
    picture, top = figures.heatmap_image(delta, epsilon=2.0)
    assert top == 253 and picture.shape == (20, 20, 3) and picture[3, 4].tolist() != picture[0, 0].tolist()
    assert figures.heatmap(np.ones((4, 4, 3), np.int16), epsilon=2.0).data[0].zmax == 2  # within ε: ε's scale


def test_long_class_names_wrap_and_values_keep_one_format():
    from app import figures

    predictions = [Prediction(i, str(i), p) for i, p in [(1, 0.611), (2, 0.2), (3, 0.1), (4, 0.05), (5, 0.01)]]
    long = "Mexican hairless dog, xoloitzcuintli"
    figure = figures.top5_bars(predictions, names=[long, "b", "c", "d", "e"], target=1, original=2, big=True)
    bars = figure.data[0]
    assert all(len(line) <= 18 for line in bars.y[0].split("<br>")) and bars.y[0].count("<br>") == 1
    assert list(bars.text) == ["61.1%", "20.0%", "10.0%", "5.0%", "1.0%"]
    assert figure.layout.uniformtext.mode == "show" and figure.layout.xaxis.tickangle == 0
