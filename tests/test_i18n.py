"""English / 简体中文: every message in both languages, placeholders that match, Chinese that is
Chinese, t() filling values, and the engine's errors coming out in Chinese — by their codes, never by
matching their English text."""
from __future__ import annotations

import importlib
import io
import pathlib
import pickle
import pkgutil
import re

import numpy as np
import pytest
from PIL import Image
from streamlit.testing.v1 import AppTest

import messages
from app.i18n import class_name, engine_text, error_text, model_title
from messages import LANGUAGES, catalogue, catalogue_problems, placeholders
from attack.inputs import labels
from attack.plumbing.errors import UserError
from attack.inputs.images import ImageError, load_image
from attack.plumbing.phrases import Phrase

MODULES = sorted(info.name for info in pkgutil.iter_modules(messages.__path__))
SCRIPT_TIMEOUT = 60  # these small scripts take ~1 s, but a loaded 2-core machine can stretch AppTest's default 3 s


def _has_cjk(text: str) -> bool:
    """Chinese characters or Chinese (full-width) punctuation, as in "{file}（{label}）"."""
    return any("\u3400" <= ch <= "\u9fff" or "\u3000" <= ch <= "\u303f" or "\uff00" <= ch <= "\uffef"
               for ch in text)


# --- the catalogue ----------------------------------------------------------------------------

@pytest.mark.parametrize("module", MODULES)
def test_every_message_has_english_and_chinese(module):
    messages = importlib.import_module(f"messages.{module}").MESSAGES
    assert messages, f"messages/{module}.py declares no messages"
    assert catalogue_problems(messages) == []


def test_modules_are_all_found_and_keys_are_unique():
    assert {"common", "errors", "principles"} <= set(MODULES)
    merged = catalogue()
    assert sum(len(importlib.import_module(f"messages.{m}").MESSAGES) for m in MODULES) == len(merged)


def test_placeholders_match_between_languages():
    for key, texts in catalogue().items():
        assert placeholders(texts["en"]) == placeholders(texts["zh"]), key


def test_checker_reports_a_missing_chinese_text():
    fake = {"ok": {"en": "Hello", "zh": "你好"}, "half": {"en": "Only English"}}
    problems = catalogue_problems(fake)
    assert len(problems) == 1 and problems[0].startswith("half:") and "简体中文" in problems[0]


def test_checker_reports_a_missing_or_empty_english_text():
    assert catalogue_problems({"k": {"zh": "你好"}}) == ["k: no English text"]
    assert catalogue_problems({"k": {"en": "  ", "zh": "你好"}}) == ["k: no English text"]


def test_checker_reports_placeholder_mismatch():
    problems = catalogue_problems({"k": {"en": "{steps} steps in {seconds} s", "zh": "{steps} 步"}})
    assert problems and "placeholders differ" in problems[0]


def test_checker_reports_untranslated_chinese():
    assert catalogue_problems({"k": {"en": "Download file", "zh": "Download file"}})
    assert catalogue_problems({"k": {"en": "{n} steps", "zh": "{n} steps"}})
    assert catalogue_problems({"k": {"en": "Save", "zh": "Sichern"}})


def test_checker_reports_bold_that_markdown_cannot_render():
    problems = catalogue_problems({"k": {"en": "**Done:** next", "zh": "**完成：**下一步"}})
    assert len(problems) == 1 and "简体中文" in problems[0]
    assert catalogue_problems({"k": {"en": "**Done:** next, **{label}** ({p})",
                               "zh": "**完成**：下一步，**{label}**（{p}）"}}) == []


def test_checker_allows_texts_identical_by_design():
    assert catalogue_problems({"k": {"en": "PNG", "zh": "PNG"}, "l": {"en": "L∞ = {value}", "zh": "L∞ = {value}"},
                               "m": {"en": "SSIM", "zh": "SSIM"},
                               "n": {"en": "Carlini–Wagner L2", "zh": "Carlini–Wagner L2"}}) == []


