"""Enable an optional Keras model from the app: name the exact weights file, link to it, take it by upload.

The engine (`attack.models.install_weights`) checks the upload by loading it into the architecture
and only then moves it into Keras's cache; here we show what to fetch, pass the bytes on, and say in
one sentence why a file was refused. Offline and without the file, the panel only explains.
"""
from __future__ import annotations

import streamlit as st

from app.i18n import engine_text, error_text, model_title, t
from attack.models import MODELS, ModelUnavailable, availability, install_weights, keras_cache_dir

# Published sizes of the weights files (what the browser's download should show).
SIZES_MB = {"inceptionv3": 92, "mobilenetv2": 14, "resnet50": 98}
MAX_UPLOAD_MB = 120  # the largest file (ResNet50, ~103 MB) plus room; .streamlit/config.toml matches
_JUST_INSTALLED = "weights.just_installed"


def take_installed(model_key: str) -> None:
    """Call before the model box is drawn: select a model whose weights were installed on the last
    run and say so once (the install reran the script so the box now offers it)."""
    installed = st.session_state.pop(_JUST_INSTALLED, None)
    if installed:
        name, path = installed
        st.session_state[model_key] = name
        st.session_state.pop("weights.choice", None)  # the panel no longer lists it
        st.sidebar.success(t("weights.installed", model=model_title(MODELS[name].title), path=path))


def missing_models_panel(container, missing: list[str]) -> None:
    """For the model the user picks: its file name, where to get it, and an uploader that installs it.

    Only the chosen model's uploader exists, so a page never holds more than one photo uploader plus
    (after a click) one weights uploader."""
    container.caption(t("weights.intro"))
    name = container.segmented_control(t("weights.choose"), missing, key="weights.choice",
                                       format_func=lambda n: MODELS[n].short_title)
    if name is None:
        return
    spec = MODELS[name]
    if spec.source != "keras":  # a bundled model whose package is missing: only the engine's sentence
        container.caption(engine_text(availability(name)[1]))
        return
    container.caption(t("weights.file", file=spec.weights_file))
    container.link_button(t("weights.download", size=f"~{SIZES_MB.get(name, '?')} MB"), spec.weights_url,
                          icon=":material/download:", width="stretch")
    container.caption(t("weights.folder", folder=keras_cache_dir()))
    upload = container.file_uploader(t("weights.upload"), type=["h5"], key=f"weights.{name}",
                                     max_upload_size=MAX_UPLOAD_MB, help=t("weights.upload.help"))
    if upload is not None:
        _install(container, name, upload)


def _install(container, name: str, upload) -> None:
    """Check and install one upload (once per file: a refused file is not re-checked on every rerun)."""
    state = st.session_state
    seen = state.get(f"weights.checked.{name}")
    if seen and seen[0] == upload.file_id:
        container.error(seen[1])
        return
    title = model_title(MODELS[name].title)
    try:
        with container, st.spinner(t("weights.checking", model=title)):
            path = install_weights(name, upload.getvalue())
    except OSError as error:  # the cache folder is not writable, the disk is full, …
        message = t("weights.save_failed", folder=keras_cache_dir(), detail=error.strerror or error)
    except ModelUnavailable as error:  # WeightsRejected (not this model's file), or a model that needs none
        message = error_text(error)
    else:
        state[_JUST_INSTALLED] = (name, str(path))
        st.rerun()
    state[f"weights.checked.{name}"] = (upload.file_id, message)
    container.error(message)
