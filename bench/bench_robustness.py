"""Plain vs robust attacks: success, steps, time, checks survived, and transfer to Lite1 / Lite2.

    .venv/bin/python bench/bench_robustness.py [--side 224] [--steps 100] [--eot 8] [--ensemble]

Images are the bundled samples (and ../shared/data/pig.jpg when present), scaled so the longest
side is --side pixels (224 by default: about the model's own input size, and it keeps a robust run
within seconds on a 2-core CPU). Target: toaster (859). Attack: PGD, stop at 0.9.
  plain   ε = 2, plain PGD
  eot     ε = 8, EOT over --eot random transformations per step
  eot+ens ε = 8, EOT and an ensemble with Lite1 (then only Lite2 is an independent transfer test)
Transfer columns: does the adversarial PNG make Lite1 / Lite2 say toaster (top-1)?
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("ADVERSARIAL_LAB_OFFLINE", "1")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from attack.inputs.images import load_image  # noqa: E402
from attack.models import load_model  # noqa: E402
from attack.experiments.robustness import run_checks, transfer_check  # noqa: E402
from attack.running.runner import run_attack  # noqa: E402

TOASTER = 859
SAMPLES = ["coffee.png", "chelsea.png", "grace_hopper.jpg"]


def images(side: int) -> dict[str, object]:
    found = {name.split(".")[0]: ROOT / "assets" / name for name in SAMPLES}
    pig = ROOT.parent / "shared" / "data" / "pig.jpg"
    if pig.exists():
        found["pig"] = pig
    return {name: load_image(path, max_side=side).pixels for name, path in found.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--side", type=int, default=224)
    parser.add_argument("--steps", type=int, default=100)
    parser.add_argument("--eot", type=int, default=8)
    parser.add_argument("--ensemble", action="store_true", help="also run EOT + ensemble with Lite1")
    args = parser.parse_args()

    lite0 = load_model("efficientnet-lite0")
    others = {name: load_model(name) for name in ("efficientnet-lite1", "efficientnet-lite2")}
    configs = [("plain", {"epsilon": 2.0}), (f"eot×{args.eot}", {"epsilon": 8.0, "eot_samples": args.eot})]
    if args.ensemble:
        configs.append((f"eot×{args.eot}+ens", {"epsilon": 8.0, "eot_samples": args.eot,
                                                "ensemble": [others["efficientnet-lite1"]]}))
    # Warm up each configuration once, so the table times steps, not tf.function tracing.
    warm = load_image(ROOT / "assets" / "coffee.png", max_side=64).pixels
    for _, settings in configs:
        run_attack(lite0, warm, "pgd", target=TOASTER, max_steps=1, **settings)

    print(f"PGD → toaster, stop at 0.9, ≤{args.steps} steps, longest side {args.side} px, "
          f"Lite0 attacked; checks = survives x of N; transfer = top-1 toaster on Lite1 / Lite2")
    header = f"{'image':<13} {'attack':<12} {'ok':>3} {'steps':>5} {'sec':>6} {'L∞':>3} {'p':>6} " \
             f"{'checks':>7} {'lite1':>6} {'lite2':>6}"
    print(header)
    print("-" * len(header))
    totals: dict[str, list] = {name: [] for name, _ in configs}
    started = time.perf_counter()
    for image_name, pixels in images(args.side).items():
        for config, settings in configs:
            result = run_attack(lite0, pixels, "pgd", target=TOASTER, stop_at=0.9, max_steps=args.steps, **settings)
            adversarial = result.final.image
            checks = run_checks(lite0, pixels, adversarial, target=TOASTER)
            transfer = {r.model: r.fooled for r in transfer_check(adversarial, pixels, TOASTER,
                                                                   loader=others.__getitem__)}
            totals[config].append((result.success, checks.passed, checks.total, transfer))
            print(f"{image_name:<13} {config:<12} {'✓' if result.success else '✗':>3} {result.kept_step:>5} "
                  f"{result.seconds:>6.1f} {result.distances.linf:>3.0f} {result.verification.target_probability:>6.2f} "
                  f"{checks.passed:>3}/{checks.total:<3} {'✓' if transfer['efficientnet-lite1'] else '✗':>6} "
                  f"{'✓' if transfer['efficientnet-lite2'] else '✗':>6}", flush=True)
    print("-" * len(header))
    for config, rows in totals.items():
        n = len(rows)
        passed, total = sum(r[1] for r in rows), sum(r[2] for r in rows)
        lite1 = sum(r[3]["efficientnet-lite1"] for r in rows)
        lite2 = sum(r[3]["efficientnet-lite2"] for r in rows)
        print(f"{config:<13} success {sum(r[0] for r in rows)}/{n}; checks passed {passed}/{total} "
              f"({passed / total:.0%}); transfer Lite1 {lite1}/{n}, Lite2 {lite2}/{n}")
    print(f"total wall time {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
