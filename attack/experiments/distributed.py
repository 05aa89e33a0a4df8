"""Datasets on Ray: a batch's files (or a sweep's ε levels) as tasks on a pool of actors.

Each actor loads the model once and then attacks whatever it is handed with the very code the
in-process path runs (`batch.attack_bytes`, `runner.run_attack`), so rows and points are the same.
Files travel as bytes and outputs come back as bytes: a worker on another machine never needs the
caller's disk. Every task is a Ray streaming generator that yields a small progress item per step and
its result last; the caller reads the tasks in input order, so the progress bar and the order of
`summary.csv` are what the in-process run gives, while later tasks already run on other actors.

Files are dealt to actors round-robin (file i → actor i mod k): simple and in order; a slow file holds
up only the files dealt after it to the same actor.

Ray is optional (`pip install -r requirements-ray.txt`); nothing here imports it until asked.
"""
from __future__ import annotations

import importlib
import os
import queue
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator, Sequence

import numpy as np

from . import batch
from ..inputs import images
from ..plumbing.errors import UserError

LOCAL = "local"


@dataclass(frozen=True)
class Progress:
    """What a worker reports after each step (the CLI's progress bar reads `step`)."""

    step: int
    elapsed: float


class RayUnavailable(UserError, RuntimeError):
    """Ray is not installed or the cluster cannot be reached; the message says what to do."""

    code = "ray"


def _ray():
    try:
        import ray
    except ImportError:
        raise RayUnavailable.coded("ray.not_installed") from None
    return ray


class Cluster:
    """A Ray connection for one command: a local Ray started (and stopped) here, or an existing cluster."""

    def __init__(self, address: str | None = LOCAL, cpus: int | None = None):
        ray = _ray()
        self.ray, self.started = ray, False
        package = Path(importlib.import_module(__name__.partition(".")[0]).__file__).resolve().parent  # attack/
        root = str(package.parent)
        try:
            if address in (None, "", LOCAL):
                # Local workers inherit this environment (offline switch, Keras home) and find the package.
                os.environ["PYTHONPATH"] = os.pathsep.join(p for p in (root, os.environ.get("PYTHONPATH")) if p)
                ray.init(num_cpus=cpus or os.cpu_count() or 1, include_dashboard=False, log_to_driver=False,
                         configure_logging=False)
            else:
                # A remote cluster gets this package shipped with the job; its Python packages must be installed.
                ray.init(address=address, log_to_driver=False, configure_logging=False,
                         runtime_env={"py_modules": [str(package)],
                                      "env_vars": {"ADVERSARIAL_LAB_OFFLINE": "1"}})
        except (ConnectionError, RuntimeError, ValueError) as error:
            raise RayUnavailable.coded("ray.unreachable", address=address, error=str(error)) from None
        self.started = True
        self.actors: list = []

    @property
    def cpus(self) -> int:
        return max(1, int(self.ray.cluster_resources().get("CPU", 1)))

    def close(self) -> None:
        if self.started:
            for actor in self.actors:  # a worker process must not outlive the command (or a test)
                self.ray.kill(actor)
            self.ray.shutdown()
            self.started = False

    def __enter__(self) -> "Cluster":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class AttackWorker:
    """One Ray actor: the model (and any ensemble members) loaded once, then one task after another."""

    def __init__(self, model: str, weights: str | None, ensemble: Sequence[str] = ()):
        from ..models import load_model

        self.classifier = load_model(model, weights)
        self.ensemble = [load_model(name) for name in ensemble]

    def attack_file(self, data: bytes, name: str, stem: str, method: str, lang: str, settings: dict):
        # The attack runs in a thread so each step's progress streams out while it runs.
        steps: queue.Queue = queue.Queue()
        done: list = []

        def work() -> None:
            try:
                done.append(batch.attack_bytes(self.classifier, data, name, stem, method, lang=lang,
                                               on_step=lambda r: steps.put(Progress(r.step, r.elapsed)),
                                               ensemble=self.ensemble, **settings))
            finally:
                steps.put(None)

        threading.Thread(target=work, daemon=True).start()
        while (item := steps.get()) is not None:
            yield item
        yield done[0]

    def sweep_level(self, pixels: np.ndarray, method: str, epsilon: float, settings: dict):
        from .sweep import sweep

        yield from sweep(self.classifier, pixels, method, [epsilon], ensemble=self.ensemble, **settings)


def _actors(cluster: Cluster, count: int, model: str, weights: str | None, ensemble: Sequence[str]):
    actor = cluster.ray.remote(num_cpus=1)(AttackWorker)
    actors = [actor.remote(model, weights, tuple(ensemble)) for _ in range(max(1, count))]
    cluster.actors.extend(actors)
    return actors


def _stream(ray, generator):
    for ref in generator:
        yield ray.get(ref)


def iter_batch(cluster: Cluster, files: list[Path], out: batch.OutputFolder, method: str, *, model: str,
               weights: str | None = None, ensemble: Sequence[str] = (), lang: str = "en",
               on_step_for: Callable[[int, Path], Callable] | None = None, workers: int | None = None,
               **settings) -> Iterator[BatchRow]:
    """`batch.iter_batch` on Ray: the same rows, in the same order, with the same per-step callback."""
    stems = batch.output_stems(files)
    ray = cluster.ray
    actors = _actors(cluster, min(workers or cluster.cpus, len(files)), model, weights, ensemble)
    tasks: list = []
    for i, path in enumerate(files):
        try:
            data = images.read_bytes(path)
        except images.ImageError as error:  # unreadable here: no worker could do better
            tasks.append(batch.BatchRow(path.name, "error", error=error.message))
            continue
        worker = actors[i % len(actors)]
        tasks.append(worker.attack_file.options(num_returns="streaming").remote(
            data, path.name, stems[path], method, lang, settings))
    for i, (path, task) in enumerate(zip(files, tasks)):
        on_step = on_step_for(i, path) if on_step_for else None
        if isinstance(task, batch.BatchRow):
            yield task
            continue
        for item in _stream(ray, task):
            if isinstance(item, Progress):
                if on_step is not None:
                    on_step(item)
            else:
                row, outputs = item
                yield batch.write_outputs(row, outputs, out)


def sweep(cluster: Cluster, image: np.ndarray, method: str, epsilon_levels: Sequence[float], *, model: str,
          weights: str | None = None, ensemble: Sequence[str] = (), workers: int | None = None,
          **settings) -> Iterator:
    """`sweep.sweep` on Ray: one task per ε level, points yielded in the order of the levels."""
    from .sweep import check_levels

    check_levels(epsilon_levels)
    settings.pop("epsilon", None)
    ray = cluster.ray
    actors = _actors(cluster, min(workers or cluster.cpus, len(epsilon_levels)), model, weights, ensemble)
    pixels = ray.put(np.asarray(image))
    tasks = [actors[i % len(actors)].sweep_level.options(num_returns="streaming").remote(
        pixels, method, float(epsilon), settings) for i, epsilon in enumerate(epsilon_levels)]
    for task in tasks:
        yield from _stream(ray, task)


BatchRow = batch.BatchRow
