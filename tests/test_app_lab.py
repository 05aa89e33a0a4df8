"""The attack lab driven through Streamlit's AppTest (its units: test_lab_units.py; its threading race: test_lab_race.py)."""
from __future__ import annotations

import json

import pytest
from conftest import APP_TIMEOUT as TIMEOUT, ASSETS, lab, lab_checks, no_exception, texts

from attack.catalogue import DEFAULT_METHOD

pytestmark = pytest.mark.slow


# --- AppTest: the page -------------------------------------------------------------------------
def test_pick_sample_and_attack_shows_success_metrics_and_downloads():
    at = lab()
    no_exception(at)
    at.button(key="lab.sample.chelsea").click().run()
    assert at.session_state["lab.source"] == "sample:chelsea"
    assert "Egyptian" in texts(at.markdown)  # the model's verdict on the chosen image, before any attack
    at.number_input(key="ctl.max_steps").set_value(40).run()
    at.button(key="lab-attack").click().run()
    no_exception(at)
    banner = texts(at.success)
    assert "Fooled" in banner and "toaster" in banner, texts(at.warning)
    metrics = {m.label: m.value for m in at.metric}
    assert {"L∞", "L2", "L0", "PSNR", "SSIM", "Steps", "Time"} <= set(metrics)
    assert float(metrics["L∞"]) <= 2
    downloads = at.get("download_button")
    assert len(downloads) == 5  # PNG, perturbation, JSON, report figure, animation
    run = at.session_state["lab.run"]
    # The robustness checks ran on the verified result: one row per transformation, PNG always survives.
    checks, transfer = lab_checks(at, run)
    assert checks.total >= 10 and checks.results[0].passed
    assert {r.model for r in transfer} >= {"efficientnet-lite1", "efficientnet-lite2"}
    assert "Does it survive" in texts(at.subheader)
    # Each row says what it measures: the target still the top answer, next to its probability.
    summary = next(p.proto.text for p in at.get("progress") if "changes" in p.proto.text)
    assert summary == f"Still read as toaster after {checks.passed} of 12 changes"
    table = at.dataframe[0].value
    assert list(table["ok"]).count("✓ yes") == checks.passed and set(table["ok"]) <= {"✓ yes", "✗ no"}
    assert all(("toaster (" in top) == (ok == "✓ yes") for top, ok in zip(table["top1"], table["ok"]))
    assert run.status == "done" and run.result.success and run.redraws >= 1
    assert run.image_key == "sample:chelsea"
    # The replay slider walks the recorded steps without rerunning the attack.
    replay = at.select_slider(key=f"lab.replay.{run.id}")
    replay.set_value(replay.options[0] if isinstance(replay.options[0], int) else 0).run()
    no_exception(at)
    assert at.session_state["lab.run"] is run


def test_a_new_run_drops_the_checks_of_the_run_it_replaces():
    """Session state holds the checks of the result on screen only, not one entry per run ever made."""
    at = lab(sample="chelsea", steps="40")
    at.button(key="lab-attack").click().run()
    no_exception(at)
    first = at.session_state["lab.run"]
    assert first.result.success and lab_checks(at, first)
    at.button(key="lab-attack").click().run()
    no_exception(at)
    second = at.session_state["lab.run"]
    assert second is not first and second.result.success
    assert lab_checks(at, second)
    assert f"lab.checks.{first.id}" not in at.session_state and f"lab.checks.{first.id}.job" not in at.session_state


def test_corrupt_upload_shows_the_engine_sentence_and_the_lab_stays_usable():
    at = lab()
    at.file_uploader(key="lab.uploader").upload("broken.png", b"\x89PNG\r\n\x1a\n" + b"garbage" * 20,
                                                "image/png")
    at.run()
    no_exception(at)
    assert at.error, "a corrupt upload must show an error"
    assert "broken.png" in texts(at.error)
    assert at.button(key="lab-attack") is not None  # still usable: the previous sample stays chosen


