"""What the page shows and offers: the shipped sticker and noise (read once per process), the ones this
session trained, and PNG bytes for the downloads. Absent files are None: the page says so and carries on."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import streamlit as st

from attack.inputs.images import encode_png

STICKERS = Path(__file__).resolve().parents[2] / "assets" / "stickers"
SHIPPED_STICKER = STICKERS / "toaster.png"
SHIPPED_NOISE = STICKERS / "universal-eps10.png"
SHIPPED_SHEET = STICKERS / "toaster-sheet.pdf"
SHIPPED_TARGET = 859  # the shipped sticker's class: toaster
SHIPPED_EPSILON = 10
K = "stickerpage."


@dataclass(frozen=True)
class Sticker:
    """A sticker to place: its square RGB pixels and the class it was made for."""

    pixels: np.ndarray
    target: int
    trained: bool = False


@dataclass(frozen=True)
class Noise:
    """A universal noise: δ as whole levels (224 × 224 × 3 ints) and its ε."""

    delta: np.ndarray
    epsilon: int  # whole levels, as the file format holds them
    trained: bool = False


def engine():
    """attack.sticker and attack.universal, or None where this installation lacks them."""
    try:
        from attack.physical import sticker, universal
    except ImportError:
        return None
    return sticker, universal


@st.cache_resource(show_spinner=False)
def shipped_sticker() -> Sticker | None:
    if engine() is None or not SHIPPED_STICKER.is_file():
        return None
    return Sticker(np.asarray(engine()[0].load_sticker(SHIPPED_STICKER)), SHIPPED_TARGET)


@st.cache_resource(show_spinner=False)
def shipped_noise() -> Noise | None:
    if engine() is None or not SHIPPED_NOISE.is_file():
        return None
    delta = np.asarray(engine()[1].load_noise(SHIPPED_NOISE))
    return Noise(delta, engine()[1].noise_eps(delta))


def trained_sticker() -> Sticker | None:
    return st.session_state.get(K + "trained.sticker")


def trained_noise() -> Noise | None:
    return st.session_state.get(K + "trained.noise")


def sticker_png(sticker: Sticker) -> bytes:
    return encode_png(sticker.pixels)


def noise_png(noise: Noise) -> bytes:
    """The public file format: a 224 × 224 RGB PNG holding 128 + δ (attack.universal.encode_noise)."""
    return engine()[1].encode_noise(noise.delta)


def magnification(epsilon: int) -> int:
    """How much the noise is magnified to be seen: ±ε stretched to fill ±127, as attack.universal does."""
    return max(1, 127 // max(int(epsilon), 1))


def magnified(delta: np.ndarray, factor: int) -> np.ndarray:
    """δ made visible: 128 + factor·δ (attack.universal.magnified)."""
    return engine()[1].magnified(delta, factor)
