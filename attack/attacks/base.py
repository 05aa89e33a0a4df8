"""What every attack shares: the step record, the goal, the per-run state and one compiled step.

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
- an entry in attack/catalogue.py (what it supports); class attributes `name`, `default_loss`,
  `default_step_size` (or override `default_step(epsilon)`), `random_start`, `step_limit`.
- `initial_point(state, rng)`: numpy start point (None: the original image). Only with
  `random_start = True`; record 0 still shows the untouched image.
- `init_slots(state)`: the method's per-run tensors, unbatched: H x W x 3 (padded when batched)
  or scalars. Called once per run, eagerly.
- `update(x, gradient, loss, slots, p)`: traced, batched (x, gradient: N x H x W x 3; loss: N;
  slots: dict of N x ... tensors; `p` is a `StepInputs`). Returns (new x, new slots); the base
  clips x to the box afterwards.
- `differentiate(model, grid, sizes, class_index, targeted)`: traced; default is the loss in
  `losses.py` and its gradient. Returns (loss N, gradient, logits N x 1000, aux dict for update).

Driving runs:
    state = attack.start(image)               # one RunState per run
    states = start_runs([(attack, image), ...])  # many at once: clean passes batched per size
    records = attack.step([s1, s2, ...])      # one model call, one record per run (N x uint8 out)
    for record in attack.run(image): ...      # the one-image generator, built on the two above
`step` accepts states from any attack whose `step_key` equals this one's (same method, loss and
model; ε, target, step size and budget may differ per run) — that is the hook for a worker that
lets runs join and leave a shared batch between steps. Runs that step together again reuse their
batch's tensors as they are (see `_batch_tensors`).
"""
from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from typing import Iterator, NamedTuple, Sequence

import numpy as np
import tensorflow as tf

from ..catalogue import MethodEntry
from ..catalogue import entry as catalogue_entry
from ..errors import SettingsError
from ..datatypes import Goal, StepRecord, top_k
from ..models import Classifier
from .losses import LOSSES, objectives

class _Batch:
    """The tensors of runs last stepped together, kept whole between steps (see `Attack.step`).

    `tensors` maps a name ("x", "original", "lower", "upper", "slot:<name>") to an N x ... batch;
    row i belongs to `members[i]`."""

    __slots__ = ("members", "tensors", "__weakref__")

    def __init__(self, members: tuple, tensors: dict[str, tf.Tensor]):
        self.members, self.tensors = members, tensors


@dataclass(eq=False)
class RunState:
    """Everything one run owns. Made by `Attack.start`, advanced by `Attack.step`; never shared."""

    pixels: np.ndarray  # the clean uint8 image, read-only
    original: tf.Tensor  # the same, float32 H x W x 3
    epsilon: float
    step_size: float
    max_steps: int
    stop_at: float
    target: int | None
    seed: int
    goal: Goal | None = None  # known once the clean image has been classified
    clean: tuple[float, np.ndarray, np.ndarray] | None = None  # (loss, probabilities, surrogate) at x₀
    step: int = 0  # the step the next record will carry
    finished: bool = False
    spent: float = 0.0  # seconds of attack computation so far
    # The run's tensors as a batch of one (1 x H x W x 3, or shape (1,) for scalars), so a run that
    # steps alone passes them to the compiled step and takes them back without a copy or a reshape:
    # "x" (the continuous iterate), "original", its ε box "lower"/"upper", and "slot:<name>" for the
    # method's per-run tensors. While the run is part of a batch (`_batch`), its rows live there and
    # are cut out only when it leaves the batch (or someone asks for them).
    _rows: dict[str, tf.Tensor] | None = field(default=None, repr=False)
    _batch: _Batch | None = field(default=None, repr=False)
    _index: int = 0

    @property
    def shape(self) -> tuple[int, int]:
        return int(self.pixels.shape[0]), int(self.pixels.shape[1])

    @property
    def rows(self) -> dict[str, tf.Tensor]:
        """The run's own rows (cut out of its batch first if it is in one)."""
        if self._batch is not None:
            self._leave_batch()
        return self._rows

    @property
    def x(self) -> tf.Tensor:
        """The continuous iterate, 1 x H x W x 3."""
        return self.rows["x"]

    @property
    def slots(self) -> dict[str, tf.Tensor]:
        """The method's per-run tensors, each as a batch of one."""
        return {k[5:]: v for k, v in self.rows.items() if k.startswith("slot:")}

    def _leave_batch(self) -> None:
        batch, i = self._batch, self._index
        h, w = self.shape
        count = len(batch.members)
        self._rows = {k: _unstack(v, i, h, w, count) for k, v in batch.tensors.items()}
        self._batch = None


