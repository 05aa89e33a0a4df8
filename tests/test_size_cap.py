"""The 1024 px working-size cap is said before the run: under an uploaded photo that will be scaled."""
from __future__ import annotations

import io

import pytest
from conftest import APP_TIMEOUT, lab, no_exception, texts

pytestmark = pytest.mark.slow


def _png(size) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, (120, 80, 40)).save(buffer, format="PNG")
    return buffer.getvalue()


def _captions(at) -> list[str]:
    """The captions of the page's images (AppTest has no accessor for st.image)."""
    return [image.caption for element in at.get("image") for image in element.proto.imgs]


def test_the_lab_says_under_a_big_photo_the_size_it_is_attacked_at():
    at = lab()
    at.file_uploader(key="lab.uploader").upload("big.png", _png((1280, 1024)), "image/png")
    at.run()
    no_exception(at)
    expected = "big.png — 1280 × 1024 px: attacked and saved at 1024 × 819 px (photos are capped at 1024 px a side)"
    assert expected in _captions(at), _captions(at)
    assert "Downscaled" not in texts(at.info)  # said once, under the photo


def _caption_script():
    import streamlit as st

    from app.i18n import language_picker
    from app.lab.inputs import choose_image, chosen_caption

    language_picker()
    st.caption(chosen_caption(choose_image(False)))


def test_the_size_cap_caption_in_chinese():
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_function(_caption_script, default_timeout=APP_TIMEOUT)
    at.query_params["lang"] = "zh"
    at.run()
    at.file_uploader(key="lab.uploader").upload("big.png", _png((2048, 1000)), "image/png")
    at.run()
    no_exception(at)
    assert "big.png——2048 × 1000 像素：将以 1024 × 500 像素进行攻击和保存（照片每边最多 1024 像素）" in texts(at.caption)


def test_the_command_line_says_it_before_the_work(tmp_path, capsys):
    from attack.cli.common import load_image

    photo = tmp_path / "big.png"
    photo.write_bytes(_png((1280, 1024)))
    assert load_image(str(photo)).pixels.shape == (819, 1024, 3)
    assert capsys.readouterr().err == (f"note: {photo}: Downscaled from 1280 × 1024 to 1024 × 819 px "
                                       "(the working size limit).\n")
