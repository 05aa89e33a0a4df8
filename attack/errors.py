"""Errors a user can cause — a bad file, an unknown class, a model that cannot be had — as one family.

Each carries a `code` (which sentence) and its `params` (what fills it in), so a front end shows the
sentence in the user's language by looking the code up, never by matching English text. `str(error)`
and `.message` stay the English sentence, for the command line and logs. Anything else that is
raised is a bug and should surface as one.
"""
from __future__ import annotations


class UserError(Exception):
    """Something the user can fix; `.message` is one English sentence, `.code` + `.params` name it."""

    code = "user_error"  # subclasses set their family's default; a raise may give a finer one

    def __init__(self, message: str, code: str | None = None, **params: object) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        self.params = params
