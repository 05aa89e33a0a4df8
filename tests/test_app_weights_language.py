"""The lab's sidebar: enabling an optional model from a downloaded file, and select boxes that follow a language switch."""
from __future__ import annotations

import pytest
from conftest import lab, texts

pytestmark = pytest.mark.slow


@pytest.fixture
def keras_home(tmp_path, monkeypatch):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras"))
    return tmp_path / "keras" / "models"


@pytest.fixture
def operator(monkeypatch):
    """The operator's session: signed in with the token (AppTest's visitors are the audience otherwise)."""
    from app import roles

    monkeypatch.setenv("ADVERSARIAL_LAB_OPERATOR_TOKEN", "weights-test-token")
    roles.operator_token.cache_clear()
    yield {"operator": "weights-test-token"}
    roles.operator_token.cache_clear()


def test_missing_models_panel_names_the_file_and_refuses_a_wrong_file(keras_home, operator, tmp_path, monkeypatch):
    from attack.models import MODELS

    monkeypatch.setenv("HOME", str(tmp_path))  # ~/Downloads/<file> pre-fills the path box
    (tmp_path / "Downloads").mkdir()
    wrong = tmp_path / "Downloads" / MODELS["resnet50"].weights_file
    wrong.write_bytes(b"\x89HDF\r\n\x1a\n not the published file")
    at = lab(**operator)
    assert not at.exception
    # Weights files never travel through the browser: the only uploader is the photo's, with its 25 MiB cap.
    assert [u.key for u in at.get("file_uploader")] == ["lab.uploader"]
    assert at.file_uploader(key="lab.uploader").proto.max_upload_size_mb == 25
    choice = at.button_group(key="weights.choice")
    assert [o.content for o in choice.proto.options] == ["InceptionV3", "MobileNetV2", "ResNet50"]
    for name in ("inceptionv3", "mobilenetv2", "resnet50"):
        assert name not in at.selectbox(key="ctl.model").options  # offline, no file: not offered
        at.button_group(key="weights.choice").set_value(name).run()
        assert MODELS[name].weights_file in texts(at.sidebar.caption)
        assert MODELS[name].weights_url in [b.proto.url for b in at.get("link_button")]
    assert at.text_input(key="weights.path.resnet50").value == str(wrong)  # found in ~/Downloads
    at.button(key="weights.install.resnet50").click().run()
    assert not at.exception
    assert [e.value for e in at.error] == [
        "That file is not ResNet50's published weights file resnet50_weights_tf_dim_ordering_tf_kernels.h5, so "
        "nothing was installed: only the exact published file is accepted (compared by its SHA-256)."]
    assert not keras_home.exists() or list(keras_home.iterdir()) == []
    at.text_input(key="weights.path.resnet50").input(str(tmp_path / "nope.h5")).run()
    at.button(key="weights.install.resnet50").click().run()
    assert [e.value for e in at.error] == [f"Weights file {tmp_path / 'nope.h5'} does not exist."]
    assert at.selectbox(key="ctl.model").value == "efficientnet-lite0"  # the lab is still usable


def test_the_published_file_enables_and_selects_the_model(keras_home, operator, tmp_path, monkeypatch):
    import dataclasses
    import hashlib

    import h5py
    import keras
    from keras.src.legacy.saving import legacy_h5_format

    from attack.models import MODELS

    path = tmp_path / "mobilenet.h5"
    with h5py.File(path, "w") as file:  # the published files' layout, random weights
        legacy_h5_format.save_weights_to_hdf5_group(file, keras.applications.MobileNetV2(weights=None))
    published = dataclasses.replace(MODELS["mobilenetv2"], weights_sha256=hashlib.sha256(path.read_bytes()).hexdigest())
    monkeypatch.setitem(MODELS, "mobilenetv2", published)  # as if it were the published file
    at = lab(lang="zh", **operator)
    at.button_group(key="weights.choice").set_value("mobilenetv2").run()
    at.text_input(key="weights.path.mobilenetv2").input(str(path)).run()
    at.button(key="weights.install.mobilenetv2").click().run()
    assert not at.exception, texts(at.exception)
    assert at.selectbox(key="ctl.model").value == "mobilenetv2"
    assert "MobileNetV2 已可使用" in texts(at.sidebar.success)
    assert (keras_home / "mobilenet_v2_weights_tf_dim_ordering_tf_kernels_1.0_224.h5").read_bytes() == path.read_bytes()


def test_a_damaged_file_on_disk_is_said_and_the_model_is_not_offered(keras_home, operator):
    from attack.models import MODELS

    keras_home.mkdir(parents=True)
    (keras_home / MODELS["inceptionv3"].weights_file).write_bytes(b"\x89HDF\r\n\x1a\n truncated")
    at = lab(**operator)
    assert not at.exception and "inceptionv3" not in at.selectbox(key="ctl.model").options
    at.button_group(key="weights.choice").set_value("inceptionv3").run()
    assert "is not the published file (its SHA-256 differs), so it is not used." in texts(at.sidebar.warning)


def test_switching_language_redraws_the_chosen_model_and_target():
    """The browser shows a select box's choice by the text the server last sent with set_value; after a
    language switch that text must be sent again in the new language (else "toaster (859)" stays)."""
    at = lab()
    at.run()  # a plain rerun sends no choice: the browser keeps what it shows
    boxes = ("ctl.model", "ctl.method", "ctl.target")
    assert not any(at.selectbox(key=k).proto.set_value for k in boxes)
    at.radio(key="language").set_value("zh").run()
    assert not at.exception
    shown = {k: at.selectbox(key=k).proto for k in boxes}
    for k, proto in shown.items():
        assert proto.set_value and proto.raw_value in proto.options, k
    assert shown["ctl.target"].raw_value == "烤面包机 (859)"
    assert shown["ctl.model"].raw_value == "EfficientNet-Lite0（内置）"
    assert "无目标（任何错误类别）" in shown["ctl.target"].options


def test_sample_and_preset_names_are_short_and_the_same_on_every_page():
    """Chinese button captions fit their narrow columns (no "格蕾丝·…"), and a photo has one name everywhere."""
    from messages import catalogue
    from app.pages.explorer import SAMPLES as EXPLORER_SAMPLES
    from app.samples import SAMPLES

    messages = catalogue()
    per_page = [k for k in messages if any(k.endswith(f".sample.{name}") for name in SAMPLES)]
    assert per_page == [], per_page  # the pages share the "sample.*" names
    assert {f.split(".")[0] for f in EXPLORER_SAMPLES} == set(SAMPLES)
    at = lab(lang="zh")
    assert not at.exception
    for name in SAMPLES:
        caption = at.button(key=f"lab.sample.{name}").label
        assert caption == messages[f"sample.{name}"]["zh"] and len(caption) <= 3, caption  # fits at 1280 px
    assert "意式咖啡" not in str(messages)  # the photo is 咖啡, the class 意式浓缩咖啡: no third name
    for preset in ("tutorial", "fast"):
        assert len(at.button(key=f"lab.preset.{preset}").label) <= 4
