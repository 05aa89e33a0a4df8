"""Engine benchmark: steps and seconds to success per method, and the per-step overhead of the generator.

    .venv/bin/python bench/bench_engine.py [--eps 1,2,4] [--stop-at 0.95] [--max-steps 300] [--quick]
                                           [--methods square,jsma] [--no-overhead]

Success is measured on the saved PNG read back from bytes (`attack.runner.verify`), not on the
array in memory. The overhead ratio compares seconds per generator step with a bare compiled
forward + backward pass of the same model on the same input.
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

from attack import images  # noqa: E402
from attack.attacks import METHODS as ATTACKS, make_attack  # noqa: E402
from attack.attacks.losses import gradient_function  # noqa: E402
from attack.models import load_model  # noqa: E402
from attack.runner import run_attack  # noqa: E402

TOASTER = 859
PIG = ROOT.parent / "shared" / "data" / "pig.jpg"
SAMPLES = ["coffee.png", "chelsea.png", "grace_hopper.jpg", "rocket.jpg", "astronaut.png"]
# method, extra settings, label; untargeted methods have no target.
METHODS = [
    ("pgd", {}, "pgd"),
    ("bim", {}, "bim"),
    ("mi-fgsm", {}, "mi-fgsm"),
    ("fgsm", {"target": None}, "fgsm (untargeted)"),
    ("deepfool", {"target": None, "max_steps": 50}, "deepfool (untargeted)"),
    ("cw-l2", {}, "cw-l2"),
    ("gradient-ascent", {"max_steps": 100}, "gradient-ascent lr 0.1 (tutorial)"),
    ("gradient-ascent", {"step_size": 300.0}, "gradient-ascent lr 300"),
    # Black-box: its steps are model queries (1,000 as in issue 11's claim); untargeted, as that claim is.
    ("square", {"target": None, "max_steps": 1000}, "square (untargeted; steps = queries)"),
    # L0: ε does not apply, so one row per image (ε shown as –); L0 is the column to read.
    ("jsma", {"target": None, "max_steps": 100}, "jsma (untargeted)"),
    ("jsma", {"max_steps": 300, "step_size": 16}, "jsma → toaster, 16 pairs/step"),
]


def load(name: str) -> np.ndarray:
    path = PIG if name == "pig.jpg" else ROOT / "assets" / name
    return images.load_image(path).pixels


def time_to_success(classifier, rows, eps_levels, stop_at, max_steps, image_names):
    print(f"\n## Steps and seconds to success (stop at {stop_at:.0%}, verified on the saved PNG)\n")
    print("| method | image | size | ε | success | steps | seconds | L0 (px, %) | final top-1 |")
    print("|---|---|---|---|---|---|---|---|---|")
    for method, extra, label in rows:
        for name in image_names:
            pixels = load(name)
            uses_epsilon = getattr(ATTACKS[method], "uses_epsilon", True)
            for eps in eps_levels if uses_epsilon else eps_levels[:1]:
                settings = {"epsilon": eps, "target": TOASTER, "max_steps": max_steps, "stop_at": stop_at}
                settings.update(extra)
                result = run_attack(classifier, pixels, method, **settings)
                top = result.verification.top5[0]
                d = result.distances
                print(f"| {label} | {name} | {pixels.shape[1]}×{pixels.shape[0]} | "
                      f"{f'{eps:g}' if uses_epsilon else '–'} | {'✓' if result.success else '✗'} | {result.steps} | "
                      f"{result.seconds:.2f} | {d.l0} ({d.l0_fraction:.1%}) | {top.label} {top.probability:.2f} |",
                      flush=True)


def overhead(classifier, image_names, steps=30):
    print("\n## Per-step cost: generator vs bare compiled forward + backward (same model, same input)\n")
    print("| image | size | bare ms/step | generator ms/step | ratio |")
    print("|---|---|---|---|---|")
    bare_fn = gradient_function(classifier, "log-softmax", True)
    for name in image_names:
        pixels = load(name)
        x = tf.constant(pixels, tf.float32)
        target = tf.constant(TOASTER, tf.int32)
        for _ in range(3):
            bare_fn(x, target)[1].numpy()  # warm up
        start = time.perf_counter()
        for _ in range(steps):
            bare_fn(x, target)[1].numpy()
        bare = (time.perf_counter() - start) / steps
        attack = make_attack("bim", classifier, epsilon=1, target=TOASTER, max_steps=steps + 3, stop_at=0.999)
        records = list(attack.run(pixels))
        per_step = (records[-1].elapsed - records[2].elapsed) / (len(records) - 3)  # skip warm-up
        print(f"| {name} | {pixels.shape[1]}×{pixels.shape[0]} | {bare * 1e3:.1f} | {per_step * 1e3:.1f} | "
              f"{per_step / bare:.2f} |", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--eps", default="1,2,4")
    parser.add_argument("--stop-at", type=float, default=0.95)
    parser.add_argument("--max-steps", type=int, default=300)
    parser.add_argument("--quick", action="store_true", help="pig and coffee only, ε = 1 and 2")
    parser.add_argument("--methods", default="", help="only these rows' methods, e.g. square,jsma")
    parser.add_argument("--no-overhead", action="store_true", help="skip the per-step overhead table")
    args = parser.parse_args()
    eps_levels = [float(e) for e in args.eps.split(",")]
    names = (["pig.jpg"] if PIG.exists() else []) + SAMPLES
    if args.quick:
        names, eps_levels = names[:2], eps_levels[:2]
    print(f"TensorFlow {tf.__version__}, {os.cpu_count()} CPU cores, devices: "
          f"{[d.device_type for d in tf.config.list_physical_devices()]}")
    start = time.perf_counter()
    classifier = load_model()
    print(f"model load: {time.perf_counter() - start:.2f} s")
    if not args.no_overhead:
        overhead(classifier, names[:3])
    wanted = set(filter(None, args.methods.split(",")))
    rows = [row for row in METHODS if not wanted or row[0] in wanted]
    time_to_success(classifier, rows, eps_levels, args.stop_at, args.max_steps, names)


if __name__ == "__main__":
    main()
