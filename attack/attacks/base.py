"""What every attack shares: its settings, the method API, and a run's life from start to record.

The parts live beside it: the run's memory in state.py, the compiled step and clean pass in
compiled.py, the records in attack/datatypes.py, what each method supports in attack/catalogue.py.

Each attack keeps a continuous image `x` inside the ε box, but the model only ever sees `x`
rounded onto the uint8 grid (straight-through): the loss, the gradient, the probabilities and the
success test of every step belong to an image that can be saved as an 8-bit PNG unchanged. So a
record that says "success" describes a file that fools the model, and if rounding would undo a
success the attack simply has not succeeded yet and keeps optimising.

One step, for a batch of N runs (one compiled function; only what a record needs leaves it):

    x̂   = clip(round(x), x₀ − ⌊ε⌋, x₀ + ⌊ε⌋) ∩ [0, 255]       the image the model sees (uint8 out)
    L, g = loss and ∂L/∂x̂ at x̂                                 (`differentiate`)
    x'  = Π_ε(update(x, g, L, slots))                          (`update`, then the clip to the box)

Re-entrancy (as in Foolbox): an `Attack` holds only settings. Everything one run owns — its image,
goal, iterate `x`, the method's `slots` (momentum, Adam moments, step sizes, ...), its step counter
and finished flag — lives in a `RunState` that `start` makes and `step` advances. One attack object
can drive many runs at once, interleaved or batched.

API for a method (porting notes for new attacks):
- an entry in attack/catalogue.py (what it supports); class attributes `name`, `default_loss` (and
  `untargeted_loss` where a run without a target wants another), `default_step_size` (or override
  `default_step(epsilon)`), `random_start`, `step_limit`.
- `initial_point(state, rng)`: numpy start point (None: the original image). Only with
  `random_start = True`; record 0 still shows the untouched image.
- `init_slots(state)`: the method's per-run tensors, unbatched: H x W x 3 (padded when batched)
  or scalars. Called once per run, eagerly.
- `update(x, gradient, loss, slots, p)`: traced, batched (x, gradient: N x H x W x 3; loss: N;
  slots: dict of N x ... tensors; `p` is a `StepInputs`). Returns (new x, new slots); the base
  clips x to the box afterwards.
- `differentiate(model, grid, sizes, class_index, targeted, slots)`: traced; default is the loss in
  `losses.py` and the gradient of what `ascended` makes of it. Returns (loss N, gradient, logits
  N x 1000, aux dict for update); `slots` are the method's, as `update` last left them.
- `ascended(logits, index, targeted, loss, slots)`: traced; what the default `differentiate` climbs
  (the loss itself, unless the method's objective changes mid-run) and the aux dict for `update`.

Driving runs:
    state = attack.start(image)               # one RunState per run
    states = start_runs([(attack, image), ...])  # many at once: clean passes batched per size
    records = attack.step([s1, s2, ...])      # one model call, one record per run (N x uint8 out)
    for record in attack.run(image): ...      # the one-image generator, built on the two above
`step` accepts states from any attack whose `step_key` equals this one's (same method, loss and
model; ε, target, step size and budget may differ per run) — that is the hook for a worker that
lets runs join and leave a shared batch between steps. Runs that step together again reuse their
batch's tensors as they are (see state.batch_tensors).
"""
from __future__ import annotations

import math
import time
from typing import Iterator, Sequence

import numpy as np
import tensorflow as tf

from ..catalogue import MethodEntry
from ..catalogue import entry as catalogue_entry
from ..datatypes import Goal, StepRecord, top_k
from ..plumbing.errors import SettingsError
from ..models import Classifier
from .compiled import StepInputs, clean_passes, compiled_step, epsilon_box, per_run_select
from .losses import LOSSES, objectives
from .state import RunState, _Batch, batch_tensors

__all__ = ["Attack", "RunState", "StepInputs", "epsilon_box", "goal_class", "per_run_select", "start_runs"]


def goal_class(logits: tf.Tensor, class_index: tf.Tensor) -> tf.Tensor:
    """The class each run's loss is about (traced): -1 means "the image's own top-1", so the first
    step of an untargeted run learns its class here."""
    return tf.where(class_index < 0, tf.argmax(logits, axis=1, output_type=tf.int32), class_index)


