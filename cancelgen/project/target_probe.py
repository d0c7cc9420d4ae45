"""Import the coroutine ``cancelgen new test`` sweeps, and describe it.

Standard library only, and Python 3.8 syntax (annotations are never
evaluated: ``from __future__ import annotations``): cancelgen runs it in its own
interpreter first, and, where that one lacks a package the target's module
imports (cancelgen installed with pipx, say), as a script under the
project's interpreter (:mod:`cancelgen.project.target`), which prints the
description as one JSON line after :data:`MARKER`.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import json
import sys
from pathlib import Path
from typing import Any

MARKER = "cancelgen-target-probe: "
"""What starts the script's answer on its standard output (the user's module
may print too)."""


class ProbeError(Exception):
    """The target cannot be swept: one line for the user."""


class MissingDependency(ProbeError):
    """Importing the target's module failed on a module other than it: a
    package this interpreter lacks."""


def describe(module_name: str, qualname: str, target: str) -> dict[str, Any]:
    """``target`` (``module_name:qualname``) imported and described: how it is
    called (``function``, ``class``, ``instance``), the parameters a call
    must give, its class's (``init_needs``), and the library its module
    imports. Raises :class:`ProbeError`."""
    try:
        module = importlib.import_module(module_name)
    except BaseException as error:  # the user's code may raise anything
        if isinstance(error, KeyboardInterrupt):
            raise
        first = (str(error).splitlines() or [""])[0]
        message = f"cannot import {module_name}: {type(error).__name__}: {first}"
        missing = getattr(error, "name", None)
        ours = module_name.split(".")
        parents = {".".join(ours[: index + 1]) for index in range(len(ours))}
        if isinstance(error, ModuleNotFoundError) and missing not in parents:
            raise MissingDependency(message) from None
        raise ProbeError(message) from None
    owner: Any = module
    found: Any = module
    for part in qualname.split("."):
        owner = found
        found = inspect.getattr_static(owner, part, None)
        if found is None:
            where = (
                module_name if owner is module else f"{module_name}.{owner.__name__}"
            )
            raise ProbeError(f"{target}: {where} has no {part!r}")
    call, function, skip_first = _callable(owner, found, module, qualname, target)
    if inspect.isasyncgenfunction(function):
        raise ProbeError(
            f"{target} is an async generator, not a coroutine function: "
            "the sweep drives a coroutine (wrap it in one that iterates it)"
        )
    if not inspect.iscoroutinefunction(function):
        raise ProbeError(
            f"{target} is not a coroutine function (async def): "
            "there is nothing to cancel at its awaits"
        )
    init_needs: list[str] = []
    if call == "instance":
        init_needs = _needs(owner, skip_first=False)
    return {
        "call": call,
        "needs": _needs(function, skip_first),
        "init_needs": init_needs,
        "library": _library(module),
    }


def _callable(
    owner: Any, found: Any, module: Any, qualname: str, target: str
) -> tuple[str, Any, bool]:
    """How the target is called, its function, and whether its first
    parameter is bound (self, cls)."""
    if owner is module:
        if inspect.isclass(found):
            raise ProbeError(
                f"{target} is a class, not a coroutine function: name its method "
                f"({target}.METHOD)"
            )
        return "function", found, False
    if not inspect.isclass(owner):
        raise ProbeError(f"{target}: {qualname.split('.')[0]} is not a class")
    if isinstance(found, staticmethod):
        return "class", found.__func__, False
    if isinstance(found, classmethod):
        return "class", found.__func__, True
    return "instance", found, True


def _needs(function: Any, skip_first: bool) -> list[str]:
    """The parameters of ``function`` a call must give (no default, not *args
    or **kwargs); ``skip_first``: without self or cls."""
    try:
        signature = inspect.signature(function)
    except (TypeError, ValueError):
        return []
    parameters = list(signature.parameters.values())
    if skip_first and parameters:
        parameters = parameters[1:]
    variadic = (inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD)
    return [
        p.name
        for p in parameters
        if p.default is inspect.Parameter.empty and p.kind not in variadic
    ]


def _library(module: Any) -> str:
    """``trio``, ``anyio`` or ``asyncio``: what ``module``'s own imports name
    (AnyIO wins over Trio, Trio over asyncio); "" if none or unreadable."""
    try:
        tree = ast.parse(Path(inspect.getfile(module)).read_text(encoding="utf-8"))
    except (OSError, TypeError, SyntaxError, UnicodeDecodeError):
        return ""
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module.split(".")[0])
    for library in ("anyio", "trio", "asyncio"):
        if library in names:
            return library
    return ""


def main(argv: list[str]) -> int:
    """``target_probe.py MODULE QUALNAME TARGET FOLDER...``: print the
    description (or the error) after :data:`MARKER`, as JSON."""
    module_name, qualname, target, *folders = argv
    sys.path[:0] = folders
    try:
        answer: dict[str, Any] = {"ok": describe(module_name, qualname, target)}
    except ProbeError as error:
        answer = {"error": str(error)}
    sys.stdout.write("\n" + MARKER + json.dumps(answer) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
