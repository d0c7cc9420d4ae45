"""The coroutine ``cancelgen new test`` sweeps: imported from the project and checked.

:func:`inspect_target` imports ``MODULE`` from the project's import root (the
folder the generated tests import from: ``src`` in a src layout, the root
otherwise), finds ``FUNCTION`` or ``Class.method`` in it, and refuses, with
one line, anything that is not a coroutine function. It also reads which
library the module imports, for the backend.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cancelgen.core.coroutine_test import split_target
from cancelgen.errors import UsageError
from cancelgen.project.detect import Project, import_root


@dataclass(frozen=True)
class Target:
    """What importing the target told: how to call it, what it needs, which
    library its module uses ("" if none of ours)."""

    call: str
    needs: tuple[str, ...]
    init_needs: tuple[str, ...]
    library: str


def inspect_target(project: Project, target: str) -> Target:
    """Import ``target`` from ``project`` and describe it; :class:`UsageError`
    (exit 2) if it cannot be imported or is not a coroutine function."""
    module_name, qualname = split_target(target)
    with _on_path(_import_folders(project)):
        try:
            module = importlib.import_module(module_name)
        except BaseException as error:  # the user's code may raise anything
            if isinstance(error, KeyboardInterrupt):
                raise
            first = (str(error).splitlines() or [""])[0]
            raise UsageError(
                f"cannot import {module_name}: {type(error).__name__}: {first}"
            ) from None
    owner: Any = module
    found: Any = module
    for part in qualname.split("."):
        owner = found
        found = inspect.getattr_static(owner, part, None)
        if found is None:
            where = (
                module_name if owner is module else f"{module_name}.{owner.__name__}"
            )
            raise UsageError(f"{target}: {where} has no {part!r}")
    call, function, skip_first = _callable(owner, found, module, qualname, target)
    if inspect.isasyncgenfunction(function):
        raise UsageError(
            f"{target} is an async generator, not a coroutine function: "
            "the sweep drives a coroutine (wrap it in one that iterates it)"
        )
    if not inspect.iscoroutinefunction(function):
        raise UsageError(
            f"{target} is not a coroutine function (async def): "
            "there is nothing to cancel at its awaits"
        )
    init_needs: tuple[str, ...] = ()
    if call == "instance":
        init_needs = _needs(owner, skip_first=False)
    return Target(call, _needs(function, skip_first), init_needs, _library(module))


def _callable(
    owner: Any, found: Any, module: Any, qualname: str, target: str
) -> tuple[str, Any, bool]:
    """How the target is called, its function, and whether its first
    parameter is bound (self, cls)."""
    if owner is module:
        if inspect.isclass(found):
            raise UsageError(
                f"{target} is a class, not a coroutine function: name its method "
                f"({target}.METHOD)"
            )
        return "function", found, False
    if not inspect.isclass(owner):
        raise UsageError(f"{target}: {qualname.split('.')[0]} is not a class")
    if isinstance(found, staticmethod):
        return "class", found.__func__, False
    if isinstance(found, classmethod):
        return "class", found.__func__, True
    return "instance", found, True


def _needs(function: Any, skip_first: bool) -> tuple[str, ...]:
    """The parameters of ``function`` a call must give (no default, not *args
    or **kwargs); ``skip_first``: without self or cls."""
    try:
        signature = inspect.signature(function)
    except (TypeError, ValueError):
        return ()
    parameters = list(signature.parameters.values())
    if skip_first and parameters:
        parameters = parameters[1:]
    variadic = (inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD)
    return tuple(
        p.name
        for p in parameters
        if p.default is inspect.Parameter.empty and p.kind not in variadic
    )


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


def _import_folders(project: Project) -> list[str]:
    """The folders the generated tests import from: the package's import
    root, pytest's ``pythonpath`` and the project root."""
    root = import_root(project.package_dir, project.package_import)
    folders = [root or ".", *project.pytest_pythonpath, "."]
    seen: list[str] = []
    for folder in folders:
        path = str((project.root / folder).resolve())
        if path not in seen:
            seen.append(path)
    return seen


@contextmanager
def _on_path(folders: list[str]) -> Iterator[None]:
    saved = list(sys.path)
    sys.path[:0] = folders
    try:
        yield
    finally:
        sys.path[:] = saved
