"""The sticker page in Streamlit's AppTest: it loads in both languages, placing the sticker changes the
picture and the answer is computed for the new placement, the noise switch shows the three pictures,
training a few steps keeps a sticker, and the page's bounds refuse bad values with one coded sentence.

A synthetic sticker and noise are put into the session, so the tests never depend on the shipped files."""
from __future__ import annotations

import base64
import io

import numpy as np
import pytest
from PIL import Image
from streamlit.testing.v1 import AppTest

pytest.importorskip("streamlit_image_coordinates")
TIMEOUT = 300  # the first run imports TensorFlow and builds the model; training traces its step


def sticker_script():
    from app.i18n import language_picker
    from app.pages import sticker

    language_picker()
    sticker.main()


def _app(lang: str = "en", *, sticker: bool = True, noise: bool = False) -> AppTest:
    from app.sticker.assets import Noise, Sticker

    at = AppTest.from_function(sticker_script, default_timeout=TIMEOUT)
    if lang != "en":
        at.query_params["lang"] = lang
    rng = np.random.default_rng(0)
    if sticker:  # a loud pattern: wherever it goes, the picture there changes
        at.session_state["stickerpage.trained.sticker"] = Sticker(rng.integers(0, 256, (64, 64, 3), np.uint8), 859, True)
        at.session_state["stickerpage.which"] = "trained"
    if noise:
        delta = (rng.integers(0, 2, (224, 224, 3)) * 20 - 10).astype(np.int16)
        at.session_state["stickerpage.trained.noise"] = Noise(delta, 10, True)
        at.session_state["stickerpage.noise.which"] = "trained"
    return at.run()


def picture(at: AppTest) -> np.ndarray:
    """The clickable picture as the browser gets it (the component's image, decoded)."""
    import json

    component = at.get("component_instance")[0]
    src = json.loads(component.proto.json_args)["src"]
    return np.asarray(Image.open(io.BytesIO(base64.b64decode(src.split(",", 1)[1]))).convert("RGB"), np.float32)


def answer_keys(at: AppTest) -> set:
    return set(at.session_state["stickerpage.answers"])


@pytest.mark.parametrize("lang, title, train", [("en", "A sticker that fools the model", "Train your own"),
                                                ("zh", "骗过模型的贴纸", "训练你自己的")])
def test_page_loads_in_each_language(lang, title, train):
    at = _app(lang)
    assert not at.exception, at.exception
    assert at.title[0].value == title
    assert at.subheader[0].value == train
    assert at.slider(key="stickerpage.area").value == 15.0
    assert any("**" in m.value for m in at.markdown)  # the verdict line, bold class names
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels[:2] == (["Sticker (PNG)", "Printable sheet (PDF)"] if lang == "en" else ["贴纸（PNG）", "打印页（PDF）"])


