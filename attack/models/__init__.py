"""Classifiers: the bundled EfficientNet-Lite family and optional Keras applications.

The catalogue (MODELS, availability, install_weights, ...) imports no TensorFlow, so the CLI can list
models and refuse bad input at once; Classifier, Prediction and top_k load it on first use.
"""
from .registry import (DEFAULT_MODEL, MODELS, OFFLINE_ENV, ModelSpec, ModelUnavailable, WeightsRejected,
                       availability, install_weights, keras_cache_dir, load_model, keras_weights_path,
                       weights_broken)

_FROM_CLASSIFIER = ("Classifier", "Prediction", "top_k")


def __getattr__(name: str):
    if name in _FROM_CLASSIFIER:
        from . import classifier  # imports TensorFlow

        return getattr(classifier, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["Classifier", "Prediction", "top_k", "DEFAULT_MODEL", "MODELS", "OFFLINE_ENV", "ModelSpec",
           "ModelUnavailable", "WeightsRejected", "availability", "install_weights", "keras_cache_dir",
           "load_model", "keras_weights_path", "weights_broken"]
