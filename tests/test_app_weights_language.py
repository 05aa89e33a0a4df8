"""The lab's sidebar: enabling an optional model by upload, and select boxes that follow a language switch."""
from __future__ import annotations

import pytest
from conftest import lab, texts

pytestmark = pytest.mark.slow


@pytest.fixture
def keras_home(tmp_path, monkeypatch):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras"))
    return tmp_path / "keras" / "models"


def test_missing_models_panel_names_the_file_and_refuses_a_wrong_upload(keras_home):
    from attack.models import MODELS

    at = lab()
    assert not at.exception
    # The server accepts ~100 MB weights files; the photo uploader keeps the engine's 25 MiB cap.
    assert at.file_uploader(key="lab.uploader").proto.max_upload_size_mb == 25
    # Until a model is picked there is no second uploader (browser tests drop photos on "the" uploader).
    assert len(at.get("file_uploader")) == 1
    choice = at.button_group(key="weights.choice")
    assert [o.content for o in choice.proto.options] == ["InceptionV3", "MobileNetV2", "ResNet50"]
    for name in ("inceptionv3", "mobilenetv2", "resnet50"):
        assert name not in at.selectbox(key="ctl.model").options  # offline, no file: not offered
        at.button_group(key="weights.choice").set_value(name).run()
        assert MODELS[name].weights_file in texts(at.sidebar.caption)
        assert MODELS[name].weights_url in [b.proto.url for b in at.get("link_button")]
    assert at.file_uploader(key="weights.resnet50").proto.max_upload_size_mb == 120
    at.file_uploader(key="weights.resnet50").upload("resnet50.h5", b"\x89PNG\r\n\x1a\n not weights", "application/x-hdf5")
    at.run()
    assert not at.exception
    assert [e.value for e in at.error] == ["That file is not ResNet50's weights: expected the HDF5 file "
                                           "resnet50_weights_tf_dim_ordering_tf_kernels.h5."]
    assert not keras_home.exists() or list(keras_home.iterdir()) == []
    assert at.selectbox(key="ctl.model").value == "efficientnet-lite0"  # the lab is still usable


def test_right_weights_upload_enables_and_selects_the_model(keras_home, tmp_path):
    import h5py
    import keras
    from keras.src.legacy.saving import legacy_h5_format

    path = tmp_path / "mobilenet.h5"
    with h5py.File(path, "w") as file:  # the published files' layout, random weights
        legacy_h5_format.save_weights_to_hdf5_group(file, keras.applications.MobileNetV2(weights=None))
    at = lab(lang="zh")
    at.button_group(key="weights.choice").set_value("mobilenetv2").run()
    at.file_uploader(key="weights.mobilenetv2").upload(path.name, path.read_bytes(), "application/x-hdf5")
    at.run()
    assert not at.exception, texts(at.exception)
    assert at.selectbox(key="ctl.model").value == "mobilenetv2"
    assert "MobileNetV2 已可使用" in texts(at.sidebar.success)
    assert (keras_home / "mobilenet_v2_weights_tf_dim_ordering_tf_kernels_1.0_224.h5").exists()


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
    from app.session import SAMPLES

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
