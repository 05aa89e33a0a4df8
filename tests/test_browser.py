"""End to end in a real browser: Debian's Chromium (via Playwright) against `streamlit run` on a free port.

Skipped only when Chromium is missing and the CI variable is unset; under CI these tests always run.
"""
from __future__ import annotations

import re

import pytest
from conftest import ASSETS, READY, ROOT, missing_browser

pytestmark = [pytest.mark.slow, pytest.mark.browser]

SCREENSHOT = ROOT / "docs" / "screenshots" / "lab.png"
ARTIFACTS = ROOT / "tests" / "artifacts"
TOASTER = 859

if why := missing_browser():
    pytest.skip(why, allow_module_level=True)


@pytest.fixture(scope="module")
def engine():
    from attack.models import load_model

    return load_model("efficientnet-lite0")


def open_lab(context, url: str, query: str = ""):
    page = context.new_page()
    page.goto(f"{url}/{query}")
    page.wait_for_selector(".st-key-lab-attack button", timeout=120_000)
    page.wait_for_selector(READY, timeout=120_000)
    return page


WATCH_CURVE = """() => {
  window.__curves = new Set();
  window.__watch = setInterval(() => {
    const line = document.querySelector('.st-key-live-cost path.js-line');
    if (line) window.__curves.add(line.getAttribute('d'));
  }, 15);
}"""


def press_attack(page) -> None:
    """Click Attack once the page has settled."""
    page.wait_for_selector(READY, timeout=120_000)
    page.locator(".st-key-lab-attack button:visible").first.click()


def attack(page, timeout: float = 180_000) -> str:
    """Press Attack and wait for the verdict banner; returns its text."""
    press_attack(page)
    banner = page.locator("[data-testid='stAlertContentSuccess'], [data-testid='stAlertContentWarning'], "
                          "[data-testid='stAlertContentInfo']").filter(has_text=re.compile("Fooled|Not fooled|Stopped"))
    banner.first.wait_for(timeout=timeout)
    page.wait_for_selector(READY, timeout=timeout)
    return banner.first.inner_text()


def test_upload_attack_live_download_and_screenshot(server, browser, engine, tmp_path):
    from attack.images import load_image

    context = browser.new_context(viewport={"width": 1440, "height": 900}, accept_downloads=True)
    try:
        # Settings through the link: a small ε so the run takes enough steps to watch.
        page = open_lab(context, server, "?method=pgd&eps=2&target=859&stop=0.9&steps=300")
        page.set_input_files("[data-testid='stFileUploaderDropzoneInput']", str(ASSETS / "chelsea.png"))
        page.get_by_text("chelsea.png — 451 × 300 px").wait_for(timeout=60_000)
        page.wait_for_selector(READY, timeout=60_000)
        page.evaluate(WATCH_CURVE)
        verdict = attack(page)
        assert "Fooled" in verdict and "toaster" in verdict, verdict
        redraws = page.evaluate("() => { clearInterval(window.__watch); return window.__curves.size; }")
        assert redraws >= 3, f"the cost curve was drawn only {redraws} times during the run"

        with page.expect_download() as download:
            page.get_by_role("button", name="Adversarial PNG").click()
        path = tmp_path / "adversarial.png"
        download.value.save_as(path)
        assert download.value.suggested_filename.endswith(".png")
        pixels = load_image(path).pixels
        assert pixels.shape == (300, 451, 3)
        top = engine.classify(pixels, 1)[0]
        assert top.index == TOASTER and top.probability >= 0.9, top

        # The report figure is rendered on click (deferred) and downloads as a wide PNG.
        with page.expect_download(timeout=60_000) as download:
            page.get_by_role("button", name="Report figure (PNG)").click()
        report = tmp_path / "report.png"
        download.value.save_as(report)
        assert download.value.suggested_filename.endswith("-report.png")
        assert load_image(report, max_side=4096).width >= 1600

        SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
        # A tall window shows the whole story: input, live panel, cost curve, verdict, side by side.
        page.set_viewport_size({"width": 1440, "height": 1760})
        page.evaluate("() => document.querySelector('[data-testid=stMain]').scrollTo(0, 0)")
        page.wait_for_timeout(500)
        page.screenshot(path=str(SCREENSHOT))
        assert SCREENSHOT.stat().st_size > 50_000
    finally:
        context.close()


def test_two_sessions_attack_at_once(server, browser):
    contexts = [browser.new_context(viewport={"width": 1280, "height": 900}) for _ in range(2)]
    try:
        pages = [open_lab(contexts[0], server, "?sample=coffee&method=pgd&eps=2&target=859&stop=0.9"),
                 open_lab(contexts[1], server, "?sample=chelsea&method=mi-fgsm&eps=2&target=963&stop=0.9")]
        for page in pages:  # press both before waiting for either
            press_attack(page)
        verdicts = []
        for page in pages:
            banner = page.locator("[data-testid='stAlertContentSuccess']").first
            banner.wait_for(timeout=180_000)
            verdicts.append(banner.inner_text())
        assert "espresso" in verdicts[0] and "toaster" in verdicts[0], verdicts[0]
        assert "Egyptian" in verdicts[1] and "pizza" in verdicts[1], verdicts[1]
    finally:
        for context in contexts:
            context.close()


def test_stop_ends_the_attack_and_keeps_the_steps(server, browser):
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    try:
        # The tutorial's method with a tiny learning rate: it would run for minutes.
        page = open_lab(context, server, "?sample=coffee&method=gradient-ascent&eps=1.275&step=0.1"
                                         "&steps=3000&stop=0.99&target=859")
        press_attack(page)
        progress = page.locator("[data-testid='stProgress']")
        progress.get_by_text(re.compile(r"Step (1\d|[2-9]\d|\d{3,}) /")).wait_for(timeout=120_000)
        page.get_by_role("button", name="Stop", exact=True).click()
        info = page.get_by_text(re.compile(r"Stopped at step \d+"))
        try:
            info.wait_for(timeout=60_000)
        except Exception:
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / "stop-failure.png"))
            raise
        stopped_at = int(re.search(r"step (\d+)", info.inner_text()).group(1))
        assert 10 <= stopped_at < 3000
        from playwright.sync_api import expect

        page.wait_for_selector(READY, timeout=60_000)
        expect(page.get_by_role("button", name="Adversarial PNG")).to_be_visible(timeout=30_000)
        # The attack's progress bar is gone (the checks panel below has a "passed" bar of its own).
        expect(page.locator("[data-testid='stProgress']").filter(has_text="steps/s")).to_have_count(0, timeout=30_000)
        steps_metric = page.locator("[data-testid='stMetric']").filter(has_text="Steps")
        expect(steps_metric).to_contain_text(str(stopped_at), timeout=30_000)
        assert steps_metric.inner_text().split()[-1] == str(stopped_at)
    finally:
        context.close()


def test_presenter_mode_screenshot(server, browser):
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    try:
        page = open_lab(context, server, "?present=1&sample=chelsea")
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "presenter.png"))
        attack_button = page.locator(".st-key-lab-attack button:visible").first
        assert attack_button.bounding_box()["height"] >= 60
        assert page.locator("[data-testid='stSidebar'][data-collapsed='true']").count() == 1
    finally:
        context.close()
