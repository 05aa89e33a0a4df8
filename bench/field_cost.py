"""Per-step cost of each contender over a bare compiled forward + backward of the same model (bench_field.py).

Interleaved: each round times a bare pass, then K steps of each contender in a rotated order, and
takes the ratio per round; the median over rounds is printed with its quartiles. Rotating and taking
ratios within a round is what makes it hold on 2 cores shared with other jobs.
The engine's runs are told after each step that they have not finished (so every step costs the
same); a peer is called for K steps on one photo, its own set-up included (what a user pays).
"""
from __future__ import annotations

import statistics
import time

import numpy as np
import tensorflow as tf

from attack.attacks import make_attack
from attack.attacks.losses import gradient_function
from bench.field_peers import PEERS, make_peer

TOASTER = 859


def _seconds(fn) -> float:
    clock = time.perf_counter()
    fn()
    return time.perf_counter() - clock


def per_step_cost(classifier, picture: np.ndarray, contenders: list[str], steps: int = 10, rounds: int = 8,
                  eps: float = 2.0) -> list[dict]:
    bare_fn = gradient_function(classifier, "log-softmax", True)
    x, target = tf.constant(picture, tf.float32), tf.constant(TOASTER, tf.int32)

    def bare():
        for _ in range(steps):
            bare_fn(x, target)[1].numpy()

    runners = {}
    for name in contenders:
        if name in PEERS:
            attack = make_peer(name, classifier, eps, steps)
            batch, label = picture[None].astype(np.float32), np.array([TOASTER])
            runners[name] = lambda attack=attack, batch=batch, label=label: attack(batch, label, True)
        else:
            engine = make_attack(name, classifier, epsilon=eps, target=TOASTER, max_steps=10**6, stop_at=0.999)
            state = engine.start(picture)

            def run(engine=engine, state=state):
                for _ in range(steps):
                    state.finished = False
                    engine.step([state])

            runners[name] = run
    bare()
    for run in runners.values():
        run()  # traces and first calls out of the way
    ratios = {name: [] for name in runners}
    milliseconds = {name: [] for name in ["bare", *runners]}
    names = list(runners)
    for r in range(rounds):
        for name in names[r % len(names):] + names[:r % len(names)]:
            base = _seconds(bare)
            took = _seconds(runners[name])
            ratios[name].append(took / base)
            milliseconds["bare"].append(base / steps * 1e3)
            milliseconds[name].append(took / steps * 1e3)
    print(f"\n## Per-step cost at 224×224, ε {eps:g} (interleaved, {rounds} rounds of {steps} steps)\n")
    print(f"bare compiled forward + backward: {statistics.median(milliseconds['bare']):.1f} ms\n")
    print("| contender | ms per step | × bare (median, min–max) |")
    print("|---|---|---|")
    rows = []
    for name in names:
        row = {"contender": name, "ms": statistics.median(milliseconds[name]), "ratio": statistics.median(ratios[name]),
               "low": min(ratios[name]), "high": max(ratios[name])}
        rows.append(row)
        print(f"| {name} | {row['ms']:.1f} | {row['ratio']:.2f} ({row['low']:.2f}–{row['high']:.2f}) |", flush=True)
    return rows
