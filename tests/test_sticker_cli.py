"""`python -m attack sticker …` and `universal …`: files written as documented, bad input exits 2 in one line."""
from __future__ import annotations

import json

import numpy as np
import pytest
from PIL import Image

from attack.inputs import images
from attack.cli.main import main
from attack.physical.sticker import sticker_side
from attack.physical.universal import SIDE, encode_noise
from conftest import ASSETS
from test_cli import _cli


@pytest.fixture(scope="module")
def files(tmp_path_factory, small_coffee):
    """A photo, a square sticker, a non-square one, a noise at ε 6, and a folder of three photos."""
    folder = tmp_path_factory.mktemp("sticker")
    Image.fromarray(small_coffee).save(folder / "coffee.png")
    Image.new("RGB", (30, 30), (250, 10, 10)).save(folder / "sticker.png")
    Image.new("RGB", (30, 20), (250, 10, 10)).save(folder / "wide.png")
    noise = np.random.default_rng(0).integers(-6, 7, (SIDE, SIDE, 3)).astype(np.int16)
    (folder / "noise.png").write_bytes(encode_noise(noise))
    (folder / "notes.txt").write_text("hello")
    photos = folder / "photos"
    photos.mkdir()
    for name in ("astronaut.png", "chelsea.png", "rocket.jpg"):
        with Image.open(ASSETS / name) as im:
            im.convert("RGB").resize((160, 120)).save(photos / (name.split(".")[0] + ".png"))
    return folder


