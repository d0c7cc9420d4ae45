"""What a project declares where its installer reads it: the oldest Python
it supports (:func:`declared_floor`) and, for a setuptools project
configured the old way, its requirements (:func:`setuptools_requirements`).

The floor:

- ``[project] requires-python`` in ``pyproject.toml`` (PEP 621). When the
  ``[project]`` table exists, nothing else counts unless it lists
  ``requires-python`` in ``dynamic``: setuptools ignores a
  ``python_requires`` set elsewhere (with a warning; strictly since its
  "strict enforcement for project.dynamic", #4066), as the metadata
  specification requires.
- With ``requires-python`` dynamic, or no ``[project]`` table (a setuptools
  project configured the old way): ``setup.py``'s ``python_requires=``
  where it is a literal string, else ``setup.cfg``'s ``[options]
  python_requires`` (setuptools reads ``setup.cfg`` first and lets
  ``setup()``'s arguments override it).
- With no ``[project]`` table: Poetry's ``python`` in
  ``[tool.poetry.dependencies]`` (Poetry 1's spelling; its ``^``, ``~``,
  bare-version and ``||`` constraints are rewritten as PEP 440 for the
  check).

The result quotes the requirement as written and where, for
:func:`cancelgen.project.floor.check_floor`'s messages.
"""

from __future__ import annotations

import ast
import functools
import re
import stat
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cancelgen.project.tools import read_ini

SETUP_CFG = "setup.cfg"
SETUP_PY = "setup.py"


@dataclass(frozen=True)
class DeclaredFloor:
    """A project's Python requirement as written, and where it is written."""

    value: object
    """As written: a string, or what else the file holds (not checked);
    None where the file holds no value to quote (:attr:`unreadable` says why)."""
    setting: str = "requires-python"
    """The setting's name: ``requires-python``, ``python_requires``, ``python``."""
    place: str = ""
    """Where, in a few words ("" for ``[project]`` in ``pyproject.toml``)."""
    poetry: bool = False
    """Whether ``value`` is a Poetry constraint (not PEP 440)."""
    unreadable: str = ""
    """Why ``value`` could not be read from the file ("" if it could)."""

    def quoted(self) -> str:
        """``setting = "value"`` and where, as the messages quote it."""
        if self.value is None:
            return f"{self.setting} in {self.place}"
        if isinstance(self.value, str):
            text = '"' + self.value.replace("\\", "\\\\").replace('"', '\\"') + '"'
        else:
            text = repr(self.value)
        written = f"{self.setting} = {text}"
        return f"{written} in {self.place}" if self.place else written


_NOT_LITERAL = object()


class UnreadableSetup(ValueError):
    """``setup.py`` cannot be read or parsed."""


def declared_floor(root: Path, pyproject: Mapping[str, Any]) -> DeclaredFloor | None:
    """The Python requirement the project at ``root`` declares (``pyproject``:
    its parsed ``pyproject.toml``, {} if it has none); None if it declares
    none."""
    project = pyproject.get("project")
    if isinstance(project, dict):
        if "requires-python" in project:
            return DeclaredFloor(project["requires-python"])
        dynamic = project.get("dynamic")
        if not (isinstance(dynamic, list) and "requires-python" in dynamic):
            return None
        return _setuptools_floor(root)
    poetry = _poetry_python(pyproject)
    if poetry is not None:
        return poetry
    return _setuptools_floor(root)


def _poetry_python(pyproject: Mapping[str, Any]) -> DeclaredFloor | None:
    tool = pyproject.get("tool")
    poetry = tool.get("poetry") if isinstance(tool, dict) else None
    dependencies = poetry.get("dependencies") if isinstance(poetry, dict) else None
    if not isinstance(dependencies, dict) or "python" not in dependencies:
        return None
    return DeclaredFloor(
        dependencies["python"],
        "python",
        "[tool.poetry.dependencies]",
        poetry=True,
    )


def _setuptools_floor(root: Path) -> DeclaredFloor | None:
    return _setup_py_floor(root / SETUP_PY) or _setup_cfg_floor(root / SETUP_CFG)


def _setup_cfg_floor(path: Path) -> DeclaredFloor | None:
    if not path.is_file():
        return None
    parser = read_ini(path)
    if not parser.has_option("options", "python_requires"):
        return None
    return DeclaredFloor(
        parser.get("options", "python_requires").strip(),
        "python_requires",
        f"[options] of {SETUP_CFG}",
    )


def _setup_py_floor(path: Path) -> DeclaredFloor | None:
    """``python_requires`` as ``setup.py`` passes it, read without running
    it (:func:`setup_py_values`). None if there is none; unreadable if one is
    not a literal string, or two differ."""
    place = SETUP_PY
    try:
        values = [_literal(node) for node in setup_py_values(path, "python_requires")]
    except UnreadableSetup as error:
        return DeclaredFloor(None, "python_requires", place, unreadable=str(error))
    if not values:
        return None
    if any(value is _NOT_LITERAL for value in values):
        why = "not a literal string"
        return DeclaredFloor(None, "python_requires", place, unreadable=why)
    if len(set(values)) > 1:
        why = f"set to different values ({', '.join(map(repr, dict.fromkeys(values)))})"
        return DeclaredFloor(None, "python_requires", place, unreadable=why)
    return DeclaredFloor(values[0], "python_requires", place)


