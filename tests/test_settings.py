"""attack/settings.py: one set of defaults, inside the ranges a person may ask for, and the attack
keyword arguments a plain run has always been built with."""
from __future__ import annotations

import sys

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
