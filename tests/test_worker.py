"""The shared attack worker (attack/serving/worker.py): same records as solo runs, fair turns, Stop, disconnect, the line."""
from __future__ import annotations

import dataclasses
import gc
import threading
import time

import numpy as np
import pytest

from attack.attacks import make_attack
from attack.serving.worker import StepWorker, WorkerBusy

TARGETS = (859, 1, 2, 3, 4)  # toaster, goldfish, great white shark, tiger shark, hammerhead


def comparable(record) -> dict:
    """Everything a record says except how long it took."""
    fields = {f.name: getattr(record, f.name) for f in dataclasses.fields(record) if f.name != "elapsed"}
    fields["image"] = fields["image"].tobytes()
    fields["original"] = fields["original"].tobytes()
    return fields


@pytest.fixture(scope="module")
def images(small_coffee):
    """Five small different pictures (crops of the espresso photo, one of them flipped)."""
    crops = [small_coffee[:80, :100], small_coffee[10:90, 20:120], small_coffee[:, ::-1][:90, :110],
             small_coffee[20:100, :90], small_coffee[:64, 40:104]]
    return [np.ascontiguousarray(c) for c in crops]


METHODS = ("pgd", "mi-fgsm", "bim", "pgd", "mi-fgsm")  # per-run state (momentum, random start) must not mix


def attack_for(classifier, i: int):
    return make_attack(METHODS[i], classifier, epsilon=2, target=TARGETS[i], max_steps=4, stop_at=0.99, seed=i)


def read_all(job, out: list, pause: float = 0.0) -> None:
    for record in job:
        out.append(record)
        time.sleep(pause)  # a reader that draws between records


@pytest.mark.parametrize("sessions", [2, 5])
def test_concurrent_runs_get_the_records_of_solo_runs(classifier, images, sessions):
    solo = [[comparable(r) for r in attack_for(classifier, i).run(images[i])] for i in range(sessions)]
    worker = StepWorker(capacity=3, autostart=False)  # five sessions: three step together, two wait
    jobs = [worker.submit(attack_for(classifier, i), images[i]) for i in range(sessions)]
    outputs = [[] for _ in jobs]
    readers = [threading.Thread(target=read_all, args=(job, out, 0.01 * i))
               for i, (job, out) in enumerate(zip(jobs, outputs))]
    worker.start()
    for reader in readers:
        reader.start()
    for reader in readers:
        reader.join(120)
    worker.stop()
    for i in range(sessions):
        assert [comparable(r) for r in outputs[i]] == solo[i], f"session {i} differs from its solo run"
        assert len(outputs[i]) >= 2


def test_active_runs_take_turns(classifier, images):
    """Round-robin: while both run, neither gets more than one step ahead of the other."""
    order: list[int] = []

    def logged(i):
        for record in attack_for(classifier, i).run(images[i]):
            order.append(i)
            yield record

    worker = StepWorker(capacity=2, autostart=False)
    jobs = [worker.submit_steps(logged(i)) for i in range(2)]
    outputs = [[], []]
    worker.start()
    readers = [threading.Thread(target=read_all, args=(job, out)) for job, out in zip(jobs, outputs)]
    for reader in readers:
        reader.start()
    for reader in readers:
        reader.join(120)
    worker.stop()
    both = min(len(outputs[0]), len(outputs[1]))
    prefix = order[:2 * both]
    for k in range(len(prefix)):
        assert abs(prefix[:k].count(0) - prefix[:k].count(1)) <= 1, order


def blocker(release: threading.Event, steps: int = 3):
    """A run whose steps wait for a signal: it holds its slot until the test lets it go."""
    for step in range(steps):
        release.wait(30)
        yield step


def test_line_beyond_capacity_shows_place_and_estimate():
    release = threading.Event()
    worker = StepWorker(capacity=1, queue_limit=2)
    first = worker.submit_steps(blocker(release))
    second, third = worker.submit_steps(blocker(release)), worker.submit_steps(blocker(release))
    assert first.place() is None and not first.waiting  # admitted at once
    assert second.waiting and second.place().position == 1
    assert third.place().position == 2
    assert 0 < second.place().seconds < third.place().seconds
    with pytest.raises(WorkerBusy):
        worker.submit_steps(blocker(release))  # the line is full
    second.close()  # Stop while waiting: leaves the line, the one behind moves up
    assert third.place().position == 1
    assert list(second) == []
    release.set()
    assert list(first) == [0, 1, 2]
    assert list(third) == [0, 1, 2]
    worker.stop()


