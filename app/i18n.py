"""English / 简体中文 for the whole app. The language lives in the URL (?lang=zh), English by default.

Messages are declared next to the page that uses them, in `app/messages/<page>.py`, as
`MESSAGES = {"key": {"en": "...", "zh": "..."}}`; every key must have both languages (a test checks).

The engine speaks English only: show its errors with `error_text(e)`, its other sentences (image
notes, model availability) with `engine_text(s) or s`, model titles with `model_title(title)` and
ImageNet classes with `class_name(i)`; app/messages/errors.py holds the Chinese templates.
"""
from __future__ import annotations

import importlib
import pkgutil
import re
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
    """The URL's ?lang= when valid; else the session's last choice (a page switch can drop the
    query string); else English."""
    lang = st.query_params.get("lang")
    if lang in LANGUAGES:
        return lang
    remembered = st.session_state.get("language")
    return remembered if remembered in LANGUAGES else DEFAULT_LANGUAGE


class _Count(float):
    """A number that also formats as a plural choice: `{n:# step|# steps}` → "1 step", "2 steps".

    The spec lists the singular and the plural form, `#` standing for the number (written as
    Python's `,g` would: 3,070); any other spec formats the number as usual. Chinese has no plural, so its
    texts simply write "{n} 步"."""

    def __new__(cls, value):
        self = super().__new__(cls, value)
        self.original = value
        return self

    def __format__(self, spec: str) -> str:
        if "|" not in spec:
            return format(self.original, spec)
        one, many = spec.split("|", 1)
        return (one if self.original == 1 else many).replace("#", f"{self.original:,g}")


def _countable(value):
    return _Count(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else value


def t(key: str, **values) -> str:
    """The message `key` in the current language, with `{placeholders}` filled from `values`
    (`{n:# step|# steps}` picks the singular or plural form, see `_Count`)."""
    return text_in(current_language(), key, **values)


def text_in(lang: str, key: str, **values) -> str:
    """The message `key` in `lang` (for a select box's format_func, which may run outside the page's
    run and must show the language its options were drawn in)."""
    texts = catalogue()[key]
    text = texts.get(lang) or texts[DEFAULT_LANGUAGE]
    return text.format(**{name: _countable(value) for name, value in values.items()}) if values else text


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


# --- catalogue checks (used by tests/test_i18n.py) ------------------------------------------

_PLACEHOLDER = re.compile(r"\{(\w*)[^{}]*\}")
_CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]")  # ideographs + CJK punctuation
_ENGLISH_WORD = re.compile(r"\b[a-z]{3,}\b")  # "file", "save as": prose; "PNG", "Carlini–Wagner L2" are names


def placeholders(text: str) -> set[str]:
    """The `{names}` a message fills in."""
    return set(_PLACEHOLDER.findall(text))


def _unrendered_bold(text: str) -> bool:
    """True when a `**` in `text` cannot open or close bold under CommonMark's flanking rules —
    e.g. "**完成：**下一步", where a closing `**` sits between punctuation and a letter."""
    import unicodedata

    def punctuation(c: str) -> bool:
        return c == "" or unicodedata.category(c)[0] in "PS"

    def space(c: str) -> bool:
        return c == "" or c.isspace()

    plain = re.sub(r"\{[^{}]*\}", "X", text)  # a filled-in value reads as a letter
    for i, found in enumerate(re.finditer(r"\*\*", plain)):
        before = plain[found.start() - 1] if found.start() else ""
        after = plain[found.end()] if found.end() < len(plain) else ""
        opens = not space(after) and (not punctuation(after) or space(before) or punctuation(before))
        closes = not space(before) and (not punctuation(before) or space(after) or punctuation(after))
        if not (opens if i % 2 == 0 else closes):
            return True
    return False


def catalogue_problems(messages: dict[str, dict[str, str]]) -> list[str]:
    """Every way `messages` falls short: a language missing or empty, placeholders that differ
    between languages, Chinese text without a Chinese character, or `**bold**` that Markdown cannot render. A text may stay identical in
    both languages only when it holds no lower-case English word: names ("PNG", "DeepFool",
    "L∞ = {value}") stay as they are, prose does not."""
    problems = []
    for key, texts in messages.items():
        for lang in LANGUAGES:
            if not isinstance(texts.get(lang), str) or not texts[lang].strip():
                problems.append(f"{key}: no {LANGUAGES[lang]} text")
        en, zh = texts.get("en"), texts.get("zh")
        if not (isinstance(en, str) and isinstance(zh, str) and en.strip() and zh.strip()):
            continue
        if placeholders(en) != placeholders(zh):
            problems.append(f"{key}: placeholders differ: {sorted(placeholders(en))} vs {sorted(placeholders(zh))}")
        for lang in LANGUAGES:
            if _unrendered_bold(texts[lang]):
                problems.append(f"{key}: Markdown will show the ** in the {LANGUAGES[lang]} text literally")
        bare = _PLACEHOLDER.sub("", zh)
        if not _CJK.search(bare) and (zh != en or _ENGLISH_WORD.search(bare)):
            problems.append(f"{key}: the Chinese text has no Chinese in it: {zh!r}")
    return problems


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
    from .messages.errors import MESSAGES

    prefix = f"engine.{kind}."
    keys = [key for key in MESSAGES if key.startswith(prefix)]
    keys.sort(key=lambda key: -len(_PLACEHOLDER.sub("", MESSAGES[key]["en"])))
    return tuple((_template_regex(MESSAGES[key]["en"]), key) for key in keys)


def _translate(text: str, kind: str, lang: str) -> str | None:
    """`text` in `lang` if one of the engine's templates of `kind` matches it whole, else None."""
    from .messages.errors import MESSAGES

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
