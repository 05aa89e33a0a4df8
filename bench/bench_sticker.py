"""The sticker and the universal noise, measured on the 200 held-out ImageNet sample photos (class index
divisible by 5; bench/imagenet_split.py). Training only ever sees the other 800.

    python bench/bench_sticker.py data/imagenet-sample-images [--sticker assets/stickers/toaster.png]
        [--noise assets/stickers/universal-eps10.png] [--noise-steps 400] [--train-steps 3000]
        [--train-minutes 10]
        [--skip noise-training,sticker-training]

Prints three tables:
1. the sticker's success (top-1 = toaster) at 5, 10, 15, 20 % of the photo's area, upright at seeded
   positions, on EfficientNet-Lite0 (white-box: it was trained on it) and transferred to Lite1 and Lite2;
2. the universal noise's fooling rate (top-1 changed) at ε 4, 8, 10, 16, each trained on the 800 for
   --noise-steps steps (and the shipped ε = 10 noise), with its training time;
3. a 10 %-area sticker trained from scratch on the 800 for --train-steps (cut at --train-minutes): its
   held-out success and time.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from imagenet_split import split  # noqa: E402  (bench/ is on the path when run as a script)

from attack.inputs.images import load_image  # noqa: E402
from attack.inputs.labels import resolve  # noqa: E402
from attack.models import availability, load_model  # noqa: E402
from attack.physical.sticker import evaluate_sticker, load_sticker, train_sticker  # noqa: E402
from attack.physical.universal import evaluate_noise, load_noise, train_universal  # noqa: E402

AREAS = (0.05, 0.10, 0.15, 0.20)
EPSILONS = (4, 8, 10, 16)
MODELS = ("efficientnet-lite0", "efficientnet-lite1", "efficientnet-lite2")


def sticker_table(held, sticker_path: str, target: int) -> None:
    sticker = load_sticker(sticker_path)
    print(f"\n## Sticker {sticker_path} ({sticker.width} px) → toaster, held-out {len(held)} photos\n")
    print("| model | " + " | ".join(f"{a:.0%} area" for a in AREAS) + " |")
    print("|---|" + "---|" * len(AREAS))
    for name in MODELS:
        ok, why = availability(name)
        if not ok:
            print(f"| {name} | not available offline: {why} |")
            continue
        model = load_model(name)
        rates = [evaluate_sticker(model, held, sticker, target=target, area=a, seed=0).rate for a in AREAS]
        print(f"| {name}{' (white-box)' if name == MODELS[0] else ''} | " + " | ".join(f"{r:.1%}" for r in rates) + " |",
              flush=True)


def noise_table(tune, held, noise_path: str | None, steps: int, skip_training: bool) -> None:
    model = load_model(MODELS[0])
    print(f"\n## Universal noise, untargeted, {MODELS[0]}, held-out {len(held)} photos\n")
    print("| ε | fooling rate | training | steps |")
    print("|---|---|---|---|")
    if noise_path:
        rate = evaluate_noise(model, held, load_noise(noise_path)).rate
        print(f"| 10 (shipped {Path(noise_path).name}) | {rate:.1%} | see README | — |", flush=True)
    if skip_training:
        return
    for eps in EPSILONS:
        start = time.perf_counter()
        last = None
        for last in train_universal(model, tune, eps=eps, steps=steps, seed=0, batch=8):
            pass
        seconds = time.perf_counter() - start
        rate = evaluate_noise(model, held, last.noise).rate
        print(f"| {eps} | {rate:.1%} | {seconds / 60:.1f} min | {steps} |", flush=True)


def training_row(tune, held, target: int, steps: int, minutes: float) -> None:
    """A run of `steps` (its learning rate falls over them), cut short if it passes `minutes`."""
    model = load_model(MODELS[0])
    start, last = time.perf_counter(), None
    for last in train_sticker(model, tune, target=target, steps=steps, area=0.1, seed=1, batch=8):
        if time.perf_counter() - start > 60 * minutes:
            break
    seconds = time.perf_counter() - start
    rate = evaluate_sticker(model, held, last.sticker, target=target, area=0.1, seed=0).rate
    cut = "" if last.step == steps else f", cut at {minutes:g} min"
    print(f"\n## A 10 %-area sticker trained from scratch (seed 1) for {seconds / 60:.1f} min ({last.step} of "
          f"{steps} steps of 8 photos{cut}): held-out success {rate:.1%}\n", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", help="the 1000 ImageNet sample photos")
    parser.add_argument("--sticker", default="assets/stickers/toaster.png")
    parser.add_argument("--noise", default="assets/stickers/universal-eps10.png")
    parser.add_argument("--noise-steps", type=int, default=400)
    parser.add_argument("--train-steps", type=int, default=3000)
    parser.add_argument("--train-minutes", type=float, default=10.0)
    parser.add_argument("--skip", default="", help="comma-separated: sticker, noise-training, sticker-training")
    args = parser.parse_args()
    skip = set(filter(None, args.skip.split(",")))
    tune_files, held_files = split(args.folder)
    held = [load_image(p).pixels for p in held_files]
    tune = [load_image(p).pixels for p in tune_files] if not {"noise-training", "sticker-training"} <= skip else []
    target = resolve("toaster")
    print(f"{len(tune)} tuning photos, {len(held)} held-out photos (class index divisible by 5)")
    if "sticker" not in skip:
        sticker_table(held, args.sticker, target)
    if args.noise or "noise-training" not in skip:
        noise_table(tune, held, args.noise or None, args.noise_steps, "noise-training" in skip)
    if "sticker-training" not in skip:
        training_row(tune, held, target, args.train_steps, args.train_minutes)


if __name__ == "__main__":
    main()
