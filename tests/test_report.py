"""The report figure and the attack animation: real files, checked by decoding them."""
from __future__ import annotations

import io
import math
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageSequence

from attack.inputs import labels
from attack.running import metrics
from attack.datatypes import StepRecord
from attack.running.history import FRAME_BUDGET_BYTES, RunHistory
from attack.datatypes import Prediction
from attack.render.animation import LAST_HOLD_MS, render_gif, sample_steps
from attack.render.fonts import font
from attack.render.report import ReportLayout, render_report
from attack.render.text import percent
from attack.running.history import RunResult, Verification
from attack.running.runner import run_attack

TOASTER = 859
MAX_STEPS = 8


@pytest.fixture(scope="session")
def result(classifier, small_coffee) -> RunResult:
    """One real targeted run on the small espresso photo, reused by every test here."""
    # stop_at 0.999 so the run uses its whole (small) step budget: the GIF gets several frames.
    return run_attack(classifier, small_coffee, "pgd", epsilon=2.0, target=TOASTER, max_steps=MAX_STEPS,
                      stop_at=0.999)


@pytest.fixture(scope="session")
def untargeted(classifier, small_coffee) -> RunResult:
    return run_attack(classifier, small_coffee, "pgd", epsilon=2.0, target=None, max_steps=3, stop_at=0.9)


@pytest.fixture(scope="session")
def report_en(result) -> Image.Image:
    return Image.open(io.BytesIO(render_report(result))).convert("RGB")


def synthetic_result(original: np.ndarray, steps: int, epsilon: int = 2, seed: int = 0,
                     frame_budget: int = FRAME_BUDGET_BYTES) -> RunResult:
    """A RunResult of `steps` steps built from StepRecords directly: a δ that keeps changing like PGD's
    (30% of the values redrawn in ±ε each step), without running the model."""
    rng = np.random.default_rng(seed)
    delta = np.zeros(original.shape, np.int16)
    history = RunHistory(frame_budget=frame_budget)
    for step in range(steps + 1):
        if step:
            redraw = rng.random(original.shape) < 0.3
            delta = np.where(redraw, rng.integers(-epsilon, epsilon + 1, original.shape), delta).astype(np.int16)
        image = np.clip(original.astype(np.int16) + delta, 0, 255).astype(np.uint8)
        p = 1 / (1 + math.exp(-(step - steps / 2) / (steps / 10)))
        top5 = (Prediction(TOASTER, labels.label(TOASTER), p), Prediction(967, labels.label(967), 1 - p))
        history.add(StepRecord(step, math.log(p), p, 1 - p, top5, image, original, 0.1, 0.05 * step, p >= 0.9))
    verification = Verification(b"", history.last.top5, p, 1 - p, True)
    return RunResult("pgd", "efficientnet-lite0", float(epsilon), TOASTER, 0.9, history.first.top5[1], history,
                     verification, metrics.distances(original, history.last.image))


def frames_of(gif: bytes) -> list[np.ndarray]:
    with Image.open(io.BytesIO(gif)) as im:
        return [np.asarray(frame.convert("RGB")) for frame in ImageSequence.Iterator(im)]


def sample_picture(page: Image.Image, box: tuple[int, int, int, int], shape: tuple[int, ...]) -> np.ndarray:
    """Read the picture in `box` back at the source resolution, one sample at each source pixel's centre."""
    x, y, w, h = box
    rows = (y + (np.arange(shape[0]) + 0.5) * h / shape[0]).astype(int)
    cols = (x + (np.arange(shape[1]) + 0.5) * w / shape[1]).astype(int)
    return np.asarray(page)[rows][:, cols]


# ------------------------------------------------------------------ report
def test_report_is_a_wide_print_ready_png(result):
    png = render_report(result)
    with Image.open(io.BytesIO(png)) as im:
        assert im.format == "PNG"
        assert im.width >= 1600
        assert im.info["dpi"] == pytest.approx((200, 200), abs=0.1)
        assert np.asarray(im.convert("L")).std() > 20  # not a blank page


def test_report_panels_show_original_perturbation_and_adversarial(result, report_en):
    final = result.final
    layout = ReportLayout.of(final.image.shape)
    shown = [sample_picture(report_en, box, final.image.shape) for box in layout.pictures]
    amplified, _ = metrics.amplify(final.original, final.image)
    # NEAREST upscaling keeps every pixel exact, so each panel is its image, value for value.
    for picture, expected in zip(shown, (result.history.first.image, amplified, final.image)):
        assert np.mean(picture == expected) > 0.99
    assert not np.array_equal(shown[0], shown[2])  # the adversarial panel is not the original again
    assert np.mean(shown[2] == result.history.first.image) < 0.9
    assert np.abs(shown[1].astype(int) - shown[0]).mean() > 20


