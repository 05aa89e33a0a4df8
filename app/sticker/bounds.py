"""The sticker page's limits, checked before any work: the audience is not trusted, and a value outside
them (a hand-made websocket message, a stale session) gets one coded sentence instead of a run."""
from __future__ import annotations

from attack.plumbing.errors import SettingsError

AREA_PERCENT = (2.0, 40.0)  # the engine accepts (0, 50] %; below 2 % nothing shows, above 40 % nothing is left
DEFAULT_AREA_PERCENT = 15.0
ANGLE = (-180, 180)
STEPS = (1, 300)  # a trained sticker needs hundreds of steps; beyond that the worker's seconds end it anyway
DEFAULT_STEPS = 80
EPSILON = (1, 16)  # the file format holds whole levels up to 16
DEFAULT_EPSILON = 10
MAX_TRAIN_UPLOADS = 8
TRAIN_SIDE = 448  # training photos are shrunk to this longest side: the model sees 224 anyway


def check_placement(area_percent: float, angle: float, at: tuple[float, float]) -> None:
    """Refuse a size, rotation or position outside the page's limits."""
    if not AREA_PERCENT[0] <= area_percent <= AREA_PERCENT[1]:
        raise SettingsError.coded("stickerpage.area", low=f"{AREA_PERCENT[0]:g}", high=f"{AREA_PERCENT[1]:g}")
    if not ANGLE[0] <= angle <= ANGLE[1]:
        raise SettingsError.coded("stickerpage.angle", low=ANGLE[0], high=ANGLE[1])
    if not all(0.0 <= v <= 1.0 for v in at):
        raise SettingsError.coded("stickerpage.position")


def check_training(steps: int, epsilon: float, uploads: int) -> None:
    """Refuse a step count, ε or number of training photos outside the page's limits."""
    if not STEPS[0] <= steps <= STEPS[1]:
        raise SettingsError.coded("stickerpage.steps", low=STEPS[0], high=STEPS[1])
    if not EPSILON[0] <= epsilon <= EPSILON[1]:
        raise SettingsError.coded("stickerpage.epsilon", low=EPSILON[0], high=EPSILON[1])
    if uploads > MAX_TRAIN_UPLOADS:
        raise SettingsError.coded("stickerpage.uploads", limit=MAX_TRAIN_UPLOADS, count=uploads)
