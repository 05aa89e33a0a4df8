"""A hostile room: N honest sessions press Attack while M mischievous ones try to wreck the server.

One real `streamlit run` (bench/server.py) started with ADVERSARIAL_LAB_LOOPBACK_OPERATOR=0, so every
session from this machine is *audience*, and with KERAS_HOME in a fresh temporary folder, so anything
installed there shows. The honest sessions are bench_crowd.py's: each opens the lab on a bundled sample
and presses Attack with the lab's defaults, all at once; click-to-verdict is timed and the verdict must
be a verified success. Meanwhile each hostile session goes through these, each visitor starting at
another place in the lists, until the honest ones are done:

- hopeless runs from links (ε 0.5: the image can never change; ε 1 toward a far class, with PGD and
  with the tutorial's method at a tiny learning rate), on samples of different sizes and on small
  uploaded photos of odd sizes, held for a while and then abandoned by closing the tab, or reloaded
  mid-run;
- a 100 kB `target=` link (and the same text in the explorer's target box);
- a 30 MB upload and a 40 kB PNG that declares 40 million pixels;
- a rigged weights file, if the audience can reach any weights uploader ("not reachable" is the
  outcome we want, and is recorded as such);
- a result's GIF and report downloads clicked again and again.

It prints the honest sessions' p50 / p95 / max click-to-verdict and how many were verified, the
health endpoint's latency (p95, max) polled every 0.25 s from a process of its own, the server's
peak RSS (VmHWM), any file that appeared under KERAS_HOME, whether the server is alive, whether a fresh
session can still open the lab, the explorer and the principles page without an exception, and what
each hostile behaviour met. With --baseline (the default) the N honest sessions first run alone on
a server started the same way, and both columns are printed side by side with the issue's goal.
Each hostile visitor keeps two tabs busy: one going through RUNS, one through POKES.

    .venv/bin/python bench/bench_hostile.py [--honest 25] [--hostile 5] [--no-baseline] [--seconds 900]
    .venv/bin/python bench/bench_hostile.py --url http://127.0.0.1:8501 --keras-home DIR  # a running server

The machine is shared (2 cores): figures from one run are noisy; read them beside the baseline.
"""
from __future__ import annotations

import argparse
import asyncio
import io
import os
import random
import subprocess
import tempfile
import time
import urllib.parse
import urllib.request
import zlib
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from bench_crowd import SAMPLES, HealthProbe, Session, percentile
from server import free_port, start_server, stop_server
from tab import ERROR, SUCCESS, WARNING, Tab

ROOT = Path(__file__).resolve().parent.parent
HOPELESS = "method=pgd&eps=0.5&steps=5000&stop=0.99"  # below one level: the image can never change
FAR = "method=pgd&eps=1&steps=5000&stop=0.99&target=0"  # one level toward "tench", from anything but a fish
# The tutorial's method with a tiny learning rate: minutes on any machine, also at ε 1.
CRAWL = "method=gradient-ascent&eps=1&step=0.1&steps=5000&stop=0.99&target=0"
ODD_SIZES = ((97, 61), (211, 37), (333, 149), (517, 389))
GOAL = {"honest": 25, "hostile": 5, "p95_ratio": 1.5, "health_s": 1.0, "rss_gb": 4.0}


@dataclass
class Room:
    """What the hostile sessions share: the server's port, their files, and where outcomes go."""

    port: int
    hold: float  # seconds a hopeless run is watched before its tab is closed
    limit: float  # seconds any one hostile step may take before it is cut off
    keras_home: Path | None
    files: dict = field(default_factory=dict)
    outcomes: dict = field(default_factory=lambda: defaultdict(Counter))

    def note(self, behaviour: str, outcome: str) -> None:
        self.outcomes[behaviour][outcome] += 1


