"""Attack generators: each method is a class whose `run(image)` yields one StepRecord per step."""
from __future__ import annotations

from .apgd import APGD
from .base import Attack, Goal, RunState, StepRecord
from .cw import CarliniWagnerL2
from .deepfool import DeepFool
from .gradient_ascent import GradientAscent
from .losses import LOSSES
from .sign import BIM, FGSM, MIFGSM, PGD

METHODS: dict[str, type[Attack]] = {
    cls.name: cls for cls in (GradientAscent, FGSM, BIM, PGD, MIFGSM, APGD, DeepFool, CarliniWagnerL2)
}
DEFAULT_METHOD = "pgd"


def make_attack(method: str, classifier, **settings) -> Attack:
    """Build an attack by name; settings are Attack's keyword arguments (epsilon, target, ...)."""
    try:
        cls = METHODS[method]
    except KeyError:
        raise ValueError(f"Unknown method “{method}”; choose one of: {', '.join(METHODS)}.") from None
    return cls(classifier, **settings)


__all__ = ["Attack", "Goal", "RunState", "StepRecord", "METHODS", "DEFAULT_METHOD", "LOSSES", "make_attack",
           "GradientAscent", "FGSM", "BIM", "PGD", "MIFGSM", "APGD", "DeepFool", "CarliniWagnerL2"]
