"""``Generator`` and ``AsyncGenerator`` hints spelled out for an older mypy.

The templates write ``Generator[X]`` and ``AsyncGenerator[X]``: typeshed
gives their send and return types defaults (PEP 696), and ruff's ``UP043``
and pyupgrade drop the spelled-out ``None`` on Python 3.13 and later. mypy
reads those defaults from 1.11 on; an older one reports ``"Generator" expects
3 type arguments, but 1 given``. For a project that pins such a mypy,
:func:`spell_out` writes the arguments out: ``Generator[X, None, None]`` and
``AsyncGenerator[X, None]``, the same types.
"""

from __future__ import annotations

import io
import tokenize

DEFAULTS = {"Generator": ", None, None", "AsyncGenerator": ", None"}
"""Each hint's defaulted arguments, as they are spelled out."""
FIRST_WITH_DEFAULTS = (1, 11)
"""The first mypy that reads them."""


def needs_spelling_out(mypy: str | None) -> bool:
    """Whether mypy ``mypy`` (a version, None if unknown) needs the defaulted
    arguments spelled out: one older than 1.11."""
    if mypy is None:
        return False
    parts = []
    for part in mypy.split(".")[:2]:
        digits = "".join(char for char in part if char.isdigit())
        if not digits or digits != part:
            return False  # not a plain release: leave the hints as they are
        parts.append(int(digits))
    return tuple(parts) < FIRST_WITH_DEFAULTS


def spell_out(source: str) -> str:
    """``source`` with each one-argument ``Generator[...]`` and
    ``AsyncGenerator[...]`` given its defaulted arguments (see the module)."""
    if not any(name + "[" in source for name in DEFAULTS):
        return source
    lines = source.splitlines(keepends=True)
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line))
    tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    inserts: list[tuple[int, str]] = []
    for index, token in enumerate(tokens[:-1]):
        after = tokens[index + 1]
        if token.type != tokenize.NAME or token.string not in DEFAULTS:
            continue
        if after.string != "[" or after.start != token.end:
            continue
        closing = _closing(tokens, index + 1)
        if closing is None:
            continue
        last = closing - 1
        while tokens[last].type in (tokenize.NL, tokenize.COMMENT):
            last -= 1
        # After the argument; before a trailing comma, which stays last.
        row, column = (
            tokens[last].start if tokens[last].string == "," else tokens[last].end
        )
        inserts.append((starts[row - 1] + column, DEFAULTS[token.string]))
    for offset, text in sorted(inserts, reverse=True):
        source = source[:offset] + text + source[offset:]
    return source


def _closing(tokens: list[tokenize.TokenInfo], opening: int) -> int | None:
    """The index of the ``]`` closing ``tokens[opening]``, if the brackets
    hold one argument (no comma at their own depth); else None."""
    depth = 0
    for index in range(opening, len(tokens)):
        text = tokens[index].string
        if tokens[index].type != tokenize.OP:
            continue
        if text in "([{":
            depth += 1
        elif text in ")]}":
            depth -= 1
            if depth == 0:
                return index
        elif text == "," and depth == 1 and not _rest_is_blank(tokens, index + 1):
            return None  # a second argument: spelled out already
    return None


def _rest_is_blank(tokens: list[tokenize.TokenInfo], start: int) -> bool:
    """Whether only line breaks and comments lie between ``start`` and the
    next closing bracket (a trailing comma, not a second argument)."""
    for token in tokens[start:]:
        if token.type in (tokenize.NL, tokenize.NEWLINE, tokenize.COMMENT):
            continue
        return token.type == tokenize.OP and token.string in ")]}"
    return False
