"""Browser test of the "How it works" page: real Streamlit server, headless Chromium, both languages.

Saves tests/artifacts/principles-{en,zh}.png. Skips only when Playwright or Chromium is missing,
and never when the CI environment variable is set (there it must run)."""
from __future__ import annotations

import pytest
from conftest import READY, ROOT, missing_browser

SCREENSHOTS = ROOT / "tests" / "artifacts"
pytestmark = [pytest.mark.slow, pytest.mark.browser]


if why := missing_browser():
    pytest.skip(why, allow_module_level=True)


def _open(browser, url: str):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(url)
    page.wait_for_selector(READY, timeout=90_000)
    return page


@pytest.mark.parametrize("lang, title, heading, measure, probability", [
    ("en", "How it works", "Gradient descent and ascent", "Measure it now", "Probability of “toaster”"),
    ("zh", "原理", "梯度下降与梯度上升", "现在就测一次", "“烤面包机”的概率"),
])
def test_principles_page_in_each_language(server, browser, lang, title, heading, measure, probability):
    page = _open(browser, f"{server}/principles?lang={lang}")
    page.wait_for_selector(".js-plotly-plot .main-svg", timeout=30_000)
    # Fill in the live column, so the picture shows the tutorial's numbers beside this machine's.
    page.get_by_role("button", name=measure).click()
    page.wait_for_timeout(500)
    page.wait_for_selector(READY, timeout=240_000)
    assert page.locator("[data-testid='stMetricLabel']", has_text=probability).count() == 2
    # Streamlit scrolls inside its main block, so grow the window to the page's height for the picture.
    height = page.evaluate("document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
    page.set_viewport_size({"width": 1400, "height": max(1000, height)})
    page.wait_for_timeout(1500)  # let plotly redraw at the new size before the picture is taken
    assert page.get_by_role("heading", name=title, exact=True).is_visible()
    assert page.get_by_text(heading).first.is_visible()
    assert page.locator(".js-plotly-plot").count() == 2
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"principles-{lang}.png"), full_page=True)
    page.close()


def test_language_survives_page_switch(server, browser):
    """Switching pages in the navigation keeps ?lang=zh and the Chinese texts."""
    page = _open(browser, f"{server}/principles?lang=zh")
    page.get_by_role("link", name="攻击实验室").first.click()
    page.wait_for_url(lambda url: "/principles" not in url, timeout=30_000)
    page.wait_for_selector(READY, timeout=60_000)
    page.wait_for_function("() => window.location.search.includes('lang=zh')", timeout=15_000)
    page.get_by_role("link", name="原理").first.click()
    page.wait_for_url("**/principles**", timeout=30_000)
    page.wait_for_selector(READY, timeout=60_000)
    page.wait_for_function("() => window.location.search.includes('lang=zh')", timeout=15_000)
    assert page.get_by_role("heading", name="原理", exact=True).is_visible()
    page.close()


def test_language_switch_updates_url(server, browser):
    page = _open(browser, f"{server}/principles")
    assert page.get_by_role("heading", name="How it works", exact=True).is_visible()
    page.get_by_text("简体中文").click()
    page.wait_for_function("() => window.location.search.includes('lang=zh')", timeout=15_000)
    page.wait_for_selector(READY, timeout=60_000)
    page.get_by_role("heading", name="原理", exact=True).wait_for(timeout=15_000)
    page.close()


def test_click_on_the_toy_chart_moves_the_point(server, browser):
    page = _open(browser, f"{server}/principles?lang=en")
    page.wait_for_selector(".js-plotly-plot .main-svg", timeout=30_000)
    area = page.locator(".js-plotly-plot").first.locator(".nsewdrag").first.bounding_box()
    # The plot shows x₁, x₂ from -4 to 4; click where (-3, 2) is.
    page.mouse.click(area["x"] + (-3 + 4) / 8 * area["width"], area["y"] + (4 - 2) / 8 * area["height"])
    page.wait_for_function(
        "() => [...document.querySelectorAll(\"[data-testid='stSliderThumbValue']\")].slice(0, 2)"
        ".map(e => e.textContent).join() === '-3.00,2.00'", timeout=30_000)
    page.wait_for_selector(READY, timeout=30_000)
    assert page.get_by_text("Crossed in").count() + page.get_by_text("Not crossed").count() == 1
    page.close()
