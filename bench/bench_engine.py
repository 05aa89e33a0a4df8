"""Engine benchmark: per-step overhead, the batched-step table, and steps/seconds to success per method.

    .venv/bin/python bench/bench_engine.py [--eps 1,2,4] [--stop-at 0.9] [--max-steps 300]
                                           [--methods apgd,pgd,...] [--sections overhead,batch,success]
                                           [--fresh] [--quick]

- Overhead: seconds per engine step (the one compiled step of BIM and APGD, records included) over a
  bare compiled forward + backward of the same model on the same image, at ε = 2 (runs that are
  never allowed to finish, so every step costs the same). Measured interleaved (bare, BIM, APGD,
  bare, ... for several rounds; medians), because these 2 cores are shared.
- Batch: per-image cost of one step with 1, 4, 8, 16 runs in the batch (one photo, then the samples
  and the pig, mixed sizes, padded), relative to a batch of 1 timed just before it (median ratio).
- Success: every image → toaster with each method at each ε, the images of one (method, ε) run
  through one batch runner (`run_attacks`: images of one size share a step, others step alone in
  the same rounds); success measured on the saved PNG read back (`attack.runner.verify`). Seconds
  are each run's share of the steps it took part in. `--fresh` adds crops/flips of the photos that
  no method was tuned on (no photos can be downloaded here).
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
from PIL import Image  # noqa: E402

from attack.inputs import images  # noqa: E402
from attack.attacks import make_attack  # noqa: E402
from attack.attacks.losses import gradient_function  # noqa: E402
from attack.models import load_model  # noqa: E402
from attack.running.runner import run_attacks  # noqa: E402

TOASTER = 859
PIG = ROOT.parent / "shared" / "data" / "pig.jpg"
SAMPLES = ["coffee.png", "chelsea.png", "grace_hopper.jpg", "rocket.jpg", "astronaut.png"]
# name -> (method, extra settings); untargeted methods have no target.
METHODS = {
    "apgd": ("apgd", {}),
    "apgd-dlr": ("apgd", {"loss": "dlr"}),
    "pgd": ("pgd", {}),
    "bim": ("bim", {}),
    "mi-fgsm": ("mi-fgsm", {}),
    "cw-l2": ("cw-l2", {}),
    "fgsm (untargeted)": ("fgsm", {"target": None}),
    "deepfool (untargeted)": ("deepfool", {"target": None, "max_steps": 50}),
    "gradient-ascent lr 300": ("gradient-ascent", {"step_size": 300.0}),
}


def load(name: str) -> np.ndarray:
    path = PIG if name == "pig.jpg" else ROOT / "assets" / name
    return images.load_image(path).pixels


def fresh_images(named: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """New inputs from the photos: an off-centre crop of each, mirrored (different framing, different
    scale for the model) — the closest thing to unseen photos on a machine that cannot download."""
    out = {}
    for name, pixels in named.items():
        h, w = pixels.shape[:2]
        crop = pixels[h // 8: h - h // 5, w // 5: w - w // 10][:, ::-1]
        out[f"{name} (crop, mirrored)"] = np.ascontiguousarray(crop)
    return out


def _time(fn, repeats: int) -> float:
    start = time.perf_counter()
    for _ in range(repeats):
        fn()
    return (time.perf_counter() - start) / repeats


def overhead(classifier, named: dict[str, np.ndarray], rounds: int = 60, steps: int = 1) -> None:
    print("\n## Per-step cost: engine step vs bare compiled forward + backward (interleaved)\n")
    print(f"Each round times a bare pass, then one step of each method; a ratio is taken per round (so "
          f"the shared cores' slow spells cancel) and the median of {rounds} rounds is shown, with the "
          "middle half of the ratios (quartiles).\n")
    print("| image | size | bare ms | BIM step ms | BIM ratio (quartiles) | APGD step ms | APGD ratio (quartiles) |")
    print("|---|---|---|---|---|---|---|")
    bare_fn = gradient_function(classifier, "log-softmax", True)
    for name, pixels in named.items():
        x, target = tf.constant(pixels, tf.float32), tf.constant(TOASTER, tf.int32)
        runs = {}
        for method in ("bim", "apgd"):
            # ε = 2 levels, the lab's default; the run is told it has not finished after every step, so it
            # never ends and every step costs the same.
            attack = make_attack(method, classifier, epsilon=2, target=TOASTER, max_steps=10**6, stop_at=0.999)
            state = attack.start(pixels)
            for _ in range(3):  # the trace, step 0, and one more
                endless_step(attack, [state])
            runs[method] = (attack, state)
        bare_fn(x, target)[1].numpy()
        samples = {"bare": [], "bim": [], "apgd": []}
        for _ in range(rounds):
            samples["bare"].append(_time(lambda: bare_fn(x, target)[1].numpy(), steps))
            for method, (attack, state) in runs.items():
                samples[method].append(_time(lambda: endless_step(attack, [state]), steps))
        cells = []
        for method in ("bim", "apgd"):
            ratios = [m / b for m, b in zip(samples[method], samples["bare"])]
            low, middle, high = statistics.quantiles(ratios, n=4)
            cells.append(f"{statistics.median(samples[method]) * 1e3:.1f} | {middle:.2f} ({low:.2f}–{high:.2f})")
        print(f"| {name} | {pixels.shape[1]}×{pixels.shape[0]} | {statistics.median(samples['bare']) * 1e3:.1f} | "
              f"{cells[0]} | {cells[1]} |", flush=True)


def endless_step(attack, states) -> None:
    """One step of runs that are never allowed to finish (a success would end them)."""
    for state in states:
        state.finished = False
    attack.step(states)


def batch_table(classifier, named: dict[str, np.ndarray], sizes=(1, 4, 8, 16), steps: int = 4,
                rounds: int = 5) -> None:
    print("\n## Batched step: per-image cost of one BIM step, N runs in one compiled call\n")
    pool = list(named.values())
    if len(pool) == 1:
        print(f"Every run attacks the same photo ({next(iter(named))}, no padding).\n")
    else:
        print(f"Images cycle through {len(pool)} photos of mixed sizes, padded to the largest in the batch "
              f"(batch 1 holds only the first, {next(iter(named))}). What padding costs: the batch runner and "
              "the worker put only images of one size in a batch.\n")
    print("| batch | ms per step | ms per image | vs batch 1 |")
    print("|---|---|---|---|")
    attack = make_attack("bim", classifier, epsilon=2, target=TOASTER, max_steps=10**6, stop_at=0.999)
    batches = {}
    for n in sizes:
        states = [attack.start(pool[i % len(pool)]) for i in range(n)]
        endless_step(attack, states)  # step 0 (and the trace)
        endless_step(attack, states)  # TensorFlow plans a new batch size on its first calls
        batches[n] = states
    # Each batch size is timed in turn with a batch of 1 right before it, and the ratio is taken per pair
    # (medians over the rounds): the shared cores' slow spells cancel, and a batch of 1 is never timed
    # straight after a batch of 16 has pushed everything out of the caches.
    single, timings, ratios = [], {n: [] for n in sizes[1:]}, {n: [] for n in sizes[1:]}
    for _ in range(rounds):
        for n in sizes[1:]:
            alone = _time(lambda: endless_step(attack, batches[sizes[0]]), steps)
            together = _time(lambda: endless_step(attack, batches[n]), steps)
            single.append(alone)
            timings[n].append(together)
            ratios[n].append(together / n / alone)
    print(f"| {sizes[0]} | {statistics.median(single) * 1e3:.0f} | {statistics.median(single) * 1e3:.1f} | 1.00 |")
    for n in sizes[1:]:
        per_step = statistics.median(timings[n])
        print(f"| {n} | {per_step * 1e3:.0f} | {per_step / n * 1e3:.1f} | {statistics.median(ratios[n]):.2f} |",
              flush=True)


def time_to_success(classifier, named: dict[str, np.ndarray], methods: list[str], eps_levels, stop_at: float,
                    max_steps: int) -> None:
    print(f"\n## Steps and seconds to success → toaster (stop at {stop_at:.0%}, verified on the saved PNG; "
          f"budget {max_steps} steps)\n")
    print("| method | ε | image | success | steps | seconds | final top-1 |")
    print("|---|---|---|---|---|---|---|")
    summary = []
    names = list(named)
    for label in methods:
        method, extra = METHODS[label]
        for eps in eps_levels:
            settings = {"epsilon": eps, "target": TOASTER, "max_steps": max_steps, "stop_at": stop_at, **extra}
            results = dict(run_attacks(classifier, list(named.values()), method, batch_size=len(named), **settings))
            ok = []
            for i, name in enumerate(names):
                r = results[i]
                top = r.verification.top5[0]
                ok.append(r.success)
                print(f"| {label} | {eps:g} | {name} | {'✓' if r.success else '✗'} | {r.kept_step} | {r.seconds:.1f} | "
                      f"{top.label} {top.probability:.2f} |", flush=True)
            steps = [results[i].kept_step for i in range(len(names)) if results[i].success]
            seconds = [results[i].seconds for i in range(len(names)) if results[i].success]
            summary.append((label, eps, sum(ok), len(names),
                            statistics.median(steps) if steps else None,
                            statistics.median(seconds) if seconds else None))
    print("\n| method | ε | fooled (saved PNG) | median steps (successes) | median seconds |")
    print("|---|---|---|---|---|")
    for label, eps, fooled, total, steps, seconds in summary:
        print(f"| {label} | {eps:g} | {fooled}/{total} | {'–' if steps is None else f'{steps:g}'} | "
              f"{'–' if seconds is None else f'{seconds:.1f}'} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--eps", default="1,2,4")
    parser.add_argument("--stop-at", type=float, default=0.9)
    parser.add_argument("--max-steps", type=int, default=300)
    parser.add_argument("--methods", default="apgd,apgd-dlr,pgd,bim,mi-fgsm,cw-l2",
                        help=f"comma-separated, from: {', '.join(METHODS)}")
    parser.add_argument("--sections", default="overhead,batch,success")
    parser.add_argument("--fresh", action="store_true", help="success table on crops/flips instead")
    parser.add_argument("--quick", action="store_true", help="pig and coffee only, ε = 1 and 2")
    args = parser.parse_args()
    eps_levels = [float(e) for e in args.eps.split(",")]
    names = (["pig.jpg"] if PIG.exists() else []) + SAMPLES
    if args.quick:
        names, eps_levels = names[:2], eps_levels[:2]
    sections = set(args.sections.split(","))
    print(f"TensorFlow {tf.__version__}, {os.cpu_count()} CPU cores, devices: "
          f"{[d.device_type for d in tf.config.list_physical_devices()]}")
    start = time.perf_counter()
    classifier = load_model()
    print(f"model load: {time.perf_counter() - start:.2f} s")
    named = {name: load(name) for name in names}
    if "overhead" in sections:
        # The network sees 224 × 224 whatever the photo; the engine's own work (rounding, update, clip,
        # |g|max, the uint8 copy out) runs at the photo's size. A 224 × 224 copy of the first photo
        # separates the two.
        first = named[names[0]]
        native = np.asarray(Image.fromarray(first).resize((224, 224), Image.Resampling.LANCZOS))
        overhead(classifier, {**{n: named[n] for n in names[:2]}, f"{names[0]} at 224×224": native})
    if "batch" in sections:
        batch_table(classifier, {"coffee.png": named["coffee.png"]})  # one size: the batching itself
        batch_table(classifier, named)  # mixed sizes: what batch and sweep see
    if "success" in sections:
        chosen = fresh_images(named) if args.fresh else named
        time_to_success(classifier, chosen, args.methods.split(","), eps_levels, args.stop_at, args.max_steps)


if __name__ == "__main__":
    main()
