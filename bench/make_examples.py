"""Regenerate the README's figures from a bundled sample: the cat photo attacked toward "toaster".

    .venv/bin/python bench/make_examples.py

Writes docs/report-example.png and docs/animation-example.gif (PGD, ε = 2 pixel levels, Lite0),
through the same command a user runs: `python -m attack report ... --gif ...`.
"""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from attack.cli.main import main  # noqa: E402

if __name__ == "__main__":
    docs = ROOT / "docs"
    docs.mkdir(exist_ok=True)
    sys.exit(main(["report", str(ROOT / "assets" / "chelsea.png"), "--target", "toaster", "--method", "pgd",
                   "--eps", "2", "--out", str(docs / "report-example.png"),
                   "--gif", str(docs / "animation-example.gif"), *sys.argv[1:]]))
