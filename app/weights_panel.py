"""Enable an optional Keras model from the app: the operator names the downloaded file's path, the
engine installs it only if it is the exact published file.

Installing changes every session's model box, so only the operator (app/roles.py) gets the controls
and sees the server's folder; the audience reads one sentence. The file is never sent through the
browser: it is already on the operator's computer, the one running the server. The engine
(`attack.models.install_weights`) compares its SHA-256 with the pinned one before anything parses it.
"""
from __future__ import annotations

from pathlib import Path

import streamlit as st

from app import roles
from app.i18n import engine_text, error_text, model_title, t
from attack.models import MODELS, ModelUnavailable, availability, install_weights, keras_cache_dir

# Published sizes of the weights files (what the browser's download should show).
SIZES_MB = {"inceptionv3": 92, "mobilenetv2": 14, "resnet50": 98}
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
    """The operator: for the model picked, its file name, where to get it, and a path box that installs
    it. The audience: one sentence, no control, no path."""
    if not roles.is_operator():
        names = ", ".join(MODELS[n].short_title for n in missing)
        container.caption(t("weights.audience", models=names))
        return
    container.caption(t("weights.intro"))
    name = container.segmented_control(t("weights.choose"), missing, key="weights.choice",
                                       format_func=lambda n: MODELS[n].short_title)
    if name is None:
        return
    spec = MODELS[name]
    why = availability(name)[1]
    if spec.source != "keras":  # a bundled model whose package is missing: only the engine's sentence
        container.caption(engine_text(why))
        return
    if (keras_cache_dir() / spec.weights_file).exists():  # on disk, but not the published file
        container.warning(engine_text(why))
    container.caption(t("weights.file", file=spec.weights_file))
    container.link_button(t("weights.download", size=f"~{SIZES_MB.get(name, '?')} MB"), spec.weights_url,
                          icon=":material/download:", width="stretch")
    container.caption(t("weights.folder", folder=keras_cache_dir()))
    downloaded = Path.home() / "Downloads" / spec.weights_file
    path = container.text_input(t("weights.path"), value=str(downloaded) if downloaded.is_file() else "",
                                key=f"weights.path.{name}", help=t("weights.path.help"))
    if container.button(t("weights.install"), key=f"weights.install.{name}", width="stretch"):
        _install(container, name, path.strip())


def _install(container, name: str, path: str) -> None:
    """Check and install the file at `path`; a refusal is one sentence, and nothing is written."""
    if not path:
        container.error(t("weights.no_path"))
        return
    try:
        with container, st.spinner(t("weights.checking")):
            installed = install_weights(name, Path(path).expanduser())
    except ModelUnavailable as error:  # no such file, or WeightsRejected: not the published file
        container.error(error_text(error))
    except OSError as error:  # unreadable source, a cache folder that is not writable, a full disk, …
        container.error(t("weights.save_failed", folder=keras_cache_dir(), detail=error.strerror or error))
    else:
        st.session_state[_JUST_INSTALLED] = (name, str(installed))
        st.rerun()
