"""Which tuning photos miss "→ toaster at ε = 1 in 300 steps, ≥ 90 %", and why (scope item 4 of issue 20).

    .venv/bin/python bench/field_tune.py PHOTO_FOLDER [--limit 60] [--method apgd] [--set loss=dlr ...]
                                         [--names n02129604_tiger,...] [--patch CONSTANT=value ...]
                                         [--held-out]

Tuning photos (class index not divisible by 5), a seeded subset; `--held-out` reports on the held-out
200 instead (for the figures, once the tuning is done); each at its own resolution, as
the CLI's `batch` runs it. Per photo: success on the saved PNG, steps, the target's probability on
the PNG, the photo's size, and the clean top-1; then the misses, and a JSON line for comparisons.
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
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from attack.models import load_model  # noqa: E402
from attack.running.runner import run_attacks  # noqa: E402
from bench.field_data import HELD_OUT, TUNING, load, photos, subset  # noqa: E402

TOASTER = 859


def parse_set(items: list[str]) -> dict:
    out = {}
    for item in items:
        key, value = item.split("=", 1)
        try:
            out[key] = json.loads(value)
        except json.JSONDecodeError:
            out[key] = value
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folder")
    parser.add_argument("--limit", type=int, default=60)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--method", default="apgd")
    parser.add_argument("--eps", type=float, default=1.0)
    parser.add_argument("--max-steps", type=int, default=300)
    parser.add_argument("--set", nargs="*", default=[], help="extra attack settings, key=value")
    parser.add_argument("--patch", nargs="*", default=[], help="module constants of attack.attacks.apgd, KEY=value")
    parser.add_argument("--names", default="", help="comma-separated photo names (tuning photos only)")
    parser.add_argument("--held-out", action="store_true", help="all 200 held-out photos, for the report")
    args = parser.parse_args()
    if args.names:  # named tuning photos win over --held-out and the seeded subset
        wanted = set(args.names.split(","))
        chosen, which = [p for p in photos(args.folder, TUNING) if p.name in wanted], "named tuning photos"
    elif args.held_out:
        chosen, which = photos(args.folder, HELD_OUT), "held-out photos"
    else:
        chosen, which = subset(photos(args.folder, TUNING), args.limit, args.seed), f"tuning photos (seed {args.seed})"
    from attack.attacks import apgd

    for key, value in parse_set(args.patch).items():
        setattr(apgd, key, value)
    print(f"patched {args.patch}")
    extra = parse_set(args.set)
    print(f"{len(chosen)} {which}, {args.method} {extra}, ε {args.eps:g}, → toaster")
    classifier = load_model()
    clock = time.perf_counter()
    loaders = [lambda p=p: load(p) for p in chosen]
    rows = []
    for i, r in run_attacks(classifier, loaders, args.method, epsilon=args.eps, target=TOASTER, stop_at=0.9,
                            max_steps=args.max_steps, batch_size=8, **extra):
        p = chosen[i]
        png_p = r.verification.target_probability
        top1 = r.verification.top5[0]
        rows.append((p.name, r.success, r.kept_step, png_p, top1.index == TOASTER, r.final.image.shape[:2],
                     r.original.label, r.original.probability))
        print(f"{p.name:40s} {'ok ' if r.success else 'MISS'} steps {r.kept_step:3d} PNG p(toaster) {png_p:.3f} "
              f"top1 {'toaster' if top1.index == TOASTER else top1.label} size {r.final.image.shape[1]}x"
              f"{r.final.image.shape[0]} clean {r.original.label} {r.original.probability:.2f}", flush=True)
    ok = [r for r in rows if r[1]]
    print(f"\nreached 90 %: {len(ok)}/{len(rows)}; top-1 toaster on PNG: {sum(r[4] for r in rows)}/{len(rows)}; "
          f"median steps (successes) {statistics.median([r[2] for r in ok]) if ok else '-'}; "
          f"{time.perf_counter() - clock:.0f} s")
    print(json.dumps({"method": args.method, "extra": extra, "ok": len(ok), "top1": sum(r[4] for r in rows),
                      "n": len(rows), "misses": {r[0]: round(r[3], 3) for r in rows if not r[1]}}))


if __name__ == "__main__":
    main()
