"""The sticker page: leave the screen. Place a printed-style adversarial patch on a sample, an upload
or a camera photo and watch the answer flip; put one universal noise on the same photo; train your
own sticker or noise on the shared worker; download the sticker, its printable sheet and the noise.

The parts live in app/sticker/ (see its __init__); this page puts them in order.
"""
from __future__ import annotations

import streamlit as st

from app.i18n import t

K = "stickerpage."
# Presenter mode is laid out for a 1280 × 720 projector: big type, the photo picker in a popover by the
# title, the photo and its answer side by side on the first screen.
PRESENTER_CSS = """<style>
[data-testid="stMainBlockContainer"] { padding-top: 4.2rem; padding-bottom: 2rem; max-width: 100%; }
html, body, [data-testid="stAppViewContainer"] { font-size: 20px; }
[data-testid="stAppViewContainer"] h1 { font-size: 2.2rem; padding: 0; }
[data-testid="stMarkdownContainer"] p { font-size: 1.15rem; }
.st-key-stickerpage-noise [data-testid="stImage"] img { max-height: 34vh; object-fit: contain; }
.st-key-stickerpage-verdict p { font-size: 1.45rem; }
[data-testid="stPopoverBody"] { min-width: min(48rem, 92vw); }
[data-testid="stPopoverBody"] p, [data-testid="stPopoverBody"] span { font-size: 16px; }
</style>"""
NORMAL_CSS = """<style>
[data-testid="stMainBlockContainer"] { padding-top: 4.5rem; }
.st-key-stickerpage-verdict p { font-size: 1.2rem; }
.st-key-stickerpage-noise [data-testid="stImage"] img { max-height: 360px; object-fit: contain; }
</style>"""


def presenter_mode() -> bool:
    """The sidebar switch, kept in the URL as ?present=1 like the lab's."""
    state = st.session_state
    if K + "present" not in state:
        state[K + "present"] = st.query_params.get("present") in ("1", "true", "yes")

    def sync() -> None:
        if state[K + "present"]:
            st.query_params["present"] = "1"
        else:
            st.query_params.pop("present", None)

    on = st.sidebar.toggle(t("lab.present"), key=K + "present", on_change=sync, help=t("lab.present.help"))
    if on:
        st.set_page_config(initial_sidebar_state="collapsed")
    return on


def main() -> None:
    with st.spinner(t("lab.loading_engine")):
        # These import TensorFlow the first time.
        from app import session
        from app.sticker import downloads, noise, photo, place, train_panel
        from attack.models import DEFAULT_MODEL
    on_stage = presenter_mode()
    st.html(PRESENTER_CSS if on_stage else NORMAL_CSS)
    head = st.container(horizontal=True, vertical_alignment="center", key="stickerpage-head")
    head.title(t("stickerpage.title"), width="content", anchor=False)
    if on_stage:
        box = head.popover(t("stickerpage.change_photo"), icon=":material/image:", key="stickerpage-picker")
    else:
        st.caption(t("stickerpage.tagline"))
        box = st.container(key="stickerpage-source")
    chosen = photo.choose_photo(box)
    model = session.classifier(DEFAULT_MODEL)
    place.placement(model, chosen, on_stage)
    noise.noise_panel(model, chosen, on_stage)
    train_panel.training_panel(model, on_stage)
    downloads.downloads()