def setup_py_values(path: Path, name: str) -> list[ast.expr]:
    """What ``setup.py`` at ``path`` passes as ``name``, read without running
    it: every ``name=`` keyword of a call and every ``"name"`` key of a dict
    literal in the file ([] if there is no such file).
    :class:`UnreadableSetup` if it cannot be read or parsed (a Python 2
    ``setup.py``, say)."""
    try:
        status = path.stat()
    except OSError:
        return []
    if not stat.S_ISREG(status.st_mode):
        return []
    keywords = _setup_py_keywords(path, (status.st_mtime_ns, status.st_size))
    return list(keywords.get(name, ()))


@functools.lru_cache(maxsize=8)
def _setup_py_keywords(
    path: Path, version: tuple[int, int]
) -> dict[str, tuple[ast.expr, ...]]:
    """Every keyword argument and string dict key of ``setup.py`` at ``path``
    with the values passed for it, from one parse per version of the file
    (``version``: its modification time and size; the floor and each
    requirement list ask for their names)."""
    del version  # only the cache's key
    try:
        tree = ast.parse(path.read_bytes(), str(path))
    except (OSError, SyntaxError, ValueError) as error:
        raise UnreadableSetup(f"{SETUP_PY} does not parse ({error})") from error
    found: dict[str, list[ast.expr]] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            for keyword in node.keywords:
                if keyword.arg is not None:
                    found.setdefault(keyword.arg, []).append(keyword.value)
        elif isinstance(node, ast.Dict):
            for key, value in zip(node.keys, node.values, strict=True):
                if isinstance(key, ast.Constant) and isinstance(key.value, str):
                    found.setdefault(key.value, []).append(value)
    return {name: tuple(values) for name, values in found.items()}


def setuptools_requirements(root: Path, *, runtime: bool) -> list[str]:
    """The requirement strings a setuptools project configured the old way
    declares (``install_requires``; unless ``runtime``, its extras and
    ``tests_require`` too), from ``setup.py``'s literal lists and
    ``setup.cfg``'s ``[options]``; what is computed is left out."""
    names = ["install_requires"] if runtime else ["install_requires", "tests_require"]
    found: list[str] = []
    setup_py = root / SETUP_PY
    try:  # a hint: a setup.py that does not parse names nothing
        for name in names:
            for node in setup_py_values(setup_py, name):
                found.extend(_strings(node))
        if not runtime:
            for node in setup_py_values(setup_py, "extras_require"):
                if isinstance(node, ast.Dict):
                    for value in node.values:
                        found.extend(_strings(value))
    except UnreadableSetup:
        pass
    setup_cfg = root / SETUP_CFG
    if setup_cfg.is_file():
        parser = read_ini(setup_cfg)
        lines = [
            parser.get("options", name, fallback="")
            for name in names
            if parser.has_option("options", name)
        ]
        if not runtime and parser.has_section("options.extras_require"):
            lines.extend(value for _, value in parser.items("options.extras_require"))
        found.extend(
            line.strip()
            for text in lines
            for line in text.splitlines()
            if line.strip() and not line.strip().startswith("#")
        )
    return found


def _strings(node: ast.expr) -> list[str]:
    """The literal strings of a list or tuple literal (or one string)."""
    items = node.elts if isinstance(node, (ast.List, ast.Tuple)) else [node]
    return [
        item.value
        for item in items
        if isinstance(item, ast.Constant) and isinstance(item.value, str)
    ]


def _literal(node: ast.expr) -> object:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return _NOT_LITERAL


# A Poetry constraint's operators, and a version (Poetry's, or a wildcard).
_OPERATOR = re.compile(r"(\^|~=|~|==|=|!=|>=|<=|>|<)\s+")
_SINGLE = re.compile(r"(?P<op>\^|~=|~|==|=|!=|>=|<=|>|<)?(?P<version>[0-9][\w.*+!-]*)")


def poetry_as_pep440(constraint: str) -> list[str]:
    """A Poetry constraint as PEP 440 specifier sets, one per ``||`` branch
    (``"^3.8"`` -> ``[">=3.8,<4"]``); ValueError if it is not one."""
    branches = []
    for branch in re.split(r"\s*\|\|?\s*", constraint.strip()):
        parts = _OPERATOR.sub(r"\1", branch).replace(",", " ").split()
        branches.append(",".join(_pep440(part) for part in parts if part != "*"))
    return branches


def _pep440(part: str) -> str:
    found = _SINGLE.fullmatch(part)
    if found is None:
        raise ValueError(f"not a version constraint: {part!r}")
    op, version = found["op"] or "==", found["version"]
    if op in ("^", "~"):
        numbers = [int(number) for number in re.findall(r"\d+", version)[:3]]
        if not numbers:
            raise ValueError(f"not a version constraint: {part!r}")
        if op == "~":
            upper = (
                [numbers[0] + 1] if len(numbers) == 1 else [numbers[0], numbers[1] + 1]
            )
        else:  # ^: up to the next change of the first non-zero number
            first = next((i for i, n in enumerate(numbers) if n), len(numbers) - 1)
            upper = [*numbers[:first], numbers[first] + 1]
        return f">={version},<{'.'.join(map(str, upper))}"
    return f"{'==' if op == '=' else op}{version}"