def test_good_upload_is_used_without_touching_disk(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    at = lab()
    at.file_uploader(key="lab.uploader").upload("chelsea.png", (ASSETS / "chelsea.png").read_bytes(), "image/png")
    at.run()
    no_exception(at)
    assert not at.error
    assert at.session_state["lab.source"] == "upload"
    assert "Egyptian" in texts(at.markdown)
    assert list(tmp_path.iterdir()) == []


def test_switching_method_and_target_adapts_the_controls():
    at = lab()
    at.selectbox(key="ctl.method").set_value("deepfool").run()
    no_exception(at)
    assert at.selectbox(key="ctl.target").disabled
    assert "untargeted only" in texts(at.info)
    at.selectbox(key="ctl.method").set_value("gradient-ascent").run()
    at.selectbox(key="ctl.target").set_value(None).run()
    no_exception(at)
    assert "needs a target" in texts(at.warning)
    assert 1e6 in at.select_slider(key="ctl.step.learning-rate").options or \
        "1e+06" in at.select_slider(key="ctl.step.learning-rate").options
    at.selectbox(key="ctl.target").set_value(963).run()  # pizza
    no_exception(at)
    assert "pizza" in texts(at.markdown)
    assert at.query_params["target"] == "963" and at.query_params["method"] == "gradient-ascent"


def test_tutorial_preset_fills_the_controls():
    """The Tutorial preset opens tutorial mode, which draws only model and target: the free lab's settings
    it filled are kept (not drawn, not dropped) for when the visitor goes back."""
    at = lab()
    at.button(key="lab.preset.tutorial").click().run()
    no_exception(at)
    assert at.session_state["lab.mode"] == "tutorial"
    assert not [s for s in at.selectbox if s.key == "ctl.method"]  # the lab's method is not shown
    at.run()  # a second run without the widgets: Streamlit would drop their state here
    assert at.session_state["ctl.method"] == "gradient-ascent"
    assert at.session_state["ctl.epsilon"] == pytest.approx(1.275)
    assert at.session_state["ctl.stop_at"] == pytest.approx(0.60)
    assert at.session_state["ctl.step.learning-rate"] >= 100


def test_fast_preset_fills_the_controls():
    at = lab()
    at.button(key="lab.preset.fast").click().run()
    no_exception(at)
    assert at.selectbox(key="ctl.method").value == "pgd"
    assert at.select_slider(key="ctl.epsilon").value == 2.0


def test_share_link_round_trip():
    query = {"sample": "chelsea", "model": "efficientnet-lite0", "method": "mi-fgsm", "target": "963",
             "eps": "4", "step": "0.5", "steps": "77", "stop": "0.8", "seed": "5", "lang": "en"}
    at = lab(**query)
    no_exception(at)
    assert at.selectbox(key="ctl.method").value == "mi-fgsm"
    assert at.selectbox(key="ctl.target").value == 963
    assert at.select_slider(key="ctl.epsilon").value == 4.0
    assert at.select_slider(key="ctl.step.levels").value == 0.5
    assert at.number_input(key="ctl.max_steps").value == 77
    assert at.slider(key="ctl.stop_at").value == pytest.approx(0.8)
    assert at.number_input(key="ctl.seed").value == 5
    for name, value in query.items():
        assert at.query_params[name] == value, name
    link = texts(at.code)
    assert "sample=chelsea" in link and "method=mi-fgsm" in link and "target=963" in link
    # A second browser opening that link gets the same settings back.
    again = lab(**{k: v for k, v in at.query_params.items()})
    assert again.selectbox(key="ctl.method").value == "mi-fgsm"
    assert again.number_input(key="ctl.seed").value == 5
    # Changing a control updates the URL.
    again.slider(key="ctl.stop_at").set_value(0.95).run()
    assert again.query_params["stop"] == "0.95"


def test_bad_link_values_are_ignored_with_a_warning():
    at = lab(method="nonsense", eps="lots", target="no-such-class-xyz")
    no_exception(at)
    assert at.selectbox(key="ctl.method").value == DEFAULT_METHOD
    warning = texts(at.warning)
    assert "method" in warning and "eps" in warning and "target" in warning


def test_presenter_mode_renders_big_with_fixed_seed():
    at = lab(present="1")
    no_exception(at)
    assert at.toggle(key="lab.present").value is True
    assert "seed fixed" in texts(at.caption)
    assert not [n for n in at.number_input if n.key == "ctl.seed"]
    assert at.button(key="lab-attack") is not None
    assert "font-size: 21px" in texts(at.get("html"))
    at.toggle(key="lab.present").set_value(False).run()
    assert "present" not in at.query_params


def test_chinese_page_has_no_english_leftovers_in_controls():
    at = lab(lang="zh")
    no_exception(at)
    assert at.selectbox(key="ctl.method").label == "攻击方法"
    assert at.button(key="lab-attack").label == "攻击"


def test_silly_combinations_never_raise():
    at = lab()
    at.select_slider(key="ctl.epsilon").set_value(0.5).run()
    at.slider(key="ctl.stop_at").set_value(0.99).run()
    at.number_input(key="ctl.max_steps").set_value(1).run()
    assert "8-bit" in texts(at.warning)
    at.button(key="lab-attack").click().run()
    no_exception(at)
    # A run whose ε box is empty on the 8-bit grid is refused before it takes the worker's time.
    assert "below one pixel level" in texts(at.warning)
    assert "lab.run" not in at.session_state
    at.select_slider(key="ctl.epsilon").set_value(1.0).run()
    at.selectbox(key="ctl.method").set_value("deepfool").run()
    at.button(key="lab-attack").click().run()
    no_exception(at)
    assert at.session_state["lab.run"].settings.target is None


def test_run_json_carries_settings_steps_and_timing():
    at = lab()
    at.number_input(key="ctl.max_steps").set_value(3).run()
    at.button(key="lab-attack").click().run()
    from app.lab.files import run_json

    run = at.session_state["lab.run"]
    data = json.loads(json.dumps(run_json(run)))  # strict JSON: no NaN
    assert data["settings"]["method"] == DEFAULT_METHOD
    assert data["per_step"]["step"] == list(range(len(run.history)))
    assert data["app"]["redraws"] == run.redraws
    assert data["steps"] == run.result.kept_step


def test_square_and_jsma_explain_themselves_and_square_counts_queries():
    at = lab(sample="chelsea", method="jsma", step="16", lang="en")
    no_exception(at)
    assert at.selectbox(key="ctl.method").value == "jsma"
    assert at.select_slider(key="ctl.epsilon").disabled  # ε does not apply to an L0 attack
    assert "does not apply to JSMA" in texts(at.caption)
    assert at.select_slider(key="ctl.step.pairs").value == 16 and at.query_params["step"] == "16"
    at.selectbox(key="ctl.method").set_value("square").run()
    no_exception(at)
    assert not at.select_slider(key="ctl.epsilon").disabled
    assert "never looks inside the model" in texts(at.info)
    at.number_input(key="ctl.max_steps").set_value(9).run()
    at.button(key="lab-attack").click().run()
    no_exception(at)
    run = at.session_state["lab.run"]
    assert run.result.final.queries == 9 == run.result.kept_step  # the budget counts queries
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Queries"] == "9" and "Steps" not in metrics
    assert "up to 9 queries" in texts(at.caption)
    zh = lab(sample="chelsea", method="square", lang="zh")
    assert "从不查看模型内部" in texts(zh.info)
# --- honest messages, in both languages --------------------------------------------------------
# AppTest cannot rerun the Chinese lab page after a click (it formats the translated model box with
# str() and fails to find the value), so the Chinese texts are checked by small scripts that render
# the same functions the page uses; the English ones end to end.
def _png(size) -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, (120, 80, 40)).save(buffer, format="PNG")
    return buffer.getvalue()


