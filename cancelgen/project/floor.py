"""The Python floor: the oldest Python a project's ``requires-python`` admits.

Generated code needs Python 3.11 (``asyncio.timeout``, ``TaskGroup``,
``except*``). A project whose declared requirement (``[project]
requires-python``, or where else its installer reads one:
:mod:`cancelgen.project.declared`) admits an older Python would ship
code some of its users cannot import, so ``new`` (``new worker`` and ``new
test``) and ``upgrade`` refuse to write into it unless told to accept that
(``--allow-python-floor``, or ``allow-python-floor = true`` in
``[tool.cancelgen]``); on a terminal they ask instead.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

from cancelgen.core.format import MINIMUM_TARGET
from cancelgen.errors import UsageError
from cancelgen.project.declared import DeclaredFloor, poetry_as_pep440

NEEDED = MINIMUM_TARGET
"""The oldest Python the generated code runs on."""
NEEDS = "except*, ExceptionGroup; asyncio.timeout, TaskGroup in asyncio code"
"""What in the generated code needs :data:`NEEDED`, as users would look it up."""
FLAG = "--allow-python-floor"
CONFIG_KEY = "allow-python-floor"

# Every Python a floor can be, oldest first: 2.7 (older ones never carried
# requires-python), then 3.0 to 3.99.
_MINORS = ((2, 7), *((3, minor) for minor in range(100)))


class UnreadableFloor(ValueError):
    """``requires-python`` is not a PEP 440 specifier set."""


@functools.cache
def parse_floor(requirement: str) -> tuple[int, int] | None:
    """The oldest ``(major, minor)`` Python ``requirement`` admits.

    ``requirement`` is a PEP 440 specifier set such as ``">=3.10,<4"``. A
    minor version counts as admitted if any of its releases is (``">3.9"``
    admits 3.9.1, so its floor is 3.9). None if it admits no Python at all;
    :class:`UnreadableFloor` if it is not a specifier set.
    """
    from packaging.specifiers import InvalidSpecifier, SpecifierSet
    from packaging.version import InvalidVersion, Version

    try:
        specifiers = SpecifierSet(requirement)
    except InvalidSpecifier as error:
        raise UnreadableFloor(str(error)) from None
    # Besides the first and a late release of each minor version, try each
    # release the specifiers name and the one after it: "==3.9.7" admits only
    # that one, ">3.10.4" only those after it.
    micros: dict[tuple[int, int], set[int]] = {}
    for specifier in specifiers:
        try:
            named = Version(specifier.version.removesuffix(".*"))
        except InvalidVersion:
            continue  # "===" arbitrary equality: nothing to add
        micros.setdefault((named.major, named.minor), set()).update(
            (named.micro, named.micro + 1)
        )
    for major, minor in _MINORS:
        for micro in sorted({0, 99, *micros.get((major, minor), ())}):
            if specifiers.contains(f"{major}.{minor}.{micro}"):
                return major, minor
    return None


def declared_python_floor(declared: DeclaredFloor) -> tuple[int, int] | None:
    """The oldest ``(major, minor)`` Python ``declared`` admits: :func:`parse_floor`
    of its value, or for a Poetry constraint the oldest of its ``||``
    branches; :class:`UnreadableFloor` if it cannot be read."""
    if declared.unreadable:
        raise UnreadableFloor(declared.unreadable)
    if not isinstance(declared.value, str):
        raise UnreadableFloor("not a string")
    if not declared.poetry:
        return parse_floor(declared.value)
    try:
        branches = poetry_as_pep440(declared.value)
    except ValueError as error:
        raise UnreadableFloor(str(error)) from None
    floors = [floor for floor in map(parse_floor, branches) if floor is not None]
    return min(floors, default=None)


def python_floor(declared: DeclaredFloor | None) -> tuple[int, int] | None:
    """:func:`declared_python_floor`; None if absent or unreadable."""
    if declared is None:
        return None
    try:
        return declared_python_floor(declared)
    except UnreadableFloor:
        return None


def check_floor(
    declared: DeclaredFloor | None,
    *,
    allowed: str,
    ask: Callable[[str], bool] | None,
    notice: Callable[[str], None],
) -> None:
    """Refuse, ask about, or note a declared floor below :data:`NEEDED`.

    ``declared`` is the project's requirement as read (None if it declares
    none: nothing to check). ``allowed`` says what accepted a lower floor
    (the flag or the ``[tool.cancelgen]`` key, "" if nothing did). ``ask``
    shows what it is given and asks whether to go ahead, on a terminal (None
    when not on one). A floor
    that cannot be read is noted, not refused: pip refuses such a project
    itself. Raises ``UsageError`` (exit 2) with one line when refused.
    """
    if declared is None:
        return
    quoted = declared.quoted()
    needed = ".".join(map(str, NEEDED))
    try:
        floor = declared_python_floor(declared)
    except UnreadableFloor as error:
        notice(f"cannot read {quoted}: {error}; not checked against {needed}")
        return
    if floor is None or floor >= NEEDED:
        return
    admits = (
        f"{quoted} admits Python {'.'.join(map(str, floor))}, but the generated "
        f"code needs {needed} ({NEEDS})"
    )
    if not allowed and ask is not None and ask(f"{admits}."):
        allowed = "your answer"
    if allowed:
        notice(
            f"{admits}: generating {needed} code anyway ({allowed}), formatted "
            f"for py{NEEDED[0]}{NEEDED[1]}; checks that target "
            f"{'.'.join(map(str, floor))} (ruff's target-version, mypy's "
            "python_version) will report its 3.11 syntax and names"
        )
        return
    raise UsageError(
        f'{admits}: raise it to ">={needed}", or pass {FLAG} (or set '
        f"{CONFIG_KEY} = true in [tool.cancelgen]) to generate {needed} code anyway"
    )
