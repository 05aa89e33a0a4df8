"""Attack generators: each method is a class whose `run(image)` yields one StepRecord per step.

Which methods exist, and what each supports, is attack/catalogue.py: `make_attack` builds from there."""
from __future__ import annotations

from ..catalogue import CATALOGUE, entry
from ..datatypes import Goal, StepRecord
from .apgd import APGD
from .base import Attack, RunState
from .cw import CarliniWagnerL2
from .deepfool import DeepFool
from .gradient_ascent import GradientAscent
from .jsma import JSMA
from .losses import LOSSES
from .sign import BIM, FGSM, MIFGSM, PGD
from .square import SquareAttack

# The catalogue's classes, by name (those above; read CATALOGUE for what each supports).
METHODS: dict[str, type[Attack]] = {name: method.load() for name, method in CATALOGUE.items()}


def make_attack(method: str, classifier, **settings) -> Attack:
    """Build an attack by name; settings are Attack's keyword arguments (epsilon, target, ...)."""
    return entry(method).load()(classifier, **settings)


__all__ = ["Attack", "Goal", "RunState", "StepRecord", "METHODS", "LOSSES", "make_attack",
           "GradientAscent", "FGSM", "BIM", "PGD", "MIFGSM", "APGD", "DeepFool", "CarliniWagnerL2",
           "SquareAttack", "JSMA"]
