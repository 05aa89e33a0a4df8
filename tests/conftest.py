"""Shared fixtures. Tests never touch the network: Keras downloads are switched off and its cache
directory points at an empty temporary folder."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

import numpy as np
import pytest

os.environ["ADVERSARIAL_LAB_OFFLINE"] = "1"
os.environ["KERAS_HOME"] = tempfile.mkdtemp(prefix="keras-home-")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

ROOT = Path(__file__).resolve().parent.parent
ASSETS = ROOT / "assets"
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def classifier():
    from attack.models import load_model

    return load_model("efficientnet-lite0")


@pytest.fixture(scope="session")
def coffee() -> np.ndarray:
    from attack.images import load_image

    return load_image(ASSETS / "coffee.png").pixels


@pytest.fixture(scope="session")
def small_coffee() -> np.ndarray:
    """A 150 × 100 copy of the espresso photo: quick attacks for tests."""
    from PIL import Image

    with Image.open(ASSETS / "coffee.png") as im:
        return np.asarray(im.convert("RGB").resize((150, 100), Image.LANCZOS))
