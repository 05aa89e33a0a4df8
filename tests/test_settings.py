"""attack/settings.py: one set of defaults, inside the ranges a person may ask for, and the attack
keyword arguments a plain run has always been built with."""
from __future__ import annotations

import sys

import pytest

from attack.plumbing.errors import SettingsError
from attack.settings import RANGES, AttackSettings


def test_defaults_are_the_ones_users_know_and_lie_in_range():
    settings = AttackSettings()
    assert (settings.method, settings.target, settings.epsilon, settings.max_steps, settings.stop_at) == \
        ("apgd", 859, 2.0, 200, 0.9)
    assert settings.out_of_range() == []


def test_out_of_range_names_each_field_once():
    wrong = AttackSettings(method="nonsense", epsilon=0.1, max_steps=0, stop_at=1.0, seed=-1, loss="nope")
    assert wrong.out_of_range() == ["method", "epsilon", "max_steps", "stop_at", "seed", "loss"]
    assert str(RANGES["max_steps"]) == "1–5000" and str(RANGES["seed"]) == "≥ 0"


def test_attack_kwargs_add_loss_and_eot_only_when_asked_for():
    plain = AttackSettings().attack_kwargs()
    assert set(plain) == {"epsilon", "target", "step_size", "max_steps", "stop_at", "seed"}
    robust = AttackSettings(loss="dlr", eot_samples=4).attack_kwargs()
    assert robust["loss"] == "dlr" and robust["eot_samples"] == 4
    assert set(AttackSettings().as_dict()) == {"model", "method", "target", "epsilon", "step_size", "max_steps",
                                               "stop_at", "seed"}


def test_importing_the_settings_does_not_load_tensorflow():
    import subprocess

    code = "import sys, attack.settings; print('tensorflow' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


# --- bounds on what a person types or a link carries ------------------------------------------------

def test_sweep_levels_are_bounded_range_checked_and_deduplicated():
    from attack.experiments.sweep import MAX_LEVELS, MAX_LEVELS_CHARS, parse_levels

    assert parse_levels("0.5, 1,2,1, 2") == [0.5, 1.0, 2.0]  # repeats dropped, order kept
    assert parse_levels(",".join(str(i) for i in range(1, MAX_LEVELS + 1))) == [float(i) for i in range(1, 13)]
    cases = {",".join(str(i) for i in range(1, MAX_LEVELS + 2)): "sweep.too_many",
             "1," * MAX_LEVELS_CHARS: "sweep.too_long", "1" + " " * 100_000: "sweep.too_long",
             "1,nan": "sweep.out_of_range", "inf": "sweep.out_of_range", "1e400": "sweep.out_of_range",
             "0.25,1": "sweep.out_of_range", "1,33": "sweep.out_of_range", "-1": "sweep.out_of_range"}
    for text, code in cases.items():
        with pytest.raises(SettingsError) as caught:
            parse_levels(text)
        assert caught.value.code == code, text
        assert len(caught.value.message) < 200  # a long list is not echoed back
    with pytest.raises(SettingsError) as caught:
        parse_levels("1,nan")
    assert caught.value.message == "Every ε level must lie within 0.5–32 pixel levels (got nan)."


def test_the_engine_sweep_refuses_more_levels_than_a_person_may_ask_for():
    from attack.experiments.sweep import MAX_LEVELS, check_levels

    check_levels([1.0] * MAX_LEVELS)
    with pytest.raises(SettingsError) as caught:
        check_levels([1.0] * (MAX_LEVELS + 1))
    assert caught.value.code == "sweep.too_many"


def test_long_and_non_finite_link_values_are_ignored_before_they_are_read(monkeypatch):
    from app import controls
    from attack.inputs import labels

    resolve = labels.resolve
    longest = max(range(labels.NUM_CLASSES), key=lambda i: len(labels.display(i)))
    at_the_bound = f"{labels.display(longest)} ({longest})"  # the picker's longest form is still read
    assert controls.settings_from_query({"target": at_the_bound}) == (AttackSettings(target=longest), [])

    monkeypatch.setattr(labels, "resolve", lambda query: pytest.fail("a long target was matched"))
    long = {"target": "toaster" * 15_000, "eps": "0" * 100_000 + "4", "steps": "1" * 5_000,
            "seed": "0" * 40 + "5", "method": "pgd" + " " * 100_000, "model": "m" * 100_000}
    settings, ignored = controls.settings_from_query(long)
    assert settings == AttackSettings()
    assert ignored == ["model", "method", "target", "eps", "steps", "seed"]  # by name, never echoed

    monkeypatch.setattr(labels, "resolve", resolve)
    for value in ("inf", "-inf", "nan", "NaN", "1e999", "Infinity"):
        settings, ignored = controls.settings_from_query({"eps": value, "step": value, "stop": value,
                                                          "steps": value, "seed": value})
        assert settings == AttackSettings() and ignored == ["eps", "step", "steps", "stop", "seed"], value
