"""`python -m attack classify`, `models` and `labels`: the commands that look, without attacking."""
from __future__ import annotations

import argparse
import json
import sys

from ..inputs import labels
from ..models import DEFAULT_MODEL, MODELS, availability, install_weights, load_model
from ..running.records import prediction_json
from .common import CliError, label_query, load_image
from .options import add_model_options


def add_classify(sub) -> None:
    """`classify IMAGE`: the model's top-K classes."""
    p = sub.add_parser("classify", help="top-K predictions for an image")
    p.add_argument("image")
    add_model_options(p)
    p.add_argument("--top", type=int, default=5)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_classify)


def add_models(sub) -> None:
    """`models`: the catalogue of classifiers, and which of them load offline."""
    p = sub.add_parser("models", help="list models and whether each is available offline")
    p.add_argument("--json", action="store_true")
    p.add_argument("--install", metavar="FILE", help="install a downloaded weights file (only the published one)")
    p.set_defaults(func=cmd_models)


def add_labels(sub) -> None:
    """`labels QUERY`: search the class names."""
    p = sub.add_parser("labels", help="search the 1000 ImageNet class names (English or Chinese)")
    p.add_argument("query")
    p.add_argument("--limit", type=int, default=20)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_labels)


def cmd_classify(args: argparse.Namespace) -> int:
    image = load_image(args.image)
    classifier = load_model(args.model, args.weights)
    predictions = classifier.classify(image.pixels, args.top)
    if args.json:
        print(json.dumps({"model": classifier.name, "image": args.image, "width": image.width,
                          "height": image.height, "top": [prediction_json(p) for p in predictions]}))
    else:
        for note in image.notes:
            print(f"note: {note}", file=sys.stderr)
        for p in predictions:
            print(f"{p.probability:7.2%}  {p.label} ({p.index})")
    return 0


def cmd_models(args: argparse.Namespace) -> int:
    if args.install:  # only the published file of a Keras model; anything else: one line, exit 2
        print(f"installed {install_weights(None, args.install)}", file=sys.stderr)
    rows = []
    for name, spec in MODELS.items():
        ok, why = availability(name)
        rows.append({"name": name, "title": spec.title, "input_size": spec.input_size,
                     "available": ok, "reason": why, "default": name == DEFAULT_MODEL})
    if args.json:
        print(json.dumps(rows))
    else:
        for r in rows:
            print(f"{'✓' if r['available'] else '✗'} {r['name']:<20} {r['title']:<36} {r['reason']}")
    return 0


def cmd_labels(args: argparse.Namespace) -> int:
    hits = labels.search(label_query(args.query), args.limit)
    if args.json:
        print(json.dumps([{"index": i, "label": labels.label(i), "zh": labels.display(i, "zh")} for i in hits],
                         ensure_ascii=False))
    elif not hits:
        raise CliError(f"No ImageNet class matches “{args.query}”.")
    else:
        for i in hits:
            print(f"{i:>4}  {labels.label(i)}  {labels.display(i, 'zh')}")
    return 0
