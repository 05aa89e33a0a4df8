"""Memory has a budget: a run's frames (attack.history), a session's state (app/memory.py), the
tutorial's and the explorer's kept results, and the lab's report and GIF rendered once per run."""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pytest
from conftest import APP_TIMEOUT, ROOT, lab, no_exception

from attack.datatypes import StepRecord
from attack.running.history import FRAME_BUDGET_BYTES, RunHistory
from attack.datatypes import top_k


def record(step: int, p: float, original: np.ndarray) -> StepRecord:
    probabilities = np.full(1000, (1 - p) / 999)
    probabilities[859] = p
    image = np.empty_like(original)  # every step its own frame, as an attack's are; the pixels do not matter
    return StepRecord(step=step, loss=p, target_probability=p, original_probability=1 - p,
                      top5=top_k(probabilities), image=image, original=original, gradient_linf=1e-6,
                      elapsed=0.01 * step, success=False)


def kept_bytes(history: RunHistory) -> int:
    """Bytes of the distinct arrays the history holds: frames, its records' images and cached perturbations."""
    arrays = list(history.frames.values())
    for r in (history.first, history.best, history.last):
        arrays += [r.image, r.__dict__.get("perturbation")]
    return sum(a.nbytes for a in {id(a): a for a in arrays if a is not None}.values())


def probability(step: int) -> float:
    return 0.5 if step == 137 else 0.01 + step * 1e-5  # the best step is early, far from the last


@pytest.mark.parametrize("shape", [(768, 1024, 3), (1024, 1024, 3)])
def test_a_long_run_on_a_big_image_stays_under_the_frame_budget(shape):
    original = np.zeros(shape, np.uint8)
    history = RunHistory()  # what the CLI, the explorer and the engine's tutorial replay use
    peak = 0
    for step in range(600):
        history.add(record(step, probability(step), original))
        history.last.perturbation  # noqa: B018 (the live view reads it on every drawn step, and it is cached)
        peak = max(peak, kept_bytes(history))
    assert peak <= FRAME_BUDGET_BYTES
    assert history.stored_bytes == kept_bytes(history)
    kept = sorted(history.frames)
    assert {0, 137, 599} <= set(kept)  # the first, the best and the last
    spread = [s for s in kept if s not in (137, 599)]
    assert len(set(np.diff(spread))) == 1  # the others evenly spaced
    assert len(kept) >= history.frame_limit(original.nbytes) // 2  # thinned, not emptied
    assert history.best.step == 137 and len(history) == 600  # every step's numbers are kept


def test_the_lab_history_of_the_coffee_sample_stays_under_the_budget(coffee):
    history = RunHistory()  # what the lab gives each run
    for step in range(400):
        history.add(record(step, probability(step), coffee))
        assert kept_bytes(history) <= FRAME_BUDGET_BYTES
    assert len(history.frames) > 40  # a replay still has steps to show


def test_trim_keeps_the_first_the_best_and_the_last():
    history = RunHistory()
    original = np.zeros((40, 60, 3), np.uint8)
    for step in range(300):
        history.add(record(step, probability(step), original))
    history.last.perturbation  # noqa: B018
    history.trim()
    assert sorted(history.frames) == [0, 137, 299]
    assert history.frame_at(200) == (137, history.frames[137]) and "perturbation" not in history.last.__dict__


def test_retained_bytes_counts_each_buffer_once_and_skips_shared_objects():
    from app.memory import retained_bytes

    @dataclass
    class Holder:
        image: np.ndarray
        extra: object

    class Shared:  # not a dataclass (a classifier, a worker's job): never entered
        def __init__(self):
            self.weights = np.zeros(10**6, np.uint8)

    big = np.zeros((100, 100, 3), np.uint8)
    holder = Holder(big[:10], {"png": b"x" * 1000, "same": big, "shared": Shared()})
    assert retained_bytes(holder) == big.nbytes + 1000  # the view keeps its whole base alive, once
    assert retained_bytes([holder, holder, (big,)]) == big.nbytes + 1000


