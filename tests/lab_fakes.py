"""Stand-ins for the lab's live loop without Streamlit or a model: a clock that only moves when told,
a run of made-up steps, and a view that records what it was asked to draw."""
from __future__ import annotations

import numpy as np


class FakeClock:
    """Time that passes only when a test says so."""

    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


def fake_run(n_steps: int, clock: FakeClock, step_seconds: float):
    from app.lab.live import LabRun
    from attack.datatypes import StepRecord
    from attack.running.history import RunHistory
    from attack.datatypes import Prediction
    from attack.settings import AttackSettings as LabSettings

    image = np.zeros((4, 4, 3), np.uint8)

    def records():
        for step in range(n_steps):
            clock.now += step_seconds
            yield StepRecord(step=step, loss=0.0, target_probability=step / n_steps, original_probability=0.5,
                             top5=(Prediction(1, "x", 0.5),), image=image, original=image, gradient_linf=1.0,
                             elapsed=clock.now, success=False)

    return LabRun(settings=LabSettings(), image_key="k", image_label="k", classifier=None, records=records(),
                  history=RunHistory())


class FakeView:
    def __init__(self, clock: FakeClock, cost: float):
        self.clock, self.cost, self.steps = clock, cost, []

    def draw(self, run, record):
        self.clock.now += self.cost
        self.steps.append(record.step)
