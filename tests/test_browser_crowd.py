"""Several real browsers at once on a server whose shared attack worker runs one attack at a time.

One tab holds the worker with a long attack; two more (English and Chinese) press Attack and wait in
line, seeing their place; Stop in the first tab frees the slot and both others finish, verified.
"""
from __future__ import annotations

import re

import pytest
from conftest import READY, ROOT, SLOW_RUN, missing_browser, streamlit_server

pytestmark = [pytest.mark.slow, pytest.mark.browser]
ARTIFACTS = ROOT / "tests" / "artifacts"

if why := missing_browser():
    pytest.skip(why, allow_module_level=True)


@pytest.fixture(scope="module")
def one_slot_server():
    """A server whose shared attack worker runs one attack at a time without turns (no time slicing), so a
    second attack has to wait until the first one stops; turns are tested in tests/test_worker_hostile.py."""
    with streamlit_server(ADVERSARIAL_LAB_WORKER_CAPACITY="1", ADVERSARIAL_LAB_WORKER_QUANTUM="0",
                          ADVERSARIAL_LAB_LOOPBACK_OPERATOR="0") as url:
        yield url


def open_lab(browser, url: str, query: str):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(f"{url}/{query}")
    page.wait_for_selector(".st-key-lab-attack button", timeout=120_000)
    page.wait_for_selector(READY, timeout=120_000)
    return context, page


def test_a_line_forms_beyond_capacity_and_stop_frees_the_slot(one_slot_server, browser):
    quick = "method=pgd&eps=2&target=859&stop=0.9"
    tabs = [open_lab(browser, one_slot_server, SLOW_RUN),  # minutes: holds the slot
            open_lab(browser, one_slot_server, f"?sample=chelsea&{quick}"),
            open_lab(browser, one_slot_server, f"?sample=rocket&{quick}&lang=zh")]
    holder, english, chinese = (page for _, page in tabs)
    try:
        holder.locator(".st-key-lab-attack button:visible").first.click()
        holder.locator("[data-testid='stProgress']").get_by_text(re.compile(r"Step \d+ /")).wait_for(timeout=120_000)
        for page in (english, chinese):
            page.locator(".st-key-lab-attack button:visible").first.click()
        waiting_en = english.get_by_text(re.compile(r"you are number [12] in line"))
        waiting_zh = chinese.get_by_text(re.compile(r"你排在第 [12] 位"))
        try:
            waiting_en.wait_for(timeout=60_000)
            waiting_zh.wait_for(timeout=60_000)
        finally:
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            english.screenshot(path=str(ARTIFACTS / "crowd-line-en.png"))
            chinese.screenshot(path=str(ARTIFACTS / "crowd-line-zh.png"))
        assert "s to wait" in waiting_en.inner_text()
        holder.get_by_role("button", name="Stop", exact=True).click()  # frees the only slot
        holder.get_by_text(re.compile(r"Stopped at step \d+")).wait_for(timeout=60_000)
        verdicts = []
        for page in (english, chinese):
            banner = page.locator("[data-testid='stAlertContentSuccess']").first
            banner.wait_for(timeout=240_000)
            verdicts.append(banner.inner_text())
        assert "Egyptian" in verdicts[0] and "toaster" in verdicts[0], verdicts[0]
        assert "烤面包机" in verdicts[1] or "toaster" in verdicts[1], verdicts[1]
        assert english.get_by_text(re.compile("in line")).count() == 0  # the notice is gone once it ran
    finally:
        for context, _ in tabs:
            context.close()
