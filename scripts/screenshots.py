"""The README's tour: screenshots of a running app at 1440×900 in headless Chromium, saved as small PNGs.

    .venv/bin/python scripts/screenshots.py http://localhost:8501 [docs/img]

Needs Debian's chromium and Playwright (./run-tests.sh installs both). Each shot is reduced to a
256-colour palette (Pillow), which keeps a page of text and charts sharp and under 300 kB.
"""
from __future__ import annotations

import argparse
import io
import re
from pathlib import Path

from PIL import Image

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
READY = "[data-testid='stApp'][data-test-script-state='notRunning']"
VERDICT = re.compile("Fooled|Almost|Not fooled|Stopped")


def save(png: bytes, path: Path) -> None:
    """Write a screenshot as a palette PNG (a tenth of the bytes, no visible change on a UI)."""
    image = Image.open(io.BytesIO(png)).convert("RGB").quantize(256, method=Image.Quantize.MEDIANCUT)
    image.save(path, optimize=True)
    print(f"{path}  {path.stat().st_size / 1000:.0f} kB")


LOADED = """least => {
  const inView = i => { const r = i.getBoundingClientRect(); return r.bottom > 0 && r.top < innerHeight; };
  const images = [...document.querySelectorAll('[data-testid=stMain] img')].filter(inView);  // others load lazily
  return images.length >= least && images.every(i => i.complete && i.naturalWidth > 0)
      && !document.querySelector('[data-testid=stSkeleton]');
}"""


def settle(page, least: int = 0, timeout: float = 240_000) -> None:
    """The script has finished and every image in view (at least `least`) has arrived: a busy server
    sends them late."""
    page.wait_for_selector(READY, timeout=timeout)
    page.wait_for_function(LOADED, arg=least, timeout=timeout)
    page.wait_for_timeout(800)  # let the charts finish their first paint


def attack(page) -> None:
    """Press Attack and wait for the verdict; scroll it into view."""
    page.locator(".st-key-lab-attack button:visible").first.click()
    verdict = page.locator("[data-testid^='stAlertContent']").filter(has_text=VERDICT).first
    verdict.wait_for(timeout=240_000)
    settle(page)
    # The verdict at the top, below the page's navigation bar (which would cover it).
    verdict.evaluate("element => { element.scrollIntoView({block: 'start'}); "
                     "document.querySelector('[data-testid=stMain]').scrollBy(0, -90); }")
    settle(page)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("url")
    parser.add_argument("out", nargs="?", default="docs/img", type=Path)
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=args.chromium, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1440, "height": 900})
        context.set_default_timeout(180_000)  # a busy machine: a screenshot may wait long for a frame
        page = context.new_page()
        page.goto(f"{args.url}/?sample=coffee")
        settle(page, least=6)
        save(page.screenshot(), args.out / "1-lab.png")
        attack(page)
        save(page.screenshot(), args.out / "2-result.png")
        page.goto(f"{args.url}/?sample=coffee&present=1")
        settle(page)
        attack(page)
        save(page.screenshot(), args.out / "3-presenter.png")
        page.goto(f"{args.url}/?mode=tutorial")
        settle(page)
        save(page.screenshot(), args.out / "4-tutorial.png")
        browser.close()


if __name__ == "__main__":
    main()