def test_sticker_apply_keeps_the_area_and_the_position(capsys, files, tmp_path):
    out = tmp_path / "out.png"
    assert main(["sticker", "apply", str(files / "coffee.png"), "--sticker", str(files / "sticker.png"),
                 "--out", str(out), "--area", "0.2", "--at", "0.3,0.4", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["at"] == [0.3, 0.4]
    saved = images.load_image(out).pixels
    red = np.all(saved == (250, 10, 10), axis=2)
    rows, cols = np.nonzero(red)
    side = sticker_side(150, 100, 0.2)
    assert red.sum() == side * side and np.ptp(cols) + 1 == side
    assert abs(cols.mean() - 0.3 * 150) <= 1 and abs(rows.mean() - 0.4 * 100) <= 1


def test_universal_apply_stays_within_eps_on_the_saved_png(capsys, files, tmp_path):
    out = tmp_path / "out.png"
    assert main(["universal", "apply", str(files / "coffee.png"), "--noise", str(files / "noise.png"),
                 "--out", str(out), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    saved = images.load_image(out).pixels.astype(int)
    original = images.load_image(files / "coffee.png").pixels.astype(int)
    assert report["eps"] == 6 and report["linf"] == np.abs(saved - original).max() <= 6
    assert np.abs(saved - original).mean() > 1  # the noise is really there


def test_the_sheet_is_a4_at_300_dpi_as_png_and_pdf(capsys, files, tmp_path):
    png, pdf = tmp_path / "sheet.png", tmp_path / "sheet.pdf"
    assert main(["sticker", "sheet", "--sticker", str(files / "sticker.png"), "--out", str(png),
                 "--pdf", str(pdf)]) == 0
    with Image.open(png) as sheet:
        assert sheet.size == (2480, 3508) and round(sheet.info["dpi"][0]) == 300
        red = np.all(np.asarray(sheet.convert("RGB")) == (250, 10, 10), axis=2)
    side_8cm = round(8 / 2.54 * 300)
    assert red.sum() > side_8cm ** 2  # the stickers are printed at their sizes
    assert pdf.read_bytes().startswith(b"%PDF")


@pytest.mark.parametrize("argv,fragment", [
    (["sticker", "apply", "{photo}", "--sticker", "missing.png", "--out", "{out}"], "No such file"),
    (["sticker", "apply", "missing.jpg", "--sticker", "{sticker}", "--out", "{out}"], "No such file"),
    (["sticker", "apply", "{photo}", "--sticker", "{wide}", "--out", "{out}"], "must be square"),
    (["sticker", "apply", "{photo}", "--sticker", "{text}", "--out", "{out}"], "not an image"),
    (["sticker", "apply", "{photo}", "--sticker", "{sticker}", "--out", "{out}", "--area", "0.6"], "at most 50%"),
    (["sticker", "apply", "{photo}", "--sticker", "{sticker}", "--out", "{out}", "--area", "0"], "more than 0"),
    (["sticker", "apply", "{photo}", "--sticker", "{sticker}", "--out", "{out}", "--at", "2,0.5"], "X,Y"),
    (["sticker", "eval", "{dir}", "--sticker", "{sticker}", "--area", "-1"], "more than 0"),
    (["sticker", "eval", "{dir}", "--sticker", "{wide}"], "must be square"),
    (["sticker", "train", "{dir}", "--out", "{out}", "--area", "0.9"], "at most 50%"),
    (["sticker", "train", "missing-folder", "--out", "{out}"], "No such folder"),
    (["sticker", "train", "{dir}", "--out", "{out}", "--target", "toastr"], "toaster"),
    (["sticker", "train", "{dir}", "--out", "{out}", "--init", "{wide}"], "must be square"),
    (["sticker", "train", "{dir}", "--out", "{out}", "--init", "missing.png"], "No such file"),
    (["sticker", "sheet", "--sticker", "{wide}", "--out", "{out}"], "must be square"),
    (["universal", "train", "{dir}", "--out", "{out}", "--eps", "17"], "from 1 to 16"),
    (["universal", "train", "{dir}", "--out", "{out}", "--eps", "0"], "--eps"),
    (["universal", "train", "{dir}", "--out", "{out}", "--eps", "2.5"], "invalid int"),
    (["universal", "train", "{dir}", "--out", "{out}", "--validate", "3"], "leaves no photos"),
    (["universal", "apply", "{photo}", "--noise", "missing.png", "--out", "{out}"], "No such file"),
    (["universal", "apply", "{photo}", "--noise", "{sticker}", "--out", "{out}"], "224 × 224"),
    (["universal", "eval", "{dir}", "--noise", "{photo}"], "224 × 224"),
])
def test_bad_input_exits_2_with_one_line(capsys, files, tmp_path, argv, fragment):
    names = dict(photo=files / "coffee.png", sticker=files / "sticker.png", wide=files / "wide.png",
                 text=files / "notes.txt", dir=files / "photos", out=tmp_path / "out.png")
    try:
        code = main([a.format(**names) for a in argv])
    except SystemExit as stop:  # argparse's own refusals (a value of the wrong type) exit from the parser
        code = stop.code
    assert code == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("error:") and fragment in err[0], err
    assert not (tmp_path / "out.png").exists()


def test_bad_input_is_refused_before_tensorflow_is_imported(files, tmp_path):
    proc = _cli("sticker", "train", files / "photos", "--out", tmp_path / "s.png", "--area", "0.7",
                python_flags=("-X", "importtime"))
    imported = [line.rsplit("|", 1)[-1].strip() for line in proc.stderr.splitlines() if line.startswith("import time:")]
    assert proc.returncode == 2 and "attack.cli" in imported
    assert not [m for m in imported if m.split(".")[0] in ("tensorflow", "keras")]


def test_train_and_eval_write_what_they_report(capsys, files, tmp_path):
    """Two steps on three photos (one set aside): the files and the JSON, not the quality."""
    sticker, noise = tmp_path / "s.png", tmp_path / "n.png"
    assert main(["sticker", "train", str(files / "photos"), "--out", str(sticker), "--steps", "2", "--validate", "1",
                 "--eval-every", "1", "--batch", "2", "--size", "32", "--json", "--quiet"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["steps"] == 2 and report["photos"] == 2 and report["validation"] == 1
    assert report["validation_success"] in (0.0, 1.0) and report["target"]["index"] == 859
    assert Image.open(sticker).size == (32, 32)
    assert main(["universal", "train", str(files / "photos"), "--out", str(noise), "--steps", "2", "--eps", "4",
                 "--batch", "2", "--json", "--quiet"]) == 0
    assert json.loads(capsys.readouterr().out)["validation_fooling_rate"] is None
    assert main(["sticker", "eval", str(files / "photos"), "--sticker", str(sticker), "--json", "--quiet"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert len(result["photos"]) == 3 and result["success_rate"] == np.mean([p["success"] for p in result["photos"]])
    assert main(["universal", "eval", str(files / "photos"), "--noise", str(noise), "--json", "--quiet"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["eps"] <= 4 and len(result["photos"]) == 3
