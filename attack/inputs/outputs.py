"""Writing the command line's output files without harming anything else on the disk.

Three rules, checked before any work starts and kept while writing:

- an output is never one of the command's inputs, nor another output of the same command, however
  the path is spelt (`./a.png`, a symbolic link to it, a hard link: `same_file`);
- an output is never written through a symbolic link: an existing link at an output's name, or an
  output folder that is itself a link, is refused (`refuse_links`);
- a file is written to a fresh temporary name in its folder and then renamed over the output name
  (`OutputFolder.write`), so a link planted between the check and the write is replaced, not
  followed, and an interrupted write never leaves half a file under the output's name.

The errors are `OutputError`s (user errors: the command line exits 2). Nothing here imports TensorFlow.
"""
from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Iterable

from ..plumbing.errors import UserError

# Where the OS lets us name files relative to an open folder, the folder is opened once without
# following a link, so swapping the folder for a link afterwards cannot redirect the writes.
_DIR_FD = {os.open, os.replace, os.unlink} <= os.supports_dir_fd and hasattr(os, "O_DIRECTORY")
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


class OutputError(UserError):
    """An output the command may not write (it is an input, a link, twice the same file)."""

    code = "output"


def identities(path: str | Path) -> list[object]:
    """What makes a path the file it is: its resolved path (links followed, `..` undone) and, when it
    exists, its device and inode (a hard link, or another spelling the resolution missed)."""
    keys: list[object] = [Path(os.path.realpath(path))]  # realpath: a link loop is no exception
    try:
        info = os.stat(path)
        keys.append((info.st_dev, info.st_ino))
    except OSError:  # not there (yet): only its resolved path can match
        pass
    return keys


def same_file(a: str | Path, b: str | Path) -> bool:
    """Whether two paths name the same file (see `identities`)."""
    return bool(set(identities(a)) & set(identities(b)))


def refuse_inputs(outputs: Iterable[str | Path], inputs: Iterable[str | Path]) -> None:
    """Refuse an output that is one of the inputs, or the same file as an earlier output."""
    seen_inputs = {key: Path(p) for p in inputs for key in identities(p)}
    seen_outputs: dict[object, Path] = {}
    for out in map(Path, outputs):
        keys = identities(out)
        for key in keys:
            if key in seen_inputs:
                raise OutputError.coded("output.is_input", output=str(out), input=str(seen_inputs[key]))
            if key in seen_outputs:
                raise OutputError.coded("output.twice", output=str(out), other=str(seen_outputs[key]))
        seen_outputs.update((key, out) for key in keys)


def refuse_links(paths: Iterable[str | Path]) -> None:
    """Refuse any path that is a symbolic link now (an output folder, or an output's name)."""
    for path in paths:
        if os.path.islink(path):
            raise OutputError.coded("output.link", path=str(path))


def refuse_directory(path: str | Path) -> None:
    """Refuse an output file name that is an existing folder (before the work, not after it)."""
    if os.path.isdir(path) and not os.path.islink(path):
        raise OutputError.coded("output.is_folder", path=str(path))


class OutputFolder:
    """A folder the command writes files into by name, never through a link (see the module's rules).

    `link_ok`: the folder may be reached through a link (the folder of a single output file the user
    named, e.g. /tmp on macOS); a batch's --out folder may not."""

    _fd: int | None = None  # also when __init__ raised before opening it: close() then has nothing to do

    def __init__(self, path: str | Path, *, create: bool = False, link_ok: bool = False) -> None:
        self.path = Path(path)
        if not link_ok:
            refuse_links([self.path])
        if create:
            self.path.mkdir(parents=True, exist_ok=True)
        if _DIR_FD:
            try:
                self._fd = os.open(self.path, os.O_RDONLY | os.O_DIRECTORY | (0 if link_ok else _NOFOLLOW))
            except OSError:
                if not link_ok and os.path.islink(self.path):  # it became a link since the check above
                    raise OutputError.coded("output.link", path=str(self.path)) from None
                raise

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> "OutputFolder":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __del__(self) -> None:
        self.close()

    def _at(self, name: str) -> tuple[str, dict]:
        """`name` as os functions take it here: relative to the open folder, or as a path where the OS has no dir_fd."""
        return (name, {"dir_fd": self._fd}) if self._fd is not None else (str(self.path / name), {})

    def write(self, name: str, data: bytes) -> Path:
        """Write `data` as the file `name` in this folder (atomically, replacing whatever had that name)."""
        if not name or name in (".", "..") or os.sep in name or (os.altsep and os.altsep in name):
            raise ValueError(f"not a plain file name: {name!r}")  # a bug in the caller, not user input
        target, where = self._at(name)
        while True:
            temporary, _ = self._at(f".{name[:64]}.{secrets.token_hex(4)}.tmp")
            try:
                # O_EXCL: a fresh file of ours, never an existing one, and never through a link.
                fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW, 0o666, **where)
                break
            except FileExistsError:
                continue
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            # rename() replaces a link planted at `name` since the checks; it never writes through it.
            renamed = {} if self._fd is None else {"src_dir_fd": self._fd, "dst_dir_fd": self._fd}
            os.replace(temporary, target, **renamed)
        except BaseException:
            try:
                os.unlink(temporary, **where)
            except OSError:
                pass
            raise
        return self.path / name


def write_file(path: str | Path, data: bytes) -> None:
    """Write one output file the user named (its folder must exist), by the same rules as a folder's files:
    a link at its name (checked before the work, so planted since) is replaced, not followed."""
    path = Path(path)
    with OutputFolder(path.parent, link_ok=True) as folder:
        folder.write(path.name, data)
