"""The options several sub-commands share — model, attack, Ray — and what they mean to the engine.

Each `add_*_options` adds one group to a sub-parser; the functions below them read the parsed options
back into engine objects (the attack's keyword settings, the --ensemble models, a Ray cluster).
Where a command needs a shared option with another meaning (sweep's --eps is a list of levels), it
passes that option's spec in, rather than editing argparse's actions afterwards.
"""
from __future__ import annotations

import argparse
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..catalogue import LOSS_NAMES, METHOD_NAMES
from ..models import MODELS, load_model
from ..settings import AttackSettings
from .common import CliError

if TYPE_CHECKING:  # both import TensorFlow or Ray; the parser must not wait for them
    from ..distributed import Cluster
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
    p.add_argument("--method", default=DEFAULTS.method, choices=list(METHOD_NAMES))
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
                   help="also attack this model (repeatable), for images that fool other models too")


def add_ray_options(p: argparse.ArgumentParser) -> None:
    """--ray [ADDRESS] and --workers: fan the work out as Ray tasks (batch and sweep)."""
    p.add_argument("--ray", nargs="?", const="local", default=None, metavar="ADDRESS",
                   help="run on Ray: a local Ray started for this run, or an existing cluster at ADDRESS "
                        "(needs `pip install -r requirements-ray.txt`)")
    p.add_argument("--workers", type=int, default=None, metavar="N",
                   help="with --ray: how many model-holding workers (default: the cluster's CPUs)")


def ensemble_models(args: argparse.Namespace) -> list[Classifier]:
    """The --ensemble models, loaded (bad names were already refused by argparse)."""
    if args.eot < 0:
        raise CliError("--eot must be 0 (off) or a positive number of samples.")
    return [load_model(name) for name in args.ensemble]


def attack_settings(args: argparse.Namespace, target: int | None) -> dict:
    """run_attack's keyword settings from the shared attack options (loads the --ensemble models)."""
    return dict(epsilon=args.eps, target=target, step_size=args.step_size, max_steps=args.max_steps,
                stop_at=args.stop_at, loss=args.loss, seed=args.seed,
                eot_samples=args.eot, ensemble=ensemble_models(args))


def ray_cluster(args: argparse.Namespace) -> Cluster | None:
    """The Ray connection --ray asks for, or None for the in-process run."""
    from ..distributed import Cluster  # Ray missing or out of reach: RayUnavailable, a UserError

    if args.ray is None:
        return None
    if args.workers is not None and args.workers < 1:
        raise CliError("--workers must be at least 1.")
    return Cluster(args.ray, cpus=args.workers)
