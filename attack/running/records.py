"""A finished run as a JSON-friendly record: what `python -m attack run --json` prints, what the lab's
download holds, and what the tests read.

Every probability in it is measured on the saved file read back (`RunResult.verification`), not on the
array in memory: the record describes the PNG a user gets. It imports no TensorFlow.
"""
from __future__ import annotations

import math
from typing import TYPE_CHECKING

from ..inputs import labels

if TYPE_CHECKING:  # runner and models import TensorFlow; the record itself needs neither
    from ..datatypes import Prediction
    from .history import RunResult


def prediction_json(prediction: Prediction) -> dict:
    """One prediction: class index, English label and probability (rounded to 6 places)."""
    return {"index": prediction.index, "label": prediction.label,
            "probability": round(prediction.probability, 6)}


def result_json(result: RunResult, out: str | None) -> dict:
    """The run's contract: every probability measured on the saved file read back; `out` is its path."""
    v = result.verification
    d = result.distances
    pixels = result.final.image
    target = None
    if result.target is not None:
        target = {"index": result.target, "label": labels.label(result.target),
                  "probability": round(v.target_probability, 6)}
    return {
        "success": v.success, "method": result.method, "model": result.model,
        "steps": result.kept_step, "last_step": result.last_step,  # the kept (best) step, and the last one computed
        "seconds": round(result.seconds, 3), "epsilon": result.epsilon,
        "queries": result.final.queries,  # model queries of a black-box attack (square); null for the others
        "original": {"index": result.original.index, "label": result.original.label,
                     "probability": round(v.original_probability, 6),
                     "clean_probability": round(result.original.probability, 6)},
        "target": target, "final_top1": prediction_json(v.top5[0]),
        "linf": d.linf, "l2": round(d.l2, 4), "l0": d.l0,
        "psnr": None if math.isinf(d.psnr) else round(d.psnr, 3), "ssim": round(d.ssim, 6),
        "out": out, "width": int(pixels.shape[1]), "height": int(pixels.shape[0]),
    }
