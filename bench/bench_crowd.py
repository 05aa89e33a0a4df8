"""A room full of people: N sessions press Attack at the same moment on one real server.

Starts `streamlit run streamlit_app.py` (the production server, unchanged) and opens N browser-less
sessions on it: each is a websocket client speaking Streamlit's own protocol (the protobuf BackMsg /
ForwardMsg a browser tab exchanges), so every session runs in the server process exactly as a tab's
would — the page script, the live panel, the attack, the verification, the robustness checks. Each
session opens the lab on a different bundled sample (`?sample=…`, cycling through the five), waits
for the page, and then all of them press Attack with the lab's defaults (its default method →
toaster, ε = 2, stop at 90 %) within a few milliseconds of each other.

Per N it prints the click-to-result time (click sent → the verified result banner arrives:
p50 / p95 / max), the attack steps per second summed over all sessions (steps read from each
result's "Steps" metric, over the time from the first click to the last result), how many results
were verified successes, and the latency of `GET /_stcore/health` polled every 0.25 s from a
separate process while the attacks run (the same process that runs the attacks answers it).

What it does not model: a browser's own rendering (no Chromium here: 30 of them would not fit on this
machine), and the clients' decoding runs on the same cores as the server, so figures are a little
pessimistic. The machine is shared (2 cores): run it twice and read the spread.

    .venv/bin/python bench/bench_crowd.py [--sessions 1,5,10,30] [--timeout 900]

`--url http://HOST:PORT` drives a server that is already running (e.g. the balancer of
`deploy/start.sh N`) instead of starting one; `--warmup K` opens K warm-up sessions at once, so that
a balancer deals one to each of K replicas (each loads its models and compiles its step once).
"""
from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import os
import subprocess
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from server import free_port, start_server, stop_server  # noqa: E402  (bench/server.py, beside this script)

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ("coffee", "chelsea", "grace_hopper", "rocket", "astronaut")
ATTACK_KEY = "lab-attack"
SUCCESS, WARNING = 4, 2  # streamlit.proto.Alert.Format


@dataclass
class Outcome:
    sample: str
    seconds: float | None = None  # click → result banner
    success: bool = False
    steps: int | None = None
    error: str = ""


@dataclass
class Session:
    """One browser-less tab: a websocket speaking Streamlit's protocol."""

    url: str
    sample: str
    method: str | None = None  # None: the lab's default attack
    ws: object = None
    attack_id: str | None = None
    outcome: Outcome = field(default=None)

    async def open(self) -> None:
        import websockets

        self.outcome = Outcome(self.sample)
        self.ws = await websockets.connect(self.url, subprotocols=["streamlit"], max_size=2**26,
                                           ping_interval=None, open_timeout=120)
        await self.rerun([], query=self.query)
        await self.until_finished()

    @property
    def query(self) -> str:
        return f"sample={self.sample}" + (f"&method={self.method}" if self.method else "")

    async def rerun(self, widget_states, query: str = "") -> None:
        from streamlit.proto.BackMsg_pb2 import BackMsg

        msg = BackMsg()
        msg.rerun_script.query_string = query
        msg.rerun_script.widget_states.widgets.extend(widget_states)
        await self.ws.send(msg.SerializeToString())

    async def messages(self):
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        while True:
            msg = ForwardMsg()
            msg.ParseFromString(await self.ws.recv())
            yield msg

    async def until_finished(self) -> None:
        """Read the first page run; remember the Attack button's widget id."""
        async for msg in self.messages():
            kind = msg.WhichOneof("type")
            if kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
                element = msg.delta.new_element
                if element.WhichOneof("type") == "button" and element.button.id.endswith(ATTACK_KEY):
                    self.attack_id = element.button.id
            elif kind == "script_finished":
                if self.attack_id is None:
                    raise RuntimeError("the lab page showed no Attack button")
                return

    async def attack(self, clicked: float) -> None:
        from streamlit.proto.WidgetStates_pb2 import WidgetState

        click = WidgetState(id=self.attack_id, trigger_value=True)
        await self.rerun([click], query=self.query)
        try:
            async for msg in self.messages():
                kind = msg.WhichOneof("type")
                if kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
                    element = msg.delta.new_element
                    if (element.WhichOneof("type") == "alert" and element.alert.format in (SUCCESS, WARNING)
                            and self.outcome.seconds is None):
                        self.outcome.seconds = time.perf_counter() - clicked
                        self.outcome.success = element.alert.format == SUCCESS
                    elif element.WhichOneof("type") == "metric" and element.metric.label == "Steps":
                        self.outcome.steps = int(element.metric.body)
                elif kind == "script_finished":
                    return  # the result, the replay and the robustness checks are all on the page
        finally:
            await self.ws.close()


def _poll_health(url: str, interval: float, stopping, answers) -> None:
    latencies, failures = [], 0
    while not stopping.is_set():
        began = time.perf_counter()
        try:
            with urllib.request.urlopen(url, timeout=30) as answer:
                answer.read()
            latencies.append(time.perf_counter() - began)
        except OSError:
            failures += 1
        stopping.wait(max(0.0, interval - (time.perf_counter() - began)))
    answers.put((latencies, failures))


