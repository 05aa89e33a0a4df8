"""The shared worker in a hostile room: turns, budgets, owners, priority, and a loop that never dies."""
from __future__ import annotations

import itertools
import threading

import numpy as np
import pytest

from attack.attacks import make_attack
from attack.plumbing.errors import SettingsError
from attack.serving.worker import OPERATOR, Budget, StepWorker


class FakeClock:
    """Time that moves only when a step says so (the worker reads it for turns, budgets and idleness)."""

    def __init__(self):
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def ticking(clock: FakeClock, seconds: float, log: list | None = None, name: str = ""):
    """An endless run whose every step takes `seconds` of fake time."""
    for step in itertools.count():
        clock.now += seconds
        if log is not None:
            log.append(name)
        yield step


def take(job, n: int) -> list:
    return [next(job) for _ in range(n)]


def test_a_queued_run_gets_steps_while_a_long_run_holds_the_slot():
    """Time slicing: an endless run holds the only slot; a run that arrives later still steps within a
    turn and ends, instead of waiting for the first one to end (the old worker never gave it a step)."""
    clock, log = FakeClock(), []
    worker = StepWorker(capacity=1, quantum=2.0, buffer=1, clock=clock, idle_timeout=1e9)
    long = worker.submit_steps(ticking(clock, 0.5, log, "long"))
    take(long, 3)
    short = worker.submit_steps(ticking(clock, 0.0, log, "short"))
    before = log.count("long")
    stop = threading.Event()

    def read_long():
        while not stop.is_set():
            long.next(timeout=0.1)

    reader = threading.Thread(target=read_long, daemon=True)
    reader.start()
    assert [short.next(timeout=10) for _ in range(3)] == [0, 1, 2]
    first_short = log.index("short")
    # The long run kept the slot for one turn of `quantum` (four of its 0.5 s steps) and a step or two of slack.
    assert log[:first_short].count("long") - before <= 6, log[:first_short]
    stop.set()
    reader.join(10)
    long.close(), short.close()
    worker.stop()


def test_a_preempted_run_keeps_its_state_and_its_place_shows():
    clock = FakeClock()
    worker = StepWorker(capacity=1, quantum=1.0, clock=clock, idle_timeout=1e9, autostart=False)
    first = worker.submit_steps(ticking(clock, 0.6))
    second = worker.submit_steps(ticking(clock, 0.6))
    worker.start()
    assert take(first, 3) == [0, 1, 2]
    assert take(second, 3) == [0, 1, 2]  # its turn came while the first one waited again
    assert take(first, 2) == [3, 4]  # the first goes on where it was
    first.close(), second.close()
    worker.stop()


def test_one_active_run_per_owner_and_the_rest_wait():
    release = threading.Event()

    def blocked(steps=2):
        for step in range(steps):
            release.wait(30)
            yield step

    worker = StepWorker(capacity=4)
    first = worker.submit_steps(blocked(), owner="tab-a")
    second = worker.submit_steps(blocked(), owner="tab-a")
    other = worker.submit_steps(blocked(), owner="tab-b")
    assert not first.waiting and second.waiting and not other.waiting
    release.set()
    assert list(first) == [0, 1]
    assert second.wait_admitted(10)
    assert list(second) == [0, 1] and list(other) == [0, 1]
    worker.stop()


def test_the_operator_goes_first_and_never_waits_for_a_slot():
    clock = FakeClock()
    worker = StepWorker(capacity=1, clock=clock, idle_timeout=1e9, autostart=False)
    audience = [worker.submit_steps(ticking(clock, 0.0)) for _ in range(3)]
    operator = worker.submit_steps(iter(range(2)), priority=OPERATOR)
    assert not operator.waiting  # admitted beyond the full slot
    assert [job.place().position for job in audience[1:]] == [1, 2]
    queued_operator = worker.submit_steps(iter(range(2)), priority=OPERATOR, owner="speaker")
    blocked_speaker = worker.submit_steps(iter(range(2)), priority=OPERATOR, owner="speaker")
    assert blocked_speaker.place().position == 1  # its own other run first, then ahead of the audience
    assert audience[1].place().position == 2
    worker.start()
    assert list(operator) == [0, 1] and list(queued_operator) == [0, 1] and list(blocked_speaker) == [0, 1]
    for job in audience:
        job.close()
    worker.stop()


