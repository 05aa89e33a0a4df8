"""The bundled models must be *right*, not merely run: real photos, expected classes."""
from __future__ import annotations

import numpy as np
import pytest

from attack.images import load_image
from attack.models import MODELS, ModelUnavailable, availability, load_model
from attack.models.lite import LITE_VARIANTS, block_settings
from conftest import ASSETS, SHARED

CATS = {281, 282, 283, 284, 285}  # tabby, tiger, Persian, Siamese, Egyptian


def test_lite0_recognises_the_bundled_photos(classifier):
    coffee = classifier.classify(load_image(ASSETS / "coffee.png").pixels, 3)
    assert coffee[0].index == 967 and coffee[0].probability > 0.8  # espresso
    cat = classifier.classify(load_image(ASSETS / "chelsea.png").pixels, 3)
    assert cat[0].index in CATS and cat[0].probability > 0.5
    assert sum(p.probability for p in cat if p.index in CATS) > 0.8
    hopper = classifier.classify(load_image(ASSETS / "grace_hopper.jpg").pixels, 3)
    assert hopper[0].index == 652  # military uniform
    rocket = classifier.classify(load_image(ASSETS / "rocket.jpg").pixels, 5)
    assert {p.index for p in rocket[:3]} & {540, 657, 744, 812}  # rig / missile / projectile / shuttle


@pytest.mark.skipif(not (SHARED / "data" / "pig.jpg").exists(), reason="shared pig photo absent")
def test_lite0_sees_the_tutorial_pig_as_a_pig(classifier):
    top = classifier.classify(load_image(SHARED / "data" / "pig.jpg").pixels, 1)[0]
    assert top.index == 341 and top.probability > 0.8


def test_probabilities_are_a_distribution(classifier, small_coffee):
    p = classifier.probabilities(small_coffee)
    assert p.shape == (1000,) and abs(p.sum() - 1) < 1e-4 and (p >= 0).all()


def test_wrong_preprocessing_is_worse(classifier):
    """Guards the [-1, 1] scaling: feeding the same photo as [0, 1] must lose the espresso."""
    import tensorflow as tf

    pixels = load_image(ASSETS / "coffee.png").pixels.astype(np.float32)
    resized = tf.image.resize(pixels[None], (224, 224), antialias=True)
    right = tf.nn.softmax(classifier.network(resized / 127.5 - 1.0))[0, 967]
    wrong = tf.nn.softmax(classifier.network(resized / 255.0))[0, 967]
    assert float(right) > 0.8 > float(wrong)


def test_lite_block_tables_match_the_weight_files():
    from attack.models.lite import weights_path
    from attack.models.pth import load_legacy_state_dict

    for variant in LITE_VARIANTS.values():
        blocks = block_settings(variant)
        state = load_legacy_state_dict(weights_path(variant))
        count = len({k.split(".")[1] for k in state if k.startswith("_blocks.")})
        assert count == len(blocks), variant.name
        kernel, _, _, _, c_out = blocks[-1]
        assert state[f"_blocks.{count - 1}._project_conv.weight"].shape[0] == c_out


@pytest.mark.parametrize("name", ["efficientnet-lite1", "efficientnet-lite2"])
def test_other_lite_models_recognise_the_photos(name):
    model = load_model(name)
    assert model.classify(load_image(ASSETS / "coffee.png").pixels, 1)[0].index == 967
    assert model.classify(load_image(ASSETS / "chelsea.png").pixels, 1)[0].index in CATS


def test_keras_model_offline_is_a_clear_error():
    ok, why = availability("inceptionv3")
    assert not ok and "download" in why.lower()
    with pytest.raises(ModelUnavailable) as error:
        load_model("inceptionv3")
    assert "inception_v3_weights" in error.value.message and "keras" in error.value.message.lower()


def test_unknown_model_is_a_clear_error():
    with pytest.raises(ModelUnavailable, match="Unknown model"):
        load_model("alexnet")


