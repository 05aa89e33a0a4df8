"""The lab's tutorial mode through AppTest: reached by link, by the sidebar's Tutorial button and from
How it works; the acts unlock in order. (The acts themselves run in tests/test_browser_tutorial.py.)"""
from __future__ import annotations

import pytest
from conftest import ROOT

pytestmark = pytest.mark.slow
TIMEOUT = 240


def app(page: str = "streamlit_app.py", **query):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / page), default_timeout=TIMEOUT)
    at.query_params.update(query)
    return at.run()


def test_link_opens_the_three_acts_in_order():
    at = app(mode="tutorial", sample="chelsea")
    assert not at.exception
    acts = [at.button(key=f"tut-act{n}") for n in (1, 2, 3)]
    assert not acts[0].disabled and acts[1].disabled and acts[2].disabled
    assert "3,070" in "\n".join(m.value for m in at.markdown)
    assert at.select_slider(key="tut.lr").value == "rule"
    with pytest.raises(KeyError):
        at.button(key="lab-attack")  # the free lab's Attack button belongs to the other mode


def test_sidebar_tutorial_button_opens_the_tutorial_and_the_switch_goes_back():
    at = app()
    at.button(key="lab.preset.tutorial").click().run()
    assert not at.exception and at.session_state["lab.mode"] == "tutorial"
    assert at.query_params["mode"] in ("tutorial", ["tutorial"])
    at.button(key="tut-act1")  # present
    at.session_state["lab.mode"] = "lab"
    at.run()
    at.button(key="lab-attack")


def test_chinese_tutorial_mode():
    at = app(mode="tutorial", lang="zh")
    assert not at.exception
    assert at.button(key="tut-act1").label == "① 运行教程的方法"
