"""`python -m attack batch` and `python -m attack report`, mostly in-process (one TensorFlow start-up)."""
from __future__ import annotations

import contextlib
import csv
import io
import os
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from PIL import Image

from attack.experiments.batch import output_names, output_stems
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
    for stem in ("coffee.png", "cat.jpg"):  # the whole file name: cat.png and cat.jpg keep apart
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
    assert 'src="coffee.png.adversarial.png"' in page and 'href="cat.jpg.report.png"' in page
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
    assert output_stems(files) == {files[0]: "cat.png", files[1]: "cat.jpg", files[2]: "dog.png"}


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


# --- output names, links and inputs: nothing outside the batch's own new files is written ----------
def _capture(argv) -> tuple[int, str, str]:
    stdout, stderr = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        code = main(argv)
    return code, stdout.getvalue(), stderr.getvalue()


@pytest.fixture(scope="module")
def clashing(tmp_path_factory, small_coffee):
    """Files whose names used to share outputs: cat.png / cat_png.gif, and cat.png / cat.jpg."""
    folder = tmp_path_factory.mktemp("clash")
    small = Image.fromarray(small_coffee).resize((48, 32))
    small.save(folder / "cat.png")
    small.save(folder / "cat_png.gif")
    small.convert("RGB").save(folder / "cat.jpg", quality=95)
    return folder


def test_output_names_are_injective_whatever_the_names():
    names = ["cat.png", "cat_png.gif", "cat.jpg", "cat_jpg", "Cat.png", "cat.png-2", "CAT.PNG", "café.png",
             "cafe\u0301.png", "x", "x.adversarial.png"]
    files = [Path("/photos") / n for n in sorted(names)]
    stems = output_stems(files)
    def key(name):  # what a file system that ignores case and Unicode normalisation compares
        return unicodedata.normalize("NFC", name).casefold()

    assert len({key(s) for s in stems.values()}) == len(files), stems
    outputs = [key(name) for s in stems.values() for name in output_names(s)]
    assert len(set(outputs)) == 2 * len(files)
    assert stems[Path("/photos/cat_png.gif")] == "cat_png.gif" and stems[Path("/photos/cat.jpg")] == "cat.jpg"
    # CAT.PNG comes first in name order and keeps its name; a real file named cat.png-2 keeps its own too.
    assert stems[Path("/photos/CAT.PNG")] == "CAT.PNG" and stems[Path("/photos/cat.png-2")] == "cat.png-2"
    assert stems[Path("/photos/cat.png")] not in ("cat.png", "cat.png-2")


def test_batch_keeps_clashing_files_apart_in_files_summary_and_index(clashing, tmp_path, classifier):
    out = tmp_path / "out"
    code, stdout, stderr = _capture(["batch", str(clashing), "--target", "toaster", "--max-steps", "1",
                                     "--quiet", "--out", str(out)])
    assert code == 0, stderr
    rows = read_summary(out)
    assert [r["file"] for r in rows] == ["cat.jpg", "cat.png", "cat_png.gif"]
    written = [r["adversarial"] for r in rows] + [r["report"] for r in rows]
    assert len(set(written)) == 6 and all((out / name).is_file() for name in written)
    page = (out / "index.html").read_text(encoding="utf-8")
    for r in rows:
        assert f'src="{r["adversarial"]}"' in page and f'href="{r["report"]}"' in page


def test_batch_refuses_a_link_in_the_out_folder_and_writes_nothing_through_it(clashing, tmp_path):
    out, victim = tmp_path / "out", tmp_path / "victim.png"
    out.mkdir()
    (out / "cat.png.report.png").symlink_to(victim)
    code, _, stderr = _capture(["batch", str(clashing), "--target", "toaster", "--max-steps", "1", "--quiet",
                                "--out", str(out)])
    assert code == 2 and "symbolic link" in stderr and len(stderr.strip().splitlines()) == 1
    assert not victim.exists() and sorted(p.name for p in out.iterdir()) == ["cat.png.report.png"]


def test_batch_refuses_an_out_folder_that_is_a_link(clashing, tmp_path):
    real = tmp_path / "real"
    real.mkdir()
    (tmp_path / "link").symlink_to(real, target_is_directory=True)
    code, _, stderr = _capture(["batch", str(clashing), "--target", "toaster", "--max-steps", "1", "--quiet",
                                "--out", str(tmp_path / "link")])
    assert code == 2 and "symbolic link" in stderr
    assert list(real.iterdir()) == []


def test_batch_into_its_own_folder_refuses_to_overwrite_an_input(tmp_path, small_coffee):
    folder = tmp_path / "photos"
    folder.mkdir()
    Image.fromarray(small_coffee).resize((48, 32)).save(folder / "a.png")
    (folder / "summary.csv").write_text("my own notes\n")
    code, _, stderr = _capture(["batch", str(folder), "--untargeted", "--max-steps", "1", "--quiet",
                                "--out", str(folder)])
    assert code == 2 and "summary.csv" in stderr and len(stderr.strip().splitlines()) == 1
    assert (folder / "summary.csv").read_text() == "my own notes\n"
    assert sorted(p.name for p in folder.iterdir()) == ["a.png", "summary.csv"]


def test_a_link_planted_during_the_batch_is_replaced_not_followed(clashing, tmp_path, monkeypatch, classifier):
    from attack.cli import batch as cli_batch

    out, victim = tmp_path / "out", tmp_path / "victim.png"
    victim.write_bytes(b"precious")
    planted = []

    def bar(done, total, name, detail=""):  # runs once the checks are done, before any output is written
        if not planted:
            (out / "cat.jpg.adversarial.png").symlink_to(victim)
            planted.append(True)

    monkeypatch.setattr(cli_batch, "_bar", bar)
    code, _, stderr = _capture(["batch", str(clashing), "--target", "toaster", "--max-steps", "1",
                                "--out", str(out)])
    assert planted and code == 0, stderr
    assert victim.read_bytes() == b"precious"
    written = out / "cat.jpg.adversarial.png"
    assert not written.is_symlink() and Image.open(written).format == "PNG"


def test_a_batch_run_keeps_no_per_step_frames(classifier, small_coffee):
    from attack.experiments.batch import SummaryHistory
    from attack.running.runner import run_attacks

    histories = []

    def new_history():
        histories.append(SummaryHistory())
        return histories[-1]

    results = list(run_attacks(classifier, [small_coffee], "pgd", target=859, max_steps=5, stop_at=0.99,
                               new_history=new_history))
    assert len(results) == 1 and len(histories[0]) == 6
    assert histories[0].frames == {}
    assert results[0][1].final.image.shape == small_coffee.shape  # the kept step is still there to report


@pytest.mark.parametrize("which", ["folder", "out"])
def test_batch_refuses_an_empty_path_instead_of_the_current_folder(clashing, tmp_path, monkeypatch, which):
    monkeypatch.chdir(tmp_path)
    folder, out = ("", str(tmp_path / "out")) if which == "folder" else (str(clashing), "")
    code, _, stderr = _capture(["batch", folder, "--untargeted", "--max-steps", "1", "--quiet", "--out", out])
    assert code == 2 and "is empty" in stderr and len(stderr.strip().splitlines()) == 1
    assert list(tmp_path.iterdir()) == []
