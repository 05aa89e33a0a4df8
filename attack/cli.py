"""`python -m attack`: classify, run, models and labels from the command line.

Bad input of any kind exits with code 2 and one clear line on stderr; no stack traces. TensorFlow is
imported only once a command needs a model, so bad input fails at once, and its start-up notices are
kept off stderr (attack.quiet): stderr carries our own lines only (progress and errors).
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from . import images, labels, quiet
from .errors import UserError
from .catalogue import DEFAULT_METHOD, LOSS_NAMES, METHOD_NAMES
from .models import DEFAULT_MODEL, MODELS, ModelUnavailable, availability, load_model
from .records import prediction_json, result_json

EXIT_BAD_INPUT = 2


class CliError(UserError):
    """A user-facing problem: printed as one line, exit code 2."""

    code = "cli"


def _load_image(path: str) -> images.LoadedImage:
    if not Path(path).exists():
        raise CliError(f"No such file: {path}")
    return images.load_image(path)


def _load_model(name: str, weights: str | None):
    return load_model(name, weights)


def _target(args) -> int | None:
    return None if args.untargeted else labels.resolve(args.target)


def cmd_classify(args) -> int:
    image = _load_image(args.image)
    classifier = _load_model(args.model, args.weights)
    predictions = classifier.classify(image.pixels, args.top)
    if args.json:
        print(json.dumps({"model": classifier.name, "image": args.image, "width": image.width,
                          "height": image.height, "top": [prediction_json(p) for p in predictions]}))
    else:
        for note in image.notes:
            print(f"note: {note}", file=sys.stderr)
        for p in predictions:
            print(f"{p.probability:7.2%}  {p.label} ({p.index})")
    return 0


_bar_open = False  # a progress bar is on stderr's current line (an error must start a new one)


def _end_progress_line() -> str:
    """"\n" when a progress bar holds stderr's current line, else "": errors stay one line."""
    global _bar_open
    opened, _bar_open = _bar_open, False
    return "\n" if opened else ""


def _progress(quiet: bool, max_steps: int):
    """A one-line progress bar on stderr, redrawn in place."""
    def show(record) -> None:
        global _bar_open
        if quiet:
            return
        _bar_open = True
        filled = int(30 * min(record.step / max(max_steps, 1), 1.0))
        probability = record.target_probability if record.target_probability == record.target_probability \
            else 1 - record.original_probability
        print(f"\r\033[K[{'#' * filled}{'.' * (30 - filled)}] step {record.step:>5}/{max_steps}  "
              f"p={probability:6.2%}  {record.elapsed:6.1f}s", end="", file=sys.stderr, flush=True)
    return show


def cmd_run(args) -> int:
    image = _load_image(args.image)
    target = _target(args)
    from .runner import run_attack  # imports TensorFlow: only once the input is known to be good

    classifier = _load_model(args.model, args.weights)
    progress = _progress(args.quiet, args.max_steps)
    result = run_attack(classifier, image.pixels, args.method, on_step=progress, epsilon=args.eps,
                        target=target, step_size=args.step_size, max_steps=args.max_steps,
                        stop_at=args.stop_at, loss=args.loss, seed=args.seed,
                        eot_samples=args.eot, ensemble=ensemble_models(args))
    if not args.quiet:
        print(_end_progress_line(), end="", file=sys.stderr)
    out = Path(args.out)
    out.write_bytes(result.verification.png)
    # Re-read what is on disk: the JSON reports the file, not the array in memory.
    from .runner import verify
    result = _with_verification(result, verify(classifier, out.read_bytes(), result.original.index,
                                               target, args.stop_at))
    summary = result_json(result, str(out))
    if args.json:
        print(json.dumps(summary))
    else:
        top1 = summary["final_top1"]
        verdict = "success" if summary["success"] else "not fooled yet"
        spent = f"{summary['queries']} queries" if summary["queries"] is not None else f"{summary['steps']} steps"
        print(f"{verdict}: {result.original.label} → {top1['label']} ({top1['probability']:.2%}) "
              f"in {spent}, {summary['seconds']:.1f}s; L∞ {summary['linf']:.0f}, L0 {summary['l0']} px, "
              f"PSNR {summary['psnr']} dB; saved {out}")
    return 0


def _with_verification(result, verification):
    from dataclasses import replace
    return replace(result, verification=verification)


