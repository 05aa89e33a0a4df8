"""The lab's parts without a page: the live loop on a fake clock, uploads, links, limits."""
from __future__ import annotations

import math

import numpy as np
import pytest
from conftest import ASSETS, ROOT
from lab_fakes import FakeClock, FakeView, fake_run

from attack.running.history import RunHistory


def test_decode_upload_turns_bad_bytes_into_a_sentence():
    from app.session import decode_upload

    bad = decode_upload(b"not an image at all", "notes.txt")
    assert bad.image is None and "notes.txt" in bad.error
    good = decode_upload((ASSETS / "coffee.png").read_bytes(), "coffee.png")
    assert good.error is None and good.image.pixels.shape[2] == 3


@pytest.mark.parametrize("draw_cost", [0.001, 0.05, 0.4])
def test_live_loop_throttles_to_a_quarter_and_always_draws_the_last_step(monkeypatch, draw_cost):
    from app.lab import live

    monkeypatch.setattr(live, "conclude", lambda run, status: setattr(run, "status", status))
    clock = FakeClock()
    run = fake_run(400, clock, step_seconds=0.02)
    view = FakeView(clock, draw_cost)
    live.advance(run, view, clock=clock)
    assert len(run.history) == 400 and run.status == "done"
    assert view.steps[-1] == 399 and view.steps[0] == 0
    assert len(view.steps) <= run.wall_seconds * 8 + 1
    # Drawing stays within a quarter of the time, give or take the final forced draw.
    assert run.draw_seconds <= 0.25 * run.wall_seconds + draw_cost + 1e-9


@pytest.mark.slow  # a real attack
def test_stop_keeps_every_step_computed_so_far(classifier, small_coffee):
    from app.lab import live
    from attack.settings import AttackSettings as LabSettings
    from attack.attacks import make_attack

    settings = LabSettings(max_steps=50, stop_at=0.99, epsilon=0.5)  # cannot succeed: runs to the budget
    attack = make_attack(settings.method, classifier, **settings.attack_kwargs())
    run = live.LabRun(settings=settings, image_key="k", image_label="k", classifier=classifier,
                      records=attack.run(small_coffee), history=RunHistory())
    for record in run.records:  # a Streamlit rerun interrupts the page after step 4
        run.history.add(record)
        if record.step == 4:
            break
    live.request_stop(run)
    assert run.stop_requested
    live.conclude(run, "stopped")
    assert run.status == "stopped" and run.result.last_step == 4 and len(run.history) == 5
    assert run.result.kept_step == run.history.best.step  # the kept step is the closest to the goal
    assert not math.isnan(run.result.verification.original_probability)
    assert next(run.records, None) is None  # the generator is closed


def test_history_memory_is_bounded_for_big_images():
    big, small = np.zeros((1024, 1024, 3), np.uint8), np.zeros((100, 150, 3), np.uint8)
    assert RunHistory().frame_limit(big.nbytes) <= 70
    assert RunHistory().frame_limit(small.nbytes) == 240


def test_streamlit_config_matches_the_engine():
    import tomllib

    from attack.inputs.images import MAX_BYTES

    from app.lab.inputs import IMAGE_UPLOAD_MB

    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    # The server refuses what the engine would: the uploaders' own caps are only the browser's word.
    assert config["server"]["maxUploadSize"] == IMAGE_UPLOAD_MB
    assert IMAGE_UPLOAD_MB * 2**20 == MAX_BYTES  # Streamlit counts MiB (the uploader's own cap: another test)
    assert config["server"]["enableXsrfProtection"] is True
    assert config["server"]["headless"] is True
    assert config["browser"]["gatherUsageStats"] is False
    assert config["theme"]["primaryColor"]


def test_settings_from_query_lists_every_out_of_range_value():
    from app.controls import settings_from_query
    from attack.settings import AttackSettings as LabSettings

    settings, ignored = settings_from_query({"steps": "-5", "eps": "100", "seed": "-1", "step": "0", "stop": "0.7"})
    assert ignored == ["eps=100 (0.5–32)", "step=0 (> 0)", "steps=-5 (1–5000)", "seed=-1 (≥ 0)"]
    assert settings == LabSettings(stop_at=0.7)
    assert settings_from_query({"steps": "5000", "eps": "0.5", "seed": "0"})[1] == []