# --- hostile files ----------------------------------------------------------------------------------
def png(width: int, height: int, rows: bytes | None = None, grey: bool = False) -> bytes:
    """A PNG written by hand: noise, or the same row `height` times (a bomb compresses to nothing)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return len(data).to_bytes(4, "big") + kind + data + zlib.crc32(kind + data).to_bytes(4, "big")

    channels = 1 if grey else 3
    header = width.to_bytes(4, "big") + height.to_bytes(4, "big") + bytes([8, 0 if grey else 2, 0, 0, 0])
    packer = zlib.compressobj(9)
    body = b""
    for _ in range(height):
        row = rows if rows is not None else random.randbytes(width * channels)
        body += packer.compress(b"\x00" + row)
    body += packer.flush()
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", body) + chunk(b"IEND", b"")


def fake_weights() -> bytes:
    """A small HDF5 file shaped like Keras weights: one layer whose dataset declares 64 MiB and stores none."""
    import h5py

    buffer = io.BytesIO()
    with h5py.File(buffer, "w") as f:
        f.attrs["layer_names"] = [b"Conv1"]
        f.attrs["backend"], f.attrs["keras_version"] = b"tensorflow", b"2.15.0"
        group = f.create_group("Conv1")
        group.attrs["weight_names"] = [b"Conv1/kernel:0"]
        group.create_dataset("Conv1/kernel:0", shape=(4096, 4096), dtype="f4", chunks=(64, 64))
    return buffer.getvalue()


def hostile_files() -> dict[str, bytes]:
    return {"big": b"\x89PNG\r\n\x1a\n" + os.urandom(30 * 2**20),
            "bomb": png(6000, 6600, rows=bytes(6000), grey=True),  # 39.6 Mpx, just under the declared-size cap
            "weights": fake_weights(),
            **{f"odd{i}": png(w, h) for i, (w, h) in enumerate(ODD_SIZES)}}


# --- hostile behaviours: each opens its own tabs and says in a few words what happened --------------
async def hold_run(room: Room, tab: Tab) -> str:
    """Press Attack, watch the run for `room.hold` s, and say how it ended (or that it was abandoned)."""
    began, before = time.perf_counter(), tab.shown()
    await tab.click("lab-attack")
    await tab.until(lambda: tab.verdict(before) is not None or not tab.running, room.hold)
    verdict, seconds = tab.verdict(before), time.perf_counter() - began
    if verdict is None and tab.running:
        return "still running when the tab closed" + (" (waiting in line)" if "line" in " ".join(
            b for _, b in tab.alerts) else "")
    if verdict is None:
        return f"ended in {seconds:.0f} s without a verdict" + (" (exception)" if tab.exceptions else "")
    kind = {SUCCESS: "fooled", WARNING: "ended", ERROR: "refused"}.get(verdict[0], "stopped")
    return f"{kind} after {seconds:.0f} s: {short(verdict[1])}"


async def hopeless_run(room: Room, i: int) -> str:
    async with Tab(room.port, f"sample={SAMPLES[i % len(SAMPLES)]}&{HOPELESS}") as tab:
        await tab.open(room.limit)
        return await hold_run(room, tab)


async def far_target_run(room: Room, i: int) -> str:
    async with Tab(room.port, f"sample={SAMPLES[i % len(SAMPLES)]}&{FAR}") as tab:
        await tab.open(room.limit)
        return await hold_run(room, tab)


async def crawling_run(room: Room, i: int) -> str:
    async with Tab(room.port, f"sample={SAMPLES[(i + 1) % len(SAMPLES)]}&{CRAWL}") as tab:
        await tab.open(room.limit)
        return await hold_run(room, tab)


async def odd_photo_run(room: Room, i: int) -> str:
    """A small uploaded photo of an odd size, then the hopeless link's run on it."""
    name = f"odd{i % len(ODD_SIZES)}"
    async with Tab(room.port, HOPELESS) as tab:
        await tab.open(room.limit)
        status = await tab.upload("lab.uploader", f"{name}.png", room.files[name])
        if status != 204 or not await tab.idle(room.limit):
            return f"upload answered HTTP {status}"
        return await hold_run(room, tab)


async def reload_mid_run(room: Room, i: int) -> str:
    """Start a hopeless run, close the tab once it is under way, open the same link again and repeat."""
    query = f"sample={SAMPLES[(i + 2) % len(SAMPLES)]}&{HOPELESS}"
    for _ in range(2):
        async with Tab(room.port, query) as tab:
            await tab.open(room.limit)
            before = tab.shown()
            await tab.click("lab-attack")
            await tab.until(lambda: tab.progress or tab.verdict(before) or not tab.running, room.limit)
            if not tab.running:
                return f"the run ended before the reload: {short((tab.verdict(before) or (0, '?'))[1])}"
    return "closed twice mid-run"


