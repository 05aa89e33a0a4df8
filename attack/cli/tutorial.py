"""`python -m attack tutorial IMAGE`: the tutorial's experiment in three acts, from the command line.

1. the tutorial's method on a float image until the target reaches 60 % in memory;
2. saved as the tutorial did (rounded to 8 bits, PNG) and read back: the probability drops;
3. the same target and ε with the engine's 8-bit-safe default method, verified on its own PNG.
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

from ..inputs import labels
from ..catalogue import TUTORIAL_MAX_STEPS as MAX_STEPS  # not attack.tutorial: that imports TensorFlow
from ..models import load_model
from .common import check_outputs, end_progress_line, label_query, load_image, progress_bar, write_output
from .options import add_model_options


def add_tutorial(sub) -> None:
    """`tutorial IMAGE [--out PNG]`: the three acts."""
    p = sub.add_parser("tutorial", help="the tutorial's experiment: float replay, saved PNG, and the 8-bit-safe fix")
    p.add_argument("image")
    p.add_argument("--target", default="toaster", help="class name or index (default: toaster, as in the tutorial)")
    p.add_argument("--lr", type=float, default=None,
                   help="learning rate on the [-1, 1] scale (default: chosen by the rule from the first gradient)")
    p.add_argument("--max-steps", type=int, default=MAX_STEPS, help=f"step budget of the replay (default {MAX_STEPS})")
    p.add_argument("--out", help="where to write the replay's PNG (the fix goes beside it as *-fixed.png); "
                                 "default: a temporary folder, deleted afterwards")
    add_model_options(p)
    p.add_argument("--json", action="store_true")
    p.add_argument("--quiet", action="store_true")
    p.set_defaults(func=cmd_tutorial)


def fixed_name(out: Path) -> Path:
    """Where the fix goes: beside the replay's PNG, as <stem>-fixed.png."""
    return out.with_name(f"{out.stem}-fixed.png")


def _written(classifier, png: bytes, path: Path, original: int, target: int, stop_at: float):
    """Write the PNG, then classify the file on disk through the normal input path."""
    from ..running.runner import verify

    write_output(path, png)
    return verify(classifier, path.read_bytes(), original, target, stop_at)


def cmd_tutorial(args: argparse.Namespace) -> int:
    from ..experiments import tutorial  # imports TensorFlow
    from ..catalogue import DEFAULT_METHOD

    image = load_image(args.image)  # --lr and --max-steps were checked with every number (options.check_numbers)
    if args.out is not None:
        check_outputs({"--out": args.out}, inputs=[args.image])  # a file name, before the fix's is made from it
        check_outputs({"--out": args.out, "--out (its fix)": str(fixed_name(Path(args.out)))}, inputs=[args.image])
    target = labels.resolve(label_query(args.target))
    classifier = load_model(args.model, args.weights)
    with tempfile.TemporaryDirectory(prefix="tutorial-") as scratch:
        out = Path(args.out) if args.out else Path(scratch) / "tutorial.png"
        fixed_out = fixed_name(out)
        replayed = tutorial.replay(classifier, image.pixels, target, lr=args.lr, max_steps=args.max_steps,
                                   on_step=progress_bar(args.quiet, args.max_steps))
        if not args.quiet:
            print(end_progress_line(), end="", file=sys.stderr)
        result = replayed.result
        saved = _written(classifier, result.verification.png, out, result.original.index, target, tutorial.STOP_AT)
        fix = tutorial.fix(classifier, image.pixels, target, on_step=progress_bar(args.quiet, tutorial.FIX_MAX_STEPS))
        if not args.quiet:
            print(end_progress_line(), end="", file=sys.stderr)
        fixed = _written(classifier, fix.verification.png, fixed_out, fix.original.index, target, tutorial.STOP_AT)
        lr = replayed.learning_rate
        summary = {
            "image": args.image, "model": classifier.name,
            "target": {"index": target, "label": labels.label(target)},
            "original": {"index": result.original.index, "label": result.original.label,
                         "probability": round(result.original.probability, 6)},
            "epsilon": tutorial.EPSILON, "epsilon_levels": round(tutorial.EPSILON_LEVELS, 4), "stop_at": tutorial.STOP_AT,
            "lr": lr.value, "lr_rule": lr.rule, "reached_in_memory": replayed.reached_in_memory,
            "steps": result.kept_step, "last_step": result.last_step, "seconds": round(result.seconds, 3),
            "memory_probability": round(replayed.memory_probability, 6),
            "saved_probability": round(saved.target_probability, 6),
            "saved_success": saved.success, "saved_top1": saved.top5[0].as_dict(),
            "out": str(out) if args.out else None,
            "fixed": {"method": DEFAULT_METHOD, "success": fixed.success, "steps": fix.kept_step,
                      "seconds": round(fix.seconds, 3), "probability": round(fixed.target_probability, 6),
                      "out": str(fixed_out) if args.out else None},
            "tutorial": tutorial.TUTORIAL_FACTS,
        }
    if args.json:
        print(json.dumps(summary))
        return 0
    name = labels.label(target)
    reached = "reached" if replayed.reached_in_memory else "did not reach"
    print(f"1. the tutorial's method (lr {lr.value:.3g}{', by the rule' if lr.rule else ''}) {reached} "
          f"{tutorial.STOP_AT:.0%} “{name}” in memory: {replayed.memory_probability:.2%} at step {result.kept_step}, "
          f"{result.seconds:.1f}s")
    print(f"2. saved as an 8-bit PNG and read back: {saved.target_probability:.2%} “{name}” "
          f"(top-1 {saved.top5[0].label}, {saved.top5[0].probability:.2%})"
          + (f"; wrote {out}" if args.out else ""))
    verdict = "succeeds" if fixed.success else "does not succeed"
    print(f"3. {DEFAULT_METHOD}, same target and ε, {verdict} on its PNG: {fixed.target_probability:.2%} "
          f"in {fix.kept_step} steps, {fix.seconds:.1f}s" + (f"; wrote {fixed_out}" if args.out else ""))
    print(f"   (the tutorial: {tutorial.TUTORIAL_FACTS['steps']:,} steps, about "
          f"{tutorial.TUTORIAL_FACTS['hours']} hours, {tutorial.TUTORIAL_FACTS['probability']:.2%} on InceptionV3)")
    return 0
