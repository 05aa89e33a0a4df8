"""English / 简体中文 for the whole app. The language lives in the URL (?lang=zh), English by default.

Messages are declared next to the page that uses them, in `app/messages/<page>.py`, as
`MESSAGES = {"key": {"en": "...", "zh": "..."}}`; every key must have both languages (a test checks).
"""
from __future__ import annotations

import importlib
import pkgutil
from functools import cache

import streamlit as st

LANGUAGES = {"en": "English", "zh": "简体中文"}
DEFAULT_LANGUAGE = "en"


@cache
def catalogue() -> dict[str, dict[str, str]]:
    """Every message of every page, merged; duplicate keys are a bug."""
    from . import messages

    merged: dict[str, dict[str, str]] = {}
    for info in pkgutil.iter_modules(messages.__path__):
        module = importlib.import_module(f"{messages.__name__}.{info.name}")
        for key, texts in module.MESSAGES.items():
            if key in merged:
                raise KeyError(f"message key {key!r} defined twice (again in {info.name})")
            merged[key] = texts
    return merged


def current_language() -> str:
    lang = st.query_params.get("lang", DEFAULT_LANGUAGE)
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE


def t(key: str, **values) -> str:
    """The message `key` in the current language, with `{placeholders}` filled from `values`."""
    texts = catalogue()[key]
    text = texts.get(current_language()) or texts[DEFAULT_LANGUAGE]
    return text.format(**values) if values else text


def language_picker() -> None:
    """A sidebar switch that keeps the choice in the URL (the URL wins, so shared links work)."""
    current = current_language()
    if st.session_state.get("language") != current:
        st.session_state["language"] = current

    def switch() -> None:
        st.query_params["lang"] = st.session_state["language"]

    st.sidebar.radio("Language / 语言", list(LANGUAGES), format_func=LANGUAGES.get, horizontal=True,
                     key="language", on_change=switch)