def test_chinese_texts_contain_chinese():
    for key, texts in catalogue().items():
        if texts["zh"] != texts["en"]:
            assert _has_cjk(texts["zh"]), key


def test_language_names():
    assert LANGUAGES == {"en": "English", "zh": "简体中文"}


# --- t() and the language in the URL ----------------------------------------------------------

def _format_script():
    import streamlit as st

    from app.i18n import current_language, language_picker, t

    language_picker()
    st.write(current_language())
    st.markdown(t("principles.boundary.crossed", steps=7, start="A", other="B", p="90%"))
    st.markdown(t("nav.principles"))


@pytest.mark.parametrize("lang, expected, nav", [
    ("en", "**Crossed in 7 steps:** the point started as “A”", "How it works"),
    ("zh", "**用 7 步越过了边界**：这个点起初被判为“A”", "原理"),
])
def test_t_formats_placeholders_in_the_urls_language(lang, expected, nav):
    at = AppTest.from_function(_format_script, default_timeout=SCRIPT_TIMEOUT)
    at.query_params["lang"] = lang
    at.run()
    assert not at.exception
    texts = [m.value for m in at.markdown]
    assert texts[0] == lang
    assert texts[1].startswith(expected) and "{" not in texts[1]
    assert texts[2] == nav


def _plural_script():
    import streamlit as st

    from app.i18n import language_picker, t

    language_picker()
    for n in (1, 2):
        st.markdown(t("lab.goal.settings", method="PGD", eps=1.0, steps=n, stop=0.9))
        st.markdown(t("lab.result.success", original="cat", label="toaster", p=0.9, steps=n, seconds=1.0, eps=n))
        st.markdown(t("lab.model.unavailable", count=n))


@pytest.mark.parametrize("lang, one, two", [
    ("en", ["up to 1 step ·", "after 1 step in", "more than 1 level.", "1 more model needs weights"],
           ["up to 2 steps ·", "after 2 steps in", "more than 2 levels.", "2 more models need weights"]),
    ("zh", ["最多 1 步", "用了 1 步", "不超过 1 级", "另有 1 个模型"], ["最多 2 步", "用了 2 步", "不超过 2 级", "另有 2 个模型"]),
])
def test_counts_read_right_in_both_languages(lang, one, two):
    at = AppTest.from_function(_plural_script, default_timeout=SCRIPT_TIMEOUT)
    at.query_params["lang"] = lang
    at.run()
    assert not at.exception
    texts = [m.value for m in at.markdown]
    for expected, text in [(e, " ".join(texts[0:3])) for e in one] + [(e, " ".join(texts[3:6])) for e in two]:
        assert expected in text, (expected, text)
    assert not any(word in " ".join(texts) for word in ("1 steps", "1 levels", "1 more models", "|", "#"))


def test_plural_spec_keeps_ordinary_formats():
    from messages import Count

    assert f"{Count(1):# step|# steps}, {Count(0):# step|# steps}, {Count(1.275):# level|# levels}" == \
        "1 step, 0 steps, 1.275 levels"
    assert f"{Count(0.125):.1%} {Count(3):>3} {Count(12345):,} {Count(7)}" == "12.5%   3 12,345 7"


COUNT_NOUNS = r"(steps?|levels?|models?|checks?|changes?|redraws?|images?|times?|samples?|files?|classes?)"


@pytest.mark.parametrize("module", [m for m in MODULES if m != "errors"])  # errors.py mirrors engine sentences
def test_english_counts_use_the_plural_form(module):
    """"{n} steps" reads "1 steps" when n is 1: a count followed by its noun must be "{n:# step|# steps}"."""
    import re

    messages = importlib.import_module(f"messages.{module}").MESSAGES
    bare = re.compile(r"\{\w+(?::[^{}|]*)?\}( (?:more |other |live )?)" + COUNT_NOUNS + r"\b(?!/)")  # "steps/s" is a unit
    offenders = [f"{key}: {texts['en']}" for key, texts in messages.items() if bare.search(texts["en"])]
    assert offenders == []