def test_a_run_ends_at_its_step_budget():
    worker = StepWorker(capacity=1)
    job = worker.submit_steps(iter(range(1000)), budget=Budget(steps=5))
    assert list(job) == [0, 1, 2, 3, 4, 5]  # record 0 and five steps
    assert job.ended_by == "budget.steps"
    worker.stop()


def test_a_run_ends_at_its_seconds_budget():
    def slow():
        for step in itertools.count():
            threading.Event().wait(0.02)
            yield step

    worker = StepWorker(capacity=1)
    job = worker.submit_steps(slow(), budget=Budget(seconds=0.2))
    records = list(job)
    assert 3 <= len(records) < 100
    assert job.ended_by == "budget.seconds"
    worker.stop()


def test_a_run_that_cannot_change_the_image_is_refused_before_it_is_queued(classifier):
    worker = StepWorker(capacity=1, autostart=False)
    attack = make_attack("pgd", classifier, epsilon=0.5, target=859, max_steps=5000, stop_at=0.99)
    with pytest.raises(SettingsError) as refused:
        worker.submit(attack, np.zeros((32, 32, 3), np.uint8))
    assert refused.value.code == "settings.epsilon_below_level"
    assert worker.load == (0, 0)
    jsma = make_attack("jsma", classifier, epsilon=0.5, target=859, max_steps=2)  # ε does not apply to it
    worker.submit(jsma, np.zeros((32, 32, 3), np.uint8)).close()


def test_an_unread_run_in_line_is_dropped():
    release = threading.Event()

    def blocked():
        release.wait(30)
        yield 0

    clock = FakeClock()
    worker = StepWorker(capacity=1, idle_timeout=5.0, clock=clock)
    active = worker.submit_steps(blocked())
    queued = worker.submit_steps(iter(range(3)))  # its reader never looks at it again
    assert worker.load == (1, 1)
    clock.now += 10
    release.set()
    assert list(active) == [0]
    assert list(queued) == []  # dropped, not run for nobody
    assert queued.ended_by == "idle"
    assert worker.load == (0, 0)
    worker.stop()


def test_a_cancel_that_fires_inside_admission_breaks_nothing(monkeypatch):
    """A Job's finalizer may run (garbage collection) while the worker admits runs: it must not corrupt
    the line (the old code raised ValueError from inside _admit and the worker thread ended)."""
    worker = StepWorker(capacity=4, autostart=False)
    victims = [worker.submit_steps(iter(range(3))) for _ in range(3)]
    enter = StepWorker._enter

    def enter_and_collect(self, run, now):
        enter(self, run, now)
        for victim in victims[1:]:
            victim.close()  # what a finalizer does, on this very thread, mid-admission

    monkeypatch.setattr(StepWorker, "_enter", enter_and_collect)
    late = worker.submit_steps(iter(range(2)))
    worker.start()
    assert list(victims[0]) == [0, 1, 2]
    assert list(late) == [0, 1]
    assert list(victims[1]) == [] and list(victims[2]) == []
    worker.stop()


def test_a_failing_batched_step_fails_only_the_faulty_run(classifier, small_coffee, monkeypatch):
    from attack.attacks.base import Attack

    image = np.ascontiguousarray(small_coffee[:64, :64])
    step = Attack.step

    def faulty(self, states):
        if any(s.goal is not None and s.goal.target == 1 for s in states):
            raise FloatingPointError("a bad run")
        return step(self, states)

    monkeypatch.setattr(Attack, "step", faulty)
    worker = StepWorker(capacity=3, autostart=False)

    def bim(target):
        return make_attack("bim", classifier, epsilon=2, target=target, max_steps=2, stop_at=0.999)

    good = [worker.submit(bim(859), image), worker.submit(bim(859), image)]
    bad = worker.submit(bim(1), image)
    worker.start()
    for job in good:
        assert len(list(job)) == 3  # record 0 and two steps
    with pytest.raises(FloatingPointError):
        list(bad)
    worker.stop()