def test_placing_moves_the_sticker_and_asks_again():
    at = _app()
    assert not at.exception, at.exception
    centred = picture(at)
    h, w = centred.shape[:2]
    corner = (slice(0, h // 8), slice(0, w // 8))
    middle = (slice(h * 7 // 16, h * 9 // 16), slice(w * 7 // 16, w * 9 // 16))
    at.slider(key="stickerpage.x").set_value(0)
    at.slider(key="stickerpage.y").set_value(0).run()
    assert not at.exception, at.exception
    cornered = picture(at)
    # The sticker left the middle (the photo is back there) and covers the corner now.
    assert np.abs(cornered[corner] - centred[corner]).mean() > 20
    assert np.abs(cornered[middle] - centred[middle]).mean() > 20
    keys = answer_keys(at)
    assert {k[-2:] for k in keys} == {(50, 50), (0, 0)}  # each placement was classified
    at.toggle(key="stickerpage.on").set_value(False).run()
    assert "No sticker" in " ".join(m.value for m in at.markdown)


def test_camera_waits_for_a_photo_and_keeps_the_sample():
    at = _app()
    at.button_group(key="stickerpage.source").set_value("camera").run()
    assert not at.exception, at.exception
    assert at.get("camera_input")
    assert "Take a photo with the camera above" in " ".join(c.value for c in at.caption)
    assert {k[1] for k in answer_keys(at)} == {"sample:coffee"}  # the sample is still the photo in use


def test_a_sticker_too_big_to_turn_says_so():
    at = _app()
    at.slider(key="stickerpage.area").set_value(40.0)
    at.slider(key="stickerpage.angle").set_value(45).run()
    assert not at.exception, at.exception
    assert "does not fit" in at.error[0].value


def test_noise_switch_shows_original_noise_and_result():
    at = _app(noise=True)
    assert not at.get("image")
    at.toggle(key="stickerpage.noise").set_value(True).run()
    assert not at.exception, at.exception
    captions = [i.caption for image in at.get("image") for i in image.proto.imgs]
    assert len(captions) == 3
    assert captions[0].startswith("Original:") and "×12" in captions[1] and captions[2].startswith("With the noise:")
    assert any(k[2] == "noise" for k in answer_keys(at))
    assert at.success or at.info  # the answer changed, or it says that it held


def test_training_a_few_steps_keeps_a_sticker():
    at = _app(sticker=False)
    at.slider(key="stickerpage.train.steps").set_value(3)
    at.button(key="stickerpage-train-start").click().run()
    assert not at.exception, at.exception
    trained = at.session_state["stickerpage.trained.sticker"]
    assert trained.trained and trained.target == 859
    assert trained.pixels.dtype == np.uint8 and trained.pixels.shape[0] == trained.pixels.shape[1]
    assert "Done after 3 steps" in " ".join(s.value for s in at.success)
    run = at.session_state["stickerpage.training"]
    assert run.status == "done" and run.curve and run.curve[-1][0] == 3  # the held-out rate at the last step
    choice = [r for r in at.radio if r.key == "stickerpage.which"]
    if choice:  # a shipped sticker beside it: the page switched to the one just trained
        assert choice[0].value == "trained"


def test_training_a_noise_keeps_it_within_epsilon():
    at = _app(sticker=False)
    at.button_group(key="stickerpage.train.kind").set_value("noise").run()
    at.slider(key="stickerpage.train.eps").set_value(4)
    at.slider(key="stickerpage.train.steps").set_value(2)
    at.button(key="stickerpage-train-start").click().run()
    assert not at.exception, at.exception
    noise = at.session_state["stickerpage.trained.noise"]
    assert noise.delta.shape == (224, 224, 3) and 0 < np.abs(noise.delta).max() <= 4
    at.toggle(key="stickerpage.noise").set_value(True).run()
    captions = [i.caption for image in at.get("image") for i in image.proto.imgs]
    assert any(c.startswith("With the noise:") for c in captions)  # the trained noise on the photo
    assert at.get("download_button")  # the noise's PNG is offered


def test_a_bad_class_name_says_so_and_starts_nothing():
    at = _app()
    at.text_input(key="stickerpage.train.target").set_value("zzz not a class")
    at.button(key="stickerpage-train-start").click().run()
    assert not at.exception, at.exception
    assert at.error and "stickerpage.training" not in at.session_state


@pytest.mark.parametrize("call, code", [
    (lambda b: b.check_placement(1.0, 0, (0.5, 0.5)), "stickerpage.area"),
    (lambda b: b.check_placement(15.0, 270, (0.5, 0.5)), "stickerpage.angle"),
    (lambda b: b.check_placement(15.0, 0, (1.5, 0.5)), "stickerpage.position"),
    (lambda b: b.check_training(0, 10, 0), "stickerpage.steps"),
    (lambda b: b.check_training(10, 17, 0), "stickerpage.epsilon"),
    (lambda b: b.check_training(10, 10, 9), "stickerpage.uploads"),
])
def test_bounds_refuse_with_a_coded_sentence(call, code):
    from app.sticker import bounds
    from attack.plumbing.errors import UserError

    with pytest.raises(UserError) as raised:
        call(bounds)
    assert raised.value.code == code and raised.value.message
