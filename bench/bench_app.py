"""What the live view costs: seconds per step inside the running app against the bare engine generator.

Starts `streamlit run` on a free port, drives it with headless Chromium (Playwright + Debian's
chromium), runs the same attack the bench then runs on the bare generator, and reads the app's
numbers from its "Run as JSON" download (attack compute time per step, wall time per step as the
user waited for it, redraws and the share of time spent drawing).

    .venv/bin/python bench/bench_app.py [--runs 2] [--steps 60]
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from server import free_port, start_server  # noqa: E402  (bench/server.py, beside this script)

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PIG = ROOT.parent / "shared" / "data" / "pig.jpg"
READY = "[data-testid='stApp'][data-test-script-state='notRunning']"


def in_app(port: int, image: Path, query: str, runs: int) -> list[dict]:
    from playwright.sync_api import sync_playwright

    results = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium",
                                    args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        page = browser.new_page(viewport={"width": 1440, "height": 900}, accept_downloads=True)
        page.goto(f"http://127.0.0.1:{port}/{query}")
        page.wait_for_selector(".st-key-lab-attack button", timeout=180_000)
        page.wait_for_selector(READY, timeout=180_000)
        page.set_input_files("[data-testid='stFileUploaderDropzoneInput']", str(image))
        page.get_by_text(f"{image.name} — ").wait_for(timeout=60_000)
        for _ in range(runs):
            page.wait_for_selector(READY, timeout=180_000)
            page.locator(".st-key-lab-attack button:visible").first.click()
            page.wait_for_selector("[data-testid='stApp'][data-test-script-state='running']", timeout=30_000)
            page.wait_for_selector(READY, timeout=600_000)
            page.get_by_role("button", name="Run as JSON").wait_for(timeout=60_000)
            with page.expect_download() as download:
                page.get_by_role("button", name="Run as JSON").click()
            results.append(json.loads(Path(download.value.path()).read_text()))
        browser.close()
    return results


def bare(image: Path, settings: dict, runs: int) -> list[tuple[int, float]]:
    from attack.attacks import make_attack
    from attack.inputs.images import load_image
    from attack.models import load_model

    classifier = load_model(settings["model"])
    pixels = load_image(image).pixels
    out = []
    for _ in range(runs):
        attack = make_attack(settings["method"], classifier, epsilon=settings["epsilon"], target=settings["target"],
                             step_size=settings["step_size"], max_steps=settings["max_steps"],
                             stop_at=settings["stop_at"], seed=settings["seed"])
        started = time.perf_counter()
        last = None
        for last in attack.run(pixels):
            pass
        out.append((last.step, time.perf_counter() - started))
    return out


def headless(image: Path, query: dict, runs: int) -> list[dict]:
    """The same run inside Streamlit's AppTest: the page's own cost, without a browser competing for CPU."""
    from streamlit.testing.v1 import AppTest

    from app.lab.files import run_json

    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=600)
    at.query_params.update(query)
    at.run()
    at.file_uploader(key="lab.uploader").upload(image.name, image.read_bytes(), "image/jpeg").run()
    out = []
    for _ in range(runs):
        at.button(key="lab-attack").click().run()
        out.append(json.loads(json.dumps(run_json(at.session_state["lab.run"]))))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=2, help="attacks per side; the first one warms up")
    parser.add_argument("--steps", type=int, default=60)
    parser.add_argument("--eps", type=float, default=1.0, help="ε in levels (1: enough steps to measure)")
    args = parser.parse_args()
    image = PIG if PIG.exists() else ROOT / "assets" / "chelsea.png"
    # stop at 0.99 with a fixed seed: both sides take the same, deterministic number of steps
    query = f"?method=pgd&eps={args.eps:g}&target=859&stop=0.99&steps={args.steps}&seed=0&step=auto"
    port = free_port()
    server = start_server(port)
    try:
        app_runs = in_app(port, image, query, args.runs)
    finally:
        server.terminate()
        server.wait(timeout=30)
    settings = app_runs[-1]["settings"]
    bare_runs = bare(image, settings, args.runs)
    apptest_runs = headless(image, dict(pair.split("=") for pair in query[1:].split("&")), args.runs)

    print(f"image {image.name}, PGD ε={args.eps:g} → toaster, stop at 0.99, ≤{args.steps} steps; last of {args.runs} runs "
          f"(the first warms up)\n")
    print(f"{'':28}{'steps':>7}{'s/step':>9}{'total s':>9}{'redraws':>9}{'drawing':>9}")
    steps, seconds = bare_runs[-1]
    print(f"{'bare generator':28}{steps:>7}{seconds / max(steps, 1):>9.4f}{seconds:>9.2f}{'-':>9}{'-':>9}")
    run = app_runs[-1]
    app, n = run["app"], max(run["steps"], 1)
    print(f"{'in app: attack compute':28}{run['steps']:>7}{run['seconds'] / n:>9.4f}{run['seconds']:>9.2f}"
          f"{'-':>9}{'-':>9}")
    share = app["draw_seconds"] / app["wall_seconds"] if app["wall_seconds"] else 0.0
    print(f"{'in app: wall (with drawing)':28}{run['steps']:>7}{app['wall_seconds'] / n:>9.4f}"
          f"{app['wall_seconds']:>9.2f}{app['redraws']:>9}{share:>9.1%}")
    quiet = apptest_runs[-1]
    qa, qn = quiet["app"], max(quiet["steps"], 1)
    qshare = qa["draw_seconds"] / qa["wall_seconds"] if qa["wall_seconds"] else 0.0
    print(f"{'AppTest (no browser): wall':28}{quiet['steps']:>7}{qa['wall_seconds'] / qn:>9.4f}"
          f"{qa['wall_seconds']:>9.2f}{qa['redraws']:>9}{qshare:>9.1%}")
    bare_step = seconds / max(steps, 1)
    print(f"\nwall time per step / bare: in the browser {app['wall_seconds'] / n / bare_step:.2f}×, "
          f"in AppTest {qa['wall_seconds'] / qn / bare_step:.2f}×")
    print("(on a 2-core machine headless Chromium rendering the page competes with TensorFlow for the cores)")


if __name__ == "__main__":
    main()
