"""Presenter mode (`?present=1`): the switch, and the stylesheets of the lab in both modes.

Presenter mode is for a talk: big type, the sidebar collapsed, a fixed seed (app/controls.py) so a
rehearsed demo repeats on stage, and watchable replays of fast runs on by default (app/playback.py).
"""
from __future__ import annotations

import streamlit as st

from app.i18n import t

# Presenter mode is laid out for a 1280 × 720 projector (tests/test_browser.py measures it): the
# image, the goal and the Attack button on the first screen, the live panel filling the screen,
# the result in one or two. Big type for the audience; the image picker (for the speaker) stays small.
PRESENTER_CSS = """<style>
[data-testid="stMainBlockContainer"] { padding-top: 4.6rem; padding-bottom: 2rem; max-width: 100%; }
html, body, [data-testid="stAppViewContainer"] { font-size: 21px; }
[data-testid="stAppViewContainer"] h1 { font-size: 2.4rem; padding: 0; }
[data-testid="stMarkdownContainer"] p, [data-testid="stCaptionContainer"] { font-size: 1.15rem; }
.st-key-lab-attack button { min-height: 4.5rem; }
.st-key-lab-attack button p { font-size: 2rem; font-weight: 700; }
[data-testid="stMetricValue"] [data-testid="stMarkdownContainer"] p { font-size: 1.9rem; line-height: 1.3; }
/* Pictures never push the rest below the fold, whatever their shape. */
.st-key-lab-chosen [data-testid="stImage"] img { max-height: 52vh; object-fit: contain; }
.st-key-lab-live [data-testid="stImage"] img { max-height: 31vh; object-fit: contain; }
.st-key-lab-live, .st-key-lab-live [data-testid="stVerticalBlock"] { gap: 0.4rem; }
.st-key-lab-result [data-testid="stImage"] img { max-height: 27vh; object-fit: contain; }
/* The live panel fills the screen below the fixed header, so scrolling to it shows it whole. */
.st-key-lab-toggles { scroll-margin-top: 4rem; }
.st-key-lab-live { min-height: calc(100vh - 7.5rem); }
.st-key-lab-gallery button [data-testid="stMarkdownContainer"] p { white-space: normal; overflow: visible; }
/* The picker is for the speaker: ordinary sizes, wide enough that sample names are not cut. */
[data-testid="stPopoverBody"] { min-width: min(62rem, 92vw); }
[data-testid="stPopoverBody"] [data-testid="stMarkdownContainer"] p,
[data-testid="stPopoverBody"] [data-testid="stWidgetLabel"] p,
[data-testid="stPopoverBody"] [data-testid="stCaptionContainer"],
[data-testid="stPopoverBody"] small, [data-testid="stPopoverBody"] span { font-size: 16px; }
</style>"""
NORMAL_CSS = """<style>
/* Below the top navigation bar: with less, the title sat half under it. */
[data-testid="stMainBlockContainer"] { padding-top: 4.5rem; }
/* Sample names wrap rather than end in "…" when the column is narrow. */
.st-key-lab-gallery button [data-testid="stMarkdownContainer"] p { white-space: normal; overflow: visible; }
.st-key-lab-attack button { min-height: 3rem; }
.st-key-lab-attack button p { font-size: 1.25rem; font-weight: 600; }
/* Seven metrics side by side beside the sidebar: smaller figures, so "48.5 dB" is not cut at 1280 px. */
.st-key-lab-result [data-testid="stMetricValue"] { font-size: 1.6rem; }
</style>"""


def stylesheet(presenter: bool) -> None:
    """The lab's stylesheet for the mode it is in."""
    st.html(PRESENTER_CSS if presenter else NORMAL_CSS)


def presenter_toggle() -> bool:
    """The sidebar switch (kept in the URL as ?present=1); True in presenter mode."""

    def sync() -> None:
        if st.session_state["lab.present"]:
            st.query_params["present"] = "1"
        else:
            st.query_params.pop("present", None)

    on = st.sidebar.toggle(t("lab.present"), key="lab.present", on_change=sync, help=t("lab.present.help"))
    if on:
        st.set_page_config(initial_sidebar_state="collapsed")
    return on
