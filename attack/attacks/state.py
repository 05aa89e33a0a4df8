"""A run's own memory, and the batches runs share while they step together.

A `RunState` is everything one run owns (see attack/attacks/base.py). Its tensors are kept as a batch
of one; runs stepped together share one batch (`_Batch`) until one of them leaves it, so a group that
steps together round after round copies nothing between steps (`batch_tensors`).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Sequence

import numpy as np
import tensorflow as tf

from ..datatypes import Goal


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


def batch_tensors(states: Sequence[RunState]) -> dict[str, tf.Tensor]:
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