# --- AppTest: the session's bounds ----------------------------------------------------------------------
@pytest.mark.slow
def test_tutorial_keeps_the_acts_of_the_current_run_only(monkeypatch):
    from streamlit.testing.v1 import AppTest

    from app.memory import SESSION_BUDGET_BYTES, session_bytes
    from attack.experiments import tutorial

    class Short(tutorial.TutorialReplay):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **{**kwargs, "max_steps": 3})

    monkeypatch.setattr(tutorial, "TutorialReplay", Short)  # three steps of the tutorial's method are enough
    monkeypatch.setattr(tutorial, "FIX_MAX_STEPS", 3)
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=APP_TIMEOUT)
    at.query_params.update(mode="tutorial", sample="chelsea")
    at.run()
    runs = []
    for _ in range(2):
        for act in (1, 2, 3):
            at.button(key=f"tut-act{act}").click().run()
            no_exception(at)
        runs.append(at.session_state["tut.run"])
    assert runs[0] is not runs[1]
    assert set(at.session_state["tut.saved"]) == {runs[1].id}
    assert set(at.session_state["tut.fix"]) == {runs[1].id}  # the first run's fix (a whole run) is gone
    assert session_bytes(at.session_state) <= SESSION_BUDGET_BYTES


@pytest.mark.slow
def test_explorer_keeps_its_outcome_within_its_budget():
    from streamlit.testing.v1 import AppTest

    from app.memory import EXPLORER_BUDGET_BYTES, retained_bytes

    def explorer_script():
        from app.pages import explorer

        explorer.main()

    at = AppTest.from_function(explorer_script, default_timeout=APP_TIMEOUT).run()
    at.select_slider(key="explorer.side").set_value(480)  # the largest working size
    at.number_input(key="explorer.max_steps").set_value(30)
    at.slider(key="explorer.stop_at").set_value(0.99)
    at.slider(key="explorer.eot").set_value(2)
    at.button(key="explorer.run").click().run()
    no_exception(at)
    outcome = at.session_state["explorer.compare"]
    for side in ("plain", "robust"):
        history = outcome[side]["result"].history
        assert len(history) >= 2 and len(history.frames) <= 3  # first, kept and last: no replay here
    assert retained_bytes(outcome) <= EXPLORER_BUDGET_BYTES


@pytest.mark.slow
def test_report_and_gif_are_rendered_once_per_run(monkeypatch):
    from streamlit.elements.widgets.button import ButtonMixin

    from app.memory import SESSION_BUDGET_BYTES, session_bytes
    from attack.render import animation, report

    rendered, offered = [], []
    monkeypatch.setattr(animation, "render_gif", lambda result, **kw: rendered.append("gif") or b"GIF89a")
    monkeypatch.setattr(report, "render_report", lambda result, **kw: rendered.append("report") or b"PNG")
    original = ButtonMixin.download_button

    def download_button(self, label, data, *args, **kwargs):
        offered.append((kwargs.get("key"), data))  # what a click on this button would call
        return original(self, label, data, *args, **kwargs)

    monkeypatch.setattr(ButtonMixin, "download_button", download_button)
    at = lab(sample="chelsea", steps="40")
    at.button(key="lab-attack").click().run()
    no_exception(at)
    at.run()  # a rerun (any widget touched) draws the buttons again
    at.run()
    clicks = {key: [data for k, data in offered if k == key] for key in ("lab.download.gif", "lab.download.report")}
    assert all(len(calls) >= 2 for calls in clicks.values())
    for calls in clicks.values():
        assert {call() for call in calls} == ({b"GIF89a"} if calls is clicks["lab.download.gif"] else {b"PNG"})
    assert sorted(rendered) == ["gif", "report"]  # one click on each, on every redrawn button: one render each
    first = at.session_state["lab.run"]
    at.button(key="lab-attack").click().run()  # a new run replaces the result and what was kept for it
    assert session_bytes(at.session_state) <= SESSION_BUDGET_BYTES
    assert not any(key.endswith(str(first.id)) for key in dict(at.session_state))
    assert not math.isnan(at.session_state["lab.run"].result.verification.original_probability)