def test_stop_frees_the_slot():
    release = threading.Event()
    worker = StepWorker(capacity=1)
    running = worker.submit_steps(blocker(release, steps=100))
    waiting = worker.submit_steps(blocker(release))
    assert waiting.waiting
    running.close()
    assert waiting.wait_admitted(5) and not waiting.waiting
    release.set()
    assert list(waiting) == [0, 1, 2]
    with pytest.raises(StopIteration):
        next(running)
    worker.stop()


def test_a_reader_that_disappears_frees_the_slot():
    """Tab closed: nobody reads the run any more, so after idle_timeout its slot goes to the next in line."""
    worker = StepWorker(capacity=1, buffer=2, idle_timeout=0.5)
    gone = worker.submit_steps(iter(range(1000)))
    assert next(gone) == 0  # it read once, then went away
    waiting = worker.submit_steps(iter(range(3)))
    assert waiting.waiting
    assert waiting.wait_admitted(10)
    assert list(waiting) == [0, 1, 2]
    assert len(list(gone)) <= 2  # only what was buffered before it was dropped
    worker.stop()


def test_a_forgotten_job_frees_the_slot():
    """Session state dropped (the session ended): the handle is garbage, its run is cancelled."""
    release = threading.Event()
    worker = StepWorker(capacity=1, idle_timeout=3600)
    worker.submit_steps(blocker(release, steps=100))  # handle not kept
    gc.collect()
    waiting = worker.submit_steps(iter(range(2)))
    assert waiting.wait_admitted(5)
    release.set()  # the cancelled run's step in progress may finish; none follows
    assert list(waiting) == [0, 1]
    worker.stop()


def test_an_error_ends_only_its_own_run():
    def broken():
        yield 0
        raise ValueError("bad step")

    worker = StepWorker(capacity=2)
    bad, good = worker.submit_steps(broken()), worker.submit_steps(iter(range(3)))
    assert next(bad) == 0
    with pytest.raises(ValueError, match="bad step"):
        next(bad)
    assert list(good) == [0, 1, 2]
    worker.stop()


def test_runs_of_one_size_share_a_step_and_other_sizes_step_apart(classifier, images, monkeypatch):
    """Same-sized images are batched; different sizes are not padded into one batch."""
    from attack.attacks.base import Attack

    batches: list[list[tuple[int, int]]] = []
    step = Attack.step

    def recorded(self, states):
        batches.append([s.shape for s in states])
        return step(self, states)

    monkeypatch.setattr(Attack, "step", recorded)
    worker = StepWorker(capacity=3, autostart=False)
    pictures = [images[0], images[1], images[2]]  # two of one size (80 x 100), one of another
    jobs = [worker.submit(make_attack("bim", classifier, epsilon=2, target=TARGETS[0], max_steps=3,
                                      stop_at=0.999), p) for p in pictures]
    outputs = [[] for _ in jobs]
    worker.start()
    for job, out in zip(jobs, outputs):
        read_all(job, out)
    worker.stop()
    assert all(len(out) == 4 for out in outputs)  # record 0 and three steps each
    pair = [images[0].shape[:2]] * 2
    assert pair in batches, batches  # the two same-sized runs stepped in one call
    assert all(len(set(batch)) == 1 for batch in batches), batches  # never padded together



def test_riders_join_a_batch_of_their_size_beyond_capacity(classifier, images, monkeypatch):
    """With riders, a waiting run that can join a batch already stepping (same method, model and image
    size) is admitted beyond capacity and steps in that batch, up to batch_limit runs a batch; a run of
    another size waits for a slot, which riders do not take."""
    from attack.attacks import Attack

    batches: list[int] = []
    step = Attack.step
    monkeypatch.setattr(Attack, "step", lambda self, states: batches.append(len(states)) or step(self, states))

    def bim(seed):
        return make_attack("bim", classifier, epsilon=2, target=TARGETS[0], max_steps=3, stop_at=0.999, seed=seed)

    worker = StepWorker(capacity=1, riders=5, batch_limit=2, autostart=False)
    first = worker.submit(bim(0), images[0])  # 80 x 100: takes the one slot
    head = worker.submit(bim(1), images[2])  # 90 x 110: first in line for the slot
    rider = worker.submit(bim(2), images[1])  # 80 x 100: joins the first run's batch
    over = worker.submit(bim(3), np.ascontiguousarray(images[0][::-1]))  # 80 x 100, but that batch is full
    assert [job.waiting for job in (first, head, rider, over)] == [False, True, False, True]
    assert (head.place().position, over.place().position) == (1, 2)
    outputs = [[] for _ in range(4)]
    worker.start()
    for job, out in zip((first, head, rider, over), outputs):
        read_all(job, out)
    worker.stop()
    assert all(len(out) == 4 for out in outputs)  # record 0 and three steps each
    assert max(batches) == 2 and batches.count(2) == 4, batches  # first and rider: every step together
