"""`batch` and `sweep` with `--ray`: a local Ray on this machine gives what the in-process run gives."""
from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import sys

import pytest
from PIL import Image

from attack.cli.main import main
from conftest import ASSETS

if os.environ.get("CI"):
    import ray  # noqa: F401  (CI installs requirements-dev.txt, which includes Ray: never skip there)
else:
    pytest.importorskip("ray")

TIMING = {"seconds"}  # the only columns allowed to differ: wall-clock time


@pytest.fixture(scope="module")
def folder(tmp_path_factory, small_coffee):
    folder = tmp_path_factory.mktemp("ray-photos")
    Image.fromarray(small_coffee).save(folder / "coffee.png")
    with Image.open(ASSETS / "chelsea.png") as im:
        im.convert("RGB").resize((120, 90)).save(folder / "cat.jpg", quality=92)
    (folder / "broken.png").write_bytes((ASSETS / "coffee.png").read_bytes()[:2000])
    return folder


def run(argv) -> tuple[int, str, str]:
    stdout, stderr = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        code = main(argv)
    return code, stdout.getvalue(), stderr.getvalue()


def summary(out) -> list[dict]:
    with open(out / "summary.csv", newline="", encoding="utf-8") as handle:
        return [{k: v for k, v in row.items() if k not in TIMING} for row in csv.DictReader(handle)]


def test_ray_batch_gives_the_in_process_summary(folder, tmp_path, classifier):
    args = ["batch", str(folder), "--target", "toaster", "--max-steps", "3", "--quiet"]
    code, _, _ = run(args + ["--out", str(tmp_path / "here")])
    assert code == 0
    code, _, stderr = run(args + ["--out", str(tmp_path / "ray"), "--ray", "--workers", "2"])
    assert code == 0, stderr
    here, there = summary(tmp_path / "here"), summary(tmp_path / "ray")
    assert [r["file"] for r in there] == ["broken.png", "cat.jpg", "coffee.png"]  # in order
    assert there == here
    assert next(r for r in there if r["file"] == "broken.png")["status"] == "error"
    for row in there:  # the same adversarial files, byte for byte, written by the caller
        if row["status"] == "ok":
            assert (tmp_path / "ray" / row["adversarial"]).read_bytes() == \
                (tmp_path / "here" / row["adversarial"]).read_bytes()
            assert (tmp_path / "ray" / row["report"]).stat().st_size > 0
    assert (tmp_path / "ray" / "index.html").exists()
    assert "broken.png" in stderr


def test_ray_sweep_gives_the_in_process_points(tmp_path, small_coffee, classifier):
    image = tmp_path / "coffee.png"
    Image.fromarray(small_coffee).save(image)
    args = ["sweep", str(image), "--target", "toaster", "--eps", "0.5,2", "--max-steps", "3", "--json", "--quiet"]
    code, here, _ = run(args)
    assert code == 0
    code, there, stderr = run(args + ["--ray", "--workers", "1"])
    assert code == 0, stderr

    def points(text):
        return [{k: v for k, v in p.items() if k not in TIMING} for p in json.loads(text)["points"]]

    assert [p["epsilon"] for p in points(there)] == [0.5, 2.0]
    assert points(there) == points(here)


def test_without_ray_the_flag_says_what_to_install(monkeypatch, folder, tmp_path, classifier):
    monkeypatch.setitem(sys.modules, "ray", None)  # import ray now raises ImportError
    code, _, stderr = run(["batch", str(folder), "--target", "toaster", "--max-steps", "1", "--quiet",
                           "--out", str(tmp_path / "out"), "--ray"])
    assert code == 2
    assert "requirements-ray.txt" in stderr and "Traceback" not in stderr