def test_english_by_default_and_bad_language_falls_back():
    at = AppTest.from_function(_format_script, default_timeout=SCRIPT_TIMEOUT).run()
    assert at.markdown[0].value == "en" and at.markdown[2].value == "How it works"
    at = AppTest.from_function(_format_script, default_timeout=SCRIPT_TIMEOUT)
    at.query_params["lang"] = "fr"
    at.run()
    assert at.markdown[0].value == "en"


def test_picker_switches_language_and_writes_it_to_the_url():
    at = AppTest.from_function(_format_script, default_timeout=SCRIPT_TIMEOUT).run()
    at.sidebar.radio[0].set_value("zh").run()
    assert at.query_params.get("lang") == "zh"
    assert at.markdown[2].value == "原理"


def test_language_survives_a_run_without_the_query_string():
    """A page switch may drop ?lang=; the session's choice then wins and is written back."""
    at = AppTest.from_function(_format_script, default_timeout=SCRIPT_TIMEOUT)
    at.query_params["lang"] = "zh"
    at.run()
    at.query_params.clear()
    at.run()
    assert at.markdown[0].value == "zh"
    assert at.query_params.get("lang") == "zh"


# --- class names --------------------------------------------------------------------------------

def test_class_names_in_both_languages():
    def script():
        import streamlit as st

        from app.i18n import class_name

        st.write(class_name(859))
        st.write(class_name(1))  # goldfish: has a checked Chinese name
        st.write(class_name(2))  # great white shark: every class has a Chinese name

    en = AppTest.from_function(script, default_timeout=SCRIPT_TIMEOUT).run()
    assert [m.value for m in en.markdown] == ["toaster", "goldfish", labels.label(2)]
    zh = AppTest.from_function(script, default_timeout=SCRIPT_TIMEOUT)
    zh.query_params["lang"] = "zh"
    zh.run()
    assert [m.value for m in zh.markdown] == ["烤面包机", "金鱼", "大白鲨"]
    assert class_name  # imported for the app; used inside the script above


# --- engine errors in Chinese ---------------------------------------------------------------------

def _png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def _image_errors() -> list[ImageError]:
    errors = []
    truncated_png = _png(Image.new("RGB", (64, 64), "red"))[:-40]
    for source, name in [(b"", "empty.png"), (b"", None), (b"not an image at all", "notes.txt"),
                         (b"\x89PNG\r\n\x1a\n" + b"\0" * 10, "broken.png"), (truncated_png, "cut.png"),
                         ("/no/such/dir/pig.jpg", None)]:
        with pytest.raises(ImageError) as caught:
            load_image(source, name=name)
        errors.append(caught.value)
    return errors


def _label_errors() -> list[labels.LabelNotFound]:
    errors = []
    for query in ["cat", "toastr", "qqqqzzzz", "   ", 1000, True, 2.5]:
        with pytest.raises(labels.LabelNotFound) as caught:
            labels.resolve(query)
        errors.append(caught.value)
    return errors


def _model_errors(tmp_path) -> list[Exception]:
    from attack.models import ModelUnavailable, availability, load_model

    errors = []
    with pytest.raises(ModelUnavailable) as caught:
        load_model("no-such-model")
    errors.append(caught.value)
    ok, why = availability("inceptionv3")  # offline, with an empty Keras cache (conftest)
    assert not ok
    errors.append(ModelUnavailable(why))  # an error built from the engine's own sentence
    errors.append(ModelUnavailable.coded("model.needs_weights_detail", **why.params,
                                         detail="OSError: Unable to open file"))
    with pytest.raises(ModelUnavailable) as caught:
        load_model("inceptionv3", weights=tmp_path / "missing.h5")
    errors.append(caught.value)
    return errors


def _assert_chinese(error: Exception) -> str:
    zh = error_text(error, "zh")
    assert isinstance(error.message, Phrase), f"no catalogue key for: {error.message}"
    assert _has_cjk(zh), zh
    assert zh != error.message
    assert error_text(error, "en") == error.message
    assert error_text(error.message, "zh") == zh  # a stored sentence works as well as the exception
    return zh