def test_keras_model_loads_from_a_local_weights_file(tmp_path, small_coffee):
    """The same path a user takes with downloaded weights, exercised with a weights=None model."""
    import keras

    reference = keras.applications.MobileNetV2(weights=None, classifier_activation=None)
    path = tmp_path / "mobilenet.weights.h5"
    reference.save_weights(path)
    model = load_model("mobilenetv2", weights=path)
    assert model.input_size == 224
    resized = keras.ops.image.resize(small_coffee[None].astype("float32"), (224, 224), antialias=True)
    expected = reference(keras.applications.mobilenet_v2.preprocess_input(resized))[0]
    assert np.allclose(model.logits(small_coffee.astype("float32")), expected, atol=1e-3)


def test_missing_local_weights_file_is_a_clear_error(tmp_path):
    with pytest.raises(ModelUnavailable, match="does not exist"):
        load_model("resnet50", weights=tmp_path / "nope.h5")


def test_corrupt_local_weights_file_is_a_clear_error(tmp_path):
    bad = tmp_path / "bad.h5"
    bad.write_bytes(b"not hdf5")
    with pytest.raises(ModelUnavailable):
        load_model("resnet50", weights=bad)


# --- enabling an optional model by uploading its weights file ------------------------------------
def _published_format(model, path) -> bytes:
    """Weights saved the way the published keras-applications .h5 files are (Keras's legacy layout)."""
    import h5py
    from keras.src.legacy.saving import legacy_h5_format

    with h5py.File(path, "w") as file:
        legacy_h5_format.save_weights_to_hdf5_group(file, model)
    return path.read_bytes()


@pytest.fixture
def keras_home(tmp_path, monkeypatch):
    """An empty Keras cache for one test, so an installed model does not leak into the others."""
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras"))
    return tmp_path / "keras" / "models"


def test_uploaded_weights_are_checked_then_installed(keras_home, tmp_path, small_coffee):
    import keras

    from attack.models import install_weights, keras_weights_path

    assert not availability("mobilenetv2")[0]
    reference = keras.applications.MobileNetV2(weights=None, classifier_activation=None)
    data = _published_format(reference, tmp_path / "upload.h5")
    path = install_weights("mobilenetv2", data)
    assert path == keras_weights_path("mobilenetv2") == keras_home / MODELS["mobilenetv2"].weights_file
    assert path.read_bytes() == data and sorted(p.name for p in keras_home.iterdir()) == [path.name]
    assert availability("mobilenetv2")[0]
    model = load_model("mobilenetv2")  # the next start: found in the cache, no network
    resized = keras.ops.image.resize(small_coffee[None].astype("float32"), (224, 224), antialias=True)
    expected = reference(keras.applications.mobilenet_v2.preprocess_input(resized))[0]
    assert np.allclose(model.logits(small_coffee.astype("float32")), expected, atol=1e-3)


def test_wrong_uploaded_weights_are_refused_and_nothing_is_written(keras_home, tmp_path):
    import keras

    from attack.models import WeightsRejected, install_weights

    narrow = keras.applications.MobileNetV2(weights=None, alpha=0.35, classifier_activation=None)
    wrong_width = _published_format(narrow, tmp_path / "narrow.h5")  # MobileNetV2, but not the 1.0 file
    for name, data in [("mobilenetv2", wrong_width), ("resnet50", wrong_width),
                       ("inceptionv3", b"\x89PNG\r\n\x1a\n not weights"), ("mobilenetv2", wrong_width[:50_000])]:
        with pytest.raises(WeightsRejected) as refused:
            install_weights(name, data)
        message = refused.value.message
        assert message.startswith("That file is not ") and MODELS[name].weights_file in message
        assert message.count(". ") == 0 and "\n" not in message  # one sentence
        assert not availability(name)[0]
        assert not keras_home.exists() or list(keras_home.iterdir()) == []  # no temporary file left either


def test_installing_weights_for_a_bundled_model_is_refused(keras_home):
    from attack.models import install_weights

    with pytest.raises(ModelUnavailable, match="needs no weights file"):
        install_weights("efficientnet-lite0", b"\x89HDF\r\n\x1a\n")
