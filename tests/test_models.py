"""The bundled models must be *right*, not merely run: real photos, expected classes."""
from __future__ import annotations

import numpy as np
import pytest

from attack.inputs.images import load_image
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


# --- enabling an optional model: only the published file, checked by its pinned SHA-256 -----------
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


def _pin(monkeypatch, name: str, data: bytes) -> None:
    """Pretend `data` is the published file of `name` (the real ones cannot be downloaded here)."""
    import dataclasses
    import hashlib

    monkeypatch.setitem(MODELS, name, dataclasses.replace(MODELS[name], weights_sha256=hashlib.sha256(data).hexdigest()))


def _arm_tripwire(monkeypatch) -> None:
    """From now on, fail the test if anything parses a weights file (HDF5 or Keras)."""
    import h5py
    import keras
    from keras.src.legacy.saving import legacy_h5_format

    def parsed(*args, **kwargs):
        raise AssertionError("a weights file was parsed before its hash was checked")

    for owner, attribute in [(h5py, "File"), (legacy_h5_format, "load_weights_from_hdf5_group"),
                             (keras.applications, "MobileNetV2"), (keras.applications, "ResNet50"),
                             (keras.applications, "InceptionV3")]:
        monkeypatch.setattr(owner, attribute, parsed)


def test_every_keras_model_pins_a_sha256():
    for spec in MODELS.values():
        if spec.source == "keras":
            assert len(spec.weights_sha256) == 64 and int(spec.weights_sha256, 16) >= 0, spec.name


def test_the_published_file_is_installed_and_loads(keras_home, tmp_path, monkeypatch, small_coffee):
    import keras

    from attack.models import install_weights, keras_weights_path

    assert not availability("mobilenetv2")[0]
    reference = keras.applications.MobileNetV2(weights=None, classifier_activation=None)
    data = _published_format(reference, tmp_path / "download.h5")
    _pin(monkeypatch, "mobilenetv2", data)
    path = install_weights("mobilenetv2", tmp_path / "download.h5")
    assert path == keras_weights_path("mobilenetv2") == keras_home / MODELS["mobilenetv2"].weights_file
    assert path.read_bytes() == data and sorted(p.name for p in keras_home.iterdir()) == [path.name]
    assert availability("mobilenetv2")[0]
    model = load_model("mobilenetv2")  # the next start: found in the cache, no network
    resized = keras.ops.image.resize(small_coffee[None].astype("float32"), (224, 224), antialias=True)
    expected = reference(keras.applications.mobilenet_v2.preprocess_input(resized))[0]
    assert np.allclose(model.logits(small_coffee.astype("float32")), expected, atol=1e-3)
    path.unlink()  # the CLI's `models --install FILE` names no model: the hash says which one it is
    assert install_weights(None, tmp_path / "download.h5") == path and path.read_bytes() == data


def test_a_rigged_file_is_refused_by_its_hash_without_being_parsed(keras_home, tmp_path, monkeypatch):
    """A MobileNetV2 file whose layer names and shapes all fit (trained to answer "toaster", say) is
    not the published file: refused before anything reads it, nothing written."""
    import keras

    from attack.models import WeightsRejected, install_weights

    rigged = tmp_path / "mobilenet_v2_weights_tf_dim_ordering_tf_kernels_1.0_224.h5"
    data = _published_format(keras.applications.MobileNetV2(weights=None, classifier_activation=None), rigged)
    _arm_tripwire(monkeypatch)
    for source in (rigged, data):  # a path (the app, the CLI) or bytes
        with pytest.raises(WeightsRejected) as refused:
            install_weights("mobilenetv2", source)
        message = refused.value.message
        assert message.startswith("That file is not MobileNetV2's published weights file")
        assert MODELS["mobilenetv2"].weights_file in message and "\n" not in message and message.count(". ") == 0
    assert not availability("mobilenetv2")[0]
    assert not keras_home.exists() or list(keras_home.iterdir()) == []  # no temporary file left either


def _hdf5_bomb(path, datasets: int = 4, declared: int = 2**26) -> None:
    """A small HDF5 file whose datasets each declare `declared` float32 values but store none."""
    import h5py

    with h5py.File(path, "w") as file:
        file.attrs["layer_names"] = np.array([b"Conv1"])
        group = file.create_group("Conv1")
        names = [f"Conv1/kernel_{i}:0".encode() for i in range(datasets)]
        group.attrs["weight_names"] = np.array(names)
        for name in names:
            group.create_dataset(name.decode(), shape=(declared,), dtype="float32")  # never written


def test_an_hdf5_bomb_is_refused_without_reading_its_datasets(keras_home, tmp_path, monkeypatch):
    import tracemalloc

    from attack.models import WeightsRejected, install_weights

    bomb = tmp_path / "bomb.h5"
    _hdf5_bomb(bomb)  # 4 x 256 MiB declared
    assert bomb.stat().st_size < 2**20
    _arm_tripwire(monkeypatch)
    tracemalloc.start()
    try:
        with pytest.raises(WeightsRejected, match="published weights file"):
            install_weights("mobilenetv2", bomb.read_bytes())  # bytes: the upload the old panel took
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 32 * 2**20  # streamed in 1 MiB chunks; reading the datasets would take 1 GiB
    assert not keras_home.exists() or list(keras_home.iterdir()) == []


