"""`python -m attack batch FOLDER`: attack every image in a folder, in process or on Ray, and write the
adversarial PNGs, report figures, summary.csv and index.html into --out."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..models import load_model
from .common import (CliError, draw_bar, end_progress_line, make_output_folder, refuse_impossible_settings,
                     resolve_target, writing)
from .options import add_attack_options, add_ray_options, add_report_options, attack_settings, ray_cluster


def add_batch(sub) -> None:
    """`batch FOLDER --out FOLDER [--ray]`."""
    p = sub.add_parser("batch", help="attack every image in a folder: reports, summary.csv, index.html")
    add_attack_options(p, positional="folder")
    add_report_options(p)
    p.add_argument("--out", required=True, help="folder for the adversarial PNGs, reports, summary.csv and index.html")
    add_ray_options(p)
    p.set_defaults(func=cmd_batch)


def _bar(done: int, total: int, name: str, detail: str = "") -> None:
    draw_bar(done / max(total, 1), f"{done}/{total}  {name[:40]}  {detail}")


def cmd_batch(args: argparse.Namespace) -> int:
    folder = Path(args.folder)
    if not folder.is_dir():
        raise CliError(f"No such folder: {args.folder}")
    from .. import batch  # imports TensorFlow: only once the folder exists

    try:
        files = batch.candidates(folder)
    except OSError as error:  # a folder we may not list: the user's to fix, like a missing one
        raise CliError(f"Could not read the folder {args.folder}: {error.strerror or error}.") from None
    if not files:
        raise CliError(f"No files to attack in {args.folder}")
    target = resolve_target(args)
    classifier = load_model(args.model, args.weights)
    settings = attack_settings(args, target)
    # Refuse impossible settings (a targeted DeepFool, a negative ε) once, not once per file.
    refuse_impossible_settings(args.method, classifier, {k: v for k, v in settings.items()
                                                         if k not in ("eot_samples", "ensemble")})
    out = Path(args.out)
    if out.exists() and not out.is_dir():
        raise CliError(f"--out must be a folder, but {args.out} is a file")  # before Ray starts, like the rest

    def on_step_for(i: int, path: Path):
        if not args.quiet:
            _bar(i, len(files), path.name)

        def show(record) -> None:
            if not args.quiet:
                _bar(i, len(files), path.name, f"step {record.step}/{args.max_steps}")
        return show

    rows: list = []  # attack.batch.BatchRow, one per file, in file order
    cluster = ray_cluster(args)
    try:
        make_output_folder(out)
        if cluster is None:
            produced = batch.iter_batch(classifier, files, out, args.method, lang=args.lang,
                                        on_step_for=on_step_for, **settings)
        else:
            from .. import distributed

            settings.pop("ensemble", None)  # each worker loads its own copies, by name
            produced = distributed.iter_batch(cluster, files, out, args.method, model=args.model,
                                              weights=args.weights, ensemble=args.ensemble, lang=args.lang,
                                              on_step_for=on_step_for, workers=args.workers, **settings)
        for row in produced:
            rows.append(row)
    finally:  # an interrupted batch still gets the tables of the files it finished
        if cluster is not None:
            cluster.close()
        if rows:
            _write_tables(rows, out, model=classifier.name, method=args.method, epsilon=args.eps, target=target)
    if not args.quiet:
        _bar(len(files), len(files), "done")
        print(end_progress_line(), end="", file=sys.stderr)
    _print_rows(rows, out)
    return 0


def _write_tables(rows: list, out: Path, **about) -> None:
    """summary.csv and index.html; `about` is the run's model, method, ε and target for the page's header."""
    from ..batch import INDEX, SUMMARY, write_index, write_summary

    with writing(out / SUMMARY):
        write_summary(rows, out / SUMMARY)
    with writing(out / INDEX):
        write_index(rows, out / INDEX, **about)


def _print_rows(rows: list, out: Path) -> None:
    """One line per attacked file and a total on stdout; the files that could not be attacked on stderr."""
    from ..batch import INDEX, SUMMARY, relative

    ok = [r for r in rows if r.status == "ok"]
    errors = [r for r in rows if r.status != "ok"]
    for r in ok:
        mark = "✓" if r.success else "✗"
        print(f"{mark} {r.file}: {r.original_label} → {r.final_label} in {r.steps} steps, {r.seconds:.1f}s")
    print(f"{len(rows)} files: {len(ok)} attacked ({sum(1 for r in ok if r.success)} fooled), "
          f"{len(errors)} errors; wrote {relative(out / INDEX)} and {relative(out / SUMMARY)}")
    if errors:
        print(f"{len(errors)} file(s) could not be attacked:", file=sys.stderr)
        for r in errors:
            print(f"  {r.file}: {r.error}", file=sys.stderr)
