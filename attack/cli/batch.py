"""`python -m attack batch FOLDER`: attack every image in a folder, in process or on Ray, and write the
adversarial PNGs, report figures, summary.csv and index.html into --out.

Before any work, every output it will write is checked (attack.outputs): none may be one of the input
files (--out may be the input folder itself, as long as nothing in it would be overwritten), a symbolic
link, or reached through a link as --out."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..inputs import outputs
from ..models import load_model
from .common import (CliError, draw_bar, end_progress_line, given_path, make_output_folder,
                     refuse_impossible_settings, resolve_target, writing)
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
    folder = given_path(args.folder, "FOLDER")
    if not folder.is_dir():
        raise CliError(f"No such folder: {args.folder}")
    from ..experiments import batch  # imports TensorFlow: only once the folder exists

    try:
        files = batch.candidates(folder)
    except OSError as error:  # a folder we may not list: the user's to fix, like a missing one
        raise CliError(f"Could not read the folder {args.folder}: {error.strerror or error}.") from None
    if not files:
        raise CliError(f"No files to attack in {args.folder}")
    out = given_path(args.out, "--out")
    _check_outputs(out, files)
    target = resolve_target(args)
    classifier = load_model(args.model, args.weights)
    settings = attack_settings(args, target)
    # Refuse impossible settings (a targeted DeepFool, a negative ε) once, not once per file.
    refuse_impossible_settings(args.method, classifier, {k: v for k, v in settings.items()
                                                         if k not in ("eot_samples", "ensemble")})

    def on_step_for(i: int, path: Path):
        if not args.quiet:
            _bar(i, len(files), path.name)

        def show(record) -> None:
            if not args.quiet:
                _bar(i, len(files), path.name, f"step {record.step}/{args.max_steps}")
        return show

    rows: list = []  # attack.batch.BatchRow, one per file, in file order
    cluster = ray_cluster(args)
    folder = None
    try:
        folder = make_output_folder(out)
        if cluster is None:
            produced = batch.iter_batch(classifier, files, folder, args.method, lang=args.lang,
                                        on_step_for=on_step_for, **settings)
        else:
            from ..experiments import distributed

            settings.pop("ensemble", None)  # each worker loads its own copies, by name
            produced = distributed.iter_batch(cluster, files, folder, args.method, model=args.model,
                                              weights=args.weights, ensemble=args.ensemble, lang=args.lang,
                                              on_step_for=on_step_for, workers=args.workers, **settings)
        for row in produced:
            rows.append(row)
    finally:  # an interrupted batch still gets the tables of the files it finished
        if cluster is not None:
            cluster.close()
        if rows and folder is not None:
            _write_tables(rows, folder, model=classifier.name, method=args.method, epsilon=args.eps, target=target)
        if folder is not None:
            folder.close()
    if not args.quiet:
        _bar(len(files), len(files), "done")
        print(end_progress_line(), end="", file=sys.stderr)
    _print_rows(rows, out)
    return 0


def _check_outputs(out: Path, files: list[Path]) -> None:
    """Refuse, before any work, an --out that is a file or a link, and outputs that are links or inputs."""
    from ..experiments.batch import INDEX, SUMMARY, output_names, output_stems

    outputs.refuse_links([out])
    if out.exists() and not out.is_dir():
        raise CliError(f"--out must be a folder, but {out} is a file")  # before Ray starts, like the rest
    stems = output_stems(files)
    planned = [out / name for path in files for name in output_names(stems[path])] + [out / SUMMARY, out / INDEX]
    outputs.refuse_links(planned)
    outputs.refuse_inputs(planned, files)


def _write_tables(rows: list, folder: outputs.OutputFolder, **about) -> None:
    """summary.csv and index.html; `about` is the run's model, method, ε and target for the page's header."""
    from ..experiments.batch import INDEX, SUMMARY, index_html, summary_csv

    with writing(folder.path / SUMMARY):
        folder.write(SUMMARY, summary_csv(rows))
    with writing(folder.path / INDEX):
        folder.write(INDEX, index_html(rows, **about))


def _print_rows(rows: list, out: Path) -> None:
    """One line per attacked file and a total on stdout; the files that could not be attacked on stderr."""
    from ..experiments.batch import INDEX, SUMMARY, relative

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
