"""The command line's contract: JSON fields, files written, exit codes, one-line errors."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import numpy as np
import pytest
from PIL import Image

from attack.inputs import images
from attack.cli.main import main
from conftest import ASSETS, ROOT

RUN_FIELDS = {"success", "method", "model", "steps", "seconds", "original", "target", "final_top1", "linf",
              "l2", "l0", "psnr", "ssim", "out", "width", "height"}


@pytest.fixture(scope="module")
def small_png(tmp_path_factory, small_coffee):
    path = tmp_path_factory.mktemp("cli") / "coffee.png"
    Image.fromarray(small_coffee).save(path)
    return path


def run_json(capsys, *argv) -> dict:
    assert main(list(argv)) == 0
    return json.loads(capsys.readouterr().out)


def test_run_writes_the_png_and_reports_it(capsys, classifier, small_png, tmp_path):
    out = tmp_path / "adv.png"
    report = run_json(capsys, "run", str(small_png), "--target", "toaster", "--eps", "2", "--stop-at", "0.6",
                      "--out", str(out), "--json", "--quiet")
    assert RUN_FIELDS <= set(report)
    assert report["success"] and report["target"]["index"] == 859 and report["final_top1"]["index"] == 859
    assert report["original"]["index"] == 967 and report["model"] == "efficientnet-lite0"
    assert report["linf"] <= 2 and (report["width"], report["height"]) == (150, 100)
    saved = images.load_image(out).pixels
    probability = classifier.probabilities(saved)[859]
    assert abs(probability - report["target"]["probability"]) < 1e-5
    assert abs(np.abs(saved.astype(int) - np.asarray(Image.open(small_png)).astype(int)).max()
               - report["linf"]) < 1e-9


def test_run_untargeted_has_no_target(capsys, small_png, tmp_path):
    report = run_json(capsys, "run", str(small_png), "--untargeted", "--method", "deepfool", "--eps", "4",
                      "--max-steps", "40", "--stop-at", "0.6", "--out", str(tmp_path / "a.png"), "--json",
                      "--quiet")
    assert report["target"] is None and report["success"]
    assert report["final_top1"]["index"] != report["original"]["index"]


def test_progress_bar_goes_to_stderr(capsys, small_png, tmp_path):
    assert main(["run", str(small_png), "--target", "859", "--max-steps", "2", "--stop-at", "0.99",
                 "--out", str(tmp_path / "a.png")]) == 0
    captured = capsys.readouterr()
    assert "step" in captured.err and "[" in captured.err
    assert "[" not in captured.out and "saved" in captured.out


def test_classify_json(capsys, small_png):
    report = run_json(capsys, "classify", str(small_png), "--top", "3", "--json")
    assert [p["index"] for p in report["top"]][0] == 967 and len(report["top"]) == 3


def test_models_and_labels(capsys):
    models = run_json(capsys, "models", "--json")
    lite0 = next(m for m in models if m["name"] == "efficientnet-lite0")
    assert lite0["available"] and lite0["default"]
    assert not next(m for m in models if m["name"] == "inceptionv3")["available"]
    hits = run_json(capsys, "labels", "toast", "--json")
    assert hits[0] == {"index": 859, "label": "toaster", "zh": "烤面包机"}


@pytest.mark.parametrize("argv,fragment", [
    (["classify", "missing.png"], "No such file"),
    (["run", "{text}", "--target", "toaster", "--out", "x.png"], "not an image"),
    (["run", "{png}", "--target", "toastr", "--out", "x.png"], "toaster"),
    (["run", "{png}", "--target", "1000", "--out", "x.png"], "0 to 999"),
    (["run", "{png}", "--untargeted", "--method", "gradient-ascent", "--out", "x.png"], "target"),
    (["run", "{png}", "--target", "toaster", "--eps", "-1", "--out", "x.png"], "--eps"),
    (["classify", "{png}", "--model", "inceptionv3"], "download"),
    (["run", "{png}", "--target", "toaster", "--eps", "0.5", "--out", "x.png"], "below one pixel level"),
    (["sweep", "{png}", "--target", "859", "--eps", "0.5,1,100"], "0.5–32"),  # attack.sweep.parse_levels' sentence
])
def test_bad_input_exits_2_with_one_line(capsys, tmp_path, small_png, argv, fragment):
    text = tmp_path / "notes.txt"
    text.write_text("hello")
    argv = [a.format(text=text, png=small_png) for a in argv]
    assert main(argv) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("error:") and fragment in err[0]


def test_module_entry_point_exit_codes(tmp_path):
    bad = tmp_path / "bad.png"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n broken")
    env = dict(os.environ, ADVERSARIAL_LAB_OFFLINE="1")
    proc = subprocess.run([sys.executable, "-m", "attack", "classify", str(bad)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert "error:" in proc.stderr.strip().splitlines()[-1]
    proc = subprocess.run([sys.executable, "-m", "attack", "classify", str(ASSETS / "coffee.png"), "--json"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0 and json.loads(proc.stdout)["top"][0]["label"] == "espresso"


# --- a quiet CLI: our own lines only, bad input refused before TensorFlow is imported -------------
def _cli(*argv, env_extra=None, python_flags=()):
    """`python -m attack …` in a fresh process, as a user runs it (no TF_CPP_MIN_LOG_LEVEL preset)."""
    env = {k: v for k, v in os.environ.items() if k != "TF_CPP_MIN_LOG_LEVEL"}
    env.update(ADVERSARIAL_LAB_OFFLINE="1", **(env_extra or {}))
    return subprocess.run([sys.executable, *python_flags, "-m", "attack", *map(str, argv)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)


def test_cli_error_on_a_non_image_is_exactly_one_line_and_exit_2(tmp_path):
    text = tmp_path / "notes.txt"
    text.write_text("hello")
    proc = _cli("classify", text)
    assert proc.returncode == 2 and proc.stdout == ""
    assert proc.stderr.count("\n") == 1 and proc.stderr.startswith("error: ") and "not an image" in proc.stderr


@pytest.mark.parametrize("argv", [
    ["classify", "{text}"],                                              # not an image
    ["classify", "missing.png"],                                         # no such file
    ["run", "{png}", "--target", "toastr", "--out", "{out}"],            # unknown label
    ["run", "{png}", "--target", "859", "--out", "{out}", "--eps", "x"],  # bad flag value
    ["run", "{png}", "--target", "859", "--out", "{out}", "--bogus"],    # unknown flag
    ["run", "{png}", "--target", "859", "--out", "{out}", "--method", "nope"],
    ["report", "{text}", "--target", "859", "--out", "{out}"],
    ["check", "{text}", "--original", "{png}"],
])
def test_bad_input_fails_before_tensorflow_is_imported(tmp_path, small_png, argv):
    text = tmp_path / "notes.txt"
    text.write_text("hello")
    argv = [a.format(text=text, png=small_png, out=tmp_path / "out.png") for a in argv]
    proc = _cli(*argv, python_flags=("-X", "importtime"))
    assert proc.returncode == 2
    imported = [line.rsplit("|", 1)[-1].strip() for line in proc.stderr.splitlines() if line.startswith("import time:")]
    assert "attack.cli" in imported  # -X importtime did report the imports
    assert not [m for m in imported if m.split(".")[0] in ("tensorflow", "keras")]
    ours = [line for line in proc.stderr.splitlines() if not line.startswith("import time:")]
    assert len(ours) == 1 and ours[0].startswith("error: "), ours
    assert not (tmp_path / "out.png").exists()


def test_model_commands_write_no_tensorflow_lines_on_stderr(tmp_path, small_png):
    proc = _cli("classify", small_png, "--top", "2")
    assert proc.returncode == 0 and "espresso (967)" in proc.stdout
    assert proc.stderr == "", proc.stderr
    proc = _cli("run", small_png, "--target", "859", "--max-steps", "2", "--stop-at", "0.99",
                "--out", tmp_path / "adv.png")
    assert proc.returncode == 0 and (tmp_path / "adv.png").exists()
    lines = proc.stderr.replace("\r", "\n").splitlines()
    assert lines and all(line.startswith("\x1b[K[") for line in lines if line), lines  # the progress bar only
    assert "absl" not in proc.stderr and "oneDNN" not in proc.stderr and "I0000" not in proc.stderr


def test_tensorflow_notices_are_filtered_and_real_stderr_lines_kept(capfd):
    from attack.plumbing import quiet

    notices = ["WARNING: All log messages before absl::InitializeLog() is called are written to STDERR",
               "I0000 00:00:1795539479.690491   11117 port.cc:153] oneDNN custom operations are on.",
               "I0000 00:00:1795539479.897064   11117 cpu_feature_guard.cc:227] This TensorFlow binary …"]
    assert all(quiet.chatter(line) for line in notices)
    assert not quiet.chatter("error: No such file: x.png")
    with quiet.fd2_filtered():
        os.write(2, ("\n".join(notices) + "\nreal trouble: disk full\n").encode())
    assert capfd.readouterr().err == "real trouble: disk full\n"


def test_labels_finds_classes_by_chinese_name(capsys):
    assert main(["labels", "手风琴"]) == 0
    assert capsys.readouterr().out.split() == ["401", "accordion", "手风琴"]
    assert main(["labels", "accordion"]) == 0
    assert capsys.readouterr().out.split() == ["401", "accordion", "手风琴"]
    hits = run_json(capsys, "labels", "烤面包机", "--json")
    assert hits[0] == {"index": 859, "label": "toaster", "zh": "烤面包机"}


def test_labels_by_chinese_name_from_the_shell():
    proc = _cli("labels", "手风琴")
    assert proc.returncode == 0 and proc.stdout.split()[:2] == ["401", "accordion"] and proc.stderr == ""


def test_cli_method_choices_are_the_catalogues():
    from attack.catalogue import CATALOGUE
    from attack.cli.main import build_parser

    run = build_parser()._subparsers._group_actions[0].choices["run"]
    (method,) = [a for a in run._actions if a.dest == "method"]
    assert method.choices == list(CATALOGUE)


# --- the error policy: user errors exit 2 in one line, anything else is a bug and surfaces ----------
def test_an_output_file_that_cannot_be_written_exits_2_with_one_line(capsys, small_png, tmp_path):
    out = tmp_path / "no such folder" / "adv.png"
    assert main(["run", str(small_png), "--target", "859", "--max-steps", "1", "--quiet", "--out", str(out)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("error: Could not write") and str(out) in err[0]


def test_a_bug_is_not_reported_as_bad_input(monkeypatch, capsys):
    from attack.inputs import labels

    def broken(query, limit):
        raise ValueError("a bug, not the user's input")

    monkeypatch.setattr(labels, "search", broken)
    with pytest.raises(ValueError, match="a bug"):
        main(["labels", "toast"])
    assert "error:" not in capsys.readouterr().err


def test_cli_modules_import_no_private_names_and_nothing_imports_main():
    import ast

    for path in sorted((ROOT / "attack" / "cli").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                private = [a.name for a in node.names if a.name.startswith("_")]
                assert not private, f"{path.name} imports private {private} from {node.module}"
                if path.name != "main.py":
                    assert not (node.module or "").endswith("main") and "main" not in [a.name for a in node.names], \
                        f"{path.name} depends on attack.cli.main"


# --- outputs: never an input, never twice, never through a link (refused before any work) ----------
def _one_error_line(capsys) -> str:
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("error: "), err
    return err[0]


@pytest.mark.parametrize("spelling", ["same", "dotted", "symlink", "hardlink"])
def test_run_refuses_to_overwrite_its_input(capsys, tmp_path, small_png, spelling):
    image = tmp_path / "photo.png"
    image.write_bytes(small_png.read_bytes())
    out = {"same": image, "dotted": tmp_path / "." / ".." / tmp_path.name / "photo.png",
           "symlink": tmp_path / "link.png", "hardlink": tmp_path / "hard.png"}[spelling]
    if spelling == "symlink":
        out.symlink_to(image)
    elif spelling == "hardlink":
        os.link(image, out)
    assert main(["run", str(image), "--target", "859", "--max-steps", "1", "--quiet", "--out", str(out)]) == 2
    assert "is the input" in _one_error_line(capsys)
    assert image.read_bytes() == small_png.read_bytes()


def test_report_refuses_one_file_for_two_of_its_outputs(capsys, tmp_path, small_png):
    out = tmp_path / "report.png"
    assert main(["report", str(small_png), "--target", "859", "--max-steps", "1", "--quiet", "--out", str(out),
                 "--adversarial", str(tmp_path / "." / "report.png")]) == 2
    assert "same file" in _one_error_line(capsys) and not out.exists()


def test_tutorial_refuses_to_write_its_fix_over_the_input(capsys, tmp_path, small_png):
    image = tmp_path / "pig-fixed.png"  # --out pig.png puts the fix at pig-fixed.png: the input
    image.write_bytes(small_png.read_bytes())
    assert main(["tutorial", str(image), "--max-steps", "1", "--quiet", "--out", str(tmp_path / "pig.png")]) == 2
    assert "is the input" in _one_error_line(capsys)
    assert image.read_bytes() == small_png.read_bytes() and not (tmp_path / "pig.png").exists()


def test_run_refuses_an_output_that_is_a_link_or_a_folder(capsys, tmp_path, small_png):
    victim = tmp_path / "victim.png"
    (tmp_path / "adv.png").symlink_to(victim)
    assert main(["run", str(small_png), "--target", "859", "--max-steps", "1", "--quiet",
                 "--out", str(tmp_path / "adv.png")]) == 2
    assert "symbolic link" in _one_error_line(capsys) and not victim.exists()
    (tmp_path / "folder.png").mkdir()
    assert main(["run", str(small_png), "--target", "859", "--max-steps", "1", "--quiet",
                 "--out", str(tmp_path / "folder.png")]) == 2
    assert "is a folder" in _one_error_line(capsys)


@pytest.mark.parametrize("argv, fragment", [
    (["run", "{png}", "--target", "859", "--out", ""], "--out is empty"),
    (["report", "{png}", "--target", "859", "--out", "{tmp}/r.png", "--gif", ""], "--gif is empty"),
    (["tutorial", "{png}", "--out", ""], "--out is empty"),
    (["run", "{png}", "--target", "859", "--out", "{tmp}/no such folder/adv.png"], "does not exist"),
])
def test_an_output_that_cannot_be_written_is_refused_before_the_model_loads(capsys, monkeypatch, tmp_path,
                                                                             small_png, argv, fragment):
    from attack.cli import run as cli_run, tutorial as cli_tutorial

    def no_model(*args, **kwargs):
        raise AssertionError("the model was loaded: the output should have been refused first")

    monkeypatch.setattr(cli_run, "load_model", no_model)
    monkeypatch.setattr(cli_tutorial, "load_model", no_model)
    monkeypatch.chdir(tmp_path)  # "" would be the current folder
    assert main([a.format(png=small_png, tmp=tmp_path) for a in argv]) == 2
    assert fragment in _one_error_line(capsys)
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_an_output_file_replaces_a_link_planted_before_the_write(tmp_path):
    from attack.inputs.outputs import write_file

    victim, out = tmp_path / "victim.png", tmp_path / "adv.png"
    victim.write_bytes(b"precious")
    out.symlink_to(victim)  # as if planted after the checks
    write_file(out, b"new picture")
    assert victim.read_bytes() == b"precious"
    assert not out.is_symlink() and out.read_bytes() == b"new picture"
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


# --- numbers: finite and in range, or exit 2 naming the option -----------------------------------
RUN = ["run", "{png}", "--target", "859", "--out", "{out}", "--quiet"]


@pytest.mark.parametrize("argv, option", [
    (RUN + ["--eps", "inf"], "--eps"),
    (RUN + ["--eps", "nan"], "--eps"),
    (RUN + ["--eps", "-1"], "--eps"),
    (RUN + ["--eps", "1e308"], "--eps"),
    (RUN + ["--eps", "33"], "--eps"),
    (RUN + ["--eps", "0.25"], "--eps"),
    (RUN + ["--stop-at", "0"], "--stop-at"),
    (RUN + ["--stop-at", "1"], "--stop-at"),
    (RUN + ["--stop-at", "nan"], "--stop-at"),
    (RUN + ["--max-steps", "0"], "--max-steps"),
    (RUN + ["--max-steps", "5001"], "--max-steps"),
    (RUN + ["--max-steps", "1" + "0" * 30], "--max-steps"),
    (RUN + ["--step-size", "inf"], "--step-size"),
    (RUN + ["--step-size", "0"], "--step-size"),
    (RUN + ["--seed", "-1"], "--seed"),
    (RUN + ["--seed", "1" + "0" * 20], "--seed"),
    (RUN + ["--eot", "100000"], "--eot"),
    (["report", "{png}", "--target", "859", "--out", "{out}", "--eps", "inf"], "--eps"),
    (["batch", "{folder}", "--target", "859", "--out", "{outdir}", "--eps", "inf"], "--eps"),
    (["batch", "{folder}", "--target", "859", "--out", "{outdir}", "--workers", "0", "--ray"], "--workers"),
    (["sweep", "{png}", "--target", "859", "--max-steps", "-3"], "--max-steps"),
    (["check", "{png}", "--original", "{png}", "--stop-at", "inf"], "--stop-at"),
    (["check", "{png}", "--original", "{png}", "--seed", "-5"], "--seed"),
    (["classify", "{png}", "--top", "0"], "--top"),
    (["classify", "{png}", "--top", "100000"], "--top"),
    (["labels", "toast", "--limit", "0"], "--limit"),
    (["tutorial", "{png}", "--lr", "inf"], "--lr"),
    (["tutorial", "{png}", "--max-steps", "1000000"], "--max-steps"),
])
def test_numbers_out_of_range_exit_2_naming_the_option(capsys, tmp_path, small_png, argv, option):
    folder = tmp_path / "photos"
    folder.mkdir()
    argv = [a.format(png=small_png, out=tmp_path / "out.png", folder=folder, outdir=tmp_path / "out") for a in argv]
    assert main(argv) == 2
    line = _one_error_line(capsys)
    assert option in line and "out of range" in line
    assert capsys.readouterr().out == "" and not (tmp_path / "out.png").exists() and not (tmp_path / "out").exists()


# --- a user's mistake is one line and exit 2, never a traceback ------------------------------------
@pytest.mark.parametrize("argv, fragment", [
    (["labels", "²"], "0–9"),
    (["labels", "①"], "0–9"),
    (["run", "{png}", "--target", "²", "--out", "{out}"], "0–9"),
    (["check", "{png}", "--original", "{png}", "--target", "³"], "0–9"),
    (["tutorial", "{png}", "--target", "⑤"], "0–9"),
    (["classify", ""], "No such file:"),  # "" is not the current folder
    (["run", "{png}", "--target", "859", "--eps", "inf", "--json", "--out", "{out}"], "--eps"),
])
def test_odd_input_is_one_line_and_exit_2_not_a_traceback(tmp_path, small_png, argv, fragment):
    values = dict(png=small_png, out=tmp_path / "out.png", dir=tmp_path)
    proc = _cli(*[a.format(**values) for a in argv])
    assert proc.returncode == 2 and "Traceback" not in proc.stderr, proc.stderr[-2000:]
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and fragment.format(**values) in lines[0], lines
    assert proc.stdout == ""  # nothing half-printed, and no JSON with Infinity in it