async def long_link(room: Room, i: int) -> str:
    """A 100 kB `target=` link on the lab, then the same text in the explorer's target box."""
    target = urllib.parse.quote("toaster" * 14_300)
    began = time.perf_counter()
    async with Tab(room.port, f"method=pgd&target={target}") as tab:
        answered = await tab.open(room.limit)
        lab = page_state(tab, answered, time.perf_counter() - began)
    began = time.perf_counter()
    async with Tab(room.port, page="explorer") as tab:
        await tab.open(room.limit)
        await tab.type_text("explorer.target", "toaster" * 14_300)
        answered = await tab.idle(room.limit)
        explorer = page_state(tab, answered, time.perf_counter() - began)
    return f"lab: {lab}; explorer box: {explorer}"


async def oversized_upload(room: Room, i: int) -> str:
    return await upload_only(room, "huge.png", room.files["big"])


async def bomb_upload(room: Room, i: int) -> str:
    return await upload_only(room, "bomb.png", room.files["bomb"])


async def upload_only(room: Room, name: str, data: bytes) -> str:
    began = time.perf_counter()
    async with Tab(room.port) as tab:
        await tab.open(room.limit)
        status = await tab.upload("lab.uploader", name, data)
        if status != 204:
            return f"refused by the server (HTTP {status})"
        answered = await tab.idle(room.limit)
        return f"taken (HTTP 204); page: {page_state(tab, answered, time.perf_counter() - began)}"


async def rigged_weights(room: Room, i: int) -> str:
    """Offer a fake MobileNetV2 weights file through the "More models" panel, if the audience has one."""
    async with Tab(room.port) as tab:
        await tab.open(room.limit)
        shown = room.keras_home is not None and any(str(room.keras_home) in text for text in tab.texts)
        path_note = "; the server's path was on the page" if shown else ""
        chooser = tab.find("weights.choice")
        option = next((o for o in (chooser.options if chooser else []) if "MobileNet" in o), None)
        if option is None:
            return "not reachable (no model to install offered)" + path_note
        await tab.choose("weights.choice", option)
        await tab.idle(room.limit)
        if tab.find("weights.mobilenetv2") is None:
            return "not reachable (no weights uploader)" + path_note
        began = time.perf_counter()
        status = await tab.upload("weights.mobilenetv2", "mobilenet_v2_weights.h5", room.files["weights"])
        if status != 204:
            return f"uploader refused the file (HTTP {status})" + path_note
        answered = await tab.idle(room.limit)
        return f"REACHABLE: {page_state(tab, answered, time.perf_counter() - began)}" + path_note


async def download_storm(room: Room, i: int) -> str:
    """Get one quick result, then click its GIF and report downloads three times each, all at once."""
    async with Tab(room.port, f"sample={SAMPLES[i % len(SAMPLES)]}") as tab:
        await tab.open(room.limit)
        await tab.click("lab-attack")
        if not await tab.idle(room.limit) or tab.find("lab.download.gif") is None:
            return "no result to download within the time limit"
        answers = await asyncio.gather(*(tab.download(key, room.limit) for key in
                                         ("lab.download.gif", "lab.download.report") * 3), return_exceptions=True)
    done = [a for a in answers if isinstance(a, tuple) and a[0]]
    slowest = max((s for _, s in done), default=float("nan"))
    return f"{len(done)}/{len(answers)} files came back (slowest {slowest:.0f} s)"


# A hostile visitor keeps two tabs busy at once: one with runs that hold the worker, one poking at inputs.
RUNS = {"ε 0.5 run": hopeless_run, "crawling ε 1 run": crawling_run, "odd photo run": odd_photo_run,
        "reload mid-run": reload_mid_run, "far-target ε 1 run": far_target_run}
POKES = {"100 kB link": long_link, "30 MB upload": oversized_upload, "PNG bomb": bomb_upload,
         "rigged weights": rigged_weights, "GIF/report clicks": download_storm}


