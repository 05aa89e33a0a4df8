"""Sub-commands added to `python -m attack` (filled in by their feature)."""
from __future__ import annotations


def register(sub) -> None:
    """Add this module's sub-parsers to the `python -m attack` sub-parser set."""
