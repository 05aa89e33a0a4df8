"""The engine against the field, on real ImageNet photos (issue 20): accuracy, white-box, black-box, cost.

    ../field-venv/bin/python bench/bench_field.py PHOTO_FOLDER [--limit N] [--seed 0]
        [--sections clean,white,square,cost] [--contenders apgd,pgd,art-pgd,art-apgd,foolbox-pgd,cleverhans-pgd]
        [--eps 1,2,4] [--modes targeted,untargeted] [--steps 300] [--square-queries 1000]
        [--square untargeted:4,untargeted:8,targeted:8] [--square-surrogates efficientnet-lite1,efficientnet-lite2]

PHOTO_FOLDER is `EliSchwartz/imagenet-sample-images` (bench/field_data.py). Sections:
- clean: the bundled models' top-1/top-5 on all 1000 photos at their own size (the app's input path).
- white: the held-out photos (index % 5 == 0; `--limit N`: a seeded subset, printed) that Lite0 gets
  right, each resized to 224 x 224 (LANCZOS, uint8), attacked by every contender on the same model,
  preprocessing and budget: targeted (a seeded random target per photo, the same for everyone) and
  untargeted. One judge for all: the result rounded to 8 bits, saved as PNG, read back, classified;
  success = target on top (targeted) or label changed (untargeted), with L∞ ≤ ε. The engine stops at
  the first success (top-1, stop_at ~0); the peers run all their steps and return the last.
  Seconds per photo: the engine's own per-run accounting; a peer's batch time / photos in it.
  "claimed, not kept": the peer's float result fools the model but its saved PNG does not.
- square: Square (black-box) untargeted at ε 4 and 8, targeted at ε 8, same photos, same judge;
  `--square-surrogates`: each row again with a transfer start from those models (used white-box; the
  target is still only queried, attack/attacks/square.py).
- cost: per-step cost / a bare compiled forward + backward of Lite0 at 224, interleaved (bare,
  contender, bare, ... medians of rotating rounds), so the shared cores' slow spells cancel.
Results (every photo's outcome) go to bench/results/field-*.json; the tables are printed.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from attack.inputs import images  # noqa: E402
from attack.attacks import Goal, make_attack  # noqa: E402
from attack.catalogue import DEFAULT_METHOD  # noqa: E402
from attack.models import load_model  # noqa: E402
from attack.running.runner import run_attacks  # noqa: E402
from bench.field_cost import per_step_cost  # noqa: E402
from bench.field_data import ALL, HELD_OUT, load, photos, random_target, subset  # noqa: E402
from bench.field_peers import PEERS, available, make_peer, versions  # noqa: E402

ENGINE = (DEFAULT_METHOD, "pgd")
TOP1 = 1e-6  # stop_at: the engine stops as soon as the goal holds at top-1, the judge's own test


def judge(classifier, image: np.ndarray, original: np.ndarray, goal: Goal, eps: float) -> bool:
    """Round to 8 bits, save as PNG, read back, classify: the goal at top-1 and L∞ within ε."""
    pixels = np.clip(np.round(image), 0, 255).astype(np.uint8)
    back = images.load_image(images.encode_png(pixels)).pixels
    linf = int(np.abs(back.astype(np.int16) - original.astype(np.int16)).max())
    return goal.reached(classifier.probabilities(back)) and linf <= eps + 1e-6


def clean_accuracy(folder: str, models: list[str]) -> list[dict]:
    rows = []
    chosen = photos(folder, ALL)
    for name in models:
        classifier, clock, top1, top5 = load_model(name), time.perf_counter(), 0, 0
        for p in chosen:
            order = np.argsort(classifier.probabilities(load(p)))[::-1][:5]
            top1 += int(order[0] == p.label)
            top5 += int(p.label in order)
        rows.append({"model": name, "top1": top1 / len(chosen), "top5": top5 / len(chosen), "n": len(chosen),
                     "seconds": time.perf_counter() - clock})
        print(f"clean {name}: top-1 {top1 / 10:.1f} %, top-5 {top5 / 10:.1f} % on {len(chosen)} photos "
              f"({rows[-1]['seconds']:.0f} s)", flush=True)
    return rows


def run_engine(classifier, method, pictures, labels, targeted, eps, steps, **extra):
    """(final image, steps, seconds, claimed success) per photo."""
    settings_for = (lambda i: {"target": int(labels[i])}) if targeted else None
    # Traced before the clock starts, as the peers' first call is (bench/field_cost.py warms them up).
    warm = make_attack(method, classifier, epsilon=eps, target=int(labels[0]) if targeted else None)
    if not warm.entry.own_loop:
        warm.warm_up((1, 2, 8))
    out = {}
    for i, r in run_attacks(classifier, list(pictures), method, epsilon=eps, target=None, stop_at=TOP1,
                            max_steps=steps, batch_size=8, settings_for=settings_for, **extra):
        out[i] = (r.final.image, r.kept_step, r.seconds, r.final.success)
    return [out[i] for i in range(len(pictures))]


def run_peer(classifier, name, pictures, labels, targeted, eps, steps, batch):
    make_peer(name, classifier, eps, 2)(pictures[0][None].astype(np.float32), np.asarray(labels[:1]), targeted)
    attack, out = make_peer(name, classifier, eps, steps), []
    for start in range(0, len(pictures), batch):
        x = np.stack(pictures[start:start + batch]).astype(np.float32)
        y = np.asarray(labels[start:start + batch])
        clock = time.perf_counter()
        adversarial = attack(x, y, targeted)
        share = (time.perf_counter() - clock) / len(x)
        top1 = np.argmax(classifier.same_size_probabilities(adversarial), axis=1)
        claimed = top1 == y if targeted else top1 != y
        out += [(adversarial[k], steps, share, bool(claimed[k])) for k in range(len(x))]
    return out


def summarise(classifier, name, mode, eps, results, pictures, truths, targets) -> dict:
    ok, steps, seconds, lost = [], [], [], 0
    for k, (image, n, s, claimed) in enumerate(results):
        goal = Goal(int(truths[k]), int(targets[k]) if mode == "targeted" else None, None)
        success = judge(classifier, image, pictures[k], goal, eps)
        ok.append(success)
        lost += int(claimed and not success)
        if success:
            steps.append(n)
            seconds.append(s)
    row = {"contender": name, "mode": mode, "eps": eps, "n": len(ok), "fooled": sum(ok),
           "median_steps": statistics.median(steps) if steps else None,
           "median_seconds": statistics.median(seconds) if seconds else None, "claimed_not_kept": lost,
           "outcomes": ok}
    print(f"| {name} | {mode} | {eps:g} | {sum(ok)}/{len(ok)} ({100 * sum(ok) / max(len(ok), 1):.1f} %) | "
          f"{_num(row['median_steps'])} | {_num(row['median_seconds'], '.2f')} | {lost} |", flush=True)
    return row


def _num(value, fmt="g") -> str:
    return "–" if value is None else format(value, fmt)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folder")
    parser.add_argument("--limit", type=int, default=None, help="a seeded subset of the held-out photos")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--sections", default="clean,white,square,cost")
    parser.add_argument("--contenders", default=",".join(ENGINE + PEERS))
    parser.add_argument("--eps", default="1,2,4")
    parser.add_argument("--modes", default="targeted,untargeted")
    parser.add_argument("--steps", type=int, default=300)
    parser.add_argument("--peer-batch", type=int, default=8)
    parser.add_argument("--square-queries", type=int, default=1000)
    parser.add_argument("--square", default="untargeted:4,untargeted:8,targeted:8", help="Square's rows, MODE:ε")
    parser.add_argument("--square-surrogates", default="", help="models for Square's transfer start, comma-separated")
    parser.add_argument("--clean-models", default="efficientnet-lite0,efficientnet-lite1,efficientnet-lite2")
    args = parser.parse_args()
    sections, contenders = set(args.sections.split(",")), args.contenders.split(",")
    eps_levels = [float(e) for e in args.eps.split(",")]
    print(f"peers: {versions()}")
    missing = {k: v for k, v in available().items() if v is not None and k in contenders}
    for peer, why in missing.items():
        print(f"{peer} cannot run here: {why}")
    contenders = [c for c in contenders if c not in missing]
    report = {"args": vars(args), "versions": versions()}
    if "clean" in sections:
        report["clean"] = clean_accuracy(args.folder, args.clean_models.split(","))
    classifier = load_model()
    chosen = subset(photos(args.folder, HELD_OUT), args.limit, args.seed)
    side = classifier.input_size
    pictures = [load(p, side) for p in chosen]
    truths = [p.label for p in chosen]
    correct = np.argmax(classifier.same_size_probabilities(np.stack(pictures).astype(np.float32)), axis=1) == truths
    keep = [k for k in range(len(chosen)) if correct[k]]
    pictures, truths = [pictures[k] for k in keep], [truths[k] for k in keep]
    targets = [random_target(chosen[k], args.seed) for k in keep]
    used = [chosen[k].name for k in keep]
    print(f"photos: {len(chosen)} held-out" + (f" (seeded subset, seed {args.seed})" if args.limit else "") +
          f", {len(keep)} classified correctly at {side}×{side}: {', '.join(used)}")
    report["photos"] = used
    rows = report.setdefault("rows", [])
    if "white" in sections:
        print("\n| contender | mode | ε | fooled (saved PNG) | median steps | median s | claimed, not kept |")
        print("|---|---|---|---|---|---|---|")
        for mode in args.modes.split(","):
            labels = targets if mode == "targeted" else truths
            for eps in eps_levels:
                for name in contenders:
                    if name in ENGINE:
                        results = run_engine(classifier, name, pictures, labels, mode == "targeted", eps, args.steps)
                    else:
                        results = run_peer(classifier, name, pictures, labels, mode == "targeted", eps, args.steps,
                                           args.peer_batch)
                    rows.append(summarise(classifier, name, mode, eps, results, pictures, truths, targets))
    if "square" in sections:
        print(f"\n| Square, ≤ {args.square_queries} queries | mode | ε | fooled | median queries | median s | "
              "claimed, not kept |")
        print("|---|---|---|---|---|---|---|")
        names = [n for n in args.square_surrogates.split(",") if n]
        variants = [("square", [])] + ([("square + transfer from " + ", ".join(names), [load_model(n) for n in names])]
                                       if names else [])
        for spec in args.square.split(","):
            mode, level = spec.split(":")
            eps = float(level)
            labels = targets if mode == "targeted" else truths
            for title, surrogates in variants:
                results = run_engine(classifier, "square", pictures, labels, mode == "targeted", eps,
                                     args.square_queries, ensemble=surrogates)
                row = summarise(classifier, title, mode, eps, results, pictures, truths, targets)
                queries = [r[1] for r, ok in zip(results, row["outcomes"]) if ok]
                row["mean_queries"] = statistics.fmean(queries) if queries else None
                print(f"  mean queries over successes: {_num(row['mean_queries'], '.1f')}")
                rows.append(row)
    if "cost" in sections:
        report["cost"] = per_step_cost(classifier, pictures[0], contenders)
    out = ROOT / "bench" / "results" / f"field-{time.strftime('%Y%m%d-%H%M%S')}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=1, default=str))
    print(f"\nsaved {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