def page_state(tab: Tab, answered: bool, seconds: float) -> str:
    if tab.exceptions:
        return f"EXCEPTION {short(tab.exceptions[-1])}"
    if not answered:
        return f"no answer in {seconds:.0f} s"
    shown = next((b for f, b in tab.alerts if f in (ERROR, WARNING)), None)
    return f"answered in {seconds:.0f} s" + (f" ({short(shown)})" if shown else "")


def short(text: str, length: int = 70) -> str:
    text = " ".join(text.split())
    return text if len(text) <= length else text[:length - 1] + "…"


async def hostile(room: Room, index: int, stopping: asyncio.Event) -> None:
    """One hostile visitor: its runs and its pokes side by side, until stopped."""
    await asyncio.gather(lane(room, RUNS, index, stopping), lane(room, POKES, index, stopping))


async def lane(room: Room, behaviours: dict, index: int, stopping: asyncio.Event) -> None:
    """The behaviours in turn (each visitor starting at another one), each cut off after 2 × `room.limit` s."""
    names = list(behaviours)
    k = 0
    while not stopping.is_set():
        name = names[(index + k) % len(names)]
        k += 1
        try:
            outcome = await asyncio.wait_for(behaviours[name](room, index + k), room.limit * 2)
        except asyncio.TimeoutError:
            outcome = f"cut off after {room.limit * 2:.0f} s"
        except asyncio.CancelledError:
            room.note(name, "cut off when the honest sessions were done")
            raise
        except Exception as error:  # noqa: BLE001  a refused connection is an outcome too
            outcome = f"failed: {type(error).__name__}: {short(str(error), 50)}"
        room.note(name, outcome)


# --- the server's state --------------------------------------------------------------------------------
def server_pid(port: int) -> int | None:
    """The process listening on the loopback `port` (ours, so its /proc entries are readable)."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            cells = line.split()
            if int(cells[1].rsplit(":", 1)[1], 16) == port and cells[3] == "0A":  # LISTEN
                inodes.add(f"socket:[{cells[9]}]")
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                if any(os.readlink(fd) in inodes for fd in (proc / "fd").iterdir()):
                    return int(proc.name)
            except OSError:
                continue
    return None


def peak_rss(pid: int | None) -> int | None:
    """The process's peak resident memory in bytes (VmHWM), or None once it is gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    except (OSError, TypeError):
        return None
    return None


def installed_files(keras_home: Path | None) -> set[str]:
    """Files under KERAS_HOME, but keras.json: Keras writes its own settings there when imported."""
    if keras_home is None or not keras_home.exists():
        return set()
    return {str(p.relative_to(keras_home)) for p in keras_home.rglob("*") if p.is_file()} - {"keras.json"}


async def watch(pid: int | None, keras_home: Path | None, stopping: asyncio.Event, seen: dict) -> None:
    """Every half second: the server's peak RSS (kept while it lives) and any file under KERAS_HOME."""
    while True:
        seen["rss"] = peak_rss(pid) or seen.get("rss")
        seen["files"] |= installed_files(keras_home)
        if stopping.is_set():
            return
        try:
            await asyncio.wait_for(stopping.wait(), 0.5)
        except asyncio.TimeoutError:
            pass


async def usable_pages(port: int, limit: float) -> dict[str, str]:
    """A fresh visitor opens each page: 'ok', or what went wrong."""
    verdicts = {}
    for page in ("", "explorer", "principles"):
        tab = Tab(port, page=page)
        try:
            answered = await asyncio.wait_for(tab.open(limit), limit + 10)
            verdicts[page or "lab"] = ("EXCEPTION " + short(tab.exceptions[0], 50) if tab.exceptions
                                       else "not found" if tab.page_not_found
                                       else "ok" if answered and tab.finished else f"no answer in {limit:.0f} s")
        except (OSError, asyncio.TimeoutError) as error:
            verdicts[page or "lab"] = f"no answer ({type(error).__name__})"
        finally:
            await tab.close()
    return verdicts


