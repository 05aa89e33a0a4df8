"""The lab's downloads: the verified PNG, the perturbation, the run as JSON, the report figure and
the animation. Names say what a file is (image, method, goal); the report and the GIF are rendered
only when asked for, and once per run and language: Streamlit calls a download's callable again on
every click, on the server's shared threads, and the GIF takes seconds. The rendered files are kept
in the session under `renders_key` until a newer run replaces the result (app/lab/result.py `forget`).
"""
from __future__ import annotations

import json
import math
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import streamlit as st

from app.i18n import current_language, t
from app.lab.live import LabRun
from attack.inputs.images import encode_png
from attack.running.metrics import amplify
from attack.running.records import result_json
from attack.render import animation, report


def run_json(run: LabRun) -> dict:
    """The run's record (attack/running/records.py, as `run --json` prints it) plus the settings, per-step scalars
    and the in-app timing."""
    def clean(values):
        return [None if (isinstance(v, float) and not math.isfinite(v)) else v for v in values]

    h = run.history
    summary = result_json(run.result, None)
    summary.update({
        "status": run.status, "image": run.image_label, "settings": run.settings.as_dict(),
        "app": {"wall_seconds": round(run.wall_seconds, 4), "draw_seconds": round(run.draw_seconds, 4),
                "redraws": run.redraws},
        "per_step": {"step": h.steps, "loss": clean(h.loss), "target_probability": clean(h.target_probability),
                     "original_probability": clean(h.original_probability), "gradient_linf": clean(h.gradient_linf),
                     "elapsed": clean(h.elapsed)},
    })
    return summary


def downloads(run: LabRun) -> None:
    """The verified PNG, the amplified perturbation and the run as JSON (the last two made on click:
    every result page would otherwise encode a PNG nobody may ask for, in a crowd thirty at once)."""
    result = run.result
    name = file_stem(run)

    def perturbation_png() -> bytes:
        return encode_png(amplify(result.final.original, result.final.image)[0])

    cols = st.columns(3)
    cols[0].download_button(t("lab.download.png"), result.verification.png, f"{name}.png", "image/png",
                            key="lab.download.png", on_click="ignore", type="primary", icon=":material/download:",
                            help=t("lab.download.png.help"), width="stretch")
    cols[1].download_button(t("lab.download.delta"), perturbation_png, f"{name}-perturbation.png", "image/png",
                            key="lab.download.delta", on_click="ignore", icon=":material/download:", width="stretch")
    cols[2].download_button(t("lab.download.json"), lambda: json.dumps(run_json(run), indent=1), f"{name}.json",
                            "application/json", key="lab.download.json", on_click="ignore", icon=":material/download:",
                            width="stretch")


def file_stem(run: LabRun) -> str:
    """Download names say what the file is: image, method and goal."""
    s = run.settings
    stem = Path(run.image_label).stem.replace(" ", "_") or "image"
    goal = "untargeted" if s.target is None else str(s.target)
    return f"{stem}-{s.method}-{goal}"


@dataclass
class Renders:
    """A run's report and GIF, each rendered once (per language) on first click and then kept."""

    files: dict[tuple[str, str], bytes] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def once(self, kind: str, lang: str, render: Callable[[], bytes],
             turn: threading.Semaphore) -> Callable[[], bytes]:
        """A download callable that renders on the first click only (two clicks at once: one render),
        and only while holding `turn`, the server's one rendering turn."""
        def data() -> bytes:
            with self.lock:
                if (kind, lang) not in self.files:
                    with turn:
                        self.files[(kind, lang)] = render()
                return self.files[(kind, lang)]
        return data


@st.cache_resource(show_spinner=False)
def rendering_turn() -> threading.Semaphore:
    """One report or GIF is drawn at a time in the whole server: each is seconds of Pillow work, and a
    visitor who makes run after run and downloads each must not take the cores the attacks need."""
    return threading.Semaphore(1)


def renders_key(run: LabRun) -> str:
    """Where a run's rendered report and GIF are kept in the session."""
    return f"lab.renders.{run.id}"


def report_downloads(run: LabRun) -> None:
    """The report figure and the animation, rendered when first asked for (the GIF takes seconds)."""
    result, lang, name = run.result, current_language(), file_stem(run)
    renders, turn = st.session_state.setdefault(renders_key(run), Renders()), rendering_turn()
    cols = st.columns(2)
    cols[0].download_button(t("lab.download.report"),
                            renders.once("report", lang, lambda: report.render_report(result, lang=lang), turn),
                            f"{name}-report.png", "image/png", key="lab.download.report", on_click="ignore",
                            icon=":material/description:", help=t("lab.download.report.help"), width="stretch")
    cols[1].download_button(t("lab.download.gif"),
                            renders.once("gif", lang, lambda: animation.render_gif(result, lang=lang), turn),
                            f"{name}-animation.gif", "image/gif", key="lab.download.gif", on_click="ignore",
                            icon=":material/animation:", help=t("lab.download.gif.help"), width="stretch")