def test_a_near_miss_says_the_target_is_on_top_but_below_the_stop_level():
    # ε = 1 makes the cat a toaster (top answer, ~60 %) in 30 steps, far from the 99 % asked for. The step
    # kept is the best one, not always the last (PGD's target probability wobbles), and the text says which.
    at = lab(sample="chelsea", method="pgd", eps="1", target="859", stop="0.99", steps="30")
    at.button(key="lab-attack").click().run()
    no_exception(at)
    run = at.session_state["lab.run"]
    assert not run.result.success and run.result.verification.top5[0].index == 859
    warning = texts(at.warning)
    assert run.result.last_step == 30 and 25 <= run.result.kept_step <= 30
    assert f"Almost: after {run.result.kept_step} steps the saved PNG is read as **toaster**, but only at" in warning
    assert "below the 99% you asked for" in warning and "Or lower “Stop at confidence”." in warning
    assert "Not fooled yet" not in warning and "still read as" not in warning
    # A failed attack gets no survival checks ("survives 0 of 12" would only confuse).
    assert "No survival checks" in texts(at.info)
    assert not at.dataframe and f"lab.checks.{run.id}" not in at.session_state


def _failure_script():
    from types import SimpleNamespace as NS

    import streamlit as st

    from attack.settings import AttackSettings as LabSettings
    from app.i18n import language_picker
    from app.lab.result import failure_text
    from attack.datatypes import Prediction

    language_picker()
    settings = LabSettings(method="pgd", target=859, epsilon=1.0, max_steps=30, stop_at=0.99)

    def result(top, steps):
        return NS(verification=NS(top5=(Prediction(top, "", 0.6),), original_probability=0.1),
                  original=Prediction(285, "", 0.8), kept_step=steps, last_step=steps, final=NS(queries=None))

    st.markdown(failure_text(result(859, 30), settings))  # the target on top, below the stop level
    st.markdown(failure_text(result(285, 1), settings))  # still the original class, after one step
    st.markdown(failure_text(result(281, 30), LabSettings(target=None, stop_at=0.95)))  # untargeted near miss