# --- one phase: honest sessions, with or without the hostile ones -----------------------------------------
async def honest(port: int, n: int, limit: float) -> list:
    sessions = [Session(f"ws://127.0.0.1:{port}/_stcore/stream", SAMPLES[i % len(SAMPLES)]) for i in range(n)]
    for i in range(0, n, 10):  # open the pages ten at a time: page loads are not what is measured
        try:
            await asyncio.wait_for(asyncio.gather(*(s.open() for s in sessions[i:i + 10]), return_exceptions=True),
                                   limit)
        except asyncio.TimeoutError:
            pass  # those sessions have no Attack button: no verdict, counted as not verified
    clicked = time.perf_counter()
    ready = [s for s in sessions if s.attack_id]
    try:
        await asyncio.wait_for(asyncio.gather(*(s.attack(clicked) for s in ready), return_exceptions=True), limit)
    except asyncio.TimeoutError:
        pass
    return [s.outcome for s in sessions]  # None where the page never opened


async def phase(port: int, pid: int | None, keras_home: Path | None, args, hostiles: int) -> dict:
    """Warm up, then run the honest sessions (with `hostiles` hostile ones going from a little before)."""
    await asyncio.wait_for(honest(port, 1, args.seconds), args.seconds)  # loads the models, compiles the step
    room = Room(port, args.hold, args.limit, keras_home, files=hostile_files() if hostiles else {})
    stopping, watching = asyncio.Event(), asyncio.Event()
    seen = {"files": set()}
    watcher = asyncio.create_task(watch(pid, keras_home, watching, seen))
    probe = HealthProbe(f"http://127.0.0.1:{port}")
    probe.start()
    storm = [asyncio.create_task(hostile(room, i, stopping)) for i in range(hostiles)]
    if hostiles:  # let the first hopeless runs and long links reach the server before the honest clicks
        await asyncio.sleep(args.head_start)
    outcomes = await honest(port, args.honest, args.seconds)
    stopping.set()
    for task in storm:
        task.cancel()
    await asyncio.gather(*storm, return_exceptions=True)
    probe.stopping.set()
    probe.join()
    pages = await usable_pages(port, args.limit)
    watching.set()
    await watcher
    times = [o.seconds for o in outcomes if o is not None and o.seconds is not None]
    nan = float("nan")
    return {"verified": sum(bool(o and o.success) for o in outcomes), "n": args.honest,
            "p50": percentile(times, 0.5) if times else nan, "p95": percentile(times, 0.95) if times else nan,
            "max": max(times, default=nan),
            "health_p95": percentile(probe.latencies, 0.95) if probe.latencies else nan,
            "health_max": max(probe.latencies, default=nan), "health_failures": probe.failures,
            "rss": seen["rss"], "files": sorted(seen["files"] | installed_files(keras_home)), "pages": pages,
            "outcomes": room.outcomes}


def run_phase(args, hostiles: int) -> dict:
    """One phase on its own server (started as bench_crowd.py does, audience only), or on --url's."""
    if args.url:
        port = urllib.parse.urlsplit(args.url).port
        pid = server_pid(port)
        result = asyncio.run(phase(port, pid, args.keras_home, args, hostiles))
        result["alive"] = alive(port) and (pid is None or peak_rss(pid) is not None)
        return result
    keras_home = Path(tempfile.mkdtemp(prefix="keras-home-"))
    port = free_port()
    with tempfile.TemporaryFile() as log:
        server = start_server(port, log, KERAS_HOME=str(keras_home))  # every session audience (bench/server.py)
        try:
            result = asyncio.run(phase(port, server.pid, keras_home, args, hostiles))
            result["alive"] = server.poll() is None and alive(port)
        finally:
            stop_server(server, log)
    return result


def alive(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=10) as answer:
            return answer.status == 200
    except OSError:
        return False


