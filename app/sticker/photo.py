"""The photo the sticker goes on: a bundled sample, an upload or a camera photo.

Uploads and camera photos go through the lab's checks (app/session.py: the size first, then
attack.images' decoder with its bomb, mode and aspect checks), decoded in memory and kept in this
session only. A photo that cannot be used says why and leaves the sample in place.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import streamlit as st

from app import session
from app.i18n import t, translated
from app.lab.inputs import IMAGE_UPLOAD_MB, UPLOAD_TYPES

K = "stickerpage."
SOURCES = ("sample", "upload", "camera")
DEFAULT_SAMPLE = "coffee"


@dataclass(frozen=True)
class Photo:
    """The chosen photo: a session-unique key, a name for people and its pixels (H × W × 3 uint8)."""

    key: str
    label: str
    pixels: np.ndarray


def _decoded(uploaded, slot: str) -> session.Upload:
    """An UploadedFile decoded once per session and slot (keyed by its file id), its size checked first."""
    cached = st.session_state.get(K + slot)
    if cached is None or cached[0] != uploaded.file_id:
        upload = session.sized_upload(uploaded) or session.decode_upload(uploaded.getvalue(), uploaded.name)
        cached = (uploaded.file_id, upload)
        st.session_state[K + slot] = cached
    return cached[1]


def choose_photo(box) -> Photo:
    """The source switch and its input, drawn in `box`; the chosen photo (the sample until another is ready)."""
    with box:
        source_col, input_col = st.columns([2, 5], gap="medium")
        source = source_col.segmented_control(t("stickerpage.source"), SOURCES, default="sample", required=True,
                                              key=translated(K + "source"),
                                              format_func=lambda s: t(f"stickerpage.source.{s}"))
        sample, uploaded = st.session_state.get(K + "sample", DEFAULT_SAMPLE), None
        with input_col:
            if source == "sample":
                sample = st.pills(t("stickerpage.sample"), list(session.SAMPLES), default=DEFAULT_SAMPLE,
                                  key=translated(K + "sample"), format_func=lambda n: t(f"sample.{n}"), required=True)
            elif source == "upload":
                uploaded = st.file_uploader(t("stickerpage.upload"), type=UPLOAD_TYPES, key=K + "uploader",
                                            max_upload_size=IMAGE_UPLOAD_MB, help=t("lab.upload.help"))
                st.caption(t("lab.upload.private"))
            else:
                uploaded = st.camera_input(t("stickerpage.camera"), key=K + "camera")
            if source != "sample" and uploaded is None:
                st.caption(t(f"stickerpage.{source}.waiting"))
    if uploaded is not None:
        upload = _decoded(uploaded, source)
        if upload.error is None:
            label = t("stickerpage.camera.label") if source == "camera" else uploaded.name
            return Photo(f"{source}:{uploaded.file_id}", label, upload.image.pixels)
        st.error(upload.error)
        st.caption(t("lab.upload.kept_sample"))
    name = sample if sample in session.SAMPLES else DEFAULT_SAMPLE
    return Photo(f"sample:{name}", t(f"sample.{name}"), session.sample(name).pixels)
