"""Attack every file in a folder: an adversarial PNG and a report per image, a summary.csv and an index.html.

A file that cannot be read or attacked becomes an error row with its message; the batch carries on.
Files are attacked `batch_size` at a time, sharing each compiled step (attack.runner.run_attacks).

Output names (`output_stems`) keep the whole file name, extension included: `cat.jpg` gives
`cat.jpg.adversarial.png` and `cat.jpg.report.png`, so `cat.png`, `cat.jpg` and `cat_png.gif` never
share an output. Names that would still clash where case or Unicode normalisation is ignored (`Cat.png`
and `cat.png` on macOS) get a numeric suffix, the later file in name order: `cat.png-2.report.png`.
Files are written into the --out folder by `attack.outputs.OutputFolder` (never through a link).

A finished run keeps only its row: its history holds no per-step frames (`SummaryHistory`), and its
images and PNGs are dropped once its files are written.
"""
from __future__ import annotations

import csv
import html
import io
import math
import os
import unicodedata
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Callable, Iterator
from urllib.parse import quote

from ..inputs import images, labels
from ..catalogue import entry
from ..attacks.eot import robust_attack
from ..running.history import RunHistory, RunResult
from ..inputs.outputs import OutputFolder
from ..render.report import render_report
from ..render.text import method_title, percent, short_model_title
from ..running.runner import DEFAULT_BATCH, consume, finish, run_attacks

SUMMARY = "summary.csv"
INDEX = "index.html"


@dataclass
class BatchRow:
    """One file of the batch: what happened to it, and where its outputs are (relative to the out folder)."""

    file: str
    status: str  # "ok" or "error"
    error: str = ""
    original_label: str = ""
    final_label: str = ""
    target_prob: float | None = None  # on the saved PNG; None when untargeted
    success: bool | None = None  # verified on the saved PNG
    steps: int | None = None
    seconds: float | None = None
    linf: float | None = None
    l2: float | None = None
    psnr: float | None = None  # None when infinite (nothing changed)
    ssim: float | None = None
    l0: int | None = None  # pixels changed (what JSMA keeps small)
    queries: int | None = None  # model queries (black-box square); None for gradient attacks
    adversarial: str = ""
    report: str = ""

    @classmethod
    def from_result(cls, file: str, result: RunResult, adversarial: str, report: str) -> "BatchRow":
        v, d = result.verification, result.distances
        return cls(file, "ok", original_label=result.original.label, final_label=v.top5[0].label,
                   target_prob=None if result.target is None else v.target_probability, success=v.success,
                   steps=result.kept_step, seconds=result.seconds, linf=d.linf, l2=d.l2,
                   psnr=None if math.isinf(d.psnr) else d.psnr, ssim=d.ssim, l0=d.l0,
                   queries=result.final.queries, adversarial=adversarial, report=report)


def candidates(folder: Path) -> list[Path]:
    """Every regular file in the folder, sorted by name; sub-folders and hidden files (.DS_Store) are skipped."""
    return sorted((p for p in folder.iterdir() if p.is_file() and not p.name.startswith(".")),
                  key=lambda p: p.name)


OUTPUT_SUFFIXES = (".adversarial.png", ".report.png")  # after a file's stem (see output_stems)


def _clash_key(name: str) -> str:
    """What two names have in common when a file system ignores case and Unicode normalisation."""
    return unicodedata.normalize("NFC", name).casefold()


def output_stems(files: list[Path]) -> dict[Path, str]:
    """A distinct name per file for its outputs: the file name itself, extension included, with "-2",
    "-3"… where it would clash with an earlier one (see the module's docstring)."""
    names = {_clash_key(p.name) for p in files}
    taken: set[str] = set()
    stems: dict[Path, str] = {}
    for path in files:
        stem, n = path.name, 1
        while _clash_key(stem) in taken or (n > 1 and _clash_key(stem) in names):
            n += 1
            stem = f"{path.name}-{n}"
        taken.add(_clash_key(stem))
        stems[path] = stem
    return stems


def output_names(stem: str) -> tuple[str, str]:
    """The adversarial PNG's and the report's file names for an output stem."""
    return stem + OUTPUT_SUFFIXES[0], stem + OUTPUT_SUFFIXES[1]


class SummaryHistory(RunHistory):
    """A batch run's history without per-step frames: its report draws only the first and the kept step,
    which the history holds as records anyway, so a folder of large photos does not keep a frame per
    step for every run until the runs end."""

    def add(self, record) -> None:
        super().add(record)
        self.frames.clear()


