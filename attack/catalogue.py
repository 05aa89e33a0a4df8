"""Every attack method described once, without importing TensorFlow.

An entry says where the method's class lives, what it needs and reports (ε, queries, L0, targeted
and/or untargeted, EOT, a loop of its own), its step parameter and its message keys. The lab's
controls, the command line's choices, the report, batch tables, the worker and the share link read
the entry; the class holds only the method's mathematics. Parsing and the app's start-up do not wait
for TensorFlow: the class is imported only when a run is built (`MethodEntry.load`).

A new attack is three pieces: its module under attack/attacks/, its entry here and its messages
(`lab.method.<name>` and `lab.method.<name>.summary`); tests/test_catalogue.py walks every entry.
"""
from __future__ import annotations

import importlib
from dataclasses import dataclass

from .plumbing.errors import SettingsError

AUTO = "auto"  # a step setting that means "the method's own default"
# The tutorial's learning rate on the [-1, 1] scale: found by experiment on Lite0 (the README's
# tutorial section has the figures); the softmax gradient is so small that the tutorial's own values
# barely move a pixel.
TUTORIAL_LEARNING_RATE = 1e3


@dataclass(frozen=True)
class StepParameter:
    """A method's step setting as the lab offers it: which kind, the choices, and the default."""

    kind: str  # names its messages: lab.step.<kind> (the label) and lab.step.<kind>.help
    choices: tuple
    default: object = AUTO

    @property
    def drawn(self) -> bool:
        """False where the method has nothing to choose (FGSM's one step of size ε)."""
        return len(self.choices) > 1

    @property
    def message_keys(self) -> tuple[str, ...]:
        return (f"lab.step.{self.kind}", f"lab.step.{self.kind}.help") if self.drawn else (f"lab.step.{self.kind}",)


# Step-size scales per kind: the tutorial's learning rate lives on the [-1, 1] input scale and needs
# enormous values on modern models; the sign methods step in pixel levels.
LEARNING_RATE = StepParameter("learning-rate", (0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0, 30.0, 100.0,
                                                300.0, 1e3, 3e3, 1e4, 3e4, 1e5, 3e5, 1e6), TUTORIAL_LEARNING_RATE)
LEVELS = StepParameter("levels", (AUTO, 0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 4.0, 8.0))
ADAM = StepParameter("adam", (AUTO, 0.01, 0.03, 0.1, 0.3, 1.0))
INITIAL = StepParameter("initial", (AUTO, 0.5, 1.0, 2.0, 4.0, 8.0, 16.0))  # APGD's first step; it halves it
OVERSHOOT = StepParameter("overshoot", (AUTO, 0.0, 0.02, 0.05, 0.1, 0.2, 0.5))
SQUARE = StepParameter("square", (AUTO, 0.01, 0.02, 0.05, 0.1, 0.2, 0.4))  # the share of the image a square covers
PAIRS = StepParameter("pairs", (AUTO, 1, 2, 4, 8, 16, 32))  # JSMA: feature pairs changed per step
NO_STEP = StepParameter("fgsm", (AUTO,))  # one step of size ε: nothing to choose


@dataclass(frozen=True)
class MethodEntry:
    """One attack method: where its class lives and what the rest of the project needs to know of it."""

    name: str
    location: str  # "module:Class", imported only when a run is built
    step: StepParameter = LEVELS
    uses_epsilon: bool = True  # False: the lab greys out ε (JSMA changes few pixels all the way)
    counts_queries: bool = False  # black-box: its steps are model queries, and tables say so
    l0: bool = False  # the number of changed pixels is its measure (reports show L0)
    targeted: bool = True
    untargeted: bool = True
    eot: bool = True  # its gradient can be averaged over EOT draws and ensembles
    transfer_start: bool = False  # black-box: ensemble models are its surrogates, used white-box for its start
    own_loop: bool = False  # its class runs its own loop (`run`); no batched `start`/`step`

    @property
    def title_key(self) -> str:
        return f"lab.method.{self.name}"

    @property
    def summary_key(self) -> str:
        return f"lab.method.{self.name}.summary"

    @property
    def message_keys(self) -> tuple[str, ...]:
        return (self.title_key, self.summary_key, *self.step.message_keys)

    def load(self) -> type:
        """The method's class (imports its module, and with it TensorFlow)."""
        module, _, name = self.location.partition(":")
        return getattr(importlib.import_module(module), name)


CATALOGUE: dict[str, MethodEntry] = {entry.name: entry for entry in (
    MethodEntry("gradient-ascent", "attack.attacks.gradient_ascent:GradientAscent", LEARNING_RATE, untargeted=False),
    MethodEntry("fgsm", "attack.attacks.sign:FGSM", NO_STEP),
    MethodEntry("bim", "attack.attacks.sign:BIM"),
    MethodEntry("pgd", "attack.attacks.sign:PGD"),
    MethodEntry("mi-fgsm", "attack.attacks.sign:MIFGSM"),
    MethodEntry("apgd", "attack.attacks.apgd:APGD", INITIAL),
    MethodEntry("deepfool", "attack.attacks.deepfool:DeepFool", OVERSHOOT, targeted=False),
    MethodEntry("cw-l2", "attack.attacks.cw:CarliniWagnerL2", ADAM),
    MethodEntry("square", "attack.attacks.square:SquareAttack", SQUARE, counts_queries=True, eot=False,
                transfer_start=True, own_loop=True),
    MethodEntry("jsma", "attack.attacks.jsma:JSMA", PAIRS, uses_epsilon=False, l0=True, eot=False, own_loop=True),
)}
# APGD: the README's method table has the comparison with PGD (bench/bench_engine.py).
DEFAULT_METHOD = "apgd"
LOSS_NAMES = ("log-softmax", "margin", "probability", "dlr")
TUTORIAL_MAX_STEPS = 1000  # the tutorial replay's step budget (attack/experiments/tutorial.py)


def entry(method: str) -> MethodEntry:
    """The entry of `method`; a coded error naming the choices when there is none."""
    try:
        return CATALOGUE[method]
    except KeyError:
        raise SettingsError.coded("method.unknown", method=method, choices=", ".join(CATALOGUE)) from None
