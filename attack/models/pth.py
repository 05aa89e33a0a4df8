"""Read PyTorch's legacy (pre-1.6) `.pth` serialisation with numpy alone — no torch import.

The legacy format is a run of pickles: magic number, protocol version, system info, the object
(tensors refer to storages by persistent id), the list of storage keys, then each storage's raw
bytes prefixed by its element count.
"""
from __future__ import annotations

import collections
import pickle
import struct
from pathlib import Path
from typing import BinaryIO

import numpy as np

_MAGIC = 0x1950A86A20F9469CFC6C
_DTYPES = {
    "FloatStorage": np.float32,
    "DoubleStorage": np.float64,
    "HalfStorage": np.float16,
    "LongStorage": np.int64,
    "IntStorage": np.int32,
    "ShortStorage": np.int16,
    "CharStorage": np.int8,
    "ByteStorage": np.uint8,
    "BoolStorage": np.bool_,
}


class _StorageType:
    def __init__(self, name: str):
        self.dtype = np.dtype(_DTYPES[name])


class _Storage:
    """Placeholder filled with data once the raw bytes after the object pickle are read."""

    def __init__(self, dtype: np.dtype):
        self.dtype = dtype
        self.data: np.ndarray | None = None


class _LazyTensor:
    def __init__(self, storage: _Storage, offset: int, size: tuple, stride: tuple):
        self.storage, self.offset, self.size, self.stride = storage, offset, tuple(size), tuple(stride)

    def to_numpy(self) -> np.ndarray:
        data = self.storage.data
        itemsize = data.dtype.itemsize
        view = np.lib.stride_tricks.as_strided(
            data[self.offset:], shape=self.size, strides=[s * itemsize for s in self.stride]
        )
        return np.array(view)  # a copy, so the big storage buffer can be freed


def _rebuild_tensor(storage, storage_offset, size, stride, *_unused):
    return _LazyTensor(storage, storage_offset, size, stride)


class _Unpickler(pickle.Unpickler):
    def __init__(self, file: BinaryIO, storages: dict):
        super().__init__(file)
        self._storages = storages

    def find_class(self, module: str, name: str):
        if module == "torch._utils" and name in ("_rebuild_tensor", "_rebuild_tensor_v2"):
            return _rebuild_tensor
        if module == "torch" and name in _DTYPES:
            return _StorageType(name)
        if module == "collections" and name == "OrderedDict":
            return collections.OrderedDict
        raise pickle.UnpicklingError(f"unexpected object in weights file: {module}.{name}")

    def persistent_load(self, pid):
        kind, storage_type, key, _location, _numel, *view = pid
        if kind != "storage" or (view and view[0] is not None):
            raise pickle.UnpicklingError("unsupported storage record in weights file")
        if key not in self._storages:
            self._storages[key] = _Storage(storage_type.dtype)
        return self._storages[key]


def load_legacy_state_dict(path: str | Path) -> dict[str, np.ndarray]:
    """Return the state dict saved in a legacy-format `.pth` file as numpy arrays."""
    with open(path, "rb") as f:
        if pickle.load(f) != _MAGIC:
            raise ValueError(f"{path} is not a legacy PyTorch file")
        pickle.load(f)  # protocol version
        pickle.load(f)  # sys info
        storages: dict = {}
        state = _Unpickler(f, storages).load()
        for key in pickle.load(f):
            (count,) = struct.unpack("<q", f.read(8))
            storage = storages[key]
            raw = f.read(count * storage.dtype.itemsize)
            storage.data = np.frombuffer(raw, dtype=storage.dtype, count=count)
    return {name: tensor.to_numpy() for name, tensor in state.items()}