@pytest.mark.parametrize("lang, expected", [
    ("en", ["Almost: after 30 steps the saved PNG is read as **toaster**, but only at 60.0% — below the 99% you asked",
            "Not fooled yet: after 1 step the saved PNG is still read as **Egyptian Mau** (60.0%).",
            "Almost: after 30 steps the saved PNG is read as **tabby cat**, but the model still gives **Egyptian Mau** "
            "10.0% — more than the 5% you allowed."]),
    ("zh", ["差一点：30 步之后，保存的 PNG 已被识别为 **烤面包机**，但只有 60.0%，低于你要求的 99%。",
            "还没骗过：1 步之后，保存的 PNG 仍被识别为 **埃及猫**（60.0%）。",
            "差一点：30 步之后，保存的 PNG 已被识别为 **虎斑猫**，但模型仍给 **埃及猫** 10.0%，高于你允许的 5%。"]),
])
def test_failure_banners_in_both_languages(lang, expected):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_function(_failure_script, default_timeout=TIMEOUT)
    at.query_params["lang"] = lang
    at.run()
    no_exception(at)
    shown = [m.value for m in at.markdown]
    for text, want in zip(shown, expected):
        assert text.startswith(want), (text, want)
    assert "1 steps" not in " ".join(shown)
    if lang == "zh":
        assert not any("。 " in text for text in shown)  # Chinese sentences run on without spaces


def test_one_step_reads_as_one_step():
    at = lab(sample="chelsea", method="pgd", eps="1", target="859", steps="1")
    assert "up to 1 step ·" in texts(at.caption)
    at.button(key="lab-attack").click().run()
    no_exception(at)
    assert "Not fooled yet: after 1 step the saved PNG" in texts(at.warning), texts(at.warning)
    assert "1 steps" not in texts(at.warning) + texts(at.caption)


def test_one_step_in_chinese_settings_line():
    at = lab(lang="zh", steps="1")
    no_exception(at)
    assert "最多 1 步" in texts(at.caption)