def attack_file(classifier, path: Path, out: OutputFolder, stem: str, method: str, *, lang: str = "en",
                on_step: Callable | None = None, **settings) -> BatchRow:
    """Attack one file and write `<stem>.adversarial.png` and `<stem>.report.png`; errors become the row."""
    try:
        data = images.read_bytes(path)
    except images.ImageError as error:
        return BatchRow(path.name, "error", error=error.message)
    row, outputs = attack_bytes(classifier, data, path.name, stem, method, lang=lang, on_step=on_step, **settings)
    return write_outputs(row, outputs, out)


def write_outputs(row: BatchRow, outputs: dict[str, bytes], out: OutputFolder) -> BatchRow:
    """Write a row's files into the out folder; a write that fails turns the row into an error."""
    try:
        for name, data in outputs.items():
            out.write(name, data)
    except OSError as error:
        return BatchRow(row.file, "error", error=str(error))
    return row


def attack_bytes(classifier, data: bytes, name: str, stem: str, method: str, *, lang: str = "en",
                 on_step: Callable | None = None, **settings) -> tuple[BatchRow, dict[str, bytes]]:
    """Attack one file's bytes: its row and the files to write ({file name: bytes}), touching no disk.

    The same for the in-process batch and a Ray worker, which may not see the caller's disk."""
    try:
        image = images.load_image(data, name=name)
        attack = robust_attack(method, classifier, **settings)  # run_attack, with a history of no frames
        history = consume(attack.run(image.pixels), SummaryHistory(), on_step)
        result = finish(classifier, attack.name, attack.epsilon, attack.target, attack.stop_at, history)
        adversarial, report = output_names(stem)
        outputs = {adversarial: result.verification.png, report: render_report(result, lang=lang)}
        return BatchRow.from_result(name, result, adversarial, report), outputs
    except images.ImageError as error:
        return BatchRow(name, "error", error=error.message), {}
    except (ValueError, OSError) as error:
        return BatchRow(name, "error", error=getattr(error, "message", None) or str(error)), {}
    except Exception as error:  # noqa: BLE001 — one broken file must not end a long batch
        return BatchRow(name, "error", error=f"unexpected {type(error).__name__}: {error}"), {}


def _write(result: RunResult, out: OutputFolder, path: Path, stem: str, lang: str) -> BatchRow:
    adversarial, report = output_names(stem)
    out.write(adversarial, result.verification.png)
    out.write(report, render_report(result, lang=lang))
    return BatchRow.from_result(path.name, result, adversarial, report)


def iter_batch(classifier, files: list[Path], out: OutputFolder, method: str, *, lang: str = "en",
               on_step_for: Callable[[int, Path], Callable] | None = None, batch_size: int = DEFAULT_BATCH,
               **settings) -> Iterator[BatchRow]:
    """Attack the files, `batch_size` at a time in one batched step, and yield their rows in file order
    (each file's outputs are written as soon as its run ends, so an interrupted batch keeps them);
    `on_step_for(i, path)` gives that file's per-step callback (e.g. a progress bar)."""
    stems = output_stems(files)
    rows: dict[int, BatchRow] = {}
    readable: list[int] = []
    for i, path in enumerate(files):
        try:
            images.load_image(path, name=path.name)  # read once to sort out unreadable files up front
            readable.append(i)
        except images.ImageError as error:
            rows[i] = BatchRow(path.name, "error", error=error.message)
        except (ValueError, OSError) as error:
            rows[i] = BatchRow(path.name, "error", error=getattr(error, "message", None) or str(error))
    emitted = 0

    def ready() -> Iterator[BatchRow]:
        nonlocal emitted
        while emitted in rows:
            yield rows.pop(emitted)
            emitted += 1

    yield from ready()
    loaders = [lambda path=files[i]: images.load_image(path, name=path.name).pixels for i in readable]
    step_for = (lambda k: on_step_for(readable[k], files[readable[k]])) if on_step_for else None
    try:
        for k, result in run_attacks(classifier, loaders, method, on_step_for=step_for, batch_size=batch_size,
                                     new_history=SummaryHistory, **settings):
            i = readable[k]
            try:
                rows[i] = _write(result, out, files[i], stems[files[i]], lang)
            except OSError as error:
                rows[i] = BatchRow(files[i].name, "error", error=str(error))
            del result  # its row is all the summary needs: the images go before the next run ends
            yield from ready()
    except Exception:  # noqa: BLE001 — one broken file must not end a long batch: finish one file at a time
        for i in readable:
            if i >= emitted and i not in rows:
                on_step = on_step_for(i, files[i]) if on_step_for else None
                rows[i] = attack_file(classifier, files[i], out, stems[files[i]], method, lang=lang,
                                      on_step=on_step, **settings)
    yield from ready()


