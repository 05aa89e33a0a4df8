"""English / 简体中文 in the app. The language lives in the URL (?lang=zh), English by default.

The texts themselves are in the project's one catalogue, the top-level `messages` package; this module
picks the page's language (`t`), keeps the language switch, and shows the engine's text in the
user's language: its errors with `error_text(e)` (by the error's code), its other sentences (image notes,
model availability) with `engine_text(s)`, model titles with `model_title(title)` (both by the
`Phrase`'s key) and ImageNet classes with `class_name(i)`. No English text is ever matched to translate it.
"""
from __future__ import annotations

import streamlit as st

from attack.plumbing.errors import UserError
from attack.inputs.labels import display
from attack.plumbing.phrases import Phrase, say
from messages import DEFAULT_LANGUAGE, LANGUAGES, catalogue, text_in


def current_language() -> str:
    """The URL's ?lang= when valid; else the session's last choice (a page switch can drop the
    query string); else English."""
    lang = st.query_params.get("lang")
    if lang in LANGUAGES:
        return lang
    remembered = st.session_state.get("language")
    return remembered if remembered in LANGUAGES else DEFAULT_LANGUAGE


def t(key: str, **values) -> str:
    """The message `key` in the current language, with `{placeholders}` filled from `values`
    (`{n:# step|# steps}` picks the singular or plural form, see `messages.Count`)."""
    return text_in(current_language(), key, **values)


def language_picker() -> None:
    """A sidebar switch that keeps the choice in the URL (the URL wins, so shared links work)."""
    current = current_language()
    if st.session_state.get("language") != current:
        st.session_state["language"] = current
    if st.query_params.get("lang") != current and (current != DEFAULT_LANGUAGE or "lang" in st.query_params):
        st.query_params["lang"] = current  # put the choice back into the URL after a page switch

    def switch() -> None:
        st.query_params["lang"] = st.session_state["language"]
        resend_widget_values()

    st.sidebar.radio("Language / 语言", list(LANGUAGES), format_func=LANGUAGES.get, horizontal=True,
                     key="language", on_change=switch)


_TRANSLATED = "i18n.translated_widgets"


def translated(key: str) -> str:
    """Mark a widget whose options are shown in the current language (a select box with a
    format_func that calls t() or class_name()); returns `key`, to pass as the widget's key."""
    st.session_state.setdefault(_TRANSLATED, set()).add(key)
    return key


def resend_widget_values() -> None:
    """Write the marked widgets' values back unchanged (from the language switch's callback).

    A select box tells the browser which option is chosen by the option's *text*, and only when the
    value changes; after a language switch the browser would keep showing the old language's text
    ("toaster (859)" on a Chinese page). A value written through session state counts as changed,
    so each marked widget sends its choice again, formatted in the new language."""
    state = st.session_state
    for name in state.get(_TRANSLATED, ()):
        if name in state:
            state[name] = state[name]


def class_name(index: int) -> str:
    """An ImageNet class name in the current language (Chinese where a checked name exists)."""
    return display(index, current_language())


# --- the engine's sentences, in the current language ----------------------------------------

def engine_text(text: str, lang: str | None = None) -> str:
    """One of the engine's sentences (an image note, a model's availability or title) in the current
    language. The engine hands them out as `attack.phrases.Phrase`s, which know their catalogue key;
    any other text is shown as it is."""
    lang = lang or current_language()
    return text.in_language(lang) if isinstance(text, Phrase) else text


def model_title(title: str, lang: str | None = None) -> str:
    """A model's title (`MODELS[name].title`, `Classifier.title`) in the current language
    ("EfficientNet-Lite0 (bundled)" → "EfficientNet-Lite0（内置）")."""
    return engine_text(title, lang)


# Errors whose code has no sentence of its own get their family's summary: family code → summary key.
_GENERIC = {"image": "image", "label": "label", "model": "model", "model_unavailable": "model"}


def error_text(error: BaseException | str, lang: str | None = None) -> str:
    """What to show in st.error for an engine exception (or its stored `.message`): the sentence of
    its code ("error.<code>" in messages/errors.py) in the current language; for anything else (a bug,
    an error raised with a bare English message) a summary of its kind plus the English detail."""
    lang = lang or current_language()
    key = "error." + str(getattr(error, "code", ""))
    if isinstance(error, UserError) and key in catalogue():
        return say(lang, key, error.params)
    message = error if isinstance(error, str) else getattr(error, "message", None) or str(error)
    if isinstance(message, Phrase):  # e.g. a stored `.message`, or an error built from an engine Phrase
        return message.in_language(lang)
    if lang == DEFAULT_LANGUAGE:  # the English detail says it all
        return message
    family = str(getattr(error, "code", "")).split(".")[0]
    summary = text_in(lang, f"error.generic.{_GENERIC.get(family, 'other')}")
    return text_in(lang, "error.with_detail", summary=summary, detail=message)
