"""`python -m attack sticker train|apply|eval|sheet`: the adversarial sticker from the command line."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np
from PIL import Image

from ..inputs import images, labels
from ..plumbing.errors import SettingsError
from ..physical.sticker import DEFAULT_AREA, DEFAULT_SIZE, check_area, check_placement, load_sticker, place_sticker
from ..physical.training import check_range
from .common import check_outputs, label_query, load_image, write_output
from .options import add_model_options
from .photos import (add_training_options, check_training_options, follow, image_files, load_photos,
                     split_validation, training_files)


def add_sticker(sub) -> None:
    """`sticker train|apply|eval|sheet`."""
    p = sub.add_parser("sticker", help="an adversarial sticker: train one, paste it, measure it, print it")
    commands = p.add_subparsers(dest="sticker_command", required=True)

    train = commands.add_parser("train", help="train a sticker toward a class over a folder of photos")
    add_training_options(train, steps=2000)
    train.add_argument("--target", default="toaster", help="class name or index (default toaster)")
    train.add_argument("--out", required=True, help="where to write the sticker PNG")
    train.add_argument("--area", type=float, default=DEFAULT_AREA, help="sticker area / photo area (default 0.1)")
    train.add_argument("--size", type=int, default=DEFAULT_SIZE, help=f"sticker side in px (default {DEFAULT_SIZE})")
    train.add_argument("--lr", type=float, default=0.03, help="Adam's learning rate on the [0, 1] scale")
    train.add_argument("--init", help="go on training this sticker (a square PNG) instead of starting from noise")
    add_model_options(train)
    train.set_defaults(func=cmd_train)

    apply = commands.add_parser("apply", help="paste a sticker on a photo")
    apply.add_argument("image")
    apply.add_argument("--sticker", required=True)
    apply.add_argument("--out", required=True)
    _placement_options(apply)
    apply.add_argument("--json", action="store_true")
    apply.set_defaults(func=cmd_apply)

    evaluate = commands.add_parser("eval", help="the share of a folder's photos a sticker turns into its target")
    evaluate.add_argument("folder")
    evaluate.add_argument("--sticker", required=True)
    evaluate.add_argument("--target", default="toaster", help="class name or index (default toaster)")
    _placement_options(evaluate)
    evaluate.add_argument("--seed", type=int, default=0, help="seeds the positions when --at is not given")
    evaluate.add_argument("--json", action="store_true")
    evaluate.add_argument("--quiet", action="store_true")
    add_model_options(evaluate)
    evaluate.set_defaults(func=cmd_eval)

    sheet = commands.add_parser("sheet", help="a printable A4 sheet of the sticker (PNG, and PDF) at 300 dpi")
    sheet.add_argument("--sticker", required=True)
    sheet.add_argument("--out", required=True, help="the sheet as PNG")
    sheet.add_argument("--pdf", help="also write it as PDF here")
    sheet.add_argument("--target", default="toaster", help="the class the sticker makes (printed on the sheet)")
    sheet.set_defaults(func=cmd_sheet)


def _placement_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--area", type=float, default=DEFAULT_AREA, help="sticker area / photo area, in (0, 0.5]")
    p.add_argument("--at", help="the sticker's centre X,Y as fractions of the photo (default: the centre; "
                                "for eval: seeded positions all over each photo)")
    p.add_argument("--angle", type=float, default=0.0, help="rotation in degrees, counter-clockwise")


def _placement(args: argparse.Namespace) -> tuple[float, float] | None:
    """--area, --at and --angle checked, before any file is read; returns the parsed --at."""
    check_area(args.area)
    at = None
    if args.at is not None:
        try:
            at = tuple(float(v) for v in args.at.split(","))
        except ValueError:
            raise SettingsError.coded("sticker.at", value=args.at) from None
        if len(at) != 2:
            raise SettingsError.coded("sticker.at", value=args.at)
    check_placement(at, args.angle)
    return at


def _sticker(path: str) -> Image.Image:
    if not path or not Path(path).exists():
        load_image(path)  # its "No such file" line
    return load_sticker(path)


def cmd_train(args: argparse.Namespace) -> int:
    check_area(args.area)
    check_range("--size", args.size, 16, 512)
    check_training_options(args)
    target = labels.resolve(label_query(args.target))
    files = training_files(args)
    check_outputs({"--out": args.out}, inputs=files)
    init = _sticker(args.init) if args.init else None
    photos = load_photos(files, args.quiet)
    train, held = split_validation(photos, args.validate, args.seed)
    from ..models import load_model  # imports TensorFlow: only once the input is known to be good
    from ..physical.sticker import train_sticker

    classifier = load_model(args.model, args.weights)
    records = train_sticker(classifier, train, target=target, steps=args.steps, area=args.area, seed=args.seed,
                            held_out=held, eval_every=args.eval_every, batch=args.batch, size=args.size,
                            learning_rate=args.lr, init=init)
    ended = follow(records, args.steps, args, lambda r: r.success,
                   lambda r: write_output(args.out, images.encode_png(r.sticker)))
    summary = {"out": args.out, "target": {"index": target, "label": labels.label(target)}, "model": classifier.name,
               "photos": len(train), "validation": len(held or ()), "steps": ended.last.step,
               "best_step": ended.best.step, "validation_success": ended.best.success,
               "seconds": round(ended.seconds, 1), "stopped": ended.stopped, "seed": args.seed, "area": args.area}
    if args.json:
        print(json.dumps(summary))
    else:
        shown = f", held-out success {ended.best.success:.0%}" if ended.best.success is not None else ""
        print(f"sticker → {labels.label(target)}: step {ended.best.step} of {ended.last.step}{shown}, "
              f"{ended.seconds:.0f}s; saved {args.out}")
    return 0


def cmd_apply(args: argparse.Namespace) -> int:
    at = _placement(args)
    photo = load_image(args.image)
    sticker = _sticker(args.sticker)
    check_outputs({"--out": args.out}, inputs=[args.image, args.sticker])
    out = place_sticker(Image.fromarray(photo.pixels), sticker, area=args.area, at=at, angle=args.angle)
    write_output(args.out, images.encode_png(np.asarray(out)))
    if args.json:
        print(json.dumps({"out": args.out, "width": out.width, "height": out.height, "area": args.area,
                          "at": list(at) if at else [0.5, 0.5], "angle": args.angle}))
    else:
        print(f"pasted at {args.area:.0%} of the photo's area; saved {args.out}")
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    at = _placement(args)
    check_range("--seed", args.seed, 0, 2**31 - 1)
    target = labels.resolve(label_query(args.target))
    sticker = _sticker(args.sticker)
    files = image_files(args.folder)
    photos = load_photos(files, args.quiet)
    from ..models import load_model  # imports TensorFlow
    from ..physical.sticker import evaluate_sticker

    classifier = load_model(args.model, args.weights)
    result = evaluate_sticker(classifier, photos, sticker, target=target, area=args.area, seed=args.seed,
                              at=at, angle=args.angle)
    if args.json:
        print(json.dumps({"model": classifier.name, "target": target, "area": args.area, "success_rate": result.rate,
                          "photos": [{"file": files[o.index].name, "top1": o.top1, "label": labels.label(o.top1),
                                      "target_probability": round(o.target_probability, 4), "success": o.success}
                                     for o in result.photos]}))
    else:
        print(f"{result.rate:.1%} of {len(photos)} photos → {labels.label(target)} "
              f"({classifier.name}, sticker at {args.area:.0%} of the area)")
    return 0


def cmd_sheet(args: argparse.Namespace) -> int:
    target = labels.resolve(label_query(args.target))
    sticker = _sticker(args.sticker)
    check_outputs({"--out": args.out, "--pdf": args.pdf}, inputs=[args.sticker])
    from ..render.sheet import render_sheet

    png, pdf = render_sheet(sticker, target)
    write_output(args.out, png)
    if args.pdf:
        write_output(args.pdf, pdf)
    print(f"wrote {args.out}" + (f" and {args.pdf}" if args.pdf else ""), file=sys.stdout)
    return 0
