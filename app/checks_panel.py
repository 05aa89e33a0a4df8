"""Reusable panels: "does it survive?" (checks) and "does it fool other models?" (transfer).

    from app.checks_panel import render_checks, render_transfer
    render_checks(run_checks(model, original, adversarial, target=target))
    render_transfer(transfer_check(adversarial, original, target, exclude=model.name))
"""
from __future__ import annotations

import math
from typing import Sequence

import pandas as pd
import streamlit as st

from app.i18n import class_name, engine_text, model_title, t
from attack.experiments.robustness import ChecksReport, TransferResult


def _percent(p: float) -> str:
    return "–" if math.isnan(p) else f"{p:.1%}"


def checks_table(report: ChecksReport) -> pd.DataFrame:
    """One row per transformation, in the current language (probabilities 0..1, NaN when untargeted).

    "Still fooled?" is the report's top-1 test, spelled out as yes/no next to what the model answers
    now and how sure it is, so a ✓ at 20 % reads as what it is. Defences are marked with a shield in
    front of their name, which keeps the table narrow enough to sit in half the page (the explorer
    shows two side by side)."""
    return pd.DataFrame({
        "check": [("🛡 " if r.kind == "defence" else "") + t(f"check.{r.key}") for r in report.results],
        "ok": [t("checks.yes") if r.passed else t("checks.no") for r in report.results],
        "top1": [f"{class_name(r.top1.index)} ({r.top1.probability:.0%})" for r in report.results],
        "target": [r.target_probability for r in report.results],
        "original": [r.original_probability for r in report.results],
    })


def summary(report: ChecksReport) -> str:
    """"Still read as toaster after 9 of 12 changes" (untargeted: "No longer read as tabby cat …")."""
    if report.target is None:
        return t("checks.summary_untargeted", label=class_name(report.original_class), passed=report.passed,
                 total=report.total)
    return t("checks.summary", label=class_name(report.target), passed=report.passed, total=report.total)


def render_checks(report: ChecksReport, *, title: bool = True) -> None:
    """The checks panel: a summary bar and one row per transformation with the verdict and both probabilities."""
    if title:
        st.markdown(f"**{t('checks.title')}**", help=t("checks.help"))
    st.progress(report.passed / max(report.total, 1), text=summary(report))
    table = checks_table(report)
    if report.target is None:
        table = table.drop(columns="target")
        ok_help = t("checks.col.ok.help_untargeted", label=class_name(report.original_class))
    else:
        ok_help = t("checks.col.ok.help", label=class_name(report.target))
    probability = {"format": "percent", "min_value": 0.0, "max_value": 1.0, "width": 100}
    st.dataframe(
        table, hide_index=True, width="stretch", height="content",  # every row, no scrolling, at any font size
        column_config={
            "check": st.column_config.TextColumn(t("checks.col.check"), width=190, help=t("checks.defence_help")),
            "ok": st.column_config.TextColumn(t("checks.col.ok"), width=115, help=ok_help),
            "top1": st.column_config.TextColumn(t("checks.col.top1")),
            "target": st.column_config.ProgressColumn(
                t("checks.col.target", label=class_name(report.target)) if report.target is not None else "",
                **probability),
            "original": st.column_config.ProgressColumn(
                t("checks.col.original", label=class_name(report.original_class)), **probability),
        },
    )


def render_skipped(*, stopped: bool = False, tips: bool = True) -> None:
    """In place of the checks when the attack failed: "survives 0 of 12" would only confuse. The pointer
    to "the tips above" only where tips are shown above (not after a Stop)."""
    st.info(t("stage.checks.skipped_stopped") if stopped else t("checks.skipped") if tips
            else t("stage.checks.skipped_plain"))


def render_transfer(results: Sequence[TransferResult]) -> None:
    """Each other model's verdict and top-3 on the adversarial image, then why any model was left out."""
    st.markdown(f"**{t('transfer.title')}**")
    skipped = getattr(results, "skipped", ())  # attack.robustness.TransferResults
    if not results:
        st.info(t("transfer.none"))
    else:
        _render_verdicts(results)
    for skip in skipped:
        st.caption(engine_text(skip.reason))


def _render_verdicts(results: Sequence[TransferResult]) -> None:
    fooled = sum(r.fooled for r in results)
    st.caption(t("transfer.rate", fooled=fooled, total=len(results)))
    for r in results:
        verdict = t("transfer.fooled") if r.fooled else t("transfer.not_fooled")
        top3 = " · ".join(f"{class_name(p.index)} {p.probability:.0%}" for p in r.top3)
        st.markdown(f"{'✓' if r.fooled else '✗'} **{model_title(r.title)}** — "
                    + t("transfer.line", verdict=verdict, top3=top3))
        st.caption(t("transfer.clean", label=class_name(r.original_top1.index),
                     p=_percent(r.original_top1.probability)))
