"""Import TensorFlow without its start-up chatter on stderr.

`import tensorflow` writes absl/oneDNN notices ("WARNING: All log messages before
absl::InitializeLog() is called…", "I0000 … port.cc:153] oneDNN custom operations are on…")
from C++ straight to file descriptor 2: TF_CPP_MIN_LOG_LEVEL does not reach the ones written before
absl's logging starts, and redirecting `sys.stderr` does not reach C++ at all. So while TensorFlow
is first imported, fd 2 points at a temporary file; afterwards the known notices are dropped and
anything else (a real warning or error) is written to stderr as it was.

`install()` hooks the first `import tensorflow`, wherever it happens, so commands stay free to
import TensorFlow late (and bad input fails before it is imported at all).
"""
from __future__ import annotations

import contextlib
import importlib.abc
import importlib.machinery
import logging
import os
import re
import sys
import tempfile

# One notice per line, glog style: "I0000 00:00:1795539479.690491   11117 port.cc:153] …", plus the
# absl banner and the second line of the CPU-feature notice.
_NOTICE = re.compile(r"^(WARNING: All log messages before absl::InitializeLog\(\) is called"
                     r"|[IWE]\d{4} [\d:.]+ +\d+ [\w./-]+:\d+\]"
                     r"|To enable the following instructions:)")


def chatter(line: str) -> bool:
    """True for a line of TensorFlow's start-up notices (not a real warning or error)."""
    return bool(_NOTICE.match(line))


@contextlib.contextmanager
def fd2_filtered():
    """Send fd 2 to a temporary file for the block, then replay its lines that are not notices."""
    sys.stderr.flush()
    saved = os.dup(2)
    with tempfile.TemporaryFile() as sink:
        os.dup2(sink.fileno(), 2)
        try:
            yield
        finally:
            sys.stderr.flush()
            os.dup2(saved, 2)
            os.close(saved)
            sink.seek(0)
            kept = [line for line in sink.read().decode("utf-8", "replace").splitlines()
                    if line.strip() and not chatter(line)]
            if kept:
                print("\n".join(kept), file=sys.stderr)


class _QuietTensorFlow(importlib.abc.MetaPathFinder):
    """A one-shot finder: runs the real `tensorflow` import inside fd2_filtered()."""

    def find_spec(self, fullname, path, target=None):
        if fullname != "tensorflow":
            return None
        _uninstall()
        spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        if spec is None or spec.loader is None:
            return spec
        execute = spec.loader.exec_module

        def exec_module(module):
            with fd2_filtered():
                execute(module)
            # TensorFlow's Python side logs through the "tensorflow" logger (absl's handler).
            logging.getLogger("tensorflow").setLevel(logging.ERROR)

        spec.loader.exec_module = exec_module
        return spec


_finder = _QuietTensorFlow()


def _uninstall() -> None:
    if _finder in sys.meta_path:
        sys.meta_path.remove(_finder)


def install() -> None:
    """Make the process's first `import tensorflow` quiet (no effect once it is imported)."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")  # the C++ logs after start-up
    if "tensorflow" not in sys.modules and _finder not in sys.meta_path:
        sys.meta_path.insert(0, _finder)