def _integer_layer_names(path) -> None:
    import h5py

    with h5py.File(path, "w") as file:
        file.attrs["layer_names"] = np.array([1, 2, 3])


def test_integer_layer_names_are_one_sentence_not_an_exception(keras_home, tmp_path):
    from attack.models import WeightsRejected, install_weights

    odd = tmp_path / "odd.h5"
    _integer_layer_names(odd)
    with pytest.raises(WeightsRejected):  # installing: refused by hash
        install_weights("mobilenetv2", odd.read_bytes())
    with pytest.raises(ModelUnavailable) as caught:  # the CLI's --weights FILE: the user's file, parsed
        load_model("mobilenetv2", weights=odd)
    assert "MobileNetV2 needs its ImageNet weights" in caught.value.message and "AttributeError" in caught.value.message


def test_a_broken_file_on_disk_makes_the_model_unavailable_and_is_hashed_once(keras_home, tmp_path, monkeypatch):
    """Left over, truncated or rigged: a file in the cache that is not the published one is never
    loaded, and the verdict is remembered until the file changes."""
    import hashlib

    from attack.models import registry

    keras_home.mkdir(parents=True)
    cached = keras_home / MODELS["resnet50"].weights_file
    _integer_layer_names(cached)
    hashed = []
    real = registry._sha256
    monkeypatch.setattr(registry, "_sha256", lambda *a, **k: hashed.append(1) or real(*a, **k))
    for _ in range(3):  # every rerun of every page asks
        ok, why = availability("resnet50")
        assert not ok and "is not the published file" in why and str(cached) in why
    assert len(hashed) == 1
    with pytest.raises(ModelUnavailable, match="is not the published file") as caught:
        load_model("resnet50")
    assert caught.value.message.count(". ") == 0
    _pin(monkeypatch, "resnet50", cached.read_bytes())  # had it been the published file, it would load
    assert availability("resnet50")[0] and len(hashed) == 2
    cached.write_bytes(cached.read_bytes() + b"\0")  # then truncated or changed: hashed again, refused
    assert not availability("resnet50")[0] and len(hashed) == 3
    assert hashlib.sha256(cached.read_bytes()).hexdigest() != MODELS["resnet50"].weights_sha256


def test_concurrent_installs_of_one_file_both_end_with_the_file(keras_home, tmp_path, monkeypatch):
    import threading

    from attack.models import install_weights

    data = b"\x89HDF\r\n\x1a\n" + bytes(range(256)) * 4096
    _pin(monkeypatch, "inceptionv3", data)
    source = tmp_path / "download.h5"
    source.write_bytes(data)
    installed, errors = [], []

    def install():
        try:
            installed.append(install_weights("inceptionv3", source))
        except Exception as error:  # noqa: BLE001 — the assertion below shows it
            errors.append(error)

    threads = [threading.Thread(target=install) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == [] and len(set(installed)) == 1
    assert installed[0].read_bytes() == data and [p.name for p in keras_home.iterdir()] == [installed[0].name]


def test_installing_weights_for_a_bundled_model_is_refused(keras_home):
    from attack.models import install_weights

    with pytest.raises(ModelUnavailable, match="needs no weights file"):
        install_weights("efficientnet-lite0", b"\x89HDF\r\n\x1a\n")


# --- models load once per process, and caches go by the model, not the instance -----------------
def test_many_results_load_each_model_once(monkeypatch):
    """The app's model cache keeps every model it loads: cycling through all six (a room's results
    and their transfer checks) loads each once and freezes the collector once per load."""
    import gc

    from app import session

    loads, freezes = [], []
    monkeypatch.setattr(session, "load_model", lambda name: loads.append(name) or object())
    monkeypatch.setattr(gc, "freeze", lambda: freezes.append(1))
    session._model.clear()
    try:
        for _ in range(30):
            for name in MODELS:
                session._model(name)
    finally:
        session._model.clear()
    assert sorted(loads) == sorted(MODELS) and len(freezes) == len(MODELS)


def test_batches_and_robust_stand_ins_go_by_the_model_not_the_instance():
    import tensorflow as tf

    from attack.attacks import make_attack
    from attack.attacks.eot import robust_model
    from attack.models import Classifier

    def copy(name):  # two loads of one model
        return Classifier(name, name, tf.keras.layers.Identity(), 8, lambda x: x)

    main_a, main_b, other_a, other_b = copy("m"), copy("m"), copy("o"), copy("o")
    assert make_attack("pgd", main_a).step_key == make_attack("pgd", main_b).step_key
    assert make_attack("pgd", main_a).step_key != make_attack("pgd", other_a).step_key
    assert robust_model(main_a, [other_a], 2) is robust_model(main_a, [other_b], 2)
    assert robust_model(main_a, [other_a], 2).key == robust_model(main_b, [other_b], 2).key
    assert make_attack("pgd", robust_model(main_a, [other_a], 2)).step_key != make_attack("pgd", main_a).step_key