class StepInputs(NamedTuple):
    """Per-run values a traced `update` may use (all batched; image-shaped ones padded)."""

    original: tf.Tensor  # N x H x W x 3
    lower: tf.Tensor  # the continuous ε box ∩ [0, 255]
    upper: tf.Tensor
    epsilon: tf.Tensor  # N x 1 x 1 x 1
    step_size: tf.Tensor  # N x 1 x 1 x 1
    step: tf.Tensor  # N int32: the step being evaluated (0 = the start point)
    values: tf.Tensor  # N float32: pixel values per image (h · w · 3), for means over an image
    aux: dict  # what `differentiate` passed along


def epsilon_box(original: tf.Tensor, epsilon: tf.Tensor):
    """The continuous box and the grid box (⌊ε⌋ whole levels, so |δ| ≤ ε holds after rounding)."""
    whole = tf.floor(epsilon + 1e-6)
    return (tf.maximum(original - epsilon, 0.0), tf.minimum(original + epsilon, 255.0),
            tf.maximum(original - whole, 0.0), tf.minimum(original + whole, 255.0))


def per_run_select(mask: tf.Tensor, a: tf.Tensor, b: tf.Tensor) -> tf.Tensor:
    """Per run (traced): image a where mask (N bool), else b — with no pass over the images when every
    run agrees, which is the common case (a select of full-resolution batches costs a few ms)."""
    return tf.cond(tf.reduce_all(mask), lambda: a,
                   lambda: tf.cond(tf.reduce_any(mask), lambda: tf.where(mask[:, None, None, None], a, b),
                                   lambda: b))


def _pad_to(row: tf.Tensor, height: int, width: int) -> tf.Tensor:
    h, w = int(row.shape[1]), int(row.shape[2])
    return row if (h, w) == (height, width) else tf.pad(row, [[0, 0], [0, height - h], [0, width - w], [0, 0]])


def _stack(rows: Sequence[tf.Tensor], height: int, width: int) -> tf.Tensor:
    """The runs' rows (1 x h x w x 3, or (1,)) as one batch, padded to height x width."""
    if len(rows) == 1:  # the row is the batch: a run stepping alone pays no copy
        return rows[0]
    if rows[0].shape.rank == 1:
        return tf.concat(rows, 0)
    return tf.concat([_pad_to(r, height, width) for r in rows], 0)


def _unstack(batch: tf.Tensor, i: int, height: int, width: int, count: int) -> tf.Tensor:
    """Run i's own row back out of a (padded) batch."""
    if count == 1:
        return batch
    if batch.shape.rank != 4:
        return batch[i:i + 1]  # a per-run scalar
    return batch[i:i + 1, :height, :width]


