"""One attack run's settings, with the one set of defaults and the ranges a user may ask for.

The lab, its share link, the robustness explorer, the command line and the runner all describe a
run with `AttackSettings`, so a default changes in one place. The defaults are the ones users and
the README know from the lab: APGD toward "toaster", ε = 2 levels, at most 200 steps, stop at 90 %.

The attack classes keep their own keyword defaults (attack/attacks/base.py: 100 steps, stop at 60 %,
the tutorial's level): the engine tests' step budgets were measured against them. Everything a
person starts goes through these settings instead.

Importing this module never imports TensorFlow (the CLI validates its input before loading it).
"""
from __future__ import annotations

import math
from dataclasses import asdict, dataclass

from .catalogue import CATALOGUE, DEFAULT_METHOD, LOSS_NAMES
from .models import DEFAULT_MODEL

TOASTER = 859  # the tutorial's target: the default goal everywhere
DEFAULT_EPSILON = 2.0
DEFAULT_MAX_STEPS = 200
DEFAULT_STOP_AT = 0.9
DEFAULT_SEED = 0


@dataclass(frozen=True)
class Range:
    """Inclusive bounds a user-facing value must lie in, and how to say them ("1–5000", "≥ 0")."""

    low: float
    high: float
    shown: str = ""

    def __contains__(self, value: float) -> bool:
        return self.low <= value <= self.high

    def __str__(self) -> str:
        return self.shown or f"{self.low:g}–{self.high:g}"


# What a person may ask for (the lab's controls, a shared link, the explorer); the engine itself
# accepts more (any stop level in (0, 1), any positive ε), which its tests and the tutorial use.
RANGES: dict[str, Range] = {
    "epsilon": Range(0.5, 32.0),  # below half a level nothing can change; 32 is already clearly visible
    "step_size": Range(1e-9, math.inf, "> 0"),
    "max_steps": Range(1, 5000),
    "stop_at": Range(0.60, 0.99),  # the tutorial's 60 % up to near-certainty
    "seed": Range(0, 2**31 - 1, "≥ 0"),
    "eot_samples": Range(0, 16),
}



def box_is_empty(epsilon: float) -> bool:
    """No pixel can move: on the 8-bit grid the ε box is ⌊ε⌋ whole levels each way."""
    return math.floor(epsilon + 1e-9) < 1


@dataclass(frozen=True)
class AttackSettings:
    """Everything an attack run needs besides the image (what a shared link carries)."""

    model: str = DEFAULT_MODEL
    method: str = DEFAULT_METHOD
    target: int | None = TOASTER  # None: untargeted
    epsilon: float = DEFAULT_EPSILON  # pixel levels out of 255
    step_size: float | None = None  # None: the method's default
    max_steps: int = DEFAULT_MAX_STEPS
    stop_at: float = DEFAULT_STOP_AT
    seed: int = DEFAULT_SEED
    loss: str | None = None  # None: the method's default loss
    eot_samples: int = 0  # 0: a plain attack; N: expectation over N random transformations per step

    def attack_kwargs(self) -> dict:
        """The attack's keyword arguments (make_attack / robust_attack); loss and EOT only when asked for,
        so a plain run builds exactly the attack it always did."""
        kwargs = {"epsilon": self.epsilon, "target": self.target, "step_size": self.step_size,
                  "max_steps": self.max_steps, "stop_at": self.stop_at, "seed": self.seed}
        if self.loss is not None:
            kwargs["loss"] = self.loss
        if self.eot_samples:
            kwargs["eot_samples"] = self.eot_samples
        return kwargs

    def as_dict(self) -> dict:
        """The settings as plain values (the run JSON's "settings"): the lab's eight, plus loss and EOT
        when they are used."""
        values = asdict(self)
        if self.loss is None:
            del values["loss"]
        if not self.eot_samples:
            del values["eot_samples"]
        return values

    def out_of_range(self) -> list[str]:
        """The fields outside what a person may ask for (RANGES) or naming no method/loss; [] when usable."""
        wrong = [name for name, allowed in RANGES.items()
                 if getattr(self, name) is not None and getattr(self, name) not in allowed]
        if self.method not in CATALOGUE:
            wrong.insert(0, "method")
        if self.loss is not None and self.loss not in LOSS_NAMES:
            wrong.append("loss")
        return wrong
