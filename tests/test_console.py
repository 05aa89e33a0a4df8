"""The `adversarial-lab` console command (pyproject's [project.scripts]) works from any directory."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# What a build needs: pyproject names the packages, requirements.txt its dependencies.
SOURCES = ("pyproject.toml", "requirements.txt", "attack", "app", "messages")


def _run(command: list[str], cwd: Path, **env_extra: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, ADVERSARIAL_LAB_OFFLINE="1", **env_extra)
    if "PYTHONPATH" not in env_extra:  # pytest's pythonpath=. must not lend the checkout to the command
        env.pop("PYTHONPATH", None)
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """The project built as a wheel (no build isolation: nothing downloaded) and installed into a folder,
    from a copy of its sources, so the build leaves nothing in the checkout."""
    copy = tmp_path_factory.mktemp("source")
    for name in SOURCES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, copy / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(source, copy / name)
    target = tmp_path_factory.mktemp("installed")
    proc = _run([sys.executable, "-m", "pip", "install", "--quiet", "--no-build-isolation", "--no-deps",
                 "--no-compile", "--no-index", "--target", str(target), str(copy)], cwd=copy)
    assert proc.returncode == 0, proc.stderr
    return target


def test_the_installed_command_runs_outside_the_repository(installed, tmp_path):
    script = installed / "bin" / "adversarial-lab"
    assert script.is_file()
    outside = dict(PYTHONPATH=str(installed))  # what site-packages is to a real install
    where = _run([sys.executable, "-c", "import attack; print(attack.__file__)"], cwd=tmp_path, **outside)
    assert Path(where.stdout.strip()).is_relative_to(installed)  # the installed copy, not the checkout
    help_text = _run([sys.executable, str(script), "--help"], cwd=tmp_path, **outside)
    assert help_text.returncode == 0 and help_text.stdout.startswith("usage: adversarial-lab")
    # The Chinese class names are package data (attack/data/imagenet_zh.json): the wheel must carry them.
    labels = _run([sys.executable, str(script), "labels", "烤面包机"], cwd=tmp_path, **outside)
    assert labels.returncode == 0, labels.stderr
    assert "859" in labels.stdout and "toaster" in labels.stdout


def test_python_dash_m_attack_keeps_its_name():
    proc = _run([sys.executable, "-m", "attack", "--help"], cwd=ROOT)
    assert proc.returncode == 0 and proc.stdout.startswith("usage: python -m attack")


def test_the_setup_scripts_command_runs_from_any_directory(tmp_path):
    """scripts/setup.sh installs the project into the venv; run where it did (CI, ./run-tests.sh)."""
    script = Path(sys.executable).parent / "adversarial-lab"
    if not script.exists():
        pytest.skip("this venv was not set up by scripts/setup.sh (no adversarial-lab beside its python)")
    proc = _run([str(script), "labels", "toast"], cwd=tmp_path)
    assert proc.returncode == 0 and "toaster" in proc.stdout
