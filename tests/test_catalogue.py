"""The attack catalogue: every entry is complete, and a new attack needs its module, entry and messages only."""
from __future__ import annotations

import sys
import textwrap

import numpy as np
import pytest
from conftest import tiny_classifier

from attack.catalogue import AUTO, CATALOGUE, DEFAULT_METHOD, LOSS_NAMES, MethodEntry, StepParameter
from messages import LANGUAGES, catalogue

TOASTER = 859


@pytest.fixture(scope="module")
def tiny():
    return tiny_classifier("tiny-catalogue")


@pytest.fixture(scope="module")
def picture() -> np.ndarray:
    return np.random.default_rng(0).integers(0, 256, (32, 32, 3), dtype=np.uint8)


def test_the_default_method_and_the_losses_are_the_engines():
    from attack.attacks import LOSSES

    assert DEFAULT_METHOD in CATALOGUE
    assert LOSS_NAMES == tuple(LOSSES)


@pytest.mark.parametrize("name", list(CATALOGUE))
def test_every_entry_is_complete(name):
    from attack.attacks import Attack

    entry = CATALOGUE[name]
    cls = entry.load()
    assert issubclass(cls, Attack) and cls.name == name == entry.name
    messages = catalogue()
    for key in entry.message_keys:
        assert key in messages, f"add {key!r} to messages/"
        assert all(messages[key].get(lang) for lang in LANGUAGES), f"{key!r} needs every language"
    step = entry.step
    assert step.default in step.choices
    assert all(c == AUTO or c >= 0 for c in step.choices)
    assert entry.targeted or entry.untargeted
    if entry.transfer_start:  # robust_attack hands a black-box method its ensemble as `surrogates`
        import inspect

        assert "surrogates" in inspect.signature(cls.__init__).parameters and not entry.eot


@pytest.mark.parametrize("name", list(CATALOGUE))
def test_every_entry_runs_two_steps_on_a_tiny_model(name, tiny, picture):
    from attack.attacks import make_attack

    entry = CATALOGUE[name]
    target = TOASTER if entry.targeted else None
    records = list(make_attack(name, tiny, epsilon=4, target=target, max_steps=2, stop_at=0.99).run(picture))
    assert 1 <= len(records) and records[-1].step <= 2
    assert records[-1].image.shape == picture.shape and records[-1].image.dtype == np.uint8
    assert (records[-1].queries is not None) == entry.counts_queries


TOY = '''
import tensorflow as tf

from attack.attacks.base import Attack


class Nudge(Attack):
    name = "nudge"

    def update(self, x, gradient, loss, slots, p):
        return x + p.step_size * tf.sign(gradient), slots
'''


@pytest.fixture
def toy_attack(tmp_path, monkeypatch):
    """A new attack made of its three pieces: a module, a catalogue entry and its messages."""
    (tmp_path / "toy_nudge.py").write_text(textwrap.dedent(TOY))
    monkeypatch.syspath_prepend(str(tmp_path))
    step = StepParameter("levels", (AUTO, 1.0, 2.0))
    monkeypatch.setitem(CATALOGUE, "nudge", MethodEntry("nudge", "toy_nudge:Nudge", step))
    messages = catalogue()
    monkeypatch.setitem(messages, "lab.method.nudge", {"en": "Nudge", "zh": "轻推"})
    monkeypatch.setitem(messages, "lab.method.nudge.summary", {"en": "Sign steps.", "zh": "符号步。"})
    yield "nudge"
    sys.modules.pop("toy_nudge", None)


def test_a_new_attack_is_its_module_entry_and_messages(toy_attack, tiny, picture):
    from app.controls import settings_from_query
    from attack.attacks import make_attack
    from attack.cli.main import build_parser
    from attack.settings import AttackSettings
    from attack.serving.worker import StepWorker

    test_every_entry_is_complete(toy_attack)
    assert AttackSettings(method=toy_attack).out_of_range() == []
    settings, ignored = settings_from_query({"method": toy_attack})
    assert settings.method == toy_attack and ignored == []
    args = build_parser().parse_args(["run", "x.png", "--method", toy_attack, "--target", "859", "--out", "y.png"])
    assert args.method == toy_attack
    attack = make_attack(toy_attack, tiny, epsilon=4, target=TOASTER, max_steps=2, stop_at=0.99)
    worker = StepWorker(capacity=1)
    try:
        records = list(worker.submit(attack, picture))
    finally:
        worker.stop()
    assert [r.step for r in records][:1] == [0] and records[-1].step <= 2
    assert np.abs(records[-1].perturbation).max() <= 4
