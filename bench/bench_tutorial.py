"""The tutorial's experiment on the pig and every bundled sample: the float replay to 60 % in memory
(lr from the rule), its PNG read back, and the 8-bit-safe fix verified on its own PNG.

    .venv/bin/python bench/bench_tutorial.py [--variants | --variants-only] [--lr X]

--variants adds photos the rule was never run on while it was chosen: mirrored and centre-cropped
copies of the pig and the samples (new pixels for the model, same subjects).
Prints one row per photo: lr, replay steps and seconds, probability in memory and after saving, and
the fix's steps and probability on its PNG.
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from attack.inputs import images  # noqa: E402
from attack.experiments import tutorial  # noqa: E402
from attack.catalogue import DEFAULT_METHOD  # noqa: E402
from attack.models import load_model  # noqa: E402

TOASTER = 859
PIG = ROOT.parent / "shared" / "data" / "pig.jpg"
SAMPLES = ["coffee.png", "chelsea.png", "grace_hopper.jpg", "rocket.jpg", "astronaut.png"]


def photos(variants: bool) -> list[tuple[str, np.ndarray]]:
    found = [("pig.jpg", images.load_image(PIG).pixels)] if PIG.exists() else []
    found += [(name, images.load_image(ROOT / "assets" / name).pixels) for name in SAMPLES]
    if variants:
        extra = []
        for name, pixels in found:
            h, w = pixels.shape[:2]
            extra.append((f"{name} mirrored", np.ascontiguousarray(pixels[:, ::-1])))
            extra.append((f"{name} crop 80 %", np.ascontiguousarray(pixels[h // 10: h - h // 10, w // 10: w - w // 10])))
        found += extra
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--variants", action="store_true", help="also mirrored and cropped copies")
    parser.add_argument("--variants-only", action="store_true", help="only the mirrored and cropped copies")
    parser.add_argument("--lr", type=float, default=None, help="a fixed learning rate instead of the rule")
    args = parser.parse_args()
    classifier = load_model("efficientnet-lite0")
    tutorial.replay(classifier, images.load_image(ROOT / "assets" / "coffee.png").pixels, TOASTER, max_steps=1)  # trace once
    print(f"Lite0, target toaster, ε = 0.01 on [-1, 1] (1.275 levels), stop at 60 %; lr rule N = {tutorial.RULE_STEPS}; "
          f"fix: {DEFAULT_METHOD}, same ε, verified on its PNG")
    header = (f"{'photo':<28} {'size':>9} {'lr':>7} {'steps':>6} {'seconds':>8} {'memory':>8} {'saved':>7} "
              f"{'fix steps':>9} {'fix s':>6} {'fix PNG':>8}")
    print(header)
    print("-" * len(header))
    reached = 0
    rows = photos(args.variants or args.variants_only)
    if args.variants_only:
        rows = [(name, pixels) for name, pixels in rows if " " in name]
    for name, pixels in rows:
        replayed = tutorial.replay(classifier, pixels, TOASTER, lr=args.lr)
        fix = tutorial.fix(classifier, pixels, TOASTER)
        r = replayed.result
        reached += replayed.reached_in_memory
        mark = "" if replayed.reached_in_memory else " ✗"
        print(f"{name:<28} {pixels.shape[1]:>4}×{pixels.shape[0]:<4} {replayed.learning_rate.value:>7.3g} "
              f"{r.kept_step:>6} {r.seconds:>8.1f} {replayed.memory_probability:>8.1%} {replayed.saved_probability:>7.1%} "
              f"{fix.kept_step:>9} {fix.seconds:>6.1f} {fix.verification.target_probability:>8.1%}{mark}", flush=True)
    print(f"\nreached 60 % in memory within {tutorial.MAX_STEPS} steps: {reached} of {len(rows)}")


if __name__ == "__main__":
    main()
