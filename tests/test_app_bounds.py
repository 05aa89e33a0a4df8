"""Bounds on what a visitor sends, checked before any work: share-link values, the explorer's text boxes
and uploads larger than the engine accepts (driven through Streamlit's AppTest)."""
from __future__ import annotations

import pytest
from conftest import APP_TIMEOUT, lab, no_exception, texts
from streamlit.testing.v1 import AppTest

from attack.inputs.images import MAX_BYTES

pytestmark = pytest.mark.slow


def test_a_long_or_non_finite_link_value_is_ignored_with_the_warning():
    at = lab(target="toaster" * 15_000, eps="0" * 100_000 + "4", stop="nan", step="inf", steps="1e999")
    no_exception(at)
    warning = texts(at.warning)
    assert "not understood or out of range and were ignored" in warning
    for name in ("target", "eps", "stop", "step", "steps"):
        assert name in warning, name
    assert len(warning) < 500  # named, not echoed back
    assert at.selectbox(key="ctl.target").value == 859  # the defaults, not the link's values
    assert at.select_slider(key="ctl.epsilon").value == 2.0
    assert at.slider(key="ctl.stop_at").value == pytest.approx(0.9)


def _lab_upload_script():
    import streamlit as st

    from app.session import session_upload

    class Held:
        """What Streamlit hands the page: the bytes are on the server, their count is known."""

        file_id, name, size = "held-1", "huge.png", 26 * 2**20

        def getvalue(self) -> bytes:
            raise AssertionError("the bytes of a refused upload were read")

    upload = session_upload(Held())
    st.write(upload.error)
    st.write(str(st.session_state["lab.upload"][1].image))


def test_an_oversized_lab_upload_is_refused_by_its_size_before_its_bytes_are_read():
    at = AppTest.from_function(_lab_upload_script, default_timeout=APP_TIMEOUT).run()
    no_exception(at)
    assert [m.value for m in at.markdown] == ["“huge.png” is 26.0 MB; the upload limit is 25.0 MB.", "None"]


def _explorer_script():
    from app.i18n import language_picker
    from app.pages import explorer

    language_picker()
    explorer.main()


@pytest.fixture
def explorer() -> AppTest:
    return AppTest.from_function(_explorer_script, default_timeout=APP_TIMEOUT).run()


def test_the_explorer_text_boxes_are_bounded_by_the_server(explorer):
    from attack.inputs.labels import MAX_QUERY_CHARS
    from attack.experiments.sweep import MAX_LEVELS_CHARS

    target, levels = explorer.text_input(key="explorer.target"), explorer.text_input(key="explorer.levels")
    assert (target.proto.max_chars, levels.proto.max_chars) == (MAX_QUERY_CHARS, MAX_LEVELS_CHARS)
    target.set_value("toaster" * 15_000).run()  # what a hostile client could send past the browser's limit
    no_exception(explorer)
    assert len(explorer.text_input(key="explorer.target").value) == MAX_QUERY_CHARS
    assert "No ImageNet class matches" in texts(explorer.error)
    explorer.text_input(key="explorer.target").set_value("toaster").run()  # the sweep tab needs a target that resolves
    explorer.text_input(key="explorer.levels").set_value("40," * 10_000)
    explorer.button(key="explorer.sweep_run").click().run()
    no_exception(explorer)
    assert "Every ε level must lie within 0.5–32" in texts(explorer.error)
    assert "explorer.sweep" not in explorer.session_state  # no sweep started


def test_an_oversized_explorer_upload_is_refused_before_its_bytes_are_read(explorer, monkeypatch):
    from streamlit.runtime.uploaded_file_manager import UploadedFile

    def refuse(self):
        raise AssertionError("the bytes of a refused upload were read")

    monkeypatch.setattr(UploadedFile, "getvalue", refuse)
    explorer.sidebar.file_uploader[0].upload("huge.png", b"\0" * (MAX_BYTES + 2**20), "image/png").run()
    no_exception(explorer)
    assert texts(explorer.error) == "“huge.png” is 26.0 MB; the upload limit is 25.0 MB."
