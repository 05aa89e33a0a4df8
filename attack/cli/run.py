"""`python -m attack run` (attack one image, save the adversarial PNG) and `python -m attack report`
(the same run drawn as a report figure, optionally an animated GIF)."""
from __future__ import annotations

import argparse
import json
import sys
from dataclasses import replace
from pathlib import Path

from ..models import load_model
from ..running.records import result_json
from .common import (check_outputs, end_progress_line, load_image, progress_bar, refuse_impossible_settings,
                     resolve_target, write_output)
from .options import add_attack_options, add_model_options, add_report_options, attack_settings


def add_run(sub) -> None:
    """`run IMAGE --out PNG`: the attack, and the JSON record of the file it wrote."""
    p = sub.add_parser("run", help="attack an image and save the adversarial PNG")
    add_attack_options(p)
    add_model_options(p)
    p.add_argument("--out", required=True, help="where to write the adversarial PNG")
    p.add_argument("--json", action="store_true")
    p.add_argument("--quiet", action="store_true")
    p.set_defaults(func=cmd_run)


def add_report(sub) -> None:
    """`report IMAGE --out PNG [--gif GIF]`: the attack as a figure."""
    p = sub.add_parser("report", help="attack an image and write a report figure (and an animated GIF)")
    add_attack_options(p)
    add_report_options(p)
    p.add_argument("--out", required=True, help="where to write the report PNG")
    p.add_argument("--gif", help="also write an animated GIF of the attack here")
    p.add_argument("--adversarial", help="also write the adversarial PNG here")
    p.set_defaults(func=cmd_report)


def _attack(args: argparse.Namespace, image, target: int | None):
    """Load the model, refuse impossible settings, run the attack with a progress bar: (model, result)."""
    from ..running.runner import run_attack  # imports TensorFlow: only once the input is known to be good

    classifier = load_model(args.model, args.weights)
    settings = attack_settings(args, target)
    refuse_impossible_settings(args.method, classifier, settings)
    result = run_attack(classifier, image.pixels, args.method, on_step=progress_bar(args.quiet, args.max_steps),
                        **settings)
    if not args.quiet:
        print(end_progress_line(), end="", file=sys.stderr)
    return classifier, result


def cmd_run(args: argparse.Namespace) -> int:
    image = load_image(args.image)
    check_outputs({"--out": args.out}, inputs=[args.image])
    target = resolve_target(args)
    classifier, result = _attack(args, image, target)
    out = Path(args.out)
    write_output(out, result.verification.png)
    # Re-read what is on disk: the JSON reports the file, not the array in memory.
    from ..running.runner import verify
    result = replace(result, verification=verify(classifier, out.read_bytes(), result.original.index,
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


def _size(n: int) -> str:
    return f"{n / 1e6:.1f} MB" if n >= 1e5 else f"{n / 1e3:.0f} kB"


def cmd_report(args: argparse.Namespace) -> int:
    image = load_image(args.image)
    check_outputs({"--out": args.out, "--gif": args.gif, "--adversarial": args.adversarial}, inputs=[args.image])
    target = resolve_target(args)
    from ..render.animation import render_gif  # these import TensorFlow: only once the input is known to be good
    from ..render.report import headline, render_report

    _, result = _attack(args, image, target)
    written = []
    report = render_report(result, lang=args.lang)
    write_output(args.out, report)
    written.append(f"{args.out} ({_size(len(report))})")
    if args.gif:
        gif = render_gif(result, lang=args.lang)
        write_output(args.gif, gif)
        written.append(f"{args.gif} ({_size(len(gif))})")
    if args.adversarial:
        write_output(args.adversarial, result.verification.png)
        written.append(args.adversarial)
    verdict = "success" if result.success else "goal not reached"
    print(f"{verdict}: {headline(result)} in {result.kept_step} steps, {result.seconds:.1f}s; "
          f"wrote {', '.join(written)}")
    return 0
