"""Run an attack to the end and verify the result the way a user would: save, read back, classify.

Every consumer of an attack's steps goes through `record_step` (one step into the history, then
the caller's `on_step`, which may ask to stop) and `finish` (the kept step verified as a PNG):
`consume` is the loop over one run's steps, used by `run_attack` and the lab's live panel
(app/lab/live.py); `run_attacks` runs many images with one attack, `batch_size` of them sharing
each compiled step (attack/attacks/stepper.py), and yields each result as soon as its run ends
(the CLI's batch and sweep). `build_attack` and `run_settings` take an `AttackSettings`
(attack/settings.py).
"""
from __future__ import annotations

import math
from typing import Callable, Iterable, Iterator, Sequence

import numpy as np

from ..inputs import images
from . import metrics
from ..datatypes import Goal, StepRecord
from ..attacks.stepper import Stepper
from ..attacks.eot import robust_attack
from .history import RunHistory, RunResult, Verification
from ..datatypes import top_k
from ..models import Classifier
from ..settings import AttackSettings

OnStep = Callable[[StepRecord], "bool | None"]  # called after each step; True asks the run to stop


def verify(classifier: Classifier, png: bytes, original_class: int, target: int | None,
           stop_at: float) -> Verification:
    """Decode the PNG through the normal input path and classify it."""
    pixels = images.load_image(png).pixels
    probabilities = classifier.probabilities(pixels)
    success = Goal(original_class, target, stop_at).reached(probabilities)
    return Verification(png, top_k(probabilities, 5),
                        float(probabilities[target]) if target is not None else math.nan,
                        float(probabilities[original_class]), bool(success))


def record_step(history: RunHistory, record: StepRecord, on_step: OnStep | None) -> bool:
    """Keep one step in the history, then tell `on_step`; True when the caller asked to stop."""
    history.add(record)
    return bool(on_step is not None and on_step(record))


def consume(records: Iterable[StepRecord], history: RunHistory, on_step: OnStep | None = None) -> RunHistory:
    """Take an attack's steps into `history` until they end or `on_step` returns True (the best step is kept).

    The generator is left as it is when stopped early: a caller that may resume it (the lab, after a
    Streamlit rerun) or must close it (Stop) decides."""
    for record in records:
        if record_step(history, record, on_step):
            break
    return history


def run_attack(classifier: Classifier, image: np.ndarray, method: str, *,
               on_step: OnStep | None = None, **settings) -> RunResult:
    """Consume the attack's generator; `on_step` may return True to stop early (the best step is kept)."""
    # robust_attack is make_attack plus the eot_samples / ensemble settings (attack/attacks/eot.py).
    attack = robust_attack(method, classifier, **settings)
    history = consume(attack.run(image), RunHistory(), on_step)
    return finish(classifier, attack.name, attack.epsilon, attack.target, attack.stop_at, history)


def build_attack(classifier: Classifier, settings: AttackSettings, **extra):
    """The attack `settings` describe; `extra` overrides or adds keyword settings (e.g. `ensemble`)."""
    return robust_attack(settings.method, classifier, **{**settings.attack_kwargs(), **extra})


def run_settings(classifier: Classifier, image: np.ndarray, settings: AttackSettings, *,
                 on_step: OnStep | None = None, **extra) -> RunResult:
    """`run_attack` with the settings of one `AttackSettings`; `extra` overrides or adds (e.g. `ensemble`)."""
    return run_attack(classifier, image, settings.method, on_step=on_step, **{**settings.attack_kwargs(), **extra})


DEFAULT_BATCH = 8  # runs per compiled step in batches and sweeps


def run_attacks(classifier: Classifier, images: Sequence[np.ndarray | Callable[[], np.ndarray]], method: str, *,
                on_step_for: Callable[[int], OnStep | None] | None = None,
                batch_size: int = DEFAULT_BATCH, settings_for: Callable[[int], dict] | None = None,
                new_history: Callable[[], RunHistory] = RunHistory,
                **settings) -> Iterator[tuple[int, RunResult]]:
    """Attack every image (or image loader) with one method; yields (index, result) as runs end.

    `on_step_for(i)` gives image i's step callback (return True to stop that run);
    `settings_for(i)` may override settings per image (e.g. ε in a sweep); `new_history()` makes each
    run's history (a caller that draws no replay may keep fewer frames).
    """
    stepper = Stepper(batch_size)
    runs: dict[int, tuple[int, object, RunHistory, Callable | None]] = {}
    for i, image in enumerate(images):
        attack = robust_attack(method, classifier, **{**settings, **(settings_for(i) if settings_for else {})})
        run_id = stepper.add(attack, image)
        runs[run_id] = (i, attack, new_history(), None)
    started: set[int] = set()
    while stepper:
        for advance in stepper.step():
            i, attack, history, on_step = runs[advance.run]
            if advance.run not in started:
                started.add(advance.run)
                on_step = on_step_for(i) if on_step_for else None
                runs[advance.run] = (i, attack, history, on_step)
            done = advance.done
            if record_step(history, advance.record, on_step) and not done:
                stepper.cancel(advance.run)
                done = True
            if done:
                del runs[advance.run]
                yield i, finish(classifier, attack.name, attack.epsilon, attack.target, attack.stop_at, history)


def finish(classifier: Classifier, method: str, epsilon: float, target: int | None, stop_at: float,
           history: RunHistory) -> RunResult:
    """Encode the kept step (the closest to the goal, see RunHistory.best) as PNG, verify it, measure it."""
    first, final = history.first, history.best
    original = first.top5[0]
    png = images.encode_png(final.image)
    verification = verify(classifier, png, original.index, target, stop_at)
    return RunResult(method, classifier.name, epsilon, target, stop_at, original, history, verification,
                     metrics.distances(final.original, final.image))
