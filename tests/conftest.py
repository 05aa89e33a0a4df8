"""Shared fixtures. Tests never touch the network: Keras downloads are switched off and its cache
directory points at an empty temporary folder."""
from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import numpy as np
import pytest

os.environ["ADVERSARIAL_LAB_OFFLINE"] = "1"
os.environ["KERAS_HOME"] = tempfile.mkdtemp(prefix="keras-home-")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

ROOT = Path(__file__).resolve().parent.parent
ASSETS = ROOT / "assets"
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def classifier():
    from attack.models import load_model

    return load_model("efficientnet-lite0")


@pytest.fixture(scope="session")
def coffee() -> np.ndarray:
    from attack.inputs.images import load_image

    return load_image(ASSETS / "coffee.png").pixels


@pytest.fixture(scope="session")
def small_coffee() -> np.ndarray:
    """A 150 × 100 copy of the espresso photo: quick attacks for tests."""
    from PIL import Image

    with Image.open(ASSETS / "coffee.png") as im:
        return np.asarray(im.convert("RGB").resize((150, 100), Image.LANCZOS))


# --- AppTest helpers ------------------------------------------------------------------------------
APP_TIMEOUT = 240  # the first run imports TensorFlow and builds the model


def lab(**query):
    """The whole app (lab page) under AppTest, opened with `query` as its URL parameters, run once."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=APP_TIMEOUT)
    at.query_params.update(query)
    return at.run()


def tiny_classifier(name: str = "tiny"):
    """A 32 px Keras classifier with 1000 outputs: the engine's whole path in milliseconds."""
    import keras

    from attack.models import Classifier

    inputs = keras.Input((32, 32, 3))
    x = keras.layers.Conv2D(4, 3, strides=4)(inputs)
    x = keras.layers.GlobalAveragePooling2D()(x)
    network = keras.Model(inputs, keras.layers.Dense(1000)(x))
    return Classifier(name, "tiny", network, 32, lambda x: x / 127.5 - 1.0)


def texts(elements) -> str:
    return "\n".join(str(e.value) for e in elements)


def no_exception(at) -> None:
    assert not at.exception, texts(at.exception)


def lab_checks(at, run, timeout: float = APP_TIMEOUT):
    """The lab's survival and transfer checks of `run`, awaited: they run in the background after the
    verdict is drawn, and each script run looks whether they are in (as the page's polling fragment does)."""
    key = f"lab.checks.{run.id}"
    deadline = time.monotonic() + timeout
    while key not in at.session_state:
        assert time.monotonic() < deadline, f"the checks of run {run.id} did not arrive in {timeout} s"
        at.run()
        no_exception(at)
    return at.session_state[key]


# --- real-browser tests: one Streamlit server and one Chromium for the whole run -----------------
CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
READY = "[data-testid='stApp'][data-test-script-state='notRunning']"
# A lab link whose run lasts minutes on any machine (the tutorial's method with a tiny learning rate): for
# tests that must see a run still live, and end it with Stop.
SLOW_RUN = "?sample=coffee&method=gradient-ascent&eps=1.275&step=0.1&steps=3000&stop=0.99&target=859"


def missing_browser() -> str | None:
    """Why the browser tests cannot run here, or None. Under CI they must run, so this never skips there."""
    if os.environ.get("CI"):
        return None
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright is not installed"
    return None if Path(CHROMIUM).exists() else "Chromium is not installed (and CI is not set)"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def streamlit_server(**env_extra: str):
    """`streamlit run streamlit_app.py` on a free localhost port, offline, with `env_extra` set; yields its URL."""
    port = _free_port()
    env = dict(os.environ, ADVERSARIAL_LAB_OFFLINE="1", KERAS_HOME=tempfile.mkdtemp(prefix="keras-home-"),
               TF_CPP_MIN_LOG_LEVEL="2")
    env.update(env_extra)  # last, so a test may name the KERAS_HOME it watches
    log = tempfile.TemporaryFile()
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "streamlit_app.py", "--server.headless", "true",
         "--server.port", str(port), "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 90
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if process.poll() is not None or time.time() > deadline:
                log.seek(0)
                pytest.fail(f"streamlit did not start:\n{log.read().decode(errors='replace')[-3000:]}")
            time.sleep(0.5)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


@pytest.fixture(scope="session")
def server():
    """One server for all browser tests."""
    with streamlit_server() as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()
