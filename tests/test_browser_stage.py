"""On stage at 1280 × 720 (issue 18): Attack brings the live panel into view, the end of a run and Stop keep
the verdict in view, and a tutorial act scrolls to itself — in normal and tutorial modes."""
from __future__ import annotations

import re

import pytest
from conftest import READY, SLOW_RUN, missing_browser

pytestmark = [pytest.mark.slow, pytest.mark.browser]
STAGE = {"width": 1280, "height": 720}

if why := missing_browser():
    pytest.skip(why, allow_module_level=True)

# True once the element's top is below the sticky header and its top in the window's upper part.
IN_VIEW = """(selector) => {
  const e = document.querySelector(selector);
  if (!e) return false;
  const top = e.getBoundingClientRect().top;
  const header = document.querySelector('[data-testid=stHeader]').getBoundingClientRect().bottom;
  return top >= header - 2 && top <= innerHeight * 0.5;
}"""


def open_page(browser, server, query: str):
    context = browser.new_context(viewport=STAGE)
    page = context.new_page()
    page.goto(f"{server}/{query}")
    return context, page


def in_view(page, selector: str, timeout: float = 60_000) -> None:
    page.wait_for_function(IN_VIEW, arg=selector, timeout=timeout)


def test_attack_scrolls_to_the_live_panel_and_the_end_to_the_verdict(server, browser):
    context, page = open_page(browser, server, "?sample=chelsea&method=pgd&eps=1&step=0.05&stop=0.8&steps=400"
                                               "&target=859")
    try:
        page.wait_for_selector(".st-key-lab-attack button", timeout=300_000)
        page.wait_for_selector(READY, timeout=120_000)
        assert not page.evaluate(IN_VIEW, ".st-key-lab-attack ~ *, .st-key-lab-toggles")  # below the fold at first
        page.locator(".st-key-lab-attack button:visible").first.click()
        page.locator(".st-key-lab-live").first.wait_for(timeout=120_000)
        in_view(page, ".st-key-lab-toggles")
        page.locator(".st-key-lab-result [data-testid='stAlertContentSuccess']").first.wait_for(timeout=300_000)
        in_view(page, ".st-key-lab-result")
    finally:
        context.close()


def test_stop_keeps_the_verdict_in_view(server, browser):
    context, page = open_page(browser, server, SLOW_RUN)
    try:
        page.wait_for_selector(".st-key-lab-attack button", timeout=300_000)
        page.wait_for_selector(READY, timeout=120_000)
        page.locator(".st-key-lab-attack button:visible").first.click()
        page.locator("[data-testid='stProgress']").get_by_text(re.compile(r"Step ([5-9]|\d{2,}) /")).wait_for(
            timeout=120_000)
        in_view(page, ".st-key-lab-toggles")
        page.get_by_role("button", name="Stop", exact=True).click()
        page.get_by_text(re.compile(r"Stopped at step")).first.wait_for(timeout=60_000)
        page.wait_for_selector(READY, timeout=60_000)
        in_view(page, ".st-key-lab-result")
        # No pointer to tips that a stopped run does not show.
        assert page.get_by_text("see the tips above").count() == 0
    finally:
        context.close()


def test_a_tutorial_act_scrolls_to_itself(server, browser):
    context, page = open_page(browser, server, "?mode=tutorial&present=1&sample=coffee")
    try:
        act1 = page.locator(".st-key-tut-act1 button:visible").first
        act1.wait_for(timeout=300_000)
        page.wait_for_selector(READY, timeout=120_000)
        act1.click()
        page.locator(".st-key-tut-why").first.wait_for(timeout=120_000)
        in_view(page, "[id='tut-act1']")
    finally:
        context.close()