def _batch_tensors(states: Sequence[RunState]) -> dict[str, tf.Tensor]:
    """The runs' tensors as one batch (name -> N x ...), copying as little as it can.

    Runs that stepped together last time and step together again reuse that batch as it is (a worker
    steps the same group round after round); a subset of it is gathered; anything else is stacked
    from each run's own rows. Runs of the old batch that are not in the new one take their own rows
    back first, so an old batch is never kept alive by runs that left it."""
    chosen = set(map(id, states))
    for batch in {id(s._batch): s._batch for s in states if s._batch is not None}.values():
        for other in batch.members:
            if id(other) not in chosen and other._batch is batch:
                other._leave_batch()
    first = states[0]._batch
    if len(states) > 1 and first is not None and all(s._batch is first for s in states):
        index = [s._index for s in states]
        if index == list(range(len(first.members))):
            return first.tensors
        rows = tf.constant(index, tf.int32)
        return {k: tf.gather(v, rows) for k, v in first.tensors.items()}
    rows = [s.rows for s in states]
    height = max(s.shape[0] for s in states)
    width = max(s.shape[1] for s in states)
    return {k: _stack([r[k] for r in rows], height, width) for k in rows[0]}


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
        self.loss = loss or self.default_loss
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
                      targeted: tf.Tensor):
        """(loss N, ∂loss/∂grid, logits N x 1000, aux) at the grid images (traced)."""
        with tf.GradientTape() as tape:
            tape.watch(grid)
            logits = model.padded_logits(grid, sizes)
            # -1: "the image's own top-1" — the first step of an untargeted run learns its class here.
            index = tf.where(class_index < 0, tf.argmax(logits, axis=1, output_type=tf.int32), class_index)
            loss = objectives(logits, index, targeted, self.loss)
            total = tf.reduce_sum(loss)  # runs are independent, so ∂Σ/∂x_i = ∂L_i/∂x_i
        return loss, tape.gradient(total, grid), logits, {}

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
        first round) then do not wait for it (seconds for the traces, ~0.2 s per new batch size)."""
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
        tensors = _batch_tensors(states)
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
        # A robust stand-in's averaged view must agree too (attack/eot.py); for a plain model it is `seen`.
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
        """(loss, probabilities, surrogate probabilities) at each clean image (all of one size): one
        batched forward pass."""
        model = self.classifier

        def build():
            @tf.function(input_signature=[tf.TensorSpec([None, None, None, 3], tf.float32),
                                          tf.TensorSpec([None], tf.int32), tf.TensorSpec([None], tf.bool)])
            def clean(images, targets, targeted):
                logits = model.padded_logits(images, None)  # one size: nothing padded
                judge = logits if model.main is model else model.main.padded_logits(images, None)
                index = tf.where(targeted, targets, tf.argmax(judge, axis=1, output_type=tf.int32))
                loss = objectives(logits, index, targeted, self.loss)
                return loss, tf.nn.softmax(judge), tf.nn.softmax(logits)

            return clean

        fn = model.cached(("clean", self.loss), build)
        images = states[0].original[None] if len(states) == 1 else tf.stack([s.original for s in states])
        loss, probabilities, surrogate = fn(
            images, tf.constant([-1 if s.target is None else s.target for s in states], tf.int32),
            tf.constant([s.target is not None for s in states]))
        loss, probabilities = loss.numpy(), probabilities.numpy()
        surrogate = probabilities if model.main is model else surrogate.numpy()
        return [(float(loss[i]), probabilities[i], surrogate[i]) for i in range(len(states))]

    def _compiled_step(self, single: bool, layout: tuple, uniform: bool = False):
        """The one compiled step for this method, loss, model and slot layout (cached by the model).

        Every dimension is left open (one trace serves any batch and image size), except that a
        single run gets its own trace with the batch dimension fixed at 1 (see models.resize_padded),
        and a batch of images of one size (`uniform`) one where the model is told nothing is padded.
        The concrete function is what is kept: calling it skips tf.function's argument matching."""
        model, attack = self.classifier, self
        robust = model.main is not model
        batch = 1 if single else None

        def image_spec(rank=4):
            # Images and image-shaped slots are N x H x W x 3: the channel count is part of the signature
            # (see Classifier.resized_logits for why an unknown one costs time); other slots are per run.
            return tf.TensorSpec([batch, None, None, 3] if rank == 4 else [batch] + [None] * (rank - 1), tf.float32)

        signature = [image_spec(), image_spec(), image_spec(), image_spec(), tf.TensorSpec([batch, 5], tf.int32),
                     tf.TensorSpec([batch, 2], tf.float32), {k: image_spec(rank=rank) for k, rank in layout}]

        def build():
            # The element-wise work around the network pass (rounding, the method's update, the clip to
            # the box, |g|max) runs over the full-resolution image, so it is kept to a few passes: the
            # box is computed once per run, the rounding skips its clip for whole ε, |g|max writes
            # nothing, and APGD's selects skip the image when every run agrees. (XLA fusion of these
            # parts, tried before, no longer gains anything measurable once they are this few, and it
            # compiled once per image size.)
            def on_grid(x, original, eps):
                # x never leaves the continuous box ∩ [0, 255]. With whole ε (the usual case) and whole
                # original levels, round(x) is inside the grid box already; only a fractional ε needs
                # the clip (three passes over the image saved in the common case).
                whole = tf.floor(eps + 1e-6)
                grid = tf.cond(tf.reduce_all(eps - whole < 1e-6), lambda: tf.round(x),
                               lambda: tf.clip_by_value(tf.round(x), original - whole, original + whole))
                return grid, tf.cast(grid, tf.uint8)

            def advance(x, gradient, loss, slots, original, lower, upper, eps, step_size, step, values, aux):
                inputs = StepInputs(original, lower, upper, eps, step_size, step, values, aux)
                new_x, new_slots = attack.update(x, gradient, loss, slots, inputs)
                # max |g| from the extremes: two reads of g and no |g| written out
                gradient_linf = tf.maximum(tf.reduce_max(gradient, axis=[1, 2, 3]),
                                           -tf.reduce_min(gradient, axis=[1, 2, 3]))
                return tf.clip_by_value(new_x, lower, upper), new_slots, gradient_linf

            @tf.function(input_signature=signature)
            def step(x, original, lower, upper, counts, scales, slots):
                sizes, step, class_index, targeted = counts[:, :2], counts[:, 2], counts[:, 3], counts[:, 4] > 0
                eps, step_size = scales[:, 0, None, None, None], scales[:, 1, None, None, None]
                grid, pixels = on_grid(x, original, eps)
                fit = None if uniform else sizes  # the model's view of the padding (models.resize_padded)
                loss, gradient, logits, aux = attack.differentiate(model, grid, fit, class_index, targeted)
                values = tf.cast(sizes[:, 0] * sizes[:, 1] * 3, tf.float32)
                new_x, new_slots, gradient_linf = advance(x, gradient, loss, slots, original, lower, upper, eps,
                                                          step_size, step, values, aux)
                surrogate = tf.nn.softmax(logits)
                if robust:  # the main model judges, at the same grid image (a forward pass only)
                    probabilities = tf.nn.softmax(model.main.padded_logits(grid, fit))
                else:
                    probabilities, surrogate = surrogate, None
                return (pixels, loss, probabilities, surrogate, gradient_linf, new_x, new_slots)

            return step.get_concrete_function()

        return model.cached(("step", type(self), self.loss, layout, single, uniform), build)
