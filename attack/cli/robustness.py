"""`python -m attack check` and `python -m attack sweep`: robustness from the command line."""
from __future__ import annotations

import argparse
import json
import math
import sys

from ..inputs import labels
from ..catalogue import CATALOGUE
from ..plumbing.errors import SettingsError
from ..models import load_model
from .common import CliError, label_query, load_image, refuse_impossible_settings, resolve_target
from .options import (EPSILON_LEVELS, NUMBER_RANGES, add_attack_options, add_model_options, add_ray_options,
                      check_number, ensemble_models, ray_cluster)


def add_check(sub) -> None:
    """`check ADVERSARIAL --original CLEAN`: does the image survive common changes and other models?"""
    p = sub.add_parser("check", help="does an adversarial image survive JPEG, resizing, defences, other models?")
    p.add_argument("image", help="the adversarial image (PNG)")
    p.add_argument("--original", required=True, help="the clean image it was made from")
    p.add_argument("--target", help="the attack's target class (name or index); omit for untargeted")
    p.add_argument("--stop-at", type=float, default=None,
                   help="also require this confidence (default: top-1 alone decides)")
    add_model_options(p)
    p.add_argument("--no-transfer", action="store_true", help="skip asking the other models")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_check)


def add_sweep(sub) -> None:
    """`sweep IMAGE --eps 0.5,1,2`: one attack per ε, the robustness curve."""
    p = sub.add_parser("sweep", help="success and probability against ε (the robustness curve)")
    add_attack_options(p, epsilon=EPSILON_LEVELS)
    add_model_options(p)
    p.add_argument("--json", action="store_true")
    p.add_argument("--quiet", action="store_true")
    add_ray_options(p)
    p.set_defaults(func=cmd_sweep)


def _fmt(p: float | None) -> str:
    return "    –  " if p is None or (isinstance(p, float) and math.isnan(p)) else f"{p:7.2%}"


def cmd_check(args: argparse.Namespace) -> int:
    adversarial = load_image(args.image)
    original = load_image(args.original)
    if adversarial.pixels.shape != original.pixels.shape:
        raise CliError(f"The images differ in size ({adversarial.width}×{adversarial.height} vs "
                       f"{original.width}×{original.height}); pass the original the attack started from.")
    target = None if args.target is None else labels.resolve(label_query(args.target))
    from ..experiments.robustness import run_checks, transfer_check  # imports TensorFlow: the input is good

    classifier = load_model(args.model, args.weights)
    report = run_checks(classifier, original.pixels, adversarial.pixels, target=target,
                        stop_at=args.stop_at, seed=args.seed)
    transfer = [] if args.no_transfer else transfer_check(adversarial.pixels, original.pixels, target,
                                                          exclude=classifier.name)
    if args.json:
        out = report.as_dict()
        out["image"], out["original"] = args.image, args.original
        out["transfer"] = [r.as_dict() for r in transfer]
        print(json.dumps(out, ensure_ascii=False))
        return 0
    original_label = labels.label(report.original_class)
    goal = labels.label(target) if target is not None else f"not {original_label}"
    print(f"{classifier.title}: {original_label} → {labels.label(target) if target is not None else 'any other class'}")
    if target is not None:
        print(f"fooled? means: {goal} is still the model's top answer, at any probability (the % columns say how sure)")
    else:
        print(f"fooled? means: {original_label} is no longer the model's top answer")
    if not report["png"].passed:
        # The image does not fool the model as it is: every "✗" below says that, not that JPEG undid it.
        print(f"note: the image itself is read as {report['png'].top1.label} ({report['png'].top1.probability:.0%}),"
              f" not {goal}: the attack did not succeed, so there is nothing to survive.")
    target_head = f"{labels.label(target)[:8]} %" if target is not None else "target"
    print(f"{'fooled?':8} {'change':<26} {target_head:>10} {original_label[:8] + ' %':>10}  top answer now")
    for r in report.results:
        target_p = None if target is None else r.target_probability
        print(f"{'✓ yes' if r.passed else '✗ no':8} {r.name:<26} {_fmt(target_p):>10} {_fmt(r.original_probability):>10}  "
              f"{r.top1.label} ({r.top1.probability:.0%})")
    still = f"still read as {goal}" if target is not None else f"no longer read as {original_label}"
    print(f"{still} after {report.passed} of {report.total} changes")
    for r in transfer:
        top = ", ".join(f"{p.label} {p.probability:.0%}" for p in r.top3)
        print(f"{'✓' if r.fooled else '✗':2} {r.title}: {top}")
    return 0


def _refuse_impossible_sweep(args: argparse.Namespace, classifier, levels: list[float], settings: dict,
                             ensemble: list) -> None:
    """The sweep's attack, built once from the options before any level runs (see refuse_impossible_settings)."""
    if not CATALOGUE[args.method].uses_epsilon:  # the parser admits only the catalogue's names
        # attack.sweep.sweep refuses this too, but only once iterated: say it before anything runs.
        raise SettingsError.coded("sweep.no_epsilon", method=args.method)
    refuse_impossible_settings(args.method, classifier, dict(settings, epsilon=max(levels), ensemble=ensemble))


def cmd_sweep(args: argparse.Namespace) -> int:
    from ..experiments.sweep import parse_levels, sweep

    levels = parse_levels(args.eps)  # a list that does not parse is a SettingsError that says why
    for level in levels:  # each level, as --eps of a single run
        check_number("eps", level, NUMBER_RANGES["eps"])
    image = load_image(args.image)
    target = resolve_target(args)
    classifier = load_model(args.model, args.weights)
    ensemble = ensemble_models(args)
    settings = dict(target=target, step_size=args.step_size, max_steps=args.max_steps, stop_at=args.stop_at,
                    loss=args.loss, seed=args.seed, eot_samples=args.eot)
    _refuse_impossible_sweep(args, classifier, levels, settings, ensemble)
    cluster = ray_cluster(args)
    if cluster is None:
        produced = sweep(classifier, image.pixels, args.method, levels, ensemble=ensemble, **settings)
    else:
        from ..experiments import distributed

        produced = distributed.sweep(cluster, image.pixels, args.method, levels, model=args.model,
                                     weights=args.weights, ensemble=args.ensemble, workers=args.workers, **settings)
    try:
        points = _sweep_points(produced, args, target)
    finally:
        if cluster is not None:
            cluster.close()
    if args.json:
        print(json.dumps({"method": args.method, "model": classifier.name, "target": target,
                          "eot": args.eot, "ensemble": [m.name for m in ensemble],
                          "points": [p.as_dict() for p in points]}, ensure_ascii=False))
    return 0


def _sweep_points(produced, args: argparse.Namespace, target: int | None) -> list:
    points = []
    for point in produced:
        points.append(point)
        if not args.json and not args.quiet:
            probability = point.target_probability if target is not None else 1 - point.original_probability
            print(f"ε {point.epsilon:>5g}  {'✓' if point.success else '✗'}  p={probability:6.2%}  "
                  f"{point.steps:>4} steps  {point.seconds:5.1f}s  L∞ {point.linf:.0f}  {point.top1_label}")
        elif not args.quiet:
            print(f"ε {point.epsilon:g} done", file=sys.stderr)
    return points
