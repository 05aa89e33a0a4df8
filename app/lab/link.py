"""The lab's share link: the settings and the sample live in the URL, so a copied link restores them.

The query parameters (model, method, target, eps, step, steps, stop, seed, sample, present, lang)
are a public format: links already shared must keep working. The settings themselves are
attack.settings.AttackSettings; app/controls.py turns them into query parameters and back, refusing
a value longer than any of ours (controls.LINK_VALUE_CHARS) before it is parsed, and a number that
is not finite or out of range; the rest (sample, present, lang) are only compared with known values.
"""
from __future__ import annotations

import streamlit as st

from app import controls
from app.samples import SAMPLES
from app.i18n import t
from app.lab.inputs import Chosen
from attack.settings import AttackSettings

SETTING_PARAMETERS = ("model", "method", "target", "eps", "step", "steps", "stop", "seed")


def restore_from_link() -> None:
    """Once per session, fill the controls from the URL (a shared link) before any widget exists."""
    state = st.session_state
    if state.get("lab.restored"):
        return
    state["lab.restored"] = True
    params = st.query_params.to_dict()
    if any(name in params for name in SETTING_PARAMETERS):
        settings, ignored = controls.settings_from_query(params)
        controls.fill_controls(settings)
        state["lab.ignored"] = ignored
    if params.get("sample") in SAMPLES:
        state["lab.source"] = f"sample:{params['sample']}"
    state["lab.present"] = params.get("present") in ("1", "true", "yes")


def share_panel(settings: AttackSettings, chosen: Chosen, presenter: bool) -> None:
    """Keep the URL in step with the settings and show it as a link to copy."""
    wanted = controls.query_from_settings(settings)
    if chosen.sample:
        wanted["sample"] = chosen.sample
    for name, value in wanted.items():
        if st.query_params.get(name) != value:
            st.query_params[name] = value
    link = controls.share_link(st.context.url, settings, chosen.sample, presenter)
    with st.sidebar.expander(t("lab.share"), icon=":material/link:"):
        st.code(link, language=None, wrap_lines=True)
        st.caption(t("lab.share.help") if chosen.sample else t("lab.share.upload"))
    ignored = st.session_state.pop("lab.ignored", None)
    if ignored:
        st.warning(t("lab.share.ignored", names=", ".join(ignored)))