def test_image_errors_in_chinese():
    errors = _image_errors()
    texts = [_assert_chinese(e) for e in errors]
    assert texts[0] == "“empty.png”是空的（0 字节）。"
    assert texts[1] == "该文件是空的（0 字节）。"
    assert "“notes.txt”" in texts[2] and "PNG、JPEG" in texts[2]
    assert "文件头" in texts[3]
    assert "“cut.png”" in texts[4]
    assert texts[5] == "无法读取“pig.jpg”：文件或文件夹不存在。"


@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
def test_oversized_image_errors_in_chinese():
    from attack.inputs.images import MAX_BYTES

    with pytest.raises(ImageError) as caught:
        load_image(b"\0" * (MAX_BYTES + 1), name="huge.png")
    assert "上传上限" in _assert_chinese(caught.value)
    big = Image.new("1", (8000, 6000))  # 48 megapixels, a small file: refused before decoding
    with pytest.raises(ImageError) as caught:
        load_image(_png(big), name="bomb.png")
    zh = _assert_chinese(caught.value)
    assert "百万像素" in zh and "megapixels" not in zh


def test_label_errors_in_chinese():
    texts = [_assert_chinese(e) for e in _label_errors()]
    assert "“cat”对应多个类别" in texts[0] and "另有" in texts[0]
    assert "toaster (859)" in texts[1]
    assert "0 到 999" in texts[2]
    assert texts[4] == "ImageNet 类别编号的范围是 0 到 999，但收到的是 1000。"


def test_model_errors_in_chinese(tmp_path):
    texts = [_assert_chinese(e) for e in _model_errors(tmp_path)]
    assert texts[0].startswith("未知的模型“no-such-model”")
    assert "InceptionV3（教程所用的模型）需要 ImageNet 权重" in texts[1]
    assert texts[2].endswith("（OSError: Unable to open file）")
    assert "不存在" in texts[3]


def test_weights_upload_refusals_in_chinese(tmp_path, monkeypatch):
    from attack.models import ModelUnavailable, WeightsRejected, install_weights

    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    errors = []
    for name, data in [("inceptionv3", b"not hdf5"), ("resnet50", b"\x89HDF\r\n\x1a\n damaged")]:
        with pytest.raises(WeightsRejected) as caught:
            install_weights(name, data)
        errors.append(caught.value)
    with pytest.raises(ModelUnavailable) as caught:
        install_weights("efficientnet-lite0", b"")
    errors.append(caught.value)
    texts = [_assert_chinese(e) for e in errors]
    assert texts[0] == "该文件不是InceptionV3的权重：应当是 HDF5 文件 inception_v3_weights_tf_dim_ordering_tf_kernels.h5。"
    assert texts[1].startswith("该文件不是ResNet50官方发布的权重文件 resnet50_weights_tf_dim_ordering_tf_kernels.h5，")
    assert texts[2].startswith("EfficientNet-Lite0（内置）不需要权重文件")


def test_unknown_sentence_gets_a_chinese_summary_and_the_english_detail():
    from attack.models import ModelUnavailable

    for error, summary in [(ImageError("A brand new complaint."), "无法使用这张图片"),
                           (labels.LabelNotFound("Something else."), "ImageNet 类别"),
                           (ModelUnavailable("Disk on fire."), "模型"), (RuntimeError("boom"), "出了点问题")]:
        zh = error_text(error, "zh")
        assert summary in zh and str(error) in zh and "英文原文" in zh
        assert error_text(error, "en") == str(error)
    assert error_text("Unheard-of trouble.", "zh") == "出了点问题。（英文原文：Unheard-of trouble.）"


