"""`python -m attack universal train|apply|eval`: one noise for every photo from the command line."""
from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
from PIL import Image

from ..inputs import images, labels
from ..physical.universal import MAX_EPS, apply_noise, check_eps, encode_noise, load_noise, noise_eps
from .common import check_outputs, label_query, load_image, write_output
from .options import add_model_options
from .photos import (add_training_options, check_training_options, follow, image_files, load_photos,
                     split_validation, training_files)


def add_universal(sub) -> None:
    """`universal train|apply|eval`."""
    p = sub.add_parser("universal", help="one noise that fools the model on most photos: train, apply, measure")
    commands = p.add_subparsers(dest="universal_command", required=True)

    train = commands.add_parser("train", help="train a universal noise over a folder of photos")
    add_training_options(train, steps=1000)
    train.add_argument("--eps", type=int, default=10, help=f"ε in whole pixel levels, 1–{MAX_EPS} (default 10)")
    train.add_argument("--target", help="aim every photo at this class (default: any wrong class)")
    train.add_argument("--out", required=True, help="where to write the noise PNG (128 + δ, 224 × 224)")
    add_model_options(train)
    train.set_defaults(func=cmd_train)

    apply = commands.add_parser("apply", help="add a noise to a photo")
    apply.add_argument("image")
    apply.add_argument("--noise", required=True)
    apply.add_argument("--out", required=True)
    apply.add_argument("--json", action="store_true")
    apply.set_defaults(func=cmd_apply)

    evaluate = commands.add_parser("eval", help="the share of a folder's photos a noise fools")
    evaluate.add_argument("folder")
    evaluate.add_argument("--noise", required=True)
    evaluate.add_argument("--target", help="count a photo only when it became this class")
    evaluate.add_argument("--json", action="store_true")
    evaluate.add_argument("--quiet", action="store_true")
    add_model_options(evaluate)
    evaluate.set_defaults(func=cmd_eval)


def _noise(path: str) -> np.ndarray:
    if not path or not Path(path).exists():
        load_image(path)  # its "No such file" line
    return load_noise(path)


def _target(text: str | None) -> int | None:
    return None if text is None else labels.resolve(label_query(text))


def cmd_train(args: argparse.Namespace) -> int:
    check_eps(args.eps)
    check_training_options(args)
    target = _target(args.target)
    files = training_files(args)
    check_outputs({"--out": args.out}, inputs=files)
    photos = load_photos(files, args.quiet)
    train, held = split_validation(photos, args.validate, args.seed)
    from ..models import load_model  # imports TensorFlow: only once the input is known to be good
    from ..physical.universal import train_universal

    classifier = load_model(args.model, args.weights)
    records = train_universal(classifier, train, eps=args.eps, steps=args.steps, target=target, seed=args.seed,
                              held_out=held, eval_every=args.eval_every, batch=args.batch)
    ended = follow(records, args.steps, args, lambda r: r.fooling_rate,
                   lambda r: write_output(args.out, encode_noise(r.noise)))
    summary = {"out": args.out, "eps": args.eps, "target": target, "model": classifier.name, "photos": len(train),
               "validation": len(held or ()), "steps": ended.last.step, "best_step": ended.best.step,
               "validation_fooling_rate": ended.best.fooling_rate, "seconds": round(ended.seconds, 1),
               "stopped": ended.stopped, "seed": args.seed}
    if args.json:
        print(json.dumps(summary))
    else:
        shown = f", held-out fooling rate {ended.best.fooling_rate:.0%}" if ended.best.fooling_rate is not None else ""
        print(f"noise ε = {args.eps}: step {ended.best.step} of {ended.last.step}{shown}, {ended.seconds:.0f}s; "
              f"saved {args.out}")
    return 0


def cmd_apply(args: argparse.Namespace) -> int:
    photo = load_image(args.image)
    noise = _noise(args.noise)
    check_outputs({"--out": args.out}, inputs=[args.image, args.noise])
    out = np.asarray(apply_noise(Image.fromarray(photo.pixels), noise))
    write_output(args.out, images.encode_png(out))
    linf = int(np.abs(out.astype(int) - photo.pixels.astype(int)).max())
    if args.json:
        print(json.dumps({"out": args.out, "eps": noise_eps(noise), "linf": linf, "width": photo.width,
                          "height": photo.height}))
    else:
        print(f"added a noise of ε = {noise_eps(noise)} (L∞ {linf} on this photo); saved {args.out}")
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    target = _target(args.target)
    noise = _noise(args.noise)
    files = image_files(args.folder)
    photos = load_photos(files, args.quiet)
    from ..models import load_model  # imports TensorFlow
    from ..physical.universal import evaluate_noise

    classifier = load_model(args.model, args.weights)
    result = evaluate_noise(classifier, photos, noise, target=target)
    if args.json:
        print(json.dumps({"model": classifier.name, "eps": noise_eps(noise), "target": target,
                          "fooling_rate": result.rate,
                          "photos": [{"file": files[o.index].name, "before": o.before, "after": o.after,
                                      "label_before": labels.label(o.before), "label_after": labels.label(o.after),
                                      "fooled": o.fooled} for o in result.photos]}))
    else:
        print(f"{result.rate:.1%} of {len(photos)} photos fooled ({classifier.name}, ε = {noise_eps(noise)})")
    return 0
