"""Every page's model work runs on the shared worker, checks never wait for the room, a closed tab ends
its run, and a run that reaches its budget says so (AppTest, small images and budgets)."""
from __future__ import annotations

import threading

import pytest
from conftest import APP_TIMEOUT, ROOT, lab, lab_checks, no_exception, texts
from streamlit.runtime.scriptrunner_utils.exceptions import StopException
from streamlit.testing.v1 import AppTest

pytestmark = pytest.mark.slow


@pytest.fixture
def model_threads(monkeypatch):
    """The names of the threads that call the model, whichever way they reach it."""
    from attack.experiments import tutorial
    from attack.attacks.base import Attack
    from attack.models.classifier import Classifier

    seen: list[str] = []

    def spy(function):
        def called(*args, **kwargs):
            seen.append(threading.current_thread().name)
            return function(*args, **kwargs)
        return called

    for name in ("probabilities", "mixed_size_probabilities", "same_size_probabilities"):
        monkeypatch.setattr(Classifier, name, spy(getattr(Classifier, name)))
    monkeypatch.setattr(Attack, "step", spy(Attack.step))
    monkeypatch.setattr(Attack, "_clean_passes", spy(Attack._clean_passes))
    gradient = tutorial.gradient_function
    monkeypatch.setattr(tutorial, "gradient_function", lambda *a, **k: spy(gradient(*a, **k)))
    return seen


def on_worker_only(seen: list[str]) -> None:
    assert seen, "the page made no model call at all"
    assert set(seen) == {"attack-worker"}, sorted(set(seen))


def test_the_labs_attack_verification_and_checks_run_on_the_worker(model_threads):
    at = lab(sample="chelsea", steps="40")
    model_threads.clear()  # the first screen's clean pass went through the worker too, but may be cached
    at.button(key="lab-attack").click().run()
    no_exception(at)
    run = at.session_state["lab.run"]
    assert run.result is not None and lab_checks(at, run)
    on_worker_only(model_threads)


def tutorial_act_one(sample: str, lr: float) -> AppTest:
    """The tutorial mode on a sample, act ① run at learning rate `lr`."""
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=APP_TIMEOUT)
    at.query_params.update(mode="tutorial", sample=sample)
    at.run()
    at.select_slider(key="tut.lr").set_value(lr).run()
    at.button(key="tut-act1").click().run()
    no_exception(at)
    return at


def test_tutorial_acts_run_on_the_worker(model_threads):
    at = tutorial_act_one("chelsea", 100.0)
    assert at.session_state["tut.run"].result is not None
    at.button(key="tut-act2").click().run()
    at.button(key="tut-act3").click().run()
    no_exception(at)
    on_worker_only(model_threads)


def explorer_script():
    from app.i18n import language_picker
    from app.pages import explorer

    language_picker()
    explorer.main()


def test_the_explorers_compare_and_sweep_run_on_the_worker(model_threads):
    at = AppTest.from_function(explorer_script, default_timeout=APP_TIMEOUT).run()
    at.select_slider(key="explorer.side").set_value(160)
    at.number_input(key="explorer.max_steps").set_value(20)
    at.slider(key="explorer.eot").set_value(2)
    at.run()
    at.button(key="explorer.run").click().run()
    no_exception(at)
    assert "explorer.compare" in at.session_state
    at.text_input(key="explorer.levels").set_value("0.5,2")
    at.button(key="explorer.sweep_run").click().run()
    no_exception(at)
    assert [p.epsilon for p in at.session_state["explorer.sweep"]["points"]] == [0.5, 2.0]
    on_worker_only(model_threads)


def test_the_principles_measurement_runs_on_the_worker(model_threads):
    from test_principles import app as principles_app

    at = principles_app(page="principles")
    at.button(key="live_measure_button").click().run()
    no_exception(at)
    assert at.session_state["live_measure"]["steps"] >= 1
    on_worker_only(model_threads)


def test_checks_do_not_wait_for_someone_elses_abandoned_run():
    """A run left active in another session (nobody reading it yet) must not hold this result's checks:
    the old lab waited until the room was idle, up to 180 s."""
    from app import crowd

    release = threading.Event()

    def abandoned():
        while not release.wait(0.05):
            yield 0

    at = lab(sample="chelsea", steps="40")
    other = crowd.worker().submit_steps(abandoned(), owner="someone else")
    try:
        at.button(key="lab-attack").click().run(timeout=90)
        no_exception(at)
        run = at.session_state["lab.run"]
        assert lab_checks(at, run)
        assert not other.waiting and other._run.started is not None  # it was active all along
    finally:
        release.set()
        other.close()


def test_a_closed_tab_ends_its_run_at_the_next_heartbeat():
    from app import crowd
    from attack.serving.worker import StepWorker

    worker = StepWorker(capacity=1, idle_timeout=3600)
    release = threading.Event()

    def slow():
        while not release.wait(0.05):
            yield 0

    job = worker.submit_steps(slow())
    calls = []

    def closed_tab():
        calls.append(1)
        raise StopException()

    with pytest.raises(StopException):
        for _ in crowd.follow(job, closed_tab):
            pass
    assert calls and job.ended_by == "cancelled"
    assert worker.load == (0, 0)
    release.set()
    worker.stop()


def test_a_run_that_reaches_its_time_budget_keeps_its_best_step_and_says_so(monkeypatch):
    from app import crowd

    monkeypatch.setattr(crowd, "RUN_SECONDS", 0.05)
    at = lab(sample="chelsea", steps="300", stop="0.99", eps="1")
    at.button(key="lab-attack").click().run()
    no_exception(at)
    run = at.session_state["lab.run"]
    assert run.ended_by == "budget.seconds"
    assert run.result is not None and run.result.last_step < 300
    assert "time limit" in texts(at.info)


def test_a_script_run_does_not_clear_tensorflow_for_everyone(monkeypatch):
    """Streamlit clears Keras's session after every script run (a full GC and TensorFlow's kernel cache
    for the whole server): once the app has loaded its model, that call does nothing."""
    import gc

    import keras

    at = lab()
    no_exception(at)
    collections = []
    monkeypatch.setattr(gc, "collect", lambda *args: collections.append(args) or 0)
    keras.backend.clear_session()
    assert collections == []


def test_the_tutorials_act_one_says_when_the_budget_ended_it(monkeypatch):
    from app import crowd

    monkeypatch.setattr(crowd, "RUN_SECONDS", 0.05)
    at = tutorial_act_one("coffee", 0.1)
    assert at.session_state["tut.run"].ended_by == "budget.seconds"
    assert "time limit" in texts(at.info)