def test_image_notes_and_model_availability_in_chinese():
    rgba = np.zeros((40, 60, 4), np.uint8)
    rgba[..., 3] = 100
    notes = list(load_image(_png(Image.fromarray(rgba)), max_side=30).notes)
    frames = [Image.new("RGB", (10, 10), c) for c in ("red", "blue")]
    gif = io.BytesIO()
    frames[0].save(gif, format="GIF", save_all=True, append_images=frames[1:])
    notes += load_image(gif.getvalue()).notes
    notes += load_image(_png(Image.fromarray(np.full((8, 8), 300, np.uint16)))).notes
    assert len(notes) >= 4
    from attack.models import availability

    sentences = notes + [availability("efficientnet-lite0")[1]]
    for sentence in sentences:
        zh = engine_text(sentence, "zh")
        assert zh is not None and _has_cjk(zh), sentence
    downscaled = next(note for note in notes if note.startswith("Downscaled"))
    assert downscaled == "Downscaled from 60 × 40 to 30 × 20 px (the working size limit)."
    assert engine_text(downscaled, "zh") == "已从 60 × 40 缩小到 30 × 20 像素（处理尺寸上限）。"


def test_model_titles():
    from attack.models import MODELS

    for spec in MODELS.values():
        assert model_title(spec.title, "en") == spec.title
        assert _has_cjk(model_title(spec.title, "zh")) or "(" not in spec.title


def _setting_errors() -> list[Exception]:
    from attack.experiments import sweep
    from attack.attacks import make_attack

    errors = []
    for settings in [dict(epsilon=0), dict(max_steps=0), dict(stop_at=1.5), dict(step_size=-1.0),
                     dict(loss="hinge")]:
        with pytest.raises(ValueError) as caught:
            make_attack("pgd", None, target=859, **settings)
        errors.append(caught.value)
    for method, target in [("gradient-ascent", None), ("deepfool", 859)]:  # targeted only, untargeted only
        with pytest.raises(ValueError) as caught:
            make_attack(method, None, target=target)
        errors.append(caught.value)
    for text in ["a,b", "", "1,-2"]:
        with pytest.raises(ValueError) as caught:
            sweep.parse_levels(text)
        errors.append(caught.value)
    with pytest.raises(ValueError) as caught:
        make_attack("no-such-method", None)
    errors.append(caught.value)
    return errors


def test_attack_setting_errors_in_chinese():
    """The ValueErrors a page can pass on from the engine's settings checks are known sentences."""
    for error in _setting_errors():
        zh = error_text(error, "zh")
        assert isinstance(error, UserError) and f"error.{error.code}" in catalogue(), str(error)
        assert _has_cjk(zh) and "英文原文" not in zh, zh


# --- errors by code: every code has its text, and no translation reads the English -------------

ENGINE = pathlib.Path(__file__).resolve().parent.parent / "attack"
# `X.coded("image.empty", ...)` or `X(message, code="image.empty", ...)`, not a class's family default
# (`code = "image"`, for errors raised with a bare message: the app shows those with a generic summary)
_CODED = re.compile(r"""\.coded\(\s*["']([^"']+)["']|[(,]\s*code\s*=\s*["']([^"']+)["']""")
# `Phrase("note.image.cmyk", ...)`, or a key kept in a table (`{errno.ENOENT: "phrase.no_such_file"}`)
_KEYED = re.compile(r"""\bPhrase\(\s*["']([^"']+)["']\s*[,)]"""
                    r"""|["']((?:note|phrase|model\.availability)\.[a-z0-9_.]+)["']""")


def _engine_keys() -> dict[str, str]:
    """Every catalogue key the engine's source names: "error.<code>" for each `X.coded("<code>", ...)`
    or `code="<code>"`, and the keys of the Phrases it builds — each with the file that names it."""
    keys = {}
    for path in sorted(ENGINE.rglob("*.py")):
        source = path.read_text(encoding="utf-8")
        for coded, code in _CODED.findall(source):
            keys["error." + (coded or code)] = path.name
        for phrase, literal in _KEYED.findall(source):
            keys[phrase or literal] = path.name
    return keys


