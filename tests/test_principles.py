"""The "How it works" page through Streamlit's AppTest, in English and Chinese, plus the lab page's
headings in both languages."""
from __future__ import annotations

import re

import pytest
from conftest import ROOT

from attack.experiments import toy

TIMEOUT = 240  # the live measurement imports TensorFlow and builds the model


def app(lang: str | None = None, page: str | None = None):
    """Run the whole app (streamlit_app.py), opened on navigation page `page` (default: the lab)."""
    from streamlit.testing.v1 import AppTest
    from streamlit.util import calc_hash

    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=TIMEOUT)
    if lang:
        at.query_params["lang"] = lang
    if page:
        # AppTest.switch_page resolves file pages only; st.navigation knows a function page by the
        # hash of its url_path, which is what opening /<url_path> in a browser requests.
        at._page_hash = calc_hash(page)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def text(elements) -> str:
    return "\n".join(str(e.value) for e in elements)


@pytest.mark.parametrize("lang, title, headings", [
    ("en", "How it works", ["1 · A classifier is a boundary", "2 · Gradient descent and ascent",
                            "3 · From the toy to the photo"]),
    ("zh", "原理", ["1 · 分类器就是一条边界", "2 · 梯度下降与梯度上升", "3 · 从小实验到真实照片"]),
])
def test_page_headings_in_each_language(lang, title, headings):
    at = app(lang, "principles")
    assert [e.value for e in at.title] == [title]
    assert [e.value for e in at.header] == headings
    if lang == "zh":
        assert "猪" in text(at.markdown) and "烤面包机" in text(at.markdown)  # the toy's classes, in Chinese
        assert "pig" not in text(at.markdown)
    assert at.query_params.get("lang", "en") == lang


def test_descent_table_matches_the_tutorials_loop():
    at = app("en", "principles")
    table = at.dataframe[0].value
    expected = toy.descend(toy.random_start(0), 0.1)
    assert list(table.columns) == ["step", "x", "f(x)", "f′(x)", "update ∓lr·f′(x)"]
    assert len(table) == expected.count + 1
    assert table["x"].iloc[0] == pytest.approx(toy.random_start(0), abs=1e-5)
    assert table["f(x)"].iloc[-1] < 2.01
    assert (table["f(x)"].iloc[:-1] > 2.01).all()
    assert table["update ∓lr·f′(x)"].iloc[0] == pytest.approx(-0.1 * 2 * table["x"].iloc[0], abs=1e-4)
    assert f"Converged in {expected.count} steps" in text(at.markdown)
    assert at.metric[0].value == f"{toy.random_start(0):.3f}"


def test_descent_table_in_chinese_has_translated_columns():
    at = app("zh", "principles")
    assert list(at.dataframe[0].value.columns)[0] == "步数"
    assert re.search(r"\d+ 步后收敛", text(at.markdown))


def test_learning_rate_and_ascent_controls():
    at = app("en", "principles")
    at.slider(key="descent_lr").set_value(1.1).run()
    assert "Diverged after" in text(at.markdown)
    xs = at.dataframe[0].value["x"].abs().tolist()
    assert all(b > a for a, b in zip(xs, xs[1:]))
    at.slider(key="descent_lr").set_value(0.7).run()
    assert "Oscillated, then converged" in text(at.markdown)
    at.slider(key="descent_lr").set_value(0.1).run()
    at.toggle(key="descent_ascent").set_value(True).run()
    assert "Ascent climbed" in text(at.markdown)
    assert "same gradient, with the sign flipped" in text(at.info)
    fs = at.dataframe[0].value["f(x)"].tolist()
    assert all(b > a for a, b in zip(fs, fs[1:]))


def test_new_random_start():
    at = app("en", "principles")
    before = at.metric[0].value
    at.button(key="descent_new").click().run()
    assert at.metric[0].value == f"{toy.random_start(1):.3f}" != before


def test_boundary_push_reports_steps_and_crossing():
    at = app("en", "principles")
    data = toy.make_points(0)
    model = toy.train_logistic(data)
    push = toy.push_across(model, toy.DEFAULT_POINT)
    assert f"Crossed in {push.steps} steps" in text(at.success)
    at.slider(key="toy_epsilon").set_value(0.5).run()
    assert not at.success
    assert "Not crossed" in text(at.warning) and f"{model.linf_distance(toy.DEFAULT_POINT):.2f}" in text(at.warning)
    at.slider(key="toy_x").set_value(2.0).run()  # now on the toaster side, pushed back toward pig
    at.slider(key="toy_epsilon").set_value(3.0).run()
    assert "the model now says “pig”" in text(at.success)


def test_boundary_in_chinese():
    at = app("zh", "principles")
    assert "越过了边界" in text(at.success)
    assert at.slider(key="toy_epsilon").label == "ε（方框的半宽）"


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_live_measurement_beside_the_tutorials_numbers(lang):
    at = app(lang, "principles")
    at.selectbox(key="live_sample").set_value("coffee").run()
    at.button(key="live_measure_button").click().run()
    assert not at.error, text(at.error)
    measured = at.session_state["live_measure"]
    assert measured["success"] and measured["probability"] >= 0.95
    metrics = [(m.label, m.value) for m in at.metric]
    probability_label = "Probability of “toaster”" if lang == "en" else "“烤面包机”的概率"
    values = [v for label, v in metrics if label == probability_label]
    assert values == ["95.61%", f"{measured['probability']:.2%}"]  # the tutorial's, then the live one
    steps_label = "Steps" if lang == "en" else "步数"
    assert [v for label, v in metrics if label == steps_label] == ["3,070", f"{measured['steps']:,}"]
    model_values = [v for label, v in metrics if label in ("Model", "模型")]
    assert model_values[0] == "InceptionV3" and "EfficientNet-Lite0" in model_values[1]
    if lang == "zh":
        assert "（内置）" in model_values[1]
        assert "秒" in text(at.metric)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_lab_page_renders_in_each_language(lang):
    at = app(lang)  # the lab is the default page
    headings = [e.value for e in [*at.title, *at.header, *at.subheader]]
    assert headings
    cjk = [h for h in headings if re.search(r"[\u4e00-\u9fff]", h)]
    if lang == "zh":
        assert cjk, headings
    else:
        assert not cjk, headings
