"""What `sticker` and `universal` share on the command line: a folder of photos, the validation photos set
aside from it, and a training run followed with a progress bar that keeps the best record.

Nothing here imports TensorFlow.
"""
from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

import numpy as np

from ..inputs import images
from ..plumbing.errors import SettingsError
from ..physical.training import MAX_PHOTOS, check_range
from .common import CliError, draw_bar, end_progress_line, given_path

IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".webp", ".bmp", ".gif", ".tif", ".tiff"}
MAX_MINUTES = 600.0


def image_files(text: str) -> list[Path]:
    """The image files (by suffix) directly in the folder `text`, sorted by name."""
    folder = given_path(text, "FOLDER")
    if not folder.is_dir():
        raise CliError(f"No such folder: {text}")
    files = sorted((p for p in folder.iterdir() if p.is_file() and not p.name.startswith(".")
                    and p.suffix.lower() in IMAGE_SUFFIXES), key=lambda p: p.name)
    if not files:
        raise SettingsError.coded("training.no_images_in_folder", folder=text)
    if len(files) > MAX_PHOTOS:
        raise SettingsError.coded("training.too_many_photos", count=len(files), limit=MAX_PHOTOS)
    return files


def load_photos(files: list[Path], quiet: bool) -> list[np.ndarray]:
    """Every file decoded (at most 1024 px a side, as the lab works); a bad one ends the command."""
    photos = []
    for i, path in enumerate(files):
        if not quiet:
            draw_bar(i / len(files), f"reading {i}/{len(files)} {path.name[:40]}")
        photos.append(images.load_image(path).pixels)
    if not quiet:
        print(end_progress_line(), end="", file=sys.stderr)
    return photos


def training_files(args: argparse.Namespace) -> list[Path]:
    """The folder's image files, refused before any is read when --validate would leave none to train on."""
    files = image_files(args.folder)
    if args.validate >= len(files):
        raise SettingsError.coded("training.validate", value=args.validate, folder=args.folder, count=len(files))
    return files


def split_validation(photos: list[np.ndarray], count: int, seed: int) -> tuple[list, list | None]:
    """(photos to train on, `count` seeded validation photos set aside for the held-out curve, or None)."""
    if not count:
        return photos, None
    chosen = set(np.random.default_rng(seed).choice(len(photos), size=count, replace=False).tolist())
    return ([p for i, p in enumerate(photos) if i not in chosen], [p for i, p in enumerate(photos) if i in chosen])


def add_training_options(p: argparse.ArgumentParser, steps: int) -> None:
    p.add_argument("folder", help="folder of photos to train on")
    p.add_argument("--steps", type=int, default=steps, help=f"training steps (default {steps})")
    p.add_argument("--batch", type=int, default=8, help="photos per step (default 8)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--validate", type=int, default=0, metavar="N",
                   help="set N of the photos aside to measure held-out success as it trains, and keep the best")
    p.add_argument("--eval-every", type=int, default=50, metavar="K", help="measure every K steps (default 50)")
    p.add_argument("--max-minutes", type=float, default=None, help="stop after this long, keeping the best")
    p.add_argument("--json", action="store_true")
    p.add_argument("--quiet", action="store_true")


def check_training_options(args: argparse.Namespace) -> None:
    """The numbers of add_training_options, before any file is read."""
    check_range("--validate", args.validate, 0, 1000)
    check_range("--eval-every", args.eval_every, 1, 20_000)
    if args.max_minutes is not None:
        check_range("--max-minutes", args.max_minutes, 0.01, MAX_MINUTES)


@dataclass
class Followed:
    """What a followed training run ended with."""

    best: object  # the record to keep
    last: object
    seconds: float
    stopped: str  # "done", "time" or "interrupted"


def follow(records: Iterator, steps: int, args: argparse.Namespace, success: Callable[[object], float | None],
           save: Callable[[object], None]) -> Followed:
    """Run the training with a progress bar; write the best record with `save` at the end, also when
    the time runs out or Ctrl-C stops it (then KeyboardInterrupt goes on, after saving)."""
    start, best, last, seen, stopped = time.perf_counter(), None, None, None, "done"
    try:
        for record in records:
            last = record
            if record.best or best is None:
                best = record
            if success(record) is not None:
                seen = success(record)
            elapsed = time.perf_counter() - start
            if not args.quiet:
                shown = f"  held-out {seen:.0%}" if seen is not None else ""
                draw_bar(record.step / steps, f"step {record.step}/{steps}  loss {record.loss:.3f}{shown}  {elapsed:.0f}s")
            if args.max_minutes is not None and elapsed > 60 * args.max_minutes:
                stopped = "time"
                break
    except KeyboardInterrupt:
        if best is not None:
            save(best)
        raise
    if not args.quiet:
        print(end_progress_line(), end="", file=sys.stderr)
    save(best)
    return Followed(best, last, time.perf_counter() - start, stopped)