class HealthProbe:
    """GET /_stcore/health every `interval` s from a process of its own; keeps each answer's latency.

    A process, not a thread: a thread here would share the interpreter lock with the 30 websocket
    clients parsing their results, and time this benchmark's own waits instead of the server's."""

    def __init__(self, base: str, interval: float = 0.25):
        context = multiprocessing.get_context("spawn")
        self.stopping, self._answers = context.Event(), context.Queue()
        self._process = context.Process(target=_poll_health, daemon=True, args=(
            f"{base}/_stcore/health", interval, self.stopping, self._answers))
        self.latencies: list[float] = []
        self.failures = 0

    def start(self) -> None:
        self._process.start()

    def join(self) -> None:
        self.latencies, self.failures = self._answers.get(timeout=60)
        self._process.join(10)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


async def crowd(base: str, n: int, timeout: float, method: str | None = None, announce: bool = False) -> dict:
    """N sessions on the server at `base` (http://host:port) press Attack at once; their figures."""
    url = "ws" + base.removeprefix("http") + "/_stcore/stream"
    sessions = [Session(url, SAMPLES[i % len(SAMPLES)], method) for i in range(n)]
    for i in range(0, n, 10):  # open the pages ten at a time: page loads are not what is measured
        await asyncio.gather(*(s.open() for s in sessions[i:i + 10]))
    probe = HealthProbe(base)
    probe.start()
    clicked = time.perf_counter()
    if announce:  # a mark for profilers attached to the server: the measured part starts now
        print(f"     ({n} pages open; clicking Attack)", flush=True)
    try:
        await asyncio.wait_for(asyncio.gather(*(s.attack(clicked) for s in sessions), return_exceptions=True),
                               timeout)
    except asyncio.TimeoutError:
        pass
    probe.stopping.set()
    probe.join()
    outcomes = [s.outcome for s in sessions]
    times = [o.seconds for o in outcomes if o.seconds is not None]
    steps = sum(o.steps or 0 for o in outcomes)
    span = max(times) if times else float("nan")
    return {"n": n, "results": len(times), "success": sum(o.success for o in outcomes),
            "p50": percentile(times, 0.5) if times else float("nan"),
            "p95": percentile(times, 0.95) if times else float("nan"), "max": span,
            "steps_per_s": steps / span if times else float("nan"), "steps": steps,
            "health_p50": percentile(probe.latencies, 0.5) if probe.latencies else float("nan"),
            "health_max": max(probe.latencies) if probe.latencies else float("nan"),
            "health_failures": probe.failures, "outcomes": outcomes}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sessions", default="1,5,10,30", help="comma-separated crowd sizes")
    parser.add_argument("--timeout", type=float, default=900, help="seconds a crowd may take before it is cut off")
    parser.add_argument("--method", help="the attack to run (a share-link method name); default: the lab's default")
    parser.add_argument("--url", help="drive the server (or balancer) at this http://HOST:PORT instead of starting one")
    parser.add_argument("--warmup", type=int, default=1, help="warm-up sessions opened at once (one per replica)")
    parser.add_argument("--verbose", action="store_true", help="also print every session's time and steps")
    args = parser.parse_args()
    if args.url:
        measure(args, args.url.rstrip("/"))
        return
    port = free_port()
    with tempfile.TemporaryFile() as log:
        server = start_server(port, log)
        try:
            measure(args, f"http://127.0.0.1:{port}")
        finally:
            stop_server(server, log)


def measure(args: argparse.Namespace, base: str) -> None:
    """Warm the server up (not measured), then print one row per crowd size."""
    sizes = [int(n) for n in args.sessions.split(",")]
    attack_name = args.method or "the lab's default attack"
    # Warm-up: loads the three models and compiles the gradient step once (per replica reached).
    asyncio.run(crowd(base, args.warmup, args.timeout, args.method))
    print(f"commit {subprocess.run(['git', 'rev-parse', '--short', 'HEAD'], cwd=ROOT, capture_output=True, text=True).stdout.strip()}, "
          f"{os.cpu_count()} CPU cores; {attack_name} (→ toaster, ε 2, stop at 90 %) on the bundled samples"
          + (f"; through {base}" if args.url else ""))
    print(f"{'N':>3} {'verified':>9} {'p50 s':>7} {'p95 s':>7} {'max s':>7} {'steps/s':>8} "
          f"{'health p50':>11} {'health max':>11}")
    for n in sizes:
        r = asyncio.run(crowd(base, n, args.timeout, args.method, announce=args.verbose))
        print(f"{r['n']:>3} {r['success']:>4}/{n:<4} {r['p50']:>7.1f} {r['p95']:>7.1f} {r['max']:>7.1f} "
              f"{r['steps_per_s']:>8.1f} {r['health_p50']:>10.3f}s {r['health_max']:>10.3f}s"
              + (f"  ({n - r['results']} without a result)" if r["results"] < n else "")
              + (f"  ({r['health_failures']} health checks failed)" if r["health_failures"] else ""),
              flush=True)
        if args.verbose:
            print("     " + ", ".join(f"{o.sample} {o.seconds or float('nan'):.1f}s/{o.steps}"
                                   + ("" if o.success else " ✗") for o in sorted(
                                       r["outcomes"], key=lambda o: o.seconds or 1e9)), flush=True)


if __name__ == "__main__":
    main()
