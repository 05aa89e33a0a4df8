"""`python -m attack batch` and `python -m attack report`, mostly in-process (one TensorFlow start-up)."""
from __future__ import annotations

import contextlib
import csv
import io
import os
import subprocess
import sys

import pytest
from PIL import Image

from attack.batch import output_stems
from attack.cli.main import main
from conftest import ASSETS, ROOT

NOT_AN_IMAGE = "notes <b>&amp.txt"  # a name that needs escaping in HTML


@pytest.fixture(scope="module")
def folder(tmp_path_factory, small_coffee):
    """Two small good images, a truncated PNG, a text file, and a sub-folder (skipped)."""
    folder = tmp_path_factory.mktemp("photos")
    Image.fromarray(small_coffee).save(folder / "coffee.png")
    with Image.open(ASSETS / "chelsea.png") as im:
        im.convert("RGB").resize((150, 100)).save(folder / "cat.jpg", quality=92)
    (folder / "broken.png").write_bytes((ASSETS / "coffee.png").read_bytes()[:2000])
    (folder / NOT_AN_IMAGE).write_text("not a picture\n")
    (folder / "subfolder").mkdir()
    return folder


@pytest.fixture(scope="module")
def batch_run(folder, tmp_path_factory, classifier):
    out = tmp_path_factory.mktemp("batch-out")
    # capsys is function-scoped and this run is shared by several tests: capture by hand.
    stdout, stderr = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        code = main(["batch", str(folder), "--target", "toaster", "--max-steps", "4", "--out", str(out)])
    return code, out, stdout.getvalue(), stderr.getvalue()


def read_summary(out):
    with open(out / "summary.csv", newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_batch_carries_on_past_bad_files(batch_run):
    code, out, stdout, stderr = batch_run
    assert code == 0
    rows = read_summary(out)
    assert [r["file"] for r in rows] == sorted(["broken.png", "cat.jpg", "coffee.png", NOT_AN_IMAGE])
    ok = [r for r in rows if r["status"] == "ok"]
    errors = [r for r in rows if r["status"] == "error"]
    assert {r["file"] for r in ok} == {"cat.jpg", "coffee.png"}
    assert {r["file"] for r in errors} == {"broken.png", NOT_AN_IMAGE}
    assert all(r["error"] for r in errors) and not any(r["error"] for r in ok)
    assert "truncated" in next(r for r in errors if r["file"] == "broken.png")["error"]
    # The errors are listed at the end, one per file, with their messages.
    for r in errors:
        assert f"{r['file']}: {r['error']}" in stderr
    assert "2 errors" in stdout


def test_batch_rows_hold_the_measurements(batch_run):
    _, out, _, _ = batch_run
    for row in read_summary(out):
        if row["status"] != "ok":
            continue
        assert row["original_label"] and row["final_label"]
        assert 0 <= float(row["target_prob"]) <= 1
        assert row["success"] in ("true", "false")
        assert 1 <= int(row["steps"]) <= 4
        assert float(row["seconds"]) > 0
        assert 0 < float(row["linf"]) <= 2 and float(row["l2"]) > 0
        assert float(row["psnr"]) > 30 and 0.9 < float(row["ssim"]) <= 1


def test_batch_writes_adversarial_pngs_and_reports(batch_run):
    _, out, _, _ = batch_run
    for stem in ("coffee", "cat"):
        with Image.open(out / f"{stem}.adversarial.png") as im:
            assert im.format == "PNG" and im.size == (150, 100)
        with Image.open(out / f"{stem}.report.png") as im:
            assert im.format == "PNG" and im.width >= 1600
    assert not list(out.glob("broken*")) and not list(out.glob("notes*"))


def test_batch_index_lists_every_file_escaped(batch_run):
    _, out, _, _ = batch_run
    page = (out / "index.html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    for name in ("coffee.png", "cat.jpg", "broken.png", "notes &lt;b&gt;&amp;amp.txt"):
        assert name in page
    assert "<b>" not in page  # the file name did not become markup
    assert 'src="coffee.adversarial.png"' in page and 'href="cat.report.png"' in page
    assert page.count('class="error"') == 2


def test_batch_of_a_missing_folder_exits_2(tmp_path, capsys):
    code = main(["batch", str(tmp_path / "nowhere"), "--untargeted", "--out", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert code == 2
    assert [line for line in err.splitlines() if line.strip()] == [f"error: No such folder: {tmp_path / 'nowhere'}"]
    assert not (tmp_path / "out").exists()


def test_batch_of_an_empty_folder_exits_2(tmp_path, capsys):
    (tmp_path / "empty").mkdir()
    code = main(["batch", str(tmp_path / "empty"), "--untargeted", "--out", str(tmp_path / "out")])
    assert code == 2
    assert "No files" in capsys.readouterr().err


def test_batch_refuses_a_target_the_method_cannot_aim_for(folder, tmp_path, capsys, classifier):
    code = main(["batch", str(folder), "--target", "toaster", "--method", "deepfool", "--out", str(tmp_path / "o")])
    assert code == 2
    assert capsys.readouterr().err.strip()
    assert not (tmp_path / "o").exists()


def test_output_names_stay_apart_when_stems_clash(tmp_path):
    files = [tmp_path / "cat.png", tmp_path / "cat.jpg", tmp_path / "dog.png"]
    assert output_stems(files) == {files[0]: "cat_png", files[1]: "cat_jpg", files[2]: "dog"}


def test_report_command_in_a_subprocess(tmp_path, small_coffee):
    image = tmp_path / "small.png"
    Image.fromarray(small_coffee).save(image)
    report, gif = tmp_path / "report.png", tmp_path / "anim.gif"
    run = subprocess.run(
        [sys.executable, "-m", "attack", "report", str(image), "--target", "toaster", "--max-steps", "3",
         "--out", str(report), "--gif", str(gif), "--quiet"],
        cwd=ROOT, capture_output=True, text=True, timeout=300, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert run.returncode == 0, run.stderr[-2000:]
    assert "report.png" in run.stdout
    with Image.open(report) as im:
        assert im.format == "PNG" and im.width >= 1600
    with Image.open(gif) as im:
        assert im.is_animated and im.n_frames >= 2
