"""One switch: the universal noise on the same photo — the original, the noise magnified so it can be
seen, and the result — with the model's answer before and after (classified on the shared worker)."""
from __future__ import annotations

import numpy as np
import streamlit as st
from PIL import Image

from app import session
from app.i18n import t, translated
from app.lab.inputs import names
from app.sticker import assets
from app.sticker.photo import Photo
from app.sticker.place import classify

K = "stickerpage."


def choose_noise() -> assets.Noise | None:
    """The shipped noise, or the one this session trained when there is one and it is chosen."""
    shipped, trained = assets.shipped_noise(), assets.trained_noise()
    if trained is None or shipped is None:
        return trained or shipped
    if st.session_state.get(K + "show_trained") == "noise":  # just trained: show it
        st.session_state[K + "noise.which"] = "trained"
        del st.session_state[K + "show_trained"]
    which = st.radio(t("stickerpage.which"), ("shipped", "trained"), key=translated(K + "noise.which"),
                     horizontal=True, format_func=lambda w: t(f"stickerpage.noise.which.{w}"))
    return trained if which == "trained" else shipped


def noise_panel(model, photo: Photo, big: bool) -> None:
    """The switch, and when it is on the three pictures with the answers before and after."""
    if not st.toggle(t("stickerpage.noise"), key=K + "noise", help=t("stickerpage.noise.help")):
        return
    engine = assets.engine()
    noise = choose_noise() if engine is not None else None
    if noise is None:
        st.warning(t("stickerpage.noise.missing"))
        return
    result = np.asarray(engine[1].apply_noise(Image.fromarray(photo.pixels), noise.delta))
    clean = session.predictions(model, photo.key, photo.pixels)[0]
    after = classify(model, (model.name, photo.key, "noise", hash(noise.delta.tobytes())), result)[0]
    factor = assets.magnification(noise.epsilon)
    with st.container(key="stickerpage-noise"):
        cols = st.columns(3, gap="medium")
        cols[0].image(photo.pixels, width="stretch",
                      caption=t("stickerpage.noise.original", label=names(clean.index), p=clean.probability))
        cols[1].image(assets.magnified(noise.delta, factor), width="stretch",
                      caption=t("stickerpage.noise.magnified", factor=factor, eps=noise.epsilon))
        cols[2].image(result, width="stretch",
                      caption=t("stickerpage.noise.result", label=names(after.index), p=after.probability))
    if after.index != clean.index:
        st.success(t("stickerpage.noise.fooled"), icon=":material/check_circle:")
    else:
        st.info(t("stickerpage.noise.kept"))