# --- the report ---------------------------------------------------------------------------------------------
def report(alone: dict | None, storm: dict, args) -> None:
    columns = [("honest alone", alone)] if alone else []
    columns.append((f"+ {args.hostile} hostile", storm))
    gb = 1024 ** 3

    def row(label: str, show) -> None:
        print(f"{label:<26}" + "".join(f"{show(r):>22}" for _, r in columns))

    print(f"{'':<26}" + "".join(f"{name:>22}" for name, _ in columns))
    row("honest runs verified", lambda r: f"{r['verified']}/{r['n']}")
    for q in ("p50", "p95", "max"):
        row(f"click → verdict {q}", lambda r, q=q: f"{r[q]:.1f} s")
    row("health p95 / max", lambda r: f"{r['health_p95']:.2f} / {r['health_max']:.2f} s"
        + (f" ({r['health_failures']} failed)" if r["health_failures"] else ""))
    row("server peak RSS", lambda r: f"{r['rss'] / gb:.2f} GB" if r["rss"] else "unknown")
    row("files under KERAS_HOME", lambda r: ", ".join(r["files"])[:20] or "none")
    row("server alive", lambda r: "yes" if r["alive"] else "NO")
    row("pages usable after", lambda r: "all" if set(r["pages"].values()) == {"ok"} else "NOT ALL")
    for name, r in columns:
        if r["files"]:  # a file the audience wrote, even one that was gone at the end
            print(f"  {name}: appeared under KERAS_HOME: " + ", ".join(r["files"]))
        if set(r["pages"].values()) != {"ok"}:
            print(f"  {name}: " + "; ".join(f"{page} {v}" for page, v in r["pages"].items()))
    print("hostile behaviours (count × what happened):")
    for behaviour, outcomes in storm["outcomes"].items():
        for outcome, count in outcomes.most_common():
            print(f"  {behaviour:<18} {count:>2} × {outcome}")
    goal(alone, storm, args)


def goal(alone: dict | None, storm: dict, args) -> None:
    """The issue's goal, item by item, for this run's sizes (it is stated for 25 honest + 5 hostile)."""
    ratio = storm["p95"] / alone["p95"] if alone and alone["p95"] else float("nan")
    items = [("every honest run verified", storm["verified"] == storm["n"]),
             (f"honest p95 ≤ {GOAL['p95_ratio']}× alone ({ratio:.2f}×)", ratio <= GOAL["p95_ratio"]),
             (f"health ≤ {GOAL['health_s']:.0f} s", storm["health_max"] <= GOAL["health_s"] and not storm["health_failures"]),
             (f"peak RSS ≤ {GOAL['rss_gb']:.0f} GB", bool(storm["rss"]) and storm["rss"] <= GOAL["rss_gb"] * 1024 ** 3),
             ("nothing installed", not storm["files"]), ("the server alive", storm["alive"]),
             ("every page usable", set(storm["pages"].values()) == {"ok"})]
    sizes = f"this run {args.honest} + {args.hostile}"
    print(f"goal ({GOAL['honest']} honest + {GOAL['hostile']} hostile; {sizes}): "
          + "; ".join(f"{text} {'✓' if ok else '✗'}" for text, ok in items))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--honest", type=int, default=GOAL["honest"], help="honest sessions")
    parser.add_argument("--hostile", type=int, default=GOAL["hostile"], help="hostile sessions")
    parser.add_argument("--baseline", action=argparse.BooleanOptionalAction, default=True,
                        help="first run the honest sessions alone, on a server of their own")
    parser.add_argument("--url", help="an already running server on this machine (both phases use it)")
    parser.add_argument("--keras-home", type=Path, help="with --url: the server's KERAS_HOME, to watch")
    parser.add_argument("--seconds", type=float, default=900, help="limit for the honest sessions' runs, per phase")
    parser.add_argument("--hold", type=float, default=20, help="seconds a hostile tab watches its run before closing")
    parser.add_argument("--head-start", type=float, default=10,
                        help="seconds the hostile sessions go on before the honest ones click Attack")
    parser.add_argument("--limit", type=float, default=120, help="seconds one hostile step may wait for the server")
    args = parser.parse_args()
    if args.url and urllib.parse.urlsplit(args.url).hostname not in ("127.0.0.1", "localhost", "::1"):
        parser.error("--url must be a loopback address: this benchmark attacks the server it is given")
    if not 1 <= args.honest <= 100 or not 0 <= args.hostile <= 20:
        parser.error("--honest must be 1–100 and --hostile 0–20")
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    print(f"commit {commit.stdout.strip()}, {os.cpu_count()} CPU cores; {args.honest} honest sessions "
          f"(the lab's default attack on the samples), {args.hostile} hostile; audience only", flush=True)
    alone = run_phase(args, 0) if args.baseline else None
    storm = run_phase(args, args.hostile)
    report(alone, storm, args)


if __name__ == "__main__":
    main()
