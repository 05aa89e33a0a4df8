"""What a session keeps in memory: an estimate of the bytes its state holds alive, and the bounds on it.

Only the session's own data is counted: numpy arrays (once each, by the buffer they keep alive),
bytes and in-memory files, inside dicts, lists, tuples, sets and dataclasses (a LabRun, its history
and result, an explorer outcome). Objects shared by every session (classifiers, the shared worker's
jobs, Streamlit's widgets) are not dataclasses and are not entered, so they are never counted here.
A running attack's own state (its iterate and the method's arrays) lives in the worker and is not
counted either; a finished run's is gone.
"""
from __future__ import annotations

import dataclasses
import io
from typing import Any, Iterable, Mapping

import numpy as np
import streamlit as st

# Per session: one lab run (its frames within attack.history.FRAME_BUDGET_BYTES), one tutorial run and
# its fix (two budgets), the explorer's results and downloads rendered once; the rest is small.
SESSION_BUDGET_BYTES = 4 * 64 * 2**20
EXPLORER_BUDGET_BYTES = 16 * 2**20  # the explorer's kept outcomes: results at the working size, no replay


def retained_bytes(*objects: Any) -> int:
    """Bytes of the arrays, bytes and in-memory files reachable from `objects`, each buffer counted once."""
    seen: set[int] = set()
    buffers: dict[int, int] = {}
    stack = list(objects)
    while stack:
        obj = stack.pop()
        if obj is None or isinstance(obj, (str, int, float, bool, complex)) or id(obj) in seen:
            continue
        seen.add(id(obj))
        if isinstance(obj, np.ndarray):
            owner = obj
            while isinstance(owner.base, np.ndarray):  # a view keeps its whole base alive
                owner = owner.base
            buffers[id(owner)] = owner.nbytes
        elif isinstance(obj, (bytes, bytearray)):
            buffers[id(obj)] = len(obj)
        elif isinstance(obj, memoryview):
            buffers[id(obj)] = obj.nbytes
        elif isinstance(obj, io.BytesIO):  # an uploaded file's bytes
            buffers[id(obj)] = obj.getbuffer().nbytes
        elif isinstance(obj, Mapping):
            stack.extend(obj.keys())
            stack.extend(obj.values())
        elif isinstance(obj, (list, tuple, set, frozenset)):
            stack.extend(obj)
        elif dataclasses.is_dataclass(obj) and not isinstance(obj, type):
            stack.extend(_attributes(obj))
    return sum(buffers.values())


def _attributes(obj: Any) -> Iterable[Any]:
    """A dataclass's fields and whatever else it caches on itself (e.g. a record's perturbation)."""
    if hasattr(obj, "__dict__"):
        return list(vars(obj).values())
    return [getattr(obj, f.name, None) for f in dataclasses.fields(obj)]


def session_bytes(state: Any = None) -> int:
    """The estimate for one session's state (Streamlit's `st.session_state` when none is given)."""
    if state is None:
        state = st.session_state
    return retained_bytes(dict(state))  # st.session_state and AppTest's view of it are both mappings
