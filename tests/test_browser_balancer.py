"""Replicas for real: `deploy/start.sh 2` (two Streamlit replicas behind Debian's HAProxy) and one
browser session driven through the balancer to a verified result, downloaded through it too."""
from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

import pytest
from conftest import READY, ROOT, missing_browser

pytestmark = [pytest.mark.slow, pytest.mark.browser]
TOASTER = 859

if why := missing_browser():
    pytest.skip(why, allow_module_level=True)
if not shutil.which("haproxy"):
    pytest.skip("HAProxy is not installed (apt-get install haproxy; ./run-tests.sh installs it)",
                allow_module_level=True)


def _free_ports(count: int) -> int:
    """A port p with p … p + count - 1 all free (the balancer and its replicas)."""
    for _ in range(50):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            base = s.getsockname()[1]
        try:
            for port in range(base, base + count):
                with socket.socket() as s:
                    s.bind(("127.0.0.1", port))
            return base
        except OSError:
            continue
    raise RuntimeError("no run of free ports")


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.read() == b"ok"
    except OSError:
        return False


@pytest.fixture(scope="module")
def balancer(tmp_path_factory):
    """deploy/start.sh 2 PORT, offline; yields the balancer's URL; stopped with TERM, like Ctrl-C."""
    port = _free_ports(3)
    logs = tmp_path_factory.mktemp("deploy-logs")
    env = dict(os.environ, ADVERSARIAL_LAB_OFFLINE="1", KERAS_HOME=tempfile.mkdtemp(prefix="keras-home-"),
               TF_CPP_MIN_LOG_LEVEL="2", LAB_PYTHON=sys.executable, LAB_BIND="127.0.0.1", LAB_LOG_DIR=str(logs))
    env.pop("PYTHONPATH", None)
    out = (logs / "start.out").open("wb")
    process = subprocess.Popen(["bash", "deploy/start.sh", "2", str(port)], cwd=ROOT, env=env, stdout=out,
                               stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 240
    while not _answers(f"{url}/_stcore/health"):  # the balancer starts once both replicas are healthy
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            pytest.fail("deploy/start.sh did not come up:\n" + (logs / "start.out").read_text(errors="replace")
                        + "".join(p.read_text(errors="replace")[-2000:] for p in logs.glob("*.log")))
        time.sleep(0.5)
    try:
        yield url, port
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()
        out.close()
    # TERM stopped the balancer and both replicas with it.
    assert not any(_answers(f"http://127.0.0.1:{p}/_stcore/health") for p in (port, port + 1, port + 2))


def test_new_visitors_are_dealt_to_both_replicas_and_kept_there(balancer):
    url, _ = balancer
    replicas = set()
    for _ in range(4):
        with urllib.request.urlopen(f"{url}/", timeout=10) as response:
            replicas.add(response.headers["Set-Cookie"].split(";")[0])
    assert replicas == {"LAB_REPLICA=r1", "LAB_REPLICA=r2"}
    request = urllib.request.Request(f"{url}/", headers={"Cookie": "LAB_REPLICA=r2"})
    with urllib.request.urlopen(request, timeout=10) as response:  # a known visitor gets no new cookie
        assert response.headers["Set-Cookie"] is None


def test_a_browser_session_through_the_balancer_reaches_a_verified_result(balancer, browser, tmp_path):
    from attack.inputs.images import load_image
    from attack.models import load_model

    url, _ = balancer
    context = browser.new_context(viewport={"width": 1440, "height": 900}, accept_downloads=True)
    try:
        page = context.new_page()
        page.goto(f"{url}/?sample=coffee&method=pgd&eps=2&target={TOASTER}&stop=0.9")
        page.wait_for_selector(".st-key-lab-attack button", timeout=240_000)
        page.wait_for_selector(READY, timeout=240_000)
        cookies = {c["name"]: c["value"] for c in context.cookies()}
        assert cookies.get("LAB_REPLICA") in ("r1", "r2"), cookies
        page.locator(".st-key-lab-attack button:visible").first.click()
        banner = page.locator("[data-testid='stAlertContentSuccess']").first
        banner.wait_for(timeout=240_000)
        assert "toaster" in banner.inner_text()
        page.wait_for_selector(READY, timeout=240_000)
        # The download is a separate HTTP request: it reaches the session's replica only through the cookie.
        with page.expect_download(timeout=60_000) as download:
            page.get_by_role("button", name="Adversarial PNG").click()
        path = tmp_path / "adversarial.png"
        download.value.save_as(path)
    finally:
        context.close()
    top = load_model("efficientnet-lite0").classify(load_image(path).pixels, 1)[0]
    assert top.index == TOASTER and top.probability >= 0.9, top
