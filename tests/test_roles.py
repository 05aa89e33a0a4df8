"""Two roles: the audience cannot change what other sessions see nor read the server's paths; the
operator signs in with the token printed on the console, which leaves the URL at once."""
from __future__ import annotations

import pytest
from conftest import lab, texts

TOKEN = "test-operator-token-0123456789"


@pytest.fixture
def audience_host(monkeypatch):
    """The server as a talk runs it: visitors are the audience unless they sign in with the token."""
    from app import roles

    monkeypatch.setenv("ADVERSARIAL_LAB_LOOPBACK_OPERATOR", "0")
    monkeypatch.setenv("ADVERSARIAL_LAB_OPERATOR_TOKEN", TOKEN)
    roles.operator_token.cache_clear()
    yield
    roles.operator_token.cache_clear()


def _said(at) -> str:
    """Everything the page says in text, sidebar included."""
    kinds = ("markdown", "caption", "code", "error", "warning", "info", "success")
    return "\n".join(texts(at.get(kind)) for kind in kinds)


def _weights_controls(at) -> list:
    return [w for kind in ("button_group", "text_input", "button", "file_uploader") for w in at.get(kind)
            if str(getattr(w, "key", "") or "").startswith("weights.")]


def test_the_audience_sees_no_install_control_and_no_server_path(audience_host):
    from attack.models import keras_cache_dir

    at = lab()
    assert not at.exception, texts(at.exception)
    assert _weights_controls(at) == []
    said = _said(at)
    assert "Not installed on this server: InceptionV3, MobileNetV2, ResNet50." in said
    assert str(keras_cache_dir()) not in said and "storage.googleapis.com" not in said
    assert at.get("link_button") == []  # no download link either: nothing to do with it
    assert at.selectbox(key="ctl.model").value == "efficientnet-lite0"  # the lab itself is the same


def test_the_token_signs_the_session_in_and_leaves_the_url(audience_host):
    from attack.models import keras_cache_dir

    at = lab(operator=TOKEN)
    assert not at.exception, texts(at.exception)
    assert "operator" not in at.query_params  # taken out of the URL on the first run
    assert "Signed in as the operator for this session." in texts(at.caption)
    assert at.button_group(key="weights.choice")  # the operator's panel
    at.button_group(key="weights.choice").set_value("resnet50").run()
    assert str(keras_cache_dir()) in texts(at.sidebar.caption)
    assert TOKEN not in _said(at)  # the share link (st.code) and every other text
    at.run()  # the role stays for the session, without the token in the URL
    assert at.text_input(key="weights.path.resnet50") and "operator" not in at.query_params


def test_a_wrong_token_is_removed_and_gives_nothing(audience_host):
    at = lab(operator="guess")
    assert not at.exception
    assert "operator" not in at.query_params
    assert _weights_controls(at) == [] and not at.error
    assert "That sign-in link was not recognised." in texts(at.caption)
    at.run()
    assert "That sign-in link was not recognised." not in texts(at.caption)  # said once


@pytest.mark.parametrize("ip, loopback_setting, operator", [
    (None, None, True),  # a private ./run-app.sh on a laptop: no token needed
    (None, "0", False),  # behind a proxy on this machine everyone looks local: loopback means nothing
    ("203.0.113.5", None, False),  # anyone else who opens the link
])
def test_visitors_on_the_servers_own_machine_are_the_operator(monkeypatch, ip, loopback_setting, operator):
    """(AppTest's visitors have an address of their own, so the rest of the tests are the audience.)"""
    from app import roles

    monkeypatch.setattr(roles, "_client_ip", lambda: ip)
    if loopback_setting is None:
        monkeypatch.delenv("ADVERSARIAL_LAB_LOOPBACK_OPERATOR", raising=False)
    else:
        monkeypatch.setenv("ADVERSARIAL_LAB_LOOPBACK_OPERATOR", loopback_setting)
    at = lab()
    assert (_weights_controls(at) != []) == operator


def test_a_drawn_token_is_printed_once_and_kept(monkeypatch, capsys):
    from app import roles

    monkeypatch.delenv("ADVERSARIAL_LAB_OPERATOR_TOKEN", raising=False)
    roles.operator_token.cache_clear()
    try:
        token = roles.operator_token()
        assert roles.operator_token() == token and len(token) >= 32
        printed = capsys.readouterr().err
        assert printed.count(f"?operator={token}") == 1 and "http://localhost:" in printed
    finally:
        roles.operator_token.cache_clear()


def test_run_app_prints_a_sign_in_link_with_its_port(tmp_path):
    """run-app.sh draws a token, exports it to the server and prints the link (here with a stand-in
    for the setup and for streamlit, which only reports what it was given)."""
    import os
    import shutil
    import subprocess

    from conftest import ROOT

    shutil.copy(ROOT / "run-app.sh", tmp_path / "run-app.sh")
    (tmp_path / "scripts").mkdir()
    (tmp_path / "scripts" / "setup.sh").write_text("#!/bin/sh\n")
    (tmp_path / ".venv" / "bin").mkdir(parents=True)
    (tmp_path / ".venv" / "bin" / "python").symlink_to(shutil.which("python3") or "/usr/bin/python3")
    (tmp_path / ".venv" / "bin" / "streamlit").write_text('#!/bin/sh\necho "server token=$ADVERSARIAL_LAB_OPERATOR_TOKEN"\n')
    for script in ("run-app.sh", "scripts/setup.sh", ".venv/bin/streamlit"):
        os.chmod(tmp_path / script, 0o755)
    env = {k: v for k, v in os.environ.items() if k != "ADVERSARIAL_LAB_OPERATOR_TOKEN"}
    out = subprocess.run([str(tmp_path / "run-app.sh"), "--server.port", "9123"], env=env, capture_output=True,
                         text=True, check=True).stdout
    link, server = out.strip().splitlines()
    token = server.removeprefix("server token=")
    assert len(token) >= 32 and link.endswith(f"http://localhost:9123/?operator={token}")
