"""`python -m attack`: the parser of every sub-command, and the one place that turns errors into exit codes.

Exit codes: 0 done; 2 bad input — a `UserError` (a missing or unreadable file, an unknown class, a
model that cannot be had, settings an attack refuses, a number out of range, an output that would
overwrite an input or go through a symbolic link), printed as one `error: …` line on stderr, or
an option argparse refuses; 130 interrupted. Any other exception is a bug: it is not caught, so its
traceback shows (exit 1). TensorFlow is imported only once a command needs a model, so bad input fails
at once, and its start-up notices are kept off stderr (attack.quiet): stderr carries our own lines only
(progress and errors).
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..plumbing import quiet
from ..plumbing.errors import UserError
from . import batch, lookup, robustness, run, sticker, tutorial, universal
from .common import EXIT_BAD_INPUT, EXIT_INTERRUPTED, end_progress_line
from .options import check_numbers

# Each adds one sub-command; this order is the order `python -m attack --help` lists them in.
COMMANDS = (lookup.add_classify, run.add_run, lookup.add_models, lookup.add_labels, run.add_report,
            batch.add_batch, robustness.add_check, robustness.add_sweep, tutorial.add_tutorial,
            sticker.add_sticker, universal.add_universal)


class _Parser(argparse.ArgumentParser):
    """argparse, but a bad option is one line on stderr (like every other error), not usage + error."""

    def error(self, message: str):
        self.exit(EXIT_BAD_INPUT, f"error: {message} (see: {self.prog} --help)\n")


def build_parser() -> argparse.ArgumentParser:
    """The `python -m attack` parser; each sub-command sets `func`, the function that runs it."""
    # The console command (pyproject's [project.scripts]) names itself in usage lines; `-m` keeps its own name.
    prog = "adversarial-lab" if Path(sys.argv[0]).name == "adversarial-lab" else "python -m attack"
    parser = _Parser(prog=prog, description="Adversarial Lab from the command line.")
    sub = parser.add_subparsers(dest="command", required=True)
    for add_command in COMMANDS:
        add_command(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run `python -m attack` with `argv` (default: sys.argv[1:]) and return its exit code."""
    quiet.install()  # whichever command imports TensorFlow first, its start-up notices stay off stderr
    args = build_parser().parse_args(argv)
    try:
        check_numbers(args)  # inf, nan and out-of-range numbers end here, before any file is read
        return args.func(args)
    except UserError as error:
        print(f"{end_progress_line()}error: {error.message}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print(f"{end_progress_line()}interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    finally:
        # Whatever else ends the command (a bug's traceback) starts on a line of its own, not after the bar.
        print(end_progress_line(), end="", file=sys.stderr)
