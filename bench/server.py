"""A real `streamlit run` of the app on a free localhost port, offline, for the benchmarks that drive it."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(port: int, log=subprocess.DEVNULL, **env_extra: str) -> subprocess.Popen:
    """Start the server and wait for its health endpoint (3 minutes at most); the caller terminates it.
    `env_extra` is set last, so a caller may name the KERAS_HOME it wants to watch. Every session plays
    the audience (ADVERSARIAL_LAB_LOOPBACK_OPERATOR=0): on loopback it would otherwise be the operator,
    whose runs skip the line."""
    env = dict(os.environ, ADVERSARIAL_LAB_OFFLINE="1", TF_CPP_MIN_LOG_LEVEL="2", ADVERSARIAL_LAB_LOOPBACK_OPERATOR="0",
               KERAS_HOME=tempfile.mkdtemp(prefix="keras-home-"))
    env.update(env_extra)
    process = subprocess.Popen([sys.executable, "-m", "streamlit", "run", "streamlit_app.py",
                                "--server.headless", "true", "--server.port", str(port),
                                "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false"],
                               cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.time() + 180
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2):
                return process
        except OSError:
            time.sleep(0.5)
    process.kill()
    raise SystemExit("streamlit did not start")


def stop_server(process: subprocess.Popen, log) -> None:
    """Terminate the server; if it did not end cleanly, print the tail of its log (a file opened in
    binary mode) on stderr."""
    process.terminate()
    try:
        process.wait(15)
    except subprocess.TimeoutExpired:
        process.kill()
    if process.returncode not in (0, -15, None):
        log.seek(0)
        sys.stderr.write(log.read().decode(errors="replace")[-3000:])