def test_the_loop_survives_an_unexpected_error(monkeypatch):
    worker = StepWorker(capacity=1)
    ready = StepWorker._ready
    calls = {"n": 0}

    def broken_once(self):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("a bug in the scheduler")
        return ready(self)

    monkeypatch.setattr(StepWorker, "_ready", broken_once)
    first = worker.submit_steps(iter(range(3)))
    try:
        list(first)
    except RuntimeError:
        pass  # the run that was in that round may end with the error
    second = worker.submit_steps(iter(range(3)))
    assert list(second) == [0, 1, 2]
    assert worker._thread.is_alive()
    worker.stop()


def test_a_reader_restarts_a_worker_thread_that_died():
    worker = StepWorker(capacity=1, autostart=False)
    job = worker.submit_steps(iter(range(2)))
    worker.autostart = True  # as after start(); but no thread is running (it "died")
    done = []
    reader = threading.Thread(target=lambda: done.append(list(job)), daemon=True)
    reader.start()
    reader.join(10)
    assert done == [[0, 1]]
    worker.stop()


def test_background_work_takes_one_step_a_round_while_runs_step():
    clock, log = FakeClock(), []
    worker = StepWorker(capacity=2, buffer=10_000, clock=clock, idle_timeout=1e9, autostart=False)
    runs = [worker.submit_steps(ticking(clock, 0.0, log, f"run{i}")) for i in range(2)]
    checks = [worker.submit_steps(ticking(clock, 0.0, log, f"check{i}"), kind="background") for i in range(3)]
    worker.start()
    for _ in range(6):
        for job in checks:
            job.next(timeout=10)
    for job in [*checks, *runs]:
        job.close()
    worker.stop()
    log = log[:log.index("run0", len(log) - 50)] if "run0" in log[-50:] else log  # before the runs were closed
    rounds = "".join("|" if name == "run0" else "c" if name.startswith("check") else "" for name in log)
    assert "cc" not in rounds, rounds  # never two background steps in one round while runs step
    assert rounds.count("c") >= 18


def test_long_runs_share_one_step_a_round_while_fresh_runs_step():
    """Hopeless runs left going must not slow a newcomer's short attack: once a run has used
    `fresh_seconds` of the worker, it and the other long ones take one step a round between fresh ones."""
    log: list[str] = []

    def slow(name):
        for step in itertools.count():
            threading.Event().wait(0.02)  # real worker time, which is what makes a run long
            log.append(name)
            yield step

    def quick(name):
        for step in itertools.count():
            log.append(name)
            yield step

    worker = StepWorker(capacity=4, buffer=10_000, fresh_seconds=0.05, idle_timeout=1e9)
    long = [worker.submit_steps(slow(f"long{i}")) for i in range(3)]
    for job in long:
        take(job, 4)  # four 0.02 s steps: long now
    fresh = worker.submit_steps(quick("fresh"))
    take(fresh, 30)
    for job in [fresh, *long]:
        job.close()
    worker.stop()
    start = log.index("fresh")
    end = len(log) - log[::-1].index("fresh")
    between = "".join("|" if name == "fresh" else "L" for name in log[start:end])
    assert "LL" not in between, between  # one long step a round while the fresh run steps


def test_call_runs_on_the_worker_thread_and_returns_or_raises():
    worker = StepWorker(capacity=1)
    assert worker.call(threading.current_thread).name == "attack-worker"
    with pytest.raises(ZeroDivisionError):
        worker.call(lambda: 1 / 0)
    worker.stop()
