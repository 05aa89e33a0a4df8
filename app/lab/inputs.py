"""The lab's input: the image to attack (an upload or a bundled sample), what the model says about it
now, the goal, and the Attack button.

Uploads are decoded in memory (app/session.py); an image that is accepted but odd (too small, too
thin) is flagged, one that cannot be read keeps the previous sample chosen.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import streamlit as st

from app import figures, session
from app.samples import DEFAULT_SAMPLE, SAMPLES
from app.i18n import current_language, engine_text, t
from attack.inputs import labels
from attack.catalogue import CATALOGUE
from attack.inputs.images import MAX_SIDE, size_warning
from attack.render.text import short_model_title
from attack.settings import AttackSettings

if TYPE_CHECKING:
    from streamlit.delta_generator import DeltaGenerator

UPLOAD_TYPES = ["png", "jpg", "jpeg", "webp", "bmp", "gif", "tif", "tiff"]
IMAGE_UPLOAD_MB = 25  # = attack.images.MAX_BYTES = the server's maxUploadSize (.streamlit/config.toml)


@dataclass(frozen=True)
class Chosen:
    """The image to attack: a session-unique key, a name for people, the pixels, and the sample (if any)."""

    key: str
    label: str
    pixels: np.ndarray
    sample: str | None
    original_size: tuple[int, int] | None = None  # (w, h) of an upload that was scaled down to the cap


def use_source(source: str) -> None:
    """Callback: remember which image the user chose ("upload" or "sample:<name>")."""
    st.session_state["lab.source"] = source


def choose_image(presenter: bool, head: DeltaGenerator | None = None) -> Chosen:
    """The uploader and the sample gallery. In presenter mode they sit in a popover next to the
    title, so opening them never pushes the image and the Attack button below the fold."""
    state = st.session_state
    if presenter and head is not None:
        box = head.popover(t("lab.input.change"), icon=":material/image:", key="lab-picker")
    else:
        box = st.container()
    with box:
        upload_col, gallery_col = st.columns([2, 3], gap="large")
        uploaded = upload_col.container(key="lab-uploader").file_uploader(t("lab.upload"), type=UPLOAD_TYPES, key="lab.uploader",
                                            on_change=use_source, args=("upload",), help=t("lab.upload.help"),
                                            max_upload_size=IMAGE_UPLOAD_MB)
        # Streamlit's own hint under the drop zone is English only: ours replaces it, in the page's language.
        upload_col.html(uploader_css())
        upload_col.caption(t("stage.upload.hint", mb=IMAGE_UPLOAD_MB))
        upload_col.caption(t("lab.upload.private"))
        gallery_col.markdown(f"**{t('lab.samples')}**")
        source = state.get("lab.source", f"sample:{DEFAULT_SAMPLE}")
        gallery = gallery_col.container(key="lab-gallery")
        for column, name in zip(gallery.columns(len(SAMPLES)), SAMPLES):
            column.image(session.thumbnail(name), width="stretch")
            chosen_here = source == f"sample:{name}"
            column.button(t(f"sample.{name}"), key=f"lab.sample.{name}", on_click=use_source, help=t(f"sample.{name}.about"),
                          args=(f"sample:{name}",), type="primary" if chosen_here else "secondary",
                          width="stretch")
    if source == "upload" and uploaded is not None:
        upload = session.session_upload(uploaded)
        if upload.error is None:
            warning = size_warning(upload.image.width, upload.image.height)
            for note in upload.image.notes:  # a too small or too thin image is accepted, but flagged
                if note.key != "note.image.downscaled":  # the caption under the photo says it (show_chosen)
                    (st.warning if note == warning else st.info)(engine_text(note))
            image = upload.image
            scaled = image.original_size if image.original_size != (image.width, image.height) else None
            return Chosen(f"upload:{uploaded.file_id}", uploaded.name, image.pixels, None, scaled)
        st.error(upload.error)
        st.caption(t("lab.upload.kept_sample"))
    name = source.removeprefix("sample:")
    if name not in SAMPLES:
        name = DEFAULT_SAMPLE
    return Chosen(f"sample:{name}", t(f"sample.{name}"), session.sample(name).pixels, name)


def uploader_css() -> str:
    """Hide the uploader's English instructions and relabel its button in the page's language."""
    label = json.dumps(t("stage.upload.button"), ensure_ascii=False)
    return f"""<style>
.st-key-lab-uploader [data-testid="stFileUploaderDropzoneInstructions"] {{ display: none; }}
.st-key-lab-uploader [data-testid="stFileUploaderDropzone"] button,
.st-key-lab-uploader [data-testid="stFileUploaderDropzone"] button * {{ font-size: 0 !important; }}
.st-key-lab-uploader [data-testid="stFileUploaderDropzone"] button::after {{ content: {label};
  font-size: 0.875rem !important; }}
</style>"""


def names(index: int | None) -> str:
    """A class as people read it, in the page's language ("untargeted" for None)."""
    return t("lab.target.untargeted") if index is None else labels.display(index, current_language())


def chosen_caption(chosen: Chosen) -> str:
    """The photo's name and size; for a photo over the cap, its own size and the size it is attacked at."""
    h, w = chosen.pixels.shape[:2]
    if chosen.original_size is None:
        return t("lab.chosen", name=chosen.label, w=w, h=h)
    ow, oh = chosen.original_size
    return t("lab.chosen.scaled", name=chosen.label, ow=ow, oh=oh, w=w, h=h, cap=MAX_SIDE)


def show_chosen(model, chosen: Chosen, settings: AttackSettings, big: bool = False) -> bool:
    """The chosen image, what the model says now, the goal, and the Attack button (returns its click)."""
    predictions = session.predictions(model, chosen.key, chosen.pixels)
    row = st.container(key="lab-chosen")
    left, middle, right = row.columns([4, 4, 4] if big else [4, 5, 3], gap="large")
    left.image(chosen.pixels, caption=chosen_caption(chosen), width="stretch")
    middle.plotly_chart(figures.top5_bars(predictions, names=[names(p.index) for p in predictions],
                                          target=settings.target, original=predictions[0].index,
                                          title=t("lab.top5_now", model=short_model_title(model.name)), big=big),
                        config={"displayModeBar": False, "staticPlot": True}, width="stretch", theme=None)
    with right:
        top = predictions[0]
        st.markdown(t("lab.goal.now", label=names(top.index), p=top.probability))
        if settings.target is None:
            st.markdown(t("lab.goal.untargeted", label=names(top.index)))
        else:
            st.markdown(t("lab.goal.targeted", label=names(settings.target)))
        method = CATALOGUE[settings.method]
        kind = ("lab.goal.settings_queries" if method.counts_queries
                else "lab.goal.settings" if method.uses_epsilon else "lab.goal.settings_l0")
        st.caption(t(kind, method=t(method.title_key), eps=settings.epsilon,
                     steps=settings.max_steps, stop=settings.stop_at))
        if settings.target is not None and settings.target == top.index:
            st.info(t("lab.goal.already"))
        # No tooltip: it covered the settings line above for the whole run.
        return st.button(t("lab.attack"), type="primary", key="lab-attack", width="stretch")