def cmd_models(args) -> int:
    rows = []
    for name, spec in MODELS.items():
        ok, why = availability(name)
        rows.append({"name": name, "title": spec.title, "input_size": spec.input_size,
                     "available": ok, "reason": why, "default": name == DEFAULT_MODEL})
    if args.json:
        print(json.dumps(rows))
    else:
        for r in rows:
            print(f"{'✓' if r['available'] else '✗'} {r['name']:<20} {r['title']:<36} {r['reason']}")
    return 0


def cmd_labels(args) -> int:
    hits = labels.search(args.query, args.limit)
    if args.json:
        print(json.dumps([{"index": i, "label": labels.label(i), "zh": labels.display(i, "zh")} for i in hits],
                         ensure_ascii=False))
    elif not hits:
        raise CliError(f"No ImageNet class matches “{args.query}”.")
    else:
        for i in hits:
            print(f"{i:>4}  {labels.label(i)}  {labels.display(i, 'zh')}")
    return 0


def model_args(p: argparse.ArgumentParser) -> None:
    """--model and --weights, shared by every command that loads a classifier."""
    p.add_argument("--model", default=DEFAULT_MODEL, choices=list(MODELS))
    p.add_argument("--weights", help="local weights file for a Keras model (no download)")


class _Parser(argparse.ArgumentParser):
    """argparse, but a bad option is one line on stderr (like every other error), not usage + error."""

    def error(self, message: str):
        self.exit(EXIT_BAD_INPUT, f"error: {message} (see: {self.prog} --help)\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m attack", description="Adversarial Lab from the command line.")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("classify", help="top-K predictions for an image")
    p.add_argument("image")
    model_args(p)
    p.add_argument("--top", type=int, default=5)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_classify)

    p = sub.add_parser("run", help="attack an image and save the adversarial PNG")
    add_attack_args(p)
    model_args(p)
    p.add_argument("--out", required=True, help="where to write the adversarial PNG")
    p.add_argument("--json", action="store_true")
    p.add_argument("--quiet", action="store_true")
    p.set_defaults(func=cmd_run)

    p = sub.add_parser("models", help="list models and whether each is available offline")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_models)

    p = sub.add_parser("labels", help="search the 1000 ImageNet class names (English or Chinese)")
    p.add_argument("query")
    p.add_argument("--limit", type=int, default=20)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_labels)

    from . import cli_figures, cli_robustness, cli_tutorial  # sub-commands live with their features

    cli_figures.register(sub)
    cli_robustness.register(sub)
    cli_tutorial.register(sub)
    return parser


def add_attack_args(p: argparse.ArgumentParser, positional: str = "image") -> None:
    """The image, goal and method options shared by run (and later report, batch, sweep).

    `positional` names the first argument (batch takes a "folder")."""
    p.add_argument(positional)
    goal = p.add_mutually_exclusive_group(required=True)
    goal.add_argument("--target", help="class name or index, e.g. toaster or 859")
    goal.add_argument("--untargeted", action="store_true", help="any wrong class will do")
    p.add_argument("--method", default=DEFAULT_METHOD, choices=list(METHOD_NAMES))
    p.add_argument("--eps", type=float, default=2.0,
                   help="ε in pixel levels out of 255 (default 2); jsma ignores it: it changes few pixels fully (L0)")
    p.add_argument("--step-size", type=float, default=None, help="step size (method's default if omitted)")
    p.add_argument("--max-steps", type=int, default=200,
                   help="step budget (default 200); for the black-box square attack it counts model queries")
    p.add_argument("--stop-at", type=float, default=0.9, help="confidence that ends the attack (default 0.9)")
    p.add_argument("--loss", choices=LOSS_NAMES, default=None)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--eot", type=int, default=0, metavar="N",
                   help="robust attack: average each step's gradient over N random JPEG/resize/blur/noise draws")
    p.add_argument("--ensemble", action="append", default=[], choices=list(MODELS), metavar="MODEL",
                   help="also attack this model (repeatable), for images that fool other models too")


def ensemble_models(args) -> list:
    """The --ensemble models, loaded (bad names were already refused by argparse)."""
    if args.eot < 0:
        raise CliError("--eot must be 0 (off) or a positive number of samples.")
    return [load_model(name) for name in args.ensemble]


def main(argv: list[str] | None = None) -> int:
    quiet.install()  # whichever command imports TensorFlow first, its start-up notices stay off stderr
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except (CliError, images.ImageError, labels.LabelNotFound, ModelUnavailable, ValueError, OSError) as error:
        message = getattr(error, "message", None) or str(error)
        print(f"{_end_progress_line()}error: {message}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print(f"{_end_progress_line()}interrupted", file=sys.stderr)
        return 130
