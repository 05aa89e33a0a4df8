"""Classifiers: the bundled EfficientNet-Lite family and optional Keras applications.

The catalogue (MODELS, availability, install_weights, ...) imports no TensorFlow, so the CLI can list
models and refuse bad input at once; Classifier loads it on first use (Prediction and top_k live in attack/datatypes.py).
"""
from .registry import (DEFAULT_MODEL, MODELS, OFFLINE_ENV, ModelSpec, ModelUnavailable, WeightsRejected,
                       availability, install_weights, keras_cache_dir, load_model, keras_weights_path,
                       weights_broken)

from ..datatypes import Prediction, top_k


def __getattr__(name: str):
    if name == "Classifier":
        from . import classifier  # imports TensorFlow

        return getattr(classifier, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["Classifier", "Prediction", "top_k", "DEFAULT_MODEL", "MODELS", "OFFLINE_ENV", "ModelSpec",
           "ModelUnavailable", "WeightsRejected", "availability", "install_weights", "keras_cache_dir",
           "load_model", "keras_weights_path", "weights_broken"]
