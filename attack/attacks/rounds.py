"""The scheduling core that the batch runner (stepper.py) and the server's worker (attack/serving/worker.py)
share: start runs together, and group the runs of one round into batches that share a model call.

A run, here, is anything with an `attack` and a `state` (the engine's RunState; None for a run that
steps alone: an own-loop attack's generator, or any other iterator the worker was handed).
"""
from __future__ import annotations

from typing import Protocol, Sequence, TypeVar

import numpy as np

from .base import Attack, RunState, start_runs


class Scheduled(Protocol):
    attack: Attack | None
    state: RunState | None


R = TypeVar("R", bound=Scheduled)


def start_together(pairs: Sequence[tuple[Attack, np.ndarray]]) -> list[RunState | Exception]:
    """Start runs with their clean passes batched; if that fails, each alone, so only the failing run
    gets its error (in its place in the list) and the others start."""
    try:
        return start_runs(pairs)
    except Exception:  # noqa: BLE001 — retried one by one below, where the culprit keeps its error
        pass
    started: list[RunState | Exception] = []
    for attack, image in pairs:
        try:
            started.append(attack.start(image))
        except Exception as error:  # noqa: BLE001 — handed back to the caller, who ends that run with it
            started.append(error)
    return started


def batches(runs: Sequence[R]) -> list[list[R]]:
    """The round's runs grouped by what can share one compiled step: same step key (method, loss, model)
    and same image size; a run without a state steps alone.

    Same-sized images only: padding a batch to its largest image costs more than stepping the sizes
    apart (bench/bench_engine.py, the batch table)."""
    groups: dict[object, list[R]] = {}
    for run in runs:
        key = (run.attack.step_key, run.state.shape) if run.state is not None else id(run)
        groups.setdefault(key, []).append(run)
    return list(groups.values())
