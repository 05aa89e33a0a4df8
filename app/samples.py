"""The bundled sample photos, listed once for every page (no TensorFlow here: the principles page reads
it before the engine is loaded)."""
from __future__ import annotations

from pathlib import Path

ASSETS = Path(__file__).resolve().parent.parent / "assets"
SAMPLES = {  # name -> file in assets/ (see assets/CREDITS.md); the lab's gallery shows them in this order
    "chelsea": "chelsea.png",
    "coffee": "coffee.png",
    "grace_hopper": "grace_hopper.jpg",
    "rocket": "rocket.jpg",
    "astronaut": "astronaut.png",
}
DEFAULT_SAMPLE = "coffee"
CLASSES = {"chelsea": 285, "coffee": 967, "grace_hopper": 652}  # the samples with one clear ImageNet class
