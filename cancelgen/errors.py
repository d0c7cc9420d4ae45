"""The one exception type for user errors, caught once by the CLI."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

USAGE_EXIT_CODE = 2
FAILURE_EXIT_CODE = 1


class CancelgenError(Exception):
    """A user error: shown as one line on stderr, never as a traceback.

    ``exit_code`` is 2 for usage errors (bad names, unknown options) and 1 for
    everything else (conflicts, unwritable directories, unreadable config).
    """

    def __init__(self, message: str, *, exit_code: int = FAILURE_EXIT_CODE) -> None:
        super().__init__(message)
        self.message = message
        self.exit_code = exit_code


class UsageError(CancelgenError):
    """A user error in what was asked for (exit code 2)."""

    def __init__(self, message: str) -> None:
        super().__init__(message, exit_code=USAGE_EXIT_CODE)


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """Return ``" (did you mean 'x'?)"`` for the closest choice, or ``""``."""
    matches = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean '{matches[0]}'?)" if matches else ""
