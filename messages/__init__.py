"""Every user-visible sentence of the project, English and 简体中文, in one catalogue.

Messages are declared by topic in `messages/<topic>.py` as `MESSAGES = {"key": {"en": "...", "zh": "..."}}`;
every key has both languages (tests/test_i18n.py checks, with `catalogue_problems`). This package imports
nothing from the app or the engine, so both can read it: the app through `app.i18n.t`, which picks the
page's language, the engine (reports, animations, command line) through `text_in(lang, key, ...)`.
"""
from __future__ import annotations

import importlib
import pkgutil
import re
from functools import cache

LANGUAGES = {"en": "English", "zh": "简体中文"}
DEFAULT_LANGUAGE = "en"


@cache
def catalogue() -> dict[str, dict[str, str]]:
    """Every message of every page, merged; duplicate keys are a bug."""
    merged: dict[str, dict[str, str]] = {}
    for info in pkgutil.iter_modules(__path__):
        module = importlib.import_module(f"{__name__}.{info.name}")
        for key, texts in module.MESSAGES.items():
            if key in merged:
                raise KeyError(f"message key {key!r} defined twice (again in {info.name})")
            merged[key] = texts
    return merged


class Count(float):
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


def countable(value):
    return Count(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else value


def text_in(lang: str, key: str, **values) -> str:
    """The message `key` in `lang`, with `{placeholders}` filled from `values` (`{n:# step|# steps}`
    picks the singular or plural form, see `Count`)."""
    texts = catalogue()[key]
    text = texts.get(lang) or texts[DEFAULT_LANGUAGE]
    return text.format(**{name: countable(value) for name, value in values.items()}) if values else text


# --- catalogue checks (used by tests/test_i18n.py) ------------------------------------------

PLACEHOLDER = re.compile(r"\{(\w*)[^{}]*\}")
_CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]")  # ideographs + CJK punctuation
_ENGLISH_WORD = re.compile(r"\b[a-z]{3,}\b")  # "file", "save as": prose; "PNG", "Carlini–Wagner L2" are names


def placeholders(text: str) -> set[str]:
    """The `{names}` a message fills in."""
    return set(PLACEHOLDER.findall(text))


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
        bare = PLACEHOLDER.sub("", zh)
        if not _CJK.search(bare) and (zh != en or _ENGLISH_WORD.search(bare)):
            problems.append(f"{key}: the Chinese text has no Chinese in it: {zh!r}")
    return problems
