"""`python -m attack report` (report figure, optional GIF) and `python -m attack batch` (a whole folder)."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path


def register(sub) -> None:
    """Add this module's sub-parsers to the `python -m attack` sub-parser set."""
    from .cli import add_attack_args

    p = sub.add_parser("report", help="attack an image and write a report figure (and an animated GIF)")
    add_attack_args(p)
    _model_and_output_args(p)
    p.add_argument("--out", required=True, help="where to write the report PNG")
    p.add_argument("--gif", help="also write an animated GIF of the attack here")
    p.add_argument("--adversarial", help="also write the adversarial PNG here")
    p.set_defaults(func=cmd_report)

    p = sub.add_parser("batch", help="attack every image in a folder: reports, summary.csv, index.html")
    add_attack_args(p, positional="folder")
    _model_and_output_args(p)
    p.add_argument("--out", required=True, help="folder for the adversarial PNGs, reports, summary.csv and index.html")
    ray_args(p)
    p.set_defaults(func=cmd_batch)


def ray_args(p: argparse.ArgumentParser) -> None:
    """--ray [ADDRESS] and --workers: fan the work out as Ray tasks (batch and sweep)."""
    p.add_argument("--ray", nargs="?", const="local", default=None, metavar="ADDRESS",
                   help="run on Ray: a local Ray started for this run, or an existing cluster at ADDRESS "
                        "(needs `pip install -r requirements-ray.txt`)")
    p.add_argument("--workers", type=int, default=None, metavar="N",
                   help="with --ray: how many model-holding workers (default: the cluster's CPUs)")


def ray_cluster(args):
    """The Ray connection --ray asks for, or None for the in-process run."""
    from .cli import CliError
    from .distributed import Cluster, RayUnavailable

    if args.ray is None:
        return None
    if args.workers is not None and args.workers < 1:
        raise CliError("--workers must be at least 1.")
    try:
        return Cluster(args.ray, cpus=args.workers)
    except RayUnavailable as error:
        raise CliError(str(error)) from None


def _model_and_output_args(p: argparse.ArgumentParser) -> None:
    from .cli import model_args

    model_args(p)
    p.add_argument("--lang", default="en", choices=("en", "zh"), help="language of the report's text")
    p.add_argument("--quiet", action="store_true", help="no progress bar")


def _settings(args, target: int | None) -> dict:
    """run_attack's keyword settings from the shared attack options."""
    settings = dict(epsilon=args.eps, target=target, step_size=args.step_size, max_steps=args.max_steps,
                    stop_at=args.stop_at, loss=args.loss, seed=args.seed)
    if hasattr(args, "eot"):  # the robust-attack options, where the CLI offers them
        from .cli import ensemble_models

        settings.update(eot_samples=args.eot, ensemble=ensemble_models(args))
    return settings


def _size(n: int) -> str:
    return f"{n / 1e6:.1f} MB" if n >= 1e5 else f"{n / 1e3:.0f} kB"


def cmd_report(args) -> int:
    from .cli import _end_progress_line, _load_image, _load_model, _progress, _target

    image = _load_image(args.image)
    target = _target(args)
    from .render.animation import render_gif  # these import TensorFlow: only once the input is known to be good
    from .render.report import headline, render_report
    from .runner import run_attack

    classifier = _load_model(args.model, args.weights)
    result = run_attack(classifier, image.pixels, args.method, on_step=_progress(args.quiet, args.max_steps),
                        **_settings(args, target))
    if not args.quiet:
        print(_end_progress_line(), end="", file=sys.stderr)
    written = []
    report = render_report(result, lang=args.lang)
    Path(args.out).write_bytes(report)
    written.append(f"{args.out} ({_size(len(report))})")
    if args.gif:
        gif = render_gif(result, lang=args.lang)
        Path(args.gif).write_bytes(gif)
        written.append(f"{args.gif} ({_size(len(gif))})")
    if args.adversarial:
        Path(args.adversarial).write_bytes(result.verification.png)
        written.append(args.adversarial)
    verdict = "success" if result.success else "goal not reached"
    print(f"{verdict}: {headline(result)} in {result.steps} steps, {result.seconds:.1f}s; "
          f"wrote {', '.join(written)}")
    return 0


def _bar(done: int, total: int, name: str, detail: str = "") -> None:
    filled = int(30 * done / max(total, 1))
    print(f"\r\033[K[{'#' * filled}{'.' * (30 - filled)}] {done}/{total}  {name[:40]}  {detail}",
          end="", file=sys.stderr, flush=True)


def cmd_batch(args) -> int:
    from .cli import CliError, _load_model, _target

    folder = Path(args.folder)
    if not folder.is_dir():
        raise CliError(f"No such folder: {args.folder}")
    from . import batch  # imports TensorFlow: only once the folder exists
    from .attacks import make_attack

    files = batch.candidates(folder)
    if not files:
        raise CliError(f"No files to attack in {args.folder}")
    target = _target(args)
    classifier = _load_model(args.model, args.weights)
    settings = _settings(args, target)
    # Refuse impossible settings (a targeted DeepFool, a negative ε) once, not once per file.
    make_attack(args.method, classifier, **{k: v for k, v in settings.items()
                                            if k not in ("eot_samples", "ensemble")})
    out = Path(args.out)
    if out.exists() and not out.is_dir():
        raise CliError(f"--out must be a folder, but {args.out} is a file")

    def on_step_for(i: int, path: Path):
        if not args.quiet:
            _bar(i, len(files), path.name)

        def show(record) -> None:
            if not args.quiet:
                _bar(i, len(files), path.name, f"step {record.step}/{args.max_steps}")
        return show

    rows: list[batch.BatchRow] = []
    cluster = ray_cluster(args)
    if cluster is None:
        produced = batch.iter_batch(classifier, files, out, args.method, lang=args.lang,
                                    on_step_for=on_step_for, **settings)
    else:
        from . import distributed

        settings.pop("ensemble", None)  # each worker loads its own copies, by name
        produced = distributed.iter_batch(cluster, files, out, args.method, model=args.model, weights=args.weights,
                                          ensemble=args.ensemble, lang=args.lang, on_step_for=on_step_for,
                                          workers=args.workers, **settings)
    try:
        for row in produced:
            rows.append(row)
    finally:
        if cluster is not None:
            cluster.close()
        if rows:
            batch.write_summary(rows, out / batch.SUMMARY)
            batch.write_index(rows, out / batch.INDEX, model=classifier.name, method=args.method,
                              epsilon=args.eps, target=target)
    if not args.quiet:
        _bar(len(files), len(files), "done")
        print(file=sys.stderr)

    ok = [r for r in rows if r.status == "ok"]
    errors = [r for r in rows if r.status != "ok"]
    for r in ok:
        mark = "✓" if r.success else "✗"
        print(f"{mark} {r.file}: {r.original_label} → {r.final_label} in {r.steps} steps, {r.seconds:.1f}s")
    print(f"{len(rows)} files: {len(ok)} attacked ({sum(1 for r in ok if r.success)} fooled), "
          f"{len(errors)} errors; wrote {batch.relative(out / batch.INDEX)} and {batch.relative(out / batch.SUMMARY)}")
    if errors:
        print(f"{len(errors)} file(s) could not be attacked:", file=sys.stderr)
        for r in errors:
            print(f"  {r.file}: {r.error}", file=sys.stderr)
    return 0
