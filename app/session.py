"""Shared, never-mutated resources (models, bundled samples) and per-session image decoding.

Models and samples are loaded once per process with `st.cache_resource` and shared by every
session: classifiers are never mutated and sample pixels are read-only arrays. Uploads are decoded
in memory only and kept in the uploading session's state, never written to disk.

Session-state keys, for the whole app (one place to look before adding one):
- `<feature>.<name>` with dots for state and widgets, one prefix per page or feature: `ctl.` the
  lab's attack controls (app/controls.py), `lab.` the rest of the lab (app/lab/, and `lab.upload`,
  `lab.predictions` here), `tut.` its tutorial mode, `playback.` its watchable replays, `explorer.`
  the explorer, `weights.` the weights panel; `language` is the page language and `i18n.` its
  bookkeeping (app/i18n.py).
- `<feature>-<name>` with hyphens for containers and buttons the stylesheets or browser tests find
  (Streamlit gives them the CSS class `st-key-<key>`, where a dot would need escaping): `lab-attack`,
  `lab-live`, `lab-result`, `live-cost`, `tut-acts`, ...
- The principles page's keys predate this and keep their section prefixes with underscores
  (`toy_x`, `descent_lr`, `live_measure`): its tests address them by those names.
- A key with a run's id in it lives as long as that run is the session's: `lab.checks.<run id>`
  is dropped when a newer run replaces the result (app/lab/result.py `forget`); widget keys such as
  `lab.replay.<run id>` are dropped by Streamlit once their widget is no longer drawn.
The share link's query parameters are a public format of their own (app/lab/link.py).
"""
from __future__ import annotations

import gc
import io
from dataclasses import dataclass

import numpy as np
import streamlit as st
from PIL import Image

from app import crowd
from app.i18n import error_text, t
from app.samples import ASSETS, SAMPLES
from attack.inputs.images import ImageError, LoadedImage, check_size, load_image
from attack.datatypes import Prediction
from attack.models import MODELS, Classifier, load_model



def _keep_keras_state() -> None:
    """Streamlit calls `keras.backend.clear_session()` after every script run of every visitor (its
    scriptrunner's `_clean_problem_modules`): a full garbage collection and an emptied TensorFlow kernel
    cache, for the whole server, each time anyone clicks; in a crowd that is many times a second and
    the shared worker re-creates its kernels after each. The models here are built once per process
    and shared, so a script run leaves no Keras state of its own to clear: the call is made a no-op."""
    import keras

    keras.backend.clear_session = _no_clearing


def _no_clearing(free_memory: bool = True) -> None:
    """See _keep_keras_state."""


@st.cache_resource(show_spinner=False)
def _model(name: str) -> Classifier:
    """Each model is loaded once per process and kept: there are six at most, and evicting one only
    to load it again (with a cap below six, a room's transfer checks did so on every result) costs
    seconds each time and leaks the evicted copy, which the freeze below keeps from ever being collected."""
    model = load_model(name)
    # TensorFlow, Keras and the model leave ~480,000 long-lived Python objects, which every full
    # garbage collection walked: in a room of thirty (bench/bench_crowd.py) that was a 0.2 s pause of
    # the whole server three times a second. Frozen, they are no longer scanned (once per model loaded).
    gc.freeze()
    _keep_keras_state()
    return model


def classifier(name: str) -> Classifier:
    """The shared classifier, with a spinner the first time (TensorFlow builds it in a few seconds)."""
    with st.spinner(t("lab.loading_model", model=MODELS[name].title)):
        return _model(name)


@st.cache_resource(show_spinner=False)
def sample(name: str) -> LoadedImage:
    return load_image(ASSETS / SAMPLES[name])


@st.cache_resource(show_spinner=False)
def thumbnail(name: str, side: int = 160) -> bytes:
    """A square centre crop for the gallery, as JPEG bytes (what Streamlit sends for an RGB picture):
    encoded once per process, not again on every rerun of every session."""
    picture = Image.fromarray(sample(name).pixels)
    w, h = picture.size
    s = min(w, h)
    box = ((w - s) // 2, (h - s) // 2, (w - s) // 2 + s, (h - s) // 2 + s)
    out = io.BytesIO()
    picture.resize((side, side), Image.LANCZOS, box=box).save(out, format="JPEG", quality=90)
    return out.getvalue()


@dataclass(frozen=True)
class Upload:
    """One decoded upload: the image, or the engine's sentence saying why it cannot be used."""

    name: str
    image: LoadedImage | None
    error: str | None


def decode_upload(data: bytes, name: str) -> Upload:
    """Decode uploaded bytes in memory; bad files become an error sentence, never an exception."""
    try:
        return Upload(name, load_image(data, name=name), None)
    except ImageError as error:
        return Upload(name, None, error_text(error))  # the engine's sentence, in the UI's language


def sized_upload(uploaded) -> Upload | None:
    """The engine's refusal of an UploadedFile larger than attack.images.MAX_BYTES, from its size alone
    (the server's own cap counts the request, a little more than the file); None when it may be read."""
    try:
        check_size(uploaded.size, uploaded.name)
    except ImageError as error:
        return Upload(uploaded.name, None, error_text(error))
    return None


def session_upload(uploaded) -> Upload:
    """Decode a Streamlit UploadedFile once per session (keyed by its file id); its size is checked first."""
    cached = st.session_state.get("lab.upload")
    if cached is None or cached[0] != uploaded.file_id:
        upload = sized_upload(uploaded) or decode_upload(uploaded.getvalue(), uploaded.name)
        cached = (uploaded.file_id, upload)
        st.session_state["lab.upload"] = cached
    return cached[1]


def predictions(model: Classifier, image_key: str, pixels: np.ndarray) -> tuple[Prediction, ...]:
    """The clean image's top-5, remembered per session for each (model, image)."""
    memo = st.session_state.setdefault("lab.predictions", {})  # the clean pass runs on the shared worker
    if (model.name, image_key) not in memo:
        if len(memo) > 16:
            memo.clear()
        memo[(model.name, image_key)] = crowd.call(model.classify, pixels, 5)
    return memo[(model.name, image_key)]
