"""Errors a user can cause — a bad file, an unknown class, a model that cannot be had — as one family.

Each carries a `code` (which sentence) and its `params` (what fills it in), so a front end shows the
sentence in the user's language by looking the code up (catalogue key "error.<code>", in
messages/errors.py), never by matching English text. `str(error)` and `.message` stay the English
sentence, for the command line and logs; `UserError.coded` builds that sentence from the catalogue's
English entry, so each sentence has one source. Anything else that is raised is a bug and should
surface as one.
"""
from __future__ import annotations

from typing import TypeVar

from .phrases import Phrase

E = TypeVar("E", bound="UserError")


class UserError(Exception):
    """Something the user can fix; `.message` is one English sentence, `.code` + `.params` name it."""

    code = "user_error"  # subclasses set their family's default; a raise may give a finer one

    def __init__(self, message: str, code: str | None = None, **params: object) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        self.params = params

    @classmethod
    def coded(cls: type[E], code: str, **params: object) -> E:
        """The error `code` ("image.empty"), its English sentence taken from the catalogue."""
        return cls(Phrase("error." + code, **params), code, **params)

    def __reduce__(self):
        # Exception pickling would rebuild from `args` alone and lose the code and params (Ray, processes).
        return _rebuild, (type(self), self.message, self.code, self.params)


def _rebuild(cls: type[E], message: str, code: str, params: dict[str, object]) -> E:
    error = cls.__new__(cls)
    UserError.__init__(error, message, code, **params)
    return error


class SettingsError(UserError, ValueError):
    """An attack setting out of range (ε ≤ 0, no target for a targeted method, ...).

    Also a ValueError, as these checks always raised: callers that catch ValueError still do."""

    code = "settings"
