"""The words on the pictures: catalogue look-up in a report language, percentages, method and model titles.

The sentences themselves live in the project's one catalogue, messages/render.py (keys `report.*`
and `animation.*`); this module only picks the language and formats numbers the same way everywhere.
"""
from __future__ import annotations

import math

from messages import catalogue, text_in

from ..models import MODELS


def catalogue_language(lang: str) -> str:
    """The catalogue language for a report language: "zh…" (zh, zh-CN, zh_Hans) → "zh", anything else → "en"."""
    return "zh" if lang.lower().startswith("zh") else "en"


def text(lang: str, key: str, **values) -> str:
    """The catalogue message `key` in `lang` (see `catalogue_language`), with `values` filled in."""
    return text_in(catalogue_language(lang), key, **values)


def percent(p: float) -> str:
    """97%, 3.2%, <0.1%, 99.7%, >99.9%: enough digits to tell probabilities near 0 and near 1 apart."""
    if not math.isfinite(p):
        return "–"
    if p >= 1.0:
        return "100%"
    if p >= 0.9995:
        return ">99.9%"
    if p >= 0.995:
        return f"{p:.1%}"
    if p >= 0.095:
        return f"{p:.0%}"
    if p >= 0.001:
        return f"{p:.1%}"
    return "<0.1%"


def method_title(method: str, lang: str = "en") -> str:
    """The short title of an attack method ("pgd" → "PGD"); an unknown method is shown by its own name."""
    key = f"report.method.{method}"
    return text(lang, key) if key in catalogue() else method


def short_model_title(name: str) -> str:
    """The model's name without its note: "EfficientNet-Lite0 (bundled)" → "EfficientNet-Lite0"."""
    spec = MODELS.get(name)
    return spec.short_title if spec else name
