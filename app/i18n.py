"""English / 简体中文 in the app. The language lives in the URL (?lang=zh), English by default.

The texts themselves are in the project's one catalogue, the top-level `messages` package; this module
picks the page's language (`t`), keeps the language switch, and shows the engine's English sentences
in the user's language: its errors with `error_text(e)`, its other sentences (image notes, model
availability) with `engine_text(s) or s`, model titles with `model_title(title)` and ImageNet classes
with `class_name(i)`; messages/errors.py holds the Chinese templates.
"""
from __future__ import annotations

import re
from functools import cache

import streamlit as st

from messages import PLACEHOLDER, DEFAULT_LANGUAGE, LANGUAGES, catalogue, text_in


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
    from attack.labels import display

    return display(index, current_language())


# --- the engine's English sentences, in the current language --------------------------------

def _template_regex(template: str) -> re.Pattern:
    """`"{file} is empty."` → a regex capturing `file`; a name used twice must match the same text."""
    parts, seen = [], set()
    for literal, name in re.findall(r"([^{]*)(?:\{(\w+)\})?", template):
        parts.append(re.escape(literal))
        if name:
            parts.append(f"(?P={name})" if name in seen else f"(?P<{name}>.+?)")
            seen.add(name)
    return re.compile("".join(parts), re.DOTALL)


@cache
def _engine_templates(kind: str) -> tuple[tuple[re.Pattern, str], ...]:
    """(regex, key) for the engine's sentences (kind "sentence") or the values inside them
    (kind "value"), most literal text first so the more specific template wins."""
    from messages.errors import MESSAGES

    prefix = f"engine.{kind}."
    keys = [key for key in MESSAGES if key.startswith(prefix)]
    keys.sort(key=lambda key: -len(PLACEHOLDER.sub("", MESSAGES[key]["en"])))
    return tuple((_template_regex(MESSAGES[key]["en"]), key) for key in keys)


def _translate(text: str, kind: str, lang: str) -> str | None:
    """`text` in `lang` if one of the engine's templates of `kind` matches it whole, else None."""
    from messages.errors import MESSAGES

    for pattern, key in _engine_templates(kind):
        found = pattern.fullmatch(text)
        if found:
            values = {name: _translate(value, "value", lang) or value
                      for name, value in found.groupdict().items()}
            return MESSAGES[key][lang].format(**values)
    return None


def engine_text(sentence: str, lang: str | None = None) -> str | None:
    """One of the engine's English sentences (errors, image notes, model availability) in the
    current language, or None when no template knows it. English comes back unchanged."""
    lang = lang or current_language()
    if lang == "en":
        return sentence
    return _translate(sentence.strip(), "sentence", lang)


def model_title(title: str, lang: str | None = None) -> str:
    """A model's title from attack.models.MODELS in the current language ("… (bundled)" → "…（内置）")."""
    lang = lang or current_language()
    return title if lang == "en" else _translate(title, "value", lang) or title


def error_text(error: BaseException | str, lang: str | None = None) -> str:
    """What to show in st.error for an engine exception (or its stored `.message` sentence): the
    sentence in the current language; in Chinese, a generic line plus the English detail when the
    sentence is unknown."""
    lang = lang or current_language()
    sentence = error if isinstance(error, str) else getattr(error, "message", None) or str(error)
    translated = engine_text(sentence, lang)
    if translated is not None:
        return translated
    # By class name, so that showing an error never imports TensorFlow (attack.models does).
    classes = {cls.__name__ for cls in type(error).__mro__}
    kind = ("image" if "ImageError" in classes else "label" if "LabelNotFound" in classes
            else "model" if "ModelUnavailable" in classes else "other")
    texts = catalogue()
    summary = texts[f"error.generic.{kind}"][lang]
    return texts["error.with_detail"][lang].format(summary=summary, detail=sentence)
