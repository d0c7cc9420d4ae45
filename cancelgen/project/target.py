"""The coroutine ``cancelgen new test`` sweeps: imported from the project and checked.

:func:`inspect_target` imports ``MODULE`` from the project's import root (the
folder the generated tests import from: ``src`` in a src layout, the root
otherwise), finds ``FUNCTION`` or ``Class.method`` in it, and refuses, with
one line, anything that is not a coroutine function. It also reads which
library the module imports, for the backend. Where cancelgen's interpreter
lacks a package the module imports, the project's imports it instead.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cancelgen.core.coroutine_test import split_target
from cancelgen.errors import UsageError
from cancelgen.project import target_probe
from cancelgen.project.detect import Project, import_root

PROBE_TIMEOUT = 60.0
"""Seconds the project's interpreter has to import the target."""


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
    (exit 2) if it cannot be imported or is not a coroutine function.

    Imported by cancelgen's own interpreter; where that one lacks a package
    the target's module imports, by the project's (:func:`project_python`),
    running :mod:`cancelgen.project.target_probe` as a script there.
    """
    module_name, qualname = split_target(target)
    folders = _import_folders(project)
    try:
        with _on_path(folders):
            described = target_probe.describe(module_name, qualname, target)
    except target_probe.MissingDependency as missing:
        python = project_python(project.root)
        if python is None:
            raise UsageError(
                f"{missing} (cancelgen runs in {sys.prefix}, without it: run "
                "cancelgen from the project's virtual environment, or activate "
                "it, so cancelgen can import the target there)"
            ) from None
        described = _probe_with(python, project.root, folders, target)
    except target_probe.ProbeError as error:
        raise UsageError(str(error)) from None
    return Target(
        described["call"],
        tuple(described["needs"]),
        tuple(described["init_needs"]),
        described["library"],
    )


def project_python(root: Path) -> Path | None:
    """The project's interpreter, when it is not cancelgen's: the active
    virtual environment's (``$VIRTUAL_ENV``), else a ``.venv`` or ``venv``
    folder's at the project root; None if there is none."""
    candidates = []
    active = os.environ.get("VIRTUAL_ENV")
    if active:
        candidates.append(Path(active))
    candidates += [root / ".venv", root / "venv"]
    ours = Path(sys.prefix).resolve()
    for prefix in candidates:
        for python in (prefix / "bin" / "python", prefix / "Scripts" / "python.exe"):
            if python.is_file() and prefix.resolve() != ours:
                return python
    return None


def _probe_with(
    python: Path, root: Path, folders: list[str], target: str
) -> dict[str, Any]:
    """:func:`cancelgen.project.target_probe.describe` run by ``python``, with
    ``folders`` first on its ``sys.path``."""
    module_name, qualname = split_target(target)
    script = Path(target_probe.__file__)
    try:
        # -I: the script's folder (cancelgen's) does not shadow the user's modules.
        done = subprocess.run(
            [str(python), "-I", str(script), module_name, qualname, target, *folders],
            cwd=root,
            capture_output=True,
            text=True,
            timeout=PROBE_TIMEOUT,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        raise UsageError(
            f"cannot import {module_name} with {python}: {error}"
        ) from None
    answers = [
        line[len(target_probe.MARKER) :]
        for line in done.stdout.splitlines()
        if line.startswith(target_probe.MARKER)
    ]
    if not answers:
        last = (done.stderr.strip().splitlines() or [f"exit status {done.returncode}"])[
            -1
        ]
        raise UsageError(f"cannot import {module_name} with {python}: {last}")
    answer: dict[str, Any] = json.loads(answers[-1])
    if "error" in answer:
        raise UsageError(f"{answer['error']} (with {python})")
    described: dict[str, Any] = answer["ok"]
    return described


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
