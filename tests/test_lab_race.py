"""A threading race of the lab: a rerun that starts while the interrupted script is still inside a step."""
from __future__ import annotations

from lab_fakes import FakeClock, fake_run


def test_a_rerun_waits_for_the_interrupted_script_thread(monkeypatch):
    """Fast reruns start the new script while the old one is still inside a step: it must wait its turn."""
    import threading
    import time

    from app.lab import live

    monkeypatch.setattr(live, "finish", lambda *args: "verified")
    clock = FakeClock()
    run = fake_run(10_000, clock, step_seconds=0.0)
    slow_records = run.records

    def slow():
        for record in slow_records:
            time.sleep(0.01)  # a gradient step, during which the GIL is free
            yield record

    run.records = slow()
    interrupted = threading.Event()

    class StopScript(Exception):
        pass

    class InterruptibleView:
        def draw(self, run, record):  # like any st.* call: raises once Streamlit asked the script to stop
            if interrupted.is_set():
                raise StopScript

    errors = []

    def old_script():
        try:
            live.advance(run, InterruptibleView(), Throttle(min_interval=0.2))
        except StopScript:
            pass
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)

    from app.crowd import Throttle

    thread = threading.Thread(target=old_script)
    thread.start()
    while len(run.history) < 5:
        time.sleep(0.005)
    interrupted.set()
    live.conclude(run, "stopped")  # the new script: blocks until the old one let go
    thread.join(timeout=10)
    assert not errors, errors
    assert run.status == "stopped" and run.result == "verified"
    assert len(run.history) >= 5
    assert next(run.records, None) is None
