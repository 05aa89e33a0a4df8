"""The robustness explorer page in Streamlit's AppTest: renders in both languages, runs both
attacks with their checks panels, and an ε sweep (small image, small budgets)."""
from __future__ import annotations

import re

import pytest
from streamlit.testing.v1 import AppTest

TIMEOUT = 240


def explorer_script():
    from app.i18n import language_picker
    from app.pages import explorer

    language_picker()
    explorer.main()


def _app(lang: str = "en") -> AppTest:
    at = AppTest.from_function(explorer_script, default_timeout=TIMEOUT)
    if lang != "en":
        at.query_params["lang"] = lang
    return at.run()


def _small_budget(at: AppTest) -> AppTest:
    at.select_slider(key="explorer.side").set_value(160)
    at.number_input(key="explorer.max_steps").set_value(30)
    at.slider(key="explorer.eot").set_value(2)
    at.slider(key="explorer.robust_eps").set_value(6.0)
    return at


@pytest.mark.parametrize("lang, title", [("en", "Robustness explorer"), ("zh", "鲁棒性探索")])
def test_page_renders(lang, title):
    at = _app(lang)
    assert not at.exception
    assert at.title[0].value == title
    assert len(at.tabs) == 2
    assert at.info  # the "nothing yet" hint


def test_compare_runs_both_attacks_with_checks():
    at = _small_budget(_app())
    at.button(key="explorer.run").click().run()
    assert not at.exception, at.exception
    assert not at.error
    outcome = at.session_state["explorer.compare"]
    plain, robust = outcome["plain"], outcome["robust"]
    assert plain["result"].distances.linf <= 2 and robust["result"].distances.linf <= 6
    succeeded = [side for side in (plain, robust) if side["result"].success]
    assert succeeded, "with these budgets at least the robust attack fools the model"
    assert len(at.dataframe) == len(succeeded)  # one checks table per successful side
    table = at.dataframe[0].value
    assert len(table) == succeeded[0]["checks"].total and set(table["ok"]) <= {"✓ yes", "✗ no"}
    texts = " ".join(m.value for m in at.markdown)
    assert "Does it survive?" in texts and "Does it fool other models?" in texts
    summaries = [p.proto.text for p in at.get("progress")]
    for side in succeeded:
        assert f"Still read as toaster after {side['checks'].passed} of 12 changes" in summaries
    for side in (plain, robust):  # a failed attack gets no checks: "0 of 12" would only confuse
        assert (side["checks"] is None) == (not side["result"].success)
    if len(succeeded) < 2:
        assert "No survival checks" in " ".join(i.value for i in at.info)


def test_compare_in_chinese_and_bad_target():
    at = _app("zh")
    at.text_input(key="explorer.target").set_value("zzz not a class").run()
    assert not at.exception and at.error  # one clear message, page still up
    at.text_input(key="explorer.target").set_value("toaster").run()
    assert not at.error


def test_sweep_draws_the_curve():
    at = _small_budget(_app())
    at.text_input(key="explorer.levels").set_value("0.5,2")
    at.button(key="explorer.sweep_run").click().run()
    assert not at.exception, at.exception
    done = at.session_state["explorer.sweep"]
    assert [p.epsilon for p in done["points"]] == [0.5, 2.0] and done["total"] == 2
    assert done["points"][0].success is False
    assert at.get("plotly_chart")
    at.run()  # a rerun (as after Stop) keeps the finished sweep on screen
    assert at.get("plotly_chart") and not at.exception


def test_bad_sweep_levels_are_an_error():
    at = _app()
    at.text_input(key="explorer.levels").set_value("1,two")
    at.button(key="explorer.sweep_run").click().run()
    assert not at.exception and at.error


# --- in a real browser --------------------------------------------------------------------------

from conftest import READY  # noqa: E402


@pytest.mark.slow
@pytest.mark.browser
def test_explorer_in_the_browser(server, browser):
    from conftest import missing_browser

    if why := missing_browser():
        pytest.skip(why)
    from playwright.sync_api import expect

    context = browser.new_context(viewport={"width": 1400, "height": 2400})
    try:
        page = context.new_page()
        page.goto(f"{server}/explorer")
        page.wait_for_selector(READY, timeout=120_000)
        page.get_by_label("Step budget").fill("20")
        page.get_by_label("Step budget").press("Enter")
        page.wait_for_selector(READY, timeout=60_000)
        page.get_by_role("button", name="Run both attacks").click()
        # Wait for the outcome itself: the script-state flag can still read "notRunning" just after a click.
        page.get_by_text(re.compile(r"^Robust: \d+ steps? vs")).wait_for(timeout=300_000)
        page.wait_for_selector(READY, timeout=300_000)
        # One checks table per side, or (for a side whose attack failed) the sentence saying why there is none.
        # The data grid is loaded lazily by the browser: its element can mount a moment after the summary text.
        tables = page.get_by_text(re.compile(r"Still read as toaster after \d+ of 12 changes")).count()
        expect(page.locator("[data-testid='stDataFrame']")).to_have_count(tables, timeout=60_000)
        assert tables + page.get_by_text("No survival checks").count() == 2
        page.get_by_role("tab", name="ε sweep").click()
        page.get_by_label("ε levels (comma-separated)").fill("0.5,2")
        page.get_by_label("ε levels (comma-separated)").press("Enter")
        page.wait_for_selector(READY, timeout=60_000)
        page.get_by_role("button", name="Run sweep").click()
        page.get_by_text("Sweep finished: 2 of 2 levels.").wait_for(timeout=300_000)
        page.wait_for_selector(".js-plotly-plot", timeout=60_000)  # plotly, too, is loaded lazily
        assert not page.locator("[data-testid='stException']").count()
    finally:
        context.close()