@pytest.mark.parametrize("size, expected", [
    ((1, 1), "At 1 × 1 px the image is too small to be meaningful"),
    ((4000, 10), "At 1024 × 3 px the image is too small to be meaningful"),
    ((900, 60), "At 900 × 60 px the image is too thin to be meaningful"),
])
def test_tiny_or_thin_uploads_are_flagged(size, expected):
    at = lab()
    at.file_uploader(key="lab.uploader").upload("odd.png", _png(size), "image/png")
    at.run()
    no_exception(at)
    assert at.session_state["lab.source"] == "upload"  # accepted, not refused
    assert expected in texts(at.warning), texts(at.warning)
    assert at.button(key="lab-attack") is not None


def _upload_script():
    from app.i18n import language_picker
    from app.lab.inputs import choose_image

    language_picker()
    choose_image(False)


@pytest.mark.parametrize("size, expected", [((1, 1), "这张图片只有 1 × 1 像素，太小了"),
                                            ((900, 60), "这张图片是 900 × 60 像素，太细长了")])
def test_tiny_or_thin_uploads_are_flagged_in_chinese(size, expected):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_function(_upload_script, default_timeout=TIMEOUT)
    at.query_params["lang"] = "zh"
    at.run()
    at.file_uploader(key="lab.uploader").upload("odd.png", _png(size), "image/png")
    at.run()
    no_exception(at)
    assert expected in texts(at.warning), texts(at.warning)
    assert not at.info  # the size sentence is a warning, not a side note


@pytest.mark.parametrize("lang, expected", [("en", "not understood or out of range and were ignored"),
                                            ("zh", "无法识别或超出范围，已忽略")])
def test_out_of_range_link_values_are_listed_not_clamped_silently(lang, expected):
    at = lab(lang=lang, steps="-5", stop="1.5", eps="lots")
    no_exception(at)
    warning = texts(at.warning)
    assert expected in warning and "steps=-5 (1–5000)" in warning and "stop=1.5 (0.6–0.99)" in warning
    assert "eps" in warning
    assert at.number_input(key="ctl.max_steps").value == 200  # the default, not a silent 1


def _checks_script():
    from app.checks_panel import render_checks, render_skipped
    from app.i18n import language_picker
    from attack.datatypes import Prediction
    from attack.experiments.robustness import ChecksReport, CheckResult

    language_picker()
    rows = (CheckResult("Saved as PNG", "png", "transform", True, 0.91, 0.01, Prediction(859, "toaster", 0.91)),
            CheckResult("JPEG quality 75", "jpeg75", "transform", True, 0.20, 0.15, Prediction(859, "toaster", 0.20)),
            CheckResult("Rotated 3°", "rotate", "transform", False, 0.01, 0.49, Prediction(285, "Egyptian cat", 0.49)))
    render_checks(ChecksReport("efficientnet-lite0", 859, 285, None, rows))
    render_checks(ChecksReport("efficientnet-lite0", None, 285, None, rows[2:]))
    render_skipped()


@pytest.mark.parametrize("lang, summaries, yes, no, skipped", [
    ("en", ["Still read as toaster after 2 of 3 changes", "No longer read as Egyptian Mau after 0 of 1 change"],
     "✓ yes", "✗ no", "No survival checks: the attack did not fool the model"),
    ("zh", ["3 种处理中，有 2 种处理后仍被认成烤面包机", "1 种处理中，有 0 种处理后仍不再被认成埃及猫"],
     "✓ 是", "✗ 否", "不做存活检验：这次攻击没有骗过模型"),
])
def test_checks_say_what_they_measure(lang, summaries, yes, no, skipped):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_function(_checks_script, default_timeout=TIMEOUT)
    at.query_params["lang"] = lang
    at.run()
    no_exception(at)
    assert [p.proto.text for p in at.get("progress")] == summaries
    table = at.dataframe[0].value
    # A row at 20 % is "yes" only because the target is still the top answer, and the table shows that answer.
    assert list(table["ok"]) == [yes, yes, no]
    assert list(table["top1"])[1].endswith("(20%)")
    assert "target" not in at.dataframe[1].value.columns  # untargeted: no target column
    assert skipped in texts(at.info)