def test_every_code_the_engine_raises_has_both_languages():
    keys = _engine_keys()
    assert len(keys) > 60, "the scan of the engine's source found too few codes: is _CODED still right?"
    texts = catalogue()
    missing = [f"{key} ({file})" for key, file in keys.items() if key not in texts]
    assert missing == []
    assert catalogue_problems({key: texts[key] for key in keys}) == []
    from attack.models import MODELS

    for spec in MODELS.values():  # titles are built from their kind: Phrase(f"model.title.{kind}")
        assert isinstance(spec.title, Phrase) and spec.title.key in texts


def test_every_error_text_in_the_catalogue_is_raised_somewhere():
    """A sentence no code uses any more is dead text (the family summaries are used by app.i18n)."""
    from attack.models import MODELS
    from messages.errors import MESSAGES

    used = set(_engine_keys()) | {spec.title.key for spec in MODELS.values()}  # titles: "model.title.<kind>"
    unused = [key for key in MESSAGES if key not in used and not key.startswith(("error.generic.", "error.with_"))]
    assert unused == []


def test_engine_raises_no_bare_english_user_error():
    """A UserError subclass raised with an English sentence instead of a code could not be translated."""
    bare = re.compile(r"raise (?:ImageError|LabelNotFound|ModelUnavailable|WeightsRejected|SettingsError|"
                      r"WorkerBusy|RayUnavailable|UserError)\(")
    offenders = [f"{path.name}: {line.strip()}" for path in ENGINE.rglob("*.py")
                 for line in path.read_text(encoding="utf-8").splitlines() if bare.search(line)]
    assert offenders == []


def _everything_the_engine_says(tmp_path) -> tuple[list[str], list[str]]:
    """The engine's errors, notes, availability lines and model titles of the tests above: (as a
    Chinese page shows them, as the engine says them in English)."""
    from attack.models import MODELS, availability

    errors = _image_errors() + _label_errors() + _model_errors(tmp_path) + _setting_errors()
    rgba = np.zeros((40, 60, 4), np.uint8)
    rgba[..., 3] = 100
    said = list(load_image(_png(Image.fromarray(rgba)), max_side=30).notes)
    said += [availability(name)[1] for name in MODELS] + [spec.title for spec in MODELS.values()]
    chinese = [error_text(e, "zh") for e in errors] + [engine_text(s, "zh") for s in said]
    return chinese, [str(e) for e in errors] + [str(s) for s in said]


def test_no_translation_depends_on_the_english_text(tmp_path, monkeypatch):
    """Reword every English engine text in the catalogue: what a Chinese page shows does not change,
    and the English the engine says follows the catalogue (one source for each sentence)."""
    from attack.models import MODELS, registry

    chinese, english = _everything_the_engine_says(tmp_path)
    assert not any(e.startswith("Reworded") for e in english)
    for key, texts in catalogue().items():
        if key.startswith(("error.", "note.", "phrase.", "model.")):
            monkeypatch.setitem(texts, "en", "Reworded: " + texts["en"])
    # Model titles are built once, at import: build them again from the reworded catalogue.
    for name, spec in MODELS.items():
        title = Phrase(spec.title.key, **spec.title.params)
        monkeypatch.setitem(MODELS, name, registry.ModelSpec(**{**spec.__dict__, "title": title}))
    chinese_after, english_after = _everything_the_engine_says(tmp_path)
    assert chinese_after == chinese
    assert [e for e in english_after if not e.startswith("Reworded: ")] == []


def test_user_errors_and_phrases_survive_pickling():
    """Errors cross process boundaries (Ray workers, a process pool) with their code and params."""
    error = pickle.loads(pickle.dumps(_label_errors()[0]))
    assert type(error) is labels.LabelNotFound and error.code == "label.ambiguous"
    assert isinstance(error.message, Phrase) and error.params["query"] == "cat"
    assert error_text(error, "zh").startswith("“cat”对应多个类别")
    note = pickle.loads(pickle.dumps(Phrase("note.image.frames", frames=3)))
    assert note == "The file holds 3 images; the first is used."
    assert note.in_language("zh").startswith("该文件包含 3")
