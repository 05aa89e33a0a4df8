"""What a label query costs: attack.labels.resolve against the exhaustive difflib it replaced.

For queries of growing length (typos of real names, and letter soups built to pass the cheap bound
on as many names as possible) it prints the median seconds of `resolve` and of rating every name with
difflib as the old code did, and checks both suggest the same names. Then the refused lengths.

    .venv/bin/python bench/bench_labels.py [--repeat 5] [--random 300]
"""
from __future__ import annotations

import argparse
import difflib
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from attack.inputs import labels as L  # noqa: E402


def exhaustive(q: str) -> list[str]:
    """The old suggestion rule: rate every name, keep the top five, then only the near-best."""
    owners = L._owners()
    ratio = {name: difflib.SequenceMatcher(None, q, name).ratio() for name in owners}
    close = sorted((n for n in owners if ratio[n] >= 0.6), key=lambda n: -ratio[n])[:5]
    return [n for n in close if ratio[n] >= ratio[close[0]] - 0.1]


def seconds(fn, q: str, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        try:
            fn(q)
        except L.LabelNotFound:
            pass
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def typo(name: str, rng: random.Random) -> str:
    chars = list(name)
    for _ in range(max(1, len(chars) // 6)):
        chars[rng.randrange(len(chars))] = rng.choice("aeiourstlnxqz")
    return "".join(chars)


def soup(length: int) -> str:
    """Common letters in sorted runs: shares many characters with many names, in no order (worst case)."""
    common = "eaoirtnslcuhdmpgbfykwv "
    return "".join(sorted((common * (length // len(common) + 1))[:length]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--random", type=int, default=300, help="random typo queries checked for equal answers")
    args = parser.parse_args()
    L._letter_counts()  # tables built once per process, as in the app
    rng = random.Random(0)
    names = sorted(L._owners(), key=len)
    print(f"{len(names)} names; bound {L.MAX_QUERY_CHARS} characters")
    print(f"{'query':<16}{'chars':>6}{'resolve ms':>12}{'old difflib ms':>16}  same")
    for length in (5, 10, 20, 40, 60, L.MAX_QUERY_CHARS):
        longest = [n for n in names if len(n) <= length][-1]
        padded = (typo(longest, rng) + "q" * length)[:length]
        for kind, q in (("typo+pad", padded), ("letter soup", soup(length))):
            new, old = seconds(L.resolve, q, args.repeat), seconds(exhaustive, q, 1)
            same = L._close_names(q) == exhaustive(q)
            print(f"{kind:<16}{len(q):>6}{new * 1e3:>12.1f}{old * 1e3:>16.1f}  {same}")
    mismatched = 0
    for _ in range(args.random):
        q = L._norm(typo(rng.choice(names), rng))
        mismatched += L._close_names(q) != exhaustive(q)
    print(f"random typos: {mismatched} of {args.random} suggest other names than the exhaustive rating")
    for length in (L.MAX_QUERY_CHARS + 1, 8_000, 100_000):
        print(f"refused, {length:,} chars: {seconds(L.resolve, 'x' * length, args.repeat) * 1e6:.0f} µs")


if __name__ == "__main__":
    main()
