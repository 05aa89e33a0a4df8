"""What every `python -m attack` sub-command shares: its user error and exit codes, reading the input
files, the progress line on stderr, checking and writing output files (attack.outputs: never an input,
never through a link), and refusing impossible attack settings.

The error policy (applied in attack.cli.main): a `UserError` — raised here, or by the engine for a bad
image, an unknown class, a model that cannot be had, settings an attack cannot take — is one line on
stderr and exit code 2. Any other exception is a bug and surfaces with its traceback. So a mistake a
user can make, and that arrives from Python as a bare OSError, is turned into a `CliError` right where
it happens (`writing`, `write_output`, `make_output_folder`), never by catching it around a command.

Nothing here imports TensorFlow at import time: the parser must refuse bad input before it loads.
"""
from __future__ import annotations

import argparse
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable, Iterator

from ..inputs import images, labels, outputs
from ..plumbing.errors import UserError

if TYPE_CHECKING:  # imports TensorFlow; the parser must not wait for it
    from ..models import Classifier

EXIT_BAD_INPUT = 2
EXIT_INTERRUPTED = 130  # the shell's code for a command ended by Ctrl-C (128 + SIGINT)


class CliError(UserError):
    """A user-facing problem: printed as one line, exit code 2."""

    code = "cli"


def load_image(path: str) -> images.LoadedImage:
    """The image at `path`; a missing file is a CliError, an unreadable one the engine's ImageError."""
    if not path or not Path(path).exists():  # Path("") is the current folder
        raise CliError(f"No such file: {path}")
    image = images.load_image(path)
    for note in image.notes:  # the outputs will be smaller than the photo: say so before the work starts
        if note.key == "note.image.downscaled":
            print(f"note: {path}: {note}", file=sys.stderr)
    return image


def resolve_target(args: argparse.Namespace) -> int | None:
    """The class index of --target, or None with --untargeted (the two are mutually exclusive)."""
    return None if args.untargeted else labels.resolve(label_query(args.target))


def label_query(text: str) -> str:
    """A class name or number as typed, refused when it has digits int() cannot read (², ①): the label
    search would take them for a class number."""
    if any(c.isdigit() and not c.isdecimal() for c in text):
        raise CliError.coded("cli.odd_digits", query=text)
    return text


# --- the progress line --------------------------------------------------------------------------
class _ProgressLine:
    """Whether a progress bar holds stderr's current line: an error must then start a new one."""

    open = False


_line = _ProgressLine()


def end_progress_line() -> str:
    """"\n" when a progress bar holds stderr's current line, else "": errors stay one line."""
    opened, _line.open = _line.open, False
    return "\n" if opened else ""


def draw_bar(fraction: float, text: str) -> None:
    """A 30-character bar and `text`, redrawn in place on stderr's current line."""
    _line.open = True
    filled = int(30 * min(max(fraction, 0.0), 1.0))
    print(f"\r\033[K[{'#' * filled}{'.' * (30 - filled)}] {text}", end="", file=sys.stderr, flush=True)


def progress_bar(quiet: bool, max_steps: int) -> Callable:
    """An attack's `on_step` callback: step, probability toward the goal and time, on stderr."""
    def show(record) -> None:
        if quiet:
            return
        # NaN != NaN: an untargeted run has no target probability; show how far the original fell.
        probability = record.target_probability if record.target_probability == record.target_probability \
            else 1 - record.original_probability
        draw_bar(record.step / max(max_steps, 1),
                 f"step {record.step:>5}/{max_steps}  p={probability:6.2%}  {record.elapsed:6.1f}s")
    return show


# --- output files and settings ----------------------------------------------------------------------
@contextmanager
def writing(path: str | Path) -> Iterator[None]:
    """Around writing an output file the user named: a path that cannot be written (no such folder, no
    permission, a full disk) is theirs to fix, so its OSError becomes a CliError (exit 2)."""
    try:
        yield
    except OSError as error:
        raise CliError(f"Could not write {path}: {error.strerror or error}.") from None


def write_output(path: str | Path, data: bytes) -> None:
    """Write `data` to the output file at `path` (a CliError if it cannot be written), never through a
    link and never half-written (attack.outputs)."""
    with writing(path):
        outputs.write_file(path, data)


def given_path(text: str, option: str) -> Path:
    """A path the user gave for `option`; an empty one is refused (Path("") is the current folder)."""
    if not text:
        raise CliError.coded("cli.empty_path", option=option)
    return Path(text)


def check_outputs(paths: dict[str, str | None], inputs: Iterable[str | Path]) -> None:
    """Before any work: refuse output files ({option: path}) that are empty, an input, the same file
    twice, a symbolic link or a folder (exit 2); None stands for an output the user did not ask for."""
    named = [given_path(path, option) for option, path in paths.items() if path is not None]
    outputs.refuse_inputs(named, inputs)
    outputs.refuse_links(named)
    for path in named:
        outputs.refuse_directory(path)
        if not path.parent.is_dir():  # say so now, not after the run it would have saved
            raise CliError.coded("cli.no_folder", path=str(path), folder=str(path.parent))


def make_output_folder(path: Path) -> outputs.OutputFolder:
    """Create an output folder and its parents, and open it for writing files into by name (a CliError
    where that is not allowed, an OutputError where it is a symbolic link)."""
    try:
        return outputs.OutputFolder(path, create=True)
    except OSError as error:
        raise CliError(f"Could not create the folder {path}: {error.strerror or error}.") from None


def refuse_impossible_settings(method: str, classifier: Classifier, settings: dict) -> None:
    """Build the attack once, before anything runs, so settings it cannot take end the command at once.

    The attack constructors (attack/attacks/, attack/attacks/eot.py) refuse settings a user chose — ε ≤ 0, a
    step budget below 1, a stop-at outside (0, 1), a target the method cannot aim for, EOT on a method
    that cannot average gradients — with a SettingsError (a UserError): exit 2 before the first step,
    and, for batch and sweep, once rather than once per file or per ε level.
    """
    from ..attacks.eot import robust_attack  # imports TensorFlow: the caller has already loaded a model
    from ..serving.worker import check_can_change

    # ε below one level: every step would run and change nothing (the app's worker refuses it too).
    check_can_change(robust_attack(method, classifier, **settings))