def start_runs(runs: Sequence[tuple["Attack", np.ndarray]]) -> list[RunState]:
    """Fresh runs, one per (attack, image): `Attack.start` for many at once. Clean images that must be
    classified first (random starts, robust stand-ins) are, in one batched pass per step key and size."""
    clock = time.perf_counter()
    begun = [attack._begin(image) for attack, image in runs]  # (state, random start?, needs a clean pass?)
    waiting: dict[tuple, list[int]] = {}
    for i, ((attack, _), (state, _, needs_clean)) in enumerate(zip(runs, begun)):
        if needs_clean:
            waiting.setdefault((attack.step_key, state.shape), []).append(i)
    cleans: dict[int, tuple] = {}
    for members in waiting.values():
        passes = runs[members[0]][0]._clean_passes([begun[i][0] for i in members])
        cleans.update(zip(members, passes))
    states = []
    for i, ((attack, _), (state, random_start, _)) in enumerate(zip(runs, begun)):
        attack._complete(state, cleans.get(i), random_start)
        states.append(state)
    share = (time.perf_counter() - clock) / max(len(runs), 1)
    for state in states:
        state.spent = share
    return states


class Attack:
    """Base class: subclasses set `name` (their entry in attack/catalogue.py says what they support),
    defaults, and implement `update` (and maybe more)."""

    name = "attack"
    default_loss = "log-softmax"
    untargeted_loss: str | None = None  # the default loss when there is no target, if it differs
    default_step_size = 0.25  # pixel levels per step, unless the method says otherwise
    random_start = False  # True: `initial_point` draws the start (record 0 still shows the clean image)
    step_limit: int | None = None  # a method that is a fixed number of steps (FGSM: 1)

    def __init__(self, classifier: Classifier, *, epsilon: float = 2.0, target: int | None = None,
                 step_size: float | None = None, max_steps: int = 100, stop_at: float = 0.6,
                 loss: str | None = None, seed: int = 0):
        if not epsilon > 0:
            raise SettingsError.coded("settings.epsilon_positive")
        if max_steps < 1:
            raise SettingsError.coded("settings.budget_one_step")
        if not 0.0 < stop_at < 1.0:
            raise SettingsError.coded("settings.stop_at_range")
        if target is None and not self.entry.untargeted:
            raise SettingsError.coded("settings.needs_target", method=self.name)
        if target is not None and not self.entry.targeted:
            raise SettingsError.coded("settings.untargeted_only", method=self.name)
        self.loss = loss or (self.untargeted_loss if target is None and self.untargeted_loss else self.default_loss)
        if self.loss not in LOSSES:
            raise SettingsError.coded("settings.loss_unknown", loss=self.loss, choices=", ".join(LOSSES))
        self.classifier, self.epsilon, self.target = classifier, float(epsilon), target
        self.step_size = float(step_size if step_size is not None else self.default_step(epsilon))
        if not self.step_size > 0:
            raise SettingsError.coded("settings.step_positive")
        self.max_steps, self.stop_at, self.seed = int(max_steps), float(stop_at), int(seed)

    @property
    def entry(self) -> MethodEntry:
        """What the method supports and reports (attack/catalogue.py)."""
        return catalogue_entry(self.name)

    def default_step(self, epsilon: float) -> float:
        return self.default_step_size

    @property
    def step_key(self) -> tuple:
        """Runs of attacks with equal keys can share one batched `step`: the model goes by its key
        (its name), not the instance, so runs on two copies of one model still batch together."""
        return type(self), self.loss, getattr(self.classifier, "key", id(self.classifier))

    # --- the parts a method defines -------------------------------------------------------------
    def initial_point(self, state: RunState, rng: np.random.Generator) -> np.ndarray | None:
        """The continuous starting point as float32 H x W x 3 (None: the original image)."""
        return None

    def init_slots(self, state: RunState) -> dict[str, tf.Tensor]:
        """The method's per-run tensors (unbatched), made once when the run starts."""
        return {}

    def update(self, x: tf.Tensor, gradient: tf.Tensor, loss: tf.Tensor, slots: dict,
               p: StepInputs) -> tuple[tf.Tensor, dict]:
        """One ascent step on the continuous batch (traced); the base clips it to the box afterwards."""
        raise NotImplementedError

    def differentiate(self, model, grid: tf.Tensor, sizes: tf.Tensor, class_index: tf.Tensor,
                      targeted: tf.Tensor, slots: dict):
        """(loss N, ∂loss/∂grid, logits N x 1000, aux) at the grid images (traced)."""
        with tf.GradientTape() as tape:
            tape.watch(grid)
            logits = model.padded_logits(grid, sizes)
            index = goal_class(logits, class_index)
            loss = objectives(logits, index, targeted, self.loss)
            ascended, aux = self.ascended(logits, index, targeted, loss, slots)
            total = tf.reduce_sum(ascended)  # runs are independent, so ∂Σ/∂x_i = ∂L_i/∂x_i
        return loss, tape.gradient(total, grid), logits, aux

    def ascended(self, logits: tf.Tensor, index: tf.Tensor, targeted: tf.Tensor, loss: tf.Tensor,
                 slots: dict) -> tuple[tf.Tensor, dict]:
        """What the step climbs (N,), and the aux dict for `update` (traced): the reported loss itself."""
        return loss, {}

    # --- running ----------------------------------------------------------------------------------
    def start(self, image: np.ndarray) -> RunState:
        """A fresh run of this attack on `image` (uint8 H x W x 3)."""
        (state,) = start_runs([(self, image)])
        return state

    def _begin(self, image: np.ndarray) -> tuple[RunState, bool, bool]:
        """A run's state up to its clean pass; whether it starts at a random point, and whether its
        clean image must be classified first."""
        pixels = np.ascontiguousarray(image, dtype=np.uint8)
        pixels.flags.writeable = False
        state = RunState(pixels, tf.constant(pixels, tf.float32), self.epsilon, self.step_size,
                         min(self.max_steps, self.step_limit or self.max_steps), self.stop_at, self.target,
                         self.seed)
        start = self.initial_point(state, np.random.default_rng(self.seed)) if self.random_start else None
        # The ε box is fixed for the run: computed once here, not in every step.
        lower, upper, _, _ = epsilon_box(state.original, tf.constant(state.epsilon))
        x = state.original if start is None else tf.clip_by_value(tf.constant(start, tf.float32), lower, upper)
        state._rows = {"x": x, "lower": lower, "upper": upper}  # unbatched until `_complete`
        # The first step is not taken at the clean image as the judge sees it (a random start, or a
        # robust stand-in's averaged view), so the clean image is classified before it, once.
        random_start = start is not None
        return state, random_start, random_start or self.classifier.main is not self.classifier

    def _complete(self, state: RunState, clean: tuple | None, random_start: bool) -> None:
        """The rest of `start`, given the clean pass's (loss, probabilities, surrogate) if one was made."""
        if clean is not None:
            state.goal = Goal(int(np.argmax(clean[1])), state.target, state.stop_at)
            if random_start:  # record 0 shows the clean image, with what the model says of it
                state.clean = clean
        rows = state._rows  # `init_slots` sees state.x unbatched
        slots = {f"slot:{k}": v[None] for k, v in self.init_slots(state).items()}
        state._rows = {"x": rows["x"][None], "original": state.original[None], "lower": rows["lower"][None],
                       "upper": rows["upper"][None], **slots}

    def warm_up(self, batch_sizes: Sequence[int] = (1, 2), side: int = 16) -> None:
        """Trace the compiled functions that a run alone and batches of one image size use, and let
        TensorFlow plan each batch size once, on tiny grey images: the first real runs (a crowd's
        first round) then do not wait for the traces and plans."""
        grey = np.full((side, side, 3), 128, np.uint8)
        for size in batch_sizes:
            self.step(start_runs([(self, grey)] * size))

    def run(self, image: np.ndarray) -> Iterator[StepRecord]:
        """Yield one record per gradient step until success or the step budget; stop early by not asking."""
        state = self.start(image)
        while not state.finished:
            (record,) = self.step([state])
            yield record

    def step(self, states: Sequence[RunState]) -> list[StepRecord]:
        """Advance every (unfinished) run by one step in one compiled call; one record per run."""
        if any(s.finished for s in states):
            raise ValueError("A finished run cannot take another step.")
        clock = time.perf_counter()
        count = len(states)
        tensors = batch_tensors(states)
        # Per-run numbers travel as two small tensors (each constant costs a few tens of µs).
        counts = tf.constant([(*s.shape, s.step, self._class_index(s), s.target is not None) for s in states],
                             tf.int32)
        scales = tf.constant([(s.epsilon, s.step_size) for s in states], tf.float32)
        padded_shape = tuple(tensors["x"].shape[1:3])
        uniform = count > 1 and all(s.shape == padded_shape for s in states)  # nothing padded
        slots = {k[5:]: v for k, v in tensors.items() if k.startswith("slot:")}
        step = self._compiled_step(count == 1, tuple((k, v.shape.rank) for k, v in slots.items()), uniform)
        image, loss, probabilities, surrogate, gradient_linf, x, slots = step(
            tensors["x"], tensors["original"], tensors["lower"], tensors["upper"], counts, scales, slots)
        image, loss, probabilities = image.numpy(), loss.numpy(), probabilities.numpy()
        surrogate = probabilities if surrogate is None else surrogate.numpy()
        gradient_linf = gradient_linf.numpy()
        # The new tensors stay one batch: if the same runs step together next time, nothing is copied.
        after = {**tensors, "x": x, **{f"slot:{k}": v for k, v in slots.items()}}
        if count == 1:
            states[0]._rows = after
        else:
            batch = _Batch(tuple(states), after)
            for i, state in enumerate(states):
                state._batch, state._index, state._rows = batch, i, None
        share = (time.perf_counter() - clock) / len(states)
        records = []
        for i, state in enumerate(states):
            clock = time.perf_counter()
            h, w = state.shape
            if state.step == 0 and state.clean is not None:
                # Record 0 is the untouched image (what reports call "original"); the first update
                # still follows the gradient at the random start.
                picture, value, seen, averaged = state.pixels, state.clean[0], state.clean[1], state.clean[2]
            else:
                picture = np.ascontiguousarray(image[i, :h, :w])
                picture.flags.writeable = False
                value, seen, averaged = float(loss[i]), probabilities[i], surrogate[i]
            if state.goal is None:
                state.goal = Goal(int(np.argmax(seen)), state.target, state.stop_at)
            records.append(self._record(state, picture, value, seen, averaged, float(gradient_linf[i]),
                                        share + time.perf_counter() - clock))
            if state.finished and state._batch is not None:
                state._leave_batch()  # a finished run keeps its own rows, not the whole batch alive
        return records

    def _record(self, state: RunState, picture, value, seen, averaged, gradient_linf, seconds) -> StepRecord:
        goal = state.goal
        # A robust stand-in's averaged view must agree too (attack/attacks/eot.py); for a plain model it is `seen`.
        success = goal.reached(seen) and (averaged is seen or goal.reached(averaged))
        state.spent += seconds
        record = StepRecord(
            step=state.step, loss=float(value), top5=top_k(seen, 5),
            target_probability=float(seen[goal.target]) if goal.targeted else math.nan,
            original_probability=float(seen[goal.original_class]),
            image=picture, original=state.pixels, gradient_linf=gradient_linf,
            elapsed=state.spent, success=bool(success))
        state.finished = record.success or state.step >= state.max_steps
        state.step += 1
        return record

    def _class_index(self, state: RunState) -> int:
        if state.target is not None:
            return state.target
        return state.goal.original_class if state.goal is not None else -1

    def _clean_passes(self, states: Sequence[RunState]) -> list[tuple[float, np.ndarray, np.ndarray]]:
        """The clean images' (loss, probabilities, surrogate probabilities): one batched pass (compiled.py)."""
        return clean_passes(self, states)

    def _compiled_step(self, single: bool, layout: tuple, uniform: bool = False):
        """This method's compiled step for a batch of `single` or many runs (compiled.py)."""
        return compiled_step(self, single, layout, uniform)
