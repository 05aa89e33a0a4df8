"""Classifiers: the bundled EfficientNet-Lite family and optional Keras applications."""
from .classifier import Classifier, Prediction, top_k
from .registry import (DEFAULT_MODEL, MODELS, OFFLINE_ENV, ModelSpec, ModelUnavailable, availability,
                       keras_cache_dir, load_model)

__all__ = ["Classifier", "Prediction", "top_k", "DEFAULT_MODEL", "MODELS", "OFFLINE_ENV", "ModelSpec",
           "ModelUnavailable", "availability", "keras_cache_dir", "load_model"]