def test_report_fits_any_width_and_stays_sharp(result):
    with Image.open(io.BytesIO(render_report(result, width=2400))) as im:
        assert im.width == 2400
        layout = ReportLayout.of(result.final.image.shape, 2400)
        assert im.height == layout.height
        picture = sample_picture(im.convert("RGB"), layout.pictures[2], result.final.image.shape)
        assert np.mean(picture == result.final.image) > 0.99


def test_chinese_report_renders_with_a_cjk_font(result, report_en):
    png = render_report(result, lang="zh")
    with Image.open(io.BytesIO(png)) as im:
        zh = np.asarray(im.convert("RGB"))
    assert zh.shape[1] >= 1600 and zh.std() > 20
    header = slice(0, ReportLayout.of(result.final.image.shape).header_h)
    assert not np.array_equal(zh[header], np.asarray(report_en)[header])  # the words did change
    name = font(24, lang="zh").getname()[0] or ""
    if "CJK" not in name and "Hei" not in name:
        pytest.skip(f"no CJK font on this system (got {name!r}); the report fell back without crashing")


def test_untargeted_report_renders(untargeted):
    with Image.open(io.BytesIO(render_report(untargeted))) as im:
        assert im.width >= 1600 and np.asarray(im.convert("L")).std() > 20


def test_percent_keeps_small_probabilities_apart():
    assert [percent(p) for p in (0.97, 0.5, 0.032, 0.0004, math.nan)] == ["97%", "50%", "3.2%", "<0.1%", "–"]
    assert [percent(p) for p in (0.9971, 0.99996, 1.0)] == ["99.7%", ">99.9%", "100%"]


# ------------------------------------------------------------------ animation
def test_gif_has_one_frame_per_kept_step(result):
    gif = render_gif(result)
    with Image.open(io.BytesIO(gif)) as im:
        assert im.format == "GIF" and im.is_animated
        # Our definition: one frame per kept step (every step of a short run), at most max_frames.
        assert im.n_frames == min(len(result.history.frames), 100) == result.kept_step + 1
        im.seek(im.n_frames - 1)
        assert im.info["duration"] == LAST_HOLD_MS  # the result is held on screen
    frames = frames_of(gif)
    assert not np.array_equal(frames[0], frames[-1])
    assert all(frame.std() > 20 for frame in frames)


def test_gif_respects_max_frames(result):
    with Image.open(io.BytesIO(render_gif(result, max_frames=4, frame_ms=80, lang="zh"))) as im:
        assert im.n_frames == 4
        assert im.info["duration"] >= 80


def test_sample_steps_keeps_first_and_last_evenly():
    kept = list(range(0, 240))
    chosen = sample_steps(kept, 100)
    assert len(chosen) == 100 == len(set(chosen))
    assert chosen[0] == 0 and chosen[-1] == 239
    gaps = np.diff(chosen)
    assert gaps.min() >= 2 and gaps.max() <= 3
    assert sample_steps([0, 1, 2], 100) == [0, 1, 2]
    with pytest.raises(ValueError):
        sample_steps(kept, 1)


def test_gif_of_a_100_step_run_stays_under_10_mb(coffee):
    # The GIF's worst case: a history holding more than its 100 frames (a smaller photo's, within the run's budget).
    run = synthetic_result(coffee, steps=100, frame_budget=2**30)
    gif = render_gif(run)
    assert len(gif) < 10 * 1024 * 1024
    frames = frames_of(gif)
    assert len(frames) == 100  # 101 kept steps, sampled down to max_frames
    assert frames[0].shape[1] == 900
    assert not np.array_equal(frames[0], frames[-1])
    assert frames[len(frames) // 2].std() > 20


def test_gif_of_a_run_thinned_to_its_frame_budget_shows_the_frames_kept(coffee):
    run = synthetic_result(coffee, steps=150)  # 151 steps of the coffee photo: more than the budget holds
    kept = sorted(run.history.frames)
    assert 3 <= len(kept) < 151 and kept[0] == 0 and kept[-1] == 150
    frames = frames_of(render_gif(run))
    assert len(frames) == len(kept) and not np.array_equal(frames[0], frames[-1])


def test_fonts_are_found_without_fontconfig_and_never_crash(monkeypatch, result):
    import attack.render.fonts as fonts

    def clear():
        fonts._font_file.cache_clear()
        fonts.font.cache_clear()

    monkeypatch.setattr(fonts, "_fc_match", lambda family, bold: None)  # no fc-match (Windows, macOS)
    clear()
    try:
        if any(p.is_file() for p in Path("/usr/share/fonts").rglob("DejaVuSans.ttf")):
            assert fonts.font(20).getname()[0] == "DejaVu Sans"  # found by walking the font folders
        monkeypatch.setattr(fonts, "_FONT_DIRS", ())  # and no fonts at all: Pillow's own font
        clear()
        with Image.open(io.BytesIO(render_report(result, lang="zh"))) as im:
            assert im.width >= 1600 and np.asarray(im.convert("L")).std() > 20
    finally:
        clear()
