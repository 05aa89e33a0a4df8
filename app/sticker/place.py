"""The sticker on the photo: click to place it, sliders for size and rotation, and the model's answer
with and without it; then the universal noise on the same photo (original / noise magnified / result).

Pasting is Pillow work (attack.sticker.place_sticker) done here; every classification goes through
the shared worker (app/crowd.py), remembered per session for the last few placements.
"""
from __future__ import annotations

import numpy as np
import streamlit as st
from PIL import Image

from app import crowd, figures, session
from app.i18n import error_text, t, translated
from app.lab.inputs import names
from app.sticker import assets, bounds
from app.sticker.photo import Photo
from attack.plumbing.errors import UserError
from attack.render.text import short_model_title

K = "stickerpage."
DISPLAY_SIDE = 800  # the clickable picture is sent as a JPEG no larger than this: it is redrawn at every move
STATIC = {"displayModeBar": False, "staticPlot": True}


def classify(model, key: tuple, pixels: np.ndarray):
    """The top-5 for `pixels` on the shared worker, remembered per session under `key`."""
    memo = st.session_state.setdefault(K + "answers", {})
    if key not in memo:
        if len(memo) > 32:
            memo.clear()
        memo[key] = crowd.call(model.classify, pixels, 5)
    return memo[key]


def _clicked() -> None:
    """A click on the picture puts the sticker there (through the position sliders, which it sets)."""
    state = st.session_state
    value = state.get(K + "click")
    if value and value.get("width") and value.get("height"):
        state[K + "on"] = True
        state[K + "x"] = int(round(100 * min(max(value["x"] / value["width"], 0.0), 1.0)))
        state[K + "y"] = int(round(100 * min(max(value["y"] / value["height"], 0.0), 1.0)))


def choose_sticker() -> assets.Sticker | None:
    """The shipped sticker, or the one this session trained when there is one and it is chosen."""
    shipped, trained = assets.shipped_sticker(), assets.trained_sticker()
    if trained is None:
        return shipped
    if shipped is None:
        return trained
    if st.session_state.get(K + "show_trained") == "sticker":  # just trained: show it
        st.session_state[K + "which"] = "trained"
        del st.session_state[K + "show_trained"]
    which = st.radio(t("stickerpage.which"), ("shipped", "trained"), key=translated(K + "which"), horizontal=True,
                     format_func=lambda w: t(f"stickerpage.which.{w}"))
    return trained if which == "trained" else shipped


def clickable(picture: Image.Image, big: bool) -> None:
    """The photo with its sticker; a click places the sticker (the component reports where)."""
    shown = picture.copy()
    shown.thumbnail((DISPLAY_SIDE, DISPLAY_SIDE), Image.LANCZOS)
    try:
        from streamlit_image_coordinates import streamlit_image_coordinates
    except ImportError:  # an installation from before requirements.txt listed it: the sliders still place it
        st.image(shown, width="stretch")
        return
    # A width in px, never "stretch": stretched, the component sizes its frame from the picture's height
    # when it loads, and a frame that loads before its column is laid out stays 0 px high.
    most_wide, most_high = (660, 380) if big else (520, 480)
    width = int(min(most_wide, most_high * shown.width / shown.height))
    with st.container(key="stickerpage-photo"):
        streamlit_image_coordinates(shown, key=K + "click", on_click=_clicked, image_format="JPEG", jpeg_quality=88,
                                    cursor="crosshair", width=width)


def placement(model, photo: Photo, big: bool) -> None:
    """The placing panel: the picture (click to place), the answer before and after, and the controls."""
    sticker_engine = assets.engine()
    if sticker_engine is None:
        st.error(t("stickerpage.missing.engine"))
        return
    left, right = st.container(key="stickerpage-place").columns([3, 2] if big else [5, 4], gap="large")
    with left:
        sticker = choose_sticker()
        picture_slot = st.empty()
        st.caption(t("stickerpage.click") + " " + t("stickerpage.hint"))
    with right:
        verdict_slot, chart_slot = st.empty(), st.empty()  # on top, filled once the controls are read
        on = st.toggle(t("stickerpage.on"), value=True, key=K + "on", disabled=sticker is None)
        size_col, angle_col = st.columns(2)
        area = size_col.slider(t("stickerpage.area"), *bounds.AREA_PERCENT, bounds.DEFAULT_AREA_PERCENT, 1.0,
                               key=K + "area", format="%g %%")
        angle = angle_col.slider(t("stickerpage.angle"), *bounds.ANGLE, 0, 5, key=K + "angle", format="%d°")
        with st.expander(t("stickerpage.position")):
            x = st.slider(t("stickerpage.x"), 0, 100, 50, key=K + "x")
            y = st.slider(t("stickerpage.y"), 0, 100, 50, key=K + "y")
        if sticker is None:
            st.warning(t("stickerpage.missing.sticker"))
            on = False
    picture = Image.fromarray(photo.pixels)
    clean = session.predictions(model, photo.key, photo.pixels)
    answers = clean
    if on:
        try:
            bounds.check_placement(area, angle, (x / 100, y / 100))
            picture = sticker_engine[0].place_sticker(picture, Image.fromarray(sticker.pixels), area=area / 100,
                                                      at=(x / 100, y / 100), angle=float(angle))
        except UserError as error:  # out of bounds, or too big to fit this photo turned this way
            verdict_slot.error(error_text(error))
            return
        answers = classify(model, (model.name, photo.key, hash(sticker.pixels.tobytes()), area, angle, x, y),
                           np.asarray(picture))
    with picture_slot.container():
        clickable(picture, big)
    with verdict_slot.container(key="stickerpage-verdict"):
        verdict(clean, answers, on)
    chart_slot.plotly_chart(figures.top5_bars(answers, names=[names(p.index) for p in answers],
                                              target=sticker.target if sticker else None, original=clean[0].index,
                                              title=t("stickerpage.top5", model=short_model_title(model.name)), big=big),
                            config=STATIC, width="stretch", theme=None, key=K + "chart")


def verdict(clean, answers, on: bool) -> None:
    """One line: what the model said before and after, or that the answer held."""
    before, after = clean[0], answers[0]
    if not on:
        st.markdown(t("stickerpage.verdict.off", label=names(before.index), p=before.probability))
    elif after.index != before.index:
        st.markdown(t("stickerpage.verdict.flipped", before=names(before.index), after=names(after.index)))
    else:
        st.markdown(t("stickerpage.verdict.same", label=names(after.index)))
