"""The options several sub-commands share — model, attack, Ray — and what they mean to the engine.

Each `add_*_options` adds one group to a sub-parser; the functions below them read the parsed options
back into engine objects (the attack's keyword settings, the --ensemble models, a Ray cluster).
Where a command needs a shared option with another meaning (sweep's --eps is a list of levels), it
passes that option's spec in, rather than editing argparse's actions afterwards.
"""
from __future__ import annotations

import argparse
import math
import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..catalogue import CATALOGUE, LOSS_NAMES
from ..inputs.labels import NUM_CLASSES
from ..models import MODELS, load_model
from ..settings import RANGES, AttackSettings, Range
from .common import CliError

if TYPE_CHECKING:  # both import TensorFlow or Ray; the parser must not wait for them
    from ..experiments.distributed import Cluster
    from ..models import Classifier


def add_model_options(p: argparse.ArgumentParser) -> None:
    """--model and --weights, shared by every command that loads a classifier."""
    p.add_argument("--model", default=DEFAULTS.model, choices=list(MODELS))
    p.add_argument("--weights", help="local weights file for a Keras model (no download)")


def add_report_options(p: argparse.ArgumentParser) -> None:
    """The model options, plus --lang and --quiet: for the commands that draw report figures."""
    add_model_options(p)
    p.add_argument("--lang", default="en", choices=("en", "zh"), help="language of the report's text")
    p.add_argument("--quiet", action="store_true", help="no progress bar")


@dataclass(frozen=True)
class EpsilonOption:
    """How a command reads --eps: its type, default and help line."""

    type: type
    default: float | str
    help: str


DEFAULTS = AttackSettings()  # the lab's defaults: the CLI runs what the lab would run

ONE_EPSILON = EpsilonOption(
    float, DEFAULTS.epsilon,
    f"ε in pixel levels out of 255 (default {DEFAULTS.epsilon:g}); jsma ignores it: it changes few pixels fully (L0)")
EPSILON_LEVELS = EpsilonOption(  # sweep: parsed by attack.sweep.parse_levels, which explains a bad list
    str, "0.5,1,2,4,8", "comma-separated ε levels in pixel levels, e.g. 0.5,1,2,4,8")


def add_attack_options(p: argparse.ArgumentParser, positional: str = "image",
                       epsilon: EpsilonOption = ONE_EPSILON) -> None:
    """The image, goal and method options shared by run, report, batch and sweep.

    `positional` names the first argument (batch takes a "folder"); `epsilon` says how --eps is read."""
    p.add_argument(positional)
    goal = p.add_mutually_exclusive_group(required=True)
    goal.add_argument("--target", help="class name or index, e.g. toaster or 859")
    goal.add_argument("--untargeted", action="store_true", help="any wrong class will do")
    p.add_argument("--method", default=DEFAULTS.method, choices=list(CATALOGUE))
    p.add_argument("--eps", type=epsilon.type, default=epsilon.default, help=epsilon.help)
    p.add_argument("--step-size", type=float, default=None, help="step size (method's default if omitted)")
    p.add_argument("--max-steps", type=int, default=DEFAULTS.max_steps,
                   help=f"step budget (default {DEFAULTS.max_steps}); for the black-box square attack it counts model queries")
    p.add_argument("--stop-at", type=float, default=DEFAULTS.stop_at,
                   help=f"confidence that ends the attack (default {DEFAULTS.stop_at:g})")
    p.add_argument("--loss", choices=LOSS_NAMES, default=None)
    p.add_argument("--seed", type=int, default=DEFAULTS.seed)
    p.add_argument("--eot", type=int, default=0, metavar="N",
                   help="robust attack: average each step's gradient over N random JPEG/resize/blur/noise draws")
    p.add_argument("--ensemble", action="append", default=[], choices=list(MODELS), metavar="MODEL",
                   help="also attack this model (repeatable), for images that fool other models too; with the "
                        "black-box square method it is a surrogate instead: its gradients give the starting point")


def add_ray_options(p: argparse.ArgumentParser) -> None:
    """--ray [ADDRESS] and --workers: fan the work out as Ray tasks (batch and sweep)."""
    p.add_argument("--ray", nargs="?", const="local", default=None, metavar="ADDRESS",
                   help="run on Ray: a local Ray started for this run, or an existing cluster at ADDRESS "
                        "(needs `pip install -r requirements-ray.txt`)")
    p.add_argument("--workers", type=int, default=None, metavar="N",
                   help="with --ray: how many model-holding workers (default: the cluster's CPUs)")


# The numbers a user may give, by option (argparse's dest), refused before any work when out of range:
# the attack settings take the ranges the lab allows (attack/settings.py), the rest what makes sense.
# Every bound is finite, so inf and nan never pass (nan fails every comparison).
NUMBER_RANGES: dict[str, Range] = {
    "eps": RANGES["epsilon"],
    "step_size": Range(RANGES["step_size"].low, sys.float_info.max, str(RANGES["step_size"])),
    "max_steps": RANGES["max_steps"],
    # What the attacks accept: strictly between 0 and 1 (the lab's slider is narrower).
    "stop_at": Range(math.nextafter(0.0, 1.0), math.nextafter(1.0, 0.0), "0 < p < 1"),
    "seed": RANGES["seed"],
    "eot": RANGES["eot_samples"],
    "top": Range(1, NUM_CLASSES),
    "limit": Range(1, NUM_CLASSES),
    "workers": Range(1, 256),  # each worker holds its own models: beyond this, memory runs out first
    "lr": Range(math.ulp(0.0), sys.float_info.max, "> 0"),
}


def check_numbers(args: argparse.Namespace) -> None:
    """Refuse any number option outside NUMBER_RANGES (a CliError naming the option), before any work.

    Options a command does not have, left unset (None) or given as text (sweep's list of ε) pass here."""
    for dest, allowed in NUMBER_RANGES.items():
        value = getattr(args, dest, None)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            check_number(dest, value, allowed)


def check_number(dest: str, value: float, allowed: Range) -> None:
    """Refuse one value outside `allowed` or not finite, naming its option (`dest` "max_steps": --max-steps)."""
    finite = isinstance(value, int) or math.isfinite(value)  # an int may be too large for a float
    if not (finite and value in allowed):
        text = format(value, "g") if isinstance(value, float) else str(value)
        shown = text if len(text) <= 24 else f"{text[:20]}…"
        raise CliError.coded("cli.out_of_range", option="--" + dest.replace("_", "-"), value=shown,
                             allowed=str(allowed))


def ensemble_models(args: argparse.Namespace) -> list[Classifier]:
    """The --ensemble models, loaded (bad names were already refused by argparse)."""
    return [load_model(name) for name in args.ensemble]


def attack_settings(args: argparse.Namespace, target: int | None) -> dict:
    """run_attack's keyword settings from the shared attack options (loads the --ensemble models)."""
    return dict(epsilon=args.eps, target=target, step_size=args.step_size, max_steps=args.max_steps,
                stop_at=args.stop_at, loss=args.loss, seed=args.seed,
                eot_samples=args.eot, ensemble=ensemble_models(args))


def ray_cluster(args: argparse.Namespace) -> Cluster | None:
    """The Ray connection --ray asks for, or None for the in-process run."""
    from ..experiments.distributed import Cluster  # Ray missing or out of reach: RayUnavailable, a UserError

    if args.ray is None:
        return None
    return Cluster(args.ray, cpus=args.workers)