def _csv_value(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:.6g}"
    return str(value)


def summary_csv(rows: list[BatchRow]) -> bytes:
    """summary.csv: one row per file, the columns of BatchRow (UTF-8)."""
    names = [f.name for f in fields(BatchRow)]
    handle = io.StringIO(newline="")
    writer = csv.writer(handle)
    writer.writerow(names)
    for row in rows:
        values = asdict(row)
        writer.writerow([_csv_value(values[n]) for n in names])
    return handle.getvalue().encode("utf-8")


_STYLE = """
body { font-family: "DejaVu Sans", "Noto Sans CJK SC", system-ui, sans-serif; color: #222; margin: 2rem; }
h1 { font-size: 1.6rem; margin: 0 0 .3rem; } p.meta { color: #6b6b6b; margin: 0 0 1.2rem; }
table { border-collapse: collapse; width: 100%; font-size: .95rem; }
th, td { padding: .45rem .6rem; border-bottom: 1px solid #e6e6e6; text-align: left; vertical-align: middle; }
th { background: #f4f5f7; position: sticky; top: 0; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
img { max-width: 160px; max-height: 120px; display: block; border: 1px solid #e6e6e6; }
.ok { color: #2ca02c; font-weight: bold; } .fail { color: #d62728; font-weight: bold; }
tr.error td { background: #fff4f4; } .message { color: #d62728; }
"""


def _num(value, fmt: str) -> str:
    return "–" if value is None else format(value, fmt)


def index_html(rows: list[BatchRow], *, model: str, method: str, epsilon: float, target: int | None) -> bytes:
    """index.html: a self-contained table with thumbnails linking to each report; every text escaped."""
    e = html.escape
    goal = f"target: {labels.label(target)}" if target is not None else "untargeted"
    ok = [r for r in rows if r.status == "ok"]
    fooled = sum(1 for r in ok if r.success)
    head = ("<tr><th>Adversarial</th><th>File</th><th>Original → now</th><th>Target p</th><th>Fooled</th>"
            f"<th>{'Queries' if entry(method).counts_queries else 'Steps'}</th><th>Time</th><th>L∞</th><th>L2</th>"
            "<th>L0 (px)</th><th>PSNR</th><th>SSIM</th></tr>")
    body = []
    for r in rows:
        if r.status != "ok":
            body.append(f'<tr class="error"><td>–</td><td>{e(r.file)}</td>'
                        f'<td colspan="10" class="message">error: {e(r.error)}</td></tr>')
            continue
        image, report = e(quote(r.adversarial)), e(quote(r.report))
        verdict = '<span class="ok">✓ yes</span>' if r.success else '<span class="fail">✗ no</span>'
        body.append(
            f'<tr><td><a href="{report}"><img src="{image}" alt="{e(r.file)}"></a></td>'
            f'<td><a href="{report}">{e(r.file)}</a></td>'
            f"<td>{e(r.original_label)} → {e(r.final_label)}</td>"
            f'<td class="num">{e(percent(r.target_prob)) if r.target_prob is not None else "–"}</td>'
            f"<td>{verdict}</td><td class=\"num\">{r.steps}</td><td class=\"num\">{_num(r.seconds, '.1f')} s</td>"
            f'<td class="num">{_num(r.linf, ".0f")}</td><td class="num">{_num(r.l2, ".1f")}</td>'
            f'<td class="num">{_num(r.l0, ",")}</td>'
            f'<td class="num">{_num(r.psnr, ".1f")} dB</td><td class="num">{_num(r.ssim, ".4f")}</td></tr>')
    meta = (f"{e(short_model_title(model))} · {e(method_title(method))} · ε = {epsilon:g}/255 · {e(goal)}"
            f" — {len(rows)} files: {len(ok)} attacked ({fooled} fooled on the saved PNG), "
            f"{len(rows) - len(ok)} errors")
    page = (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>Adversarial Lab batch</title>'
            f"<style>{_STYLE}</style></head><body>\n<h1>Adversarial Lab batch</h1>\n<p class=\"meta\">{meta}</p>\n"
            f"<table>\n<thead>{head}</thead>\n<tbody>\n" + "\n".join(body) + "\n</tbody></table>\n</body></html>\n")
    return page.encode("utf-8")


def relative(path: Path) -> str:
    """The path as the user would type it from the current folder."""
    try:
        shown = os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)
    return str(path) if shown.startswith("..") else shown
