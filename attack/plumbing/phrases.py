"""Engine text that can be said in any language: an English string that remembers its catalogue key.

The engine speaks English to the command line and the logs, but the app shows the same sentences in
the user's language. A `Phrase` is both: it *is* the English text (a `str`, so printing, comparing and
JSON see nothing new), built from the catalogue's English entry, and it keeps the key and the values
that filled it, so `phrase.in_language("zh")` says it again from the catalogue's Chinese entry. No
front end ever has to recognise an English sentence to translate it.

A value may itself be a Phrase ("The file" inside "The file is empty."): it is said in the same language.
"""
from __future__ import annotations

from messages import text_in


class Phrase(str):
    """The catalogue's English text for `key`, filled with `params`; `.key` and `.params` say it again."""

    key: str
    params: dict[str, object]

    def __new__(cls, key: str, **params: object) -> Phrase:
        self = super().__new__(cls, say("en", key, params))
        self.key = key
        self.params = params
        return self

    def in_language(self, lang: str) -> str:
        """The same text in `lang` (values that are Phrases too are said in `lang`)."""
        return say(lang, self.key, self.params)

    def __reduce__(self):
        # str's own pickling would call Phrase(english_text) and lose the key; rebuild from key and values.
        return _rebuild, (self.key, self.params)


def _rebuild(key: str, params: dict[str, object]) -> Phrase:
    return Phrase(key, **params)


def say(lang: str, key: str, params: dict[str, object]) -> str:
    """The catalogue's `key` in `lang`, with `params` filled in (Phrase values said in `lang` as well)."""
    values = {name: value.in_language(lang) if isinstance(value, Phrase) else value
              for name, value in params.items()}
    return text_in(lang, key, **values)
