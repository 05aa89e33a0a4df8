"""The downloads: the sticker (the one on the photo), its printable sheet, and the noise."""
from __future__ import annotations

import streamlit as st

from app.i18n import t
from app.sticker import assets

K = "stickerpage."


def current_sticker() -> assets.Sticker | None:
    """The sticker the page shows: the trained one when it is chosen, else the shipped one."""
    trained = assets.trained_sticker()
    if trained is not None and (st.session_state.get(K + "which") == "trained" or assets.shipped_sticker() is None):
        return trained
    return assets.shipped_sticker()


def current_noise() -> assets.Noise | None:
    trained = assets.trained_noise()
    if trained is not None and (st.session_state.get(K + "noise.which") == "trained" or assets.shipped_noise() is None):
        return trained
    return assets.shipped_noise()


def downloads() -> None:
    """One row of download buttons; each file is made when clicked."""
    sticker, noise = current_sticker(), current_noise()
    sheet = sheet_maker()
    cols = st.columns(3)
    if sticker is not None:
        name = "toaster" if not sticker.trained else "my-sticker"
        cols[0].download_button(t("stickerpage.download.sticker"), lambda: assets.sticker_png(sticker), f"{name}.png",
                                "image/png", key=K + "download.sticker", on_click="ignore", icon=":material/download:",
                                width="stretch", type="primary")
        if sheet is not None:
            cols[1].download_button(t("stickerpage.download.sheet"), lambda: sheet(sticker), f"{name}-sheet.pdf",
                                    "application/pdf", key=K + "download.sheet", on_click="ignore",
                                    icon=":material/print:", width="stretch")
    if noise is not None:
        name = f"universal-eps{noise.epsilon:g}" if not noise.trained else "my-noise"
        cols[2].download_button(t("stickerpage.download.noise"), lambda: assets.noise_png(noise), f"{name}.png",
                                "image/png", key=K + "download.noise", on_click="ignore", icon=":material/download:",
                                width="stretch")


def sheet_maker():
    """A function sticker -> PDF bytes from the engine's sheet maker (attack/render/sheet.py), or None where
    there is none. Each sheet is drawn once per session and sticker, and one at a time in the server
    (the lab's rendering turn): it is seconds of Pillow work at 300 dpi."""
    try:
        from attack.render.sheet import render_sheet
    except ImportError:
        return None
    from PIL import Image

    from app.lab.files import rendering_turn

    kept = st.session_state.setdefault(K + "sheets", {})  # read now: the callable runs outside the script

    def pdf(sticker: assets.Sticker) -> bytes:
        if not sticker.trained and assets.SHIPPED_SHEET.is_file():  # the shipped sticker's sheet ships too
            return assets.SHIPPED_SHEET.read_bytes()
        key = hash(sticker.pixels.tobytes())
        if key not in kept:
            with rendering_turn():
                kept.clear()  # one sheet per session is enough
                kept[key] = render_sheet(Image.fromarray(sticker.pixels), sticker.target)[1]
        return kept[key]

    return pdf
